#!/usr/bin/env python3
"""check-ecs.py FIXTURE [--bulk] [--all-used] [--template TEMPLATE] [FILE...]

Checks ECS documents as CamTrace writes them (one per line; with --bulk,
each after a _bulk action line) against the ECS field definitions of
FIXTURE (tests/fixtures/ecs-fields.json):
- every line is strict JSON in UTF-8 with unique keys, nothing null, no
  empty object;
- every field is an ECS field of the fixture, with a value of its type
  (keyword: a string, long: an integer, ip: an address, date: ISO 8601
  with a time zone, geo_point: {"lat", "lon"} in range), an array exactly
  where ECS expects one, allowed values where ECS lists them; or it is
  under camtrace, the only top-level key that is not ECS's;
- with --all-used, the documents use every field of the fixture (so the
  fixture holds the subset CamTrace writes, no more);
- with --template, the index template (data/camtrace-ecs-template.json)
  maps every field of the fixture with the fixture's type and every
  camtrace.* field written with a type its values fit; the template is
  one both Elasticsearch 8 and OpenSearch 2 accept (keys, field types
  and options both have).  With a template and no FILE, only the
  template is checked against the fixture.
Prints a summary line; exits 1 with the first problem found.
"""
import datetime
import ipaddress
import json
import re
import sys

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$")
KEYWORDS = ("keyword", "constant_keyword", "wildcard", "match_only_text", "text")
INTEGERS = ("long", "integer", "short", "byte", "unsigned_long")


class Bad(Exception):
    pass


def unique(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise Bad("duplicate keys %r" % keys)
    return dict(pairs)


def fits(es_type, value):
    """Whether one JSON value fits an Elasticsearch field type."""
    if es_type in KEYWORDS:
        return isinstance(value, str)
    if es_type in INTEGERS:
        return type(value) is int
    if es_type in ("float", "double", "scaled_float", "half_float"):
        return type(value) in (int, float)
    if es_type == "boolean":
        return type(value) is bool
    if es_type == "ip":
        try:
            ipaddress.ip_address(value)
            return True
        except (TypeError, ValueError):
            return False
    if es_type == "date":
        # Python 3.11 reads any ISO 8601 date and time; the pattern asks for a zone.
        return (isinstance(value, str) and DATE.match(value) is not None and
                datetime.datetime.fromisoformat(value).tzinfo is not None)
    if es_type == "geo_point":
        return (isinstance(value, dict) and set(value) == {"lat", "lon"} and
                all(type(value[k]) in (int, float) for k in value) and
                -90 <= value["lat"] <= 90 and -180 <= value["lon"] <= 180)
    raise Bad("no JSON check for type %s" % es_type)


def leaves(doc, fields, prefix=""):
    """(flat name, value) of every field: objects are walked, except a
    geo_point's {lat, lon}."""
    for key, value in doc.items():
        name = prefix + key
        if value is None:
            raise Bad("%s is null" % name)
        if isinstance(value, dict) and fields.get(name, {}).get("type") != "geo_point":
            if not value:
                raise Bad("%s is an empty object" % name)
            yield from leaves(value, fields, name + ".")
        else:
            yield name, value


# What an index template may hold so that both Elasticsearch 8 and
# OpenSearch 2 take it (PUT _index_template/NAME): the keys both accept,
# and only field types and options both have.
TEMPLATE_KEYS = {"index_patterns", "template", "priority", "version", "_meta", "data_stream",
                 "composed_of"}
FIELD_TYPES = {"ip", "geo_point", "date", "long", "keyword", "boolean"}


def template_fields(path):
    """Flat name -> type of an index template's mappings, after checking
    that the template is one both engines accept."""
    with open(path, encoding="utf-8") as f:
        template = json.load(f, object_pairs_hook=unique)
    if not set(template) <= TEMPLATE_KEYS:
        raise Bad("template keys %s" % sorted(set(template) - TEMPLATE_KEYS))
    patterns = template["index_patterns"]
    if not (isinstance(patterns, list) and patterns and all(isinstance(p, str) for p in patterns)):
        raise Bad("index_patterns must be a list of patterns")
    if "data_stream" in template and template["data_stream"] != {}:
        raise Bad("data_stream must be {}")
    if not set(template["template"]) <= {"mappings", "settings", "aliases"}:
        raise Bad("template.template keys %s" % sorted(template["template"]))
    mappings = template["template"]["mappings"]
    if not set(mappings) <= {"properties", "_meta", "dynamic"}:
        raise Bad("mappings keys %s" % sorted(mappings))
    out = {}

    def walk(properties, prefix):
        for key, d in properties.items():
            name = prefix + key
            if "properties" in d:
                if set(d) != {"properties"}:
                    raise Bad("%s: an object with %s" % (name, sorted(d)))
                walk(d["properties"], name + ".")
                continue
            if d.get("type") not in FIELD_TYPES:
                raise Bad("%s: type %r" % (name, d.get("type")))
            options = set(d) - {"type"}
            if options - ({"ignore_above"} if d["type"] == "keyword" else set()):
                raise Bad("%s: options %s" % (name, sorted(options)))
            out[name] = d["type"]

    walk(mappings["properties"], "")
    if "@timestamp" in out and out["@timestamp"] != "date":
        raise Bad("@timestamp must be a date")
    if "data_stream" in template and out.get("@timestamp") != "date":
        raise Bad("a data stream needs @timestamp mapped as a date")
    return out


def main(argv):
    fixture_path, files = argv[0], []
    bulk = all_used = False
    template = None
    args = iter(argv[1:])
    for a in args:
        if a == "--bulk":
            bulk = True
        elif a == "--all-used":
            all_used = True
        elif a == "--template":
            template = next(args)
        else:
            files.append(a)
    with open(fixture_path, encoding="utf-8") as f:
        fixture = json.load(f)
    fields = fixture["fields"]
    ecs_top = {name.split(".")[0] for name in fields}
    used, custom, docs = set(), {}, 0
    for path in files:
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
        if lines[-1] != b"":
            raise Bad("%s does not end with a line feed" % path)
        for n, raw in enumerate(lines[:-1], 1):
            where = "%s:%d" % (path, n)
            try:
                doc = json.loads(raw.decode("utf-8", errors="strict"), object_pairs_hook=unique)
                if not isinstance(doc, dict):
                    raise Bad("not an object")
                if bulk and n % 2 == 1:
                    if (list(doc) != ["create"] or list(doc["create"]) != ["_index"] or
                            not isinstance(doc["create"]["_index"], str)):
                        raise Bad("not a create action: %s" % raw[:200])
                    continue
                docs += 1
                for key in doc:
                    if key not in ecs_top and key != "camtrace":
                        raise Bad("top-level key %r is neither ECS's nor camtrace" % key)
                for name, value in leaves(doc, fields):
                    if name.startswith("camtrace."):
                        if isinstance(value, list):
                            raise Bad("%s: CamTrace writes no arrays under camtrace" % name)
                        custom.setdefault(name, set()).add(type(value).__name__)
                        custom.setdefault("values:" + name, []).append(value)
                        continue
                    d = fields.get(name)
                    if d is None:
                        raise Bad("%s is not an ECS field of the fixture" % name)
                    values = value if isinstance(value, list) else [value]
                    if d["array"] != isinstance(value, list):
                        raise Bad("%s: ECS %s an array" % (name, "expects" if d["array"]
                                                            else "does not expect"))
                    if not values:
                        raise Bad("%s is an empty array" % name)
                    for v in values:
                        if not fits(d["type"], v):
                            raise Bad("%s: %r is not a %s" % (name, v, d["type"]))
                        if "allowed_values" in d and v not in d["allowed_values"]:
                            raise Bad("%s: %r is not a value ECS allows" % (name, v))
                    used.add(name)
                expected = fields["event.category"].get("expected_event_types", {})
                for category in doc.get("event", {}).get("category", []):
                    for t in doc["event"].get("type", []):
                        if category in expected and t not in expected[category]:
                            raise Bad("event.type %r is not expected for category %r" %
                                      (t, category))
            except (Bad, ValueError, KeyError) as e:
                print("check-ecs: %s: %s" % (where, e), file=sys.stderr)
                return 1
    if docs == 0 and (files or template is None):
        print("check-ecs: no documents", file=sys.stderr)
        return 1
    if all_used and set(fields) - used:
        print("check-ecs: fixture fields never written: %s" % sorted(set(fields) - used),
              file=sys.stderr)
        return 1
    names = sorted(k for k in custom if not k.startswith("values:"))
    if template is not None:
        try:
            mapped = template_fields(template)
        except (Bad, KeyError, TypeError, AttributeError, ValueError) as e:
            print("check-ecs: %s: %s" % (template, e), file=sys.stderr)
            return 1
        for name, d in fields.items():
            if mapped.get(name) != d["type"]:
                print("check-ecs: the template maps %s as %s, ECS as %s" %
                      (name, mapped.get(name), d["type"]), file=sys.stderr)
                return 1
        for name in names:
            if name not in mapped:
                print("check-ecs: the template does not map %s" % name, file=sys.stderr)
                return 1
            bad = [v for v in custom["values:" + name] if not fits(mapped[name], v)]
            if bad:
                print("check-ecs: %s: %r do not fit the template's %s" %
                      (name, bad[:3], mapped[name]), file=sys.stderr)
                return 1
    print("check-ecs: %d documents, %d ECS fields (ECS %s), camtrace fields %s" %
          (docs, len(used), fixture["ecs_version"], " ".join(names)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
