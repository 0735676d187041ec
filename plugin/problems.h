/* problems.h - telling the user.  A warning is one line "camtrace: WHAT:
 * WHY" on standard error; a problem (what keeps CamTrace from enriching as
 * asked: a database, a setting, the DNS server) is also kept, one per
 * kind, for the post-dissector to show in Expert Information.
 */
#ifndef CAMTRACE_PROBLEMS_H
#define CAMTRACE_PROBLEMS_H

#include <wireshark.h>

/* What keeps CamTrace from enriching as asked, one entry per kind; the
 * two databases' have ct_geo_db's values. */
typedef enum {
    CAMTRACE_PROBLEM_ASN_DB,
    CAMTRACE_PROBLEM_CITY_DB,
    CAMTRACE_PROBLEM_HOME_COUNTRY,
    CAMTRACE_PROBLEM_LOCAL_NETWORKS,
    CAMTRACE_PROBLEM_ENABLED,
    CAMTRACE_PROBLEM_RESOLVER,
    CAMTRACE_PROBLEMS
} camtrace_problem;

/* The problems to show in this frame: a problem is shown in the first
 * frame dissected with a tree after it arose in the capture (once per
 * capture, not per packet), and again whenever that frame is dissected.
 * Fills out with their messages; returns how many. */
guint camtrace_problems_of_frame(guint32 frame, const char *out[CAMTRACE_PROBLEMS]);

/* Tell the user: one line "camtrace: MESSAGE" on standard error, the same
 * in tshark, in the GUI's console and through camtrace-capture.  MESSAGE
 * says what, then why: "ASN database from environment unusable: PATH:
 * REASON". */
void camtrace_warn(const char *format, ...) G_GNUC_PRINTF(1, 2);

/* camtrace_warn(), and the problem of that kind, shown in the capture. */
void camtrace_report(camtrace_problem kind, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* Keep message (copied) as the problem of kind, to be shown again; or
 * forget it, the cause gone. */
void camtrace_problem_set(camtrace_problem kind, const char *message);
void camtrace_problem_clear(camtrace_problem kind);
/* A new capture: every problem is shown again in it, except a dead
 * resolver, which is tried again. */
void camtrace_problems_new_capture(void);
/* Forget every problem (shutdown). */
void camtrace_problems_clear_all(void);

#endif
