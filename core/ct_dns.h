/* ct_dns.h - building PTR questions and reading their answers.
 *
 * PTR names are chosen by whoever controls the address, so an answer is
 * untrusted input: every length and pointer is checked, and the name is
 * turned into safe text (see ct_dns_parse_ptr()).
 */
#ifndef CT_DNS_H
#define CT_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct_addr.h"

G_BEGIN_DECLS

/* Longest name we keep: RFC 1035's 253 characters of presentation form. */
#define CT_DNS_NAME_MAX 253
/* in-addr.arpa / ip6.arpa owner names: 72 characters for IPv6. */
#define CT_DNS_QNAME_MAX 80

typedef enum {
    CT_DNS_ANSWER_NAME = 0, /* at least one PTR record */
    CT_DNS_ANSWER_NODATA,   /* a valid answer without PTR records */
    CT_DNS_ANSWER_BAD,      /* malformed or not an answer to this question */
} ct_dns_answer;

/* The reverse-lookup owner name of addr ("4.3.2.1.in-addr.arpa").  NAT64
 * and IPv4-mapped addresses are asked by their IPv4 address. */
void ct_dns_reverse_name(const ct_addr *addr, char out[CT_DNS_QNAME_MAX]);

/* Read a DNS response (msg, len) to the PTR question qname.  Follows CNAME
 * chains inside the answer (RFC 2317 classless delegation).  On
 * CT_DNS_ANSWER_NAME, name receives the first PTR target as text: at most
 * CT_DNS_NAME_MAX bytes, no trailing dot, valid UTF-8, with '.' and '\\'
 * inside labels and any control byte or invalid UTF-8 byte written as
 * \DDD (RFC 4343 style); *count receives the number of PTR records. */
ct_dns_answer ct_dns_parse_ptr(const uint8_t *msg, size_t len, const char *qname,
                               char name[CT_DNS_NAME_MAX + 1], unsigned *count);

/* Addresses a DNS response gives for the name that was asked: every A or
 * AAAA record of the answer section owned by the question name or by a
 * name the question leads to through CNAME records.  fn receives each
 * address with the question name rendered as by ct_dns_parse_ptr() and
 * lower-cased (resolvers may randomize case).  Records about other names
 * are ignored: they are not what the client asked for.  Returns the number
 * of addresses, 0 for a question that asks no addresses, -1 when msg is
 * not a well-formed response. */
typedef void (*ct_dns_address_fn)(const ct_addr *addr, const char *qname, void *data);
int ct_dns_parse_addresses(const uint8_t *msg, size_t len, ct_dns_address_fn fn, void *data);

/* A host name from untrusted text (a TLS server name, an HTTP Host): at
 * most 63 bytes per label, 255 in wire form, no empty label; a final dot
 * is dropped.  Rendered and capped as ct_dns_parse_ptr() renders names,
 * lower-cased.  False when text is not a name. */
bool ct_dns_clean_name(const char *text, size_t len, char out[CT_DNS_NAME_MAX + 1]);

G_END_DECLS

#endif
