/* Unit tests for ct_config: .env parsing and the precedence of settings. */
#include <glib.h>
#include <glib/gstdio.h>

#include "ct_config.h"

typedef struct {
    const char *contents;
    const char *key;
    const char *expected;
} dotenv_case;

static void
test_dotenv_parse(void)
{
    static const dotenv_case cases[] = {
        {"MAXMIND_ASN_DB=/a.mmdb\n", "MAXMIND_ASN_DB", "/a.mmdb"},
        {"  MAXMIND_ASN_DB = /a.mmdb  \n", "MAXMIND_ASN_DB", "/a.mmdb"},
        {"export MAXMIND_ASN_DB=/a.mmdb", "MAXMIND_ASN_DB", "/a.mmdb"},
        {"MAXMIND_ASN_DB=\"/with space.mmdb\"", "MAXMIND_ASN_DB", "/with space.mmdb"},
        {"MAXMIND_ASN_DB='/q.mmdb'", "MAXMIND_ASN_DB", "/q.mmdb"},
        {"MAXMIND_ASN_DB=/a.mmdb # comment", "MAXMIND_ASN_DB", "/a.mmdb"},
        {"# MAXMIND_ASN_DB=/commented\n", "MAXMIND_ASN_DB", NULL},
        {"MAXMIND_ASN_DB=/first\nMAXMIND_ASN_DB=/last\n", "MAXMIND_ASN_DB", "/last"},
        {"MAXMIND_ASN_DB_OLD=/x\n", "MAXMIND_ASN_DB", NULL},
        {"MAXMIND_ASN_DB=\n", "MAXMIND_ASN_DB", NULL},
        {"MAXMIND_ASN_DB=/crlf.mmdb\r\nX=1\r\n", "MAXMIND_ASN_DB", "/crlf.mmdb"},
        {"garbage line\nENRICH_IPS=0\n", "ENRICH_IPS", "0"},
        {"", "ENRICH_IPS", NULL},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *got = ct_dotenv_parse(cases[i].contents, cases[i].key);
        g_assert_cmpstr(got, ==, cases[i].expected);
        g_free(got);
    }
    g_assert_null(ct_dotenv_parse(NULL, "X"));
}

static void
test_parse_bool(void)
{
    bool v = false;

    g_assert_true(ct_config_parse_bool("1", &v) && v);
    g_assert_true(ct_config_parse_bool("TRUE", &v) && v);
    g_assert_true(ct_config_parse_bool("yes", &v) && v);
    g_assert_true(ct_config_parse_bool("0", &v) && !v);
    g_assert_true(ct_config_parse_bool("Off", &v) && !v);
    v = true;
    g_assert_false(ct_config_parse_bool("maybe", &v));
    g_assert_true(v);
    g_assert_false(ct_config_parse_bool(NULL, &v));
}

typedef struct {
    char *dir;
    char *dotenv;
    char *search_dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    f->dir = g_dir_make_tmp("ct-config-XXXXXX", NULL);
    f->dotenv = g_build_filename(f->dir, ".env", NULL);
    f->search_dir = g_build_filename(f->dir, "GeoIP", NULL);
    g_mkdir(f->search_dir, 0755);
    g_unsetenv("MAXMIND_ASN_DB");
    g_unsetenv("MAXMIND_CITY_DB");
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    char *found = g_build_filename(f->search_dir, "GeoLite2-ASN.mmdb", NULL);
    g_unlink(found);
    g_free(found);
    g_unlink(f->dotenv);
    g_rmdir(f->search_dir);
    g_rmdir(f->dir);
    g_free(f->dotenv);
    g_free(f->search_dir);
    g_free(f->dir);
    g_unsetenv("MAXMIND_ASN_DB");
}

static void
test_precedence(Fixture *f, gconstpointer data)
{
    const char *dirs[] = {f->search_dir, NULL};
    char *searched = g_build_filename(f->search_dir, "GeoLite2-ASN.mmdb", NULL);
    ct_source source;
    char *path;

    (void)data;
    /* Nothing anywhere. */
    path = ct_config_db_path(CT_GEO_DB_ASN, NULL, f->dotenv, dirs, &source);
    g_assert_null(path);
    g_assert_cmpint(source, ==, CT_SOURCE_NONE);

    /* Search finds the usual file name. */
    g_assert_true(g_file_set_contents(searched, "x", 1, NULL));
    path = ct_config_db_path(CT_GEO_DB_ASN, "", f->dotenv, dirs, &source);
    g_assert_cmpstr(path, ==, searched);
    g_assert_cmpint(source, ==, CT_SOURCE_SEARCH);
    g_free(path);

    /* .env beats the search. */
    g_assert_true(g_file_set_contents(f->dotenv, "MAXMIND_ASN_DB=/from/dotenv.mmdb\n", -1, NULL));
    path = ct_config_db_path(CT_GEO_DB_ASN, NULL, f->dotenv, dirs, &source);
    g_assert_cmpstr(path, ==, "/from/dotenv.mmdb");
    g_assert_cmpint(source, ==, CT_SOURCE_DOTENV);
    g_free(path);

    /* The environment beats .env. */
    g_setenv("MAXMIND_ASN_DB", "/from/env.mmdb", TRUE);
    path = ct_config_db_path(CT_GEO_DB_ASN, NULL, f->dotenv, dirs, &source);
    g_assert_cmpstr(path, ==, "/from/env.mmdb");
    g_assert_cmpint(source, ==, CT_SOURCE_ENVIRONMENT);
    g_free(path);

    /* An empty environment value counts as unset. */
    g_setenv("MAXMIND_ASN_DB", "", TRUE);
    path = ct_config_db_path(CT_GEO_DB_ASN, NULL, f->dotenv, dirs, &source);
    g_assert_cmpint(source, ==, CT_SOURCE_DOTENV);
    g_free(path);

    /* The preference beats everything. */
    g_setenv("MAXMIND_ASN_DB", "/from/env.mmdb", TRUE);
    path = ct_config_db_path(CT_GEO_DB_ASN, "/from/pref.mmdb", f->dotenv, dirs, &source);
    g_assert_cmpstr(path, ==, "/from/pref.mmdb");
    g_assert_cmpint(source, ==, CT_SOURCE_PREFERENCE);
    g_free(path);

    /* The City kind reads its own variable only. */
    path = ct_config_db_path(CT_GEO_DB_CITY, NULL, f->dotenv, dirs, &source);
    g_assert_null(path);
    g_free(searched);
}

/* Without CAMTRACE_DATA_PATH: the user's folder, the install's, then the
 * two GeoIP folders; with it: its entries only, in order. */
static void
test_data_dirs(void)
{
    char *user = g_build_filename(g_get_user_data_dir(), "camtrace", NULL);
    const char *const defaults[] = {user, "/opt/ct/share/camtrace", "/usr/share/GeoIP",
                                    "/var/lib/GeoIP", NULL};
    const char *const given[] = {"/a", "/b c", NULL};
    char **dirs;

    g_unsetenv("CAMTRACE_DATA_PATH");
    dirs = ct_config_data_dirs("/opt/ct/share/camtrace");
    g_assert_true(g_strv_equal((const char *const *)dirs, defaults));
    g_strfreev(dirs);

    g_setenv("CAMTRACE_DATA_PATH", "/a::/b c:", TRUE);
    dirs = ct_config_data_dirs("/opt/ct/share/camtrace");
    g_assert_true(g_strv_equal((const char *const *)dirs, given));
    g_strfreev(dirs);

    /* Empty counts as unset. */
    g_setenv("CAMTRACE_DATA_PATH", "", TRUE);
    dirs = ct_config_data_dirs("/opt/ct/share/camtrace");
    g_assert_true(g_strv_equal((const char *const *)dirs, defaults));
    g_strfreev(dirs);
    g_unsetenv("CAMTRACE_DATA_PATH");
    g_free(user);
}

static void
test_source_names(void)
{
    g_assert_cmpstr(ct_source_name(CT_SOURCE_ENVIRONMENT), ==, "environment");
    g_assert_cmpstr(ct_source_name(CT_SOURCE_DOTENV), ==, ".env");
    g_assert_cmpstr(ct_source_name(CT_SOURCE_PREFERENCE), ==, "preference");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Settings from preferences, environment, .env and search");
    g_test_add_func("/config/dotenv-parse", test_dotenv_parse);
    g_test_add_func("/config/parse-bool", test_parse_bool);
    g_test_add_func("/config/source-names", test_source_names);
    g_test_add_func("/config/data-dirs", test_data_dirs);
    g_test_add("/config/precedence", Fixture, NULL, fixture_setup, test_precedence,
               fixture_teardown);
    return g_test_run();
}
