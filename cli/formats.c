/* formats.c - see formats.h.
 *
 * Times are read by hand, not with strptime or GDateTime: `camtrace
 * --ecs` reads a million of them a second.  Days from a civil date are
 * Howard Hinnant's days_from_civil (proleptic Gregorian calendar).
 */
#include "formats.h"

#include <stdlib.h>
#include <string.h>

#include "ct_ecs.h"
#include "records.h"

/* Bytes of a bad value quoted in a message. */
#define SHOW_MAX 40

static const char *
show(char out[SHOW_MAX * 4 + 4], const char *text, size_t len)
{
    char *o = out;

    for (size_t i = 0; i < len && i < SHOW_MAX; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            *o++ = (char)ch;
        else
            o += g_snprintf(o, 5, "\\x%02X", ch);
    }
    if (len > SHOW_MAX)
        o = g_stpcpy(o, "...");
    *o = '\0';
    return out;
}

/* A string member's text: in place, or decoded into the scratch buffer. */
static const char *
string_text(record *r, const ct_json_member *m, size_t *len)
{
    if (!m->value_escaped) {
        *len = m->value_len - 2;
        return m->value + 1;
    }
    *len = ct_json_decode_string(m->value, m->value_len, r->scratch);
    return r->scratch;
}

/* "NAME VALUE is not WHAT": a string decoded and quoted, another value
 * as written, shortened. */
static int
bad(record *r, const char *name, const ct_json_member *m, const char *what)
{
    char shown[SHOW_MAX * 4 + 4];

    if (m->type == CT_JSON_STRING) {
        size_t len;
        const char *s = string_text(r, m, &len);
        g_string_printf(r->why, "%s \"%s\" is not %s", name, show(shown, s, len), what);
    } else {
        g_string_printf(r->why, "%s %s is not %s", name, show(shown, m->value, m->value_len), what);
    }
    return -1;
}

static bool
absent(const ct_json_member *m)
{
    return m == NULL || m->type == CT_JSON_NULL;
}

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool
digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+HH:MM|+HHMM|+HH], years 1970 to
 * 9999. */
static bool
parse_iso8601(const char *s, size_t len, int64_t *sec, uint32_t *usec)
{
    static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y, mo, d, h, mi, se, frac = 0, scale = 0;
    const char *p = s + 19, *end = s + len;
    int64_t offset = 0;

    if (len < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
        !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
        !digits(s + 17, 2, &se))
        return false;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
        return false;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return false;
    if (p < end && (*p == '.' || *p == ',')) {
        const char *f = ++p;
        while (p < end && *p >= '0' && *p <= '9') {
            if (p - f < 6) {
                frac = frac * 10 + (unsigned)(*p - '0');
                scale++;
            }
            p++;
        }
        if (p == f || p - f > 9)
            return false;
        while (scale++ < 6)
            frac *= 10;
    }
    if (p < end && (*p == 'Z' || *p == 'z')) {
        p++;
    } else if (p < end && (*p == '+' || *p == '-')) {
        unsigned oh, om = 0;
        int sign = *p == '-' ? -1 : 1;
        p++;
        if (end - p < 2 || !digits(p, 2, &oh))
            return false;
        p += 2;
        if (p < end && *p == ':')
            p++;
        if (end - p >= 2 && digits(p, 2, &om))
            p += 2;
        if (oh > 23 || om > 59)
            return false;
        offset = sign * (int64_t)(oh * 3600 + om * 60);
    }
    if (p != end)
        return false;
    *sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
    *usec = frac;
    return *sec >= 0;
}

/* A JSON number of seconds: digits, a fraction; an exponent through
 * strtod.  Never negative. */
static bool
parse_seconds(const char *s, size_t len, uint64_t *whole, uint32_t *nanos)
{
    const char *p = s, *end = s + len;
    uint64_t w = 0;
    uint32_t n = 0;
    int scale = 0;

    if (memchr(s, 'e', len) != NULL || memchr(s, 'E', len) != NULL) {
        char text[64];
        double v;
        if (len >= sizeof text)
            return false;
        memcpy(text, s, len);
        text[len] = '\0';
        v = g_ascii_strtod(text, NULL);
        if (!(v >= 0 && v < 1e12))
            return false;
        w = (uint64_t)v;
        *whole = w;
        *nanos = (uint32_t)((v - (double)w) * 1e9 + 0.5);
        if (*nanos >= 1000000000u) {
            *nanos = 0;
            (*whole)++;
        }
        return true;
    }
    if (p == end || *p == '-')
        return false;
    while (p < end && *p >= '0' && *p <= '9') {
        if (w > 100000000000ull)
            return false;
        w = w * 10 + (uint64_t)(*p++ - '0');
    }
    if (p < end && *p == '.') {
        p++;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            if (scale < 9) {
                n = n * 10 + (uint32_t)(*p - '0');
                scale++;
            }
        }
    }
    if (p != end)
        return false;
    while (scale++ < 9)
        n *= 10;
    *whole = w;
    *nanos = n;
    return true;
}

int
formats_time(record *r, const char *name, const ct_json_member *m, int64_t *sec, uint32_t *usec)
{
    const char *what = "a time (ISO 8601, or seconds since 1970)";

    if (absent(m))
        return 0;
    if (m->type == CT_JSON_STRING) {
        size_t len;
        const char *s = string_text(r, m, &len);
        return parse_iso8601(s, len, sec, usec) ? 1 : bad(r, name, m, what);
    }
    if (m->type == CT_JSON_NUMBER) {
        uint64_t whole = 0;
        uint32_t nanos = 0;
        /* Up to the year 9999, as the ISO form. */
        if (!parse_seconds(m->value, m->value_len, &whole, &nanos) || whole > 253402300799ull)
            return bad(r, name, m, what);
        *sec = (int64_t)whole;
        *usec = nanos / 1000u;
        return 1;
    }
    return bad(r, name, m, what);
}

int
formats_uint(record *r, const char *name, const ct_json_member *m, uint64_t max, uint64_t *value)
{
    uint64_t v = 0;

    if (absent(m))
        return 0;
    if (m->type != CT_JSON_NUMBER || m->value[0] == '-')
        goto refuse;
    for (size_t i = 0; i < m->value_len; i++) {
        char c = m->value[i];
        if (c < '0' || c > '9' || v > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
            goto refuse;
        v = v * 10 + (uint64_t)(c - '0');
    }
    if (v > max)
        goto refuse;
    *value = v;
    return 1;
refuse:
    if (max == 65535)
        return bad(r, name, m, "a port number (0 to 65535)");
    return bad(r, name, m, "a whole number");
}

int
formats_proto(record *r, const char *name, const ct_json_member *m, flow_view *view)
{
    const char *what = "a protocol (a name, or a number from 0 to 255)";
    uint64_t number = 0;

    if (absent(m))
        return 0;
    if (m->type == CT_JSON_NUMBER) {
        if (formats_uint(r, name, m, 255, &number) < 0)
            return bad(r, name, m, what);
        view->proto = (int)number;
        return 1;
    }
    if (m->type == CT_JSON_STRING) {
        size_t len;
        const char *s = string_text(r, m, &len);
        unsigned n;
        int proto = ct_ecs_proto_number(s, len);
        if (proto >= 0) {
            view->proto = proto;
            return 1;
        }
        if (len > 0 && len <= 3 && digits(s, len, &n) && n <= 255) {
            view->proto = (int)n;
            return 1;
        }
        /* A name we have no number for: a keyword of its own. */
        if (len == 0 || len >= VIEW_TEXT_MAX)
            return bad(r, name, m, what);
        for (size_t i = 0; i < len; i++) {
            char c = g_ascii_tolower(s[i]);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.' || c == '+'))
                return bad(r, name, m, what);
            view->transport[i] = c;
        }
        view->transport[len] = '\0';
        return 1;
    }
    return bad(r, name, m, what);
}

int
formats_duration(record *r, const char *name, const ct_json_member *m, uint64_t *ns)
{
    uint64_t whole = 0;
    uint32_t nanos = 0;

    if (absent(m))
        return 0;
    if (m->type != CT_JSON_NUMBER || !parse_seconds(m->value, m->value_len, &whole, &nanos) ||
        whole > 100000000000ull)
        return bad(r, name, m, "a duration in seconds");
    *ns = whole * 1000000000ull + nanos;
    return 1;
}

int
formats_text(record *r, const char *name, const ct_json_member *m, char out[VIEW_TEXT_MAX])
{
    size_t len;
    const char *s;

    if (absent(m))
        return 0;
    if (m->type != CT_JSON_STRING)
        return bad(r, name, m, "a string");
    s = string_text(r, m, &len);
    if (len >= VIEW_TEXT_MAX || memchr(s, '\0', len) != NULL)
        return bad(r, name, m, "a string of at most 63 bytes");
    memcpy(out, s, len);
    out[len] = '\0';
    return 1;
}

static void
view_init(flow_view *v)
{
    memset(v, 0, sizeof *v);
    v->proto = -1;
}

/* Sums both ways when both are known. */
static void
view_totals(flow_view *v)
{
    if (!v->has_bytes && v->has_side_bytes[0] && v->has_side_bytes[1]) {
        v->has_bytes = true;
        v->bytes = v->side_bytes[0] + v->side_bytes[1];
    }
    if (!v->has_packets && v->has_side_packets[0] && v->has_side_packets[1]) {
        v->has_packets = true;
        v->packets = v->side_packets[0] + v->side_packets[1];
    }
}

static int
read_port(record *r, const char *name, const ct_json_member *m, flow_view *v, int side)
{
    uint64_t port = 0;
    int rc = formats_uint(r, name, m, 65535, &port);

    if (rc == 1) {
        v->has_port[side] = true;
        v->port[side] = (uint16_t)port;
    }
    return rc;
}

static int
read_count(record *r, const char *name, const ct_json_member *m, bool *has, uint64_t *value)
{
    int rc = formats_uint(r, name, m, UINT64_MAX, value);

    if (rc == 1)
        *has = true;
    return rc;
}

bool
formats_read_seed_view(record *r)
{
    flow_view *v = &r->view;
    int start, end;

    view_init(v);
    start = formats_time(r, "ts", record_column(r, COL_TS), &v->start_sec, &v->start_usec);
    end = formats_time(r, "end_ts", record_column(r, COL_END_TS), &v->end_sec, &v->end_usec);
    if (start < 0 || end < 0)
        return false;
    v->has_start = start == 1;
    v->has_end = end == 1;
    if (formats_proto(r, "proto", record_column(r, COL_PROTO), v) < 0 ||
        read_port(r, "src_port", record_column(r, COL_SRC_PORT), v, 0) < 0 ||
        read_port(r, "dst_port", record_column(r, COL_DST_PORT), v, 1) < 0 ||
        read_count(r, "bytes", record_column(r, COL_BYTES), &v->has_bytes, &v->bytes) < 0 ||
        read_count(r, "pkts", record_column(r, COL_PKTS), &v->has_packets, &v->packets) < 0 ||
        read_count(r, "src_bytes", record_column(r, COL_SRC_BYTES), &v->has_side_bytes[0],
                   &v->side_bytes[0]) < 0 ||
        read_count(r, "src_pkts", record_column(r, COL_SRC_PKTS), &v->has_side_packets[0],
                   &v->side_packets[0]) < 0 ||
        read_count(r, "dst_bytes", record_column(r, COL_DST_BYTES), &v->has_side_bytes[1],
                   &v->side_bytes[1]) < 0 ||
        read_count(r, "dst_pkts", record_column(r, COL_DST_PKTS), &v->has_side_packets[1],
                   &v->side_packets[1]) < 0 ||
        formats_text(r, "community_id", record_column(r, COL_COMMUNITY_ID), v->community_id) < 0)
        return false;
    view_totals(v);
    return true;
}
