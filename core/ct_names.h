/* ct_names.h - host names learned from a capture, with where each came
 * from and the frame it was learned in.
 *
 * A capture names the addresses it talks to: a DNS answer maps the name
 * a client asked for to addresses, a TLS or QUIC ClientHello names its
 * server, an HTTP request names its host.  A ct_names remembers, for each
 * address, the history of names learned (frame number, name, source), so
 * that "the name of this address as of frame N" has one answer however
 * often and in whatever order packets are dissected again.
 *
 * Each name also carries its registered domain (the public suffix plus
 * one label, from the Public Suffix List through libpsl), for grouping.
 *
 * Bounded at creation: a ct_names holds the histories of at most
 * max_addresses addresses.  Learning a name for one more address forgets
 * the least recently used address (learned or looked up longest ago),
 * counted by ct_names_forgotten(); a forgotten address has no name until
 * it is learned again.
 *
 * Names are interned and shared: the strings of a ct_name stay valid
 * while some address's history holds them, and after that until at least
 * CT_NAMES_SPARE other names have been let go or interned (names no
 * history holds are freed oldest first), or until ct_names_clear() or
 * ct_names_free().  So a caller may use the names of a packet while it
 * dissects it; one that keeps a name longer keeps a copy.
 */
#ifndef CT_NAMES_H
#define CT_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "ct_addr.h"
#include "ct_dns.h"

G_BEGIN_DECLS

typedef enum {
    CT_NAME_NONE = 0,
    CT_NAME_DNS,  /* a DNS answer the capture contains */
    CT_NAME_SNI,  /* a TLS or QUIC ClientHello's server name */
    CT_NAME_HTTP, /* an HTTP request's Host */
    CT_NAME_PTR,  /* reverse DNS, asked by CamTrace */
} ct_name_source;

/* "dns", "sni", "http", "ptr"; NULL for CT_NAME_NONE. */
const char *ct_name_source_label(ct_name_source source);

typedef struct {
    const char *name;   /* interned, never NULL when source is set */
    const char *domain; /* registered domain, or NULL (a public suffix) */
    ct_name_source source;
    uint32_t frame; /* where it was learned */
} ct_name;

typedef struct ct_names ct_names;

/* The default bound: about 200 bytes an address with one name. */
#define CT_NAMES_MAX_ADDRESSES (1024u * 1024)
/* Names no history holds that stay interned, at least. */
#define CT_NAMES_SPARE 4096u

/* A ct_names of at most max_addresses addresses (1 or more); 0 means
 * CT_NAMES_MAX_ADDRESSES. */
ct_names *ct_names_new(guint max_addresses);
void ct_names_free(ct_names *names);
/* Forget everything (a new capture); interned names become invalid and
 * the forgotten count starts again at 0. */
void ct_names_clear(ct_names *names);

/* Turn untrusted text into a name, as ct_dns_clean_name() does, for the
 * given source: an HTTP Host loses its port.  False for text that is
 * not a name, including an address literal. */
bool ct_names_clean(ct_name_source source, const char *text, size_t len,
                    char out[CT_DNS_NAME_MAX + 1]);

/* The interned copy of a clean name with its domain (source and frame
 * zero).  Interning the same text again gives the same pointers. */
ct_name ct_names_intern(ct_names *names, const char *clean_name);

/* The registered domain of a clean name, as ct_names_intern() gives it,
 * without interning: a suffix of clean_name (valid as long as it), or
 * NULL when the name is itself a public suffix. */
const char *ct_names_domain(const ct_names *names, const char *clean_name);

/* Learn that, from frame on, addr is called clean_name.  Frames are
 * learned in order: a frame below the last one learned for addr is a
 * packet seen again and changes nothing, as does repeating the latest
 * name.  At most CT_NAMES_PER_ADDRESS names are kept per address; beyond
 * that the oldest are forgotten. */
#define CT_NAMES_PER_ADDRESS 64
void ct_names_learn(ct_names *names, const ct_addr *addr, uint32_t frame, ct_name_source source,
                    const char *clean_name);

/* The name addr had as of frame (the latest learned at or before it);
 * false when none.  Counts as a use of addr. */
bool ct_names_at(ct_names *names, const ct_addr *addr, uint32_t frame, ct_name *out);

/* The name of one end of a flow, the rule every export follows: the name
 * its own packets gave it (own: the server name or Host that opened the
 * flow; NULL or CT_NAME_NONE when none), else the name the capture gave
 * the address as of the flow's first packet, else as of its last, else
 * its PTR name (ptr_name, NULL when none; interned, source CT_NAME_PTR).
 * False, with source CT_NAME_NONE, when it has none. */
bool ct_names_flow_name(ct_names *names, const ct_addr *addr, const ct_name *own,
                        uint32_t first_frame, uint32_t last_frame, const char *ptr_name,
                        ct_name *out);

/* Addresses with a name (at most the bound). */
unsigned ct_names_size(const ct_names *names);
/* The bound given at creation. */
unsigned ct_names_max(const ct_names *names);
/* Addresses forgotten to make room since creation or the last clear. */
guint64 ct_names_forgotten(const ct_names *names);
/* Distinct names interned now (held by a history, or spare). */
unsigned ct_names_interned(const ct_names *names);

G_END_DECLS

#endif
