/* Unit tests for ct_communityid: Community ID v1 flow hashes.
 *
 * Every expected ID comes from an independent implementation, never from
 * ct_communityid itself:
 *
 *  - sample: Wireshark 4.0.17's post-dissector on data/sample.pcap,
 *      tshark --enable-protocol communityid -r data/sample.pcap -T fields
 *          -e ip.src -e ipv6.src ... -e communityid
 *    (frame numbers in the comments);
 *  - crafted: the same post-dissector, with and without
 *    -o communityid.seed:1, on hand-made raw-IP packets (linktype 101),
 *    one per row below, built so tshark sees exactly the tuple in the row
 *    (ICMP errors without a quoted packet: with one, Wireshark hashes the
 *    quoted packet's addresses);
 *  - spec: the spec's own baseline tables, baseline/baseline_deflt.json and
 *    baseline_seed1.json in github.com/corelight/community-id-spec, made by
 *    its reference Python implementation.  Their ICMP rows list type and
 *    mapped counterpart (or code) as ports; type in sport is what we pass. */
#include <string.h>

#include <glib.h>

#include "ct_communityid.h"

#define NOPORTS false, 0, 0

typedef struct {
    const char *src;
    const char *dst;
    uint8_t proto;
    bool has_ports;
    uint16_t sport; /* ICMP: type */
    uint16_t dport; /* ICMP: code */
    uint16_t seed;
    const char *id;
} cid_case;

static const cid_case sample_cases[] = {
    /* 16, 17: TCP v4, both directions */
    {"192.168.1.20", "52.94.236.248", 6, true, 39924, 443, 0, "1:ko90z9JVbov1hQhQwjqBExdYZ40="},
    {"52.94.236.248", "192.168.1.20", 6, true, 443, 39924, 0, "1:ko90z9JVbov1hQhQwjqBExdYZ40="},
    /* 14, 15: UDP v4 (DNS), both directions */
    {"192.168.1.20", "192.168.1.1", 17, true, 46660, 53, 0, "1:bdeGZvZctSxHEkA3HNYMxqzIpEA="},
    {"192.168.1.1", "192.168.1.20", 17, true, 53, 46660, 0, "1:bdeGZvZctSxHEkA3HNYMxqzIpEA="},
    /* 11: mDNS, equal ports */
    {"192.168.1.20", "224.0.0.251", 17, true, 5353, 5353, 0, "1:X7rh11pEYUF0/JMtfOZcog+L/Us="},
    /* 108: TCP v6 */
    {"2a02:8108:1:2::40", "2607:f8b0:4005:80c::200e", 6, true, 51307, 443, 0,
     "1:lQcHJ5elxScxY+WAp11mCJ874ok="},
    /* 154: UDP to a NAT64 address, hashed as is */
    {"2a02:8108:1:2::50", "64:ff9b::808:808", 17, true, 57292, 53, 0,
     "1:VDS6fqTB/u80SChr3IhOMz5kHsQ="},
    /* 142: ICMP echo request */
    {"192.168.1.50", "1.1.1.1", 1, true, 8, 0, 0, "1:gsBZovDSSf5HV+PE4VRxOpVOET8="},
    /* 132: ICMPv6 echo request */
    {"2a02:8108:1:2::40", "2606:4700:4700::1111", 58, true, 128, 0, 0,
     "1:Aulo1PwgDK9J8Hh3XF4s1q1n3KA="},
    /* 7, 8: ICMPv6 router solicitation and advertisement (to multicast) */
    {"fe80::3e22:fbff:fe86:d50", "ff02::2", 58, true, 133, 0, 0, "1:o9KTYp2rPnTgFPgfMJBFsTbV3KA="},
    {"fe80::3ea6:2fff:fe12:3401", "ff02::1", 58, true, 134, 0, 0, "1:tEhImMYW9YPBNlra4vqnBZEEw28="},
};

static const cid_case crafted_cases[] = {
    /* TCP v4 and v6, both directions */
    {"10.0.0.5", "198.51.100.7", 6, true, 40000, 443, 0, "1:SpsQZHmtn/my28GSwvK1W1HvIkw="},
    {"198.51.100.7", "10.0.0.5", 6, true, 443, 40000, 0, "1:SpsQZHmtn/my28GSwvK1W1HvIkw="},
    {"10.0.0.5", "198.51.100.7", 6, true, 40000, 443, 1, "1:w9Un9AtmI1qhHPoD7eJSA/iJq0w="},
    {"198.51.100.7", "10.0.0.5", 6, true, 443, 40000, 1, "1:w9Un9AtmI1qhHPoD7eJSA/iJq0w="},
    {"2001:db8::5", "2001:db8:1::7", 6, true, 40000, 443, 0, "1:oG28AA2xTpK5oo1LJLzfK+SH7Ro="},
    {"2001:db8:1::7", "2001:db8::5", 6, true, 443, 40000, 0, "1:oG28AA2xTpK5oo1LJLzfK+SH7Ro="},
    {"2001:db8::5", "2001:db8:1::7", 6, true, 40000, 443, 1, "1:AUtHijzdx783xGNU9cpgFUpekYA="},
    {"2001:db8:1::7", "2001:db8::5", 6, true, 443, 40000, 1, "1:AUtHijzdx783xGNU9cpgFUpekYA="},
    /* UDP */
    {"10.0.0.5", "198.51.100.7", 17, true, 5353, 53, 0, "1:E/KYBKfG1mncNd0lH26hhvdwFiw="},
    {"198.51.100.7", "10.0.0.5", 17, true, 53, 5353, 0, "1:E/KYBKfG1mncNd0lH26hhvdwFiw="},
    {"10.0.0.5", "198.51.100.7", 17, true, 5353, 53, 1, "1:LPj0pxvJppNRr3aQQ+qNqIyZf8k="},
    /* SCTP */
    {"10.0.0.5", "198.51.100.7", 132, true, 2905, 2905, 0, "1:Eg7wdy9rSK5kPpCeGU3BT0ipTPs="},
    {"198.51.100.7", "10.0.0.5", 132, true, 2905, 2905, 0, "1:Eg7wdy9rSK5kPpCeGU3BT0ipTPs="},
    {"10.0.0.5", "198.51.100.7", 132, true, 2905, 2905, 1, "1:vOZ/0iiX+YlrTpoX/sZiZwgOWXk="},
    /* Equal addresses: the smaller port goes first */
    {"127.0.0.1", "127.0.0.1", 6, true, 8080, 1234, 0, "1:kFwaaooIP1RJd+4sH0YCQiXBgKU="},
    {"127.0.0.1", "127.0.0.1", 6, true, 1234, 8080, 0, "1:kFwaaooIP1RJd+4sH0YCQiXBgKU="},
    {"127.0.0.1", "127.0.0.1", 6, true, 1234, 8080, 1, "1:vWxJSYFJ7dxdstG5oP+7XIBcJUY="},
    /* ICMP echo request and its reply */
    {"10.0.0.5", "198.51.100.7", 1, true, 8, 0, 0, "1:bjfBzAS5TYfh8CRuLM040o4ESvE="},
    {"198.51.100.7", "10.0.0.5", 1, true, 0, 0, 0, "1:bjfBzAS5TYfh8CRuLM040o4ESvE="},
    {"198.51.100.7", "10.0.0.5", 1, true, 0, 0, 1, "1:lAWpjzLvG8Oe0G4CqFszQmv6v7o="},
    /* ICMP timestamp and its reply */
    {"10.0.0.5", "198.51.100.7", 1, true, 13, 0, 0, "1:xuj1ThH2LX8pCD7W1TsP9TZoUP8="},
    {"198.51.100.7", "10.0.0.5", 1, true, 14, 0, 0, "1:xuj1ThH2LX8pCD7W1TsP9TZoUP8="},
    {"198.51.100.7", "10.0.0.5", 1, true, 14, 0, 1, "1:BTmeKDhEZKmI7085I2pu78DZDf8="},
    /* ICMP host unreachable: one-way, so each direction has its own ID and
     * the larger address may come first */
    {"198.51.100.7", "10.0.0.5", 1, true, 3, 1, 0, "1:8gzL1Fai2iJbS2RfZ3nCcdJ7m6g="},
    {"10.0.0.5", "198.51.100.7", 1, true, 3, 1, 0, "1:VXG5Xb1tuLyIK7tLhsYJfm20LQk="},
    {"198.51.100.7", "10.0.0.5", 1, true, 3, 1, 1, "1:SO74QSaD1amu8Jwg4YXsNgJiWOg="},
    {"10.0.0.5", "198.51.100.7", 1, true, 3, 1, 1, "1:h1ShLnHsQ2RIyG+/I4lApr7W/oI="},
    /* ICMPv6 echo request and reply */
    {"2001:db8::5", "2001:db8:1::7", 58, true, 128, 0, 0, "1:FnDegnVBJ1rQZfCNyCTqw4DSqKo="},
    {"2001:db8:1::7", "2001:db8::5", 58, true, 129, 0, 0, "1:FnDegnVBJ1rQZfCNyCTqw4DSqKo="},
    {"2001:db8:1::7", "2001:db8::5", 58, true, 129, 0, 1, "1:vM/oGpS4VHPrj6eGpAfJaWfZTas="},
    /* ICMPv6 neighbor solicitation and advertisement */
    {"fe80::1", "fe80::2", 58, true, 135, 0, 0, "1:7IIPGNVAHI2udmsuJVpA3RMOAqc="},
    {"fe80::2", "fe80::1", 58, true, 136, 0, 0, "1:7IIPGNVAHI2udmsuJVpA3RMOAqc="},
    {"fe80::2", "fe80::1", 58, true, 136, 0, 1, "1:tddFEQTCHxLi/vgdCxXyKtmuZLk="},
    /* ICMPv6 MLDv2 report: no counterpart, one-way */
    {"2001:db8::5", "ff02::16", 58, true, 143, 0, 0, "1:YWOw6qKg+lh5M1/tDR6Hbpci6xY="},
    {"2001:db8::5", "ff02::16", 58, true, 143, 0, 1, "1:kNcVUXIaBA6fHdRJDBDhkwK1+ug="},
    /* A protocol without ports (253, experimental) */
    {"10.0.0.5", "198.51.100.7", 253, NOPORTS, 0, "1:ECBTe1yxwqEmyImgUR4z2JxLKfo="},
    {"198.51.100.7", "10.0.0.5", 253, NOPORTS, 0, "1:ECBTe1yxwqEmyImgUR4z2JxLKfo="},
    {"198.51.100.7", "10.0.0.5", 253, NOPORTS, 1, "1:aTqKTsihK3UelKJBObRLuTQPXpg="},
};

/* The spec's baseline tables, row for row. */
static const cid_case spec_cases[] = {
    /* baseline_deflt.json */
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, true, 135, 136, 0,
     "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, true, 136, 135, 0,
     "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, true, 135, 136, 0,
     "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, true, 136, 135, 0,
     "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    {"3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, true, 3, 0, 0,
     "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="},
    {"3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 58, true, 1, 4, 0,
     "1:hLZd0XGWojozrvxqE0dWB1iM6R0="},
    {"3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 58, true, 128, 129, 0,
     "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    {"3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, true, 129, 128, 0,
     "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    {"fe80::200:86ff:fe05:80da", "ff02::2", 58, true, 133, 134, 0,
     "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="},
    {"fe80::260:97ff:fe07:69ea", "ff02::1", 58, true, 134, 133, 0,
     "1:pkvHqCL88/tg1k4cPigmZXUtL00="},
    {"192.168.0.89", "192.168.0.1", 1, true, 8, 0, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {"192.168.0.1", "192.168.0.89", 1, true, 0, 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {"10.0.0.1", "10.0.0.2", 1, true, 11, 0, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="},
    {"2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 6, true, 63943, 25, 0,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {"2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 6, true, 25, 63943, 0,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {"192.168.170.8", "192.168.170.56", 132, true, 7, 7, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {"192.168.170.56", "192.168.170.8", 132, true, 7, 7, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {"128.232.110.120", "66.35.250.204", 6, true, 34855, 80, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {"66.35.250.204", "128.232.110.120", 6, true, 80, 34855, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {"192.168.1.52", "8.8.8.8", 17, true, 54585, 53, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {"8.8.8.8", "192.168.1.52", 17, true, 53, 54585, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {"10.1.12.1", "10.1.12.2", 46, NOPORTS, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
    {"10.1.12.2", "10.1.12.1", 46, NOPORTS, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
    /* baseline_seed1.json */
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, true, 135, 136, 1,
     "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, true, 136, 135, 1,
     "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, true, 135, 136, 1,
     "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="},
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, true, 136, 135, 1,
     "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="},
    {"3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, true, 3, 0, 1,
     "1:lVEtCZpYu84Xqaa++3lXFyuu2n4="},
    {"3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 58, true, 1, 4, 1,
     "1:W8MHwXpWzpoSTD+cGcaJr4u0ys8="},
    {"3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 58, true, 128, 129, 1,
     "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="},
    {"3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, true, 129, 128, 1,
     "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="},
    {"fe80::200:86ff:fe05:80da", "ff02::2", 58, true, 133, 134, 1,
     "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8="},
    {"fe80::260:97ff:fe07:69ea", "ff02::1", 58, true, 134, 133, 1,
     "1:K/ee5UCqAMAQXDorP5nSa2CGLjc="},
    {"192.168.0.89", "192.168.0.1", 1, true, 8, 0, 1, "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {"192.168.0.1", "192.168.0.89", 1, true, 0, 8, 1, "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {"10.0.0.1", "10.0.0.2", 1, true, 11, 0, 1, "1:XjUibYHaafLQ3pxQeiMI8g25q20="},
    {"2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 6, true, 63943, 25, 1,
     "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {"2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 6, true, 25, 63943, 1,
     "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {"192.168.170.8", "192.168.170.56", 132, true, 7, 7, 1, "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
    {"192.168.170.56", "192.168.170.8", 132, true, 7, 7, 1, "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
    {"128.232.110.120", "66.35.250.204", 6, true, 34855, 80, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {"66.35.250.204", "128.232.110.120", 6, true, 80, 34855, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {"192.168.1.52", "8.8.8.8", 17, true, 54585, 53, 1, "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {"8.8.8.8", "192.168.1.52", 17, true, 53, 54585, 1, "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {"10.1.12.1", "10.1.12.2", 46, NOPORTS, 1, "1:rYir8gphR31noO9iDRQmF/BteEI="},
    {"10.1.12.2", "10.1.12.1", 46, NOPORTS, 1, "1:rYir8gphR31noO9iDRQmF/BteEI="},
};

static void
check_cases(const cid_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const cid_case *c = &cases[i];
        ct_addr src;
        ct_addr dst;
        char out[CT_COMMUNITY_ID_LEN];

        g_assert_true(ct_addr_parse(c->src, &src));
        g_assert_true(ct_addr_parse(c->dst, &dst));
        memset(out, 'x', sizeof out);
        if (!ct_community_id(&src, &dst, c->proto, c->has_ports, c->sport, c->dport, c->seed, out))
            g_error("row %zu (%s -> %s proto %u): failed", i, c->src, c->dst, c->proto);
        if (strcmp(out, c->id) != 0)
            g_error("row %zu (%s:%u -> %s:%u proto %u seed %u): %s, expected %s", i, c->src,
                    c->sport, c->dst, c->dport, c->proto, c->seed, out, c->id);
        g_assert_cmpuint(strlen(out), ==, CT_COMMUNITY_ID_LEN - 1);
    }
}

static void
test_sample(void)
{
    check_cases(sample_cases, G_N_ELEMENTS(sample_cases));
}

static void
test_crafted(void)
{
    check_cases(crafted_cases, G_N_ELEMENTS(crafted_cases));
}

static void
test_spec_baseline(void)
{
    check_cases(spec_cases, G_N_ELEMENTS(spec_cases));
}

/* Mixed or missing families have no Community ID; out is left empty. */
static void
test_bad_families(void)
{
    ct_addr v4;
    ct_addr v6;
    ct_addr none = {0};
    char out[CT_COMMUNITY_ID_LEN];

    g_assert_true(ct_addr_parse("192.0.2.1", &v4));
    g_assert_true(ct_addr_parse("2001:db8::1", &v6));

    const struct {
        const ct_addr *src;
        const ct_addr *dst;
    } pairs[] = {{&v4, &v6}, {&v6, &v4}, {&none, &none}, {&v4, &none}, {&none, &v6}};

    for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++) {
        memset(out, 'x', sizeof out);
        g_assert_false(ct_community_id(pairs[i].src, pairs[i].dst, 6, true, 1, 2, 0, out));
        g_assert_cmpstr(out, ==, "");
    }

    ct_addr odd = v4;
    odd.family = 5;
    memset(out, 'x', sizeof out);
    g_assert_false(ct_community_id(&odd, &odd, 6, true, 1, 2, 0, out));
    g_assert_cmpstr(out, ==, "");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Community ID v1 against Wireshark's and the spec's own values");
    g_test_add_func("/communityid/wireshark/sample-pcap", test_sample);
    g_test_add_func("/communityid/wireshark/crafted", test_crafted);
    g_test_add_func("/communityid/spec-baseline", test_spec_baseline);
    g_test_add_func("/communityid/bad-families", test_bad_families);
    return g_test_run();
}
