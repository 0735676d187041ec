/* camtrace.c - the `camtrace` command: JSON Lines flow logs in, the same
 * records enriched with reverse DNS, AS and location out, as JSON Lines
 * or as the seed's 26-column CSV.
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
 * far less than the DNS round trips it waits for.
 *
 * Nothing is allocated per record: the scanner, the decode buffer, the
 * batch arrays and ct_out's buffer are reused.  Per distinct address, the
 * host table keeps what ct_enricher found and the nine output cells
 * already rendered (ct_out_host_render): a flow log repeats a few thousand
 * hosts millions of times, and formatting their cells again for every
 * record cost more than everything else together.  Both caches are
 * emptied together when they grow past MAX_HOSTS, between records (never
 * while a ct_host pointer is held).
 *
 * Bad input never disappears silently: every rejected line is named on
 * stderr with its line number and reason, the summary counts it, and
 * records read == written + rejected.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "ct_cells.h"
#include "ct_config.h"
#include "ct_enrich.h"
#include "ct_json.h"
#include "ct_out.h"
#include "ct_ptr.h"

#define LINE_MAX_BYTES (1024 * 1024)
#define DEPTH_MAX 64
#define READ_CHUNK (1024 * 1024)
/* Records and bytes held while their PTR questions are out. */
#define BATCH_RECORDS 4096
#define BATCH_BYTES (8 * 1024 * 1024)
/* Addresses cached before ct_enricher_trim() starts over (~20 MB). */
#define MAX_HOSTS 65536
/* Addresses ct_ptr remembers before it is cleared. */
#define PTR_FORGET_AFTER 262144
#define PTR_TIMEOUT_DEFAULT 2000
/* Bytes of a bad value quoted in a message. */
#define SHOW_MAX 40

enum { EXIT_REJECTED = 1, EXIT_USAGE = 2 };

/* The seed's columns that come from the input (ct_out_seed_columns 0-7). */
enum { COL_TS, COL_PROTO, COL_SRC_IP, COL_SRC_PORT, COL_DST_IP, COL_DST_PORT, COL_BYTES, COL_PKTS };
#define INPUT_COLUMNS 8

typedef struct {
    int enrich; /* -1: from ENRICH_IPS */
    bool csv;
    bool no_ptr;
    const char *in_path;  /* NULL or "-": stdin */
    const char *out_path; /* NULL or "-": stdout */
    guint ptr_timeout_ms;
} options;

typedef struct {
    int fd;
    char *buf;
    size_t cap, start, end, scanned;
    bool eof;
    bool skipping; /* inside a line already known to be too long */
} reader;

typedef struct {
    guint64 line_no;
    size_t offset, len; /* in the arena */
    ct_addr src, dst;
} batch_record;

/* What we write about one address: one allocation, the rendered cells
 * inline, so that a record's lookup touches two cache lines per side at
 * most (the slot, the entry) rather than GHashTable's four or five. */
typedef struct {
    ct_addr addr;
    const ct_host *host; /* owned by the enricher */
    const char *cells[2];
    size_t len[2]; /* rendered per side (CSV: [0] serves both) */
    char text[];
} host_entry;

typedef struct {
    uint32_t hash;
    uint32_t index; /* into entries, plus one; 0: free */
} host_slot;

/* Open addressing, linear probing, load at most one half. */
typedef struct {
    host_slot *slots;
    size_t mask;
    GPtrArray *entries; /* host_entry*, owned */
} host_table;

typedef struct {
    options opt;
    const char *in_name;
    ct_json *json;
    ct_enricher *enricher; /* NULL: enrichment off */
    host_table hosts;      /* in step with the enricher */
    host_entry *no_host;   /* enrichment off: empty cells */
    ct_ptr *ptr;           /* NULL: no reverse DNS */
    char *ptr_servers;
    bool ptr_dead_warned;
    guint64 ptr_sent_at_clear;
    ct_out *out;
    char *scratch;                 /* decoded strings, LINE_MAX_BYTES + 1 */
    const ct_json_member *members; /* of the last scan */
    size_t n_members;
    int col[INPUT_COLUMNS];
    guint64 read, written, rejected;
    guint since_trim;

    GByteArray *arena;
    GArray *batch;   /* batch_record */
    GArray *lookups; /* ct_addr asked of ct_ptr for this batch */
} cli;

/* ---- messages -------------------------------------------------------- */

G_GNUC_PRINTF(1, 2)
static void
warn(const char *fmt, ...)
{
    va_list ap;

    fputs("camtrace: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

G_GNUC_PRINTF(3, 4)
static void
reject(cli *c, guint64 line_no, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "camtrace: %s:%" G_GUINT64_FORMAT ": ", c->in_name, line_no);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    c->rejected++;
}

/* Input text quoted in a message: printable ASCII as is, the rest as \xNN,
 * at most SHOW_MAX bytes. */
static const char *
show(char out[SHOW_MAX * 4 + 4], const char *text, size_t len)
{
    char *o = out;

    for (size_t i = 0; i < len && i < SHOW_MAX; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            *o++ = (char)ch;
        else
            o += g_snprintf(o, 5, "\\x%02X", ch);
    }
    if (len > SHOW_MAX)
        o = g_stpcpy(o, "...");
    *o = '\0';
    return out;
}

/* ---- options --------------------------------------------------------- */

static void
usage_hint(void)
{
    fputs("Try 'camtrace --help' for more information.\n", stderr);
}

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
           "  --no-ptr          no reverse DNS (PTR) lookups\n"
           "  --ptr-timeout MS  wait at most MS milliseconds for a DNS answer (default %d)\n"
           "  -h, --help        show this help and exit\n"
           "      --version     show the version and exit\n"
           "\n"
           "Input: one JSON object (RFC 8259, UTF-8) per line, at most %d bytes\n"
           "(1 MiB) and %d levels deep, with unique keys and src_ip and dst_ip as\n"
           "IPv4 or IPv6 address strings; other keys are kept.  Blank lines, CRLF\n"
           "line ends and a UTF-8 byte-order mark are accepted.  Any other line is\n"
           "reported on standard error as \"camtrace: FILE:LINE: REASON\", counted and\n"
           "skipped; a summary of records read, written and rejected ends the run.\n"
           "\n"
           "Output: JSON Lines keeps every input member, in order, and appends\n"
           "src_ptr, src_asn, src_as_org, src_country_iso, src_country_name,\n"
           "src_region, src_city, src_latitude, src_longitude and the same for dst_\n"
           "(null when unknown; private and other special addresses are not looked\n"
           "up).  CSV writes the seed's 26 columns and ignores other keys.\n"
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
           PTR_TIMEOUT_DEFAULT, LINE_MAX_BYTES, DEPTH_MAX, g_get_user_data_dir(), CAMTRACE_DATADIR);
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
            if (*optarg == '\0') {
                fprintf(stderr, "camtrace: %s needs a file name or -\n",
                        ch == OPT_IN ? "--in" : "--out");
                usage_hint();
                return EXIT_USAGE;
            }
            *(ch == OPT_IN ? &opt->in_path : &opt->out_path) = optarg;
            break;
        case OPT_CSV:
            opt->csv = true;
            break;
        case OPT_NO_PTR:
            opt->no_ptr = true;
            break;
        case OPT_TIMEOUT:
            if (!g_ascii_string_to_unsigned(optarg, 10, 1, 600000, &ms, NULL)) {
                fprintf(stderr,
                        "camtrace: --ptr-timeout: '%s' is not a number of milliseconds "
                        "from 1 to 600000\n",
                        optarg);
                usage_hint();
                return EXIT_USAGE;
            }
            opt->ptr_timeout_ms = (guint)ms;
            break;
        case 'h':
            print_help();
            return EXIT_SUCCESS;
        case OPT_VERSION:
            return print_version();
        case ':':
            fprintf(stderr, "camtrace: option '%s' needs an argument\n", argv[optind - 1]);
            usage_hint();
            return EXIT_USAGE;
        default:
            fprintf(stderr, "camtrace: unknown option '%s'\n", argv[optind - 1]);
            usage_hint();
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "camtrace: unexpected argument '%s'\n", argv[optind]);
        usage_hint();
        return EXIT_USAGE;
    }
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
        warn("ENRICH_IPS=\"%s\" is not a boolean (use 1/0, true/false); enrichment stays off",
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
        warn("%s; the %s columns stay empty", error->message, columns[kind]);
        g_error_free(error);
    } else if ((stale = ct_config_db_stale(geo, kind, g_get_real_time() / G_USEC_PER_SEC))) {
        warn("%s", stale);
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
    ct_ptr_options opts = {servers, c->opt.ptr_timeout_ms, 0};
    GError *error = NULL;

    c->ptr = ct_ptr_new(&opts, &error);
    g_free(servers);
    if (c->ptr == NULL) {
        warn("reverse DNS off: %s", error->message);
        g_error_free(error);
        return;
    }
    c->ptr_servers = g_strdup(ct_ptr_servers(c->ptr));
    /* The questions reveal the records' addresses to these servers. */
    fprintf(stderr,
            "camtrace: reverse DNS: asking %s (%s) for the names of the records' addresses; "
            "--no-ptr turns it off\n",
            c->ptr_servers,
            source == CT_SOURCE_ENVIRONMENT ? "DNS_RESOLVER"
            : source == CT_SOURCE_DOTENV    ? "DNS_RESOLVER in .env"
                                            : "resolv.conf");
}

/* ---- input ----------------------------------------------------------- */

static void
reader_init(reader *r, int fd)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    /* Room for the longest line (plus CR and LF) and a full read. */
    r->cap = LINE_MAX_BYTES + 2 + READ_CHUNK;
    r->buf = g_malloc(r->cap);
}

/* The next line without its LF: 1, with *too_long set when it was longer
 * than any line we keep (its text is then not returned); 0 at the end;
 * -1 on a read error (errno). */
static int
reader_next(reader *r, const char **line, size_t *len, bool *too_long)
{
    for (;;) {
        char *nl = memchr(r->buf + r->scanned, '\n', r->end - r->scanned);
        ssize_t n;

        if (nl != NULL) {
            *line = r->buf + r->start;
            *len = (size_t)(nl - *line);
            *too_long = r->skipping;
            r->skipping = false;
            r->start = r->scanned = (size_t)(nl + 1 - r->buf);
            return 1;
        }
        r->scanned = r->end;
        if (r->end - r->start > LINE_MAX_BYTES + 1) {
            /* Too long even if it ends in CR: drop it as it streams by. */
            r->skipping = true;
            r->start = r->scanned = r->end = 0;
        }
        if (r->eof) {
            if (r->end == r->start && !r->skipping)
                return 0;
            /* A last line without LF. */
            *line = r->buf + r->start;
            *len = r->end - r->start;
            *too_long = r->skipping;
            r->skipping = false;
            r->start = r->scanned = r->end;
            return 1;
        }
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->scanned = r->end;
            r->start = 0;
        }
        n = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            r->eof = true;
        r->end += (size_t)n;
    }
}

/* ---- records --------------------------------------------------------- */

/* Which seed column, if any, a top-level key fills. */
static int
input_column(const ct_json_member *m)
{
    const char *k = m->key;

    switch (m->key_len) {
    case 2:
        return memcmp(k, "ts", 2) == 0 ? COL_TS : -1;
    case 4:
        return memcmp(k, "pkts", 4) == 0 ? COL_PKTS : -1;
    case 5:
        if (memcmp(k, "proto", 5) == 0)
            return COL_PROTO;
        return memcmp(k, "bytes", 5) == 0 ? COL_BYTES : -1;
    case 6:
        if (memcmp(k, "src_ip", 6) == 0)
            return COL_SRC_IP;
        return memcmp(k, "dst_ip", 6) == 0 ? COL_DST_IP : -1;
    case 8:
        if (memcmp(k, "src_port", 8) == 0)
            return COL_SRC_PORT;
        return memcmp(k, "dst_port", 8) == 0 ? COL_DST_PORT : -1;
    default:
        return -1;
    }
}

/* One of the 18 columns we append (src_ptr ... dst_longitude)? */
static bool
is_enrichment_key(const ct_json_member *m)
{
    if (m->key_len < 7 || (memcmp(m->key, "src_", 4) != 0 && memcmp(m->key, "dst_", 4) != 0))
        return false;
    for (int i = 9; i < 18; i++) {
        if (strcmp(m->key + 4, ct_out_seed_columns[i] + 4) == 0)
            return true;
    }
    return false;
}

/* Take the members of the last scan and find the seed's columns. */
static void
index_members(cli *c)
{
    c->members = ct_json_members(c->json, &c->n_members);
    for (int i = 0; i < INPUT_COLUMNS; i++)
        c->col[i] = -1;
    for (size_t i = 0; i < c->n_members; i++) {
        int col = input_column(&c->members[i]);
        if (col >= 0)
            c->col[col] = (int)i;
    }
}

static const ct_json_member *
column_member(cli *c, int col)
{
    return c->col[col] < 0 ? NULL : &c->members[c->col[col]];
}

/* Plain dotted-quad IPv4 (no leading zeros), most of any flow log,
 * without the two inet_pton() calls of ct_addr_parse(); everything else,
 * valid or not, is left to ct_addr_parse(), which has the final word. */
static bool
parse_ipv4(const char *s, size_t len, ct_addr *addr)
{
    const char *end = s + len;
    uint8_t bytes[4];

    for (int i = 0; i < 4; i++) {
        unsigned v = 0;
        const char *start = s;

        while (s < end && *s >= '0' && *s <= '9' && s - start < 3)
            v = v * 10 + (unsigned)(*s++ - '0');
        if (s == start || v > 255 || (start[0] == '0' && s - start > 1))
            return false;
        bytes[i] = (uint8_t)v;
        if (i < 3) {
            if (s == end || *s != '.')
                return false;
            s++;
        }
    }
    if (s != end)
        return false;
    ct_addr_from_ipv4(addr, bytes);
    return true;
}

static bool
read_address(cli *c, guint64 line_no, int col, ct_addr *addr)
{
    const char *name = ct_out_seed_columns[col];
    const ct_json_member *m = column_member(c, col);
    char shown[SHOW_MAX * 4 + 4];
    char text[CT_ADDR_STRLEN + 1];
    const char *s;
    size_t len;

    if (m == NULL) {
        reject(c, line_no, "no %s", name);
        return false;
    }
    if (m->type != CT_JSON_STRING) {
        static const char *const what[] = {
            [CT_JSON_NULL] = "null",      [CT_JSON_FALSE] = "false",
            [CT_JSON_TRUE] = "true",      [CT_JSON_NUMBER] = "a number",
            [CT_JSON_ARRAY] = "an array", [CT_JSON_OBJECT] = "an object",
        };
        reject(c, line_no, "%s is %s, not a string", name, what[m->type]);
        return false;
    }
    if (m->value_escaped) {
        len = ct_json_decode_string(m->value, m->value_len, c->scratch);
        s = c->scratch;
    } else {
        len = m->value_len - 2;
        s = m->value + 1;
    }
    if (parse_ipv4(s, len, addr))
        return true;
    /* ct_addr_parse reads a C string: a NUL inside must not cut it short. */
    if (len < sizeof text && memchr(s, '\0', len) == NULL) {
        memcpy(text, s, len);
        text[len] = '\0';
        if (ct_addr_parse(text, addr))
            return true;
    }
    reject(c, line_no, "%s \"%s\" is not an IP address", name, show(shown, s, len));
    return false;
}

/* Validate a line; on success c->json holds its members and c->col their
 * columns. */
static bool
check_record(cli *c, guint64 line_no, const char *line, size_t len, ct_addr *src, ct_addr *dst)
{
    const ct_json_member *m;

    if (ct_json_scan(c->json, line, len) != CT_OK) {
        reject(c, line_no, "invalid JSON at byte %zu: %s", ct_json_error_offset(c->json) + 1,
               ct_json_reason(c->json));
        return false;
    }
    index_members(c);
    m = c->members;
    for (size_t i = 0; i < c->n_members; i++) {
        /* Output keys are C strings and must be written unchanged: a key
         * with a control character (only possible through an escape) would
         * be altered or cut, so the line is refused instead. */
        if (m[i].key_escaped) {
            for (size_t k = 0; k < m[i].key_len; k++) {
                if ((unsigned char)m[i].key[k] < 0x20) {
                    char shown[SHOW_MAX * 4 + 4];
                    reject(c, line_no, "key \"%s\" has a control character",
                           show(shown, m[i].key, m[i].key_len));
                    return false;
                }
            }
        }
    }
    return read_address(c, line_no, COL_SRC_IP, src) && read_address(c, line_no, COL_DST_IP, dst);
}

/* A CSV cell from a member, by the rule of ct_cells.h. */
static void
csv_cell(cli *c, int col)
{
    ct_cells_member(c->out, ct_out_seed_columns[col], column_member(c, col), c->scratch);
}

static const char *
ptr_name(cli *c, const ct_host *host, char name[CT_DNS_NAME_MAX + 1])
{
    if (c->ptr == NULL || host == NULL || host->scope != CT_SCOPE_GLOBAL)
        return NULL;
    return ct_ptr_get(c->ptr, &host->addr, name, NULL) == CT_PTR_FOUND ? name : NULL;
}

/* An entry for host (NULL: enrichment off) with both sides rendered. */
static host_entry *
host_entry_new(ct_out_format format, const ct_addr *addr, const ct_host *host)
{
    size_t len[2];
    char *text[2];
    host_entry *h;

    text[0] = ct_out_host_render(format, CT_OUT_SRC, host, NULL, &len[0]);
    /* CSV has no names: both sides are the same text. */
    text[1] =
        format == CT_OUT_CSV ? NULL : ct_out_host_render(format, CT_OUT_DST, host, NULL, &len[1]);
    if (format == CT_OUT_CSV)
        len[1] = 0;
    h = g_malloc(sizeof *h + len[0] + len[1] + 2);
    h->addr = *addr;
    h->host = host;
    memcpy(h->text, text[0], len[0] + 1);
    if (len[1] > 0)
        memcpy(h->text + len[0] + 1, text[1], len[1]);
    h->text[len[0] + 1 + len[1]] = '\0';
    h->cells[0] = h->text;
    h->len[0] = len[0];
    h->cells[1] = format == CT_OUT_CSV ? h->text : h->text + len[0] + 1;
    h->len[1] = format == CT_OUT_CSV ? len[0] : len[1];
    g_free(text[0]);
    g_free(text[1]);
    return h;
}

static uint32_t
host_hash(const ct_addr *addr)
{
    /* Fibonacci hashing spreads FNV's low bits, which index the table. */
    return ct_addr_hash(addr) * 2654435769u;
}

static void
host_table_init(host_table *t)
{
    t->mask = 4096 - 1;
    t->slots = g_new0(host_slot, t->mask + 1);
    t->entries = g_ptr_array_new_with_free_func(g_free);
}

static void
host_table_clear(host_table *t)
{
    memset(t->slots, 0, (t->mask + 1) * sizeof *t->slots);
    g_ptr_array_set_size(t->entries, 0);
}

static void
host_table_destroy(host_table *t)
{
    g_free(t->slots);
    if (t->entries != NULL)
        g_ptr_array_free(t->entries, TRUE);
}

static void
host_table_put(host_table *t, uint32_t hash, uint32_t index)
{
    size_t i = hash >> 8 & t->mask;

    while (t->slots[i].index != 0)
        i = (i + 1) & t->mask;
    t->slots[i].hash = hash;
    t->slots[i].index = index + 1;
}

static void
host_table_grow(host_table *t)
{
    g_free(t->slots);
    t->mask = t->mask * 2 + 1;
    t->slots = g_new0(host_slot, t->mask + 1);
    for (guint i = 0; i < t->entries->len; i++) {
        host_entry *h = g_ptr_array_index(t->entries, i);
        host_table_put(t, host_hash(&h->addr), i);
    }
}

/* The entry whose hash matches, not yet compared, with its first lines
 * on their way into the cache: the caller does other work meanwhile. */
static host_entry *
host_candidate(cli *c, uint32_t hash)
{
    host_table *t = &c->hosts;

    if (c->enricher == NULL)
        return NULL;
    for (size_t i = hash >> 8 & t->mask; t->slots[i].index != 0; i = (i + 1) & t->mask) {
        if (t->slots[i].hash == hash) {
            host_entry *h = g_ptr_array_index(t->entries, t->slots[i].index - 1);
            __builtin_prefetch(h);
            __builtin_prefetch((const char *)h + 64);
            __builtin_prefetch((const char *)h + 128);
            return h;
        }
    }
    return NULL;
}

static host_entry *
lookup_host(cli *c, const ct_addr *addr, uint32_t hash, host_entry *candidate)
{
    host_table *t = &c->hosts;
    host_entry *h;

    if (c->enricher == NULL)
        return c->no_host;
    if (candidate != NULL && ct_addr_equal(&candidate->addr, addr))
        return candidate;
    for (size_t i = hash >> 8 & t->mask; t->slots[i].index != 0; i = (i + 1) & t->mask) {
        if (t->slots[i].hash == hash) {
            h = g_ptr_array_index(t->entries, t->slots[i].index - 1);
            if (ct_addr_equal(&h->addr, addr))
                return h;
        }
    }
    h = host_entry_new(ct_out_get_format(c->out), addr, ct_enricher_host(c->enricher, addr));
    g_ptr_array_add(t->entries, h);
    if (t->entries->len * 2 > t->mask + 1)
        host_table_grow(t);
    else
        host_table_put(t, hash, t->entries->len - 1);
    return h;
}

/* A side's nine cells.  With a PTR name they are written afresh (the DNS
 * round trips cost far more); without, from the rendered copy. */
static void
write_host(cli *c, ct_out_side side, host_entry *h)
{
    char name[CT_DNS_NAME_MAX + 1];
    const char *ptr = ptr_name(c, h->host, name);

    if (ptr != NULL)
        ct_out_host(c->out, side, h->host, ptr);
    else
        ct_out_rendered(c->out, h->cells[side], h->len[side]);
}

/* Write the record whose members c->json holds. */
static void
write_record(cli *c, const ct_addr *src, const ct_addr *dst)
{
    /* The two hosts are found in a table too big for the nearest caches:
     * ask for both entries first and write the input cells while they
     * arrive. */
    uint32_t src_hash = host_hash(src), dst_hash = host_hash(dst);
    host_entry *src_candidate = host_candidate(c, src_hash);
    host_entry *dst_candidate = host_candidate(c, dst_hash);

    ct_out_begin(c->out);
    if (c->opt.csv) {
        for (int col = 0; col < INPUT_COLUMNS; col++)
            csv_cell(c, col);
    } else {
        const ct_json_member *m = c->members;

        for (size_t i = 0; i < c->n_members; i++) {
            if (!is_enrichment_key(&m[i]))
                ct_out_json_value(c->out, m[i].key, m[i].value, m[i].value_len);
        }
    }
    write_host(c, CT_OUT_SRC, lookup_host(c, src, src_hash, src_candidate));
    write_host(c, CT_OUT_DST, lookup_host(c, dst, dst_hash, dst_candidate));
    ct_out_end(c->out);
    c->written++;
}

static void
trim_caches(cli *c)
{
    c->since_trim = 0;
    if (c->enricher == NULL)
        return;
    ct_enricher_trim(c->enricher, MAX_HOSTS);
    /* Our entries point into the enricher's. */
    if (ct_enricher_size(c->enricher) == 0)
        host_table_clear(&c->hosts);
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
    if (!c->ptr_dead_warned && ct_ptr_resolver_dead(c->ptr)) {
        c->ptr_dead_warned = true;
        warn("reverse DNS: %s did not answer %d questions in a row; PTR names stay empty for "
             "the rest of this run",
             c->ptr_servers, CT_PTR_DEAD_AFTER);
    }
}

static void
flush_batch(cli *c)
{
    ct_ptr_stats stats;

    if (c->batch->len == 0)
        return;
    wait_for_names(c);
    for (guint i = 0; i < c->batch->len; i++) {
        batch_record *r = &g_array_index(c->batch, batch_record, i);

        /* The same bytes passed this scan when they were read. */
        if (ct_json_scan(c->json, (const char *)c->arena->data + r->offset, r->len) != CT_OK) {
            reject(c, r->line_no, "internal error: %s", ct_json_reason(c->json));
            continue;
        }
        index_members(c);
        write_record(c, &r->src, &r->dst);
    }
    g_array_set_size(c->batch, 0);
    g_array_set_size(c->lookups, 0);
    g_byte_array_set_size(c->arena, 0);
    trim_caches(c);
    /* Keep ct_ptr's memory bounded too; a dead resolver stays dead. */
    ct_ptr_get_stats(c->ptr, &stats);
    if (stats.sent - c->ptr_sent_at_clear > PTR_FORGET_AFTER && !ct_ptr_resolver_dead(c->ptr)) {
        ct_ptr_clear(c->ptr);
        c->ptr_sent_at_clear = stats.sent;
    }
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

    if (!check_record(c, line_no, line, len, &r.src, &r.dst))
        return;
    if (c->ptr == NULL) {
        write_record(c, &r.src, &r.dst);
        if (++c->since_trim == BATCH_RECORDS)
            trim_caches(c);
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

    reader_init(&r, fd);
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
        fprintf(stderr, "camtrace: cannot read %s: %s\n", c->in_name, g_strerror(errno));
    if (c->ptr != NULL)
        flush_batch(c);
    g_free(r.buf);
    return rc == 0;
}

/* ---- main ------------------------------------------------------------ */

static bool
is_stdio(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0;
}

static int
open_input(const options *opt, const char **name)
{
    struct stat st;
    int fd;

    if (is_stdio(opt->in_path)) {
        *name = "<stdin>";
        return STDIN_FILENO;
    }
    *name = opt->in_path;
    fd = open(opt->in_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "camtrace: cannot read %s: %s\n", opt->in_path, g_strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "camtrace: cannot read %s: %s\n", opt->in_path, g_strerror(EISDIR));
        close(fd);
        return -1;
    }
    return fd;
}

static FILE *
open_output(const options *opt, int in_fd)
{
    struct stat in_st, out_st;
    FILE *stream;

    if (is_stdio(opt->out_path))
        return stdout;
    /* Opening for writing truncates: never do that to the input. */
    if (fstat(in_fd, &in_st) == 0 && stat(opt->out_path, &out_st) == 0 && S_ISREG(out_st.st_mode) &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
        fprintf(stderr, "camtrace: cannot write %s: it is the input file\n", opt->out_path);
        return NULL;
    }
    stream = fopen(opt->out_path, "w");
    if (stream == NULL)
        fprintf(stderr, "camtrace: cannot write %s: %s\n", opt->out_path, g_strerror(errno));
    return stream;
}

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
    in_fd = open_input(&c.opt, &c.in_name);
    if (in_fd < 0)
        return EXIT_USAGE;
    stream = open_output(&c.opt, in_fd);
    if (stream == NULL)
        return EXIT_USAGE;

    if (enrichment_wanted(&c.opt)) {
        c.enricher = ct_enricher_new();
        host_table_init(&c.hosts);
        open_database(ct_enricher_geo(c.enricher), CT_GEO_DB_ASN);
        open_database(ct_enricher_geo(c.enricher), CT_GEO_DB_CITY);
        if (!c.opt.no_ptr)
            start_resolver(&c);
    }
    c.json = ct_json_new(LINE_MAX_BYTES, DEPTH_MAX);
    c.scratch = g_malloc(LINE_MAX_BYTES + 1);
    c.arena = g_byte_array_new();
    c.batch = g_array_new(FALSE, FALSE, sizeof(batch_record));
    c.lookups = g_array_new(FALSE, FALSE, sizeof(ct_addr));
    c.out = ct_out_new(c.opt.csv ? CT_OUT_CSV : CT_OUT_JSONL, stream);
    if (c.enricher == NULL) {
        ct_addr none = {0};
        c.no_host = host_entry_new(ct_out_get_format(c.out), &none, NULL);
    }
    ct_out_header(c.out, ct_out_seed_columns, CT_OUT_SEED_COLUMNS);

    read_ok = process_input(&c, in_fd);

    write_ok = ct_out_finish(c.out, &error);
    if (stream != stdout && fclose(stream) != 0 && write_ok) {
        g_set_error(&error, CT_ERROR, CT_ERR_UNREADABLE, "cannot write the output: %s",
                    g_strerror(errno));
        write_ok = false;
    }
    if (!write_ok) {
        fprintf(stderr, "camtrace: %s: %s\n",
                is_stdio(c.opt.out_path) ? "<stdout>" : c.opt.out_path, error->message);
        g_error_free(error);
    }
    fprintf(stderr,
            "camtrace: %" G_GUINT64_FORMAT " %s read, %" G_GUINT64_FORMAT
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
    host_table_destroy(&c.hosts);
    g_free(c.no_host);
    ct_enricher_free(c.enricher);
    ct_json_free(c.json);
    g_free(c.ptr_servers);
    g_free(c.scratch);
    g_byte_array_free(c.arena, TRUE);
    g_array_free(c.batch, TRUE);
    g_array_free(c.lookups, TRUE);
    return status;
}
