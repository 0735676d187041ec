/* messages.h - what the commands say on standard error.
 *
 * One shape for both commands, as a script or a person reads them:
 * "PROGRAM: WHAT: WHY" on one line, "PROGRAM: warning: ..." for what does
 * not stop the run, and after a usage error the hint to --help.  PROGRAM
 * is the command's name, compiled in as CLI_PROG (cli/CMakeLists.txt), so
 * this file is built once per command and holds no state.
 */
#ifndef CLI_MESSAGES_H
#define CLI_MESSAGES_H

#include <stdarg.h>

#include <glib.h>

/* The exit status of a usage error, the same for both commands. */
#define CLI_EXIT_USAGE 2

/* "PROGRAM: " fmt "\n" on stderr. */
G_GNUC_PRINTF(1, 0) void msg_verror(const char *fmt, va_list ap);
G_GNUC_PRINTF(1, 2) void msg_error(const char *fmt, ...);
/* The same, for what the run does rather than what went wrong. */
G_GNUC_PRINTF(1, 2) void msg_info(const char *fmt, ...);
/* "PROGRAM: warning: " fmt "\n" on stderr. */
G_GNUC_PRINTF(1, 2) void msg_warning(const char *fmt, ...);

/* "Try 'PROGRAM --help' for more information." */
void msg_usage_hint(void);
/* msg_error(), then the hint; returns CLI_EXIT_USAGE. */
G_GNUC_PRINTF(1, 2) int msg_usage_error(const char *fmt, ...);

#endif
