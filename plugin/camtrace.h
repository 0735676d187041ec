/* camtrace.h - entry points of the CamTrace epan adapter, and what the
 * post-dissector (packet-camtrace.c) shares with the flow export
 * (flows.c). */
#ifndef CAMTRACE_PLUGIN_H
#define CAMTRACE_PLUGIN_H

#include <epan/packet.h>

#include "ct_addr.h"
#include "ct_dns.h"
#include "ct_enrich.h"
#include "ct_flow.h"

void proto_register_camtrace(void);

/* packet-camtrace.c: the per-capture enrichment state, settled from the
 * preferences, environment and .env on first use. */

/* An epan IPv4 or IPv6 address as a ct_addr; FALSE for other types. */
gboolean camtrace_to_ct_addr(const address *in, ct_addr *out);

/* The enricher with its databases open, or NULL when enrichment is off. */
ct_enricher *camtrace_enricher(void);
/* Ask for addr's PTR name now, without waiting, if names are wanted for
 * its scope. */
void camtrace_ptr_ask(const ct_addr *addr);
/* Wait, once and bounded by the PTR timeout, for the names still
 * outstanding. */
void camtrace_ptr_settle(void);
/* addr's PTR name into name, or false when none is known. */
gboolean camtrace_ptr_name(const ct_addr *addr, char name[CT_DNS_NAME_MAX + 1]);

/* flows.c: the "camtrace" tap and the flow export. */
void camtrace_flows_register(void);
/* Hand this packet to the flow export when one is running. */
void camtrace_flows_tap(packet_info *pinfo, const ct_addr *src, const ct_addr *dst);

/* Flows counted from the "camtrace" tap (whose data is a ct_flow_packet),
 * with the TCP handshake flags from the "tcp" tap: the new counter
 * listens to it until epan cleans up its taps.  New flows ask for PTR
 * names at once. */
typedef struct camtrace_flow_counter camtrace_flow_counter;
camtrace_flow_counter *camtrace_flow_counter_new(GString **error);
void camtrace_flow_counter_free(camtrace_flow_counter *counter);
void camtrace_flow_counter_reset(camtrace_flow_counter *counter);
/* Count one tapped packet; returns its flow's index, *is_new when the
 * packet started the flow. */
guint64 camtrace_flow_counter_add(camtrace_flow_counter *counter, packet_info *pinfo,
                                  const ct_flow_packet *pkt, gboolean *is_new);
const ct_flow_table *camtrace_flow_counter_flows(const camtrace_flow_counter *counter);

/* flow-table.c: the same flows as a statistics table (Wireshark's
 * Statistics menu, tshark -z camtrace,flowtable). */
void camtrace_flow_table_register(void);

#endif
