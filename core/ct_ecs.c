/* ct_ecs.c - see ct_ecs.h.
 *
 * Every cell goes through ct_out, so ECS documents keep its guarantees.
 * Objects are opened only when something goes in them: ECS documents
 * leave absent values out, and an empty "geo":{} would be noise.  The
 * fields that depend on a host only come from ct_ecs_render() text when
 * the caller has it (camtrace writes millions of documents about a few
 * thousand hosts), else from the host, by the same function.
 */
#include "ct_ecs.h"

#include <string.h>

void
ct_ecs_flow_init(ct_ecs_flow *flow)
{
    memset(flow, 0, sizeof *flow);
    flow->proto = -1;
    flow->device = -1;
    flow->foreign = CT_FOREIGN_UNKNOWN;
}

/* IANA's Assigned Internet Protocol Numbers, keywords in lower case, for
 * the protocols flows carry in practice. */
static const struct {
    uint8_t number;
    const char *keyword;
} transports[] = {
    {1, "icmp"},       {2, "igmp"},   {4, "ipv4"},      {6, "tcp"},   {17, "udp"},
    {33, "dccp"},      {41, "ipv6"},  {47, "gre"},      {50, "esp"},  {51, "ah"},
    {58, "ipv6-icmp"}, {88, "eigrp"}, {89, "ospfigp"},  {103, "pim"}, {112, "vrrp"},
    {115, "l2tp"},     {132, "sctp"}, {136, "udplite"},
};

const char *
ct_ecs_transport(int proto)
{
    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        if (transports[i].number == proto)
            return transports[i].keyword;
    }
    return NULL;
}

/* Whether name (len bytes) is word (lower case) in any case, without
 * g_ascii_strncasecmp()'s calls, as this runs once per record: a byte c
 * matches a letter w when c | 0x20 is w (true only of w and its upper
 * case), anything else only itself. */
static bool
is_word(const char *name, size_t len, const char *word)
{
    for (size_t i = 0; i < len; i++) {
        char c = name[i], w = word[i];
        if (w == '\0' || (c != w && !(w >= 'a' && w <= 'z' && (c | 0x20) == w)))
            return false;
    }
    return len > 0 && word[len] == '\0';
}

int
ct_ecs_proto_number(const char *name, size_t len)
{
    /* What Wireshark and the flow export call them (ct_flow_proto_name()). */
    static const struct {
        uint8_t number;
        const char *name;
    } aliases[] = {{58, "icmpv6"}, {58, "icmp6"}, {4, "ipip"}, {89, "ospf"}};

    /* No alias is a keyword: the order does not matter, and flow logs
     * mostly say "tcp" or "udp". */
    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        if (is_word(name, len, transports[i].keyword))
            return transports[i].number;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(aliases); i++) {
        if (is_word(name, len, aliases[i].name))
            return aliases[i].number;
    }
    return -1;
}

bool
ct_ecs_index_valid(const char *name, GError **error)
{
    size_t len = strlen(name);
    const char *why = NULL;

    if (len == 0)
        why = "it is empty";
    else if (len > 255)
        why = "it is longer than 255 bytes";
    else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        why = "it is \".\" or \"..\"";
    else if (name[0] == '-' || name[0] == '_' || name[0] == '+')
        why = "it starts with '-', '_' or '+'";
    for (size_t i = 0; why == NULL && i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == '+'))
            why = "only lower-case letters, digits, '-', '_', '.' and '+' are allowed";
    }
    if (why == NULL)
        return true;
    if (error != NULL) {
        char *shown = g_strescape(name, NULL);
        g_set_error(error, CT_ERROR, CT_ERR_INVALID, "index name \"%s\" is not valid: %s", shown,
                    why);
        g_free(shown);
    }
    return false;
}

/* ---- the parts that depend on the host --------------------------------- */

typedef struct {
    ct_ecs_part part;
    const ct_addr *addr;
    const ct_host *host;
} host_part;

static bool
has_geo(const ct_geo_info *g)
{
    return g->country_iso != NULL || g->country != NULL || g->region != NULL || g->city != NULL ||
           g->has_location;
}

/* as.*, geo.* of an end. */
static void
write_lookups(ct_out *out, const ct_host *host)
{
    const ct_geo_info *g;

    if (host == NULL)
        return;
    g = &host->geo;
    if (g->asn != 0 || g->as_org != NULL) {
        ct_out_object_begin(out, "as");
        if (g->asn != 0)
            ct_out_uint(out, "number", g->asn);
        if (g->as_org != NULL) {
            ct_out_object_begin(out, "organization");
            ct_out_string(out, "name", g->as_org);
            ct_out_object_end(out);
        }
        ct_out_object_end(out);
    }
    if (has_geo(g)) {
        ct_out_object_begin(out, "geo");
        if (g->country_iso != NULL)
            ct_out_string(out, "country_iso_code", g->country_iso);
        if (g->country != NULL)
            ct_out_string(out, "country_name", g->country);
        if (g->region != NULL)
            ct_out_string(out, "region_name", g->region);
        if (g->city != NULL)
            ct_out_string(out, "city_name", g->city);
        if (g->has_location) {
            ct_out_object_begin(out, "location");
            ct_out_double(out, "lat", g->latitude);
            ct_out_double(out, "lon", g->longitude);
            ct_out_object_end(out);
        }
        ct_out_object_end(out);
    }
}

/* scope, registered_country_iso, anycast of camtrace.<end>. */
static void
write_custom(ct_out *out, const ct_addr *addr, const ct_host *host)
{
    ct_out_string(out, "scope", ct_scope_name(host ? host->scope : ct_addr_scope(addr)));
    if (host != NULL && host->geo.registered_country_iso != NULL)
        ct_out_string(out, "registered_country_iso", host->geo.registered_country_iso);
    if (host != NULL && host->geo.anycast)
        ct_out_number(out, "anycast", "true", 4);
}

static void
write_part(ct_out *out, const void *data)
{
    const host_part *p = data;

    if (p->part == CT_ECS_PART_ENDPOINT) {
        char ip[CT_ADDR_STRLEN];
        ct_addr_format(p->addr, ip);
        ct_out_string(out, "ip", ip);
        write_lookups(out, p->host);
    } else {
        write_custom(out, p->addr, p->host);
    }
}

char *
ct_ecs_render(ct_ecs_part part, const ct_addr *addr, const ct_host *host, size_t *len)
{
    host_part p = {part, addr, host};

    return ct_out_render(CT_OUT_JSONL, write_part, &p, len);
}

static void
put_custom(ct_out *out, const ct_ecs_end *e)
{
    if (e->rendered[CT_ECS_PART_CUSTOM] == NULL)
        write_custom(out, &e->addr, e->host);
    else
        ct_out_rendered(out, e->rendered[CT_ECS_PART_CUSTOM], e->rendered_len[CT_ECS_PART_CUSTOM]);
}

/* ---- the document ------------------------------------------------------ */

/* The keys of the fields written per document, rendered once
 * (constants()). */
enum {
    K_TIMESTAMP,
    K_EVENT,
    K_START,
    K_END,
    K_DURATION,
    K_NETWORK,
    K_BYTES,
    K_PACKETS,
    K_SOURCE,
    K_DESTINATION,
    K_PORT,
    K_RELATED,
    K_IP,
    K_CAMTRACE,
    KEYS
};

static const char *const key_names[KEYS] = {
    [K_TIMESTAMP] = "@timestamp",
    [K_EVENT] = "event",
    [K_START] = "start",
    [K_END] = "end",
    [K_DURATION] = "duration",
    [K_NETWORK] = "network",
    [K_BYTES] = "bytes",
    [K_PACKETS] = "packets",
    [K_SOURCE] = "source",
    [K_DESTINATION] = "destination",
    [K_PORT] = "port",
    [K_RELATED] = "related",
    [K_IP] = "ip",
    [K_CAMTRACE] = "camtrace",
};
static ct_out_key keys[KEYS];

/* RFC 7042's notation, which ECS suggests: 02-00-5E-10-00-01. */
static void
write_mac(ct_out *out, const char *key, const uint8_t mac[6])
{
    static const char hex[] = "0123456789ABCDEF";
    char text[18];

    for (int i = 0; i < 6; i++) {
        text[i * 3] = hex[mac[i] >> 4];
        text[i * 3 + 1] = hex[mac[i] & 15];
        text[i * 3 + 2] = '-';
    }
    ct_out_string_len(out, key, text, 17);
}

static void
write_end(ct_out *out, const ct_out_key *key, const ct_ecs_end *e, const char *ip)
{
    ct_out_object_begin_key(out, key);
    /* ip, as.*, geo.*: as write_part() renders them. */
    if (e->rendered[CT_ECS_PART_ENDPOINT] == NULL) {
        ct_out_string(out, "ip", ip);
        write_lookups(out, e->host);
    } else {
        ct_out_rendered(out, e->rendered[CT_ECS_PART_ENDPOINT],
                        e->rendered_len[CT_ECS_PART_ENDPOINT]);
    }
    if (e->has_port)
        ct_out_uint_key(out, &keys[K_PORT], e->port);
    if (e->has_mac)
        write_mac(out, "mac", e->mac);
    if (e->has_bytes)
        ct_out_uint_key(out, &keys[K_BYTES], e->bytes);
    if (e->has_packets)
        ct_out_uint_key(out, &keys[K_PACKETS], e->packets);
    if (e->name != NULL)
        ct_out_string(out, "domain", e->name);
    if (e->registered_domain != NULL)
        ct_out_string(out, "registered_domain", e->registered_domain);
    ct_out_object_end(out);
}

static void
write_custom_end(ct_out *out, const ct_out_key *key, const ct_ecs_end *e)
{
    ct_out_object_begin_key(out, key);
    put_custom(out, e);
    if (e->ptr != NULL)
        ct_out_string(out, "ptr", e->ptr);
    if (e->name_source != NULL)
        ct_out_string(out, "name_source", e->name_source);
    ct_out_object_end(out);
}

static void
write_time(ct_out *out, const ct_out_key *key, int64_t sec, uint32_t usec)
{
    char text[CT_OUT_TIMESTAMP_LEN];
    size_t len = ct_out_timestamp_text(out, sec, usec, text);

    if (len > 0)
        ct_out_timestamp_text_key(out, key, text, len);
}

/* What every document has: ecs.version and the event's kind, category
 * and type, rendered once (ct_out_render()). */
/* network.transport, .iana_number and .type for each protocol number (and
 * none: [0]) and address family (IPv4, IPv6, unknown). */
#define NETWORK_PROTOS 257

typedef struct {
    char *ecs, *event;
    size_t ecs_len, event_len;
    char *network[3][NETWORK_PROTOS];
    size_t network_len[3][NETWORK_PROTOS];
} constant_cells;

typedef struct {
    int proto;
    const char *transport; /* when proto has no keyword */
    int family;            /* 4, 6, else unknown */
} network_cells;

static void
write_network_cells(ct_out *out, const void *data)
{
    const network_cells *n = data;
    const char *transport = ct_ecs_transport(n->proto);

    if (transport == NULL)
        transport = n->transport;
    if (transport != NULL)
        ct_out_string(out, "transport", transport);
    if (n->proto >= 0 && n->proto <= 255) {
        char number[4];
        int len = g_snprintf(number, sizeof number, "%d", n->proto);
        ct_out_string_len(out, "iana_number", number, (size_t)len);
    }
    if (n->family == 4 || n->family == 6)
        ct_out_string_len(out, "type", n->family == 4 ? "ipv4" : "ipv6", 4);
}

static void
write_ecs_version(ct_out *out, const void *data)
{
    (void)data;
    ct_out_object_begin(out, "ecs");
    ct_out_string_len(out, "version", CT_ECS_VERSION, sizeof CT_ECS_VERSION - 1);
    ct_out_object_end(out);
}

static void
write_event_kind(ct_out *out, const void *data)
{
    (void)data;
    ct_out_string_len(out, "kind", "event", 5);
    ct_out_array_begin(out, "category");
    ct_out_string_len(out, NULL, "network", 7);
    ct_out_array_end(out);
    ct_out_array_begin(out, "type");
    ct_out_string_len(out, NULL, "connection", 10);
    ct_out_array_end(out);
}

static const constant_cells *
constants(void)
{
    static constant_cells cells;
    static gsize done;

    if (g_once_init_enter(&done)) {
        for (int k = 0; k < KEYS; k++)
            ct_out_key_init(&keys[k], key_names[k]);
        cells.ecs = ct_out_render(CT_OUT_JSONL, write_ecs_version, NULL, &cells.ecs_len);
        cells.event = ct_out_render(CT_OUT_JSONL, write_event_kind, NULL, &cells.event_len);
        for (int f = 0; f < 3; f++) {
            for (int p = 0; p < NETWORK_PROTOS; p++) {
                network_cells n = {p - 1, NULL, f == 0 ? 4 : f == 1 ? 6 : 0};
                cells.network[f][p] =
                    ct_out_render(CT_OUT_JSONL, write_network_cells, &n, &cells.network_len[f][p]);
            }
        }
        g_once_init_leave(&done, 1);
    }
    return &cells;
}

static void
write_event(ct_out *out, const ct_ecs_flow *f, const constant_cells *c,
            const char start[CT_OUT_TIMESTAMP_LEN], size_t start_len)
{
    ct_out_object_begin_key(out, &keys[K_EVENT]);
    ct_out_rendered(out, c->event, c->event_len);
    if (start_len > 0)
        ct_out_timestamp_text_key(out, &keys[K_START], start, start_len);
    if (f->has_end)
        write_time(out, &keys[K_END], f->end_sec, f->end_usec);
    if (f->has_duration) {
        ct_out_uint_key(out, &keys[K_DURATION], f->duration_ns);
    } else if (f->has_start && f->has_end) {
        int64_t usecs =
            (f->end_sec - f->start_sec) * 1000000 + (int64_t)f->end_usec - (int64_t)f->start_usec;
        if (usecs >= 0)
            ct_out_uint_key(out, &keys[K_DURATION], (uint64_t)usecs * 1000u);
    }
    ct_out_object_end(out);
}

static void
write_network(ct_out *out, const ct_ecs_flow *f, const constant_cells *c)
{
    int family = f->end[0].addr.family == f->end[1].addr.family ? f->end[0].addr.family : 0;

    ct_out_object_begin_key(out, &keys[K_NETWORK]);
    if ((f->proto < 0 || f->proto > 255 || ct_ecs_transport(f->proto) == NULL) &&
        f->transport != NULL) {
        network_cells n = {f->proto, f->transport, family};
        write_network_cells(out, &n);
    } else {
        int fi = family == 4 ? 0 : family == 6 ? 1 : 2;
        int pi = f->proto >= 0 && f->proto <= 255 ? f->proto + 1 : 0;
        if (c->network_len[fi][pi] > 0)
            ct_out_rendered(out, c->network[fi][pi], c->network_len[fi][pi]);
    }
    if (f->community_id != NULL)
        ct_out_string(out, "community_id", f->community_id);
    if (f->has_bytes)
        ct_out_uint_key(out, &keys[K_BYTES], f->bytes);
    if (f->has_packets)
        ct_out_uint_key(out, &keys[K_PACKETS], f->packets);
    ct_out_object_end(out);
}

/* An end's address in an array.  A rendered endpoint part starts with
 * the "ip" cell (write_part()), and an address's text needs no escaping:
 * its JSON string there is the quotes and the text, copied rather than
 * checked again. */
static void
write_ip(ct_out *out, const ct_ecs_end *e, const char *ip)
{
    const char *part = e->rendered[CT_ECS_PART_ENDPOINT];

    if (part == NULL)
        ct_out_string(out, NULL, ip);
    else
        ct_out_rendered(out, part + keys[K_IP].len, strlen(ip) + 2);
}

static void
write_related(ct_out *out, const ct_ecs_flow *f, const char *const ip[2])
{
    const char *a = f->end[0].name, *b = f->end[1].name;

    ct_out_object_begin_key(out, &keys[K_RELATED]);
    ct_out_array_begin_key(out, &keys[K_IP]);
    write_ip(out, &f->end[0], ip[0]);
    if (!ct_addr_equal(&f->end[0].addr, &f->end[1].addr))
        write_ip(out, &f->end[1], ip[1]);
    ct_out_array_end(out);
    if (a == NULL) {
        a = b;
        b = NULL;
    }
    if (a != NULL) {
        ct_out_array_begin(out, "hosts");
        ct_out_string(out, NULL, a);
        if (b != NULL && strcmp(a, b) != 0)
            ct_out_string(out, NULL, b);
        ct_out_array_end(out);
    }
    ct_out_object_end(out);
}

static void
write_camtrace(ct_out *out, const ct_ecs_flow *f, const char *const ip[2])
{
    ct_out_object_begin_key(out, &keys[K_CAMTRACE]);
    write_custom_end(out, &keys[K_SOURCE], &f->end[0]);
    write_custom_end(out, &keys[K_DESTINATION], &f->end[1]);
    if (f->foreign != CT_FOREIGN_UNKNOWN) {
        if (f->foreign == CT_FOREIGN_YES)
            ct_out_number(out, "foreign", "true", 4);
        else
            ct_out_number(out, "foreign", "false", 5);
    }
    if (f->device == 0 || f->device == 1) {
        const ct_ecs_end *d = &f->end[f->device];
        ct_out_object_begin(out, "device");
        ct_out_string(out, "ip", ip[f->device]);
        if (d->has_mac)
            write_mac(out, "mac", d->mac);
        ct_out_object_end(out);
    }
    ct_out_object_end(out);
}

void
ct_ecs_write_head(ct_out *out, const ct_ecs_flow *f)
{
    const constant_cells *c = constants();
    char start[CT_OUT_TIMESTAMP_LEN];
    size_t start_len = 0;

    ct_out_begin(out);
    /* The start is @timestamp too. */
    if (f->has_start)
        start_len = ct_out_timestamp_text(out, f->start_sec, f->start_usec, start);
    if (start_len > 0)
        ct_out_timestamp_text_key(out, &keys[K_TIMESTAMP], start, start_len);
    ct_out_rendered(out, c->ecs, c->ecs_len);
    write_event(out, f, c, start, start_len);
    write_network(out, f, c);
}

void
ct_ecs_write_ends(ct_out *out, const ct_ecs_flow *f)
{
    char text[2][CT_ADDR_STRLEN];
    const char *ip[2];

    constants(); /* for the keys */
    for (int i = 0; i < 2; i++) {
        ip[i] = f->ip[i];
        if (ip[i] == NULL) {
            ct_addr_format(&f->end[i].addr, text[i]);
            ip[i] = text[i];
        }
    }
    write_end(out, &keys[K_SOURCE], &f->end[0], ip[0]);
    write_end(out, &keys[K_DESTINATION], &f->end[1], ip[1]);
    write_related(out, f, ip);
    write_camtrace(out, f, ip);
    ct_out_end(out);
}

void
ct_ecs_write(ct_out *out, const ct_ecs_flow *f)
{
    ct_ecs_write_head(out, f);
    ct_ecs_write_ends(out, f);
}

void
ct_ecs_write_action(ct_out *out, const char *index)
{
    ct_out_begin(out);
    ct_out_object_begin(out, "create");
    ct_out_string(out, "_index", index);
    ct_out_object_end(out);
    ct_out_end(out);
}
