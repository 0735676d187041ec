/* Unit tests for ct_addr: parsing, formatting and IANA scopes.
 *
 * Each special-purpose block is checked at its first and last address and
 * just outside both ends, so an off-by-one prefix length shows up. */
#include <glib.h>

#include "ct_addr.h"

typedef struct {
    const char *addr;
    ct_scope scope;
} scope_case;

static const scope_case ipv4_cases[] = {
    {"0.0.0.0", CT_SCOPE_UNSPECIFIED},
    {"0.0.0.1", CT_SCOPE_RESERVED},
    {"0.255.255.255", CT_SCOPE_RESERVED},
    {"1.0.0.0", CT_SCOPE_GLOBAL},
    {"9.255.255.255", CT_SCOPE_GLOBAL},
    {"10.0.0.0", CT_SCOPE_PRIVATE},
    {"10.255.255.255", CT_SCOPE_PRIVATE},
    {"11.0.0.0", CT_SCOPE_GLOBAL},
    {"100.63.255.255", CT_SCOPE_GLOBAL},
    {"100.64.0.0", CT_SCOPE_SHARED},
    {"100.127.255.255", CT_SCOPE_SHARED},
    {"100.128.0.0", CT_SCOPE_GLOBAL},
    {"126.255.255.255", CT_SCOPE_GLOBAL},
    {"127.0.0.0", CT_SCOPE_LOOPBACK},
    {"127.255.255.255", CT_SCOPE_LOOPBACK},
    {"128.0.0.0", CT_SCOPE_GLOBAL},
    {"169.253.255.255", CT_SCOPE_GLOBAL},
    {"169.254.0.0", CT_SCOPE_LINK_LOCAL},
    {"169.254.255.255", CT_SCOPE_LINK_LOCAL},
    {"169.255.0.0", CT_SCOPE_GLOBAL},
    {"172.15.255.255", CT_SCOPE_GLOBAL},
    {"172.16.0.0", CT_SCOPE_PRIVATE},
    {"172.31.255.255", CT_SCOPE_PRIVATE},
    {"172.32.0.0", CT_SCOPE_GLOBAL},
    {"191.255.255.255", CT_SCOPE_GLOBAL},
    {"192.0.0.0", CT_SCOPE_RESERVED},
    {"192.0.0.8", CT_SCOPE_RESERVED},
    {"192.0.0.9", CT_SCOPE_GLOBAL},
    {"192.0.0.10", CT_SCOPE_GLOBAL},
    {"192.0.0.11", CT_SCOPE_RESERVED},
    {"192.0.0.255", CT_SCOPE_RESERVED},
    {"192.0.1.0", CT_SCOPE_GLOBAL},
    {"192.0.2.0", CT_SCOPE_DOCUMENTATION},
    {"192.0.2.255", CT_SCOPE_DOCUMENTATION},
    {"192.0.3.0", CT_SCOPE_GLOBAL},
    {"192.31.196.1", CT_SCOPE_GLOBAL},
    {"192.88.98.255", CT_SCOPE_GLOBAL},
    {"192.88.99.0", CT_SCOPE_RESERVED},
    {"192.88.99.255", CT_SCOPE_RESERVED},
    {"192.88.100.0", CT_SCOPE_GLOBAL},
    {"192.167.255.255", CT_SCOPE_GLOBAL},
    {"192.168.0.0", CT_SCOPE_PRIVATE},
    {"192.168.255.255", CT_SCOPE_PRIVATE},
    {"192.169.0.0", CT_SCOPE_GLOBAL},
    {"198.17.255.255", CT_SCOPE_GLOBAL},
    {"198.18.0.0", CT_SCOPE_BENCHMARKING},
    {"198.19.255.255", CT_SCOPE_BENCHMARKING},
    {"198.20.0.0", CT_SCOPE_GLOBAL},
    {"198.51.99.255", CT_SCOPE_GLOBAL},
    {"198.51.100.0", CT_SCOPE_DOCUMENTATION},
    {"198.51.100.255", CT_SCOPE_DOCUMENTATION},
    {"198.51.101.0", CT_SCOPE_GLOBAL},
    {"203.0.112.255", CT_SCOPE_GLOBAL},
    {"203.0.113.0", CT_SCOPE_DOCUMENTATION},
    {"203.0.113.255", CT_SCOPE_DOCUMENTATION},
    {"203.0.114.0", CT_SCOPE_GLOBAL},
    {"223.255.255.255", CT_SCOPE_GLOBAL},
    {"224.0.0.0", CT_SCOPE_MULTICAST},
    {"239.255.255.255", CT_SCOPE_MULTICAST},
    {"240.0.0.0", CT_SCOPE_RESERVED},
    {"255.255.255.254", CT_SCOPE_RESERVED},
    {"255.255.255.255", CT_SCOPE_BROADCAST},
};

static const scope_case ipv6_cases[] = {
    {"::", CT_SCOPE_UNSPECIFIED},
    {"::1", CT_SCOPE_LOOPBACK},
    {"::2", CT_SCOPE_RESERVED},
    {"::ffff:8.8.8.8", CT_SCOPE_GLOBAL},
    {"::ffff:10.1.2.3", CT_SCOPE_PRIVATE},
    {"64:ff9b::808:808", CT_SCOPE_GLOBAL},
    {"64:ff9b::c0a8:101", CT_SCOPE_PRIVATE},
    {"64:ff9b:1::", CT_SCOPE_RESERVED},
    {"64:ff9b:1:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_RESERVED},
    {"100::", CT_SCOPE_RESERVED},
    {"100::ffff:ffff:ffff:ffff", CT_SCOPE_RESERVED},
    {"1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_RESERVED},
    {"2000::", CT_SCOPE_GLOBAL},
    {"2001::", CT_SCOPE_RESERVED},
    {"2001:1::1", CT_SCOPE_GLOBAL},
    {"2001:1::2", CT_SCOPE_GLOBAL},
    {"2001:1::3", CT_SCOPE_GLOBAL},
    {"2001:1::4", CT_SCOPE_RESERVED},
    {"2001:2::", CT_SCOPE_BENCHMARKING},
    {"2001:2:0:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_BENCHMARKING},
    {"2001:2:1::", CT_SCOPE_RESERVED},
    {"2001:3::", CT_SCOPE_GLOBAL},
    {"2001:4:112::", CT_SCOPE_GLOBAL},
    {"2001:4:113::", CT_SCOPE_RESERVED},
    {"2001:1f::", CT_SCOPE_RESERVED},
    {"2001:20::", CT_SCOPE_GLOBAL},
    {"2001:2f:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_GLOBAL},
    {"2001:30::", CT_SCOPE_GLOBAL},
    {"2001:3f:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_GLOBAL},
    {"2001:40::", CT_SCOPE_RESERVED},
    {"2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_RESERVED},
    {"2001:200::", CT_SCOPE_GLOBAL},
    {"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_GLOBAL},
    {"2001:db8::", CT_SCOPE_DOCUMENTATION},
    {"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_DOCUMENTATION},
    {"2001:db9::", CT_SCOPE_GLOBAL},
    {"2002::1", CT_SCOPE_GLOBAL},
    {"2607:f8b0:4005:80c::200e", CT_SCOPE_GLOBAL},
    {"3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_GLOBAL},
    {"3fff::", CT_SCOPE_DOCUMENTATION},
    {"3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_DOCUMENTATION},
    {"3fff:1000::", CT_SCOPE_GLOBAL},
    {"3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_GLOBAL},
    {"4000::", CT_SCOPE_RESERVED},
    {"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_RESERVED},
    {"fc00::", CT_SCOPE_UNIQUE_LOCAL},
    {"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_UNIQUE_LOCAL},
    {"fe00::", CT_SCOPE_RESERVED},
    {"fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_RESERVED},
    {"fe80::", CT_SCOPE_LINK_LOCAL},
    {"febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_LINK_LOCAL},
    {"fec0::", CT_SCOPE_RESERVED},
    {"ff00::", CT_SCOPE_MULTICAST},
    {"ff02::fb", CT_SCOPE_MULTICAST},
    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CT_SCOPE_MULTICAST},
};

static void
check_cases(const scope_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ct_addr addr;
        g_assert_true(ct_addr_parse(cases[i].addr, &addr));
        ct_scope got = ct_addr_scope(&addr);
        if (got != cases[i].scope)
            g_error("%s: scope %s, expected %s", cases[i].addr, ct_scope_name(got),
                    ct_scope_name(cases[i].scope));
    }
}

static void
test_scope_ipv4(void)
{
    check_cases(ipv4_cases, G_N_ELEMENTS(ipv4_cases));
}

static void
test_scope_ipv6(void)
{
    check_cases(ipv6_cases, G_N_ELEMENTS(ipv6_cases));
}

static void
test_scope_names(void)
{
    g_assert_cmpstr(ct_scope_name(CT_SCOPE_GLOBAL), ==, "global");
    g_assert_cmpstr(ct_scope_name(CT_SCOPE_SHARED), ==, "shared");
    g_assert_cmpstr(ct_scope_name(CT_SCOPE_LINK_LOCAL), ==, "link-local");
    g_assert_cmpstr(ct_scope_name(CT_SCOPE_UNIQUE_LOCAL), ==, "unique-local");
    g_assert_cmpstr(ct_scope_name(CT_SCOPE_UNSPECIFIED), ==, "unspecified");
    g_assert_cmpstr(ct_scope_name((ct_scope)99), ==, "unknown");
}

static void
test_scope_local(void)
{
    for (int s = CT_SCOPE_GLOBAL; s <= CT_SCOPE_UNSPECIFIED; s++) {
        bool local =
            s == CT_SCOPE_PRIVATE || s == CT_SCOPE_LINK_LOCAL || s == CT_SCOPE_UNIQUE_LOCAL;
        g_assert_cmpint(ct_scope_is_local((ct_scope)s), ==, local);
    }
}

static void
test_parse_format(void)
{
    static const char *const roundtrip[] = {"8.8.8.8",        "255.255.255.255", "2001:db8::1",
                                            "::ffff:1.2.3.4", "fe80::1",         "::"};
    static const char *const invalid[] = {"",          "1.2.3", "1.2.3.256",         "01.2.3.4",
                                          "1.2.3.4 ",  "::g",   "1:2:3:4:5:6:7:8:9", "localhost",
                                          "1.2.3.4/24"};
    char buf[CT_ADDR_STRLEN];
    ct_addr addr;

    for (size_t i = 0; i < G_N_ELEMENTS(roundtrip); i++) {
        g_assert_true(ct_addr_parse(roundtrip[i], &addr));
        ct_addr_format(&addr, buf);
        g_assert_cmpstr(buf, ==, roundtrip[i]);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(invalid); i++)
        g_assert_false(ct_addr_parse(invalid[i], &addr));
    g_assert_false(ct_addr_parse(NULL, &addr));
    g_assert_true(ct_addr_parse("2001:0DB8:0000::0001", &addr));
    ct_addr_format(&addr, buf);
    g_assert_cmpstr(buf, ==, "2001:db8::1");
}

static void
test_effective(void)
{
    ct_addr nat64, mapped, v4, eff;

    g_assert_true(ct_addr_parse("64:ff9b::808:808", &nat64));
    g_assert_true(ct_addr_parse("::ffff:8.8.8.8", &mapped));
    g_assert_true(ct_addr_parse("8.8.8.8", &v4));
    eff = ct_addr_effective(&nat64);
    g_assert_true(ct_addr_equal(&eff, &v4));
    eff = ct_addr_effective(&mapped);
    g_assert_true(ct_addr_equal(&eff, &v4));
    eff = ct_addr_effective(&v4);
    g_assert_true(ct_addr_equal(&eff, &v4));
    g_assert_false(ct_addr_equal(&nat64, &v4));
    g_assert_cmpuint(ct_addr_hash(&eff), ==, ct_addr_hash(&v4));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Address parsing and IANA special-purpose scopes");
    g_test_add_func("/addr/scope/ipv4", test_scope_ipv4);
    g_test_add_func("/addr/scope/ipv6", test_scope_ipv6);
    g_test_add_func("/addr/scope/names", test_scope_names);
    g_test_add_func("/addr/scope/local", test_scope_local);
    g_test_add_func("/addr/parse-format", test_parse_format);
    g_test_add_func("/addr/effective", test_effective);
    return g_test_run();
}
