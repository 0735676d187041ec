/* ct-dnsd - a small DNS server for CamTrace's tests and benchmarks.
 *
 *   ct-dnsd --port N [--bind ADDR] [--zone FILE] [--delay-ms MS]
 *           [--synthesize] [--pidfile FILE] [--log FILE [--log-pending]]
 *
 * Answers PTR questions over UDP on loopback, as told by a zone file, and
 * can misbehave on purpose: delays, silence, garbage, truncation, wrong
 * query IDs, floods of replies, CNAME chains, many PTR records, hostile
 * names.  One zone line per address:
 *
 *   ADDRESS NAME [NAME...]        one PTR record per NAME
 *   ADDRESS !nxdomain | !servfail | !refused | !silent | !garbage
 *   ADDRESS !truncated NAME       the answer cut in the middle
 *   ADDRESS !wrongid NAME         the answer with another query ID, only
 *   ADDRESS !flood N NAME         N answers with wrong IDs, then the real one
 *   ADDRESS !cname NAME           a CNAME to NAME.cname.test, PTR there
 *   ADDRESS !delay MS NAME        answer after MS milliseconds
 *
 * NAME may contain \DDD (decimal) and \xHH escapes for arbitrary bytes;
 * "." separates labels.  ADDRESS "*" sets the behaviour for addresses not
 * listed; without it they get NXDOMAIN, or with --synthesize the name
 * "host-A-B-C-D.bench.test" (benchmarks).
 * --delay-ms delays every answer.  With --port 0 the server picks a free
 * port and prints it on stdout.  --log appends each question's name to
 * FILE; with --log-pending, followed by a tab and the number of delayed
 * answers not yet sent when the question came (how many questions a
 * client has in flight).  It stops on SIGTERM/SIGINT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSG 4096
#define MAX_NAMES 64
#define MAX_ZONE 4096

typedef enum {
    ACT_NAMES,
    ACT_NXDOMAIN,
    ACT_SERVFAIL,
    ACT_REFUSED,
    ACT_SILENT,
    ACT_GARBAGE,
    ACT_TRUNCATED,
    ACT_WRONGID,
    ACT_FLOOD,
    ACT_CNAME,
} action;

typedef struct {
    char qname[80]; /* reverse name, lower case */
    action act;
    int arg;      /* flood count or delay */
    int delay_ms; /* extra delay */
    int nnames;
    char *names[MAX_NAMES]; /* wire format, zero-terminated by a 0 label */
    size_t name_len[MAX_NAMES];
} zone_entry;

typedef struct pending_reply {
    struct timespec due;
    struct sockaddr_storage peer;
    socklen_t peer_len;
    size_t len;
    unsigned char msg[MAX_MSG];
    struct pending_reply *next;
} pending_reply;

static zone_entry zone[MAX_ZONE];
static int zone_len;
static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void
die(const char *what)
{
    fprintf(stderr, "ct-dnsd: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* "a.b\.c\001" -> wire labels. */
static char *
name_to_wire(const char *text, size_t *len)
{
    unsigned char buf[1024];
    size_t out = 0, label_at = 0;
    unsigned char *wire;

    buf[out++] = 0;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            buf[label_at] = (unsigned char)(out - label_at - 1);
            label_at = out;
            buf[out++] = 0;
            continue;
        }
        if (c == '\\' && p[1] == 'x' && p[2] && p[3]) {
            char hex[3] = {p[2], p[3], 0};
            c = (unsigned char)strtoul(hex, NULL, 16);
            p += 3;
        } else if (c == '\\' && p[1] >= '0' && p[1] <= '9') {
            char dec[4] = {p[1], p[2], p[3], 0};
            c = (unsigned char)strtoul(dec, NULL, 10);
            p += 3;
        } else if (c == '\\' && p[1]) {
            c = (unsigned char)*++p;
        }
        if (out >= sizeof buf - 2)
            break;
        buf[out++] = c;
    }
    buf[label_at] = (unsigned char)(out - label_at - 1);
    if (buf[label_at] != 0)
        buf[out++] = 0;
    wire = malloc(out);
    memcpy(wire, buf, out);
    *len = out;
    return (char *)wire;
}

static void
reverse_name(const char *addr_text, char *out, size_t outlen)
{
    unsigned char b[16];
    static const char hex[] = "0123456789abcdef";

    if (inet_pton(AF_INET, addr_text, b) == 1) {
        snprintf(out, outlen, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
    } else if (inet_pton(AF_INET6, addr_text, b) == 1) {
        char *p = out;
        for (int i = 15; i >= 0; i--) {
            *p++ = hex[b[i] & 0xf];
            *p++ = '.';
            *p++ = hex[b[i] >> 4];
            *p++ = '.';
        }
        strcpy(p, "ip6.arpa");
    } else {
        fprintf(stderr, "ct-dnsd: bad address in zone: %s\n", addr_text);
        exit(1);
    }
}

static void
load_zone(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];

    if (f == NULL)
        die(path);
    while (fgets(line, sizeof line, f) && zone_len < MAX_ZONE) {
        char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
        zone_entry *z = &zone[zone_len];
        if (tok == NULL || tok[0] == '#')
            continue;
        memset(z, 0, sizeof *z);
        if (strcmp(tok, "*") == 0)
            strcpy(z->qname, "*");
        else
            reverse_name(tok, z->qname, sizeof z->qname);
        z->act = ACT_NAMES;
        while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
            if (strcmp(tok, "!nxdomain") == 0)
                z->act = ACT_NXDOMAIN;
            else if (strcmp(tok, "!servfail") == 0)
                z->act = ACT_SERVFAIL;
            else if (strcmp(tok, "!refused") == 0)
                z->act = ACT_REFUSED;
            else if (strcmp(tok, "!silent") == 0)
                z->act = ACT_SILENT;
            else if (strcmp(tok, "!garbage") == 0)
                z->act = ACT_GARBAGE;
            else if (strcmp(tok, "!truncated") == 0)
                z->act = ACT_TRUNCATED;
            else if (strcmp(tok, "!wrongid") == 0)
                z->act = ACT_WRONGID;
            else if (strcmp(tok, "!cname") == 0)
                z->act = ACT_CNAME;
            else if (strcmp(tok, "!flood") == 0 || strcmp(tok, "!delay") == 0) {
                char *n = strtok_r(NULL, " \t\r\n", &save);
                int v = n ? atoi(n) : 0;
                if (tok[1] == 'f') {
                    z->act = ACT_FLOOD;
                    z->arg = v;
                } else {
                    z->delay_ms = v;
                }
            } else if (z->nnames < MAX_NAMES) {
                z->names[z->nnames] = name_to_wire(tok, &z->name_len[z->nnames]);
                z->nnames++;
            }
        }
        zone_len++;
    }
    fclose(f);
}

/* Read the question name as lower-case text; returns offset after QCLASS. */
static size_t
read_question(const unsigned char *msg, size_t len, char *qname, size_t qmax)
{
    size_t off = 12, out = 0;

    while (off < len && msg[off] != 0) {
        size_t l = msg[off];
        if (l > 63 || off + 1 + l > len || out + l + 2 > qmax)
            return 0;
        if (out > 0)
            qname[out++] = '.';
        for (size_t i = 0; i < l; i++) {
            unsigned char c = msg[off + 1 + i];
            qname[out++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        }
        off += 1 + l;
    }
    qname[out] = '\0';
    off += 1 + 4;
    return off <= len ? off : 0;
}

static size_t
put_rr(unsigned char *out, size_t at, const unsigned char *owner, size_t owner_len, int type,
       const char *rdata, size_t rdlen)
{
    if (at + owner_len + 10 + rdlen > MAX_MSG)
        return at;
    memcpy(out + at, owner, owner_len);
    at += owner_len;
    out[at++] = 0;
    out[at++] = (unsigned char)type;
    out[at++] = 0;
    out[at++] = 1; /* IN */
    out[at++] = 0;
    out[at++] = 0;
    out[at++] = 0x0e;
    out[at++] = 0x10; /* TTL 3600 */
    out[at++] = (unsigned char)(rdlen >> 8);
    out[at++] = (unsigned char)rdlen;
    memcpy(out + at, rdata, rdlen);
    return at + rdlen;
}

static long
now_ms(struct timespec *ts)
{
    return ts->tv_sec * 1000L + ts->tv_nsec / 1000000L;
}

int
main(int argc, char **argv)
{
    const char *bind_addr = "127.0.0.1", *zone_path = NULL, *pidfile = NULL;
    FILE *log = NULL;
    int log_pending = 0;
    int port = 0, delay_ms = 0, fd;
    bool synthesize = false;
    pending_reply *queue = NULL;
    struct sigaction sa;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
            port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--bind") == 0 && i + 1 < argc)
            bind_addr = argv[++i];
        else if (strcmp(argv[i], "--zone") == 0 && i + 1 < argc)
            zone_path = argv[++i];
        else if (strcmp(argv[i], "--delay-ms") == 0 && i + 1 < argc)
            delay_ms = atoi(argv[++i]);
        else if (strcmp(argv[i], "--pidfile") == 0 && i + 1 < argc)
            pidfile = argv[++i];
        else if (strcmp(argv[i], "--log-pending") == 0)
            log_pending = 1;
        else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
            if ((log = fopen(argv[++i], "a")) == NULL)
                die(argv[i]);
        } else if (strcmp(argv[i], "--synthesize") == 0)
            synthesize = true;
        else {
            fprintf(
                stderr,
                "usage: ct-dnsd --port N [--bind ADDR] [--zone FILE] "
                "[--delay-ms MS] [--synthesize] [--pidfile FILE] [--log FILE [--log-pending]]\n");
            return 2;
        }
    }
    if (port < 0 || port > 65535)
        return fprintf(stderr, "ct-dnsd: bad --port\n"), 2;
    if (zone_path)
        load_zone(zone_path);

    struct sockaddr_storage ss;
    socklen_t sslen;
    memset(&ss, 0, sizeof ss);
    if (strchr(bind_addr, ':')) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        inet_pton(AF_INET6, bind_addr, &s6->sin6_addr);
        sslen = sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, bind_addr, &s4->sin_addr);
        sslen = sizeof *s4;
    }
    fd = socket(ss.ss_family, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sslen) < 0)
        die("bind");
    if (port == 0) {
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        getsockname(fd, (struct sockaddr *)&bound, &blen);
        port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                 : ((struct sockaddr_in *)&bound)->sin_port);
        printf("%d\n", port);
        fflush(stdout);
    }
    if (pidfile) {
        FILE *pf = fopen(pidfile, "w");
        if (pf == NULL)
            die(pidfile);
        fprintf(pf, "%d\n", (int)getpid());
        fclose(pf);
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    srand(1);

    while (!stopping) {
        struct timespec now;
        struct pollfd pfd = {fd, POLLIN, 0};
        int timeout = 1000;

        clock_gettime(CLOCK_MONOTONIC, &now);
        while (queue && now_ms(&queue->due) <= now_ms(&now)) {
            pending_reply *r = queue;
            queue = r->next;
            sendto(fd, r->msg, r->len, 0, (struct sockaddr *)&r->peer, r->peer_len);
            free(r);
        }
        if (queue)
            timeout = (int)(now_ms(&queue->due) - now_ms(&now));
        if (poll(&pfd, 1, timeout) <= 0)
            continue;

        unsigned char in[MAX_MSG], out[MAX_MSG];
        struct sockaddr_storage peer;
        socklen_t peer_len = sizeof peer;
        ssize_t n = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&peer, &peer_len);
        char qname[300];
        size_t qend;
        if (n < 12 || (qend = read_question(in, (size_t)n, qname, sizeof qname)) == 0)
            continue;

        if (log != NULL) {
            int waiting = 0;
            for (const pending_reply *r = queue; r != NULL; r = r->next)
                waiting++;
            if (log_pending)
                fprintf(log, "%s\t%d\n", qname, waiting);
            else
                fprintf(log, "%s\n", qname);
            fflush(log);
        }
        zone_entry *z = NULL, synth;
        for (int i = 0; i < zone_len && !z; i++) {
            if (strcmp(zone[i].qname, qname) == 0)
                z = &zone[i];
        }
        for (int i = 0; i < zone_len && !z; i++) {
            if (strcmp(zone[i].qname, "*") == 0)
                z = &zone[i];
        }
        if (z == NULL && synthesize) {
            unsigned a, b, c, d;
            char text[96];
            memset(&synth, 0, sizeof synth);
            if (strstr(qname, ".in-addr.arpa") &&
                sscanf(qname, "%u.%u.%u.%u.", &d, &c, &b, &a) == 4)
                snprintf(text, sizeof text, "host-%u-%u-%u-%u.bench.test", a, b, c, d);
            else /* the last 8 nibbles, reversed */
                snprintf(text, sizeof text, "host6-%.15s.bench.test", qname);
            synth.names[0] = name_to_wire(text, &synth.name_len[0]);
            synth.nnames = 1;
            z = &synth;
        }

        /* Header: same ID, QR, RD copied, RA, one question. */
        memcpy(out, in, qend);
        out[2] = (unsigned char)(0x80 | (in[2] & 0x01));
        out[3] = 0x80;
        out[4] = 0;
        out[5] = 1;
        memset(out + 6, 0, 6);
        size_t len = qend;
        int rcode = 0, ancount = 0;
        action act = z ? z->act : ACT_NXDOMAIN;
        unsigned char qptr[2] = {0xc0, 12};

        switch (act) {
        case ACT_SILENT:
            goto next;
        case ACT_NXDOMAIN:
            rcode = 3;
            break;
        case ACT_SERVFAIL:
            rcode = 2;
            break;
        case ACT_REFUSED:
            rcode = 5;
            break;
        case ACT_GARBAGE:
            len = 12 + (size_t)(rand() % 200);
            for (size_t i = 2; i < len; i++)
                out[i] = (unsigned char)rand();
            break;
        case ACT_CNAME: {
            size_t tlen;
            char target[400];
            snprintf(target, sizeof target, "%s.cname.test", qname);
            char *wire = name_to_wire(target, &tlen);
            len = put_rr(out, len, qptr, 2, 5, wire, tlen);
            /* owner of the PTR: the CNAME target, as a pointer to its rdata */
            unsigned char tptr[2] = {(unsigned char)(0xc0 | ((len - tlen) >> 8)),
                                     (unsigned char)(len - tlen)};
            free(wire);
            ancount++;
            for (int i = 0; i < z->nnames; i++, ancount++)
                len = put_rr(out, len, tptr, 2, 12, z->names[i], z->name_len[i]);
            break;
        }
        default:
            for (int i = 0; z && i < z->nnames; i++, ancount++)
                len = put_rr(out, len, qptr, 2, 12, z->names[i], z->name_len[i]);
            break;
        }
        if (act != ACT_GARBAGE) {
            out[3] = (unsigned char)(0x80 | rcode);
            out[6] = (unsigned char)(ancount >> 8);
            out[7] = (unsigned char)ancount;
        }
        if (act == ACT_TRUNCATED)
            len = qend + (len - qend) / 2;
        if (act == ACT_WRONGID || act == ACT_FLOOD) {
            int copies = act == ACT_FLOOD ? z->arg : 1;
            for (int i = 0; i < copies; i++) {
                unsigned char bad[MAX_MSG];
                memcpy(bad, out, len);
                bad[0] ^= 0x5a;
                bad[1] ^= (unsigned char)(i + 1);
                sendto(fd, bad, len, 0, (struct sockaddr *)&peer, peer_len);
            }
            if (act == ACT_WRONGID)
                goto next;
        }

        pending_reply *r = malloc(sizeof *r);
        clock_gettime(CLOCK_MONOTONIC, &r->due);
        long due = now_ms(&r->due) + delay_ms + (z ? z->delay_ms : 0);
        r->due.tv_sec = due / 1000;
        r->due.tv_nsec = (due % 1000) * 1000000L;
        r->peer = peer;
        r->peer_len = peer_len;
        r->len = len;
        memcpy(r->msg, out, len);
        r->next = NULL;
        /* Keep the queue sorted by due time. */
        pending_reply **pp = &queue;
        while (*pp && now_ms(&(*pp)->due) <= due)
            pp = &(*pp)->next;
        r->next = *pp;
        *pp = r;
    next:
        if (z == &synth)
            free(synth.names[0]);
    }
    close(fd);
    return 0;
}
