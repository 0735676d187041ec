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
    char shown[RECORD_QUOTE_SIZE];

    if (m->type == CT_JSON_STRING) {
        size_t len;
        const char *s = string_text(r, m, &len);
        g_string_printf(r->why, "%s \"%s\" is not %s", name, record_quote(shown, s, len), what);
    } else {
        g_string_printf(r->why, "%s %s is not %s", name,
                        record_quote(shown, m->value, m->value_len), what);
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

/* The seconds since 1970 of "YYYY-MM-DD[T ]HH:MM:SS" (19 bytes), years
 * 1970 to 9999; false when it is not that. */
static bool
parse_iso8601_second(const char *s, int64_t *sec)
{
    static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y, mo, d, h, mi, se;

    if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
        !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
        !digits(s + 17, 2, &se))
        return false;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
        return false;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return false;
    *sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

/* YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+HH:MM|+HHMM|+HH], years 1970 to
 * 9999.  Records come in time order: the second's part is read through
 * r's memory of the last one. */
static bool
parse_iso8601(record *r, const char *s, size_t len, int64_t *sec, uint32_t *usec)
{
    unsigned frac = 0, scale = 0;
    const char *p = s + 19, *end = s + len;
    int64_t second, offset = 0;

    if (len < 19)
        return false;
    if (r->last_second_valid && memcmp(s, r->last_second_text, 19) == 0) {
        second = r->last_second;
    } else {
        if (!parse_iso8601_second(s, &second))
            return false;
        memcpy(r->last_second_text, s, 19);
        r->last_second = second;
        r->last_second_valid = true;
    }
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
    *sec = second - offset;
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
        return parse_iso8601(r, s, len, sec, usec) ? 1 : bad(r, name, m, what);
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
    size_t i = 0;

    if (absent(m))
        return 0;
    if (m->type != CT_JSON_NUMBER || m->value[0] == '-')
        goto refuse;
    /* 19 digits cannot overflow: those without the check, a digit being
     * one unsigned comparison. */
    for (size_t safe = m->value_len < 19 ? m->value_len : 19; i < safe; i++) {
        unsigned d = (unsigned char)m->value[i] - (unsigned)'0';
        if (d > 9)
            goto refuse;
        v = v * 10 + d;
    }
    for (; i < m->value_len; i++) {
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

/* ---- the formats ---------------------------------------------------------- */

static const char *const format_names[] = {"auto", "seed", "eve", "zeek", "ecs"};

const char *
formats_name(input_format format)
{
    return format_names[format];
}

bool
formats_parse(const char *name, input_format *format)
{
    for (size_t i = 0; i < G_N_ELEMENTS(format_names); i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *format = (input_format)i;
            return true;
        }
    }
    return false;
}

static bool
key_is(const ct_json_member *m, const char *key, size_t len)
{
    return m->key_len == len && memcmp(m->key, key, len) == 0;
}

#define KEY_IS(m, literal) key_is(m, literal, sizeof literal - 1)

input_format
formats_detect(const record *r)
{
    bool ecs = false;

    /* The seed's own keys are indexed already: the common case costs
     * nothing more.  (EVE has src_ip too, but dest_ip.) */
    if (r->col[COL_DST_IP] >= 0)
        return INPUT_SEED;
    for (size_t i = 0; i < r->n_members; i++) {
        const ct_json_member *m = &r->members[i];
        if (KEY_IS(m, "event_type"))
            return INPUT_EVE;
        if (KEY_IS(m, "id.orig_h") || KEY_IS(m, "id.resp_h"))
            return INPUT_ZEEK;
        ecs = ecs || KEY_IS(m, "@timestamp") || KEY_IS(m, "ecs") || KEY_IS(m, "source") ||
              KEY_IS(m, "destination") || KEY_IS(m, "source.ip") || KEY_IS(m, "destination.ip");
    }
    return ecs && r->col[COL_SRC_IP] < 0 ? INPUT_ECS : INPUT_SEED;
}

static const ct_json_member *
top(const record *r, const char *key)
{
    return ct_json_find(r->json, key);
}

/* Scan the object member name (NULL or null: 0) into r->sub: 1, or -1
 * when it is not an object. */
static int
scan_object(record *r, const char *name, const ct_json_member *m)
{
    if (absent(m))
        return 0;
    if (m->type != CT_JSON_OBJECT || ct_json_scan(r->sub, m->value, m->value_len) != CT_OK) {
        g_string_printf(r->why, "%s is not an object (a JSON %s)", name,
                        ct_json_type_name(m->type));
        return -1;
    }
    return 1;
}

static const ct_json_member *
inner(const record *r, int scanned, const char *key)
{
    return scanned == 1 ? ct_json_find(r->sub, key) : NULL;
}

static bool
read_addresses(record *r, const char *src_name, const char *dst_name, ct_addr *src, ct_addr *dst)
{
    return record_read_address(r, src_name, top(r, src_name), src) &&
           record_read_address(r, dst_name, top(r, dst_name), dst);
}

static bool
time_into(record *r, const char *name, const ct_json_member *m, bool *has, int64_t *sec,
          uint32_t *usec)
{
    int rc = formats_time(r, name, m, sec, usec);

    if (rc == 1)
        *has = true;
    return rc >= 0;
}

/* Suricata EVE: event_type flow (both ways: toserver is the source's) or
 * netflow (one way), src_ip, dest_ip, src_port, dest_port, proto,
 * community_id; the counts and times in the flow or netflow object, the
 * event's timestamp when it has no start. */
static bool
read_eve(record *r, ct_addr *src, ct_addr *dst)
{
    flow_view *v = &r->view;
    char type[VIEW_TEXT_MAX];
    bool netflow;
    int scanned, rc;

    rc = formats_text(r, "event_type", top(r, "event_type"), type);
    if (rc == 0)
        g_string_assign(r->why, "no event_type");
    if (rc <= 0)
        return false;
    if (strcmp(type, "flow") != 0 && strcmp(type, "netflow") != 0) {
        char shown[RECORD_QUOTE_SIZE];
        g_string_printf(r->why, "EVE event_type \"%s\" is not flow or netflow",
                        record_quote(shown, type, strlen(type)));
        return false;
    }
    netflow = type[0] == 'n';
    if (!read_addresses(r, "src_ip", "dest_ip", src, dst) ||
        read_port(r, "src_port", top(r, "src_port"), v, 0) < 0 ||
        read_port(r, "dest_port", top(r, "dest_port"), v, 1) < 0 ||
        formats_proto(r, "proto", top(r, "proto"), v) < 0 ||
        formats_text(r, "community_id", top(r, "community_id"), v->community_id) < 0)
        return false;
    scanned = scan_object(r, netflow ? "netflow" : "flow", top(r, netflow ? "netflow" : "flow"));
    if (scanned < 0)
        return false;
    if (netflow) {
        if (read_count(r, "netflow.pkts", inner(r, scanned, "pkts"), &v->has_side_packets[0],
                       &v->side_packets[0]) < 0 ||
            read_count(r, "netflow.bytes", inner(r, scanned, "bytes"), &v->has_side_bytes[0],
                       &v->side_bytes[0]) < 0 ||
            !time_into(r, "netflow.start", inner(r, scanned, "start"), &v->has_start, &v->start_sec,
                       &v->start_usec) ||
            !time_into(r, "netflow.end", inner(r, scanned, "end"), &v->has_end, &v->end_sec,
                       &v->end_usec))
            return false;
        /* One way: the totals are the source's. */
        v->has_packets = v->has_side_packets[0];
        v->packets = v->side_packets[0];
        v->has_bytes = v->has_side_bytes[0];
        v->bytes = v->side_bytes[0];
    } else if (read_count(r, "flow.pkts_toserver", inner(r, scanned, "pkts_toserver"),
                          &v->has_side_packets[0], &v->side_packets[0]) < 0 ||
               read_count(r, "flow.pkts_toclient", inner(r, scanned, "pkts_toclient"),
                          &v->has_side_packets[1], &v->side_packets[1]) < 0 ||
               read_count(r, "flow.bytes_toserver", inner(r, scanned, "bytes_toserver"),
                          &v->has_side_bytes[0], &v->side_bytes[0]) < 0 ||
               read_count(r, "flow.bytes_toclient", inner(r, scanned, "bytes_toclient"),
                          &v->has_side_bytes[1], &v->side_bytes[1]) < 0 ||
               !time_into(r, "flow.start", inner(r, scanned, "start"), &v->has_start, &v->start_sec,
                          &v->start_usec) ||
               !time_into(r, "flow.end", inner(r, scanned, "end"), &v->has_end, &v->end_sec,
                          &v->end_usec)) {
        return false;
    }
    if (!v->has_start && !time_into(r, "timestamp", top(r, "timestamp"), &v->has_start,
                                    &v->start_sec, &v->start_usec))
        return false;
    return true;
}

/* Zeek conn.log as JSON: id.orig_h, id.resp_h, id.orig_p, id.resp_p
 * (for ICMP, Zeek's type and code: not ports), proto, ts (the first
 * packet), duration, orig_/resp_bytes, _pkts, community_id. */
static bool
read_zeek(record *r, ct_addr *src, ct_addr *dst)
{
    flow_view *v = &r->view;

    if (!read_addresses(r, "id.orig_h", "id.resp_h", src, dst) ||
        read_port(r, "id.orig_p", top(r, "id.orig_p"), v, 0) < 0 ||
        read_port(r, "id.resp_p", top(r, "id.resp_p"), v, 1) < 0 ||
        formats_proto(r, "proto", top(r, "proto"), v) < 0 ||
        !time_into(r, "ts", top(r, "ts"), &v->has_start, &v->start_sec, &v->start_usec) ||
        read_count(r, "orig_bytes", top(r, "orig_bytes"), &v->has_side_bytes[0],
                   &v->side_bytes[0]) < 0 ||
        read_count(r, "resp_bytes", top(r, "resp_bytes"), &v->has_side_bytes[1],
                   &v->side_bytes[1]) < 0 ||
        read_count(r, "orig_pkts", top(r, "orig_pkts"), &v->has_side_packets[0],
                   &v->side_packets[0]) < 0 ||
        read_count(r, "resp_pkts", top(r, "resp_pkts"), &v->has_side_packets[1],
                   &v->side_packets[1]) < 0 ||
        formats_text(r, "community_id", top(r, "community_id"), v->community_id) < 0)
        return false;
    /* Zeek's "ports" of ICMP are its type and code: no ports in ECS. */
    if (v->proto == 1 || v->proto == 58)
        v->has_port[0] = v->has_port[1] = false;
    switch (formats_duration(r, "duration", top(r, "duration"), &v->duration_ns)) {
    case -1:
        return false;
    case 1:
        v->has_duration = true;
        if (v->has_start) {
            uint64_t usecs = v->start_usec + v->duration_ns / 1000u;
            v->has_end = true;
            v->end_sec = v->start_sec + (int64_t)(usecs / 1000000u);
            v->end_usec = (uint32_t)(usecs % 1000000u);
        }
        break;
    default:
        break;
    }
    return true;
}

/* An ECS field: a dotted key at the top ("source.ip"), else a member of
 * the object scanned into r->sub. */
static const ct_json_member *
ecs_field(const record *r, int scanned, const char *dotted)
{
    const ct_json_member *m = top(r, dotted);

    return m != NULL ? m : inner(r, scanned, strchr(dotted, '.') + 1);
}

static bool
read_ecs_end(record *r, int side, ct_addr *addr)
{
    static const char *const names[2][5] = {
        {"source", "source.ip", "source.port", "source.bytes", "source.packets"},
        {"destination", "destination.ip", "destination.port", "destination.bytes",
         "destination.packets"},
    };
    const char *const *n = names[side];
    flow_view *v = &r->view;
    int scanned = scan_object(r, n[0], top(r, n[0]));

    return scanned >= 0 && record_read_address(r, n[1], ecs_field(r, scanned, n[1]), addr) &&
           read_port(r, n[2], ecs_field(r, scanned, n[2]), v, side) >= 0 &&
           read_count(r, n[3], ecs_field(r, scanned, n[3]), &v->has_side_bytes[side],
                      &v->side_bytes[side]) >= 0 &&
           read_count(r, n[4], ecs_field(r, scanned, n[4]), &v->has_side_packets[side],
                      &v->side_packets[side]) >= 0;
}

/* ECS documents, nested or with dotted keys: source.* and destination.*
 * (ip, port, bytes, packets), network.* (iana_number, else transport;
 * bytes, packets, community_id), event.start (else @timestamp),
 * event.end, event.duration (nanoseconds). */
static bool
read_ecs(record *r, ct_addr *src, ct_addr *dst)
{
    flow_view *v = &r->view;
    int scanned;
    const ct_json_member *proto;

    if (!read_ecs_end(r, 0, src) || !read_ecs_end(r, 1, dst))
        return false;
    scanned = scan_object(r, "network", top(r, "network"));
    if (scanned < 0)
        return false;
    proto = ecs_field(r, scanned, "network.iana_number");
    if (absent(proto)) {
        if (formats_proto(r, "network.transport", ecs_field(r, scanned, "network.transport"), v) <
            0)
            return false;
    } else if (formats_proto(r, "network.iana_number", proto, v) < 0) {
        return false;
    }
    if (read_count(r, "network.bytes", ecs_field(r, scanned, "network.bytes"), &v->has_bytes,
                   &v->bytes) < 0 ||
        read_count(r, "network.packets", ecs_field(r, scanned, "network.packets"), &v->has_packets,
                   &v->packets) < 0 ||
        formats_text(r, "network.community_id", ecs_field(r, scanned, "network.community_id"),
                     v->community_id) < 0)
        return false;
    scanned = scan_object(r, "event", top(r, "event"));
    if (scanned < 0 ||
        !time_into(r, "event.start", ecs_field(r, scanned, "event.start"), &v->has_start,
                   &v->start_sec, &v->start_usec) ||
        !time_into(r, "event.end", ecs_field(r, scanned, "event.end"), &v->has_end, &v->end_sec,
                   &v->end_usec) ||
        read_count(r, "event.duration", ecs_field(r, scanned, "event.duration"), &v->has_duration,
                   &v->duration_ns) < 0)
        return false;
    if (!v->has_start && !time_into(r, "@timestamp", top(r, "@timestamp"), &v->has_start,
                                    &v->start_sec, &v->start_usec))
        return false;
    return true;
}

bool
formats_read(record *r, ct_addr *src, ct_addr *dst)
{
    bool ok;

    view_init(&r->view);
    switch (r->format) {
    case INPUT_EVE:
        ok = read_eve(r, src, dst);
        break;
    case INPUT_ZEEK:
        ok = read_zeek(r, src, dst);
        break;
    case INPUT_ECS:
        ok = read_ecs(r, src, dst);
        break;
    default:
        g_string_assign(r->why, "internal error: not a format of its own");
        return false;
    }
    if (ok)
        view_totals(&r->view);
    return ok;
}
