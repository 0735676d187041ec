/* camtrace.c - the `camtrace` command: JSON Lines flow logs in, the same
 * records enriched with reverse DNS, AS and location out, as JSON Lines
 * or as the seed's 26-column CSV.
 *
 * ECS documents (--ecs, --bulk) are a third output: the record's time,
 * protocol, ports and counts read into values (formats.h), the lookups
 * as ECS fields (ct_ecs.h).
 *
 * Input is the seed's JSON Lines, Suricata EVE, Zeek conn.log JSON or
 * ECS, per line by its keys (formats.h) unless --input-format says.
 *
 * Pipeline, per input line: split (a read(2) buffer and memchr, lines up
 * to LINE_MAX bytes; longer ones are skipped while reading so memory stays
 * bounded), validate with ct_json (strict RFC 8259, one object, unique
 * keys) and ct_addr_parse (src_ip, dst_ip), enrich through ct_enricher's
 * per-address cache, write through ct_out.
 *
 * Reverse DNS is the slow part, so it is asked for concurrently: records
 * are kept in a batch (their raw lines in one arena) while ct_ptr asks for
 * every global address of the batch; the batch is then written in input
 * order once the answers are in, the resolver is dead, or a whole timeout
 * passed without a new answer.  Without PTR a record is written as soon as
 * it is read, from the scan that validated it.  Writing a batch scans each
 * line again rather than keeping every member of 4,096 records: it costs
 * far less than the DNS round trips it waits for.  When the input has
 * nothing more for now (a live flow log through a pipe), what is held
 * back goes out at once (input_idle()): records come out as they come in,
 * not a batch later.
 *
 * ECS without PTR uses both of a machine's cores: what a document needs
 * of its record is the record's view (formats.h) and addresses, so the
 * main thread reads and checks lines and hands those over in blocks
 * (view_block) to a writer thread, which looks the addresses up and
 * writes the documents in input order.  The host table, the enricher and
 * the output belong to the writer alone; VIEW_BLOCKS blocks go round
 * between the two, so memory stays bounded however fast either side is.
 *
 * Nothing is allocated per record: the scanner, the decode buffer, the
 * batch arrays, the view blocks and ct_out's buffer are reused.  Per
 * distinct address, the host table (hosts.h) keeps what ct_enricher found
 * and the nine output cells already rendered.  The enricher keeps to
 * MAX_HOSTS by itself; the host table is emptied between records when the
 * enricher has given hosts up since (ct_enricher_evictions()).
 *
 * This file has the options, the settings and the pipeline; the jobs
 * under it are files of their own: input.c (the file and its lines),
 * records.c (checking a record), hosts.c (the host table), output.c
 * (writing a record), messages.c (what is said on stderr).
 *
 * Bad input never disappears silently: every rejected line is named on
 * stderr with its line number and reason, the summary counts it, and
 * records read == written + rejected.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "ct_config.h"
#include "ct_ecs.h"
#include "ct_enrich.h"
#include "ct_names.h"
#include "ct_out.h"
#include "ct_ptr.h"
#include "hosts.h"
#include "input.h"
#include "messages.h"
#include "output.h"
#include "records.h"

#define LINE_MAX_BYTES (1024 * 1024)
#define DEPTH_MAX 64
/* Records and bytes held while their PTR questions are out. */
#define BATCH_RECORDS 4096
#define BATCH_BYTES (8 * 1024 * 1024)
/* Addresses the enricher holds at most (~20 MB).  Its hosts stay valid
 * for MAX_HOSTS / 2 new addresses, far more than the 2 * BATCH_RECORDS
 * that can come between two checks of forget_given_up(). */
#define MAX_HOSTS 65536
/* Outcomes ct_ptr caches at most (it keeps to that itself; a batch's are
 * the newest, so they are kept until the batch is written). */
#define PTR_MAX_ANSWERS 262144
#define PTR_TIMEOUT_DEFAULT 2000
/* ECS without PTR: records per block handed to the writer thread, and
 * blocks in all (about 300 KB each). */
#define VIEW_BLOCK 1024
#define VIEW_BLOCKS 4

enum { EXIT_REJECTED = 1, EXIT_USAGE = CLI_EXIT_USAGE };

typedef struct {
    int enrich; /* -1: from ENRICH_IPS */
    bool csv;
    bool ecs;
    input_format input_format;
    const char *bulk_index; /* --bulk: ECS in the _bulk form; else NULL */
    bool no_ptr;
    const char *in_path;  /* NULL or "-": stdin */
    const char *out_path; /* NULL or "-": stdout */
    guint ptr_timeout_ms;
} options;

typedef struct {
    guint64 line_no;
    size_t offset, len; /* in the arena */
    ct_addr src, dst;
} batch_record;

typedef struct {
    flow_view view;
    ct_addr src, dst;
} view_record;

/* A block of records for the writer thread. */
typedef struct {
    guint n;
    bool flush; /* the output flushed after these records */
    view_record r[VIEW_BLOCK];
} view_block;
typedef struct view_pipe view_pipe;

typedef struct {
    options opt;
    const char *in_name;
    record rec;            /* the record being checked or written */
    ct_enricher *enricher; /* NULL: enrichment off */
    host_table *hosts;     /* in step with the enricher */
    ct_ptr *ptr;           /* NULL: no reverse DNS */
    ct_names *names;       /* ECS with reverse DNS: the names' registered domains */
    char *ptr_servers;
    bool ptr_dead_warned;
    bool ptr_errors_warned;
    ct_out *out;
    guint64 read, written, rejected;
    guint since_check; /* records since forget_given_up() */

    GByteArray *arena;
    GArray *batch;   /* batch_record */
    GArray *lookups; /* ct_addr asked of ct_ptr for this batch */

    /* ECS without PTR: the writer thread and its blocks (NULL: no
     * thread), and the block being filled (NULL: none yet). */
    view_pipe *pipe;
    view_block *block;
} cli;

/* ---- messages -------------------------------------------------------- */

/* "camtrace: FILE:LINE: REASON", and one more rejected. */
G_GNUC_PRINTF(3, 4)
static void
reject(cli *c, guint64 line_no, const char *fmt, ...)
{
    va_list ap;
    char *why;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg_error("%s:%" G_GUINT64_FORMAT ": %s", c->in_name, line_no, why);
    g_free(why);
    c->rejected++;
}

/* ---- options --------------------------------------------------------- */

static void
print_help(void)
{
    printf("Usage: camtrace [OPTION]...\n"
           "Enrich JSON Lines flow logs with reverse DNS names, autonomous systems and\n"
           "locations of their src_ip and dst_ip; write JSON Lines or CSV.\n"
           "\n"
           "  --enrich          look the addresses up (default: ENRICH_IPS, else off)\n"
           "  --no-enrich       leave the added columns empty\n"
           "  --in FILE         read FILE; - is standard input (the default)\n"
           "  --out FILE        write FILE; - is standard output (the default)\n"
           "  --csv             write CSV (RFC 4180, the 26 columns ts ... dst_longitude)\n"
           "                    instead of JSON Lines\n"
           "  --ecs             write Elastic Common Schema (ECS %s) documents, one per\n"
           "                    line, for Elasticsearch and OpenSearch\n"
           "  --bulk INDEX      write ECS documents as a _bulk request body, each after\n"
           "                    the action {\"create\":{\"_index\":\"INDEX\"}}\n"
           "  --input-format FORMAT\n"
           "                    auto (the default: each line's by its keys), seed, eve\n"
           "                    (Suricata EVE flow and netflow events), zeek (Zeek\n"
           "                    conn.log as JSON) or ecs (ECS documents)\n"
           "  --no-ptr          no reverse DNS (PTR) lookups\n"
           "  --ptr-timeout MS  wait at most MS milliseconds for a DNS answer (default %d)\n"
           "  -h, --help        show this help and exit\n"
           "      --version     show the version and exit\n"
           "\n"
           "Input: one JSON object (RFC 8259, UTF-8) per line, at most %d bytes\n"
           "(1 MiB) and %d levels deep, with unique keys and src_ip and dst_ip as\n"
           "IPv4 or IPv6 address strings; other keys are kept.  Also, each line by\n"
           "its keys: Suricata EVE (event_type flow or netflow: src_ip, dest_ip),\n"
           "Zeek conn.log JSON (id.orig_h, id.resp_h), ECS (source.ip,\n"
           "destination.ip).  Blank lines, CRLF\n"
           "line ends and a UTF-8 byte-order mark are accepted.  Any other line is\n"
           "reported on standard error as \"camtrace: FILE:LINE: REASON\", counted and\n"
           "skipped; a summary of records read, written and rejected ends the run.\n"
           "\n"
           "Output: JSON Lines keeps every input member, in order, and appends\n"
           "src_ptr, src_asn, src_as_org, src_country_iso, src_country_name,\n"
           "src_region, src_city, src_latitude, src_longitude and the same for dst_\n"
           "(null when unknown; private and other special addresses are not looked\n"
           "up).  CSV writes the seed's 26 columns and ignores other keys (for EVE,\n"
           "Zeek and ECS lines: their time, protocol, ports and counts).  ECS reads\n"
           "ts, end_ts, proto, ports, bytes, pkts, src_/dst_bytes and _pkts and\n"
           "community_id into ECS fields (a line where one is not of its kind is\n"
           "rejected) and writes the lookups as source.as, source.geo, ... .\n"
           "\n"
           "Settings, from the environment, else from .env in the current directory:\n"
           "  ENRICH_IPS        default of --enrich (1/0, true/false, yes/no, on/off)\n"
           "  MAXMIND_ASN_DB    ASN database; else GeoLite2-ASN.mmdb, GeoIP2-ISP.mmdb or\n"
           "                    dbip-asn-lite.mmdb in the folders below\n"
           "  MAXMIND_CITY_DB   City or Country database; else GeoLite2-City.mmdb, ... in\n"
           "                    %s/camtrace, %s,\n"
           "                    /usr/share/GeoIP, /var/lib/GeoIP\n"
           "  DNS_RESOLVER      DNS servers for PTR: IP, IP:port or [IPv6]:port,\n"
           "                    comma-separated; else those of /etc/resolv.conf\n"
           "\n"
           "Exit status: 0 when every record was written, 1 when lines were rejected,\n"
           "2 on a usage error, unreadable input or unwritable output.\n"
           "\n"
           "Example:\n"
           "  camtrace --enrich --in examples/flows.jsonl --out flows.csv --csv\n",
           CT_ECS_VERSION, PTR_TIMEOUT_DEFAULT, LINE_MAX_BYTES, DEPTH_MAX, g_get_user_data_dir(),
           CAMTRACE_DATADIR);
}

/* Returns -1 to go on, else the exit status. */
static int print_version(void);

static int
parse_options(int argc, char **argv, options *opt)
{
    enum {
        OPT_ENRICH = 256,
        OPT_NO_ENRICH,
        OPT_IN,
        OPT_OUT,
        OPT_CSV,
        OPT_ECS,
        OPT_BULK,
        OPT_INPUT_FORMAT,
        OPT_NO_PTR,
        OPT_TIMEOUT,
        OPT_VERSION
    };
    static const struct option longopts[] = {
        {"enrich", no_argument, NULL, OPT_ENRICH},
        {"no-enrich", no_argument, NULL, OPT_NO_ENRICH},
        {"in", required_argument, NULL, OPT_IN},
        {"out", required_argument, NULL, OPT_OUT},
        {"csv", no_argument, NULL, OPT_CSV},
        {"ecs", no_argument, NULL, OPT_ECS},
        {"bulk", required_argument, NULL, OPT_BULK},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"no-ptr", no_argument, NULL, OPT_NO_PTR},
        {"ptr-timeout", required_argument, NULL, OPT_TIMEOUT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int ch;

    memset(opt, 0, sizeof *opt);
    opt->enrich = -1;
    opt->ptr_timeout_ms = PTR_TIMEOUT_DEFAULT;
    opterr = 0; /* our own messages, and exit status 2 */
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        guint64 ms;

        switch (ch) {
        case OPT_ENRICH:
            opt->enrich = 1;
            break;
        case OPT_NO_ENRICH:
            opt->enrich = 0;
            break;
        case OPT_IN:
        case OPT_OUT:
            if (*optarg == '\0')
                return msg_usage_error("%s needs a file name or -",
                                       ch == OPT_IN ? "--in" : "--out");
            *(ch == OPT_IN ? &opt->in_path : &opt->out_path) = optarg;
            break;
        case OPT_CSV:
            opt->csv = true;
            break;
        case OPT_ECS:
            opt->ecs = true;
            break;
        case OPT_BULK: {
            GError *error = NULL;
            if (!ct_ecs_index_valid(optarg, &error)) {
                int status = msg_usage_error("--bulk: %s", error->message);
                g_error_free(error);
                return status;
            }
            opt->ecs = true;
            opt->bulk_index = optarg;
            break;
        }
        case OPT_INPUT_FORMAT:
            if (!formats_parse(optarg, &opt->input_format))
                return msg_usage_error("--input-format: '%s' is not auto, seed, eve, zeek or ecs",
                                       optarg);
            break;
        case OPT_NO_PTR:
            opt->no_ptr = true;
            break;
        case OPT_TIMEOUT:
            if (!g_ascii_string_to_unsigned(optarg, 10, 1, 600000, &ms, NULL))
                return msg_usage_error("--ptr-timeout: '%s' is not a number of milliseconds "
                                       "from 1 to 600000",
                                       optarg);
            opt->ptr_timeout_ms = (guint)ms;
            break;
        case 'h':
            print_help();
            return EXIT_SUCCESS;
        case OPT_VERSION:
            return print_version();
        case ':':
            return msg_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return msg_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return msg_usage_error("unexpected argument '%s'", argv[optind]);
    if (opt->csv && opt->ecs)
        return msg_usage_error("--csv and --%s exclude each other",
                               opt->bulk_index ? "bulk" : "ecs");
    return -1;
}

/* ---- settings -------------------------------------------------------- */

static bool
enrichment_wanted(const options *opt)
{
    char *value;
    bool on = false;

    if (opt->enrich >= 0)
        return opt->enrich == 1;
    value = ct_config_get("ENRICH_IPS", NULL, NULL);
    if (value != NULL && !ct_config_parse_bool(value, &on))
        msg_warning(
            "ENRICH_IPS=\"%s\" is not a boolean (use 1/0, true/false); enrichment stays off",
            value);
    g_free(value);
    return on;
}

/* Open one database, or say once, naming the file and the reason, why its
 * columns will stay empty; and say when it is old. */
static void
open_database(ct_geo *geo, ct_geo_db kind)
{
    static const char *const variable[] = {"MAXMIND_ASN_DB", "MAXMIND_CITY_DB"};
    static const char *const columns[] = {"AS", "location"};
    ct_source source;
    char *path = NULL, *stale;
    GError *error = NULL;

    if (!ct_config_open_db(geo, kind, NULL, variable[kind], CAMTRACE_DATADIR, &path, &source,
                           &error)) {
        msg_warning("%s; the %s columns stay empty", error->message, columns[kind]);
        g_error_free(error);
    } else if ((stale = ct_config_db_stale(geo, kind, g_get_real_time() / G_USEC_PER_SEC))) {
        msg_warning("%s", stale);
        g_free(stale);
    }
    g_free(path);
}

/* --version: the version, and the databases a run would use. */
static int
print_version(void)
{
    ct_geo *geo = ct_geo_new();
    char *databases;

    for (int kind = 0; kind < 2; kind++) {
        char *path = NULL;
        ct_source source;
        /* A database that does not open shows as "none". */
        (void)ct_config_open_db(geo, (ct_geo_db)kind, NULL, "", CAMTRACE_DATADIR, &path, &source,
                                NULL);
        g_free(path);
    }
    databases = ct_config_databases_text(geo);
    printf("camtrace %s\ndatabases: %s\n", CAMTRACE_VERSION, databases);
    g_free(databases);
    ct_geo_free(geo);
    return EXIT_SUCCESS;
}

static void
start_resolver(cli *c)
{
    ct_source source;
    char *servers = ct_config_get("DNS_RESOLVER", NULL, &source);
    ct_ptr_options opts = {servers, c->opt.ptr_timeout_ms, 0, PTR_MAX_ANSWERS};
    GError *error = NULL;

    c->ptr = ct_ptr_new(&opts, &error);
    g_free(servers);
    if (c->ptr == NULL) {
        msg_warning("reverse DNS off: %s", error->message);
        g_error_free(error);
        return;
    }
    c->ptr_servers = g_strdup(ct_ptr_servers(c->ptr));
    /* The questions reveal the records' addresses to these servers. */
    msg_info("reverse DNS: asking %s (%s) for the names of the records' addresses; --no-ptr "
             "turns it off",
             c->ptr_servers,
             source == CT_SOURCE_ENVIRONMENT ? "DNS_RESOLVER"
             : source == CT_SOURCE_DOTENV    ? "DNS_RESOLVER in .env"
                                             : "resolv.conf");
}

/* ---- records --------------------------------------------------------- */

/* An ECS document of the record whose view is v. */
static void
write_ecs(cli *c, const flow_view *v, const ct_addr *src, const ct_addr *dst)
{
    output_ecs(c->out, v, c->hosts, c->ptr, c->names, c->opt.bulk_index, src, dst);
}

/* Write the record that c->rec holds. */
static void
write_record(cli *c, const ct_addr *src, const ct_addr *dst)
{
    if (c->opt.ecs)
        write_ecs(c, &c->rec.view, src, dst);
    else
        output_record(c->out, &c->rec, c->hosts, c->ptr, src, dst);
    c->written++;
}

/* Our entries point into the enricher's hosts: forget them once the
 * enricher has given hosts up. */
static void
forget_given_up(cli *c)
{
    c->since_check = 0;
    hosts_forget_given_up(c->hosts);
}

/* A record written as soon as it was read (no batch): every BATCH_RECORDS
 * of them, the hosts the enricher gave up are forgotten. */
static void
written_unbatched(cli *c)
{
    if (++c->since_check == BATCH_RECORDS)
        forget_given_up(c);
}

/* ---- ECS without PTR: the writer thread ------------------------------ */

/* The blocks go round: the main thread fills blocks[sent % VIEW_BLOCKS]
 * once the writer is done with it, the writer writes blocks[done %
 * VIEW_BLOCKS] once it is sent.  (pthread's lock, not GLib's: GLib's own
 * futex lock is invisible to ThreadSanitizer.) */
struct view_pipe {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    guint64 sent, done; /* blocks handed to the writer; blocks it wrote */
    bool ended;         /* no block comes after the sent ones */
    view_block *blocks[VIEW_BLOCKS];
    pthread_t thread;
};

/* The writer thread: the sent blocks' documents, in order, until the
 * input ended.  A record's host table slots are on their way into the
 * cache while the record before is written. */
static void *
view_writer(void *data)
{
    cli *c = data;
    view_pipe *p = c->pipe;

    for (;;) {
        const view_block *b;
        pthread_mutex_lock(&p->lock);
        while (p->done == p->sent && !p->ended)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->done == p->sent) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        b = p->blocks[p->done % VIEW_BLOCKS];
        pthread_mutex_unlock(&p->lock);
        for (guint i = 0; i < b->n; i++) {
            const view_record *r = &b->r[i];
            if (i + 1 < b->n) {
                hosts_prefetch(c->hosts, hosts_hash(&r[1].src));
                hosts_prefetch(c->hosts, hosts_hash(&r[1].dst));
            }
            write_ecs(c, &r->view, &r->src, &r->dst);
            c->written++;
            written_unbatched(c);
        }
        /* A failure is kept and reported at the end (ct_out_finish()). */
        if (b->flush)
            ct_out_finish(c->out, NULL);
        pthread_mutex_lock(&p->lock);
        p->done++;
        pthread_cond_signal(&p->changed);
        pthread_mutex_unlock(&p->lock);
    }
}

static void
writer_free(cli *c)
{
    view_pipe *p = c->pipe;

    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    for (int i = 0; i < VIEW_BLOCKS; i++)
        g_free(p->blocks[i]);
    g_free(p);
    c->pipe = NULL;
}

/* The writer thread, when one can be started: else the documents are
 * written as the records are read, on one core. */
static void
writer_start(cli *c)
{
    view_pipe *p = g_new0(view_pipe, 1);
    int rc;

    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    for (int i = 0; i < VIEW_BLOCKS; i++)
        p->blocks[i] = g_new(view_block, 1);
    c->pipe = p;
    rc = pthread_create(&p->thread, NULL, view_writer, c);
    if (rc != 0) {
        msg_warning("cannot start a writer thread (%s): reading and writing on one core",
                    g_strerror(rc));
        writer_free(c);
    }
}

/* The block to fill next, once the writer is done with it; its n is 0. */
static view_block *
writer_block(view_pipe *p)
{
    view_block *b;

    pthread_mutex_lock(&p->lock);
    while (p->sent - p->done == VIEW_BLOCKS)
        pthread_cond_wait(&p->changed, &p->lock);
    b = p->blocks[p->sent % VIEW_BLOCKS];
    pthread_mutex_unlock(&p->lock);
    b->n = 0;
    b->flush = false;
    return b;
}

/* The block being filled to the writer; none is being filled then. */
static void
writer_send(cli *c)
{
    view_pipe *p = c->pipe;

    pthread_mutex_lock(&p->lock);
    p->sent++;
    pthread_cond_signal(&p->changed);
    pthread_mutex_unlock(&p->lock);
    c->block = NULL;
}

/* A checked record into the block being filled: its view (c->rec's) and
 * addresses. */
static void
writer_add(cli *c, const ct_addr *src, const ct_addr *dst)
{
    view_record *r;

    if (c->block == NULL)
        c->block = writer_block(c->pipe);
    r = &c->block->r[c->block->n++];
    r->view = c->rec.view;
    r->src = *src;
    r->dst = *dst;
    if (c->block->n == VIEW_BLOCK)
        writer_send(c);
}

/* The block being filled, even empty, to be written and the output
 * flushed after it. */
static void
writer_flush(cli *c)
{
    if (c->block == NULL)
        c->block = writer_block(c->pipe);
    c->block->flush = true;
    writer_send(c);
}

/* The records still in the block being filled, then the end; returns once
 * the writer has written them all. */
static void
writer_finish(cli *c)
{
    view_pipe *p = c->pipe;

    if (c->block != NULL)
        writer_send(c);
    pthread_mutex_lock(&p->lock);
    p->ended = true;
    pthread_cond_signal(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    writer_free(c);
}

/* ---- reverse DNS batches --------------------------------------------- */

static void
wait_for_names(cli *c)
{
    const ct_addr *addrs = (const ct_addr *)(void *)c->lookups->data;
    ct_ptr_stats before, now;

    if (c->lookups->len == 0)
        return;
    ct_ptr_get_stats(c->ptr, &before);
    /* A batch may need several timeouts against a slow but live server
     * (ct_ptr keeps a bounded number of questions in flight): wait on as
     * long as answers keep coming, and give up after a whole timeout
     * without one.  A dead resolver returns at once. */
    while (!ct_ptr_wait(c->ptr, addrs, c->lookups->len, c->opt.ptr_timeout_ms + 500)) {
        if (ct_ptr_resolver_dead(c->ptr))
            break;
        ct_ptr_get_stats(c->ptr, &now);
        if (now.answered == before.answered)
            break;
        before = now;
    }
    ct_ptr_get_stats(c->ptr, &now);
    if (!c->ptr_errors_warned && now.errors > 0) {
        c->ptr_errors_warned = true;
        msg_warning("reverse DNS: %s failed: %s; PTR names may come late or not at all",
                    now.error_call, g_strerror(now.last_errno));
    }
    if (!c->ptr_dead_warned && ct_ptr_resolver_dead(c->ptr)) {
        c->ptr_dead_warned = true;
        msg_warning(
            "reverse DNS: %s did not answer %d questions in a row; PTR names stay empty for "
            "the rest of this run",
            c->ptr_servers, CT_PTR_DEAD_AFTER);
    }
}

static void
flush_batch(cli *c)
{
    if (c->batch->len == 0)
        return;
    wait_for_names(c);
    for (guint i = 0; i < c->batch->len; i++) {
        batch_record *r = &g_array_index(c->batch, batch_record, i);

        /* The same bytes passed this scan when they were read. */
        if (!record_scan(&c->rec, (const char *)c->arena->data + r->offset, r->len)) {
            reject(c, r->line_no, "internal error: %s", c->rec.why->str);
            continue;
        }
        write_record(c, &r->src, &r->dst);
    }
    g_array_set_size(c->batch, 0);
    g_array_set_size(c->lookups, 0);
    g_byte_array_set_size(c->arena, 0);
    forget_given_up(c);
}

static void
ask_name(cli *c, const ct_addr *addr)
{
    if (ct_addr_scope(addr) != CT_SCOPE_GLOBAL)
        return;
    ct_ptr_request(c->ptr, addr);
    g_array_append_val(c->lookups, *addr);
}

static void
handle_record(cli *c, guint64 line_no, const char *line, size_t len)
{
    batch_record r;

    if (!record_check(&c->rec, line, len, &r.src, &r.dst)) {
        reject(c, line_no, "%s", c->rec.why->str);
        return;
    }
    if (c->pipe != NULL) {
        writer_add(c, &r.src, &r.dst);
        return;
    }
    if (c->ptr == NULL) {
        write_record(c, &r.src, &r.dst);
        written_unbatched(c);
        return;
    }
    r.line_no = line_no;
    r.offset = c->arena->len;
    r.len = len;
    g_byte_array_append(c->arena, (const guint8 *)line, (guint)len);
    g_array_append_val(c->batch, r);
    ask_name(c, &r.src);
    ask_name(c, &r.dst);
    if (c->batch->len >= BATCH_RECORDS || c->arena->len >= BATCH_BYTES)
        flush_batch(c);
}

static bool
is_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (line[i] != ' ' && line[i] != '\t')
            return false;
    }
    return true;
}

/* reader.idle: the input has nothing more for now (a live flow log
 * through a pipe), so what is held back goes out: the batch waiting for
 * its names, the records not yet handed to the writer thread, the output
 * still buffered.  A failure to write is kept and reported at the end. */
static void
input_idle(void *data)
{
    cli *c = data;

    if (c->pipe != NULL) {
        writer_flush(c);
        return;
    }
    if (c->ptr != NULL)
        flush_batch(c);
    ct_out_finish(c->out, NULL);
}

/* Every line of the input; false on a read error (reported). */
static bool
process_input(cli *c, int fd)
{
    reader r;
    const char *line;
    size_t len;
    bool too_long;
    guint64 line_no = 0;
    int rc;

    reader_init(&r, fd, LINE_MAX_BYTES);
    r.idle = input_idle;
    r.idle_data = c;
    while ((rc = reader_next(&r, &line, &len, &too_long)) == 1) {
        line_no++;
        /* A byte-order mark is not JSON, but editors on Windows write one. */
        if (line_no == 1 && !too_long && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            line += 3;
            len -= 3;
        }
        if (!too_long && len > 0 && line[len - 1] == '\r')
            len--;
        if (too_long || len > LINE_MAX_BYTES) {
            c->read++;
            reject(c, line_no, "line longer than %d bytes", LINE_MAX_BYTES);
            continue;
        }
        if (is_blank(line, len))
            continue;
        c->read++;
        handle_record(c, line_no, line, len);
    }
    if (rc < 0)
        msg_error("cannot read %s: %s", c->in_name, g_strerror(errno));
    if (c->ptr != NULL)
        flush_batch(c);
    if (c->pipe != NULL)
        writer_finish(c);
    reader_free(&r);
    return rc == 0;
}

/* ---- main ------------------------------------------------------------ */

int
main(int argc, char **argv)
{
    cli c;
    int status, in_fd;
    FILE *stream;
    GError *error = NULL;
    bool read_ok, write_ok;

    memset(&c, 0, sizeof c);
    status = parse_options(argc, argv, &c.opt);
    if (status >= 0)
        return status;
    in_fd = input_open(c.opt.in_path, &c.in_name);
    if (in_fd < 0)
        return EXIT_USAGE;
    stream = output_open(c.opt.out_path, in_fd);
    if (stream == NULL)
        return EXIT_USAGE;

    if (enrichment_wanted(&c.opt)) {
        c.enricher = ct_enricher_new(MAX_HOSTS);
        open_database(ct_enricher_geo(c.enricher), CT_GEO_DB_ASN);
        open_database(ct_enricher_geo(c.enricher), CT_GEO_DB_CITY);
        if (!c.opt.no_ptr)
            start_resolver(&c);
    }
    record_init(&c.rec, LINE_MAX_BYTES, DEPTH_MAX);
    c.rec.want_view = c.opt.ecs;
    c.rec.forced = c.opt.input_format;
    if (c.opt.ecs && c.ptr != NULL)
        c.names = ct_names_new(0);
    c.arena = g_byte_array_new();
    c.batch = g_array_new(FALSE, FALSE, sizeof(batch_record));
    c.lookups = g_array_new(FALSE, FALSE, sizeof(ct_addr));
    c.out = ct_out_new(c.opt.csv ? CT_OUT_CSV : CT_OUT_JSONL, stream);
    c.hosts = hosts_new(c.enricher, ct_out_get_format(c.out), c.opt.ecs);
    if (c.opt.ecs && c.ptr == NULL)
        writer_start(&c);
    ct_out_header(c.out, ct_out_seed_columns, CT_OUT_SEED_COLUMNS);

    read_ok = process_input(&c, in_fd);

    write_ok = ct_out_finish(c.out, &error);
    if (stream != stdout && fclose(stream) != 0 && write_ok) {
        g_set_error(&error, CT_ERROR, CT_ERR_WRITE, "cannot write the output: %s",
                    g_strerror(errno));
        write_ok = false;
    }
    if (!write_ok) {
        msg_error("%s: %s", is_stdio(c.opt.out_path) ? "<stdout>" : c.opt.out_path, error->message);
        g_error_free(error);
    }
    fprintf(stderr,
            CLI_PROG ": %" G_GUINT64_FORMAT " %s read, %" G_GUINT64_FORMAT
                     " written, %" G_GUINT64_FORMAT " rejected",
            c.read, c.read == 1 ? "record" : "records", c.written, c.rejected);
    if (c.enricher != NULL) {
        char *databases = ct_config_databases_text(ct_enricher_geo(c.enricher));
        fprintf(stderr, "; databases: %s", databases);
        g_free(databases);
    }
    fputc('\n', stderr);

    if (!read_ok || !write_ok)
        status = EXIT_USAGE;
    else
        status = c.rejected > 0 ? EXIT_REJECTED : EXIT_SUCCESS;
    if (in_fd != STDIN_FILENO)
        close(in_fd);
    ct_out_free(c.out);
    ct_ptr_free(c.ptr);
    if (c.names != NULL)
        ct_names_free(c.names);
    hosts_free(c.hosts);
    ct_enricher_free(c.enricher);
    record_clear(&c.rec);
    g_free(c.ptr_servers);
    g_byte_array_free(c.arena, TRUE);
    g_array_free(c.batch, TRUE);
    g_array_free(c.lookups, TRUE);
    return status;
}
