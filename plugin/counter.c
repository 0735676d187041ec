/* counter.c - see counter.h.
 *
 * What the tap carries: the innermost IP header pair that the camtrace
 * fields describe, its protocol, and ports or ICMP type when the
 * transport header belongs to that IP header.  pinfo->ptype and the
 * ports are whatever the last transport dissector set, which for an ICMP
 * error is the quoted packet and for a tunnel may be the outer header.
 * So the layers of the packet are walked: the last IP layer before any
 * ICMP layer is the innermost header (the one in pinfo->net_src/net_dst),
 * and the first layer after it that is not an IPv6 extension header or AH
 * is its payload.
 *
 * TCP handshake flags (to find the initiator) are not in packet_info;
 * each counter also listens to the "tcp" tap, which runs before ours for
 * the same packet, and keeps the SYNs of the current frame.
 *
 * A listener started by camtrace_counter_listen() owns its counter and
 * the caller's data in a struct of this file, so the exporters need not
 * know how the listener's data is laid out.
 */
#include "counter.h"

#include <epan/proto_data.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-icmp.h>
#include <epan/dissectors/packet-tcp.h>

#include <stdio.h>
#include <string.h>

#include "state.h"
#include "ct_args.h"

static int camtrace_tap = -1;

/* What the "camtrace" tap carries for each IP packet. */
typedef struct {
    ct_flow_packet flow;
    ct_name own;      /* see camtrace_counter_tap() */
    gboolean has_mac; /* src_mac: Ethernet source of the packet */
    guint8 src_mac[6];
} tap_packet;

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

/* The first server name a flow's packets gave (ClientHello, Host), a
 * copy of its own: interned names do not live as long as flows. */
typedef struct {
    ct_addr server;
    ct_name name; /* name.name is text, name.domain inside it */
    char text[];
} flow_own;

struct camtrace_flow_counter {
    ct_flow_table *flows;
    tcp_marks *syns;
    GHashTable *own;  /* flow id -> flow_own */
    GHashTable *macs; /* local ct_addr -> its first Ethernet address, or NULL */
    guint max_macs;   /* local senders remembered at most */
    const char *what; /* "flow export", ..., for messages */
    gboolean warn_at_drop, warned;
};

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
    if (!ids_known)
        find_protocol_ids();
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

void
camtrace_counter_describe(packet_info *pinfo, const ct_addr *src, const ct_addr *dst,
                          ct_flow_packet *pkt)
{
    memset(pkt, 0, sizeof *pkt);
    pkt->src = *src;
    pkt->dst = *dst;
    pkt->sec = (gint64)pinfo->abs_ts.secs;
    pkt->usec = (guint32)(pinfo->abs_ts.nsecs / 1000);
    pkt->bytes = pinfo->fd->pkt_len;
    pkt->frame = pinfo->num;
    describe_transport(pinfo, pkt);
}

gboolean
camtrace_counter_listening(void)
{
    return have_tap_listener(camtrace_tap);
}

void
camtrace_counter_tap(packet_info *pinfo, const ct_addr *src, const ct_addr *dst, const ct_name *own)
{
    tap_packet *tp;
    ct_flow_packet *pkt;

    if (!have_tap_listener(camtrace_tap))
        return;
    tp = wmem_new0(pinfo->pool, tap_packet);
    pkt = &tp->flow;
    camtrace_counter_describe(pinfo, src, dst, pkt);
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
    if (!(th->th_flags & TH_SYN) || !camtrace_ct_addr(&th->ip_src, &mark.src) ||
        !camtrace_ct_addr(&th->ip_dst, &mark.dst))
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

/* The flow table forgot a flow: its own name goes too. */
static void
forget_own(uint64_t id, void *data)
{
    camtrace_flow_counter *c = data;
    gint64 key = (gint64)id;

    g_hash_table_remove(c->own, &key);
}

camtrace_flow_counter *
camtrace_flow_counter_new(gboolean want_macs, const char *what, gboolean warn_at_drop,
                          GString **error)
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
    c->flows = ct_flow_table_new(camtrace_max_flows());
    ct_flow_table_on_forget(c->flows, forget_own, c);
    c->max_macs = camtrace_max_addresses();
    c->what = what;
    c->warn_at_drop = warn_at_drop;
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
    c->warned = FALSE;
}

/* Said once per counter and run: at the first flow forgotten (the GUI's
 * table, which has no end), or at the end with how many (the exports). */
static void
say_dropped(camtrace_flow_counter *c)
{
    guint64 dropped = ct_flow_table_dropped(c->flows);

    if (c->warned || dropped == 0)
        return;
    c->warned = TRUE;
    if (c->warn_at_drop)
        camtrace_warn("%s: more than %u flows (%s): the least recently active flows are "
                      "forgotten from now on and left out",
                      c->what, ct_flow_table_max(c->flows), camtrace_max_flows_source());
    else
        camtrace_warn("%s: %" G_GUINT64_FORMAT " flows left out: more than %u flows (%s), so "
                      "the least recently active were forgotten",
                      c->what, dropped, ct_flow_table_max(c->flows), camtrace_max_flows_source());
}

guint64
camtrace_flow_counter_dropped(const camtrace_flow_counter *c)
{
    return ct_flow_table_dropped(c->flows);
}

guint64
camtrace_flow_counter_add(camtrace_flow_counter *c, packet_info *pinfo, const void *tapped,
                          gboolean *is_new)
{
    const tap_packet *data = tapped;
    ct_flow_packet pkt = data->flow;
    uint64_t index;

    pkt.tcp_flags = tcp_flags_of(c->syns, pinfo->num, &pkt);
    *is_new = ct_flow_table_add(c->flows, &pkt, &index);
    if (*is_new) {
        camtrace_ptr_ask(&pkt.src);
        camtrace_ptr_ask(&pkt.dst);
    }
    if (*is_new && c->warn_at_drop)
        say_dropped(c);
    if (data->own.source != CT_NAME_NONE && !g_hash_table_contains(c->own, &index)) {
        gint64 *key = g_new(gint64, 1);
        size_t len = strlen(data->own.name);
        flow_own *own = g_malloc(sizeof *own + len + 1);
        *key = (gint64)index;
        own->server = pkt.dst;
        memcpy(own->text, data->own.name, len + 1);
        own->name = data->own;
        own->name.name = own->text;
        if (data->own.domain != NULL)
            own->name.domain = own->text + (data->own.domain - data->own.name);
        g_hash_table_insert(c->own, key, own);
    }
    if (c->macs != NULL && data->has_mac && camtrace_is_local(&pkt.src) &&
        g_hash_table_size(c->macs) < c->max_macs && !g_hash_table_contains(c->macs, &pkt.src))
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

/* The flow naming rule (ct_names_flow_name()) for one end. */
static void
flow_name(const ct_addr *addr, const ct_name *own, guint32 first_frame, guint32 last_frame,
          ct_name *out)
{
    char ptr_name[CT_DNS_NAME_MAX + 1];
    gboolean has_ptr = camtrace_ptr_name(addr, ptr_name);

    ct_names_flow_name(camtrace_names(), addr, own, first_frame, last_frame,
                       has_ptr ? ptr_name : NULL, out);
}

void
camtrace_flow_counter_names(const camtrace_flow_counter *c, guint64 i, const ct_flow *flow,
                            camtrace_flow_names *out)
{
    const flow_own *own = g_hash_table_lookup(c->own, &(gint64){(gint64)i});
    const ct_addr *ends[2] = {&flow->src, &flow->dst};

    for (int s = 0; s < 2; s++) {
        gboolean is_server = own != NULL && ct_addr_equal(&own->server, ends[s]);
        flow_name(ends[s], is_server ? &own->name : NULL, flow->first_frame, flow->last_frame,
                  &out->name[s]);
    }
}

const ct_flow_table *
camtrace_flow_counter_flows(const camtrace_flow_counter *c)
{
    return c->flows;
}

/* ---- listeners ---------------------------------------------------------- */

typedef struct {
    camtrace_flow_counter *counter;
    int format;
    camtrace_counter_draw draw;
    void *data;
    GDestroyNotify free_data;
} listener;

static tap_packet_status
listener_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                tap_flags_t flags _U_)
{
    listener *l = tapdata;
    gboolean is_new;

    camtrace_flow_counter_add(l->counter, pinfo, data, &is_new);
    return TAP_PACKET_DONT_REDRAW;
}

static void
listener_reset(void *tapdata)
{
    listener *l = tapdata;

    camtrace_flow_counter_reset(l->counter);
}

static void
listener_draw(void *tapdata)
{
    listener *l = tapdata;

    l->draw(l->counter, l->format, l->data);
    say_dropped(l->counter);
}

static void
listener_free(listener *l)
{
    camtrace_flow_counter_free(l->counter);
    if (l->free_data != NULL)
        l->free_data(l->data);
    g_free(l);
}

static void
listener_finish(void *tapdata)
{
    listener_free(tapdata);
}

gboolean
camtrace_counter_listen(const char *arg, const char *prefix, const char *const *formats,
                        const char *what, gboolean want_macs, camtrace_counter_draw draw,
                        void *data, GDestroyNotify free_data)
{
    listener *l = g_new0(listener, 1);
    ct_args args;
    GError *bad = NULL;
    GString *error = NULL;

    l->draw = draw;
    l->data = data;
    l->free_data = free_data;
    if (!ct_args_parse(arg, prefix, formats, &args, &bad)) {
        fprintf(stderr, "tshark: %s\n", bad->message);
        g_error_free(bad);
        listener_free(l);
        return FALSE;
    }
    l->format = args.format;
    l->counter = camtrace_flow_counter_new(want_macs, what, FALSE, &error);
    if (error == NULL)
        error =
            register_tap_listener("camtrace", l, args.filter, TL_REQUIRES_NOTHING, listener_reset,
                                  listener_packet, listener_draw, listener_finish);
    if (error != NULL) {
        /* No listener owns l: a failed registration never finishes. */
        fprintf(stderr, "tshark: cannot start the %s \"-z %s\": %s\n", what, arg, error->str);
        g_string_free(error, TRUE);
        listener_free(l);
        return FALSE;
    }
    return TRUE;
}

void
camtrace_counter_register(void)
{
    camtrace_tap = register_tap("camtrace");
}
