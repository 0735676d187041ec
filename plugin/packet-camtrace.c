/* packet-camtrace.c - the CamTrace post-dissector: epan adapter only.
 *
 * For the innermost IP header pair of each packet, adds generated items
 * under a "CamTrace" tree: the address scope of each side and, for global
 * addresses, ASN and location from MaxMind databases.  All enrichment
 * lives in core/; this file maps it onto fields, preferences and the
 * dissection life cycle.
 *
 * Cost model: nothing at all happens unless a tree exists and a camtrace
 * field (or the protocol) is referenced or the tree is shown, so plain
 * `tshark -r` and exports that ask for other fields pay one check per
 * packet.  Lookups go through the core cache, so each distinct address is
 * looked up once per capture; databases are opened lazily on first use,
 * which also keeps `tshark -G` free of file access and warnings.
 *
 * Which header pair: pinfo->net_src/net_dst as the post-dissector sees
 * them, i.e. the innermost IP header (inner header of a tunnel).  Headers
 * quoted inside ICMP errors do not count: epan dissects them with
 * pinfo->flags.in_error_pkt set, and call_dissector_work_error() in
 * epan/packet.c restores the carrier's addresses afterwards.  The golden
 * tests check this on ICMP and ICMPv6 errors.
 */
#define WS_LOG_DOMAIN "camtrace"

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>

#include <string.h>

#include "camtrace.h"
#include "ct_addr.h"
#include "ct_config.h"
#include "ct_enrich.h"

typedef struct {
    int summary, scope, asn, as_org, country_iso, country, region, city, lat, lon, accuracy;
} side_fields;

enum { ENABLED_AUTO, ENABLED_ON, ENABLED_OFF };

/* Distinct addresses remembered per capture before the cache starts over
 * (about 200 bytes each). */
#define CT_MAX_HOSTS (2u * 1024 * 1024)

static int proto_camtrace = -1;
static side_fields hf_src = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static side_fields hf_dst = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static int hf_asn = -1;
static int hf_as_org = -1;
static int hf_country_iso = -1;
static int hf_country = -1;
static int hf_city = -1;

static gint ett_camtrace = -1;
static gint ett_side = -1;

static gint pref_enabled = ENABLED_AUTO;
static const char *pref_asn_db = "";
static const char *pref_city_db = "";

/* Settings resolved from preferences, environment, .env and search. */
static gboolean settings_dirty = TRUE;
static gboolean databases_dirty = TRUE;
static gboolean enabled = TRUE;
static ct_enricher *enricher;
static char *open_path[2];
static char *last_warning[2];

static void
warn_once(ct_geo_db kind, const char *message)
{
    /* Re-resolving (new capture, preference apply) must not repeat a
     * warning the user has already seen for the same file and reason. */
    if (g_strcmp0(last_warning[kind], message) == 0)
        return;
    g_free(last_warning[kind]);
    last_warning[kind] = g_strdup(message);
    ws_warning("%s", message);
}

static void
resolve_settings(void)
{
    char *value;

    settings_dirty = FALSE;
    enabled = pref_enabled != ENABLED_OFF;
    if (pref_enabled != ENABLED_AUTO)
        return;
    value = ct_config_get("ENRICH_IPS", NULL, NULL);
    if (value != NULL) {
        bool on;
        if (ct_config_parse_bool(value, &on))
            enabled = on;
        else
            ws_warning("ENRICH_IPS=\"%s\" is not a boolean (use 1/0, true/false); "
                       "enrichment stays on",
                       value);
    }
    g_free(value);
}

static void
open_database(ct_geo_db kind, const char *pref_value)
{
    static const char *const kind_name[] = {"ASN", "City"};
    static const char *const variable[] = {"MAXMIND_ASN_DB", "MAXMIND_CITY_DB"};
    static const char *const pref_name[] = {"camtrace.asn_db", "camtrace.city_db"};
    char *user_dir = g_build_filename(g_get_user_data_dir(), "camtrace", NULL);
    const char *dirs[] = {user_dir, CAMTRACE_DATADIR, "/usr/share/GeoIP", "/var/lib/GeoIP",
                          NULL};
    ct_geo *geo = ct_enricher_geo(enricher);
    ct_source source;
    char *path = ct_config_db_path(kind, pref_value, NULL, dirs, &source);
    GError *error = NULL;

    if (path == NULL) {
        char *searched = g_strjoinv(", ", (char **)dirs);
        char *msg = g_strdup_printf("no %s database: set the preference %s or %s, or put one "
                                    "in one of: %s",
                                    kind_name[kind], pref_name[kind], variable[kind], searched);
        ct_geo_close(geo, kind);
        g_clear_pointer(&open_path[kind], g_free);
        warn_once(kind, msg);
        g_free(msg);
        g_free(searched);
    } else if (g_strcmp0(path, open_path[kind]) == 0 && ct_geo_is_open(geo, kind)) {
        /* Same file: keep the mapping and the cache. */
    } else if (ct_geo_open(geo, kind, path, &error)) {
        g_free(open_path[kind]);
        open_path[kind] = g_strdup(path);
        g_clear_pointer(&last_warning[kind], g_free);
    } else {
        char *msg = g_strdup_printf("%s database from %s unusable: %s", kind_name[kind],
                                    ct_source_name(source), error->message);
        g_clear_pointer(&open_path[kind], g_free);
        warn_once(kind, msg);
        g_free(msg);
        g_error_free(error);
    }
    g_free(path);
    g_free(user_dir);
}

static void
ensure_databases(void)
{
    if (!databases_dirty)
        return;
    databases_dirty = FALSE;
    open_database(CT_GEO_DB_ASN, pref_asn_db);
    open_database(CT_GEO_DB_CITY, pref_city_db);
    ct_enricher_clear(enricher);
}

static gboolean
to_ct_addr(const address *in, ct_addr *out)
{
    if (in->type == AT_IPv4 && in->len == 4)
        ct_addr_from_ipv4(out, in->data);
    else if (in->type == AT_IPv6 && in->len == 16)
        ct_addr_from_ipv6(out, in->data);
    else
        return FALSE;
    return TRUE;
}

static gboolean
packet_addresses(packet_info *pinfo, ct_addr *src, ct_addr *dst)
{
    return to_ct_addr(&pinfo->net_src, src) && to_ct_addr(&pinfo->net_dst, dst) &&
           src->family == dst->family;
}

static void
add_string(proto_tree *tree, int hf, int alias, tvbuff_t *tvb, const char *value)
{
    proto_item *it;

    if (value == NULL)
        return;
    it = proto_tree_add_string(tree, hf, tvb, 0, 0, value);
    proto_item_set_generated(it);
    if (alias >= 0) {
        it = proto_tree_add_string(tree, alias, tvb, 0, 0, value);
        proto_item_set_generated(it);
        proto_item_set_hidden(it);
    }
}

static void
add_side(proto_tree *tree, tvbuff_t *tvb, const side_fields *hf, const ct_addr *addr)
{
    const ct_host *host = ct_enricher_host(enricher, addr);
    const ct_geo_info *geo = &host->geo;
    proto_item *it;
    proto_tree *st;

    /* The summary heads the side's subtree; as a field its label is only
     * formatted when the tree is printed. */
    it = proto_tree_add_string(tree, hf->summary, tvb, 0, 0, host->summary);
    proto_item_set_generated(it);
    st = proto_item_add_subtree(it, ett_side);

    add_string(st, hf->scope, -1, tvb, ct_scope_name(host->scope));
    if (geo->asn != 0) {
        it = proto_tree_add_uint(st, hf->asn, tvb, 0, 0, geo->asn);
        proto_item_set_generated(it);
        it = proto_tree_add_uint(st, hf_asn, tvb, 0, 0, geo->asn);
        proto_item_set_generated(it);
        proto_item_set_hidden(it);
    }
    add_string(st, hf->as_org, hf_as_org, tvb, geo->as_org);
    add_string(st, hf->country_iso, hf_country_iso, tvb, geo->country_iso);
    add_string(st, hf->country, hf_country, tvb, geo->country);
    add_string(st, hf->region, -1, tvb, geo->region);
    add_string(st, hf->city, hf_city, tvb, geo->city);
    if (geo->has_location) {
        it = proto_tree_add_double(st, hf->lat, tvb, 0, 0, geo->latitude);
        proto_item_set_generated(it);
        it = proto_tree_add_double(st, hf->lon, tvb, 0, 0, geo->longitude);
        proto_item_set_generated(it);
    }
    if (geo->accuracy_km != 0) {
        it = proto_tree_add_uint(st, hf->accuracy, tvb, 0, 0, geo->accuracy_km);
        proto_item_set_generated(it);
    }
}

/* proto_field_is_referenced() also says yes to every protocol whenever a
 * display filter is active (fake_protocols off), which would make any -Y
 * pay for enrichment.  We want: the tree is shown, or one of our fields (or
 * the protocol itself) is in a filter, column or -e list. */
static gboolean
camtrace_wanted(proto_tree *tree)
{
    return PTREE_DATA(tree)->visible ||
           proto_registrar_get_nth(proto_camtrace)->ref_type != HF_REF_TYPE_NONE;
}

static int
dissect_camtrace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    ct_addr src, dst;
    proto_item *ti;
    proto_tree *ct_tree;

    if (tree == NULL || !camtrace_wanted(tree))
        return 0;
    if (settings_dirty)
        resolve_settings();
    if (!enabled || !packet_addresses(pinfo, &src, &dst))
        return 0;
    ensure_databases();
    ct_enricher_trim(enricher, CT_MAX_HOSTS);

    ti = proto_tree_add_item(tree, proto_camtrace, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    ct_tree = proto_item_add_subtree(ti, ett_camtrace);
    add_side(ct_tree, tvb, &hf_src, &src);
    add_side(ct_tree, tvb, &hf_dst, &dst);
    return tvb_captured_length(tvb);
}

static void
camtrace_init(void)
{
    /* One cache per capture; a new capture also picks up database files
     * that were replaced on disk since the last one. */
    ct_enricher_clear(enricher);
    g_clear_pointer(&open_path[CT_GEO_DB_ASN], g_free);
    g_clear_pointer(&open_path[CT_GEO_DB_CITY], g_free);
    databases_dirty = TRUE;
}

static void
camtrace_prefs_apply(void)
{
    settings_dirty = TRUE;
    databases_dirty = TRUE;
}

static void
camtrace_shutdown(void)
{
    ct_enricher_free(enricher);
    enricher = NULL;
    for (int i = 0; i < 2; i++) {
        g_clear_pointer(&open_path[i], g_free);
        g_clear_pointer(&last_warning[i], g_free);
    }
}

/* The per-side fields differ only in names; one table row per field keeps
 * the source and destination definitions from drifting apart. */
// clang-format off
#define SIDE_FIELDS(var, side, Side, word)                                                \
    { &var.summary, { Side, "camtrace." side ".summary", FT_STRING, BASE_NONE, NULL,\
        0x0, "The " word " address with its scope, AS and location", HFILL } },    \
    { &var.scope, { Side " scope", "camtrace." side ".scope", FT_STRING, BASE_NONE,  \
        NULL, 0x0, "IANA special-purpose scope of the " word " address", HFILL } },  \
    { &var.asn, { Side " ASN", "camtrace." side ".asn", FT_UINT32, BASE_DEC,          \
        NULL, 0x0, "Autonomous system number of the " word " address", HFILL } },    \
    { &var.as_org, { Side " AS organization", "camtrace." side ".as_org", FT_STRING,  \
        BASE_NONE, NULL, 0x0, "Organization of the " word " autonomous system",     \
        HFILL } },                                                                    \
    { &var.country_iso, { Side " country code", "camtrace." side ".country_iso",     \
        FT_STRING, BASE_NONE, NULL, 0x0,                                              \
        "ISO 3166-1 alpha-2 country code of the " word " address", HFILL } },        \
    { &var.country, { Side " country", "camtrace." side ".country", FT_STRING,       \
        BASE_NONE, NULL, 0x0, "Country of the " word " address (English)", HFILL } },\
    { &var.region, { Side " region", "camtrace." side ".region", FT_STRING,          \
        BASE_NONE, NULL, 0x0,                                                         \
        "Most specific subdivision of the " word " address (English)", HFILL } },    \
    { &var.city, { Side " city", "camtrace." side ".city", FT_STRING, BASE_NONE,     \
        NULL, 0x0, "City of the " word " address (English)", HFILL } },              \
    { &var.lat, { Side " latitude", "camtrace." side ".lat", FT_DOUBLE, BASE_NONE,   \
        NULL, 0x0, "Approximate latitude of the " word " address", HFILL } },        \
    { &var.lon, { Side " longitude", "camtrace." side ".lon", FT_DOUBLE, BASE_NONE,  \
        NULL, 0x0, "Approximate longitude of the " word " address", HFILL } },       \
    { &var.accuracy, { Side " accuracy (km)", "camtrace." side ".accuracy_km",       \
        FT_UINT16, BASE_DEC, NULL, 0x0,                                               \
        "Radius around the " word " location that the address is within", HFILL } }
// clang-format on

void
proto_register_camtrace(void)
{
    static hf_register_info hf[] = {
        SIDE_FIELDS(hf_src, "src", "Source", "source"),
        SIDE_FIELDS(hf_dst, "dst", "Destination", "destination"),
        {&hf_asn,
         {"ASN", "camtrace.asn", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Autonomous system number of the source or destination address", HFILL}},
        {&hf_as_org,
         {"AS organization", "camtrace.as_org", FT_STRING, BASE_NONE, NULL, 0x0,
          "AS organization of the source or destination address", HFILL}},
        {&hf_country_iso,
         {"Country code", "camtrace.country_iso", FT_STRING, BASE_NONE, NULL, 0x0,
          "ISO country code of the source or destination address", HFILL}},
        {&hf_country,
         {"Country", "camtrace.country", FT_STRING, BASE_NONE, NULL, 0x0,
          "Country of the source or destination address", HFILL}},
        {&hf_city,
         {"City", "camtrace.city", FT_STRING, BASE_NONE, NULL, 0x0,
          "City of the source or destination address", HFILL}},
    };
    static gint *ett[] = {&ett_camtrace, &ett_side};
    static const enum_val_t enabled_vals[] = {
        {"auto", "From ENRICH_IPS (on when unset)", ENABLED_AUTO},
        {"TRUE", "On", ENABLED_ON},
        {"FALSE", "Off", ENABLED_OFF},
        {NULL, NULL, 0},
    };
    module_t *module;

    proto_camtrace = proto_register_protocol("CamTrace IP enrichment", "CamTrace", "camtrace");
    proto_register_field_array(proto_camtrace, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));

    module = prefs_register_protocol(proto_camtrace, camtrace_prefs_apply);
    prefs_register_enum_preference(
        module, "enabled", "Enrich packets",
        "Add CamTrace fields to IP packets. \"auto\" follows the ENRICH_IPS environment "
        "variable or .env entry and is on when that is unset.",
        &pref_enabled, enabled_vals, FALSE);
    prefs_register_filename_preference(
        module, "asn_db", "ASN database",
        "MaxMind DB file with autonomous system data (GeoLite2-ASN). Empty: MAXMIND_ASN_DB "
        "from the environment or .env, then GeoLite2-ASN.mmdb in the CamTrace data folder, "
        "/usr/share/GeoIP or /var/lib/GeoIP.",
        &pref_asn_db, FALSE);
    prefs_register_filename_preference(
        module, "city_db", "City database",
        "MaxMind DB file with location data (GeoLite2-City or -Country, DB-IP lite). Empty: "
        "MAXMIND_CITY_DB from the environment or .env, then GeoLite2-City.mmdb in the "
        "CamTrace data folder, /usr/share/GeoIP or /var/lib/GeoIP.",
        &pref_city_db, FALSE);

    enricher = ct_enricher_new();
    register_postdissector(create_dissector_handle(dissect_camtrace, proto_camtrace));
    register_init_routine(camtrace_init);
    register_shutdown_routine(camtrace_shutdown);
}
