/* ct_enrich.c - per-address cache of scope, geo data and a summary line.
 *
 * The summary is built once per address, and only when asked for: a
 * displayed packet tree wants it for every packet (formatting it per packet
 * would cost more than the lookups the cache saves), exports never do.
 * Hosts live until the cache is cleared or trimmed, so callers may hold
 * the pointers for the duration of a packet.
 */
#include "ct_enrich.h"

struct ct_enricher {
    ct_geo *geo;
    GHashTable *hosts; /* ct_addr* (inside the host) -> host_entry* */
    GStringChunk *summaries;
};

typedef struct {
    ct_host host; /* first: callers get &entry->host */
    const char *summary;
} host_entry;

ct_enricher *
ct_enricher_new(void)
{
    ct_enricher *e = g_new0(ct_enricher, 1);

    e->geo = ct_geo_new();
    e->hosts = g_hash_table_new_full(ct_addr_table_hash, ct_addr_table_equal, NULL, g_free);
    e->summaries = g_string_chunk_new(16 * 1024);
    return e;
}

void
ct_enricher_free(ct_enricher *e)
{
    if (e == NULL)
        return;
    g_hash_table_destroy(e->hosts);
    g_string_chunk_free(e->summaries);
    ct_geo_free(e->geo);
    g_free(e);
}

ct_geo *
ct_enricher_geo(ct_enricher *e)
{
    return e->geo;
}

void
ct_enricher_clear(ct_enricher *e)
{
    g_hash_table_remove_all(e->hosts);
    g_string_chunk_clear(e->summaries);
    ct_geo_clear_strings(e->geo);
}

void
ct_enricher_trim(ct_enricher *e, guint max_hosts)
{
    if (g_hash_table_size(e->hosts) > max_hosts)
        ct_enricher_clear(e);
}

guint
ct_enricher_size(const ct_enricher *e)
{
    return g_hash_table_size(e->hosts);
}

static const char *
make_summary(ct_enricher *e, const ct_host *h)
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
    result = g_string_chunk_insert_len(e->summaries, s->str, (gssize)s->len);
    g_string_free(s, TRUE);
    return result;
}

const ct_host *
ct_enricher_host(ct_enricher *e, const ct_addr *addr)
{
    host_entry *entry = g_hash_table_lookup(e->hosts, addr);
    ct_host *h;

    if (entry != NULL)
        return &entry->host;
    entry = g_new0(host_entry, 1);
    h = &entry->host;
    h->addr = *addr;
    h->scope = ct_addr_scope(addr);
    if (h->scope == CT_SCOPE_GLOBAL)
        ct_geo_lookup(e->geo, addr, &h->geo);
    g_hash_table_insert(e->hosts, &h->addr, entry);
    return h;
}

const char *
ct_enricher_summary(ct_enricher *e, const ct_host *host)
{
    host_entry *entry = (host_entry *)host;

    if (entry->summary == NULL)
        entry->summary = make_summary(e, host);
    return entry->summary;
}
