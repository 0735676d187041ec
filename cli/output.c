/* output.c - see output.h.
 *
 * The two hosts of a record are found in a table too big for the nearest
 * caches: for ECS without PTR their slots are asked for while the record
 * before is written (camtrace.c's writer thread, hosts_prefetch()), both
 * entries first here (hosts_candidate() prefetches them), and the input
 * cells, or an ECS document's head, are written while they arrive.
 */
#include "output.h"

#include <errno.h>
#include <sys/stat.h>

#include "ct_cells.h"
#include "ct_ecs.h"
#include "ct_flow.h"
#include "input.h"
#include "messages.h"

FILE *
output_open(const char *path, int in_fd)
{
    struct stat in_st, out_st;
    FILE *stream;

    if (is_stdio(path))
        return stdout;
    /* Opening for writing truncates: never do that to the input. */
    if (fstat(in_fd, &in_st) == 0 && stat(path, &out_st) == 0 && S_ISREG(out_st.st_mode) &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
        msg_error("cannot write %s: it is the input file", path);
        return NULL;
    }
    stream = fopen(path, "w");
    if (stream == NULL)
        msg_error("cannot write %s: %s", path, g_strerror(errno));
    return stream;
}

static const char *
ptr_name(ct_ptr *ptr, const ct_host *host, char name[CT_DNS_NAME_MAX + 1])
{
    if (ptr == NULL || host == NULL || host->scope != CT_SCOPE_GLOBAL)
        return NULL;
    return ct_ptr_get(ptr, &host->addr, name, NULL) == CT_PTR_FOUND ? name : NULL;
}

/* A side's nine cells.  With a PTR name they are written afresh (the DNS
 * round trips cost far more); without, from the rendered copy. */
static void
write_host(ct_out *out, ct_ptr *ptr, ct_out_side side, const host_entry *h)
{
    char name[CT_DNS_NAME_MAX + 1];
    const char *found = ptr_name(ptr, h->host, name);

    if (found != NULL)
        ct_out_host(out, side, h->host, found);
    else
        ct_out_rendered(out, h->cells[side], h->len[side]);
}

/* The seed's first 8 columns of a record of another format, from its
 * view: the time in ISO 8601 UTC, the protocol as the flow export names
 * it. */
static void
write_view_cells(ct_out *out, const flow_view *v, const ct_addr *src, const ct_addr *dst)
{
    char proto[CT_FLOW_PROTO_LABEL_SIZE];
    char ip[CT_ADDR_STRLEN];
    const ct_addr *addr[2] = {src, dst};

    if (v->has_start)
        ct_out_timestamp(out, "ts", v->start_sec, v->start_usec);
    else
        ct_out_null(out, "ts");
    if (v->proto >= 0)
        ct_out_string(out, "proto", ct_flow_proto_label((uint8_t)v->proto, proto));
    else
        ct_out_string(out, "proto", v->transport[0] != '\0' ? v->transport : NULL);
    for (int s = 0; s < 2; s++) {
        ct_addr_format(addr[s], ip);
        ct_out_string(out, s == 0 ? "src_ip" : "dst_ip", ip);
        if (v->has_port[s])
            ct_out_uint(out, s == 0 ? "src_port" : "dst_port", v->port[s]);
        else
            ct_out_null(out, s == 0 ? "src_port" : "dst_port");
    }
    if (v->has_bytes)
        ct_out_uint(out, "bytes", v->bytes);
    else
        ct_out_null(out, "bytes");
    if (v->has_packets)
        ct_out_uint(out, "pkts", v->packets);
    else
        ct_out_null(out, "pkts");
}

void
output_record(ct_out *out, const record *r, host_table *hosts, ct_ptr *ptr, const ct_addr *src,
              const ct_addr *dst)
{
    uint32_t src_hash = hosts_hash(src), dst_hash = hosts_hash(dst);
    host_entry *src_candidate = hosts_candidate(hosts, src_hash);
    host_entry *dst_candidate = hosts_candidate(hosts, dst_hash);

    ct_out_begin(out);
    if (ct_out_get_format(out) == CT_OUT_CSV && r->format != INPUT_SEED) {
        write_view_cells(out, &r->view, src, dst);
    } else if (ct_out_get_format(out) == CT_OUT_CSV) {
        /* A CSV cell from a member, by the rule of ct_cells.h. */
        for (int col = 0; col < INPUT_COLUMNS; col++)
            ct_cells_member(out, ct_out_seed_columns[col], record_column(r, col), r->scratch);
    } else {
        const ct_json_member *m = r->members;

        for (size_t i = 0; i < r->n_members; i++) {
            if (!record_is_enrichment_key(&m[i]))
                ct_out_json_value(out, m[i].key, m[i].value, m[i].value_len);
        }
    }
    write_host(out, ptr, CT_OUT_SRC, hosts_lookup(hosts, src, src_hash, src_candidate));
    write_host(out, ptr, CT_OUT_DST, hosts_lookup(hosts, dst, dst_hash, dst_candidate));
    ct_out_end(out);
}

/* One end of an ECS document: the view's values, the host's rendered
 * parts, a PTR name as its name. */
static void
ecs_end(ct_ecs_end *e, const flow_view *v, int side, const host_entry *h, const ct_addr *addr,
        ct_ptr *ptr, const ct_names *names, char name[CT_DNS_NAME_MAX + 1])
{
    e->addr = *addr;
    e->has_port = v->has_port[side];
    e->port = v->port[side];
    e->has_bytes = v->has_side_bytes[side];
    e->bytes = v->side_bytes[side];
    e->has_packets = v->has_side_packets[side];
    e->packets = v->side_packets[side];
    e->host = h->host;
    if (h->host != NULL) {
        for (int p = 0; p < CT_ECS_PARTS; p++) {
            e->rendered[p] = h->cells[p];
            e->rendered_len[p] = h->len[p];
        }
    }
    if (ptr_name(ptr, h->host, name) != NULL) {
        e->ptr = e->name = name;
        e->registered_domain = ct_names_domain(names, name);
        e->name_source = "ptr";
    }
}

void
output_ecs(ct_out *out, const flow_view *v, host_table *hosts, ct_ptr *ptr, const ct_names *names,
           const char *index, const ct_addr *src, const ct_addr *dst)
{
    uint32_t src_hash = hosts_hash(src), dst_hash = hosts_hash(dst);
    host_entry *src_candidate = hosts_candidate(hosts, src_hash);
    host_entry *dst_candidate = hosts_candidate(hosts, dst_hash);
    const host_entry *h[2];
    char name[2][CT_DNS_NAME_MAX + 1];
    ct_ecs_flow f;
    bool local[2];

    ct_ecs_flow_init(&f);
    f.has_start = v->has_start;
    f.start_sec = v->start_sec;
    f.start_usec = v->start_usec;
    f.has_end = v->has_end;
    f.end_sec = v->end_sec;
    f.end_usec = v->end_usec;
    f.has_duration = v->has_duration;
    f.duration_ns = v->duration_ns;
    f.proto = v->proto;
    f.transport = v->transport[0] != '\0' ? v->transport : NULL;
    f.community_id = v->community_id[0] != '\0' ? v->community_id : NULL;
    f.has_bytes = v->has_bytes;
    f.bytes = v->bytes;
    f.has_packets = v->has_packets;
    f.packets = v->packets;
    f.end[0].addr = *src;
    f.end[1].addr = *dst;
    if (index != NULL)
        ct_ecs_write_action(out, index);
    /* What needs no host first, while the entries arrive. */
    ct_ecs_write_head(out, &f);
    h[0] = hosts_lookup(hosts, src, src_hash, src_candidate);
    h[1] = hosts_lookup(hosts, dst, dst_hash, dst_candidate);
    ecs_end(&f.end[0], v, 0, h[0], src, ptr, names, name[0]);
    ecs_end(&f.end[1], v, 1, h[1], dst, ptr, names, name[1]);
    f.ip[0] = h[0]->ip;
    f.ip[1] = h[1]->ip;
    /* The device: the local end, the initiator when both are. */
    for (int s = 0; s < 2; s++)
        local[s] = h[s]->host ? h[s]->local : ct_scope_is_local(ct_addr_scope(&f.end[s].addr));
    f.device = local[0] ? 0 : local[1] ? 1 : -1;
    ct_ecs_write_ends(out, &f);
}
