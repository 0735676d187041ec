/* ct_cells.h - a member of a scanned JSON object as one output cell.
 *
 * Both commands turn JSON Lines into records of ct_out: `camtrace --csv`
 * the seed's columns of any flow log, camtrace-capture the plugin's flow
 * export.  A member becomes a cell by one rule, here:
 * - numbers, true and false as they are written (ct_out_number), never
 *   re-formatted through a double;
 * - strings decoded, so that ct_out's guarantees (spreadsheet safety,
 *   valid UTF-8 without controls) apply to their text, not to the JSON
 *   escapes that spelled it;
 * - null, and a member that is not there, as an absent cell;
 * - objects and arrays as their JSON text (ct_out_json_value).
 * For CSV that is the whole story.  JSON Lines writes the string again as
 * JSON (the same text, perhaps escaped otherwise); a caller that wants a
 * member's bytes unchanged passes them to ct_out_json_value() itself.
 */
#ifndef CT_CELLS_H
#define CT_CELLS_H

#include "ct_json.h"
#include "ct_out.h"

G_BEGIN_DECLS

/* Write m (NULL: not there) as the cell key of out's current record.
 * scratch receives decoded strings and must hold m->value_len bytes: a
 * buffer as long as the longest line the scanner accepts will do. */
void ct_cells_member(ct_out *out, const char *key, const ct_json_member *m, char *scratch);

G_END_DECLS

#endif
