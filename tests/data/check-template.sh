#!/bin/bash
# check-template.sh SOURCE_DIR - data/camtrace-ecs-template.json is an index
# template Elasticsearch 8 and OpenSearch 2 accept that maps every field of
# the ECS fixture with ECS's type (tests/tools/check-ecs.py); and the check
# refuses templates that do not.  golden.ecs_fields checks the template
# against the camtrace.* fields the export writes.
set -euo pipefail
src=$1
check="$src/tests/tools/check-ecs.py"
fixture="$src/tests/fixtures/ecs-fields.json"
template="$src/data/camtrace-ecs-template.json"
tmp=$(mktemp -d /tmp/camtrace-template.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

python3 "$check" "$fixture" --template "$template" || fail "the template does not map the fixture"
python3 - "$template" <<'PY' || fail "the template is not a composable template for camtrace-*"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["index_patterns"] == ["camtrace-*"], t["index_patterns"]
assert t["data_stream"] == {} and isinstance(t["priority"], int)
assert t["_meta"]["ecs_version"] == "8.17.0"
PY

# Broken copies are refused.
edit() {
    python3 - "$template" "$tmp/t.json" "$1" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
p = t["template"]["mappings"]["properties"]
exec(sys.argv[3])
json.dump(t, open(sys.argv[2], "w"))
PY
}
for change in 'p["source"]["properties"]["ip"]["type"] = "keyword"' \
    'del p["destination"]["properties"]["geo"]["properties"]["location"]' \
    'p["event"]["properties"]["duration"]["type"] = "integer_range"' \
    'p["network"]["properties"]["bytes"]["coerce"] = True' \
    't["settings"] = {}' \
    'p["@timestamp"]["type"] = "date_nanos"'; do
    edit "$change"
    if python3 "$check" "$fixture" --template "$tmp/t.json" 2>/dev/null; then
        fail "a template with $change passes"
    fi
done
echo "PASS: the ECS index template"
