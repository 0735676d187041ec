/* capture-main.c - the `camtrace-capture` command: capture, export the
 * flows, write enriched.csv; the seed's `camtrace-capture --duration 10`
 * as one C program.  This file has the options and the run; each step is
 * a file of its own.
 *
 * A run makes DIR/<YYYYmmdd-HHMMSS>/ and fills it in three steps:
 *   1. capture.pcapng from dumpcap (skipped with --pcap FILE;
 *      capture-live.c);
 *   2. flows.jsonl from ONE tshark run with the CamTrace plugin
 *      (`tshark -q -r CAPTURE -z camtrace,flows,jsonl`), so that each
 *      address's PTR question is asked once (capture-export.c);
 *   3. enriched.csv, the flow export's 44 columns, converted here from
 *      flows.jsonl with ct_json and ct_out (capture-export.c).
 * Everything that can be checked is checked first (capture-checks.c,
 * choose_interface()); the programs are found and run by process.c.
 *
 * Why dumpcap and tshark rather than libpcap and our own dissection:
 * dumpcap is the one program a Debian system gives capture rights to (the
 * wireshark group), and the plugin is where flows are defined; this tool
 * only orchestrates and must not grow a second definition of a flow.
 *
 * A failed run removes its directory if nothing was kept in it.  Signals
 * (SIGINT, SIGTERM) are counted from the start: during the capture they
 * end it and the run goes on; afterwards one aborts the run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "capture-checks.h"
#include "capture-export.h"
#include "capture-live.h"
#include "messages.h"
#include "process.h"

#define OUT_DIR_DEFAULT "results/"
/* Run directories tried in one second: -2 ... -RUN_DIR_TRIES. */
#define RUN_DIR_TRIES 1000

enum { EXIT_RUNTIME = 1 };

typedef struct {
    guint64 duration; /* seconds; 0: none */
    guint64 count;    /* packets; 0: none */
    const char *iface;
    const char *pcap;
    const char *out_dir;
} options;

/* ---- options --------------------------------------------------------- */

static void
print_help(void)
{
    printf("Usage: " CLI_PROG " [OPTION]...\n"
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
           "  " CLI_PROG " --duration 10\n"
           "  " CLI_PROG " --iface wlan0 --count 5000 --out-dir /tmp/runs\n"
           "  " CLI_PROG " --pcap data/sample.pcap\n",
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
                return msg_usage_error(
                    "--duration: '%s' is not a whole number of seconds, 1 or more", optarg);
            break;
        case OPT_COUNT:
            if (!parse_positive(optarg, G_MAXINT, &opt->count))
                return msg_usage_error("--count: '%s' is not a number of packets, 1 or more",
                                       optarg);
            break;
        case OPT_IFACE:
        case OPT_PCAP:
        case OPT_OUT_DIR:
            if (*optarg == '\0')
                return msg_usage_error("%s needs a value", argv[optind - 1]);
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
            printf(CLI_PROG " %s\n", CAMTRACE_VERSION);
            return EXIT_SUCCESS;
        case ':':
            return msg_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return msg_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return msg_usage_error("unexpected argument '%s'", argv[optind]);
    if (opt->pcap != NULL) {
        const char *clash = opt->duration ? "--duration"
                            : opt->count  ? "--count"
                            : opt->iface  ? "--iface"
                                          : NULL;
        if (clash != NULL)
            return msg_usage_error("--pcap reads an existing capture; %s is for a live capture: "
                                   "use one or the other",
                                   clash);
    }
    return -1;
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
        msg_error("cannot read the clock");
        return NULL;
    }
    if (g_mkdir_with_parents(out_dir, 0755) != 0) {
        msg_error("cannot create %s: %s", out_dir, g_strerror(errno));
        return NULL;
    }
    for (int i = 1; i <= RUN_DIR_TRIES; i++) {
        char *name = i == 1 ? g_strdup(stamp) : g_strdup_printf("%s-%d", stamp, i);
        char *dir = g_build_filename(out_dir, name, NULL);

        g_free(name);
        if (mkdir(dir, 0755) == 0)
            return dir;
        if (errno != EEXIST) {
            msg_error("cannot create %s: %s", dir, g_strerror(errno));
            g_free(dir);
            return NULL;
        }
        g_free(dir);
    }
    msg_error("cannot create a folder for this run in %s: %s-2 ... -%d exist", out_dir, stamp,
              RUN_DIR_TRIES);
    return NULL;
}

int
main(int argc, char **argv)
{
    options opt;
    program tshark = {"tshark", "CAMTRACE_TSHARK", "tshark", NULL, NULL};
    program dumpcap = {"dumpcap", "CAMTRACE_DUMPCAP", "wireshark-common", permission_hint, NULL};
    char *iface = NULL, *dir = NULL, *pcap = NULL, *jsonl = NULL, *csv = NULL, *databases = NULL;
    int status = parse_options(argc, argv, &opt);

    if (status >= 0)
        return status;
    status = EXIT_RUNTIME;
    process_catch_signals();

    /* Everything that can be checked is checked before capturing
     * (capture-checks.h). */
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
    if (opt.pcap == NULL && (!capture_live(&dumpcap, iface, opt.duration, opt.count, pcap) ||
                             !check_capture_file(pcap)))
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
        msg_error("nothing kept: removed %s", dir);
    else if (status != EXIT_SUCCESS && dir != NULL)
        msg_error("kept what was done in %s", dir);
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
