/* ct_flow.h - bidirectional flows: packets and bytes each way.
 *
 * A flow is keyed by IP protocol and both endpoints: address and port for
 * TCP, UDP and SCTP packets that carry their header, address only for
 * ICMP and everything else.  The same flow is found from either
 * direction.  Its initiator (the "src" side) is the sender of the first
 * packet seen, unless TCP handshake packets say otherwise: the sender of a
 * SYN, or the receiver of a SYN-ACK, is the initiator (the first such
 * packet decides).
 *
 * The table is bounded at creation: it holds at most max_flows flows.  A
 * new flow beyond that takes the place of the least recently used one
 * (the flow whose latest packet came longest ago), which is forgotten and
 * counted (ct_flow_table_dropped()); a later packet of a forgotten flow
 * starts a new flow.  Each flow has an id, given in the order of first
 * packets and never given again until ct_flow_table_clear(); while no
 * flow was forgotten, the ids are 0 .. size-1.
 */
#ifndef CT_FLOW_H
#define CT_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "ct_addr.h"

G_BEGIN_DECLS

typedef struct ct_flow_table ct_flow_table;

enum {
    CT_FLOW_TCP_SYN = 0x02,
    CT_FLOW_TCP_ACK = 0x10,
};

/* One packet, as the caller's dissector saw it. */
typedef struct {
    int64_t sec; /* capture time */
    uint32_t usec;
    ct_addr src, dst;
    uint8_t proto;  /* IP protocol number */
    bool has_ports; /* TCP, UDP or SCTP header present */
    uint16_t sport, dport;
    bool has_icmp; /* ICMP or ICMPv6 header present */
    uint8_t icmp_type, icmp_code;
    uint8_t tcp_flags; /* CT_FLOW_TCP_* bits */
    uint32_t bytes;    /* frame length */
    uint32_t frame;    /* frame number, for ct_names lookups */
} ct_flow_packet;

/* A flow as reported, oriented from its initiator. */
typedef struct {
    ct_addr src, dst;
    uint8_t proto;
    bool has_ports;
    uint16_t sport, dport;
    bool has_icmp; /* type and code of the flow's first ICMP packet */
    uint8_t icmp_type, icmp_code;
    int64_t first_sec, last_sec; /* earliest and latest packet times */
    uint32_t first_usec, last_usec;
    uint32_t first_frame, last_frame; /* the first packet's, the highest */
    uint64_t src_pkts, src_bytes, dst_pkts, dst_bytes;
} ct_flow;

/* The default bound: about 150 bytes a flow, so about 160 MB. */
#define CT_FLOW_MAX_FLOWS (1024u * 1024)

/* A table of at most max_flows flows (1 or more); 0 means
 * CT_FLOW_MAX_FLOWS. */
ct_flow_table *ct_flow_table_new(uint32_t max_flows);
void ct_flow_table_free(ct_flow_table *table);

/* The bound given at creation. */
uint32_t ct_flow_table_max(const ct_flow_table *table);

/* Called with the id of each flow the table forgets to make room (not
 * at ct_flow_table_clear()), so that a caller's data about it can go. */
typedef void (*ct_flow_forget_fn)(uint64_t id, void *data);
void ct_flow_table_on_forget(ct_flow_table *table, ct_flow_forget_fn fn, void *data);

/* Count pkt in its flow; true when the packet started a new flow (which
 * may have made the table forget another).  The flow's id goes to *id
 * if given. */
bool ct_flow_table_add(ct_flow_table *table, const ct_flow_packet *pkt, uint64_t *id);

/* Number of flows held now (at most the bound). */
uint64_t ct_flow_table_size(const ct_flow_table *table);
/* Flows forgotten to make room since creation or the last clear. */
uint64_t ct_flow_table_dropped(const ct_flow_table *table);

/* Flow id copied into *flow; false when the table does not hold it (it
 * was forgotten, or never given).  Immediate for the flow of the latest
 * packet and while no flow was forgotten; otherwise a search. */
bool ct_flow_table_get(const ct_flow_table *table, uint64_t id, ct_flow *flow);

/* Call fn for every flow held, in the order of each flow's first packet
 * (ids ascending).  fn must not change the table. */
typedef void (*ct_flow_each_fn)(uint64_t id, const ct_flow *flow, void *data);
void ct_flow_table_foreach(const ct_flow_table *table, ct_flow_each_fn fn, void *data);

/* Forget every flow; the dropped count starts again at 0. */
void ct_flow_table_clear(ct_flow_table *table);

/* Lower-case IANA keyword of an IP protocol number ("tcp", "udp",
 * "icmp", "ipv6-icmp" is written "icmpv6" as Wireshark does), or NULL. */
const char *ct_flow_proto_name(uint8_t proto);

/* Room for a number written by ct_flow_proto_label(): "255" and NUL. */
#define CT_FLOW_PROTO_LABEL_SIZE 4
/* An IP protocol as the exports and the flow table write it: its keyword
 * (ct_flow_proto_name()), else its number in decimal ("253") written into
 * buf.  Returns the keyword or buf. */
const char *ct_flow_proto_label(uint8_t proto, char buf[CT_FLOW_PROTO_LABEL_SIZE]);

G_END_DECLS

#endif
