/* counter.h - the "camtrace" tap and the flow counter every exporter
 * counts with.
 *
 * The post-dissector hands each IP packet to the tap (only while somebody
 * listens); a flow counter turns those packets into ct_flow records and
 * knows, for each flow, the names of both ends as the exports give them.
 * Above state.h, below the exporters (flows.c, devices.c, flow-table.c).
 */
#ifndef CAMTRACE_COUNTER_H
#define CAMTRACE_COUNTER_H

#include <wireshark.h>
#include <epan/packet.h>

#include "ct_addr.h"
#include "ct_flow.h"
#include "ct_names.h"

/* Register the "camtrace" tap.  Call once, from proto_register. */
void camtrace_counter_register(void);

/* A packet as the flow table keys it: addresses, protocol, ports, ICMP
 * type, time and length (no TCP flags: those come from the tcp tap). */
void camtrace_counter_describe(packet_info *pinfo, const ct_addr *src, const ct_addr *dst,
                               ct_flow_packet *pkt);

/* Is a flow export, table or report listening to the tap? */
gboolean camtrace_counter_listening(void);
/* Hand this packet to the listeners.  own: the server name this packet
 * gave its flow (source CT_NAME_SNI or CT_NAME_HTTP; the server is dst),
 * or NULL. */
void camtrace_counter_tap(packet_info *pinfo, const ct_addr *src, const ct_addr *dst,
                          const ct_name *own);

/* Flows counted from the tap, with the TCP handshake flags from the "tcp"
 * tap: the counter listens to it until epan cleans up its taps.  New
 * flows ask for PTR names at once. */
typedef struct camtrace_flow_counter camtrace_flow_counter;

/* want_macs: also remember the Ethernet address of each local sender
 * (of camtrace_max_addresses() senders at most).  The flow table holds
 * camtrace_max_flows() flows at most; when it forgets flows, the counter
 * says so once, naming what (such as "flow export"): at the first flow
 * forgotten with warn_at_drop, else at the end of the run with how many.
 * NULL with *error set when the "tcp" listener cannot start. */
camtrace_flow_counter *camtrace_flow_counter_new(gboolean want_macs, const char *what,
                                                 gboolean warn_at_drop, GString **error);
void camtrace_flow_counter_free(camtrace_flow_counter *counter);
void camtrace_flow_counter_reset(camtrace_flow_counter *counter);
/* Count one packet the tap carried (its data); returns its flow's id,
 * *is_new when the packet started the flow. */
guint64 camtrace_flow_counter_add(camtrace_flow_counter *counter, packet_info *pinfo,
                                  const void *tapped, gboolean *is_new);
const ct_flow_table *camtrace_flow_counter_flows(const camtrace_flow_counter *counter);
/* Flows forgotten to keep to the bound in this run. */
guint64 camtrace_flow_counter_dropped(const camtrace_flow_counter *counter);
/* The Ethernet address a local sender used first; false when unknown. */
gboolean camtrace_flow_counter_mac(const camtrace_flow_counter *counter, const ct_addr *addr,
                                   guint8 mac[6]);

/* One flow's name for each end, as the exports give them: the name the
 * flow itself gave its server, else the name the address had when the
 * flow began, else one learned while it lasted, else its PTR name. */
typedef struct {
    ct_name name[2]; /* src, dst; source CT_NAME_NONE when unknown */
} camtrace_flow_names;
void camtrace_flow_counter_names(const camtrace_flow_counter *counter, guint64 i,
                                 const ct_flow *flow, camtrace_flow_names *out);

/* A listener of the tap for `-z ARG`, ARG = PREFIX[,FORMAT][,FILTER] with
 * FORMAT one of formats (NULL-terminated; the first is the default).  It
 * counts the packets that pass FILTER (a retap starts again) and, when
 * the run ends, calls draw(counter, format, data); when the listener ends
 * the counter is freed and free_data(data) called.  On bad arguments or a
 * filter that does not compile: says why on stderr, naming ARG and what,
 * frees data and returns false. */
typedef void (*camtrace_counter_draw)(const camtrace_flow_counter *counter, int format, void *data);
gboolean camtrace_counter_listen(const char *arg, const char *prefix, const char *const *formats,
                                 const char *what, gboolean want_macs, camtrace_counter_draw draw,
                                 void *data, GDestroyNotify free_data);

#endif
