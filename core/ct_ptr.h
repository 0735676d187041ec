/* ct_ptr.h - reverse DNS (PTR) lookups: concurrent, cached, bounded.
 *
 * A ct_ptr owns a c-ares channel driven by its own thread, so callers on
 * any thread (a GUI's included) only enqueue questions and read results;
 * nothing but ct_ptr_wait() ever blocks.  Every outcome is cached: names,
 * NXDOMAIN, SERVFAIL and timeouts alike, and an address whose outcome is
 * cached is not asked again.  The cache is bounded at creation
 * (max_answers) and keeps to it by itself: when it holds more outcomes
 * than that, the older half of them is forgotten (questions still pending
 * are kept), and those addresses are asked again if asked for.
 *
 * NAT64 and IPv4-mapped addresses are asked, and cached, as their IPv4
 * address.
 *
 * A resolver that keeps timing out is declared dead after
 * CT_PTR_DEAD_AFTER consecutive failures: queued questions are dropped,
 * new ones are not sent and waits return at once, so a dead server costs
 * a bounded amount of time however many addresses remain.
 */
#ifndef CT_PTR_H
#define CT_PTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct_addr.h"
#include "ct_dns.h"
#include "ct_status.h"

G_BEGIN_DECLS

#define CT_PTR_DEAD_AFTER 5

typedef struct ct_ptr ct_ptr;

typedef enum {
    CT_PTR_UNKNOWN = 0, /* never asked */
    CT_PTR_PENDING,     /* queued or in flight */
    CT_PTR_FOUND,       /* name available */
    CT_PTR_NXDOMAIN,    /* no such name */
    CT_PTR_NODATA,      /* name exists, no PTR record */
    CT_PTR_SERVFAIL,    /* server failure or refusal */
    CT_PTR_TIMEOUT,     /* no answer in time, or no server listening */
    CT_PTR_BAD_ANSWER,  /* malformed answer */
    CT_PTR_SKIPPED,     /* not asked: the resolver was declared dead */
} ct_ptr_state;

typedef struct {
    /* "IP", "IP:port", "[IPv6]:port", comma-separated; NULL or "" for the
     * system's resolv.conf. */
    const char *servers;
    guint timeout_ms;  /* per query; 0 means 2000 */
    guint concurrency; /* queries in flight at once; 0 means 256 */
    guint max_answers; /* outcomes cached at most (2 or more); 0 means CT_PTR_MAX_ANSWERS */
} ct_ptr_options;

/* The default bound of the cache: about 150 bytes an outcome. */
#define CT_PTR_MAX_ANSWERS (1024u * 1024)

typedef struct {
    guint64 sent;     /* questions sent */
    guint64 answered; /* any final outcome, TIMEOUT included */
    guint64 found;    /* outcomes with a name */
    guint pending;    /* queued or in flight now */
    guint cached;     /* outcomes cached now */
    guint64 evicted;  /* outcomes forgotten because the cache was full */
    /* System calls that failed (the resolver thread's poll, the wake-up
     * pipe): answers may then come late, as timeouts, or not at all.  The
     * resolver prints nothing; its caller tells the user. */
    guint64 errors;
    int last_errno;         /* errno of the latest failure, 0 when none */
    const char *error_call; /* what failed last: "poll", ...; NULL when none */
} ct_ptr_stats;

/* Start a resolver; NULL with error set: CT_ERR_INVALID when the servers
 * are invalid, CT_ERR_RESOLVER when c-ares cannot start, CT_ERR_SYSTEM
 * when the system refuses the wake-up pipe. */
ct_ptr *ct_ptr_new(const ct_ptr_options *options, GError **error);
void ct_ptr_free(ct_ptr *ptr);

/* Ask for addr's name unless it is known or pending.  Never blocks. */
void ct_ptr_request(ct_ptr *ptr, const ct_addr *addr);

/* The state of addr.  When FOUND, copies the name (see ct_dns.h for its
 * form) into name and the number of PTR records into *count, if given. */
ct_ptr_state ct_ptr_get(ct_ptr *ptr, const ct_addr *addr, char name[CT_DNS_NAME_MAX + 1],
                        unsigned *count);

/* Block until none of addrs is pending, the resolver is dead, or
 * timeout_ms have passed.  Returns true when none is pending. */
bool ct_ptr_wait(ct_ptr *ptr, const ct_addr *addrs, size_t n, guint timeout_ms);

/* Block until nothing at all is pending (same exits as ct_ptr_wait). */
bool ct_ptr_wait_all(ct_ptr *ptr, guint timeout_ms);

/* True once CT_PTR_DEAD_AFTER questions in a row failed without answer. */
bool ct_ptr_resolver_dead(ct_ptr *ptr);

void ct_ptr_get_stats(ct_ptr *ptr, ct_ptr_stats *stats);

/* The servers asked, as c-ares took them from the options or from
 * resolv.conf: "IP", "IP:port" or "[IPv6]:port", comma-separated ("none"
 * when there are none).  Owned by ptr. */
const char *ct_ptr_servers(const ct_ptr *ptr);

typedef void (*ct_ptr_found_fn)(const ct_addr *addr, const char *name, gpointer data);

/* Call fn for every name found since *cursor (start at 0), in the order
 * they arrived, and advance *cursor.  fn runs without the resolver's lock.
 * Names the cache forgot before they were taken are not passed on.
 * Returns how many names were passed on. */
guint ct_ptr_take_found(ct_ptr *ptr, guint *cursor, ct_ptr_found_fn fn, gpointer data);

/* Forget everything (new capture); answers still in flight are dropped
 * when they arrive.  Also revives a dead resolver; take_found cursors
 * start again at 0. */
void ct_ptr_clear(ct_ptr *ptr);

G_END_DECLS

#endif
