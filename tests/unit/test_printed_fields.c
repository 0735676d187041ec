/* Unit tests for reading tshark's printed-field list from its arguments. */
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

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Which fields a tshark command line prints");
    g_test_add_func("/printed-fields/known", test_known);
    g_test_add_func("/printed-fields/unknown", test_unknown);
    return g_test_run();
}
