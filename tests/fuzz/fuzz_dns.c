/* fuzz_dns.c - PTR answers and address text, both untrusted.
 *
 * The input is read three ways:
 * 1. as a DNS response to the PTR question 8.8.8.8.in-addr.arpa, and to
 *    the question the message itself carries (when it is plain text that
 *    ct_dns_parse_ptr() accepts), so that mutations get past the question
 *    check.  Whatever the verdict, the name buffer (exactly
 *    CT_DNS_NAME_MAX + 1 bytes) holds a NUL-terminated string of at most
 *    CT_DNS_NAME_MAX bytes that is valid UTF-8 without C0, DEL or C1
 *    controls, whose backslashes all start "\.", "\\" or "\DDD" (DDD <=
 *    255), with no empty label; it is non-empty exactly when the verdict
 *    is CT_DNS_ANSWER_NAME, with a count of at least one (none when BAD);
 * 2. as address text (up to the first NUL, 64 bytes at most):
 *    ct_addr_parse() then ct_addr_format() gives text that parses back to
 *    the same address; IPv4 text is what inet_ntop() writes; the reverse
 *    name is bounded and names the effective address;
 * 3. its first 16 bytes as a raw IPv4 and IPv6 address, for the same
 *    round trip over every value;
 * 4. as a DNS response whose A and AAAA answers name addresses
 *    (ct_dns_parse_addresses()): every name reported is a name as in 1,
 *    lower-case, non-empty; the count is the number of calls, and a
 *    message rejected (-1) reports none;
 * 5. as untrusted host name text (a TLS server name, an HTTP Host):
 *    ct_dns_clean_name() and ct_names_clean() give a name as in 4 or
 *    nothing, never an address literal, and its registered domain is a
 *    suffix of it made of whole labels.
 */
#include <arpa/inet.h>
#include <glib.h>
#include <string.h>

#include "ct_dns.h"
#include "ct_names.h"
#include "fuzz.h"

#define Q4 "8.8.8.8.in-addr.arpa"

/* A rendered name in a buffer of CT_DNS_NAME_MAX + 1 bytes; returns its
 * length. */
static size_t
check_rendered(const char *name)
{
    const char *nul = memchr(name, '\0', CT_DNS_NAME_MAX + 1);
    size_t len;

    CHECK(nul != NULL);
    len = (size_t)(nul - name);
    CHECK(fuzz_utf8_valid(name, len, false));
    CHECK(!fuzz_has_control(name, len));
    /* No empty label, and every backslash starts an escape: \. or \\ or
     * \DDD (a byte value). */
    bool empty_label = true;
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '.') {
            CHECK(!empty_label);
            empty_label = true;
            continue;
        }
        empty_label = false;
        if (name[i] != '\\')
            continue;
        CHECK(i + 1 < len);
        if (name[i + 1] == '.' || name[i + 1] == '\\') {
            i++;
            continue;
        }
        CHECK(i + 3 < len && g_ascii_isdigit(name[i + 1]) && g_ascii_isdigit(name[i + 2]) &&
              g_ascii_isdigit(name[i + 3]));
        CHECK(g_ascii_digit_value(name[i + 1]) * 100 + g_ascii_digit_value(name[i + 2]) * 10 +
                  g_ascii_digit_value(name[i + 3]) <=
              255);
        i += 3;
    }
    CHECK(len == 0 || !empty_label);
    return len;
}

static void
check_name(ct_dns_answer verdict, const char *name, unsigned count)
{
    size_t len = check_rendered(name);

    CHECK(verdict == CT_DNS_ANSWER_NAME || verdict == CT_DNS_ANSWER_NODATA ||
          verdict == CT_DNS_ANSWER_BAD);
    CHECK((verdict == CT_DNS_ANSWER_NAME) == (len > 0));
    /* NODATA may count PTR records whose target is the root. */
    if (verdict == CT_DNS_ANSWER_NAME)
        CHECK(count > 0);
    if (verdict == CT_DNS_ANSWER_BAD)
        CHECK(count == 0);
}

/* A capture-derived name: rendered, non-empty, lower-case. */
static void
check_learned(const char *name)
{
    char buf[CT_DNS_NAME_MAX + 1];
    size_t len = strlen(name);

    CHECK(len > 0 && len <= CT_DNS_NAME_MAX);
    memcpy(buf, name, len + 1);
    CHECK(check_rendered(buf) == len);
    for (size_t i = 0; i < len; i++)
        CHECK(!g_ascii_isupper(name[i]));
}

static void
count_address(const ct_addr *addr, const char *qname, void *data)
{
    CHECK(addr->family == 4 || addr->family == 6);
    check_learned(qname);
    (*(int *)data)++;
}

static void
check_addresses(const uint8_t *data, size_t size)
{
    int calls = 0;
    int n = ct_dns_parse_addresses(data, size, count_address, &calls);

    CHECK(n >= -1);
    CHECK(n == -1 ? calls == 0 : calls == n);
}

static void
check_host_text(ct_names *names, const uint8_t *data, size_t size)
{
    char out[CT_DNS_NAME_MAX + 1];
    ct_addr addr;

    memset(out, 0xaa, sizeof out);
    if (ct_dns_clean_name((const char *)data, size, out))
        check_learned(out);
    else
        CHECK(out[0] == '\0');
    for (ct_name_source source = CT_NAME_SNI; source <= CT_NAME_HTTP; source++) {
        memset(out, 0xaa, sizeof out);
        if (!ct_names_clean(source, (const char *)data, size, out)) {
            CHECK(out[0] == '\0');
            continue;
        }
        check_learned(out);
        CHECK(!ct_addr_parse(out, &addr));
        ct_name n = ct_names_intern(names, out);
        CHECK(strcmp(n.name, out) == 0);
        if (n.domain != NULL) {
            size_t dl = strlen(n.domain), nl = strlen(n.name);
            CHECK(dl > 0 && dl <= nl && strcmp(n.name + nl - dl, n.domain) == 0);
            CHECK(dl == nl || n.name[nl - dl - 1] == '.');
        }
    }
}

/* The question name at offset 12 as dotted text, if it is made of plain
 * uncompressed labels that need no escape; else NULL. */
static char *
question_text(const uint8_t *data, size_t size)
{
    GString *s = g_string_new(NULL);
    size_t pos = 12;

    while (pos < size && data[pos] != 0) {
        size_t l = data[pos];
        if (l > 63 || pos + 1 + l > size || s->len + l + 1 > 200)
            goto fail;
        for (size_t i = 0; i < l; i++) {
            uint8_t c = data[pos + 1 + i];
            if (c <= 0x20 || c >= 0x7f || c == '.' || c == '\\')
                goto fail;
        }
        if (s->len > 0)
            g_string_append_c(s, '.');
        g_string_append_len(s, (const char *)data + pos + 1, (gssize)l);
        pos += 1 + l;
    }
    if (pos >= size || s->len == 0)
        goto fail;
    return g_string_free(s, FALSE);
fail:
    g_string_free(s, TRUE);
    return NULL;
}

static ct_dns_answer
parse(const uint8_t *data, size_t size, const char *qname, char *name, unsigned *count)
{
    ct_dns_answer verdict;

    memset(name, 0xaa, CT_DNS_NAME_MAX + 1);
    *count = 12345;
    verdict = ct_dns_parse_ptr(data, size, qname, name, count);
    check_name(verdict, name, *count);
    return verdict;
}

static void
check_reverse(const ct_addr *addr)
{
    char out[CT_DNS_QNAME_MAX];
    ct_addr eff = ct_addr_effective(addr);
    const char *nul;

    memset(out, 0xaa, sizeof out);
    ct_dns_reverse_name(addr, out);
    nul = memchr(out, '\0', sizeof out);
    CHECK(nul != NULL);
    if (eff.family == 4) {
        char want[CT_DNS_QNAME_MAX];
        g_snprintf(want, sizeof want, "%u.%u.%u.%u.in-addr.arpa", eff.bytes[3], eff.bytes[2],
                   eff.bytes[1], eff.bytes[0]);
        CHECK(strcmp(out, want) == 0);
    } else {
        /* 32 nibbles, least significant first. */
        CHECK(nul - out == 72 && strcmp(out + 64, "ip6.arpa") == 0);
        for (int i = 0; i < 32; i++) {
            uint8_t b = eff.bytes[15 - i / 2];
            unsigned nibble = i % 2 == 0 ? b & 0xfu : b >> 4;
            CHECK(g_ascii_xdigit_value(out[2 * i]) == (int)nibble && out[2 * i + 1] == '.');
            CHECK(!g_ascii_isupper(out[2 * i]));
        }
    }
}

static void
check_round_trip(const ct_addr *addr)
{
    char text[CT_ADDR_STRLEN];
    ct_addr back;

    memset(text, 0xaa, sizeof text);
    ct_addr_format(addr, text);
    CHECK(memchr(text, '\0', sizeof text) != NULL);
    CHECK(ct_addr_parse(text, &back));
    CHECK(ct_addr_equal(addr, &back));
    if (addr->family == 4) {
        char want[INET_ADDRSTRLEN];
        CHECK(inet_ntop(AF_INET, addr->bytes, want, sizeof want) != NULL);
        CHECK(strcmp(text, want) == 0);
    }
    check_reverse(addr);
}

static void
check_text(const uint8_t *data, size_t size)
{
    size_t n = size < 64 ? size : 64;
    const uint8_t *nul = memchr(data, 0, n);
    char *text = g_strndup((const char *)data, nul ? (size_t)(nul - data) : n);
    ct_addr addr;

    memset(&addr, 0, sizeof addr);
    if (ct_addr_parse(text, &addr)) {
        CHECK(addr.family == 4 || addr.family == 6);
        check_round_trip(&addr);
    } else {
        CHECK(addr.family == 0); /* untouched */
    }
    g_free(text);
}

/* One for the run: libpsl's list is loaded once. */
static ct_names *names;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(CT_DNS_NAME_MAX + 1); /* exactly the promised size */
    char *qname = question_text(data, size);
    unsigned count;
    ct_dns_answer fixed;
    ct_addr addr;

    CHECK(name != NULL);
    fixed = parse(data, size, Q4, name, &count);
    if (qname != NULL) {
        ct_dns_answer again = parse(data, size, qname, name, &count);
        /* Question names compare case-insensitively. */
        if (g_ascii_strcasecmp(qname, Q4) == 0)
            CHECK(again == fixed);
    }

    check_text(data, size);
    if (size >= 4) {
        ct_addr_from_ipv4(&addr, data);
        check_round_trip(&addr);
    }
    if (size >= 16) {
        ct_addr_from_ipv6(&addr, data);
        check_round_trip(&addr);
    }
    check_addresses(data, size);
    if (names == NULL)
        names = ct_names_new(0);
    check_host_text(names, data, size);
    ct_names_clear(names);
    g_free(qname);
    free(name);
    return 0;
}
