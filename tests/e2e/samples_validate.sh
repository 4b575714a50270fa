#!/bin/sh
# The samples convert cleanly with their mapping table, and every file passes
# botocore's own parameter validation and the Fargate rules.
. "$(dirname "$0")/common.sh"
run_kube2ecs convert --strict -m "$source_dir/samples/mapping.yaml" -o "$work/out" \
    "$source_dir/samples/manifests"
cat "$work/stderr"
[ "$status" -le 1 ] || fail "convert exited $status"
ls "$work/out/task-definitions/"*.json >/dev/null || fail "no task definitions written"
"$python" "$source_dir/tests/tools/validate_ecs.py" "$work/out" || fail "validation failed"
