/* process.c - see process.h.
 *
 * Why posix_spawn and not g_spawn_async_with_pipes: the child must get
 * SIGINT and SIGTERM at their defaults even when our parent ignored them
 * (a background job of a script), or dumpcap never installs the handler
 * that makes it close the capture file; posix_spawnattr_setsigdefault says
 * so in one call.  The short questions (-G plugins, -D) need nothing of
 * the kind and use g_spawn_sync.
 *
 * Children stay in our process group, so a Ctrl-C at the terminal reaches
 * them directly too and nothing outlives a killed terminal.  Every pipe
 * end is close-on-exec, so that no other child holds a write end open and
 * a reader sees the end of the file when its own child exits.
 */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "messages.h"

extern char **environ;

static volatile sig_atomic_t signals_seen;

static void
on_signal(int sig)
{
    (void)sig;
    signals_seen++;
}

void
process_catch_signals(void)
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

sig_atomic_t
process_signals_seen(void)
{
    return signals_seen;
}

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

bool
program_find(program *p)
{
    const char *value = g_getenv(p->variable);
    char **argv = NULL;
    char *path, *unusable;
    GError *error = NULL;

    if (value != NULL && *value != '\0') {
        if (!g_shell_parse_argv(value, NULL, &argv, &error)) {
            msg_error("%s=\"%s\" is not a command line: %s", p->variable, value, error->message);
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
            msg_error("cannot run %s (%s): %s", p->name, unusable, g_strerror(EACCES));
        else if (value != NULL && *value != '\0')
            msg_error("%s not found: %s=\"%s\" names no program (%s)", p->name, p->variable, value,
                      argv[0]);
        else
            msg_error("%s not found in PATH: install it (sudo apt-get install %s) or set %s to "
                      "its path",
                      p->name, p->package, p->variable);
        if (unusable != NULL && p->unusable_hint != NULL)
            p->unusable_hint();
        g_free(unusable);
        g_strfreev(argv);
        return false;
    }
    g_free(argv[0]);
    argv[0] = path;
    p->argv = argv;
    return true;
}

char **
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

bool
program_collect(const program *p, const char *const *args, bool first, char **out, char **err,
                int *wait_status, GError **error)
{
    char **argv = program_argv(p, args, first);
    bool ok =
        g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, wait_status, error);

    g_free(argv);
    return ok;
}

int
process_spawn(char **argv, int out_fd, pid_t *pid, int *err_fd)
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

int
process_wait(pid_t pid)
{
    int status = 0;

    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

void
process_keep_text(GString *kept, const char *text, size_t len)
{
    if (kept->len < PROCESS_STDERR_KEEP)
        g_string_append_len(kept, text, (gssize)MIN(len, PROCESS_STDERR_KEEP - kept->len));
}

void
process_describe_status(char *buf, size_t size, int status)
{
    if (WIFEXITED(status))
        g_snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        g_snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
                   g_strsignal(WTERMSIG(status)));
    else
        g_snprintf(buf, size, "wait status %d", status);
}
