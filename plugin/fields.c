/* fields.c - see fields.h.
 *
 * All fields are generated items: computed, not read from the packet.
 * Cost model: only the fields that will be seen are added.  A field is
 * seen when the tree is visible and tshark prints no -e list (every
 * field), when it is in tshark's -e list (read from the command line,
 * printed-fields.c: epan does not tell a post-dissector which fields
 * will be printed), or when a filter or column references it
 * (ref_type).  That is checked for every field of every packet, so the
 * answers are kept in plain arrays indexed from our first field's id
 * (proto_register_field_array() numbers one protocol's fields
 * consecutively).  tshark's command line is read once per run.
 */
#include "fields.h"

#include <epan/column.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/proto.h>

#include <string.h>

#include "printed-fields.h"

typedef struct {
    int summary, scope, name, name_source, domain, ptr, asn, as_org, country_iso, country,
        registered_country_iso, anycast, region, city, lat, lon, accuracy;
} side_fields;

#define CT_MAX_FIELDS 128

static int proto_camtrace = -1;
/* Every id -1 (not registered) from the start of camtrace_fields_register(). */
static side_fields hf_src;
static side_fields hf_dst;
static side_fields hf_remote; /* the end that is not the local device */
static int hf_local = -1;
static expert_field ei_problem = EI_INIT;
static int hf_name = -1;
static int hf_domain = -1;
static int hf_foreign = -1;
static int hf_ptr = -1;
static int hf_asn = -1;
static int hf_as_org = -1;
static int hf_country_iso = -1;
static int hf_country = -1;
static int hf_city = -1;
static int hf_registered_country_iso = -1;
static int hf_anycast = -1;
static int hf_databases = -1;

static gint ett_camtrace = -1;
static gint ett_side = -1;

/* What this run prints, found on first use. */
static struct {
    gboolean checked;
    GPtrArray *args; /* tshark's command line, or NULL */
    int hf_first;
    header_field_info *info[CT_MAX_FIELDS];
    gboolean printed[CT_MAX_FIELDS];
    gboolean known;    /* tshark has a -e list */
    gboolean any;      /* one of our fields is in it */
    gboolean names;    /* a PTR or name field is in it */
    gboolean two_pass; /* tshark -2 */
} run = {.hf_first = -1};

static gboolean
is_printed(int hf)
{
    guint i = (guint)(hf - run.hf_first);

    return i < CT_MAX_FIELDS && run.printed[i];
}

static void
check_run(void)
{
    GPtrArray *args;
    GHashTable *names;
    void *cookie = NULL;

    if (run.checked)
        return;
    run.checked = TRUE;
    run.args = args = camtrace_tshark_args();
    names = args ? camtrace_printed_fields_from_args((int)args->len, (char **)args->pdata) : NULL;
    for (header_field_info *hfi = proto_get_first_protocol_field(proto_camtrace, &cookie);
         hfi != NULL; hfi = proto_get_next_protocol_field(proto_camtrace, &cookie)) {
        if (run.hf_first < 0 || hfi->id < run.hf_first)
            run.hf_first = hfi->id;
    }
    cookie = NULL;
    for (header_field_info *hfi = proto_get_first_protocol_field(proto_camtrace, &cookie);
         hfi != NULL; hfi = proto_get_next_protocol_field(proto_camtrace, &cookie)) {
        guint i = (guint)(hfi->id - run.hf_first);
        if (i >= CT_MAX_FIELDS)
            continue;
        run.info[i] = hfi;
        run.printed[i] = names != NULL && g_hash_table_contains(names, hfi->abbrev);
        run.any |= run.printed[i];
    }
    run.known = names != NULL;
    if (args != NULL)
        run.two_pass = camtrace_two_pass_from_args((int)args->len, (char **)args->pdata);
    run.names = is_printed(hf_src.ptr) || is_printed(hf_dst.ptr) || is_printed(hf_remote.ptr) ||
                is_printed(hf_ptr) || is_printed(hf_src.name) || is_printed(hf_dst.name) ||
                is_printed(hf_remote.name) || is_printed(hf_name);
    if (names != NULL)
        g_hash_table_destroy(names);
}

/* Is this field going to be seen: printed, filtered on, or in a column? */
static gboolean
want(const camtrace_view *view, int hf)
{
    guint i = (guint)(hf - run.hf_first);

    if (view->all)
        return TRUE;
    return i < CT_MAX_FIELDS && run.info[i] != NULL &&
           (run.printed[i] || run.info[i]->ref_type != HF_REF_TYPE_NONE);
}

/* proto_field_is_referenced() also says yes to every protocol whenever a
 * display filter is active (fake_protocols off), which would make any -Y
 * pay for enrichment.  We want: the tree is shown, or one of our fields
 * (or the protocol itself) is in a filter, column or printed field list.
 * In tshark's first pass of -2 nothing is printed (the tree exists for
 * the name sources, or for filters): only filters count.
 *
 * Waiting for PTR names: tshark waits in every pass that prints.  The
 * GUI waits where a packet is decided or read, not where it is drawn: a
 * display filter, a tap and the packet details dissect without columns
 * (pinfo->cinfo is NULL), the packet list with them, and the list shows
 * names as they arrive.  So a filter or button on a PTR field selects,
 * the first time it runs, what tshark -2 selects. */
gboolean
camtrace_view_of(packet_info *pinfo, proto_tree *tree, camtrace_view *view)
{
    gboolean filtered =
        proto_registrar_get_nth((guint)proto_camtrace)->ref_type != HF_REF_TYPE_NONE;

    check_run();
    view->first_pass = run.two_pass && !pinfo->fd->visited;
    if (view->first_pass) {
        view->all = FALSE;
        view->wait = FALSE;
        return filtered;
    }
    view->wait = camtrace_in_tshark() || pinfo->cinfo == NULL;
    view->all = PTREE_DATA(tree)->visible && !run.known;
    return view->all || run.any || filtered;
}

static gboolean
wants_side_name(const camtrace_view *view, const side_fields *hf)
{
    return want(view, hf->name) || want(view, hf->name_source) || want(view, hf->domain);
}

gboolean
camtrace_view_wants_name(const camtrace_view *view, int side, int remote)
{
    return wants_side_name(view, side == 0 ? &hf_src : &hf_dst) ||
           (side == remote && wants_side_name(view, &hf_remote)) || want(view, hf_name) ||
           want(view, hf_domain);
}

gboolean
camtrace_view_wants_ptr(const camtrace_view *view)
{
    return want(view, hf_src.ptr) || want(view, hf_dst.ptr) || want(view, hf_remote.ptr) ||
           want(view, hf_ptr);
}

gboolean
camtrace_view_wants_foreign(const camtrace_view *view)
{
    return want(view, hf_foreign);
}

gboolean
camtrace_fields_print_names(void)
{
    check_run();
    return run.names;
}

/* Where one side's items go.  The remote end repeats the source or the
 * destination: its members are hidden (for filters, columns and -e, not
 * the details), and it adds nothing to the direction-free fields
 * (camtrace.name, ...), which would otherwise hold that end twice. */
typedef struct {
    const camtrace_view *view;
    proto_tree *tree;
    tvbuff_t *tvb;
    gboolean repeat; /* the remote end */
} side_out;

static proto_item *
finish(const side_out *o, proto_item *it)
{
    proto_item_set_generated(it);
    if (o->repeat)
        proto_item_set_hidden(it);
    return it;
}

/* Returns the item of hf, or NULL when hf is not wanted. */
static proto_item *
add_string(const side_out *o, int hf, int alias, const char *value)
{
    proto_item *it = NULL;

    if (value == NULL)
        return NULL;
    if (want(o->view, hf))
        it = finish(o, proto_tree_add_string(o->tree, hf, o->tvb, 0, 0, value));
    if (alias >= 0 && !o->repeat && want(o->view, alias))
        proto_item_set_hidden(
            finish(o, proto_tree_add_string(o->tree, alias, o->tvb, 0, 0, value)));
    return it;
}

static void
add_uint(const side_out *o, int hf, int alias, guint32 value)
{
    if (want(o->view, hf))
        finish(o, proto_tree_add_uint(o->tree, hf, o->tvb, 0, 0, value));
    if (alias >= 0 && !o->repeat && want(o->view, alias))
        proto_item_set_hidden(finish(o, proto_tree_add_uint(o->tree, alias, o->tvb, 0, 0, value)));
}

static void
add_boolean(const side_out *o, int hf, int alias, gboolean value)
{
    guint32 v = value ? 1u : 0u;

    if (want(o->view, hf))
        finish(o, proto_tree_add_boolean(o->tree, hf, o->tvb, 0, 0, v));
    if (alias >= 0 && !o->repeat && want(o->view, alias))
        proto_item_set_hidden(finish(o, proto_tree_add_boolean(o->tree, alias, o->tvb, 0, 0, v)));
}

static void
add_double(const side_out *o, int hf, double value)
{
    if (want(o->view, hf))
        finish(o, proto_tree_add_double(o->tree, hf, o->tvb, 0, 0, value));
}

static void
add_side(const camtrace_view *view, proto_tree *tree, tvbuff_t *tvb, ct_enricher *enricher,
         const side_fields *hf, const camtrace_side_values *v, gboolean repeat)
{
    const ct_host *host = v->host;
    const ct_name *name = v->name;
    const camtrace_ptr_answer *ptr = v->ptr;
    const ct_geo_info *geo = &host->geo;
    side_out o = {view, tree, tvb, repeat};

    /* The summary heads the side's subtree; as a field its label is only
     * formatted when the tree is printed.  The remote end's summary is
     * shown, without a subtree. */
    if (want(view, hf->summary)) {
        proto_item *it = proto_tree_add_string(tree, hf->summary, tvb, 0, 0,
                                               ct_enricher_summary(enricher, host));
        proto_item_set_generated(it);
        if (!repeat)
            o.tree = proto_item_add_subtree(it, ett_side);
    }
    add_string(&o, hf->scope, -1, ct_scope_name(host->scope));
    if (name->source != CT_NAME_NONE) {
        proto_item *it = add_string(&o, hf->name, hf_name, name->name);
        if (it != NULL && name->source != CT_NAME_PTR)
            proto_item_append_text(it, " (%s, frame %u)", ct_name_source_label(name->source),
                                   name->frame);
        add_string(&o, hf->name_source, -1, ct_name_source_label(name->source));
        add_string(&o, hf->domain, hf_domain, name->domain);
    }
    if (ptr->state == CT_PTR_FOUND) {
        proto_item *it = add_string(&o, hf->ptr, hf_ptr, ptr->name);
        if (it != NULL && ptr->count > 1)
            proto_item_append_text(it, " (first of %u PTR records)", ptr->count);
    }
    if (geo->asn != 0)
        add_uint(&o, hf->asn, hf_asn, geo->asn);
    add_string(&o, hf->as_org, hf_as_org, geo->as_org);
    add_string(&o, hf->country_iso, hf_country_iso, geo->country_iso);
    add_string(&o, hf->country, hf_country, geo->country);
    add_string(&o, hf->registered_country_iso, hf_registered_country_iso,
               geo->registered_country_iso);
    if (geo->anycast)
        add_boolean(&o, hf->anycast, hf_anycast, TRUE);
    add_string(&o, hf->region, -1, geo->region);
    add_string(&o, hf->city, hf_city, geo->city);
    if (geo->has_location) {
        add_double(&o, hf->lat, geo->latitude);
        add_double(&o, hf->lon, geo->longitude);
    }
    if (geo->accuracy_km != 0)
        add_uint(&o, hf->accuracy, -1, geo->accuracy_km);
}

/* The CamTrace item and its subtree, headed by the problems. */
static proto_tree *
add_camtrace_tree(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb,
                  const camtrace_problems *problems)
{
    proto_item *ti = proto_tree_add_item(tree, proto_camtrace, tvb, 0, 0, ENC_NA);
    proto_tree *ct_tree;

    proto_item_set_generated(ti);
    ct_tree = proto_item_add_subtree(ti, ett_camtrace);
    for (guint i = 0; i < problems->count; i++) {
        proto_item *it = proto_tree_add_expert_format(ct_tree, pinfo, &ei_problem, tvb, 0, 0, "%s",
                                                      problems->message[i]);
        proto_item_set_generated(it);
    }
    return ct_tree;
}

void
camtrace_fields_add_problems(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb,
                             const camtrace_problems *problems)
{
    if (problems->count > 0)
        add_camtrace_tree(pinfo, tree, tvb, problems);
}

void
camtrace_fields_add(const camtrace_view *view, packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb,
                    const camtrace_problems *problems, ct_enricher *enricher,
                    const camtrace_side_values sides[2], int remote, ct_foreign foreign)
{
    proto_tree *ct_tree = add_camtrace_tree(pinfo, tree, tvb, problems);

    if (want(view, hf_databases))
        proto_item_set_generated(
            proto_tree_add_string(ct_tree, hf_databases, tvb, 0, 0, camtrace_databases_text()));
    add_side(view, ct_tree, tvb, enricher, &hf_src, &sides[0], FALSE);
    add_side(view, ct_tree, tvb, enricher, &hf_dst, &sides[1], FALSE);
    add_side(view, ct_tree, tvb, enricher, &hf_remote, &sides[remote], TRUE);
    if (want(view, hf_local)) {
        char text[CT_ADDR_STRLEN];
        ct_addr_format(&sides[1 - remote].host->addr, text);
        proto_item_set_generated(proto_tree_add_string(ct_tree, hf_local, tvb, 0, 0, text));
    }
    if (foreign != CT_FOREIGN_UNKNOWN && want(view, hf_foreign))
        proto_item_set_generated(
            proto_tree_add_boolean(ct_tree, hf_foreign, tvb, 0, 0, foreign == CT_FOREIGN_YES));
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

/* A tree with the name sources costs every packet, so a tshark run that
 * ignores CamTrace must not pay for it.  The GUI always learns names. */
gboolean
camtrace_fields_in_use(void)
{
    gboolean used = FALSE;

    if (!camtrace_in_tshark())
        return TRUE;
    check_run();
    for (guint i = 0; run.args != NULL && !used && i < run.args->len; i++) {
        const char *arg = g_ptr_array_index(run.args, i);
        used = strstr(arg, "camtrace") != NULL || prints_trees(arg);
    }
    for (GList *c = prefs.col_list; !used && c != NULL; c = c->next) {
        const fmt_data *col = c->data;
        used = col->custom_fields != NULL && strstr(col->custom_fields, "camtrace") != NULL;
    }
    return used;
}

static void
fields_shutdown(void)
{
    if (run.args != NULL)
        g_ptr_array_free(run.args, TRUE);
    memset(&run, 0, sizeof run);
    run.hf_first = -1;
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
        FT_STRING, BASE_NONE, NULL, 0x0, "ISO 3166-1 alpha-2 code of the country "   \
        "where the " word " address is located", HFILL } },                          \
    { &var.country, { Side " country", "camtrace." side ".country", FT_STRING,       \
        BASE_NONE, NULL, 0x0, "Country where the " word " address is located "       \
        "(English)", HFILL } },                                                       \
    { &var.registered_country_iso, { Side " registered country code",                 \
        "camtrace." side ".registered_country_iso", FT_STRING, BASE_NONE, NULL, 0x0,  \
        "ISO 3166-1 alpha-2 code of the country where the " word " address's block " \
        "is registered: not where the address is", HFILL } },                        \
    { &var.anycast, { Side " anycast", "camtrace." side ".anycast", FT_BOOLEAN,       \
        BASE_NONE, NULL, 0x0, "The database marks the " word " address's network "   \
        "anycast: it is served from many places", HFILL } },                          \
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
camtrace_fields_register(int proto)
{
    static hf_register_info hf[] = {
        SIDE_FIELDS(hf_src, "src", "Source", "source"),
        SIDE_FIELDS(hf_dst, "dst", "Destination", "destination"),
        SIDE_FIELDS(hf_remote, "remote", "Remote", "remote"),
        {&hf_local,
         {"Local device", "camtrace.local", FT_STRING, BASE_NONE, NULL, 0x0,
          "Address of the local end of the packet: the end that is not the remote one", HFILL}},
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
        {&hf_registered_country_iso,
         {"Registered country code", "camtrace.registered_country_iso", FT_STRING, BASE_NONE, NULL,
          0x0, "Country where the source or destination address's block is registered", HFILL}},
        {&hf_anycast,
         {"Anycast", "camtrace.anycast", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The source or destination address is anycast", HFILL}},
        {&hf_databases,
         {"Databases", "camtrace.databases", FT_STRING, BASE_NONE, NULL, 0x0,
          "The databases that answered: their type and build date", HFILL}},
    };
    static gint *ett[] = {&ett_camtrace, &ett_side};
    static ei_register_info ei[] = {
        {&ei_problem,
         {"camtrace.problem", PI_UNDECODED, PI_WARN,
          "CamTrace cannot enrich as asked: a database, a setting or the DNS server", EXPFILL}},
    };

    proto_camtrace = proto;
    /* Bytes of all ones are the int -1 in every field. */
    memset(&hf_src, 0xff, sizeof hf_src);
    memset(&hf_dst, 0xff, sizeof hf_dst);
    memset(&hf_remote, 0xff, sizeof hf_remote);
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto), ei, array_length(ei));
    register_shutdown_routine(fields_shutdown);
}
