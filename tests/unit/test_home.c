/* Unit tests for ct_home: reading the home country, the foreign verdict
 * of two hosts and its text for people. */
#include <glib.h>

#include "ct_home.h"

/* A host as the enricher would give it, without databases: scope from
 * the address, located country as given. */
static ct_host
host(const char *text, const char *country_iso)
{
    ct_host h = {0};

    g_assert_true(ct_addr_parse(text, &h.addr));
    h.scope = ct_addr_scope(&h.addr);
    h.geo.country_iso = country_iso;
    return h;
}

static void
test_parse_unset(void)
{
    static const char *const unset[] = {"", " ", "\t \n"};
    char code[CT_HOME_CODE_SIZE] = "XX";

    g_assert_true(ct_home_parse(NULL, code, NULL));
    g_assert_cmpstr(code, ==, "");
    for (size_t i = 0; i < G_N_ELEMENTS(unset); i++) {
        GError *error = NULL;
        code[0] = 'X';
        g_assert_true(ct_home_parse(unset[i], code, &error));
        g_assert_no_error(error);
        g_assert_cmpstr(code, ==, "");
    }
}

static void
test_parse_code(void)
{
    static const struct {
        const char *text, *code;
    } cases[] = {{"DE", "DE"}, {"de", "DE"}, {"uS", "US"}, {" nl\t", "NL"}, {"\nAT \n", "AT"}};

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char code[CT_HOME_CODE_SIZE];
        GError *error = NULL;
        g_assert_true(ct_home_parse(cases[i].text, code, &error));
        g_assert_no_error(error);
        g_assert_cmpstr(code, ==, cases[i].code);
    }
}

static void
test_parse_invalid(void)
{
    static const char *const bad[] = {"D", "DEU", "D1", "12", "D-", "Germany", "\xc3\x84T"};

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char code[CT_HOME_CODE_SIZE] = "XX";
        GError *error = NULL;
        g_assert_false(ct_home_parse(bad[i], code, &error));
        g_assert_error(error, CT_ERROR, CT_ERR_INVALID);
        g_assert_cmpstr(code, ==, "");
        g_error_free(error);
    }
}

static void
test_parse_message(void)
{
    char code[CT_HOME_CODE_SIZE];
    GError *error = NULL;

    g_assert_false(ct_home_parse("  Deutschland ", code, &error));
    g_assert_cmpstr(error->message, ==,
                    "home country \"Deutschland\": not an ISO 3166-1 alpha-2 code (such as DE or "
                    "US)");
    g_error_free(error);
}

static void
test_foreign_no_home(void)
{
    ct_host abroad = host("8.8.8.8", "US");

    g_assert_cmpint(ct_home_foreign(NULL, &abroad, NULL), ==, CT_FOREIGN_UNKNOWN);
    g_assert_cmpint(ct_home_foreign("", &abroad, &abroad), ==, CT_FOREIGN_UNKNOWN);
}

static void
test_foreign_abroad(void)
{
    ct_host local = host("192.168.1.20", NULL);
    ct_host abroad = host("8.8.8.8", "US");

    g_assert_cmpint(ct_home_foreign("DE", &local, &abroad), ==, CT_FOREIGN_YES);
    g_assert_cmpint(ct_home_foreign("DE", &abroad, &local), ==, CT_FOREIGN_YES);
    g_assert_cmpint(ct_home_foreign("DE", &abroad, NULL), ==, CT_FOREIGN_YES);
}

static void
test_foreign_at_home(void)
{
    ct_host local = host("192.168.1.20", NULL);
    ct_host home = host("35.157.100.20", "DE");

    g_assert_cmpint(ct_home_foreign("DE", &local, &home), ==, CT_FOREIGN_NO);
    g_assert_cmpint(ct_home_foreign("DE", &home, &home), ==, CT_FOREIGN_NO);
    g_assert_cmpint(ct_home_foreign("DE", NULL, &home), ==, CT_FOREIGN_NO);
}

static void
test_foreign_one_end_abroad(void)
{
    ct_host home = host("35.157.100.20", "DE");
    ct_host abroad = host("8.8.8.8", "US");

    g_assert_cmpint(ct_home_foreign("DE", &home, &abroad), ==, CT_FOREIGN_YES);
    g_assert_cmpint(ct_home_foreign("DE", &abroad, &home), ==, CT_FOREIGN_YES);
}

static void
test_foreign_only_global_counts(void)
{
    /* A country on a private address (no database gives one) is nowhere. */
    ct_host private_there = host("10.1.2.3", "US");
    ct_host home = host("35.157.100.20", "DE");

    g_assert_cmpint(ct_home_foreign("DE", &private_there, NULL), ==, CT_FOREIGN_UNKNOWN);
    g_assert_cmpint(ct_home_foreign("DE", &private_there, &home), ==, CT_FOREIGN_NO);
}

static void
test_foreign_without_country(void)
{
    ct_host anycast = host("1.1.1.1", NULL);
    ct_host home = host("35.157.100.20", "DE");
    ct_host abroad = host("8.8.8.8", "US");

    g_assert_cmpint(ct_home_foreign("DE", &anycast, NULL), ==, CT_FOREIGN_UNKNOWN);
    g_assert_cmpint(ct_home_foreign("DE", &anycast, &home), ==, CT_FOREIGN_NO);
    g_assert_cmpint(ct_home_foreign("DE", &anycast, &abroad), ==, CT_FOREIGN_YES);
    g_assert_cmpint(ct_home_foreign("DE", NULL, NULL), ==, CT_FOREIGN_UNKNOWN);
}

static void
test_any_global(void)
{
    ct_host local = host("192.168.1.20", NULL);
    ct_host global = host("1.1.1.1", NULL);

    g_assert_false(ct_home_any_global(NULL, NULL));
    g_assert_false(ct_home_any_global(&local, &local));
    g_assert_true(ct_home_any_global(&local, &global));
    g_assert_true(ct_home_any_global(NULL, &global));
    g_assert_true(ct_home_any_global(&global, NULL));
}

static void
test_text_verdicts(void)
{
    g_assert_cmpstr(ct_home_foreign_text("DE", CT_FOREIGN_YES, TRUE), ==, "yes");
    g_assert_cmpstr(ct_home_foreign_text("DE", CT_FOREIGN_NO, TRUE), ==, "no");
}

static void
test_text_unknown(void)
{
    g_assert_cmpstr(ct_home_foreign_text("DE", CT_FOREIGN_UNKNOWN, TRUE), ==, "unknown");
    g_assert_cmpstr(ct_home_foreign_text("DE", CT_FOREIGN_UNKNOWN, FALSE), ==, "");
    g_assert_cmpstr(ct_home_foreign_text(NULL, CT_FOREIGN_UNKNOWN, TRUE), ==, "");
    g_assert_cmpstr(ct_home_foreign_text("", CT_FOREIGN_UNKNOWN, TRUE), ==, "");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("The home country and the foreign verdict");
    g_test_add_func("/home/parse/unset", test_parse_unset);
    g_test_add_func("/home/parse/code", test_parse_code);
    g_test_add_func("/home/parse/invalid", test_parse_invalid);
    g_test_add_func("/home/parse/message", test_parse_message);
    g_test_add_func("/home/foreign/no-home", test_foreign_no_home);
    g_test_add_func("/home/foreign/abroad", test_foreign_abroad);
    g_test_add_func("/home/foreign/at-home", test_foreign_at_home);
    g_test_add_func("/home/foreign/one-end-abroad", test_foreign_one_end_abroad);
    g_test_add_func("/home/foreign/only-global-counts", test_foreign_only_global_counts);
    g_test_add_func("/home/foreign/without-country", test_foreign_without_country);
    g_test_add_func("/home/any-global", test_any_global);
    g_test_add_func("/home/text/verdicts", test_text_verdicts);
    g_test_add_func("/home/text/unknown", test_text_unknown);
    return g_test_run();
}
