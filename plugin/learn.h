/* learn.h - names from the packets themselves: DNS answers, TLS/QUIC
 * ClientHello server names and HTTP Host headers, read from the fields
 * epan builds for us, and the name each packet's addresses have.
 *
 * Used by the post-dissector; keeps names in state.h's ct_names and a
 * connection's own server name with Wireshark's conversation.
 */
#ifndef CAMTRACE_LEARN_H
#define CAMTRACE_LEARN_H

#include <wireshark.h>
#include <epan/conversation.h>
#include <epan/packet.h>

#include "ct_addr.h"
#include "ct_names.h"

/* Names are kept with conversations under protocol proto.  Call once. */
void camtrace_learn_register(int proto);

/* The fields names are learned from (int ids), for
 * set_postdissector_wanted_hfids(); the caller owns the array. */
GArray *camtrace_learn_sources(void);

/* One packet's conversation and what it taught about its server, looked
 * up once per packet when first needed.  Start with {FALSE}. */
typedef struct {
    gboolean known;
    conversation_t *conv;
    void *own;
} camtrace_packet_conversation;

/* Learn what this packet says about names (its first dissection; tree
 * with the name sources); true with *own set when it named its server,
 * dst.  Seen again (tshark's second pass) it names its server still when
 * counted is true (a flow export counts in that pass). */
gboolean camtrace_learn(packet_info *pinfo, camtrace_packet_conversation *pc, proto_tree *tree,
                        const ct_addr *dst, gboolean counted, ct_name *own);

/* The capture's name for addr in this packet.  One pass: what the
 * packet's conversation said about its server up to here, else the
 * address's name as of this frame.  Seen again (tshark -2, the GUI): the
 * conversation's own name whenever it came, and a name learned later in
 * the conversation when there was none yet. */
gboolean camtrace_capture_name(packet_info *pinfo, camtrace_packet_conversation *pc,
                               const ct_addr *addr, ct_name *out);

#endif
