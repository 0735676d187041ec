/* flows.c - the flow export:
 * `tshark -q -z camtrace,flows[,csv|,jsonl|,ecs|,bulk=INDEX][,FILTER]`.
 *
 * Counts flows with a camtrace_flow_counter (counter.h) and, at the end
 * of the run, waits once for the PTR names still outstanding and writes
 * one enriched row per flow through ct_out: the seed's 26 columns first,
 * then CamTrace's own (see ct_out_flow_columns); or, for ecs and bulk,
 * one ECS document per flow with the same values (ct_ecs.h), bulk with
 * an Elasticsearch/OpenSearch _bulk action line before each.
 */
#include <wireshark.h>
#include <epan/stat_tap_ui.h>

#include <stdio.h>
#include <string.h>

#include "counter.h"
#include "exporters.h"
#include "state.h"
#include "ct_communityid.h"
#include "ct_args.h"
#include "ct_ecs.h"
#include "ct_flow.h"
#include "ct_out.h"
#include "ws-compat.h"

#define CLI_PREFIX "camtrace,flows"

/* In the order of flows_start()'s formats. */
typedef enum {
    EXPORT_CSV,
    EXPORT_JSONL,
    EXPORT_ECS,
    EXPORT_BULK,
} export_format;

/* usecs as seconds with six decimals, into text[64]; returns the length.
 * Never negative here: a flow's last packet time is its latest.  Written
 * by hand: printf was a tenth of the export's time. */
static int
format_duration(gint64 usecs, char text[64])
{
    char digits[24];
    int n = 0, len = 0;
    gint64 whole = usecs / G_USEC_PER_SEC;
    gint64 frac = usecs % G_USEC_PER_SEC;

    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    while (n > 0)
        text[len++] = digits[--n];
    text[len++] = '.';
    for (int i = 5; i >= 0; i--, frac /= 10)
        text[len + i] = (char)('0' + frac % 10);
    return len + 6;
}

/* One side's nine enrichment cells, rendered once per host and draw:
 * flows repeat the same few thousand hosts.  Keyed by the enricher's
 * ct_host pointers, so the cache is emptied whenever the enricher gives
 * hosts up (ct_enricher_evictions()). */
typedef struct {
    GHashTable *cells[2]; /* const ct_host * -> GString */
    guint64 evictions;    /* the enricher's when last checked */
} rendered_cells;

/* Whether the enricher gave hosts up since *seen, which becomes its count
 * now: the caches keyed by its ct_host pointers are to be emptied. */
static gboolean
enricher_forgot(ct_enricher *enricher, guint64 *seen)
{
    guint64 now = ct_enricher_evictions(enricher);

    if (now == *seen)
        return FALSE;
    *seen = now;
    return TRUE;
}

static void
write_side(ct_out *out, ct_out_side side, ct_enricher *enricher, const ct_host *host,
           rendered_cells *cache)
{
    char name[CT_DNS_NAME_MAX + 1];
    GString *cells;

    if (host == NULL) {
        ct_out_host(out, side, NULL, NULL);
        return;
    }
    if (enricher_forgot(enricher, &cache->evictions)) {
        g_hash_table_remove_all(cache->cells[0]);
        g_hash_table_remove_all(cache->cells[1]);
    }
    cells = g_hash_table_lookup(cache->cells[side], host);
    if (cells == NULL) {
        size_t len;
        char *text = ct_out_host_render(ct_out_get_format(out), side, host,
                                        camtrace_ptr_name(&host->addr, name) ? name : NULL, &len);
        cells = g_string_new_len(text, (gssize)len);
        g_free(text);
        g_hash_table_insert(cache->cells[side], (gpointer)host, cells);
    }
    ct_out_rendered(out, cells->str, cells->len);
}

static void
free_cells(gpointer cells)
{
    g_string_free(cells, TRUE);
}

/* The flow's Community ID (ports, else ICMP type and code) into cid;
 * false when its protocol has none. */
static gboolean
flow_community_id(const ct_flow *f, char cid[CT_COMMUNITY_ID_LEN])
{
    return ct_community_id(&f->src, &f->dst, f->proto, f->has_ports || f->has_icmp,
                           f->has_ports ? f->sport : f->icmp_type,
                           f->has_ports ? f->dport : f->icmp_code, 0, cid);
}

static void
write_port(ct_out *out, const char *key, const ct_flow *f, guint16 port)
{
    if (f->has_ports)
        ct_out_uint(out, key, port);
    else
        ct_out_null(out, key);
}

static void
write_name(ct_out *out, const char *key, const char *source_key, const ct_name *name)
{
    if (name->source == CT_NAME_NONE) {
        ct_out_null(out, key);
        ct_out_null(out, source_key);
        return;
    }
    ct_out_string(out, key, name->name);
    ct_out_string(out, source_key, ct_name_source_label(name->source));
}

/* Where an end's block is registered, and whether it is anycast (true,
 * or absent: databases mark only anycast networks). */
static void
write_registration(ct_out *out, const char *country_key, const char *anycast_key,
                   const ct_host *host)
{
    ct_out_string(out, country_key, host ? host->geo.registered_country_iso : NULL);
    camtrace_out_anycast(out, anycast_key, host != NULL && host->geo.anycast);
}

static void
write_flow(ct_out *out, rendered_cells *cache, const camtrace_flow_counter *counter, guint64 index,
           const ct_flow *f)
{
    camtrace_flow_names names;
    char text[64];
    char cid[CT_COMMUNITY_ID_LEN];
    char proto[CT_FLOW_PROTO_LABEL_SIZE];
    gint64 usecs = (f->last_sec - f->first_sec) * G_USEC_PER_SEC +
                   ((gint64)f->last_usec - (gint64)f->first_usec);
    ct_enricher *enricher = camtrace_enricher();
    const ct_host *src = NULL, *dst = NULL;
    int len;

    if (enricher != NULL) {
        src = ct_enricher_host(enricher, &f->src);
        dst = ct_enricher_host(enricher, &f->dst);
    }
    ct_out_begin(out);
    ct_out_timestamp(out, "ts", f->first_sec, f->first_usec);
    ct_out_string(out, "proto", ct_flow_proto_label(f->proto, proto));
    ct_addr_format(&f->src, text);
    ct_out_string(out, "src_ip", text);
    write_port(out, "src_port", f, f->sport);
    ct_addr_format(&f->dst, text);
    ct_out_string(out, "dst_ip", text);
    write_port(out, "dst_port", f, f->dport);
    ct_out_uint(out, "bytes", f->src_bytes + f->dst_bytes);
    ct_out_uint(out, "pkts", f->src_pkts + f->dst_pkts);
    write_side(out, CT_OUT_SRC, enricher, src, cache);
    write_side(out, CT_OUT_DST, enricher, dst, cache);

    ct_out_timestamp(out, "end_ts", f->last_sec, f->last_usec);
    len = format_duration(usecs, text);
    ct_out_number(out, "duration_s", text, (size_t)len);
    ct_out_uint(out, "src_pkts", f->src_pkts);
    ct_out_uint(out, "src_bytes", f->src_bytes);
    ct_out_uint(out, "dst_pkts", f->dst_pkts);
    ct_out_uint(out, "dst_bytes", f->dst_bytes);
    ct_out_string(out, "src_scope", ct_scope_name(src ? src->scope : ct_addr_scope(&f->src)));
    ct_out_string(out, "dst_scope", ct_scope_name(dst ? dst->scope : ct_addr_scope(&f->dst)));
    if (flow_community_id(f, cid))
        ct_out_string(out, "community_id", cid);
    else
        ct_out_null(out, "community_id");
    camtrace_flow_counter_names(counter, index, f, &names);
    write_name(out, "src_name", "src_name_source", &names.name[0]);
    write_name(out, "dst_name", "dst_name_source", &names.name[1]);
    camtrace_out_foreign(out, "foreign", camtrace_foreign(src, dst));
    write_registration(out, "src_registered_country_iso", "src_anycast", src);
    write_registration(out, "dst_registered_country_iso", "dst_anycast", dst);
    ct_out_end(out);
}

typedef struct {
    ct_out *out;
    rendered_cells *cache;
    const camtrace_flow_counter *counter;
} draw_state;

static void
draw_flow(uint64_t id, const ct_flow *f, void *data)
{
    draw_state *d = data;

    write_flow(d->out, d->cache, d->counter, id, f);
}

/* ---- ECS documents ------------------------------------------------------ */

/* A host's ECS parts, rendered once (see rendered_cells). */
typedef struct {
    char *text[CT_ECS_PARTS];
    size_t len[CT_ECS_PARTS];
} ecs_parts;

static void
free_parts(gpointer data)
{
    ecs_parts *p = data;

    for (int i = 0; i < CT_ECS_PARTS; i++)
        g_free(p->text[i]);
    g_free(p);
}

/* One end as ct_ecs writes it; name and ptr_name hold its texts. */
static void
ecs_end(ct_ecs_end *e, const camtrace_flow_counter *counter, const ct_host *host, GHashTable *cache,
        const ct_name *name, char ptr_name[CT_DNS_NAME_MAX + 1])
{
    e->host = host;
    e->has_mac = camtrace_flow_counter_mac(counter, &e->addr, e->mac);
    /* As the CSV's src_ptr: with enrichment on. */
    if (host != NULL && camtrace_ptr_name(&e->addr, ptr_name))
        e->ptr = ptr_name;
    if (name->source != CT_NAME_NONE) {
        e->name = name->name;
        e->registered_domain = name->domain;
        e->name_source = ct_name_source_label(name->source);
    }
    if (host != NULL) {
        ecs_parts *p = g_hash_table_lookup(cache, host);
        if (p == NULL) {
            p = g_new0(ecs_parts, 1);
            for (int i = 0; i < CT_ECS_PARTS; i++)
                p->text[i] = ct_ecs_render((ct_ecs_part)i, &host->addr, host, &p->len[i]);
            g_hash_table_insert(cache, (gpointer)host, p);
        }
        for (int i = 0; i < CT_ECS_PARTS; i++) {
            e->rendered[i] = p->text[i];
            e->rendered_len[i] = p->len[i];
        }
    }
}

static void
write_ecs(ct_out *out, GHashTable *cache, guint64 *evictions, const char *index,
          const camtrace_flow_counter *counter, guint64 i, const ct_flow *f)
{
    camtrace_flow_names names;
    char cid[CT_COMMUNITY_ID_LEN];
    char ptr[2][CT_DNS_NAME_MAX + 1];
    ct_enricher *enricher = camtrace_enricher();
    const ct_host *hosts[2] = {NULL, NULL};
    gboolean local[2];
    ct_ecs_flow e;

    if (enricher != NULL) {
        hosts[0] = ct_enricher_host(enricher, &f->src);
        hosts[1] = ct_enricher_host(enricher, &f->dst);
        if (enricher_forgot(enricher, evictions))
            g_hash_table_remove_all(cache);
    }
    ct_ecs_flow_init(&e);
    e.has_start = e.has_end = true;
    e.start_sec = f->first_sec;
    e.start_usec = f->first_usec;
    e.end_sec = f->last_sec;
    e.end_usec = f->last_usec;
    e.proto = f->proto;
    if (flow_community_id(f, cid))
        e.community_id = cid;
    e.has_bytes = e.has_packets = true;
    e.bytes = f->src_bytes + f->dst_bytes;
    e.packets = f->src_pkts + f->dst_pkts;
    e.foreign = camtrace_foreign(hosts[0], hosts[1]);
    e.end[0].addr = f->src;
    e.end[1].addr = f->dst;
    e.end[0].has_port = e.end[1].has_port = f->has_ports;
    e.end[0].port = f->sport;
    e.end[1].port = f->dport;
    e.end[0].has_bytes = e.end[0].has_packets = e.end[1].has_bytes = e.end[1].has_packets = true;
    e.end[0].bytes = f->src_bytes;
    e.end[0].packets = f->src_pkts;
    e.end[1].bytes = f->dst_bytes;
    e.end[1].packets = f->dst_pkts;
    camtrace_flow_counter_names(counter, i, f, &names);
    for (int s = 0; s < 2; s++)
        ecs_end(&e.end[s], counter, hosts[s], cache, &names.name[s], ptr[s]);
    /* The device: the local end, the initiator when both are. */
    local[0] = camtrace_is_local(&f->src);
    local[1] = camtrace_is_local(&f->dst);
    e.device = local[0] ? 0 : local[1] ? 1 : -1;
    if (index != NULL)
        ct_ecs_write_action(out, index);
    ct_ecs_write(out, &e);
}

typedef struct {
    ct_out *out;
    GHashTable *cache;
    guint64 evictions;
    const char *index;
    const camtrace_flow_counter *counter;
} ecs_state;

static void
draw_ecs(uint64_t id, const ct_flow *f, void *data)
{
    ecs_state *d = data;

    write_ecs(d->out, d->cache, &d->evictions, d->index, d->counter, id, f);
}

static void
ecs_draw(const camtrace_flow_counter *counter, const char *index)
{
    ct_out *out = ct_out_new(CT_OUT_JSONL, stdout);
    ecs_state d = {out, g_hash_table_new_full(NULL, NULL, NULL, free_parts), 0, index, counter};

    camtrace_ptr_settle();
    ct_flow_table_foreach(camtrace_flow_counter_flows(counter), draw_ecs, &d);
    g_hash_table_destroy(d.cache);
    camtrace_out_close(out, "flow export");
}

/* CSV or JSON Lines: the seed's columns and CamTrace's. */
static void
rows_draw(const camtrace_flow_counter *counter, ct_out_format format)
{
    ct_out *out = ct_out_new(format, stdout);
    rendered_cells cache = {
        {g_hash_table_new_full(NULL, NULL, NULL, free_cells),
         g_hash_table_new_full(NULL, NULL, NULL, free_cells)},
        0,
    };
    draw_state d = {out, &cache, counter};

    camtrace_ptr_settle();
    ct_out_header(out, ct_out_flow_columns, CT_OUT_FLOW_COLUMNS);
    ct_flow_table_foreach(camtrace_flow_counter_flows(counter), draw_flow, &d);
    g_hash_table_destroy(cache.cells[0]);
    g_hash_table_destroy(cache.cells[1]);
    camtrace_out_close(out, "flow export");
}

static void
flows_draw(const camtrace_flow_counter *counter, int format, void *data)
{
    if (format == EXPORT_ECS || format == EXPORT_BULK)
        ecs_draw(counter, format == EXPORT_BULK ? data : NULL);
    else
        rows_draw(counter, format == EXPORT_JSONL ? CT_OUT_JSONL : CT_OUT_CSV);
}

static bool
flows_start(const char *arg)
{
    static const char *const formats[] = {"csv", "jsonl", "ecs", "bulk=INDEX", NULL};
    ct_args args;
    char *index = NULL;
    GError *error = NULL;

    /* The listener reads arg again and reports what is wrong with it. */
    if (ct_args_parse(arg, CLI_PREFIX, formats, &args, NULL) && args.format == EXPORT_BULK) {
        index = g_strndup(args.value, args.value_len);
        if (!ct_ecs_index_valid(index, &error)) {
            fprintf(stderr, "tshark: invalid \"-z %s\": %s\n", arg, error->message);
            g_error_free(error);
            g_free(index);
            return FALSE;
        }
    }
    /* The ECS documents have source.mac and destination.mac. */
    return camtrace_counter_listen(arg, CLI_PREFIX, formats, "flow export",
                                   args.format == EXPORT_ECS || args.format == EXPORT_BULK,
                                   flows_draw, index, g_free);
}

CT_WS_STAT_INIT(flows_init, flows_start)

void
camtrace_flows_register(void)
{
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC, "CamTrace flows", CLI_PREFIX, flows_init, 0, NULL,
    };

    register_stat_tap_ui(&ui, NULL);
}
