/* ct_out.h - records out: CSV (RFC 4180) or JSON Lines, safe to share.
 *
 * One ct_out writes a stream of records, each a sequence of named cells,
 * to a FILE through its own buffer.  The same calls make either format:
 * CSV ignores the names (the caller writes cells in the order of the
 * header), JSON Lines writes one object per line with the names as keys.
 *
 * What the reader of the output can rely on:
 * - CSV follows RFC 4180: CRLF line ends, a cell is quoted when it holds
 *   a comma, quote, CR or LF, and quotes inside are doubled.
 * - CSV is safe to open in a spreadsheet: a text cell that starts with
 *   '=', '+', '-', '@', TAB or CR gets a leading apostrophe and quotes
 *   (OWASP "CSV Injection"), so it is shown as text and never evaluated.
 *   Numbers are written by the number calls and are never altered.
 * - Text is valid UTF-8 without NUL or other C0 controls (TAB, CR and LF
 *   excepted in CSV): invalid bytes and controls become U+FFFD.
 * - JSON Lines: one JSON object per line (RFC 8259), absent values null.
 *   Records may nest objects and arrays (ct_out_object_begin()), for
 *   documents with a schema of their own such as ECS (ct_ecs.h).
 */
#ifndef CT_OUT_H
#define CT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ct_enrich.h"

G_BEGIN_DECLS

typedef enum {
    CT_OUT_CSV = 0,
    CT_OUT_JSONL,
} ct_out_format;

typedef struct ct_out ct_out;

/* The seed's 26 columns, in order: the first columns of the flow export
 * and the columns of `camtrace --csv`. */
#define CT_OUT_SEED_COLUMNS 26
extern const char *const *const ct_out_seed_columns;

/* The flow export's 44 columns: the seed's 26, then end_ts, duration_s,
 * src_pkts, src_bytes, dst_pkts, dst_bytes, src_scope, dst_scope,
 * community_id, src_name, src_name_source, dst_name, dst_name_source,
 * foreign, src_registered_country_iso, src_anycast,
 * dst_registered_country_iso, dst_anycast. */
#define CT_OUT_FLOW_COLUMNS 44
extern const char *const ct_out_flow_columns[CT_OUT_FLOW_COLUMNS];

/* Write to stream (not closed by ct_out_free). */
ct_out *ct_out_new(ct_out_format format, FILE *stream);

/* Write out what is still buffered and flush the stream, which stays
 * open; false with error (CT_ERR_WRITE) set if any write failed, this one
 * or an earlier one.  The writer is not freed: call ct_out_free(). */
bool ct_out_finish(ct_out *out, GError **error);
/* Free the writer.  Records still buffered (no ct_out_finish() since) are
 * dropped; the stream is not closed. */
void ct_out_free(ct_out *out);

ct_out_format ct_out_get_format(const ct_out *out);

/* CSV: writes the header line; JSON Lines: nothing. */
void ct_out_header(ct_out *out, const char *const *names, size_t n);

void ct_out_begin(ct_out *out);
void ct_out_end(ct_out *out);

/* Cells.  key is the JSON name (ignored by CSV).  NULL text is absent:
 * an empty cell, or null. */
void ct_out_string(ct_out *out, const char *key, const char *text);
void ct_out_string_len(ct_out *out, const char *key, const char *text, size_t len);
void ct_out_null(ct_out *out, const char *key);
void ct_out_uint(ct_out *out, const char *key, uint64_t value);
/* Shortest text that reads back as value; not finite is absent. */
void ct_out_double(ct_out *out, const char *key, double value);
/* A number already in JSON number syntax (RFC 8259 section 6), or the
 * literal true / false: written as it is. */
void ct_out_number(ct_out *out, const char *key, const char *text, size_t len);
/* A JSON value passed through (RFC 8259 text, such as a member that
 * ct_json scanned): JSON Lines writes it as the member's value, CSV as a
 * text cell holding the JSON text, whatever its type (numbers that should
 * stay numbers go through ct_out_number).  The caller guarantees that json is
 * one valid JSON value.  The output guarantees still hold: TAB, CR and LF
 * (which valid JSON has only between tokens) are written as spaces in
 * JSON Lines, so the record stays on one line, and any other control byte
 * or invalid UTF-8 becomes a space or U+FFFD. */
void ct_out_json_value(ct_out *out, const char *key, const char *json, size_t len);
/* A key rendered once, for writers that use the same keys in millions of
 * records (ct_ecs): ct_out_key_init() writes name as a JSON key with its
 * colon, and the _key calls below copy that text where the calls above
 * render their key again; the output is the same.  name is short (its
 * JSON text and colon fit in json). */
typedef struct {
    char json[47];
    uint8_t len;
} ct_out_key;
void ct_out_key_init(ct_out_key *key, const char *name);
void ct_out_uint_key(ct_out *out, const ct_out_key *key, uint64_t value);
void ct_out_object_begin_key(ct_out *out, const ct_out_key *key);
void ct_out_array_begin_key(ct_out *out, const ct_out_key *key);
/* Nested values, JSON Lines only (CSV has no nesting: these calls write
 * nothing there).  ct_out_object_begin() starts the member key (NULL
 * inside an array) as an object whose cells follow, up to the matching
 * ct_out_object_end(); arrays take cells with a NULL key.  At most
 * CT_OUT_DEPTH_MAX levels below the record; every level is closed before
 * ct_out_end(). */
#define CT_OUT_DEPTH_MAX 6
void ct_out_object_begin(ct_out *out, const char *key);
void ct_out_object_end(ct_out *out);
void ct_out_array_begin(ct_out *out, const char *key);
void ct_out_array_end(ct_out *out);

#define CT_OUT_TIMESTAMP_LEN 48
/* A point in time as ISO 8601 UTC with microseconds:
 * "2026-11-27T17:19:57.123456Z". */
void ct_out_timestamp(ct_out *out, const char *key, int64_t sec, uint32_t usec);
/* The same text into text, through out's memory of the last second
 * formatted (records come in time order); its length, or 0 when sec
 * cannot be represented. */
size_t ct_out_timestamp_text(ct_out *out, int64_t sec, uint32_t usec,
                             char text[CT_OUT_TIMESTAMP_LEN]);
/* The string cell that ct_out_string_len() would write of the text and
 * length (not 0) that ct_out_timestamp_text() put in text, faster: text
 * is that whole buffer. */
void ct_out_timestamp_text_key(ct_out *out, const ct_out_key *key,
                               const char text[CT_OUT_TIMESTAMP_LEN], size_t len);
/* The same text into out, for other writers (the GUI's flow table); empty
 * and false when sec cannot be represented. */
bool ct_out_format_timestamp(int64_t sec, uint32_t usec, char out[CT_OUT_TIMESTAMP_LEN]);

typedef enum {
    CT_OUT_SRC = 0,
    CT_OUT_DST,
} ct_out_side;

/* The nine enrichment cells of one side, as in the seed: <side>_ptr,
 * _asn, _as_org, _country_iso, _country_name, _region, _city, _latitude,
 * _longitude.  host may be NULL (all absent); ptr_name NULL when unknown. */
void ct_out_host(ct_out *out, ct_out_side side, const ct_host *host, const char *ptr_name);

/* The same nine cells rendered once, for callers that write the same host
 * in many records (`camtrace` writes millions of records about a few
 * thousand hosts): returns newly allocated text (g_free) and its length
 * in *len, to be passed to ct_out_rendered() of any writer of this
 * format. */
char *ct_out_host_render(ct_out_format format, ct_out_side side, const ct_host *host,
                         const char *ptr_name, size_t *len);
/* Write cells rendered by ct_out_host_render() for out's format into the
 * current record, as if ct_out_host() were called.  Text from anywhere
 * else is not allowed: it would bypass the guarantees above. */
void ct_out_rendered(ct_out *out, const char *text, size_t len);

/* Render cells once for many records, as ct_out_host_render() does for
 * the nine host cells: write(out, data) writes cells (no ct_out_begin()
 * or ct_out_end()) into a writer of format without a stream; the text
 * that ct_out_rendered() then inserts is returned (g_free), its length in
 * *len.  Empty text (no cell written) must not be passed to
 * ct_out_rendered(). */
typedef void (*ct_out_render_fn)(ct_out *out, const void *data);
char *ct_out_render(ct_out_format format, ct_out_render_fn write, const void *data, size_t *len);

G_END_DECLS

#endif
