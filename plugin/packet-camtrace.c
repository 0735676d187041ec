/* packet-camtrace.c - the CamTrace post-dissector: the protocol, its
 * preferences, and what happens to each packet.
 *
 * For the innermost IP header pair of each packet, adds generated items
 * under a "CamTrace" tree: the address scope of each side, the name the
 * capture gave it (else its PTR name) and, for global addresses, ASN and
 * location from MaxMind databases.  The chain below this file: fields.c
 * (the fields, which of them a packet shows), learn.c (names from the
 * packets), counter.c (the "camtrace" tap), state.c (settings,
 * databases, resolver, names).  All enrichment lives in core/.
 *
 * Cost model: nothing at all happens unless a tree exists and a camtrace
 * field (or the protocol) is referenced or the tree is shown, so plain
 * `tshark -r` and exports that ask for other fields pay one check per
 * packet.  Each distinct address is looked up once per capture.
 *
 * Which header pair: pinfo->net_src/net_dst as the post-dissector sees
 * them, i.e. the innermost IP header (inner header of a tunnel).  Headers
 * quoted inside ICMP errors do not count: epan dissects them with
 * pinfo->flags.in_error_pkt set, and call_dissector_work_error() in
 * epan/packet.c restores the carrier's addresses afterwards.  The golden
 * tests check this on ICMP and ICMPv6 errors.
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>

#include "counter.h"
#include "fields.h"
#include "learn.h"
#include "packet-camtrace.h"
#include "remote.h"
#include "state.h"

static int proto_camtrace = -1;
static dissector_handle_t camtrace_handle;

static gboolean
packet_addresses(packet_info *pinfo, ct_addr *src, ct_addr *dst)
{
    return camtrace_ct_addr(&pinfo->net_src, src) && camtrace_ct_addr(&pinfo->net_dst, dst) &&
           src->family == dst->family;
}

static int
dissect_camtrace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    ct_addr src, dst;
    ct_name own, name[2];
    camtrace_packet_conversation pc = {FALSE, NULL, NULL};
    camtrace_ptr_answer ptr[2];
    camtrace_side_values sides[2];
    camtrace_view view;
    const ct_host *hosts[2];
    const ct_addr *addrs[2];
    gboolean named = FALSE, name_wanted[2], ptr_needed[2], ptr_fields;
    ct_enricher *enricher;
    camtrace_problems problems;
    int remote;

    if (!packet_addresses(pinfo, &src, &dst))
        return 0;
    /* Learn first, and tap every packet: the flow exports need neither a
     * visible tree nor a camtrace field. */
    if (camtrace_names_on())
        named = camtrace_learn(pinfo, &pc, tree, &dst, camtrace_counter_listening(), &own);
    camtrace_counter_tap(pinfo, &src, &dst, named ? &own : NULL);
    if (!camtrace_enabled())
        return 0;
    if (tree == NULL || !camtrace_view_of(pinfo, tree, &view)) {
        /* The problems show in any tree, and reach Expert Information
         * (tshark -z expert) even without one. */
        problems.count = camtrace_problems_of_frame(pinfo->num, problems.message);
        camtrace_fields_add_problems(pinfo, tree, tvb, &problems);
        /* Nothing shown yet (tshark's first pass of -2, a run that prints
         * no tree, the GUI's packet list as it loads): when tshark's -e
         * list prints PTR names, ask now without waiting, so the answers
         * are in by the second pass; otherwise only note the addresses,
         * for the first packet that wants names. */
        if (camtrace_ptr_wanted(CT_SCOPE_GLOBAL)) {
            if (camtrace_fields_print_names()) {
                camtrace_ptr_ask(&src);
                camtrace_ptr_ask(&dst);
            } else {
                camtrace_ptr_note(&src, &dst);
            }
        }
        return 0;
    }

    enricher = camtrace_enricher();
    hosts[0] = ct_enricher_host(enricher, &src);
    hosts[1] = ct_enricher_host(enricher, &dst);
    remote = camtrace_remote_side(pinfo, hosts);
    ptr_fields = camtrace_view_wants_ptr(&view);
    for (int i = 0; i < 2; i++) {
        name_wanted[i] = camtrace_view_wants_name(&view, i, remote);
        name[i].source = CT_NAME_NONE;
        if (name_wanted[i] && camtrace_names_on())
            camtrace_capture_name(pinfo, &pc, &hosts[i]->addr, &name[i]);
        /* PTR names: for the PTR fields, or in place of a capture name. */
        ptr_needed[i] = ptr_fields || (name_wanted[i] && name[i].source == CT_NAME_NONE);
        addrs[i] = &hosts[i]->addr;
    }
    camtrace_ptr_lookup(addrs, ptr_needed, view.wait, ptr);
    for (int i = 0; i < 2; i++) {
        if (name_wanted[i] && name[i].source == CT_NAME_NONE && ptr[i].state == CT_PTR_FOUND)
            name[i] = camtrace_ptr_as_name(ptr[i].name);
        sides[i] = (camtrace_side_values){hosts[i], &name[i], &ptr[i]};
    }
    /* After the lookups, which open the databases and the resolver. */
    problems.count = camtrace_problems_of_frame(pinfo->num, problems.message);
    camtrace_fields_add(&view, pinfo, tree, tvb, &problems, enricher, sides, remote,
                        camtrace_view_wants_foreign(&view) ? camtrace_foreign(hosts[0], hosts[1])
                                                           : CT_FOREIGN_UNKNOWN);
    return (int)tvb_captured_length(tvb);
}

/* Ask epan to build the fields names are learned from in every tree
 * (tshark's first pass of -2 and the GUI's packet list build trees nobody
 * sees, where they would otherwise be left out), or stop asking.  Once
 * per capture: the preferences and columns are settled by then. */
static void
want_name_sources(void)
{
    if (!camtrace_names_on() || !proto_is_protocol_enabled(find_protocol_by_id(proto_camtrace)) ||
        !camtrace_fields_in_use()) {
        set_postdissector_wanted_hfids(camtrace_handle, NULL);
        return;
    }
    set_postdissector_wanted_hfids(camtrace_handle, camtrace_learn_sources());
}

void
camtrace_dissector_register(void)
{
    static const enum_val_t enabled_vals[] = {
        {"auto", "Automatic (on, unless turned off in the environment)", CAMTRACE_ENABLED_AUTO},
        {"TRUE", "On", CAMTRACE_ENABLED_ON},
        {"FALSE", "Off", CAMTRACE_ENABLED_OFF},
        {NULL, NULL, 0},
    };
    camtrace_prefs *p = camtrace_prefs_storage();
    module_t *module;

    proto_camtrace = proto_register_protocol("CamTrace IP enrichment", "CamTrace", "camtrace");
    camtrace_fields_register(proto_camtrace);
    camtrace_learn_register(proto_camtrace);
    camtrace_remote_register(proto_camtrace);

    module = prefs_register_protocol(proto_camtrace, camtrace_state_prefs_changed);
    prefs_register_enum_preference(
        module, "enabled", "Enrich packets",
        "Add CamTrace fields to IP packets. \"auto\" follows the ENRICH_IPS environment "
        "variable or .env entry and is on when that is unset.",
        &p->enabled, enabled_vals, FALSE);
    prefs_register_static_text_preference(module, "files_in_use", camtrace_files_text(),
                                          "The database files CamTrace reads, and the folders "
                                          "it looks in when no file is set below");
    prefs_register_filename_preference(
        module, "asn_db", "ASN database",
        "MaxMind DB file with autonomous system data (GeoLite2-ASN). Empty: MAXMIND_ASN_DB "
        "from the environment or .env, then GeoLite2-ASN.mmdb in the CamTrace data folder, "
        "/usr/share/GeoIP or /var/lib/GeoIP.",
        &p->asn_db, FALSE);
    prefs_register_filename_preference(
        module, "city_db", "City database",
        "MaxMind DB file with location data (GeoLite2-City or -Country, DB-IP lite). Empty: "
        "MAXMIND_CITY_DB from the environment or .env, then GeoLite2-City.mmdb in the "
        "CamTrace data folder, /usr/share/GeoIP or /var/lib/GeoIP.",
        &p->city_db, FALSE);

    prefs_register_bool_preference(
        module, "ptr", "Reverse DNS (PTR) names",
        "Look up the PTR name of global addresses with CamTrace's own DNS client. The queries "
        "reveal the addresses to the DNS servers below.",
        &p->ptr);
    prefs_register_bool_preference(
        module, "ptr_private", "Reverse DNS for private addresses too",
        "Also look up private, link-local and unique-local addresses (a home router often "
        "names its devices).",
        &p->ptr_private);
    prefs_register_string_preference(
        module, "dns_servers", "DNS servers",
        "Comma-separated IP, IP:port or [IPv6]:port. Empty: DNS_RESOLVER from the "
        "environment or .env, else the system's resolv.conf.",
        &p->dns_servers);
    prefs_register_uint_preference(module, "ptr_timeout_ms", "PTR timeout (ms)",
                                   "How long to wait for each DNS server's answer", 10,
                                   &p->ptr_timeout_ms);
    prefs_register_uint_preference(module, "ptr_concurrency", "PTR queries in flight",
                                   "Most PTR questions outstanding at once", 10,
                                   &p->ptr_concurrency);
    prefs_register_bool_preference(
        module, "names", "Names from the capture",
        "Name addresses by the DNS answers, TLS/QUIC server names and HTTP Host headers in "
        "the capture. This needs the DNS, TLS and HTTP fields of every packet, so tshark "
        "builds a protocol tree even for exports that need none (the flow export takes "
        "about a quarter longer); PTR names remain.",
        &p->names);
    prefs_register_string_preference(
        module, "home_country", "Home country",
        "ISO 3166-1 alpha-2 code (such as DE) of the country the devices are in; "
        "camtrace.foreign marks packets to global addresses elsewhere. Empty: "
        "CAMTRACE_HOME_COUNTRY from the environment or .env.",
        &p->home_country);
    prefs_register_string_preference(
        module, "local_networks", "Your own networks",
        "Networks whose addresses are your devices although they are public (CIDR prefixes, "
        "comma-separated, such as 203.0.113.0/24, 2001:db8:1::/48). Private, link-local and "
        "unique-local addresses are local anyway; the other end of a packet is its remote "
        "end (camtrace.remote.*), and the devices report lists them as devices. Empty: "
        "CAMTRACE_LOCAL_NETWORKS from the environment or .env.",
        &p->local_networks);

    prefs_register_uint_preference(
        module, "max_addresses", "Addresses remembered",
        "How many addresses each of CamTrace's memories holds at most: the locations looked "
        "up, the PTR answers and the names learned from the capture (about 550 bytes an "
        "address in all). Beyond that the least recently used are forgotten and looked up or "
        "learned again. 0: CAMTRACE_MAX_ADDRESSES from the environment or .env, else 1048576.",
        10, &p->max_addresses);
    prefs_register_uint_preference(
        module, "max_flows", "Flows kept",
        "How many flows the flow export, the devices report and the flows table keep at once "
        "(about 150 bytes a flow). Beyond that the least recently active flow is forgotten "
        "and left out, and CamTrace says how many. 0: CAMTRACE_MAX_FLOWS from the "
        "environment or .env, else 1048576.",
        10, &p->max_flows);

    camtrace_handle = create_dissector_handle(dissect_camtrace, proto_camtrace);
    register_postdissector(camtrace_handle);
    /* After state.c's: a new capture's settings are settled first. */
    register_init_routine(want_name_sources);
}
