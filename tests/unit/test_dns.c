/* Unit tests for ct_dns: reverse names and PTR answers, hostile ones
 * included.  Messages are built by hand so every byte is known. */
#include <glib.h>
#include <string.h>

#include "ct_dns.h"

/* A little message builder: header, question, answers. */
typedef struct {
    guint8 buf[4096];
    size_t len;
    guint ancount;
} msg;

static void
put_name(msg *m, const char *text)
{
    /* "a.b" -> wire; "\\xHH" escapes allowed for raw bytes. */
    size_t label = m->len++;
    for (const char *p = text; *p; p++) {
        guint8 c = (guint8)*p;
        if (c == '.') {
            m->buf[label] = (guint8)(m->len - label - 1);
            label = m->len++;
            continue;
        }
        if (c == '\\' && p[1] == 'x') {
            char hex[3] = {p[2], p[3], 0};
            c = (guint8)strtoul(hex, NULL, 16);
            p += 3;
        }
        m->buf[m->len++] = c;
    }
    m->buf[label] = (guint8)(m->len - label - 1);
    if (m->buf[label] != 0)
        m->buf[m->len++] = 0;
}

static void
put16(msg *m, guint v)
{
    m->buf[m->len++] = (guint8)(v >> 8);
    m->buf[m->len++] = (guint8)v;
}

static void
start_type(msg *m, const char *qname, guint qtype)
{
    memset(m, 0, sizeof *m);
    m->buf[2] = 0x81; /* response, RD */
    m->buf[3] = 0x80;
    m->buf[5] = 1; /* one question */
    m->len = 12;
    put_name(m, qname);
    put16(m, qtype);
    put16(m, 1);
}

static void
start(msg *m, const char *qname)
{
    start_type(m, qname, 12);
}

/* An answer record; owner NULL means a pointer to the question name. */
static void
record(msg *m, const char *owner, guint type, const char *target)
{
    size_t rdlen_at;

    if (owner == NULL)
        put16(m, 0xc00c);
    else
        put_name(m, owner);
    put16(m, type);
    put16(m, 1);
    put16(m, 0);
    put16(m, 3600);
    rdlen_at = m->len;
    put16(m, 0);
    size_t rd = m->len;
    put_name(m, target);
    m->buf[rdlen_at] = (guint8)((m->len - rd) >> 8);
    m->buf[rdlen_at + 1] = (guint8)(m->len - rd);
    m->ancount++;
    m->buf[6] = (guint8)(m->ancount >> 8);
    m->buf[7] = (guint8)m->ancount;
}

/* An A (4 bytes) or AAAA (16 bytes) record for owner (NULL: the
 * question name). */
static void
address(msg *m, const char *owner, const char *text)
{
    ct_addr a;

    g_assert_true(ct_addr_parse(text, &a));
    if (owner == NULL)
        put16(m, 0xc00c);
    else
        put_name(m, owner);
    put16(m, a.family == 4 ? 1 : 28);
    put16(m, 1);
    put16(m, 0);
    put16(m, 60);
    put16(m, a.family == 4 ? 4 : 16);
    memcpy(m->buf + m->len, a.bytes, a.family == 4 ? 4 : 16);
    m->len += a.family == 4 ? 4 : 16;
    m->ancount++;
    m->buf[6] = (guint8)(m->ancount >> 8);
    m->buf[7] = (guint8)m->ancount;
}

static void
answer(msg *m, guint type, const char *target)
{
    record(m, NULL, type, target);
}

#define Q4 "8.8.8.8.in-addr.arpa"

static ct_dns_answer
parse(const msg *m, char name[CT_DNS_NAME_MAX + 1], unsigned *count)
{
    return ct_dns_parse_ptr(m->buf, m->len, Q4, name, count);
}

static void
test_reverse_names(void)
{
    char out[CT_DNS_QNAME_MAX];
    ct_addr a;

    g_assert_true(ct_addr_parse("8.8.4.4", &a));
    ct_dns_reverse_name(&a, out);
    g_assert_cmpstr(out, ==, "4.4.8.8.in-addr.arpa");
    g_assert_true(ct_addr_parse("2001:db8::567:89ab", &a));
    ct_dns_reverse_name(&a, out);
    g_assert_cmpstr(out, ==,
                    "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    g_assert_true(ct_addr_parse("64:ff9b::808:808", &a));
    ct_dns_reverse_name(&a, out);
    g_assert_cmpstr(out, ==, "8.8.8.8.in-addr.arpa");
}

static void
test_simple(void)
{
    char name[CT_DNS_NAME_MAX + 1];
    unsigned count;
    msg m;

    start(&m, Q4);
    answer(&m, 12, "dns.google.");
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NAME);
    g_assert_cmpstr(name, ==, "dns.google");
    g_assert_cmpuint(count, ==, 1);

    /* Question names compare case-insensitively. */
    start(&m, "8.8.8.8.IN-ADDR.ARPA");
    answer(&m, 12, "dns.google");
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NAME);
}

static void
test_many_and_cname(void)
{
    char name[CT_DNS_NAME_MAX + 1];
    unsigned count;
    msg m;

    start(&m, Q4);
    for (int i = 0; i < 40; i++) {
        char n[32];
        g_snprintf(n, sizeof n, "name%d.example", i);
        answer(&m, 12, n);
    }
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NAME);
    g_assert_cmpstr(name, ==, "name0.example");
    g_assert_cmpuint(count, ==, 40);

    /* RFC 2317: CNAME into a delegated zone, PTR owned by the target,
     * PTR record listed before the CNAME. */
    start(&m, Q4);
    record(&m, "8.0-25.8.8.8.in-addr.arpa", 12, "dns.google");
    answer(&m, 5, "8.0-25.8.8.8.in-addr.arpa");
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NAME);
    g_assert_cmpstr(name, ==, "dns.google");
    g_assert_cmpuint(count, ==, 1);

    /* A PTR for another owner does not count. */
    start(&m, Q4);
    answer(&m, 5, "elsewhere.test");
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NODATA);
}

static void
test_hostile_names(void)
{
    static const struct {
        const char *wire, *text;
    } cases[] = {
        {"=cmd|' /C calc'!A0.example", "=cmd|' /C calc'!A0.example"},
        {"tab\\x09and\\x0dcr.example", "tab\\009and\\013cr.example"},
        {"nul\\x00byte.example", "nul\\000byte.example"},
        {"dot\\x2einside.example", "dot\\.inside.example"},
        {"back\\x5cslash.example", "back\\\\slash.example"},
        {"bad\\xffutf8.example", "bad\\255utf8.example"},
        {"caf\\xc3\\xa9.example", "caf\u00e9.example"},
        {"c1\\xc2\\x85ctl.example", "c1\\194\\133ctl.example"},
        {"quote\".comma,.example", "quote\".comma,.example"},
    };
    char name[CT_DNS_NAME_MAX + 1];
    unsigned count;
    msg m;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        start(&m, Q4);
        answer(&m, 12, cases[i].wire);
        g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NAME);
        g_assert_cmpstr(name, ==, cases[i].text);
        g_assert_true(g_utf8_validate(name, -1, NULL));
    }
}

static void
test_long_names(void)
{
    char name[CT_DNS_NAME_MAX + 1];
    unsigned count;
    GString *s = g_string_new(NULL);
    msg m;

    /* 4 labels of 63 bytes: 255 bytes of wire name, 255 of text. */
    for (int l = 0; l < 4; l++) {
        if (l)
            g_string_append_c(s, '.');
        for (int i = 0; i < (l < 3 ? 63 : 61); i++)
            g_string_append_c(s, (char)('a' + l));
    }
    start(&m, Q4);
    answer(&m, 12, s->str);
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NAME);
    g_assert_cmpuint(strlen(name), <=, CT_DNS_NAME_MAX);
    g_assert_true(g_str_has_prefix(s->str, name));
    g_assert_false(g_str_has_suffix(name, "."));

    /* All escapes: the cap never splits "\DDD". */
    g_string_truncate(s, 0);
    for (int l = 0; l < 4; l++) {
        if (l)
            g_string_append_c(s, '.');
        for (int i = 0; i < 60; i++)
            g_string_append(s, "\\x01");
    }
    start(&m, Q4);
    answer(&m, 12, s->str);
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_NAME);
    g_assert_cmpuint(strlen(name), <=, CT_DNS_NAME_MAX);
    g_assert_true(g_str_has_suffix(name, "\\001"));
    g_string_free(s, TRUE);
}

static void
test_malformed(void)
{
    char name[CT_DNS_NAME_MAX + 1];
    unsigned count;
    msg m, good;

    g_assert_cmpint(ct_dns_parse_ptr(NULL, 0, Q4, name, &count), ==, CT_DNS_ANSWER_BAD);
    start(&good, Q4);
    answer(&good, 12, "dns.google");

    /* Every truncation of a good answer is rejected, never read past. */
    for (size_t len = 0; len < good.len; len++) {
        guint8 *copy = g_memdup2(good.buf, len);
        g_assert_cmpint(ct_dns_parse_ptr(copy, len, Q4, name, &count), ==, CT_DNS_ANSWER_BAD);
        g_free(copy);
    }
    /* Not a response. */
    m = good;
    m.buf[2] &= 0x7f;
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_BAD);
    /* Answer to another question. */
    g_assert_cmpint(ct_dns_parse_ptr(good.buf, good.len, "4.4.8.8.in-addr.arpa", name, &count), ==,
                    CT_DNS_ANSWER_BAD);
    /* A compression pointer to itself (loop). */
    m = good;
    m.buf[m.len - 12] = 0xc0;
    m.buf[m.len - 11] = (guint8)(m.len - 12);
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_BAD);
    /* ancount larger than the records present. */
    m = good;
    m.buf[7] = 5;
    g_assert_cmpint(parse(&m, name, &count), ==, CT_DNS_ANSWER_BAD);
}

static void
test_random(void)
{
    GRand *rand = g_rand_new_with_seed(99);
    char name[CT_DNS_NAME_MAX + 1];
    unsigned count;
    msg good;

    start(&good, Q4);
    answer(&good, 12, "dns.google");
    answer(&good, 5, "x.example");
    /* Mutations of a valid answer: whatever the verdict, the output is a
     * bounded, valid UTF-8 string (ASan catches any stray read). */
    for (int round = 0; round < 50000; round++) {
        msg m = good;
        int flips = g_rand_int_range(rand, 1, 6);
        for (int i = 0; i < flips; i++)
            m.buf[g_rand_int_range(rand, 0, (gint32)m.len)] =
                (guint8)g_rand_int_range(rand, 0, 256);
        m.len = (size_t)g_rand_int_range(rand, 0, (gint32)m.len + 1);
        parse(&m, name, &count);
        g_assert_cmpuint(strlen(name), <=, CT_DNS_NAME_MAX);
        g_assert_true(g_utf8_validate(name, -1, NULL));
    }
    g_rand_free(rand);
}

/* Collects "address=name" lines. */
static void
collect(const ct_addr *addr, const char *qname, void *data)
{
    char text[CT_ADDR_STRLEN];

    ct_addr_format(addr, text);
    g_string_append_printf(data, "%s=%s;", text, qname);
}

static char *
addresses_of(const msg *m, int *count)
{
    GString *s = g_string_new(NULL);

    *count = ct_dns_parse_addresses(m->buf, m->len, collect, s);
    return g_string_free(s, FALSE);
}

static void
test_addresses(void)
{
    msg m;
    int n;
    char *got;

    /* A CNAME chain, records out of order, several addresses, and
     * records about names the question does not lead to. */
    start_type(&m, "Device-API.Vendor.example", 1);
    address(&m, "edge.cdn.example.net", "35.157.100.20");
    record(&m, "d1.cdn.example.net", 5, "edge.cdn.example.net");
    record(&m, NULL, 5, "d1.cdn.example.net");
    address(&m, "edge.cdn.example.net", "35.157.100.21");
    address(&m, "unrelated.example", "35.157.100.99");
    got = addresses_of(&m, &n);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(got, ==,
                    "35.157.100.20=device-api.vendor.example;"
                    "35.157.100.21=device-api.vendor.example;");
    g_free(got);

    /* AAAA, owned by the question itself. */
    start_type(&m, "cloud.plug.example", 28);
    address(&m, NULL, "2a00:1450:4001:82a::200e");
    address(&m, NULL, "2a00:1450:4001:82a::200f");
    got = addresses_of(&m, &n);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(got, ==,
                    "2a00:1450:4001:82a::200e=cloud.plug.example;"
                    "2a00:1450:4001:82a::200f=cloud.plug.example;");
    g_free(got);

    /* Questions that ask no addresses teach nothing. */
    start_type(&m, "cloud.plug.example", 16);
    address(&m, NULL, "192.0.2.1");
    got = addresses_of(&m, &n);
    g_assert_cmpint(n, ==, 0);
    g_assert_cmpstr(got, ==, "");
    g_free(got);

    /* A CNAME loop ends; hostile bytes in the question are escaped. */
    start_type(&m, "a\\x01b.example", 1);
    record(&m, NULL, 5, "loop.example");
    record(&m, "loop.example", 5, "a\\x01b.example");
    address(&m, "loop.example", "192.0.2.7");
    got = addresses_of(&m, &n);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(got, ==, "192.0.2.7=a\\001b.example;");
    g_free(got);
}

static void
test_addresses_malformed(void)
{
    msg m;
    int n;
    char *got;

    /* A query, not a response. */
    start_type(&m, "x.example", 1);
    address(&m, NULL, "192.0.2.1");
    m.buf[2] = 0x01;
    got = addresses_of(&m, &n);
    g_assert_cmpint(n, ==, -1);
    g_free(got);

    /* Cut inside the answer, and a wrong A length. */
    start_type(&m, "x.example", 1);
    address(&m, NULL, "192.0.2.1");
    m.len -= 2;
    got = addresses_of(&m, &n);
    g_assert_cmpint(n, ==, -1);
    g_free(got);
    start_type(&m, "x.example", 1);
    address(&m, NULL, "192.0.2.1");
    m.buf[m.len - 5] = 3;
    m.len--;
    got = addresses_of(&m, &n);
    g_assert_cmpint(n, ==, 0);
    g_free(got);

    g_assert_cmpint(ct_dns_parse_addresses(NULL, 0, collect, NULL), ==, -1);
    g_assert_cmpint(ct_dns_parse_addresses(m.buf, 11, collect, NULL), ==, -1);
}

static bool
clean(const char *text, char out[CT_DNS_NAME_MAX + 1])
{
    return ct_dns_clean_name(text, strlen(text), out);
}

static void
test_clean_name(void)
{
    char out[CT_DNS_NAME_MAX + 1];
    char *label = g_strnfill(64, 'a');
    char *long_name;

    g_assert_true(clean("Video.Plug.Example.", out));
    g_assert_cmpstr(out, ==, "video.plug.example");
    g_assert_true(clean("=cmd|x\t\\y.example", out));
    g_assert_cmpstr(out, ==, "=cmd|x\\009\\\\y.example");
    g_assert_true(clean("caf\xc3\xa9.example", out));
    g_assert_cmpstr(out, ==, "caf\xc3\xa9.example");
    g_assert_true(clean("bad\xff.example", out));
    g_assert_cmpstr(out, ==, "bad\\255.example");
    /* Not names. */
    g_assert_false(clean("", out));
    g_assert_false(clean(".", out));
    g_assert_false(clean("a..b", out));
    g_assert_false(clean(label, out));
    /* Longer than a DNS name can be. */
    long_name = g_strjoin(".", "a", label + 1, label + 1, label + 1, label + 1, NULL);
    g_assert_false(clean(long_name, out));
    g_free(long_name);
    g_free(label);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("PTR questions and answers");
    g_test_add_func("/dns/reverse-names", test_reverse_names);
    g_test_add_func("/dns/simple", test_simple);
    g_test_add_func("/dns/many-and-cname", test_many_and_cname);
    g_test_add_func("/dns/hostile-names", test_hostile_names);
    g_test_add_func("/dns/long-names", test_long_names);
    g_test_add_func("/dns/malformed", test_malformed);
    g_test_add_func("/dns/random", test_random);
    g_test_add_func("/dns/addresses", test_addresses);
    g_test_add_func("/dns/addresses-malformed", test_addresses_malformed);
    g_test_add_func("/dns/clean-name", test_clean_name);
    return g_test_run();
}
