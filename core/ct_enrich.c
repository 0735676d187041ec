/* ct_enrich.c - per-address cache of scope, geo data and a summary line.
 *
 * The summary is built once per address, and only when asked for: a
 * displayed packet tree wants it for every packet (formatting it per packet
 * would cost more than the lookups the cache saves), exports never do.
 *
 * The two halves of the cache (see ct_enrich.h) are two generations, each
 * a table of hosts and the chunk of their summaries; a host knows its
 * generation, so a summary asked for after an eviction lives as long as
 * its host.  Lookups look in the current generation only: an address of
 * the older one is looked up again, as after a clear.  The strings of the
 * geo results are not dropped at an eviction: ct_geo interns them, so they
 * are bounded by the distinct values of the databases, and a clear drops
 * them.
 */
#include "ct_enrich.h"

typedef struct {
    GHashTable *hosts; /* ct_addr* (inside the host) -> host_entry* */
    GStringChunk *summaries;
} generation;

struct ct_enricher {
    ct_geo *geo;
    generation gens[2];
    int current; /* index into gens of the generation new hosts go to */
    guint half;  /* hosts a generation holds at most */
    guint64 evictions;
};

typedef struct {
    ct_host host; /* first: callers get &entry->host */
    const char *summary;
    generation *gen;
} host_entry;

ct_enricher *
ct_enricher_new(guint max_hosts)
{
    ct_enricher *e = g_new0(ct_enricher, 1);

    e->geo = ct_geo_new();
    for (int i = 0; i < 2; i++) {
        e->gens[i].hosts =
            g_hash_table_new_full(ct_addr_table_hash, ct_addr_table_equal, NULL, g_free);
        e->gens[i].summaries = g_string_chunk_new(16 * 1024);
    }
    e->half = MAX(max_hosts / 2, 1);
    return e;
}

void
ct_enricher_free(ct_enricher *e)
{
    if (e == NULL)
        return;
    for (int i = 0; i < 2; i++) {
        g_hash_table_destroy(e->gens[i].hosts);
        g_string_chunk_free(e->gens[i].summaries);
    }
    ct_geo_free(e->geo);
    g_free(e);
}

ct_geo *
ct_enricher_geo(ct_enricher *e)
{
    return e->geo;
}

static void
empty(generation *gen)
{
    g_hash_table_remove_all(gen->hosts);
    g_string_chunk_clear(gen->summaries);
}

void
ct_enricher_clear(ct_enricher *e)
{
    empty(&e->gens[0]);
    empty(&e->gens[1]);
    ct_geo_clear_strings(e->geo);
    e->evictions++;
}

/* The current generation is full: give up the older one and start a new
 * current one in its place. */
static void
evict(ct_enricher *e)
{
    e->current = 1 - e->current;
    empty(&e->gens[e->current]);
    e->evictions++;
}

guint
ct_enricher_size(const ct_enricher *e)
{
    return g_hash_table_size(e->gens[0].hosts) + g_hash_table_size(e->gens[1].hosts);
}

guint64
ct_enricher_evictions(const ct_enricher *e)
{
    return e->evictions;
}

static const char *
make_summary(const ct_host *h, GStringChunk *summaries)
{
    char text[CT_ADDR_STRLEN];
    ct_addr eff = ct_addr_effective(&h->addr);
    GString *s = g_string_sized_new(96);
    const char *result;

    ct_addr_format(&h->addr, text);
    g_string_append(s, text);
    if (!ct_addr_equal(&eff, &h->addr)) {
        ct_addr_format(&eff, text);
        g_string_append_printf(s, " (IPv4 %s)", text);
    }
    g_string_append_printf(s, ", %s", ct_scope_name(h->scope));
    if (h->geo.asn != 0)
        g_string_append_printf(s, ", AS%u", h->geo.asn);
    if (h->geo.as_org != NULL)
        g_string_append_printf(s, "%s%s", h->geo.asn ? " " : ", ", h->geo.as_org);
    if (h->geo.city != NULL)
        g_string_append_printf(s, ", %s", h->geo.city);
    if (h->geo.region != NULL)
        g_string_append_printf(s, ", %s", h->geo.region);
    if (h->geo.country != NULL)
        g_string_append_printf(s, ", %s", h->geo.country);
    result = g_string_chunk_insert_len(summaries, s->str, (gssize)s->len);
    g_string_free(s, TRUE);
    return result;
}

const ct_host *
ct_enricher_host(ct_enricher *e, const ct_addr *addr)
{
    generation *gen = &e->gens[e->current];
    host_entry *entry = g_hash_table_lookup(gen->hosts, addr);
    ct_host *h;

    if (entry != NULL)
        return &entry->host;
    if (g_hash_table_size(gen->hosts) >= e->half) {
        evict(e);
        gen = &e->gens[e->current];
    }
    entry = g_new0(host_entry, 1);
    entry->gen = gen;
    h = &entry->host;
    h->addr = *addr;
    h->scope = ct_addr_scope(addr);
    if (h->scope == CT_SCOPE_GLOBAL)
        ct_geo_lookup(e->geo, addr, &h->geo);
    g_hash_table_insert(gen->hosts, &h->addr, entry);
    return h;
}

const char *
ct_enricher_summary(ct_enricher *e, const ct_host *host)
{
    host_entry *entry = (host_entry *)host;

    (void)e;
    if (entry->summary == NULL)
        entry->summary = make_summary(host, entry->gen->summaries);
    return entry->summary;
}
