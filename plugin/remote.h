/* remote.h - which end of a packet is the remote one: the service a local
 * device talks to, whichever way the packet goes.
 *
 * When exactly one end is local (private, link-local, unique-local, or in
 * the user's own networks) the other end is remote.  Otherwise, both ends
 * global or both local, the remote end is the flow's responder: the
 * receiver of the first packet of its flow in the capture.
 */
#ifndef CAMTRACE_REMOTE_H
#define CAMTRACE_REMOTE_H

#include <wireshark.h>
#include <epan/packet.h>

#include "ct_enrich.h"

/* Register the per-capture memory of flows.  Call once, from
 * proto_register, with the post-dissector's protocol. */
void camtrace_remote_register(int proto);

/* 0 when the source is the remote end, 1 when the destination is.  The
 * answer for a frame is decided the first time the frame is seen and
 * kept, so every later dissection (the GUI, tshark's second pass) gives
 * the same one. */
int camtrace_remote_side(packet_info *pinfo, const ct_host *const hosts[2]);

#endif
