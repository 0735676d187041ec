/* Unit tests for ct_packet_icmp_carrier on hand-built frames. */
#include <glib.h>
#include <string.h>

#include "ct_packet.h"

static const uint8_t eth[14] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00};

static size_t
put_ipv4(uint8_t *p, uint8_t ihl, uint8_t proto, const char *src, const char *dst)
{
    ct_addr a;

    memset(p, 0, (size_t)ihl * 4);
    p[0] = (uint8_t)(0x40 | ihl);
    p[8] = 64;
    p[9] = proto;
    g_assert_true(ct_addr_parse(src, &a));
    memcpy(p + 12, a.bytes, 4);
    g_assert_true(ct_addr_parse(dst, &a));
    memcpy(p + 16, a.bytes, 4);
    return (size_t)ihl * 4;
}

static size_t
put_ipv6(uint8_t *p, uint8_t nh, const char *src, const char *dst)
{
    ct_addr a;

    memset(p, 0, 40);
    p[0] = 0x60;
    p[6] = nh;
    p[7] = 64;
    g_assert_true(ct_addr_parse(src, &a));
    memcpy(p + 8, a.bytes, 16);
    g_assert_true(ct_addr_parse(dst, &a));
    memcpy(p + 24, a.bytes, 16);
    return 40;
}

static void
expect_carrier(const uint8_t *frame, size_t len, const char *qsrc, const char *qdst,
               const char *src, const char *dst)
{
    ct_addr qs, qd, s, d, want;

    g_assert_true(ct_addr_parse(qsrc, &qs));
    g_assert_true(ct_addr_parse(qdst, &qd));
    g_assert_true(ct_packet_icmp_carrier(frame, len, &qs, &qd, &s, &d));
    g_assert_true(ct_addr_parse(src, &want));
    g_assert_true(ct_addr_equal(&s, &want));
    g_assert_true(ct_addr_parse(dst, &want));
    g_assert_true(ct_addr_equal(&d, &want));
}

static void
test_ipv4_unreachable(void)
{
    uint8_t f[256];
    size_t n = 0;

    memcpy(f, eth, sizeof eth);
    n += sizeof eth;
    /* Carrier with 8 bytes of options, to exercise the IHL search. */
    n += put_ipv4(f + n, 7, 1, "203.0.113.5", "192.168.1.50");
    f[n] = 3; /* port unreachable */
    f[n + 1] = 3;
    memset(f + n + 2, 0, 6);
    n += 8;
    n += put_ipv4(f + n, 5, 17, "192.168.1.50", "203.0.113.5");
    memset(f + n, 0xab, 8);
    n += 8;
    expect_carrier(f, n, "192.168.1.50", "203.0.113.5", "203.0.113.5", "192.168.1.50");
}

static void
test_ipv6_unreachable_with_ext(void)
{
    uint8_t f[512];
    size_t n = 0;

    memcpy(f, eth, sizeof eth);
    f[12] = 0x86;
    f[13] = 0xdd;
    n += sizeof eth;
    n += put_ipv6(f + n, 60, "2001:4860:4860::8888", "2a02:8108:1:2::50");
    /* 16-byte destination options header, then ICMPv6. */
    memset(f + n, 0, 16);
    f[n] = 58;
    f[n + 1] = 1;
    n += 16;
    f[n] = 1; /* destination unreachable */
    f[n + 1] = 4;
    memset(f + n + 2, 0, 6);
    n += 8;
    n += put_ipv6(f + n, 17, "2a02:8108:1:2::50", "2001:4860:4860::8888");
    memset(f + n, 0xcd, 8);
    n += 8;
    expect_carrier(f, n, "2a02:8108:1:2::50", "2001:4860:4860::8888", "2001:4860:4860::8888",
                   "2a02:8108:1:2::50");
}

static void
test_rejects(void)
{
    uint8_t f[128];
    ct_addr qs, qd, s, d;
    size_t n = 0;

    g_assert_true(ct_addr_parse("10.0.0.1", &qs));
    g_assert_true(ct_addr_parse("10.0.0.2", &qd));
    /* The pair appears, but not behind an ICMP error header. */
    n += put_ipv4(f, 5, 6, "1.2.3.4", "5.6.7.8");
    memset(f + n, 0, 8);
    n += 8;
    n += put_ipv4(f + n, 5, 17, "10.0.0.1", "10.0.0.2");
    g_assert_false(ct_packet_icmp_carrier(f, n, &qs, &qd, &s, &d));
    /* ICMP echo (type 8) is not an error. */
    f[9] = 1;
    f[20] = 8;
    g_assert_false(ct_packet_icmp_carrier(f, n, &qs, &qd, &s, &d));
    /* Error type but the carrier's protocol is not ICMP. */
    f[20] = 3;
    f[9] = 6;
    g_assert_false(ct_packet_icmp_carrier(f, n, &qs, &qd, &s, &d));
    f[9] = 1;
    g_assert_true(ct_packet_icmp_carrier(f, n, &qs, &qd, &s, &d));
    /* Truncated right after the quoted addresses begin. */
    g_assert_false(ct_packet_icmp_carrier(f, 20 + 8 + 14, &qs, &qd, &s, &d));
    g_assert_false(ct_packet_icmp_carrier(NULL, 0, &qs, &qd, &s, &d));
    g_assert_false(ct_packet_icmp_carrier(f, 3, &qs, &qd, &s, &d));
}

static void
test_random_frames(void)
{
    GRand *rand = g_rand_new_with_seed(7);
    ct_addr qs, qd, s, d;
    uint8_t f[200];

    g_assert_true(ct_addr_parse("2001:db8::1", &qs));
    g_assert_true(ct_addr_parse("2001:db8::2", &qd));
    /* Arbitrary bytes with the quoted pair planted: must never read out of
     * bounds (run under ASan) whatever it decides. */
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)g_rand_int_range(rand, 0, sizeof f + 1);
        for (size_t i = 0; i < len; i++)
            f[i] = (uint8_t)g_rand_int_range(rand, 0, 256);
        if (len >= 64) {
            size_t at = (size_t)g_rand_int_range(rand, 0, (gint32)(len - 32 + 1));
            memcpy(f + at, qs.bytes, 16);
            memcpy(f + at + 16, qd.bytes, 16);
        }
        (void)ct_packet_icmp_carrier(f, len, &qs, &qd, &s, &d);
    }
    g_rand_free(rand);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Finding the header that carries an ICMP error");
    g_test_add_func("/packet/ipv4-unreachable", test_ipv4_unreachable);
    g_test_add_func("/packet/ipv6-unreachable-ext", test_ipv6_unreachable_with_ext);
    g_test_add_func("/packet/rejects", test_rejects);
    g_test_add_func("/packet/random-frames", test_random_frames);
    return g_test_run();
}
