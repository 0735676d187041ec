/* state.c - see state.h.
 *
 * Life cycle: Wireshark runs the init routine when a capture is opened
 * (also again for the same file, and between the two passes of nothing:
 * tshark -2 keeps one capture), the preference callback when a
 * preference changes, and the shutdown routine at exit.  A new capture
 * forgets every cached address, name and PTR answer and opens the
 * databases again, which also picks up files replaced on disk; a
 * preference change marks settings, databases and resolver to be settled
 * again on next use.
 *
 * Reverse DNS: a ct_ptr resolver thread answers PTR questions.  A packet
 * that is printed, filtered or read waits for the names it needs, up to
 * the timeout; the GUI's packet list never waits: a GLib timeout hands
 * names to Wireshark's host name table as they arrive, which makes the
 * list redraw (see refresh_names()).  Packets dissected without a tree
 * cannot tell whether their names will be shown: their addresses are
 * noted, and the first packet that wants names asks for them all.
 */
#include "state.h"

#include <epan/packet.h>

#include <string.h>

#include "ct_config.h"
#include "ct_netlist.h"

/* The addresses each per-address store holds at most, unless set: the
 * enricher (about 200 bytes an address), the PTR answers (about 150) and
 * the names (about 200); each keeps to it itself. */
#define DEFAULT_MAX_ADDRESSES CT_NAMES_MAX_ADDRESSES
G_STATIC_ASSERT(CT_NAMES_MAX_ADDRESSES == CT_PTR_MAX_ANSWERS);
/* Addresses noted for reverse DNS while no tree is built. */
#define MAX_NOTED (256u * 1024)
/* How often the GUI looks for new names. */
#define REFRESH_MS 250
/* How often the files of the databases in use are checked for
 * replacement. */
#define RELOAD_CHECK_US (2 * G_USEC_PER_SEC)

static struct {
    camtrace_prefs prefs;

    /* Settled from the preferences, environment and .env. */
    gboolean settings_dirty;
    gboolean enabled;
    char home_country[CT_HOME_CODE_SIZE]; /* "" when unset */
    ct_netlist *local_networks;
    guint max_addresses, max_flows;
    const char *max_flows_source;

    /* The databases, behind the enricher's cache (made with the bound in
     * force when they are opened). */
    gboolean databases_dirty;
    ct_enricher *enricher;
    guint enricher_max;
    char *last_warning[2]; /* per ct_geo_db: not repeated */
    gint64 next_reload_check;
    char *databases_text; /* camtrace_databases_text(), NULL when to be made */

    ct_names *names; /* NULL until used in a capture */

    /* Reverse DNS. */
    gboolean resolver_dirty;
    ct_ptr *resolver;
    char *resolver_servers; /* for messages */
    char *resolver_message; /* the last one said: not repeated */
    gboolean dead_warned;
    gboolean errors_warned; /* the resolver's failed system calls, said once */
    gboolean sync;          /* tshark: wait for names */
    GArray *noted;          /* ct_addr seen while no tree was built */
    GHashTable *noted_set;
    guint refresh_source; /* the GUI's timeout */
    guint found_cursor;
} st = {
    .prefs =
        {
            .enabled = CAMTRACE_ENABLED_AUTO,
            .asn_db = "",
            .city_db = "",
            .ptr = TRUE,
            .ptr_private = FALSE,
            .dns_servers = "",
            .ptr_timeout_ms = 2000,
            .ptr_concurrency = 256,
            .home_country = "",
            .local_networks = "",
            .names = TRUE,
        },
    .settings_dirty = TRUE,
    .enabled = TRUE,
    .databases_dirty = TRUE,
    .resolver_dirty = TRUE,
};

camtrace_prefs *
camtrace_prefs_storage(void)
{
    return &st.prefs;
}

gboolean
camtrace_ct_addr(const address *in, ct_addr *out)
{
    if (in->type == AT_IPv4 && in->len == 4)
        ct_addr_from_ipv4(out, in->data);
    else if (in->type == AT_IPv6 && in->len == 16)
        ct_addr_from_ipv6(out, in->data);
    else
        return FALSE;
    return TRUE;
}

/* ---- settings ---------------------------------------------------------- */

/* A setting: the preference when it is set, else variable from the
 * environment or .env (newly allocated, NULL when neither). */
static char *
setting(const char *pref, const char *variable)
{
    return pref != NULL && *pref != '\0' ? g_strdup(pref) : ct_config_get(variable, NULL, NULL);
}

static void
resolve_home_country(void)
{
    char *value = setting(st.prefs.home_country, "CAMTRACE_HOME_COUNTRY");
    GError *error = NULL;

    camtrace_problem_clear(CAMTRACE_PROBLEM_HOME_COUNTRY);
    if (!ct_home_parse(value, st.home_country, &error)) {
        camtrace_report(CAMTRACE_PROBLEM_HOME_COUNTRY, "%s; camtrace.foreign stays empty",
                        error->message);
        g_error_free(error);
    }
    g_free(value);
}

static void
resolve_local_networks(void)
{
    const char *pref = st.prefs.local_networks;
    char *value = setting(pref, "CAMTRACE_LOCAL_NETWORKS");
    GError *error = NULL;

    g_clear_pointer(&st.local_networks, ct_netlist_free);
    camtrace_problem_clear(CAMTRACE_PROBLEM_LOCAL_NETWORKS);
    st.local_networks = ct_netlist_parse(value, &error);
    if (st.local_networks == NULL) {
        camtrace_report(
            CAMTRACE_PROBLEM_LOCAL_NETWORKS,
            "local networks %s: %s; only private, link-local and unique-local addresses "
            "count as local devices",
            pref != NULL && *pref != '\0' ? "(preference camtrace.local_networks)"
                                          : "(CAMTRACE_LOCAL_NETWORKS)",
            error->message);
        g_error_free(error);
    }
    g_free(value);
}

/* One bound: the preference when set, else the variable from the
 * environment or .env, else fallback.  Sets *source to where it came
 * from; a bad variable is a problem, said once. */
static guint
resolve_bound(guint pref, const char *pref_name, const char *variable, guint fallback,
              const char **source, GString *bad)
{
    ct_source from;
    char *value;
    guint64 n = 0;

    if (pref != 0) {
        *source = pref_name;
        return pref;
    }
    *source = "default";
    value = ct_config_get(variable, NULL, &from);
    if (value == NULL)
        return fallback;
    if (!g_ascii_string_to_unsigned(value, 10, 1, G_MAXUINT32 - 1, &n, NULL)) {
        g_string_append_printf(bad, "%s%s=\"%s\": not a number from 1 to %u; %u is used",
                               bad->len > 0 ? "; " : "", variable, value, G_MAXUINT32 - 1,
                               fallback);
        n = fallback;
    } else {
        *source = from == CT_SOURCE_DOTENV ? (strcmp(variable, "CAMTRACE_MAX_FLOWS") == 0
                                                  ? "CAMTRACE_MAX_FLOWS in .env"
                                                  : "CAMTRACE_MAX_ADDRESSES in .env")
                                           : variable;
    }
    g_free(value);
    return (guint)n;
}

static void
resolve_bounds(void)
{
    GString *bad = g_string_new(NULL);
    const char *source;

    camtrace_problem_clear(CAMTRACE_PROBLEM_BOUNDS);
    st.max_addresses = resolve_bound(st.prefs.max_addresses, "preference camtrace.max_addresses",
                                     "CAMTRACE_MAX_ADDRESSES", DEFAULT_MAX_ADDRESSES, &source, bad);
    st.max_flows =
        resolve_bound(st.prefs.max_flows, "preference camtrace.max_flows", "CAMTRACE_MAX_FLOWS",
                      CT_FLOW_MAX_FLOWS, &st.max_flows_source, bad);
    if (bad->len > 0)
        camtrace_report(CAMTRACE_PROBLEM_BOUNDS, "%s", bad->str);
    g_string_free(bad, TRUE);
}

static void
settle(void)
{
    char *value;

    if (!st.settings_dirty)
        return;
    st.settings_dirty = FALSE;
    resolve_home_country();
    resolve_local_networks();
    resolve_bounds();
    camtrace_problem_clear(CAMTRACE_PROBLEM_ENABLED);
    st.enabled = st.prefs.enabled != CAMTRACE_ENABLED_OFF;
    if (st.prefs.enabled != CAMTRACE_ENABLED_AUTO)
        return;
    value = ct_config_get("ENRICH_IPS", NULL, NULL);
    if (value != NULL) {
        bool on;
        if (ct_config_parse_bool(value, &on))
            st.enabled = on;
        else
            camtrace_report(
                CAMTRACE_PROBLEM_ENABLED,
                "ENRICH_IPS=\"%s\": not a boolean (use 1/0, true/false); enrichment stays on",
                value);
    }
    g_free(value);
}

gboolean
camtrace_enabled(void)
{
    settle();
    return st.enabled;
}

guint
camtrace_max_addresses(void)
{
    settle();
    return st.max_addresses;
}

guint
camtrace_max_flows(void)
{
    settle();
    return st.max_flows;
}

const char *
camtrace_max_flows_source(void)
{
    settle();
    return st.max_flows_source;
}

gboolean
camtrace_names_on(void)
{
    return camtrace_enabled() && st.prefs.names;
}

gboolean
camtrace_in_tshark(void)
{
    return st.sync;
}

gboolean
camtrace_is_local(const ct_addr *addr)
{
    settle();
    return ct_scope_is_local(ct_addr_scope(addr)) || ct_netlist_contains(st.local_networks, addr);
}

const char *
camtrace_home_country(void)
{
    settle();
    return st.home_country[0] != '\0' ? st.home_country : NULL;
}

ct_foreign
camtrace_foreign(const ct_host *a, const ct_host *b)
{
    return ct_home_foreign(camtrace_home_country(), a, b);
}

void
camtrace_out_foreign(ct_out *out, const char *key, ct_foreign foreign)
{
    if (foreign == CT_FOREIGN_UNKNOWN)
        ct_out_null(out, key);
    else if (foreign == CT_FOREIGN_YES)
        ct_out_number(out, key, "true", 4);
    else
        ct_out_number(out, key, "false", 5);
}

void
camtrace_out_anycast(ct_out *out, const char *key, gboolean anycast)
{
    if (anycast)
        ct_out_number(out, key, "true", 4);
    else
        ct_out_null(out, key);
}

void
camtrace_out_close(ct_out *out, const char *what)
{
    GError *error = NULL;

    if (!ct_out_finish(out, &error)) {
        camtrace_warn("%s: %s", what, error->message);
        g_error_free(error);
    }
    ct_out_free(out);
}

/* ---- databases --------------------------------------------------------- */

G_STATIC_ASSERT((int)CAMTRACE_PROBLEM_ASN_DB == (int)CT_GEO_DB_ASN);
G_STATIC_ASSERT((int)CAMTRACE_PROBLEM_CITY_DB == (int)CT_GEO_DB_CITY);

static void
warn_once(ct_geo_db kind, const char *message)
{
    /* Re-resolving (new capture, preference apply) must not repeat a
     * warning the user has already seen for the same file and reason;
     * the capture shows it all the same. */
    camtrace_problem_set((camtrace_problem)kind, message);
    if (g_strcmp0(st.last_warning[kind], message) == 0)
        return;
    g_free(st.last_warning[kind]);
    st.last_warning[kind] = g_strdup(message);
    camtrace_warn("%s", message);
}

/* For the preferences dialog: the files in use, where each came from, and
 * the data folders searched.  A fixed buffer, because the dialog reads
 * the static text it was registered with whenever it opens. */
static char files_text[2048] = "Databases in use: none yet (they are opened with the first "
                               "capture).";
static char *file_in_use[2];

static void
update_files_text(void)
{
    char **dirs = ct_config_data_dirs(CAMTRACE_DATADIR);
    char *searched = g_strjoinv(", ", dirs);

    g_snprintf(files_text, sizeof files_text,
               "Databases in use: ASN %s; City %s. Data folders searched: %s.",
               file_in_use[0] ? file_in_use[0] : "none", file_in_use[1] ? file_in_use[1] : "none",
               searched);
    g_free(searched);
    g_strfreev(dirs);
}

const char *
camtrace_files_text(void)
{
    return files_text;
}

/* A database of kind is (again) in use: its old problem is gone, and an
 * old file is said once. */
static void
database_ready(ct_geo_db kind)
{
    ct_geo *geo = ct_enricher_geo(st.enricher);
    char *stale = ct_config_db_stale(geo, kind, g_get_real_time() / G_USEC_PER_SEC);

    camtrace_problem_clear((camtrace_problem)kind);
    /* A stale database opened again (a new capture, tshark -M's session
     * resets) is said once, as warn_once() means. */
    if (stale != NULL)
        warn_once(kind, stale);
    else
        g_clear_pointer(&st.last_warning[kind], g_free);
    g_free(stale);
}

static void
open_database(ct_geo_db kind, const char *pref_value)
{
    static const char *const how_to_set[] = {"the preference camtrace.asn_db or MAXMIND_ASN_DB",
                                             "the preference camtrace.city_db or MAXMIND_CITY_DB"};
    ct_geo *geo = ct_enricher_geo(st.enricher);
    ct_source source;
    GError *error = NULL;
    char *path = NULL;

    g_clear_pointer(&file_in_use[kind], g_free);
    if (ct_config_open_db(geo, kind, pref_value, how_to_set[kind], CAMTRACE_DATADIR, &path, &source,
                          &error)) {
        file_in_use[kind] =
            g_strdup_printf("%s (from the %s)", path,
                            source == CT_SOURCE_SEARCH ? "data folder" : ct_source_name(source));
        database_ready(kind);
    } else {
        warn_once(kind, error->message);
        g_error_free(error);
    }
    update_files_text();
    g_free(path);
}

/* A database file in use replaced on disk (geoipupdate renames a new one
 * over it): the new data for the packets that follow, the old cache
 * dropped; a broken replacement keeps the old data, said once.  Checked
 * at most every RELOAD_CHECK_US, never per packet. */
static void
check_replaced(void)
{
    ct_geo *geo = ct_enricher_geo(st.enricher);
    gint64 now = g_get_monotonic_time();
    gboolean reloaded = FALSE;

    if (now < st.next_reload_check)
        return;
    st.next_reload_check = now + RELOAD_CHECK_US;
    for (int kind = 0; kind < 2; kind++) {
        GError *error = NULL;
        char *msg;

        if (!ct_geo_is_open(geo, kind) || !ct_geo_changed(geo, kind))
            continue;
        if (ct_geo_reload(geo, kind, &error)) {
            reloaded = TRUE;
            database_ready(kind);
            continue;
        }
        msg = g_strdup_printf("%s database replaced by an unusable file: %s; the one opened "
                              "before stays in use",
                              ct_config_db_kind_name(kind), error->message);
        warn_once(kind, msg);
        g_free(msg);
        g_error_free(error);
    }
    if (reloaded) {
        ct_enricher_clear(st.enricher);
        g_clear_pointer(&st.databases_text, g_free);
    }
}

const char *
camtrace_databases_text(void)
{
    if (camtrace_enricher() == NULL)
        return "none (enrichment is off)";
    if (st.databases_text == NULL)
        st.databases_text = ct_config_databases_text(ct_enricher_geo(st.enricher));
    return st.databases_text;
}

ct_enricher *
camtrace_enricher(void)
{
    if (!camtrace_enabled())
        return NULL;
    if (st.databases_dirty) {
        st.databases_dirty = FALSE;
        if (st.enricher == NULL || st.enricher_max != camtrace_max_addresses()) {
            ct_enricher_free(st.enricher);
            st.enricher_max = camtrace_max_addresses();
            st.enricher = ct_enricher_new(st.enricher_max);
        }
        open_database(CT_GEO_DB_ASN, st.prefs.asn_db);
        open_database(CT_GEO_DB_CITY, st.prefs.city_db);
        ct_enricher_clear(st.enricher);
        g_clear_pointer(&st.databases_text, g_free);
        st.next_reload_check = g_get_monotonic_time() + RELOAD_CHECK_US;
    } else {
        check_replaced();
    }
    return st.enricher;
}

ct_names *
camtrace_names(void)
{
    if (st.names == NULL)
        st.names = ct_names_new(camtrace_max_addresses());
    return st.names;
}

ct_name
camtrace_ptr_as_name(const char *ptr_name)
{
    ct_name name = ct_names_intern(camtrace_names(), ptr_name);

    name.source = CT_NAME_PTR;
    return name;
}

/* ---- reverse DNS ------------------------------------------------------- */

gboolean
camtrace_ptr_wanted(ct_scope scope)
{
    if (!camtrace_enabled() || !st.prefs.ptr)
        return FALSE;
    if (scope == CT_SCOPE_GLOBAL)
        return TRUE;
    return st.prefs.ptr_private && ct_scope_is_local(scope);
}

/* GUI only: hand new names to Wireshark's host table.  That is the public
 * way to make the packet list redraw (host_name_lookup_process() reports
 * new resolved objects once a second), and it gives Wireshark's own
 * address columns the same names when network name resolution is on. */
static void
announce_name(const ct_addr *addr, const char *name, gpointer data _U_)
{
    if (addr->family == 4) {
        guint32 v4;
        memcpy(&v4, addr->bytes, 4);
        ct_ws_add_ipv4_name(v4, name);
    } else {
        ws_in6_addr v6;
        memcpy(v6.bytes, addr->bytes, 16);
        ct_ws_add_ipv6_name(&v6, name);
    }
}

/* The resolver's system calls failing: said once per resolver. */
static void
check_errors(void)
{
    ct_ptr_stats stats;

    if (st.errors_warned || st.resolver == NULL)
        return;
    ct_ptr_get_stats(st.resolver, &stats);
    if (stats.errors == 0)
        return;
    st.errors_warned = TRUE;
    camtrace_report(CAMTRACE_PROBLEM_RESOLVER,
                    "reverse DNS: %s failed: %s; PTR names may come late or not at all",
                    stats.error_call, g_strerror(stats.last_errno));
}

static gboolean
refresh_names(gpointer data _U_)
{
    if (st.resolver != NULL)
        ct_ptr_take_found(st.resolver, &st.found_cursor, announce_name, NULL);
    check_errors();
    return G_SOURCE_CONTINUE;
}

static void
say_once(const char *message)
{
    if (g_strcmp0(st.resolver_message, message) == 0)
        return;
    g_free(st.resolver_message);
    st.resolver_message = g_strdup(message);
    camtrace_warn("%s", message);
}

static ct_ptr *
resolver(void)
{
    ct_ptr_options opts;
    GError *error = NULL;
    const char *source;
    char *servers, *notice;

    if (!st.resolver_dirty)
        return st.resolver;
    st.resolver_dirty = FALSE;
    ct_ptr_free(st.resolver);
    st.resolver = NULL;
    st.found_cursor = 0;
    st.errors_warned = FALSE;
    camtrace_problem_clear(CAMTRACE_PROBLEM_RESOLVER);
    g_clear_pointer(&st.resolver_servers, g_free);

    if (st.prefs.dns_servers && *st.prefs.dns_servers) {
        servers = g_strdup(st.prefs.dns_servers);
        source = "preference camtrace.dns_servers";
    } else {
        ct_source from;
        servers = ct_config_get("DNS_RESOLVER", NULL, &from);
        source = from == CT_SOURCE_ENVIRONMENT ? "DNS_RESOLVER"
                 : from == CT_SOURCE_DOTENV    ? "DNS_RESOLVER in .env"
                                               : "resolv.conf";
    }
    opts.servers = servers;
    opts.timeout_ms = st.prefs.ptr_timeout_ms;
    opts.concurrency = st.prefs.ptr_concurrency;
    opts.max_answers = camtrace_max_addresses(); /* the resolver keeps to it itself */
    st.resolver = ct_ptr_new(&opts, &error);
    g_free(servers);
    if (st.resolver == NULL) {
        char *msg = g_strdup_printf("reverse DNS off: %s", error->message);
        say_once(msg);
        camtrace_problem_set(CAMTRACE_PROBLEM_RESOLVER, msg);
        g_free(msg);
        g_error_free(error);
        return NULL;
    }
    st.resolver_servers = g_strdup(ct_ptr_servers(st.resolver));
    /* The questions reveal the capture's addresses to these servers:
     * say so once, where it happens. */
    notice = g_strdup_printf("reverse DNS: asking %s (%s) for the names of the capture's "
                             "addresses; preference camtrace.ptr:FALSE turns it off",
                             st.resolver_servers, source);
    say_once(notice);
    g_free(notice);
    if (!st.sync && st.refresh_source == 0)
        st.refresh_source = g_timeout_add(REFRESH_MS, refresh_names, NULL);
    return st.resolver;
}

static void
forget_noted(void)
{
    g_clear_pointer(&st.noted_set, g_hash_table_destroy);
    if (st.noted != NULL) {
        g_array_free(st.noted, TRUE);
        st.noted = NULL;
    }
}

void
camtrace_ptr_note(const ct_addr *src, const ct_addr *dst)
{
    const ct_addr *both[2] = {src, dst};

    if (st.noted == NULL) {
        st.noted = g_array_new(FALSE, FALSE, sizeof(ct_addr));
        st.noted_set = g_hash_table_new_full(ct_addr_table_hash, ct_addr_table_equal, g_free, NULL);
    }
    for (int i = 0; i < 2; i++) {
        if (st.noted->len >= MAX_NOTED || !camtrace_ptr_wanted(ct_addr_scope(both[i])) ||
            g_hash_table_contains(st.noted_set, both[i]))
            continue;
        g_array_append_val(st.noted, *both[i]);
        g_hash_table_add(st.noted_set, g_memdup2(both[i], sizeof(ct_addr)));
    }
}

static void
check_dead(void)
{
    check_errors();
    if (!st.dead_warned && ct_ptr_resolver_dead(st.resolver)) {
        st.dead_warned = TRUE;
        camtrace_report(
            CAMTRACE_PROBLEM_RESOLVER,
            "reverse DNS: %s did not answer %d questions in a row; PTR names stay empty for "
            "the rest of this capture",
            st.resolver_servers, CT_PTR_DEAD_AFTER);
    }
}

void
camtrace_ptr_ask(const ct_addr *addr)
{
    ct_ptr *ptr;

    if (camtrace_ptr_wanted(ct_addr_scope(addr)) && (ptr = resolver()) != NULL)
        ct_ptr_request(ptr, addr);
}

void
camtrace_ptr_lookup(const ct_addr *const addrs[2], const gboolean wanted[2], gboolean wait,
                    camtrace_ptr_answer out[2])
{
    ct_addr wait_for[2];
    gboolean asked[2] = {FALSE, FALSE};
    size_t n = 0;
    ct_ptr *ptr;

    out[0].state = out[1].state = CT_PTR_UNKNOWN;
    if (!(wanted[0] || wanted[1]) || !camtrace_ptr_wanted(CT_SCOPE_GLOBAL) ||
        (ptr = resolver()) == NULL)
        return;
    /* The first packet that wants names asks for every noted address. */
    if (st.noted != NULL) {
        for (guint i = 0; i < st.noted->len; i++)
            ct_ptr_request(ptr, &g_array_index(st.noted, ct_addr, i));
        forget_noted();
    }
    for (int i = 0; i < 2; i++) {
        if (!wanted[i] || !camtrace_ptr_wanted(ct_addr_scope(addrs[i])))
            continue;
        asked[i] = TRUE;
        ct_ptr_request(ptr, addrs[i]);
        wait_for[n++] = *addrs[i];
    }
    if (n > 0 && wait) {
        /* c-ares gives up on each server after the timeout; allow for two
         * servers and scheduling before we give up ourselves. */
        ct_ptr_wait(ptr, wait_for, n, 2 * st.prefs.ptr_timeout_ms + 500);
        check_dead();
    }
    for (int i = 0; i < 2; i++) {
        if (asked[i])
            out[i].state = ct_ptr_get(ptr, addrs[i], out[i].name, &out[i].count);
    }
}

void
camtrace_ptr_settle(void)
{
    if (st.resolver == NULL || !st.prefs.ptr)
        return;
    /* As for one packet (see camtrace_ptr_lookup()): every question has
     * had its full timeout once this returns. */
    ct_ptr_wait_all(st.resolver, 2 * st.prefs.ptr_timeout_ms + 500);
    check_dead();
}

gboolean
camtrace_ptr_name(const ct_addr *addr, char name[CT_DNS_NAME_MAX + 1])
{
    return st.resolver != NULL && camtrace_ptr_wanted(ct_addr_scope(addr)) &&
           ct_ptr_get(st.resolver, addr, name, NULL) == CT_PTR_FOUND;
}

/* ---- life cycle -------------------------------------------------------- */

static void
state_init(void)
{
    /* One cache per capture; a new capture also picks up database files
     * that were replaced on disk since the last one. */
    if (st.enricher != NULL)
        ct_enricher_clear(st.enricher);
    st.databases_dirty = TRUE;
    if (st.resolver != NULL)
        ct_ptr_clear(st.resolver);
    st.found_cursor = 0;
    st.dead_warned = FALSE;
    camtrace_problems_new_capture();
    forget_noted();
    /* Made again on first use, with the bound in force then. */
    g_clear_pointer(&st.names, ct_names_free);
}

void
camtrace_state_prefs_changed(void)
{
    st.settings_dirty = TRUE;
    st.databases_dirty = TRUE;
    st.resolver_dirty = TRUE;
}

static void
state_shutdown(void)
{
    if (st.refresh_source != 0) {
        g_source_remove(st.refresh_source);
        st.refresh_source = 0;
    }
    ct_ptr_free(st.resolver);
    st.resolver = NULL;
    forget_noted();
    g_clear_pointer(&st.resolver_servers, g_free);
    g_clear_pointer(&st.resolver_message, g_free);
    ct_enricher_free(st.enricher);
    st.enricher = NULL;
    ct_names_free(st.names);
    g_clear_pointer(&st.local_networks, ct_netlist_free);
    st.names = NULL;
    for (int i = 0; i < 2; i++)
        g_clear_pointer(&st.last_warning[i], g_free);
    g_clear_pointer(&st.databases_text, g_free);
    camtrace_problems_clear_all();
    for (int i = 0; i < 2; i++)
        g_clear_pointer(&file_in_use[i], g_free);
}

void
camtrace_state_register(void)
{
    st.sync = g_strcmp0(g_get_prgname(), "tshark") == 0;
    register_init_routine(state_init);
    register_shutdown_routine(state_shutdown);
}
