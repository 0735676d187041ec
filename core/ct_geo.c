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
 * record layouts (country.iso_code, country.names.en,
 * registered_country.iso_code, traits.is_anycast, subdivisions[].names.en,
 * city.names.en, location.{latitude,longitude,accuracy_radius},
 * autonomous_system_{number,organization}); ip-location-db's flat DB-IP
 * City layout: https://github.com/sapics/ip-location-db (country_code,
 * state1, state2, city, latitude, longitude).
 *
 * A database may be replaced on disk while it is open (geoipupdate
 * renames a new file over the old one).  The mapping of the old file
 * stays valid, so lookups go on; ct_geo_changed() compares the file at
 * the path with the one opened (device, inode, size, time), and
 * ct_geo_reload() swaps in the new one only when it opens cleanly.
 */
#include "ct_geo.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <maxminddb.h>

#define CT_GEO_STRING_MAX 255

typedef enum {
    SCHEMA_GEOIP2 = 0, /* MaxMind's record layout, also DB-IP's lite files */
    SCHEMA_FLAT,       /* ip-location-db's flat DB-IP City layout */
} schema;

/* What identifies the file behind a path: another file, or a changed
 * one, differs in one of these. */
typedef struct {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} file_id;

/* One opened file; a source has one, or the flat layout's IPv4/IPv6 pair. */
typedef struct {
    bool open;
    MMDB_s db;
    char *path;
    file_id id;
    /* Decoded records by their offset in the data section: many networks
     * share one record (a city, an AS), and decoding one (about ten map
     * walks) costs ten times finding it. */
    GHashTable *records;
} db_file;

typedef struct {
    schema layout;
    db_file file[2]; /* GeoIP2: [0]; flat: [0] IPv4 data, [1] IPv6 data */
    char *type;
    const char *vendor;
} geo_source;

struct ct_geo {
    geo_source src[2]; /* per ct_geo_db */
    GStringChunk *strings;
};

ct_geo *
ct_geo_new(void)
{
    ct_geo *geo = g_new0(ct_geo, 1);

    geo->strings = g_string_chunk_new(4096);
    for (int k = 0; k < 2; k++) {
        for (int f = 0; f < 2; f++)
            geo->src[k].file[f].records = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    }
    return geo;
}

static void
files_close(geo_source *src)
{
    for (int f = 0; f < 2; f++) {
        db_file *file = &src->file[f];
        if (file->open)
            MMDB_close(&file->db);
        file->open = false;
        g_clear_pointer(&file->path, g_free);
        g_hash_table_remove_all(file->records);
    }
    g_clear_pointer(&src->type, g_free);
    src->vendor = NULL;
}

void
ct_geo_free(ct_geo *geo)
{
    if (geo == NULL)
        return;
    for (int k = 0; k < 2; k++) {
        files_close(&geo->src[k]);
        for (int f = 0; f < 2; f++)
            g_hash_table_destroy(geo->src[k].file[f].records);
    }
    g_string_chunk_free(geo->strings);
    g_free(geo);
}

void
ct_geo_clear_strings(ct_geo *geo)
{
    /* Cached records point into the strings. */
    for (int k = 0; k < 2; k++) {
        for (int f = 0; f < 2; f++)
            g_hash_table_remove_all(geo->src[k].file[f].records);
    }
    g_string_chunk_clear(geo->strings);
}

void
ct_geo_close(ct_geo *geo, ct_geo_db kind)
{
    files_close(&geo->src[kind]);
}

bool
ct_geo_is_open(const ct_geo *geo, ct_geo_db kind)
{
    return geo->src[kind].file[0].open || geo->src[kind].file[1].open;
}

const char *
ct_geo_database_type(const ct_geo *geo, ct_geo_db kind)
{
    return ct_geo_is_open(geo, kind) ? geo->src[kind].type : NULL;
}

/* The families CamTrace reads (see ct_geo.h), by database_type: false
 * for a type of no family it knows.  *layout and *vendor describe it;
 * *fits says whether it holds data of kind. */
static bool
known_type(ct_geo_db kind, const char *type, schema *layout, const char **vendor, bool *fits)
{
    static const char *const asn_words[] = {"ASN", "ISP", NULL};
    static const char *const city_words[] = {"City", "Country", "Enterprise", NULL};
    const char *const *words = kind == CT_GEO_DB_ASN ? asn_words : city_words;

    if (type == NULL)
        return false;
    if (strcmp(type, "city ipv4") == 0 || strcmp(type, "city ipv6") == 0) {
        *layout = SCHEMA_FLAT;
        *vendor = "DB-IP";
        *fits = kind == CT_GEO_DB_CITY;
        return true;
    }
    if (g_str_has_prefix(type, "GeoLite2-") || g_str_has_prefix(type, "GeoIP2-"))
        *vendor = "MaxMind";
    else if (g_str_has_prefix(type, "DBIP-"))
        *vendor = "DB-IP";
    else
        return false;
    *layout = SCHEMA_GEOIP2;
    *fits = false;
    for (size_t i = 0; words[i] != NULL; i++)
        *fits |= strstr(type, words[i]) != NULL;
    return true;
}

static void
file_id_of(const struct stat *st, file_id *id)
{
    memset(id, 0, sizeof *id);
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->size = st->st_size;
    id->mtime = st->st_mtim;
}

/* Open one file as a MaxMind DB, with the checks every path gets. */
static bool
open_file(const char *path, db_file *file, GError **error)
{
    struct stat st;
    int rc;

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
    rc = MMDB_open(path, MMDB_MODE_MMAP, &file->db);
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
    file->open = true;
    file->path = g_strdup(path);
    file_id_of(&st, &file->id);
    return true;
}

static void
close_file(db_file *file)
{
    if (file->open)
        MMDB_close(&file->db);
    file->open = false;
    g_clear_pointer(&file->path, g_free);
}

/* The type is text from the file: at most 64 bytes of it, valid UTF-8. */
static char *
type_text(const MMDB_s *db)
{
    const char *raw = db->metadata.database_type ? db->metadata.database_type : "(none)";

    return g_utf8_make_valid(raw, (gssize)strnlen(raw, 64));
}

/* The other file of a flat pair: "...ipv4..." <-> "...ipv6..." in the
 * file's name; NULL when the name has neither. */
static char *
sibling_path(const char *path)
{
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    char *at = strstr(base, "ipv4"), *result = NULL;

    if (at == NULL)
        at = strstr(base, "ipv6");
    if (at != NULL) {
        at[3] = at[3] == '4' ? '6' : '4';
        result = g_build_filename(dir, base, NULL);
    }
    g_free(dir);
    g_free(base);
    return result;
}

/* Open path (and, for the flat layout, its sibling) into src; false with
 * error set when path is not a database of kind. */
static bool
files_open(geo_source *src, ct_geo_db kind, const char *path, GError **error)
{
    static const char *const kind_names[] = {"ASN", "City/Country"};
    db_file first = {0};
    const char *vendor;
    schema layout;
    bool fits;
    char *type;

    if (!open_file(path, &first, error))
        return false;
    type = type_text(&first.db);
    if (!known_type(kind, first.db.metadata.database_type, &layout, &vendor, &fits)) {
        g_set_error(error, CT_ERROR, CT_ERR_WRONG_SCHEMA,
                    "%s: database type \"%s\" is not one CamTrace reads (GeoLite2, GeoIP2, "
                    "DB-IP lite, ip-location-db's DB-IP City)",
                    path, type);
        goto fail;
    }
    if (!fits) {
        g_set_error(error, CT_ERROR, CT_ERR_WRONG_SCHEMA,
                    "%s: database type \"%s\" is not an %s database", path, type, kind_names[kind]);
        goto fail;
    }
    src->layout = layout;
    src->type = type;
    src->vendor = vendor;
    if (layout == SCHEMA_FLAT) {
        /* IPv4 data in file[0], IPv6 data in file[1], whichever was given. */
        int slot = first.db.metadata.ip_version == 6 ? 1 : 0;
        char *other = sibling_path(path);
        db_file second = {0};

        src->file[slot].open = true;
        src->file[slot].db = first.db;
        src->file[slot].path = first.path;
        src->file[slot].id = first.id;
        if (other != NULL && g_file_test(other, G_FILE_TEST_EXISTS) &&
            open_file(other, &second, NULL)) {
            if (second.db.metadata.ip_version == (slot ? 4 : 6) &&
                g_strcmp0(second.db.metadata.database_type, slot ? "city ipv4" : "city ipv6") ==
                    0) {
                src->file[1 - slot].open = true;
                src->file[1 - slot].db = second.db;
                src->file[1 - slot].path = second.path;
                src->file[1 - slot].id = second.id;
            } else {
                close_file(&second);
            }
        }
        g_free(other);
    } else {
        src->file[0].open = true;
        src->file[0].db = first.db;
        src->file[0].path = first.path;
        src->file[0].id = first.id;
    }
    return true;

fail:
    g_free(type);
    close_file(&first);
    return false;
}

bool
ct_geo_open(ct_geo *geo, ct_geo_db kind, const char *path, GError **error)
{
    g_return_val_if_fail(geo != NULL && path != NULL, false);
    ct_geo_close(geo, kind);
    return files_open(&geo->src[kind], kind, path, error);
}

bool
ct_geo_changed(const ct_geo *geo, ct_geo_db kind)
{
    for (int f = 0; f < 2; f++) {
        const db_file *file = &geo->src[kind].file[f];
        struct stat st;
        file_id now;

        if (!file->open)
            continue;
        if (stat(file->path, &st) != 0)
            return true;
        file_id_of(&st, &now);
        if (memcmp(&now, &file->id, sizeof now) != 0)
            return true;
    }
    return false;
}

bool
ct_geo_reload(ct_geo *geo, ct_geo_db kind, GError **error)
{
    geo_source *src = &geo->src[kind];
    geo_source fresh;
    const char *path = src->file[0].open ? src->file[0].path : src->file[1].path;
    bool ok;

    g_return_val_if_fail(ct_geo_is_open(geo, kind), false);
    memset(&fresh, 0, sizeof fresh);
    for (int f = 0; f < 2; f++)
        fresh.file[f].records = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    ok = files_open(&fresh, kind, path, error);
    if (ok) {
        geo_source old = *src;
        *src = fresh;
        fresh = old;
    }
    files_close(&fresh);
    for (int f = 0; f < 2; f++)
        g_hash_table_destroy(fresh.file[f].records);
    return ok;
}

bool
ct_geo_source_info(const ct_geo *geo, ct_geo_db kind, ct_geo_source *out)
{
    const geo_source *src = &geo->src[kind];
    const db_file *first = src->file[0].open ? &src->file[0] : &src->file[1];

    if (!ct_geo_is_open(geo, kind))
        return false;
    out->path = first->path;
    out->path2 = src->file[0].open && src->file[1].open ? src->file[1].path : NULL;
    out->type = src->type;
    out->vendor = src->vendor;
    out->build_epoch = (int64_t)first->db.metadata.build_epoch;
    return true;
}

char *
ct_geo_source_text(const ct_geo_source *info)
{
    GDateTime *t = info->build_epoch > 0 ? g_date_time_new_from_unix_utc(info->build_epoch) : NULL;
    char *date = t ? g_date_time_format(t, "%Y-%m-%d") : NULL;
    char *text = date ? g_strdup_printf("%s built %s", info->type, date) : g_strdup(info->type);

    if (t != NULL)
        g_date_time_unref(t);
    g_free(date);
    return text;
}

int64_t
ct_geo_source_age_days(const ct_geo_source *info, int64_t now)
{
    if (info->build_epoch <= 0)
        return -1;
    return now > info->build_epoch ? (now - info->build_epoch) / 86400 : 0;
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

/* Most distinct records remembered per file before the cache starts over
 * (the largest databases have a few hundred thousand). */
#define CT_GEO_MAX_RECORDS (1024u * 1024)

typedef void (*fill_fn)(ct_geo *, MMDB_entry_s *, ct_geo_info *);

/* The decoded record at entry of file, from the cache or decoded by
 * fill() and remembered. */
static const ct_geo_info *
record_at(ct_geo *geo, db_file *file, MMDB_entry_s *entry, fill_fn fill)
{
    GHashTable *records = file->records;
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

static bool
get_true(MMDB_entry_s *entry, const char *const *path)
{
    MMDB_entry_data_s data;

    return get_value(entry, &data, path) && data.type == MMDB_DATA_TYPE_BOOLEAN && data.boolean;
}

static void
fill_location(MMDB_entry_s *entry, const char *const *lat, const char *const *lon,
              ct_geo_info *info)
{
    info->has_location =
        get_double(entry, lat, &info->latitude) && get_double(entry, lon, &info->longitude);
    if (!info->has_location)
        info->latitude = info->longitude = 0.0;
}

/* The GeoIP2 layout (MaxMind, DB-IP lite). */
static void
fill_city(ct_geo *geo, MMDB_entry_s *entry, ct_geo_info *info)
{
    static const char *const iso[] = {"country", "iso_code", NULL};
    static const char *const name[] = {"country", "names", "en", NULL};
    static const char *const reg_iso[] = {"registered_country", "iso_code", NULL};
    static const char *const anycast[] = {"traits", "is_anycast", NULL};
    static const char *const city[] = {"city", "names", "en", NULL};
    static const char *const lat[] = {"location", "latitude", NULL};
    static const char *const lon[] = {"location", "longitude", NULL};
    static const char *const accuracy[] = {"location", "accuracy_radius", NULL};
    uint32_t radius;

    info->country_iso = get_string(geo, entry, iso);
    info->country = get_string(geo, entry, name);
    info->registered_country_iso = get_string(geo, entry, reg_iso);
    info->anycast = get_true(entry, anycast);
    info->region = last_subdivision(geo, entry);
    info->city = get_string(geo, entry, city);
    fill_location(entry, lat, lon, info);
    if (get_uint(entry, accuracy, &radius))
        info->accuracy_km = (uint16_t)MIN(radius, G_MAXUINT16);
}

/* ip-location-db's flat DB-IP City layout: no country names, no
 * registration, no accuracy; state2 is the more specific subdivision. */
static void
fill_flat_city(ct_geo *geo, MMDB_entry_s *entry, ct_geo_info *info)
{
    static const char *const iso[] = {"country_code", NULL};
    static const char *const state1[] = {"state1", NULL};
    static const char *const state2[] = {"state2", NULL};
    static const char *const city[] = {"city", NULL};
    static const char *const lat[] = {"latitude", NULL};
    static const char *const lon[] = {"longitude", NULL};

    info->country_iso = get_string(geo, entry, iso);
    info->region = get_string(geo, entry, state2);
    if (info->region == NULL)
        info->region = get_string(geo, entry, state1);
    info->city = get_string(geo, entry, city);
    fill_location(entry, lat, lon, info);
}

/* The record of addr in a source: the pair's file of addr's family. */
static const ct_geo_info *
lookup_source(ct_geo *geo, geo_source *src, const ct_addr *addr, fill_fn fill)
{
    db_file *file = &src->file[src->layout == SCHEMA_FLAT && addr->family == 6 ? 1 : 0];
    MMDB_entry_s entry;

    if (!file->open || !find_entry(&file->db, addr, &entry))
        return NULL;
    return record_at(geo, file, &entry, fill);
}

void
ct_geo_lookup(ct_geo *geo, const ct_addr *addr, ct_geo_info *info)
{
    ct_addr key = ct_addr_effective(addr);
    geo_source *city = &geo->src[CT_GEO_DB_CITY];
    const ct_geo_info *rec;

    memset(info, 0, sizeof *info);
    if ((rec = lookup_source(geo, &geo->src[CT_GEO_DB_ASN], &key, fill_asn)) != NULL) {
        info->asn = rec->asn;
        info->as_org = rec->as_org;
    }
    rec = lookup_source(geo, city, &key, city->layout == SCHEMA_FLAT ? fill_flat_city : fill_city);
    if (rec != NULL) {
        info->country_iso = rec->country_iso;
        info->country = rec->country;
        info->registered_country_iso = rec->registered_country_iso;
        info->region = rec->region;
        info->city = rec->city;
        info->latitude = rec->latitude;
        info->longitude = rec->longitude;
        info->has_location = rec->has_location;
        info->accuracy_km = rec->accuracy_km;
        info->anycast = rec->anycast;
    }
}
