#!/bin/sh
# README's jq line turns every services/<family>.json of the golden outputs
# and of the samples into an UpdateService input that botocore accepts
# (validate_ecs.py checks services/*.update.json against UpdateService).
. "$(dirname "$0")/common.sh"
command -v jq >/dev/null || { echo "skipped: jq is not installed"; exit 77; }
filter=$(sed -n "s/^jq '\({cluster, service: .serviceName.*\)' ecs\/services\/api.json.*/\1/p" \
         "$source_dir/README.md")
[ -n "$filter" ] || fail "README.md has no UpdateService jq line"
run_kube2ecs convert -m "$source_dir/samples/mapping.yaml" -o "$work/samples" \
    "$source_dir/samples/manifests"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "samples: convert exited $status"; }
count=0
for services in "$work/samples/services" "$source_dir"/tests/cases/*/expected/services; do
    [ -d "$services" ] || continue
    for f in "$services"/*.json; do
        count=$((count + 1))
        mkdir -p "$work/update/services"
        jq "$filter" "$f" >"$work/update/services/s$count.update.json"
    done
done
[ "$count" -ge 10 ] || fail "only $count services found"
# One directory, one python process (botocore's models load once).
$python "$source_dir/tests/tools/validate_ecs.py" "$work/update" >"$work/validate" ||
    { cat "$work/validate"; fail "UpdateService input rejected"; }
[ "$(grep -c . "$work/validate")" -eq 1 ] && grep -q "^validate_ecs: $count files checked, 0 problems" "$work/validate" ||
    { cat "$work/validate"; fail "not every UpdateService input was checked"; }
# The line is not a no-op: a CreateService input is not an UpdateService one.
mkdir -p "$work/create/services"
cp "$work/samples/services/api-server.json" "$work/create/services/api-server.update.json"
$python "$source_dir/tests/tools/validate_ecs.py" --expect-invalid "$work/create" >/dev/null ||
    fail "validate_ecs accepts a CreateService input as UpdateService input"
echo "$count UpdateService inputs made by README's jq line, valid for botocore"
