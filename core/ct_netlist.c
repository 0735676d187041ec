/* ct_netlist.c - see ct_netlist.h.  A plain array, searched in order: the
 * lists people type are a handful of prefixes. */
#include "ct_netlist.h"

#include <string.h>

#include "ct_status.h"

typedef struct {
    ct_addr base;
    guint bits;
} prefix;

struct ct_netlist {
    GArray *prefixes; /* prefix */
};

static bool
prefix_matches(const prefix *p, const ct_addr *addr)
{
    guint whole = p->bits / 8, rest = p->bits % 8;

    if (addr->family != p->base.family || memcmp(addr->bytes, p->base.bytes, whole) != 0)
        return false;
    return rest == 0 ||
           ((addr->bytes[whole] ^ p->base.bytes[whole]) & (guint8)(0xff << (8 - rest))) == 0;
}

static bool
parse_prefix(const char *entry, prefix *p, const char **why)
{
    const char *slash = strchr(entry, '/');
    char *addr_text = slash ? g_strndup(entry, (gsize)(slash - entry)) : g_strdup(entry);
    bool ok = ct_addr_parse(addr_text, &p->base);
    guint64 bits;
    guint max, whole, rest;

    g_free(addr_text);
    if (!ok) {
        *why = "not an IPv4 or IPv6 address";
        return false;
    }
    max = p->base.family == 4 ? 32 : 128;
    if (slash == NULL) {
        p->bits = max;
    } else if (!g_ascii_string_to_unsigned(slash + 1, 10, 0, max, &bits, NULL)) {
        *why = p->base.family == 4 ? "the prefix length must be 0 to 32"
                                   : "the prefix length must be 0 to 128";
        return false;
    } else {
        p->bits = (guint)bits;
    }
    whole = p->bits / 8;
    rest = p->bits % 8;
    for (guint i = whole; i < max / 8; i++) {
        guint8 host_bits = (guint8)(i == whole && rest != 0 ? 0xff >> rest : 0xff);
        if (p->base.bytes[i] & host_bits) {
            *why = "bits are set after the prefix length";
            return false;
        }
    }
    return true;
}

ct_netlist *
ct_netlist_parse(const char *text, GError **error)
{
    ct_netlist *list = g_new0(ct_netlist, 1);
    char **entries = g_strsplit_set(text ? text : "", ", \t", -1);

    list->prefixes = g_array_new(FALSE, FALSE, sizeof(prefix));
    for (char **e = entries; *e != NULL; e++) {
        prefix p;
        const char *why = NULL;

        if (**e == '\0')
            continue;
        if (!parse_prefix(*e, &p, &why)) {
            g_set_error(error, CT_ERROR, CT_ERR_INVALID, "\"%s\": %s", *e, why);
            g_strfreev(entries);
            ct_netlist_free(list);
            return NULL;
        }
        g_array_append_val(list->prefixes, p);
    }
    g_strfreev(entries);
    return list;
}

void
ct_netlist_free(ct_netlist *list)
{
    if (list == NULL)
        return;
    g_array_free(list->prefixes, TRUE);
    g_free(list);
}

guint
ct_netlist_size(const ct_netlist *list)
{
    return list ? list->prefixes->len : 0;
}

bool
ct_netlist_contains(const ct_netlist *list, const ct_addr *addr)
{
    for (guint i = 0; list != NULL && i < list->prefixes->len; i++) {
        if (prefix_matches(&g_array_index(list->prefixes, prefix, i), addr))
            return true;
    }
    return false;
}
