/* capture-export.c - see capture-export.h.
 *
 * ONE tshark run exports the flows, so that each address's PTR question
 * is asked once; the CSV is converted here from its JSON Lines rather
 * than asked of a second run.
 *
 * Why the CSV equals `tshark -z camtrace,flows` byte for byte: both are
 * written by ct_out, and JSON Lines loses nothing on the way.  Strings
 * decode back to the text the plugin gave ct_out (JSON escapes TAB, CR,
 * LF and quotes; every other control byte and invalid UTF-8 was already
 * U+FFFD in both formats), and numbers are copied as the plugin wrote
 * them (ct_out_number), never re-formatted through a double.  A line that
 * is not the plugin's record (another version's, with other members)
 * stops the conversion instead of giving a CSV that is not its export.
 *
 * Outputs appear complete or not at all: flows.jsonl and enriched.csv are
 * written under *.tmp names, synced and renamed.  A signal during the
 * export aborts it (tshark gets SIGINT too).
 */
#include "capture-export.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "ct_cells.h"
#include "ct_json.h"
#include "ct_out.h"
#include "messages.h"

/* flows.jsonl lines: the plugin's are well under 4 kB. */
#define LINE_MAX_BYTES (1024 * 1024)

/* Write data to disk, then give it its final name. */
static bool
commit_file(int fd, const char *tmp, const char *final)
{
    if (fsync(fd) != 0 || rename(tmp, final) != 0) {
        msg_error("cannot write %s: %s", final, g_strerror(errno));
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
    msg_error("the CamTrace plugin that tshark loads has no flow export (-z camtrace,flows): it "
              "is older than " CLI_PROG ".  Install the new one: cmake --install build.");
}

/* Packets read for camtrace.databases: its first IP packet among them. */
#define DATABASES_PACKETS "1000"

char *
databases_used(const program *tshark, const char *pcap)
{
    const char *args[] = {"-r", pcap,     "-c", DATABASES_PACKETS,    "-Y", "camtrace.databases",
                          "-T", "fields", "-e", "camtrace.databases", NULL};
    char *out = NULL, *err = NULL, *text = NULL;
    int status = 0;

    if (program_collect(tshark, args, false, &out, &err, &status, NULL) && WIFEXITED(status) &&
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

bool
export_flows(const program *tshark, const char *pcap, const char *jsonl)
{
    const char *args[] = {"-q", "-r", pcap, "-z", "camtrace,flows,jsonl", NULL};
    char *tmp = g_strconcat(jsonl, ".tmp", NULL);
    char **argv = NULL;
    GString *kept = g_string_new(NULL);
    sig_atomic_t seen = process_signals_seen();
    bool ok = false;
    pid_t pid;
    int err_fd, rc, status, fd;

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        msg_error("cannot write %s: %s", tmp, g_strerror(errno));
        goto done;
    }
    argv = program_argv(tshark, args, false);
    rc = process_spawn(argv, fd, &pid, &err_fd);
    if (rc != 0) {
        msg_error("cannot run %s: %s", tshark->argv[0], g_strerror(rc));
        goto done;
    }
    for (;;) {
        char buf[4096];
        ssize_t got = read(err_fd, buf, sizeof buf);

        if (got > 0) {
            process_keep_text(kept, buf, (size_t)got);
        } else if (got == 0 || errno != EINTR) {
            break;
        } else if (process_signals_seen() != seen) {
            /* Already sent by the terminal if it came from there; a
             * second SIGINT does no harm. */
            kill(pid, SIGINT);
        }
    }
    close(err_fd);
    status = process_wait(pid);
    if (process_signals_seen() != seen) {
        msg_error("interrupted: no flows exported");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[64];

        process_describe_status(how, sizeof how, status);
        print_tshark_errors(kept->str);
        msg_error("tshark could not export the flows of %s (%s)%s", pcap, how,
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
    /* Room for any member's decoded string. */
    g_byte_array_set_size(scratch, (guint)len);
    ct_out_begin(out);
    for (size_t i = 0; i < CT_OUT_FLOW_COLUMNS; i++) {
        const char *name = ct_out_flow_columns[i];
        const ct_json_member *m = ct_json_find(json, name);

        if (m == NULL) {
            *why = g_strdup_printf("no member \"%s\"", name);
            return false;
        }
        /* The plugin writes no object or array; a cell holding JSON text
         * would not be its export's. */
        if (m->type == CT_JSON_ARRAY || m->type == CT_JSON_OBJECT) {
            *why = g_strdup_printf("\"%s\" is an %s", name, ct_json_type_name(m->type));
            return false;
        }
        ct_cells_member(out, name, m, (char *)scratch->data);
    }
    ct_out_end(out);
    return true;
}

bool
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
    sig_atomic_t seen = process_signals_seen();
    bool ok = false, written;

    if (in == NULL) {
        msg_error("cannot read %s: %s", jsonl, g_strerror(errno));
        goto done;
    }
    stream = fopen(tmp, "we");
    if (stream == NULL) {
        msg_error("cannot write %s: %s", tmp, g_strerror(errno));
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
            msg_error("%s:%" G_GUINT64_FORMAT ": not a flow record of the CamTrace plugin: %s",
                      jsonl, line_no, why);
            goto done;
        }
        if (process_signals_seen() != seen) {
            msg_error("interrupted: %s not written", csv);
            goto done;
        }
    }
    if (ferror(in)) {
        msg_error("cannot read %s: %s", jsonl, g_strerror(errno));
        goto done;
    }
    written = ct_out_finish(out, &error);
    if (!written) {
        msg_error("cannot write %s: %s", tmp, error->message);
        g_error_free(error);
        goto done;
    }
    ok = commit_file(fileno(stream), tmp, csv);
done:
    ct_out_free(out);
    if (stream != NULL && fclose(stream) != 0 && ok) {
        msg_error("cannot write %s: %s", csv, g_strerror(errno));
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
