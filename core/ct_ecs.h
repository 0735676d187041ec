/* ct_ecs.h - one flow as an Elastic Common Schema (ECS) document.
 *
 * Elasticsearch, OpenSearch and the shippers that feed them (Filebeat,
 * Logstash, Fluent Bit, Vector) share ECS's field names; a flow written
 * with them needs no hand-written mapping.  A document is one JSON object
 * written through ct_out (JSON Lines), so its text keeps ct_out's
 * guarantees (valid UTF-8, no control characters, one line), nested as
 * ECS documents are:
 *
 *   @timestamp, ecs.version, event.kind "event", event.category
 *   ["network"], event.type ["connection"], event.start, event.end,
 *   event.duration (nanoseconds); network.transport, .iana_number,
 *   .community_id, .bytes, .packets, .type ("ipv4"/"ipv6"); source.* and
 *   destination.*: ip, port, mac, bytes, packets, domain,
 *   registered_domain, as.number, as.organization.name,
 *   geo.country_iso_code, .country_name, .region_name, .city_name,
 *   geo.location {"lat","lon"}; related.ip, related.hosts;
 *   and what ECS has no field for under camtrace.*: camtrace.source.* and
 *   camtrace.destination.* (scope, ptr, name_source,
 *   registered_country_iso, anycast), camtrace.foreign, camtrace.device
 *   (ip, mac: the flow's local end).
 *
 * Field types are ECS's (ECS_VERSION below): dates ISO 8601 UTC with
 * microseconds and "Z", numbers as JSON numbers, network.iana_number a
 * keyword (a string, as ECS defines it), MAC addresses as RFC 7042 says
 * (upper-case hex, hyphens).  Absent values are left out, never null;
 * objects that would be empty are left out too.
 */
#ifndef CT_ECS_H
#define CT_ECS_H

#include <stdbool.h>
#include <stdint.h>

#include "ct_enrich.h"
#include "ct_home.h"
#include "ct_out.h"

G_BEGIN_DECLS

/* The ECS release whose field definitions the documents follow (written
 * as ecs.version; tests/fixtures/ecs-fields.json holds the subset). */
#define CT_ECS_VERSION "8.17.0"

/* The fields of one end that depend on its host only, rendered once
 * (ct_ecs_render()) for callers that write the same hosts in many
 * documents; the same text serves source and destination. */
typedef enum {
    CT_ECS_PART_ENDPOINT = 0, /* ip, as.*, geo.* of source / destination */
    CT_ECS_PART_CUSTOM,       /* scope, registered_country_iso, anycast of camtrace.<end> */
    CT_ECS_PARTS
} ct_ecs_part;

/* One end of a flow.  Unknown values: has_* false, pointers NULL. */
typedef struct {
    ct_addr addr;
    bool has_port;
    uint16_t port;
    bool has_mac;
    uint8_t mac[6];
    bool has_bytes, has_packets;
    uint64_t bytes, packets; /* sent by this end */
    /* What the enricher found (NULL: not looked up); the scope is the
     * address's own when host is NULL. */
    const ct_host *host;
    const char *ptr;               /* its PTR name */
    const char *name;              /* its name: source.domain */
    const char *registered_domain; /* of name */
    const char *name_source;       /* where name comes from: "dns", "sni", "http", "ptr" */
    /* ct_ecs_render() of host for each part, or NULL to write them from
     * host directly (the same text). */
    const char *rendered[CT_ECS_PARTS];
    size_t rendered_len[CT_ECS_PARTS];
} ct_ecs_end;

typedef struct {
    bool has_start, has_end;
    int64_t start_sec, end_sec;
    uint32_t start_usec, end_usec;
    /* event.duration: given, else end - start when both are known. */
    bool has_duration;
    uint64_t duration_ns;
    int proto;                /* IANA protocol number, or -1 */
    const char *transport;    /* network.transport when proto has no keyword, or NULL */
    const char *community_id; /* or NULL */
    bool has_bytes, has_packets;
    uint64_t bytes, packets; /* both ways */
    ct_foreign foreign;
    int device;        /* the end that is the local device: 0 source, 1 destination, -1 none */
    ct_ecs_end end[2]; /* source, destination */
    /* The ends' addresses as text, when the caller has them (NULL: formatted here). */
    const char *ip[2];
} ct_ecs_flow;

/* A flow with nothing known (proto -1, device -1, foreign unknown). */
void ct_ecs_flow_init(ct_ecs_flow *flow);

/* Write flow as one document (a record of out, which must be JSON Lines). */
void ct_ecs_write(ct_out *out, const ct_ecs_flow *flow);
/* ct_ecs_write() in two calls, for a caller whose hosts are still on
 * their way into the cache: the head (@timestamp, ecs, event, network)
 * needs of flow only its times, protocol, community ID, counts and the
 * ends' addresses; the ends (source, destination, related, camtrace)
 * the rest, once flow is complete.  Nothing else goes to out between. */
void ct_ecs_write_head(ct_out *out, const ct_ecs_flow *flow);
void ct_ecs_write_ends(ct_out *out, const ct_ecs_flow *flow);

/* The _bulk action line before each document: {"create":{"_index":INDEX}}
 * (create, which data streams require). */
void ct_ecs_write_action(ct_out *out, const char *index);

/* Whether name is an index or data stream name Elasticsearch and
 * OpenSearch accept: 1 to 255 bytes of lower-case ASCII letters, digits,
 * '-', '_', '.' and '+', not starting with '-', '_' or '+', not "." or
 * "..".  False with error (CT_ERR_INVALID) saying why. */
bool ct_ecs_index_valid(const char *name, GError **error);

/* The part's cells for an end at addr with host (NULL: not looked up), as
 * ct_ecs_write() writes them, for ct_ecs_end.rendered (g_free); never
 * empty (the endpoint part has the address, the custom part its scope). */
char *ct_ecs_render(ct_ecs_part part, const ct_addr *addr, const ct_host *host, size_t *len);

/* ECS's network.transport for an IANA protocol number: the registry's
 * keyword in lower case ("tcp", "udp", "icmp", "ipv6-icmp", ...), or
 * NULL for a number this table does not name. */
const char *ct_ecs_transport(int proto);

/* The IANA protocol number of a transport name as flow logs write it, in
 * any case: the keywords of ct_ecs_transport(), and the names of
 * ct_flow_proto_name() ("icmpv6", "ipip", "ospf"), "icmp6"; -1 when
 * unknown. */
int ct_ecs_proto_number(const char *name, size_t len);

G_END_DECLS

#endif
