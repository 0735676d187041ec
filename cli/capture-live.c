/* capture-live.c - see capture-live.h.
 *
 * dumpcap runs with its standard error on a pipe that is polled every
 * PROGRESS_MS: its complete lines ("Capturing on ...", its statistics at
 * the end, its errors) are relayed as they come, and the first
 * PROCESS_STDERR_KEEP bytes are kept to explain a failure.
 *
 * Signals: SIGINT and SIGTERM only count (process.h).  Each one is passed
 * to dumpcap as SIGINT, which makes it finish the file and exit, and the
 * run goes on to the export: that is how a capture without --duration or
 * --count ends.
 *
 * Progress (only when stderr is a terminal) counts packet blocks in the
 * growing capture file (pcapng-count.h), and the time left runs from
 * when the file appears: dumpcap opens the interface, then the file,
 * then starts its own timer.
 *
 * When dumpcap fails, its message has been relayed already; what is added
 * says what to do next: the interfaces there are, or how to get capture
 * rights.
 */
#include "capture-live.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "messages.h"
#include "pcapng-count.h"

#define PROGRESS_MS 250

void
permission_hint(void)
{
    fputs("To capture as yourself, let dumpcap capture and join the wireshark group:\n"
          "    sudo dpkg-reconfigure wireshark-common    (answer Yes)\n"
          "    sudo usermod -aG wireshark $USER\n"
          "then log out and in again (or start a shell with: newgrp wireshark).\n",
          stderr);
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
    if (!program_collect(dumpcap, args, false, &out, &err, &status, &error)) {
        msg_error("cannot run %s: %s", dumpcap->argv[0], error->message);
        g_error_free(error);
        return NULL;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[64];

        process_describe_status(how, sizeof how, status);
        fputs(err, stderr);
        msg_error("cannot list the interfaces: `%s -D` failed (%s)", dumpcap->argv[0], how);
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
    msg_error("unknown interface '%s'; `dumpcap -D` lists:", iface);
    print_listing(listing);
    fputs("Pick one with --iface NAME.\n", stderr);
}

char *
choose_interface(const program *dumpcap, const char *wanted)
{
    char *listing = NULL;
    char **names = list_interfaces(dumpcap, &listing);
    char *iface = NULL;

    if (names == NULL)
        goto done;
    if (wanted == NULL) {
        if (names[0] == NULL) {
            msg_error("`dumpcap -D` lists no interface to capture on");
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
progress_show(progress *p, guint64 duration, guint64 count, const char *iface,
              const pcapng_counter *pc, gint64 started_us)
{
    GString *line;

    if (!p->tty)
        return;
    line = g_string_new(NULL);
    g_string_printf(line, "\r\033[K" CLI_PROG ": capturing on %s: ", iface);
    if (started_us == 0) {
        g_string_append(line, "starting");
    } else {
        if (duration) {
            gint64 left_us =
                (gint64)duration * G_USEC_PER_SEC - (g_get_monotonic_time() - started_us);
            /* Round up: "1 s left" until the last second is over. */
            g_string_append_printf(line, "%" G_GINT64_FORMAT " s left",
                                   MAX(left_us, 0) / G_USEC_PER_SEC +
                                       (left_us > 0 && left_us % G_USEC_PER_SEC ? 1 : 0));
        }
        if (!pc->lost) {
            if (duration)
                g_string_append(line, ", ");
            g_string_append_printf(line, "%" G_GUINT64_FORMAT, pc->packets);
            if (count)
                g_string_append_printf(line, " of %" G_GUINT64_FORMAT, count);
            g_string_append(line, pc->packets == 1 && !count ? " packet" : " packets");
        }
        if (!duration && !count)
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

    process_describe_status(how, sizeof how, status);
    if (contains_any(err, no_device)) {
        char *listing = NULL;
        char **names = list_interfaces(dumpcap, &listing);

        if (names != NULL)
            unknown_interface(iface, listing);
        else
            msg_error("dumpcap cannot capture on '%s' (%s)", iface, how);
        g_strfreev(names);
        g_free(listing);
    } else if (contains_any(err, no_permission)) {
        msg_error("no permission to capture on %s (dumpcap's message is above).", iface);
        permission_hint();
    } else {
        msg_error("dumpcap failed on %s (%s)%s", iface, how, *err ? "; its message is above" : "");
    }
}

bool
capture_live(const program *dumpcap, const char *iface, guint64 duration, guint64 count,
             const char *path)
{
    char duration_arg[32], count_arg[32];
    const char *args[12];
    size_t n = 0;
    char **argv;
    pid_t pid;
    int err_fd, rc, status;
    sig_atomic_t forwarded = process_signals_seen();
    GString *pending = g_string_new(NULL);
    GString *kept = g_string_new(NULL);
    pcapng_counter pc;
    progress prog = {isatty(STDERR_FILENO) == 1, false};
    gint64 started_us = 0;
    bool ok = false;

    pcapng_counter_init(&pc);
    args[n++] = "-i";
    args[n++] = iface;
    args[n++] = "-q";
    args[n++] = "-w";
    args[n++] = path;
    if (duration) {
        g_snprintf(duration_arg, sizeof duration_arg, "duration:%" G_GUINT64_FORMAT, duration);
        args[n++] = "-a";
        args[n++] = duration_arg;
    }
    if (count) {
        g_snprintf(count_arg, sizeof count_arg, "%" G_GUINT64_FORMAT, count);
        args[n++] = "-c";
        args[n++] = count_arg;
    }
    args[n] = NULL;
    argv = program_argv(dumpcap, args, false);
    rc = process_spawn(argv, -1, &pid, &err_fd);
    g_free(argv);
    if (rc != 0) {
        msg_error("cannot run %s: %s", dumpcap->argv[0], g_strerror(rc));
        if (rc == EACCES)
            permission_hint();
        goto done;
    }
    if (!duration && !count)
        msg_info("capturing on %s until Ctrl-C", iface);

    for (;;) {
        struct pollfd pfd = {err_fd, POLLIN, 0};
        int ready = poll(&pfd, 1, PROGRESS_MS);

        if (process_signals_seen() != forwarded) {
            forwarded = process_signals_seen();
            kill(pid, SIGINT);
        }
        if (ready > 0) {
            char buf[4096];
            ssize_t got = read(err_fd, buf, sizeof buf);

            if (got == 0)
                break;
            if (got > 0) {
                g_string_append_len(pending, buf, got);
                process_keep_text(kept, buf, (size_t)got);
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
            pcapng_counter_update(&pc, path);
            progress_show(&prog, duration, count, iface, &pc, started_us);
        }
    }
    close(err_fd);
    status = process_wait(pid);
    relay_lines(pending, &prog, true);
    progress_clear(&prog);

    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        explain_dumpcap_failure(dumpcap, iface, kept->str, status);
        goto done;
    }
    if (access(path, F_OK) != 0) {
        msg_error("dumpcap ended without writing %s", path);
        goto done;
    }
    ok = true;
done:
    pcapng_counter_close(&pc);
    g_string_free(pending, TRUE);
    g_string_free(kept, TRUE);
    return ok;
}
