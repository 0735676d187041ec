#!/usr/bin/env python3
"""ecs-fields.py ECS_FLAT_YML VERSION COMMIT > tests/fixtures/ecs-fields.json

The subset of the Elastic Common Schema that CamTrace writes, taken from
ECS's own generated field list (generated/ecs/ecs_flat.yml of the
elastic/ecs repository at the release tag): per field its type, level,
whether ECS expects an array, and for the categorization fields the values
ECS allows.  tests/tools/check-ecs.py reads it back.

Regenerate after a change of the fields CamTrace writes (core/ct_ecs.c)
or of the ECS release it follows (CT_ECS_VERSION in core/ct_ecs.h):
    git -C ecs show v8.17.0:generated/ecs/ecs_flat.yml > /tmp/ecs_flat.yml
    tests/tools/ecs-fields.py /tmp/ecs_flat.yml 8.17.0 "$(git -C ecs rev-parse v8.17.0^{commit})"
"""
import json
import sys

import yaml

ENDPOINT = ["ip", "port", "mac", "bytes", "packets", "domain", "registered_domain", "as.number",
            "as.organization.name", "geo.country_iso_code", "geo.country_name",
            "geo.region_name", "geo.city_name", "geo.location"]
FIELDS = (["@timestamp", "ecs.version", "event.kind", "event.category", "event.type",
           "event.start", "event.end", "event.duration", "network.transport",
           "network.iana_number", "network.community_id", "network.bytes", "network.packets",
           "network.type"]
          + ["source." + f for f in ENDPOINT] + ["destination." + f for f in ENDPOINT]
          + ["related.ip", "related.hosts"])


def main():
    path, version, commit = sys.argv[1:4]
    with open(path, encoding="utf-8") as f:
        flat = yaml.safe_load(f)
    fields = {}
    for name in FIELDS:
        d = flat[name]
        out = {"type": d["type"], "level": d["level"], "array": "array" in d.get("normalize", [])}
        if "allowed_values" in d:
            out["allowed_values"] = sorted(v["name"] for v in d["allowed_values"])
            if name == "event.category":
                out["expected_event_types"] = {
                    v["name"]: v["expected_event_types"] for v in d["allowed_values"]
                    if v["name"] == "network"}
        fields[name] = out
    json.dump({
        "description": "The ECS fields CamTrace writes (core/ct_ecs.c), from the ECS reference",
        "ecs_version": version,
        "source": "https://github.com/elastic/ecs/blob/v%s/generated/ecs/ecs_flat.yml" % version,
        "source_commit": commit,
        "generated_by": "tests/tools/ecs-fields.py",
        "fields": fields,
    }, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
