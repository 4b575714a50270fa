#!/bin/sh
# The samples convert cleanly with their mapping table (exit 0, no error),
# and every file passes botocore's own parameter validation and the Fargate
# rules.  With --strict the same run exits exactly 1: the samples show, on
# purpose, the warnings a real migration meets (IRSA roles, CronJob
# semantics ECS lacks, annotations), and --strict fails on exactly those.
. "$(dirname "$0")/common.sh"
mapping="$source_dir/samples/mapping.yaml"
manifests="$source_dir/samples/manifests"
run_kube2ecs convert -m "$mapping" -o "$work/out" "$manifests"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "convert exited $status, expected 0"; }
grep -q " 0 errors," "$work/stderr" || { cat "$work/stderr"; fail "the samples have errors"; }
ls "$work/out/task-definitions/"*.json >/dev/null || fail "no task definitions written"
"$python" "$source_dir/tests/tools/validate_ecs.py" "$work/out" || fail "validation failed"

run_kube2ecs convert --strict -m "$mapping" -o "$work/strict" "$manifests"
[ "$status" -eq 1 ] || { cat "$work/stderr"; fail "convert --strict exited $status, expected 1"; }
codes=$(sed -n '/--strict: .* findings fail the run/,$p' "$work/stderr" |
    grep -o '^K2E-[EWI][0-9]*' | sort -u | tr '\n' ' ')
[ "$codes" = "K2E-W010 K2E-W050 K2E-W072 K2E-W073 K2E-W085 K2E-W094 " ] ||
    { cat "$work/stderr"; fail "--strict findings: $codes"; }
echo "samples: exit 0, valid; --strict: exit 1 on $codes"
