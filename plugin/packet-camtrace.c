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
 * Which header pair: pinfo->net_src/net_dst hold the innermost IP header
 * dissected, which for ICMP errors is the header *quoted* in the message
 * (another packet, other direction).  When an IP layer follows an ICMP
 * layer we recover the header that carries the ICMP message from the
 * frame bytes (core/ct_packet.c), and add nothing if that fails.
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
#include "ct_geo.h"
#include "ct_packet.h"

typedef struct {
    int scope, asn, as_org, country_iso, country, region, city, lat, lon, accuracy;
} side_fields;

enum { ENABLED_AUTO, ENABLED_ON, ENABLED_OFF };

static int proto_camtrace = -1;
static side_fields hf_src = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static side_fields hf_dst = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static int hf_asn = -1;
static int hf_as_org = -1;
static int hf_country_iso = -1;
static int hf_country = -1;
static int hf_city = -1;

static gint ett_camtrace = -1;
static gint ett_side = -1;

static int proto_ip = -1;
static int proto_ipv6 = -1;
static int proto_icmp = -1;
static int proto_icmpv6 = -1;

static gint pref_enabled = ENABLED_AUTO;
static const char *pref_asn_db = "";
static const char *pref_city_db = "";

/* Settings resolved from preferences, environment, .env and search. */
static gboolean settings_dirty = TRUE;
static gboolean databases_dirty = TRUE;
static gboolean enabled = TRUE;
static ct_geo *geo;
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
has_quoted_header(packet_info *pinfo)
{
    gboolean in_icmp = FALSE;

    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f != NULL;
         f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_icmp || id == proto_icmpv6)
            in_icmp = TRUE;
        else if (in_icmp && (id == proto_ip || id == proto_ipv6))
            return TRUE;
    }
    return FALSE;
}

static gboolean
packet_addresses(tvbuff_t *tvb, packet_info *pinfo, ct_addr *src, ct_addr *dst)
{
    ct_addr qsrc, qdst;
    guint len;

    if (!to_ct_addr(&pinfo->net_src, src) || !to_ct_addr(&pinfo->net_dst, dst) ||
        src->family != dst->family)
        return FALSE;
    if (!has_quoted_header(pinfo))
        return TRUE;
    qsrc = *src;
    qdst = *dst;
    len = tvb_captured_length(tvb);
    return ct_packet_icmp_carrier(tvb_get_ptr(tvb, 0, len), len, &qsrc, &qdst, src, dst);
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
add_side(proto_tree *tree, tvbuff_t *tvb, const side_fields *hf, const char *label,
         const ct_addr *addr)
{
    ct_scope scope = ct_addr_scope(addr);
    ct_geo_info info;
    proto_tree *st = tree;
    proto_item *it;

    memset(&info, 0, sizeof info);
    if (scope == CT_SCOPE_GLOBAL)
        ct_geo_lookup(geo, addr, &info);

    if (PTREE_DATA(tree)->visible) {
        /* Only a displayed tree needs the summary line. */
        char text[CT_ADDR_STRLEN], eff_text[CT_ADDR_STRLEN];
        ct_addr eff = ct_addr_effective(addr);
        GString *line = g_string_new(NULL);

        ct_addr_format(addr, text);
        g_string_printf(line, "%s: %s", label, text);
        if (!ct_addr_equal(&eff, addr)) {
            ct_addr_format(&eff, eff_text);
            g_string_append_printf(line, " (IPv4 %s)", eff_text);
        }
        g_string_append_printf(line, ", %s", ct_scope_name(scope));
        if (info.asn != 0)
            g_string_append_printf(line, ", AS%u", info.asn);
        if (info.as_org != NULL)
            g_string_append_printf(line, " %s", info.as_org);
        if (info.city != NULL)
            g_string_append_printf(line, ", %s", info.city);
        if (info.country != NULL)
            g_string_append_printf(line, ", %s", info.country);
        st = proto_tree_add_subtree(tree, tvb, 0, 0, ett_side, NULL, line->str);
        g_string_free(line, TRUE);
    }

    add_string(st, hf->scope, -1, tvb, ct_scope_name(scope));
    if (info.asn != 0) {
        it = proto_tree_add_uint(st, hf->asn, tvb, 0, 0, info.asn);
        proto_item_set_generated(it);
        it = proto_tree_add_uint(st, hf_asn, tvb, 0, 0, info.asn);
        proto_item_set_generated(it);
        proto_item_set_hidden(it);
    }
    add_string(st, hf->as_org, hf_as_org, tvb, info.as_org);
    add_string(st, hf->country_iso, hf_country_iso, tvb, info.country_iso);
    add_string(st, hf->country, hf_country, tvb, info.country);
    add_string(st, hf->region, -1, tvb, info.region);
    add_string(st, hf->city, hf_city, tvb, info.city);
    if (info.has_location) {
        it = proto_tree_add_double(st, hf->lat, tvb, 0, 0, info.latitude);
        proto_item_set_generated(it);
        it = proto_tree_add_double(st, hf->lon, tvb, 0, 0, info.longitude);
        proto_item_set_generated(it);
    }
    if (info.accuracy_km != 0) {
        it = proto_tree_add_uint(st, hf->accuracy, tvb, 0, 0, info.accuracy_km);
        proto_item_set_generated(it);
    }
}

static int
dissect_camtrace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    ct_addr src, dst;
    proto_item *ti;
    proto_tree *ct_tree;

    if (tree == NULL || !proto_field_is_referenced(tree, proto_camtrace))
        return 0;
    if (settings_dirty)
        resolve_settings();
    if (!enabled || !packet_addresses(tvb, pinfo, &src, &dst))
        return 0;
    ensure_databases();

    ti = proto_tree_add_item(tree, proto_camtrace, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    ct_tree = proto_item_add_subtree(ti, ett_camtrace);
    add_side(ct_tree, tvb, &hf_src, "Source", &src);
    add_side(ct_tree, tvb, &hf_dst, "Destination", &dst);
    return tvb_captured_length(tvb);
}

static void
camtrace_init(void)
{
    /* One cache per capture; a new capture also picks up database files
     * that were replaced on disk since the last one. */
    ct_geo_clear_cache(geo);
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
    ct_geo_free(geo);
    geo = NULL;
    for (int i = 0; i < 2; i++) {
        g_clear_pointer(&open_path[i], g_free);
        g_clear_pointer(&last_warning[i], g_free);
    }
}

/* The per-side fields differ only in names; one table row per field keeps
 * the source and destination definitions from drifting apart. */
// clang-format off
#define SIDE_FIELDS(var, side, Side, word)                                                \
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

    geo = ct_geo_new();
    register_postdissector(create_dissector_handle(dissect_camtrace, proto_camtrace));
    register_init_routine(camtrace_init);
    register_shutdown_routine(camtrace_shutdown);
}

void
proto_reg_handoff_camtrace(void)
{
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
}
