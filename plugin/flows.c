/* flows.c - the flow export: `tshark -q -z camtrace,flows[,csv|jsonl][,FILTER]`.
 *
 * The post-dissector hands every IP packet to the "camtrace" tap (only
 * while a flow export listens), described as a ct_flow_packet: the
 * innermost IP header pair that the camtrace fields describe, its
 * protocol, and ports or ICMP type when the transport header belongs to
 * that IP header.  The listener counts packets into a ct_flow_table and,
 * when a flow appears, asks for the PTR names of both ends without
 * waiting; at the end of the run it waits once for the names still
 * outstanding and writes one enriched row per flow.
 *
 * Which transport header: pinfo->ptype and ports are whatever the last
 * transport dissector set, which for an ICMP error is the quoted packet
 * and for a tunnel may be the outer header.  So the layers of the packet
 * are walked: the last IP layer before any ICMP layer is the innermost
 * header (the one in pinfo->net_src/net_dst), and the first layer after
 * it that is not an IPv6 extension header or AH is its payload.
 *
 * TCP handshake flags (to find the initiator) are not in packet_info;
 * each export also listens to the "tcp" tap, which runs before ours for
 * the same packet, and keeps the SYNs of the current frame.
 */

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto_data.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-icmp.h>
#include <epan/dissectors/packet-tcp.h>

#include <stdio.h>
#include <string.h>

#include "camtrace.h"
#include "ct_communityid.h"
#include "ct_flow.h"
#include "ct_out.h"
#include "ws-compat.h"

#define CLI_PREFIX "camtrace,flows"

static int camtrace_tap = -1;

/* Protocol ids, looked up on first use (other protocols register after
 * us). */
static gboolean ids_known;
static int proto_ip, proto_ipv6, proto_icmp, proto_icmpv6, proto_tcp, proto_udp, proto_sctp,
    proto_ah;

/* The SYN or SYN-ACK segments of the frame being tapped. */
typedef struct {
    ct_addr src, dst;
    guint16 sport, dport;
    guint8 flags;
} tcp_mark;

/* Owned by the "tcp" listener that fills it, and freed with it: epan
 * frees all listeners at exit (tap_cleanup()), calling each finish
 * callback while it walks the list, so a finish callback must not remove
 * another listener. */
typedef struct {
    guint32 frame;
    GArray *marks; /* tcp_mark */
} tcp_marks;

/* The first server name a flow's packets gave (ClientHello, Host). */
typedef struct {
    ct_addr server;
    ct_name name;
} flow_own;

struct camtrace_flow_counter {
    ct_flow_table *flows;
    tcp_marks *syns;
    GHashTable *own;  /* flow index -> flow_own */
    GHashTable *macs; /* local ct_addr -> its first Ethernet address, or NULL */
};

typedef struct {
    camtrace_flow_counter *counter; /* first: see camtrace_counting_tap_start() */
    ct_out_format format;
} flows_export;

static void
find_protocol_ids(void)
{
    ids_known = TRUE;
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_udp = proto_get_id_by_filter_name("udp");
    proto_sctp = proto_get_id_by_filter_name("sctp");
    proto_ah = proto_get_id_by_filter_name("ah");
}

static gboolean
is_extension_header(int id)
{
    const char *name;

    /* Nearly every packet: decided without looking at names. */
    if (id == proto_tcp || id == proto_udp || id == proto_icmp || id == proto_icmpv6 ||
        id == proto_sctp)
        return FALSE;
    if (id == proto_ah)
        return TRUE;
    name = proto_get_protocol_filter_name(id);
    return name != NULL && strncmp(name, "ipv6.", 5) == 0;
}

/* IPv6 does not record the final next-header value; name the common
 * payloads that Wireshark dissects. */
static guint8
ipv6_payload_number(int id)
{
    static const struct {
        const char *name;
        guint8 number;
    } known[] = {
        {"udplite", 136}, {"dccp", 33},  {"esp", 50},   {"gre", 47},   {"ospf", 89},
        {"pim", 103},     {"vrrp", 112}, {"eigrp", 88}, {"l2tp", 115}, {"etherip", 97},
    };
    const char *name = proto_get_protocol_filter_name(id);

    for (size_t i = 0; name != NULL && i < G_N_ELEMENTS(known); i++) {
        if (strcmp(name, known[i].name) == 0)
            return known[i].number;
    }
    return 255; /* IANA "Reserved": not known */
}

/* Fills the protocol, ports and ICMP type of pkt from pinfo's layers. */
static void
describe_transport(packet_info *pinfo, ct_flow_packet *pkt)
{
    guint n = 1, ip_layer = 0;
    int ip_id = -1, payload = -1;

    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f != NULL;
         f = wmem_list_frame_next(f), n++) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));

        if (id == proto_ip || id == proto_ipv6) {
            ip_layer = n;
            ip_id = id;
            payload = -1;
        } else if (ip_layer != 0 && payload < 0 && !is_extension_header(id)) {
            payload = id;
            if (id == proto_icmp || id == proto_icmpv6)
                break; /* what follows is the quoted packet */
        }
    }

    if (payload == proto_tcp || payload == proto_udp || payload == proto_sctp) {
        port_type expect = payload == proto_tcp ? PT_TCP : payload == proto_udp ? PT_UDP : PT_SCTP;
        pkt->proto = payload == proto_tcp ? 6 : payload == proto_udp ? 17 : 132;
        if (pinfo->ptype == expect) {
            pkt->has_ports = true;
            pkt->sport = (guint16)pinfo->srcport;
            pkt->dport = (guint16)pinfo->destport;
        }
    } else if (payload >= 0 && (payload == proto_icmp || payload == proto_icmpv6)) {
        const icmp_info_t *icmp = p_get_proto_data(wmem_file_scope(), pinfo, payload, 0);
        pkt->proto = payload == proto_icmp ? 1 : 58;
        if (icmp != NULL) {
            pkt->has_icmp = true;
            pkt->icmp_type = icmp->type;
            pkt->icmp_code = icmp->code;
        }
    } else if (ip_id == proto_ip) {
        /* packet-ip.c stores the protocol number under its layer. */
        pkt->proto =
            (guint8)GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_ip, ip_layer));
    } else {
        pkt->proto = payload >= 0 ? ipv6_payload_number(payload) : 255;
    }
}

gboolean
camtrace_flows_listening(void)
{
    return have_tap_listener(camtrace_tap);
}

void
camtrace_flows_tap(packet_info *pinfo, const ct_addr *src, const ct_addr *dst, const ct_name *own)
{
    camtrace_tap_packet *tp;
    ct_flow_packet *pkt;

    if (!have_tap_listener(camtrace_tap))
        return;
    if (!ids_known)
        find_protocol_ids();
    tp = wmem_new0(pinfo->pool, camtrace_tap_packet);
    pkt = &tp->flow;
    pkt->src = *src;
    pkt->dst = *dst;
    pkt->sec = (gint64)pinfo->abs_ts.secs;
    pkt->usec = (guint32)(pinfo->abs_ts.nsecs / 1000);
    pkt->bytes = pinfo->fd->pkt_len;
    pkt->frame = pinfo->num;
    describe_transport(pinfo, pkt);
    if (own != NULL)
        tp->own = *own;
    if (pinfo->dl_src.type == AT_ETHER && pinfo->dl_src.len == 6) {
        tp->has_mac = TRUE;
        memcpy(tp->src_mac, pinfo->dl_src.data, 6);
    }
    tap_queue_packet(camtrace_tap, pinfo, tp);
}

static tap_packet_status
tcp_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
           tap_flags_t flags _U_)
{
    tcp_marks *syns = tapdata;
    const struct tcpheader *th = data;
    tcp_mark mark;

    if (syns->frame != pinfo->num) {
        syns->frame = pinfo->num;
        g_array_set_size(syns->marks, 0);
    }
    if (!(th->th_flags & TH_SYN) || !camtrace_to_ct_addr(&th->ip_src, &mark.src) ||
        !camtrace_to_ct_addr(&th->ip_dst, &mark.dst))
        return TAP_PACKET_DONT_REDRAW;
    mark.sport = th->th_sport;
    mark.dport = th->th_dport;
    mark.flags = CT_FLOW_TCP_SYN | ((th->th_flags & TH_ACK) ? CT_FLOW_TCP_ACK : 0);
    g_array_append_val(syns->marks, mark);
    return TAP_PACKET_DONT_REDRAW;
}

static void
tcp_finish(void *tapdata)
{
    tcp_marks *syns = tapdata;

    g_array_free(syns->marks, TRUE);
    g_free(syns);
}

static guint8
tcp_flags_of(const tcp_marks *syns, guint32 frame, const ct_flow_packet *pkt)
{
    if (syns->frame != frame || pkt->proto != 6 || !pkt->has_ports)
        return 0;
    for (guint i = 0; i < syns->marks->len; i++) {
        const tcp_mark *m = &g_array_index(syns->marks, tcp_mark, i);
        if (m->sport == pkt->sport && m->dport == pkt->dport && ct_addr_equal(&m->src, &pkt->src) &&
            ct_addr_equal(&m->dst, &pkt->dst))
            return m->flags;
    }
    return 0;
}

camtrace_flow_counter *
camtrace_flow_counter_new(gboolean want_macs, GString **error)
{
    camtrace_flow_counter *c;
    tcp_marks *syns = g_new0(tcp_marks, 1);

    syns->marks = g_array_new(FALSE, FALSE, sizeof(tcp_mark));
    *error = register_tap_listener("tcp", syns, NULL, TL_REQUIRES_NOTHING, NULL, tcp_packet, NULL,
                                   tcp_finish);
    if (*error != NULL) {
        /* A listener that failed to register never calls finish. */
        tcp_finish(syns);
        return NULL;
    }
    c = g_new0(camtrace_flow_counter, 1);
    c->flows = ct_flow_table_new();
    c->syns = syns;
    c->own = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    if (want_macs)
        c->macs = g_hash_table_new_full(ct_addr_table_hash, ct_addr_table_equal, g_free, g_free);
    return c;
}

void
camtrace_flow_counter_free(camtrace_flow_counter *c)
{
    if (c == NULL)
        return;
    /* c->syns stays with its listener (see tcp_marks). */
    ct_flow_table_free(c->flows);
    g_hash_table_destroy(c->own);
    if (c->macs != NULL)
        g_hash_table_destroy(c->macs);
    g_free(c);
}

void
camtrace_flow_counter_reset(camtrace_flow_counter *c)
{
    ct_flow_table_clear(c->flows);
    g_hash_table_remove_all(c->own);
    if (c->macs != NULL)
        g_hash_table_remove_all(c->macs);
    g_array_set_size(c->syns->marks, 0);
    c->syns->frame = 0;
}

guint64
camtrace_flow_counter_add(camtrace_flow_counter *c, packet_info *pinfo,
                          const camtrace_tap_packet *data, gboolean *is_new)
{
    ct_flow_packet pkt = data->flow;
    uint64_t index;

    pkt.tcp_flags = tcp_flags_of(c->syns, pinfo->num, &pkt);
    *is_new = ct_flow_table_add(c->flows, &pkt, &index);
    if (*is_new) {
        camtrace_ptr_ask(&pkt.src);
        camtrace_ptr_ask(&pkt.dst);
    }
    if (data->own.source != CT_NAME_NONE && !g_hash_table_contains(c->own, &index)) {
        gint64 *key = g_new(gint64, 1);
        flow_own *own = g_new(flow_own, 1);
        *key = (gint64)index;
        own->server = pkt.dst;
        own->name = data->own;
        g_hash_table_insert(c->own, key, own);
    }
    if (c->macs != NULL && data->has_mac && ct_scope_is_local(ct_addr_scope(&pkt.src)) &&
        !g_hash_table_contains(c->macs, &pkt.src))
        g_hash_table_insert(c->macs, g_memdup2(&pkt.src, sizeof pkt.src),
                            g_memdup2(data->src_mac, 6));
    return index;
}

gboolean
camtrace_flow_counter_mac(const camtrace_flow_counter *c, const ct_addr *addr, guint8 mac[6])
{
    const guint8 *found = c->macs ? g_hash_table_lookup(c->macs, addr) : NULL;

    if (found != NULL)
        memcpy(mac, found, 6);
    return found != NULL;
}

void
camtrace_flow_counter_names(const camtrace_flow_counter *c, guint64 i, const ct_flow *flow,
                            camtrace_flow_names *out)
{
    const flow_own *own = g_hash_table_lookup(c->own, &(gint64){(gint64)i});
    const ct_addr *ends[2] = {&flow->src, &flow->dst};

    for (int s = 0; s < 2; s++) {
        gboolean is_server = own != NULL && ct_addr_equal(&own->server, ends[s]);
        camtrace_flow_name(ends[s], is_server ? &own->name : NULL, flow->first_frame,
                           flow->last_frame, &out->name[s]);
    }
}

const ct_flow_table *
camtrace_flow_counter_flows(const camtrace_flow_counter *c)
{
    return c->flows;
}

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
 * ct_host pointers, so the cache is emptied whenever the enricher trims. */
typedef struct {
    GHashTable *cells[2]; /* const ct_host * -> GString */
    guint hosts;          /* enricher size when last checked */
} rendered_cells;

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
    if (ct_enricher_size(enricher) < cache->hosts) {
        g_hash_table_remove_all(cache->cells[0]);
        g_hash_table_remove_all(cache->cells[1]);
    }
    cache->hosts = ct_enricher_size(enricher);
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

void
camtrace_out_foreign(ct_out *out, const char *key, int foreign)
{
    if (foreign < 0)
        ct_out_null(out, key);
    else if (foreign)
        ct_out_number(out, key, "true", 4);
    else
        ct_out_number(out, key, "false", 5);
}

const char *
camtrace_foreign_text(int foreign)
{
    return foreign < 0 ? "" : foreign ? "yes" : "no";
}

static void
write_flow(ct_out *out, ct_enricher *enricher, rendered_cells *cache,
           const camtrace_flow_counter *counter, guint64 index, const ct_flow *f)
{
    camtrace_flow_names names;
    char text[64];
    char cid[CT_COMMUNITY_ID_LEN];
    const char *proto = ct_flow_proto_name(f->proto);
    gint64 usecs = (f->last_sec - f->first_sec) * G_USEC_PER_SEC +
                   ((gint64)f->last_usec - (gint64)f->first_usec);
    const ct_host *src = NULL, *dst = NULL;
    int len;

    if (enricher != NULL) {
        ct_enricher_trim(enricher, CAMTRACE_MAX_HOSTS);
        src = ct_enricher_host(enricher, &f->src);
        dst = ct_enricher_host(enricher, &f->dst);
    }
    ct_out_begin(out);
    ct_out_timestamp(out, "ts", f->first_sec, f->first_usec);
    if (proto == NULL) {
        g_snprintf(text, sizeof text, "%u", f->proto);
        proto = text;
    }
    ct_out_string(out, "proto", proto);
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
    if (ct_community_id(&f->src, &f->dst, f->proto, f->has_ports || f->has_icmp,
                        f->has_ports ? f->sport : f->icmp_type,
                        f->has_ports ? f->dport : f->icmp_code, 0, cid))
        ct_out_string(out, "community_id", cid);
    else
        ct_out_null(out, "community_id");
    camtrace_flow_counter_names(counter, index, f, &names);
    write_name(out, "src_name", "src_name_source", &names.name[0]);
    write_name(out, "dst_name", "dst_name_source", &names.name[1]);
    camtrace_out_foreign(out, "foreign", camtrace_foreign(src, dst));
    ct_out_end(out);
}

static void
flows_draw(void *tapdata)
{
    flows_export *ex = tapdata;
    ct_out *out = ct_out_new(ex->format, stdout);
    ct_enricher *enricher = camtrace_enricher();
    const ct_flow_table *flows = camtrace_flow_counter_flows(ex->counter);
    guint64 n = ct_flow_table_size(flows);
    GError *error = NULL;
    rendered_cells cache = {
        {g_hash_table_new_full(NULL, NULL, NULL, free_cells),
         g_hash_table_new_full(NULL, NULL, NULL, free_cells)},
        0,
    };

    camtrace_ptr_settle();
    ct_out_header(out, ct_out_flow_columns, CT_OUT_FLOW_COLUMNS);
    for (guint64 i = 0; i < n; i++) {
        ct_flow f;
        ct_flow_table_get(flows, i, &f);
        write_flow(out, enricher, &cache, ex->counter, i, &f);
    }
    g_hash_table_destroy(cache.cells[0]);
    g_hash_table_destroy(cache.cells[1]);
    if (!ct_out_finish(out, &error)) {
        camtrace_warn("flow export: %s", error->message);
        g_error_free(error);
    }
    ct_out_free(out);
}

static tap_packet_status
counting_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                tap_flags_t flags _U_)
{
    camtrace_flow_counter **counter = tapdata;
    gboolean is_new;

    camtrace_flow_counter_add(*counter, pinfo, data, &is_new);
    return TAP_PACKET_DONT_REDRAW;
}

static void
counting_reset(void *tapdata)
{
    camtrace_flow_counter **counter = tapdata;

    camtrace_flow_counter_reset(*counter);
}

/* The listener's data was allocated with g_new(): free it with its counter. */
static void
counting_finish(void *tapdata)
{
    camtrace_flow_counter **counter = tapdata;

    camtrace_flow_counter_free(*counter);
    g_free(tapdata);
}

/* PREFIX, then optionally "," and one of formats (the first is the
 * default), then optionally "," and a display filter. */
static gboolean
parse_arguments(const char *arg, const char *prefix, const char *const *formats, int *format,
                const char **filter)
{
    const char *rest = arg + strlen(prefix);

    *format = 0;
    *filter = NULL;
    if (*rest == '\0')
        return TRUE;
    if (*rest++ != ',')
        return FALSE;
    for (int i = 0; formats[i] != NULL; i++) {
        size_t len = strlen(formats[i]);
        if (strncmp(rest, formats[i], len) == 0 && (rest[len] == '\0' || rest[len] == ',')) {
            *format = i;
            rest += len;
            if (*rest == ',')
                *filter = rest + 1;
            return TRUE;
        }
    }
    *filter = rest;
    return TRUE;
}

int
camtrace_counting_tap_start(const char *arg, const char *prefix, const char *const *formats,
                            const char *what, camtrace_flow_counter **tapdata, gboolean want_macs,
                            tap_draw_cb draw)
{
    const char *filter;
    int format;
    GString *error;

    if (!parse_arguments(arg, prefix, formats, &format, &filter)) {
        char *choices = g_strjoinv("|,", (char **)formats);
        fprintf(stderr, "tshark: invalid \"-z %s\": use -z %s[,%s][,FILTER]\n", arg, prefix,
                choices);
        g_free(choices);
        return -1;
    }
    *tapdata = camtrace_flow_counter_new(want_macs, &error);
    if (error == NULL)
        error = register_tap_listener("camtrace", tapdata, filter, TL_REQUIRES_NOTHING,
                                      counting_reset, counting_packet, draw, counting_finish);
    if (error != NULL) {
        /* No listener owns the data: a failed registration never finishes. */
        fprintf(stderr, "tshark: cannot start the %s \"-z %s\": %s\n", what, arg, error->str);
        g_string_free(error, TRUE);
        camtrace_flow_counter_free(*tapdata);
        g_free(tapdata);
        return -1;
    }
    return format;
}

static bool
flows_start(const char *arg)
{
    static const char *const formats[] = {"csv", "jsonl", NULL};
    flows_export *ex = g_new0(flows_export, 1);
    int format = camtrace_counting_tap_start(arg, CLI_PREFIX, formats, "flow export", &ex->counter,
                                             FALSE, flows_draw);

    if (format < 0)
        return false;
    ex->format = format == 1 ? CT_OUT_JSONL : CT_OUT_CSV;
    return true;
}

CT_WS_STAT_INIT(flows_init, flows_start)

void
camtrace_flows_register(void)
{
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC, "CamTrace flows", CLI_PREFIX, flows_init, 0, NULL,
    };

    camtrace_tap = register_tap("camtrace");
    register_stat_tap_ui(&ui, NULL);
    camtrace_flow_table_register();
}
