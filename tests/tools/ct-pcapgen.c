/*
 * ct-pcapgen.c - deterministic synthetic capture generator for CamTrace tests.
 *
 * Design note
 * -----------
 * CamTrace's tests and benchmarks need captures whose contents are known in
 * advance: which addresses appear, which packets carry nested IP headers and
 * which ones are ICMP errors quoting somebody else's header.  Real captures
 * cannot be shipped (they identify people) and drift over time, so this tool
 * writes them from fixed scripts ("sample", "names") or from a seeded model
 * ("bench").
 *
 * - libc plus libgcrypt, never libpcap or the Wireshark tree.  libgcrypt is
 *   there only for `names`: its QUIC Initial must be protected for real
 *   (RFC 9001 §5: HKDF over HMAC-SHA256, AES-128-GCM, AES-128-ECB header
 *   protection) or tshark cannot decrypt it and find the SNI inside, and
 *   hand-rolled AES-GCM would be more code to trust than the test it serves.
 *   Wireshark itself links libgcrypt, so every host that runs the tests has
 *   it; the other scenarios make no libgcrypt call.
 * - Classic pcap written field by field in little-endian order, so the same
 *   arguments give a byte-identical file on any host and tests can use cmp.
 * - splitmix64 instead of rand(): the same sequence on every libc.  Bench
 *   devices, remotes and traffic draw from separate streams so the remote set
 *   depends only on --remotes, --v6-percent and --seed, never on --packets;
 *   a --list-remotes file therefore fits every packet count.
 * - Every checksum is real (IPv4 header; TCP, UDP and ICMPv6 with their
 *   pseudo-header; ICMP): a plugin test must never be confused by tshark
 *   flagging the synthetic packets themselves.
 * - Frames are assembled in a fixed-size buffer through a bounds-checked
 *   writer.  Nesting (ICMP errors, 6in4) works by opening an inner IP header
 *   inside the outer one and closing the inner one first, so each length and
 *   checksum covers exactly the bytes that follow it.
 * - Bench payloads are slices of one pre-generated random pool: cheap, and
 *   indistinguishable from the ciphertext that TLS and QUIC carry anyway.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <gcrypt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MS(x) (1000u * (uint64_t)(x))

enum {
    ETH_HLEN = 14,
    ETH_MIN = 60, /* shortest frame on the wire, FCS excluded */
    MTU = 1500,
    FRAME_CAP = ETH_HLEN + MTU, /* no frame may exceed one Ethernet MTU */
    ETHERTYPE_IPV4 = 0x0800,
    ETHERTYPE_ARP = 0x0806,
    ETHERTYPE_IPV6 = 0x86dd,
};

/* Protocol numbers spelled out locally: <netinet/in.h> macros vary by libc. */
enum {
    P_ICMP = 1,
    P_TCP = 6,
    P_UDP = 17,
    P_IPV6 = 41,
    P_ICMPV6 = 58,
};

enum {
    TF_FIN = 0x01,
    TF_SYN = 0x02,
    TF_PSH = 0x08,
    TF_ACK = 0x10,
};

/*
 * Linux's ephemeral range 32768-60999, starting above the traceroute ports
 * 33434-33534 so replies to clients are not reported as traceroute probes.
 */
enum { EPHEMERAL_LO = 33535, EPHEMERAL_HI = 60999 };

/* 2026-01-15T10:00:00Z: a fixed epoch keeps the output reproducible. */
static const uint64_t BASE_TIME_US = UINT64_C(1768471200) * 1000000u;

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void
die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("ct-pcapgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* ------------------------------------------------------------------ */
/* PRNG                                                                */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t s;
} rng_t;

/* splitmix64: tiny, full-period, and good enough to look random in a capture. */
static uint64_t
rng_next(rng_t *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Independent stream per purpose, see the design note. */
static rng_t
rng_stream(uint64_t seed, uint64_t stream)
{
    rng_t r = {seed ^ (stream * UINT64_C(0xd1b54a32d192ed03))};

    rng_next(&r);
    return r;
}

/* Uniform in [0, n) by multiply-shift; the bias for n < 2^32 is negligible here. */
static uint32_t
rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static uint32_t
rng_range(rng_t *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static void
rng_fill(rng_t *r, uint8_t *p, size_t n)
{
    while (n > 0) {
        uint64_t v = rng_next(r);
        size_t k = n < 8 ? n : 8;

        memcpy(p, &v, k);
        p += k;
        n -= k;
    }
}

/* ------------------------------------------------------------------ */
/* Bounded packet writer                                               */
/* ------------------------------------------------------------------ */

typedef struct {
    uint8_t *p;
    size_t len;
    size_t cap;
} wbuf_t;

static wbuf_t
wb_init(uint8_t *p, size_t cap)
{
    return (wbuf_t){.p = p, .len = 0, .cap = cap};
}

/* Overflow here is a bug in a packet template, never bad input: stop loudly. */
static void
wb_need(const wbuf_t *b, size_t n)
{
    if (n > b->cap - b->len)
        die("internal error: packet larger than its %zu-byte buffer", b->cap);
}

static void
put8(wbuf_t *b, uint8_t v)
{
    wb_need(b, 1);
    b->p[b->len++] = v;
}

static void
put16(wbuf_t *b, uint16_t v)
{
    wb_need(b, 2);
    b->p[b->len++] = (uint8_t)(v >> 8);
    b->p[b->len++] = (uint8_t)v;
}

static void
put32(wbuf_t *b, uint32_t v)
{
    put16(b, (uint16_t)(v >> 16));
    put16(b, (uint16_t)v);
}

static void
putn(wbuf_t *b, const void *src, size_t n)
{
    wb_need(b, n);
    if (n > 0)
        memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void
putz(wbuf_t *b, size_t n)
{
    wb_need(b, n);
    memset(b->p + b->len, 0, n);
    b->len += n;
}

static void
putstr(wbuf_t *b, const char *s)
{
    putn(b, s, strlen(s));
}

static void
put_random(wbuf_t *b, rng_t *r, size_t n)
{
    wb_need(b, n);
    rng_fill(r, b->p + b->len, n);
    b->len += n;
}

static void
set16(wbuf_t *b, size_t off, uint16_t v)
{
    if (off > b->len || b->len - off < 2)
        die("internal error: patch outside packet");
    b->p[off] = (uint8_t)(v >> 8);
    b->p[off + 1] = (uint8_t)v;
}

/* Length-prefixed blocks (DNS rdata, TLS vectors): reserve, fill, then patch. */
static size_t
open16(wbuf_t *b)
{
    put16(b, 0);
    return b->len - 2;
}

static void
close16(wbuf_t *b, size_t off)
{
    size_t n = b->len - off - 2;

    if (n > 0xffff)
        die("internal error: block too long");
    set16(b, off, (uint16_t)n);
}

static size_t
open24(wbuf_t *b)
{
    put8(b, 0);
    put16(b, 0);
    return b->len - 3;
}

static void
close24(wbuf_t *b, size_t off)
{
    size_t n = b->len - off - 3;

    b->p[off] = (uint8_t)(n >> 16);
    set16(b, off + 1, (uint16_t)n);
}

/* ------------------------------------------------------------------ */
/* pcap output                                                         */
/* ------------------------------------------------------------------ */

typedef struct {
    FILE *f;
    const char *path;
    uint64_t packets;
} pcapw_t;

/* One large stdio buffer turns a million small records into few syscalls. */
static char pcap_iobuf[1 << 20];

static void
le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
    le16(p, (uint16_t)v);
    le16(p + 2, (uint16_t)(v >> 16));
}

static void
pcapw_open(pcapw_t *w, const char *path)
{
    uint8_t h[24];

    w->path = path;
    w->packets = 0;
    w->f = fopen(path, "wb");
    if (w->f == NULL)
        die("cannot create %s: %s", path, strerror(errno));
    if (setvbuf(w->f, pcap_iobuf, _IOFBF, sizeof pcap_iobuf) != 0)
        die("cannot buffer %s", path);
    le32(h, 0xa1b2c3d4); /* microsecond timestamps */
    le16(h + 4, 2);
    le16(h + 6, 4);
    le32(h + 8, 0);  /* thiszone */
    le32(h + 12, 0); /* sigfigs */
    le32(h + 16, 65535);
    le32(h + 20, 1); /* LINKTYPE_ETHERNET */
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h)
        die("cannot write %s: %s", path, strerror(errno));
}

static void
pcapw_put(pcapw_t *w, uint64_t ts_us, const uint8_t *data, size_t len)
{
    uint8_t h[16];

    le32(h, (uint32_t)(ts_us / 1000000u));
    le32(h + 4, (uint32_t)(ts_us % 1000000u));
    le32(h + 8, (uint32_t)len);
    le32(h + 12, (uint32_t)len);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h || fwrite(data, 1, len, w->f) != len)
        die("cannot write %s: %s", w->path, strerror(errno));
    w->packets++;
}

static void
pcapw_close(pcapw_t *w)
{
    if (fclose(w->f) != 0)
        die("cannot write %s: %s", w->path, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Addresses and paths                                                 */
/* ------------------------------------------------------------------ */

typedef struct {
    uint8_t fam; /* 4 or 6; IPv4 uses a[0..3] */
    uint8_t a[16];
} ipaddr_t;

static ipaddr_t
ip_parse(const char *s)
{
    ipaddr_t ip = {0};

    if (inet_pton(AF_INET, s, ip.a) == 1)
        ip.fam = 4;
    else if (inet_pton(AF_INET6, s, ip.a) == 1)
        ip.fam = 6;
    else
        die("internal error: bad address literal %s", s);
    return ip;
}

static size_t
ip_alen(const ipaddr_t *ip)
{
    return ip->fam == 4 ? 4 : 16;
}

/* fe80::/64 with a modified EUI-64 interface id, as SLAAC would derive it. */
static ipaddr_t
ll_from_mac(const uint8_t mac[6])
{
    ipaddr_t ip = {.fam = 6};

    ip.a[0] = 0xfe;
    ip.a[1] = 0x80;
    ip.a[8] = mac[0] ^ 0x02;
    ip.a[9] = mac[1];
    ip.a[10] = mac[2];
    ip.a[11] = 0xff;
    ip.a[12] = 0xfe;
    ip.a[13] = mac[3];
    ip.a[14] = mac[4];
    ip.a[15] = mac[5];
    return ip;
}

/* Group MAC for a multicast or broadcast destination (RFC 1112, RFC 2464). */
static void
mcast_mac(const ipaddr_t *ip, uint8_t mac[6])
{
    static const uint8_t bcast[4] = {255, 255, 255, 255};

    if (ip->fam == 4 && memcmp(ip->a, bcast, 4) == 0) {
        memset(mac, 0xff, 6);
    } else if (ip->fam == 4) {
        mac[0] = 0x01;
        mac[1] = 0x00;
        mac[2] = 0x5e;
        mac[3] = ip->a[1] & 0x7f;
        mac[4] = ip->a[2];
        mac[5] = ip->a[3];
    } else {
        mac[0] = 0x33;
        mac[1] = 0x33;
        memcpy(mac + 2, ip->a + 12, 4);
    }
}

/* One direction of an IP conversation as seen on the LAN segment. */
typedef struct {
    uint8_t smac[6], dmac[6];
    ipaddr_t src, dst;
    uint8_t ttl;
    uint32_t flow; /* IPv6 flow label */
} path_t;

/* Stable per-direction flow label, like Linux's hash of the endpoints. */
static uint32_t
flow_label(const ipaddr_t *src, const ipaddr_t *dst)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < 16; i++)
        h = (h ^ src->a[i]) * 16777619u;
    for (size_t i = 0; i < 16; i++)
        h = (h ^ dst->a[i]) * 16777619u;
    return (h ^ (h >> 20)) & 0xfffff;
}

static path_t
path_make(const uint8_t smac[6], const uint8_t dmac[6], const ipaddr_t *src, const ipaddr_t *dst,
          uint8_t ttl)
{
    path_t p;

    if (src->fam != dst->fam)
        die("internal error: mixed address families in one path");
    memcpy(p.smac, smac, 6);
    memcpy(p.dmac, dmac, 6);
    p.src = *src;
    p.dst = *dst;
    p.ttl = ttl;
    p.flow = src->fam == 6 ? flow_label(src, dst) : 0;
    return p;
}

static path_t
path_reverse(const path_t *p, uint8_t ttl)
{
    return path_make(p->dmac, p->smac, &p->dst, &p->src, ttl);
}

/* ------------------------------------------------------------------ */
/* Checksums and IP framing                                            */
/* ------------------------------------------------------------------ */

static uint64_t
csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
    size_t i = 0;

    for (; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        sum += (uint32_t)p[i] << 8;
    return sum;
}

static uint16_t
csum_fold(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void
eth_put(wbuf_t *b, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    putn(b, dst, 6);
    putn(b, src, 6);
    put16(b, type);
}

/* An IP header whose lengths and checksums are filled in by ip_close(). */
typedef struct {
    size_t ip_off, l4_off;
    uint8_t proto;
    uint16_t id;
    ipaddr_t src, dst;
} ipopen_t;

static void
ip_open(wbuf_t *b, ipopen_t *o, const path_t *p, uint8_t proto, uint16_t id)
{
    o->ip_off = b->len;
    o->proto = proto;
    o->id = id;
    o->src = p->src;
    o->dst = p->dst;
    if (p->src.fam == 4) {
        put8(b, 0x45);
        put8(b, 0);
        put16(b, 0); /* total length */
        put16(b, id);
        put16(b, 0x4000); /* DF, as hosts doing PMTU discovery send */
        put8(b, p->ttl);
        put8(b, proto);
        put16(b, 0); /* header checksum */
        putn(b, p->src.a, 4);
        putn(b, p->dst.a, 4);
    } else {
        put32(b, 0x60000000u | (p->flow & 0xfffff));
        put16(b, 0); /* payload length */
        put8(b, proto);
        put8(b, p->ttl);
        putn(b, p->src.a, 16);
        putn(b, p->dst.a, 16);
    }
    o->l4_off = b->len;
}

/* Fill lengths and checksums once everything after the header is in place. */
static void
ip_close(wbuf_t *b, const ipopen_t *o)
{
    size_t l4len = b->len - o->l4_off;
    uint64_t sum;
    size_t csum_off;
    uint16_t c;

    if (b->len - o->ip_off > 0xffff)
        die("internal error: IP packet too long");
    if (o->src.fam == 4) {
        set16(b, o->ip_off + 2, (uint16_t)(b->len - o->ip_off));
        set16(b, o->ip_off + 10, csum_fold(csum_add(0, b->p + o->ip_off, 20)));
    } else {
        set16(b, o->ip_off + 4, (uint16_t)l4len);
    }
    /* Pseudo-header: the IPv4 and IPv6 layouts sum to the same 16-bit words. */
    sum = csum_add(csum_add(0, o->src.a, ip_alen(&o->src)), o->dst.a, ip_alen(&o->dst));
    sum += o->proto + l4len;
    switch (o->proto) {
    case P_TCP:
        csum_off = 16;
        break;
    case P_UDP:
        set16(b, o->l4_off + 4, (uint16_t)l4len);
        csum_off = 6;
        break;
    case P_ICMP:
        sum = 0; /* ICMPv4 has no pseudo-header */
        csum_off = 2;
        break;
    case P_ICMPV6:
        csum_off = 2;
        break;
    default:
        return; /* tunnels: the inner packet carries its own checksums */
    }
    c = csum_fold(csum_add(sum, b->p + o->l4_off, l4len));
    if (o->proto == P_UDP && c == 0)
        c = 0xffff; /* 0 would mean "no checksum" */
    set16(b, o->l4_off + csum_off, c);
}

/* ------------------------------------------------------------------ */
/* Frame emission                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
    pcapw_t w;
    uint64_t now_us;
    uint16_t ipid;
    rng_t rng; /* sample only: payload bytes, ports, ids */
} gen_t;

typedef struct {
    uint8_t buf[FRAME_CAP];
    wbuf_t b;
    ipopen_t ip;
    size_t data_off; /* start of TCP payload, for sequence accounting */
} frame_t;

static void
emit(gen_t *g, wbuf_t *b, uint64_t gap_us)
{
    /* Frames arrive padded on the wire; capture them the same way. */
    if (b->len < ETH_MIN)
        putz(b, ETH_MIN - b->len);
    g->now_us += gap_us;
    pcapw_put(&g->w, g->now_us, b->p, b->len);
}

static wbuf_t *
frame_ip(gen_t *g, frame_t *f, const path_t *p, uint8_t proto)
{
    f->b = wb_init(f->buf, sizeof f->buf);
    eth_put(&f->b, p->dmac, p->smac, p->src.fam == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
    ip_open(&f->b, &f->ip, p, proto, g->ipid++);
    return &f->b;
}

static void
frame_send(gen_t *g, frame_t *f, uint64_t gap_us)
{
    ip_close(&f->b, &f->ip);
    emit(g, &f->b, gap_us);
}

static void
udp_put(wbuf_t *b, uint16_t sport, uint16_t dport)
{
    put16(b, sport);
    put16(b, dport);
    put16(b, 0); /* length, set by ip_close */
    put16(b, 0); /* checksum */
}

static wbuf_t *
frame_udp(gen_t *g, frame_t *f, const path_t *p, uint16_t sport, uint16_t dport)
{
    wbuf_t *b = frame_ip(g, f, p, P_UDP);

    udp_put(b, sport, dport);
    return b;
}

static void
send_udp(gen_t *g, const path_t *p, uint16_t sport, uint16_t dport, const uint8_t *data, size_t len,
         uint64_t gap_us)
{
    frame_t f;

    putn(frame_udp(g, &f, p, sport, dport), data, len);
    frame_send(g, &f, gap_us);
}

static void
icmp_put(wbuf_t *b, uint8_t type, uint8_t code)
{
    put8(b, type);
    put8(b, code);
    put16(b, 0); /* checksum */
}

/* ------------------------------------------------------------------ */
/* TCP                                                                 */
/* ------------------------------------------------------------------ */

/* Scaled windows after the handshake (client wscale 7, server wscale 8). */
enum { CLIENT_WIN = 502, SERVER_WIN = 1050 };

typedef struct {
    path_t c2s, s2c;
    uint16_t cport, sport;
    uint32_t cseq, sseq; /* next sequence number each side sends */
} tcpconn_t;

static void
tcp_conn_init(tcpconn_t *c, const path_t *c2s, uint8_t reply_ttl, uint16_t cport, uint16_t sport,
              rng_t *r)
{
    c->c2s = *c2s;
    c->s2c = path_reverse(c2s, reply_ttl);
    c->cport = cport;
    c->sport = sport;
    c->cseq = (uint32_t)rng_next(r);
    c->sseq = (uint32_t)rng_next(r);
}

static size_t
tcp_mss(const ipaddr_t *src)
{
    return src->fam == 4 ? MTU - 40 : MTU - 60;
}

static void
tcp_put(wbuf_t *b, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
        uint16_t win, const uint8_t *opt, size_t optlen)
{
    put16(b, sport);
    put16(b, dport);
    put32(b, seq);
    put32(b, ack);
    put8(b, (uint8_t)(((20 + optlen) / 4) << 4));
    put8(b, flags);
    put16(b, win);
    put16(b, 0); /* checksum */
    put16(b, 0); /* urgent pointer */
    putn(b, opt, optlen);
}

/* SYN options in the order Linux (client) and a typical CDN (server) send them. */
static void
tcp_put_syn(wbuf_t *b, bool server, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
            const ipaddr_t *src)
{
    uint16_t mss = (uint16_t)tcp_mss(src);
    const uint8_t cli[12] = {2, 4, (uint8_t)(mss >> 8), (uint8_t)mss, 1, 3, 3, 7, 1, 1, 4, 2};
    const uint8_t srv[12] = {2, 4, (uint8_t)(mss >> 8), (uint8_t)mss, 1, 1, 4, 2, 1, 3, 3, 8};

    if (server)
        tcp_put(b, sport, dport, seq, ack, TF_SYN | TF_ACK, 65535, srv, sizeof srv);
    else
        tcp_put(b, sport, dport, seq, 0, TF_SYN, 64240, cli, sizeof cli);
}

/* Start a segment; the caller appends payload, then calls tcp_end(). */
static wbuf_t *
tcp_begin(gen_t *g, frame_t *f, const tcpconn_t *c, bool server, uint8_t flags)
{
    const path_t *p = server ? &c->s2c : &c->c2s;
    uint16_t sp = server ? c->sport : c->cport;
    uint16_t dp = server ? c->cport : c->sport;
    uint32_t seq = server ? c->sseq : c->cseq;
    uint32_t ack = server ? c->cseq : c->sseq; /* everything the peer sent so far */
    wbuf_t *b = frame_ip(g, f, p, P_TCP);

    if (flags & TF_SYN)
        tcp_put_syn(b, server, sp, dp, seq, ack, &p->src);
    else
        tcp_put(b, sp, dp, seq, ack, flags, server ? SERVER_WIN : CLIENT_WIN, NULL, 0);
    f->data_off = b->len;
    return b;
}

static void
tcp_end(gen_t *g, frame_t *f, tcpconn_t *c, bool server, uint8_t flags, uint64_t gap_us)
{
    uint32_t *seq = server ? &c->sseq : &c->cseq;

    *seq += (uint32_t)(f->b.len - f->data_off) + ((flags & (TF_SYN | TF_FIN)) ? 1u : 0u);
    frame_send(g, f, gap_us);
}

static void
tcp_seg(gen_t *g, tcpconn_t *c, bool server, uint8_t flags, const uint8_t *data, size_t len,
        uint64_t gap_us)
{
    frame_t f;

    putn(tcp_begin(g, &f, c, server, flags), data, len);
    tcp_end(g, &f, c, server, flags, gap_us);
}

static void
tcp_handshake(gen_t *g, tcpconn_t *c, uint64_t gap_us, uint64_t rtt_us)
{
    tcp_seg(g, c, false, TF_SYN, NULL, 0, gap_us);
    tcp_seg(g, c, true, TF_SYN | TF_ACK, NULL, 0, rtt_us);
    tcp_seg(g, c, false, TF_ACK, NULL, 0, 60);
}

/* Client-initiated close: FIN, FIN+ACK, final ACK. */
static void
tcp_close(gen_t *g, tcpconn_t *c, uint64_t gap_us, uint64_t rtt_us)
{
    tcp_seg(g, c, false, TF_FIN | TF_ACK, NULL, 0, gap_us);
    tcp_seg(g, c, true, TF_FIN | TF_ACK, NULL, 0, rtt_us);
    tcp_seg(g, c, false, TF_ACK, NULL, 0, 70);
}

/* ------------------------------------------------------------------ */
/* Application payloads                                                */
/* ------------------------------------------------------------------ */

/* TLS record with a patched length; returns the length field's offset. */
static size_t
tls_rec_open(wbuf_t *b, uint8_t type, uint16_t version)
{
    put8(b, type);
    put16(b, version);
    return open16(b);
}

/*
 * A well-formed ClientHello handshake message, so tshark parses rather than
 * flags it.  Over TCP it offers TLS 1.3 and 1.2 with a 32-byte legacy session
 * id.  Inside QUIC (quic_tp != NULL) it is what RFC 9001 asks for: TLS 1.3
 * only, no session id (sid NULL), and the quic_transport_parameters
 * extension carrying quic_tp.
 */
static void
tls_client_hello_msg(wbuf_t *b, rng_t *r, const char *sni, const char *alpn, const uint8_t *sid,
                     const uint8_t *quic_tp, size_t quic_tp_len)
{
    static const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f,
                                      0xc02c, 0xc030, 0xcca9, 0xcca8};
    static const uint16_t sigalgs[] = {0x0403, 0x0804, 0x0401, 0x0503,
                                       0x0805, 0x0501, 0x0806, 0x0601};
    bool quic = quic_tp != NULL;
    size_t nsuites = quic ? 3 : ARRAY_LEN(suites); /* the TLS 1.3 ones come first */
    size_t hs, v, ext, e, l, n;

    put8(b, 1);
    hs = open24(b);
    put16(b, 0x0303);
    put_random(b, r, 32);
    put8(b, sid != NULL ? 32 : 0);
    if (sid != NULL)
        putn(b, sid, 32);
    v = open16(b);
    for (size_t i = 0; i < nsuites; i++)
        put16(b, suites[i]);
    close16(b, v);
    put8(b, 1); /* compression methods: null only */
    put8(b, 0);
    ext = open16(b);

    put16(b, 0x0000); /* server_name */
    e = open16(b);
    l = open16(b);
    put8(b, 0);
    n = open16(b);
    putstr(b, sni);
    close16(b, n);
    close16(b, l);
    close16(b, e);

    put16(b, 0x000a); /* supported_groups: x25519, secp256r1, secp384r1 */
    e = open16(b);
    l = open16(b);
    put16(b, 0x001d);
    put16(b, 0x0017);
    put16(b, 0x0018);
    close16(b, l);
    close16(b, e);

    put16(b, 0x000d); /* signature_algorithms */
    e = open16(b);
    l = open16(b);
    for (size_t i = 0; i < ARRAY_LEN(sigalgs); i++)
        put16(b, sigalgs[i]);
    close16(b, l);
    close16(b, e);

    if (alpn != NULL) {
        put16(b, 0x0010); /* application_layer_protocol_negotiation */
        e = open16(b);
        l = open16(b);
        put8(b, (uint8_t)strlen(alpn));
        putstr(b, alpn);
        close16(b, l);
        close16(b, e);
    }

    if (quic) {
        put16(b, 0x002b); /* supported_versions: TLS 1.3 */
        put16(b, 3);
        put8(b, 2);
        put16(b, 0x0304);
    } else {
        put16(b, 0x002b); /* supported_versions: TLS 1.3, 1.2 */
        put16(b, 5);
        put8(b, 4);
        put16(b, 0x0304);
        put16(b, 0x0303);
    }

    put16(b, 0x002d); /* psk_key_exchange_modes: psk_dhe_ke */
    put16(b, 2);
    put8(b, 1);
    put8(b, 1);

    put16(b, 0x0033); /* key_share: one x25519 share */
    e = open16(b);
    l = open16(b);
    put16(b, 0x001d);
    put16(b, 32);
    put_random(b, r, 32);
    close16(b, l);
    close16(b, e);

    if (quic) {
        put16(b, 0x0039); /* quic_transport_parameters (RFC 9001 §8.2) */
        e = open16(b);
        putn(b, quic_tp, quic_tp_len);
        close16(b, e);
    }

    close16(b, ext);
    close24(b, hs);
}

/* The ClientHello in a TLS record, as sent over TCP. */
static void
tls_client_hello(wbuf_t *b, rng_t *r, const char *sni, const char *alpn, const uint8_t sid[32])
{
    size_t rec = tls_rec_open(b, 0x16, 0x0301);

    tls_client_hello_msg(b, r, sni, alpn, sid, NULL, 0);
    close16(b, rec);
}

static void
tls_server_hello(wbuf_t *b, rng_t *r, const uint8_t sid[32])
{
    size_t rec = tls_rec_open(b, 0x16, 0x0303);
    size_t hs, ext;

    put8(b, 2);
    hs = open24(b);
    put16(b, 0x0303);
    put_random(b, r, 32);
    put8(b, 32);
    putn(b, sid, 32);
    put16(b, 0x1301); /* TLS_AES_128_GCM_SHA256 */
    put8(b, 0);
    ext = open16(b);
    put16(b, 0x002b); /* supported_versions: TLS 1.3 */
    put16(b, 2);
    put16(b, 0x0304);
    put16(b, 0x0033); /* key_share */
    put16(b, 36);
    put16(b, 0x001d);
    put16(b, 32);
    put_random(b, r, 32);
    close16(b, ext);
    close24(b, hs);
    close16(b, rec);
}

/* TLS 1.3 middlebox-compatibility ChangeCipherSpec. */
static void
tls_ccs(wbuf_t *b)
{
    static const uint8_t ccs[] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};

    putn(b, ccs, sizeof ccs);
}

static void
tls_appdata(wbuf_t *b, rng_t *r, size_t len)
{
    size_t rec = tls_rec_open(b, 0x17, 0x0303);

    put_random(b, r, len);
    close16(b, rec);
}

/* Encode a dotted name as DNS labels; names here are literals or generated. */
static void
dns_name(wbuf_t *b, const char *name)
{
    const char *s = name;

    while (*s != '\0') {
        size_t n = strcspn(s, ".");

        if (n == 0 || n > 63)
            die("internal error: bad DNS name %s", name);
        put8(b, (uint8_t)n);
        putn(b, s, n);
        s += n;
        if (*s == '.')
            s++;
    }
    put8(b, 0);
}

static void
dns_header(wbuf_t *b, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an)
{
    put16(b, id);
    put16(b, flags);
    put16(b, qd);
    put16(b, an);
    put16(b, 0);
    put16(b, 0);
}

static void
dns_question(wbuf_t *b, const char *name, uint16_t type, uint16_t cls)
{
    dns_name(b, name);
    put16(b, type);
    put16(b, cls);
}

static uint16_t
dns_addr_type(const ipaddr_t *ip)
{
    return ip->fam == 4 ? 1 : 28; /* A : AAAA */
}

/* Resource record header; a NULL owner points back at the question (0xc00c). */
static size_t
dns_rr_open(wbuf_t *b, const char *owner, uint16_t type, uint16_t cls, uint32_t ttl)
{
    if (owner == NULL)
        put16(b, 0xc00c);
    else
        dns_name(b, owner);
    put16(b, type);
    put16(b, cls);
    put32(b, ttl);
    return open16(b);
}

static void
dns_rr_addr(wbuf_t *b, const char *owner, uint16_t cls, uint32_t ttl, const ipaddr_t *ip)
{
    size_t rd = dns_rr_open(b, owner, dns_addr_type(ip), cls, ttl);

    putn(b, ip->a, ip_alen(ip));
    close16(b, rd);
}

static void
dns_rr_ptr(wbuf_t *b, const char *owner, uint32_t ttl, const char *target)
{
    size_t rd = dns_rr_open(b, owner, 12, 1, ttl);

    dns_name(b, target);
    close16(b, rd);
}

/* ------------------------------------------------------------------ */
/* Sample capture                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
    uint8_t mac[6];
    ipaddr_t v4, v6, ll;
} host_t;

static host_t
host_make(const uint8_t mac[6], const char *v4, const char *v6)
{
    host_t h;

    memcpy(h.mac, mac, 6);
    h.v4 = ip_parse(v4);
    h.v6 = ip_parse(v6);
    h.ll = ll_from_mac(mac);
    return h;
}

/* The home network of the sample; OUIs are real vendors so tshark names them. */
typedef struct {
    gen_t *g;
    host_t router, camera, plug, hub, laptop, printer;
} home_t;

static path_t
lan_path(const host_t *from, const host_t *to, bool v6)
{
    return path_make(from->mac, to->mac, v6 ? &from->v6 : &from->v4, v6 ? &to->v6 : &to->v4, 64);
}

/* Host to a public address: the next hop is the router's MAC. */
static path_t
wan_path(const home_t *h, const host_t *from, const char *dst)
{
    ipaddr_t d = ip_parse(dst);

    return path_make(from->mac, h->router.mac, d.fam == 4 ? &from->v4 : &from->v6, &d, 64);
}

static path_t
mcast_path(const uint8_t smac[6], const ipaddr_t *src, const char *group, uint8_t ttl)
{
    ipaddr_t d = ip_parse(group);
    uint8_t dmac[6];

    mcast_mac(&d, dmac);
    return path_make(smac, dmac, src, &d, ttl);
}

/*
 * Ports in the ephemeral range that tshark 4.0 binds a UDP dissector to
 * (`tshark -G decodes`).  UDP/443 has no port dissector, so tshark would
 * parse a reply's random payload as, say, Manolito and flag it malformed.
 */
static bool
port_is_claimed(uint16_t port)
{
    static const uint16_t claimed[] = {
        34962, 34980, 37008, 41170, 44818, 45564, 47000, 47808, 49999, 54328, 56000,
        56001, 56500, 56501, 57000, 57001, 57032, 57033, 57500, 57501, 57532, 57533,
        59000, 59001, 59032, 59033, 59500, 59501, 59532, 59533, 60001,
    };

    for (size_t i = 0; i < ARRAY_LEN(claimed); i++)
        if (claimed[i] == port)
            return true;
    return false;
}

static uint16_t
next_port(uint16_t port)
{
    do
        port = port >= EPHEMERAL_HI ? EPHEMERAL_LO : (uint16_t)(port + 1);
    while (port_is_claimed(port));
    return port;
}

static uint16_t
ephemeral_port(gen_t *g)
{
    uint16_t port = (uint16_t)rng_range(&g->rng, EPHEMERAL_LO, EPHEMERAL_HI);

    return port_is_claimed(port) ? next_port(port) : port;
}

/* Query from a given port with a given id, then answer; the answers' family selects A or AAAA. */
static void
dns_exchange_on(gen_t *g, const path_t *q, uint8_t reply_ttl, uint16_t id, uint16_t port,
                const char *name, const ipaddr_t *answers, size_t n, uint64_t gap_us,
                uint64_t rtt_us)
{
    uint8_t buf[512];
    wbuf_t b = wb_init(buf, sizeof buf);
    uint16_t type = dns_addr_type(&answers[0]);
    path_t r = path_reverse(q, reply_ttl);

    dns_header(&b, id, 0x0100, 1, 0); /* RD */
    dns_question(&b, name, type, 1);
    send_udp(g, q, port, 53, buf, b.len, gap_us);

    b = wb_init(buf, sizeof buf);
    dns_header(&b, id, 0x8180, 1, (uint16_t)n); /* QR RD RA */
    dns_question(&b, name, type, 1);
    for (size_t i = 0; i < n; i++)
        dns_rr_addr(&b, NULL, 1, 300, &answers[i]);
    send_udp(g, &r, 53, port, buf, b.len, rtt_us);
}

/* dns_exchange_on() with the id and the client port drawn from the stream. */
static void
dns_exchange(gen_t *g, const path_t *q, uint8_t reply_ttl, const char *name,
             const ipaddr_t *answers, size_t n, uint64_t gap_us, uint64_t rtt_us)
{
    uint16_t id = (uint16_t)rng_next(&g->rng);
    uint16_t port = ephemeral_port(g);

    dns_exchange_on(g, q, reply_ttl, id, port, name, answers, n, gap_us, rtt_us);
}

/* ICMP(v6) echo request and reply with a Linux ping payload (timeval + pattern). */
static void
ping(gen_t *g, const path_t *p, uint8_t reply_ttl, uint16_t id, uint16_t seq, uint64_t gap_us,
     uint64_t rtt_us)
{
    bool v4 = p->src.fam == 4;
    uint8_t data[56];
    path_t r = path_reverse(p, reply_ttl);
    frame_t f;
    wbuf_t *b;

    g->now_us += gap_us;
    memset(data, 0, 16);
    for (int i = 0; i < 8; i++) {
        data[i] = (uint8_t)((g->now_us / 1000000u) >> (8 * i));
        data[8 + i] = (uint8_t)((g->now_us % 1000000u) >> (8 * i));
    }
    for (size_t i = 16; i < sizeof data; i++)
        data[i] = (uint8_t)i;

    b = frame_ip(g, &f, p, v4 ? P_ICMP : P_ICMPV6);
    icmp_put(b, v4 ? 8 : 128, 0);
    put16(b, id);
    put16(b, seq);
    putn(b, data, sizeof data);
    frame_send(g, &f, 0);

    b = frame_ip(g, &f, &r, v4 ? P_ICMP : P_ICMPV6);
    icmp_put(b, v4 ? 0 : 129, 0);
    put16(b, id);
    put16(b, seq);
    putn(b, data, sizeof data);
    frame_send(g, &f, rtt_us);
}

/*
 * A traceroute-style UDP probe, then the ICMP(v6) error it provokes.  The
 * error quotes the whole probe (as Linux does for short packets) with the TTL
 * it had on arrival; those quoted addresses must not count as conversation
 * endpoints, which is exactly what CamTrace is tested on.
 */
static void
probe_with_error(gen_t *g, const path_t *probe, uint16_t dport, const path_t *err, uint8_t type,
                 uint8_t code, uint8_t quoted_ttl, uint64_t gap_us, uint64_t rtt_us)
{
    static const char data[] = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_";
    uint16_t sport = ephemeral_port(g);
    path_t quoted = *probe;
    frame_t f;
    ipopen_t inner;
    wbuf_t *b = frame_udp(g, &f, probe, sport, dport);
    uint16_t probe_id = f.ip.id;

    putn(b, data, sizeof data - 1);
    frame_send(g, &f, gap_us);

    quoted.ttl = quoted_ttl;
    b = frame_ip(g, &f, err, err->src.fam == 4 ? P_ICMP : P_ICMPV6);
    icmp_put(b, type, code);
    put32(b, 0); /* unused */
    ip_open(b, &inner, &quoted, P_UDP, probe_id);
    udp_put(b, sport, dport);
    putn(b, data, sizeof data - 1);
    ip_close(b, &inner);
    frame_send(g, &f, rtt_us);
}

/* TCP handshake plus a TLS 1.3 handshake as a browser/IoT SDK performs it. */
static void
tls_open(gen_t *g, tcpconn_t *c, const char *sni, const char *alpn, uint64_t gap_us,
         uint64_t rtt_us)
{
    uint8_t buf[MTU];
    uint8_t sid[32];
    wbuf_t b;

    rng_fill(&g->rng, sid, sizeof sid);
    tcp_handshake(g, c, gap_us, rtt_us);

    b = wb_init(buf, sizeof buf);
    tls_client_hello(&b, &g->rng, sni, alpn, sid);
    tcp_seg(g, c, false, TF_PSH | TF_ACK, buf, b.len, 180);

    /* ServerHello, CCS, then encrypted extensions + certificate chain. */
    b = wb_init(buf, sizeof buf);
    tls_server_hello(&b, &g->rng, sid);
    tls_ccs(&b);
    tls_appdata(&b, &g->rng, 1100);
    tcp_seg(g, c, true, TF_ACK, buf, b.len, rtt_us);
    b = wb_init(buf, sizeof buf);
    tls_appdata(&b, &g->rng, 880);
    tcp_seg(g, c, true, TF_PSH | TF_ACK, buf, b.len, 150);
    tcp_seg(g, c, false, TF_ACK, NULL, 0, 90);

    b = wb_init(buf, sizeof buf);
    tls_ccs(&b);
    tls_appdata(&b, &g->rng, 53); /* Finished */
    tcp_seg(g, c, false, TF_PSH | TF_ACK, buf, b.len, 400);
}

/* One TLS application-data record in its own segment. */
static void
tls_send(gen_t *g, tcpconn_t *c, bool server, size_t body, uint64_t gap_us)
{
    frame_t f;

    tls_appdata(tcp_begin(g, &f, c, server, TF_PSH | TF_ACK), &g->rng, body);
    tcp_end(g, &f, c, server, TF_PSH | TF_ACK, gap_us);
}

/* A bulk transfer: full-sized records, the receiver ACKs every second one. */
static void
tls_bulk(gen_t *g, tcpconn_t *c, bool server, size_t nseg, size_t last_body, uint64_t rtt_us)
{
    size_t full = tcp_mss(server ? &c->s2c.src : &c->c2s.src) - 5;

    for (size_t i = 0; i < nseg; i++) {
        bool last = i + 1 == nseg;

        tls_send(g, c, server, last ? last_body : full, i == 0 ? 300 : 120);
        if (i % 2 == 1 || last)
            tcp_seg(g, c, !server, TF_ACK, NULL, 0, rtt_us / 2);
    }
}

static void
ntp_ts(wbuf_t *b, uint64_t unix_us)
{
    uint64_t sec = unix_us / 1000000u + UINT64_C(2208988800); /* 1900 epoch */
    uint64_t frac = ((unix_us % 1000000u) << 32) / 1000000u;

    put32(b, (uint32_t)sec);
    put32(b, (uint32_t)frac);
}

/* NTPv4 packet (RFC 5905): a client fills only its transmit time. */
static void
ntp_put(wbuf_t *b, bool server, uint64_t origin_us, uint64_t now_us)
{
    static const uint8_t refid[4] = {10, 21, 8, 4};

    put8(b, server ? 0x24 : 0x23); /* LI 0, VN 4, mode server : client */
    put8(b, server ? 3 : 0);       /* stratum */
    put8(b, 6);                    /* poll 64 s */
    put8(b, server ? 0xe7 : 0xe9); /* precision */
    if (!server) {
        putz(b, 36);
        ntp_ts(b, now_us);
        return;
    }
    put32(b, 0x00000010); /* root delay */
    put32(b, 0x00000021); /* root dispersion */
    putn(b, refid, 4);
    ntp_ts(b, now_us - 17000000u); /* reference */
    ntp_ts(b, origin_us);
    ntp_ts(b, now_us - 25); /* receive */
    ntp_ts(b, now_us);      /* transmit */
}

static void
ntp_exchange_on(gen_t *g, const path_t *p, uint8_t reply_ttl, uint16_t port, uint64_t gap_us,
                uint64_t rtt_us)
{
    uint8_t buf[48];
    wbuf_t b = wb_init(buf, sizeof buf);
    path_t r = path_reverse(p, reply_ttl);
    uint64_t t1 = g->now_us + gap_us;

    ntp_put(&b, false, 0, t1);
    send_udp(g, p, port, 123, buf, b.len, gap_us);
    b = wb_init(buf, sizeof buf);
    ntp_put(&b, true, t1, t1 + rtt_us);
    send_udp(g, &r, 123, port, buf, b.len, rtt_us);
}

static void
ntp_exchange(gen_t *g, const path_t *p, uint8_t reply_ttl, uint64_t gap_us, uint64_t rtt_us)
{
    ntp_exchange_on(g, p, reply_ttl, ephemeral_port(g), gap_us, rtt_us);
}

enum { DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPACK = 5 };

static void
dhcp_opt_addr(wbuf_t *b, uint8_t code, const ipaddr_t *ip)
{
    put8(b, code);
    put8(b, 4);
    putn(b, ip->a, 4);
}

/* BOOTP/DHCP message (RFC 2131) padded to the 300-byte BOOTP minimum. */
static void
dhcp_put(wbuf_t *b, uint8_t type, uint32_t xid, const host_t *client, const host_t *server)
{
    static const uint8_t params[] = {1, 3, 6, 15, 119, 252, 95, 44, 46};
    static const uint8_t mask[4] = {255, 255, 255, 0};
    bool reply = type == DHCPOFFER || type == DHCPACK;
    size_t start = b->len;

    put8(b, reply ? 2 : 1);
    put8(b, 1);
    put8(b, 6);
    put8(b, 0);
    put32(b, xid);
    put16(b, 0);
    put16(b, 0);
    putz(b, 4); /* ciaddr */
    if (reply)
        putn(b, client->v4.a, 4); /* yiaddr */
    else
        putz(b, 4);
    putz(b, 8); /* siaddr, giaddr */
    putn(b, client->mac, 6);
    putz(b, 10 + 64 + 128); /* chaddr padding, sname, file */
    put32(b, 0x63825363);
    put8(b, 53);
    put8(b, 1);
    put8(b, type);
    if (reply) {
        dhcp_opt_addr(b, 54, &server->v4);
        put8(b, 51);
        put8(b, 4);
        put32(b, 864000);
        put8(b, 1);
        put8(b, 4);
        putn(b, mask, 4);
        dhcp_opt_addr(b, 3, &server->v4);
        dhcp_opt_addr(b, 6, &server->v4);
        put8(b, 15);
        put8(b, 9);
        putstr(b, "home.arpa");
    } else {
        put8(b, 61);
        put8(b, 7);
        put8(b, 1);
        putn(b, client->mac, 6);
        if (type == DHCPREQUEST) {
            dhcp_opt_addr(b, 50, &client->v4);
            dhcp_opt_addr(b, 54, &server->v4);
        }
        put8(b, 12);
        put8(b, 6);
        putstr(b, "laptop");
        put8(b, 55);
        put8(b, (uint8_t)sizeof params);
        putn(b, params, sizeof params);
    }
    put8(b, 255);
    if (b->len - start < 300)
        putz(b, 300 - (b->len - start));
}

static void
dhcp_dora(home_t *h, uint64_t gap_us)
{
    static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    gen_t *g = h->g;
    ipaddr_t any = ip_parse("0.0.0.0");
    ipaddr_t bcast = ip_parse("255.255.255.255");
    path_t up = path_make(h->laptop.mac, bcast_mac, &any, &bcast, 64);
    path_t down = lan_path(&h->router, &h->laptop, false);
    uint32_t xid = (uint32_t)rng_next(&g->rng);
    uint8_t buf[400];
    wbuf_t b;

    b = wb_init(buf, sizeof buf);
    dhcp_put(&b, DHCPDISCOVER, xid, &h->laptop, &h->router);
    send_udp(g, &up, 68, 67, buf, b.len, gap_us);
    b = wb_init(buf, sizeof buf);
    dhcp_put(&b, DHCPOFFER, xid, &h->laptop, &h->router);
    send_udp(g, &down, 67, 68, buf, b.len, MS(3));
    b = wb_init(buf, sizeof buf);
    dhcp_put(&b, DHCPREQUEST, xid, &h->laptop, &h->router);
    send_udp(g, &up, 68, 67, buf, b.len, MS(2));
    b = wb_init(buf, sizeof buf);
    dhcp_put(&b, DHCPACK, xid, &h->laptop, &h->router);
    send_udp(g, &down, 67, 68, buf, b.len, MS(3));
}

/* ARP is not IP: it is in the sample to prove non-IP frames stay untouched. */
static void
arp_exchange(home_t *h, uint64_t gap_us)
{
    static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t zero_mac[6] = {0};
    const host_t *who = &h->laptop, *owner = &h->router;
    uint8_t buf[FRAME_CAP];
    wbuf_t b;

    for (int reply = 0; reply < 2; reply++) {
        const host_t *s = reply ? owner : who, *t = reply ? who : owner;

        b = wb_init(buf, sizeof buf);
        eth_put(&b, reply ? who->mac : bcast_mac, s->mac, ETHERTYPE_ARP);
        put16(&b, 1);
        put16(&b, ETHERTYPE_IPV4);
        put8(&b, 6);
        put8(&b, 4);
        put16(&b, reply ? 2 : 1);
        putn(&b, s->mac, 6);
        putn(&b, s->v4.a, 4);
        putn(&b, reply ? t->mac : zero_mac, 6);
        putn(&b, t->v4.a, 4);
        emit(h->g, &b, reply ? 900 : gap_us);
    }
}

/* Router solicitation from the laptop and the router's advertisement of the /64. */
static void
router_discovery(home_t *h, uint64_t gap_us)
{
    gen_t *g = h->g;
    path_t rs = mcast_path(h->laptop.mac, &h->laptop.ll, "ff02::2", 255);
    path_t ra = mcast_path(h->router.mac, &h->router.ll, "ff02::1", 255);
    frame_t f;
    wbuf_t *b;

    b = frame_ip(g, &f, &rs, P_ICMPV6);
    icmp_put(b, 133, 0);
    put32(b, 0);
    put8(b, 1); /* source link-layer address */
    put8(b, 1);
    putn(b, h->laptop.mac, 6);
    frame_send(g, &f, gap_us);

    b = frame_ip(g, &f, &ra, P_ICMPV6);
    icmp_put(b, 134, 0);
    put8(b, 64);   /* cur hop limit */
    put8(b, 0x40); /* O: other config via DHCPv6 */
    put16(b, 1800);
    put32(b, 0);
    put32(b, 0);
    put8(b, 1); /* source link-layer address */
    put8(b, 1);
    putn(b, h->router.mac, 6);
    put8(b, 5); /* MTU */
    put8(b, 1);
    put16(b, 0);
    put32(b, MTU);
    put8(b, 3); /* prefix information */
    put8(b, 4);
    put8(b, 64);
    put8(b, 0xc0); /* on-link, autonomous */
    put32(b, 7200);
    put32(b, 3600);
    put32(b, 0);
    putn(b, h->laptop.v6.a, 8);
    putz(b, 8);
    frame_send(g, &f, MS(4));
}

/* Unsolicited mDNS announcement of the camera's HomeKit service and address. */
static void
mdns_announce(home_t *h, bool v6, uint64_t gap_us)
{
    const host_t *cam = &h->camera;
    path_t p = v6 ? mcast_path(cam->mac, &cam->ll, "ff02::fb", 255)
                  : mcast_path(cam->mac, &cam->v4, "224.0.0.251", 255);
    uint8_t buf[512];
    wbuf_t b = wb_init(buf, sizeof buf);

    dns_header(&b, 0, 0x8400, 0, 2); /* response, authoritative */
    dns_rr_ptr(&b, "_hap._tcp.local", 4500, "Camera-5A1B._hap._tcp.local");
    dns_rr_addr(&b, "Camera-5A1B.local", 0x8001, 120, v6 ? &cam->v6 : &cam->v4);
    send_udp(h->g, &p, 5353, 5353, buf, b.len, gap_us);
}

/* A printer that found no DHCP server and fell back to 169.254/16 (RFC 3927). */
static void
mdns_query_from_apipa(home_t *h, uint64_t gap_us)
{
    path_t p = mcast_path(h->printer.mac, &h->printer.v4, "224.0.0.251", 255);
    uint8_t buf[128];
    wbuf_t b = wb_init(buf, sizeof buf);

    dns_header(&b, 0, 0, 1, 0);
    dns_question(&b, "_ipp._tcp.local", 12, 1);
    send_udp(h->g, &p, 5353, 5353, buf, b.len, gap_us);
}

static void
ssdp_search(home_t *h, uint64_t gap_us)
{
    static const char search[] = "M-SEARCH * HTTP/1.1\r\n"
                                 "HOST: 239.255.255.250:1900\r\n"
                                 "MAN: \"ssdp:discover\"\r\n"
                                 "MX: 1\r\n"
                                 "ST: urn:dial-multiscreen-org:service:dial:1\r\n"
                                 "\r\n";
    static const char reply[] = "HTTP/1.1 200 OK\r\n"
                                "CACHE-CONTROL: max-age=1800\r\n"
                                "EXT:\r\n"
                                "LOCATION: http://192.168.1.40:8008/ssdp/device-desc.xml\r\n"
                                "SERVER: Linux/3.8.13+, UPnP/1.0, Portable SDK for UPnP "
                                "devices/1.6.18\r\n"
                                "ST: urn:dial-multiscreen-org:service:dial:1\r\n"
                                "USN: uuid:3e1cc7c4-f57e-4b3a-9e2c-5a0e7c1d4040::"
                                "urn:dial-multiscreen-org:service:dial:1\r\n"
                                "\r\n";
    gen_t *g = h->g;
    uint16_t port = ephemeral_port(g);
    path_t p = mcast_path(h->laptop.mac, &h->laptop.v4, "239.255.255.250", 4);
    path_t r = lan_path(&h->hub, &h->laptop, false);

    send_udp(g, &p, port, 1900, (const uint8_t *)search, sizeof search - 1, gap_us);
    send_udp(g, &r, 1900, port, (const uint8_t *)reply, sizeof reply - 1, MS(180));
}

/*
 * One HTTP/1.1 request and its response on a fresh connection c, which the
 * client then closes.  The response carries Content-Length and the body.
 */
static void
http_fetch(gen_t *g, tcpconn_t *c, const char *req, const char *status, const char *ctype,
           const char *body, uint64_t gap_us, uint64_t rtt_us)
{
    char resp[512];
    int n;

    n = snprintf(resp, sizeof resp,
                 "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                 status, ctype, strlen(body), body);
    if (n < 0 || (size_t)n >= sizeof resp)
        die("internal error: HTTP response template too long");
    tcp_handshake(g, c, gap_us, rtt_us);
    tcp_seg(g, c, false, TF_PSH | TF_ACK, (const uint8_t *)req, strlen(req), 200);
    tcp_seg(g, c, true, TF_ACK, NULL, 0, rtt_us);
    tcp_seg(g, c, true, TF_PSH | TF_ACK, (const uint8_t *)resp, (size_t)n, 900);
    tcp_seg(g, c, false, TF_ACK, NULL, 0, 110);
    tcp_close(g, c, MS(2), rtt_us);
}

/* Plain HTTP so CamTrace's tests see a cleartext Host header beside the IP. */
static void
http_get(home_t *h, uint64_t gap_us)
{
    static const char req[] = "GET / HTTP/1.1\r\n"
                              "Host: example.com\r\n"
                              "User-Agent: camfw/2.4.1\r\n"
                              "Accept: */*\r\n"
                              "Connection: close\r\n"
                              "\r\n";
    static const char body[] =
        "<!doctype html>\n<html>\n<head><title>Example Domain</title></head>\n"
        "<body>\n<h1>Example Domain</h1>\n<p>This domain is for use in "
        "illustrative examples in documents.</p>\n</body>\n</html>\n";
    gen_t *g = h->g;
    path_t p = wan_path(h, &h->camera, "93.184.216.34");
    tcpconn_t c;

    tcp_conn_init(&c, &p, 55, ephemeral_port(g), 80, &g->rng);
    http_fetch(g, &c, req, "200 OK", "text/html; charset=UTF-8", body, gap_us, MS(88));
}

/* 6in4 (protocol 41) carrying a TCP SYN: an IP header nested in another. */
static void
tunnel_syn(home_t *h, uint64_t gap_us)
{
    gen_t *g = h->g;
    path_t outer = wan_path(h, &h->hub, "198.51.100.1");
    ipaddr_t dst = ip_parse("2a00:1450:4001:82a::200e");
    path_t inner = path_make(h->hub.mac, h->router.mac, &h->hub.v6, &dst, 64);
    uint16_t sport = ephemeral_port(g);
    uint32_t isn = (uint32_t)rng_next(&g->rng); /* separate statements: fixed draw order */
    frame_t f;
    ipopen_t in;
    wbuf_t *b = frame_ip(g, &f, &outer, P_IPV6);

    ip_open(b, &in, &inner, P_TCP, 0);
    tcp_put_syn(b, false, sport, 443, isn, 0, &inner.src);
    ip_close(b, &in);
    frame_send(g, &f, gap_us);
}

static void
sample_run(gen_t *g)
{
    static const uint8_t mac_router[6] = {0x3c, 0xa6, 0x2f, 0x12, 0x34, 0x01};  /* AVM */
    static const uint8_t mac_camera[6] = {0x2c, 0xaa, 0x8e, 0x5a, 0x1b, 0x20};  /* Wyze */
    static const uint8_t mac_plug[6] = {0x50, 0xc7, 0xbf, 0x3e, 0x77, 0x30};    /* TP-Link */
    static const uint8_t mac_hub[6] = {0xf4, 0xf5, 0xd8, 0x9c, 0x41, 0x40};     /* Google */
    static const uint8_t mac_laptop[6] = {0x3c, 0x22, 0xfb, 0x86, 0x0d, 0x50};  /* Apple */
    static const uint8_t mac_printer[6] = {0x00, 0x1b, 0xa9, 0x44, 0x55, 0x66}; /* Brother */
    home_t h = {.g = g};
    tcpconn_t cam_tls, mqtt, hub4, hub6;
    path_t p;
    ipaddr_t ans[2];

    h.router = host_make(mac_router, "192.168.1.1", "2a02:8108:1:2::1");
    h.camera = host_make(mac_camera, "192.168.1.20", "2a02:8108:1:2::20");
    h.plug = host_make(mac_plug, "192.168.1.30", "2a02:8108:1:2::30");
    h.hub = host_make(mac_hub, "192.168.1.40", "2a02:8108:1:2::40");
    h.laptop = host_make(mac_laptop, "192.168.1.50", "2a02:8108:1:2::50");
    h.printer = host_make(mac_printer, "169.254.83.12", "2a02:8108:1:2::60");

    /* Laptop joins the network. */
    dhcp_dora(&h, 0);
    arp_exchange(&h, MS(40));
    router_discovery(&h, MS(120));
    ssdp_search(&h, MS(350));

    /* Local service discovery. */
    mdns_announce(&h, false, MS(210));
    mdns_announce(&h, true, 400);
    mdns_query_from_apipa(&h, MS(530));

    /* Camera: resolve via the router, then upload to Amazon over TLS. */
    p = lan_path(&h.camera, &h.router, false);
    ans[0] = ip_parse("52.94.236.248");
    dns_exchange(g, &p, 64, "device-metrics-us.amazon.com", ans, 1, MS(300), MS(24));
    p = wan_path(&h, &h.camera, "52.94.236.248");
    tcp_conn_init(&cam_tls, &p, 232, ephemeral_port(g), 443, &g->rng);
    tls_open(g, &cam_tls, "device-metrics-us.amazon.com", "http/1.1", MS(1), MS(96));
    tls_send(g, &cam_tls, false, 410, 600);
    tls_bulk(g, &cam_tls, false, 18, 733, MS(96));
    p = wan_path(&h, &h.camera, "162.159.200.1");
    ntp_exchange(g, &p, 58, MS(20), MS(11));

    /* Plug: public resolvers, then MQTT over TLS to AWS IoT in Frankfurt. */
    p = wan_path(&h, &h.plug, "8.8.8.8");
    ans[0] = ip_parse("35.157.100.20");
    dns_exchange(g, &p, 117, "a3k7odshaiipe8-ats.iot.eu-central-1.amazonaws.com", ans, 1, MS(40),
                 MS(9));
    p = wan_path(&h, &h.plug, "1.1.1.1");
    ans[0] = ip_parse("162.159.200.1");
    ans[1] = ip_parse("162.159.200.123");
    dns_exchange(g, &p, 58, "time.cloudflare.com", ans, 2, MS(3), MS(8));
    p = wan_path(&h, &h.plug, "35.157.100.20");
    tcp_conn_init(&mqtt, &p, 241, ephemeral_port(g), 8883, &g->rng);
    tls_open(g, &mqtt, "a3k7odshaiipe8-ats.iot.eu-central-1.amazonaws.com", NULL, MS(2), MS(14));
    tls_send(g, &mqtt, false, 143, 700);   /* CONNECT */
    tls_send(g, &mqtt, true, 21, MS(14));  /* CONNACK */
    tls_send(g, &mqtt, false, 88, MS(2));  /* SUBSCRIBE */
    tls_send(g, &mqtt, true, 22, MS(14));  /* SUBACK */
    tls_send(g, &mqtt, false, 246, MS(1)); /* PUBLISH state */
    tcp_seg(g, &mqtt, true, TF_ACK, NULL, 0, MS(14));

    /* The camera's response arrives while the plug talks. */
    tls_send(g, &cam_tls, true, 187, MS(8));
    tcp_seg(g, &cam_tls, false, TF_ACK, NULL, 0, MS(1));

    /* Hub: dual-stack lookups, then Google over IPv4 and IPv6. */
    p = lan_path(&h.hub, &h.router, false);
    ans[0] = ip_parse("142.250.185.78");
    dns_exchange(g, &p, 64, "www.google.com", ans, 1, MS(160), MS(18));
    ans[0] = ip_parse("2607:f8b0:4005:80c::200e");
    dns_exchange(g, &p, 64, "www.google.com", ans, 1, 150, MS(17));
    p = wan_path(&h, &h.hub, "142.250.185.78");
    tcp_conn_init(&hub4, &p, 119, ephemeral_port(g), 443, &g->rng);
    tls_open(g, &hub4, "www.google.com", "h2", MS(1), MS(12));
    tls_send(g, &hub4, false, 312, 500);
    tls_bulk(g, &hub4, true, 14, 611, MS(12));
    p = wan_path(&h, &h.hub, "2607:f8b0:4005:80c::200e");
    tcp_conn_init(&hub6, &p, 118, ephemeral_port(g), 443, &g->rng);
    tls_open(g, &hub6, "www.google.com", "h2", MS(3), MS(148));
    tls_send(g, &hub6, false, 285, 500);
    tls_bulk(g, &hub6, true, 10, 377, MS(148));
    p = wan_path(&h, &h.hub, "2606:4700:4700::1111");
    ping(g, &p, 58, 0x2f1d, 1, MS(90), MS(9));
    ping(g, &p, 58, 0x2f1d, 2, MS(1000), MS(9));
    tunnel_syn(&h, MS(230));
    tcp_close(g, &hub4, MS(60), MS(12));

    /* MQTT keepalive. */
    tls_send(g, &mqtt, false, 2, MS(300)); /* PINGREQ */
    tls_send(g, &mqtt, true, 2, MS(14));   /* PINGRESP */

    /* Laptop diagnostics: pings, traceroute-style probes and their ICMP errors. */
    p = wan_path(&h, &h.laptop, "1.1.1.1");
    ping(g, &p, 58, 0x4c01, 1, MS(410), MS(8));
    ping(g, &p, 58, 0x4c01, 2, MS(1000), MS(8));
    {
        path_t err;

        p = wan_path(&h, &h.laptop, "203.0.113.5");
        err = path_reverse(&p, 51);
        probe_with_error(g, &p, 33434, &err, 3, 3, 51, MS(600), MS(31));

        p = wan_path(&h, &h.laptop, "8.8.4.4");
        p.ttl = 1;
        err = path_make(h.router.mac, h.laptop.mac, &h.router.v4, &h.laptop.v4, 64);
        probe_with_error(g, &p, 33435, &err, 11, 0, 1, MS(5), 700);

        p = wan_path(&h, &h.laptop, "2001:4860:4860::8888");
        err = path_reverse(&p, 117);
        probe_with_error(g, &p, 33434, &err, 1, 4, 52, MS(400), MS(10));
    }
    p = wan_path(&h, &h.laptop, "100.64.0.1");
    ping(g, &p, 254, 0x4c02, 1, MS(300), MS(3));

    /* NAT64: an IPv6-only lookup to 8.8.8.8 through the well-known prefix. */
    p = wan_path(&h, &h.laptop, "64:ff9b::808:808");
    ans[0] = ip_parse("192.0.0.170");
    ans[1] = ip_parse("192.0.0.171");
    dns_exchange(g, &p, 116, "ipv4only.arpa", ans, 2, MS(200), MS(12));

    /* Wind down: camera fetches a page, connections close, one keepalive. */
    http_get(&h, MS(500));
    tcp_close(g, &cam_tls, MS(120), MS(96));
    tcp_close(g, &hub6, MS(40), MS(148));
    tls_send(g, &mqtt, false, 2, MS(900)); /* PINGREQ */
    tls_send(g, &mqtt, true, 2, MS(14));   /* PINGRESP */
    mdns_announce(&h, false, MS(350));
}

/* ------------------------------------------------------------------ */
/* QUIC Initial packets (names capture)                                */
/* ------------------------------------------------------------------ */

/* Every datagram carrying a client Initial is at least this long (RFC 9000 §14.1). */
enum { QUIC_INITIAL_SIZE = 1200, QUIC_PN_LEN = 1, QUIC_TAG_LEN = 16 };

/* Variable-length integer (RFC 9000 §16). */
static size_t
quic_varint_len(uint64_t v)
{
    return v < 0x40 ? 1 : v < 0x4000 ? 2 : v < 0x40000000 ? 4 : 8;
}

static void
quic_varint(wbuf_t *b, uint64_t v)
{
    switch (quic_varint_len(v)) {
    case 1:
        put8(b, (uint8_t)v);
        break;
    case 2:
        put16(b, (uint16_t)(0x4000 | v));
        break;
    case 4:
        put32(b, (uint32_t)(0x80000000u | v));
        break;
    default:
        put32(b, (uint32_t)(0xc0000000u | (v >> 32)));
        put32(b, (uint32_t)v);
        break;
    }
}

/* Transport parameter with an integer value (RFC 9000 §18). */
static void
quic_tp_int(wbuf_t *b, uint64_t id, uint64_t v)
{
    quic_varint(b, id);
    quic_varint(b, quic_varint_len(v));
    quic_varint(b, v);
}

/* A Chrome-like client's transport parameters. */
static void
quic_client_tp(wbuf_t *b, const uint8_t *scid, size_t scid_len)
{
    quic_tp_int(b, 0x01, 30000);    /* max_idle_timeout, ms */
    quic_tp_int(b, 0x03, 1472);     /* max_udp_payload_size */
    quic_tp_int(b, 0x04, 15728640); /* initial_max_data */
    quic_tp_int(b, 0x05, 6291456);  /* initial_max_stream_data_bidi_local */
    quic_tp_int(b, 0x06, 6291456);  /* initial_max_stream_data_bidi_remote */
    quic_tp_int(b, 0x07, 6291456);  /* initial_max_stream_data_uni */
    quic_tp_int(b, 0x08, 100);      /* initial_max_streams_bidi */
    quic_tp_int(b, 0x09, 103);      /* initial_max_streams_uni */
    quic_varint(b, 0x0c);           /* disable_active_migration: no value */
    quic_varint(b, 0);
    quic_tp_int(b, 0x0e, 4); /* active_connection_id_limit */
    quic_varint(b, 0x0f);    /* initial_source_connection_id */
    quic_varint(b, scid_len);
    putn(b, scid, scid_len);
}

static void
gcrypt_init(void)
{
    if (gcry_check_version(GCRYPT_VERSION) == NULL)
        die("libgcrypt %s or newer is needed", GCRYPT_VERSION);
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
}

static void
hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len, uint8_t out[32])
{
    gcry_md_hd_t h;

    if (gcry_md_open(&h, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC) != 0)
        die("libgcrypt: cannot open HMAC-SHA256");
    if (gcry_md_setkey(h, key, key_len) != 0)
        die("libgcrypt: cannot key HMAC-SHA256");
    gcry_md_write(h, msg, len);
    memcpy(out, gcry_md_read(h, GCRY_MD_SHA256), 32);
    gcry_md_close(h);
}

/*
 * HKDF-Expand-Label (RFC 8446 §7.1) with an empty context.  Every output
 * here is at most one SHA-256 block, so HKDF-Expand is the single HMAC T(1).
 */
static void
hkdf_expand_label(const uint8_t secret[32], const char *label, uint8_t *out, size_t out_len)
{
    uint8_t info[64];
    wbuf_t b = wb_init(info, sizeof info);
    uint8_t t[32];

    if (out_len > sizeof t)
        die("internal error: HKDF output too long");
    put16(&b, (uint16_t)out_len);
    put8(&b, (uint8_t)(6 + strlen(label)));
    putstr(&b, "tls13 ");
    putstr(&b, label);
    put8(&b, 0); /* context */
    put8(&b, 1); /* block counter */
    hmac_sha256(secret, 32, info, b.len, t);
    memcpy(out, t, out_len);
}

typedef struct {
    uint8_t key[16], iv[12], hp[16];
} quic_keys_t;

/* Client Initial keys from the client's first Destination Connection ID (RFC 9001 §5.2). */
static void
quic_client_initial_keys(const uint8_t *dcid, size_t dcid_len, quic_keys_t *k)
{
    static const uint8_t salt_v1[20] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                        0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
    uint8_t initial[32], client[32];

    hmac_sha256(salt_v1, sizeof salt_v1, dcid, dcid_len, initial); /* HKDF-Extract */
    hkdf_expand_label(initial, "client in", client, sizeof client);
    hkdf_expand_label(client, "quic key", k->key, sizeof k->key);
    hkdf_expand_label(client, "quic iv", k->iv, sizeof k->iv);
    hkdf_expand_label(client, "quic hp", k->hp, sizeof k->hp);
}

static void
gcry_check(gcry_error_t err, const char *what)
{
    if (err != 0)
        die("libgcrypt: %s: %s", what, gcry_strerror(err));
}

/* AES-128-GCM in place over data, tag appended by the caller's layout. */
static void
aes128_gcm_seal(const uint8_t key[16], const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
                uint8_t *data, size_t len, uint8_t tag[16])
{
    gcry_cipher_hd_t h;

    gcry_check(gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM, 0), "open GCM");
    gcry_check(gcry_cipher_setkey(h, key, 16), "GCM key");
    gcry_check(gcry_cipher_setiv(h, nonce, 12), "GCM nonce");
    gcry_check(gcry_cipher_authenticate(h, aad, aad_len), "GCM AAD");
    gcry_check(gcry_cipher_encrypt(h, data, len, NULL, 0), "GCM encrypt");
    gcry_check(gcry_cipher_gettag(h, tag, 16), "GCM tag");
    gcry_cipher_close(h);
}

static void
aes128_ecb_block(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
    gcry_cipher_hd_t h;

    gcry_check(gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, 0), "open ECB");
    gcry_check(gcry_cipher_setkey(h, key, 16), "ECB key");
    gcry_check(gcry_cipher_encrypt(h, out, 16, in, 16), "ECB encrypt");
    gcry_cipher_close(h);
}

/*
 * A version 1 client Initial as the UDP payload: long header, one CRYPTO
 * frame holding the ClientHello message, PADDING up to QUIC_INITIAL_SIZE,
 * then packet protection (AES-128-GCM) and header protection (AES-128-ECB
 * mask over the first byte's low bits and the packet number), RFC 9001 §5.
 */
static void
quic_client_initial(wbuf_t *b, const uint8_t *dcid, size_t dcid_len, const uint8_t *scid,
                    size_t scid_len, uint8_t pn, const uint8_t *crypto, size_t crypto_len)
{
    size_t start = b->len, len_off, pn_off, pay_off, end = start + QUIC_INITIAL_SIZE;
    uint8_t *p = b->p;
    quic_keys_t k;
    uint8_t nonce[12], mask[16];

    put8(b, 0xc0 | (QUIC_PN_LEN - 1)); /* long header, fixed bit, type Initial */
    put32(b, 1);                       /* version 1 */
    put8(b, (uint8_t)dcid_len);
    putn(b, dcid, dcid_len);
    put8(b, (uint8_t)scid_len);
    putn(b, scid, scid_len);
    quic_varint(b, 0); /* token length */
    len_off = b->len;
    put16(b, (uint16_t)(0x4000 | (end - len_off - 2))); /* Length: packet number + payload */
    pn_off = b->len;
    put8(b, pn);
    pay_off = b->len;
    put8(b, 0x06); /* CRYPTO */
    quic_varint(b, 0);
    quic_varint(b, crypto_len);
    putn(b, crypto, crypto_len);
    if (b->len + QUIC_TAG_LEN > end)
        die("internal error: ClientHello does not fit one Initial");
    putz(b, end - QUIC_TAG_LEN - b->len); /* PADDING frames */
    putz(b, QUIC_TAG_LEN);

    quic_client_initial_keys(dcid, dcid_len, &k);
    memcpy(nonce, k.iv, sizeof nonce);
    nonce[11] ^= pn;
    aes128_gcm_seal(k.key, nonce, p + start, pay_off - start, p + pay_off,
                    end - QUIC_TAG_LEN - pay_off, p + end - QUIC_TAG_LEN);
    aes128_ecb_block(k.hp, p + pn_off + 4, mask);
    p[start] ^= mask[0] & 0x0f;
    for (size_t i = 0; i < QUIC_PN_LEN; i++)
        p[pn_off + i] ^= mask[1 + i];
}

/* ------------------------------------------------------------------ */
/* Names capture                                                       */
/* ------------------------------------------------------------------ */

/*
 * `names` exercises learning host names from the capture itself: DNS answers
 * (a CNAME chain, AAAA, a name learned in the middle of a flow, a second name
 * for a known address), TLS SNI over TCP, SNI inside a protected QUIC
 * Initial, and HTTP Host headers, one of them hostile.  Some remotes are
 * never named at all.
 *
 * Fixed client ports and DNS ids, by step of the script in names_run():
 *   camera DNS 40053 (1, id 0x4e01), 40054 (8, id 0x4e08), 40055 (9, id 0x4e09)
 *   plug DNS over IPv6 40056 (6, id 0x4e06)
 *   camera TCP 41001 -> 35.157.100.20:443 (2, 11), 41002 -> 52.94.236.248:443 (3),
 *              41003 -> 93.184.216.34:80 (4), 41004 -> 35.157.100.20:8883 (10),
 *              41005 -> 185.60.216.35:80 (12)
 *   plug TCP   41006 -> [2a00:1450:4001:82a::200e]:443 (7)
 *   camera NTP 40123 -> 8.8.8.8:123 (5), 40124 -> 162.159.200.1:123 (8)
 *   plug QUIC  50000 -> 142.250.185.78:443 (13)
 *   camera DNS over TCP 41007 -> 192.168.1.1:53 (14, id 0x4e0e), then UDP 40125 ->
 *              93.184.216.35:123 (14)
 * None of these is a UDP port tshark 4.0 binds a dissector to.
 */
enum {
    NP_DNS_API = 40053,
    NP_DNS_TIME = 40054,
    NP_DNS_CDN = 40055,
    NP_DNS_PLUG = 40056,
    NP_TCP_API = 41001,
    NP_TCP_TELEMETRY = 41002,
    NP_TCP_FIRMWARE = 41003,
    NP_TCP_MQTT = 41004,
    NP_TCP_HOSTILE = 41005,
    NP_TCP_PLUG = 41006,
    NP_NTP_GOOGLE = 40123,
    NP_NTP_TIME = 40124,
    NP_QUIC = 50000,
    NP_TCP_DNS = 41007,
    NP_NTP_UPDATE = 40125,
};

/* DNS name compression (RFC 1035 §4.1.4) within one message. */
typedef struct {
    wbuf_t *b;
    size_t msg; /* offset of the DNS header in b */
    size_t n;
    struct {
        const char *suffix; /* points into the caller's name */
        uint16_t off;
    } seen[16];
} dnsz_t;

/* Write name, pointing at the longest suffix already in the message. */
static void
dnsz_name(dnsz_t *z, const char *name)
{
    const char *s = name;

    while (*s != '\0') {
        size_t n = strcspn(s, ".");
        size_t off = z->b->len - z->msg;

        for (size_t i = 0; i < z->n; i++) {
            if (strcmp(z->seen[i].suffix, s) == 0) {
                put16(z->b, (uint16_t)(0xc000 | z->seen[i].off));
                return;
            }
        }
        if (n == 0 || n > 63)
            die("internal error: bad DNS name %s", name);
        if (z->n < ARRAY_LEN(z->seen) && off < 0x4000) {
            z->seen[z->n].suffix = s;
            z->seen[z->n].off = (uint16_t)off;
            z->n++;
        }
        put8(z->b, (uint8_t)n);
        putn(z->b, s, n);
        s += n;
        if (*s == '.')
            s++;
    }
    put8(z->b, 0);
}

static size_t
dnsz_rr_open(dnsz_t *z, const char *owner, uint16_t type, uint32_t ttl)
{
    dnsz_name(z, owner);
    put16(z->b, type);
    put16(z->b, 1); /* IN */
    put32(z->b, ttl);
    return open16(z->b);
}

static void
dnsz_rr_cname(dnsz_t *z, const char *owner, uint32_t ttl, const char *target)
{
    size_t rd = dnsz_rr_open(z, owner, 5, ttl);

    dnsz_name(z, target);
    close16(z->b, rd);
}

static void
dnsz_rr_a(dnsz_t *z, const char *owner, uint32_t ttl, const char *addr)
{
    ipaddr_t ip = ip_parse(addr);
    size_t rd = dnsz_rr_open(z, owner, dns_addr_type(&ip), ttl);

    putn(z->b, ip.a, ip_alen(&ip));
    close16(z->b, rd);
}

/*
 * Step 1: an A lookup answered through a CNAME chain, plus one address
 * record that is not on the chain and must not name anything it reaches.
 */
static void
names_cname_lookup(gen_t *g, const path_t *q, uint64_t gap_us, uint64_t rtt_us)
{
    static const char qname[] = "device-api.vendor.example";
    uint8_t buf[512];
    wbuf_t b = wb_init(buf, sizeof buf);
    path_t r = path_reverse(q, 64);
    dnsz_t z = {.b = &b, .msg = 0};

    dns_header(&b, 0x4e01, 0x0100, 1, 0); /* RD */
    dns_question(&b, qname, 1, 1);
    send_udp(g, q, NP_DNS_API, 53, buf, b.len, gap_us);

    b = wb_init(buf, sizeof buf);
    dns_header(&b, 0x4e01, 0x8180, 1, 5); /* QR RD RA, NOERROR */
    dnsz_name(&z, qname);
    put16(&b, 1);
    put16(&b, 1);
    dnsz_rr_cname(&z, qname, 3600, "d1.cdn.example.net");
    dnsz_rr_cname(&z, "d1.cdn.example.net", 300, "edge.cdn.example.net");
    dnsz_rr_a(&z, "edge.cdn.example.net", 60, "35.157.100.20");
    dnsz_rr_a(&z, "edge.cdn.example.net", 60, "35.157.100.21");
    dnsz_rr_a(&z, "unrelated.example", 300, "35.157.100.99");
    send_udp(g, &r, 53, NP_DNS_API, buf, b.len, rtt_us);
}

/* A whole TLS connection to port 443: handshake with this SNI and ALPN, one
 * application record each way (up bytes from the client, down back), close. */
static void
names_tls_flow(gen_t *g, const path_t *p, uint8_t reply_ttl, uint16_t cport, const char *sni,
               const char *alpn, size_t up, size_t down)
{
    tcpconn_t c;

    tcp_conn_init(&c, p, reply_ttl, cport, 443, &g->rng);
    tls_open(g, &c, sni, alpn, MS(10), MS(10));
    tls_send(g, &c, false, up, MS(10));
    tls_send(g, &c, true, down, MS(10));
    tcp_close(g, &c, MS(10), MS(10));
}

/* A DNS question and its one-address answer over TCP (RFC 7766): each
 * message after a two-byte length, on a connection of its own. */
static void
names_dns_tcp(gen_t *g, const path_t *q, uint16_t id, const char *name, const ipaddr_t *answer)
{
    uint8_t buf[512];
    wbuf_t b;
    size_t len_at;
    tcpconn_t c;
    uint16_t type = dns_addr_type(answer);

    tcp_conn_init(&c, q, 64, NP_TCP_DNS, 53, &g->rng);
    tcp_handshake(g, &c, MS(10), MS(1));
    b = wb_init(buf, sizeof buf);
    len_at = open16(&b);
    dns_header(&b, id, 0x0100, 1, 0); /* RD */
    dns_question(&b, name, type, 1);
    close16(&b, len_at);
    tcp_seg(g, &c, false, TF_PSH | TF_ACK, buf, b.len, MS(1));
    b = wb_init(buf, sizeof buf);
    len_at = open16(&b);
    dns_header(&b, id, 0x8180, 1, 1); /* QR RD RA */
    dns_question(&b, name, type, 1);
    dns_rr_addr(&b, NULL, 1, 300, answer);
    close16(&b, len_at);
    tcp_seg(g, &c, true, TF_PSH | TF_ACK, buf, b.len, MS(1));
    tcp_close(g, &c, MS(1), MS(1));
}

/* One TCP payload of n bytes: a marker byte, then random-looking bytes. */
static void
names_raw_seg(gen_t *g, tcpconn_t *c, bool server, uint8_t first, size_t n, uint64_t gap_us)
{
    frame_t f;
    wbuf_t *b = tcp_begin(g, &f, c, server, TF_PSH | TF_ACK);

    put8(b, first);
    put_random(b, &g->rng, n - 1);
    tcp_end(g, &f, c, server, TF_PSH | TF_ACK, gap_us);
}

/*
 * Step 13: a QUIC client Initial with SNI in its protected CRYPTO frame, and
 * one short-header datagram back, so the flow has traffic both ways.
 */
static void
names_quic(gen_t *g, const path_t *p, uint8_t reply_ttl, uint64_t gap_us, uint64_t rtt_us)
{
    /* The DCID of RFC 9001 Appendix A, so the keys can be checked there. */
    static const uint8_t dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
    static const uint8_t scid[8] = {0x5c, 0x1d, 0x7a, 0x0e, 0x61, 0x3b, 0x92, 0x4f};
    uint8_t tp[128], hello[1024];
    wbuf_t tb = wb_init(tp, sizeof tp);
    wbuf_t hb = wb_init(hello, sizeof hello);
    path_t r = path_reverse(p, reply_ttl);
    frame_t f;
    wbuf_t *b;

    quic_client_tp(&tb, scid, sizeof scid);
    tls_client_hello_msg(&hb, &g->rng, "video.plug.example", "h3", NULL, tp, tb.len);
    b = frame_udp(g, &f, p, NP_QUIC, 443);
    quic_client_initial(b, dcid, sizeof dcid, scid, sizeof scid, 0, hello, hb.len);
    frame_send(g, &f, gap_us);

    /*
     * 1-RTT-looking: fixed bit, then random bytes.  They do not start with
     * the client's SCID, so tshark 4.0 does not tie the packet to the
     * connection and warn that it cannot decrypt it; it only notes an
     * unknown (as if migrated) connection.
     */
    b = frame_udp(g, &f, &r, 443, NP_QUIC);
    put8(b, (uint8_t)(0x40 | rng_below(&g->rng, 0x40)));
    put_random(b, &g->rng, 80);
    frame_send(g, &f, rtt_us);
}

static void
names_run(gen_t *g)
{
    /* Locally administered MACs: tshark resolves no vendor for them. */
    static const uint8_t mac_router[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    static const uint8_t mac_camera[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x50};
    static const uint8_t mac_plug[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x60};
    static const char fw_req[] = "GET /fw/latest.bin HTTP/1.1\r\n"
                                 "Host: firmware.vendor.example:8080\r\n"
                                 "User-Agent: camfw/2.4.1\r\n"
                                 "Accept: */*\r\n"
                                 "Connection: close\r\n"
                                 "\r\n";
    /* A spreadsheet formula and a TAB: whoever prints Host must neutralise both. */
    static const char hostile_req[] = "GET / HTTP/1.1\r\n"
                                      "Host: =HYPERLINK(\"http://x.example\")\t.evil.example\r\n"
                                      "User-Agent: camfw/2.4.1\r\n"
                                      "Accept: */*\r\n"
                                      "Connection: close\r\n"
                                      "\r\n";
    home_t h = {.g = g};
    tcpconn_t api, c;
    path_t p;
    ipaddr_t ans[2];

    h.router = host_make(mac_router, "192.168.1.1", "fd00::1");
    h.camera = host_make(mac_camera, "192.168.1.50", "fd00::50"); /* IPv4 only here */
    h.plug = host_make(mac_plug, "192.168.1.60", "fd00::60");

    /* 1. Camera resolves its API through a CNAME chain. */
    p = lan_path(&h.camera, &h.router, false);
    names_cname_lookup(g, &p, 0, MS(10));

    /* 2. TLS to the API; this connection stays open until step 11. */
    p = wan_path(&h, &h.camera, "35.157.100.20");
    tcp_conn_init(&api, &p, 241, NP_TCP_API, 443, &g->rng);
    tls_open(g, &api, "device-api.vendor.example", "http/1.1", MS(10), MS(14));
    tls_send(g, &api, false, 310, MS(10));
    tls_send(g, &api, false, 124, 300);
    tls_send(g, &api, true, 95, MS(14));
    tls_send(g, &api, true, 640, 200);
    tcp_seg(g, &api, false, TF_ACK, NULL, 0, 90);

    /* 3. TLS to an address no DNS answer named: SNI only. */
    p = wan_path(&h, &h.camera, "52.94.236.248");
    names_tls_flow(g, &p, 232, NP_TCP_TELEMETRY, "telemetry.vendor.example", "http/1.1", 280, 48);

    /* 4. Plain HTTP to an address no DNS answer named: Host (with a port) only. */
    p = wan_path(&h, &h.camera, "93.184.216.34");
    tcp_conn_init(&c, &p, 55, NP_TCP_FIRMWARE, 80, &g->rng);
    http_fetch(g, &c, fw_req, "200 OK", "application/octet-stream",
               "CTFW v2.4.2 build 20260110 size 0\n", MS(10), MS(10));

    /* 5. NTP to an address nothing names. */
    p = wan_path(&h, &h.camera, "8.8.8.8");
    ntp_exchange_on(g, &p, 117, NP_NTP_GOOGLE, MS(10), MS(10));

    /* 6. Plug resolves over IPv6: two AAAA answers, no CNAME. */
    p = lan_path(&h.plug, &h.router, true);
    ans[0] = ip_parse("2a00:1450:4001:82a::200e");
    ans[1] = ip_parse("2a00:1450:4001:82a::200f");
    dns_exchange_on(g, &p, 64, 0x4e06, NP_DNS_PLUG, "cloud.plug.example", ans, 2, MS(10), MS(10));

    /* 7. Plug TLS over IPv6 to the first answer. */
    p = wan_path(&h, &h.plug, "2a00:1450:4001:82a::200e");
    names_tls_flow(g, &p, 118, NP_TCP_PLUG, "cloud.plug.example", "h2", 190, 61);

    /* 8. NTP request, the lookup of its server, then the reply: named mid-flow. */
    {
        uint8_t buf[48];
        wbuf_t b = wb_init(buf, sizeof buf);
        path_t r;
        uint64_t t1 = g->now_us + MS(10);

        p = wan_path(&h, &h.camera, "162.159.200.1");
        r = path_reverse(&p, 58);
        ntp_put(&b, false, 0, t1);
        send_udp(g, &p, NP_NTP_TIME, 123, buf, b.len, MS(10));

        ans[0] = ip_parse("162.159.200.1");
        p = lan_path(&h.camera, &h.router, false);
        dns_exchange_on(g, &p, 64, 0x4e08, NP_DNS_TIME, "time.vendor.example", ans, 1, MS(10),
                        MS(10));

        b = wb_init(buf, sizeof buf);
        ntp_put(&b, true, t1, g->now_us + MS(10));
        send_udp(g, &r, 123, NP_NTP_TIME, buf, b.len, MS(10));
    }

    /* 9. A second name for the API's address. */
    p = lan_path(&h.camera, &h.router, false);
    ans[0] = ip_parse("35.157.100.20");
    dns_exchange_on(g, &p, 64, 0x4e09, NP_DNS_CDN, "cdn-other.example", ans, 1, MS(10), MS(10));

    /* 10. Not TLS on the MQTT-over-TLS port: only the address names this flow. */
    p = wan_path(&h, &h.camera, "35.157.100.20");
    tcp_conn_init(&c, &p, 241, NP_TCP_MQTT, 8883, &g->rng);
    tcp_handshake(g, &c, MS(10), MS(14));
    names_raw_seg(g, &c, false, 0x10, 40, MS(10)); /* like MQTT CONNECT */
    names_raw_seg(g, &c, true, 0x20, 40, MS(14));  /* like MQTT CONNACK */
    tcp_close(g, &c, MS(10), MS(14));

    /* 11. The API connection from step 2 speaks once more, then closes. */
    tls_send(g, &api, false, 77, MS(10));
    tcp_seg(g, &api, true, TF_ACK, NULL, 0, MS(14));
    tcp_close(g, &api, MS(10), MS(14));

    /* 12. A hostile Host header. */
    p = wan_path(&h, &h.camera, "185.60.216.35");
    tcp_conn_init(&c, &p, 57, NP_TCP_HOSTILE, 80, &g->rng);
    http_fetch(g, &c, hostile_req, "404 Not Found", "text/html; charset=UTF-8",
               "<html><body><h1>404 Not Found</h1></body></html>\n", MS(10), MS(10));

    /* 13. QUIC from the plug: the SNI sits inside the protected Initial. */
    p = wan_path(&h, &h.plug, "142.250.185.78");
    names_quic(g, &p, 119, MS(10), MS(10));

    /* 14. DNS over TCP (as after a truncated answer), then a flow to the
     * address it gave. */
    p = lan_path(&h.camera, &h.router, false);
    ans[0] = ip_parse("93.184.216.35");
    names_dns_tcp(g, &p, 0x4e0e, "update.vendor.example", &ans[0]);
    p = wan_path(&h, &h.camera, "93.184.216.35");
    ntp_exchange_on(g, &p, 54, NP_NTP_UPDATE, MS(10), MS(10));
}

/* ------------------------------------------------------------------ */
/* Bench capture                                                       */
/* ------------------------------------------------------------------ */

enum {
    BENCH_DEVICES = 50,
    BENCH_SLOTS = 256, /* concurrently active flows */
    POOL_SIZE = 1 << 16,
    AVG_FLOW_PACKETS = 8, /* rough mean, only used to pace first visits */
};

/* An address block; the tables below are written as CIDR text for reading. */
typedef struct {
    ipaddr_t base;
    unsigned plen;
} net_t;

/* Large provider blocks, so part of the remotes cluster as real traffic does. */
static const char *const popular4[] = {
    "142.250.0.0/15", "172.217.0.0/16", "52.0.0.0/11",  "3.64.0.0/12",
    "104.16.0.0/13",  "151.101.0.0/16", "23.32.0.0/11", "31.13.64.0/18",
    "17.0.0.0/8",     "20.192.0.0/10",  "34.64.0.0/10", "13.32.0.0/15",
};
static const char *const popular6[] = {
    "2a00:1450::/32", "2607:f8b0::/32", "2606:4700::/32", "2600:1f00::/24",
    "2a03:2880::/32", "2620:1ec::/36",  "2a02:26f0::/29", "2a04:4e40::/32",
};

/* IANA special-purpose IPv4 blocks (RFC 6890 registry) plus multicast/reserved. */
static const char *const special4[] = {
    "0.0.0.0/8",      "10.0.0.0/8",     "100.64.0.0/10",   "127.0.0.0/8",     "169.254.0.0/16",
    "172.16.0.0/12",  "192.0.0.0/24",   "192.0.2.0/24",    "192.31.196.0/24", "192.52.193.0/24",
    "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",   "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4",    "240.0.0.0/4",
};

/* Special-purpose blocks inside 2000::/3, plus the bench LAN's own prefix. */
static const char *const special6[] = {
    "2001::/23", "2001:db8::/32",     "2002::/16",
    "3fff::/20", "2620:4f:8000::/48", "2a02:8108:1:2::/64",
};

typedef struct {
    net_t popular4[ARRAY_LEN(popular4)], popular6[ARRAY_LEN(popular6)];
    net_t special4[ARRAY_LEN(special4)], special6[ARRAY_LEN(special6)];
} nets_t;

static void
nets_parse(const char *const *cidr, size_t n, net_t *out)
{
    for (size_t i = 0; i < n; i++) {
        char text[INET6_ADDRSTRLEN];
        size_t len = strcspn(cidr[i], "/");

        if (len >= sizeof text || cidr[i][len] != '/')
            die("internal error: bad prefix literal %s", cidr[i]);
        memcpy(text, cidr[i], len);
        text[len] = '\0';
        out[i].base = ip_parse(text);
        out[i].plen = (unsigned)atoi(cidr[i] + len + 1);
    }
}

static void
nets_init(nets_t *n)
{
    nets_parse(popular4, ARRAY_LEN(popular4), n->popular4);
    nets_parse(popular6, ARRAY_LEN(popular6), n->popular6);
    nets_parse(special4, ARRAY_LEN(special4), n->special4);
    nets_parse(special6, ARRAY_LEN(special6), n->special6);
}

static bool
in_net(const uint8_t *a, const net_t *net)
{
    unsigned full = net->plen / 8, rem = net->plen % 8;

    if (memcmp(a, net->base.a, full) != 0)
        return false;
    return rem == 0 || ((a[full] ^ net->base.a[full]) & (0xff00 >> rem)) == 0;
}

static bool
in_any_net(const uint8_t *a, const net_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (in_net(a, &list[i]))
            return true;
    return false;
}

/* Overwrite the first plen bits of a with the block's bits. */
static void
apply_net(uint8_t *a, const net_t *net)
{
    unsigned full = net->plen / 8, rem = net->plen % 8;

    memcpy(a, net->base.a, full);
    if (rem != 0) {
        uint8_t m = (uint8_t)(0xff00 >> rem);

        a[full] = (uint8_t)((net->base.a[full] & m) | (a[full] & ~m));
    }
}

static void
gen_remote4(rng_t *r, const nets_t *nets, ipaddr_t *ip)
{
    ip->fam = 4;
    memset(ip->a, 0, sizeof ip->a);
    do {
        rng_fill(r, ip->a, 4);
        if (rng_below(r, 5) < 2)
            apply_net(ip->a, &nets->popular4[rng_below(r, ARRAY_LEN(nets->popular4))]);
        /* .0 and .255 hosts look like network/broadcast addresses: skip them. */
    } while (ip->a[3] == 0 || ip->a[3] == 255 ||
             in_any_net(ip->a, nets->special4, ARRAY_LEN(nets->special4)));
}

static void
gen_remote6(rng_t *r, const nets_t *nets, ipaddr_t *ip)
{
    /* First 16 bits from the RIR blocks that actually hold most allocations. */
    static const uint16_t rir[][2] = {
        {0x2001, 0x2001}, {0x2003, 0x2003}, {0x2400, 0x240f}, {0x2600, 0x260f},
        {0x2620, 0x2620}, {0x2800, 0x280f}, {0x2a00, 0x2a0f}, {0x2c0f, 0x2c0f},
    };

    ip->fam = 6;
    do {
        rng_fill(r, ip->a, 16);
        if (rng_below(r, 5) < 2) {
            apply_net(ip->a, &nets->popular6[rng_below(r, ARRAY_LEN(nets->popular6))]);
        } else {
            const uint16_t *blk = rir[rng_below(r, ARRAY_LEN(rir))];
            uint16_t top = (uint16_t)rng_range(r, blk[0], blk[1]);

            ip->a[0] = (uint8_t)(top >> 8);
            ip->a[1] = (uint8_t)top;
        }
        /* Half the servers use short interface ids (::1, ::200e), as seen in DNS. */
        if (rng_below(r, 2) == 0)
            memset(ip->a + 8, 0, 6);
    } while (in_any_net(ip->a, nets->special6, ARRAY_LEN(nets->special6)));
}

/* Open-addressing set over 17-byte addresses, to keep remotes distinct. */
typedef struct {
    uint32_t *slot; /* index + 1, 0 = empty */
    size_t mask;
} addrset_t;

static uint64_t
addr_hash(const ipaddr_t *ip)
{
    uint64_t h = ip->fam;

    for (size_t i = 0; i < 16; i++)
        h = (h ^ ip->a[i]) * UINT64_C(0x100000001b3);
    return h ^ (h >> 29);
}

/* Returns false if an equal address is already present. */
static bool
addrset_insert(addrset_t *s, const ipaddr_t *all, uint32_t idx)
{
    size_t i = (size_t)addr_hash(&all[idx]) & s->mask;

    for (; s->slot[i] != 0; i = (i + 1) & s->mask) {
        const ipaddr_t *o = &all[s->slot[i] - 1];

        if (o->fam == all[idx].fam && memcmp(o->a, all[idx].a, 16) == 0)
            return false;
    }
    s->slot[i] = idx + 1;
    return true;
}

typedef struct {
    uint8_t mac[6];
    ipaddr_t v4, v6;
    uint16_t port; /* next ephemeral port to use */
} device_t;

enum { FK_FREE, FK_TCP, FK_QUIC, FK_DNS, FK_NTP, FK_PING };

typedef struct {
    uint8_t kind;
    uint8_t phase;   /* TCP: see tcp_step(); others: packets sent so far */
    uint8_t rounds;  /* TCP: request/response rounds still to start */
    uint8_t unacked; /* TCP: server segments the client has not ACKed */
    uint16_t left;   /* TCP: response segments left; others: packets left */
    uint16_t id;     /* DNS id, ICMP echo id */
    uint32_t tag;    /* seeds the DNS name and answer */
    uint32_t remote;
    tcpconn_t c; /* endpoints and ports; sequence numbers for TCP only */
} flow_t;

typedef struct {
    gen_t g;
    rng_t r; /* traffic decisions */
    uint8_t pool[POOL_SIZE];
    device_t dev[BENCH_DEVICES];
    uint8_t router_mac[6];
    ipaddr_t *remote;
    uint8_t *remote_ttl;
    uint8_t *seen;
    uint32_t nremote, nremote6;
    uint32_t next_new; /* remotes [0, next_new) already had a flow */
    uint64_t flows;
    flow_t slot[BENCH_SLOTS];
} bench_t;

static void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);

    if (p == NULL)
        die("out of memory");
    return p;
}

static void
bench_devices(bench_t *bn, uint64_t seed)
{
    /* Vendors of a typical smart home: Espressif, Tuya/TP-Link, Apple, Amazon... */
    static const uint8_t ouis[][3] = {
        {0x08, 0x3a, 0x8d}, {0x50, 0xc7, 0xbf}, {0x3c, 0x22, 0xfb}, {0x68, 0x54, 0xfd},
        {0xf4, 0xf5, 0xd8}, {0x2c, 0xaa, 0x8e}, {0xdc, 0xa6, 0x32}, {0x00, 0x17, 0x88},
    };
    static const uint8_t router_mac[6] = {0x3c, 0xa6, 0x2f, 0x12, 0x34, 0x01};
    rng_t r = rng_stream(seed, 1);
    ipaddr_t v4 = ip_parse("192.168.1.0");
    ipaddr_t v6 = ip_parse("2a02:8108:1:2::");

    memcpy(bn->router_mac, router_mac, 6);
    for (uint32_t i = 0; i < BENCH_DEVICES; i++) {
        device_t *d = &bn->dev[i];

        memcpy(d->mac, ouis[i % ARRAY_LEN(ouis)], 3);
        rng_fill(&r, d->mac + 3, 3);
        d->v4 = v4;
        d->v4.a[3] = (uint8_t)(100 + i);
        d->v6 = v6;
        rng_fill(&r, d->v6.a + 8, 8); /* RFC 8981 temporary address */
        d->port = next_port((uint16_t)rng_range(&r, EPHEMERAL_LO, EPHEMERAL_HI));
    }
}

static void
bench_remotes(bench_t *bn, uint32_t n, unsigned v6_percent, uint64_t seed)
{
    rng_t r = rng_stream(seed, 2);
    nets_t nets;
    addrset_t set;
    size_t cap = 16;

    nets_init(&nets);
    while (cap < (size_t)n * 2)
        cap *= 2;
    set.slot = xcalloc(cap, sizeof *set.slot);
    set.mask = cap - 1;
    bn->remote = xcalloc(n, sizeof *bn->remote);
    bn->remote_ttl = xcalloc(n, 1);
    bn->seen = xcalloc(n, 1);
    bn->nremote = n;
    bn->nremote6 = (uint32_t)(((uint64_t)n * v6_percent + 50) / 100);
    for (uint32_t i = 0; i < n; i++) {
        static const uint8_t initial_ttl[] = {64, 64, 64, 128, 255};
        uint8_t ttl;

        do {
            if (i < bn->nremote6)
                gen_remote6(&r, &nets, &bn->remote[i]);
            else
                gen_remote4(&r, &nets, &bn->remote[i]);
        } while (!addrset_insert(&set, bn->remote, i));
        ttl = initial_ttl[rng_below(&r, ARRAY_LEN(initial_ttl))];
        bn->remote_ttl[i] = (uint8_t)(ttl - rng_range(&r, 6, 24)); /* hops away */
    }
    free(set.slot);
    /* Shuffle so both families and popularity ranks are spread over the list. */
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = rng_below(&r, i + 1);
        ipaddr_t t = bn->remote[i];
        uint8_t tt = bn->remote_ttl[i];

        bn->remote[i] = bn->remote[j];
        bn->remote[j] = t;
        bn->remote_ttl[i] = bn->remote_ttl[j];
        bn->remote_ttl[j] = tt;
    }
}

static void
put_pool(bench_t *bn, wbuf_t *b, size_t n)
{
    putn(b, bn->pool + rng_below(&bn->r, (uint32_t)(POOL_SIZE - n)), n);
}

/* One TLS application-data record filling the segment: what port 443 carries. */
static void
bench_tls_seg(bench_t *bn, flow_t *f, bool server, size_t len)
{
    frame_t fr;
    wbuf_t *b = tcp_begin(&bn->g, &fr, &f->c, server, TF_PSH | TF_ACK);

    put8(b, 0x17);
    put16(b, 0x0303);
    put16(b, (uint16_t)(len - 5));
    put_pool(bn, b, len - 5);
    tcp_end(&bn->g, &fr, &f->c, server, TF_PSH | TF_ACK, 0);
}

/* TCP response segment count: mostly small objects, a few bulk downloads. */
static uint16_t
bench_resp_segs(bench_t *bn)
{
    uint32_t x = rng_below(&bn->r, 100);

    if (x < 70)
        return (uint16_t)rng_range(&bn->r, 1, 3);
    if (x < 98)
        return (uint16_t)rng_range(&bn->r, 4, 8);
    return (uint16_t)rng_range(&bn->r, 15, 40);
}

enum { T_SYN, T_SYNACK, T_ACK, T_REQ, T_RESP, T_CACK, T_FIN1, T_FIN2, T_LAST, T_DONE };

/* One TCP packet; the phase machine keeps sequence and ACK numbers exact. */
static void
tcp_step(bench_t *bn, flow_t *f)
{
    gen_t *g = &bn->g;
    size_t mss = tcp_mss(&f->c.c2s.src);

    switch (f->phase) {
    case T_SYN:
        tcp_seg(g, &f->c, false, TF_SYN, NULL, 0, 0);
        f->phase = T_SYNACK;
        break;
    case T_SYNACK:
        tcp_seg(g, &f->c, true, TF_SYN | TF_ACK, NULL, 0, 0);
        f->phase = T_ACK;
        break;
    case T_ACK:
        tcp_seg(g, &f->c, false, TF_ACK, NULL, 0, 0);
        f->phase = T_REQ;
        break;
    case T_REQ:
        bench_tls_seg(bn, f, false, rng_range(&bn->r, 80, 700));
        f->left = bench_resp_segs(bn);
        f->rounds--;
        f->phase = T_RESP;
        break;
    case T_RESP:
        f->left--;
        bench_tls_seg(bn, f, true, f->left == 0 ? rng_range(&bn->r, 60, (uint32_t)mss) : mss);
        if (++f->unacked == 2 || f->left == 0)
            f->phase = T_CACK;
        break;
    case T_CACK:
        tcp_seg(g, &f->c, false, TF_ACK, NULL, 0, 0);
        f->unacked = 0;
        f->phase = f->left > 0 ? T_RESP : f->rounds > 0 ? T_REQ : T_FIN1;
        break;
    case T_FIN1:
        tcp_seg(g, &f->c, false, TF_FIN | TF_ACK, NULL, 0, 0);
        f->phase = T_FIN2;
        break;
    case T_FIN2:
        tcp_seg(g, &f->c, true, TF_FIN | TF_ACK, NULL, 0, 0);
        f->phase = T_LAST;
        break;
    default:
        tcp_seg(g, &f->c, false, TF_ACK, NULL, 0, 0);
        f->phase = T_DONE;
        break;
    }
}

/* Pronounceable, deterministic host names for the DNS-like flows. */
static void
bench_name(uint32_t tag, char *out, size_t cap)
{
    static const char *const syl[] = {"ka",  "ro",  "mi",  "tel", "net", "cdn", "lu", "sta",
                                      "gra", "bel", "dor", "fin", "vo",  "zen", "pi", "mar"};
    static const char *const sub[] = {"www", "api", "cdn", "edge", "img", "static", "m", "push"};
    static const char *const tld[] = {"com", "net", "org", "de", "io", "fr", "nl", "co.uk"};
    rng_t r = {tag};
    /* One draw per statement: argument evaluation order is unspecified in C. */
    const char *s0 = sub[rng_below(&r, ARRAY_LEN(sub))];
    const char *s1 = syl[rng_below(&r, ARRAY_LEN(syl))];
    const char *s2 = syl[rng_below(&r, ARRAY_LEN(syl))];
    const char *s3 = syl[rng_below(&r, ARRAY_LEN(syl))];
    const char *s4 = tld[rng_below(&r, ARRAY_LEN(tld))];
    int n = snprintf(out, cap, "%s.%s%s%s.%s", s0, s1, s2, s3, s4);

    if (n < 0 || (size_t)n >= cap)
        die("internal error: DNS name buffer too small");
}

static void
bench_dns(bench_t *bn, flow_t *f, bool answer)
{
    const ipaddr_t *ra = &bn->remote[f->remote];
    const ipaddr_t *ans = &bn->remote[(f->remote + 1 + f->tag % 97) % bn->nremote];
    char name[64];
    frame_t fr;
    wbuf_t *b;

    if (ans->fam != ra->fam)
        ans = ra; /* keep A answers IPv4 and AAAA answers IPv6 */
    bench_name(f->tag, name, sizeof name);
    if (!answer) {
        b = frame_udp(&bn->g, &fr, &f->c.c2s, f->c.cport, 53);
        dns_header(b, f->id, 0x0100, 1, 0);
        dns_question(b, name, dns_addr_type(ra), 1);
    } else {
        b = frame_udp(&bn->g, &fr, &f->c.s2c, 53, f->c.cport);
        dns_header(b, f->id, 0x8180, 1, 1);
        dns_question(b, name, dns_addr_type(ra), 1);
        dns_rr_addr(b, NULL, 1, 300, ans);
    }
    frame_send(&bn->g, &fr, 0);
}

/*
 * Second byte of a QUIC-like datagram.  Wireshark 4.0 only recognises QUIC
 * from its Initial packets, so these fall through to UDP heuristics, and a
 * high nibble of 4 lets the CLTP one claim the datagram and flag it malformed.
 */
static uint8_t
quic_byte1(uint8_t v)
{
    return (v >> 4) == 4 ? (uint8_t)(v ^ 0x80) : v;
}

/*
 * QUIC-like 1-RTT packets: short header (fixed bit set) with an 8-byte
 * connection id towards the server and a zero-length one back, then
 * "protected" payload.  Client opens with a padded 1252-byte datagram.
 */
static void
bench_quic(bench_t *bn, flow_t *f)
{
    bool last = f->left == 1;
    bool server = !last && f->phase > 0 && f->phase % 3 != 0;
    size_t len = f->phase == 0 ? 1252
                 : server      ? rng_range(&bn->r, 1100, 1350)
                               : rng_range(&bn->r, 30, 90);
    frame_t fr;
    wbuf_t *b;

    if (server) {
        b = frame_udp(&bn->g, &fr, &f->c.s2c, 443, f->c.cport);
        put8(b, (uint8_t)(0x40 | rng_below(&bn->r, 64)));
        put8(b, quic_byte1((uint8_t)rng_next(&bn->r))); /* packet number */
        put_pool(bn, b, len - 2);
    } else {
        b = frame_udp(&bn->g, &fr, &f->c.c2s, f->c.cport, 443);
        put8(b, (uint8_t)(0x40 | rng_below(&bn->r, 64)));
        /* Connection id: tag and remote are per-flow constants. */
        put8(b, quic_byte1((uint8_t)(f->tag >> 24)));
        put8(b, (uint8_t)(f->tag >> 16));
        put16(b, (uint16_t)f->tag);
        put32(b, f->remote);
        put_pool(bn, b, len - 9);
    }
    frame_send(&bn->g, &fr, 0);
}

static void
bench_ntp(bench_t *bn, flow_t *f, bool server)
{
    frame_t fr;
    wbuf_t *b = frame_udp(&bn->g, &fr, server ? &f->c.s2c : &f->c.c2s, 123, 123);

    ntp_put(b, server, bn->g.now_us - 400, bn->g.now_us);
    frame_send(&bn->g, &fr, 0);
}

static void
bench_ping(bench_t *bn, flow_t *f)
{
    bool reply = f->phase % 2 == 1;
    bool v4 = f->c.c2s.src.fam == 4;
    frame_t fr;
    wbuf_t *b = frame_ip(&bn->g, &fr, reply ? &f->c.s2c : &f->c.c2s, v4 ? P_ICMP : P_ICMPV6);

    icmp_put(b, v4 ? (reply ? 0 : 8) : (reply ? 129 : 128), 0);
    put16(b, f->id);
    put16(b, (uint16_t)(f->phase / 2 + 1));
    for (uint8_t i = 0; i < 56; i++)
        put8(b, i);
    frame_send(&bn->g, &fr, 0);
}

/* Emit the flow's next packet; returns true once it has no more. */
static bool
flow_step(bench_t *bn, flow_t *f)
{
    switch (f->kind) {
    case FK_TCP:
        tcp_step(bn, f);
        return f->phase == T_DONE;
    case FK_QUIC:
        bench_quic(bn, f);
        break;
    case FK_DNS:
        bench_dns(bn, f, f->phase == 1);
        break;
    case FK_NTP:
        bench_ntp(bn, f, f->phase == 1);
        break;
    default:
        bench_ping(bn, f);
        break;
    }
    f->phase++;
    return --f->left == 0;
}

/* Popular remotes get most flows (index ~ u^3), new ones keep appearing. */
static uint32_t
pick_remote(bench_t *bn, uint64_t packets_left)
{
    uint64_t unvisited = bn->nremote - bn->next_new;
    uint32_t budget = packets_left > UINT32_MAX ? UINT32_MAX : (uint32_t)packets_left;
    double u;

    /* First visits at twice the even rate: all remotes seen by mid-capture. */
    if (unvisited > 0 && rng_below(&bn->r, budget) < unvisited * 2 * AVG_FLOW_PACKETS)
        return bn->next_new++;
    if (bn->next_new == 0)
        return bn->next_new++;
    u = (double)(rng_next(&bn->r) >> 11) * 0x1p-53;
    return (uint32_t)(u * u * u * bn->next_new);
}

static void
flow_start(bench_t *bn, flow_t *f, uint32_t remote, uint8_t kind)
{
    const ipaddr_t *ra = &bn->remote[remote];
    device_t *d = &bn->dev[rng_below(&bn->r, BENCH_DEVICES)];
    path_t p = path_make(d->mac, bn->router_mac, ra->fam == 4 ? &d->v4 : &d->v6, ra, 64);
    uint16_t sport;

    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->remote = remote;
    f->id = (uint16_t)rng_next(&bn->r);
    f->tag = (uint32_t)rng_next(&bn->r);
    switch (kind) {
    case FK_TCP: {
        uint32_t x = rng_below(&bn->r, 100);

        sport = x < 85 ? 443 : x < 95 ? 8883 : 993;
        f->rounds = rng_below(&bn->r, 5) == 0 ? 2 : 1;
        break;
    }
    case FK_QUIC:
        sport = 443;
        f->left = (uint16_t)rng_range(&bn->r, 4, 12);
        break;
    case FK_DNS:
        sport = 53;
        f->left = 2;
        break;
    case FK_NTP:
        sport = 123;
        f->left = 2;
        break;
    default:
        sport = 0;
        f->left = (uint16_t)(2 * rng_range(&bn->r, 1, 4));
        break;
    }
    tcp_conn_init(&f->c, &p, bn->remote_ttl[remote], kind == FK_NTP ? 123 : d->port, sport, &bn->r);
    if (kind != FK_NTP && kind != FK_PING)
        d->port = next_port(d->port);
    bn->seen[remote] = 1;
    bn->flows++;
}

static uint8_t
pick_kind(bench_t *bn)
{
    uint32_t x = rng_below(&bn->r, 100);

    return x < 38 ? FK_TCP : x < 53 ? FK_QUIC : x < 92 ? FK_DNS : x < 96 ? FK_NTP : FK_PING;
}

static void
bench_run(bench_t *bn, uint64_t npackets)
{
    pcapw_t *w = &bn->g.w;

    while (w->packets < npackets) {
        uint64_t left = npackets - w->packets;
        flow_t *f;

        bn->g.now_us += 1 + rng_below(&bn->r, 200);
        if (left <= bn->nremote - bn->next_new) {
            /* Budget nearly spent: a lone DNS query still visits an unseen remote. */
            flow_t lone;

            flow_start(bn, &lone, bn->next_new++, FK_DNS);
            flow_step(bn, &lone);
            continue;
        }
        f = &bn->slot[rng_below(&bn->r, BENCH_SLOTS)];
        if (f->kind == FK_FREE) {
            uint32_t remote = pick_remote(bn, left);

            flow_start(bn, f, remote, pick_kind(bn));
        }
        if (flow_step(bn, f))
            f->kind = FK_FREE;
    }
}

/* --one-packet-flows: every packet is a flow of its own, a UDP datagram to
 * the discard port from some device's port to some remote, so that flow
 * tables meet as many flows as packets. */
static void
bench_run_single(bench_t *bn, uint64_t packets)
{
    uint64_t per_port = (uint64_t)bn->nremote * BENCH_DEVICES;

    for (uint64_t i = 0; i < packets; i++) {
        uint32_t remote = (uint32_t)(i % bn->nremote);
        const device_t *d = &bn->dev[(i / bn->nremote) % BENCH_DEVICES];
        const ipaddr_t *ra = &bn->remote[remote];
        path_t p = path_make(d->mac, bn->router_mac, ra->fam == 4 ? &d->v4 : &d->v6, ra, 64);
        uint16_t sport = (uint16_t)(1024 + (i / per_port) % 64000);

        send_udp(&bn->g, &p, sport, 9, bn->pool, 32, 10);
        bn->seen[remote] = 1;
        bn->flows++;
    }
}

static void
write_remotes(const bench_t *bn, const char *path)
{
    FILE *f = fopen(path, "w");
    char text[INET6_ADDRSTRLEN];

    if (f == NULL)
        die("cannot create %s: %s", path, strerror(errno));
    for (uint32_t i = 0; i < bn->nremote; i++) {
        const ipaddr_t *ip = &bn->remote[i];

        if (inet_ntop(ip->fam == 4 ? AF_INET : AF_INET6, ip->a, text, sizeof text) == NULL)
            die("internal error: cannot format address");
        if (fprintf(f, "%s\n", text) < 0)
            die("cannot write %s: %s", path, strerror(errno));
    }
    if (fclose(f) != 0)
        die("cannot write %s: %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static const char usage_text[] =
    "usage: ct-pcapgen sample OUT.pcap\n"
    "       ct-pcapgen names OUT.pcap\n"
    "       ct-pcapgen bench [--packets N] [--remotes R] [--v6-percent P] [--seed S]\n"
    "                        [--list-remotes FILE] [--one-packet-flows] OUT.pcap\n"
    "       ct-pcapgen --help\n"
    "\n"
    "Writes a deterministic classic pcap (Ethernet, microsecond timestamps).\n"
    "  sample  a ~180-packet home network capture with every case CamTrace handles\n"
    "  names   a 96-packet capture whose host names come from the capture itself:\n"
    "          DNS (CNAME chain, AAAA), TLS SNI, QUIC Initial SNI, HTTP Host\n"
    "  bench   N packets (default 1000000) between 50 LAN devices and R distinct\n"
    "          public remotes (default 20000, P=10 percent IPv6, seed 1)\n"
    "  --list-remotes FILE  also write the remote addresses, one per line\n"
    "  --one-packet-flows   every packet a UDP flow of its own (flow table tests)\n";

static _Noreturn void
usage(int status)
{
    fputs(usage_text, status == 0 ? stdout : stderr);
    exit(status);
}

static uint64_t
parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
    char *end;
    unsigned long long v;

    errno = 0;
    if (s == NULL || *s < '0' || *s > '9')
        die("%s needs a number", opt);
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        die("%s: %s is not a number in [%" PRIu64 ", %" PRIu64 "]", opt, s, lo, hi);
    return (uint64_t)v;
}

static int
cmd_sample(int argc, char **argv)
{
    gen_t g = {.now_us = BASE_TIME_US, .ipid = 0x1c46, .rng = rng_stream(0x43616d5472616365, 0)};

    if (argc != 3)
        usage(2);
    pcapw_open(&g.w, argv[2]);
    sample_run(&g);
    pcapw_close(&g.w);
    fprintf(stderr, "ct-pcapgen: wrote %" PRIu64 " packets to %s\n", g.w.packets, argv[2]);
    return 0;
}

static int
cmd_names(int argc, char **argv)
{
    gen_t g = {.now_us = BASE_TIME_US, .ipid = 0x2b10, .rng = rng_stream(0x43616d5472616365, 4)};

    if (argc != 3)
        usage(2);
    gcrypt_init();
    pcapw_open(&g.w, argv[2]);
    names_run(&g);
    pcapw_close(&g.w);
    fprintf(stderr, "ct-pcapgen: wrote %" PRIu64 " packets to %s\n", g.w.packets, argv[2]);
    return 0;
}

static int
cmd_bench(int argc, char **argv)
{
    uint64_t packets = 1000000, remotes = 20000, v6_percent = 10, seed = 1;
    const char *out = NULL, *list = NULL;
    bool single = false;
    bench_t *bn;
    uint32_t distinct = 0;

    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--packets") == 0)
            packets = parse_u64(a, val, 1, UINT64_C(4000000000));
        else if (strcmp(a, "--remotes") == 0)
            remotes = parse_u64(a, val, 1, 16000000);
        else if (strcmp(a, "--v6-percent") == 0)
            v6_percent = parse_u64(a, val, 0, 100);
        else if (strcmp(a, "--seed") == 0)
            seed = parse_u64(a, val, 0, UINT64_MAX);
        else if (strcmp(a, "--list-remotes") == 0 && val != NULL)
            list = val;
        else if (strcmp(a, "--one-packet-flows") == 0) {
            single = true;
            continue;
        } else if (a[0] != '-' && out == NULL) {
            out = a;
            continue;
        } else
            usage(2);
        i++; /* consumed the option's value */
    }
    if (out == NULL)
        usage(2);
    if (remotes > packets)
        die("--remotes %" PRIu64 " needs at least as many --packets", remotes);

    bn = xcalloc(1, sizeof *bn);
    bn->g.now_us = BASE_TIME_US;
    bn->r = rng_stream(seed, 3);
    bn->g.ipid = (uint16_t)rng_next(&bn->r);
    rng_fill(&bn->r, bn->pool, sizeof bn->pool);
    bench_devices(bn, seed);
    bench_remotes(bn, (uint32_t)remotes, (unsigned)v6_percent, seed);
    if (list != NULL)
        write_remotes(bn, list);

    pcapw_open(&bn->g.w, out);
    if (single)
        bench_run_single(bn, packets);
    else
        bench_run(bn, packets);
    pcapw_close(&bn->g.w);
    for (uint32_t i = 0; i < bn->nremote; i++)
        distinct += bn->seen[i];
    fprintf(stderr,
            "ct-pcapgen: wrote %" PRIu64 " packets, %" PRIu64 " flows, %" PRIu32
            " distinct remotes (%" PRIu32 " IPv6) to %s\n",
            bn->g.w.packets, bn->flows, distinct, bn->nremote6, out);
    free(bn->remote);
    free(bn->remote_ttl);
    free(bn->seen);
    free(bn);
    return 0;
}

int
main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            usage(0);
    if (argc >= 2 && strcmp(argv[1], "sample") == 0)
        return cmd_sample(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "names") == 0)
        return cmd_names(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "bench") == 0)
        return cmd_bench(argc, argv);
    usage(2);
}
