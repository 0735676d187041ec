/* ct_communityid.c - Community ID v1 (https://github.com/corelight/community-id-spec).
 *
 * What is hashed.  SHA-1 over, in this order and with no separators:
 *
 *   seed (2 bytes) | src addr (4 or 16) | dst addr (4 or 16) |
 *   proto (1) | zero padding (1) | src port (2) | dst port (2)
 *
 * Every multi-byte value is in network byte order; addresses are the raw
 * bytes from the packet (no NAT64 or IPv4-mapped unwrapping: other tools hash
 * what is on the wire, and the ID is only useful if it matches theirs).  The
 * two ports are left out entirely for protocols without them.  The output is
 * "1:" (the version) followed by the base64 of the 20-byte digest.
 *
 * Direction.  So that both directions of a flow give one ID, the endpoints
 * are put in a canonical order before hashing: the numerically smaller
 * address first (memcmp of the network-order bytes), and on equal addresses
 * the smaller port first.
 *
 * ICMP.  ICMP has no ports, so the spec (following Zeek's model of ICMP
 * "connections") uses the type as the source port and, for types that are one
 * half of a request/reply pair, the *other* type of the pair as the
 * destination port: an echo request (8) hashes as 8 -> 0 and its reply (0)
 * as 0 -> 8, which then sort to the same tuple.  Types without a counterpart
 * (destination unreachable, time exceeded, ...) use the code as the
 * destination port and are "one-way": they are never reordered, so a message
 * and one sent back the other way get different IDs.  The pairs are the
 * spec's tables (and Wireshark's and Zeek's) exactly; the mapping is chosen
 * by protocol number, not by address family, as in the spec.
 *
 * Note for the adapter: for ICMP error messages Wireshark 4.0's own
 * post-dissector hashes the addresses of the packet quoted inside the error
 * (the inner IP header overwrites pinfo->net_src/net_dst), with the outer
 * ICMP type and code.  This function hashes whatever addresses it is given.
 */
#include "ct_communityid.h"

#include <string.h>

/* ICMP and ICMPv6 types that have a counterpart in the other direction. */
typedef struct {
    uint8_t type;
    uint8_t counterpart;
} icmp_pair;

static const icmp_pair icmp4_pairs[] = {
    {8, 0},   {0, 8},   /* echo request / reply */
    {13, 14}, {14, 13}, /* timestamp / reply */
    {15, 16}, {16, 15}, /* information request / reply */
    {10, 9},  {9, 10},  /* router solicitation / advertisement */
    {17, 18}, {18, 17}, /* address mask request / reply */
};

static const icmp_pair icmp6_pairs[] = {
    {128, 129}, {129, 128}, /* echo request / reply */
    {130, 131}, {131, 130}, /* MLD listener query / report */
    {133, 134}, {134, 133}, /* router solicitation / advertisement */
    {135, 136}, {136, 135}, /* neighbor solicitation / advertisement */
    {139, 140}, {140, 139}, /* node information query / response */
    {144, 145}, {145, 144}, /* home agent address discovery request / reply */
};

/* Map ICMP type/code to port equivalents; false if the type is one-way. */
static bool
icmp_ports(const icmp_pair *pairs, size_t n, uint16_t *sport, uint16_t *dport)
{
    for (size_t i = 0; i < n; i++) {
        if (pairs[i].type == *sport) {
            *dport = pairs[i].counterpart;
            return true;
        }
    }
    return false;
}

static size_t
put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)(v & 0xff);
    return 2;
}

bool
ct_community_id(const ct_addr *src, const ct_addr *dst, uint8_t proto, bool has_ports,
                uint16_t sport, uint16_t dport, uint16_t seed, char out[CT_COMMUNITY_ID_LEN])
{
    g_return_val_if_fail(out != NULL, false);
    out[0] = '\0';
    g_return_val_if_fail(src != NULL && dst != NULL, false);

    size_t alen;
    if (src->family != dst->family) {
        return false;
    } else if (src->family == 4) {
        alen = 4;
    } else if (src->family == 6) {
        alen = 16;
    } else {
        return false;
    }

    bool one_way = false;
    if (has_ports && proto == CT_COMMUNITY_ID_PROTO_ICMP) {
        one_way = !icmp_ports(icmp4_pairs, G_N_ELEMENTS(icmp4_pairs), &sport, &dport);
    } else if (has_ports && proto == CT_COMMUNITY_ID_PROTO_ICMPV6) {
        one_way = !icmp_ports(icmp6_pairs, G_N_ELEMENTS(icmp6_pairs), &sport, &dport);
    }

    const uint8_t *a = src->bytes;
    const uint8_t *b = dst->bytes;
    int cmp = memcmp(a, b, alen);
    if (!one_way && (cmp > 0 || (cmp == 0 && has_ports && sport > dport))) {
        const uint8_t *t = a;
        a = b;
        b = t;
        uint16_t tp = sport;
        sport = dport;
        dport = tp;
    }

    /* seed + 2 addresses + proto + padding + 2 ports */
    uint8_t buf[2 + 16 + 16 + 1 + 1 + 2 + 2];
    size_t n = put16(buf, seed);
    memcpy(buf + n, a, alen);
    n += alen;
    memcpy(buf + n, b, alen);
    n += alen;
    buf[n++] = proto;
    buf[n++] = 0;
    if (has_ports) {
        n += put16(buf + n, sport);
        n += put16(buf + n, dport);
    }

    uint8_t digest[20];
    gsize digest_len = sizeof digest;
    /* A context per call: one allocation per flow, and no per-thread
     * state that would outlive a plugin unloaded by Wireshark. */
    GChecksum *sha1 = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(sha1, buf, (gssize)n);
    g_checksum_get_digest(sha1, digest, &digest_len);
    g_checksum_free(sha1);

    /* GLib's step encoder wants (len / 3 + 1) * 4 + 4 bytes of room, a few
     * more than the 28 it writes, so encode into a scratch buffer. */
    char b64[(sizeof digest / 3 + 1) * 4 + 4];
    gint state = 0;
    gint save = 0;
    gsize len = g_base64_encode_step(digest, digest_len, FALSE, b64, &state, &save);
    len += g_base64_encode_close(FALSE, b64 + len, &state, &save);
    if (len != CT_COMMUNITY_ID_LEN - 3) {
        return false; /* cannot happen for a 20-byte digest */
    }
    memcpy(out, "1:", 2);
    memcpy(out + 2, b64, len);
    out[2 + len] = '\0';
    return true;
}
