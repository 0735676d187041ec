/* fields.h - the camtrace.* fields, which of them a packet must show, and
 * the CamTrace tree that shows them.
 *
 * Used by the post-dissector only.  What one packet must show is decided
 * once (camtrace_view_of()) and passed down as a value.
 */
#ifndef CAMTRACE_FIELDS_H
#define CAMTRACE_FIELDS_H

#include <wireshark.h>
#include <epan/packet.h>

#include "state.h"
#include "ct_enrich.h"
#include "ct_names.h"

/* Register the fields and subtrees of protocol proto.  Call once. */
void camtrace_fields_register(int proto);

/* What this packet must show. */
typedef struct {
    gboolean all;        /* a visible tree without a -e list: every field */
    gboolean first_pass; /* tshark's first pass of -2: only filters count,
                            and nothing waits for names */
    gboolean wait;       /* wait for the PTR names the packet shows */
} camtrace_view;

/* Whether this packet (with a tree) must show anything of CamTrace: the
 * tree is shown, or one of the fields (or the protocol itself) is in a
 * filter, a column or tshark's -e list.  Fills *view when it must. */
gboolean camtrace_view_of(packet_info *pinfo, proto_tree *tree, camtrace_view *view);
/* Whether the view shows a name field of side 0 (source) or 1
 * (destination; remote is the side that is the remote end), a PTR field,
 * the foreign field. */
gboolean camtrace_view_wants_name(const camtrace_view *view, int side, int remote);
gboolean camtrace_view_wants_ptr(const camtrace_view *view);
gboolean camtrace_view_wants_foreign(const camtrace_view *view);

/* tshark's -e list prints a PTR or name field: names will be printed,
 * so even packets without a tree (the first pass of -2) ask for them. */
gboolean camtrace_fields_print_names(void);
/* This tshark run uses CamTrace at all: its command line (fields,
 * filters, -z camtrace,...) or its columns name it, or it prints whole
 * trees.  Always true outside tshark. */
gboolean camtrace_fields_in_use(void);

/* What one side of the packet shows. */
typedef struct {
    const ct_host *host;
    const ct_name *name; /* source CT_NAME_NONE when there is none */
    const camtrace_ptr_answer *ptr;
} camtrace_side_values;

/* Problems to show in a packet (camtrace_problems_of_frame()). */
typedef struct {
    const char *message[CAMTRACE_PROBLEMS];
    guint count;
} camtrace_problems;

/* Add the CamTrace tree of a packet under tree: the problems first (as
 * Expert Information, warnings), both sides, the remote one
 * (sides[remote]) again as camtrace.remote.* with the local address, and
 * foreign unless it is CT_FOREIGN_UNKNOWN. */
void camtrace_fields_add(const camtrace_view *view, packet_info *pinfo, proto_tree *tree,
                         tvbuff_t *tvb, const camtrace_problems *problems, ct_enricher *enricher,
                         const camtrace_side_values sides[2], int remote, ct_foreign foreign);
/* A CamTrace tree with the problems only, for a packet that shows no
 * CamTrace field; without a tree (tree NULL) they still reach Expert
 * Information's tap (tshark -z expert). */
void camtrace_fields_add_problems(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb,
                                  const camtrace_problems *problems);

#endif
