/* learn.c - see learn.h.
 *
 * epan builds the fields names are learned from even in trees nobody sees
 * (the post-dissector asks for them with set_postdissector_wanted_hfids()),
 * and names are learned in each packet's first dissection only: later
 * ones (tshark's second pass, the GUI's clicks) find them learned.  The
 * name a packet's server got from its own connection is kept with
 * Wireshark's conversation, so it covers the whole conversation when
 * packets are seen again, and the conversation's last frame tells how
 * far a name learned later reaches back.
 */
#include "learn.h"

#include <epan/proto.h>

#include <string.h>

#include "state.h"
#include "ct_dns.h"
#include "ws-compat.h"

static int proto_camtrace = -1;
static int proto_dns = -1;
static int hf_sni = -1;
static int hf_http_host = -1;

/* What a conversation taught about its server: the first ClientHello
 * server name or HTTP Host, kept with the conversation (file scope, the
 * strings too). */
typedef struct {
    ct_addr server;
    ct_name name;
} own_name;

void
camtrace_learn_register(int proto)
{
    proto_camtrace = proto;
}

GArray *
camtrace_learn_sources(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, sizeof(int));

    /* Other protocols register after us: looked up when asked. */
    proto_dns = proto_get_id_by_filter_name("dns");
    hf_sni = proto_registrar_get_id_byname("tls.handshake.extensions_server_name");
    hf_http_host = proto_registrar_get_id_byname("http.host");
    if (proto_dns >= 0)
        g_array_append_val(wanted, proto_dns);
    if (hf_sni >= 0)
        g_array_append_val(wanted, hf_sni);
    if (hf_http_host >= 0)
        g_array_append_val(wanted, hf_http_host);
    return wanted;
}

static void
learn_dns_address(const ct_addr *addr, const char *qname, void *data)
{
    const packet_info *pinfo = data;

    ct_names_learn(camtrace_names(), addr, pinfo->num, CT_NAME_DNS, qname);
}

static void
learn_dns(packet_info *pinfo, proto_tree *tree)
{
    GPtrArray *items = proto_dns >= 0 ? proto_get_finfo_ptr_array(tree, proto_dns) : NULL;

    for (guint i = 0; items != NULL && i < items->len; i++) {
        const field_info *fi = g_ptr_array_index(items, i);
        gint start = fi->start, length = fi->length;
        /* Over TCP the message follows a two-byte length. */
        if (pinfo->ptype == PT_TCP) {
            start += 2;
            length -= 2;
        }
        if (fi->ds_tvb == NULL || length <= 0 || !tvb_bytes_exist(fi->ds_tvb, start, length))
            continue;
        ct_dns_parse_addresses(tvb_get_ptr(fi->ds_tvb, start, length), (size_t)length,
                               learn_dns_address, pinfo);
    }
}

/* The server name in a ClientHello or HTTP request: names the packet's
 * destination, in the address's history and as its conversation's own. */
static gboolean
learn_server_name(packet_info *pinfo, proto_tree *tree, int hf, ct_name_source source,
                  const ct_addr *server, ct_name *own)
{
    GPtrArray *items = hf >= 0 ? proto_get_finfo_ptr_array(tree, hf) : NULL;
    char clean[CT_DNS_NAME_MAX + 1];

    for (guint i = 0; items != NULL && i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        const char *text = ct_ws_field_string(fi);
        if (text == NULL || !ct_names_clean(source, text, strlen(text), clean))
            continue;
        ct_names_learn(camtrace_names(), server, pinfo->num, source, clean);
        *own = ct_names_intern(camtrace_names(), clean);
        own->source = source;
        own->frame = pinfo->num;
        return TRUE;
    }
    return FALSE;
}

static conversation_t *
conversation_of(packet_info *pinfo, camtrace_packet_conversation *pc)
{
    if (!pc->known) {
        pc->known = TRUE;
        pc->conv = find_conversation_pinfo(pinfo, 0);
        pc->own = pc->conv ? conversation_get_proto_data(pc->conv, proto_camtrace) : NULL;
    }
    return pc->conv;
}

static void
keep_own_name(packet_info *pinfo, camtrace_packet_conversation *pc, const ct_addr *server,
              const ct_name *name)
{
    conversation_t *conv = conversation_of(pinfo, pc);
    own_name *own;

    if (conv == NULL || pc->own != NULL)
        return; /* the first one counts */
    own = wmem_new(wmem_file_scope(), own_name);
    own->server = *server;
    own->name = *name;
    /* A copy: interned names do not live as long as the capture. */
    own->name.name = wmem_strdup(wmem_file_scope(), name->name);
    if (name->domain != NULL)
        own->name.domain = own->name.name + (name->domain - name->name);
    pc->own = own;
    conversation_add_proto_data(conv, proto_camtrace, own);
}

gboolean
camtrace_learn(packet_info *pinfo, camtrace_packet_conversation *pc, proto_tree *tree,
               const ct_addr *dst, gboolean counted, ct_name *own)
{
    const own_name *known;

    if (pinfo->fd->visited) {
        if (!counted || conversation_of(pinfo, pc) == NULL || (known = pc->own) == NULL ||
            known->name.frame != pinfo->num)
            return FALSE;
        *own = known->name;
        return TRUE;
    }
    if (tree == NULL)
        return FALSE;
    learn_dns(pinfo, tree);
    if (learn_server_name(pinfo, tree, hf_sni, CT_NAME_SNI, dst, own) ||
        learn_server_name(pinfo, tree, hf_http_host, CT_NAME_HTTP, dst, own)) {
        keep_own_name(pinfo, pc, dst, own);
        return TRUE;
    }
    return FALSE;
}

gboolean
camtrace_capture_name(packet_info *pinfo, camtrace_packet_conversation *pc, const ct_addr *addr,
                      ct_name *out)
{
    conversation_t *conv;
    const own_name *own;
    gboolean again = pinfo->fd->visited;

    conv = conversation_of(pinfo, pc);
    own = pc->own;

    if (own != NULL && ct_addr_equal(&own->server, addr) &&
        (again || own->name.frame <= pinfo->num)) {
        *out = own->name;
        return TRUE;
    }
    if (ct_names_at(camtrace_names(), addr, pinfo->num, out))
        return TRUE;
    return again && conv != NULL && conv->last_frame > pinfo->num &&
           ct_names_at(camtrace_names(), addr, conv->last_frame, out);
}
