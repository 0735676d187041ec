/* ct_home.h - the home country, and whether traffic leaves it.
 *
 * The user names the country the devices are in (ISO 3166-1 alpha-2,
 * such as DE); a packet or flow is "foreign" when one of its global
 * addresses lies, by the City database's located country, in another.
 * Only global addresses count: private, local and special ones are
 * nowhere.  Where a global address has no located country (anycast and
 * many cloud ranges have only a registered one), it does not count either
 * way.
 */
#ifndef CT_HOME_H
#define CT_HOME_H

#include <stdbool.h>

#include "ct_enrich.h"

G_BEGIN_DECLS

/* A home country code: two upper-case letters and NUL, or "" when unset. */
#define CT_HOME_CODE_SIZE 3

/* The verdict of ct_home_foreign(). */
typedef enum {
    CT_FOREIGN_UNKNOWN = -1, /* no home country, or no global end with a country */
    CT_FOREIGN_NO = 0,       /* every global end with a country lies at home */
    CT_FOREIGN_YES = 1,      /* a global end lies in another country */
} ct_foreign;

/* Read a home country setting: text with surrounding white space, of two
 * ASCII letters in either case.  NULL, empty or only white space means
 * unset: true, code "".  A valid code: true, code in upper case.  Anything
 * else: false, code "", error (CT_ERR_INVALID) quoting the text:
 * `home country "X": not an ISO 3166-1 alpha-2 code (such as DE or US)`. */
bool ct_home_parse(const char *text, char code[CT_HOME_CODE_SIZE], GError **error);

/* Whether a packet or flow between a and b (either may be NULL) leaves
 * home (a code of ct_home_parse(), NULL or "" when unset). */
ct_foreign ct_home_foreign(const char *home, const ct_host *a, const ct_host *b);

/* Whether a or b (either may be NULL) is a global address. */
bool ct_home_any_global(const ct_host *a, const ct_host *b);

/* The verdict for people: "yes", "no"; "unknown" when home is set and an
 * end is global (any_global) but none has a located country; else "". */
const char *ct_home_foreign_text(const char *home, ct_foreign foreign, bool any_global);

G_END_DECLS

#endif
