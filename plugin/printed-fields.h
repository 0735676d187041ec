/* printed-fields.h - what a tshark run prints, and how, from its command
 * line. */
#ifndef CAMTRACE_PRINTED_FIELDS_H
#define CAMTRACE_PRINTED_FIELDS_H

#include <glib.h>

/* The set of field names (char *) that a tshark with this argument vector
 * (argv[0] is the program) prints with "-T fields|json|jsonraw|ek|pdml -e
 * FIELD ...", or NULL when that is not known (no -e list).  Free with
 * g_hash_table_destroy(). */
GHashTable *camtrace_printed_fields_from_args(int argc, char **argv);

/* This tshark's arguments (argv[0] first; g_ptr_array_free() frees them),
 * or NULL when this is not tshark or /proc is missing. */
GPtrArray *camtrace_tshark_args(void);

/* Does this argument vector ask tshark for two passes (-2)? */
gboolean camtrace_two_pass_from_args(int argc, char **argv);

#endif
