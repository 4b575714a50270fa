#!/bin/sh
# Every expected output tree of the golden cases is what real tools accept:
# botocore's own models and the Fargate rules (tests/tools/validate_ecs.py),
# so a golden case can never freeze an invalid file as "expected".
. "$(dirname "$0")/common.sh"
# One python process for every tree: loading botocore's models dominates a
# run, and per-tree processes cost minutes on a busy machine.
set --
for expected in "$source_dir"/tests/cases/*/expected; do
    [ -n "$(ls -A "$expected" 2>/dev/null)" ] || continue
    set -- "$@" "$expected"
done
[ "$#" -gt 10 ] || fail "only $# golden trees found"
"$python" "$source_dir/tests/tools/validate_ecs.py" "$@" >"$work/v.txt" ||
    { cat "$work/v.txt"; fail "golden output trees do not validate"; }
echo "$# golden output trees validate: $(tail -1 "$work/v.txt")"
