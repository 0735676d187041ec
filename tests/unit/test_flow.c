/* Unit tests for ct_flow: keys, directions, initiators, order, totals. */
#include <glib.h>

#include "ct_flow.h"

static ct_flow_packet
packet(const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t proto, int64_t sec,
       uint32_t bytes)
{
    ct_flow_packet p = {0};

    g_assert_true(ct_addr_parse(src, &p.src));
    g_assert_true(ct_addr_parse(dst, &p.dst));
    p.proto = proto;
    p.has_ports = proto == 6 || proto == 17 || proto == 132;
    p.sport = sport;
    p.dport = dport;
    p.sec = sec;
    p.bytes = bytes;
    return p;
}

static void
assert_addr(const ct_addr *addr, const char *text)
{
    char buf[CT_ADDR_STRLEN];

    ct_addr_format(addr, buf);
    g_assert_cmpstr(buf, ==, text);
}

static void
test_both_directions(void)
{
    ct_flow_table *t = ct_flow_table_new(0);
    ct_flow_packet p = packet("192.168.1.20", 50000, "8.8.8.8", 53, 17, 100, 80);
    ct_flow_packet r = packet("8.8.8.8", 53, "192.168.1.20", 50000, 17, 101, 120);
    ct_flow f;

    g_assert_true(ct_flow_table_add(t, &p, NULL));
    g_assert_false(ct_flow_table_add(t, &r, NULL));
    g_assert_false(ct_flow_table_add(t, &r, NULL));
    g_assert_cmpuint(ct_flow_table_size(t), ==, 1);
    g_assert_true(ct_flow_table_get(t, 0, &f));
    assert_addr(&f.src, "192.168.1.20");
    assert_addr(&f.dst, "8.8.8.8");
    g_assert_cmpuint(f.sport, ==, 50000);
    g_assert_cmpuint(f.dport, ==, 53);
    g_assert_cmpuint(f.src_pkts, ==, 1);
    g_assert_cmpuint(f.src_bytes, ==, 80);
    g_assert_cmpuint(f.dst_pkts, ==, 2);
    g_assert_cmpuint(f.dst_bytes, ==, 240);
    g_assert_cmpint(f.first_sec, ==, 100);
    g_assert_cmpint(f.last_sec, ==, 101);
    ct_flow_table_free(t);
}

/* Another port, protocol or address is another flow; ports of the same
 * pair of hosts swapped are not the same flow. */
static void
test_keys(void)
{
    ct_flow_table *t = ct_flow_table_new(0);
    ct_flow_packet ps[] = {
        packet("10.0.0.1", 1000, "10.0.0.2", 2000, 6, 1, 60),
        packet("10.0.0.1", 1001, "10.0.0.2", 2000, 6, 2, 60),
        packet("10.0.0.1", 1000, "10.0.0.2", 2000, 17, 3, 60),
        packet("10.0.0.1", 2000, "10.0.0.2", 1000, 6, 4, 60),
        packet("10.0.0.3", 1000, "10.0.0.2", 2000, 6, 5, 60),
        packet("2001:db8::1", 1000, "2001:db8::2", 2000, 6, 6, 80),
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ps); i++)
        g_assert_true(ct_flow_table_add(t, &ps[i], NULL));
    for (size_t i = 0; i < G_N_ELEMENTS(ps); i++)
        g_assert_false(ct_flow_table_add(t, &ps[i], NULL));
    g_assert_cmpuint(ct_flow_table_size(t), ==, G_N_ELEMENTS(ps));
    ct_flow_table_free(t);
}

/* ICMP and other protocols: addresses only, whatever the type. */
static void
test_icmp(void)
{
    ct_flow_table *t = ct_flow_table_new(0);
    ct_flow_packet req = packet("192.168.1.20", 0, "1.1.1.1", 0, 1, 10, 98);
    ct_flow_packet rep = packet("1.1.1.1", 0, "192.168.1.20", 0, 1, 11, 98);
    ct_flow_packet unreach = packet("1.1.1.1", 0, "192.168.1.20", 0, 1, 12, 70);
    ct_flow_packet gre = packet("192.168.1.20", 0, "1.1.1.1", 0, 47, 13, 100);
    ct_flow f;

    req.has_icmp = rep.has_icmp = unreach.has_icmp = true;
    req.icmp_type = 8;
    rep.icmp_type = 0;
    unreach.icmp_type = 3;
    unreach.icmp_code = 3;
    g_assert_true(ct_flow_table_add(t, &req, NULL));
    g_assert_false(ct_flow_table_add(t, &rep, NULL));
    g_assert_false(ct_flow_table_add(t, &unreach, NULL));
    g_assert_true(ct_flow_table_add(t, &gre, NULL));
    g_assert_true(ct_flow_table_get(t, 0, &f));
    g_assert_false(f.has_ports);
    g_assert_true(f.has_icmp);
    g_assert_cmpuint(f.icmp_type, ==, 8);
    g_assert_cmpuint(f.src_pkts, ==, 1);
    g_assert_cmpuint(f.dst_pkts, ==, 2);
    g_assert_true(ct_flow_table_get(t, 1, &f));
    g_assert_cmpuint(f.proto, ==, 47);
    g_assert_false(f.has_icmp);
    ct_flow_table_free(t);
}

/* The capture starts with the server's SYN-ACK: the client initiated. */
static void
test_tcp_initiator(void)
{
    static const struct {
        uint8_t first_flags, second_flags;
        bool client_is_src;
    } cases[] = {
        {CT_FLOW_TCP_SYN | CT_FLOW_TCP_ACK, CT_FLOW_TCP_ACK, true},
        {CT_FLOW_TCP_ACK, CT_FLOW_TCP_ACK, false},
        {CT_FLOW_TCP_ACK, CT_FLOW_TCP_SYN, true},
        {CT_FLOW_TCP_SYN, CT_FLOW_TCP_SYN | CT_FLOW_TCP_ACK, false},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        ct_flow_table *t = ct_flow_table_new(0);
        /* The server sends first, then the client. */
        ct_flow_packet s = packet("203.0.113.5", 443, "192.168.1.20", 40000, 6, 1, 60);
        ct_flow_packet c = packet("192.168.1.20", 40000, "203.0.113.5", 443, 6, 2, 54);
        ct_flow f;

        s.tcp_flags = cases[i].first_flags;
        c.tcp_flags = cases[i].second_flags;
        ct_flow_table_add(t, &s, NULL);
        ct_flow_table_add(t, &c, NULL);
        g_assert_true(ct_flow_table_get(t, 0, &f));
        assert_addr(&f.src, cases[i].client_is_src ? "192.168.1.20" : "203.0.113.5");
        g_assert_cmpuint(f.sport, ==, cases[i].client_is_src ? 40000 : 443);
        g_assert_cmpuint(f.src_bytes, ==, cases[i].client_is_src ? 54 : 60);
        g_assert_cmpuint(f.dst_bytes, ==, cases[i].client_is_src ? 60 : 54);
        ct_flow_table_free(t);
    }
}

/* Times out of order in the capture: first and last are min and max. */
static void
test_times(void)
{
    ct_flow_table *t = ct_flow_table_new(0);
    ct_flow_packet a = packet("10.0.0.1", 1, "10.0.0.2", 2, 17, 50, 60);
    ct_flow_packet b = a;
    ct_flow_packet c = a;
    ct_flow f;

    a.usec = 500;
    b.sec = 49;
    b.usec = 999999;
    c.sec = 50;
    c.usec = 501;
    ct_flow_table_add(t, &a, NULL);
    ct_flow_table_add(t, &b, NULL);
    ct_flow_table_add(t, &c, NULL);
    g_assert_true(ct_flow_table_get(t, 0, &f));
    g_assert_cmpint(f.first_sec, ==, 49);
    g_assert_cmpuint(f.first_usec, ==, 999999);
    g_assert_cmpint(f.last_sec, ==, 50);
    g_assert_cmpuint(f.last_usec, ==, 501);
    ct_flow_table_free(t);
}

/* Many flows across blocks keep the order of their first packets. */
static void
test_many(void)
{
    ct_flow_table *t = ct_flow_table_new(0);

    for (int round = 0; round < 2; round++) {
        for (guint i = 0; i < 100000; i++) {
            ct_flow_packet p = packet("10.0.0.1", 0, "10.0.0.2", 0, 17, i, 100);
            p.sport = (uint16_t)(i % 60000);
            p.dport = (uint16_t)(i / 60000 + 1);
            uint64_t index;
            g_assert_true(ct_flow_table_add(t, &p, &index) == (round == 0));
            g_assert_cmpuint(index, ==, i);
        }
    }
    g_assert_cmpuint(ct_flow_table_size(t), ==, 100000);
    for (guint i = 0; i < 100000; i += 997) {
        ct_flow f;
        g_assert_true(ct_flow_table_get(t, i, &f));
        g_assert_cmpint(f.first_sec, ==, i);
        g_assert_cmpuint(f.src_pkts, ==, 2);
    }
    ct_flow_table_clear(t);
    g_assert_cmpuint(ct_flow_table_size(t), ==, 0);
    ct_flow_table_free(t);
}

/* The ids the forget callback was given. */
static void
note_forgotten(uint64_t id, void *data)
{
    uint64_t v = id;

    g_array_append_val((GArray *)data, v);
}

static void
collect_ids(uint64_t id, const ct_flow *flow, void *data)
{
    uint64_t v = id;

    (void)flow;
    g_array_append_val((GArray *)data, v);
}

/* "id:pkts id:pkts ..." of the flows held, in foreach order. */
static char *
held(const ct_flow_table *t)
{
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    GString *s = g_string_new(NULL);

    ct_flow_table_foreach(t, collect_ids, ids);
    for (guint i = 0; i < ids->len; i++) {
        uint64_t id = g_array_index(ids, uint64_t, i);
        ct_flow f;
        g_assert_true(ct_flow_table_get(t, id, &f));
        g_string_append_printf(s, "%s%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, i ? " " : "", id,
                               f.src_pkts + f.dst_pkts);
    }
    g_array_free(ids, TRUE);
    return g_string_free(s, FALSE);
}

static ct_flow_packet
to_port(uint16_t dport, int64_t sec)
{
    return packet("192.168.1.20", 40000, "198.51.100.7", dport, 17, sec, 60);
}

/* A table of 3: a fourth flow forgets the least recently used one, which
 * is counted and passed to the callback; a forgotten flow that comes back
 * is a new flow with a new id; the order stays that of first packets. */
static void
test_bound(void)
{
    ct_flow_table *t = ct_flow_table_new(3);
    GArray *forgotten = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    ct_flow_packet p;
    uint64_t id;
    ct_flow f;
    char *text;

    ct_flow_table_on_forget(t, note_forgotten, forgotten);
    g_assert_cmpuint(ct_flow_table_max(t), ==, 3);
    for (uint16_t port = 1; port <= 3; port++) {
        p = to_port(port, port);
        g_assert_true(ct_flow_table_add(t, &p, &id));
        g_assert_cmpuint(id, ==, port - 1);
    }
    /* Flow 0 used again: flow 1 is now the least recently used. */
    p = to_port(1, 4);
    g_assert_false(ct_flow_table_add(t, &p, NULL));
    p = to_port(4, 5);
    g_assert_true(ct_flow_table_add(t, &p, &id));
    g_assert_cmpuint(id, ==, 3);
    g_assert_cmpuint(ct_flow_table_size(t), ==, 3);
    g_assert_cmpuint(ct_flow_table_dropped(t), ==, 1);
    g_assert_cmpuint(forgotten->len, ==, 1);
    g_assert_cmpuint(g_array_index(forgotten, uint64_t, 0), ==, 1);
    g_assert_false(ct_flow_table_get(t, 1, &f));
    g_assert_false(ct_flow_table_get(t, 99, &f));
    text = held(t);
    g_assert_cmpstr(text, ==, "0:2 2:1 3:1");
    g_free(text);

    /* Port 2 came back: a new flow (id 4) in the place of flow 2, the
     * least recently used now. */
    p = to_port(2, 6);
    g_assert_true(ct_flow_table_add(t, &p, &id));
    g_assert_cmpuint(id, ==, 4);
    g_assert_true(ct_flow_table_get(t, 4, &f));
    g_assert_cmpint(f.first_sec, ==, 6);
    g_assert_cmpuint(g_array_index(forgotten, uint64_t, 1), ==, 2);
    text = held(t);
    g_assert_cmpstr(text, ==, "0:2 3:1 4:1");
    g_free(text);

    /* A clear starts again: ids from 0, nothing dropped. */
    ct_flow_table_clear(t);
    g_assert_cmpuint(ct_flow_table_dropped(t), ==, 0);
    p = to_port(9, 7);
    g_assert_true(ct_flow_table_add(t, &p, &id));
    g_assert_cmpuint(id, ==, 0);
    g_assert_cmpuint(forgotten->len, ==, 2);
    g_array_free(forgotten, TRUE);
    ct_flow_table_free(t);
}

/* Random packets over 200 flows into a table of 16, against a model of
 * an LRU cache: the same flows held, with the same packet counts. */
static void
test_bound_model(void)
{
    enum { FLOWS = 200, MAX = 16 };
    struct {
        gboolean held;
        uint64_t id, pkts, last_use;
    } model[FLOWS] = {{0}};
    ct_flow_table *t = ct_flow_table_new(MAX);
    GRand *r = g_rand_new_with_seed(17);
    uint64_t next_id = 0, news = 0;
    guint nheld = 0;

    for (uint64_t tick = 1; tick <= 20000; tick++) {
        /* Some flows far more often than others. */
        guint k = (guint)g_rand_int_range(r, 0, g_rand_boolean(r) ? 20 : FLOWS);
        ct_flow_packet p = to_port((uint16_t)(k + 1), (int64_t)tick);
        uint64_t id;
        gboolean is_new = ct_flow_table_add(t, &p, &id);

        g_assert_true(is_new == !model[k].held);
        if (is_new) {
            news++;
            if (nheld == MAX) {
                guint oldest = FLOWS;
                for (guint j = 0; j < FLOWS; j++) {
                    if (model[j].held &&
                        (oldest == FLOWS || model[j].last_use < model[oldest].last_use))
                        oldest = j;
                }
                model[oldest].held = FALSE;
                nheld--;
            }
            model[k].held = TRUE;
            model[k].id = next_id++;
            model[k].pkts = 0;
            nheld++;
        }
        g_assert_cmpuint(id, ==, model[k].id);
        model[k].pkts++;
        model[k].last_use = tick;
        g_assert_cmpuint(ct_flow_table_size(t), ==, nheld);
    }
    g_assert_cmpuint(ct_flow_table_dropped(t), ==, news - nheld);
    for (guint k = 0; k < FLOWS; k++) {
        ct_flow f;
        if (!model[k].held)
            continue;
        g_assert_true(ct_flow_table_get(t, model[k].id, &f));
        g_assert_cmpuint(f.dport, ==, k + 1);
        g_assert_cmpuint(f.src_pkts, ==, model[k].pkts);
    }
    /* foreach: every held flow once, ids ascending. */
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    ct_flow_table_foreach(t, collect_ids, ids);
    g_assert_cmpuint(ids->len, ==, nheld);
    for (guint i = 1; i < ids->len; i++)
        g_assert_cmpuint(g_array_index(ids, uint64_t, i - 1), <, g_array_index(ids, uint64_t, i));
    g_array_free(ids, TRUE);
    g_rand_free(r);
    ct_flow_table_free(t);
}

static void
test_proto_names(void)
{
    g_assert_cmpstr(ct_flow_proto_name(6), ==, "tcp");
    g_assert_cmpstr(ct_flow_proto_name(17), ==, "udp");
    g_assert_cmpstr(ct_flow_proto_name(1), ==, "icmp");
    g_assert_cmpstr(ct_flow_proto_name(58), ==, "icmpv6");
    g_assert_cmpstr(ct_flow_proto_name(132), ==, "sctp");
    g_assert_null(ct_flow_proto_name(253));
}

static void
test_proto_label_keyword(void)
{
    char buf[CT_FLOW_PROTO_LABEL_SIZE] = "";

    g_assert_cmpstr(ct_flow_proto_label(6, buf), ==, "tcp");
    g_assert_cmpstr(ct_flow_proto_label(58, buf), ==, "icmpv6");
    g_assert_cmpstr(ct_flow_proto_label(136, buf), ==, "udplite");
    g_assert_cmpstr(buf, ==, ""); /* not used */
}

static void
test_proto_label_number(void)
{
    static const struct {
        uint8_t proto;
        const char *label;
    } cases[] = {{0, "0"}, {3, "3"}, {99, "99"}, {253, "253"}, {255, "255"}};

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char buf[CT_FLOW_PROTO_LABEL_SIZE];
        const char *label = ct_flow_proto_label(cases[i].proto, buf);
        g_assert_true(label == buf);
        g_assert_cmpstr(label, ==, cases[i].label);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Bidirectional flow table");
    g_test_add_func("/flow/both-directions", test_both_directions);
    g_test_add_func("/flow/keys", test_keys);
    g_test_add_func("/flow/icmp", test_icmp);
    g_test_add_func("/flow/tcp-initiator", test_tcp_initiator);
    g_test_add_func("/flow/times", test_times);
    g_test_add_func("/flow/many", test_many);
    g_test_add_func("/flow/bound", test_bound);
    g_test_add_func("/flow/bound-model", test_bound_model);
    g_test_add_func("/flow/proto-names", test_proto_names);
    g_test_add_func("/flow/proto-label/keyword", test_proto_label_keyword);
    g_test_add_func("/flow/proto-label/number", test_proto_label_number);
    return g_test_run();
}
