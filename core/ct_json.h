/* ct_json.h - a strict JSON scanner for JSON Lines records (RFC 8259).
 *
 * One call validates one line that must hold exactly one JSON object and
 * yields that object's members in input order: the decoded key, the raw
 * text of the value (a span of the line, to be copied verbatim) and its
 * type.  There is no tree: nested objects and arrays are validated but
 * not materialized, and string values are decoded only on request.  The
 * scanner owns reusable buffers, so scanning a line allocates nothing
 * once they have grown to the longest line seen.
 *
 * Strict means: exactly the grammar of RFC 8259 (no comments, no trailing
 * commas, no leading zeros, no single quotes, no NaN), strings in
 * well-formed UTF-8 (RFC 3629) without raw control characters, \u escapes
 * that form whole characters (a surrogate pair or no surrogate at all),
 * and, for the top-level object, unique keys.  A byte-order mark is not
 * JSON: the caller strips it.  Lines are untrusted, so length and nesting
 * depth are capped and every rejection comes with a reason and a byte
 * offset, never an assertion.
 */
#ifndef CT_JSON_H
#define CT_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "ct_status.h"

G_BEGIN_DECLS

typedef enum {
    CT_JSON_NULL = 0,
    CT_JSON_FALSE,
    CT_JSON_TRUE,
    CT_JSON_NUMBER,
    CT_JSON_STRING,
    CT_JSON_ARRAY,
    CT_JSON_OBJECT,
} ct_json_type;

/* One member of the top-level object. */
typedef struct {
    const char *key;    /* decoded, NUL-terminated (see key_len for a \u0000 inside) */
    size_t key_len;     /* bytes, without the terminating NUL */
    const char *value;  /* raw JSON text of the value, inside the scanned line */
    size_t value_len;   /* bytes */
    ct_json_type type;  /* type of the value */
    bool key_escaped;   /* the key had backslash escapes in the line */
    bool value_escaped; /* CT_JSON_STRING: the value has backslash escapes */
} ct_json_member;

/* Defaults for callers without their own limits. */
#define CT_JSON_MAX_LEN_DEFAULT (1024 * 1024)
#define CT_JSON_MAX_DEPTH_DEFAULT 64

typedef struct ct_json ct_json;

/* A scanner for lines of at most max_len bytes and objects nested at most
 * max_depth levels deep (the top-level object is level 1; 0 means the
 * defaults above). */
ct_json *ct_json_new(size_t max_len, unsigned max_depth);
void ct_json_free(ct_json *json);

/* Scan text (len bytes, no line terminator; NUL bytes are rejected, not
 * taken as the end).  CT_OK when it is exactly one JSON object, optionally
 * surrounded by whitespace; otherwise CT_ERR_INVALID, with
 * ct_json_reason() and ct_json_error_offset() saying why and where.
 * Members stay valid until the next scan and point into text, which must
 * outlive them. */
ct_status ct_json_scan(ct_json *json, const char *text, size_t len);

/* Members of the last successful scan, in input order; *n receives their
 * number.  Owned by the scanner. */
const ct_json_member *ct_json_members(const ct_json *json, size_t *n);

/* The member with the given decoded key, or NULL. */
const ct_json_member *ct_json_find(const ct_json *json, const char *key);

/* Why the last scan failed, in English ("trailing comma", "duplicate key
 * \"src_ip\"", ...); "" after a successful scan.  Owned by the scanner;
 * valid until the next scan.  Quoted input is escaped and shortened, so
 * the reason is safe to print. */
const char *ct_json_reason(const ct_json *json);

/* Offset in bytes from the start of text where the last scan failed. */
size_t ct_json_error_offset(const ct_json *json);

/* Decode a string value as found by ct_json_scan() (raw JSON text with
 * its quotes, raw_len bytes) into out, which must hold raw_len bytes.
 * Writes UTF-8 followed by a NUL and returns the decoded length, which
 * may count NUL bytes from \u0000.  Only for text the scanner accepted. */
size_t ct_json_decode_string(const char *raw, size_t raw_len, char *out);

/* Static English name of a type ("string", "number", ...). */
const char *ct_json_type_name(ct_json_type type);

G_END_DECLS

#endif
