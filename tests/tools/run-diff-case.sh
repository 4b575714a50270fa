#!/bin/sh
# Runs one diff case: tests/diff-cases/<case>/ holds
#   input/            manifests (the PATH given to kube2ecs diff)
#   mapping.yaml      optional mapping table (-m)
#   against/          the directory compared with (--against)
#   args              optional extra arguments, one line
#   expected-stdout   what diff prints (NO_COLOR)
#   expected-stderr   diagnostics and the summary line
#   expected-exit     exit status (default 0)
# With K2E_UPDATE_GOLDEN=1 the expected files are rewritten from the actual
# run instead (then review the diff before committing).
set -eu
kube2ecs=$1
case_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$case_dir"
set -- diff --against against
[ -f mapping.yaml ] && set -- "$@" -m mapping.yaml
if [ -f args ]; then
    # shellcheck disable=SC2046
    set -- "$@" $(cat args)
fi
set -- "$@" input
status=0
NO_COLOR=1 "$kube2ecs" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?

if [ "${K2E_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$work/stdout" expected-stdout
    cp "$work/stderr" expected-stderr
    echo "$status" >expected-exit
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
if ! diff -u expected-stdout "$work/stdout"; then
    echo "stdout differs from expected-stdout"
    failed=1
fi
if ! diff -u expected-stderr "$work/stderr"; then
    echo "stderr differs from expected-stderr"
    failed=1
fi
exit "$failed"
