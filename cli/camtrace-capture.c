/* camtrace-capture.c - capture, export the flows, write enriched.csv: the
 * seed's `camtrace-capture --duration 10` as one C program.
 *
 * A run makes DIR/<YYYYmmdd-HHMMSS>/ and fills it in three steps:
 *   1. capture.pcapng from dumpcap (skipped with --pcap FILE);
 *   2. flows.jsonl from ONE tshark run with the CamTrace plugin
 *      (`tshark -q -r CAPTURE -z camtrace,flows,jsonl`), so that each
 *      address's PTR question is asked once;
 *   3. enriched.csv, the flow export's 44 columns, converted here from
 *      flows.jsonl with ct_json and ct_out.
 *
 * Why dumpcap and tshark rather than libpcap and our own dissection:
 * dumpcap is the one program a Debian system gives capture rights to (the
 * wireshark group), and the plugin is where flows are defined; this tool
 * only orchestrates and must not grow a second definition of a flow.
 *
 * Why the CSV equals `tshark -z camtrace,flows` byte for byte: both are
 * written by ct_out, and JSON Lines loses nothing on the way.  Strings
 * decode back to the text the plugin gave ct_out (JSON escapes TAB, CR,
 * LF and quotes; every other control byte and invalid UTF-8 was already
 * U+FFFD in both formats), and numbers are copied as the plugin wrote
 * them (ct_out_number), never re-formatted through a double.
 *
 * Outputs appear complete or not at all: flows.jsonl and enriched.csv are
 * written under *.tmp names, synced and renamed.  A failed run removes
 * its directory if nothing was kept in it.
 *
 * Signals: SIGINT and SIGTERM only count.  During the capture, each one
 * is passed to dumpcap as SIGINT, which makes it finish the file and
 * exit, and the run goes on to the export: that is how a capture without
 * --duration or --count ends.  During the export, one aborts the run.
 * Children stay in our process group, so a Ctrl-C at the terminal reaches
 * them directly too and nothing outlives a killed terminal.
 *
 * Progress (only when stderr is a terminal) counts packet blocks in the
 * growing capture file, so the number shown is what is on disk (dumpcap
 * flushes about once a second), never an estimate.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "ct_json.h"
#include "ct_out.h"

extern char **environ;

#define PROG "camtrace-capture"
#define OUT_DIR_DEFAULT "results/"
/* A child's stderr kept for error messages; tshark's list of -z
 * arguments alone is 5 kB. */
#define STDERR_KEEP (64 * 1024)
#define PROGRESS_MS 250
/* flows.jsonl lines: the plugin's are well under 4 kB. */
#define LINE_MAX_BYTES (1024 * 1024)
/* Run directories tried in one second: -2 ... -RUN_DIR_TRIES. */
#define RUN_DIR_TRIES 1000

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef struct {
    guint64 duration; /* seconds; 0: none */
    guint64 count;    /* packets; 0: none */
    const char *iface;
    const char *pcap;
    const char *out_dir;
} options;

/* An external program: argv[0] resolved to a path, then fixed arguments
 * from its environment variable. */
typedef struct {
    const char *name;     /* "tshark" */
    const char *variable; /* "CAMTRACE_TSHARK" */
    const char *package;  /* Debian package that has it */
    char **argv;
} program;

static volatile sig_atomic_t signals_seen;

/* ---- messages -------------------------------------------------------- */

G_GNUC_PRINTF(1, 0)
static void
verror_msg(const char *fmt, va_list ap)
{
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

G_GNUC_PRINTF(1, 2)
static void
error_msg(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verror_msg(fmt, ap);
    va_end(ap);
}

static void
usage_hint(void)
{
    fputs("Try '" PROG " --help' for more information.\n", stderr);
}

G_GNUC_PRINTF(1, 2)
static int
usage_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verror_msg(fmt, ap);
    va_end(ap);
    usage_hint();
    return EXIT_USAGE;
}

static void
permission_hint(void)
{
    fputs("To capture as yourself, let dumpcap capture and join the wireshark group:\n"
          "    sudo dpkg-reconfigure wireshark-common    (answer Yes)\n"
          "    sudo usermod -aG wireshark $USER\n"
          "then log out and in again (or start a shell with: newgrp wireshark).\n",
          stderr);
}

/* ---- options --------------------------------------------------------- */

static void
print_help(void)
{
    printf("Usage: " PROG " [OPTION]...\n"
           "Capture packets with dumpcap, export their flows with tshark and the CamTrace\n"
           "plugin, and write them enriched (reverse DNS, AS, location) as CSV.\n"
           "\n"
           "  --duration SEC   stop capturing after SEC seconds\n"
           "  --count N        stop capturing after N packets\n"
           "  --iface IFACE    capture on IFACE (default: the first interface that\n"
           "                   `dumpcap -D` lists)\n"
           "  --pcap FILE      do not capture: use FILE (pcap or pcapng)\n"
           "  --out-dir DIR    put the run's folder in DIR (default: %s)\n"
           "  -h, --help       show this help and exit\n"
           "      --version    show the version and exit\n"
           "\n"
           "Without --duration, --count or --pcap, the capture runs until you press\n"
           "Ctrl-C (or send SIGINT or SIGTERM): dumpcap then closes the capture file\n"
           "cleanly and the flows are exported as usual.  With both --duration and\n"
           "--count, whichever comes first stops it.\n"
           "\n"
           "Each run makes DIR/YYYYmmdd-HHMMSS/ (local time; -2, -3, ... if it exists) with:\n"
           "  capture.pcapng   the capture (not with --pcap)\n"
           "  flows.jsonl      tshark -q -r CAPTURE -z camtrace,flows,jsonl\n"
           "  enriched.csv     the same flows as CSV, the 44 columns of\n"
           "                   tshark -z camtrace,flows (RFC 4180)\n"
           "\n"
           "Programs: dumpcap and tshark from PATH, or the command lines in\n"
           "CAMTRACE_DUMPCAP and CAMTRACE_TSHARK (split like a shell would: quotes\n"
           "work, variables and globs do not; for example\n"
           "CAMTRACE_TSHARK=\"tshark -o camtrace.ptr:FALSE\").\n"
           "\n"
           "Capturing needs permission: root, or membership of the wireshark group\n"
           "(sudo dpkg-reconfigure wireshark-common; sudo usermod -aG wireshark $USER;\n"
           "log in again).  tshark must load the CamTrace plugin: as root it loads\n"
           "only the global plugin folder.\n"
           "\n"
           "Exit status: 0 on success, 1 when a step fails, 2 on a usage error.\n"
           "\n"
           "Examples:\n"
           "  " PROG " --duration 10\n"
           "  " PROG " --iface wlan0 --count 5000 --out-dir /tmp/runs\n"
           "  " PROG " --pcap data/sample.pcap\n",
           OUT_DIR_DEFAULT);
}

static bool
parse_positive(const char *text, guint64 max, guint64 *value)
{
    return g_ascii_string_to_unsigned(text, 10, 1, max, value, NULL);
}

/* Returns -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv, options *opt)
{
    enum { OPT_DURATION = 256, OPT_COUNT, OPT_IFACE, OPT_PCAP, OPT_OUT_DIR, OPT_VERSION };
    static const struct option longopts[] = {
        {"duration", required_argument, NULL, OPT_DURATION},
        {"count", required_argument, NULL, OPT_COUNT},
        {"iface", required_argument, NULL, OPT_IFACE},
        {"pcap", required_argument, NULL, OPT_PCAP},
        {"out-dir", required_argument, NULL, OPT_OUT_DIR},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int ch;

    memset(opt, 0, sizeof *opt);
    opt->out_dir = OUT_DIR_DEFAULT;
    opterr = 0; /* our own messages, and exit status 2 */
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_DURATION:
            /* dumpcap takes both as a C int. */
            if (!parse_positive(optarg, G_MAXINT, &opt->duration))
                return usage_error("--duration: '%s' is not a whole number of seconds, 1 or more",
                                   optarg);
            break;
        case OPT_COUNT:
            if (!parse_positive(optarg, G_MAXINT, &opt->count))
                return usage_error("--count: '%s' is not a number of packets, 1 or more", optarg);
            break;
        case OPT_IFACE:
        case OPT_PCAP:
        case OPT_OUT_DIR:
            if (*optarg == '\0')
                return usage_error("%s needs a value", argv[optind - 1]);
            if (ch == OPT_IFACE)
                opt->iface = optarg;
            else if (ch == OPT_PCAP)
                opt->pcap = optarg;
            else
                opt->out_dir = optarg;
            break;
        case 'h':
            print_help();
            return EXIT_SUCCESS;
        case OPT_VERSION:
            printf(PROG " %s\n", CAMTRACE_VERSION);
            return EXIT_SUCCESS;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (opt->pcap != NULL) {
        const char *clash = opt->duration ? "--duration"
                            : opt->count  ? "--count"
                            : opt->iface  ? "--iface"
                                          : NULL;
        if (clash != NULL)
            return usage_error("--pcap reads an existing capture; %s is for a live capture: "
                               "use one or the other",
                               clash);
    }
    return -1;
}

/* ---- signals --------------------------------------------------------- */

static void
on_signal(int sig)
{
    (void)sig;
    signals_seen++;
}

static void
install_signal_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a signal must wake poll() and read(). */
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* ---- programs -------------------------------------------------------- */

/* The executable for name: itself when it has a slash, else the first
 * match in PATH.  NULL with *found_unusable set when a file of that name
 * exists but we may not run it (Debian's dumpcap is 0754
 * root:wireshark when non-superusers may capture). */
static char *
find_executable(const char *name, char **found_unusable)
{
    const char *path = g_getenv("PATH");
    char **dirs;
    char *result = NULL;

    *found_unusable = NULL;
    if (strchr(name, '/') != NULL) {
        if (access(name, X_OK) == 0 && g_file_test(name, G_FILE_TEST_IS_REGULAR))
            return g_strdup(name);
        if (access(name, F_OK) == 0)
            *found_unusable = g_strdup(name);
        return NULL;
    }
    dirs = g_strsplit(path != NULL ? path : "/usr/local/bin:/usr/bin:/bin", ":", -1);
    for (char **d = dirs; *d != NULL && result == NULL; d++) {
        char *candidate = g_build_filename(**d ? *d : ".", name, NULL);

        if (g_file_test(candidate, G_FILE_TEST_IS_REGULAR) && access(candidate, X_OK) == 0)
            result = candidate;
        else if (*found_unusable == NULL && g_file_test(candidate, G_FILE_TEST_EXISTS))
            *found_unusable = candidate;
        else
            g_free(candidate);
    }
    g_strfreev(dirs);
    if (result != NULL) {
        g_free(*found_unusable);
        *found_unusable = NULL;
    }
    return result;
}

static bool
program_find(program *p)
{
    const char *value = g_getenv(p->variable);
    char **argv = NULL;
    char *path, *unusable;
    GError *error = NULL;

    if (value != NULL && *value != '\0') {
        if (!g_shell_parse_argv(value, NULL, &argv, &error)) {
            error_msg("%s=\"%s\" is not a command line: %s", p->variable, value, error->message);
            g_error_free(error);
            return false;
        }
    } else {
        argv = g_new0(char *, 2);
        argv[0] = g_strdup(p->name);
    }
    path = find_executable(argv[0], &unusable);
    if (path == NULL) {
        if (unusable != NULL)
            error_msg("cannot run %s (%s): %s", p->name, unusable, g_strerror(EACCES));
        else if (value != NULL && *value != '\0')
            error_msg("%s not found: %s=\"%s\" names no program (%s)", p->name, p->variable, value,
                      argv[0]);
        else
            error_msg("%s not found in PATH: install it (sudo apt-get install %s) or set %s to "
                      "its path",
                      p->name, p->package, p->variable);
        if (unusable != NULL && strcmp(p->name, "dumpcap") == 0)
            permission_hint();
        g_free(unusable);
        g_strfreev(argv);
        return false;
    }
    g_free(argv[0]);
    argv[0] = path;
    p->argv = argv;
    return true;
}

/* The program's argv with args (NULL-terminated): after the user's
 * options, or, with first, right after the program (tshark's -G must be
 * its first option).  Free the array with g_free only: the strings are
 * borrowed. */
static char **
program_argv(const program *p, const char *const *args, bool first)
{
    GPtrArray *a = g_ptr_array_new();

    g_ptr_array_add(a, p->argv[0]);
    if (first) {
        for (const char *const *s = args; *s != NULL; s++)
            g_ptr_array_add(a, (char *)*s);
    }
    for (char **s = p->argv + 1; *s != NULL; s++)
        g_ptr_array_add(a, *s);
    if (!first) {
        for (const char *const *s = args; *s != NULL; s++)
            g_ptr_array_add(a, (char *)*s);
    }
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

/* Run a short command to the end, collecting its output. */
static bool
run_collect(const program *p, const char *const *args, bool first, char **out, char **err,
            int *wait_status, GError **error)
{
    char **argv = program_argv(p, args, first);
    bool ok =
        g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, wait_status, error);

    g_free(argv);
    return ok;
}

/* Start argv (argv[0] a path) with stdin from /dev/null, stdout to out_fd
 * (or /dev/null when -1) and stderr into a pipe whose read end goes to
 * *err_fd.  0 or an errno. */
static int
spawn_child(char **argv, int out_fd, pid_t *pid, int *err_fd)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t defaults;
    int fds[2], rc;

    /* Close-on-exec, so that no other child holds the write end open. */
    if (pipe(fds) != 0)
        return errno;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
    else
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    /* If our parent ignored SIGINT (a background job of a script), the
     * child still gets the default, so dumpcap installs its handler. */
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(pid, argv[0], &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return rc;
    }
    *err_fd = fds[0];
    return 0;
}

static int
wait_child(pid_t pid)
{
    int status = 0;

    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

/* Append what a child wrote, keeping at most STDERR_KEEP bytes. */
static void
keep_text(GString *kept, const char *text, size_t len)
{
    if (kept->len < STDERR_KEEP)
        g_string_append_len(kept, text, (gssize)MIN(len, STDERR_KEEP - kept->len));
}

static void
describe_status(char *buf, size_t size, int status)
{
    if (WIFEXITED(status))
        g_snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        g_snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
                   g_strsignal(WTERMSIG(status)));
    else
        g_snprintf(buf, size, "wait status %d", status);
}

/* ---- the plugin -------------------------------------------------------- */

static bool
check_plugin(const program *tshark)
{
    static const char *const args[] = {"-G", "plugins", NULL};
    char *out = NULL, *err = NULL;
    int status = 0;
    bool ok = false;
    GError *error = NULL;

    if (!run_collect(tshark, args, true, &out, &err, &status, &error)) {
        error_msg("cannot run %s: %s", tshark->argv[0], error->message);
        g_error_free(error);
        return false;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[64];

        describe_status(how, sizeof how, status);
        fputs(err, stderr);
        error_msg("`%s -G plugins` failed (%s)", tshark->argv[0], how);
        goto done;
    }
    /* One line per plugin: "camtrace.so<TAB>0.1.0<TAB>dissector<TAB>path". */
    for (const char *line = out; line != NULL && *line != '\0';) {
        const char *nl = strchr(line, '\n');

        if (g_str_has_prefix(line, "camtrace.so") && g_ascii_isspace(line[11])) {
            ok = true;
            break;
        }
        line = nl ? nl + 1 : NULL;
    }
    if (!ok) {
        error_msg("tshark (%s) does not load the CamTrace plugin: `tshark -G plugins` does "
                  "not list camtrace.so.",
                  tshark->argv[0]);
        fputs("Install it from a build of CamTrace: cmake --install build (README, \"Set up on "
              "a fresh machine\").\n",
              stderr);
        if (geteuid() == 0)
            fprintf(stderr,
                    "You are root: Wireshark run as root loads plugins only from its global "
                    "folder,\n    %s/epan   (pkg-config --variable=plugindir wireshark)\n"
                    "and ignores ~/.local/lib/wireshark/plugins and WIRESHARK_PLUGIN_DIR.  "
                    "Install there\n(cmake -DCAMTRACE_INSTALL_SCOPE=SYSTEM, then cmake "
                    "--install) or run " PROG " as yourself.\n",
                    CAMTRACE_WS_PLUGINDIR);
    }
done:
    g_free(out);
    g_free(err);
    return ok;
}

/* ---- interfaces ------------------------------------------------------ */

/* `dumpcap -D`: "1. eth0", "3. lo (Loopback)", ...  Returns the names in
 * order (NULL-terminated, g_strfreev) and the raw listing in *listing;
 * NULL when dumpcap failed (its message printed). */
static char **
list_interfaces(const program *dumpcap, char **listing)
{
    static const char *const args[] = {"-D", NULL};
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *error = NULL;
    GPtrArray *names;
    char **lines;

    *listing = NULL;
    if (!run_collect(dumpcap, args, false, &out, &err, &status, &error)) {
        error_msg("cannot run %s: %s", dumpcap->argv[0], error->message);
        g_error_free(error);
        return NULL;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[64];

        describe_status(how, sizeof how, status);
        fputs(err, stderr);
        error_msg("cannot list the interfaces: `%s -D` failed (%s)", dumpcap->argv[0], how);
        if (strstr(err, "ermission") != NULL || strstr(err, "not permitted") != NULL)
            permission_hint();
        g_free(out);
        g_free(err);
        return NULL;
    }
    names = g_ptr_array_new();
    lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l != NULL; l++) {
        const char *dot = strstr(*l, ". ");
        const char *name, *end;

        if (dot == NULL || dot == *l)
            continue;
        name = dot + 2;
        end = strchr(name, ' ');
        g_ptr_array_add(names, end ? g_strndup(name, (gsize)(end - name)) : g_strdup(name));
    }
    g_ptr_array_add(names, NULL);
    g_strfreev(lines);
    g_free(err);
    *listing = out;
    return (char **)g_ptr_array_free(names, FALSE);
}

static void
print_listing(const char *listing)
{
    char **lines = g_strsplit(listing, "\n", -1);

    for (char **l = lines; *l != NULL; l++) {
        if (**l != '\0')
            fprintf(stderr, "    %s\n", *l);
    }
    g_strfreev(lines);
}

/* Is iface one dumpcap will know: a listed name or number, or a pipe or
 * remote interface (a path, rpcap://..., TCP@...), which -D never lists? */
static bool
interface_known(const char *iface, char **names)
{
    guint64 number;

    if (strchr(iface, '/') != NULL || strchr(iface, '@') != NULL)
        return true;
    if (g_ascii_string_to_unsigned(iface, 10, 1, g_strv_length(names), &number, NULL))
        return true;
    return g_strv_contains((const char *const *)names, iface);
}

static void
unknown_interface(const char *iface, const char *listing)
{
    error_msg("unknown interface '%s'; `dumpcap -D` lists:", iface);
    print_listing(listing);
    fputs("Pick one with --iface NAME.\n", stderr);
}

/* The interface to capture on, checked against `dumpcap -D`; NULL after
 * an error (printed).  g_free. */
static char *
choose_interface(const program *dumpcap, const char *wanted)
{
    char *listing = NULL;
    char **names = list_interfaces(dumpcap, &listing);
    char *iface = NULL;

    if (names == NULL)
        goto done;
    if (wanted == NULL) {
        if (names[0] == NULL) {
            error_msg("`dumpcap -D` lists no interface to capture on");
            permission_hint();
        } else {
            iface = g_strdup(names[0]);
        }
    } else if (!interface_known(wanted, names)) {
        unknown_interface(wanted, listing);
    } else {
        iface = g_strdup(wanted);
    }
done:
    g_strfreev(names);
    g_free(listing);
    return iface;
}

/* ---- capture files --------------------------------------------------- */

/* Can tshark read path?  Checked before starting it so that the error
 * names the file and the reason, not a tshark diagnostic. */
static bool
check_capture_file(const char *path)
{
    static const struct {
        unsigned char magic[4];
    } magics[] = {
        {{0x0a, 0x0d, 0x0d, 0x0a}}, /* pcapng section header */
        {{0xd4, 0xc3, 0xb2, 0xa1}}, /* pcap, microseconds, little-endian */
        {{0xa1, 0xb2, 0xc3, 0xd4}}, /* ... big-endian */
        {{0x4d, 0x3c, 0xb2, 0xa1}}, /* pcap, nanoseconds */
        {{0xa1, 0xb2, 0x3c, 0x4d}},
        {{0x34, 0xcd, 0xb2, 0xa1}}, /* pcap, Kuznetzov's modified format */
        {{0xa1, 0xb2, 0xcd, 0x34}},
    };
    unsigned char head[4];
    struct stat st;
    ssize_t n;
    bool ok = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        error_msg("cannot read the capture %s: %s", path, g_strerror(errno));
        return false;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        error_msg("cannot read the capture %s: %s", path,
                  S_ISDIR(st.st_mode) ? g_strerror(EISDIR) : "not a regular file");
        goto done;
    }
    do {
        n = read(fd, head, sizeof head);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        error_msg("cannot read the capture %s: %s", path, g_strerror(errno));
        goto done;
    }
    if (n < (ssize_t)sizeof head) {
        error_msg("%s is not a capture file: %s", path, n == 0 ? "it is empty" : "it is too short");
        goto done;
    }
    /* gzip: tshark reads compressed captures itself. */
    ok = head[0] == 0x1f && head[1] == 0x8b;
    for (size_t i = 0; i < G_N_ELEMENTS(magics) && !ok; i++)
        ok = memcmp(head, magics[i].magic, sizeof head) == 0;
    if (!ok)
        error_msg("%s is not a capture file: it does not start like pcap or pcapng (first bytes "
                  "%02x %02x %02x %02x).  A capture in another format can be converted with "
                  "`editcap -F pcapng FILE NEW.pcapng`.",
                  path, head[0], head[1], head[2], head[3]);
done:
    close(fd);
    return ok;
}

/* Packets written so far to a growing pcapng file, read block by block:
 * Section Header Blocks set the byte order, Enhanced (6), Simple (3) and
 * obsolete Packet (2) Blocks count.  Anything we cannot follow stops the
 * count rather than guess.  (pcapng: IETF draft-ietf-opsawg-pcapng.) */
typedef struct {
    int fd; /* -1 until the file exists */
    guint64 offset;
    guint64 packets;
    bool swapped;
    bool lost;
} packet_counter;

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_BOM 0x1A2B3C4Du
/* Larger than any block dumpcap writes (snaplen 262144): garbage. */
#define PCAPNG_BLOCK_MAX (16u * 1024 * 1024)

static guint32
read_u32(const unsigned char *p, bool swapped)
{
    guint32 v;

    memcpy(&v, p, sizeof v);
    return swapped ? GUINT32_SWAP_LE_BE(v) : v;
}

static void
counter_update(packet_counter *pc, const char *path)
{
    unsigned char buf[64 * 1024];
    struct stat st;

    if (pc->lost)
        return;
    if (pc->fd < 0 && (pc->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return;
    if (fstat(pc->fd, &st) != 0)
        return;
    for (;;) {
        ssize_t n = pread(pc->fd, buf, sizeof buf, (off_t)pc->offset);
        size_t pos = 0;

        while (n > 0 && pos + 12 <= (size_t)n) {
            guint32 type = read_u32(buf + pos, false);
            guint32 len;

            if (type == PCAPNG_SHB) {
                guint32 bom = read_u32(buf + pos + 8, false);
                if (bom != PCAPNG_BOM && bom != GUINT32_SWAP_LE_BE(PCAPNG_BOM)) {
                    pc->lost = true;
                    return;
                }
                pc->swapped = bom != PCAPNG_BOM;
            } else if (pc->offset + pos == 0) {
                pc->lost = true; /* not pcapng */
                return;
            }
            type = read_u32(buf + pos, pc->swapped);
            len = read_u32(buf + pos + 4, pc->swapped);
            if (len < 12 || len % 4 != 0 || len > PCAPNG_BLOCK_MAX) {
                pc->lost = true;
                return;
            }
            if (pc->offset + pos + len > (guint64)st.st_size)
                break; /* not all written yet */
            if (type == 6 || type == 3 || type == 2)
                pc->packets++;
            pos += len;
        }
        if (pos == 0)
            return;
        pc->offset += pos;
    }
}

/* ---- the capture ----------------------------------------------------- */

typedef struct {
    bool tty;
    bool shown;
} progress;

static void
progress_clear(progress *p)
{
    if (p->shown) {
        fputs("\r\033[K", stderr);
        p->shown = false;
    }
}

static void
progress_show(progress *p, const options *opt, const char *iface, const packet_counter *pc,
              gint64 started_us)
{
    GString *line;

    if (!p->tty)
        return;
    line = g_string_new(NULL);
    g_string_printf(line, "\r\033[K" PROG ": capturing on %s: ", iface);
    if (started_us == 0) {
        g_string_append(line, "starting");
    } else {
        if (opt->duration) {
            gint64 left_us =
                (gint64)opt->duration * G_USEC_PER_SEC - (g_get_monotonic_time() - started_us);
            /* Round up: "1 s left" until the last second is over. */
            g_string_append_printf(line, "%" G_GINT64_FORMAT " s left",
                                   MAX(left_us, 0) / G_USEC_PER_SEC +
                                       (left_us > 0 && left_us % G_USEC_PER_SEC ? 1 : 0));
        }
        if (!pc->lost) {
            if (opt->duration)
                g_string_append(line, ", ");
            g_string_append_printf(line, "%" G_GUINT64_FORMAT, pc->packets);
            if (opt->count)
                g_string_append_printf(line, " of %" G_GUINT64_FORMAT, opt->count);
            g_string_append(line, pc->packets == 1 && !opt->count ? " packet" : " packets");
        }
        if (!opt->duration && !opt->count)
            g_string_append(line, " (Ctrl-C to stop)");
    }
    fputs(line->str, stderr);
    fflush(stderr);
    p->shown = true;
    g_string_free(line, TRUE);
}

/* Pass dumpcap's complete lines on as they come: "Capturing on ...",
 * its statistics at the end, its errors. */
static void
relay_lines(GString *pending, progress *p, bool all)
{
    char *nl;

    while ((nl = memchr(pending->str, '\n', pending->len)) != NULL || (all && pending->len)) {
        size_t len = nl ? (size_t)(nl - pending->str) + 1 : pending->len;

        progress_clear(p);
        fwrite(pending->str, 1, len, stderr);
        if (nl == NULL)
            fputc('\n', stderr);
        g_string_erase(pending, 0, (gssize)len);
    }
}

static bool
contains_any(const char *text, const char *const *needles)
{
    for (; *needles != NULL; needles++) {
        if (strstr(text, *needles) != NULL)
            return true;
    }
    return false;
}

/* Why dumpcap failed, said in terms of what to do next (its own message
 * has been relayed above). */
static void
explain_dumpcap_failure(const program *dumpcap, const char *iface, const char *err, int status)
{
    static const char *const no_permission[] = {"permission", "Permission", "not permitted", NULL};
    static const char *const no_device[] = {"no device named", "No such device",
                                            "no interface with", "There is no interface", NULL};
    char how[64];

    describe_status(how, sizeof how, status);
    if (contains_any(err, no_device)) {
        char *listing = NULL;
        char **names = list_interfaces(dumpcap, &listing);

        if (names != NULL)
            unknown_interface(iface, listing);
        else
            error_msg("dumpcap cannot capture on '%s' (%s)", iface, how);
        g_strfreev(names);
        g_free(listing);
    } else if (contains_any(err, no_permission)) {
        error_msg("no permission to capture on %s (dumpcap's message is above).", iface);
        permission_hint();
    } else {
        error_msg("dumpcap failed on %s (%s)%s", iface, how, *err ? "; its message is above" : "");
    }
}

static bool
capture(const options *opt, const program *dumpcap, const char *iface, const char *path)
{
    char duration[32], count[32];
    const char *args[12];
    size_t n = 0;
    char **argv;
    pid_t pid;
    int err_fd, rc, status;
    sig_atomic_t forwarded = signals_seen;
    GString *pending = g_string_new(NULL);
    GString *kept = g_string_new(NULL);
    packet_counter pc = {-1, 0, 0, false, false};
    progress prog = {isatty(STDERR_FILENO) == 1, false};
    gint64 started_us = 0;
    bool ok = false;

    args[n++] = "-i";
    args[n++] = iface;
    args[n++] = "-q";
    args[n++] = "-w";
    args[n++] = path;
    if (opt->duration) {
        g_snprintf(duration, sizeof duration, "duration:%" G_GUINT64_FORMAT, opt->duration);
        args[n++] = "-a";
        args[n++] = duration;
    }
    if (opt->count) {
        g_snprintf(count, sizeof count, "%" G_GUINT64_FORMAT, opt->count);
        args[n++] = "-c";
        args[n++] = count;
    }
    args[n] = NULL;
    argv = program_argv(dumpcap, args, false);
    rc = spawn_child(argv, -1, &pid, &err_fd);
    g_free(argv);
    if (rc != 0) {
        error_msg("cannot run %s: %s", dumpcap->argv[0], g_strerror(rc));
        if (rc == EACCES)
            permission_hint();
        goto done;
    }
    if (!opt->duration && !opt->count)
        error_msg("capturing on %s until Ctrl-C", iface);

    for (;;) {
        struct pollfd pfd = {err_fd, POLLIN, 0};
        int ready = poll(&pfd, 1, PROGRESS_MS);

        if (signals_seen != forwarded) {
            forwarded = signals_seen;
            kill(pid, SIGINT);
        }
        if (ready > 0) {
            char buf[4096];
            ssize_t got = read(err_fd, buf, sizeof buf);

            if (got == 0)
                break;
            if (got > 0) {
                g_string_append_len(pending, buf, got);
                keep_text(kept, buf, (size_t)got);
                relay_lines(pending, &prog, false);
            } else if (errno != EINTR && errno != EAGAIN) {
                break;
            }
        } else if (ready < 0 && errno != EINTR) {
            break;
        }
        /* The clock starts with the file: dumpcap opens the interface,
         * then the file, then starts its own timer. */
        if (started_us == 0 && access(path, F_OK) == 0)
            started_us = g_get_monotonic_time();
        if (prog.tty) {
            counter_update(&pc, path);
            progress_show(&prog, opt, iface, &pc, started_us);
        }
    }
    close(err_fd);
    status = wait_child(pid);
    relay_lines(pending, &prog, true);
    progress_clear(&prog);

    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        explain_dumpcap_failure(dumpcap, iface, kept->str, status);
        goto done;
    }
    if (access(path, F_OK) != 0) {
        error_msg("dumpcap ended without writing %s", path);
        goto done;
    }
    ok = true;
done:
    if (pc.fd >= 0)
        close(pc.fd);
    g_string_free(pending, TRUE);
    g_string_free(kept, TRUE);
    return ok;
}

/* ---- flow export ----------------------------------------------------- */

/* Write data to disk, then give it its final name. */
static bool
commit_file(int fd, const char *tmp, const char *final)
{
    if (fsync(fd) != 0 || rename(tmp, final) != 0) {
        error_msg("cannot write %s: %s", final, g_strerror(errno));
        return false;
    }
    return true;
}

static void
print_tshark_errors(const char *err)
{
    const char *bad_z = strstr(err, "Invalid -z argument \"camtrace,flows");

    if (bad_z == NULL) {
        fputs(err, stderr);
        return;
    }
    /* Not the 200 lines of -z arguments that follow. */
    fprintf(stderr, "tshark: %.*s\n", (int)strcspn(bad_z, "\n;"), bad_z);
    error_msg("the CamTrace plugin that tshark loads has no flow export (-z camtrace,flows): it "
              "is older than " PROG ".  Install the new one: cmake --install build.");
}

/* The databases the plugin answered from, as its camtrace.databases field
 * says on the first IP packet among the capture's first DATABASES_PACKETS
 * ("ASN GeoLite2-ASN built ..., City ..."); NULL when tshark does not say
 * (no IP packet there). */
#define DATABASES_PACKETS "1000"

static char *
databases_used(const program *tshark, const char *pcap)
{
    const char *args[] = {"-r", pcap,     "-c", DATABASES_PACKETS,    "-Y", "camtrace.databases",
                          "-T", "fields", "-e", "camtrace.databases", NULL};
    char *out = NULL, *err = NULL, *text = NULL;
    int status = 0;

    if (run_collect(tshark, args, false, &out, &err, &status, NULL) && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0) {
        char *nl = strchr(out, '\n');
        if (nl != NULL)
            *nl = '\0';
        if (*out != '\0')
            text = g_strdup(out);
    }
    g_free(out);
    g_free(err);
    return text;
}

/* flows.jsonl from one tshark run: its standard output, as is. */
static bool
export_flows(const program *tshark, const char *pcap, const char *jsonl)
{
    const char *args[] = {"-q", "-r", pcap, "-z", "camtrace,flows,jsonl", NULL};
    char *tmp = g_strconcat(jsonl, ".tmp", NULL);
    char **argv = NULL;
    GString *kept = g_string_new(NULL);
    sig_atomic_t seen = signals_seen;
    bool ok = false;
    pid_t pid;
    int err_fd, rc, status, fd;

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error_msg("cannot write %s: %s", tmp, g_strerror(errno));
        goto done;
    }
    argv = program_argv(tshark, args, false);
    rc = spawn_child(argv, fd, &pid, &err_fd);
    if (rc != 0) {
        error_msg("cannot run %s: %s", tshark->argv[0], g_strerror(rc));
        goto done;
    }
    for (;;) {
        char buf[4096];
        ssize_t got = read(err_fd, buf, sizeof buf);

        if (got > 0) {
            keep_text(kept, buf, (size_t)got);
        } else if (got == 0 || errno != EINTR) {
            break;
        } else if (signals_seen != seen) {
            /* Already sent by the terminal if it came from there; a
             * second SIGINT does no harm. */
            kill(pid, SIGINT);
        }
    }
    close(err_fd);
    status = wait_child(pid);
    if (signals_seen != seen) {
        error_msg("interrupted: no flows exported");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[64];

        describe_status(how, sizeof how, status);
        print_tshark_errors(kept->str);
        error_msg("tshark could not export the flows of %s (%s)%s", pcap, how,
                  kept->len ? "; its message is above" : "");
    } else {
        /* Warnings (a database that cannot be used, a DNS server that did
         * not answer) belong to the user even when the run succeeds. */
        fputs(kept->str, stderr);
        ok = commit_file(fd, tmp, jsonl);
    }
done:
    if (fd >= 0)
        close(fd);
    if (!ok)
        unlink(tmp);
    g_free(argv);
    g_free(tmp);
    g_string_free(kept, TRUE);
    return ok;
}

/* ---- enriched.csv ---------------------------------------------------- */

/* One flow record as one CSV row, the columns in the export's order; false
 * with *why set when the line is not the plugin's record. */
static bool
write_row(ct_out *out, ct_json *json, const char *line, size_t len, GByteArray *scratch, char **why)
{
    size_t n_members;

    if (ct_json_scan(json, line, len) != CT_OK) {
        *why = g_strdup_printf("invalid JSON at byte %zu: %s", ct_json_error_offset(json),
                               ct_json_reason(json));
        return false;
    }
    ct_json_members(json, &n_members);
    /* Extra or missing members: a plugin of another version, whose rows
     * would not be those of its own CSV export. */
    if (n_members != CT_OUT_FLOW_COLUMNS) {
        *why = g_strdup_printf("%zu members, not the %d columns of the flow export", n_members,
                               CT_OUT_FLOW_COLUMNS);
        return false;
    }
    ct_out_begin(out);
    for (size_t i = 0; i < CT_OUT_FLOW_COLUMNS; i++) {
        const char *name = ct_out_flow_columns[i];
        const ct_json_member *m = ct_json_find(json, name);
        size_t decoded;

        if (m == NULL) {
            *why = g_strdup_printf("no member \"%s\"", name);
            return false;
        }
        switch (m->type) {
        case CT_JSON_NULL:
            ct_out_null(out, name);
            break;
        case CT_JSON_NUMBER:
        case CT_JSON_TRUE:
        case CT_JSON_FALSE:
            ct_out_number(out, name, m->value, m->value_len);
            break;
        case CT_JSON_STRING:
            g_byte_array_set_size(scratch, (guint)m->value_len);
            decoded = ct_json_decode_string(m->value, m->value_len, (char *)scratch->data);
            ct_out_string_len(out, name, (const char *)scratch->data, decoded);
            break;
        default:
            *why = g_strdup_printf("\"%s\" is an %s", name, ct_json_type_name(m->type));
            return false;
        }
    }
    ct_out_end(out);
    return true;
}

static bool
write_csv(const char *jsonl, const char *csv)
{
    char *tmp = g_strconcat(csv, ".tmp", NULL);
    FILE *in = fopen(jsonl, "re");
    FILE *stream = NULL;
    ct_out *out = NULL;
    ct_json *json = ct_json_new(LINE_MAX_BYTES, 0);
    GByteArray *scratch = g_byte_array_new();
    GError *error = NULL;
    char *line = NULL, *why = NULL;
    size_t cap = 0;
    ssize_t len;
    guint64 line_no = 0;
    sig_atomic_t seen = signals_seen;
    bool ok = false, written;

    if (in == NULL) {
        error_msg("cannot read %s: %s", jsonl, g_strerror(errno));
        goto done;
    }
    stream = fopen(tmp, "we");
    if (stream == NULL) {
        error_msg("cannot write %s: %s", tmp, g_strerror(errno));
        goto done;
    }
    out = ct_out_new(CT_OUT_CSV, stream);
    ct_out_header(out, ct_out_flow_columns, CT_OUT_FLOW_COLUMNS);
    while ((len = getline(&line, &cap, in)) > 0) {
        line_no++;
        if (line[len - 1] == '\n')
            len--;
        if (len > LINE_MAX_BYTES)
            why = g_strdup_printf("line longer than %d bytes", LINE_MAX_BYTES);
        if (why != NULL || !write_row(out, json, line, (size_t)len, scratch, &why)) {
            error_msg("%s:%" G_GUINT64_FORMAT ": not a flow record of the CamTrace plugin: %s",
                      jsonl, line_no, why);
            goto done;
        }
        if (signals_seen != seen) {
            error_msg("interrupted: %s not written", csv);
            goto done;
        }
    }
    if (ferror(in)) {
        error_msg("cannot read %s: %s", jsonl, g_strerror(errno));
        goto done;
    }
    written = ct_out_finish(out, &error);
    if (!written) {
        error_msg("cannot write %s: %s", tmp, error->message);
        g_error_free(error);
        goto done;
    }
    ok = commit_file(fileno(stream), tmp, csv);
done:
    ct_out_free(out);
    if (stream != NULL && fclose(stream) != 0 && ok) {
        error_msg("cannot write %s: %s", csv, g_strerror(errno));
        unlink(csv);
        ok = false;
    }
    if (!ok)
        unlink(tmp);
    if (in != NULL)
        fclose(in);
    ct_json_free(json);
    g_byte_array_free(scratch, TRUE);
    free(line);
    g_free(why);
    g_free(tmp);
    return ok;
}

/* ---- main ------------------------------------------------------------ */

/* DIR/YYYYmmdd-HHMMSS, or -2, -3, ... when taken; NULL after an error. */
static char *
make_run_dir(const char *out_dir)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;

    if (localtime_r(&now, &tm) == NULL ||
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm) == 0) {
        error_msg("cannot read the clock");
        return NULL;
    }
    if (g_mkdir_with_parents(out_dir, 0755) != 0) {
        error_msg("cannot create %s: %s", out_dir, g_strerror(errno));
        return NULL;
    }
    for (int i = 1; i <= RUN_DIR_TRIES; i++) {
        char *name = i == 1 ? g_strdup(stamp) : g_strdup_printf("%s-%d", stamp, i);
        char *dir = g_build_filename(out_dir, name, NULL);

        g_free(name);
        if (mkdir(dir, 0755) == 0)
            return dir;
        if (errno != EEXIST) {
            error_msg("cannot create %s: %s", dir, g_strerror(errno));
            g_free(dir);
            return NULL;
        }
        g_free(dir);
    }
    error_msg("cannot create a folder for this run in %s: %s-2 ... -%d exist", out_dir, stamp,
              RUN_DIR_TRIES);
    return NULL;
}

int
main(int argc, char **argv)
{
    options opt;
    program tshark = {"tshark", "CAMTRACE_TSHARK", "tshark", NULL};
    program dumpcap = {"dumpcap", "CAMTRACE_DUMPCAP", "wireshark-common", NULL};
    char *iface = NULL, *dir = NULL, *pcap = NULL, *jsonl = NULL, *csv = NULL, *databases = NULL;
    int status = parse_options(argc, argv, &opt);

    if (status >= 0)
        return status;
    status = EXIT_RUNTIME;
    install_signal_handlers();

    /* Everything that can be checked is checked before capturing: a
     * missing plugin found after ten minutes of capture wastes them. */
    if (!program_find(&tshark))
        goto done;
    if (opt.pcap != NULL) {
        if (!check_capture_file(opt.pcap))
            goto done;
    } else if (!program_find(&dumpcap)) {
        goto done;
    }
    if (!check_plugin(&tshark))
        goto done;
    if (opt.pcap == NULL && (iface = choose_interface(&dumpcap, opt.iface)) == NULL)
        goto done;

    if ((dir = make_run_dir(opt.out_dir)) == NULL)
        goto done;
    pcap = opt.pcap ? g_strdup(opt.pcap) : g_build_filename(dir, "capture.pcapng", NULL);
    jsonl = g_build_filename(dir, "flows.jsonl", NULL);
    csv = g_build_filename(dir, "enriched.csv", NULL);
    if (opt.pcap == NULL && (!capture(&opt, &dumpcap, iface, pcap) || !check_capture_file(pcap)))
        goto done;
    if (!export_flows(&tshark, pcap, jsonl) || !write_csv(jsonl, csv))
        goto done;

    databases = databases_used(&tshark, pcap);
    printf("[+] Done!\n"
           "    PCAP:   %s\n"
           "    JSONL:  %s\n"
           "    CSV:    %s\n"
           "    Databases: %s\n",
           pcap, jsonl, csv, databases ? databases : "(tshark did not say: no IP packet)");
    status = fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_RUNTIME;
done:
    /* A failed run leaves nothing behind but what it kept (a capture). */
    if (status != EXIT_SUCCESS && dir != NULL && rmdir(dir) == 0)
        error_msg("nothing kept: removed %s", dir);
    else if (status != EXIT_SUCCESS && dir != NULL)
        error_msg("kept what was done in %s", dir);
    g_strfreev(tshark.argv);
    g_strfreev(dumpcap.argv);
    g_free(iface);
    g_free(dir);
    g_free(pcap);
    g_free(jsonl);
    g_free(csv);
    g_free(databases);
    return status;
}
