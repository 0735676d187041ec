/* ct_flow.c - the flow table.
 *
 * Flows are stored in fixed blocks of entries, never moved, so that the
 * hash table can point into them and the order of first packets is the
 * order of the entries.  A key holds its two endpoints in canonical order
 * (lower address, then lower port, first) so that both directions of a
 * flow find the same entry; the entry remembers which endpoint sent first.
 * Keys are zeroed before they are filled, so padding compares equal and
 * the whole key can be hashed and compared as bytes.
 *
 * Size: about 140 bytes per flow with the hash table (1,000,000 flows in
 * about 140 MB).
 */
#include "ct_flow.h"

#include <string.h>

#define BLOCK_FLOWS 4096

typedef struct {
    ct_addr lo, hi;
    uint16_t lo_port, hi_port;
    uint8_t proto;
    bool has_ports;
} flow_key;

typedef struct {
    flow_key key; /* first: the hash table's key is the entry */
    bool a_is_lo; /* endpoint A (the first sender) is key.lo */
    bool b_initiated;
    bool syn_decided;
    bool has_icmp;
    uint8_t icmp_type, icmp_code;
    uint32_t first_usec, last_usec;
    uint32_t first_frame, last_frame;
    int64_t first_sec, last_sec;
    uint64_t a_pkts, a_bytes, b_pkts, b_bytes;
    uint64_t index;
} flow_entry;

struct ct_flow_table {
    GHashTable *index;
    GPtrArray *blocks;
    uint64_t size;
};

static guint
key_hash(gconstpointer p)
{
    /* Eight bytes at a time, multiply and fold (the key is zero-padded to
     * a multiple of 8 by flow_key's layout or by the tail loop). */
    const uint8_t *b = p;
    uint64_t h = 0x9e3779b97f4a7c15u;
    size_t i = 0;

    for (; i + 8 <= sizeof(flow_key); i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    for (; i < sizeof(flow_key); i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return (guint)(h ^ (h >> 29));
}

static gboolean
key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(flow_key)) == 0;
}

ct_flow_table *
ct_flow_table_new(void)
{
    ct_flow_table *t = g_new0(ct_flow_table, 1);

    t->index = g_hash_table_new(key_hash, key_equal);
    t->blocks = g_ptr_array_new_with_free_func(g_free);
    return t;
}

void
ct_flow_table_free(ct_flow_table *table)
{
    if (table == NULL)
        return;
    g_hash_table_destroy(table->index);
    g_ptr_array_free(table->blocks, TRUE);
    g_free(table);
}

void
ct_flow_table_clear(ct_flow_table *table)
{
    g_hash_table_remove_all(table->index);
    g_ptr_array_set_size(table->blocks, 0);
    table->size = 0;
}

uint64_t
ct_flow_table_size(const ct_flow_table *table)
{
    return table->size;
}

static flow_entry *
entry_at(const ct_flow_table *table, uint64_t i)
{
    flow_entry *block = g_ptr_array_index(table->blocks, i / BLOCK_FLOWS);

    return &block[i % BLOCK_FLOWS];
}

static int
endpoint_cmp(const ct_addr *a, uint16_t aport, const ct_addr *b, uint16_t bport)
{
    int c = memcmp(a->bytes, b->bytes, sizeof a->bytes);

    if (c != 0)
        return c;
    return (int)aport - (int)bport;
}

/* Fills key from pkt; returns true when the sender is the lower endpoint. */
static bool
make_key(const ct_flow_packet *pkt, flow_key *key)
{
    uint16_t sport = pkt->has_ports ? pkt->sport : 0;
    uint16_t dport = pkt->has_ports ? pkt->dport : 0;
    bool src_lo = endpoint_cmp(&pkt->src, sport, &pkt->dst, dport) <= 0;

    memset(key, 0, sizeof *key);
    key->proto = pkt->proto;
    key->has_ports = pkt->has_ports;
    key->lo = src_lo ? pkt->src : pkt->dst;
    key->hi = src_lo ? pkt->dst : pkt->src;
    key->lo_port = src_lo ? sport : dport;
    key->hi_port = src_lo ? dport : sport;
    return src_lo;
}

static flow_entry *
new_entry(ct_flow_table *table, const flow_key *key, bool src_lo, const ct_flow_packet *pkt)
{
    flow_entry *e;

    if (table->size % BLOCK_FLOWS == 0)
        g_ptr_array_add(table->blocks, g_new(flow_entry, BLOCK_FLOWS));
    e = entry_at(table, table->size);
    memset(e, 0, sizeof *e);
    e->index = table->size++;
    e->key = *key;
    e->a_is_lo = src_lo;
    e->first_sec = e->last_sec = pkt->sec;
    e->first_usec = e->last_usec = pkt->usec;
    e->first_frame = e->last_frame = pkt->frame;
    g_hash_table_add(table->index, e);
    return e;
}

static bool
time_before(int64_t sec, uint32_t usec, int64_t than_sec, uint32_t than_usec)
{
    return sec < than_sec || (sec == than_sec && usec < than_usec);
}

bool
ct_flow_table_add(ct_flow_table *table, const ct_flow_packet *pkt, uint64_t *index)
{
    flow_key key;
    bool src_lo = make_key(pkt, &key);
    flow_entry *e = g_hash_table_lookup(table->index, &key);
    bool is_new = e == NULL;
    bool from_a;

    if (is_new)
        e = new_entry(table, &key, src_lo, pkt);
    if (index != NULL)
        *index = e->index;
    from_a = src_lo == e->a_is_lo;
    if (from_a) {
        e->a_pkts++;
        e->a_bytes += pkt->bytes;
    } else {
        e->b_pkts++;
        e->b_bytes += pkt->bytes;
    }
    if (time_before(pkt->sec, pkt->usec, e->first_sec, e->first_usec)) {
        e->first_sec = pkt->sec;
        e->first_usec = pkt->usec;
    }
    if (time_before(e->last_sec, e->last_usec, pkt->sec, pkt->usec)) {
        e->last_sec = pkt->sec;
        e->last_usec = pkt->usec;
    }
    if (pkt->frame > e->last_frame)
        e->last_frame = pkt->frame;
    if (pkt->has_icmp && !e->has_icmp) {
        e->has_icmp = true;
        e->icmp_type = pkt->icmp_type;
        e->icmp_code = pkt->icmp_code;
    }
    if ((pkt->tcp_flags & CT_FLOW_TCP_SYN) && !e->syn_decided) {
        /* A SYN comes from the initiator, a SYN-ACK goes to it. */
        bool sender_initiates = !(pkt->tcp_flags & CT_FLOW_TCP_ACK);
        e->syn_decided = true;
        e->b_initiated = from_a != sender_initiates;
    }
    return is_new;
}

void
ct_flow_table_get(const ct_flow_table *table, uint64_t i, ct_flow *flow)
{
    const flow_entry *e;
    bool src_is_lo;

    g_return_if_fail(i < table->size);
    e = entry_at(table, i);
    src_is_lo = e->a_is_lo != e->b_initiated;
    flow->src = src_is_lo ? e->key.lo : e->key.hi;
    flow->dst = src_is_lo ? e->key.hi : e->key.lo;
    flow->sport = src_is_lo ? e->key.lo_port : e->key.hi_port;
    flow->dport = src_is_lo ? e->key.hi_port : e->key.lo_port;
    flow->proto = e->key.proto;
    flow->has_ports = e->key.has_ports;
    flow->has_icmp = e->has_icmp;
    flow->icmp_type = e->icmp_type;
    flow->icmp_code = e->icmp_code;
    flow->first_sec = e->first_sec;
    flow->first_usec = e->first_usec;
    flow->last_sec = e->last_sec;
    flow->last_usec = e->last_usec;
    flow->first_frame = e->first_frame;
    flow->last_frame = e->last_frame;
    flow->src_pkts = e->b_initiated ? e->b_pkts : e->a_pkts;
    flow->src_bytes = e->b_initiated ? e->b_bytes : e->a_bytes;
    flow->dst_pkts = e->b_initiated ? e->a_pkts : e->b_pkts;
    flow->dst_bytes = e->b_initiated ? e->a_bytes : e->b_bytes;
}

const char *
ct_flow_proto_name(uint8_t proto)
{
    switch (proto) {
    case 1:
        return "icmp";
    case 2:
        return "igmp";
    case 4:
        return "ipip";
    case 6:
        return "tcp";
    case 17:
        return "udp";
    case 33:
        return "dccp";
    case 41:
        return "ipv6";
    case 47:
        return "gre";
    case 50:
        return "esp";
    case 51:
        return "ah";
    case 58:
        return "icmpv6";
    case 88:
        return "eigrp";
    case 89:
        return "ospf";
    case 103:
        return "pim";
    case 112:
        return "vrrp";
    case 115:
        return "l2tp";
    case 132:
        return "sctp";
    case 136:
        return "udplite";
    default:
        return NULL;
    }
}

const char *
ct_flow_proto_label(uint8_t proto, char buf[CT_FLOW_PROTO_LABEL_SIZE])
{
    const char *name = ct_flow_proto_name(proto);

    if (name != NULL)
        return name;
    g_snprintf(buf, CT_FLOW_PROTO_LABEL_SIZE, "%u", proto);
    return buf;
}
