/* ct_flow.c - the flow table.
 *
 * Flows are stored in fixed blocks of entries (slots), never moved, so
 * that the hash table can point into them.  A key holds its two endpoints
 * in canonical order (lower address, then lower port, first) so that both
 * directions of a flow find the same entry; the entry remembers which
 * endpoint sent first.  Keys are zeroed before they are filled, so
 * padding compares equal and the whole key can be hashed and compared as
 * bytes.
 *
 * The bound: slots are taken in order until max_flows are in use; after
 * that a new flow takes the slot of the least recently used one.  The
 * entries form a list from the most to the least recently used (slot
 * numbers, so two 32-bit links an entry).  While nothing was forgotten,
 * slot i holds flow id i, so ids and the order of first packets need no
 * search; after that, ct_flow_table_foreach() sorts the slots by id.
 *
 * Size: about 150 bytes per flow with the hash table (1,000,000 flows in
 * about 150 MB).
 */
#include "ct_flow.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_FLOWS 4096
#define NO_SLOT UINT32_MAX

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
    uint32_t newer, older; /* slots next in the use list, or NO_SLOT */
    uint32_t slot;         /* its own */
    int64_t first_sec, last_sec;
    uint64_t a_pkts, a_bytes, b_pkts, b_bytes;
    uint64_t id;
} flow_entry;

struct ct_flow_table {
    GHashTable *index;
    GPtrArray *blocks;
    uint32_t max;      /* slots at most */
    uint32_t used;     /* slots in use: flows held */
    uint32_t mru, lru; /* ends of the use list, NO_SLOT when empty */
    uint64_t next_id;  /* ids given so far */
    uint64_t dropped;  /* flows forgotten to make room */
    ct_flow_forget_fn forget;
    void *forget_data;
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
ct_flow_table_new(uint32_t max_flows)
{
    ct_flow_table *t = g_new0(ct_flow_table, 1);

    t->index = g_hash_table_new(key_hash, key_equal);
    t->blocks = g_ptr_array_new_with_free_func(g_free);
    t->max = max_flows == 0 ? CT_FLOW_MAX_FLOWS : MIN(max_flows, NO_SLOT - 1);
    t->mru = t->lru = NO_SLOT;
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

uint32_t
ct_flow_table_max(const ct_flow_table *table)
{
    return table->max;
}

void
ct_flow_table_on_forget(ct_flow_table *table, ct_flow_forget_fn fn, void *data)
{
    table->forget = fn;
    table->forget_data = data;
}

void
ct_flow_table_clear(ct_flow_table *table)
{
    g_hash_table_remove_all(table->index);
    g_ptr_array_set_size(table->blocks, 0);
    table->used = 0;
    table->mru = table->lru = NO_SLOT;
    table->next_id = 0;
    table->dropped = 0;
}

uint64_t
ct_flow_table_size(const ct_flow_table *table)
{
    return table->used;
}

uint64_t
ct_flow_table_dropped(const ct_flow_table *table)
{
    return table->dropped;
}

static flow_entry *
entry_at(const ct_flow_table *table, uint32_t slot)
{
    flow_entry *block = g_ptr_array_index(table->blocks, slot / BLOCK_FLOWS);

    return &block[slot % BLOCK_FLOWS];
}

static void
unlink_slot(ct_flow_table *table, uint32_t slot)
{
    flow_entry *e = entry_at(table, slot);

    if (e->newer != NO_SLOT)
        entry_at(table, e->newer)->older = e->older;
    else
        table->mru = e->older;
    if (e->older != NO_SLOT)
        entry_at(table, e->older)->newer = e->newer;
    else
        table->lru = e->newer;
    e->newer = e->older = NO_SLOT;
}

static void
push_mru(ct_flow_table *table, uint32_t slot)
{
    flow_entry *e = entry_at(table, slot);

    e->newer = NO_SLOT;
    e->older = table->mru;
    if (table->mru != NO_SLOT)
        entry_at(table, table->mru)->newer = slot;
    table->mru = slot;
    if (table->lru == NO_SLOT)
        table->lru = slot;
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

/* A slot for a new flow: the next unused one, else the least recently
 * used flow's, which is forgotten. */
static uint32_t
free_slot(ct_flow_table *table)
{
    uint32_t slot;
    flow_entry *old;

    if (table->used < table->max) {
        if (table->used % BLOCK_FLOWS == 0)
            g_ptr_array_add(table->blocks, g_new(flow_entry, BLOCK_FLOWS));
        return table->used++;
    }
    slot = table->lru;
    old = entry_at(table, slot);
    unlink_slot(table, slot);
    g_hash_table_remove(table->index, old);
    table->dropped++;
    if (table->forget != NULL)
        table->forget(old->id, table->forget_data);
    return slot;
}

static flow_entry *
new_entry(ct_flow_table *table, const flow_key *key, bool src_lo, const ct_flow_packet *pkt)
{
    uint32_t slot = free_slot(table);
    flow_entry *e = entry_at(table, slot);

    memset(e, 0, sizeof *e);
    e->id = table->next_id++;
    e->slot = slot;
    e->key = *key;
    e->a_is_lo = src_lo;
    e->first_sec = e->last_sec = pkt->sec;
    e->first_usec = e->last_usec = pkt->usec;
    e->first_frame = e->last_frame = pkt->frame;
    push_mru(table, slot);
    g_hash_table_add(table->index, e);
    return e;
}

static bool
time_before(int64_t sec, uint32_t usec, int64_t than_sec, uint32_t than_usec)
{
    return sec < than_sec || (sec == than_sec && usec < than_usec);
}

bool
ct_flow_table_add(ct_flow_table *table, const ct_flow_packet *pkt, uint64_t *id)
{
    flow_key key;
    bool src_lo = make_key(pkt, &key);
    flow_entry *e = g_hash_table_lookup(table->index, &key);
    bool is_new = e == NULL;
    bool from_a;

    if (is_new) {
        e = new_entry(table, &key, src_lo, pkt);
    } else if (table->mru == NO_SLOT || entry_at(table, table->mru) != e) {
        uint32_t slot = e->slot;
        unlink_slot(table, slot);
        push_mru(table, slot);
    }
    if (id != NULL)
        *id = e->id;
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

static void
fill_flow(const flow_entry *e, ct_flow *flow)
{
    bool src_is_lo = e->a_is_lo != e->b_initiated;

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

bool
ct_flow_table_get(const ct_flow_table *table, uint64_t id, ct_flow *flow)
{
    const flow_entry *e;

    if (id >= table->next_id || table->used == 0)
        return false;
    if (table->dropped == 0) {
        fill_flow(entry_at(table, (uint32_t)id), flow);
        return true;
    }
    e = entry_at(table, table->mru);
    if (e->id != id) {
        /* Forgotten ids are the oldest ones: the least recently used. */
        uint32_t slot;
        for (slot = 0; slot < table->used && entry_at(table, slot)->id != id; slot++)
            ;
        if (slot == table->used)
            return false;
        e = entry_at(table, slot);
    }
    fill_flow(e, flow);
    return true;
}

static int
compare_ids(const void *a, const void *b)
{
    uint64_t x = (*(flow_entry *const *)a)->id, y = (*(flow_entry *const *)b)->id;

    return x < y ? -1 : x > y;
}

void
ct_flow_table_foreach(const ct_flow_table *table, ct_flow_each_fn fn, void *data)
{
    flow_entry **order;
    ct_flow flow;

    if (table->dropped == 0) {
        for (uint32_t slot = 0; slot < table->used; slot++) {
            fill_flow(entry_at(table, slot), &flow);
            fn(entry_at(table, slot)->id, &flow, data);
        }
        return;
    }
    order = g_new(flow_entry *, table->used);
    for (uint32_t slot = 0; slot < table->used; slot++)
        order[slot] = entry_at(table, slot);
    qsort(order, table->used, sizeof *order, compare_ids);
    for (uint32_t i = 0; i < table->used; i++) {
        fill_flow(order[i], &flow);
        fn(order[i]->id, &flow, data);
    }
    g_free(order);
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
