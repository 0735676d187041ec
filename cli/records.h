/* records.h - camtrace's input records: one JSON object per line,
 * checked, its src_ip and dst_ip read, the seed's columns found.
 *
 * A record is strict RFC 8259 (ct_json: one object, unique keys) with
 * src_ip and dst_ip as IPv4 or IPv6 address strings; other members are
 * kept as they are.  Keys must be writable unchanged, so a key with a
 * control character (only possible through an escape) refuses the line.
 * Every refusal comes with a reason fit for one line of stderr, the bad
 * value quoted safely.
 */
#ifndef CLI_RECORDS_H
#define CLI_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "ct_addr.h"
#include "ct_json.h"
#include "formats.h"

/* Input text quoted in a message: printable ASCII as is, the rest as
 * \xNN, at most RECORD_QUOTE_MAX bytes of it ("..." after). */
#define RECORD_QUOTE_MAX 40
#define RECORD_QUOTE_SIZE (RECORD_QUOTE_MAX * 4 + 4)
const char *record_quote(char out[RECORD_QUOTE_SIZE], const char *text, size_t len);

/* The seed's columns that come from the input (ct_out_seed_columns 0-7),
 * then the flow export's that ECS documents use. */
enum {
    COL_TS,
    COL_PROTO,
    COL_SRC_IP,
    COL_SRC_PORT,
    COL_DST_IP,
    COL_DST_PORT,
    COL_BYTES,
    COL_PKTS,
    COL_END_TS,
    COL_SRC_BYTES,
    COL_SRC_PKTS,
    COL_DST_BYTES,
    COL_DST_PKTS,
    COL_COMMUNITY_ID,
    RECORD_COLUMNS
};
#define INPUT_COLUMNS 8

struct record {
    ct_json *json;
    ct_json *sub;  /* for objects inside the record (EVE's flow, ECS's source, ...) */
    char *scratch; /* decoded strings: max_len + 1 bytes */
    const ct_json_member *members; /* of the last scan */
    size_t n_members;
    int col[RECORD_COLUMNS]; /* index into members, or -1 */
    GString *why;            /* why the last line was refused */
    bool want_view;          /* read view too (ECS output) */
    input_format forced;     /* INPUT_AUTO: each line's by its keys */
    input_format format;     /* of the last line checked */
    flow_view view;          /* of the last line checked: with want_view, or not the seed's */
    /* The last ISO 8601 second read ("YYYY-MM-DDTHH:MM:SS") and its value. */
    bool last_second_valid;
    char last_second_text[19];
    int64_t last_second;
};

/* For lines of at most max_len bytes, max_depth levels deep. */
void record_init(record *r, size_t max_len, unsigned max_depth);
void record_clear(record *r);

/* Check a line (len bytes, no line end) and read its addresses (and,
 * with r->want_view, its view); on success r holds its members and
 * columns, else r->why says why not.  The line must outlive the
 * members. */
bool record_check(record *r, const char *line, size_t len, ct_addr *src, ct_addr *dst);

/* Check again a line that passed record_check() before (false, with the
 * reason in r->why, only if it changed since). */
bool record_scan(record *r, const char *line, size_t len);

/* Read m (NULL: absent) as an IP address string named name in messages. */
bool record_read_address(record *r, const char *name, const ct_json_member *m, ct_addr *addr);

/* The member that fills an input column; NULL when the record has none. */
const ct_json_member *record_column(const record *r, int col);

/* One of the 18 columns camtrace appends (src_ptr ... dst_longitude)? */
bool record_is_enrichment_key(const ct_json_member *m);

#endif
