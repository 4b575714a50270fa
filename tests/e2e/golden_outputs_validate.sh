#!/bin/sh
# Every expected output tree of the golden cases is what real tools accept:
# botocore's own models and the Fargate rules (tests/tools/validate_ecs.py),
# so a golden case can never freeze an invalid file as "expected".
. "$(dirname "$0")/common.sh"
checked=0
set --
for expected in "$source_dir"/tests/cases/*/expected; do
    [ -n "$(ls -A "$expected" 2>/dev/null)" ] || continue
    set -- "$@" "$expected"
    checked=$((checked + 1))
done
[ "$checked" -gt 10 ] || fail "only $checked golden trees found"
# One validator run (each run loads botocore's models); it names the tree of
# every problem.
"$python" "$source_dir/tests/tools/validate_ecs.py" "$@" >"$work/v.txt" ||
    { cat "$work/v.txt"; fail "golden output trees do not validate (above)"; }
echo "$checked golden output trees validate"
