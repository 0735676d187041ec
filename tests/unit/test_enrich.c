/* Unit tests for ct_enricher: per-address results, summaries, cache. */
#include <glib.h>

#include "ct_enrich.h"

static ct_enricher *
bounded_enricher(guint max_hosts)
{
    ct_enricher *e = ct_enricher_new(max_hosts);
    const char *dir = g_getenv("CT_TEST_DB_DIR");
    char *asn, *city;

    if (dir == NULL)
        g_error("CT_TEST_DB_DIR is not set");
    asn = g_build_filename(dir, "asn.mmdb", NULL);
    city = g_build_filename(dir, "city.mmdb", NULL);
    g_assert_true(ct_geo_open(ct_enricher_geo(e), CT_GEO_DB_ASN, asn, NULL));
    g_assert_true(ct_geo_open(ct_enricher_geo(e), CT_GEO_DB_CITY, city, NULL));
    g_free(asn);
    g_free(city);
    return e;
}

static ct_enricher *
new_enricher(void)
{
    return bounded_enricher(1024);
}

static const ct_host *
host(ct_enricher *e, const char *text)
{
    ct_addr addr;

    g_assert_true(ct_addr_parse(text, &addr));
    return ct_enricher_host(e, &addr);
}

static void
test_summaries(void)
{
    static const struct {
        const char *addr, *summary;
    } cases[] = {
        {"8.8.8.8", "8.8.8.8, global, AS15169 GOOGLE, Mountain View, California, United States"},
        {"192.168.1.20", "192.168.1.20, private"},
        {"162.159.200.1", "162.159.200.1, global, AS13335 CLOUDFLARENET"},
        {"9.9.9.9", "9.9.9.9, global"},
        {"64:ff9b::808:808", "64:ff9b::808:808 (IPv4 8.8.8.8), global, AS15169 GOOGLE, Mountain "
                             "View, California, United States"},
        {"ff02::fb", "ff02::fb, multicast"},
        {"212.170.1.1", "212.170.1.1, global, AS3352 TELEFONICA DE ESPANA, M\u00e1laga, "
                        "M\u00e1laga, Spain"},
    };
    ct_enricher *e = new_enricher();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        g_assert_cmpstr(ct_enricher_summary(e, host(e, cases[i].addr)), ==, cases[i].summary);
    ct_enricher_free(e);
}

static void
test_private_not_looked_up(void)
{
    ct_enricher *e = new_enricher();
    /* 10.x is in no fixture database anyway; 100.64/10 and documentation
     * ranges must not be looked up even if a database had them. */
    const ct_host *h = host(e, "192.168.1.20");

    g_assert_cmpint(h->scope, ==, CT_SCOPE_PRIVATE);
    g_assert_cmpuint(h->geo.asn, ==, 0);
    g_assert_null(h->geo.country);
    h = host(e, "8.8.8.8");
    g_assert_cmpint(h->scope, ==, CT_SCOPE_GLOBAL);
    g_assert_cmpuint(h->geo.asn, ==, 15169);
    ct_enricher_free(e);
}

static void
test_cache(void)
{
    ct_enricher *e = new_enricher();
    const ct_host *a = host(e, "35.157.100.20");
    const ct_host *b = host(e, "35.157.100.20");
    const ct_host *c;

    g_assert_true(a == b);
    g_assert_cmpuint(ct_enricher_size(e), ==, 1);
    c = host(e, "142.250.185.78");
    g_assert_true(a->geo.city == c->geo.city); /* interned */
    g_assert_cmpuint(ct_enricher_size(e), ==, 2);
    g_assert_cmpuint(ct_enricher_evictions(e), ==, 0);
    ct_enricher_free(e);
}

static void
test_clear(void)
{
    ct_enricher *e = new_enricher();

    host(e, "35.157.100.20");
    host(e, "8.8.8.8");
    ct_enricher_clear(e);
    g_assert_cmpuint(ct_enricher_size(e), ==, 0);
    g_assert_cmpuint(ct_enricher_evictions(e), ==, 1); /* given up: counted */
    g_assert_cmpstr(host(e, "35.157.100.20")->geo.city, ==, "Frankfurt am Main");
    ct_enricher_free(e);
}

/* max_hosts 4: two halves of 2.  Never more than 4 held; each time the
 * current half is full, the older one goes. */
static void
test_bound(void)
{
    static const char *const addrs[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4",
                                        "10.0.0.5", "10.0.0.6", "10.0.0.7"};
    static const guint sizes[] = {1, 2, 3, 4, 3, 4, 3};
    static const guint64 evictions[] = {0, 0, 1, 1, 2, 2, 3};
    ct_enricher *e = bounded_enricher(4);

    for (size_t i = 0; i < G_N_ELEMENTS(addrs); i++) {
        host(e, addrs[i]);
        g_assert_cmpuint(ct_enricher_size(e), ==, sizes[i]);
        g_assert_cmpuint(ct_enricher_evictions(e), ==, evictions[i]);
    }
    ct_enricher_free(e);
}

/* A host stays valid through the eviction that follows it (and its
 * summary, asked for after the eviction, too): a packet's two hosts are
 * safe even when the second one evicts.  The sanitizer build checks the
 * reads. */
static void
test_host_survives_eviction(void)
{
    ct_enricher *e = bounded_enricher(4);
    const ct_host *held = host(e, "8.8.8.8");

    host(e, "10.0.0.1");
    host(e, "10.0.0.2"); /* evicts: 8.8.8.8 is in the older half now */
    g_assert_cmpuint(ct_enricher_evictions(e), ==, 1);
    g_assert_cmpuint(held->geo.asn, ==, 15169);
    g_assert_cmpstr(held->geo.city, ==, "Mountain View");
    g_assert_cmpstr(ct_enricher_summary(e, held), ==,
                    "8.8.8.8, global, AS15169 GOOGLE, Mountain View, California, United States");
    ct_enricher_free(e);
}

/* An address of the older half is looked up again, with the same
 * result, and is then in the current half. */
static void
test_looked_up_again(void)
{
    ct_enricher *e = bounded_enricher(4);
    const ct_host *first = host(e, "8.8.8.8");
    const ct_host *again;

    host(e, "10.0.0.1");
    host(e, "10.0.0.2");
    again = host(e, "8.8.8.8");
    g_assert_true(again != first);
    g_assert_cmpuint(again->geo.asn, ==, first->geo.asn);
    g_assert_true(again->geo.city == first->geo.city);
    g_assert_true(host(e, "8.8.8.8") == again);
    ct_enricher_free(e);
}

/* Less than 2 is 2: the two hosts of a packet are always held. */
static void
test_smallest_bound(void)
{
    ct_enricher *e = bounded_enricher(0);
    const ct_host *a = host(e, "8.8.8.8");
    const ct_host *b = host(e, "35.157.100.20");

    g_assert_cmpuint(ct_enricher_size(e), ==, 2);
    g_assert_cmpuint(a->geo.asn, ==, 15169);
    g_assert_cmpstr(b->geo.city, ==, "Frankfurt am Main");
    host(e, "10.0.0.1");
    g_assert_cmpuint(ct_enricher_size(e), ==, 2);
    ct_enricher_free(e);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Per-address enrichment and its cache");
    g_test_add_func("/enrich/summaries", test_summaries);
    g_test_add_func("/enrich/private-not-looked-up", test_private_not_looked_up);
    g_test_add_func("/enrich/cache", test_cache);
    g_test_add_func("/enrich/clear", test_clear);
    g_test_add_func("/enrich/bound", test_bound);
    g_test_add_func("/enrich/host-survives-eviction", test_host_survives_eviction);
    g_test_add_func("/enrich/looked-up-again", test_looked_up_again);
    g_test_add_func("/enrich/smallest-bound", test_smallest_bound);
    return g_test_run();
}
