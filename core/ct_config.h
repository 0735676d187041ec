/* ct_config.h - where CamTrace settings come from.
 *
 * A setting that the caller (a Wireshark preference, a command-line flag)
 * did not set is looked up, in order, in:
 *   1. the process environment (MAXMIND_ASN_DB, MAXMIND_CITY_DB,
 *      ENRICH_IPS, DNS_RESOLVER, ...);
 *   2. a ".env" file in the current directory (KEY=VALUE lines, as the
 *      seed's tools used);
 * and, for database paths, in a list of data folders searched for the
 * usual file names.
 */
#ifndef CT_CONFIG_H
#define CT_CONFIG_H

#include <stdbool.h>

#include <glib.h>

#include "ct_geo.h"

G_BEGIN_DECLS

typedef enum {
    CT_SOURCE_NONE = 0,
    CT_SOURCE_PREFERENCE, /* set by the caller */
    CT_SOURCE_ENVIRONMENT,
    CT_SOURCE_DOTENV,
    CT_SOURCE_SEARCH,
} ct_source;

/* Human-readable name of a source ("environment", ".env", ...). */
const char *ct_source_name(ct_source source);

/* Value of KEY in a .env file's contents, or NULL.  Accepts comments,
 * blank lines, "export KEY=VALUE", and single- or double-quoted values;
 * the last assignment wins.  Returns a newly allocated string. */
char *ct_dotenv_parse(const char *contents, const char *key);

/* Value of key from the environment, then from dotenv_path (NULL: ".env"
 * in the current directory).  Empty values count as unset.  Returns a newly
 * allocated string or NULL; *source says where it came from. */
char *ct_config_get(const char *key, const char *dotenv_path, ct_source *source);

/* Interpret a boolean setting ("1", "true", "yes", "on" and their
 * negations, any case).  Returns false and leaves *out alone if value is
 * not a boolean. */
bool ct_config_parse_bool(const char *value, bool *out);

/* The folders searched for databases, in order: the entries of
 * CAMTRACE_DATA_PATH (environment, then .env; colon-separated, empty
 * entries skipped) when it is set, else the user's data folder
 * (g_get_user_data_dir()/camtrace, usually ~/.local/share/camtrace),
 * system_datadir (the install's data folder), /usr/share/GeoIP and
 * /var/lib/GeoIP (Debian's geoipupdate).  NULL-terminated; free with
 * g_strfreev(). */
char **ct_config_data_dirs(const char *system_datadir);

/* Resolve a database path: pref_value if non-empty, else the environment /
 * .env variable (MAXMIND_ASN_DB or MAXMIND_CITY_DB), else the first file
 * in dirs (NULL-terminated) named like a database of that kind
 * (GeoLite2-ASN.mmdb, GeoLite2-City.mmdb, ...).  Returns a newly allocated path or NULL (nothing
 * found). */
char *ct_config_db_path(ct_geo_db kind, const char *pref_value, const char *dotenv_path,
                        const char *const *dirs, ct_source *source);

/* Find the database of kind, as ct_config_db_path() does with dirs from
 * ct_config_data_dirs(system_datadir), and open it into geo.  On failure
 * kind is closed and error (CT_ERROR, a ct_status) says what and why in
 * words for the user: "no ASN database: set HOW_TO_SET, or put one in one
 * of: DIRS" or "ASN database from environment unusable: PATH: REASON".
 * *path (newly allocated, may be NULL when nothing was found) and *source
 * say which file was chosen and where from. */
bool ct_config_open_db(ct_geo *geo, ct_geo_db kind, const char *pref_value, const char *how_to_set,
                       const char *system_datadir, char **path, ct_source *source, GError **error);

/* When the open database of kind is older than CT_GEO_STALE_DAYS at now
 * (seconds since 1970): a message for the user, saying its date and how
 * to update it (newly allocated); else NULL. */
char *ct_config_db_stale(const ct_geo *geo, ct_geo_db kind, int64_t now);

/* What geo answers from, for people: "ASN GeoLite2-ASN built 2026-03-10,
 * City none" (newly allocated). */
char *ct_config_databases_text(const ct_geo *geo);

/* "ASN" or "City": how messages name a kind of database. */
const char *ct_config_db_kind_name(ct_geo_db kind);

G_END_DECLS

#endif
