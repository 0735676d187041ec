/* Unit tests for ct_enricher: per-address results, summaries, cache. */
#include <glib.h>

#include "ct_enrich.h"

static ct_enricher *
new_enricher(void)
{
    ct_enricher *e = ct_enricher_new();
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

    ct_enricher_trim(e, 2); /* at the cap: kept */
    g_assert_cmpuint(ct_enricher_size(e), ==, 2);
    host(e, "1.1.1.1");
    ct_enricher_trim(e, 2); /* over the cap: forgotten */
    g_assert_cmpuint(ct_enricher_size(e), ==, 0);
    g_assert_cmpstr(host(e, "35.157.100.20")->geo.city, ==, "Frankfurt am Main");
    ct_enricher_clear(e);
    g_assert_cmpuint(ct_enricher_size(e), ==, 0);
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
    return g_test_run();
}
