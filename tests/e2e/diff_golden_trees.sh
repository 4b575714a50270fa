#!/bin/sh
# kube2ecs diff finds every golden case's expected/ tree equal to the
# conversion of its input (the same arguments), and finds it different once
# one value in it is changed: diff and convert agree on every kind of file
# the cases cover (ecspresso, ecs-deploy, autoscaling, target groups,
# run-tasks, ecschedule).
. "$(dirname "$0")/common.sh"
checked=0
for case_dir in "$source_dir"/tests/cases/*/; do
    [ -f "$case_dir/expected-exit" ] && continue   # cases that end in errors
    cd "$case_dir"
    set -- diff --against expected
    [ -f mapping.yaml ] && set -- "$@" -m mapping.yaml
    # shellcheck disable=SC2046
    [ -f args ] && set -- "$@" $(cat args)
    run_kube2ecs "$@" input
    if [ "$status" -ne 0 ]; then
        cat "$work/stdout" "$work/stderr"
        fail "$(basename "$case_dir"): diff against its own expected/ exited $status"
    fi
    checked=$((checked + 1))
done
[ "$checked" -ge 10 ] || fail "only $checked cases checked"

# The same once a value changes: one family in one file.
case_dir="$source_dir/tests/cases/service-formats"
cp -r "$case_dir/expected" "$work/changed"
file=$(cd "$work/changed" && ls task-definitions/*.json | head -n 1)
sed 's/"image": "\([^"]*\)"/"image": "\1-changed"/' "$case_dir/expected/$file" >"$work/changed/$file"
cd "$case_dir"
# shellcheck disable=SC2046
run_kube2ecs diff --against "$work/changed" $( [ -f mapping.yaml ] && echo -m mapping.yaml ) \
    $(cat args 2>/dev/null) input
[ "$status" -eq 1 ] || fail "a changed image: exit $status, expected 1"
grep -q "^@@ .* @@ $file: containerDefinitions\[name=[^]]*\]\.image" "$work/stdout" ||
    { cat "$work/stdout"; fail "the hunk header does not name the image's path"; }
echo "$checked golden trees equal to their conversion; a changed image is found"
