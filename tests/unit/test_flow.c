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
    ct_flow_table *t = ct_flow_table_new();
    ct_flow_packet p = packet("192.168.1.20", 50000, "8.8.8.8", 53, 17, 100, 80);
    ct_flow_packet r = packet("8.8.8.8", 53, "192.168.1.20", 50000, 17, 101, 120);
    ct_flow f;

    g_assert_true(ct_flow_table_add(t, &p, NULL));
    g_assert_false(ct_flow_table_add(t, &r, NULL));
    g_assert_false(ct_flow_table_add(t, &r, NULL));
    g_assert_cmpuint(ct_flow_table_size(t), ==, 1);
    ct_flow_table_get(t, 0, &f);
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
    ct_flow_table *t = ct_flow_table_new();
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
    ct_flow_table *t = ct_flow_table_new();
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
    ct_flow_table_get(t, 0, &f);
    g_assert_false(f.has_ports);
    g_assert_true(f.has_icmp);
    g_assert_cmpuint(f.icmp_type, ==, 8);
    g_assert_cmpuint(f.src_pkts, ==, 1);
    g_assert_cmpuint(f.dst_pkts, ==, 2);
    ct_flow_table_get(t, 1, &f);
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
        ct_flow_table *t = ct_flow_table_new();
        /* The server sends first, then the client. */
        ct_flow_packet s = packet("203.0.113.5", 443, "192.168.1.20", 40000, 6, 1, 60);
        ct_flow_packet c = packet("192.168.1.20", 40000, "203.0.113.5", 443, 6, 2, 54);
        ct_flow f;

        s.tcp_flags = cases[i].first_flags;
        c.tcp_flags = cases[i].second_flags;
        ct_flow_table_add(t, &s, NULL);
        ct_flow_table_add(t, &c, NULL);
        ct_flow_table_get(t, 0, &f);
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
    ct_flow_table *t = ct_flow_table_new();
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
    ct_flow_table_get(t, 0, &f);
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
    ct_flow_table *t = ct_flow_table_new();

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
        ct_flow_table_get(t, i, &f);
        g_assert_cmpint(f.first_sec, ==, i);
        g_assert_cmpuint(f.src_pkts, ==, 2);
    }
    ct_flow_table_clear(t);
    g_assert_cmpuint(ct_flow_table_size(t), ==, 0);
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
    g_test_add_func("/flow/proto-names", test_proto_names);
    g_test_add_func("/flow/proto-label/keyword", test_proto_label_keyword);
    g_test_add_func("/flow/proto-label/number", test_proto_label_number);
    return g_test_run();
}
