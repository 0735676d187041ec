/* ct_addr.c - address parsing, formatting and special-purpose scopes.
 *
 * Scope tables are transcribed from the IANA registries
 *   https://www.iana.org/assignments/iana-ipv4-special-registry/
 *   https://www.iana.org/assignments/iana-ipv6-special-registry/
 *   https://www.iana.org/assignments/multicast-addresses/
 * Entries are ordered so that the first match is the most specific one:
 * a few blocks inside reserved ranges are globally reachable (anycast
 * services such as 192.0.0.9/32 or AS112), and those must win over the
 * covering reserved block.  Registry entries marked "globally reachable"
 * map to CT_SCOPE_GLOBAL so they get geo and ASN lookups.
 */
#include "ct_addr.h"

#include <arpa/inet.h>
#include <string.h>

typedef struct {
    uint8_t prefix[16];
    uint8_t bits;
    ct_scope scope;
} scope_block;

static const scope_block ipv4_blocks[] = {
    {{0, 0, 0, 0}, 32, CT_SCOPE_UNSPECIFIED},
    {{0}, 8, CT_SCOPE_RESERVED}, /* "this network" */
    {{10}, 8, CT_SCOPE_PRIVATE},
    {{100, 64}, 10, CT_SCOPE_SHARED},
    {{127}, 8, CT_SCOPE_LOOPBACK},
    {{169, 254}, 16, CT_SCOPE_LINK_LOCAL},
    {{172, 16}, 12, CT_SCOPE_PRIVATE},
    {{192, 0, 0, 9}, 32, CT_SCOPE_GLOBAL},  /* PCP anycast */
    {{192, 0, 0, 10}, 32, CT_SCOPE_GLOBAL}, /* TURN anycast */
    {{192, 0, 0}, 24, CT_SCOPE_RESERVED},   /* IETF protocol assignments */
    {{192, 0, 2}, 24, CT_SCOPE_DOCUMENTATION},
    {{192, 88, 99}, 24, CT_SCOPE_RESERVED}, /* deprecated 6to4 relay anycast */
    {{192, 168}, 16, CT_SCOPE_PRIVATE},
    {{198, 18}, 15, CT_SCOPE_BENCHMARKING},
    {{198, 51, 100}, 24, CT_SCOPE_DOCUMENTATION},
    {{203, 0, 113}, 24, CT_SCOPE_DOCUMENTATION},
    {{224}, 4, CT_SCOPE_MULTICAST},
    {{255, 255, 255, 255}, 32, CT_SCOPE_BROADCAST},
    {{240}, 4, CT_SCOPE_RESERVED},
};

static const scope_block ipv6_blocks[] = {
    {{0}, 128, CT_SCOPE_UNSPECIFIED},
    {{[15] = 1}, 128, CT_SCOPE_LOOPBACK},
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, CT_SCOPE_RESERVED}, /* local-use NAT64 */
    {{0x01, 0x00}, 64, CT_SCOPE_RESERVED},                         /* discard-only */
    {{0x20, 0x01, 0x00, 0x01, [15] = 1}, 128, CT_SCOPE_GLOBAL},    /* PCP anycast */
    {{0x20, 0x01, 0x00, 0x01, [15] = 2}, 128, CT_SCOPE_GLOBAL},    /* TURN anycast */
    {{0x20, 0x01, 0x00, 0x01, [15] = 3}, 128, CT_SCOPE_GLOBAL},    /* DNS-SD SRP anycast */
    {{0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48, CT_SCOPE_BENCHMARKING},
    {{0x20, 0x01, 0x00, 0x03}, 32, CT_SCOPE_GLOBAL},             /* AMT */
    {{0x20, 0x01, 0x00, 0x04, 0x01, 0x12}, 48, CT_SCOPE_GLOBAL}, /* AS112-v6 */
    {{0x20, 0x01, 0x00, 0x20}, 28, CT_SCOPE_GLOBAL},             /* ORCHIDv2 */
    {{0x20, 0x01, 0x00, 0x30}, 28, CT_SCOPE_GLOBAL},             /* drone remote ID */
    {{0x20, 0x01, 0x0d, 0xb8}, 32, CT_SCOPE_DOCUMENTATION},
    {{0x20, 0x01}, 23, CT_SCOPE_RESERVED}, /* IETF protocol assignments, Teredo */
    {{0x3f, 0xff}, 20, CT_SCOPE_DOCUMENTATION},
    {{0x20}, 3, CT_SCOPE_GLOBAL}, /* global unicast, including 6to4 */
    {{0xfc}, 7, CT_SCOPE_UNIQUE_LOCAL},
    {{0xfe, 0x80}, 10, CT_SCOPE_LINK_LOCAL},
    {{0xff}, 8, CT_SCOPE_MULTICAST},
};

static const uint8_t nat64_prefix[12] = {0x00, 0x64, 0xff, 0x9b};
static const uint8_t mapped_prefix[12] = {[10] = 0xff, [11] = 0xff};

void
ct_addr_from_ipv4(ct_addr *addr, const uint8_t bytes[4])
{
    memset(addr, 0, sizeof *addr);
    addr->family = 4;
    memcpy(addr->bytes, bytes, 4);
}

void
ct_addr_from_ipv6(ct_addr *addr, const uint8_t bytes[16])
{
    addr->family = 6;
    memcpy(addr->bytes, bytes, 16);
}

bool
ct_addr_parse(const char *text, ct_addr *addr)
{
    uint8_t buf[16];

    if (text == NULL)
        return false;
    if (inet_pton(AF_INET, text, buf) == 1) {
        ct_addr_from_ipv4(addr, buf);
        return true;
    }
    if (inet_pton(AF_INET6, text, buf) == 1) {
        ct_addr_from_ipv6(addr, buf);
        return true;
    }
    return false;
}

void
ct_addr_format(const ct_addr *addr, char buf[CT_ADDR_STRLEN])
{
    buf[0] = '\0';
    if (addr->family == 4) {
        /* Exports format an address per cell: inet_ntop() costs ten times
         * this. */
        char *p = buf;
        for (int i = 0; i < 4; i++) {
            unsigned v = addr->bytes[i];
            if (v >= 100)
                *p++ = (char)('0' + v / 100);
            if (v >= 10)
                *p++ = (char)('0' + v / 10 % 10);
            *p++ = (char)('0' + v % 10);
            *p++ = i < 3 ? '.' : '\0';
        }
    } else if (addr->family == 6)
        inet_ntop(AF_INET6, addr->bytes, buf, CT_ADDR_STRLEN);
}

bool
ct_addr_equal(const ct_addr *a, const ct_addr *b)
{
    size_t len = a->family == 4 ? 4 : 16;

    return a->family == b->family && memcmp(a->bytes, b->bytes, len) == 0;
}

guint
ct_addr_hash(const ct_addr *addr)
{
    /* FNV-1a over the significant bytes: cheap and well spread for the
     * sequential addresses that captures are full of. */
    size_t len = addr->family == 4 ? 4 : 16;
    guint32 h = 2166136261u ^ addr->family;

    for (size_t i = 0; i < len; i++)
        h = (h ^ addr->bytes[i]) * 16777619u;
    return h;
}

guint
ct_addr_table_hash(gconstpointer addr)
{
    return ct_addr_hash(addr);
}

gboolean
ct_addr_table_equal(gconstpointer a, gconstpointer b)
{
    return ct_addr_equal(a, b);
}

ct_addr
ct_addr_effective(const ct_addr *addr)
{
    ct_addr out = *addr;

    if (addr->family == 6 &&
        (memcmp(addr->bytes, nat64_prefix, 12) == 0 || memcmp(addr->bytes, mapped_prefix, 12) == 0))
        ct_addr_from_ipv4(&out, addr->bytes + 12);
    return out;
}

static bool
prefix_match(const uint8_t *bytes, const scope_block *block)
{
    unsigned full = block->bits / 8u;
    unsigned rest = block->bits % 8u;

    if (memcmp(bytes, block->prefix, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8u - rest));
    return (bytes[full] & mask) == block->prefix[full];
}

ct_scope
ct_addr_scope(const ct_addr *addr)
{
    ct_addr eff = ct_addr_effective(addr);
    const scope_block *blocks = eff.family == 4 ? ipv4_blocks : ipv6_blocks;
    size_t n = eff.family == 4 ? G_N_ELEMENTS(ipv4_blocks) : G_N_ELEMENTS(ipv6_blocks);

    if (eff.family != 4 && eff.family != 6)
        return CT_SCOPE_UNSPECIFIED;
    for (size_t i = 0; i < n; i++) {
        if (prefix_match(eff.bytes, &blocks[i]))
            return blocks[i].scope;
    }
    /* IPv4 space outside the registry is global; IPv6 space outside
     * 2000::/3 and the blocks above is reserved by the IETF. */
    return eff.family == 4 ? CT_SCOPE_GLOBAL : CT_SCOPE_RESERVED;
}

bool
ct_scope_is_local(ct_scope scope)
{
    return scope == CT_SCOPE_PRIVATE || scope == CT_SCOPE_LINK_LOCAL ||
           scope == CT_SCOPE_UNIQUE_LOCAL;
}

const char *
ct_scope_name(ct_scope scope)
{
    static const char *const names[] = {
        [CT_SCOPE_GLOBAL] = "global",
        [CT_SCOPE_PRIVATE] = "private",
        [CT_SCOPE_SHARED] = "shared",
        [CT_SCOPE_LOOPBACK] = "loopback",
        [CT_SCOPE_LINK_LOCAL] = "link-local",
        [CT_SCOPE_MULTICAST] = "multicast",
        [CT_SCOPE_BROADCAST] = "broadcast",
        [CT_SCOPE_DOCUMENTATION] = "documentation",
        [CT_SCOPE_BENCHMARKING] = "benchmarking",
        [CT_SCOPE_UNIQUE_LOCAL] = "unique-local",
        [CT_SCOPE_RESERVED] = "reserved",
        [CT_SCOPE_UNSPECIFIED] = "unspecified",
    };

    if ((size_t)scope < G_N_ELEMENTS(names))
        return names[scope];
    return "unknown";
}
