/* ct_dns.c - see ct_dns.h.
 *
 * Message layout: RFC 1035 section 4.  Names are decoded into their
 * uncompressed wire form first (length-prefixed labels, at most 255 bytes,
 * at most CT_DNS_MAX_JUMPS compression pointers, pointers only backwards so
 * loops end) and only then rendered as text, so that comparisons between
 * owner names are exact and case-insensitive (RFC 4343) and rendering
 * rules live in one place.
 */
#include "ct_dns.h"

#include <string.h>

#define DNS_HEADER_LEN 12
#define DNS_WIRE_NAME_MAX 255
#define CT_DNS_MAX_JUMPS 32
#define CT_DNS_MAX_CNAMES 8
#define TYPE_A 1
#define TYPE_CNAME 5
#define TYPE_PTR 12
#define TYPE_AAAA 28
#define TYPE_ANY 255
#define CLASS_IN 1

typedef struct {
    uint8_t bytes[DNS_WIRE_NAME_MAX];
    size_t len; /* including the final zero label */
} wire_name;

void
ct_dns_reverse_name(const ct_addr *addr, char out[CT_DNS_QNAME_MAX])
{
    static const char hex[] = "0123456789abcdef";
    ct_addr eff = ct_addr_effective(addr);

    if (eff.family == 4) {
        g_snprintf(out, CT_DNS_QNAME_MAX, "%u.%u.%u.%u.in-addr.arpa", eff.bytes[3], eff.bytes[2],
                   eff.bytes[1], eff.bytes[0]);
        return;
    }
    char *p = out;
    for (int i = 15; i >= 0; i--) {
        *p++ = hex[eff.bytes[i] & 0xf];
        *p++ = '.';
        *p++ = hex[eff.bytes[i] >> 4];
        *p++ = '.';
    }
    strcpy(p, "ip6.arpa");
}

static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Decode the (possibly compressed) name at *off; on success advance *off
 * past it in the message and fill out. */
static bool
read_name(const uint8_t *msg, size_t len, size_t *off, wire_name *out)
{
    size_t pos = *off;
    size_t end = 0; /* where the name ends in the record, once known */
    unsigned jumps = 0;

    out->len = 0;
    for (;;) {
        if (pos >= len)
            return false;
        uint8_t l = msg[pos];
        if ((l & 0xc0) == 0xc0) {
            if (pos + 1 >= len || ++jumps > CT_DNS_MAX_JUMPS)
                return false;
            size_t target = (size_t)(l & 0x3f) << 8 | msg[pos + 1];
            if (end == 0)
                end = pos + 2;
            if (target >= pos) /* only backwards: no loops */
                return false;
            pos = target;
            continue;
        }
        if ((l & 0xc0) != 0) /* extended label types are not names */
            return false;
        if (out->len + 1u + l > DNS_WIRE_NAME_MAX || pos + 1u + l > len)
            return false;
        out->bytes[out->len++] = l;
        for (unsigned i = 0; i < l; i++)
            out->bytes[out->len++] = msg[pos + 1 + i];
        pos += 1u + l;
        if (l == 0)
            break;
    }
    *off = end ? end : pos;
    return true;
}

static bool
name_equal(const wire_name *a, const wire_name *b)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++) {
        if (g_ascii_tolower((gchar)a->bytes[i]) != g_ascii_tolower((gchar)b->bytes[i]))
            return false;
    }
    return true;
}

/* Text to wire form, for our own question names only (no escapes). */
static bool
name_from_text(const char *text, wire_name *out)
{
    size_t n = strlen(text);

    if (n + 2 > DNS_WIRE_NAME_MAX)
        return false;
    out->len = 0;
    while (*text != '\0') {
        const char *dot = strchr(text, '.');
        size_t l = dot ? (size_t)(dot - text) : strlen(text);
        if (l == 0 || l > 63)
            return false;
        out->bytes[out->len++] = (uint8_t)l;
        memcpy(out->bytes + out->len, text, l);
        out->len += l;
        text += l + (dot ? 1 : 0);
    }
    out->bytes[out->len++] = 0;
    return true;
}

/* Append a label to s with the escaping rules of ct_dns.h, recording in
 * cuts where each character or escape ends. */
static void
append_label_text(GString *s, GArray *cuts, const uint8_t *label, size_t l)
{
    size_t i = 0;

    while (i < l) {
        uint8_t c = label[i];
        if (c >= 0x80) {
            /* Keep whole valid UTF-8 sequences, escape anything else. */
            const char *start = (const char *)label + i;
            gunichar u = g_utf8_get_char_validated(start, (gssize)(l - i));
            if (u != (gunichar)-1 && u != (gunichar)-2 && !(u >= 0x80 && u < 0xa0)) {
                size_t n = (size_t)(g_utf8_next_char(start) - start);
                g_string_append_len(s, start, (gssize)n);
                i += n;
                g_array_append_val(cuts, s->len);
                continue;
            }
            g_string_append_printf(s, "\\%03u", c);
        } else if (c < 0x20 || c == 0x7f) {
            g_string_append_printf(s, "\\%03u", c);
        } else if (c == '.' || c == '\\') {
            g_string_append_c(s, '\\');
            g_string_append_c(s, (char)c);
        } else {
            g_string_append_c(s, (char)c);
        }
        i++;
        g_array_append_val(cuts, s->len);
    }
}

/* Render a wire name as text capped at CT_DNS_NAME_MAX bytes.  The cap
 * falls at the end of a character or escape: never inside one, never
 * after a separator. */
static void
name_to_text(const wire_name *n, char out[CT_DNS_NAME_MAX + 1])
{
    GString *s = g_string_sized_new(DNS_WIRE_NAME_MAX * 2);
    GArray *cuts = g_array_new(FALSE, FALSE, sizeof(gsize));
    size_t pos = 0;
    gsize keep;

    while (pos < n->len && n->bytes[pos] != 0) {
        size_t l = n->bytes[pos];
        if (s->len > 0)
            g_string_append_c(s, '.');
        append_label_text(s, cuts, n->bytes + pos + 1, l);
        pos += 1 + l;
    }
    keep = s->len;
    if (keep > CT_DNS_NAME_MAX) {
        /* Last safe cut at or below the cap.  (Trimming a trailing '.'
         * instead would break an escaped "\." in two.) */
        keep = 0;
        for (guint i = 0; i < cuts->len; i++) {
            gsize c = g_array_index(cuts, gsize, i);
            if (c <= CT_DNS_NAME_MAX)
                keep = c;
        }
    }
    memcpy(out, s->str, keep);
    out[keep] = '\0';
    g_array_free(cuts, TRUE);
    g_string_free(s, TRUE);
}

/* Records of the answer section owned by a name on the CNAME chain that
 * starts at the question (chain[0]).  visit() sees each such record of
 * class IN; returning false rejects the message. */
typedef bool (*record_fn)(const uint8_t *msg, size_t len, uint16_t type, size_t rdata, size_t rdlen,
                          void *data);

static bool
walk_chain(const uint8_t *msg, size_t len, size_t answers_at, unsigned ancount, wire_name *chain,
           record_fn visit, void *data)
{
    wire_name owner, target;
    unsigned nchain = 1;

    /* First follow CNAMEs from the question (records may come in any
     * order, so repeat while the chain grows), then visit the records
     * owned by any name on the chain. */
    for (unsigned round = 0, grown = 1; round <= CT_DNS_MAX_CNAMES + 1; round++) {
        int pass = grown ? 0 : 1;
        unsigned before = nchain;
        size_t off = answers_at;
        for (unsigned i = 0; i < ancount; i++) {
            if (!read_name(msg, len, &off, &owner) || off + 10 > len)
                return false;
            uint16_t type = get16(msg + off), klass = get16(msg + off + 2);
            size_t rdlen = get16(msg + off + 8);
            size_t rdata = off + 10;
            if (rdata + rdlen > len)
                return false;
            off = rdata + rdlen;
            if (klass != CLASS_IN)
                continue;
            bool on_chain = false;
            for (unsigned c = 0; c < nchain; c++)
                on_chain = on_chain || name_equal(&owner, &chain[c]);
            if (!on_chain)
                continue;
            if (pass == 1) {
                if (!visit(msg, len, type, rdata, rdlen, data))
                    return false;
                continue;
            }
            if (type != TYPE_CNAME)
                continue;
            size_t at = rdata;
            if (!read_name(msg, len, &at, &target) || at != rdata + rdlen)
                return false;
            bool known = false;
            for (unsigned c = 0; c < nchain; c++)
                known = known || name_equal(&target, &chain[c]);
            if (!known && nchain <= CT_DNS_MAX_CNAMES)
                chain[nchain++] = target;
        }
        if (pass == 1)
            break;
        grown = nchain != before;
    }
    return true;
}

/* The question of a response: checks the header, reads the one question
 * into *question and returns the offset of the answer section, or 0. */
static size_t
read_question(const uint8_t *msg, size_t len, wire_name *question, uint16_t *qtype)
{
    size_t off = DNS_HEADER_LEN;

    if (msg == NULL || len < DNS_HEADER_LEN || !(msg[2] & 0x80) || get16(msg + 4) != 1)
        return 0;
    if (!read_name(msg, len, &off, question) || off + 4 > len)
        return 0;
    *qtype = get16(msg + off);
    return off + 4;
}

typedef struct {
    unsigned found;
    wire_name first;
} ptr_search;

static bool
visit_ptr(const uint8_t *msg, size_t len, uint16_t type, size_t rdata, size_t rdlen, void *data)
{
    ptr_search *search = data;
    wire_name target;
    size_t at = rdata;

    if (type != TYPE_PTR)
        return true;
    if (!read_name(msg, len, &at, &target) || at != rdata + rdlen)
        return false;
    if (search->found++ == 0)
        search->first = target;
    return true;
}

ct_dns_answer
ct_dns_parse_ptr(const uint8_t *msg, size_t len, const char *qname, char name[CT_DNS_NAME_MAX + 1],
                 unsigned *count)
{
    wire_name question, chain[CT_DNS_MAX_CNAMES + 1];
    ptr_search search = {0};
    size_t answers_at;
    uint16_t qtype;

    name[0] = '\0';
    *count = 0;
    if (!name_from_text(qname, &chain[0]))
        return CT_DNS_ANSWER_BAD;
    answers_at = read_question(msg, len, &question, &qtype);
    if (answers_at == 0 || !name_equal(&question, &chain[0]))
        return CT_DNS_ANSWER_BAD;
    if (!walk_chain(msg, len, answers_at, get16(msg + 6), chain, visit_ptr, &search))
        return CT_DNS_ANSWER_BAD;
    if (search.found == 0)
        return CT_DNS_ANSWER_NODATA;
    name_to_text(&search.first, name);
    *count = search.found;
    return name[0] != '\0' ? CT_DNS_ANSWER_NAME : CT_DNS_ANSWER_NODATA;
}

/* Escapes (\\DDD) are digits, so lower-casing keeps them intact. */
static void
lower_ascii(char *s)
{
    for (; *s != '\0'; s++)
        *s = g_ascii_tolower(*s);
}

typedef struct {
    ct_dns_address_fn fn;
    void *data;
    const char *qname;
    int count;
} address_search;

static bool
visit_address(const uint8_t *msg, size_t len G_GNUC_UNUSED, uint16_t type, size_t rdata,
              size_t rdlen, void *data)
{
    address_search *search = data;
    ct_addr addr;

    if (type == TYPE_A && rdlen == 4)
        ct_addr_from_ipv4(&addr, msg + rdata);
    else if (type == TYPE_AAAA && rdlen == 16)
        ct_addr_from_ipv6(&addr, msg + rdata);
    else
        return true;
    search->fn(&addr, search->qname, search->data);
    search->count++;
    return true;
}

int
ct_dns_parse_addresses(const uint8_t *msg, size_t len, ct_dns_address_fn fn, void *data)
{
    wire_name chain[CT_DNS_MAX_CNAMES + 1];
    char qname[CT_DNS_NAME_MAX + 1];
    address_search search = {fn, data, qname, 0};
    size_t answers_at;
    uint16_t qtype;

    answers_at = read_question(msg, len, &chain[0], &qtype);
    if (answers_at == 0)
        return -1;
    if (qtype != TYPE_A && qtype != TYPE_AAAA && qtype != TYPE_ANY)
        return 0;
    name_to_text(&chain[0], qname);
    if (qname[0] == '\0')
        return 0;
    lower_ascii(qname);
    if (!walk_chain(msg, len, answers_at, get16(msg + 6), chain, visit_address, &search))
        return -1;
    return search.count;
}

bool
ct_dns_clean_name(const char *text, size_t len, char out[CT_DNS_NAME_MAX + 1])
{
    wire_name wire = {.len = 0};
    size_t pos = 0;

    out[0] = '\0';
    if (len > 0 && text[len - 1] == '.')
        len--;
    if (len == 0)
        return false;
    while (pos <= len) {
        const char *dot = memchr(text + pos, '.', len - pos);
        size_t l = (dot != NULL ? (size_t)(dot - text) : len) - pos;
        if (l == 0 || l > 63 || wire.len + 1 + l + 1 > DNS_WIRE_NAME_MAX)
            return false;
        wire.bytes[wire.len++] = (uint8_t)l;
        memcpy(wire.bytes + wire.len, text + pos, l);
        wire.len += l;
        pos += l + 1;
    }
    wire.bytes[wire.len++] = 0;
    name_to_text(&wire, out);
    lower_ascii(out);
    return out[0] != '\0';
}
