/* remote.c - see remote.h.
 *
 * The responder of a flow is the receiver of its first packet, as the
 * flow export orients flows (ct_flow keys: protocol, addresses, ports):
 * a table of this capture's flows, fed the first time each frame is
 * dissected, says who sent a flow's first packet.  Each frame keeps its
 * answer as per-frame data, so re-dissecting it in any order gives the
 * same side.  Only flows whose ends are both local or both global need
 * the table.  It keeps to camtrace_max_flows() as the exports do: a flow
 * it forgot and meets again starts anew, its responder the receiver of
 * the packet that came then.
 */
#include "remote.h"

#include <epan/proto_data.h>

#include "counter.h"
#include "ct_flow.h"
#include "state.h"

static int proto_camtrace = -1;
static ct_flow_table *flows; /* this capture's, for the responders */

/* The side (0 source, 1 destination) that received the first packet of
 * this packet's flow. */
static int
responder_side(packet_info *pinfo, const ct_host *const hosts[2])
{
    ct_flow_packet pkt;
    ct_flow flow;
    uint64_t index;

    camtrace_counter_describe(pinfo, &hosts[0]->addr, &hosts[1]->addr, &pkt);
    if (flows == NULL)
        flows = ct_flow_table_new(camtrace_max_flows());
    ct_flow_table_add(flows, &pkt, &index);
    if (!ct_flow_table_get(flows, index, &flow))
        return 1;
    return ct_addr_equal(&flow.dst, &hosts[0]->addr) && (!flow.has_ports || flow.dport == pkt.sport)
               ? 0
               : 1;
}

int
camtrace_remote_side(packet_info *pinfo, const ct_host *const hosts[2])
{
    gboolean local[2] = {camtrace_is_local(&hosts[0]->addr), camtrace_is_local(&hosts[1]->addr)};
    gpointer kept;
    int side;

    if (local[0] != local[1])
        return local[0] ? 1 : 0;
    /* Stored as side + 1: per-frame data cannot hold NULL. */
    kept = p_get_proto_data(wmem_file_scope(), pinfo, proto_camtrace, 0);
    if (kept != NULL)
        return GPOINTER_TO_INT(kept) - 1;
    side = responder_side(pinfo, hosts);
    p_add_proto_data(wmem_file_scope(), pinfo, proto_camtrace, 0, GINT_TO_POINTER(side + 1));
    return side;
}

static void
remote_cleanup(void)
{
    g_clear_pointer(&flows, ct_flow_table_free);
}

void
camtrace_remote_register(int proto)
{
    proto_camtrace = proto;
    register_cleanup_routine(remote_cleanup);
}
