/* devices.c - who each local device talks to:
 * `tshark -q -z camtrace,devices[,text|csv|jsonl][,FILTER]`.
 *
 * Counts flows as the flow export does (the same counter, the same names)
 * and, at the end, turns them around: for every local end of a flow (a
 * private, link-local or unique-local address: a device on the network
 * the capture was taken on), the other end is one of its destinations.
 * Destinations are grouped by name (the name the capture gave the
 * address, else its PTR name, else the address itself), AS and country,
 * so a service behind many CDN addresses is one line per AS and country.
 *
 * The text form is for people (aligned columns, sizes in kB); CSV and
 * JSON Lines carry the same rows with exact numbers for tools, through
 * ct_out and its guarantees.
 */

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include <stdio.h>
#include <string.h>

#include "counter.h"
#include "exporters.h"
#include "state.h"
#include "ct_out.h"
#include "ws-compat.h"

#define CLI_PREFIX "camtrace,devices"

/* In the order of devices_init()'s formats. */
typedef enum {
    REPORT_TEXT,
    REPORT_CSV,
    REPORT_JSONL,
} report_format;

typedef struct {
    char *label; /* name, or the address when there is none */
    ct_name_source source;
    char *domain;
    GArray *addresses; /* ct_addr, first seen first */
    GArray *services;  /* guint32: see service_of() */
    guint32 asn;
    char *as_org, *country_iso, *country;
    char *registered_country_iso; /* where the block is registered */
    gboolean anycast;
    gboolean global; /* a global address: its country matters */
    ct_foreign foreign;
    guint64 flows, bytes_sent, bytes_received, pkts_sent, pkts_received;
    gint64 first_sec, last_sec;
    guint32 first_usec, last_usec;
} destination;

typedef struct {
    ct_addr addr;
    gboolean has_mac;
    guint8 mac[6];
    GPtrArray *destinations; /* destination, first seen first */
    GHashTable *by_key;      /* label, AS, country -> destination */
    guint64 flows, bytes_sent, bytes_received;
    gint64 first_sec, last_sec;
    guint32 first_usec, last_usec;
} device;

static const char *const columns[] = {
    "device",    "device_mac",    "destination", "name_source", "domain",
    "addresses", "services",      "asn",         "as_org",      "country_iso",
    "country",   "foreign",       "flows",       "bytes_sent",  "bytes_received",
    "pkts_sent", "pkts_received", "first_seen",  "last_seen",   "registered_country_iso",
    "anycast",
};

static void
destination_free(gpointer p)
{
    destination *d = p;

    g_free(d->label);
    g_free(d->domain);
    g_free(d->as_org);
    g_free(d->country_iso);
    g_free(d->country);
    g_free(d->registered_country_iso);
    g_array_free(d->addresses, TRUE);
    g_array_free(d->services, TRUE);
    g_free(d);
}

static void
device_free(gpointer p)
{
    device *dev = p;

    g_hash_table_destroy(dev->by_key);
    g_ptr_array_free(dev->destinations, TRUE);
    g_free(dev);
}

static gboolean
earlier(gint64 sec, guint32 usec, gint64 than_sec, guint32 than_usec)
{
    return sec < than_sec || (sec == than_sec && usec < than_usec);
}

static void
widen_span(gint64 *first_sec, guint32 *first_usec, gint64 *last_sec, guint32 *last_usec,
           const ct_flow *f, gboolean empty)
{
    if (empty || earlier(f->first_sec, f->first_usec, *first_sec, *first_usec)) {
        *first_sec = f->first_sec;
        *first_usec = f->first_usec;
    }
    if (empty || earlier(*last_sec, *last_usec, f->last_sec, f->last_usec)) {
        *last_sec = f->last_sec;
        *last_usec = f->last_usec;
    }
}

static device *
find_device(GPtrArray *devices, GHashTable *by_addr, const ct_addr *addr,
            const camtrace_flow_counter *counter)
{
    device *dev = g_hash_table_lookup(by_addr, addr);

    if (dev != NULL)
        return dev;
    dev = g_new0(device, 1);
    dev->addr = *addr;
    dev->has_mac = camtrace_flow_counter_mac(counter, addr, dev->mac);
    dev->destinations = g_ptr_array_new_with_free_func(destination_free);
    dev->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_ptr_array_add(devices, dev);
    g_hash_table_insert(by_addr, &dev->addr, dev);
    return dev;
}

static destination *
find_destination(device *dev, const ct_name *name, const ct_addr *peer, const ct_host *host)
{
    char text[CT_ADDR_STRLEN];
    const ct_geo_info *geo = host ? &host->geo : NULL;
    const char *label;
    destination *d;
    char *key;

    ct_addr_format(peer, text);
    label = name->source != CT_NAME_NONE ? name->name : text;
    key = g_strdup_printf("%s\037%u\037%s", label, geo ? geo->asn : 0,
                          geo && geo->country_iso ? geo->country_iso : "");
    d = g_hash_table_lookup(dev->by_key, key);
    if (d != NULL) {
        g_free(key);
        return d;
    }
    d = g_new0(destination, 1);
    d->label = g_strdup(label);
    d->source = name->source;
    d->domain = g_strdup(name->source != CT_NAME_NONE ? name->domain : NULL);
    d->addresses = g_array_new(FALSE, FALSE, sizeof(ct_addr));
    d->services = g_array_new(FALSE, FALSE, sizeof(guint32));
    if (geo != NULL) {
        d->asn = geo->asn;
        d->as_org = g_strdup(geo->as_org);
        d->country_iso = g_strdup(geo->country_iso);
        d->country = g_strdup(geo->country);
        d->registered_country_iso = g_strdup(geo->registered_country_iso);
        d->anycast = geo->anycast;
    }
    d->foreign = camtrace_foreign(host, NULL);
    d->global = ct_home_any_global(host, NULL);
    g_ptr_array_add(dev->destinations, d);
    g_hash_table_insert(dev->by_key, key, d);
    return d;
}

/* The responder's port names the service, from either end's point of
 * view; protocols without ports are the protocol alone. */
static guint32
service_of(const ct_flow *f)
{
    return (guint32)f->proto << 16 | (f->has_ports ? f->dport : 0xffffu);
}

static void
add_unique_service(GArray *services, guint32 service)
{
    for (guint i = 0; i < services->len; i++) {
        if (g_array_index(services, guint32, i) == service)
            return;
    }
    g_array_append_val(services, service);
}

static void
add_unique_address(GArray *addresses, const ct_addr *addr)
{
    for (guint i = 0; i < addresses->len; i++) {
        if (ct_addr_equal(&g_array_index(addresses, ct_addr, i), addr))
            return;
    }
    g_array_append_val(addresses, *addr);
}

static void
count_side(GPtrArray *devices, GHashTable *by_addr, const camtrace_flow_counter *counter,
           const ct_flow *f, const camtrace_flow_names *names, int side)
{
    const ct_addr *local = side == 0 ? &f->src : &f->dst;
    const ct_addr *peer = side == 0 ? &f->dst : &f->src;
    const ct_host *host = NULL;
    device *dev;
    destination *d;
    guint64 sent_pkts = side == 0 ? f->src_pkts : f->dst_pkts;
    guint64 sent = side == 0 ? f->src_bytes : f->dst_bytes;
    guint64 received_pkts = side == 0 ? f->dst_pkts : f->src_pkts;
    guint64 received = side == 0 ? f->dst_bytes : f->src_bytes;

    ct_enricher *enricher;

    if (!camtrace_is_local(local))
        return;
    if ((enricher = camtrace_enricher()) != NULL)
        host = ct_enricher_host(enricher, peer);
    dev = find_device(devices, by_addr, local, counter);
    d = find_destination(dev, &names->name[1 - side], peer, host);
    add_unique_address(d->addresses, peer);
    add_unique_service(d->services, service_of(f));
    widen_span(&d->first_sec, &d->first_usec, &d->last_sec, &d->last_usec, f, d->flows == 0);
    widen_span(&dev->first_sec, &dev->first_usec, &dev->last_sec, &dev->last_usec, f,
               dev->flows == 0);
    d->flows++;
    d->pkts_sent += sent_pkts;
    d->bytes_sent += sent;
    d->pkts_received += received_pkts;
    d->bytes_received += received;
    dev->flows++;
    dev->bytes_sent += sent;
    dev->bytes_received += received;
}

static char *
addresses_text(const GArray *addresses)
{
    GString *s = g_string_new(NULL);
    char text[CT_ADDR_STRLEN];

    for (guint i = 0; i < addresses->len; i++) {
        ct_addr_format(&g_array_index(addresses, ct_addr, i), text);
        g_string_append_printf(s, "%s%s", i ? " " : "", text);
    }
    return g_string_free(s, FALSE);
}

static char *
services_text(const GArray *services)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < services->len; i++) {
        guint32 service = g_array_index(services, guint32, i);
        char proto[CT_FLOW_PROTO_LABEL_SIZE];
        if (i > 0)
            g_string_append_c(s, ' ');
        g_string_append(s, ct_flow_proto_label((guint8)(service >> 16), proto));
        if ((service & 0xffffu) != 0xffffu)
            g_string_append_printf(s, "/%u", service & 0xffffu);
    }
    return g_string_free(s, FALSE);
}

static void
mac_text(const device *dev, char text[18])
{
    g_snprintf(text, 18, "%02x:%02x:%02x:%02x:%02x:%02x", dev->mac[0], dev->mac[1], dev->mac[2],
               dev->mac[3], dev->mac[4], dev->mac[5]);
}

static void
write_records(const GPtrArray *devices, report_format format)
{
    ct_out *out = ct_out_new(format == REPORT_CSV ? CT_OUT_CSV : CT_OUT_JSONL, stdout);

    ct_out_header(out, columns, G_N_ELEMENTS(columns));
    for (guint i = 0; i < devices->len; i++) {
        const device *dev = g_ptr_array_index(devices, i);
        char addr[CT_ADDR_STRLEN], mac[18];

        ct_addr_format(&dev->addr, addr);
        mac_text(dev, mac);
        for (guint j = 0; j < dev->destinations->len; j++) {
            const destination *d = g_ptr_array_index(dev->destinations, j);
            char *addresses = addresses_text(d->addresses);
            char *services = services_text(d->services);

            ct_out_begin(out);
            ct_out_string(out, "device", addr);
            ct_out_string(out, "device_mac", dev->has_mac ? mac : NULL);
            ct_out_string(out, "destination", d->label);
            ct_out_string(out, "name_source", ct_name_source_label(d->source));
            ct_out_string(out, "domain", d->domain);
            ct_out_string(out, "addresses", addresses);
            ct_out_string(out, "services", services);
            if (d->asn != 0)
                ct_out_uint(out, "asn", d->asn);
            else
                ct_out_null(out, "asn");
            ct_out_string(out, "as_org", d->as_org);
            ct_out_string(out, "country_iso", d->country_iso);
            ct_out_string(out, "country", d->country);
            camtrace_out_foreign(out, "foreign", d->foreign);
            ct_out_uint(out, "flows", d->flows);
            ct_out_uint(out, "bytes_sent", d->bytes_sent);
            ct_out_uint(out, "bytes_received", d->bytes_received);
            ct_out_uint(out, "pkts_sent", d->pkts_sent);
            ct_out_uint(out, "pkts_received", d->pkts_received);
            ct_out_timestamp(out, "first_seen", d->first_sec, d->first_usec);
            ct_out_timestamp(out, "last_seen", d->last_sec, d->last_usec);
            ct_out_string(out, "registered_country_iso", d->registered_country_iso);
            camtrace_out_anycast(out, "anycast", d->anycast);
            ct_out_end(out);
            g_free(addresses);
            g_free(services);
        }
    }
    camtrace_out_close(out, "devices report");
}

/* ---- text ---------------------------------------------------------------- */

/* 1234 -> "1.2 kB" (SI units, as Wireshark's statistics). */
static char *
size_text(guint64 bytes)
{
    static const char *const units[] = {"kB", "MB", "GB", "TB"};
    double value = (double)bytes;
    int unit = -1;

    if (bytes < 1000)
        return g_strdup_printf("%" G_GUINT64_FORMAT " B", bytes);
    while (value >= 1000 && unit < 3) {
        value /= 1000;
        unit++;
    }
    return g_strdup_printf("%.1f %s", value, units[unit]);
}

/* How times are shown: as precisely as the capture's span calls for. */
typedef enum {
    SHOW_MILLISECONDS, /* the capture lasts less than a minute */
    SHOW_SECONDS,
    SHOW_DATES, /* it spans several days */
} time_style;

static char *
time_text(gint64 sec, guint32 usec, time_style style)
{
    GDateTime *t = g_date_time_new_from_unix_utc(sec);
    char *text, *whole;

    if (t == NULL)
        return g_strdup("?");
    whole = g_date_time_format(t, style == SHOW_DATES ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S");
    g_date_time_unref(t);
    if (style != SHOW_MILLISECONDS)
        return whole;
    text = g_strdup_printf("%s.%03u", whole, usec / 1000);
    g_free(whole);
    return text;
}

enum {
    T_DEST,
    T_SOURCE,
    T_DOMAIN,
    T_ORG,
    T_COUNTRY,
    T_FOREIGN,
    T_FLOWS,
    T_SENT,
    T_RECEIVED,
    T_FIRST,
    T_LAST,
    T_SERVICES,
    T_COLS,
};

static const char *const text_titles[T_COLS] = {
    "Destination", "Named by", "Domain",   "Organization", "Country",   "Abroad",
    "Flows",       "Sent",     "Received", "First seen",   "Last seen", "Services",
};

/* Numbers right-aligned, the rest left; the last column is not padded. */
static const gboolean text_right[T_COLS] = {
    FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE,
};

static void
put_row(GString *s, char *const cells[T_COLS], const glong widths[T_COLS])
{
    g_string_append(s, "  ");
    for (int c = 0; c < T_COLS; c++) {
        glong pad = widths[c] - g_utf8_strlen(cells[c], -1);
        if (c == T_COLS - 1) {
            g_string_append(s, cells[c]);
            break;
        }
        if (text_right[c])
            g_string_append_printf(s, "%*s%s  ", (int)pad, "", cells[c]);
        else
            g_string_append_printf(s, "%s%*s  ", cells[c], (int)pad, "");
    }
    /* Trailing spaces help nobody who pastes this. */
    while (s->len > 0 && s->str[s->len - 1] == ' ')
        g_string_truncate(s, s->len - 1);
    g_string_append_c(s, '\n');
}

/* The located country; then, in parentheses, where the block is
 * registered when that is another country, and anycast: "DE",
 * "NL (reg. US)", "(reg. US, anycast)". */
static char *
country_text(const destination *d)
{
    GString *s = g_string_new(d->country_iso);
    gboolean other = d->registered_country_iso != NULL &&
                     g_strcmp0(d->registered_country_iso, d->country_iso) != 0;

    if (other || d->anycast) {
        if (s->len > 0)
            g_string_append_c(s, ' ');
        g_string_append_c(s, '(');
        if (other)
            g_string_append_printf(s, "reg. %s", d->registered_country_iso);
        if (d->anycast)
            g_string_append_printf(s, "%sanycast", other ? ", " : "");
        g_string_append_c(s, ')');
    }
    return g_string_free(s, FALSE);
}

static void
write_device_text(GString *s, const device *dev, const char *home, time_style style)
{
    GPtrArray *rows = g_ptr_array_new();
    glong widths[T_COLS];
    char addr[CT_ADDR_STRLEN], mac[18];
    char *sent = size_text(dev->bytes_sent), *received = size_text(dev->bytes_received);
    char *first = time_text(dev->first_sec, dev->first_usec, style);
    char *last = time_text(dev->last_sec, dev->last_usec, style);
    guint abroad = 0, unknown = 0; /* global destinations without a located country */

    ct_addr_format(&dev->addr, addr);
    mac_text(dev, mac);
    for (guint j = 0; j < dev->destinations->len; j++) {
        const destination *d = g_ptr_array_index(dev->destinations, j);
        abroad += d->foreign == CT_FOREIGN_YES;
        unknown += d->foreign == CT_FOREIGN_UNKNOWN && d->global;
    }
    g_string_append_printf(s, "\n%s%s%s%s\n", addr, dev->has_mac ? " (MAC " : "",
                           dev->has_mac ? mac : "", dev->has_mac ? ")" : "");
    g_string_append_printf(s, "  %" G_GUINT64_FORMAT " flow%s to %u destination%s", dev->flows,
                           dev->flows == 1 ? "" : "s", dev->destinations->len,
                           dev->destinations->len == 1 ? "" : "s");
    if (home != NULL)
        g_string_append_printf(s, ", %u outside %s", abroad, home);
    if (home != NULL && unknown > 0)
        g_string_append_printf(s, ", %u where unknown", unknown);
    g_string_append_printf(s, "; sent %s, received %s; %s to %s\n\n", sent, received, first, last);
    g_free(sent);
    g_free(received);
    g_free(first);
    g_free(last);

    for (int c = 0; c < T_COLS; c++)
        widths[c] = g_utf8_strlen(text_titles[c], -1);
    for (guint j = 0; j < dev->destinations->len; j++) {
        const destination *d = g_ptr_array_index(dev->destinations, j);
        char **cells = g_new0(char *, T_COLS + 1); /* NULL-terminated: g_strfreev() */
        const char *source = ct_name_source_label(d->source);

        cells[T_DEST] = g_strdup(d->label);
        cells[T_SOURCE] = g_strdup(source ? source : "");
        cells[T_DOMAIN] = g_strdup(d->domain ? d->domain : "");
        cells[T_ORG] = d->asn ? g_strdup_printf("%s (AS%u)", d->as_org ? d->as_org : "?", d->asn)
                              : g_strdup("");
        cells[T_COUNTRY] = country_text(d);
        cells[T_FOREIGN] = g_strdup(ct_home_foreign_text(home, d->foreign, d->global));
        cells[T_FLOWS] = g_strdup_printf("%" G_GUINT64_FORMAT, d->flows);
        cells[T_SENT] = size_text(d->bytes_sent);
        cells[T_RECEIVED] = size_text(d->bytes_received);
        cells[T_FIRST] = time_text(d->first_sec, d->first_usec, style);
        cells[T_LAST] = time_text(d->last_sec, d->last_usec, style);
        cells[T_SERVICES] = services_text(d->services);
        for (int c = 0; c < T_COLS; c++)
            widths[c] = MAX(widths[c], g_utf8_strlen(cells[c], -1));
        g_ptr_array_add(rows, cells);
    }
    put_row(s, (char *const *)text_titles, widths);
    for (guint j = 0; j < rows->len; j++) {
        char **cells = g_ptr_array_index(rows, j);
        put_row(s, cells, widths);
        g_strfreev(cells);
    }
    g_ptr_array_free(rows, TRUE);
}

static void
write_text(const GPtrArray *devices)
{
    const char *databases = camtrace_databases_text();
    const char *home = camtrace_home_country();
    GString *s = g_string_new(NULL);
    gint64 first = G_MAXINT64, last = G_MININT64;
    guint destinations = 0;
    time_style style;
    char *from, *to;

    for (guint i = 0; i < devices->len; i++) {
        const device *dev = g_ptr_array_index(devices, i);
        first = MIN(first, dev->first_sec);
        last = MAX(last, dev->last_sec);
        destinations += dev->destinations->len;
    }
    style = devices->len == 0               ? SHOW_SECONDS
            : first / 86400 != last / 86400 ? SHOW_DATES
            : last - first < 60             ? SHOW_MILLISECONDS
                                            : SHOW_SECONDS;
    g_string_append_printf(s, "CamTrace devices: %u local device%s, %u destination%s", devices->len,
                           devices->len == 1 ? "" : "s", destinations,
                           destinations == 1 ? "" : "s");
    if (home != NULL)
        g_string_append_printf(s, "; home country %s", home);
    else
        g_string_append(s, "; no home country set (camtrace.home_country)");
    g_string_append_c(s, '\n');
    if (databases != NULL)
        g_string_append_printf(s, "Databases: %s\n", databases);
    if (devices->len > 0) {
        from = time_text(first, 0, SHOW_DATES);
        to = time_text(last, 0, SHOW_DATES);
        g_string_append_printf(s, "Traffic from %s to %s UTC\n", from, to);
        g_free(from);
        g_free(to);
    }
    for (guint i = 0; i < devices->len; i++)
        write_device_text(s, g_ptr_array_index(devices, i), home, style);
    fwrite(s->str, 1, s->len, stdout);
    g_string_free(s, TRUE);
}

typedef struct {
    GPtrArray *devices;
    GHashTable *by_addr;
    const camtrace_flow_counter *counter;
} count_state;

static void
count_flow(uint64_t id, const ct_flow *f, void *data)
{
    count_state *c = data;
    camtrace_flow_names names;

    camtrace_flow_counter_names(c->counter, id, f, &names);
    count_side(c->devices, c->by_addr, c->counter, f, &names, 0);
    count_side(c->devices, c->by_addr, c->counter, f, &names, 1);
}

static void
devices_draw(const camtrace_flow_counter *counter, int format, void *data _U_)
{
    count_state c = {
        g_ptr_array_new_with_free_func(device_free),
        g_hash_table_new(ct_addr_table_hash, ct_addr_table_equal),
        counter,
    };

    camtrace_ptr_settle();
    ct_flow_table_foreach(camtrace_flow_counter_flows(counter), count_flow, &c);
    if (format == REPORT_TEXT)
        write_text(c.devices);
    else
        write_records(c.devices, (report_format)format);
    g_hash_table_destroy(c.by_addr);
    g_ptr_array_free(c.devices, TRUE);
}

static bool
devices_start(const char *arg)
{
    static const char *const formats[] = {"text", "csv", "jsonl", NULL};

    return camtrace_counter_listen(arg, CLI_PREFIX, formats, "devices report", TRUE, devices_draw,
                                   NULL, NULL);
}

CT_WS_STAT_INIT(devices_init, devices_start)

void
camtrace_devices_register(void)
{
    static stat_tap_ui ui = {
        REGISTER_STAT_GROUP_GENERIC, "CamTrace devices", CLI_PREFIX, devices_init, 0, NULL,
    };

    register_stat_tap_ui(&ui, NULL);
}
