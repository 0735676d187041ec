/* ct_communityid.h - Community ID v1 flow hashes.
 *
 * https://github.com/corelight/community-id-spec : a flow's 5-tuple (plus a
 * 16-bit seed) hashed with SHA-1 into a string such as
 * "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", the same for both directions of a flow,
 * so that logs from different tools (Zeek, Suricata, Wireshark, CamTrace)
 * can be joined on it.
 */
#ifndef CT_COMMUNITYID_H
#define CT_COMMUNITYID_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "ct_addr.h"

G_BEGIN_DECLS

/* "1:" + base64 of a 20-byte SHA-1 (28 characters, with padding) + NUL. */
#define CT_COMMUNITY_ID_LEN 31

/* IP protocol numbers whose port equivalents the spec treats specially. */
#define CT_COMMUNITY_ID_PROTO_ICMP 1
#define CT_COMMUNITY_ID_PROTO_ICMPV6 58

/* Write the Community ID v1 (base64 form) of a flow into out.
 *
 * proto is the IP protocol number (IPv6: the upper-layer next header).
 * For TCP (6), UDP (17) and SCTP (132) pass has_ports and the ports; for
 * ICMP (1) and ICMPv6 (58) pass has_ports with the message type as sport and
 * the code as dport (the spec's mapping to port equivalents is done here);
 * for other protocols pass has_ports false (sport and dport are ignored).
 * src and dst are the packet's addresses as seen on the wire, in either
 * direction: both directions of a flow give the same ID, except for ICMP
 * types with no request/reply counterpart, which the spec hashes one-way.
 * seed is the spec's 16-bit seed, 0 by default.
 *
 * Returns false, with out set to "", if the two addresses are not both IPv4
 * or both IPv6 (including family 0).  Thread-safe; keeps no state. */
bool ct_community_id(const ct_addr *src, const ct_addr *dst, uint8_t proto, bool has_ports,
                     uint16_t sport, uint16_t dport, uint16_t seed, char out[CT_COMMUNITY_ID_LEN]);

G_END_DECLS

#endif
