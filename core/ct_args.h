/* ct_args.h - the argument of an export or report: PREFIX[,FORMAT][,FILTER].
 *
 * tshark hands `-z ARG` to the export whose PREFIX begins ARG
 * ("camtrace,flows").  After the prefix, both optional: a comma and one of
 * the export's format words, then a comma and a display filter.  A comma
 * followed by anything that is not a whole format word starts the filter,
 * so "camtrace,flows,csv" picks CSV while "camtrace,flows,csvx" is the
 * filter "csvx".  A format word written "NAME=VALUE" (such as
 * "bulk=INDEX") takes a value: "NAME=" and the text up to the next comma
 * or the end, which must not be empty.  The filter is not compiled here:
 * that is the caller's, with its own dissector library.
 */
#ifndef CT_ARGS_H
#define CT_ARGS_H

#include <stdbool.h>

#include "ct_status.h"

G_BEGIN_DECLS

typedef struct {
    int format;         /* index into formats; 0 (the default) when not given */
    const char *filter; /* inside arg; NULL when none, "" after a last comma */
    const char *value;  /* of a "NAME=VALUE" format, inside arg (value_len bytes); else NULL */
    size_t value_len;
} ct_args;

/* Read arg for the export prefix with the given formats (NULL-terminated,
 * at least one; the first is the default, and not one with a value).
 * False when arg is not prefix followed by nothing or a comma, or a
 * format's value is empty: out is then the default and error
 * (CT_ERR_INVALID) says how to write it: `invalid "-z ARG": use -z
 * PREFIX[,csv|,jsonl|,bulk=INDEX][,FILTER]`. */
bool ct_args_parse(const char *arg, const char *prefix, const char *const *formats, ct_args *out,
                   GError **error);

G_END_DECLS

#endif
