#!/bin/sh
# Every expected output tree of the golden cases is what real tools accept:
# botocore's own models and the Fargate rules (tests/tools/validate_ecs.py),
# so a golden case can never freeze an invalid file as "expected".
#
# A case whose mapping opts into an ECS feature newer than Debian's botocore
# (a file `ecs-model` saying `aws-sdk`: container restart policies) is
# validated against the aws-sdk npm package's ECS model instead
# (tests/tools/aws-sdk-model.sh), and must fail Debian's model for exactly
# those newer members and nothing else.
. "$(dirname "$0")/common.sh"
debian_trees=""
newer_trees=""
count=0
for expected in "$source_dir"/tests/cases/*/expected; do
    [ -n "$(ls -A "$expected" 2>/dev/null)" ] || continue
    count=$((count + 1))
    model_file=$(dirname "$expected")/ecs-model
    if [ -f "$model_file" ]; then
        [ "$(cat "$model_file")" = aws-sdk ] || fail "$model_file: only 'aws-sdk' is known"
        newer_trees="$newer_trees $expected"
    else
        debian_trees="$debian_trees $expected"
    fi
done
[ "$count" -gt 10 ] || fail "only $count golden trees found"
[ -n "$newer_trees" ] || fail "no golden case uses a newer ECS model (ecs-model files)"

# One python process per model for every tree: loading botocore's models
# dominates a run, and per-tree processes cost minutes on a busy machine.
# shellcheck disable=SC2086
"$python" "$source_dir/tests/tools/validate_ecs.py" $debian_trees >"$work/v.txt" ||
    { cat "$work/v.txt"; fail "golden output trees do not validate"; }
echo "golden output trees validate with Debian's botocore: $(tail -1 "$work/v.txt")"

model=$("$source_dir/tests/tools/aws-sdk-model.sh") || exit $?
# shellcheck disable=SC2086
"$python" "$source_dir/tests/tools/validate_ecs.py" --ecs-model "$model" $newer_trees \
    >"$work/newer.txt" ||
    { cat "$work/newer.txt"; fail "golden output trees do not validate with the aws-sdk model"; }
echo "opted-in trees validate with the aws-sdk ECS model: $(tail -1 "$work/newer.txt")"

# The opt-in is needed: Debian's model rejects those trees, for restartPolicy only.
# shellcheck disable=SC2086
"$python" "$source_dir/tests/tools/validate_ecs.py" --expect-invalid $newer_trees \
    >"$work/old.txt" || { cat "$work/old.txt"; fail "Debian's botocore accepts the opted-in trees"; }
grep -v '^validate_ecs: ' "$work/old.txt" | grep -v 'Unknown parameter in .*"restartPolicy"' \
    >"$work/other.txt" || true
[ ! -s "$work/other.txt" ] ||
    { cat "$work/other.txt"; fail "Debian's botocore finds more than restartPolicy in the opted-in trees"; }

# The aws-sdk model is really consulted: a member it does not know fails.
doctored=$work/doctored
cp -r "$source_dir/tests/cases/container-restart-policies/expected" "$doctored"
sed 's/"restartAttemptPeriod"/"maxRestarts"/' \
    "$source_dir/tests/cases/container-restart-policies/expected/task-definitions/web.json" \
    >"$doctored/task-definitions/web.json"
"$python" "$source_dir/tests/tools/validate_ecs.py" --ecs-model "$model" --expect-invalid \
    "$doctored" >"$work/doctored.txt" ||
    { cat "$work/doctored.txt"; fail "the aws-sdk model accepts an unknown restartPolicy member"; }
grep -q 'maxRestarts.*Unknown parameter' "$work/doctored.txt" ||
    { cat "$work/doctored.txt"; fail "the doctored tree failed for another reason"; }
