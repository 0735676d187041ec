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
 * ct_geo_clear_strings() or ct_geo_free(). */
typedef struct {
    uint32_t asn; /* 0 when unknown */
    const char *as_org;
    const char *country_iso;
    const char *country; /* English name */
    const char *region;  /* most specific subdivision, English name */
    const char *city;    /* English name */
    double latitude;
    double longitude;
    uint16_t accuracy_km; /* 0 when unknown */
    bool has_location;
} ct_geo_info;

ct_geo *ct_geo_new(void);
void ct_geo_free(ct_geo *geo);

/* Open path as the database of the given kind, replacing any open one.  On failure the kind is left
 * closed and error says which path failed and why (code is a ct_status). */
bool ct_geo_open(ct_geo *geo, ct_geo_db kind, const char *path, GError **error);
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
