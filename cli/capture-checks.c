/* capture-checks.c - see capture-checks.h.
 *
 * The plugin check asks tshark itself (`tshark -G plugins`) rather than
 * looking in plugin folders: which folders tshark searches depends on its
 * version, on WIRESHARK_PLUGIN_DIR and on who runs it (root loads the
 * global folder only), and only tshark knows all three.  The capture file
 * check reads the first four bytes: the magic numbers of pcapng, of pcap
 * in its byte orders and time resolutions, and gzip, which tshark reads
 * itself.
 */
#include "capture-checks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "messages.h"

bool
check_plugin(const program *tshark)
{
    static const char *const args[] = {"-G", "plugins", NULL};
    char *out = NULL, *err = NULL;
    int status = 0;
    bool ok = false;
    GError *error = NULL;

    if (!program_collect(tshark, args, true, &out, &err, &status, &error)) {
        msg_error("cannot run %s: %s", tshark->argv[0], error->message);
        g_error_free(error);
        return false;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[64];

        process_describe_status(how, sizeof how, status);
        fputs(err, stderr);
        msg_error("`%s -G plugins` failed (%s)", tshark->argv[0], how);
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
        msg_error("tshark (%s) does not load the CamTrace plugin: `tshark -G plugins` does "
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
                    "--install) or run " CLI_PROG " as yourself.\n",
                    CAMTRACE_WS_PLUGINDIR);
    }
done:
    g_free(out);
    g_free(err);
    return ok;
}

bool
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
        msg_error("cannot read the capture %s: %s", path, g_strerror(errno));
        return false;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        msg_error("cannot read the capture %s: %s", path,
                  S_ISDIR(st.st_mode) ? g_strerror(EISDIR) : "not a regular file");
        goto done;
    }
    do {
        n = read(fd, head, sizeof head);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        msg_error("cannot read the capture %s: %s", path, g_strerror(errno));
        goto done;
    }
    if (n < (ssize_t)sizeof head) {
        msg_error("%s is not a capture file: %s", path, n == 0 ? "it is empty" : "it is too short");
        goto done;
    }
    /* gzip: tshark reads compressed captures itself. */
    ok = head[0] == 0x1f && head[1] == 0x8b;
    for (size_t i = 0; i < G_N_ELEMENTS(magics) && !ok; i++)
        ok = memcmp(head, magics[i].magic, sizeof head) == 0;
    if (!ok)
        msg_error("%s is not a capture file: it does not start like pcap or pcapng (first bytes "
                  "%02x %02x %02x %02x).  A capture in another format can be converted with "
                  "`editcap -F pcapng FILE NEW.pcapng`.",
                  path, head[0], head[1], head[2], head[3]);
done:
    close(fd);
    return ok;
}
