/* ct_json.c - strict one-line JSON object scanner (see ct_json.h).
 *
 * Grammar: RFC 8259 sections 2-7, checked byte by byte in one pass:
 *   - whitespace is exactly SP, HT, LF, CR;
 *   - numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?;
 *   - strings: unescaped bytes are %x20-21 / %x23-5B / %x5D-7F or a
 *     well-formed UTF-8 sequence (Unicode table 3-7: no overlong forms, no
 *     encoded surrogates, nothing above U+10FFFF); escapes are \" \\ \/ \b
 *     \f \n \r \t and \uXXXX, where a high surrogate must be followed by a
 *     low one and a low one never stands alone (RFC 8259 section 8.2 allows
 *     lone surrogates only as "unpredictable" text; we refuse them, since
 *     they cannot be decoded to UTF-8).
 *
 * Speed matters (a million records a second is the CLI's target): plain
 * string bytes are skipped 16 at a time with SSE2 (a table lookup per byte
 * without SSE2 and near the end of the line), the common all-ASCII string
 * is scanned inline and the rest out of line, keys without escapes are
 * copied with memcpy, and nothing is allocated per line once the buffers
 * have grown.  Nested values are walked iteratively with a byte stack of
 * max_depth entries, so a hostile line cannot exhaust the C stack.
 * The SSE2 loop never reads past text + len: it needs 16 bytes left.
 *
 * Duplicate keys are looked for only among the top-level members, which
 * are what callers read; deeper objects are passed on verbatim.  A flow
 * record has about ten keys: up to LINEAR_MAX members they are compared
 * one by one (hashing every key cost more than the rest of the scan).
 * Beyond that a hash table takes over, reset per line by bumping a
 * generation number, so a line with 100,000 members costs linear time and
 * a short line after a long one does not pay for clearing a large table.
 */
#include "ct_json.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define REASON_MAX 160
/* Members checked for duplicates without the hash table. */
#define LINEAR_MAX 16
/* Keys up to this many bytes are copied in one fixed-size piece. */
#define KEY_COPY 16
/* Input quoted in a reason is cut to this many bytes. */
#define SHOW_MAX 40

typedef struct {
    uint32_t gen;
    uint32_t index;
} slot;

struct ct_json {
    size_t max_len;
    unsigned max_depth;

    ct_json_member *members;
    uint32_t *hashes; /* FNV-1a of each decoded key, once past LINEAR_MAX */
    size_t n_members;
    size_t cap_members;

    char *keys; /* decoded keys of the current line, NUL-terminated */
    size_t keys_cap;
    size_t keys_len;

    slot *table; /* open addressing, power-of-two size */
    size_t table_cap;
    uint32_t gen;

    char *stack; /* '{' or '[' per open container */

    const char *text; /* line being scanned */
    const char *end;  /* its end */
    size_t error_offset;
    char reason[REASON_MAX];
};

/* Bytes that may stand for themselves inside a string, ASCII only:
 * %x20-21 / %x23-5B / %x5D-7F. */
static const unsigned char plain_byte[256] = {
    [0x20 ... 0x21] = 1,
    [0x23 ... 0x5b] = 1,
    [0x5d ... 0x7f] = 1,
};

static const char *const type_names[] = {
    [CT_JSON_NULL] = "null",     [CT_JSON_FALSE] = "false",   [CT_JSON_TRUE] = "true",
    [CT_JSON_NUMBER] = "number", [CT_JSON_STRING] = "string", [CT_JSON_ARRAY] = "array",
    [CT_JSON_OBJECT] = "object",
};

const char *
ct_json_type_name(ct_json_type type)
{
    if ((size_t)type < G_N_ELEMENTS(type_names))
        return type_names[type];
    return "unknown";
}

ct_json *
ct_json_new(size_t max_len, unsigned max_depth)
{
    ct_json *j = g_new0(ct_json, 1);

    j->max_len = max_len ? max_len : CT_JSON_MAX_LEN_DEFAULT;
    j->max_depth = max_depth ? max_depth : CT_JSON_MAX_DEPTH_DEFAULT;
    j->stack = g_malloc(j->max_depth + 1);
    j->cap_members = 32;
    j->members = g_new(ct_json_member, j->cap_members);
    j->hashes = g_new(uint32_t, j->cap_members);
    j->table_cap = 64;
    j->table = g_new0(slot, j->table_cap);
    j->keys_cap = 4096;
    j->keys = g_malloc(j->keys_cap);
    return j;
}

void
ct_json_free(ct_json *j)
{
    if (j == NULL)
        return;
    g_free(j->members);
    g_free(j->hashes);
    g_free(j->table);
    g_free(j->keys);
    g_free(j->stack);
    g_free(j);
}

const ct_json_member *
ct_json_members(const ct_json *j, size_t *n)
{
    *n = j->n_members;
    return j->members;
}

const ct_json_member *
ct_json_find(const ct_json *j, const char *key)
{
    size_t len = strlen(key);

    for (size_t i = 0; i < j->n_members; i++) {
        if (j->members[i].key_len == len && memcmp(j->members[i].key, key, len) == 0)
            return &j->members[i];
    }
    return NULL;
}

const char *
ct_json_reason(const ct_json *j)
{
    return j->reason;
}

size_t
ct_json_error_offset(const ct_json *j)
{
    return j->error_offset;
}

/* ---- errors ---------------------------------------------------------- */

/* Record why and where the scan failed; returns NULL so that callers can
 * write `return fail(...)`. */
G_GNUC_PRINTF(3, 4)
static const char *
fail(ct_json *j, const char *at, const char *fmt, ...)
{
    va_list ap;

    j->error_offset = (size_t)(at - j->text);
    va_start(ap, fmt);
    g_vsnprintf(j->reason, sizeof j->reason, fmt, ap);
    va_end(ap);
    return NULL;
}

/* "'x'", "a NUL byte", "byte 0xC3" or "end of line", for reasons. */
static void
describe(char out[24], const char *p, const char *end)
{
    unsigned char c;

    if (p >= end) {
        g_strlcpy(out, "end of line", 24);
        return;
    }
    c = (unsigned char)*p;
    if (c == 0)
        g_strlcpy(out, "a NUL byte", 24);
    else if (c > 0x20 && c < 0x7f && c != '\'')
        g_snprintf(out, 24, "'%c'", c);
    else
        g_snprintf(out, 24, "byte 0x%02X", c);
}

static const char *
fail_expected(ct_json *j, const char *p, const char *end, const char *what)
{
    char found[24];

    describe(found, p, end);
    return fail(j, p, "expected %s, found %s", what, found);
}

/* Up to SHOW_MAX bytes of text, printable ASCII kept, the rest escaped. */
static void
show_text(char *out, size_t out_size, const char *text, size_t len)
{
    GString *s = g_string_sized_new(SHOW_MAX * 4 + 8);

    for (size_t i = 0; i < len && i < SHOW_MAX; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            g_string_append_printf(s, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            g_string_append_c(s, (char)c);
        else
            g_string_append_printf(s, "\\x%02X", c);
    }
    if (len > SHOW_MAX)
        g_string_append(s, "...");
    g_strlcpy(out, s->str, out_size);
    g_string_free(s, TRUE);
}

/* ---- tokens ---------------------------------------------------------- */

/* Whitespace is rare in machine-written lines: one comparison rules it
 * out for any byte above ' '. */
static inline const char *
skip_ws(const char *p, const char *end)
{
    while (p < end && (unsigned char)*p <= ' ' &&
           (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static inline bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at p (p + 4 <= end checked here). */
static bool
hex4(const char *p, const char *end, unsigned *out)
{
    unsigned v = 0;

    if (end - p < 4)
        return false;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (unsigned)h;
    }
    *out = v;
    return true;
}

/* Length of the well-formed UTF-8 sequence at p (first byte >= 0x80), or
 * 0.  Unicode 15, table 3-7. */
static size_t
utf8_sequence(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n;

    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4;
    else
        return 0;
    if (c == 0xe0)
        lo = 0xa0; /* no overlong 3-byte forms */
    else if (c == 0xed)
        hi = 0x9f; /* no UTF-16 surrogates */
    else if (c == 0xf0)
        lo = 0x90; /* no overlong 4-byte forms */
    else if (c == 0xf4)
        hi = 0x8f; /* nothing above U+10FFFF */
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    }
    return n;
}

/* The first byte from q on that a string cannot hold as it is: '"', '\\',
 * a control byte or a byte >= 0x80 (or end). */
static inline const char *
skip_plain(const char *q, const char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);

    while (end - q >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        /* A signed comparison: bytes >= 0x80 are negative, so "below
         * 0x20" catches them with the control bytes. */
        __m128i special =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                         _mm_cmplt_epi8(v, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);

        if (mask != 0)
            return q + __builtin_ctz(mask);
        q += 16;
    }
#endif
    while (q < end && plain_byte[(unsigned char)*q])
        q++;
    return q;
}

/* The rest of a string after its plain ASCII start: escapes, UTF-8,
 * errors.  start is the opening quote, p the first byte to look at. */
static const char *
scan_string_rest(ct_json *j, const char *start, const char *p, const char *end, bool *escaped)
{
    for (;;) {
        unsigned char c;

        p = skip_plain(p, end);
        if (p >= end)
            return fail(j, start, "unterminated string");
        c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c == '\\') {
            unsigned u, low;

            *escaped = true;
            if (p + 1 >= end)
                return fail(j, start, "unterminated string");
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                p += 2;
                continue;
            case 'u':
                break;
            default: {
                char found[24];
                describe(found, p + 1, end);
                return fail(j, p, "invalid escape: backslash followed by %s", found);
            }
            }
            if (!hex4(p + 2, end, &u))
                return fail(j, p, "invalid \\u escape (four hex digits expected)");
            if (u >= 0xdc00 && u <= 0xdfff)
                return fail(j, p, "lone low surrogate \\u%04X", u);
            if (u >= 0xd800 && u <= 0xdbff) {
                if (end - p < 12 || p[6] != '\\' || p[7] != 'u' || !hex4(p + 8, end, &low) ||
                    low < 0xdc00 || low > 0xdfff)
                    return fail(j, p, "lone high surrogate \\u%04X (no low surrogate follows)", u);
                p += 12;
            } else {
                p += 6;
            }
            continue;
        }
        if (c < 0x20) {
            if (c == 0)
                return fail(j, p, "a NUL byte in a string");
            return fail(j, p, "control character 0x%02X in a string (must be escaped)", c);
        }
        size_t n = utf8_sequence((const unsigned char *)p, (const unsigned char *)end);
        if (n == 0)
            return fail(j, p, "invalid UTF-8 in a string (byte 0x%02X)", c);
        p += n;
    }
}

/* p at the opening quote; returns the byte after the closing quote.  The
 * common case, plain ASCII up to the quote, is inline; the rest is not. */
static inline const char *
scan_string(ct_json *j, const char *p, const char *end, bool *escaped)
{
    const char *q = skip_plain(p + 1, end);

    *escaped = false;
    if (q < end && *q == '"')
        return q + 1;
    return scan_string_rest(j, p, q, end, escaped);
}

static const char *
scan_number(ct_json *j, const char *p, const char *end)
{
    const char *start = p;

    if (*p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return fail(j, start, "invalid number: digit expected after '-'");
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p))
            return fail(j, start, "invalid number: leading zero");
    } else {
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p))
            return fail(j, start, "invalid number: digit expected after '.'");
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return fail(j, start, "invalid number: digit expected in the exponent");
        while (p < end && is_digit(*p))
            p++;
    }
    return p;
}

static const char *
scan_literal(ct_json *j, const char *p, const char *end, const char *word, size_t len)
{
    if ((size_t)(end - p) < len || memcmp(p, word, len) != 0)
        return fail(j, p, "invalid literal (expected %s)", word);
    return p + len;
}

/* Type of the value starting with byte c, or -1. */
static int
value_type(char c)
{
    switch (c) {
    case '{':
        return CT_JSON_OBJECT;
    case '[':
        return CT_JSON_ARRAY;
    case '"':
        return CT_JSON_STRING;
    case 't':
        return CT_JSON_TRUE;
    case 'f':
        return CT_JSON_FALSE;
    case 'n':
        return CT_JSON_NULL;
    default:
        return c == '-' || is_digit(c) ? CT_JSON_NUMBER : -1;
    }
}

/* One complete value of a top-level member (p after whitespace); returns
 * the byte after it.  Containers are walked without recursion: depth
 * counts the ones open inside this value, j->stack says which kind. */
static const char *
scan_value(ct_json *j, const char *p, const char *end, bool *escaped)
{
    /* The top-level object is level 1. */
    unsigned depth = 0, room = j->max_depth - 1;
    bool esc;

    *escaped = false;
value:
    switch (value_type(p < end ? *p : '\0')) {
    case CT_JSON_OBJECT:
    case CT_JSON_ARRAY:
        if (depth >= room)
            return fail(j, p, "nesting deeper than %u levels", j->max_depth);
        j->stack[depth++] = *p;
        p = skip_ws(p + 1, end);
        if (j->stack[depth - 1] == '[') {
            if (p < end && *p == ']') {
                p++;
                depth--;
                goto after;
            }
            goto value;
        }
        if (p < end && *p == '}') {
            p++;
            depth--;
            goto after;
        }
        goto key;
    case CT_JSON_STRING:
        p = scan_string(j, p, end, &esc);
        if (p == NULL)
            return NULL;
        if (depth == 0)
            *escaped = esc;
        goto after;
    case CT_JSON_NUMBER:
        p = scan_number(j, p, end);
        break;
    case CT_JSON_TRUE:
        p = scan_literal(j, p, end, "true", 4);
        break;
    case CT_JSON_FALSE:
        p = scan_literal(j, p, end, "false", 5);
        break;
    case CT_JSON_NULL:
        p = scan_literal(j, p, end, "null", 4);
        break;
    default:
        return fail_expected(j, p, end, "a value");
    }
    if (p == NULL)
        return NULL;
    goto after;

key:
    if (p >= end || *p != '"')
        return fail_expected(j, p, end, "a string key");
    p = scan_string(j, p, end, &esc);
    if (p == NULL)
        return NULL;
    p = skip_ws(p, end);
    if (p >= end || *p != ':')
        return fail_expected(j, p, end, "':' after the key");
    p = skip_ws(p + 1, end);
    goto value;

after:
    if (depth == 0)
        return p;
    p = skip_ws(p, end);
    if (j->stack[depth - 1] == '{') {
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            if (p < end && *p == '}')
                return fail(j, p, "trailing comma in an object");
            goto key;
        }
        if (p < end && *p == '}') {
            p++;
            depth--;
            goto after;
        }
        return fail_expected(j, p, end, "',' or '}'");
    }
    if (p < end && *p == ',') {
        p = skip_ws(p + 1, end);
        if (p < end && *p == ']')
            return fail(j, p, "trailing comma in an array");
        goto value;
    }
    if (p < end && *p == ']') {
        p++;
        depth--;
        goto after;
    }
    return fail_expected(j, p, end, "',' or ']'");
}

/* ---- decoding -------------------------------------------------------- */

static size_t
put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Every escape decodes to fewer bytes than it takes (\uXXXX: 6 to at most
 * 3, a pair: 12 to 4), so out never needs more than raw_len - 1 bytes
 * plus the NUL.  Text the scanner did not accept still cannot overrun:
 * a malformed escape is dropped. */
size_t
ct_json_decode_string(const char *raw, size_t raw_len, char *out)
{
    const char *p, *end;
    char *o = out;

    g_return_val_if_fail(raw != NULL && out != NULL && raw_len >= 2, 0);
    p = raw + 1;
    end = raw + raw_len - 1;
    while (p < end) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        size_t run = (size_t)((bs ? bs : end) - p);
        unsigned u, low;

        memcpy(o, p, run);
        o += run;
        p += run;
        if (bs == NULL || end - p < 2)
            break;
        switch (p[1]) {
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u':
            if (!hex4(p + 2, end, &u))
                break;
            p += 4;
            if (u >= 0xd800 && u <= 0xdbff && end - p >= 8 && p[2] == '\\' && p[3] == 'u' &&
                hex4(p + 4, end, &low) && low >= 0xdc00 && low <= 0xdfff) {
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
                p += 6;
            } else if (u >= 0xd800 && u <= 0xdfff) {
                u = 0xfffd;
            }
            o += put_utf8(o, u);
            break;
        default: /* '"', '\\', '/' */
            *o++ = p[1];
        }
        p += 2;
    }
    *o = '\0';
    return (size_t)(o - out);
}

/* ---- the top-level object -------------------------------------------- */

static uint32_t
hash_key(const char *key, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

static void
table_insert(ct_json *j, uint32_t hash, uint32_t index)
{
    size_t mask = j->table_cap - 1;
    size_t i = hash & mask;

    while (j->table[i].gen == j->gen)
        i = (i + 1) & mask;
    j->table[i].gen = j->gen;
    j->table[i].index = index;
}

/* Keep the load under one half; re-insert this line's members. */
static void
table_grow(ct_json *j)
{
    g_free(j->table);
    j->table_cap *= 2;
    j->table = g_new0(slot, j->table_cap);
    j->gen = 1;
    for (size_t i = 0; i < j->n_members; i++)
        table_insert(j, j->hashes[i], (uint32_t)i);
}

/* Is the key of member n (just decoded) already among members 0..n-1?
 * hash is only computed (and the table only used) past LINEAR_MAX. */
static bool
is_duplicate(ct_json *j, const char *key, size_t len, uint32_t hash)
{
    size_t mask = j->table_cap - 1;

    if (j->n_members < LINEAR_MAX) {
        for (size_t i = 0; i < j->n_members; i++) {
            const ct_json_member *m = &j->members[i];
            if (m->key_len == len && (len == 0 || m->key[0] == key[0]) &&
                memcmp(m->key, key, len) == 0)
                return true;
        }
        return false;
    }

    for (size_t i = hash & mask; j->table[i].gen == j->gen; i = (i + 1) & mask) {
        const ct_json_member *m = &j->members[j->table[i].index];
        if (j->hashes[j->table[i].index] == hash && m->key_len == len &&
            memcmp(m->key, key, len) == 0)
            return true;
    }
    return false;
}

static void
start_line(ct_json *j, const char *text, size_t len)
{
    j->text = text;
    j->end = text + len;
    j->n_members = 0;
    j->keys_len = 0;
    j->reason[0] = '\0';
    j->error_offset = 0;
    /* Decoded keys never need more than the line: each is shorter than its
     * quoted form, which leaves room for the NUL; KEY_COPY more bytes let
     * add_member() copy a short key in one fixed-size piece. */
    if (j->keys_cap < len + 1 + KEY_COPY) {
        j->keys_cap = len + 1 + KEY_COPY;
        j->keys = g_realloc(j->keys, j->keys_cap);
    }
    if (++j->gen == 0) {
        memset(j->table, 0, j->table_cap * sizeof *j->table);
        j->gen = 1;
    }
}

/* Decode the key at raw (validated, rawlen bytes with quotes), check it is
 * new and append a member for it. */
static bool
add_member(ct_json *j, const char *raw, size_t raw_len, bool escaped)
{
    char *key = j->keys + j->keys_len;
    size_t len;
    uint32_t hash;
    ct_json_member *m;

    if (escaped) {
        len = ct_json_decode_string(raw, raw_len, key);
    } else {
        len = raw_len - 2;
        /* Flow records' keys are short: one fixed-size copy, which
         * compilers make a vector move, when the line has the bytes
         * (what follows the key is overwritten). */
        if (len <= KEY_COPY && j->end - (raw + 1) >= KEY_COPY)
            memcpy(key, raw + 1, KEY_COPY);
        else
            memcpy(key, raw + 1, len);
        key[len] = '\0';
    }
    if (j->n_members == LINEAR_MAX) {
        /* From here on, the table: enter the members so far. */
        for (size_t i = 0; i < j->n_members; i++) {
            j->hashes[i] = hash_key(j->members[i].key, j->members[i].key_len);
            table_insert(j, j->hashes[i], (uint32_t)i);
        }
    }
    hash = j->n_members >= LINEAR_MAX ? hash_key(key, len) : 0;
    if (is_duplicate(j, key, len, hash)) {
        char shown[SHOW_MAX * 4 + 8];
        show_text(shown, sizeof shown, key, len);
        fail(j, raw, "duplicate key \"%s\"", shown);
        return false;
    }
    if (j->n_members == j->cap_members) {
        j->cap_members *= 2;
        j->members = g_renew(ct_json_member, j->members, j->cap_members);
        j->hashes = g_renew(uint32_t, j->hashes, j->cap_members);
    }
    m = &j->members[j->n_members];
    m->key = key;
    m->key_len = len;
    m->key_escaped = escaped;
    j->hashes[j->n_members] = hash;
    j->keys_len += len + 1;
    if (j->n_members >= LINEAR_MAX) {
        if ((j->n_members + 1) * 2 > j->table_cap) {
            j->n_members++;
            table_grow(j);
            return true;
        }
        table_insert(j, hash, (uint32_t)j->n_members);
    }
    j->n_members++;
    return true;
}

ct_status
ct_json_scan(ct_json *j, const char *text, size_t len)
{
    const char *end = text + len;
    const char *p;
    int type;

    g_return_val_if_fail(j != NULL && (text != NULL || len == 0), CT_ERR_INVALID);
    start_line(j, text, len <= j->max_len ? len : 0);
    if (len > j->max_len) {
        fail(j, text + j->max_len, "line longer than %zu bytes", j->max_len);
        return CT_ERR_INVALID;
    }

    p = skip_ws(text, end);
    if (p >= end) {
        fail(j, p, "no JSON object on the line");
        goto invalid;
    }
    type = value_type(*p);
    if (type != CT_JSON_OBJECT) {
        static const char *const what[] = {
            [CT_JSON_NULL] = "null",       [CT_JSON_FALSE] = "false",
            [CT_JSON_TRUE] = "true",       [CT_JSON_NUMBER] = "a number",
            [CT_JSON_STRING] = "a string", [CT_JSON_ARRAY] = "an array",
        };
        static const char *const words[] = {
            [CT_JSON_NULL] = "null", [CT_JSON_FALSE] = "false", [CT_JSON_TRUE] = "true"};
        /* "nonsense" starts like null: only a real literal is named. */
        bool literal = type == CT_JSON_NULL || type == CT_JSON_FALSE || type == CT_JSON_TRUE;

        if (type < 0 || (literal && ((size_t)(end - p) < strlen(words[type]) ||
                                     memcmp(p, words[type], strlen(words[type])) != 0)))
            fail_expected(j, p, end, "'{'");
        else
            fail(j, p, "not a JSON object (the line starts with %s)", what[type]);
        goto invalid;
    }
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        p++;
        goto done;
    }
    for (;;) {
        const char *key = p, *value;
        bool key_escaped, value_escaped;
        ct_json_member *m;

        if (p >= end || *p != '"') {
            fail_expected(j, p, end, "a string key");
            goto invalid;
        }
        p = scan_string(j, p, end, &key_escaped);
        if (p == NULL)
            goto invalid;
        if (!add_member(j, key, (size_t)(p - key), key_escaped))
            goto invalid;
        p = skip_ws(p, end);
        if (p >= end || *p != ':') {
            fail_expected(j, p, end, "':' after the key");
            goto invalid;
        }
        value = p = skip_ws(p + 1, end);
        type = value_type(p < end ? *p : '\0');
        /* Flow records' values are strings and numbers: those without
         * scan_value()'s second look at the first byte. */
        if (type == CT_JSON_STRING) {
            p = scan_string(j, p, end, &value_escaped);
        } else if (type == CT_JSON_NUMBER) {
            p = scan_number(j, p, end);
            value_escaped = false;
        } else {
            p = scan_value(j, p, end, &value_escaped);
        }
        if (p == NULL)
            goto invalid;
        m = &j->members[j->n_members - 1];
        m->value = value;
        m->value_len = (size_t)(p - value);
        m->type = (ct_json_type)type;
        m->value_escaped = value_escaped;

        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            if (p < end && *p == '}') {
                fail(j, p, "trailing comma in an object");
                goto invalid;
            }
            continue;
        }
        if (p < end && *p == '}') {
            p++;
            break;
        }
        fail_expected(j, p, end, "',' or '}'");
        goto invalid;
    }
done:
    p = skip_ws(p, end);
    if (p < end) {
        char found[24];
        describe(found, p, end);
        fail(j, p, "%s after the object", found);
        goto invalid;
    }
    return CT_OK;

invalid:
    j->n_members = 0;
    return CT_ERR_INVALID;
}
