/* printed-fields.h - the fields a tshark run prints, from its command line. */
#ifndef CAMTRACE_PRINTED_FIELDS_H
#define CAMTRACE_PRINTED_FIELDS_H

#include <glib.h>

/* The set of field names (char *) that this process prints with
 * "tshark -T fields|json|jsonraw|ek|pdml -e FIELD ...", or NULL when that
 * is not known (not tshark, no -e list, or no /proc).  Free with
 * g_hash_table_destroy(). */
GHashTable *camtrace_printed_fields(void);

/* The same from a tshark argument vector (argv[0] is the program). */
GHashTable *camtrace_printed_fields_from_args(int argc, char **argv);

#endif
