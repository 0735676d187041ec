/* fuzz_json.c - ct_json_scan() against an independent reference.
 *
 * The input is one line.  It is scanned twice: with the default limits,
 * and with a small length and depth cap taken from its first byte, so the
 * caps are hit as often as the grammar.  Each verdict is compared with a
 * plain recursive-descent reader of RFC 8259 written here, which shares no
 * code with the scanner: both must accept or reject the same lines, and on
 * acceptance agree on every top-level member (decoded key, value span,
 * type).  Besides, on acceptance:
 * - keys are NUL-terminated, valid UTF-8 (U+0000 from \u0000 allowed) and
 *   unique, and ct_json_find() finds each one without an embedded NUL;
 * - every value span lies inside the input and is itself one complete
 *   value (wrapped in an object, it scans as one member of the same type);
 * - ct_json_decode_string() of a string value writes at most value_len
 *   bytes (the buffer is exactly that size) of valid UTF-8, and text
 *   without escapes comes out as it went in;
 * and on rejection the reason is a non-empty line of printable ASCII (the
 * header promises it is safe to print), the offset is at most the size,
 * and no member is left.
 */
#include <glib.h>
#include <string.h>

#include "ct_json.h"
#include "fuzz.h"

/* ---- the reference reader --------------------------------------------- */

typedef struct {
    size_t key_len;
    char *key; /* decoded */
    size_t value_at, value_len;
    ct_json_type type;
} ref_member;

typedef struct {
    const uint8_t *start, *p, *end;
    unsigned max_depth;
    GArray *members; /* ref_member */
} ref;

static void
ref_ws(ref *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static bool
ref_hex4(ref *r, uint32_t *out)
{
    uint32_t v = 0;

    if (r->end - r->p < 4)
        return false;
    for (int i = 0; i < 4; i++) {
        int h = g_ascii_xdigit_value((char)r->p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    r->p += 4;
    *out = v;
    return true;
}

/* A string at r->p; decoded into out (may be NULL). */
static bool
ref_string(ref *r, GString *out)
{
    if (r->p >= r->end || *r->p != '"')
        return false;
    r->p++;
    for (;;) {
        uint32_t cp;
        size_t n;

        if (r->p >= r->end)
            return false;
        if (*r->p == '"') {
            r->p++;
            return true;
        }
        if (*r->p < 0x20)
            return false;
        if (*r->p == '\\') {
            if (r->end - r->p < 2)
                return false;
            r->p += 2;
            switch (r->p[-1]) {
            case '"':
            case '\\':
            case '/':
                cp = r->p[-1];
                break;
            case 'b':
                cp = '\b';
                break;
            case 'f':
                cp = '\f';
                break;
            case 'n':
                cp = '\n';
                break;
            case 'r':
                cp = '\r';
                break;
            case 't':
                cp = '\t';
                break;
            case 'u':
                if (!ref_hex4(r, &cp) || (cp >= 0xdc00 && cp <= 0xdfff))
                    return false;
                if (cp >= 0xd800 && cp <= 0xdbff) {
                    uint32_t low;
                    if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
                        return false;
                    r->p += 2;
                    if (!ref_hex4(r, &low) || low < 0xdc00 || low > 0xdfff)
                        return false;
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                }
                break;
            default:
                return false;
            }
            if (out != NULL) {
                /* g_string_append_unichar() writes U+0000 as one NUL byte. */
                g_string_append_unichar(out, cp);
            }
            continue;
        }
        n = fuzz_utf8_char(r->p, r->end, &cp);
        if (n == 0)
            return false;
        if (out != NULL)
            g_string_append_len(out, (const char *)r->p, (gssize)n);
        r->p += n;
    }
}

static bool
ref_digits(ref *r)
{
    const uint8_t *s = r->p;

    while (r->p < r->end && g_ascii_isdigit(*r->p))
        r->p++;
    return r->p > s;
}

static bool
ref_number(ref *r)
{
    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p < r->end && *r->p == '0')
        r->p++;
    else if (r->p >= r->end || *r->p < '1' || *r->p > '9' || !ref_digits(r))
        return false;
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (!ref_digits(r))
            return false;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (!ref_digits(r))
            return false;
    }
    return true;
}

static bool
ref_word(ref *r, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return false;
    r->p += n;
    return true;
}

/* A value at r->p; a container here would be at nesting level `level`
 * (the top-level object is level 1). */
static bool
ref_value(ref *r, unsigned level, ct_json_type *type)
{
    uint8_t c = r->p < r->end ? *r->p : 0;

    switch (c) {
    case '{':
    case '[':
        *type = c == '{' ? CT_JSON_OBJECT : CT_JSON_ARRAY;
        if (level > r->max_depth)
            return false;
        r->p++;
        ref_ws(r);
        if (r->p < r->end && *r->p == (c == '{' ? '}' : ']')) {
            r->p++;
            return true;
        }
        for (;;) {
            ct_json_type t;
            if (c == '{') {
                if (!ref_string(r, NULL))
                    return false;
                ref_ws(r);
                if (r->p >= r->end || *r->p != ':')
                    return false;
                r->p++;
                ref_ws(r);
            }
            if (!ref_value(r, level + 1, &t))
                return false;
            ref_ws(r);
            if (r->p < r->end && *r->p == ',') {
                r->p++;
                ref_ws(r);
                continue;
            }
            if (r->p < r->end && *r->p == (c == '{' ? '}' : ']')) {
                r->p++;
                return true;
            }
            return false;
        }
    case '"':
        *type = CT_JSON_STRING;
        return ref_string(r, NULL);
    case 't':
        *type = CT_JSON_TRUE;
        return ref_word(r, "true");
    case 'f':
        *type = CT_JSON_FALSE;
        return ref_word(r, "false");
    case 'n':
        *type = CT_JSON_NULL;
        return ref_word(r, "null");
    default:
        *type = CT_JSON_NUMBER;
        return ref_number(r);
    }
}

/* The whole line: one object, unique decoded top-level keys. */
static bool
ref_line(ref *r, size_t max_len)
{
    GHashTable *seen;
    bool ok = false;

    if ((size_t)(r->end - r->start) > max_len)
        return false;
    seen = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    ref_ws(r);
    if (r->p >= r->end || *r->p != '{')
        goto done;
    r->p++;
    ref_ws(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        goto end;
    }
    for (;;) {
        GString *key = g_string_new(NULL);
        ref_member m;
        GBytes *bytes;

        if (!ref_string(r, key)) {
            g_string_free(key, TRUE);
            goto done;
        }
        m.key_len = key->len;
        m.key = g_string_free(key, FALSE);
        bytes = g_bytes_new(m.key, m.key_len);
        if (!g_hash_table_add(seen, bytes)) {
            g_free(m.key);
            goto done;
        }
        ref_ws(r);
        if (r->p >= r->end || *r->p != ':') {
            g_free(m.key);
            goto done;
        }
        r->p++;
        ref_ws(r);
        m.value_at = (size_t)(r->p - r->start);
        if (!ref_value(r, 2, &m.type)) {
            g_free(m.key);
            goto done;
        }
        m.value_len = (size_t)(r->p - r->start) - m.value_at;
        g_array_append_val(r->members, m);
        ref_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            ref_ws(r);
            continue;
        }
        if (r->p < r->end && *r->p == '}') {
            r->p++;
            break;
        }
        goto done;
    }
end:
    ref_ws(r);
    ok = r->p == r->end;
done:
    g_hash_table_destroy(seen);
    return ok;
}

static void
ref_member_clear(gpointer p)
{
    g_free(((ref_member *)p)->key);
}

/* ---- the checks ------------------------------------------------------- */

/* The value span of an accepted member is one complete JSON value. */
static void
check_span(const ct_json_member *m)
{
    static ct_json *j; /* one for the run: reuse is part of the contract */
    GString *wrapped = g_string_new("{\"\":");
    const ct_json_member *w;
    size_t n;

    if (j == NULL)
        j = ct_json_new(0, 0);
    g_string_append_len(wrapped, m->value, (gssize)m->value_len);
    g_string_append_c(wrapped, '}');
    CHECK(ct_json_scan(j, wrapped->str, wrapped->len) == CT_OK);
    w = ct_json_members(j, &n);
    CHECK(n == 1 && w[0].type == m->type && w[0].value_len == m->value_len);
    g_string_free(wrapped, TRUE);
}

static void
check_string(const ct_json_member *m)
{
    char *out = malloc(m->value_len); /* exactly what the header asks for */
    size_t n;

    CHECK(out != NULL);
    CHECK(m->value_len >= 2 && m->value[0] == '"' && m->value[m->value_len - 1] == '"');
    CHECK(m->value_escaped == (memchr(m->value, '\\', m->value_len) != NULL));
    n = ct_json_decode_string(m->value, m->value_len, out);
    CHECK(n < m->value_len && out[n] == '\0');
    CHECK(fuzz_utf8_valid(out, n, true));
    if (!m->value_escaped)
        CHECK(n == m->value_len - 2 && memcmp(out, m->value + 1, n) == 0);
    free(out);
}

static void
check_scan(const char *text, size_t len, size_t max_len, unsigned max_depth)
{
    ct_json *j = ct_json_new(max_len, max_depth);
    GArray *expected = g_array_new(FALSE, FALSE, sizeof(ref_member));
    ref r = {(const uint8_t *)text, (const uint8_t *)text, (const uint8_t *)text + len,
             max_depth ? max_depth : CT_JSON_MAX_DEPTH_DEFAULT, expected};
    bool want = ref_line(&r, max_len ? max_len : CT_JSON_MAX_LEN_DEFAULT);
    ct_status st = ct_json_scan(j, text, len);
    const ct_json_member *members;
    const char *reason = ct_json_reason(j);
    size_t n;

    g_array_set_clear_func(expected, ref_member_clear);
    members = ct_json_members(j, &n);
    if (st != CT_OK) {
        if (want)
            fprintf(stderr, "rejected a valid line: %s at %zu\n", reason, ct_json_error_offset(j));
        CHECK(!want);
        CHECK(st == CT_ERR_INVALID);
        CHECK(reason != NULL && reason[0] != '\0');
        for (const char *c = reason; *c; c++)
            CHECK(*c >= 0x20 && *c < 0x7f);
        CHECK(ct_json_error_offset(j) <= len);
        CHECK(n == 0);
        goto done;
    }
    CHECK(want);
    CHECK(reason != NULL && reason[0] == '\0');
    CHECK(n == expected->len);
    for (size_t i = 0; i < n; i++) {
        const ct_json_member *m = &members[i];
        const ref_member *e = &g_array_index(expected, ref_member, i);

        CHECK(m->key != NULL && m->key[m->key_len] == '\0');
        CHECK(m->key_len == e->key_len && memcmp(m->key, e->key, e->key_len) == 0);
        CHECK(fuzz_utf8_valid(m->key, m->key_len, true));
        CHECK(m->value >= text && m->value_len > 0 && m->value_len <= len &&
              (size_t)(m->value - text) <= len - m->value_len);
        CHECK((size_t)(m->value - text) == e->value_at && m->value_len == e->value_len);
        CHECK(m->type == e->type);
        if (strlen(m->key) == m->key_len)
            CHECK(ct_json_find(j, m->key) == m);
        if (m->type == CT_JSON_STRING)
            check_string(m);
        else
            CHECK(!m->value_escaped);
        check_span(m);
    }
done:
    g_array_free(expected, TRUE);
    ct_json_free(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;

    /* size 0: text may be anything, the scanner must not read it. */
    check_scan(text, size, 0, 0);
    if (size > 0) {
        /* 8 to 512 bytes, 1 to 4 levels. */
        check_scan(text, size, ((size_t)(data[0] & 0x3f) + 1) * 8, (unsigned)(data[0] >> 6) + 1);
    }
    return 0;
}
