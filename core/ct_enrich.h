/* ct_enrich.h - everything CamTrace knows about an address, cached.
 *
 * A ct_enricher combines the address scope and the MaxMind lookups and
 * remembers the result for each distinct address for the life of a
 * capture: packets and flow records repeat the same few thousand
 * addresses millions of times.  Reverse DNS is not part of it: callers
 * ask ct_ptr (ct_ptr.h) for names and pass them on (ct_out_host()).
 *
 * The cache is bounded at creation and keeps to its bound by itself: it
 * holds at most max_hosts addresses, in two halves.  New addresses go
 * into the current half; when that is full, the older half is given up
 * and the current one becomes the older (an eviction).  So a host stays
 * valid until ct_enricher_clear(), or until two evictions later, at
 * least max_hosts / 2 new addresses after it was returned: a caller may
 * hold the hosts of a packet or a record without care.
 */
#ifndef CT_ENRICH_H
#define CT_ENRICH_H

#include "ct_addr.h"
#include "ct_geo.h"

G_BEGIN_DECLS

typedef struct ct_enricher ct_enricher;

typedef struct {
    ct_addr addr;
    ct_scope scope;
    ct_geo_info geo; /* all zero/NULL unless scope is global */
} ct_host;

/* A cache of at most max_hosts addresses (2 when less is asked). */
ct_enricher *ct_enricher_new(guint max_hosts);
void ct_enricher_free(ct_enricher *enricher);

/* The databases used for lookups.  After opening or closing one, call
 * ct_enricher_clear() so cached results do not outlive the old file. */
ct_geo *ct_enricher_geo(ct_enricher *enricher);

/* What is known about addr.  The result is owned by the enricher and stays
 * valid until ct_enricher_clear() or the second eviction after it. */
const ct_host *ct_enricher_host(ct_enricher *enricher, const ct_addr *addr);

/* One line about host, a result of ct_enricher_host(): "8.8.8.8, global,
 * AS15169 GOOGLE, Mountain View, California, United States".  Built on
 * first use; owned by the enricher, valid as long as host. */
const char *ct_enricher_summary(ct_enricher *enricher, const ct_host *host);

/* Forget every cached address (start of a new capture, databases opened
 * or reloaded).  Hosts returned before are invalid at once. */
void ct_enricher_clear(ct_enricher *enricher);

/* Addresses held now, both halves. */
guint ct_enricher_size(const ct_enricher *enricher);

/* How many times cached hosts were given up: evictions, and calls of
 * ct_enricher_clear().  A caller that keys data of its own by ct_host
 * pointers drops it when this number changes. */
guint64 ct_enricher_evictions(const ct_enricher *enricher);

G_END_DECLS

#endif
