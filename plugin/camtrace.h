/* camtrace.h - entry points of the CamTrace epan adapter, and what the
 * post-dissector (packet-camtrace.c) shares with the flow export
 * (flows.c). */
#ifndef CAMTRACE_PLUGIN_H
#define CAMTRACE_PLUGIN_H

#include <epan/packet.h>
#include <epan/tap.h>

#include "ct_addr.h"
#include "ct_dns.h"
#include "ct_enrich.h"
#include "ct_flow.h"
#include "ct_names.h"
#include "ct_out.h"

void proto_register_camtrace(void);

/* Tell the user: one line "camtrace: MESSAGE" on standard error, the same
 * in tshark, in the GUI's console and through camtrace-capture.  MESSAGE
 * says what, then why: "ASN database from environment unusable: PATH:
 * REASON". */
void camtrace_warn(const char *format, ...) G_GNUC_PRINTF(1, 2);

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

/* Distinct addresses the enricher remembers before its cache starts over
 * (about 200 bytes each): the bound for every ct_enricher_trim(). */
#define CAMTRACE_MAX_HOSTS (2u * 1024 * 1024)

/* The home country (ISO 3166-1 alpha-2, upper case), or NULL when unset. */
const char *camtrace_home_country(void);
/* Whether a packet or flow between a and b leaves the home country: 1 when
 * a global address among them lies in another country, 0 when every
 * global one with a known country lies at home, -1 when unknown (no home
 * country, no global address with a country). */
int camtrace_foreign(const ct_host *a, const ct_host *b);

/* The name of one end of a flow, as the flow export and the devices report
 * give it: the name the flow itself gave its server (own, may be NULL or
 * unset), else the name addr had when the flow began (first_frame), else
 * one learned while it lasted (up to last_frame), else its PTR name.
 * Names stay valid until the capture is closed.  False when there is
 * none. */
gboolean camtrace_flow_name(const ct_addr *addr, const ct_name *own, guint32 first_frame,
                            guint32 last_frame, ct_name *out);

/* flows.c: the "camtrace" tap and the flow export. */
void camtrace_flows_register(void);

/* What the "camtrace" tap carries for each IP packet. */
typedef struct {
    ct_flow_packet flow;
    ct_name own;      /* the server name this packet gave its flow (source
                         CT_NAME_SNI or CT_NAME_HTTP; the server is
                         flow.dst), or source CT_NAME_NONE */
    gboolean has_mac; /* src_mac: Ethernet source of the packet */
    guint8 src_mac[6];
} camtrace_tap_packet;

/* Is a flow export, table or report listening to the "camtrace" tap? */
gboolean camtrace_flows_listening(void);
/* Hand this packet to the flow export when one is running; own as for
 * camtrace_tap_packet, or NULL. */
void camtrace_flows_tap(packet_info *pinfo, const ct_addr *src, const ct_addr *dst,
                        const ct_name *own);

/* Flows counted from the "camtrace" tap (whose data is a ct_flow_packet),
 * with the TCP handshake flags from the "tcp" tap: the new counter
 * listens to it until epan cleans up its taps.  New flows ask for PTR
 * names at once. */
typedef struct camtrace_flow_counter camtrace_flow_counter;
/* want_macs: also remember the Ethernet address of each local sender. */
camtrace_flow_counter *camtrace_flow_counter_new(gboolean want_macs, GString **error);
void camtrace_flow_counter_free(camtrace_flow_counter *counter);
void camtrace_flow_counter_reset(camtrace_flow_counter *counter);
/* Count one tapped packet; returns its flow's index, *is_new when the
 * packet started the flow. */
guint64 camtrace_flow_counter_add(camtrace_flow_counter *counter, packet_info *pinfo,
                                  const camtrace_tap_packet *pkt, gboolean *is_new);
const ct_flow_table *camtrace_flow_counter_flows(const camtrace_flow_counter *counter);
/* The Ethernet address a local sender used first; false when unknown. */
gboolean camtrace_flow_counter_mac(const camtrace_flow_counter *counter, const ct_addr *addr,
                                   guint8 mac[6]);
/* One flow's name for each end and whether it leaves the home country,
 * as the exports give them (see camtrace_flow_name()). */
typedef struct {
    ct_name name[2]; /* src, dst; source CT_NAME_NONE when unknown */
} camtrace_flow_names;
void camtrace_flow_counter_names(const camtrace_flow_counter *counter, guint64 i,
                                 const ct_flow *flow, camtrace_flow_names *out);

/* Start a listener of the "camtrace" tap for `-z ARG` with ARG =
 * PREFIX[,FORMAT][,FILTER], FORMAT one of formats (NULL-terminated; the
 * first is the default).  tapdata points to the listener's data, made
 * with g_new(), whose first member is the camtrace_flow_counter pointer
 * this sets: packets are counted, a retap starts again, and when the
 * listener ends the counter and the data are freed; draw is the caller's.
 * Returns the index of the format; on bad arguments, or a filter that does
 * not compile, tells why naming ARG and WHAT, frees tapdata and returns
 * -1. */
int camtrace_counting_tap_start(const char *arg, const char *prefix, const char *const *formats,
                                const char *what, camtrace_flow_counter **tapdata,
                                gboolean want_macs, tap_draw_cb draw);

/* A "foreign" cell: true, false, or absent (-1), as camtrace_foreign(). */
void camtrace_out_foreign(ct_out *out, const char *key, int foreign);
/* The same for people: "yes", "no", or "" when unknown. */
const char *camtrace_foreign_text(int foreign);

/* devices.c: the per-device report (tshark -z camtrace,devices). */
void camtrace_devices_register(void);

/* flow-table.c: the same flows as a statistics table (Wireshark's
 * Statistics menu, tshark -z camtrace,flowtable). */
void camtrace_flow_table_register(void);

#endif
