/* ct_packet.h - finding the IP header pair that carries an ICMP error.
 *
 * An ICMP or ICMPv6 error quotes the header of the packet that caused it.
 * Dissectors that decode the quote overwrite the "current" addresses with
 * the quoted ones, which belong to another packet (and point the other
 * way).  Given the raw frame and the quoted addresses, this module locates
 * the quote and the real header in front of the ICMP message.
 */
#ifndef CT_PACKET_H
#define CT_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct_addr.h"

G_BEGIN_DECLS

/* Search frame[0..len) for an IP header (v4 or v6, as quoted_src) whose
 * addresses are quoted_src/quoted_dst and which sits right after an ICMP
 * (or ICMPv6) header that itself follows a complete IP header of the same
 * family.  On success stores that carrying header's addresses.  Every
 * offset is validated against len; nothing is assumed about the frame. */
bool ct_packet_icmp_carrier(const uint8_t *frame, size_t len, const ct_addr *quoted_src,
                            const ct_addr *quoted_dst, ct_addr *src, ct_addr *dst);

G_END_DECLS

#endif
