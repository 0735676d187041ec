/* Unit tests for ct_ecs: flows as ECS documents, the _bulk action line,
 * index names, transports. */
#include <glib.h>
#include <string.h>

#include "ct_ecs.h"
#include "ct_flow.h"

static const ct_ecs_flow *the_flow;
static const char *the_index;

static char *
written(void (*fn)(ct_out *out))
{
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    ct_out *out = ct_out_new(CT_OUT_JSONL, stream);
    GError *error = NULL;

    fn(out);
    g_assert_true(ct_out_finish(out, &error));
    g_assert_no_error(error);
    ct_out_free(out);
    fclose(stream);
    return text;
}

static void
write_the_flow(ct_out *out)
{
    ct_ecs_write(out, the_flow);
}

static void
write_the_action(ct_out *out)
{
    ct_ecs_write_action(out, the_index);
}

static char *
document(const ct_ecs_flow *f)
{
    the_flow = f;
    return written(write_the_flow);
}

static void
parse_addr(ct_addr *addr, const char *text)
{
    g_assert_true(ct_addr_parse(text, addr));
}

/* A camera at home talking to a server abroad, everything known. */
static ct_host server;

static void
full_flow(ct_ecs_flow *f)
{
    static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0xab, 0x01};

    ct_ecs_flow_init(f);
    f->has_start = f->has_end = true;
    f->start_sec = 1768471200; /* 2026-01-15T10:00:00Z */
    f->start_usec = 20000;
    f->end_sec = 1768471201;
    f->end_usec = 478500;
    f->proto = 6;
    f->community_id = "1:LQU9qZlK+B5F3KDmev6m5PMibrg=";
    f->has_bytes = f->has_packets = true;
    f->bytes = 4800;
    f->packets = 12;
    f->foreign = CT_FOREIGN_YES;
    f->device = 0;

    parse_addr(&f->end[0].addr, "192.168.1.50");
    f->end[0].has_port = true;
    f->end[0].port = 51000;
    f->end[0].has_mac = true;
    memcpy(f->end[0].mac, mac, 6);
    f->end[0].has_bytes = f->end[0].has_packets = true;
    f->end[0].bytes = 1500;
    f->end[0].packets = 5;

    memset(&server, 0, sizeof server);
    parse_addr(&server.addr, "52.94.236.248");
    server.scope = CT_SCOPE_GLOBAL;
    server.geo.asn = 16509;
    server.geo.as_org = "AMAZON-02";
    server.geo.country_iso = "US";
    server.geo.country = "United States";
    server.geo.registered_country_iso = "US";
    server.geo.region = "Virginia";
    server.geo.city = "Ashburn";
    server.geo.has_location = true;
    server.geo.latitude = 39.0469;
    server.geo.longitude = -77.4903;
    server.geo.anycast = true;
    f->end[1].addr = server.addr;
    f->end[1].host = &server;
    f->end[1].has_port = true;
    f->end[1].port = 443;
    f->end[1].has_bytes = f->end[1].has_packets = true;
    f->end[1].bytes = 3300;
    f->end[1].packets = 7;
    f->end[1].ptr = "server-52-94-236-248.iad.example";
    f->end[1].name = "device-api.vendor.example";
    f->end[1].registered_domain = "vendor.example";
    f->end[1].name_source = "sni";
}

static const char full_text[] =
    "{\"@timestamp\":\"2026-01-15T10:00:00.020000Z\",\"ecs\":{\"version\":\"" CT_ECS_VERSION "\"},"
    "\"event\":{\"kind\":\"event\",\"category\":[\"network\"],\"type\":[\"connection\"],"
    "\"start\":\"2026-01-15T10:00:00.020000Z\",\"end\":\"2026-01-15T10:00:01.478500Z\","
    "\"duration\":1458500000},"
    "\"network\":{\"transport\":\"tcp\",\"iana_number\":\"6\",\"type\":\"ipv4\","
    "\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\",\"bytes\":4800,\"packets\":12},"
    "\"source\":{\"ip\":\"192.168.1.50\",\"port\":51000,\"mac\":\"02-00-5E-10-AB-01\","
    "\"bytes\":1500,\"packets\":5},"
    "\"destination\":{\"ip\":\"52.94.236.248\","
    "\"as\":{\"number\":16509,\"organization\":{\"name\":\"AMAZON-02\"}},"
    "\"geo\":{\"country_iso_code\":\"US\",\"country_name\":\"United States\","
    "\"region_name\":\"Virginia\",\"city_name\":\"Ashburn\","
    "\"location\":{\"lat\":39.0469,\"lon\":-77.4903}},"
    "\"port\":443,\"bytes\":3300,\"packets\":7,"
    "\"domain\":\"device-api.vendor.example\",\"registered_domain\":\"vendor.example\"},"
    "\"related\":{\"ip\":[\"192.168.1.50\",\"52.94.236.248\"],"
    "\"hosts\":[\"device-api.vendor.example\"]},"
    "\"camtrace\":{\"source\":{\"scope\":\"private\"},"
    "\"destination\":{\"scope\":\"global\",\"registered_country_iso\":\"US\",\"anycast\":true,"
    "\"ptr\":\"server-52-94-236-248.iad.example\",\"name_source\":\"sni\"},"
    "\"foreign\":true,\"device\":{\"ip\":\"192.168.1.50\",\"mac\":\"02-00-5E-10-AB-01\"}}}\n";

static void
test_full(void)
{
    ct_ecs_flow f;
    char *got;

    full_flow(&f);
    got = document(&f);
    g_assert_cmpstr(got, ==, full_text);
    free(got);
}

/* Nothing but the addresses: every absent value and empty object left
 * out, never null. */
static void
test_minimal(void)
{
    ct_ecs_flow f;
    char *got;

    ct_ecs_flow_init(&f);
    parse_addr(&f.end[0].addr, "2001:db8::1");
    parse_addr(&f.end[1].addr, "2001:db8::1");
    got = document(&f);
    g_assert_cmpstr(got, ==,
                    "{\"ecs\":{\"version\":\"" CT_ECS_VERSION "\"},"
                    "\"event\":{\"kind\":\"event\",\"category\":[\"network\"],"
                    "\"type\":[\"connection\"]},"
                    "\"network\":{\"type\":\"ipv6\"},"
                    "\"source\":{\"ip\":\"2001:db8::1\"},\"destination\":{\"ip\":\"2001:db8::1\"},"
                    "\"related\":{\"ip\":[\"2001:db8::1\"]},"
                    "\"camtrace\":{\"source\":{\"scope\":\"documentation\"},"
                    "\"destination\":{\"scope\":\"documentation\"}}}\n");
    g_assert_null(strstr(got, "null"));
    free(got);
}

/* The parts rendered once give the same text as the host itself. */
static void
test_rendered(void)
{
    ct_ecs_flow f;
    char *parts[2][CT_ECS_PARTS];
    char *got;

    full_flow(&f);
    for (int e = 0; e < 2; e++) {
        for (int p = 0; p < CT_ECS_PARTS; p++) {
            parts[e][p] = ct_ecs_render((ct_ecs_part)p, &f.end[e].addr, f.end[e].host,
                                        &f.end[e].rendered_len[p]);
            f.end[e].rendered[p] = parts[e][p];
        }
    }
    /* The camera has no host: its address, no lookups, its scope. */
    g_assert_cmpstr(parts[0][CT_ECS_PART_ENDPOINT], ==, "\"ip\":\"192.168.1.50\"");
    g_assert_cmpstr(parts[0][CT_ECS_PART_CUSTOM], ==, "\"scope\":\"private\"");
    got = document(&f);
    g_assert_cmpstr(got, ==, full_text);
    free(got);
    for (int e = 0; e < 2; e++)
        for (int p = 0; p < CT_ECS_PARTS; p++)
            g_free(parts[e][p]);
}

/* Partial knowledge: a location without a country, an AS number without
 * its organization, no time but the start, other orders of names. */
static void
test_partial(void)
{
    ct_ecs_flow f;
    ct_host h;
    char *got;

    ct_ecs_flow_init(&f);
    f.has_start = true;
    f.start_sec = 0;
    f.proto = 253;
    f.foreign = CT_FOREIGN_NO;
    memset(&h, 0, sizeof h);
    parse_addr(&h.addr, "8.8.8.8");
    h.scope = CT_SCOPE_GLOBAL;
    h.geo.asn = 15169;
    h.geo.has_location = true;
    h.geo.latitude = -33.5;
    h.geo.longitude = 151.25;
    parse_addr(&f.end[0].addr, "10.0.0.1");
    f.end[1].addr = h.addr;
    f.end[1].host = &h;
    f.end[0].name = "cam.local.example";
    f.end[1].name = "cam.local.example";
    got = document(&f);
    g_assert_nonnull(strstr(got, "\"@timestamp\":\"1970-01-01T00:00:00.000000Z\""));
    g_assert_nonnull(strstr(got, "\"start\":\"1970-01-01T00:00:00.000000Z\"}"));
    g_assert_null(strstr(got, "\"duration\""));
    g_assert_nonnull(strstr(got, "\"network\":{\"iana_number\":\"253\",\"type\":\"ipv4\"}"));
    g_assert_nonnull(strstr(got, "\"as\":{\"number\":15169},"
                                 "\"geo\":{\"location\":{\"lat\":-33.5,\"lon\":151.25}},"
                                 "\"domain\":\"cam.local.example\"}"));
    /* One name for both ends is one related host. */
    g_assert_nonnull(strstr(got, "\"hosts\":[\"cam.local.example\"]}"));
    g_assert_nonnull(strstr(got, "\"foreign\":false}}\n"));
    g_assert_null(strstr(got, "device"));
    free(got);

    /* A protocol known by name only; addresses given as text. */
    f.proto = -1;
    f.transport = "foo";
    f.ip[0] = "10.0.0.1";
    f.ip[1] = "8.8.8.8";
    got = document(&f);
    g_assert_nonnull(strstr(got, "\"network\":{\"transport\":\"foo\",\"type\":\"ipv4\"}"));
    g_assert_nonnull(strstr(got, "\"related\":{\"ip\":[\"10.0.0.1\",\"8.8.8.8\"]"));
    free(got);
    /* A known number wins over a name. */
    f.proto = 17;
    got = document(&f);
    g_assert_nonnull(strstr(got, "\"network\":{\"transport\":\"udp\",\"iana_number\":\"17\""));
    free(got);

    /* Only the destination named, a given duration. */
    f.end[0].name = NULL;
    f.end[1].name = "dns.google";
    f.has_duration = true;
    f.duration_ns = 7;
    got = document(&f);
    g_assert_nonnull(strstr(got, "\"hosts\":[\"dns.google\"]}"));
    g_assert_nonnull(strstr(got, "\"duration\":7}"));
    free(got);
}

/* Text from strangers stays valid JSON on one line. */
static void
test_hostile_text(void)
{
    ct_ecs_flow f;
    char *got;

    ct_ecs_flow_init(&f);
    parse_addr(&f.end[0].addr, "192.0.2.1");
    parse_addr(&f.end[1].addr, "192.0.2.2");
    f.end[1].ptr = "a\"b\\c\nd\x01\xff.example";
    f.end[1].name = "=cmd|' /C calc'!A0";
    got = document(&f);
    g_assert_nonnull(strstr(got, "\"ptr\":\"a\\\"b\\\\c\\nd\xef\xbf\xbd\xef\xbf\xbd.example\""));
    g_assert_nonnull(strstr(got, "\"domain\":\"=cmd|' /C calc'!A0\""));
    g_assert_true(g_utf8_validate(got, -1, NULL));
    g_assert_cmpuint(strchr(got, '\n') - got, ==, strlen(got) - 1);
    free(got);
}

static void
test_action(void)
{
    char *got;

    the_index = "camtrace-flows";
    got = written(write_the_action);
    g_assert_cmpstr(got, ==, "{\"create\":{\"_index\":\"camtrace-flows\"}}\n");
    free(got);
}

static void
test_index_names(void)
{
    static const char *const good[] = {"camtrace", "logs-camtrace.flows-default", "a+b", "x_1",
                                       "2026.01.15"};
    static const char *const bad[] = {"",    "Camtrace", "-x", "_x",  "+x",  ".",   "..",
                                      "a b", "a,b",      "a*", "a\"", "a:b", "a/b", "caf\xc3\xa9"};
    char *long_name = g_strnfill(256, 'a');
    GError *error = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
        g_assert_true(ct_ecs_index_valid(good[i], NULL));
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(ct_ecs_index_valid(bad[i], &error));
        g_assert_error(error, CT_ERROR, CT_ERR_INVALID);
        g_assert_nonnull(strstr(error->message, "index name"));
        g_clear_error(&error);
    }
    g_assert_false(ct_ecs_index_valid(long_name, NULL));
    long_name[255] = '\0';
    g_assert_true(ct_ecs_index_valid(long_name, NULL));
    g_free(long_name);
}

static void
test_transports(void)
{
    g_assert_cmpstr(ct_ecs_transport(6), ==, "tcp");
    g_assert_cmpstr(ct_ecs_transport(17), ==, "udp");
    g_assert_cmpstr(ct_ecs_transport(1), ==, "icmp");
    g_assert_cmpstr(ct_ecs_transport(58), ==, "ipv6-icmp");
    g_assert_null(ct_ecs_transport(253));
    g_assert_null(ct_ecs_transport(-1));
    g_assert_cmpint(ct_ecs_proto_number("TCP", 3), ==, 6);
    g_assert_cmpint(ct_ecs_proto_number("udp", 3), ==, 17);
    g_assert_cmpint(ct_ecs_proto_number("IPv6-ICMP", 9), ==, 58);
    g_assert_cmpint(ct_ecs_proto_number("icmpv6", 6), ==, 58);
    g_assert_cmpint(ct_ecs_proto_number("ICMP6", 5), ==, 58);
    g_assert_cmpint(ct_ecs_proto_number("tcpx", 3), ==, 6);
    g_assert_cmpint(ct_ecs_proto_number("tcpx", 4), ==, -1);
    g_assert_cmpint(ct_ecs_proto_number("", 0), ==, -1);
    for (int p = 0; p < 256; p++) {
        const char *t = ct_ecs_transport(p);
        const char *n = ct_flow_proto_name((uint8_t)p);
        if (t != NULL)
            g_assert_cmpint(ct_ecs_proto_number(t, strlen(t)), ==, p);
        /* Every name the flow export writes reads back. */
        if (n != NULL)
            g_assert_cmpint(ct_ecs_proto_number(n, strlen(n)), ==, p);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ecs/full", test_full);
    g_test_add_func("/ecs/minimal", test_minimal);
    g_test_add_func("/ecs/rendered", test_rendered);
    g_test_add_func("/ecs/partial", test_partial);
    g_test_add_func("/ecs/hostile-text", test_hostile_text);
    g_test_add_func("/ecs/action", test_action);
    g_test_add_func("/ecs/index-names", test_index_names);
    g_test_add_func("/ecs/transports", test_transports);
    return g_test_run();
}
