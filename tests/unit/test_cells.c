/* Unit tests for ct_cells: one scanned JSON member as one cell of ct_out,
 * the rule both commands convert JSON Lines to CSV with. */
#include <glib.h>
#include <string.h>

#include "ct_cells.h"

/* One record holding the member key of the JSON object line (absent when
 * key names none), in format; returns what was written. */
static char *
cell(ct_out_format format, const char *line, const char *key)
{
    ct_json *json = ct_json_new(0, 0);
    char *scratch = g_malloc(strlen(line) + 1);
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    ct_out *out = ct_out_new(format, stream);
    GError *error = NULL;

    g_assert_cmpint(ct_json_scan(json, line, strlen(line)), ==, CT_OK);
    ct_out_begin(out);
    ct_cells_member(out, "k", ct_json_find(json, key), scratch);
    ct_out_end(out);
    g_assert_true(ct_out_finish(out, &error));
    g_assert_no_error(error);
    ct_out_free(out);
    fclose(stream);
    ct_json_free(json);
    g_free(scratch);
    return text;
}

static void
check(const char *line, const char *key, const char *csv, const char *jsonl)
{
    char *got = cell(CT_OUT_CSV, line, key);

    g_assert_cmpstr(got, ==, csv);
    g_free(got);
    got = cell(CT_OUT_JSONL, line, key);
    g_assert_cmpstr(got, ==, jsonl);
    g_free(got);
}

/* Numbers are copied as written, never through a double. */
static void
test_numbers(void)
{
    check("{\"a\":443}", "a", "443\r\n", "{\"k\":443}\n");
    check("{\"a\":-0.000001}", "a", "-0.000001\r\n", "{\"k\":-0.000001}\n");
    check("{\"a\":1.10}", "a", "1.10\r\n", "{\"k\":1.10}\n");
    check("{\"a\":12345678901234567890}", "a", "12345678901234567890\r\n",
          "{\"k\":12345678901234567890}\n");
    check("{\"a\":6.02E+23}", "a", "6.02E+23\r\n", "{\"k\":6.02E+23}\n");
}

static void
test_booleans(void)
{
    check("{\"a\":true}", "a", "true\r\n", "{\"k\":true}\n");
    check("{\"a\":false}", "a", "false\r\n", "{\"k\":false}\n");
}

/* null and a member that is not there are both absent. */
static void
test_absent(void)
{
    check("{\"a\":null}", "a", "\r\n", "{\"k\":null}\n");
    check("{\"a\":1}", "b", "\r\n", "{\"k\":null}\n");
}

static void
test_strings(void)
{
    check("{\"a\":\"tcp\"}", "a", "tcp\r\n", "{\"k\":\"tcp\"}\n");
    check("{\"a\":\"\"}", "a", "\r\n", "{\"k\":\"\"}\n");
    /* Quoting is CSV's, of the decoded text. */
    check("{\"a\":\"Mountain View, CA\"}", "a", "\"Mountain View, CA\"\r\n",
          "{\"k\":\"Mountain View, CA\"}\n");
    check("{\"a\":\"say \\\"hi\\\"\"}", "a", "\"say \"\"hi\"\"\"\r\n",
          "{\"k\":\"say \\\"hi\\\"\"}\n");
    /* Escapes decode to their characters. */
    check("{\"a\":\"M\\u00fcnchen\"}", "a", "M\xc3\xbcnchen\r\n", "{\"k\":\"M\xc3\xbcnchen\"}\n");
    check("{\"a\":\"\\ud83d\\ude00\"}", "a", "\xf0\x9f\x98\x80\r\n",
          "{\"k\":\"\xf0\x9f\x98\x80\"}\n");
    check("{\"a\":\"a\\tb\"}", "a", "a\tb\r\n", "{\"k\":\"a\\tb\"}\n");
    check("{\"a\":\"two\\nlines\"}", "a", "\"two\nlines\"\r\n", "{\"k\":\"two\\nlines\"}\n");
    check("{\"a\":\"a\\/b\"}", "a", "a/b\r\n", "{\"k\":\"a/b\"}\n");
}

/* ct_out's guarantees hold for the decoded text: a formula spelled with
 * an escape is caught as one spelled plainly, and a NUL or other control
 * from \u escapes never reaches the output. */
static void
test_guarantees(void)
{
    check("{\"a\":\"=1+1\"}", "a", "\"'=1+1\"\r\n", "{\"k\":\"=1+1\"}\n");
    check("{\"a\":\"\\u003d1+1\"}", "a", "\"'=1+1\"\r\n", "{\"k\":\"=1+1\"}\n");
    check("{\"a\":\"\\t@x\"}", "a", "\"'\t@x\"\r\n", "{\"k\":\"\\t@x\"}\n");
    check("{\"a\":\"a\\u0000b\"}", "a",
          "a\xef\xbf\xbd"
          "b\r\n",
          "{\"k\":\"a\xef\xbf\xbd"
          "b\"}\n");
    check("{\"a\":\"\\u001b[31m\"}", "a", "\xef\xbf\xbd[31m\r\n", "{\"k\":\"\xef\xbf\xbd[31m\"}\n");
}

/* Objects and arrays are their JSON text: a text cell in CSV, the value
 * itself in JSON Lines. */
static void
test_nested(void)
{
    check("{\"a\":[1,2]}", "a", "\"[1,2]\"\r\n", "{\"k\":[1,2]}\n");
    check("{\"a\":{\"b\":\"c\"}}", "a", "\"{\"\"b\"\":\"\"c\"\"}\"\r\n", "{\"k\":{\"b\":\"c\"}}\n");
    check("{\"a\":[]}", "a", "[]\r\n", "{\"k\":[]}\n");
}

/* One scratch buffer serves every member of a record, the longest
 * included, and members are written in the caller's order. */
static void
test_record(void)
{
    static const char line[] = "{\"s\":\"\\u0041\\u0042\",\"n\":7,\"l\":\"\\u00e9\\u00e9\\u00e9\","
                               "\"z\":null,\"o\":[\"\\u0041\"]}";
    static const char *const keys[] = {"o", "l", "n", "missing", "s", "z"};
    ct_json *json = ct_json_new(0, 0);
    char *scratch = g_malloc(sizeof line);
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    ct_out *out = ct_out_new(CT_OUT_CSV, stream);

    g_assert_cmpint(ct_json_scan(json, line, sizeof line - 1), ==, CT_OK);
    for (int i = 0; i < 2; i++) {
        ct_out_begin(out);
        for (size_t k = 0; k < G_N_ELEMENTS(keys); k++)
            ct_cells_member(out, keys[k], ct_json_find(json, keys[k]), scratch);
        ct_out_end(out);
    }
    g_assert_true(ct_out_finish(out, NULL));
    ct_out_free(out);
    fclose(stream);
    g_assert_cmpstr(text, ==,
                    "\"[\"\"\\u0041\"\"]\",\xc3\xa9\xc3\xa9\xc3\xa9,7,,AB,\r\n"
                    "\"[\"\"\\u0041\"\"]\",\xc3\xa9\xc3\xa9\xc3\xa9,7,,AB,\r\n");
    free(text);
    ct_json_free(json);
    g_free(scratch);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cells/numbers", test_numbers);
    g_test_add_func("/cells/booleans", test_booleans);
    g_test_add_func("/cells/absent", test_absent);
    g_test_add_func("/cells/strings", test_strings);
    g_test_add_func("/cells/guarantees", test_guarantees);
    g_test_add_func("/cells/nested", test_nested);
    g_test_add_func("/cells/record", test_record);
    return g_test_run();
}
