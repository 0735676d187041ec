/* output.h - camtrace's records out: the input's members, then the nine
 * enrichment cells of each side.
 *
 * JSON Lines keeps every input member, in order and as written, but the
 * 18 columns camtrace adds (a record that had them gets them afresh);
 * CSV writes the seed's 26 columns and ignores other keys.  The cells of
 * a side come rendered from the host table unless reverse DNS found a
 * name, which is rare enough to format afresh.  ECS documents take the
 * record's view (formats.h) and the host's rendered ECS parts.
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <stdio.h>

#include "ct_names.h"
#include "ct_out.h"
#include "ct_ptr.h"
#include "hosts.h"
#include "records.h"

/* The output stream for path (NULL or "-": stdout), never the input
 * file itself (in_fd); NULL after an error (printed). */
FILE *output_open(const char *path, int in_fd);

/* Write the record r holds, whose addresses are src and dst; ptr NULL:
 * no names. */
void output_record(ct_out *out, const record *r, host_table *hosts, ct_ptr *ptr, const ct_addr *src,
                   const ct_addr *dst);

/* A record as an ECS document (ct_ecs.h) from its view (a record's
 * r->view), after a _bulk action line for index unless it is NULL; hosts
 * is a table made for ECS; names gives the registered domains of PTR
 * names. */
void output_ecs(ct_out *out, const flow_view *v, host_table *hosts, ct_ptr *ptr,
                const ct_names *names, const char *index, const ct_addr *src, const ct_addr *dst);

#endif
