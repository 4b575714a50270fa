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
#   plan-args                optional: also run `kube2ecs plan-batch` (with the
#                            mapping and these extra arguments, one line, may
#                            be empty) and compare its stdout with
#                            expected-plan.txt
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

# The batch plan of the same input, when the case asks for one.
if [ -f plan-args ]; then
    set -- plan-batch
    [ -f mapping.yaml ] && set -- "$@" -m mapping.yaml
    # shellcheck disable=SC2046
    set -- "$@" $(cat plan-args) input
    plan_status=0
    NO_COLOR=1 "$kube2ecs" "$@" >"$work/plan" 2>"$work/plan-stderr" || plan_status=$?
    if [ "$plan_status" -ne 0 ]; then
        echo "plan-batch exit status $plan_status"
        cat "$work/plan-stderr"
        exit 1
    fi
    if [ "${K2E_UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$work/plan" expected-plan.txt
    elif ! diff -u expected-plan.txt "$work/plan"; then
        echo "plan-batch output differs from expected-plan.txt"
        exit 1
    fi
fi

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
# Read only: a case without expected/ or expected-diagnostics.txt expects
# none, and nothing is created in the source tree (tests pass on a read-only
# checkout: tests/tools/check-read-only.sh).
expected_dir=expected
[ -d expected ] || { expected_dir=$work/empty && mkdir "$expected_dir"; }
if ! diff -ru "$expected_dir" "$work/out"; then
    echo "output tree differs from expected/"
    failed=1
fi
if [ "$marker_ok" -ne 1 ]; then
    echo "the output tree has no kube2ecs marker (.kube2ecs-output)"
    failed=1
fi
expected_diagnostics=expected-diagnostics.txt
[ -f expected-diagnostics.txt ] || expected_diagnostics=/dev/null
if ! diff -u "$expected_diagnostics" "$work/diagnostics"; then
    echo "diagnostics differ from expected-diagnostics.txt"
    failed=1
fi
if [ "$failed" -ne 0 ]; then
    echo "--- stderr ---"
    cat "$work/stderr"
fi
exit "$failed"
