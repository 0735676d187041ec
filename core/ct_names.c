/* ct_names.c - see ct_names.h.
 *
 * Per address, the names learned form a short array in frame order (most
 * addresses get one or two), so "as of frame N" is a binary search.  The
 * addresses are also a list from the most to the least recently used,
 * whose tail is forgotten when the bound is reached.
 *
 * Strings are interned once with their registered domain, from the
 * newest Public Suffix List on the machine (Debian's publicsuffix package)
 * or libpsl's built-in copy, and counted: each history entry holds a
 * reference.  A name no entry holds goes to the spare list (newest first)
 * and is freed when more than CT_NAMES_SPARE are spare; learning it again
 * takes it back.
 */
#include "ct_names.h"

#include <libpsl.h>
#include <string.h>

typedef struct {
    const char *domain; /* inside name, or NULL */
    guint refs;         /* history entries holding it */
    GList spare;        /* in names->spare while refs is 0; data: this */
    char name[];
} interned;

typedef struct {
    uint32_t frame;
    ct_name_source source;
    interned *name;
} learned;

typedef struct {
    ct_addr addr;    /* the key of by_addr */
    GList use;       /* in names->use; data: this */
    GArray *history; /* learned, frame order */
} address;

struct ct_names {
    GHashTable *by_addr; /* ct_addr (in the address) -> address */
    GHashTable *strings; /* name (in the interned) -> interned */
    GQueue use;          /* address, most recently used first */
    GQueue spare;        /* interned with no reference, newest first */
    guint max;
    guint64 forgotten;
    const psl_ctx_t *psl;
};

const char *
ct_name_source_label(ct_name_source source)
{
    static const char *const labels[] = {NULL, "dns", "sni", "http", "ptr"};

    return (unsigned)source < G_N_ELEMENTS(labels) ? labels[source] : NULL;
}

static void
free_interned(gpointer p)
{
    g_free(p);
}

ct_names *
ct_names_new(guint max_addresses)
{
    ct_names *names = g_new0(ct_names, 1);

    names->by_addr = g_hash_table_new(ct_addr_table_hash, ct_addr_table_equal);
    names->strings = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_interned);
    g_queue_init(&names->use);
    g_queue_init(&names->spare);
    names->max = max_addresses == 0 ? CT_NAMES_MAX_ADDRESSES : max_addresses;
    /* The newest of the built-in list and the system's; never NULL for
     * the built-in one, and read-only. */
    names->psl = psl_latest(NULL);
    if (names->psl == NULL)
        names->psl = psl_builtin();
    return names;
}

static void
free_address(address *a)
{
    g_array_free(a->history, TRUE);
    g_free(a);
}

void
ct_names_clear(ct_names *names)
{
    GList *l;

    while ((l = g_queue_pop_head_link(&names->use)) != NULL)
        free_address(l->data);
    g_hash_table_remove_all(names->by_addr);
    g_queue_init(&names->spare);
    g_hash_table_remove_all(names->strings);
    names->forgotten = 0;
}

void
ct_names_free(ct_names *names)
{
    if (names == NULL)
        return;
    ct_names_clear(names);
    g_hash_table_destroy(names->by_addr);
    g_hash_table_destroy(names->strings);
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

/* A name nobody holds: spare, and the oldest spare ones beyond
 * CT_NAMES_SPARE freed. */
static void
make_spare(ct_names *names, interned *in)
{
    g_queue_push_head_link(&names->spare, &in->spare);
    while (names->spare.length > CT_NAMES_SPARE) {
        interned *old = g_queue_pop_tail_link(&names->spare)->data;
        g_hash_table_remove(names->strings, old->name);
    }
}

static interned *
intern(ct_names *names, const char *clean_name)
{
    interned *in = g_hash_table_lookup(names->strings, clean_name);
    size_t len;

    if (in != NULL) {
        if (in->refs == 0) {
            /* Interned again: the newest spare. */
            g_queue_unlink(&names->spare, &in->spare);
            g_queue_push_head_link(&names->spare, &in->spare);
        }
        return in;
    }
    len = strlen(clean_name);
    in = g_malloc(sizeof *in + len + 1);
    memcpy(in->name, clean_name, len + 1);
    in->refs = 0;
    in->spare = (GList){in, NULL, NULL};
    /* A pointer into the name itself, so no copy is needed. */
    in->domain = registered_domain(names->psl, in->name);
    g_hash_table_insert(names->strings, in->name, in);
    make_spare(names, in);
    return in;
}

static void
hold(ct_names *names, interned *in)
{
    if (in->refs++ == 0)
        g_queue_unlink(&names->spare, &in->spare);
}

static void
let_go(ct_names *names, interned *in)
{
    if (--in->refs == 0)
        make_spare(names, in);
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

/* The least recently used address forgotten, with its names let go. */
static void
forget_oldest(ct_names *names)
{
    address *a = g_queue_pop_tail_link(&names->use)->data;

    for (guint i = 0; i < a->history->len; i++)
        let_go(names, g_array_index(a->history, learned, i).name);
    g_hash_table_remove(names->by_addr, &a->addr);
    free_address(a);
    names->forgotten++;
}

static void
touch(ct_names *names, address *a)
{
    if (names->use.head == &a->use)
        return;
    g_queue_unlink(&names->use, &a->use);
    g_queue_push_head_link(&names->use, &a->use);
}

void
ct_names_learn(ct_names *names, const ct_addr *addr, uint32_t frame, ct_name_source source,
               const char *clean_name)
{
    address *a = g_hash_table_lookup(names->by_addr, addr);
    GArray *history;
    learned entry;

    if (a == NULL) {
        if (g_hash_table_size(names->by_addr) >= names->max)
            forget_oldest(names);
        a = g_new(address, 1);
        a->addr = *addr;
        a->use = (GList){a, NULL, NULL};
        a->history = g_array_sized_new(FALSE, FALSE, sizeof(learned), 1);
        g_queue_push_head_link(&names->use, &a->use);
        g_hash_table_insert(names->by_addr, &a->addr, a);
    } else {
        const learned *last = &g_array_index(a->history, learned, a->history->len - 1);
        touch(names, a);
        if (frame < last->frame)
            return;
        /* Unchanged, or this frame taught it already. */
        for (guint i = a->history->len; i-- > 0;) {
            const learned *e = &g_array_index(a->history, learned, i);
            if (e != last && e->frame != frame)
                break;
            if (e->source == source && strcmp(e->name->name, clean_name) == 0)
                return;
        }
    }
    history = a->history;
    entry.frame = frame;
    entry.source = source;
    entry.name = intern(names, clean_name);
    hold(names, entry.name);
    if (history->len >= CT_NAMES_PER_ADDRESS) {
        let_go(names, g_array_index(history, learned, 0).name);
        g_array_remove_index(history, 0);
    }
    g_array_append_val(history, entry);
}

bool
ct_names_at(ct_names *names, const ct_addr *addr, uint32_t frame, ct_name *out)
{
    address *a = g_hash_table_lookup(names->by_addr, addr);
    GArray *history;
    guint lo = 0, hi;

    if (a == NULL)
        return false;
    touch(names, a);
    history = a->history;
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

unsigned
ct_names_max(const ct_names *names)
{
    return names->max;
}

guint64
ct_names_forgotten(const ct_names *names)
{
    return names->forgotten;
}

unsigned
ct_names_interned(const ct_names *names)
{
    return g_hash_table_size(names->strings);
}
