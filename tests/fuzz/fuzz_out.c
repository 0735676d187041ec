/* fuzz_out.c - the CSV and JSON Lines writers, read back strictly.
 *
 * Input: byte 0 separates cells, byte 1 separates records, the rest is
 * the text ("|\n=cmd|-1|{\"a\":1}\nnext").  Every cell is written to both
 * formats (open_memstream) as text with ct_out_string_len(); a cell that
 * ct_json accepts as a number also with ct_out_number(), one it accepts as
 * another JSON value with ct_out_json_value(), one that strtod() reads
 * whole with ct_out_double().  Each record ends with a null, a number
 * (ct_out_uint) and the nine host cells, its first cells as the host's
 * strings, written by ct_out_host() or, every other record, by
 * ct_out_rendered() of ct_out_host_render().  The writer is then held to
 * what ct_out.h promises, with a model of every cell:
 * - both outputs are valid UTF-8 without NUL or C0 controls (CSV: TAB, CR
 *   and LF excepted; JSON Lines: LF as the line end only);
 * - CSV reads back with a strict RFC 4180 reader (below): CRLF record
 *   ends, quotes balanced and doubled inside quoted cells, no quote, CR or
 *   LF in an unquoted cell; the records and cells are those written; a text
 *   cell is its text with invalid bytes and controls but TAB, CR and LF
 *   made U+FFFD, and an apostrophe in front exactly when it starts with
 *   '=', '+', '-', '@', TAB or CR, so no text cell starts with one of
 *   those; numbers are written unchanged, doubles as "%.15g" when that
 *   reads back exactly, else "%.17g";
 * - JSON Lines: one line per record, each accepted by ct_json_scan(), with
 *   the keys written, text cells decoding to their sanitized text, raw
 *   values verbatim (TAB, CR, LF as spaces), nulls as null;
 * - ct_out_rendered() writes byte for byte what ct_out_host() writes.
 */
#include <glib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "ct_json.h"
#include "ct_out.h"
#include "fuzz.h"

/* Hostile bytes in every key: escapes, a control, invalid UTF-8. */
#define KEY_SUFFIX "\t\"\\\x01\xc3\xa9\xff"

typedef enum {
    CELL_STRING,
    CELL_NUMBER,
    CELL_JSON,
    CELL_DOUBLE,
    CELL_NULL,
    CELL_UINT,
} cell_kind;

typedef struct {
    cell_kind kind;
    const char *text; /* STRING, NUMBER, JSON: not NUL-terminated */
    size_t len;
    ct_json_type type; /* NUMBER, JSON */
    double value;      /* DOUBLE */
    uint64_t u;        /* UINT */
    char *key;         /* owned, except host keys (static) */
    bool own_key;
} cell;

typedef struct {
    FILE *stream;
    char *buf;
    size_t size;
    ct_out *out;
} sink;

/* ---- what each cell should read back as ------------------------------- */

/* Text as the writers promise to make it: invalid bytes and C0 controls
 * but TAB, CR and LF become U+FFFD; CSV cells that a spreadsheet would
 * evaluate get an apostrophe. */
static GString *
expect_text(const char *text, size_t len, bool csv)
{
    GString *s = g_string_sized_new(len + 8);
    const uint8_t *p = (const uint8_t *)text, *end = p + len;

    if (csv && len > 0 && memchr("=+-@\t\r", text[0], 6) != NULL)
        g_string_append_c(s, '\'');
    while (p < end) {
        uint32_t cp;
        size_t n = fuzz_utf8_char(p, end, &cp);
        if (n == 0 || (cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n')) {
            g_string_append(s, "\xef\xbf\xbd");
            p += n ? n : 1;
            continue;
        }
        g_string_append_len(s, (const char *)p, (gssize)n);
        p += n;
    }
    return s;
}

/* The text ct_out_double() must write for a finite value. */
static void
expect_double(double value, char text[G_ASCII_DTOSTR_BUF_SIZE])
{
    g_ascii_formatd(text, G_ASCII_DTOSTR_BUF_SIZE, "%.15g", value);
    if (g_ascii_strtod(text, NULL) != value)
        g_ascii_formatd(text, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", value);
}

/* Is text, exactly, one JSON value that ct_json accepts?  *type gets it. */
static bool
json_value_type(const char *text, size_t len, ct_json_type *type)
{
    static ct_json *j; /* one scanner for the run, as a reader would */
    GString *w = g_string_new("{\"\":");
    const ct_json_member *m;
    size_t n = 0;
    bool ok;

    if (j == NULL)
        j = ct_json_new(0, 0);
    g_string_append_len(w, text, (gssize)len);
    g_string_append_c(w, '}');
    ok = ct_json_scan(j, w->str, w->len) == CT_OK;
    m = ct_json_members(j, &n);
    ok = ok && n == 1 && m[0].value == w->str + 4 && m[0].value_len == len;
    if (ok)
        *type = m[0].type;
    g_string_free(w, TRUE);
    return ok;
}

/* ---- a strict RFC 4180 reader ------------------------------------------ */

static void
free_record(gpointer r)
{
    g_ptr_array_free(r, TRUE);
}

static void
free_cell_text(gpointer s)
{
    g_string_free(s, TRUE);
}

/* Records (arrays of GString) of text, or NULL if it is not RFC 4180 with
 * CRLF record ends. */
static GPtrArray *
csv_read(const char *s, size_t len)
{
    GPtrArray *records = g_ptr_array_new_with_free_func(free_record);
    size_t pos = 0;

    while (pos < len) {
        GPtrArray *record = g_ptr_array_new_with_free_func(free_cell_text);
        g_ptr_array_add(records, record);
        for (;;) {
            GString *c = g_string_new(NULL);
            g_ptr_array_add(record, c);
            if (pos < len && s[pos] == '"') {
                pos++;
                for (;;) {
                    if (pos >= len)
                        goto bad; /* unbalanced quote */
                    if (s[pos] == '"') {
                        if (pos + 1 < len && s[pos + 1] == '"') {
                            g_string_append_c(c, '"');
                            pos += 2;
                            continue;
                        }
                        pos++;
                        break;
                    }
                    g_string_append_c(c, s[pos++]);
                }
            } else {
                while (pos < len && s[pos] != ',' && s[pos] != '\r') {
                    if (s[pos] == '"' || s[pos] == '\n')
                        goto bad; /* bare quote or LF */
                    g_string_append_c(c, s[pos++]);
                }
            }
            if (pos < len && s[pos] == ',') {
                pos++;
                continue;
            }
            if (pos + 1 < len && s[pos] == '\r' && s[pos + 1] == '\n') {
                pos += 2;
                break;
            }
            goto bad; /* bare CR, text after a quote, or no CRLF at the end */
        }
    }
    return records;
bad:
    g_ptr_array_free(records, TRUE);
    return NULL;
}

/* ---- writing ------------------------------------------------------------ */

static void
sink_open(sink *k, ct_out_format format)
{
    k->buf = NULL;
    k->size = 0;
    k->stream = open_memstream(&k->buf, &k->size);
    CHECK(k->stream != NULL);
    k->out = ct_out_new(format, k->stream);
}

static void
sink_close(sink *k)
{
    GError *error = NULL;

    CHECK(ct_out_finish(k->out, &error));
    ct_out_free(k->out);
    CHECK(fclose(k->stream) == 0);
}

static void
write_cell(ct_out *out, const cell *c)
{
    switch (c->kind) {
    case CELL_STRING:
        ct_out_string_len(out, c->key, c->text, c->len);
        break;
    case CELL_NUMBER:
        ct_out_number(out, c->key, c->text, c->len);
        break;
    case CELL_JSON:
        ct_out_json_value(out, c->key, c->text, c->len);
        break;
    case CELL_DOUBLE:
        ct_out_double(out, c->key, c->value);
        break;
    case CELL_NULL:
        ct_out_null(out, c->key);
        break;
    case CELL_UINT:
        ct_out_uint(out, c->key, c->u);
        break;
    }
}

static void
add_cell(GArray *cells, cell c, size_t index)
{
    c.key = g_strdup_printf("c%zu" KEY_SUFFIX, index);
    c.own_key = true;
    g_array_append_val(cells, c);
}

static void
clear_cell(gpointer p)
{
    cell *c = p;
    if (c->own_key)
        g_free(c->key);
}

/* A whole-cell strtod() reading, if there is one. */
static bool
read_double(const char *text, size_t len, double *value)
{
    char buf[64];
    char *end;

    if (len == 0 || len >= sizeof buf || memchr(text, '\0', len) != NULL)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    *value = g_ascii_strtod(buf, &end);
    return *end == '\0';
}

/* The host of a record: its first cells as strings (NULL when absent). */
typedef struct {
    ct_host host;
    char *strings[6];
    const char *ptr;
} fuzz_host;

static void
host_from_cells(fuzz_host *h, char **texts, size_t n, uint64_t u)
{
    memset(h, 0, sizeof *h);
    for (size_t i = 0; i < 6; i++)
        h->strings[i] = i < n ? texts[i] : NULL;
    h->ptr = h->strings[0];
    h->host.geo.as_org = h->strings[1];
    h->host.geo.country_iso = h->strings[2];
    h->host.geo.country = h->strings[3];
    h->host.geo.region = h->strings[4];
    h->host.geo.city = h->strings[5];
    h->host.geo.asn = (uint32_t)u;
    if (n > 6 && read_double(texts[6], strlen(texts[6]), &h->host.geo.latitude)) {
        h->host.geo.has_location = true;
        h->host.geo.longitude = -h->host.geo.latitude;
    }
}

/* The nine cells ct_out_host() writes, for the model. */
static void
add_host_cells(GArray *cells, const fuzz_host *h, ct_out_side side)
{
    const char *const *keys = ct_out_seed_columns + (side == CT_OUT_SRC ? 8 : 17);
    const char *texts[9] = {h->ptr,
                            NULL,
                            h->host.geo.as_org,
                            h->host.geo.country_iso,
                            h->host.geo.country,
                            h->host.geo.region,
                            h->host.geo.city};

    for (int i = 0; i < 9; i++) {
        cell c = {.kind = CELL_NULL, .key = (char *)keys[i]};
        if (i == 1 && h->host.geo.asn != 0) {
            c.kind = CELL_UINT;
            c.u = h->host.geo.asn;
        } else if (i >= 7 && h->host.geo.has_location) {
            c.kind = CELL_DOUBLE;
            c.value = i == 7 ? h->host.geo.latitude : h->host.geo.longitude;
        } else if (i != 1 && i < 7 && texts[i] != NULL) {
            c.kind = CELL_STRING;
            c.text = texts[i];
            c.len = strlen(texts[i]);
        }
        if (c.kind == CELL_DOUBLE && !isfinite(c.value))
            c.kind = CELL_NULL;
        g_array_append_val(cells, c);
    }
}

/* ---- checking ----------------------------------------------------------- */

static void
check_csv_cell(const cell *c, const GString *got)
{
    char want[G_ASCII_DTOSTR_BUF_SIZE];
    GString *text;

    switch (c->kind) {
    case CELL_STRING:
    case CELL_JSON:
        text = expect_text(c->text, c->len, true);
        CHECK(got->len == text->len && memcmp(got->str, text->str, text->len) == 0);
        CHECK(got->len == 0 || got->str[0] == '\'' || !strchr("=+-@\t\r", got->str[0]));
        g_string_free(text, TRUE);
        break;
    case CELL_NUMBER:
        CHECK(got->len == c->len && memcmp(got->str, c->text, c->len) == 0);
        break;
    case CELL_DOUBLE:
        expect_double(c->value, want);
        CHECK(strcmp(got->str, want) == 0);
        CHECK(g_ascii_strtod(got->str, NULL) == c->value);
        break;
    case CELL_NULL:
        CHECK(got->len == 0);
        break;
    case CELL_UINT:
        g_snprintf(want, sizeof want, "%" PRIu64, c->u);
        CHECK(strcmp(got->str, want) == 0);
        break;
    }
}

static void
check_csv(const sink *k, GPtrArray *records)
{
    GPtrArray *read;

    for (size_t i = 0; i < k->size; i++) {
        uint8_t b = (uint8_t)k->buf[i];
        CHECK(b >= 0x20 || b == '\t' || b == '\r' || b == '\n');
    }
    read = csv_read(k->buf, k->size);
    CHECK(read != NULL);
    CHECK(read->len == records->len);
    for (guint r = 0; r < records->len; r++) {
        GArray *cells = records->pdata[r];
        GPtrArray *got = read->pdata[r];
        CHECK(got->len == cells->len);
        for (guint i = 0; i < cells->len; i++)
            check_csv_cell(&g_array_index(cells, cell, i), got->pdata[i]);
    }
    g_ptr_array_free(read, TRUE);
}

static void
check_json_cell(const cell *c, const ct_json_member *m)
{
    char want[G_ASCII_DTOSTR_BUF_SIZE];
    GString *key = expect_text(c->key, strlen(c->key), false);
    GString *text;
    char *decoded;
    size_t n;

    CHECK(m->key_len == key->len && memcmp(m->key, key->str, key->len) == 0);
    g_string_free(key, TRUE);
    switch (c->kind) {
    case CELL_STRING:
        CHECK(m->type == CT_JSON_STRING);
        text = expect_text(c->text, c->len, false);
        decoded = g_malloc(m->value_len);
        n = ct_json_decode_string(m->value, m->value_len, decoded);
        CHECK(n == text->len && memcmp(decoded, text->str, n) == 0);
        g_free(decoded);
        g_string_free(text, TRUE);
        break;
    case CELL_JSON:
    case CELL_NUMBER:
        CHECK(m->type == c->type && m->value_len == c->len);
        for (size_t i = 0; i < c->len; i++) {
            char b = c->text[i];
            CHECK(m->value[i] == (b == '\t' || b == '\r' || b == '\n' ? ' ' : b));
        }
        break;
    case CELL_DOUBLE:
        expect_double(c->value, want);
        CHECK(m->type == CT_JSON_NUMBER && m->value_len == strlen(want) &&
              memcmp(m->value, want, m->value_len) == 0);
        break;
    case CELL_NULL:
        CHECK(m->type == CT_JSON_NULL);
        break;
    case CELL_UINT:
        g_snprintf(want, sizeof want, "%" PRIu64, c->u);
        CHECK(m->type == CT_JSON_NUMBER && m->value_len == strlen(want) &&
              memcmp(m->value, want, m->value_len) == 0);
        break;
    }
}

static void
check_jsonl(const sink *k, GPtrArray *records)
{
    ct_json *j = ct_json_new(0, 0);
    const char *line = k->buf, *end = k->buf + k->size;

    CHECK(fuzz_utf8_valid(k->buf, k->size, false));
    for (size_t i = 0; i < k->size; i++)
        CHECK((uint8_t)k->buf[i] >= 0x20 || k->buf[i] == '\n');
    CHECK(k->size == 0 || end[-1] == '\n');
    for (guint r = 0; r < records->len; r++) {
        GArray *cells = records->pdata[r];
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const ct_json_member *m;
        size_t n;

        CHECK(nl != NULL);
        if (ct_json_scan(j, line, (size_t)(nl - line)) != CT_OK)
            fprintf(stderr, "%s at %zu: %.*s\n", ct_json_reason(j), ct_json_error_offset(j),
                    (int)(nl - line), line);
        CHECK(ct_json_scan(j, line, (size_t)(nl - line)) == CT_OK);
        m = ct_json_members(j, &n);
        CHECK(n == cells->len);
        for (guint i = 0; i < cells->len; i++)
            check_json_cell(&g_array_index(cells, cell, i), &m[i]);
        line = nl + 1;
    }
    CHECK(line == end); /* exactly one line per record */
    ct_json_free(j);
}

/* ct_out_rendered() of a rendered host is ct_out_host(), as first cell
 * and after another. */
static void
check_rendered(const fuzz_host *h)
{
    for (int f = CT_OUT_CSV; f <= CT_OUT_JSONL; f++) {
        sink direct, rendered;
        size_t len;
        char *text = ct_out_host_render(f, CT_OUT_DST, &h->host, h->ptr, &len);

        sink_open(&direct, f);
        sink_open(&rendered, f);
        ct_out_begin(direct.out);
        ct_out_host(direct.out, CT_OUT_DST, &h->host, h->ptr);
        ct_out_string(direct.out, "x", "x");
        ct_out_host(direct.out, CT_OUT_DST, &h->host, h->ptr);
        ct_out_end(direct.out);
        ct_out_begin(rendered.out);
        ct_out_rendered(rendered.out, text, len);
        ct_out_string(rendered.out, "x", "x");
        ct_out_rendered(rendered.out, text, len);
        ct_out_end(rendered.out);
        sink_close(&direct);
        sink_close(&rendered);
        CHECK(direct.size == rendered.size && memcmp(direct.buf, rendered.buf, direct.size) == 0);
        free(direct.buf);
        free(rendered.buf);
        g_free(text);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char cell_sep = size > 0 ? (char)data[0] : '|';
    char record_sep = size > 1 ? (char)data[1] : '\n';
    const char *text = size > 2 ? (const char *)data + 2 : "";
    const char *end = text + (size > 2 ? size - 2 : 0);
    GPtrArray *records = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    GPtrArray *strings = g_ptr_array_new_with_free_func(g_free);
    sink sinks[2];
    size_t n_records = 0;

    sink_open(&sinks[0], CT_OUT_CSV);
    sink_open(&sinks[1], CT_OUT_JSONL);
    for (const char *rec = text;; n_records++) {
        const char *rec_end =
            cell_sep == record_sep ? NULL : memchr(rec, record_sep, (size_t)(end - rec));
        GArray *cells = g_array_new(FALSE, FALSE, sizeof(cell));
        char *texts[7];
        size_t n_texts = 0;
        uint64_t u = 0;
        fuzz_host host;

        g_array_set_clear_func(cells, clear_cell);
        if (rec_end == NULL)
            rec_end = end;
        memcpy(&u, rec, MIN(sizeof u, (size_t)(rec_end - rec)));
        for (const char *c = rec;;) {
            const char *c_end = memchr(c, cell_sep, (size_t)(rec_end - c));
            size_t len;
            cell one = {.kind = CELL_STRING, .text = c};
            double v;

            if (c_end == NULL)
                c_end = rec_end;
            len = (size_t)(c_end - c);
            one.len = len;
            add_cell(cells, one, cells->len);
            if (json_value_type(c, len, &one.type)) {
                one.kind = one.type == CT_JSON_NUMBER || one.type == CT_JSON_TRUE ||
                                   one.type == CT_JSON_FALSE
                               ? CELL_NUMBER
                               : CELL_JSON;
                add_cell(cells, one, cells->len);
            }
            if (read_double(c, len, &v)) {
                cell d = {.kind = isfinite(v) ? CELL_DOUBLE : CELL_NULL, .value = v};
                add_cell(cells, d, cells->len);
            }
            if (n_texts < G_N_ELEMENTS(texts)) {
                texts[n_texts] = g_strndup(c, len);
                g_ptr_array_add(strings, texts[n_texts++]);
            }
            if (c_end == rec_end)
                break;
            c = c_end + 1;
        }
        add_cell(cells, (cell){.kind = CELL_NULL}, cells->len);
        add_cell(cells, (cell){.kind = CELL_UINT, .u = u}, cells->len);
        for (int f = 0; f < 2; f++) {
            ct_out_begin(sinks[f].out);
            for (guint i = 0; i < cells->len; i++)
                write_cell(sinks[f].out, &g_array_index(cells, cell, i));
        }

        /* The host, directly or pre-rendered: the same cells. */
        host_from_cells(&host, texts, n_texts, u);
        add_host_cells(cells, &host, n_records % 2 ? CT_OUT_DST : CT_OUT_SRC);
        for (int f = 0; f < 2; f++) {
            ct_out_side side = n_records % 2 ? CT_OUT_DST : CT_OUT_SRC;
            if (n_records % 2 == 0) {
                ct_out_host(sinks[f].out, side, &host.host, host.ptr);
            } else {
                size_t len;
                char *r = ct_out_host_render((ct_out_format)f, side, &host.host, host.ptr, &len);
                ct_out_rendered(sinks[f].out, r, len);
                g_free(r);
            }
            ct_out_end(sinks[f].out);
        }
        if (n_records == 0)
            check_rendered(&host);
        g_ptr_array_add(records, cells);
        if (rec_end == end)
            break;
        rec = rec_end + 1;
    }
    sink_close(&sinks[0]);
    sink_close(&sinks[1]);

    CHECK(fuzz_utf8_valid(sinks[0].buf, sinks[0].size, false));
    check_csv(&sinks[0], records);
    check_jsonl(&sinks[1], records);

    free(sinks[0].buf);
    free(sinks[1].buf);
    g_ptr_array_free(strings, TRUE);
    g_ptr_array_free(records, TRUE);
    return 0;
}
