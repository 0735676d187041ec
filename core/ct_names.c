/* ct_names.c - see ct_names.h.
 *
 * Per address, the names learned form a short array in frame order (most
 * addresses get one or two), so "as of frame N" is a binary search.
 * Strings are interned once in a GStringChunk with their registered
 * domain, from the newest Public Suffix List on the machine (Debian's
 * publicsuffix package) or libpsl's built-in copy.
 */
#include "ct_names.h"

#include <libpsl.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *domain;
} interned;

typedef struct {
    uint32_t frame;
    ct_name_source source;
    const interned *name;
} learned;

struct ct_names {
    GHashTable *by_addr; /* ct_addr -> GArray of learned, frame order */
    GHashTable *strings; /* name -> interned */
    GStringChunk *chunk;
    const psl_ctx_t *psl;
};

const char *
ct_name_source_label(ct_name_source source)
{
    static const char *const labels[] = {NULL, "dns", "sni", "http", "ptr"};

    return (unsigned)source < G_N_ELEMENTS(labels) ? labels[source] : NULL;
}

static void
free_history(gpointer history)
{
    g_array_free(history, TRUE);
}

ct_names *
ct_names_new(void)
{
    ct_names *names = g_new0(ct_names, 1);

    names->by_addr =
        g_hash_table_new_full(ct_addr_table_hash, ct_addr_table_equal, g_free, free_history);
    names->strings = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    names->chunk = g_string_chunk_new(4096);
    /* The newest of the built-in list and the system's; never NULL for
     * the built-in one, and read-only. */
    names->psl = psl_latest(NULL);
    if (names->psl == NULL)
        names->psl = psl_builtin();
    return names;
}

void
ct_names_clear(ct_names *names)
{
    g_hash_table_remove_all(names->by_addr);
    g_hash_table_remove_all(names->strings);
    g_string_chunk_clear(names->chunk);
}

void
ct_names_free(ct_names *names)
{
    if (names == NULL)
        return;
    g_hash_table_destroy(names->by_addr);
    g_hash_table_destroy(names->strings);
    g_string_chunk_free(names->chunk);
    if (names->psl != psl_builtin())
        psl_free((psl_ctx_t *)names->psl);
    g_free(names);
}

bool
ct_names_clean(ct_name_source source, const char *text, size_t len, char out[CT_DNS_NAME_MAX + 1])
{
    ct_addr addr;

    out[0] = '\0';
    if (text == NULL)
        return false;
    if (source == CT_NAME_HTTP && len > 0) {
        /* host [ ":" port ] (RFC 9110 7.2): drop a port of digits; "[...]"
         * is an IPv6 literal.  Anything else stays as it is, to be shown
         * escaped. */
        size_t colon = len, digits = 0;
        if (text[0] == '[')
            return false;
        while (colon > 0 && g_ascii_isdigit(text[colon - 1]))
            colon--;
        digits = len - colon;
        if (colon > 0 && text[colon - 1] == ':' && digits > 0 && digits <= 5)
            len = colon - 1;
    }
    if (!ct_dns_clean_name(text, len, out))
        return false;
    /* An address is not a name, whoever sent it (a final dot included). */
    if (ct_addr_parse(out, &addr)) {
        out[0] = '\0';
        return false;
    }
    return true;
}

/* The public suffix under the ICANN rules (so "amazonaws.com", not a
 * cloud customer's subdomain from the list's private section) plus one
 * label: a suffix of name, or NULL when name is itself a public suffix.
 * Labels are split at dots that are not escaped ("\\."). */
static const char *
registered_domain(const psl_ctx_t *psl, const char *name)
{
    const char *label = name, *previous = NULL;

    for (;;) {
        if (psl_is_public_suffix2(psl, label, PSL_TYPE_ICANN))
            return previous;
        const char *p = label;
        while (*p != '\0' && *p != '.')
            p += (p[0] == '\\' && p[1] != '\0') ? 2 : 1;
        if (*p == '\0')
            return NULL;
        previous = label;
        label = p + 1;
    }
}

static const interned *
intern(ct_names *names, const char *clean_name)
{
    interned *in = g_hash_table_lookup(names->strings, clean_name);

    if (in != NULL)
        return in;
    in = g_new(interned, 1);
    in->name = g_string_chunk_insert_const(names->chunk, clean_name);
    /* A pointer into the name itself, so no copy is needed. */
    in->domain = registered_domain(names->psl, in->name);
    g_hash_table_insert(names->strings, (gpointer)in->name, in);
    return in;
}

const char *
ct_names_domain(const ct_names *names, const char *clean_name)
{
    return registered_domain(names->psl, clean_name);
}

ct_name
ct_names_intern(ct_names *names, const char *clean_name)
{
    const interned *in = intern(names, clean_name);
    ct_name out = {in->name, in->domain, CT_NAME_NONE, 0};

    return out;
}

void
ct_names_learn(ct_names *names, const ct_addr *addr, uint32_t frame, ct_name_source source,
               const char *clean_name)
{
    GArray *history = g_hash_table_lookup(names->by_addr, addr);
    learned entry;

    if (history == NULL) {
        history = g_array_sized_new(FALSE, FALSE, sizeof(learned), 1);
        g_hash_table_insert(names->by_addr, g_memdup2(addr, sizeof *addr), history);
    } else {
        const learned *last = &g_array_index(history, learned, history->len - 1);
        if (frame < last->frame)
            return;
        /* Unchanged, or this frame taught it already. */
        for (guint i = history->len; i-- > 0;) {
            const learned *e = &g_array_index(history, learned, i);
            if (e != last && e->frame != frame)
                break;
            if (e->source == source && strcmp(e->name->name, clean_name) == 0)
                return;
        }
    }
    entry.frame = frame;
    entry.source = source;
    entry.name = intern(names, clean_name);
    if (history->len >= CT_NAMES_PER_ADDRESS)
        g_array_remove_index(history, 0);
    g_array_append_val(history, entry);
}

bool
ct_names_at(const ct_names *names, const ct_addr *addr, uint32_t frame, ct_name *out)
{
    GArray *history = g_hash_table_lookup(names->by_addr, addr);
    guint lo = 0, hi;

    if (history == NULL)
        return false;
    /* The last entry whose frame is <= frame. */
    hi = history->len;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (g_array_index(history, learned, mid).frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const learned *e = &g_array_index(history, learned, lo - 1);
    out->name = e->name->name;
    out->domain = e->name->domain;
    out->source = e->source;
    out->frame = e->frame;
    return true;
}

bool
ct_names_flow_name(ct_names *names, const ct_addr *addr, const ct_name *own, uint32_t first_frame,
                   uint32_t last_frame, const char *ptr_name, ct_name *out)
{
    if (own != NULL && own->source != CT_NAME_NONE) {
        *out = *own;
        return true;
    }
    if (ct_names_at(names, addr, first_frame, out) || ct_names_at(names, addr, last_frame, out))
        return true;
    if (ptr_name != NULL) {
        *out = ct_names_intern(names, ptr_name);
        out->source = CT_NAME_PTR;
        return true;
    }
    memset(out, 0, sizeof *out);
    out->source = CT_NAME_NONE;
    return false;
}

unsigned
ct_names_size(const ct_names *names)
{
    return g_hash_table_size(names->by_addr);
}
