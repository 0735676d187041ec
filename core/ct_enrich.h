/* ct_enrich.h - everything CamTrace knows about an address, cached.
 *
 * A ct_enricher combines the address scope and the MaxMind lookups (and,
 * later, reverse DNS) and remembers the result for each distinct address
 * for the life of a capture: packets and flow records repeat the same few
 * thousand addresses millions of times.
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

ct_enricher *ct_enricher_new(void);
void ct_enricher_free(ct_enricher *enricher);

/* The databases used for lookups.  After opening or closing one, call
 * ct_enricher_clear() so cached results do not outlive the old file. */
ct_geo *ct_enricher_geo(ct_enricher *enricher);

/* What is known about addr.  The result is owned by the enricher and stays
 * valid until the next ct_enricher_trim() or ct_enricher_clear(). */
const ct_host *ct_enricher_host(ct_enricher *enricher, const ct_addr *addr);

/* One line about host, a result of ct_enricher_host(): "8.8.8.8, global,
 * AS15169 GOOGLE, Mountain View, California, United States".  Built on
 * first use; owned by the enricher, valid as long as host. */
const char *ct_enricher_summary(ct_enricher *enricher, const ct_host *host);

/* Keep memory bounded: forget everything once more than max_hosts
 * addresses are cached.  Call between packets or records, never while
 * holding ct_host pointers. */
void ct_enricher_trim(ct_enricher *enricher, guint max_hosts);

/* Forget every cached address (start of a new capture). */
void ct_enricher_clear(ct_enricher *enricher);

guint ct_enricher_size(const ct_enricher *enricher);

G_END_DECLS

#endif
