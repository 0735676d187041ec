/* camtrace.h - entry points of the CamTrace epan adapter, and what the
 * post-dissector (packet-camtrace.c) shares with the flow export
 * (flows.c). */
#ifndef CAMTRACE_PLUGIN_H
#define CAMTRACE_PLUGIN_H

#include <epan/packet.h>

#include "ct_addr.h"
#include "ct_dns.h"
#include "ct_enrich.h"

void proto_register_camtrace(void);

/* packet-camtrace.c: the per-capture enrichment state, settled from the
 * preferences, environment and .env on first use. */

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

/* flows.c */
void camtrace_flows_register(void);
/* Hand this packet to the flow export when one is running. */
void camtrace_flows_tap(packet_info *pinfo, const ct_addr *src, const ct_addr *dst);

#endif
