/* Unit tests for ct_netlist: the user's own networks. */
#include <glib.h>

#include <string.h>

#include "ct_netlist.h"
#include "ct_status.h"

static bool
contains(const ct_netlist *list, const char *text)
{
    ct_addr a;

    g_assert_true(ct_addr_parse(text, &a));
    return ct_netlist_contains(list, &a);
}

static void
test_empty(void)
{
    ct_netlist *list = ct_netlist_parse(NULL, NULL);

    g_assert_cmpuint(ct_netlist_size(list), ==, 0);
    g_assert_false(contains(list, "203.0.113.7"));
    ct_netlist_free(list);
    list = ct_netlist_parse(" , ", NULL);
    g_assert_cmpuint(ct_netlist_size(list), ==, 0);
    ct_netlist_free(list);
    g_assert_false(contains(NULL, "203.0.113.7"));
}

static void
test_ipv4_boundaries(void)
{
    ct_netlist *list = ct_netlist_parse("203.0.113.0/24, 198.51.100.128/25", NULL);

    g_assert_cmpuint(ct_netlist_size(list), ==, 2);
    g_assert_true(contains(list, "203.0.113.0"));
    g_assert_true(contains(list, "203.0.113.255"));
    g_assert_false(contains(list, "203.0.112.255"));
    g_assert_false(contains(list, "203.0.114.0"));
    g_assert_true(contains(list, "198.51.100.128"));
    g_assert_false(contains(list, "198.51.100.127"));
    g_assert_false(contains(list, "2001:db8::1"));
    ct_netlist_free(list);
}

static void
test_ipv6_and_hosts(void)
{
    ct_netlist *list = ct_netlist_parse("2001:db8:1::/48 192.0.2.9\t2001:db8::5", NULL);

    g_assert_cmpuint(ct_netlist_size(list), ==, 3);
    g_assert_true(contains(list, "2001:db8:1:ffff::1"));
    g_assert_false(contains(list, "2001:db8:2::1"));
    g_assert_true(contains(list, "192.0.2.9"));
    g_assert_false(contains(list, "192.0.2.10"));
    g_assert_true(contains(list, "2001:db8::5"));
    g_assert_false(contains(list, "2001:db8::6"));
    ct_netlist_free(list);
}

static void
test_everything(void)
{
    ct_netlist *list = ct_netlist_parse("0.0.0.0/0", NULL);

    g_assert_true(contains(list, "8.8.8.8"));
    g_assert_false(contains(list, "::1"));
    ct_netlist_free(list);
}

static void
expect_error(const char *text, const char *entry, const char *why)
{
    GError *error = NULL;

    g_assert_null(ct_netlist_parse(text, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_INVALID);
    g_assert_nonnull(strstr(error->message, entry));
    g_assert_nonnull(strstr(error->message, why));
    g_error_free(error);
}

static void
test_errors(void)
{
    expect_error("10.0.0.0/8, example.net", "\"example.net\"", "not an IPv4 or IPv6 address");
    expect_error("10.0.0.0/33", "\"10.0.0.0/33\"", "0 to 32");
    expect_error("2001:db8::/129", "\"2001:db8::/129\"", "0 to 128");
    expect_error("10.0.0.0/", "\"10.0.0.0/\"", "0 to 32");
    expect_error("10.0.0.1/24", "\"10.0.0.1/24\"", "bits are set after the prefix length");
    expect_error("203.0.113.128/24", "\"203.0.113.128/24\"", "bits are set");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/netlist/empty", test_empty);
    g_test_add_func("/netlist/ipv4-boundaries", test_ipv4_boundaries);
    g_test_add_func("/netlist/ipv6-and-hosts", test_ipv6_and_hosts);
    g_test_add_func("/netlist/everything", test_everything);
    g_test_add_func("/netlist/errors", test_errors);
    return g_test_run();
}
