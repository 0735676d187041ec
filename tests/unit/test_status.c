/* Unit tests for ct_status: stable values and their descriptions. */
#include <glib.h>

#include "ct_status.h"

/* Append-only: tools and tests rely on the numbers. */
static void
test_values_stable(void)
{
    g_assert_cmpint(CT_OK, ==, 0);
    g_assert_cmpint(CT_ERR_NOT_FOUND, ==, 1);
    g_assert_cmpint(CT_ERR_UNREADABLE, ==, 2);
    g_assert_cmpint(CT_ERR_CORRUPT, ==, 3);
    g_assert_cmpint(CT_ERR_WRONG_SCHEMA, ==, 4);
    g_assert_cmpint(CT_ERR_NOT_A_FILE, ==, 5);
    g_assert_cmpint(CT_ERR_INVALID, ==, 6);
    g_assert_cmpint(CT_ERR_WRITE, ==, 7);
    g_assert_cmpint(CT_ERR_SYSTEM, ==, 8);
    g_assert_cmpint(CT_ERR_RESOLVER, ==, 9);
}

/* Every status has its own text. */
static void
test_strerror_distinct(void)
{
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (int s = CT_OK; s <= CT_ERR_RESOLVER; s++) {
        const char *text = ct_strerror((ct_status)s);
        g_assert_nonnull(text);
        g_assert_cmpstr(text, !=, "unknown status");
        g_assert_false(g_hash_table_contains(seen, text));
        g_hash_table_add(seen, (gpointer)text);
    }
    g_hash_table_destroy(seen);
}

static void
test_strerror_new_codes(void)
{
    g_assert_cmpstr(ct_strerror(CT_ERR_WRITE), ==, "output cannot be written");
    g_assert_cmpstr(ct_strerror(CT_ERR_SYSTEM), ==, "system resource unavailable");
    g_assert_cmpstr(ct_strerror(CT_ERR_RESOLVER), ==, "DNS resolver cannot start");
}

static void
test_strerror_unknown(void)
{
    g_assert_cmpstr(ct_strerror((ct_status)(CT_ERR_RESOLVER + 1)), ==, "unknown status");
    g_assert_cmpstr(ct_strerror((ct_status)-1), ==, "unknown status");
}

static void
test_quark(void)
{
    g_assert_cmpstr(g_quark_to_string(CT_ERROR), ==, "camtrace-error-quark");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Status codes shared by the core");
    g_test_add_func("/status/values-stable", test_values_stable);
    g_test_add_func("/status/strerror-distinct", test_strerror_distinct);
    g_test_add_func("/status/strerror-new-codes", test_strerror_new_codes);
    g_test_add_func("/status/strerror-unknown", test_strerror_unknown);
    g_test_add_func("/status/quark", test_quark);
    return g_test_run();
}
