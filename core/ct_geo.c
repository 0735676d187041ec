/* ct_geo.c - ASN and location lookups in MaxMind DB files.
 *
 * Databases are files from outside the project: a path may be missing, a
 * directory, truncated, or a valid MaxMind DB of another kind.  Opening
 * classifies each case into a ct_status with a message naming the path, so
 * callers can warn once.  After a successful open, a lookup that fails
 * inside the file (corrupt search tree or data section) reads as "unknown"
 * rather than an error: per-packet errors would flood the user.
 *
 * Strings from the file are copied, made valid UTF-8 without control
 * characters, capped, and interned in a GStringChunk: AS organizations and
 * country names repeat across thousands of addresses, so the chunk stays
 * small however many addresses are looked up.  Caching results per address
 * is the caller's business (ct_enrich.c).
 *
 * Schema reference: https://maxmind.github.io/MaxMind-DB/ and the GeoIP2
 * record layouts (country.iso_code, country.names.en, subdivisions[].names.en,
 * city.names.en, location.{latitude,longitude,accuracy_radius},
 * autonomous_system_{number,organization}).
 */
#include "ct_geo.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <maxminddb.h>

#define CT_GEO_STRING_MAX 255

struct ct_geo {
    MMDB_s db[2];
    bool open[2];
    GStringChunk *strings;
    /* Decoded records by their offset in the data section, per kind:
     * many networks share one record (a city, an AS), and decoding one
     * (about ten map walks) costs ten times finding it. */
    GHashTable *records[2];
};

ct_geo *
ct_geo_new(void)
{
    ct_geo *geo = g_new0(ct_geo, 1);

    geo->strings = g_string_chunk_new(4096);
    for (int i = 0; i < 2; i++)
        geo->records[i] = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    return geo;
}

void
ct_geo_free(ct_geo *geo)
{
    if (geo == NULL)
        return;
    ct_geo_close(geo, CT_GEO_DB_ASN);
    ct_geo_close(geo, CT_GEO_DB_CITY);
    g_string_chunk_free(geo->strings);
    for (int i = 0; i < 2; i++)
        g_hash_table_destroy(geo->records[i]);
    g_free(geo);
}

void
ct_geo_clear_strings(ct_geo *geo)
{
    /* Cached records point into the strings. */
    g_hash_table_remove_all(geo->records[CT_GEO_DB_ASN]);
    g_hash_table_remove_all(geo->records[CT_GEO_DB_CITY]);
    g_string_chunk_clear(geo->strings);
}

void
ct_geo_close(ct_geo *geo, ct_geo_db kind)
{
    if (geo->open[kind]) {
        MMDB_close(&geo->db[kind]);
        geo->open[kind] = false;
    }
    g_hash_table_remove_all(geo->records[kind]);
}

bool
ct_geo_is_open(const ct_geo *geo, ct_geo_db kind)
{
    return geo->open[kind];
}

const char *
ct_geo_database_type(const ct_geo *geo, ct_geo_db kind)
{
    return geo->open[kind] ? geo->db[kind].metadata.database_type : NULL;
}

/* Database types are free text chosen by the vendor: "GeoLite2-ASN",
 * "GeoIP2-ISP", "DBIP-ASN-Lite (compat=GeoLite2-ASN)", "GeoLite2-City",
 * "GeoIP2-Enterprise", "DBIP-Country-Lite", ... */
static bool
schema_matches(ct_geo_db kind, const char *type)
{
    static const char *const asn_words[] = {"ASN", "ISP", NULL};
    static const char *const city_words[] = {"City", "Country", "Enterprise", NULL};
    const char *const *words = kind == CT_GEO_DB_ASN ? asn_words : city_words;

    if (type == NULL)
        return false;
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strstr(type, words[i]) != NULL)
            return true;
    }
    return false;
}

bool
ct_geo_open(ct_geo *geo, ct_geo_db kind, const char *path, GError **error)
{
    static const char *const kind_names[] = {"ASN", "City/Country"};
    struct stat st;
    MMDB_s db;
    int rc;

    g_return_val_if_fail(geo != NULL && path != NULL, false);
    ct_geo_close(geo, kind);

    if (stat(path, &st) != 0) {
        int err = errno;
        g_set_error(error, CT_ERROR, err == ENOENT ? CT_ERR_NOT_FOUND : CT_ERR_UNREADABLE, "%s: %s",
                    path, g_strerror(err));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, CT_ERROR, CT_ERR_NOT_A_FILE, "%s: %s", path,
                    ct_strerror(CT_ERR_NOT_A_FILE));
        return false;
    }
    if (st.st_size == 0) {
        g_set_error(error, CT_ERROR, CT_ERR_CORRUPT, "%s: %s (empty file)", path,
                    ct_strerror(CT_ERR_CORRUPT));
        return false;
    }
    errno = 0;
    rc = MMDB_open(path, MMDB_MODE_MMAP, &db);
    if (rc == MMDB_FILE_OPEN_ERROR || rc == MMDB_IO_ERROR) {
        int err = errno;
        g_set_error(error, CT_ERROR, CT_ERR_UNREADABLE, "%s: %s (%s)", path, MMDB_strerror(rc),
                    err ? g_strerror(err) : "no detail");
        return false;
    }
    if (rc != MMDB_SUCCESS) {
        g_set_error(error, CT_ERROR, CT_ERR_CORRUPT, "%s: %s (%s)", path,
                    ct_strerror(CT_ERR_CORRUPT), MMDB_strerror(rc));
        return false;
    }
    if (!schema_matches(kind, db.metadata.database_type)) {
        /* The type is text from the file: show at most 64 bytes of it. */
        const char *raw = db.metadata.database_type ? db.metadata.database_type : "(none)";
        char *type = g_utf8_make_valid(raw, (gssize)strnlen(raw, 64));
        g_set_error(error, CT_ERROR, CT_ERR_WRONG_SCHEMA,
                    "%s: database type \"%s\" is not an %s database", path, type, kind_names[kind]);
        g_free(type);
        MMDB_close(&db);
        return false;
    }
    geo->db[kind] = db;
    geo->open[kind] = true;
    return true;
}

/* Valid UTF-8 without C0 or C1 controls: nothing to replace (the common
 * case, checked without decoding). */
static bool
is_clean(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;

    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f)
            return false;
        /* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F. */
        if (p[i] == 0xc2 && i + 1 < len && p[i + 1] < 0xa0)
            return false;
    }
    return g_utf8_validate(text, (gssize)len, NULL);
}

/* Copy a string from the file: at most CT_GEO_STRING_MAX bytes, valid
 * UTF-8, control characters replaced, interned. */
static const char *
intern_string(ct_geo *geo, const char *data, uint32_t size)
{
    char buf[CT_GEO_STRING_MAX + 1];
    const char *end;
    size_t len = size < CT_GEO_STRING_MAX ? size : CT_GEO_STRING_MAX;
    GString *clean;
    const char *result;

    if (len == 0)
        return NULL;
    memcpy(buf, data, len);
    buf[len] = '\0';
    /* Truncation may split a character: cut back to the last valid one
     * (at most 3 bytes back; anything earlier is the cleaning's job). */
    if (!g_utf8_validate(buf, (gssize)len, &end) && len == CT_GEO_STRING_MAX &&
        end >= buf + len - 3) {
        len = (size_t)(end - buf);
        buf[len] = '\0';
    }

    if (is_clean(buf, len))
        return g_string_chunk_insert_const(geo->strings, buf);
    clean = g_string_sized_new(len + 1);
    for (const char *p = buf; p < buf + len;) {
        gunichar c = g_utf8_get_char_validated(p, (gssize)(buf + len - p));
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_unichar(clean, 0xfffd);
            p++;
            continue;
        }
        if (c < 0x20 || (c >= 0x7f && c < 0xa0))
            g_string_append_unichar(clean, 0xfffd);
        else
            g_string_append_unichar(clean, c);
        p = g_utf8_next_char(p);
    }
    result = clean->len ? g_string_chunk_insert_const(geo->strings, clean->str) : NULL;
    g_string_free(clean, TRUE);
    return result;
}

static bool
get_value(MMDB_entry_s *entry, MMDB_entry_data_s *data, const char *const *path)
{
    return MMDB_aget_value(entry, data, path) == MMDB_SUCCESS && data->has_data;
}

static const char *
get_string(ct_geo *geo, MMDB_entry_s *entry, const char *const *path)
{
    MMDB_entry_data_s data;

    if (!get_value(entry, &data, path) || data.type != MMDB_DATA_TYPE_UTF8_STRING)
        return NULL;
    return intern_string(geo, data.utf8_string, data.data_size);
}

static bool
get_uint(MMDB_entry_s *entry, const char *const *path, uint32_t *out)
{
    MMDB_entry_data_s data;

    if (!get_value(entry, &data, path))
        return false;
    switch (data.type) {
    case MMDB_DATA_TYPE_UINT16:
        *out = data.uint16;
        return true;
    case MMDB_DATA_TYPE_UINT32:
        *out = data.uint32;
        return true;
    default:
        return false;
    }
}

static bool
get_double(MMDB_entry_s *entry, const char *const *path, double *out)
{
    MMDB_entry_data_s data;

    if (!get_value(entry, &data, path))
        return false;
    if (data.type == MMDB_DATA_TYPE_DOUBLE)
        *out = data.double_value;
    else if (data.type == MMDB_DATA_TYPE_FLOAT)
        *out = data.float_value;
    else
        return false;
    return true;
}

static bool
find_entry(MMDB_s *db, const ct_addr *addr, MMDB_entry_s *entry)
{
    struct sockaddr_storage ss;
    int mmdb_error = MMDB_SUCCESS;
    MMDB_lookup_result_s res;

    memset(&ss, 0, sizeof ss);
    if (addr->family == 4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, addr->bytes, 4);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, addr->bytes, 16);
    }
    res = MMDB_lookup_sockaddr(db, (struct sockaddr *)&ss, &mmdb_error);
    if (mmdb_error != MMDB_SUCCESS || !res.found_entry)
        return false;
    *entry = res.entry;
    return true;
}

/* Most distinct records remembered per kind before the cache starts over
 * (the largest databases have a few hundred thousand). */
#define CT_GEO_MAX_RECORDS (1024u * 1024)

/* The decoded record at entry, from the cache or decoded by fill() and
 * remembered. */
static const ct_geo_info *
record_at(ct_geo *geo, ct_geo_db kind, MMDB_entry_s *entry,
          void (*fill)(ct_geo *, MMDB_entry_s *, ct_geo_info *))
{
    GHashTable *records = geo->records[kind];
    ct_geo_info *rec = g_hash_table_lookup(records, GUINT_TO_POINTER(entry->offset + 1));

    if (rec != NULL)
        return rec;
    if (g_hash_table_size(records) >= CT_GEO_MAX_RECORDS)
        g_hash_table_remove_all(records);
    rec = g_new0(ct_geo_info, 1);
    fill(geo, entry, rec);
    g_hash_table_insert(records, GUINT_TO_POINTER(entry->offset + 1), rec);
    return rec;
}

static void
fill_asn(ct_geo *geo, MMDB_entry_s *entry, ct_geo_info *rec)
{
    static const char *const number[] = {"autonomous_system_number", NULL};
    static const char *const org[] = {"autonomous_system_organization", NULL};

    if (!get_uint(entry, number, &rec->asn))
        rec->asn = 0;
    rec->as_org = get_string(geo, entry, org);
}

static void
lookup_asn(ct_geo *geo, const ct_addr *addr, ct_geo_info *info)
{
    MMDB_entry_s entry;
    const ct_geo_info *rec;

    if (!find_entry(&geo->db[CT_GEO_DB_ASN], addr, &entry))
        return;
    rec = record_at(geo, CT_GEO_DB_ASN, &entry, fill_asn);
    info->asn = rec->asn;
    info->as_org = rec->as_org;
}

static const char *
last_subdivision(ct_geo *geo, MMDB_entry_s *entry)
{
    static const char *const subdivisions[] = {"subdivisions", NULL};
    MMDB_entry_data_s data;
    char index[16];

    if (!get_value(entry, &data, subdivisions) || data.type != MMDB_DATA_TYPE_ARRAY ||
        data.data_size == 0)
        return NULL;
    g_snprintf(index, sizeof index, "%u", data.data_size - 1);
    const char *const path[] = {"subdivisions", index, "names", "en", NULL};
    return get_string(geo, entry, path);
}

static void
fill_city(ct_geo *geo, MMDB_entry_s *entry, ct_geo_info *info)
{
    static const char *const iso[] = {"country", "iso_code", NULL};
    static const char *const name[] = {"country", "names", "en", NULL};
    /* Anycast and some cloud ranges carry only the registration country. */
    static const char *const reg_iso[] = {"registered_country", "iso_code", NULL};
    static const char *const reg_name[] = {"registered_country", "names", "en", NULL};
    static const char *const city[] = {"city", "names", "en", NULL};
    static const char *const lat[] = {"location", "latitude", NULL};
    static const char *const lon[] = {"location", "longitude", NULL};
    static const char *const accuracy[] = {"location", "accuracy_radius", NULL};
    uint32_t radius;

    info->country_iso = get_string(geo, entry, iso);
    info->country = get_string(geo, entry, name);
    if (info->country_iso == NULL && info->country == NULL) {
        info->country_iso = get_string(geo, entry, reg_iso);
        info->country = get_string(geo, entry, reg_name);
    }
    info->region = last_subdivision(geo, entry);
    info->city = get_string(geo, entry, city);
    info->has_location =
        get_double(entry, lat, &info->latitude) && get_double(entry, lon, &info->longitude);
    if (!info->has_location)
        info->latitude = info->longitude = 0.0;
    if (get_uint(entry, accuracy, &radius))
        info->accuracy_km = (uint16_t)MIN(radius, G_MAXUINT16);
}

static void
lookup_city(ct_geo *geo, const ct_addr *addr, ct_geo_info *info)
{
    MMDB_entry_s entry;
    const ct_geo_info *rec;

    if (!find_entry(&geo->db[CT_GEO_DB_CITY], addr, &entry))
        return;
    rec = record_at(geo, CT_GEO_DB_CITY, &entry, fill_city);
    info->country_iso = rec->country_iso;
    info->country = rec->country;
    info->region = rec->region;
    info->city = rec->city;
    info->latitude = rec->latitude;
    info->longitude = rec->longitude;
    info->has_location = rec->has_location;
    info->accuracy_km = rec->accuracy_km;
}

void
ct_geo_lookup(ct_geo *geo, const ct_addr *addr, ct_geo_info *info)
{
    ct_addr key = ct_addr_effective(addr);

    memset(info, 0, sizeof *info);
    if (geo->open[CT_GEO_DB_ASN])
        lookup_asn(geo, &key, info);
    if (geo->open[CT_GEO_DB_CITY])
        lookup_city(geo, &key, info);
}
