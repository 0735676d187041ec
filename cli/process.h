/* process.h - the programs a command runs: found, started, waited for.
 *
 * A program (dumpcap, tshark) is found in PATH or named, with fixed
 * options, by an environment variable; it is then either run to the end
 * with its output collected (short questions: `tshark -G plugins`,
 * `dumpcap -D`) or started with its standard error on a pipe, for the
 * caller to read while it runs.  SIGINT and SIGTERM are counted here,
 * never acted on: the caller decides what a signal means at each step.
 */
#ifndef CLI_PROCESS_H
#define CLI_PROCESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <glib.h>

/* A child's stderr kept for error messages; tshark's list of -z
 * arguments alone is 5 kB. */
#define PROCESS_STDERR_KEEP (64 * 1024)

/* An external program: argv[0] resolved to a path, then fixed arguments
 * from its environment variable. */
typedef struct {
    const char *name;            /* "tshark" */
    const char *variable;        /* "CAMTRACE_TSHARK" */
    const char *package;         /* Debian package that has it */
    void (*unusable_hint)(void); /* said when a file of that name may not be run; or NULL */
    char **argv;                 /* after program_find(); g_strfreev */
} program;

/* Resolve p->argv; false after an error (printed). */
bool program_find(program *p);

/* The program's argv with args (NULL-terminated): after the user's
 * options, or, with first, right after the program (tshark's -G must be
 * its first option).  Free the array with g_free only: the strings are
 * borrowed. */
char **program_argv(const program *p, const char *const *args, bool first);

/* Run a short command to the end, collecting its output. */
bool program_collect(const program *p, const char *const *args, bool first, char **out, char **err,
                     int *wait_status, GError **error);

/* Start argv (argv[0] a path) with stdin from /dev/null, stdout to out_fd
 * (or /dev/null when -1) and stderr into a pipe whose read end goes to
 * *err_fd.  0 or an errno. */
int process_spawn(char **argv, int out_fd, pid_t *pid, int *err_fd);

/* The child's wait status, however many signals interrupt the wait. */
int process_wait(pid_t pid);

/* Append what a child wrote, keeping at most PROCESS_STDERR_KEEP bytes. */
void process_keep_text(GString *kept, const char *text, size_t len);

/* "exit status 2", "killed by signal 9 (Killed)", ... */
void process_describe_status(char *buf, size_t size, int status);

/* Count SIGINT and SIGTERM from now on (no SA_RESTART: a signal wakes
 * poll() and read()). */
void process_catch_signals(void);
/* How many have come so far: compare with an earlier value. */
sig_atomic_t process_signals_seen(void);

#endif
