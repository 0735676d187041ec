/* fuzz_mmdb.c - MaxMind DB files from outside the project.
 *
 * The input is written to an anonymous in-memory file (memfd_create, one
 * for the whole run, rewritten per input) and opened through its
 * /proc/self/fd path, as the ASN and as the City database.  A file that
 * does not open must give a GError in the CT_ERROR domain with a known
 * ct_status code and a valid UTF-8 message that names the path; one that
 * opens must report a database type of its kind.  Then every lookup of a
 * few fixed addresses (the fixture networks, IPv4-mapped and NAT64 forms,
 * the edges of both families) and of addresses taken from the input gives
 * strings that are NULL or non-empty, capped, valid UTF-8
 * without C0, DEL or C1 controls; no location means zero coordinates;
 * a second lookup (the record cache) and a lookup after
 * ct_geo_clear_strings() give the same result.
 */
#define _GNU_SOURCE
#include <glib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ct_geo.h"
#include "fuzz.h"

/* ct_geo copies at most 255 bytes of a string, and cleaning turns each
 * bad byte into U+FFFD (three bytes). */
#define STRING_MAX (3 * 255)

static const char *const fixed_addresses[] = {
    "8.8.8.8",          "8.8.4.4",         "1.1.1.1",         "142.250.0.1", "212.170.1.1",
    "93.184.216.34",    "0.0.0.0",         "255.255.255.255", "::",          "::ffff:8.8.8.8",
    "64:ff9b::101:101", "2001:4860::8888", "2a00:1450::200e", "ffff::ffff",  "2001:db8::1",
    "fe80::1",
};

static void
check_string(const char *s)
{
    size_t len;

    if (s == NULL)
        return;
    len = strlen(s);
    CHECK(len > 0 && len <= STRING_MAX);
    CHECK(fuzz_utf8_valid(s, len, false));
    CHECK(!fuzz_has_control(s, len));
}

static bool
same_string(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
same_info(const ct_geo_info *a, const ct_geo_info *b)
{
    return a->asn == b->asn && same_string(a->as_org, b->as_org) &&
           same_string(a->country_iso, b->country_iso) && same_string(a->country, b->country) &&
           same_string(a->region, b->region) && same_string(a->city, b->city) &&
           a->has_location == b->has_location && a->accuracy_km == b->accuracy_km &&
           memcmp(&a->latitude, &b->latitude, sizeof a->latitude) == 0 &&
           memcmp(&a->longitude, &b->longitude, sizeof a->longitude) == 0;
}

static void
check_info(const ct_geo *geo, const ct_geo_info *info)
{
    check_string(info->as_org);
    check_string(info->country_iso);
    check_string(info->country);
    check_string(info->region);
    check_string(info->city);
    if (!ct_geo_is_open(geo, CT_GEO_DB_ASN))
        CHECK(info->asn == 0 && info->as_org == NULL);
    if (!ct_geo_is_open(geo, CT_GEO_DB_CITY))
        CHECK(info->country_iso == NULL && info->country == NULL && info->region == NULL &&
              info->city == NULL && !info->has_location && info->accuracy_km == 0);
    if (!info->has_location)
        CHECK(info->latitude == 0.0 && info->longitude == 0.0);
}

static void
lookup(ct_geo *geo, const ct_addr *addr)
{
    ct_geo_info first, again;
    ct_geo_info cleared;

    ct_geo_lookup(geo, addr, &first);
    check_info(geo, &first);
    ct_geo_lookup(geo, addr, &again);
    CHECK(same_info(&first, &again));
    /* Copies: clearing frees the strings of first. */
    char *org = g_strdup(first.as_org), *city = g_strdup(first.city);
    ct_geo_clear_strings(geo);
    ct_geo_lookup(geo, addr, &cleared);
    check_info(geo, &cleared);
    CHECK(same_string(org, cleared.as_org) && same_string(city, cleared.city));
    CHECK(first.asn == cleared.asn && first.has_location == cleared.has_location);
    g_free(org);
    g_free(city);
}

static void
check_open(ct_geo *geo, ct_geo_db kind, const char *path)
{
    GError *error = NULL;
    bool ok = ct_geo_open(geo, kind, path, &error);

    CHECK(ok == ct_geo_is_open(geo, kind));
    if (ok) {
        const char *type = ct_geo_database_type(geo, kind);
        CHECK(error == NULL);
        CHECK(type != NULL);
        /* Only the families ct_geo.h names are ever opened. */
        bool flat = strcmp(type, "city ipv4") == 0 || strcmp(type, "city ipv6") == 0;
        CHECK(flat || g_str_has_prefix(type, "GeoLite2-") || g_str_has_prefix(type, "GeoIP2-") ||
              g_str_has_prefix(type, "DBIP-"));
        if (kind == CT_GEO_DB_ASN)
            CHECK(!flat && (strstr(type, "ASN") || strstr(type, "ISP")));
        else
            CHECK(flat || strstr(type, "City") || strstr(type, "Country") ||
                  strstr(type, "Enterprise"));
        return;
    }
    CHECK(error != NULL && error->domain == CT_ERROR);
    CHECK(error->code >= CT_ERR_NOT_FOUND && error->code <= CT_ERR_INVALID);
    CHECK(error->message != NULL && strstr(error->message, path) != NULL);
    CHECK(fuzz_utf8_valid(error->message, strlen(error->message), false));
    CHECK(ct_geo_database_type(geo, kind) == NULL);
    g_error_free(error);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    ct_geo *geo;
    ct_addr addr;

    if (fd < 0) {
        fd = memfd_create("fuzz_mmdb", 0);
        CHECK(fd >= 0);
        g_snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    /* No database is open now: the file may change under no mapping. */
    CHECK(ftruncate(fd, 0) == 0);
    CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);

    geo = ct_geo_new();
    check_open(geo, CT_GEO_DB_ASN, path);
    check_open(geo, CT_GEO_DB_CITY, path);
    if (ct_geo_is_open(geo, CT_GEO_DB_ASN) || ct_geo_is_open(geo, CT_GEO_DB_CITY)) {
        for (size_t i = 0; i < G_N_ELEMENTS(fixed_addresses); i++) {
            CHECK(ct_addr_parse(fixed_addresses[i], &addr));
            lookup(geo, &addr);
        }
        /* Addresses from the input: its first 16 bytes (the first nodes
         * of the search tree) as IPv6, its last 4 as IPv4. */
        if (size >= 16) {
            ct_addr_from_ipv6(&addr, data);
            lookup(geo, &addr);
        }
        if (size >= 4) {
            ct_addr_from_ipv4(&addr, data + size - 4);
            lookup(geo, &addr);
        }
    }
    ct_geo_free(geo);
    return 0;
}
