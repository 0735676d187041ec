/* Unit tests for ct_names: histories of names per address, cleaning of
 * untrusted names, registered domains. */
#include <glib.h>
#include <string.h>

#include "ct_names.h"

static ct_addr
addr(const char *text)
{
    ct_addr a;

    g_assert_true(ct_addr_parse(text, &a));
    return a;
}

/* "name/source/frame" as of frame, or "-". */
static char *
at(ct_names *names, const char *text, guint32 frame)
{
    ct_addr a = addr(text);
    ct_name n;

    if (!ct_names_at(names, &a, frame, &n))
        return g_strdup("-");
    return g_strdup_printf("%s/%s/%u", n.name, ct_name_source_label(n.source), n.frame);
}

#define assert_at(names, text, frame, expected)                                                    \
    do {                                                                                           \
        char *got_ = at(names, text, frame);                                                       \
        g_assert_cmpstr(got_, ==, expected);                                                       \
        g_free(got_);                                                                              \
    } while (0)

static void
test_history(void)
{
    ct_names *names = ct_names_new(0);
    ct_addr cdn = addr("35.157.100.20");

    ct_names_learn(names, &cdn, 2, CT_NAME_DNS, "device-api.vendor.example");
    ct_names_learn(names, &cdn, 6, CT_NAME_SNI, "device-api.vendor.example");
    ct_names_learn(names, &cdn, 61, CT_NAME_DNS, "cdn-other.example");
    assert_at(names, "35.157.100.20", 1, "-");
    assert_at(names, "35.157.100.20", 2, "device-api.vendor.example/dns/2");
    assert_at(names, "35.157.100.20", 5, "device-api.vendor.example/dns/2");
    assert_at(names, "35.157.100.20", 6, "device-api.vendor.example/sni/6");
    assert_at(names, "35.157.100.20", 60, "device-api.vendor.example/sni/6");
    assert_at(names, "35.157.100.20", 61, "cdn-other.example/dns/61");
    assert_at(names, "35.157.100.20", G_MAXUINT32, "cdn-other.example/dns/61");
    assert_at(names, "35.157.100.21", 100, "-");
    g_assert_cmpuint(ct_names_size(names), ==, 1);

    /* A packet dissected again teaches nothing new; the same frame may
     * teach several names, each once. */
    ct_names_learn(names, &cdn, 6, CT_NAME_SNI, "other.example");
    ct_names_learn(names, &cdn, 61, CT_NAME_DNS, "cdn-other.example");
    assert_at(names, "35.157.100.20", 61, "cdn-other.example/dns/61");
    ct_names_learn(names, &cdn, 61, CT_NAME_DNS, "second.example");
    ct_names_learn(names, &cdn, 61, CT_NAME_DNS, "cdn-other.example");
    assert_at(names, "35.157.100.20", 61, "second.example/dns/61");
    /* The same name again later changes nothing either. */
    ct_names_learn(names, &cdn, 70, CT_NAME_DNS, "second.example");
    assert_at(names, "35.157.100.20", 80, "second.example/dns/61");

    ct_names_clear(names);
    assert_at(names, "35.157.100.20", 61, "-");
    g_assert_cmpuint(ct_names_size(names), ==, 0);
    ct_names_free(names);
}

static void
test_cap(void)
{
    ct_names *names = ct_names_new(0);
    ct_addr a = addr("2a00:1450:4001:82a::200e");
    char name[32];

    for (guint32 i = 0; i < CT_NAMES_PER_ADDRESS + 10; i++) {
        g_snprintf(name, sizeof name, "n%u.example", i);
        ct_names_learn(names, &a, 10 + i, CT_NAME_HTTP, name);
    }
    /* The oldest ten are forgotten. */
    assert_at(names, "2a00:1450:4001:82a::200e", 19, "-");
    assert_at(names, "2a00:1450:4001:82a::200e", 20, "n10.example/http/20");
    g_snprintf(name, sizeof name, "n%u.example/http/%u", CT_NAMES_PER_ADDRESS + 9,
               CT_NAMES_PER_ADDRESS + 19);
    assert_at(names, "2a00:1450:4001:82a::200e", 100000, name);
    ct_names_free(names);
}

static void
test_clean(void)
{
    char out[CT_DNS_NAME_MAX + 1];

    g_assert_true(ct_names_clean(CT_NAME_HTTP, "Firmware.Vendor.example:8080", 28, out));
    g_assert_cmpstr(out, ==, "firmware.vendor.example");
    g_assert_true(ct_names_clean(CT_NAME_HTTP, "example.com", 11, out));
    g_assert_cmpstr(out, ==, "example.com");
    /* A colon that does not start a port stays, escaped or not. */
    g_assert_true(ct_names_clean(CT_NAME_HTTP, "=x(\"http://a.example\")", 22, out));
    g_assert_cmpstr(out, ==, "=x(\"http://a.example\")");
    /* Address literals are not names. */
    g_assert_false(ct_names_clean(CT_NAME_HTTP, "[2001:db8::1]:443", 17, out));
    g_assert_false(ct_names_clean(CT_NAME_HTTP, "192.0.2.1:80", 12, out));
    g_assert_false(ct_names_clean(CT_NAME_SNI, "192.0.2.1", 9, out));
    g_assert_false(ct_names_clean(CT_NAME_SNI, "2001:db8::1", 11, out));
    /* Found by fuzzing: a final dot hid the literal. */
    g_assert_false(ct_names_clean(CT_NAME_SNI, "::ffff:8fff:8.", 14, out));
    g_assert_false(ct_names_clean(CT_NAME_HTTP, "192.0.2.1.:8080", 15, out));
    /* A port belongs to HTTP only. */
    g_assert_true(ct_names_clean(CT_NAME_SNI, "a.example:443", 13, out));
    g_assert_cmpstr(out, ==, "a.example:443");
    g_assert_false(ct_names_clean(CT_NAME_SNI, "", 0, out));
    g_assert_false(ct_names_clean(CT_NAME_SNI, NULL, 0, out));
}

static void
test_domains(void)
{
    static const struct {
        const char *name, *domain;
    } cases[] = {
        {"device-api.vendor.example", "vendor.example"},
        {"vendor.example", "vendor.example"},
        {"fra16s51-in-f14.1e100.net", "1e100.net"},
        {"a.b.example.co.uk", "example.co.uk"},
        /* ICANN rules only: a cloud customer's name groups under the
         * provider. */
        {"d111111abcdef8.cloudfront.net", "cloudfront.net"},
        {"ec2-35-157-100-20.eu-central-1.compute.amazonaws.com", "amazonaws.com"},
        /* An escaped dot is inside a label. */
        {"a\\.b.example.com", "example.com"},
        {"x\\.example.com", "x\\.example.com"},
        {"com", NULL},
        {"co.uk", NULL},
    };
    ct_names *names = ct_names_new(0);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        ct_name n = ct_names_intern(names, cases[i].name);
        g_assert_cmpstr(n.name, ==, cases[i].name);
        g_assert_cmpstr(n.domain, ==, cases[i].domain);
        /* Interning again gives the same string. */
        g_assert_true(ct_names_intern(names, cases[i].name).name == n.name);
        /* The same domain without interning, inside the name given. */
        const char *domain = ct_names_domain(names, cases[i].name);
        g_assert_cmpstr(domain, ==, cases[i].domain);
        if (domain != NULL)
            g_assert_true(domain >= cases[i].name &&
                          domain < cases[i].name + strlen(cases[i].name));
    }
    ct_names_free(names);
}

/* A ct_names of 2 addresses: a third forgets the least recently used
 * (learned or looked up longest ago), which has no name then; learned
 * again, it has its new name only. */
static void
test_bound(void)
{
    ct_names *names = ct_names_new(2);
    ct_addr a = addr("192.0.2.1"), b = addr("192.0.2.2"), c = addr("192.0.2.3");
    ct_name n;

    g_assert_cmpuint(ct_names_max(names), ==, 2);
    ct_names_learn(names, &a, 1, CT_NAME_DNS, "a.example");
    ct_names_learn(names, &b, 2, CT_NAME_DNS, "b.example");
    /* a looked up: b is now the least recently used. */
    g_assert_true(ct_names_at(names, &a, 10, &n));
    ct_names_learn(names, &c, 3, CT_NAME_SNI, "c.example");
    g_assert_cmpuint(ct_names_size(names), ==, 2);
    g_assert_cmpuint(ct_names_forgotten(names), ==, 1);
    assert_at(names, "192.0.2.2", 10, "-");
    assert_at(names, "192.0.2.1", 10, "a.example/dns/1");
    assert_at(names, "192.0.2.3", 10, "c.example/sni/3");
    /* c was the latest use: a goes for b. */
    ct_names_learn(names, &b, 4, CT_NAME_HTTP, "b2.example");
    assert_at(names, "192.0.2.1", 10, "-");
    assert_at(names, "192.0.2.2", 10, "b2.example/http/4");
    assert_at(names, "192.0.2.2", 3, "-");
    g_assert_cmpuint(ct_names_forgotten(names), ==, 2);
    ct_names_clear(names);
    g_assert_cmpuint(ct_names_forgotten(names), ==, 0);
    g_assert_cmpuint(ct_names_size(names), ==, 0);
    ct_names_free(names);
}

/* The strings stay bounded too: names of forgotten addresses, names
 * pushed out of a history and names interned for nobody (PTR names) are
 * freed once more than CT_NAMES_SPARE are spare, and a spare name is
 * the same string while it lasts. */
static void
test_bound_strings(void)
{
    ct_names *names = ct_names_new(100);
    char text[64];
    ct_name kept, again;

    kept = ct_names_intern(names, "kept.example");
    for (guint i = 0; i < 50000; i++) {
        ct_addr a;
        ct_addr_from_ipv4(&a, (const guint8[]){10, (guint8)(i >> 16), (guint8)(i >> 8), (guint8)i});
        g_snprintf(text, sizeof text, "host-%u.example", i);
        ct_names_learn(names, &a, i, CT_NAME_DNS, text);
        g_snprintf(text, sizeof text, "ptr-%u.example", i);
        ct_names_intern(names, text);
        if (i == CT_NAMES_SPARE / 4) {
            /* Not yet pushed out: the same string, and now the newest. */
            again = ct_names_intern(names, "kept.example");
            g_assert_true(again.name == kept.name);
        }
        g_assert_cmpuint(ct_names_size(names), <=, 100);
        g_assert_cmpuint(ct_names_interned(names), <=, 100 + CT_NAMES_SPARE);
    }
    g_assert_cmpuint(ct_names_forgotten(names), ==, 50000 - 100);
    assert_at(names, "10.0.195.79", 60000, "host-49999.example/dns/49999");

    /* One address renamed again and again keeps CT_NAMES_PER_ADDRESS
     * names; the older ones are let go. */
    ct_names_clear(names);
    ct_addr one = addr("198.51.100.1");
    for (guint i = 0; i < 10000; i++) {
        g_snprintf(text, sizeof text, "name-%u.example", i);
        ct_names_learn(names, &one, i, CT_NAME_DNS, text);
    }
    g_assert_cmpuint(ct_names_interned(names), <=, CT_NAMES_PER_ADDRESS + CT_NAMES_SPARE);
    assert_at(names, "198.51.100.1", 9999, "name-9999.example/dns/9999");
    ct_names_free(names);
}

static void
test_labels(void)
{
    g_assert_cmpstr(ct_name_source_label(CT_NAME_DNS), ==, "dns");
    g_assert_cmpstr(ct_name_source_label(CT_NAME_SNI), ==, "sni");
    g_assert_cmpstr(ct_name_source_label(CT_NAME_HTTP), ==, "http");
    g_assert_cmpstr(ct_name_source_label(CT_NAME_PTR), ==, "ptr");
    g_assert_null(ct_name_source_label(CT_NAME_NONE));
    g_assert_null(ct_name_source_label((ct_name_source)99));
}

/* The flow naming rule: the flow's own name, else the address's name as
 * of the first packet, else as of the last, else the PTR name. */
static void
test_flow_name(void)
{
    ct_names *names = ct_names_new(0);
    ct_name own = ct_names_intern(names, "own.vendor.example"), out;
    ct_addr a;

    g_assert_true(ct_addr_parse("192.0.2.7", &a));
    g_assert_false(ct_names_flow_name(names, &a, NULL, 10, 20, NULL, &out));
    g_assert_cmpint(out.source, ==, CT_NAME_NONE);
    g_assert_true(ct_names_flow_name(names, &a, NULL, 10, 20, "ptr.example.net", &out));
    g_assert_cmpint(out.source, ==, CT_NAME_PTR);
    g_assert_cmpstr(out.name, ==, "ptr.example.net");
    g_assert_cmpstr(out.domain, ==, "example.net");
    ct_names_learn(names, &a, 15, CT_NAME_DNS, "late.vendor.example");
    g_assert_true(ct_names_flow_name(names, &a, NULL, 10, 20, "ptr.example.net", &out));
    g_assert_cmpstr(out.name, ==, "late.vendor.example"); /* as of the last packet */
    ct_names_learn(names, &a, 5, CT_NAME_DNS, "early.vendor.example");
    g_assert_true(ct_names_flow_name(names, &a, NULL, 10, 20, NULL, &out));
    g_assert_cmpstr(out.name, ==, "late.vendor.example"); /* frame 5 came after 15: ignored */
    g_assert_true(ct_names_flow_name(names, &a, NULL, 16, 20, NULL, &out));
    g_assert_cmpstr(out.name, ==, "late.vendor.example");
    own.source = CT_NAME_SNI;
    g_assert_true(ct_names_flow_name(names, &a, &own, 16, 20, "ptr.example.net", &out));
    g_assert_cmpstr(out.name, ==, "own.vendor.example");
    g_assert_cmpint(out.source, ==, CT_NAME_SNI);
    ct_names_free(names);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/names/history", test_history);
    g_test_add_func("/names/cap", test_cap);
    g_test_add_func("/names/clean", test_clean);
    g_test_add_func("/names/domains", test_domains);
    g_test_add_func("/names/bound", test_bound);
    g_test_add_func("/names/bound-strings", test_bound_strings);
    g_test_add_func("/names/labels", test_labels);
    g_test_add_func("/names/flow-name", test_flow_name);
    return g_test_run();
}
