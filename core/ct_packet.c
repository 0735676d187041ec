/* ct_packet.c - see ct_packet.h.
 *
 * Layout of an ICMP error (RFC 792, RFC 4443):
 *
 *   [carrier IP header][ICMP type code cksum, 4 bytes rest][quoted IP header...]
 *
 * The carrier header's length is not known from the back: IPv4 options make
 * it 20..60 bytes and IPv6 extension headers chain in front of ICMPv6.  We
 * therefore try every candidate start and accept one only if its own length
 * fields lead exactly to the ICMP header, with the right protocol number.
 */
#include "ct_packet.h"

#include <string.h>

#define ICMP_HDR_LEN 8
#define IPV4_PROTO_ICMP 1
#define IPV6_NH_ICMPV6 58
#define IPV6_HDR_LEN 40
/* Extension header bytes we are prepared to walk in front of ICMPv6. */
#define IPV6_EXT_MAX 256

static bool
is_icmp_error(int family, uint8_t type)
{
    if (family == 4) /* unreachable, source quench, redirect, time exceeded, param */
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    return type >= 1 && type <= 4; /* ICMPv6 error messages */
}

/* An IPv4 header starting at p whose IHL ends exactly at icmp. */
static bool
ipv4_carrier(const uint8_t *frame, size_t icmp, ct_addr *src, ct_addr *dst)
{
    for (size_t ihl = 5; ihl <= 15; ihl++) {
        if (icmp < ihl * 4)
            break;
        const uint8_t *p = frame + icmp - ihl * 4;
        if (p[0] == (0x40 | ihl) && p[9] == IPV4_PROTO_ICMP) {
            ct_addr_from_ipv4(src, p + 12);
            ct_addr_from_ipv4(dst, p + 16);
            return true;
        }
    }
    return false;
}

static bool
is_ipv6_ext(uint8_t nh)
{
    return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

/* An IPv6 header whose next-header chain ends exactly at icmp with 58. */
static bool
ipv6_carrier(const uint8_t *frame, size_t icmp, ct_addr *src, ct_addr *dst)
{
    for (size_t ext = 0; ext <= IPV6_EXT_MAX; ext += 8) {
        if (icmp < IPV6_HDR_LEN + ext)
            break;
        size_t start = icmp - IPV6_HDR_LEN - ext;
        const uint8_t *p = frame + start;
        if ((p[0] >> 4) != 6)
            continue;
        size_t off = start + IPV6_HDR_LEN;
        uint8_t nh = p[6];
        while (off < icmp && is_ipv6_ext(nh)) {
            size_t hlen = nh == 44 ? 8 : ((size_t)frame[off + 1] + 1) * 8;
            nh = frame[off];
            off += hlen;
        }
        if (off == icmp && nh == IPV6_NH_ICMPV6) {
            ct_addr_from_ipv6(src, p + 8);
            ct_addr_from_ipv6(dst, p + 24);
            return true;
        }
    }
    return false;
}

bool
ct_packet_icmp_carrier(const uint8_t *frame, size_t len, const ct_addr *quoted_src,
                       const ct_addr *quoted_dst, ct_addr *src, ct_addr *dst)
{
    int family = quoted_src->family;
    size_t alen = family == 4 ? 4 : 16;
    size_t addr_off = family == 4 ? 12 : 8; /* source address within the header */
    uint8_t pair[32];

    if (frame == NULL || family != quoted_dst->family || (family != 4 && family != 6))
        return false;
    memcpy(pair, quoted_src->bytes, alen);
    memcpy(pair + alen, quoted_dst->bytes, alen);

    for (size_t at = addr_off + ICMP_HDR_LEN; at + 2 * alen <= len; at++) {
        if (memcmp(frame + at, pair, 2 * alen) != 0)
            continue;
        size_t quote = at - addr_off;
        size_t icmp = quote - ICMP_HDR_LEN;
        if ((frame[quote] >> 4) != (family == 4 ? 4 : 6) || !is_icmp_error(family, frame[icmp]))
            continue;
        if (family == 4 ? ipv4_carrier(frame, icmp, src, dst)
                        : ipv6_carrier(frame, icmp, src, dst))
            return true;
    }
    return false;
}
