/* Unit tests for ct_out: RFC 4180 CSV, spreadsheet safety, JSON Lines. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "ct_out.h"

/* Run fn on a fresh writer of the given format; returns what it wrote. */
typedef void (*write_fn)(ct_out *out);

static char *
written(ct_out_format format, write_fn fn)
{
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    ct_out *out = ct_out_new(format, stream);
    GError *error = NULL;

    fn(out);
    g_assert_true(ct_out_finish(out, &error));
    g_assert_no_error(error);
    ct_out_free(out);
    fclose(stream);
    return text;
}

static const char *cell_text;
static size_t cell_len;

static void
one_cell(ct_out *out)
{
    ct_out_begin(out);
    ct_out_string_len(out, "k", cell_text, cell_len);
    ct_out_end(out);
}

static void
check_cell(const char *in, size_t len, const char *csv, const char *jsonl)
{
    char *got;

    cell_text = in;
    cell_len = len;
    got = written(CT_OUT_CSV, one_cell);
    g_assert_cmpstr(got, ==, csv);
    free(got);
    got = written(CT_OUT_JSONL, one_cell);
    g_assert_cmpstr(got, ==, jsonl);
    free(got);
}

#define CELL(in, csv, jsonl) check_cell(in, sizeof in - 1, csv, jsonl)

static void
test_plain_and_quoted(void)
{
    CELL("example.com", "example.com\r\n", "{\"k\":\"example.com\"}\n");
    CELL("", "\r\n", "{\"k\":\"\"}\n");
    CELL("a,b", "\"a,b\"\r\n", "{\"k\":\"a,b\"}\n");
    CELL("say \"hi\"", "\"say \"\"hi\"\"\"\r\n", "{\"k\":\"say \\\"hi\\\"\"}\n");
    CELL("two\nlines", "\"two\nlines\"\r\n", "{\"k\":\"two\\nlines\"}\n");
    CELL("back\\slash", "back\\slash\r\n", "{\"k\":\"back\\\\slash\"}\n");
    CELL("M\xc3\xa1laga", "M\xc3\xa1laga\r\n", "{\"k\":\"M\xc3\xa1laga\"}\n");
}

/* OWASP CSV injection: formula starters become text; JSON is untouched. */
static void
test_injection(void)
{
    CELL("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"\r\n",
         "{\"k\":\"=HYPERLINK(\\\"x\\\")\"}\n");
    CELL("+1", "\"'+1\"\r\n", "{\"k\":\"+1\"}\n");
    CELL("-2+3", "\"'-2+3\"\r\n", "{\"k\":\"-2+3\"}\n");
    CELL("@SUM(A1)", "\"'@SUM(A1)\"\r\n", "{\"k\":\"@SUM(A1)\"}\n");
    CELL("\tx", "\"'\tx\"\r\n", "{\"k\":\"\\tx\"}\n");
    CELL("\rx", "\"'\rx\"\r\n", "{\"k\":\"\\rx\"}\n");
    CELL("a=b", "a=b\r\n", "{\"k\":\"a=b\"}\n");
}

/* Invalid UTF-8, NUL and other controls never reach the output. */
static void
test_bad_bytes(void)
{
    CELL("a\xff"
         "b",
         "a\xef\xbf\xbd"
         "b\r\n",
         "{\"k\":\"a\xef\xbf\xbd"
         "b\"}\n");
    CELL("a\0b",
         "a\xef\xbf\xbd"
         "b\r\n",
         "{\"k\":\"a\xef\xbf\xbd"
         "b\"}\n");
    CELL("\x01", "\xef\xbf\xbd\r\n", "{\"k\":\"\xef\xbf\xbd\"}\n");
    /* A truncated multi-byte sequence at the end. */
    CELL("x\xc3", "x\xef\xbf\xbd\r\n", "{\"k\":\"x\xef\xbf\xbd\"}\n");
}

static void
numbers(ct_out *out)
{
    ct_out_begin(out);
    ct_out_uint(out, "zero", 0);
    ct_out_uint(out, "big", G_MAXUINT64);
    ct_out_double(out, "lat", -33.8688);
    ct_out_double(out, "lon", 151.2093);
    ct_out_double(out, "third", 1.0 / 3.0);
    ct_out_double(out, "nan", NAN);
    ct_out_number(out, "raw", "-1.5e3", 6);
    ct_out_null(out, "none");
    ct_out_timestamp(out, "ts", 1764264000, 42);
    ct_out_timestamp(out, "ts2", 1764264000, 999999);
    ct_out_timestamp(out, "epoch", 0, 0);
    ct_out_end(out);
}

static void
test_numbers(void)
{
    char *csv = written(CT_OUT_CSV, numbers);
    char *jsonl = written(CT_OUT_JSONL, numbers);

    /* Negative numbers are numbers: no apostrophe. */
    g_assert_cmpstr(csv, ==,
                    "0,18446744073709551615,-33.8688,151.2093,0.33333333333333331,,-1.5e3,,"
                    "2025-11-27T17:20:00.000042Z,2025-11-27T17:20:00.999999Z,"
                    "1970-01-01T00:00:00.000000Z\r\n");
    g_assert_cmpstr(
        jsonl, ==,
        "{\"zero\":0,\"big\":18446744073709551615,\"lat\":-33.8688,\"lon\":151.2093,"
        "\"third\":0.33333333333333331,\"nan\":null,\"raw\":-1.5e3,\"none\":null,"
        "\"ts\":\"2025-11-27T17:20:00.000042Z\",\"ts2\":\"2025-11-27T17:20:00.999999Z\","
        "\"epoch\":\"1970-01-01T00:00:00.000000Z\"}\n");
    free(csv);
    free(jsonl);
}

/* The text the flow table shows: the same as ct_out_timestamp's cells. */
static void
test_timestamp_text(void)
{
    char text[CT_OUT_TIMESTAMP_LEN];

    g_assert_true(ct_out_format_timestamp(1764264000, 42, text));
    g_assert_cmpstr(text, ==, "2025-11-27T17:20:00.000042Z");
    g_assert_true(ct_out_format_timestamp(0, 1999999, text));
    g_assert_cmpstr(text, ==, "1970-01-01T00:00:00.999999Z");
    g_assert_false(ct_out_format_timestamp(INT64_MAX, 0, text));
    g_assert_cmpstr(text, ==, "");
}

static void
host_cells(ct_out *out)
{
    ct_host host = {0};

    host.scope = CT_SCOPE_GLOBAL;
    host.geo.asn = 15169;
    host.geo.as_org = "=GOOGLE";
    host.geo.country_iso = "US";
    host.geo.country = "United States";
    host.geo.city = "Mountain View";
    host.geo.has_location = true;
    host.geo.latitude = 37.751;
    host.geo.longitude = -97.822;
    ct_out_begin(out);
    ct_out_host(out, CT_OUT_SRC, NULL, NULL);
    ct_out_host(out, CT_OUT_DST, &host, "dns.google");
    ct_out_end(out);
}

static void
test_host(void)
{
    char *csv = written(CT_OUT_CSV, host_cells);
    char *jsonl = written(CT_OUT_JSONL, host_cells);

    g_assert_cmpstr(csv, ==,
                    ",,,,,,,,,dns.google,15169,\"'=GOOGLE\",US,United States,,Mountain View,"
                    "37.751,-97.822\r\n");
    g_assert_cmpstr(jsonl, ==,
                    "{\"src_ptr\":null,\"src_asn\":null,\"src_as_org\":null,"
                    "\"src_country_iso\":null,\"src_country_name\":null,\"src_region\":null,"
                    "\"src_city\":null,\"src_latitude\":null,\"src_longitude\":null,"
                    "\"dst_ptr\":\"dns.google\",\"dst_asn\":15169,\"dst_as_org\":\"=GOOGLE\","
                    "\"dst_country_iso\":\"US\",\"dst_country_name\":\"United States\","
                    "\"dst_region\":null,\"dst_city\":\"Mountain View\",\"dst_latitude\":37.751,"
                    "\"dst_longitude\":-97.822}\n");
    free(csv);
    free(jsonl);
}

static void
header(ct_out *out)
{
    ct_out_header(out, ct_out_seed_columns, CT_OUT_SEED_COLUMNS);
    ct_out_begin(out);
    ct_out_end(out);
}

static void
test_header(void)
{
    char *csv = written(CT_OUT_CSV, header);
    char *jsonl = written(CT_OUT_JSONL, header);

    g_assert_cmpstr(csv, ==,
                    "ts,proto,src_ip,src_port,dst_ip,dst_port,bytes,pkts,src_ptr,src_asn,"
                    "src_as_org,src_country_iso,src_country_name,src_region,src_city,"
                    "src_latitude,src_longitude,dst_ptr,dst_asn,dst_as_org,dst_country_iso,"
                    "dst_country_name,dst_region,dst_city,dst_latitude,dst_longitude\r\n\r\n");
    /* JSON Lines has no header; an empty record is an empty object. */
    g_assert_cmpstr(jsonl, ==, "{}\n");
    free(csv);
    free(jsonl);
}

/* Many records pass through the buffer in order and intact. */
static void
test_large(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    ct_out *out = ct_out_new(CT_OUT_CSV, stream);
    char **lines;

    for (guint i = 0; i < 20000; i++) {
        ct_out_begin(out);
        ct_out_uint(out, "i", i);
        ct_out_string(out, "s", "abcdefghij");
        ct_out_end(out);
    }
    g_assert_true(ct_out_finish(out, NULL));
    ct_out_free(out);
    fclose(stream);
    lines = g_strsplit(text, "\r\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 20001);
    g_assert_cmpstr(lines[0], ==, "0,abcdefghij");
    g_assert_cmpstr(lines[19999], ==, "19999,abcdefghij");
    g_strfreev(lines);
    free(text);
}

/* A full disk is reported, not ignored. */
static void
test_write_error(void)
{
    FILE *full = fopen("/dev/full", "w");
    ct_out *out;
    GError *error = NULL;

    if (full == NULL) {
        g_test_skip("no /dev/full");
        return;
    }
    out = ct_out_new(CT_OUT_JSONL, full);
    ct_out_begin(out);
    ct_out_string(out, "k", "v");
    ct_out_end(out);
    g_assert_false(ct_out_finish(out, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_WRITE);
    g_assert_nonnull(strstr(error->message, "No space left"));
    g_error_free(error);
    ct_out_free(out);
    fclose(full);
}

static void
json_values(ct_out *out)
{
    static const char object[] = "{\"a\": [1,\t2],\r\n\"b\":\"x\\ty\"}";

    ct_out_begin(out);
    ct_out_json_value(out, "n", "-1.5e3", 6);
    ct_out_json_value(out, "s", "\"=HYPERLINK(\\\"x\\\")\"", 19);
    ct_out_json_value(out, "o", object, sizeof object - 1);
    ct_out_json_value(out, "e", "\"\xc3\xa9\"", 4);
    ct_out_json_value(out, "t", "true", 4);
    ct_out_json_value(out, "z", "null", 4);
    ct_out_json_value(out, "none", NULL, 0);
    ct_out_end(out);
}

/* A JSON value passes through JSON Lines as it is, whitespace between
 * tokens flattened so the record stays on one line; CSV gets its text as
 * a text cell, with the usual quoting and injection guard (a number too:
 * numbers that should stay numbers go through ct_out_number). */
static void
test_json_value(void)
{
    char *csv = written(CT_OUT_CSV, json_values);
    char *jsonl = written(CT_OUT_JSONL, json_values);

    g_assert_cmpstr(jsonl, ==,
                    "{\"n\":-1.5e3,\"s\":\"=HYPERLINK(\\\"x\\\")\","
                    "\"o\":{\"a\": [1, 2],  \"b\":\"x\\ty\"},\"e\":\"\xc3\xa9\",\"t\":true,"
                    "\"z\":null,\"none\":null}\n");
    g_assert_cmpstr(
        csv, ==,
        "\"'-1.5e3\",\"\"\"=HYPERLINK(\\\"\"x\\\"\")\"\"\","
        "\"{\"\"a\"\": [1,\t2],\r\n\"\"b\"\":\"\"x\\ty\"\"}\",\"\"\"\xc3\xa9\"\"\",true,"
        "null,\r\n");
    free(csv);
    free(jsonl);
}

static void
json_value_bad_bytes(ct_out *out)
{
    /* Not valid JSON (the caller broke the contract): the output is still
     * one line of valid UTF-8 without controls. */
    ct_out_begin(out);
    ct_out_json_value(out, "k", "\"a\xff\x01\0b\"", 7);
    ct_out_end(out);
}

static void
test_json_value_guarantees(void)
{
    char *jsonl = written(CT_OUT_JSONL, json_value_bad_bytes);

    g_assert_cmpstr(jsonl, ==, "{\"k\":\"a\xef\xbf\xbd  b\"}\n");
    free(jsonl);
}

static const ct_host *render_host;
static const char *render_ptr;
static bool use_rendered;

static void
host_record(ct_out *out)
{
    ct_out_begin(out);
    ct_out_string(out, "before", "x");
    for (int side = CT_OUT_SRC; side <= CT_OUT_DST; side++) {
        if (use_rendered) {
            size_t len;
            char *text =
                ct_out_host_render(ct_out_get_format(out), side, render_host, render_ptr, &len);
            g_assert_cmpuint(strlen(text), ==, len);
            ct_out_rendered(out, text, len);
            g_free(text);
        } else {
            ct_out_host(out, side, render_host, render_ptr);
        }
    }
    ct_out_end(out);
    /* Rendered cells may also open a record. */
    ct_out_begin(out);
    if (use_rendered) {
        size_t len;
        char *text =
            ct_out_host_render(ct_out_get_format(out), CT_OUT_DST, render_host, render_ptr, &len);
        ct_out_rendered(out, text, len);
        g_free(text);
    } else {
        ct_out_host(out, CT_OUT_DST, render_host, render_ptr);
    }
    ct_out_end(out);
}

/* Rendered once and written later is byte for byte ct_out_host(). */
static void
test_host_render(void)
{
    ct_host host = {0};
    const ct_host *hosts[] = {NULL, &host};
    const char *ptrs[] = {NULL, "=dns,\"google\""};

    host.scope = CT_SCOPE_GLOBAL;
    host.geo.asn = 3352;
    host.geo.as_org = "-TELEFONICA, \"DE\" ESPANA";
    host.geo.country_iso = "ES";
    host.geo.country = "Spain";
    host.geo.region = "M\xc3\xa1laga";
    host.geo.city = "M\xc3\xa1laga";
    host.geo.has_location = true;
    host.geo.latitude = 36.7202;
    host.geo.longitude = -4.4203;
    for (size_t h = 0; h < G_N_ELEMENTS(hosts); h++) {
        for (size_t p = 0; p < G_N_ELEMENTS(ptrs); p++) {
            for (int format = CT_OUT_CSV; format <= CT_OUT_JSONL; format++) {
                char *direct, *rendered;

                render_host = hosts[h];
                render_ptr = ptrs[p];
                use_rendered = false;
                direct = written(format, host_record);
                use_rendered = true;
                rendered = written(format, host_record);
                g_assert_cmpstr(rendered, ==, direct);
                free(direct);
                free(rendered);
            }
        }
    }
}

static double double_value;

static void
one_double(ct_out *out)
{
    ct_out_begin(out);
    ct_out_double(out, "d", double_value);
    ct_out_end(out);
}

/* ct_out_double's fast path for values with at most six decimals gives
 * the text of the reference algorithm ("%.15g", "%.17g" when that does
 * not read back), for coordinates, round numbers, and values either side
 * of the fast path's limits. */
static void
test_double_text(void)
{
    /* No pow(): the tests link no libm. */
    static const double tens[] = {1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3,
                                  1e-2,  1e-1,  1e0,   1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,   1e9,   1e10,  1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
    GRand *rand = g_rand_new_with_seed(4326);

    for (int i = 0; i < 20000; i++) {
        char expected[G_ASCII_DTOSTR_BUF_SIZE + 8], want[G_ASCII_DTOSTR_BUF_SIZE];
        char *got;
        double v;

        switch (i % 5) {
        case 0: /* a MaxMind coordinate: four decimals */
            v = (double)g_rand_int_range(rand, -1800000, 1800001) / 1e4;
            break;
        case 1: /* up to eight decimals, some beyond the fast path */
            v = (double)g_rand_int_range(rand, -2000000000, 2000000000) /
                tens[12 + g_rand_int_range(rand, 0, 9)];
            break;
        case 2: /* any double of a wide range */
            v = g_rand_double_range(rand, -1e10, 1e10);
            break;
        case 3: /* around the limits 1e-4 and 1e9 */
            v = (i & 8 ? 1e-4 : 1e9) * (1.0 + g_rand_double_range(rand, -1e-6, 1e-6));
            break;
        default: /* small and huge */
            v = g_rand_double_range(rand, 1, 10) * tens[g_rand_int_range(rand, 0, 30)] *
                (i & 16 ? -1 : 1);
        }
        g_ascii_formatd(want, sizeof want, "%.15g", v);
        if (g_ascii_strtod(want, NULL) != v)
            g_ascii_formatd(want, sizeof want, "%.17g", v);
        g_snprintf(expected, sizeof expected, "%s\r\n", want);
        double_value = v;
        got = written(CT_OUT_CSV, one_double);
        if (strcmp(got, expected) != 0)
            g_error("%.17g: got %s, expected %s", v, got, expected);
        free(got);
    }
    g_rand_free(rand);
}

static void
nested(ct_out *out)
{
    ct_out_begin(out);
    ct_out_string(out, "a", "x");
    ct_out_object_begin(out, "o");
    ct_out_uint(out, "n", 1);
    ct_out_object_begin(out, "inner");
    ct_out_object_end(out);
    ct_out_array_begin(out, "list");
    ct_out_string(out, NULL, "p");
    ct_out_uint(out, NULL, 2);
    ct_out_object_begin(out, NULL);
    ct_out_number(out, "t", "true", 4);
    ct_out_object_end(out);
    ct_out_array_end(out);
    ct_out_array_begin(out, "none");
    ct_out_array_end(out);
    ct_out_object_end(out);
    ct_out_uint(out, "z", 3);
    ct_out_end(out);
    /* A record that starts with an object. */
    ct_out_begin(out);
    ct_out_object_begin(out, "o");
    ct_out_string(out, "k", "v");
    ct_out_object_end(out);
    ct_out_end(out);
}

/* Objects and arrays in JSON Lines; CSV writes their cells flat. */
static void
test_nested(void)
{
    char *got = written(CT_OUT_JSONL, nested);

    g_assert_cmpstr(got, ==,
                    "{\"a\":\"x\",\"o\":{\"n\":1,\"inner\":{},\"list\":[\"p\",2,{\"t\":true}],"
                    "\"none\":[]},\"z\":3}\n{\"o\":{\"k\":\"v\"}}\n");
    free(got);
    got = written(CT_OUT_CSV, nested);
    g_assert_cmpstr(got, ==, "x,1,p,2,true,3\r\nv\r\n");
    free(got);
}

static void
render_two(ct_out *out, const void *data)
{
    ct_out_string(out, "k", data);
    ct_out_object_begin(out, "o");
    ct_out_uint(out, "n", 5);
    ct_out_object_end(out);
}

static char *rendered_text;
static size_t rendered_len;

static void
nested_rendered(ct_out *out)
{
    ct_out_begin(out);
    ct_out_object_begin(out, "first");
    ct_out_rendered(out, rendered_text, rendered_len);
    ct_out_object_end(out);
    ct_out_object_begin(out, "after");
    ct_out_uint(out, "m", 1);
    ct_out_rendered(out, rendered_text, rendered_len);
    ct_out_object_end(out);
    ct_out_end(out);
}

/* Cells rendered once go into any object, first or after other cells. */
static void
test_render(void)
{
    size_t len;
    char *text = ct_out_render(CT_OUT_JSONL, render_two, "v", &len);
    char *got;

    g_assert_cmpstr(text, ==, "\"k\":\"v\",\"o\":{\"n\":5}");
    g_assert_cmpuint(len, ==, strlen(text));
    rendered_text = text;
    rendered_len = len;
    got = written(CT_OUT_JSONL, nested_rendered);
    g_assert_cmpstr(got, ==,
                    "{\"first\":{\"k\":\"v\",\"o\":{\"n\":5}},"
                    "\"after\":{\"m\":1,\"k\":\"v\",\"o\":{\"n\":5}}}\n");
    free(got);
    g_free(text);
}

/* The same record through C-string keys and through ct_out_key. */
static void
keyed(ct_out *out, bool rendered)
{
    ct_out_key k_obj, k_list, k_n, k_ts, k_odd;
    char ts[CT_OUT_TIMESTAMP_LEN];
    size_t ts_len = ct_out_timestamp_text(out, 1714564800, 42, ts);

    ct_out_key_init(&k_obj, "obj");
    ct_out_key_init(&k_list, "list");
    ct_out_key_init(&k_n, "n");
    ct_out_key_init(&k_ts, "@timestamp");
    ct_out_key_init(&k_odd, "say \"hi\"\t");
    ct_out_begin(out);
    if (rendered) {
        ct_out_timestamp_text_key(out, &k_ts, ts, ts_len);
        ct_out_object_begin_key(out, &k_obj);
        ct_out_uint_key(out, &k_n, 0);
        ct_out_uint_key(out, &k_odd, 18446744073709551615u);
        ct_out_array_begin_key(out, &k_list);
        ct_out_uint_key(out, &k_n, 1234567);
        ct_out_array_end(out);
        ct_out_object_end(out);
        ct_out_object_begin_key(out, &k_obj);
        ct_out_object_end(out);
    } else {
        ct_out_string_len(out, "@timestamp", ts, ts_len);
        ct_out_object_begin(out, "obj");
        ct_out_uint(out, "n", 0);
        ct_out_uint(out, "say \"hi\"\t", 18446744073709551615u);
        ct_out_array_begin(out, "list");
        ct_out_uint(out, NULL, 1234567);
        ct_out_array_end(out);
        ct_out_object_end(out);
        ct_out_object_begin(out, "obj");
        ct_out_object_end(out);
    }
    ct_out_end(out);
}

static void
keyed_plain(ct_out *out)
{
    keyed(out, false);
}

static void
keyed_rendered(ct_out *out)
{
    keyed(out, true);
}

/* ct_out_key and the _key calls write what the calls with C strings
 * write, in both formats (a key inside an array is not written). */
static void
test_keys(void)
{
    for (int f = 0; f < 2; f++) {
        ct_out_format format = f == 0 ? CT_OUT_CSV : CT_OUT_JSONL;
        char *plain = written(format, keyed_plain);
        char *rendered = written(format, keyed_rendered);

        g_assert_cmpstr(rendered, ==, plain);
        free(plain);
        free(rendered);
    }
    {
        char *got = written(CT_OUT_JSONL, keyed_rendered);
        g_assert_cmpstr(got, ==,
                        "{\"@timestamp\":\"2024-05-01T12:00:00.000042Z\",\"obj\":{\"n\":0,"
                        "\"say \\\"hi\\\"\\t\":18446744073709551615,\"list\":[1234567]},"
                        "\"obj\":{}}\n");
        free(got);
    }
}

/* Plain text is found eight bytes at a time: a byte that is not plain at
 * every position of a longer string, for each kind of such byte (DEL is
 * kept, after the check). */
static void
test_escape_positions(void)
{
    static const struct {
        char byte;
        const char *json;
    } specials[] = {{'"', "\\\""},    {'\\', "\\\\"},
                    {'\n', "\\n"},    {'\x1f', "\xef\xbf\xbd"},
                    {'\x7f', "\x7f"}, {'\xff', "\xef\xbf\xbd"}};

    for (size_t k = 0; k < G_N_ELEMENTS(specials); k++) {
        for (size_t at = 0; at < 20; at++) {
            char in[21];
            GString *want = g_string_new("{\"k\":\"");
            char *got;

            memset(in, 'a', 20);
            in[at] = specials[k].byte;
            in[20] = '\0';
            g_string_append_len(want, in, (gssize)at);
            g_string_append(want, specials[k].json);
            g_string_append(want, in + at + 1);
            g_string_append(want, "\"}\n");
            cell_text = in;
            cell_len = 20;
            got = written(CT_OUT_JSONL, one_cell);
            g_assert_cmpstr(got, ==, want->str);
            free(got);
            g_string_free(want, TRUE);
        }
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("CSV and JSON Lines writers");
    g_test_add_func("/out/plain-and-quoted", test_plain_and_quoted);
    g_test_add_func("/out/injection", test_injection);
    g_test_add_func("/out/bad-bytes", test_bad_bytes);
    g_test_add_func("/out/numbers", test_numbers);
    g_test_add_func("/out/timestamp-text", test_timestamp_text);
    g_test_add_func("/out/host", test_host);
    g_test_add_func("/out/header", test_header);
    g_test_add_func("/out/large", test_large);
    g_test_add_func("/out/write-error", test_write_error);
    g_test_add_func("/out/json-value", test_json_value);
    g_test_add_func("/out/json-value-guarantees", test_json_value_guarantees);
    g_test_add_func("/out/host-render", test_host_render);
    g_test_add_func("/out/double-text", test_double_text);
    g_test_add_func("/out/nested", test_nested);
    g_test_add_func("/out/render", test_render);
    g_test_add_func("/out/keys", test_keys);
    g_test_add_func("/out/escape-positions", test_escape_positions);
    return g_test_run();
}
