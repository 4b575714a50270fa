#!/bin/sh
# With no mapping table at all, the output is still valid (placeholders are
# warned about, K2E-W020, and say which key to set).
. "$(dirname "$0")/common.sh"
run_kube2ecs convert -o "$work/out" "$source_dir/samples/manifests"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "convert exited $status"; }
grep -q 'K2E-W020' "$work/stderr" || fail "no placeholder warning"
grep -q "set 'executionRoleArn' in your mapping file" "$work/stderr" || fail "hint missing"
"$python" "$source_dir/tests/tools/validate_ecs.py" "$work/out" || fail "validation failed"
