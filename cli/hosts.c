/* hosts.c - see hosts.h.
 *
 * Open addressing with linear probing, at most half full; slots hold the
 * hash and the entry, so a probe compares 32-bit hashes and touches an
 * entry only on a match.  (An index into the entries instead made slots
 * half the size but cost one more cache miss per lookup: with --ecs the
 * array of entries fell out of the cache as often as the slots.)  Fibonacci hashing spreads
 * ct_addr_hash()'s FNV low bits, which index the table.
 *
 * Measured with bench/cli.sh's records (20,000 global addresses, ASN and
 * City lookups, CSV to /dev/null; 2 shared cores, binaries alternated,
 * medians): with this table 200,000 records take 0.16 s and 1,000,000
 * 0.56 to 0.77 s; with ct_enricher_host() and ct_out_host() per record
 * instead, 0.24 to 0.29 s and 1.05 to 1.15 s.
 */
#include "hosts.h"

#include <string.h>

#include "ct_ecs.h"

typedef struct {
    uint32_t hash;
    host_entry *entry; /* NULL: free */
} host_slot;

struct host_table {
    host_slot *slots;
    size_t mask;
    GPtrArray *entries; /* host_entry*, owned */
    ct_enricher *enricher;
    ct_out_format format;
    bool ecs;
    host_entry *no_host;    /* enrichment off: empty cells */
    guint64 evictions_seen; /* the enricher's, as of the last check */
};

/* An entry for host (NULL: enrichment off) with both sides rendered. */
static host_entry *
host_entry_new(ct_out_format format, bool ecs, const ct_addr *addr, const ct_host *host)
{
    size_t len[2];
    char *text[2];
    host_entry *h;

    if (ecs) {
        /* The address and the two parts, in the order the document uses
         * them (the address first, within the lines that hosts_candidate()
         * prefetches however long the parts are); without a host, nothing (the
         * parts are written live). */
        char ip[CT_ADDR_STRLEN];
        size_t ip_len;
        if (host == NULL)
            return g_malloc0(sizeof *h);
        ct_addr_format(addr, ip);
        ip_len = strlen(ip);
        text[0] = ct_ecs_render(CT_ECS_PART_ENDPOINT, addr, host, &len[0]);
        text[1] = ct_ecs_render(CT_ECS_PART_CUSTOM, addr, host, &len[1]);
        h = g_malloc0(sizeof *h + ip_len + len[0] + len[1] + 3);
        h->addr = *addr;
        h->host = host;
        h->local = ct_scope_is_local(host->scope);
        memcpy(h->text, ip, ip_len + 1);
        memcpy(h->text + ip_len + 1, text[0], len[0] + 1);
        memcpy(h->text + ip_len + len[0] + 2, text[1], len[1] + 1);
        h->ip = h->text;
        h->cells[0] = h->text + ip_len + 1;
        h->len[0] = len[0];
        h->cells[1] = h->text + ip_len + len[0] + 2;
        h->len[1] = len[1];
        g_free(text[0]);
        g_free(text[1]);
        return h;
    }

    text[0] = ct_out_host_render(format, CT_OUT_SRC, host, NULL, &len[0]);
    /* CSV has no names: both sides are the same text. */
    text[1] =
        format == CT_OUT_CSV ? NULL : ct_out_host_render(format, CT_OUT_DST, host, NULL, &len[1]);
    if (format == CT_OUT_CSV)
        len[1] = 0;
    h = g_malloc(sizeof *h + len[0] + len[1] + 2);
    h->addr = *addr;
    h->host = host;
    h->ip = NULL;
    h->local = false;
    memcpy(h->text, text[0], len[0] + 1);
    if (len[1] > 0)
        memcpy(h->text + len[0] + 1, text[1], len[1]);
    h->text[len[0] + 1 + len[1]] = '\0';
    h->cells[0] = h->text;
    h->len[0] = len[0];
    h->cells[1] = format == CT_OUT_CSV ? h->text : h->text + len[0] + 1;
    h->len[1] = format == CT_OUT_CSV ? len[0] : len[1];
    g_free(text[0]);
    g_free(text[1]);
    return h;
}

uint32_t
hosts_hash(const ct_addr *addr)
{
    return ct_addr_hash(addr) * 2654435769u;
}

host_table *
hosts_new(ct_enricher *enricher, ct_out_format format, bool ecs)
{
    host_table *t = g_new0(host_table, 1);

    t->mask = 4096 - 1;
    t->slots = g_new0(host_slot, t->mask + 1);
    t->entries = g_ptr_array_new_with_free_func(g_free);
    t->enricher = enricher;
    t->format = format;
    t->ecs = ecs;
    if (enricher == NULL) {
        ct_addr none = {0};
        t->no_host = host_entry_new(format, ecs, &none, NULL);
    }
    return t;
}

static void
host_table_clear(host_table *t)
{
    memset(t->slots, 0, (t->mask + 1) * sizeof *t->slots);
    g_ptr_array_set_size(t->entries, 0);
}

void
hosts_free(host_table *t)
{
    if (t == NULL)
        return;
    g_free(t->slots);
    g_ptr_array_free(t->entries, TRUE);
    g_free(t->no_host);
    g_free(t);
}

static void
host_table_put(host_table *t, uint32_t hash, host_entry *h)
{
    size_t i = hash >> 8 & t->mask;

    while (t->slots[i].entry != NULL)
        i = (i + 1) & t->mask;
    t->slots[i].hash = hash;
    t->slots[i].entry = h;
}

static void
host_table_grow(host_table *t)
{
    g_free(t->slots);
    t->mask = t->mask * 2 + 1;
    t->slots = g_new0(host_slot, t->mask + 1);
    for (guint i = 0; i < t->entries->len; i++) {
        host_entry *h = g_ptr_array_index(t->entries, i);
        host_table_put(t, hosts_hash(&h->addr), h);
    }
}

void
hosts_prefetch(const host_table *t, uint32_t hash)
{
    __builtin_prefetch(&t->slots[hash >> 8 & t->mask]);
}

host_entry *
hosts_candidate(const host_table *t, uint32_t hash)
{
    if (t->enricher == NULL)
        return NULL;
    for (size_t i = hash >> 8 & t->mask; t->slots[i].entry != NULL; i = (i + 1) & t->mask) {
        if (t->slots[i].hash == hash) {
            host_entry *h = t->slots[i].entry;
            __builtin_prefetch(h);
            __builtin_prefetch((const char *)h + 64);
            __builtin_prefetch((const char *)h + 128);
            /* ECS parts are longer than the CSV or JSON Lines cells. */
            if (t->ecs) {
                __builtin_prefetch((const char *)h + 192);
                __builtin_prefetch((const char *)h + 256);
                __builtin_prefetch((const char *)h + 320);
            }
            return h;
        }
    }
    return NULL;
}

host_entry *
hosts_lookup(host_table *t, const ct_addr *addr, uint32_t hash, host_entry *candidate)
{
    host_entry *h;

    if (t->enricher == NULL)
        return t->no_host;
    if (candidate != NULL && ct_addr_equal(&candidate->addr, addr))
        return candidate;
    for (size_t i = hash >> 8 & t->mask; t->slots[i].entry != NULL; i = (i + 1) & t->mask) {
        if (t->slots[i].hash == hash) {
            h = t->slots[i].entry;
            if (ct_addr_equal(&h->addr, addr))
                return h;
        }
    }
    h = host_entry_new(t->format, t->ecs, addr, ct_enricher_host(t->enricher, addr));
    g_ptr_array_add(t->entries, h);
    if (t->entries->len * 2 > t->mask + 1)
        host_table_grow(t);
    else
        host_table_put(t, hash, h);
    return h;
}

void
hosts_forget_given_up(host_table *t)
{
    guint64 evictions;

    if (t->enricher == NULL)
        return;
    /* Our entries point into the enricher's. */
    evictions = ct_enricher_evictions(t->enricher);
    if (evictions != t->evictions_seen) {
        host_table_clear(t);
        t->evictions_seen = evictions;
    }
}
