/* ct_out.c - CSV and JSON Lines writers (see ct_out.h for the guarantees).
 *
 * Records go into one growing buffer that is handed to stdio in large
 * pieces: the flow export and `camtrace` write millions of short cells,
 * and per-cell fwrite() calls would cost more than the formatting.
 *
 * Text cells take a fast path when every byte is printable ASCII with no
 * character that needs quoting or escaping; anything else is decoded as
 * UTF-8 one character at a time, so invalid input can never produce
 * invalid output.
 *
 * CSV injection: OWASP's guidance is to prefix cells that start with
 * '=', '+', '-', '@', TAB or CR with an apostrophe and to quote them;
 * spreadsheets then show the text instead of evaluating it.  Only text
 * cells are touched: a negative latitude written by ct_out_double() is a
 * number, and a spreadsheet reads it as one.
 */
#include "ct_out.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#define CT_OUT_FLUSH_AT (64 * 1024)

/* reserve()'s rare case, kept out of line: the small functions that
 * reserve() is inlined into then make no call on their common path. */
static __attribute__((noinline)) void
grow(GString *buf, size_t len)
{
    size_t old = buf->len;

    g_string_set_size(buf, old + len);
    buf->len = old;
}

/* Room for len more bytes (and the NUL) at the end of buf: with put(),
 * g_string_append_len() without its call and its general insert, as the
 * writers append millions of short pieces. */
static inline char *
reserve(GString *buf, size_t len)
{
    if (G_UNLIKELY(buf->len + len + 1 > buf->allocated_len))
        grow(buf, len);
    return buf->str + buf->len;
}

static inline void
put(GString *buf, const char *text, size_t len)
{
    memcpy(reserve(buf, len), text, len);
    buf->len += len;
    buf->str[buf->len] = '\0';
}

/* The seed's 26 columns are the first of the flow export's. */
const char *const ct_out_flow_columns[CT_OUT_FLOW_COLUMNS] = {
    "ts",
    "proto",
    "src_ip",
    "src_port",
    "dst_ip",
    "dst_port",
    "bytes",
    "pkts",
    "src_ptr",
    "src_asn",
    "src_as_org",
    "src_country_iso",
    "src_country_name",
    "src_region",
    "src_city",
    "src_latitude",
    "src_longitude",
    "dst_ptr",
    "dst_asn",
    "dst_as_org",
    "dst_country_iso",
    "dst_country_name",
    "dst_region",
    "dst_city",
    "dst_latitude",
    "dst_longitude",
    "end_ts",
    "duration_s",
    "src_pkts",
    "src_bytes",
    "dst_pkts",
    "dst_bytes",
    "src_scope",
    "dst_scope",
    "community_id",
    "src_name",
    "src_name_source",
    "dst_name",
    "dst_name_source",
    "foreign",
    "src_registered_country_iso",
    "src_anycast",
    "dst_registered_country_iso",
    "dst_anycast",
};
const char *const *const ct_out_seed_columns = ct_out_flow_columns;

struct ct_out {
    ct_out_format format;
    FILE *stream;
    GString *buf;
    bool first; /* no cell yet in this record, or in the open object or array */
    int depth;  /* levels open below the record */
    char open[CT_OUT_DEPTH_MAX + 1]; /* '{' or '[' of each level; [0] the record's */
    bool failed;
    int write_errno;
    int64_t ts_sec; /* second of ts_text */
    char ts_text[32];
    size_t ts_len; /* strlen(ts_text) */
};

ct_out *
ct_out_new(ct_out_format format, FILE *stream)
{
    ct_out *out = g_new0(ct_out, 1);

    out->format = format;
    out->stream = stream;
    out->buf = g_string_sized_new(CT_OUT_FLUSH_AT + 4096);
    out->ts_sec = INT64_MIN;
    out->open[0] = '{';
    return out;
}

static void
flush_buffer(ct_out *out)
{
    if (out->buf->len == 0)
        return;
    if (!out->failed && fwrite(out->buf->str, 1, out->buf->len, out->stream) != out->buf->len) {
        out->failed = true;
        out->write_errno = errno;
    }
    g_string_truncate(out->buf, 0);
}

bool
ct_out_finish(ct_out *out, GError **error)
{
    flush_buffer(out);
    if (!out->failed && fflush(out->stream) != 0) {
        out->failed = true;
        out->write_errno = errno;
    }
    if (out->failed) {
        g_set_error(error, CT_ERROR, CT_ERR_WRITE, "cannot write the output: %s",
                    g_strerror(out->write_errno));
        return false;
    }
    return true;
}

void
ct_out_free(ct_out *out)
{
    if (out == NULL)
        return;
    g_string_free(out->buf, TRUE);
    g_free(out);
}

ct_out_format
ct_out_get_format(const ct_out *out)
{
    return out->format;
}

static bool
is_plain(unsigned char c, ct_out_format format)
{
    if (c < 0x20 || c > 0x7e)
        return false;
    if (format == CT_OUT_CSV)
        return c != ',' && c != '"';
    return c != '"' && c != '\\';
}

/* How many bytes at the start of text are plain in JSON (is_plain()),
 * eight at a time: each test below, masked with highs, is nonzero for a
 * word exactly when it holds for one of its bytes. */
static size_t
json_plain_prefix(const char *text, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t n = 0;

    for (; n + 8 <= len; n += 8) {
        uint64_t x, quote, backslash;
        memcpy(&x, text + n, 8);
        quote = x ^ (ones * '"');
        backslash = x ^ (ones * '\\');
        /* A byte below 0x20; above 0x7e; '"'; '\\' (a zero byte after the
         * xor). */
        if ((((x - ones * 0x20) & ~x) | (x + ones) | x | ((quote - ones) & ~quote) |
             ((backslash - ones) & ~backslash)) &
            highs)
            break;
    }
    while (n < len && is_plain((unsigned char)text[n], CT_OUT_JSONL))
        n++;
    return n;
}

static void
append_json_string(GString *buf, const char *text, size_t len)
{
    const char *end = text + len;
    const char *p = text;
    char *o = reserve(buf, len + 2);
    size_t plain = json_plain_prefix(text, len);

    /* Most text is printable ASCII without quotes or backslashes: copied
     * in one piece; the rest of a string that is not goes the long way. */
    *o++ = '"';
    memcpy(o, p, plain);
    o += plain;
    p += plain;
    buf->len = (size_t)(o - buf->str);
    if (p == end) {
        buf->str[buf->len++] = '"';
        buf->str[buf->len] = '\0';
        return;
    }
    buf->str[buf->len] = '\0';
    while (p < end) {
        const char *run = p;
        gunichar c;

        while (p < end && is_plain((unsigned char)*p, CT_OUT_JSONL))
            p++;
        put(buf, run, (size_t)(p - run));
        if (p == end)
            break;
        c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            put(buf, "\xef\xbf\xbd", sizeof "\xef\xbf\xbd" - 1);
            p++;
            continue;
        }
        switch (c) {
        case '"':
            put(buf, "\\\"", sizeof "\\\"" - 1);
            break;
        case '\\':
            put(buf, "\\\\", sizeof "\\\\" - 1);
            break;
        case '\t':
            put(buf, "\\t", sizeof "\\t" - 1);
            break;
        case '\r':
            put(buf, "\\r", sizeof "\\r" - 1);
            break;
        case '\n':
            put(buf, "\\n", sizeof "\\n" - 1);
            break;
        default:
            if (c < 0x20)
                put(buf, "\xef\xbf\xbd", sizeof "\xef\xbf\xbd" - 1);
            else
                put(buf, p, (size_t)(g_utf8_next_char(p) - p));
        }
        p = g_utf8_next_char(p);
    }
    g_string_append_c(buf, '"');
}

static bool
csv_injectable(const char *text, size_t len)
{
    /* memchr, not strchr: strchr would find a NUL byte (the terminator). */
    return len > 0 && memchr("=+-@\t\r", text[0], 6) != NULL;
}

static void
append_csv_string(GString *buf, const char *text, size_t len)
{
    const char *end = text + len;
    const char *p = text;
    bool inject = csv_injectable(text, len);
    bool quote = inject;
    bool plain = true;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        quote |= c == ',' || c == '"' || c == '\r' || c == '\n';
        plain &= c >= 0x20 && c <= 0x7e;
    }
    if (plain && !quote) {
        put(buf, text, len);
        return;
    }
    if (quote)
        g_string_append(buf, inject ? "\"'" : "\"");
    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);

        if (c == (gunichar)-1 || c == (gunichar)-2) {
            put(buf, "\xef\xbf\xbd", sizeof "\xef\xbf\xbd" - 1);
            p++;
            continue;
        }
        if (c == '"')
            put(buf, "\"\"", sizeof "\"\"" - 1);
        else if (c < 0x20 && c != '\t' && c != '\r' && c != '\n')
            put(buf, "\xef\xbf\xbd", sizeof "\xef\xbf\xbd" - 1);
        else
            put(buf, p, (size_t)(g_utf8_next_char(p) - p));
        p = g_utf8_next_char(p);
    }
    if (quote)
        g_string_append_c(buf, '"');
}

static inline void
put_char(GString *buf, char c)
{
    *reserve(buf, 1) = c;
    buf->str[++buf->len] = '\0';
}

/* The separator; whether a key follows (JSON, inside an object). */
static inline bool
separator(ct_out *out)
{
    bool keyed = false;

    if (out->format == CT_OUT_CSV) {
        if (!out->first)
            put_char(out->buf, ',');
    } else {
        put_char(out->buf, out->first ? out->open[out->depth] : ',');
        keyed = out->open[out->depth] == '{';
    }
    out->first = false;
    return keyed;
}

/* Separator and, for JSON, the key (none inside an array). */
static void
begin_cell(ct_out *out, const char *key)
{
    if (separator(out)) {
        append_json_string(out->buf, key, strlen(key));
        put_char(out->buf, ':');
    }
}

/* begin_cell() with the key's text at hand: the separator and the whole
 * of key->json in one reservation and one fixed-size copy, which
 * compilers make a few vector moves (a copy of key->len bytes was a slow
 * string instruction); what follows the key is overwritten next. */
static void
begin_cell_key(ct_out *out, const ct_out_key *key)
{
    GString *buf = out->buf;
    char *o;

    if (out->format == CT_OUT_CSV) {
        separator(out);
        return;
    }
    o = reserve(buf, 1 + sizeof key->json);
    o[0] = out->first ? out->open[out->depth] : ',';
    buf->len++;
    if (out->open[out->depth] == '{') {
        memcpy(o + 1, key->json, sizeof key->json);
        buf->len += key->len;
    }
    buf->str[buf->len] = '\0';
    out->first = false;
}

void
ct_out_key_init(ct_out_key *key, const char *name)
{
    GString *text = g_string_new(NULL);

    append_json_string(text, name, strlen(name));
    put_char(text, ':');
    g_assert(text->len <= sizeof key->json);
    memcpy(key->json, text->str, text->len);
    key->len = (uint8_t)text->len;
    g_string_free(text, TRUE);
}

/* Whether out can open a level (JSON below CT_OUT_DEPTH_MAX). */
static bool
can_open(const ct_out *out)
{
    if (out->format == CT_OUT_CSV)
        return false;
    g_return_val_if_fail(out->depth < CT_OUT_DEPTH_MAX, false);
    return true;
}

/* After the level's key: opener is '{' or '['. */
static void
open_level(ct_out *out, char opener)
{
    out->open[++out->depth] = opener;
    out->first = true;
}

static void
close_level(ct_out *out, char closer)
{
    if (out->format == CT_OUT_CSV)
        return;
    g_return_if_fail(out->depth > 0);
    /* Nothing written inside: the opener is still to come. */
    if (out->first)
        put_char(out->buf, out->open[out->depth]);
    put_char(out->buf, closer);
    out->depth--;
    out->first = false;
}

void
ct_out_object_begin(ct_out *out, const char *key)
{
    if (can_open(out)) {
        begin_cell(out, key);
        open_level(out, '{');
    }
}

void
ct_out_object_begin_key(ct_out *out, const ct_out_key *key)
{
    if (can_open(out)) {
        begin_cell_key(out, key);
        open_level(out, '{');
    }
}

void
ct_out_object_end(ct_out *out)
{
    close_level(out, '}');
}

void
ct_out_array_begin(ct_out *out, const char *key)
{
    if (can_open(out)) {
        begin_cell(out, key);
        open_level(out, '[');
    }
}

void
ct_out_array_begin_key(ct_out *out, const ct_out_key *key)
{
    if (can_open(out)) {
        begin_cell_key(out, key);
        open_level(out, '[');
    }
}

void
ct_out_array_end(ct_out *out)
{
    close_level(out, ']');
}

void
ct_out_header(ct_out *out, const char *const *names, size_t n)
{
    if (out->format != CT_OUT_CSV)
        return;
    ct_out_begin(out);
    for (size_t i = 0; i < n; i++)
        ct_out_string(out, names[i], names[i]);
    ct_out_end(out);
}

void
ct_out_begin(ct_out *out)
{
    out->first = true;
    out->depth = 0;
}

void
ct_out_end(ct_out *out)
{
    g_warn_if_fail(out->depth == 0);
    if (out->format == CT_OUT_CSV)
        put(out->buf, "\r\n", 2);
    else if (out->first)
        put(out->buf, "{}\n", 3);
    else
        put(out->buf, "}\n", 2);
    if (out->buf->len >= CT_OUT_FLUSH_AT)
        flush_buffer(out);
}

void
ct_out_string_len(ct_out *out, const char *key, const char *text, size_t len)
{
    if (text == NULL) {
        ct_out_null(out, key);
        return;
    }
    begin_cell(out, key);
    if (out->format == CT_OUT_CSV)
        append_csv_string(out->buf, text, len);
    else
        append_json_string(out->buf, text, len);
}

void
ct_out_string(ct_out *out, const char *key, const char *text)
{
    ct_out_string_len(out, key, text, text ? strlen(text) : 0);
}

void
ct_out_null(ct_out *out, const char *key)
{
    begin_cell(out, key);
    if (out->format == CT_OUT_JSONL)
        put(out->buf, "null", sizeof "null" - 1);
}

/* The decimal digits of 0 to 99, two each. */
static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                            "25262728293031323334353637383940414243444546474849"
                            "50515253545556575859606162636465666768697071727374"
                            "75767778798081828384858687888990919293949596979899";

/* Two digits at a time (half the divisions), right-aligned at the middle
 * of text, then copied as a fixed 24 bytes like begin_cell_key(): what
 * follows the digits is overwritten next. */
static void
put_uint(GString *buf, uint64_t value)
{
    char text[48];
    char *end = text + 24, *o = end;

    while (value >= 100) {
        const char *pair = pairs + value % 100 * 2;
        value /= 100;
        o -= 2;
        o[0] = pair[0];
        o[1] = pair[1];
    }
    if (value >= 10) {
        o -= 2;
        o[0] = pairs[value * 2];
        o[1] = pairs[value * 2 + 1];
    } else {
        *--o = (char)('0' + value);
    }
    memcpy(reserve(buf, 24), o, 24);
    buf->len += (size_t)(end - o);
    buf->str[buf->len] = '\0';
}

void
ct_out_uint(ct_out *out, const char *key, uint64_t value)
{
    begin_cell(out, key);
    put_uint(out->buf, value);
}

void
ct_out_uint_key(ct_out *out, const ct_out_key *key, uint64_t value)
{
    begin_cell_key(out, key);
    put_uint(out->buf, value);
}

/* The text "%.15g" gives, without printf or strtod, for values that are
 * the double nearest a decimal with at most six decimals, 1e-4 <= |v| <
 * 1e9: coordinates from MaxMind (37.751) and most durations.  Formatting
 * and re-reading doubles was a third of `camtrace --csv`'s time.
 *
 * Why it is the same text: (double)m / 1e6 is m / 10^6 correctly rounded,
 * so when it equals |v|, v is the double nearest that decimal; the
 * decimal has at most 15 significant digits (m < 10^15), which a double
 * holds exactly (DBL_DIG), so "%.15g" prints it, in fixed notation in
 * this range and without trailing zeros; and it reads back as v. */
static bool
format_six_decimals(double value, char text[G_ASCII_DTOSTR_BUF_SIZE])
{
    double a = fabs(value);
    char digits[24];
    int64_t m, whole, frac;
    size_t n = 0;
    char *o = text;

    if (!(a >= 1e-4 && a < 1e9))
        return false;
    m = (int64_t)(a * 1e6 + 0.5);
    if ((double)m / 1e6 != a)
        return false;
    whole = m / 1000000;
    frac = m % 1000000;
    if (value < 0)
        *o++ = '-';
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    while (n > 0)
        *o++ = digits[--n];
    if (frac != 0) {
        int last = 6;
        *o++ = '.';
        while (frac % 10 == 0) {
            frac /= 10;
            last--;
        }
        for (int i = last - 1; i >= 0; i--) {
            o[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        o += last;
    }
    *o = '\0';
    return true;
}

void
ct_out_double(ct_out *out, const char *key, double value)
{
    char text[G_ASCII_DTOSTR_BUF_SIZE];

    if (!isfinite(value)) {
        ct_out_null(out, key);
        return;
    }
    if (!format_six_decimals(value, text)) {
        /* 15 significant digits read back exactly for most values; 17
         * always do. */
        g_ascii_formatd(text, sizeof text, "%.15g", value);
        if (g_ascii_strtod(text, NULL) != value)
            g_ascii_formatd(text, sizeof text, "%.17g", value);
    }
    begin_cell(out, key);
    g_string_append(out->buf, text);
}

void
ct_out_number(ct_out *out, const char *key, const char *text, size_t len)
{
    begin_cell(out, key);
    put(out->buf, text, len);
}

/* "YYYY-mm-ddTHH:MM:SS" of sec into out[32]; false when gmtime cannot
 * represent it. */
static bool
format_second(int64_t sec, char out[32])
{
    time_t t = (time_t)sec;
    struct tm tm;

    return gmtime_r(&t, &tm) != NULL && strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm) != 0;
}

/* second (its first len bytes) plus ".uuuuuuZ" into out, the digits two
 * at a time; returns the length.  All of second is copied, a fixed size
 * that compilers make two vector moves: what follows its text is
 * overwritten. */
static size_t
with_usec(const char second[32], size_t len, uint32_t usec, char out[CT_OUT_TIMESTAMP_LEN])
{
    usec %= 1000000u;
    memcpy(out, second, 32);
    out[len] = '.';
    memcpy(out + len + 1, pairs + usec / 10000 * 2, 2);
    memcpy(out + len + 3, pairs + usec / 100 % 100 * 2, 2);
    memcpy(out + len + 5, pairs + usec % 100 * 2, 2);
    out[len + 7] = 'Z';
    out[len + 8] = '\0';
    return len + 8;
}

bool
ct_out_format_timestamp(int64_t sec, uint32_t usec, char out[CT_OUT_TIMESTAMP_LEN])
{
    char second[32] = "";

    out[0] = '\0';
    if (!format_second(sec, second))
        return false;
    with_usec(second, strlen(second), usec, out);
    return true;
}

size_t
ct_out_timestamp_text(ct_out *out, int64_t sec, uint32_t usec, char text[CT_OUT_TIMESTAMP_LEN])
{
    /* Flows and records arrive in time order: format each second once. */
    if (sec != out->ts_sec) {
        if (!format_second(sec, out->ts_text)) {
            text[0] = '\0';
            return 0;
        }
        out->ts_sec = sec;
        out->ts_len = strlen(out->ts_text);
    }
    return with_usec(out->ts_text, out->ts_len, usec, text);
}

void
ct_out_timestamp_text_key(ct_out *out, const ct_out_key *key, const char text[CT_OUT_TIMESTAMP_LEN],
                          size_t len)
{
    char *o;

    begin_cell_key(out, key);
    if (out->format == CT_OUT_CSV) {
        append_csv_string(out->buf, text, len);
        return;
    }
    /* Digits, '-', 'T', ':', '.' and 'Z' only: nothing to check, and the
     * whole of text in one fixed-size copy (as begin_cell_key()). */
    o = reserve(out->buf, CT_OUT_TIMESTAMP_LEN + 1);
    o[0] = '"';
    memcpy(o + 1, text, CT_OUT_TIMESTAMP_LEN);
    o[len + 1] = '"';
    out->buf->len += len + 2;
    out->buf->str[out->buf->len] = '\0';
}

void
ct_out_timestamp(ct_out *out, const char *key, int64_t sec, uint32_t usec)
{
    char text[CT_OUT_TIMESTAMP_LEN];
    size_t len = ct_out_timestamp_text(out, sec, usec, text);

    if (len == 0)
        ct_out_null(out, key);
    else
        ct_out_string_len(out, key, text, len);
}

void
ct_out_host(ct_out *out, ct_out_side side, const ct_host *host, const char *ptr_name)
{
    /* Indexes into ct_out_seed_columns: src_ptr is column 8, dst_ptr 17. */
    const char *const *key = ct_out_seed_columns + (side == CT_OUT_SRC ? 8 : 17);
    const ct_geo_info *geo = host ? &host->geo : NULL;

    ct_out_string(out, key[0], ptr_name);
    if (geo == NULL) {
        for (int i = 1; i < 9; i++)
            ct_out_null(out, key[i]);
        return;
    }
    if (geo->asn != 0)
        ct_out_uint(out, key[1], geo->asn);
    else
        ct_out_null(out, key[1]);
    ct_out_string(out, key[2], geo->as_org);
    ct_out_string(out, key[3], geo->country_iso);
    ct_out_string(out, key[4], geo->country);
    ct_out_string(out, key[5], geo->region);
    ct_out_string(out, key[6], geo->city);
    if (geo->has_location) {
        ct_out_double(out, key[7], geo->latitude);
        ct_out_double(out, key[8], geo->longitude);
    } else {
        ct_out_null(out, key[7]);
        ct_out_null(out, key[8]);
    }
}

/* Valid JSON has raw bytes below 0x20 only as whitespace between tokens
 * (strings must escape them), so turning each into a space changes no
 * value; non-ASCII bytes occur only inside strings, where U+FFFD for an
 * invalid one keeps the text valid JSON. */
static void
append_json_raw(GString *buf, const char *text, size_t len)
{
    const char *end = text + len;
    const char *p = text;

    while (p < end) {
        const char *run = p;
        gunichar c;

        while (p < end && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x80)
            p++;
        put(buf, run, (size_t)(p - run));
        if (p == end)
            break;
        if ((unsigned char)*p < 0x20) {
            g_string_append_c(buf, ' ');
            p++;
            continue;
        }
        c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            put(buf, "\xef\xbf\xbd", sizeof "\xef\xbf\xbd" - 1);
            p++;
            continue;
        }
        put(buf, p, (size_t)(g_utf8_next_char(p) - p));
        p = g_utf8_next_char(p);
    }
}

void
ct_out_json_value(ct_out *out, const char *key, const char *json, size_t len)
{
    if (json == NULL || len == 0) {
        ct_out_null(out, key);
        return;
    }
    if (out->format == CT_OUT_CSV) {
        ct_out_string_len(out, key, json, len);
        return;
    }
    begin_cell(out, key);
    append_json_raw(out->buf, json, len);
}

/* Rendered cells are the bytes begin_cell() and the cell writers would
 * append after the record's first separator; ct_out_rendered() supplies
 * that separator, so the result is byte for byte what ct_out_host() gives. */
char *
ct_out_render(ct_out_format format, ct_out_render_fn write, const void *data, size_t *len)
{
    ct_out tmp;
    size_t skip;

    memset(&tmp, 0, sizeof tmp);
    tmp.format = format;
    tmp.buf = g_string_sized_new(256);
    tmp.first = true;
    tmp.open[0] = '{';
    write(&tmp, data);
    g_warn_if_fail(tmp.depth == 0);
    /* JSON Lines: the '{' of a first cell is the record's, not ours. */
    skip = format == CT_OUT_JSONL && tmp.buf->len > 0 ? 1 : 0;
    *len = tmp.buf->len - skip;
    memmove(tmp.buf->str, tmp.buf->str + skip, *len + 1);
    return g_string_free(tmp.buf, FALSE);
}

typedef struct {
    ct_out_side side;
    const ct_host *host;
    const char *ptr_name;
} host_cells;

static void
write_host_cells(ct_out *out, const void *data)
{
    const host_cells *h = data;

    ct_out_host(out, h->side, h->host, h->ptr_name);
}

char *
ct_out_host_render(ct_out_format format, ct_out_side side, const ct_host *host,
                   const char *ptr_name, size_t *len)
{
    host_cells h = {side, host, ptr_name};

    return ct_out_render(format, write_host_cells, &h, len);
}

void
ct_out_rendered(ct_out *out, const char *text, size_t len)
{
    separator(out);
    put(out->buf, text, len);
}
