#!/bin/sh
# Runs one golden case: tests/cases/<case>/ holds
#   input/                   manifests (the PATH given to kube2ecs convert)
#   mapping.yaml             optional mapping table (-m)
#   args                     optional extra arguments, one line
#   expected/                the expected output tree (report.json excluded)
#   expected-diagnostics.txt diagnostic lines as printed on stderr (-v, no
#                            hints, no summary); manifests are named relative
#                            to input/, the mapping file as mapping.yaml
#   expected-exit            optional exit status (default 0)
# With K2E_UPDATE_GOLDEN=1 the expected files are rewritten from the actual
# run instead (then review the diff before committing).
set -eu
kube2ecs=$1
case_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$case_dir"
set -- convert -v -o "$work/out"
[ -f mapping.yaml ] && set -- "$@" -m mapping.yaml
if [ -f args ]; then
    # shellcheck disable=SC2046
    set -- "$@" $(cat args)
fi
set -- "$@" input
status=0
NO_COLOR=1 "$kube2ecs" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
grep -v -e '^  hint: ' -e '^kube2ecs: ' "$work/stderr" >"$work/diagnostics" || true
rm -f "$work/out/report.json"
# Every written tree carries kube2ecs' marker (write.c); it is not part of expected/.
marker_ok=1
if [ -d "$work/out" ]; then
    [ "$(head -n 1 "$work/out/.kube2ecs-output" 2>/dev/null)" = "kube2ecs output directory, format 1" ] ||
        marker_ok=0
    rm -f "$work/out/.kube2ecs-output"
fi
[ -d "$work/out" ] || mkdir -p "$work/out"

if [ "${K2E_UPDATE_GOLDEN:-0}" = 1 ]; then
    rm -rf expected
    cp -r "$work/out" expected
    cp "$work/diagnostics" expected-diagnostics.txt
    if [ "$status" -ne 0 ]; then echo "$status" >expected-exit; else rm -f expected-exit; fi
    echo "updated $case_dir"
    exit 0
fi

failed=0
expected_status=0
[ -f expected-exit ] && expected_status=$(cat expected-exit)
if [ "$status" -ne "$expected_status" ]; then
    echo "exit status $status, expected $expected_status"
    failed=1
fi
mkdir -p expected
if ! diff -ru expected "$work/out"; then
    echo "output tree differs from expected/"
    failed=1
fi
if [ "$marker_ok" -ne 1 ]; then
    echo "the output tree has no kube2ecs marker (.kube2ecs-output)"
    failed=1
fi
touch expected-diagnostics.txt
if ! diff -u expected-diagnostics.txt "$work/diagnostics"; then
    echo "diagnostics differ from expected-diagnostics.txt"
    failed=1
fi
if [ "$failed" -ne 0 ]; then
    echo "--- stderr ---"
    cat "$work/stderr"
fi
exit "$failed"
