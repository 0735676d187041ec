/* ct_geo.h - ASN and location lookups in MaxMind DB files.
 *
 * One ct_geo holds up to two databases (ASN and City/Country).  Callers
 * never see libmaxminddb types; ct_enrich caches results per address.
 * Any database with the GeoLite2/GeoIP2 schema works: GeoLite2-ASN,
 * GeoIP2-ISP, DB-IP ASN lite for ASN; GeoLite2/GeoIP2-City, -Country and
 * DB-IP city/country lite for location.
 */
#ifndef CT_GEO_H
#define CT_GEO_H

#include <stdbool.h>
#include <stdint.h>

#include "ct_addr.h"
#include "ct_status.h"

G_BEGIN_DECLS

typedef struct ct_geo ct_geo;

typedef enum {
    CT_GEO_DB_ASN = 0,
    CT_GEO_DB_CITY,
} ct_geo_db;

/* A lookup result.  Strings are NULL when unknown, are valid UTF-8 without
 * control characters, and are owned by the ct_geo: they stay valid until
 * ct_geo_clear_strings() or ct_geo_free().
 *
 * The country is where the database locates the address (MaxMind's
 * "country"), never where its block is registered: anycast addresses and
 * many cloud ranges have only a registered country, and then country_iso
 * and country stay NULL, as in Wireshark's own ip.geoip fields. */
typedef struct {
    uint32_t asn; /* 0 when unknown */
    const char *as_org;
    const char *country_iso;
    const char *country;                /* English name */
    const char *registered_country_iso; /* where the block is registered */
    const char *region;                 /* most specific subdivision, English name */
    const char *city;                   /* English name */
    double latitude;
    double longitude;
    uint16_t accuracy_km; /* 0 when unknown */
    bool has_location;
    bool anycast; /* the database marks the network anycast (traits.is_anycast) */
} ct_geo_info;

/* Where a kind's data comes from, from the file's metadata.  Strings are
 * owned by the ct_geo and valid while the database stays open. */
typedef struct {
    const char *path;    /* the file opened */
    const char *path2;   /* the second file of a pair (below), or NULL */
    const char *type;    /* its database_type, such as "GeoLite2-City" */
    const char *vendor;  /* "MaxMind", "DB-IP" */
    int64_t build_epoch; /* when it was built, seconds since 1970 UTC; 0 unknown */
} ct_geo_source;

ct_geo *ct_geo_new(void);
void ct_geo_free(ct_geo *geo);

/* Databases CamTrace reads, by their metadata's database_type:
 *   MaxMind's GeoLite2-* and GeoIP2-* and DB-IP's free DBIP-*-Lite ones
 *   (the GeoIP2 layout): ASN, ISP, City, Country, Enterprise;
 *   the monthly DB-IP City data of ip-location-db (types "city ipv4" and
 *   "city ipv6", a flat layout: country_code, state1, state2, city,
 *   latitude, longitude), one file per address family: opening either
 *   file also opens its sibling (ipv4 <-> ipv6 in the file name) when it
 *   is there, and the pair is one City source.
 * Any other type is refused with CT_ERR_WRONG_SCHEMA naming the type. */

/* Open path as the database of the given kind, replacing any open one.  On failure the kind is left
 * closed and error says which path failed and why (code is a ct_status). */
bool ct_geo_open(ct_geo *geo, ct_geo_db kind, const char *path, GError **error);

/* Whether a file of the open database was replaced on disk since it was
 * opened (another file at the path, or changed size or time): what
 * geoipupdate does, writing a new file and renaming it over the old. */
bool ct_geo_changed(const ct_geo *geo, ct_geo_db kind);
/* Open the same path(s) again.  On failure the database opened before
 * stays in use and error says why.  Either way the caller should drop
 * what it cached from the old data: strings stay valid until
 * ct_geo_clear_strings(). */
bool ct_geo_reload(ct_geo *geo, ct_geo_db kind, GError **error);

/* Where the open database of kind comes from; false when it is closed. */
bool ct_geo_source_info(const ct_geo *geo, ct_geo_db kind, ct_geo_source *out);
/* "GeoLite2-City built 2026-03-10" (the date only when known); newly
 * allocated. */
char *ct_geo_source_text(const ct_geo_source *source);
/* Days from the build to now (seconds since 1970), or -1 when the build
 * date is unknown. */
int64_t ct_geo_source_age_days(const ct_geo_source *source, int64_t now);
/* Older than this, a database is worth a warning: GeoLite2 is rebuilt
 * twice a week and DB-IP's lite data monthly, and re-assigned cloud
 * ranges make old data wrong. */
#define CT_GEO_STALE_DAYS 60
void ct_geo_close(ct_geo *geo, ct_geo_db kind);
bool ct_geo_is_open(const ct_geo *geo, ct_geo_db kind);

/* Database type from the file's metadata ("GeoLite2-ASN"), or NULL. */
const char *ct_geo_database_type(const ct_geo *geo, ct_geo_db kind);

/* Look addr up (NAT64 and IPv4-mapped addresses by their IPv4 address) in
 * every open database; fills *info (zeroed when nothing is known).  Lookup
 * errors inside a corrupt database read as "unknown". */
void ct_geo_lookup(ct_geo *geo, const ct_addr *addr, ct_geo_info *info);

/* Release every string returned so far. */
void ct_geo_clear_strings(ct_geo *geo);

G_END_DECLS

#endif
