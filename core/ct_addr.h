/* ct_addr.h - IP addresses and their IANA special-purpose scope.
 *
 * A ct_addr is a plain value (no allocation): family plus 16 bytes, IPv4 in
 * the first four.  Scopes follow the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries (RFC 6890 and its updates), plus the multicast blocks.
 */
#ifndef CT_ADDR_H
#define CT_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
    uint8_t family; /* 4 or 6; 0 for "no address" */
    uint8_t bytes[16];
} ct_addr;

/* Longest text form ("ffff:...:255.255.255.255") plus NUL. */
#define CT_ADDR_STRLEN 46

typedef enum {
    CT_SCOPE_GLOBAL = 0,
    CT_SCOPE_PRIVATE,
    CT_SCOPE_SHARED,
    CT_SCOPE_LOOPBACK,
    CT_SCOPE_LINK_LOCAL,
    CT_SCOPE_MULTICAST,
    CT_SCOPE_BROADCAST,
    CT_SCOPE_DOCUMENTATION,
    CT_SCOPE_BENCHMARKING,
    CT_SCOPE_UNIQUE_LOCAL,
    CT_SCOPE_RESERVED,
    CT_SCOPE_UNSPECIFIED,
} ct_scope;

void ct_addr_from_ipv4(ct_addr *addr, const uint8_t bytes[4]);
void ct_addr_from_ipv6(ct_addr *addr, const uint8_t bytes[16]);

/* Parse dotted IPv4 or RFC 4291 IPv6 text; false (addr untouched) if invalid. */
bool ct_addr_parse(const char *text, ct_addr *addr);

/* Write the canonical text form (RFC 5952 for IPv6) into buf. */
void ct_addr_format(const ct_addr *addr, char buf[CT_ADDR_STRLEN]);

bool ct_addr_equal(const ct_addr *a, const ct_addr *b);
guint ct_addr_hash(const ct_addr *addr);

/* The same two as GHashFunc / GEqualFunc, for tables keyed by ct_addr*. */
guint ct_addr_table_hash(gconstpointer addr);
gboolean ct_addr_table_equal(gconstpointer a, gconstpointer b);

/* The address that identifies the host for scope and lookups: the IPv4
 * address embedded in a NAT64 (64:ff9b::/96, RFC 6052) or IPv4-mapped
 * (::ffff:0:0/96) IPv6 address, else the address itself. */
ct_addr ct_addr_effective(const ct_addr *addr);

/* Scope of the effective address. */
ct_scope ct_addr_scope(const ct_addr *addr);

/* Private, link-local or unique-local: an address of the network the
 * capture was taken on (a device, a router), not of the internet. */
bool ct_scope_is_local(ct_scope scope);

/* Lower-case registry name of a scope ("global", "unique-local", ...). */
const char *ct_scope_name(ct_scope scope);

G_END_DECLS

#endif
