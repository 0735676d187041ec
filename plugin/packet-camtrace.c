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
 * Reverse DNS: a ct_ptr resolver thread answers PTR questions.  tshark
 * ("sync" mode) waits for the names a packet needs, up to the timeout; the
 * GUI never waits: names show once they arrive (see refresh_names()).  In
 * tshark's first pass of -2 no tree is built: packets ask without waiting
 * when PTR fields are printed, else record their addresses for the first
 * packet that wants names (ask_ahead()), so the second pass finds them
 * answered or in flight.
 *
 * Names from the capture (see ct_names.h): DNS answers, ClientHello server
 * names and HTTP Host headers are read from fields that epan builds for us
 * (set_postdissector_wanted_hfids(), in the GUI and in tshark runs that
 * use CamTrace), in each packet's first dissection only.  The name a
 * packet's server got from its own conversation is kept with Wireshark's
 * conversation, so it covers the whole conversation when packets are seen
 * again (tshark -2, the GUI), and the conversation's last frame tells how
 * far a name learned later reaches back.
 *
 * Which header pair: pinfo->net_src/net_dst as the post-dissector sees
 * them, i.e. the innermost IP header (inner header of a tunnel).  Headers
 * quoted inside ICMP errors do not count: epan dissects them with
 * pinfo->flags.in_error_pkt set, and call_dissector_work_error() in
 * epan/packet.c restores the carrier's addresses afterwards.  The golden
 * tests check this on ICMP and ICMPv6 errors.
 */

#include <wireshark.h>
#include <epan/addr_resolv.h>
#include <epan/column.h>
#include <epan/conversation.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>

#include <string.h>

#include "camtrace.h"
#include "printed-fields.h"
#include "ws-compat.h"
#include "ct_addr.h"
#include "ct_config.h"
#include "ct_enrich.h"
#include "ct_names.h"
#include "ct_ptr.h"

typedef struct {
    int summary, scope, name, name_source, domain, ptr, asn, as_org, country_iso, country, region,
        city, lat, lon, accuracy;
} side_fields;

enum { ENABLED_AUTO, ENABLED_ON, ENABLED_OFF };

/* Addresses recorded for reverse DNS while no tree is built. */
#define CT_MAX_RECORDED (256u * 1024)
/* How often the GUI looks for new names. */
#define CT_REFRESH_MS 250

static int proto_camtrace = -1;
static side_fields hf_src = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static side_fields hf_dst = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static int hf_name = -1;
static int hf_domain = -1;
static int hf_foreign = -1;
static int hf_ptr = -1;
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
static ct_ws_pref_bool pref_ptr = TRUE;
static ct_ws_pref_bool pref_ptr_private = FALSE;
static const char *pref_dns_servers = "";
static guint pref_ptr_timeout_ms = 2000;
static guint pref_ptr_concurrency = 256;
static const char *pref_home_country = "";
static ct_ws_pref_bool pref_names = TRUE;

/* Settings resolved from preferences, environment, .env and search. */
static gboolean settings_dirty = TRUE;
static gboolean databases_dirty = TRUE;
static gboolean enabled = TRUE;
static ct_enricher *enricher;
static char *open_path[2];
static char *last_warning[2];
static char home_country[3]; /* "" when unset */

/* Names learned from the capture (DNS answers, ClientHellos, HTTP Host),
 * and the fields they come from, which epan must build even in trees
 * nobody sees (set_postdissector_wanted_hfids()). */
static dissector_handle_t camtrace_handle;
static ct_names *capture_names;
static int proto_dns = -1;
static int hf_sni = -1;
static int hf_http_host = -1;

/* What a conversation taught about its server: the first ClientHello
 * server name or HTTP Host, kept with the conversation (file scope). */
typedef struct {
    ct_addr server;
    ct_name name;
} own_name;

/* Reverse DNS state. */
static gboolean resolver_dirty = TRUE;
static ct_ptr *resolver;
static char *resolver_servers; /* as configured, for messages */
static char *resolver_warning;
static gboolean dead_warned;
static gboolean sync_dns; /* tshark: wait for names */
static GArray *recorded;  /* ct_addr seen while no tree was built */
static GHashTable *recorded_set;
static guint refresh_source;
static guint found_cursor;

/* Which of our fields will be seen, checked for every field of every
 * packet, so kept in plain arrays indexed from our first field's id
 * (proto_register_field_array() numbers one protocol's fields
 * consecutively).  printed[] comes from tshark's -e list when it has one
 * (printed_known); ref_type tells about filters and columns. */
#define CT_MAX_FIELDS 64
static int hf_first = -1;
static header_field_info *field_info_of[CT_MAX_FIELDS];
static gboolean printed[CT_MAX_FIELDS];
static gboolean printed_known;
static gboolean any_printed;
static gboolean printed_ptr; /* a PTR or name field is in tshark's -e list */
static gboolean fields_checked;
static gboolean two_pass; /* tshark -2: a packet not yet visited is in pass 1 */
static gboolean show_all; /* this packet: a visible tree with no -e list */

void
camtrace_warn(const char *format, ...)
{
    va_list args;
    char *message;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    fprintf(stderr, "camtrace: %s\n", message);
    g_free(message);
}

static void
warn_once(ct_geo_db kind, const char *message)
{
    /* Re-resolving (new capture, preference apply) must not repeat a
     * warning the user has already seen for the same file and reason. */
    if (g_strcmp0(last_warning[kind], message) == 0)
        return;
    g_free(last_warning[kind]);
    last_warning[kind] = g_strdup(message);
    camtrace_warn("%s", message);
}

static void
resolve_home_country(void)
{
    char *value = pref_home_country && *pref_home_country
                      ? g_strdup(pref_home_country)
                      : ct_config_get("CAMTRACE_HOME_COUNTRY", NULL, NULL);
    char *code = value ? g_strstrip(value) : NULL;

    home_country[0] = '\0';
    if (code != NULL && *code != '\0') {
        if (strlen(code) == 2 && g_ascii_isalpha(code[0]) && g_ascii_isalpha(code[1])) {
            home_country[0] = g_ascii_toupper(code[0]);
            home_country[1] = g_ascii_toupper(code[1]);
            home_country[2] = '\0';
        } else {
            camtrace_warn("home country \"%s\": not an ISO 3166-1 alpha-2 code (such as DE or "
                          "US); camtrace.foreign stays empty",
                          code);
        }
    }
    g_free(value);
}

static void
resolve_settings(void)
{
    char *value;

    settings_dirty = FALSE;
    resolve_home_country();
    enabled = pref_enabled != ENABLED_OFF;
    if (pref_enabled != ENABLED_AUTO)
        return;
    value = ct_config_get("ENRICH_IPS", NULL, NULL);
    if (value != NULL) {
        bool on;
        if (ct_config_parse_bool(value, &on))
            enabled = on;
        else
            camtrace_warn("ENRICH_IPS=\"%s\": not a boolean (use 1/0, true/false); "
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
    char **dirs = ct_config_data_dirs(CAMTRACE_DATADIR);
    ct_geo *geo = ct_enricher_geo(enricher);
    ct_source source;
    char *path = ct_config_db_path(kind, pref_value, NULL, (const char *const *)dirs, &source);
    GError *error = NULL;

    if (path == NULL) {
        char *searched = g_strjoinv(", ", dirs);
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
    g_strfreev(dirs);
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
ptr_wanted(ct_scope scope)
{
    if (scope == CT_SCOPE_GLOBAL)
        return TRUE;
    return pref_ptr_private && ct_scope_is_local(scope);
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

static gboolean
refresh_names(gpointer data _U_)
{
    if (resolver != NULL)
        ct_ptr_take_found(resolver, &found_cursor, announce_name, NULL);
    return G_SOURCE_CONTINUE;
}

static void
warn_resolver(const char *message)
{
    if (g_strcmp0(resolver_warning, message) == 0)
        return;
    g_free(resolver_warning);
    resolver_warning = g_strdup(message);
    camtrace_warn("%s", message);
}

static ct_ptr *
ensure_resolver(void)
{
    ct_ptr_options opts;
    GError *error = NULL;
    const char *source;
    char *servers, *notice;

    if (!resolver_dirty)
        return resolver;
    resolver_dirty = FALSE;
    ct_ptr_free(resolver);
    resolver = NULL;
    found_cursor = 0;
    g_clear_pointer(&resolver_servers, g_free);

    if (pref_dns_servers && *pref_dns_servers) {
        servers = g_strdup(pref_dns_servers);
        source = "preference camtrace.dns_servers";
    } else {
        ct_source from;
        servers = ct_config_get("DNS_RESOLVER", NULL, &from);
        source = from == CT_SOURCE_ENVIRONMENT ? "DNS_RESOLVER"
                 : from == CT_SOURCE_DOTENV    ? "DNS_RESOLVER in .env"
                                               : "resolv.conf";
    }
    opts.servers = servers;
    opts.timeout_ms = pref_ptr_timeout_ms;
    opts.concurrency = pref_ptr_concurrency;
    resolver = ct_ptr_new(&opts, &error);
    if (resolver == NULL) {
        char *msg = g_strdup_printf("reverse DNS off: %s", error->message);
        warn_resolver(msg);
        g_free(msg);
        g_error_free(error);
        g_free(servers);
        return NULL;
    }
    g_free(servers);
    resolver_servers = g_strdup(ct_ptr_servers(resolver));
    /* The questions reveal the capture's addresses to these servers:
     * say so once, where it happens. */
    notice = g_strdup_printf("reverse DNS: asking %s (%s) for the names of the capture's "
                             "addresses; preference camtrace.ptr:FALSE turns it off",
                             resolver_servers, source);
    warn_resolver(notice);
    g_free(notice);
    if (!sync_dns && refresh_source == 0)
        refresh_source = g_timeout_add(CT_REFRESH_MS, refresh_names, NULL);
    return resolver;
}

/* No tree: remember which addresses will want names (tshark only). */
static void
record_addresses(const ct_addr *src, const ct_addr *dst)
{
    const ct_addr *both[2] = {src, dst};

    if (recorded == NULL) {
        recorded = g_array_new(FALSE, FALSE, sizeof(ct_addr));
        recorded_set = g_hash_table_new_full(ct_addr_table_hash, ct_addr_table_equal, g_free, NULL);
    }
    for (int i = 0; i < 2; i++) {
        if (recorded->len >= CT_MAX_RECORDED || !ptr_wanted(ct_addr_scope(both[i])) ||
            g_hash_table_contains(recorded_set, both[i]))
            continue;
        g_array_append_val(recorded, *both[i]);
        g_hash_table_add(recorded_set, g_memdup2(both[i], sizeof(ct_addr)));
    }
}

static void
forget_recorded(void)
{
    g_clear_pointer(&recorded_set, g_hash_table_destroy);
    if (recorded != NULL) {
        g_array_free(recorded, TRUE);
        recorded = NULL;
    }
}

/* No tree yet (tshark's first pass of -2, or a run that prints no tree):
 * when tshark's -e list prints PTR names, ask now without waiting, so the
 * answers are in by the second pass; otherwise only note the addresses,
 * for the first packet that turns out to want names. */
static void find_printed_fields(void);

static void
ask_ahead(const ct_addr *src, const ct_addr *dst)
{
    ct_ptr *ptr;

    if (!fields_checked)
        find_printed_fields();
    if (!printed_ptr || (ptr = ensure_resolver()) == NULL) {
        record_addresses(src, dst);
        return;
    }
    if (ptr_wanted(ct_addr_scope(src)))
        ct_ptr_request(ptr, src);
    if (ptr_wanted(ct_addr_scope(dst)))
        ct_ptr_request(ptr, dst);
}

/* The first packet that wants names asks for every recorded address. */
static void
flush_recorded(ct_ptr *ptr)
{
    if (recorded == NULL)
        return;
    for (guint i = 0; i < recorded->len; i++)
        ct_ptr_request(ptr, &g_array_index(recorded, ct_addr, i));
    forget_recorded();
}

static void
check_dead(void)
{
    if (!dead_warned && ct_ptr_resolver_dead(resolver)) {
        dead_warned = TRUE;
        camtrace_warn("reverse DNS: %s did not answer %d questions in a row; PTR names stay "
                      "empty for the rest of this capture",
                      resolver_servers, CT_PTR_DEAD_AFTER);
    }
}

gboolean
camtrace_to_ct_addr(const address *in, ct_addr *out)
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
    return camtrace_to_ct_addr(&pinfo->net_src, src) && camtrace_to_ct_addr(&pinfo->net_dst, dst) &&
           src->family == dst->family;
}

static gboolean
is_printed(int hf)
{
    guint i = (guint)(hf - hf_first);

    return i < CT_MAX_FIELDS && printed[i];
}

static void
find_printed_fields(void)
{
    GPtrArray *args = camtrace_tshark_args();
    GHashTable *names =
        args ? camtrace_printed_fields_from_args((int)args->len, (char **)args->pdata) : NULL;
    void *cookie = NULL;

    fields_checked = TRUE;
    for (header_field_info *hfi = proto_get_first_protocol_field(proto_camtrace, &cookie);
         hfi != NULL; hfi = proto_get_next_protocol_field(proto_camtrace, &cookie)) {
        if (hf_first < 0 || hfi->id < hf_first)
            hf_first = hfi->id;
    }
    cookie = NULL;
    for (header_field_info *hfi = proto_get_first_protocol_field(proto_camtrace, &cookie);
         hfi != NULL; hfi = proto_get_next_protocol_field(proto_camtrace, &cookie)) {
        guint i = (guint)(hfi->id - hf_first);
        if (i >= CT_MAX_FIELDS)
            continue;
        field_info_of[i] = hfi;
        printed[i] = names != NULL && g_hash_table_contains(names, hfi->abbrev);
        any_printed |= printed[i];
    }
    printed_known = names != NULL;
    if (args != NULL) {
        two_pass = camtrace_two_pass_from_args((int)args->len, (char **)args->pdata);
        g_ptr_array_free(args, TRUE);
    }
    printed_ptr = is_printed(hf_src.ptr) || is_printed(hf_dst.ptr) || is_printed(hf_ptr) ||
                  is_printed(hf_src.name) || is_printed(hf_dst.name) || is_printed(hf_name);
    if (names != NULL)
        g_hash_table_destroy(names);
}

/* Is this field going to be seen: printed, filtered on, or in a column? */
static gboolean
want(int hf)
{
    guint i = (guint)(hf - hf_first);

    if (show_all)
        return TRUE;
    return i < CT_MAX_FIELDS && field_info_of[i] != NULL &&
           (printed[i] || field_info_of[i]->ref_type != HF_REF_TYPE_NONE);
}

/* proto_field_is_referenced() also says yes to every protocol whenever a
 * display filter is active (fake_protocols off), which would make any -Y
 * pay for enrichment.  We want: the tree is shown, or one of our fields (or
 * the protocol itself) is in a filter, column or printed field list.  In
 * tshark's first pass of -2 nothing is printed (the tree exists for the
 * name sources, or for filters): only filters count, and nothing waits
 * for names (first_pass). */
static gboolean first_pass;

static gboolean
camtrace_wanted(packet_info *pinfo, proto_tree *tree)
{
    gboolean filtered = proto_registrar_get_nth(proto_camtrace)->ref_type != HF_REF_TYPE_NONE;

    if (!fields_checked)
        find_printed_fields();
    first_pass = two_pass && !pinfo->fd->visited;
    if (first_pass) {
        show_all = FALSE;
        return filtered;
    }
    show_all = PTREE_DATA(tree)->visible && !printed_known;
    return show_all || any_printed || filtered;
}

/* Reverse DNS of one side, as far as it is known now. */
typedef struct {
    ct_ptr_state state;
    unsigned count;
    char name[CT_DNS_NAME_MAX + 1];
} side_ptr;

/* Returns the item of hf, or NULL when hf is not wanted. */
static proto_item *
add_string(proto_tree *tree, int hf, int alias, tvbuff_t *tvb, const char *value)
{
    proto_item *it = NULL;

    if (value == NULL)
        return NULL;
    if (want(hf)) {
        it = proto_tree_add_string(tree, hf, tvb, 0, 0, value);
        proto_item_set_generated(it);
    }
    if (alias >= 0 && want(alias)) {
        proto_item *hidden = proto_tree_add_string(tree, alias, tvb, 0, 0, value);
        proto_item_set_generated(hidden);
        proto_item_set_hidden(hidden);
    }
    return it;
}

static void
add_uint(proto_tree *tree, int hf, int alias, tvbuff_t *tvb, guint32 value)
{
    proto_item *it;

    if (want(hf)) {
        it = proto_tree_add_uint(tree, hf, tvb, 0, 0, value);
        proto_item_set_generated(it);
    }
    if (alias >= 0 && want(alias)) {
        it = proto_tree_add_uint(tree, alias, tvb, 0, 0, value);
        proto_item_set_generated(it);
        proto_item_set_hidden(it);
    }
}

static void
add_double(proto_tree *tree, int hf, tvbuff_t *tvb, double value)
{
    if (want(hf))
        proto_item_set_generated(proto_tree_add_double(tree, hf, tvb, 0, 0, value));
}

static void
add_side(proto_tree *tree, tvbuff_t *tvb, const side_fields *hf, const ct_host *host,
         const ct_name *name, const side_ptr *ptr)
{
    const ct_geo_info *geo = &host->geo;
    proto_tree *st = tree;

    /* The summary heads the side's subtree; as a field its label is only
     * formatted when the tree is printed. */
    if (want(hf->summary)) {
        proto_item *it = proto_tree_add_string(tree, hf->summary, tvb, 0, 0,
                                               ct_enricher_summary(enricher, host));
        proto_item_set_generated(it);
        st = proto_item_add_subtree(it, ett_side);
    }
    add_string(st, hf->scope, -1, tvb, ct_scope_name(host->scope));
    if (name->source != CT_NAME_NONE) {
        proto_item *it = add_string(st, hf->name, hf_name, tvb, name->name);
        if (it != NULL && name->source != CT_NAME_PTR)
            proto_item_append_text(it, " (%s, frame %u)", ct_name_source_label(name->source),
                                   name->frame);
        add_string(st, hf->name_source, -1, tvb, ct_name_source_label(name->source));
        add_string(st, hf->domain, hf_domain, tvb, name->domain);
    }
    if (ptr->state == CT_PTR_FOUND) {
        proto_item *it = add_string(st, hf->ptr, hf_ptr, tvb, ptr->name);
        if (it != NULL && ptr->count > 1)
            proto_item_append_text(it, " (first of %u PTR records)", ptr->count);
    }
    if (geo->asn != 0)
        add_uint(st, hf->asn, hf_asn, tvb, geo->asn);
    add_string(st, hf->as_org, hf_as_org, tvb, geo->as_org);
    add_string(st, hf->country_iso, hf_country_iso, tvb, geo->country_iso);
    add_string(st, hf->country, hf_country, tvb, geo->country);
    add_string(st, hf->region, -1, tvb, geo->region);
    add_string(st, hf->city, hf_city, tvb, geo->city);
    if (geo->has_location) {
        add_double(st, hf->lat, tvb, geo->latitude);
        add_double(st, hf->lon, tvb, geo->longitude);
    }
    if (geo->accuracy_km != 0)
        add_uint(st, hf->accuracy, -1, tvb, geo->accuracy_km);
}

/* Learning names.  Only in a packet's first dissection: later ones
 * (tshark's second pass, the GUI's clicks) find them learned. */

static void
learn_dns_address(const ct_addr *addr, const char *qname, void *data)
{
    const packet_info *pinfo = data;

    ct_names_learn(capture_names, addr, pinfo->num, CT_NAME_DNS, qname);
}

static void
learn_dns(packet_info *pinfo, proto_tree *tree)
{
    GPtrArray *items = proto_get_finfo_ptr_array(tree, proto_dns);

    for (guint i = 0; items != NULL && i < items->len; i++) {
        const field_info *fi = g_ptr_array_index(items, i);
        gint start = fi->start, length = fi->length;
        /* Over TCP the message follows a two-byte length. */
        if (pinfo->ptype == PT_TCP) {
            start += 2;
            length -= 2;
        }
        if (fi->ds_tvb == NULL || length <= 0 || !tvb_bytes_exist(fi->ds_tvb, start, length))
            continue;
        ct_dns_parse_addresses(tvb_get_ptr(fi->ds_tvb, start, length), (size_t)length,
                               learn_dns_address, pinfo);
    }
}

/* The server name in a ClientHello or HTTP request: names the packet's
 * destination, in the address's history and as its conversation's own. */
static gboolean
learn_server_name(packet_info *pinfo, proto_tree *tree, int hf, ct_name_source source,
                  const ct_addr *server, ct_name *own)
{
    GPtrArray *items = hf >= 0 ? proto_get_finfo_ptr_array(tree, hf) : NULL;
    char clean[CT_DNS_NAME_MAX + 1];

    for (guint i = 0; items != NULL && i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        const char *text = ct_ws_field_string(fi);
        if (text == NULL || !ct_names_clean(source, text, strlen(text), clean))
            continue;
        ct_names_learn(capture_names, server, pinfo->num, source, clean);
        *own = ct_names_intern(capture_names, clean);
        own->source = source;
        own->frame = pinfo->num;
        return TRUE;
    }
    return FALSE;
}

/* This packet's conversation and what it taught about its server, looked
 * up once per packet, when first needed. */
typedef struct {
    gboolean known;
    conversation_t *conv;
    own_name *own;
} packet_conversation;

static conversation_t *
conversation_of(packet_info *pinfo, packet_conversation *pc)
{
    if (!pc->known) {
        pc->known = TRUE;
        pc->conv = find_conversation_pinfo(pinfo, 0);
        pc->own = pc->conv ? conversation_get_proto_data(pc->conv, proto_camtrace) : NULL;
    }
    return pc->conv;
}

static void
keep_own_name(packet_info *pinfo, packet_conversation *pc, const ct_addr *server,
              const ct_name *name)
{
    conversation_t *conv = conversation_of(pinfo, pc);

    if (conv == NULL || pc->own != NULL)
        return; /* the first one counts */
    pc->own = wmem_new(wmem_file_scope(), own_name);
    pc->own->server = *server;
    pc->own->name = *name;
    conversation_add_proto_data(conv, proto_camtrace, pc->own);
}

/* Learn what this packet says about names; returns TRUE with *own set when
 * it named its server.  Seen again (tshark's second pass), it names its
 * server still, for the flow exports that count in that pass. */
static gboolean
learn_names(packet_info *pinfo, packet_conversation *pc, proto_tree *tree, const ct_addr *dst,
            ct_name *own)
{
    if (!pref_names)
        return FALSE;
    if (pinfo->fd->visited) {
        if (!camtrace_flows_listening() || conversation_of(pinfo, pc) == NULL || pc->own == NULL ||
            pc->own->name.frame != pinfo->num)
            return FALSE;
        *own = pc->own->name;
        return TRUE;
    }
    if (tree == NULL)
        return FALSE;
    learn_dns(pinfo, tree);
    if (learn_server_name(pinfo, tree, hf_sni, CT_NAME_SNI, dst, own) ||
        learn_server_name(pinfo, tree, hf_http_host, CT_NAME_HTTP, dst, own)) {
        keep_own_name(pinfo, pc, dst, own);
        return TRUE;
    }
    return FALSE;
}

/* The capture's name for addr in this packet.  One pass: what the packet's
 * conversation said about its server up to here, else the address's name
 * as of this frame.  Seen again (tshark -2, the GUI): the conversation's
 * own name whenever it came, and a name learned later in the conversation
 * when there was none yet. */
static gboolean
capture_name(packet_info *pinfo, packet_conversation *pc, const ct_addr *addr, ct_name *out)
{
    conversation_t *conv;
    const own_name *own;
    gboolean again = pinfo->fd->visited;

    if (!pref_names)
        return FALSE;
    conv = conversation_of(pinfo, pc);
    own = pc->own;

    if (own != NULL && ct_addr_equal(&own->server, addr) &&
        (again || own->name.frame <= pinfo->num)) {
        *out = own->name;
        return TRUE;
    }
    if (ct_names_at(capture_names, addr, pinfo->num, out))
        return TRUE;
    return again && conv != NULL && conv->last_frame > pinfo->num &&
           ct_names_at(capture_names, addr, conv->last_frame, out);
}

/* A PTR name as the name of its address: interned, for its registered
 * domain. */
static ct_name
ptr_as_name(const char *ptr_name)
{
    ct_name name = ct_names_intern(capture_names, ptr_name);

    name.source = CT_NAME_PTR;
    return name;
}

gboolean
camtrace_flow_name(const ct_addr *addr, const ct_name *own, guint32 first_frame, guint32 last_frame,
                   ct_name *out)
{
    char ptr_name[CT_DNS_NAME_MAX + 1];

    if (own != NULL && own->source != CT_NAME_NONE) {
        *out = *own;
        return TRUE;
    }
    if (ct_names_at(capture_names, addr, first_frame, out) ||
        ct_names_at(capture_names, addr, last_frame, out))
        return TRUE;
    if (camtrace_ptr_name(addr, ptr_name)) {
        *out = ptr_as_name(ptr_name);
        return TRUE;
    }
    out->source = CT_NAME_NONE;
    return FALSE;
}

const char *
camtrace_home_country(void)
{
    if (settings_dirty)
        resolve_settings();
    return home_country[0] != '\0' ? home_country : NULL;
}

int
camtrace_foreign(const ct_host *a, const ct_host *b)
{
    const ct_host *hosts[2] = {a, b};
    const char *home = camtrace_home_country();
    int foreign = -1;

    if (home == NULL)
        return -1;
    for (int i = 0; i < 2; i++) {
        const char *iso = hosts[i] ? hosts[i]->geo.country_iso : NULL;
        if (hosts[i] == NULL || hosts[i]->scope != CT_SCOPE_GLOBAL || iso == NULL)
            continue;
        if (strcmp(iso, home) != 0)
            return 1;
        foreign = 0;
    }
    return foreign;
}

/* Names for both sides: asked together; in tshark, waited for. */
static void
lookup_names(const gboolean names_wanted[2], const ct_host *src, const ct_host *dst, side_ptr *sp,
             side_ptr *dp)
{
    const ct_host *hosts[2] = {src, dst};
    side_ptr *out[2] = {sp, dp};
    ct_addr wait_for[2];
    size_t n = 0;
    ct_ptr *ptr;

    sp->state = dp->state = CT_PTR_UNKNOWN;
    if (!pref_ptr || !(names_wanted[0] || names_wanted[1]) || (ptr = ensure_resolver()) == NULL)
        return;
    flush_recorded(ptr);
    for (int i = 0; i < 2; i++) {
        if (!names_wanted[i] || !ptr_wanted(hosts[i]->scope))
            continue;
        ct_ptr_request(ptr, &hosts[i]->addr);
        wait_for[n++] = hosts[i]->addr;
    }
    if (n > 0 && sync_dns && !first_pass) {
        /* c-ares gives up on each server after the timeout; allow for two
         * servers and scheduling before we give up ourselves. */
        ct_ptr_wait(ptr, wait_for, n, 2 * pref_ptr_timeout_ms + 500);
        check_dead();
    }
    for (int i = 0; i < 2; i++) {
        if (names_wanted[i] && ptr_wanted(hosts[i]->scope))
            out[i]->state = ct_ptr_get(ptr, &hosts[i]->addr, out[i]->name, &out[i]->count);
    }
}

static gboolean
want_name(const side_fields *hf)
{
    return want(hf->name) || want(hf->name_source) || want(hf->domain) || want(hf_name) ||
           want(hf_domain);
}

static int
dissect_camtrace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    ct_addr src, dst;
    const ct_host *hosts[2];
    ct_name own, name[2];
    packet_conversation pc = {FALSE, NULL, NULL};
    side_ptr ptr[2];
    gboolean named, name_wanted[2], ptr_needed[2];
    gboolean ptr_fields = FALSE;
    int foreign;
    proto_item *ti;
    proto_tree *ct_tree;

    if (!packet_addresses(pinfo, &src, &dst))
        return 0;
    if (settings_dirty)
        resolve_settings();
    named = enabled && learn_names(pinfo, &pc, tree, &dst, &own);
    camtrace_flows_tap(pinfo, &src, &dst, named ? &own : NULL);
    if (!enabled)
        return 0;
    if (tree == NULL || !camtrace_wanted(pinfo, tree)) {
        if (sync_dns && pref_ptr)
            ask_ahead(&src, &dst);
        return 0;
    }
    ensure_databases();
    ct_enricher_trim(enricher, CAMTRACE_MAX_HOSTS);
    hosts[0] = ct_enricher_host(enricher, &src);
    hosts[1] = ct_enricher_host(enricher, &dst);
    name_wanted[0] = want_name(&hf_src);
    name_wanted[1] = want_name(&hf_dst);
    ptr_fields = want(hf_src.ptr) || want(hf_dst.ptr) || want(hf_ptr);
    for (int i = 0; i < 2; i++) {
        name[i].source = CT_NAME_NONE;
        if (name_wanted[i])
            capture_name(pinfo, &pc, &hosts[i]->addr, &name[i]);
        /* PTR names: for the PTR fields, or in place of a capture name. */
        ptr_needed[i] = ptr_fields || (name_wanted[i] && name[i].source == CT_NAME_NONE);
    }
    lookup_names(ptr_needed, hosts[0], hosts[1], &ptr[0], &ptr[1]);
    for (int i = 0; i < 2; i++) {
        if (name_wanted[i] && name[i].source == CT_NAME_NONE && ptr[i].state == CT_PTR_FOUND)
            name[i] = ptr_as_name(ptr[i].name);
    }

    ti = proto_tree_add_item(tree, proto_camtrace, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    ct_tree = proto_item_add_subtree(ti, ett_camtrace);
    add_side(ct_tree, tvb, &hf_src, hosts[0], &name[0], &ptr[0]);
    add_side(ct_tree, tvb, &hf_dst, hosts[1], &name[1], &ptr[1]);
    if (want(hf_foreign) && (foreign = camtrace_foreign(hosts[0], hosts[1])) >= 0)
        proto_item_set_generated(
            proto_tree_add_boolean(ct_tree, hf_foreign, tvb, 0, 0, (guint32)foreign));
    return tvb_captured_length(tvb);
}

ct_enricher *
camtrace_enricher(void)
{
    if (settings_dirty)
        resolve_settings();
    if (!enabled)
        return NULL;
    ensure_databases();
    return enricher;
}

void
camtrace_ptr_ask(const ct_addr *addr)
{
    ct_ptr *ptr;

    if (settings_dirty)
        resolve_settings();
    if (enabled && pref_ptr && ptr_wanted(ct_addr_scope(addr)) && (ptr = ensure_resolver()) != NULL)
        ct_ptr_request(ptr, addr);
}

void
camtrace_ptr_settle(void)
{
    if (resolver == NULL || !pref_ptr)
        return;
    /* As for one packet (see lookup_names()): every question has had its
     * full timeout once this returns. */
    ct_ptr_wait_all(resolver, 2 * pref_ptr_timeout_ms + 500);
    check_dead();
}

gboolean
camtrace_ptr_name(const ct_addr *addr, char name[CT_DNS_NAME_MAX + 1])
{
    return resolver != NULL && pref_ptr && ptr_wanted(ct_addr_scope(addr)) &&
           ct_ptr_get(resolver, addr, name, NULL) == CT_PTR_FOUND;
}

/* -V, -O (or options bundled with them) and the formats that print whole
 * trees show CamTrace's tree too. */
static gboolean
prints_trees(const char *arg)
{
    static const char *const formats[] = {"pdml", "json", "jsonraw", "ek", NULL};

    if (arg[0] == '-' && arg[1] != '-' && (strchr(arg, 'V') != NULL || arg[1] == 'O'))
        return TRUE;
    for (size_t i = 0; formats[i] != NULL; i++) {
        if (strcmp(arg, formats[i]) == 0)
            return TRUE;
    }
    return FALSE;
}

/* Does this tshark run use CamTrace at all: its command line (fields,
 * filters, -z camtrace,...) or its columns name it?  A tree with the name
 * sources costs every packet, so a tshark run that ignores CamTrace must
 * not pay for it.  The GUI always learns names. */
static gboolean
camtrace_in_use(void)
{
    GPtrArray *args;
    gboolean used = FALSE;

    if (!sync_dns)
        return TRUE;
    if ((args = camtrace_tshark_args()) != NULL) {
        for (guint i = 0; !used && i < args->len; i++) {
            const char *arg = g_ptr_array_index(args, i);
            used = strstr(arg, "camtrace") != NULL || prints_trees(arg);
        }
        g_ptr_array_free(args, TRUE);
    }
    for (GList *c = prefs.col_list; !used && c != NULL; c = c->next) {
        const fmt_data *col = c->data;
        used = col->custom_fields != NULL && strstr(col->custom_fields, "camtrace") != NULL;
    }
    return used;
}

/* Ask epan to build the fields names are learned from in every tree
 * (tshark's first pass of -2 and the GUI's packet list build trees nobody
 * sees, where they would otherwise be left out), or stop asking. */
static void
want_name_sources(void)
{
    GArray *wanted;

    if (settings_dirty)
        resolve_settings();
    if (!enabled || !pref_names ||
        !proto_is_protocol_enabled(find_protocol_by_id(proto_camtrace)) || !camtrace_in_use()) {
        set_postdissector_wanted_hfids(camtrace_handle, NULL);
        return;
    }
    proto_dns = proto_get_id_by_filter_name("dns");
    hf_sni = proto_registrar_get_id_byname("tls.handshake.extensions_server_name");
    hf_http_host = proto_registrar_get_id_byname("http.host");
    wanted = g_array_new(FALSE, FALSE, sizeof(int));
    if (proto_dns >= 0)
        g_array_append_val(wanted, proto_dns);
    if (hf_sni >= 0)
        g_array_append_val(wanted, hf_sni);
    if (hf_http_host >= 0)
        g_array_append_val(wanted, hf_http_host);
    set_postdissector_wanted_hfids(camtrace_handle, wanted);
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
    if (resolver != NULL)
        ct_ptr_clear(resolver);
    found_cursor = 0;
    dead_warned = FALSE;
    forget_recorded();
    ct_names_clear(capture_names);
    want_name_sources();
}

static void
camtrace_prefs_apply(void)
{
    settings_dirty = TRUE;
    databases_dirty = TRUE;
    resolver_dirty = TRUE;
}

static void
camtrace_shutdown(void)
{
    if (refresh_source != 0) {
        g_source_remove(refresh_source);
        refresh_source = 0;
    }
    ct_ptr_free(resolver);
    resolver = NULL;
    forget_recorded();
    g_clear_pointer(&resolver_servers, g_free);
    g_clear_pointer(&resolver_warning, g_free);
    ct_enricher_free(enricher);
    enricher = NULL;
    ct_names_free(capture_names);
    capture_names = NULL;
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
    { &var.name, { Side " name", "camtrace." side ".name", FT_STRING, BASE_NONE,      \
        NULL, 0x0, "Name of the " word " address: learned from the capture (DNS "    \
        "answer, TLS/QUIC server name, HTTP Host), else its PTR name", HFILL } },    \
    { &var.name_source, { Side " name source", "camtrace." side ".name_source",      \
        FT_STRING, BASE_NONE, NULL, 0x0,                                              \
        "Where the " word " name comes from: dns, sni, http or ptr", HFILL } },      \
    { &var.domain, { Side " domain", "camtrace." side ".domain", FT_STRING,          \
        BASE_NONE, NULL, 0x0,                                                         \
        "Registered domain of the " word " name (Public Suffix List)", HFILL } },    \
    { &var.ptr, { Side " PTR", "camtrace." side ".ptr", FT_STRING, BASE_NONE,        \
        NULL, 0x0, "Reverse DNS name of the " word " address (first PTR record)",    \
        HFILL } },                                                                    \
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
        {&hf_name,
         {"Name", "camtrace.name", FT_STRING, BASE_NONE, NULL, 0x0,
          "Name of the source or destination address", HFILL}},
        {&hf_domain,
         {"Domain", "camtrace.domain", FT_STRING, BASE_NONE, NULL, 0x0,
          "Registered domain of the source or destination name", HFILL}},
        {&hf_foreign,
         {"Leaves home country", "camtrace.foreign", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "A global address of this packet lies outside the home country (preference "
          "camtrace.home_country)",
          HFILL}},
        {&hf_ptr,
         {"PTR", "camtrace.ptr", FT_STRING, BASE_NONE, NULL, 0x0,
          "Reverse DNS name of the source or destination address", HFILL}},
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

    prefs_register_bool_preference(
        module, "ptr", "Reverse DNS (PTR) names",
        "Look up the PTR name of global addresses with CamTrace's own DNS client. The queries "
        "reveal the addresses to the DNS servers below.",
        &pref_ptr);
    prefs_register_bool_preference(
        module, "ptr_private", "Reverse DNS for private addresses too",
        "Also look up private, link-local and unique-local addresses (a home router often "
        "names its devices).",
        &pref_ptr_private);
    prefs_register_string_preference(
        module, "dns_servers", "DNS servers",
        "Comma-separated IP, IP:port or [IPv6]:port. Empty: DNS_RESOLVER from the "
        "environment or .env, else the system's resolv.conf.",
        &pref_dns_servers);
    prefs_register_uint_preference(module, "ptr_timeout_ms", "PTR timeout (ms)",
                                   "How long to wait for each DNS server's answer", 10,
                                   &pref_ptr_timeout_ms);
    prefs_register_uint_preference(module, "ptr_concurrency", "PTR queries in flight",
                                   "Most PTR questions outstanding at once", 10,
                                   &pref_ptr_concurrency);
    prefs_register_bool_preference(
        module, "names", "Names from the capture",
        "Name addresses by the DNS answers, TLS/QUIC server names and HTTP Host headers in "
        "the capture. This needs the DNS, TLS and HTTP fields of every packet, so tshark "
        "builds a protocol tree even for exports that need none (the flow export takes "
        "about a quarter longer); PTR names remain.",
        &pref_names);
    prefs_register_string_preference(
        module, "home_country", "Home country",
        "ISO 3166-1 alpha-2 code (such as DE) of the country the devices are in; "
        "camtrace.foreign marks packets to global addresses elsewhere. Empty: "
        "CAMTRACE_HOME_COUNTRY from the environment or .env.",
        &pref_home_country);

    /* tshark prints each packet once, so it must wait for names; the GUI
     * never waits and redraws when they arrive. */
    sync_dns = g_strcmp0(g_get_prgname(), "tshark") == 0;
    enricher = ct_enricher_new();
    capture_names = ct_names_new();
    camtrace_flows_register();
    camtrace_devices_register();
    camtrace_handle = create_dissector_handle(dissect_camtrace, proto_camtrace);
    register_postdissector(camtrace_handle);
    register_init_routine(camtrace_init);
    register_shutdown_routine(camtrace_shutdown);
}
