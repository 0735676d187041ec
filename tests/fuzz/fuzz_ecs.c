/* fuzz_ecs.c - ECS documents from hostile values, read back strictly.
 *
 * Input: byte 0 separates fields; the first 8 bytes of the rest are
 * numbers (protocol, ports, flags), then the texts of both ends in turn
 * (PTR name, name, registered domain, name source, AS organization,
 * country code, country, region, city), the Community ID, a transport
 * name and an index name.  Each flow is written twice, with the host
 * parts written live and rendered (ct_ecs_render()), and must be:
 * - byte for byte the same both ways;
 * - one line of valid UTF-8 without controls, one JSON object that
 *   ct_json accepts, whose top-level keys are ECS's or camtrace, none
 *   null;
 * and an action line is written only for index names ct_ecs_index_valid()
 * accepts, and is then one JSON object too.
 */
#include <glib.h>
#include <string.h>

#include "ct_ecs.h"
#include "ct_json.h"
#include "fuzz.h"

#define TEXTS 22

static char *
written(const ct_ecs_flow *f, const char *index)
{
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    ct_out *out = ct_out_new(CT_OUT_JSONL, stream);

    CHECK(stream != NULL);
    if (index != NULL)
        ct_ecs_write_action(out, index);
    ct_ecs_write(out, f);
    CHECK(ct_out_finish(out, NULL));
    ct_out_free(out);
    fclose(stream);
    return text;
}

static void
check_line(ct_json *json, const char *line, size_t len)
{
    static const char *const tops[] = {"@timestamp",  "ecs",     "event",    "network", "source",
                                       "destination", "related", "camtrace", "create"};
    const ct_json_member *m;
    size_t n;

    CHECK(fuzz_utf8_valid(line, len, false));
    for (size_t i = 0; i < len; i++)
        CHECK((unsigned char)line[i] >= 0x20);
    CHECK(ct_json_scan(json, line, len) == CT_OK);
    m = ct_json_members(json, &n);
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t t = 0; t < G_N_ELEMENTS(tops); t++)
            known = known || strcmp(m[i].key, tops[t]) == 0;
        CHECK(known);
        CHECK(m[i].type != CT_JSON_NULL);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *texts[TEXTS] = {0}, *live, *rendered;
    uint8_t num[8] = {0};
    ct_host hosts[2];
    ct_ecs_flow f;
    char *parts[2][CT_ECS_PARTS];
    const char *index;
    ct_json *json = ct_json_new(0, 0);
    size_t n = 0;

    for (size_t i = 0; i < 8 && i < size; i++)
        num[i] = data[i];
    /* The texts, split at NUL bytes; fewer fields leave the rest NULL. */
    for (size_t off = 8; off <= size && n < TEXTS; n++) {
        size_t len = 0;
        while (off + len < size && data[off + len] != 0)
            len++;
        texts[n] = g_strndup((const char *)data + off, len);
        off += len + 1;
    }

    ct_ecs_flow_init(&f);
    f.proto = num[0] == 255 ? -1 : num[0];
    f.transport = texts[20];
    f.community_id = texts[18];
    f.has_start = num[1] & 1;
    f.has_end = num[1] & 2;
    f.start_sec = (int64_t)num[2] * 100000000;
    f.end_sec = f.start_sec + num[3];
    f.start_usec = (uint32_t)num[4] * 3000u;
    f.has_bytes = f.has_packets = num[1] & 4;
    f.bytes = UINT64_MAX;
    f.foreign = (ct_foreign)((num[1] >> 3) % 3 - 1);
    f.device = (int)((num[1] >> 5) % 3) - 1;
    for (int e = 0; e < 2; e++) {
        ct_ecs_end *end = &f.end[e];
        ct_host *h = &hosts[e];
        char **t = texts + e * 9;
        uint8_t v4[4] = {num[5], num[6], (uint8_t)e, num[7]};

        memset(h, 0, sizeof *h);
        ct_addr_from_ipv4(&h->addr, v4);
        h->scope = ct_addr_scope(&h->addr);
        h->geo.asn = num[6] * 1000u;
        h->geo.as_org = t[4];
        h->geo.country_iso = t[5];
        h->geo.country = t[6];
        h->geo.registered_country_iso = t[5];
        h->geo.region = t[7];
        h->geo.city = t[8];
        h->geo.has_location = num[7] & 1;
        h->geo.latitude = (num[7] - 128) * 0.7;
        h->geo.longitude = (num[6] - 128) * 1.4;
        h->geo.anycast = num[7] & 2;
        end->addr = h->addr;
        end->host = (num[1] & 128) ? NULL : h;
        end->has_port = num[0] & 1;
        end->port = (uint16_t)(num[5] << 8 | num[6]);
        end->has_mac = num[7] & 4;
        memcpy(end->mac, data, size < 6 ? size : 6);
        end->ptr = t[0];
        end->name = t[1];
        end->registered_domain = t[2];
        end->name_source = t[3];
    }
    index = texts[21] != NULL && ct_ecs_index_valid(texts[21], NULL) ? texts[21] : NULL;

    live = written(&f, index);
    for (int e = 0; e < 2; e++) {
        for (int part = 0; part < CT_ECS_PARTS; part++) {
            parts[e][part] = ct_ecs_render((ct_ecs_part)part, &f.end[e].addr, f.end[e].host,
                                           &f.end[e].rendered_len[part]);
            CHECK(f.end[e].rendered_len[part] > 0);
            f.end[e].rendered[part] = parts[e][part];
        }
    }
    rendered = written(&f, index);
    CHECK(strcmp(live, rendered) == 0);
    for (char *line = live; *line != '\0';) {
        char *nl = strchr(line, '\n');
        CHECK(nl != NULL);
        check_line(json, line, (size_t)(nl - line));
        line = nl + 1;
    }
    CHECK(index == NULL || g_str_has_prefix(live, "{\"create\":{\"_index\":"));

    for (int e = 0; e < 2; e++)
        for (int part = 0; part < CT_ECS_PARTS; part++)
            g_free(parts[e][part]);
    free(live);
    free(rendered);
    for (size_t i = 0; i < TEXTS; i++)
        g_free(texts[i]);
    ct_json_free(json);
    return 0;
}
