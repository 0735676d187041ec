/* ct-epanhost.c - a minimal Wireshark for the CamTrace life-cycle tests.
 *
 *   ct-epanhost [-o PREF:VALUE]... [-s PREF:VALUE] [-z STAT] [-w MS] [-n ADDR]...
 *               [-t MODULE.PREF]... [-Y FILTER] FILE...
 *
 * tshark reads one capture and exits, so it never shows what the GUI does
 * all day: open a capture, close it, open another, change a preference in
 * between.  This host does that with libwireshark's public API: it loads
 * the plugins (WIRESHARK_PLUGIN_DIR), applies the -o preferences, then
 * dissects each FILE in turn with a visible tree, as the packet details
 * would, each in a new epan session (which runs the init routines, as
 * re-opening a capture does).  Before the second file it applies the -s
 * preferences (as the preferences dialog does), so a test can swap
 * databases between two captures.  -z registers statistics (the flow
 * export) that draw after each file.
 *
 * After the last file, -w runs the GLib main loop for MS milliseconds, as
 * the GUI's event loop runs while the user looks at the packets (PTR
 * names arrive then), and each -n prints "ADDR NAME" with the name that
 * Wireshark's host name table holds for the IPv4 address ADDR ("-" for
 * none): what its own address columns would show.  Each -t prints
 * "MODULE.PREF: TITLE", the title of that preference as the preferences
 * dialog would show it (static texts change with what was opened).
 *
 * -Y opens each FILE as the GUI opens a capture and then applies a
 * display filter (a pass that loads the packet list, then the filter's
 * pass over the same frames) and prints "FILE: N packets, M shown": the
 * packets a filter or button shows the first time it runs.
 *
 * Built with the sanitizers, it lets LeakSanitizer and AddressSanitizer
 * watch the plugin across reloads and preference changes.  It prints one
 * line per file: "FILE: N packets".
 */
#include <wireshark.h>
#include <epan/addr_resolv.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/prefs-int.h>
#include <epan/prefs.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/inet_addr.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#include "ws-compat.h"

#include <stdio.h>
#include <stdlib.h>

struct packet_provider_data {
    const frame_data *ref;
    const frame_data *prev_dis;
};

static const nstime_t *
frame_ts(struct packet_provider_data *prov, guint32 num)
{
    if (prov->ref != NULL && prov->ref->num == num)
        return &prov->ref->abs_ts;
    if (prov->prev_dis != NULL && prov->prev_dis->num == num)
        return &prov->prev_dis->abs_ts;
    return NULL;
}

/* One pass over a capture, as Wireshark makes one: frames holds the
 * capture's frame data, made by the first pass and kept for the next as
 * the GUI keeps its packet list's; with dfcode, each packet is primed
 * with the filter and *shown counts those that pass. */
static gboolean
dissect_pass(const char *path, struct packet_provider_data *prov, epan_dissect_t *edt,
             GPtrArray *frames, dfilter_t *dfcode, guint *shown)
{
    int err = 0;
    gchar *err_info = NULL;
    wtap *wth = wtap_open_offline(path, WTAP_TYPE_AUTO, &err, &err_info, FALSE);
    gboolean first = frames->len == 0;
    ct_ws_record record;
    gint64 offset;
    guint32 num = 0, cum_bytes = 0;
    nstime_t elapsed = NSTIME_INIT_ZERO;

    if (wth == NULL) {
        fprintf(stderr, "ct-epanhost: cannot open %s: %s\n", path, wtap_strerror(err));
        g_free(err_info);
        return FALSE;
    }
    ct_ws_record_init(&record);
    reset_tap_listeners();
    prov->ref = prov->prev_dis = NULL;
    while (ct_ws_read(wth, &record, &err, &err_info, &offset)) {
        frame_data *fd;

        if (first) {
            fd = g_new(frame_data, 1);
            frame_data_init(fd, num + 1, &record.rec, offset, cum_bytes);
            g_ptr_array_add(frames, fd);
        } else if (num < frames->len) {
            fd = g_ptr_array_index(frames, num);
        } else {
            fprintf(stderr, "ct-epanhost: %s grew between passes\n", path);
            break;
        }
        num++;
        frame_data_set_before_dissect(fd, &elapsed, &prov->ref, prov->prev_dis);
        ct_ws_prime_postdissectors(edt);
        if (dfcode != NULL)
            epan_dissect_prime_with_dfilter(edt, dfcode);
        ct_ws_dissect_with_taps(edt, wth, &record, fd);
        if (dfcode != NULL && dfilter_apply_edt(dfcode, edt))
            (*shown)++;
        frame_data_set_after_dissect(fd, &cum_bytes);
        prov->prev_dis = fd;
        epan_dissect_reset(edt);
        wtap_rec_reset(&record.rec);
    }
    draw_tap_listeners(TRUE);
    ct_ws_record_cleanup(&record);
    wtap_close(wth);
    g_free(err_info);
    return err == 0;
}

static void
free_frame(gpointer data)
{
    frame_data_destroy(data);
    g_free(data);
}

/* A capture in a new epan session.  Without a filter, dissected once with
 * a visible tree, as the packet details would.  With one, as the GUI
 * opens a capture and then applies a display filter: a pass without a
 * visible tree (the packet list as it loads), then the filter's pass;
 * prints how many packets it shows. */
static gboolean
open_capture(const char *path, dfilter_t *dfcode)
{
    static const struct packet_provider_funcs funcs = {.get_frame_ts = frame_ts};
    struct packet_provider_data prov = {NULL, NULL};
    GPtrArray *frames = g_ptr_array_new_with_free_func(free_frame);
    epan_t *epan = epan_new(&prov, &funcs);
    epan_dissect_t *edt = epan_dissect_new(epan, TRUE, dfcode == NULL);
    guint shown = 0;
    gboolean ok = dissect_pass(path, &prov, edt, frames, NULL, NULL);

    if (ok && dfcode != NULL)
        ok = dissect_pass(path, &prov, edt, frames, dfcode, &shown);
    if (dfcode != NULL)
        printf("%s: %u packets, %u shown\n", path, frames->len, shown);
    else
        printf("%s: %u packets\n", path, frames->len);
    epan_dissect_free(edt);
    epan_free(epan);
    g_ptr_array_free(frames, TRUE);
    return ok;
}

/* The GUI's event loop, for ms milliseconds. */
static void
run_main_loop(guint ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

    while (g_get_monotonic_time() < end) {
        while (g_main_context_iteration(NULL, FALSE))
            ;
        g_usleep(10 * 1000);
    }
}

/* "MODULE.PREF: TITLE" of a preference. */
static gboolean
print_pref_title(const char *name)
{
    const char *dot = strchr(name, '.');
    char *module_name = dot ? g_strndup(name, (gsize)(dot - name)) : NULL;
    module_t *module = module_name ? prefs_find_module(module_name) : NULL;
    pref_t *pref = module ? prefs_find_preference(module, dot + 1) : NULL;

    g_free(module_name);
    if (pref == NULL) {
        fprintf(stderr, "ct-epanhost: no preference %s\n", name);
        return FALSE;
    }
    printf("%s: %s\n", name, prefs_get_title(pref));
    return TRUE;
}

static gboolean
print_host_name(const char *text)
{
    ws_in4_addr addr;
    const hashipv4_t *entry;

    if (!ws_inet_pton4(text, &addr)) {
        fprintf(stderr, "ct-epanhost: not an IPv4 address: %s\n", text);
        return FALSE;
    }
    entry = wmem_map_lookup(get_ipv4_hash_table(), GUINT_TO_POINTER(addr));
    printf("%s %s\n", text, entry != NULL && (entry->flags & NAME_RESOLVED) ? entry->name : "-");
    return TRUE;
}

static gboolean
set_pref(const char *arg)
{
    char *copy = g_strdup(arg);
    char *errmsg = NULL;
    prefs_set_pref_e rc = prefs_set_pref(copy, &errmsg);

    if (rc != PREFS_SET_OK)
        fprintf(stderr, "ct-epanhost: bad preference \"%s\"%s%s\n", arg, errmsg ? ": " : "",
                errmsg ? errmsg : "");
    g_free(errmsg);
    g_free(copy);
    return rc == PREFS_SET_OK;
}

int
main(int argc, char **argv)
{
    GPtrArray *later = g_ptr_array_new();
    GPtrArray *stats = g_ptr_array_new();
    GPtrArray *names = g_ptr_array_new();
    GPtrArray *titles = g_ptr_array_new();
    const char *filter = NULL;
    dfilter_t *dfcode = NULL;
    guint wait_ms = 0;
    int status = 0;
    int i = 1;
    char *dir_error;

    ct_ws_log_init("ct-epanhost");
    init_process_policies();
    relinquish_special_privs_perm();
    dir_error = ct_ws_configuration_init(argv[0]);
    g_free(dir_error);
    wtap_init(TRUE);
    if (!epan_init(NULL, NULL, TRUE)) {
        fprintf(stderr, "ct-epanhost: epan_init failed\n");
        return 2;
    }
    epan_load_settings();
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-o") == 0) {
            if (!set_pref(argv[i + 1]))
                return 2;
        } else if (strcmp(argv[i], "-s") == 0) {
            g_ptr_array_add(later, argv[i + 1]);
        } else if (strcmp(argv[i], "-z") == 0) {
            g_ptr_array_add(stats, argv[i + 1]);
        } else if (strcmp(argv[i], "-w") == 0) {
            wait_ms = (guint)strtoul(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "-n") == 0) {
            g_ptr_array_add(names, argv[i + 1]);
        } else if (strcmp(argv[i], "-t") == 0) {
            g_ptr_array_add(titles, argv[i + 1]);
        } else if (strcmp(argv[i], "-Y") == 0) {
            filter = argv[i + 1];
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: ct-epanhost [-o PREF:VALUE]... [-s PREF:VALUE]... [-z STAT] "
                        "[-w MS] [-n ADDR]... [-t MODULE.PREF]... [-Y FILTER] FILE...\n");
        return 2;
    }
    prefs_apply_all();
    for (guint s = 0; s < stats->len; s++) {
        if (!process_stat_cmd_arg(g_ptr_array_index(stats, s))) {
            fprintf(stderr, "ct-epanhost: unknown statistic %s\n",
                    (char *)g_ptr_array_index(stats, s));
            return 2;
        }
    }
    start_requested_stats();
    if (filter != NULL) {
        char *message = NULL;
        if (!ct_ws_dfilter_compile(filter, &dfcode, &message) || dfcode == NULL) {
            fprintf(stderr, "ct-epanhost: bad filter \"%s\": %s\n", filter,
                    message ? message : "empty");
            return 2;
        }
    }
    for (int first = i; i < argc; i++) {
        if (i == first + 1 && later->len > 0) {
            for (guint p = 0; p < later->len; p++) {
                if (!set_pref(g_ptr_array_index(later, p)))
                    return 2;
            }
            prefs_apply_all();
        }
        if (!open_capture(argv[i], dfcode))
            status = 1;
    }
    run_main_loop(wait_ms);
    for (guint n = 0; n < names->len; n++) {
        if (!print_host_name(g_ptr_array_index(names, n)))
            status = 2;
    }
    for (guint t = 0; t < titles->len; t++) {
        if (!print_pref_title(g_ptr_array_index(titles, t)))
            status = 2;
    }
    if (dfcode != NULL)
        dfilter_free(dfcode);
    g_ptr_array_free(names, TRUE);
    g_ptr_array_free(titles, TRUE);
    g_ptr_array_free(later, TRUE);
    g_ptr_array_free(stats, TRUE);
    epan_cleanup();
    wtap_cleanup();
    return status;
}
