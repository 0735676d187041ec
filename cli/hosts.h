/* hosts.h - camtrace's host table: per distinct address, what the
 * enricher found and the nine output cells of each side already rendered.
 *
 * A flow log repeats a few thousand hosts millions of times, and
 * formatting their cells again for every record cost more than everything
 * else together: bench/cli.sh with ct_enricher_host() and ct_out_host()
 * per record instead runs at two thirds of the speed or less (numbers in
 * hosts.c).  The table sits on the enricher, not beside it as a second
 * source: it only keeps pointers into the enricher and text rendered from
 * them, and is emptied whenever the enricher is.
 */
#ifndef CLI_HOSTS_H
#define CLI_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct_enrich.h"
#include "ct_out.h"

/* What we write about one address: one allocation, the rendered cells
 * inline, so that a record's lookup touches two cache lines per side at
 * most (the slot, the entry) rather than GHashTable's four or five. */
typedef struct {
    ct_addr addr;
    const ct_host *host; /* owned by the enricher; NULL with enrichment off */
    const char *cells[2];
    size_t len[2];  /* rendered per side (CSV: [0] serves both; ECS: the two ct_ecs_part) */
    const char *ip; /* ECS: addr as text; else NULL */
    bool local;     /* ECS: host's scope is a local one (ct_scope_is_local()) */
    char text[];
} host_entry;

typedef struct host_table host_table;

/* A table for records written in format, or as ECS documents (ecs: the
 * cells are the host's two ct_ecs_part, the same for both sides); enricher
 * NULL: enrichment off, every lookup gives one entry of empty cells (and
 * for ECS, no rendered parts: cells NULL). */
host_table *hosts_new(ct_enricher *enricher, ct_out_format format, bool ecs);
void hosts_free(host_table *t);

uint32_t hosts_hash(const ct_addr *addr);

/* The slot where the probe for hash starts, on its way into the cache:
 * for a caller that knows the address before it can use the entry. */
void hosts_prefetch(const host_table *t, uint32_t hash);

/* The entry whose hash matches, not yet compared, with its first lines
 * on their way into the cache: the caller does other work meanwhile and
 * passes it to hosts_lookup(). */
host_entry *hosts_candidate(const host_table *t, uint32_t hash);

/* The entry for addr (hash from hosts_hash(), candidate from
 * hosts_candidate() or NULL), looked up and rendered on first use.
 * Valid until the next hosts_forget_given_up(). */
host_entry *hosts_lookup(host_table *t, const ct_addr *addr, uint32_t hash, host_entry *candidate);

/* Forget our entries once the enricher has given hosts up since the last
 * call (ct_enricher_evictions()).  Between records only. */
void hosts_forget_given_up(host_table *t);

#endif
