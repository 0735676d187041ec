/* Unit tests for ct_args: PREFIX[,FORMAT][,FILTER] as `-z` gives it. */
#include <glib.h>
#include <string.h>

#include "ct_args.h"

#define PREFIX "camtrace,flows"

static const char *const formats[] = {"csv", "jsonl", NULL};

static ct_args
parse_ok(const char *arg)
{
    ct_args args;
    GError *error = NULL;

    g_assert_true(ct_args_parse(arg, PREFIX, formats, &args, &error));
    g_assert_no_error(error);
    return args;
}

static void
test_prefix_only(void)
{
    ct_args args = parse_ok(PREFIX);

    g_assert_cmpint(args.format, ==, 0);
    g_assert_null(args.filter);
}

static void
test_format(void)
{
    ct_args args = parse_ok(PREFIX ",jsonl");

    g_assert_cmpint(args.format, ==, 1);
    g_assert_null(args.filter);
    args = parse_ok(PREFIX ",csv");
    g_assert_cmpint(args.format, ==, 0);
    g_assert_null(args.filter);
}

static void
test_format_and_filter(void)
{
    const char *arg = PREFIX ",jsonl,ip.addr == 10.0.0.1,tcp";
    ct_args args = parse_ok(arg);

    g_assert_cmpint(args.format, ==, 1);
    g_assert_cmpstr(args.filter, ==, "ip.addr == 10.0.0.1,tcp");
    g_assert_true(args.filter == arg + sizeof PREFIX ",jsonl," - 1); /* inside arg */
}

static void
test_filter_only(void)
{
    ct_args args = parse_ok(PREFIX ",udp.port == 53");

    g_assert_cmpint(args.format, ==, 0);
    g_assert_cmpstr(args.filter, ==, "udp.port == 53");
}

static void
test_format_word_must_be_whole(void)
{
    static const char *const filters[] = {"csvx", "jsonl.x", "json", "cs", "CSV"};

    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        char *arg = g_strconcat(PREFIX ",", filters[i], NULL);
        ct_args args = parse_ok(arg);
        g_assert_cmpint(args.format, ==, 0);
        g_assert_cmpstr(args.filter, ==, filters[i]);
        g_free(arg);
    }
}

static void
test_empty_filter(void)
{
    ct_args args = parse_ok(PREFIX ",");

    g_assert_cmpint(args.format, ==, 0);
    g_assert_cmpstr(args.filter, ==, "");
    args = parse_ok(PREFIX ",jsonl,");
    g_assert_cmpint(args.format, ==, 1);
    g_assert_cmpstr(args.filter, ==, "");
}

static void
test_no_comma_after_prefix(void)
{
    ct_args args;
    GError *error = NULL;

    g_assert_false(ct_args_parse(PREFIX "x", PREFIX, formats, &args, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_INVALID);
    g_assert_cmpint(args.format, ==, 0);
    g_assert_null(args.filter);
    g_error_free(error);
}

static void
test_other_prefix(void)
{
    ct_args args;
    GError *error = NULL;

    g_assert_false(ct_args_parse("camtrace,devices", PREFIX, formats, &args, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_INVALID);
    g_error_free(error);
}

static void
test_error_message(void)
{
    static const char *const three[] = {"text", "csv", "jsonl", NULL};
    ct_args args;
    GError *error = NULL;

    g_assert_false(ct_args_parse("camtrace,devicesX", "camtrace,devices", three, &args, &error));
    g_assert_cmpstr(error->message, ==,
                    "invalid \"-z camtrace,devicesX\": use -z "
                    "camtrace,devices[,text|,csv|,jsonl][,FILTER]");
    g_error_free(error);
}

/* A format word with a value: "bulk=INDEX". */
static const char *const valued[] = {"csv", "jsonl", "ecs", "bulk=INDEX", NULL};

static void
test_value(void)
{
    const char *arg = PREFIX ",bulk=camtrace-flows,tcp.port == 443";
    ct_args args;
    GError *error = NULL;

    g_assert_true(ct_args_parse(arg, PREFIX, valued, &args, &error));
    g_assert_cmpint(args.format, ==, 3);
    g_assert_cmpuint(args.value_len, ==, strlen("camtrace-flows"));
    g_assert_true(strncmp(args.value, "camtrace-flows", args.value_len) == 0);
    g_assert_cmpstr(args.filter, ==, "tcp.port == 443");
    g_assert_true(ct_args_parse(PREFIX ",bulk=x", PREFIX, valued, &args, &error));
    g_assert_cmpint(args.format, ==, 3);
    g_assert_cmpuint(args.value_len, ==, 1);
    g_assert_null(args.filter);
    /* Words without a value have none. */
    g_assert_true(ct_args_parse(PREFIX ",ecs,udp", PREFIX, valued, &args, &error));
    g_assert_cmpint(args.format, ==, 2);
    g_assert_null(args.value);
    g_assert_cmpstr(args.filter, ==, "udp");
    /* "bulk" alone, or "bulkx=", is a filter. */
    g_assert_true(ct_args_parse(PREFIX ",bulk", PREFIX, valued, &args, &error));
    g_assert_cmpint(args.format, ==, 0);
    g_assert_cmpstr(args.filter, ==, "bulk");
    g_assert_true(ct_args_parse(PREFIX ",bulkx=a", PREFIX, valued, &args, &error));
    g_assert_cmpstr(args.filter, ==, "bulkx=a");
    g_assert_no_error(error);
}

static void
test_empty_value(void)
{
    ct_args args;
    GError *error = NULL;

    g_assert_false(ct_args_parse(PREFIX ",bulk=", PREFIX, valued, &args, &error));
    g_assert_cmpstr(error->message, ==,
                    "invalid \"-z camtrace,flows,bulk=\": use -z "
                    "camtrace,flows[,csv|,jsonl|,ecs|,bulk=INDEX][,FILTER]");
    g_assert_null(args.value);
    g_assert_null(args.filter);
    g_clear_error(&error);
    g_assert_false(ct_args_parse(PREFIX ",bulk=,tcp", PREFIX, valued, &args, &error));
    g_clear_error(&error);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("The -z argument of an export: prefix, format, filter");
    g_test_add_func("/args/prefix-only", test_prefix_only);
    g_test_add_func("/args/format", test_format);
    g_test_add_func("/args/format-and-filter", test_format_and_filter);
    g_test_add_func("/args/filter-only", test_filter_only);
    g_test_add_func("/args/format-word-must-be-whole", test_format_word_must_be_whole);
    g_test_add_func("/args/empty-filter", test_empty_filter);
    g_test_add_func("/args/no-comma-after-prefix", test_no_comma_after_prefix);
    g_test_add_func("/args/other-prefix", test_other_prefix);
    g_test_add_func("/args/error-message", test_error_message);
    g_test_add_func("/args/value", test_value);
    g_test_add_func("/args/empty-value", test_empty_value);
    return g_test_run();
}
