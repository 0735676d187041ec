/* records.c - see records.h.
 *
 * Most of any flow log is plain dotted-quad IPv4, so addresses take a
 * fast path without the two inet_pton() calls of ct_addr_parse(); every
 * other text, valid or not, is left to ct_addr_parse(), which has the
 * final word.  Strings without escapes are read in place; the others are
 * decoded into the scratch buffer, which a record's writer reuses.
 */
#include "records.h"

#include <string.h>

#include "ct_out.h"

/* Bytes of a bad value quoted in a message. */

void
record_init(record *r, size_t max_len, unsigned max_depth)
{
    memset(r, 0, sizeof *r);
    r->json = ct_json_new(max_len, max_depth);
    r->sub = ct_json_new(max_len, max_depth);
    r->scratch = g_malloc(max_len + 1);
    r->why = g_string_new(NULL);
}

void
record_clear(record *r)
{
    ct_json_free(r->json);
    ct_json_free(r->sub);
    g_free(r->scratch);
    g_string_free(r->why, TRUE);
    memset(r, 0, sizeof *r);
}

const char *
record_quote(char out[RECORD_QUOTE_SIZE], const char *text, size_t len)
{
    char *o = out;

    for (size_t i = 0; i < len && i < RECORD_QUOTE_MAX; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            *o++ = (char)ch;
        else
            o += g_snprintf(o, 5, "\\x%02X", ch);
    }
    if (len > RECORD_QUOTE_MAX)
        o = g_stpcpy(o, "...");
    *o = '\0';
    return out;
}

/* Which seed column, if any, a top-level key fills. */
static int
input_column(const ct_json_member *m)
{
    const char *k = m->key;

    switch (m->key_len) {
    case 2:
        return memcmp(k, "ts", 2) == 0 ? COL_TS : -1;
    case 4:
        return memcmp(k, "pkts", 4) == 0 ? COL_PKTS : -1;
    case 6:
        if (memcmp(k, "src_ip", 6) == 0)
            return COL_SRC_IP;
        if (memcmp(k, "dst_ip", 6) == 0)
            return COL_DST_IP;
        return memcmp(k, "end_ts", 6) == 0 ? COL_END_TS : -1;
    case 5:
        if (memcmp(k, "proto", 5) == 0)
            return COL_PROTO;
        return memcmp(k, "bytes", 5) == 0 ? COL_BYTES : -1;
    case 8:
        if (memcmp(k, "src_port", 8) == 0)
            return COL_SRC_PORT;
        if (memcmp(k, "dst_port", 8) == 0)
            return COL_DST_PORT;
        if (memcmp(k, "src_pkts", 8) == 0)
            return COL_SRC_PKTS;
        return memcmp(k, "dst_pkts", 8) == 0 ? COL_DST_PKTS : -1;
    case 9:
        if (memcmp(k, "src_bytes", 9) == 0)
            return COL_SRC_BYTES;
        return memcmp(k, "dst_bytes", 9) == 0 ? COL_DST_BYTES : -1;
    case 12:
        return memcmp(k, "community_id", 12) == 0 ? COL_COMMUNITY_ID : -1;
    default:
        return -1;
    }
}

bool
record_is_enrichment_key(const ct_json_member *m)
{
    if (m->key_len < 7 || (memcmp(m->key, "src_", 4) != 0 && memcmp(m->key, "dst_", 4) != 0))
        return false;
    for (int i = 9; i < 18; i++) {
        if (strcmp(m->key + 4, ct_out_seed_columns[i] + 4) == 0)
            return true;
    }
    return false;
}

/* Take the members of the last scan and find the seed's columns. */
static void
index_members(record *r)
{
    r->members = ct_json_members(r->json, &r->n_members);
    for (int i = 0; i < RECORD_COLUMNS; i++)
        r->col[i] = -1;
    for (size_t i = 0; i < r->n_members; i++) {
        int col = input_column(&r->members[i]);
        if (col >= 0)
            r->col[col] = (int)i;
    }
}

const ct_json_member *
record_column(const record *r, int col)
{
    return r->col[col] < 0 ? NULL : &r->members[r->col[col]];
}

/* Plain dotted-quad IPv4 (no leading zeros), most of any flow log,
 * without the two inet_pton() calls of ct_addr_parse(); everything else,
 * valid or not, is left to ct_addr_parse(), which has the final word. */
static bool
parse_ipv4(const char *s, size_t len, ct_addr *addr)
{
    const char *end = s + len;
    uint8_t bytes[4];

    for (int i = 0; i < 4; i++) {
        unsigned v, d;

        /* One to three digits, a digit being one unsigned comparison; a
         * second digit after a leading zero is refused. */
        if (s == end || (v = (unsigned char)*s - (unsigned)'0') > 9)
            return false;
        s++;
        if (s < end && (d = (unsigned char)*s - (unsigned)'0') <= 9) {
            if (v == 0)
                return false;
            v = v * 10 + d;
            s++;
            if (s < end && (d = (unsigned char)*s - (unsigned)'0') <= 9) {
                v = v * 10 + d;
                s++;
            }
        }
        if (v > 255)
            return false;
        bytes[i] = (uint8_t)v;
        if (i < 3) {
            if (s == end || *s != '.')
                return false;
            s++;
        }
    }
    if (s != end)
        return false;
    ct_addr_from_ipv4(addr, bytes);
    return true;
}

bool
record_read_address(record *r, const char *name, const ct_json_member *m, ct_addr *addr)
{
    char shown[RECORD_QUOTE_SIZE];
    char text[CT_ADDR_STRLEN + 1];
    const char *s;
    size_t len;

    if (m == NULL) {
        g_string_printf(r->why, "no %s", name);
        return false;
    }
    if (m->type != CT_JSON_STRING) {
        static const char *const what[] = {
            [CT_JSON_NULL] = "null",      [CT_JSON_FALSE] = "false",
            [CT_JSON_TRUE] = "true",      [CT_JSON_NUMBER] = "a number",
            [CT_JSON_ARRAY] = "an array", [CT_JSON_OBJECT] = "an object",
        };
        g_string_printf(r->why, "%s is %s, not a string", name, what[m->type]);
        return false;
    }
    if (m->value_escaped) {
        len = ct_json_decode_string(m->value, m->value_len, r->scratch);
        s = r->scratch;
    } else {
        len = m->value_len - 2;
        s = m->value + 1;
    }
    if (parse_ipv4(s, len, addr))
        return true;
    /* ct_addr_parse reads a C string: a NUL inside must not cut it short. */
    if (len < sizeof text && memchr(s, '\0', len) == NULL) {
        memcpy(text, s, len);
        text[len] = '\0';
        if (ct_addr_parse(text, addr))
            return true;
    }
    g_string_printf(r->why, "%s \"%s\" is not an IP address", name, record_quote(shown, s, len));
    return false;
}

static bool
read_address(record *r, int col, ct_addr *addr)
{
    return record_read_address(r, ct_out_seed_columns[col], record_column(r, col), addr);
}

bool
record_check(record *r, const char *line, size_t len, ct_addr *src, ct_addr *dst)
{
    const ct_json_member *m;

    if (ct_json_scan(r->json, line, len) != CT_OK) {
        g_string_printf(r->why, "invalid JSON at byte %zu: %s", ct_json_error_offset(r->json) + 1,
                        ct_json_reason(r->json));
        return false;
    }
    index_members(r);
    m = r->members;
    for (size_t i = 0; i < r->n_members; i++) {
        /* Output keys are C strings and must be written unchanged: a key
         * with a control character (only possible through an escape) would
         * be altered or cut, so the line is refused instead. */
        if (m[i].key_escaped) {
            for (size_t k = 0; k < m[i].key_len; k++) {
                if ((unsigned char)m[i].key[k] < 0x20) {
                    char shown[RECORD_QUOTE_SIZE];
                    g_string_printf(r->why, "key \"%s\" has a control character",
                                    record_quote(shown, m[i].key, m[i].key_len));
                    return false;
                }
            }
        }
    }
    r->format = r->forced != INPUT_AUTO ? r->forced : formats_detect(r);
    if (r->format != INPUT_SEED)
        return formats_read(r, src, dst);
    if (!read_address(r, COL_SRC_IP, src) || !read_address(r, COL_DST_IP, dst))
        return false;
    return !r->want_view || formats_read_seed_view(r);
}

bool
record_scan(record *r, const char *line, size_t len)
{
    ct_addr src, dst;

    return record_check(r, line, len, &src, &dst);
}
