/* ws-compat.h - the differences between the Wireshark APIs CamTrace builds
 * against (4.0, 4.2, 4.4 and 4.6), in one place.
 *
 * Wireshark changes its C API between minor releases and a plugin is built
 * for exactly one of them (it loads only into the major.minor it was built
 * for).  This header is the only file that names versions: everything else
 * calls the ct_ws_* names below and behaves the same on every version.
 * What changed, and since when:
 *
 *   4.2  add_ipv4_name()/add_ipv6_name() take a static_entry flag;
 *        field_info.value is a pointer to the fvalue.
 *   4.4  boolean preferences are bool, not gboolean (1 byte, not 4);
 *        plugins describe themselves with plugin_describe().
 *   4.6  a -z statistic's init callback returns bool (false: bad
 *        arguments); reading records: wtap_rec carries its own buffer,
 *        epan_dissect_run_with_taps() takes no tvb, ws_log_init() and
 *        configuration_init() lost their program-name arguments.
 *
 * 4.2 has no Debian suite to test on; its changes are a subset of 4.4's
 * and take the same branches here.
 */
#ifndef CAMTRACE_WS_COMPAT_H
#define CAMTRACE_WS_COMPAT_H

#include <wireshark.h>
#include <epan/addr_resolv.h>
#include <epan/dfilter/dfilter.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tvbuff.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/wslog.h>

#include <stdlib.h>

#define CT_WS_AT_LEAST(major, minor)                                                               \
    (WIRESHARK_VERSION_MAJOR > (major) ||                                                          \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* The storage of a boolean preference (prefs_register_bool_preference()). */
#if CT_WS_AT_LEAST(4, 4)
typedef bool ct_ws_pref_bool;
#else
typedef gboolean ct_ws_pref_bool;
#endif

/* The text of a string field, or NULL. */
static inline const char *
ct_ws_field_string(field_info *fi)
{
#if CT_WS_AT_LEAST(4, 2)
    return fvalue_get_string(fi->value);
#else
    return fvalue_get_string(&fi->value);
#endif
}

/* Give Wireshark's host name table a name for an address, unless the table
 * already names it: the user's hosts file and Wireshark's own resolver
 * stay authoritative for their addresses.  4.2 and later would also keep
 * hosts-file names (static_entry FALSE), 4.0 would overwrite them; the
 * check makes every version keep whatever name is already there. */
static inline void
ct_ws_add_ipv4_name(guint32 addr, const char *name)
{
    const hashipv4_t *known = wmem_map_lookup(get_ipv4_hash_table(), GUINT_TO_POINTER(addr));

    if (known != NULL && (known->flags & NAME_RESOLVED))
        return;
#if CT_WS_AT_LEAST(4, 2)
    add_ipv4_name(addr, name, FALSE);
#else
    add_ipv4_name(addr, name);
#endif
}

static inline void
ct_ws_add_ipv6_name(const ws_in6_addr *addr, const char *name)
{
    const hashipv6_t *known = wmem_map_lookup(get_ipv6_hash_table(), addr);

    if (known != NULL && (known->flags & NAME_RESOLVED))
        return;
#if CT_WS_AT_LEAST(4, 2)
    add_ipv6_name(addr, name, FALSE);
#else
    add_ipv6_name(addr, name);
#endif
}

/* A -z statistic's init callback.  CT_WS_STAT_INIT(name, start) defines
 * name as the callback that register_stat_tap_ui() wants, around
 * `bool start(const char *arg)`, which prints why and returns false for
 * arguments it cannot use.  4.6 lets tshark stop on false; before 4.6 the
 * callback returns nothing, so the only way to stop is to exit as tshark
 * does for its own bad -z arguments. */
#if CT_WS_AT_LEAST(4, 6)
#define CT_WS_STAT_INIT(name, start)                                                               \
    static bool name(const char *arg, void *userdata _U_)                                          \
    {                                                                                              \
        return start(arg);                                                                         \
    }
#else
#define CT_WS_STAT_INIT(name, start)                                                               \
    static void name(const char *arg, void *userdata _U_)                                          \
    {                                                                                              \
        if (!start(arg))                                                                           \
            exit(1);                                                                               \
    }
#endif

/* Reading a capture record by record, for programs that host epan (the
 * test host, tests/tools/ct-epanhost.c). */
typedef struct {
    wtap_rec rec;
#if !CT_WS_AT_LEAST(4, 6)
    Buffer buf;
#endif
} ct_ws_record;

static inline void
ct_ws_record_init(ct_ws_record *r)
{
#if CT_WS_AT_LEAST(4, 6)
    wtap_rec_init(&r->rec, 1514);
#else
    wtap_rec_init(&r->rec);
    ws_buffer_init(&r->buf, 1514);
#endif
}

static inline void
ct_ws_record_cleanup(ct_ws_record *r)
{
    wtap_rec_cleanup(&r->rec);
#if !CT_WS_AT_LEAST(4, 6)
    ws_buffer_free(&r->buf);
#endif
}

static inline gboolean
ct_ws_read(wtap *wth, ct_ws_record *r, int *err, gchar **err_info, gint64 *offset)
{
#if CT_WS_AT_LEAST(4, 6)
    return wtap_read(wth, &r->rec, err, err_info, offset);
#else
    return wtap_read(wth, &r->rec, &r->buf, err, err_info, offset);
#endif
}

/* Dissect the record just read, running the taps. */
static inline void
ct_ws_dissect_with_taps(epan_dissect_t *edt, wtap *wth, ct_ws_record *r, frame_data *fd)
{
#if CT_WS_AT_LEAST(4, 6)
    epan_dissect_run_with_taps(edt, wtap_file_type_subtype(wth), &r->rec, fd, NULL);
#else
    /* Frame lengths are at most WTAP_MAX_PACKET_SIZE_STANDARD. */
    tvbuff_t *tvb = tvb_new_real_data(ws_buffer_start_ptr(&r->buf), fd->cap_len, (gint)fd->pkt_len);
    epan_dissect_run_with_taps(edt, wtap_file_type_subtype(wth), &r->rec, tvb, fd, NULL);
#endif
}

/* A display filter compiled (the test host's -Y); when it is not valid,
 * *message (to g_free) says why. */
static inline gboolean
ct_ws_dfilter_compile(const char *text, dfilter_t **dfp, char **message)
{
#if CT_WS_AT_LEAST(4, 2)
    df_error_t *error = NULL;
    gboolean ok = dfilter_compile(text, dfp, &error);

    if (!ok)
        *message = g_strdup(error != NULL ? error->msg : "not a display filter");
    if (error != NULL)
        df_error_free(&error);
    return ok;
#else
    return dfilter_compile(text, dfp, message);
#endif
}

/* Build the fields postdissectors want in the tree, as Wireshark does
 * before each dissection; 4.6 does it in epan itself and no longer
 * exports the call (its tshark makes none). */
static inline void
ct_ws_prime_postdissectors(epan_dissect_t *edt)
{
#if CT_WS_AT_LEAST(4, 6)
    (void)edt;
#else
    prime_epan_dissect_with_postdissector_wanted_hfids(edt);
#endif
}

/* A program's logging, set up first thing. */
static inline void
ct_ws_log_init(const char *progname)
{
    g_set_prgname(progname);
#if CT_WS_AT_LEAST(4, 6)
    ws_log_init(NULL);
#else
    ws_log_init(progname, NULL);
#endif
}

/* The configuration and plugin folders, once the process's privileges are
 * settled (init_process_policies()).  Returns an error message or NULL. */
static inline char *
ct_ws_configuration_init(const char *arg0)
{
#if CT_WS_AT_LEAST(4, 6)
    return configuration_init(arg0);
#else
    return configuration_init(arg0, NULL);
#endif
}

#endif
