/* ct_cells.c - see ct_cells.h.
 *
 * A string without escapes is its raw text between the quotes, so it is
 * written from the scanned line without decoding: most strings of a flow
 * log (addresses, protocol names, timestamps) take that path.
 */
#include "ct_cells.h"

void
ct_cells_member(ct_out *out, const char *key, const ct_json_member *m, char *scratch)
{
    size_t len;

    if (m == NULL) {
        ct_out_null(out, key);
        return;
    }
    switch (m->type) {
    case CT_JSON_STRING:
        if (!m->value_escaped) {
            ct_out_string_len(out, key, m->value + 1, m->value_len - 2);
        } else {
            len = ct_json_decode_string(m->value, m->value_len, scratch);
            ct_out_string_len(out, key, scratch, len);
        }
        break;
    case CT_JSON_NUMBER:
    case CT_JSON_TRUE:
    case CT_JSON_FALSE:
        ct_out_number(out, key, m->value, m->value_len);
        break;
    case CT_JSON_NULL:
        ct_out_null(out, key);
        break;
    case CT_JSON_ARRAY:
    case CT_JSON_OBJECT:
        ct_out_json_value(out, key, m->value, m->value_len);
        break;
    }
}
