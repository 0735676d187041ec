/* Unit tests for ct_json: every RFC 8259 corner the scanner must accept or
 * refuse, the members it yields, string decoding, the caps, and lines
 * mutated at random (for the sanitizer build). */
#include <glib.h>
#include <string.h>

#include "ct_json.h"

typedef struct {
    const char *text;
    size_t len; /* 0: strlen(text) */
    size_t members;
} valid_case;

typedef struct {
    const char *text;
    size_t len;         /* 0: strlen(text) */
    const char *reason; /* expected reason, exactly */
    size_t offset;      /* expected error offset */
} invalid_case;

#define L(s) s, sizeof s - 1

static ct_json *
scanner(void)
{
    return ct_json_new(0, 0);
}

static void
test_valid(void)
{
    static const valid_case cases[] = {
        {"{}", 0, 0},
        {" \t{ }\r ", 0, 0},
        {"{\"a\":1}", 0, 1},
        {"{\"\":1}", 0, 1},
        {"{\"a\":-0}", 0, 1},
        {"{\"a\":0}", 0, 1},
        {"{\"a\":1e5}", 0, 1},
        {"{\"a\":1E+5}", 0, 1},
        {"{\"a\":-1.5e-3}", 0, 1},
        {"{\"a\":0.0}", 0, 1},
        {"{\"a\":10.25E07}", 0, 1},
        {"{\"a\":123456789012345678901234567890}", 0, 1},
        {"{\"a\":true,\"b\":false,\"c\":null}", 0, 3},
        {"{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", 0, 1},
        {"{\"a\":\"\\u00e9\\u00E9\"}", 0, 1},
        {"{\"a\":\"\\ud83d\\ude00\"}", 0, 1}, /* surrogate pair */
        {"{\"a\":\"\\u0000\"}", 0, 1},
        {"{\"a\":\"\\uFFFF\\uFFFE\"}", 0, 1}, /* noncharacters are characters */
        {"{\"a\":\"M\xc3\xa1laga \xe2\x82\xac \xf0\x9f\x98\x80\"}", 0, 1}, /* raw UTF-8 */
        {"{\"a\":\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\"}", 0, 1},                /* U+FFFF, U+10FFFF */
        {"{\"a\":\"\x7f\"}", 0, 1},                                        /* DEL needs no escape */
        {"{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":[]}", 0, 2},
        {"{\"a\":{},\"b\":[],\"c\":[[]],\"d\":[{}]}", 0, 4},
        {"{ \"a\" :\t[ 1 ,\r2 ] , \"b\" : { \"c\" : \"d\" } }", 0, 2},
        {"{\"a\\u0062\":1,\"ab\\u0000\":2}", 0, 2}, /* different decoded keys */
        {"{\"a\":{\"x\":1,\"x\":2}}", 0, 1},        /* duplicates below the top level pass */
        {"{\"src_ip\":\"8.8.8.8\",\"dst_ip\":\"::1\",\"n\":[1,\"x\",true,null,{}]}", 0, 3},
    };
    ct_json *j = scanner();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *text = cases[i].text;
        size_t len = cases[i].len ? cases[i].len : strlen(text);
        size_t n = 99;
        ct_status st = ct_json_scan(j, text, len);

        if (st != CT_OK)
            g_error("case %zu (%s) refused: %s at %zu", i, text, ct_json_reason(j),
                    ct_json_error_offset(j));
        ct_json_members(j, &n);
        g_assert_cmpuint(n, ==, cases[i].members);
        g_assert_cmpstr(ct_json_reason(j), ==, "");
    }
    ct_json_free(j);
}

static void
test_invalid(void)
{
    static const invalid_case cases[] = {
        {"", 0, "no JSON object on the line", 0},
        {"  \t", 0, "no JSON object on the line", 3},
        {"[1]", 0, "not a JSON object (the line starts with an array)", 0},
        {"\"x\"", 0, "not a JSON object (the line starts with a string)", 0},
        {"1", 0, "not a JSON object (the line starts with a number)", 0},
        {"null", 0, "not a JSON object (the line starts with null)", 0},
        {"x", 0, "expected '{', found 'x'", 0},
        {"nonsense", 0, "expected '{', found 'n'", 0},
        {"true", 0, "not a JSON object (the line starts with true)", 0},
        {"fals", 0, "expected '{', found 'f'", 0},
        {"\xef\xbb\xbf{}", 0, "expected '{', found byte 0xEF", 0}, /* BOM: the caller's */
        {"{", 0, "expected a string key, found end of line", 1},
        {"{\"a\"}", 0, "expected ':' after the key, found '}'", 4},
        {"{\"a\" 1}", 0, "expected ':' after the key, found '1'", 5},
        {"{\"a\":}", 0, "expected a value, found '}'", 5},
        {"{\"a\":", 0, "expected a value, found end of line", 5},
        {"{\"a\":1,}", 0, "trailing comma in an object", 7},
        {"{\"a\":1 , }", 0, "trailing comma in an object", 9},
        {"{\"a\":[1,]}", 0, "trailing comma in an array", 8},
        {"{\"a\":{\"b\":1,}}", 0, "trailing comma in an object", 12},
        {"{\"a\":[1 2]}", 0, "expected ',' or ']', found '2'", 8},
        {"{\"a\":1 \"b\":2}", 0, "expected ',' or '}', found '\"'", 7},
        {"{\"a\":[}", 0, "expected a value, found '}'", 6},
        {"{\"a\":{\"b\":1]}", 0, "expected ',' or '}', found ']'", 11},
        {"{\"a\":[1}", 0, "expected ',' or ']', found '}'", 7},
        {"{\"a\":1", 0, "expected ',' or '}', found end of line", 6},
        {"{\"a\":1}x", 0, "'x' after the object", 7},
        {"{\"a\":1}{}", 0, "'{' after the object", 7},
        {"{\"a\":1},", 0, "',' after the object", 7},
        {"{\"a\":1}\xc3\xa9", 0, "byte 0xC3 after the object", 7},
        {"{'a':1}", 0, "expected a string key, found byte 0x27", 1},
        {"{a:1}", 0, "expected a string key, found 'a'", 1},
        {"{1:1}", 0, "expected a string key, found '1'", 1},
        {"{\"a\":1 /* c */}", 0, "expected ',' or '}', found '/'", 7},
        {"{\"a\":'x'}", 0, "expected a value, found byte 0x27", 5},
        /* numbers */
        {"{\"a\":01}", 0, "invalid number: leading zero", 5},
        {"{\"a\":-01}", 0, "invalid number: leading zero", 5},
        {"{\"a\":00}", 0, "invalid number: leading zero", 5},
        {"{\"a\":-}", 0, "invalid number: digit expected after '-'", 5},
        {"{\"a\":-a}", 0, "invalid number: digit expected after '-'", 5},
        {"{\"a\":1.}", 0, "invalid number: digit expected after '.'", 5},
        {"{\"a\":1.e5}", 0, "invalid number: digit expected after '.'", 5},
        {"{\"a\":.5}", 0, "expected a value, found '.'", 5},
        {"{\"a\":+1}", 0, "expected a value, found '+'", 5},
        {"{\"a\":1e}", 0, "invalid number: digit expected in the exponent", 5},
        {"{\"a\":1e+}", 0, "invalid number: digit expected in the exponent", 5},
        {"{\"a\":1x}", 0, "expected ',' or '}', found 'x'", 6},
        {"{\"a\":0x10}", 0, "expected ',' or '}', found 'x'", 6},
        {"{\"a\":NaN}", 0, "expected a value, found 'N'", 5},
        {"{\"a\":-Infinity}", 0, "invalid number: digit expected after '-'", 5},
        /* literals */
        {"{\"a\":tru}", 0, "invalid literal (expected true)", 5},
        {"{\"a\":nul}", 0, "invalid literal (expected null)", 5},
        {"{\"a\":falsy}", 0, "invalid literal (expected false)", 5},
        {"{\"a\":True}", 0, "expected a value, found 'T'", 5},
        {"{\"a\":truex}", 0, "expected ',' or '}', found 'x'", 9},
        /* strings */
        {"{\"a\":\"abc", 0, "unterminated string", 5},
        {"{\"a\":\"abc\\", 0, "unterminated string", 5},
        {"{\"a", 0, "unterminated string", 1},
        {"{\"a\":\"\\x\"}", 0, "invalid escape: backslash followed by 'x'", 6},
        {"{\"a\":\"\\'\"}", 0, "invalid escape: backslash followed by byte 0x27", 6},
        {"{\"a\":\"\\U0041\"}", 0, "invalid escape: backslash followed by 'U'", 6},
        {"{\"a\":\"\\u12\"}", 0, "invalid \\u escape (four hex digits expected)", 6},
        {"{\"a\":\"\\u12G4\"}", 0, "invalid \\u escape (four hex digits expected)", 6},
        {"{\"a\":\"\\u", 0, "invalid \\u escape (four hex digits expected)", 6},
        {"{\"a\":\"\\ud800\"}", 0, "lone high surrogate \\uD800 (no low surrogate follows)", 6},
        {"{\"a\":\"\\uDBFFx\"}", 0, "lone high surrogate \\uDBFF (no low surrogate follows)", 6},
        {"{\"a\":\"\\ud800\\u0041\"}", 0, "lone high surrogate \\uD800 (no low surrogate follows)",
         6},
        {"{\"a\":\"\\ud800\\ud800\"}", 0, "lone high surrogate \\uD800 (no low surrogate follows)",
         6},
        {"{\"a\":\"\\udc00\"}", 0, "lone low surrogate \\uDC00", 6},
        {"{\"a\":\"x\\uDFFF\"}", 0, "lone low surrogate \\uDFFF", 7},
        {"{\"a\":\"\t\"}", 0, "control character 0x09 in a string (must be escaped)", 6},
        {"{\"a\":\"x\ny\"}", 0, "control character 0x0A in a string (must be escaped)", 7},
        {"{\"a\":\"\x01\"}", 0, "control character 0x01 in a string (must be escaped)", 6},
        {"{\"a\x1f\":1}", 0, "control character 0x1F in a string (must be escaped)", 3},
        /* NUL bytes: inside a string, between tokens, after the object */
        {L("{\"a\":\"x\0\"}"), "a NUL byte in a string", 7},
        {L("{\"a\":\0 1}"), "expected a value, found a NUL byte", 5},
        {L("{\"a\":1}\0"), "a NUL byte after the object", 7},
        {L("\0{}"), "expected '{', found a NUL byte", 0},
        /* UTF-8 (RFC 3629; Unicode table 3-7) */
        {"{\"a\":\"\xff\"}", 0, "invalid UTF-8 in a string (byte 0xFF)", 6},
        {"{\"a\":\"\x80\"}", 0, "invalid UTF-8 in a string (byte 0x80)", 6},
        {"{\"a\":\"\xc0\xaf\"}", 0, "invalid UTF-8 in a string (byte 0xC0)", 6}, /* overlong */
        {"{\"a\":\"\xc1\xbf\"}", 0, "invalid UTF-8 in a string (byte 0xC1)", 6},
        {"{\"a\":\"\xe0\x80\xaf\"}", 0, "invalid UTF-8 in a string (byte 0xE0)", 6},
        {"{\"a\":\"\xf0\x80\x80\xaf\"}", 0, "invalid UTF-8 in a string (byte 0xF0)", 6},
        {"{\"a\":\"\xed\xa0\x80\"}", 0, "invalid UTF-8 in a string (byte 0xED)", 6}, /* U+D800 */
        {"{\"a\":\"\xf4\x90\x80\x80\"}", 0, "invalid UTF-8 in a string (byte 0xF4)", 6},
        {"{\"a\":\"\xf5\x80\x80\x80\"}", 0, "invalid UTF-8 in a string (byte 0xF5)", 6},
        {"{\"a\":\"\xe2\x82\"}", 0, "invalid UTF-8 in a string (byte 0xE2)", 6}, /* truncated */
        {"{\"a\":\"\xc3", 0, "invalid UTF-8 in a string (byte 0xC3)", 6},
        {"{\"a\":\"\xc3\xa9\xa9\"}", 0, "invalid UTF-8 in a string (byte 0xA9)", 8},
        /* keys */
        {"{\"a\":1,\"a\":2}", 0, "duplicate key \"a\"", 7},
        {"{\"a\":1,\"\\u0061\":2}", 0, "duplicate key \"a\"", 7},
        {"{\"\":1,\"\":2}", 0, "duplicate key \"\"", 6},
        {"{\"k\\\"\\n\":1,\"k\\\"\\n\":2}", 0, "duplicate key \"k\\\"\\x0A\"", 11},
        {"{\"src_ip\":\"1.1.1.1\",\"dst_ip\":\"8.8.8.8\",\"src_ip\":\"9.9.9.9\"}", 0,
         "duplicate key \"src_ip\"", 39},
    };
    ct_json *j = scanner();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *text = cases[i].text;
        size_t len = cases[i].len ? cases[i].len : strlen(text);
        size_t n = 99;
        ct_status st = ct_json_scan(j, text, len);

        if (st == CT_OK)
            g_error("case %zu (%s) accepted", i, text);
        g_assert_cmpint(st, ==, CT_ERR_INVALID);
        if (strcmp(ct_json_reason(j), cases[i].reason) != 0 ||
            ct_json_error_offset(j) != cases[i].offset)
            g_error("case %zu (%s): got \"%s\" at %zu, expected \"%s\" at %zu", i, text,
                    ct_json_reason(j), ct_json_error_offset(j), cases[i].reason, cases[i].offset);
        /* A refused line yields no members. */
        ct_json_members(j, &n);
        g_assert_cmpuint(n, ==, 0);
    }
    ct_json_free(j);
}

/* Members: decoded keys, raw value spans and types, in input order. */
static void
test_members(void)
{
    static const char line[] =
        "{\"ts\": \"2024-05-01T12:00:00Z\", \"n\" : -1.5e3 ,\"k\\u00e9y\":[1, {\"x\":\"y\"}],"
        "\"o\":{},\"t\":true,\"f\":false,\"z\":null,\"s\":\"a\\\"b\"}";
    static const struct {
        const char *key;
        const char *value;
        ct_json_type type;
        bool key_escaped, value_escaped;
    } expected[] = {
        {"ts", "\"2024-05-01T12:00:00Z\"", CT_JSON_STRING, false, false},
        {"n", "-1.5e3", CT_JSON_NUMBER, false, false},
        {"k\xc3\xa9y", "[1, {\"x\":\"y\"}]", CT_JSON_ARRAY, true, false},
        {"o", "{}", CT_JSON_OBJECT, false, false},
        {"t", "true", CT_JSON_TRUE, false, false},
        {"f", "false", CT_JSON_FALSE, false, false},
        {"z", "null", CT_JSON_NULL, false, false},
        {"s", "\"a\\\"b\"", CT_JSON_STRING, false, true},
    };
    ct_json *j = scanner();
    const ct_json_member *m;
    size_t n;

    g_assert_cmpint(ct_json_scan(j, line, sizeof line - 1), ==, CT_OK);
    m = ct_json_members(j, &n);
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(expected));
    for (size_t i = 0; i < n; i++) {
        char *value = g_strndup(m[i].value, m[i].value_len);
        g_assert_cmpstr(m[i].key, ==, expected[i].key);
        g_assert_cmpuint(m[i].key_len, ==, strlen(expected[i].key));
        g_assert_cmpstr(value, ==, expected[i].value);
        g_assert_cmpint(m[i].type, ==, expected[i].type);
        g_assert_cmpint(m[i].key_escaped, ==, expected[i].key_escaped);
        g_assert_cmpint(m[i].value_escaped, ==, expected[i].value_escaped);
        /* Values point into the line itself. */
        g_assert_true(m[i].value > line && m[i].value < line + sizeof line);
        g_free(value);
    }
    g_assert_true(ct_json_find(j, "n") == &m[1]);
    g_assert_true(ct_json_find(j, "k\xc3\xa9y") == &m[2]);
    g_assert_null(ct_json_find(j, "missing"));
    g_assert_cmpstr(ct_json_type_name(CT_JSON_OBJECT), ==, "object");
    g_assert_cmpstr(ct_json_type_name((ct_json_type)99), ==, "unknown");

    /* A key with \u0000 keeps its full length. */
    g_assert_cmpint(ct_json_scan(j, L("{\"a\\u0000b\":1}")), ==, CT_OK);
    m = ct_json_members(j, &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_cmpuint(m[0].key_len, ==, 3);
    g_assert_cmpmem(m[0].key, 3, "a\0b", 3);
    ct_json_free(j);
}

static void
test_decode(void)
{
    static const struct {
        const char *raw;
        const char *decoded;
        size_t len;
    } cases[] = {
        {"\"\"", "", 0},
        {"\"plain\"", "plain", 5},
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8},
        {"\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6},
        {"\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!", 5},
        {"\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf", 4},
        {"\"a\\u0000b\"", "a\0b", 3},
        {"\"M\xc3\xa1laga\"", "M\xc3\xa1laga", 7},
        /* Not from the scanner: still no overrun, lone surrogates as U+FFFD. */
        {"\"\\ud800\"", "\xef\xbf\xbd", 3},
        {"\"\\uZZZZ\"", "ZZZZ", 4},
        {"\"x\\\"", "x", 1},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        size_t raw_len = strlen(cases[i].raw);
        char *out = g_malloc(raw_len);
        size_t len = ct_json_decode_string(cases[i].raw, raw_len, out);

        g_assert_cmpmem(out, len, cases[i].decoded, cases[i].len);
        g_assert_cmpint(out[len], ==, '\0');
        g_free(out);
    }
}

/* Nesting: the top-level object is level 1; the cap is inclusive. */
static void
test_depth(void)
{
    ct_json *j = scanner();
    ct_json *shallow = ct_json_new(0, 3);
    GString *line = g_string_new("{\"a\":");

    /* 63 arrays below the object: levels 2 to 64. */
    for (int i = 0; i < CT_JSON_MAX_DEPTH_DEFAULT - 1; i++)
        g_string_append_c(line, '[');
    for (int i = 0; i < CT_JSON_MAX_DEPTH_DEFAULT - 1; i++)
        g_string_append_c(line, ']');
    g_string_append_c(line, '}');
    g_assert_cmpint(ct_json_scan(j, line->str, line->len), ==, CT_OK);

    /* One more level is refused, at the container that crosses the cap. */
    g_string_truncate(line, 0);
    for (int i = 0; i < CT_JSON_MAX_DEPTH_DEFAULT; i++)
        g_string_append(line, "{\"b\":");
    g_string_append(line, "[]");
    for (int i = 0; i < CT_JSON_MAX_DEPTH_DEFAULT; i++)
        g_string_append_c(line, '}');
    g_assert_cmpint(ct_json_scan(j, line->str, line->len), ==, CT_ERR_INVALID);
    g_assert_cmpstr(ct_json_reason(j), ==, "nesting deeper than 64 levels");
    g_assert_cmpuint(ct_json_error_offset(j), ==, 5 * CT_JSON_MAX_DEPTH_DEFAULT);

    /* 100,000 levels: refused without recursion, at the 65th. */
    g_string_truncate(line, 0);
    g_string_append(line, "{\"a\":");
    for (int i = 0; i < 100000; i++)
        g_string_append_c(line, '[');
    g_assert_cmpint(ct_json_scan(j, line->str, line->len), ==, CT_ERR_INVALID);
    g_assert_cmpstr(ct_json_reason(j), ==, "nesting deeper than 64 levels");
    g_assert_cmpuint(ct_json_error_offset(j), ==, 5 + 63);

    /* A scanner of its own limits. */
    g_assert_cmpint(ct_json_scan(shallow, L("{\"a\":[[]]}")), ==, CT_OK);
    g_assert_cmpint(ct_json_scan(shallow, L("{\"a\":[[[]]]}")), ==, CT_ERR_INVALID);
    g_assert_cmpstr(ct_json_reason(shallow), ==, "nesting deeper than 3 levels");
    g_string_free(line, TRUE);
    ct_json_free(shallow);
    ct_json_free(j);
}

/* The length cap: exactly at it passes, one byte over is refused. */
static void
test_length(void)
{
    ct_json *j = scanner();
    ct_json *small = ct_json_new(16, 0);
    size_t max = CT_JSON_MAX_LEN_DEFAULT;
    char *line = g_malloc(max + 1);

    memset(line, 'x', max + 1);
    memcpy(line, "{\"a\":\"", 6);
    memcpy(line + max - 2, "\"}", 2);
    g_assert_cmpint(ct_json_scan(j, line, max), ==, CT_OK);
    memcpy(line + max - 2, "x\"}", 3);
    g_assert_cmpint(ct_json_scan(j, line, max + 1), ==, CT_ERR_INVALID);
    g_assert_cmpstr(ct_json_reason(j), ==, "line longer than 1048576 bytes");
    g_assert_cmpuint(ct_json_error_offset(j), ==, max);

    g_assert_cmpint(ct_json_scan(small, L("{\"a\":\"12345678\"}")), ==, CT_OK);
    g_assert_cmpint(ct_json_scan(small, L("{\"a\":\"123456789\"}")), ==, CT_ERR_INVALID);
    g_assert_cmpstr(ct_json_reason(small), ==, "line longer than 16 bytes");
    g_free(line);
    ct_json_free(small);
    ct_json_free(j);
}

/* Many members: past the linear check the hash table finds duplicates
 * anywhere, and scanning the same scanner again starts afresh. */
static void
test_many_members(void)
{
    ct_json *j = scanner();
    GString *line = g_string_new("{");
    size_t n;

    for (int i = 0; i < 5000; i++)
        g_string_append_printf(line, "%s\"k%d\":%d", i ? "," : "", i, i);
    g_string_append_c(line, '}');
    g_assert_cmpint(ct_json_scan(j, line->str, line->len), ==, CT_OK);
    ct_json_members(j, &n);
    g_assert_cmpuint(n, ==, 5000);
    g_assert_nonnull(ct_json_find(j, "k4999"));

    for (int dup = 0; dup < 5000; dup += 499) {
        GString *bad = g_string_new(line->str);
        g_string_truncate(bad, bad->len - 1);
        g_string_append_printf(bad, ",\"k%d\":0}", dup);
        g_assert_cmpint(ct_json_scan(j, bad->str, bad->len), ==, CT_ERR_INVALID);
        char *reason = g_strdup_printf("duplicate key \"k%d\"", dup);
        g_assert_cmpstr(ct_json_reason(j), ==, reason);
        g_free(reason);
        g_string_free(bad, TRUE);
    }
    /* 17 keys: the 17th is the first checked through the table. */
    for (int dup = 0; dup < 17; dup++) {
        GString *small = g_string_new("{");
        for (int i = 0; i < 16; i++)
            g_string_append_printf(small, "\"k%d\":%d,", i, i);
        g_string_append_printf(small, "\"k%d\":0}", dup);
        g_assert_cmpint(ct_json_scan(j, small->str, small->len), ==,
                        dup < 16 ? CT_ERR_INVALID : CT_OK);
        g_string_free(small, TRUE);
    }
    /* Generations: a short line after long ones sees none of their keys. */
    g_assert_cmpint(ct_json_scan(j, L("{\"k1\":1,\"k2\":2}")), ==, CT_OK);
    ct_json_members(j, &n);
    g_assert_cmpuint(n, ==, 2);
    g_string_free(line, TRUE);
    ct_json_free(j);
}

/* Valid UTF-8, where (unlike g_utf8_validate) U+0000 is a character. */
static bool
utf8_ok(const char *text, size_t len)
{
    const char *p = text, *end = text + len;

    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            return false;
        p = c == 0 ? p + 1 : g_utf8_next_char(p);
    }
    return true;
}

/* Random mutations of a valid line never crash or overrun (the sanitizer
 * build checks), always end in a verdict with a reason, and a line the
 * scanner accepts decodes. */
static void
test_mutations(void)
{
    static const char seed[] =
        "{\"ts\":\"2024-05-01T12:00:00Z\",\"proto\":\"udp\",\"src_ip\":\"192.168.1.10\","
        "\"s\":\"\\u00e9\\ud83d\\ude00\\n\",\"n\":[1,-2.5e3,{\"a\":[true,false,null]}],"
        "\"x\":\"\xc3\xa9\"}";
    static const char alphabet[] = "{}[]\":,\\ u0123456789abcdefeE+-.tfnrl\x00\x01\x1f\x7f\x80"
                                   "\xbf\xc3\xe2\xed\xf0\xf4\xff";
    ct_json *j = scanner();
    GRand *rand = g_rand_new_with_seed(8259);
    char buf[sizeof seed + 8];
    size_t accepted = 0;

    for (int round = 0; round < 50000; round++) {
        size_t len = sizeof seed - 1;
        int edits = g_rand_int_range(rand, 1, 4);

        memcpy(buf, seed, len);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)g_rand_int_range(rand, 0, (gint32)len);
            char c = alphabet[g_rand_int_range(rand, 0, sizeof alphabet - 1)];
            switch (g_rand_int_range(rand, 0, 3)) {
            case 0:
                buf[at] = c;
                break;
            case 1:
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
                break;
            default:
                if (len < sizeof buf - 1) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = c;
                    len++;
                }
            }
        }
        /* Scan a copy of exactly len bytes, so reading past it is caught. */
        char *line = g_memdup2(buf, len);
        if (ct_json_scan(j, line, len) == CT_OK) {
            size_t n;
            const ct_json_member *m = ct_json_members(j, &n);
            accepted++;
            g_assert_cmpstr(ct_json_reason(j), ==, "");
            for (size_t i = 0; i < n; i++) {
                if (m[i].type == CT_JSON_STRING) {
                    char *out = g_malloc(m[i].value_len);
                    size_t dlen = ct_json_decode_string(m[i].value, m[i].value_len, out);
                    g_assert_cmpuint(dlen, <, m[i].value_len);
                    g_assert_true(utf8_ok(out, dlen));
                    g_free(out);
                }
                g_assert_true(utf8_ok(m[i].key, m[i].key_len));
            }
        } else {
            g_assert_cmpstr(ct_json_reason(j), !=, "");
            g_assert_cmpuint(ct_json_error_offset(j), <=, len);
        }
        g_free(line);
    }
    /* Some mutations keep the line valid (a digit for a digit, ...). */
    g_assert_cmpuint(accepted, >, 100);
    g_rand_free(rand);
    ct_json_free(j);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Strict JSON Lines scanner (RFC 8259)");
    g_test_add_func("/json/valid", test_valid);
    g_test_add_func("/json/invalid", test_invalid);
    g_test_add_func("/json/members", test_members);
    g_test_add_func("/json/decode", test_decode);
    g_test_add_func("/json/depth", test_depth);
    g_test_add_func("/json/length", test_length);
    g_test_add_func("/json/many-members", test_many_members);
    g_test_add_func("/json/mutations", test_mutations);
    return g_test_run();
}
