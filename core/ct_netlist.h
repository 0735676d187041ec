/* ct_netlist.h - a list of networks (CIDR prefixes) and whether an address
 * lies in one of them: the user's own networks, for sites whose devices
 * have public addresses.
 *
 * Text form: prefixes separated by commas and/or spaces, each
 * ADDRESS/LENGTH or a bare ADDRESS (a host: /32 or /128), IPv4 or IPv6
 * ("203.0.113.0/24, 2001:db8:1::/48").  Bits after the prefix length must
 * be zero, as in a routing table, so a typo is not silently widened.
 */
#ifndef CT_NETLIST_H
#define CT_NETLIST_H

#include <stdbool.h>

#include <glib.h>

#include "ct_addr.h"

G_BEGIN_DECLS

typedef struct ct_netlist ct_netlist;

/* Parse text (NULL or blank: the empty list).  On a bad entry: NULL and
 * *error says which entry and why (CT_ERR_INVALID). */
ct_netlist *ct_netlist_parse(const char *text, GError **error);
void ct_netlist_free(ct_netlist *list);

/* Number of prefixes in the list (NULL: 0). */
guint ct_netlist_size(const ct_netlist *list);

/* Whether addr lies in one of the list's prefixes (NULL list: false). */
bool ct_netlist_contains(const ct_netlist *list, const ct_addr *addr);

G_END_DECLS

#endif
