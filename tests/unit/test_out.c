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

    for (guint i = 0; i < 100000; i++) {
        ct_out_begin(out);
        ct_out_uint(out, "i", i);
        ct_out_string(out, "s", "abcdefghij");
        ct_out_end(out);
    }
    g_assert_true(ct_out_finish(out, NULL));
    ct_out_free(out);
    fclose(stream);
    lines = g_strsplit(text, "\r\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 100001);
    g_assert_cmpstr(lines[0], ==, "0,abcdefghij");
    g_assert_cmpstr(lines[99999], ==, "99999,abcdefghij");
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
    g_assert_error(error, CT_ERROR, CT_ERR_UNREADABLE);
    g_assert_nonnull(strstr(error->message, "No space left"));
    g_error_free(error);
    ct_out_free(out);
    fclose(full);
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
    g_test_add_func("/out/host", test_host);
    g_test_add_func("/out/header", test_header);
    g_test_add_func("/out/large", test_large);
    g_test_add_func("/out/write-error", test_write_error);
    return g_test_run();
}
