/* flow-table.c - the flows as a statistics table.
 *
 * Wireshark lists it as Statistics > CamTrace Flows; its dialog can copy
 * the table and save it as CSV or YAML, and it retaps when the display
 * filter is applied.  tshark prints it with -z camtrace,flowtable[,FILTER].
 * The CSV/JSON export (flows.c) stays the way to get every column; this
 * table shows what a person reads, who talks to whom first: the source
 * address, the name, organization and country of both ends, the
 * destination address; then protocol, ports, packets and bytes each way
 * and in all, the start, whether the flow leaves the home country, where
 * the names came from, the destination's ASN and city.
 * The dialog opens sorted by its first column, so by source: a device's
 * flows together, in the order of their first packets.  Its size is
 * Wireshark's (587x459 until the user resizes it; it then keeps the size
 * under the table's title): a plugin has no say, hence short titles.
 * Text cells hold no '"' and no formula (csv_safe()), as the dialog's CSV
 * does not escape them.
 *
 * Rows are the flows of a camtrace_flow_counter in the order of their
 * first packets (row i is flow i), and change as packets arrive: counts
 * grow, the ends swap when a TCP handshake shows that the other side
 * initiated, and names fill in as the export gives them (a DNS answer,
 * server name or Host from the capture, else a PTR name once it has
 * arrived by a later packet of the flow; PTR names that arrive after a
 * flow's last packet show on the next retap).  Wireshark's table model
 * has one table per statistic, so there is one counter, made on first use
 * and kept, with its "tcp" tap listener, until the plugin shuts down.
 */

#include <wireshark.h>
#include <string.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "counter.h"
#include "exporters.h"
#include "state.h"
#include "ct_out.h"

#define TABLE_TITLE "CamTrace Flows"

/* Who talks to whom first, so that the dialog shows it when it opens; the
 * dialog sorts by the first column then. */
enum {
    COL_SRC,
    COL_SRC_NAME,
    COL_SRC_ORG,
    COL_SRC_COUNTRY,
    COL_DST_NAME,
    COL_DST_ORG,
    COL_DST_COUNTRY,
    COL_DST,
    COL_PROTO,
    COL_SRC_PORT,
    COL_DST_PORT,
    COL_SRC_PKTS,
    COL_SRC_BYTES,
    COL_DST_PKTS,
    COL_DST_BYTES,
    COL_PKTS,
    COL_BYTES,
    COL_START,
    COL_FOREIGN,
    COL_SRC_NAME_SOURCE,
    COL_DST_NAME_SOURCE,
    COL_DST_ASN,
    COL_DST_CITY,
    N_COLS
};

/* Numbers are TABLE_ITEM_UINT in every row, so that the dialog sorts them
 * as numbers and its CSV writes them unquoted.  A port or ASN that is
 * absent (ICMP, an address no database knows) is 0: a cell of another type
 * is no way out, as tshark prints a cell by its column's type and the
 * dialog leaves a TABLE_ITEM_NONE cell out of the row it copies or saves,
 * and tshark ends the row's line at one.  "%.0u" prints 0 as nothing in
 * tshark; the dialog, its CSV and its YAML show 0. */
#define FMT_OPTIONAL "%.0u"

static stat_tap_table_item columns[N_COLS] = {
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Source", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Src name", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Src org", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Src country", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Dst name", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Dst org", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Dst country", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Destination", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Protocol", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Src port", FMT_OPTIONAL},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Dst port", FMT_OPTIONAL},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Src pkts", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Src bytes", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Dst pkts", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Dst bytes", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Bytes", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Start", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Abroad", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Src name source", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Dst name source", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Dst ASN", FMT_OPTIONAL},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Dst city", "%s"},
};

static camtrace_flow_counter *counter;

/* Table cells hold 32-bit counts: saturate rather than wrap. */
static guint
clamp_count(guint64 n)
{
    return n > G_MAXUINT ? G_MAXUINT : (guint)n;
}

static gboolean
cell_is(stat_tap_table *table, guint row, guint col, const char *value)
{
    return g_strcmp0(stat_tap_get_field_data(table, row, col)->value.string_value, value) == 0;
}

/* Text as the dialog's CSV can hold it: Wireshark writes a text cell as
 * '"' TEXT '"' without doubling the quotes in it, so a name from the
 * capture with a '"' would end its cell early and add cells of its own
 * choosing.  A quote becomes \034 (the \DDD escape of names), and text
 * that a spreadsheet would take for a formula gets the apostrophe the
 * flow export gives it.  NULL when value can stay as it is. */
static char *
csv_safe(const char *value)
{
    gboolean formula = value[0] != '\0' && strchr("=+-@\t\r", value[0]) != NULL;
    GString *text;

    if (!formula && strchr(value, '"') == NULL)
        return NULL;
    text = g_string_new(formula ? "'" : "");
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '"')
            g_string_append(text, "\\034");
        else
            g_string_append_c(text, *p);
    }
    return g_string_free(text, FALSE);
}

/* NULL is the empty cell. */
static void
set_string(stat_tap_table *table, guint row, guint col, const char *value)
{
    stat_tap_table_item_type *cell = stat_tap_get_field_data(table, row, col);
    char *safe;

    if (value == NULL)
        value = "";
    safe = csv_safe(value);
    if (safe != NULL)
        value = safe;
    if (cell->value.string_value == NULL || strcmp(cell->value.string_value, value) != 0) {
        g_free((char *)cell->value.string_value);
        cell->type = TABLE_ITEM_STRING;
        cell->value.string_value = g_strdup(value);
    }
    g_free(safe);
}

static void
set_uint(stat_tap_table *table, guint row, guint col, guint64 value)
{
    stat_tap_table_item_type *cell = stat_tap_get_field_data(table, row, col);

    cell->type = TABLE_ITEM_UINT;
    cell->value.uint_value = clamp_count(value);
}

/* The name and where it came from, in two cells as the flow export has
 * them (src_name, src_name_source). */
static void
set_name(stat_tap_table *table, guint row, guint name_col, guint source_col, const ct_name *name)
{
    gboolean known = name->source != CT_NAME_NONE;

    set_string(table, row, name_col, known ? name->name : NULL);
    set_string(table, row, source_col, known ? ct_name_source_label(name->source) : NULL);
}

/* The cells that depend on which end is the source. */
static void
set_ends(stat_tap_table *table, guint row, const ct_flow *f)
{
    ct_enricher *enricher = camtrace_enricher();
    const ct_host *src = enricher ? ct_enricher_host(enricher, &f->src) : NULL;
    const ct_host *dst = enricher ? ct_enricher_host(enricher, &f->dst) : NULL;
    char text[CT_ADDR_STRLEN];

    ct_addr_format(&f->src, text);
    set_string(table, row, COL_SRC, text);
    set_string(table, row, COL_SRC_ORG, src ? src->geo.as_org : NULL);
    set_string(table, row, COL_SRC_COUNTRY, src ? src->geo.country_iso : NULL);
    set_string(table, row, COL_DST_ORG, dst ? dst->geo.as_org : NULL);
    set_string(table, row, COL_DST_COUNTRY, dst ? dst->geo.country_iso : NULL);
    ct_addr_format(&f->dst, text);
    set_string(table, row, COL_DST, text);
    set_uint(table, row, COL_SRC_PORT, f->has_ports ? f->sport : 0);
    set_uint(table, row, COL_DST_PORT, f->has_ports ? f->dport : 0);
    set_string(table, row, COL_FOREIGN,
               ct_home_foreign_text(camtrace_home_country(), camtrace_foreign(src, dst),
                                    ct_home_any_global(src, dst)));
    set_uint(table, row, COL_DST_ASN, dst ? dst->geo.asn : 0);
    set_string(table, row, COL_DST_CITY, dst ? dst->geo.city : NULL);
}

static void
new_row(stat_tap_table *table, guint row, const ct_flow *f)
{
    stat_tap_table_item_type cells[N_COLS];
    char text[CT_OUT_TIMESTAMP_LEN], proto[CT_FLOW_PROTO_LABEL_SIZE];

    memset(cells, 0, sizeof cells);
    for (guint i = 0; i < N_COLS; i++)
        cells[i].type = columns[i].type;
    stat_tap_init_table_row(table, row, N_COLS, cells);

    ct_out_format_timestamp(f->first_sec, f->first_usec, text);
    set_string(table, row, COL_START, text);
    set_string(table, row, COL_PROTO, ct_flow_proto_label(f->proto, proto));
    set_ends(table, row, f);
}

static tap_packet_status
flow_table_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                  tap_flags_t flags _U_)
{
    stat_data_t *sd = tapdata;
    stat_tap_table *table = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    gboolean is_new;
    guint64 index;
    guint row;
    ct_flow f;
    camtrace_flow_names names;
    char text[CT_ADDR_STRLEN];

    if (counter == NULL)
        return TAP_PACKET_DONT_REDRAW;
    index = camtrace_flow_counter_add(counter, pinfo, data, &is_new);
    if (index >= G_MAXUINT)
        return TAP_PACKET_DONT_REDRAW;
    row = (guint)index;
    if (!ct_flow_table_get(camtrace_flow_counter_flows(counter), index, &f))
        return TAP_PACKET_DONT_REDRAW;
    if (row >= table->num_elements) {
        new_row(table, row, &f);
    } else {
        ct_addr_format(&f.src, text);
        if (!cell_is(table, row, COL_SRC, text))
            set_ends(table, row, &f);
    }
    set_uint(table, row, COL_PKTS, f.src_pkts + f.dst_pkts);
    set_uint(table, row, COL_BYTES, f.src_bytes + f.dst_bytes);
    set_uint(table, row, COL_SRC_PKTS, f.src_pkts);
    set_uint(table, row, COL_SRC_BYTES, f.src_bytes);
    set_uint(table, row, COL_DST_PKTS, f.dst_pkts);
    set_uint(table, row, COL_DST_BYTES, f.dst_bytes);
    camtrace_flow_counter_names(counter, index, &f, &names);
    set_name(table, row, COL_SRC_NAME, COL_SRC_NAME_SOURCE, &names.name[0]);
    set_name(table, row, COL_DST_NAME, COL_DST_NAME_SOURCE, &names.name[1]);
    return TAP_PACKET_REDRAW;
}

static void
free_cell(stat_tap_table *table _U_, guint row _U_, guint col _U_, stat_tap_table_item_type *cell)
{
    if (cell->type == TABLE_ITEM_STRING) {
        g_free((char *)cell->value.string_value);
        cell->value.string_value = NULL;
    }
}

/* A retap starts from no rows. */
static void
flow_table_reset(stat_tap_table *table)
{
    for (guint row = 0; row < table->num_elements; row++) {
        for (guint col = 0; col < table->num_fields; col++)
            free_cell(table, row, col, stat_tap_get_field_data(table, row, col));
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
    if (counter != NULL)
        camtrace_flow_counter_reset(counter);
}

static void
flow_table_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table = stat_tap_find_table(ui, TABLE_TITLE);

    if (counter == NULL) {
        GString *error = NULL;
        counter = camtrace_flow_counter_new(FALSE, "CamTrace Flows", TRUE, &error);
        if (counter == NULL) {
            camtrace_warn("CamTrace Flows: %s", error->str);
            g_string_free(error, TRUE);
        }
    }
    if (table != NULL) {
        flow_table_reset(table);
        return;
    }
    table = stat_tap_init_table(TABLE_TITLE, N_COLS, 0, NULL);
    stat_tap_add_table(ui, table);
    if (counter != NULL)
        camtrace_flow_counter_reset(counter);
}

static void
flow_table_shutdown(void)
{
    camtrace_flow_counter_free(counter);
    counter = NULL;
}

void
camtrace_flow_table_register(void)
{
    static stat_tap_table_ui ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED,
        TABLE_TITLE,
        "camtrace",
        "camtrace,flowtable",
        flow_table_init,
        flow_table_packet,
        flow_table_reset,
        free_cell,
        NULL,
        N_COLS,
        columns,
        0,
        NULL,
        NULL,
        0,
    };

    register_stat_tap_table_ui(&ui);
    register_shutdown_routine(flow_table_shutdown);
}
