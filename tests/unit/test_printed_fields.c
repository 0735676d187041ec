/* Unit tests for reading tshark's printed-field list, and whether it
 * makes two passes, from its arguments. */
#include <glib.h>

#include "printed-fields.h"

static GHashTable *
parse(const char *cmdline)
{
    char **argv = NULL;
    int argc = 0;
    GHashTable *fields;

    g_assert_true(g_shell_parse_argv(cmdline, &argc, &argv, NULL));
    fields = camtrace_printed_fields_from_args(argc, argv);
    g_strfreev(argv);
    return fields;
}

static void
test_known(void)
{
    static const char *const cmdlines[] = {
        "tshark -r x.pcap -T fields -e ip.src -e camtrace.dst.ptr",
        "tshark -r x.pcap -Tfields -eip.src -ecamtrace.dst.ptr",
        "tshark -e ip.src -T json -e camtrace.dst.ptr -r x.pcap",
        "tshark -2 -T ek -e camtrace.dst.ptr -e ip.src",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cmdlines); i++) {
        GHashTable *fields = parse(cmdlines[i]);
        g_assert_nonnull(fields);
        g_assert_cmpuint(g_hash_table_size(fields), ==, 2);
        g_assert_true(g_hash_table_contains(fields, "camtrace.dst.ptr"));
        g_assert_true(g_hash_table_contains(fields, "ip.src"));
        g_hash_table_destroy(fields);
    }
}

static void
test_unknown(void)
{
    static const char *const cmdlines[] = {
        "tshark -r x.pcap",                    /* no -T */
        "tshark -r x.pcap -V",                 /* details: every field */
        "tshark -r x.pcap -T json",            /* json without -e */
        "tshark -r x.pcap -T text -e ip.src",  /* -e does not restrict text */
        "tshark -r x.pcap -T fields -e",       /* -e without a value */
        "tshark -r x.pcap --export-objects x", /* long options are skipped */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cmdlines); i++)
        g_assert_null(parse(cmdlines[i]));
}

static gboolean
two_pass(const char *cmdline)
{
    char **argv = NULL;
    int argc = 0;
    gboolean two;

    g_assert_true(g_shell_parse_argv(cmdline, &argc, &argv, NULL));
    two = camtrace_two_pass_from_args(argc, argv);
    g_strfreev(argv);
    return two;
}

static void
test_two_pass(void)
{
    g_assert_true(two_pass("tshark -2 -r x.pcap"));
    g_assert_true(two_pass("tshark -r x.pcap -q2 -z camtrace,flows"));
    g_assert_true(two_pass("tshark -V2n -r x.pcap"));
    g_assert_false(two_pass("tshark -r x.pcap"));
    /* A 2 inside an option's value is no -2. */
    g_assert_false(two_pass("tshark -c2000 -r x.pcap"));
    g_assert_false(two_pass("tshark -r x.pcap -o camtrace.ptr_timeout_ms:200 -Y 'ip.ttl == 2'"));
    g_assert_false(two_pass("tshark --export-objects http,x2 -r x.pcap"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Which fields a tshark command line prints");
    g_test_add_func("/printed-fields/known", test_known);
    g_test_add_func("/printed-fields/unknown", test_unknown);
    g_test_add_func("/printed-fields/two-pass", test_two_pass);
    return g_test_run();
}
