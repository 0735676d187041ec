/* state.h - what the CamTrace plugin knows and has open: its settings,
 * its databases, its reverse DNS resolver and the names learned from the
 * capture.
 *
 * The bottom of the plugin's chain: the post-dissector, the flow counter
 * and the exporters use this, and it uses none of them.  Everything is
 * settled lazily from the preferences (camtrace_prefs_storage()), the
 * environment and .env on first use after a change, so `tshark -G` and
 * captures that never need CamTrace open nothing and warn about nothing.
 * Wireshark calls the plugin without a context argument, so the state is
 * one struct of this file.
 */
#ifndef CAMTRACE_STATE_H
#define CAMTRACE_STATE_H

#include <wireshark.h>
#include <epan/address.h>

#include "ct_addr.h"
#include "ct_dns.h"
#include "ct_enrich.h"
#include "ct_flow.h"
#include "ct_home.h"
#include "ct_names.h"
#include "ct_out.h"
#include "ct_ptr.h"
#include "problems.h"
#include "ws-compat.h"

/* Values of the preference "enabled". */
enum { CAMTRACE_ENABLED_AUTO, CAMTRACE_ENABLED_ON, CAMTRACE_ENABLED_OFF };

/* Where the preferences live; the post-dissector registers them. */
typedef struct {
    gint enabled;
    const char *asn_db;
    const char *city_db;
    ct_ws_pref_bool ptr;
    ct_ws_pref_bool ptr_private;
    const char *dns_servers;
    guint ptr_timeout_ms;
    guint ptr_concurrency;
    const char *home_country;
    ct_ws_pref_bool names;
    const char *local_networks;
    guint max_addresses; /* 0: CAMTRACE_MAX_ADDRESSES, else the default */
    guint max_flows;     /* 0: CAMTRACE_MAX_FLOWS, else the default */
} camtrace_prefs;

camtrace_prefs *camtrace_prefs_storage(void);

/* Register the capture life cycle (a new capture starts from nothing) and
 * the shutdown.  Call once, from proto_register. */
void camtrace_state_register(void);
/* The preferences changed: settle everything again on next use. */
void camtrace_state_prefs_changed(void);

/* An epan IPv4 or IPv6 address as a ct_addr; FALSE for other types. */
gboolean camtrace_ct_addr(const address *in, ct_addr *out);

/* Settings. */

/* The memory bounds: how many addresses each per-address store holds at
 * most (the enricher's cache, the PTR answers, the names learned), and
 * how many flows a flow table holds at most.  The preference when not 0,
 * else CAMTRACE_MAX_ADDRESSES / CAMTRACE_MAX_FLOWS (environment, .env),
 * else the defaults, CT_NAMES_MAX_ADDRESSES and CT_FLOW_MAX_FLOWS (both
 * 1048576); a bad value is said once and the default used. */
guint camtrace_max_addresses(void);
guint camtrace_max_flows(void);
/* Where camtrace_max_flows() came from, for messages: "preference
 * camtrace.max_flows", "CAMTRACE_MAX_FLOWS", ... or "default". */
const char *camtrace_max_flows_source(void);

gboolean camtrace_enabled(void);
gboolean camtrace_names_on(void);
/* Running in tshark, which prints each packet once and so waits for the
 * PTR names each packet shows; the GUI waits only where a packet is
 * decided rather than drawn (see camtrace_view_of()). */
gboolean camtrace_in_tshark(void);

/* The enricher with its databases open, or NULL when enrichment is off.
 * Hosts it returns are valid until the next call of this function. */
ct_enricher *camtrace_enricher(void);

/* The databases in use, as the user should see them: "ASN GeoLite2-ASN
 * built 2026-03-10, City GeoLite2-City built 2026-03-10", with "none"
 * for a kind that is not open.  Valid until the databases change. */
const char *camtrace_databases_text(void);
/* For the preferences dialog: "Databases in use: ASN PATH (from the data
 * folder); City ... Data folders searched: ...".  The same buffer always,
 * its text kept current. */
const char *camtrace_files_text(void);

/* The home country (ISO 3166-1 alpha-2, upper case), or NULL when unset. */
const char *camtrace_home_country(void);
/* Whether addr is a local device's: private, link-local or unique-local,
 * or in the user's own networks (preference camtrace.local_networks, else
 * CAMTRACE_LOCAL_NETWORKS; a bad setting is said once and counts as
 * none). */
gboolean camtrace_is_local(const ct_addr *addr);
/* ct_home_foreign() of a packet or flow between a and b (either may be
 * NULL) with this home country. */
ct_foreign camtrace_foreign(const ct_host *a, const ct_host *b);
/* A "foreign" cell: true, false, or absent (CT_FOREIGN_UNKNOWN). */
void camtrace_out_foreign(ct_out *out, const char *key, ct_foreign foreign);
/* An "anycast" cell: true, or absent (databases mark only anycast
 * networks, so false would claim more than they say). */
void camtrace_out_anycast(ct_out *out, const char *key, gboolean anycast);
/* Finish and free an exporter's out; a write error is said as "WHAT:
 * reason". */
void camtrace_out_close(ct_out *out, const char *what);

/* Names learned from this capture. */
ct_names *camtrace_names(void);
/* A PTR name as the name of its address (source CT_NAME_PTR), with its
 * registered domain; valid as long as the names of camtrace_names(). */
ct_name camtrace_ptr_as_name(const char *ptr_name);

/* Reverse DNS. */

/* Is reverse DNS on for an address of this scope (global, or local with
 * ptr_private)? */
gboolean camtrace_ptr_wanted(ct_scope scope);
/* Ask for addr's PTR name now, without waiting, when it is wanted. */
void camtrace_ptr_ask(const ct_addr *addr);
/* Remember a packet's addresses for the first packet that wants names
 * (packets without a tree cannot tell whether names will be shown). */
void camtrace_ptr_note(const ct_addr *src, const ct_addr *dst);

/* One side's PTR name, as far as it is known. */
typedef struct {
    ct_ptr_state state;
    unsigned count; /* PTR records in the answer */
    char name[CT_DNS_NAME_MAX + 1];
} camtrace_ptr_answer;

/* The PTR names of up to two addresses (those with wanted[i]), asked
 * together; with wait (tshark, not its first pass of -2), waited for up
 * to the timeout.  Answers of addresses not wanted are CT_PTR_UNKNOWN. */
void camtrace_ptr_lookup(const ct_addr *const addrs[2], const gboolean wanted[2], gboolean wait,
                         camtrace_ptr_answer out[2]);
/* Wait, once and bounded by the timeout, for every name still
 * outstanding (the exporters, before they write). */
void camtrace_ptr_settle(void);
/* addr's PTR name into name, or false when none is known. */
gboolean camtrace_ptr_name(const ct_addr *addr, char name[CT_DNS_NAME_MAX + 1]);

#endif
