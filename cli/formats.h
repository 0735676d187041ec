/* formats.h - what a record says about its flow, read into values.
 *
 * JSON Lines and CSV pass the seed's members through; ECS documents have
 * types of their own (dates, numbers, a protocol number), so for them a
 * record's time, protocol, ports and counts are read into a flow_view.
 * A member that is there but not of its kind (a time that is not one, a
 * port above 65535, a count that is not a whole number) refuses the line
 * with a reason naming it; a member that is absent or null is unknown.
 */
#ifndef CLI_FORMATS_H
#define CLI_FORMATS_H

#include <stdbool.h>
#include <stdint.h>

#include "ct_addr.h"
#include "ct_json.h"

typedef struct record record;

/* The input formats: the seed's JSON Lines (src_ip, dst_ip), Suricata
 * EVE flow and netflow events, Zeek's conn.log as JSON, ECS documents. */
typedef enum {
    INPUT_AUTO = 0,
    INPUT_SEED,
    INPUT_EVE,
    INPUT_ZEEK,
    INPUT_ECS,
} input_format;

/* "auto", "seed", "eve", "zeek", "ecs". */
const char *formats_name(input_format format);
/* The format of a name above; false when there is none. */
bool formats_parse(const char *name, input_format *format);

/* Room for a community_id, a transport name. */
#define VIEW_TEXT_MAX 64

typedef struct {
    bool has_start, has_end;
    int64_t start_sec, end_sec;
    uint32_t start_usec, end_usec;
    bool has_duration;
    uint64_t duration_ns;
    int proto;                     /* IANA number, or -1 */
    char transport[VIEW_TEXT_MAX]; /* a name without a number, lower case; "" none */
    bool has_port[2];              /* source, destination */
    uint16_t port[2];
    bool has_bytes, has_packets; /* both ways */
    uint64_t bytes, packets;
    bool has_side_bytes[2], has_side_packets[2]; /* sent by each end */
    uint64_t side_bytes[2], side_packets[2];
    char community_id[VIEW_TEXT_MAX]; /* "" none */
} flow_view;

/* The seed's record (the columns of r) into r->view; false with r->why
 * set when a member is not of its kind. */
bool formats_read_seed_view(record *r);

/* The format of the record r holds, by its keys: dst_ip is the seed's,
 * event_type EVE's, id.orig_h or id.resp_h Zeek's, src_ip the seed's,
 * @timestamp, ecs, source, destination, source.ip or destination.ip
 * ECS's; else the seed's (whose addresses it lacks). */
input_format formats_detect(const record *r);

/* The addresses and r->view of a record of r->format (not the seed's);
 * false with r->why set when its addresses are missing or bad, or a
 * member is not of its kind. */
bool formats_read(record *r, ct_addr *src, ct_addr *dst);

/* Readers of one member for the views, each 1 when read, 0 when absent
 * or null, -1 (r->why says why, naming name) when of another kind. */
/* A time: ISO 8601 text (YYYY-MM-DDTHH:MM:SS, a fraction, Z or an offset
 * such as +02:00 or +0200; no zone is UTC) or a number of seconds since
 * 1970 (a fraction allowed); microseconds are kept. */
int formats_time(record *r, const char *name, const ct_json_member *m, int64_t *sec,
                 uint32_t *usec);
/* A whole number from 0 to max. */
int formats_uint(record *r, const char *name, const ct_json_member *m, uint64_t max,
                 uint64_t *value);
/* A protocol: a name (tcp, UDP, IPv6-ICMP, icmpv6, ...), its number as a
 * JSON number or decimal text; a name this table does not know is kept
 * as view->transport. */
int formats_proto(record *r, const char *name, const ct_json_member *m, flow_view *view);
/* A duration in seconds (a JSON number, fraction allowed) as nanoseconds. */
int formats_duration(record *r, const char *name, const ct_json_member *m, uint64_t *ns);
/* A string of at most VIEW_TEXT_MAX - 1 bytes, decoded into out. */
int formats_text(record *r, const char *name, const ct_json_member *m, char out[VIEW_TEXT_MAX]);

#endif
