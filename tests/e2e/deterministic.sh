#!/bin/sh
# Same input, same bytes: two runs, a run over the files in reverse order,
# and the same documents through standard input produce identical outputs.
. "$(dirname "$0")/common.sh"
inputs="$source_dir/samples/manifests"
run_kube2ecs convert -m "$source_dir/samples/mapping.yaml" -o "$work/a" "$inputs"
run_kube2ecs convert -m "$source_dir/samples/mapping.yaml" -o "$work/b" "$inputs"
diff -r "$work/a" "$work/b" || fail "two runs differ"
set --
for f in $(ls "$inputs" | sort -r); do set -- "$@" "$inputs/$f"; done
run_kube2ecs convert -m "$source_dir/samples/mapping.yaml" -o "$work/c" "$@"
diff -r "$work/a" "$work/c" || fail "file order changes the output"
for f in "$inputs"/*.yaml; do cat "$f"; echo "---"; done | run_kube2ecs convert -m "$source_dir/samples/mapping.yaml" -o "$work/d" -
for f in task-definitions services run-tasks autoscaling; do
    [ -e "$work/a/$f" ] || continue
    diff -r "$work/a/$f" "$work/d/$f" || fail "stdin changes $f"
done
# Rule descriptions name the source file ("<stdin>" here): only they differ.
if [ -e "$work/a/ecschedule.yaml" ]; then
    grep -v "^  description: " "$work/a/ecschedule.yaml" >"$work/a.yaml"
    grep -v "^  description: " "$work/d/ecschedule.yaml" >"$work/d.yaml"
    diff "$work/a.yaml" "$work/d.yaml" || fail "stdin changes ecschedule.yaml beyond descriptions"
    grep -q "^  description: '.*from <stdin>" "$work/d/ecschedule.yaml" || fail "no source in descriptions"
fi
echo "identical across runs, orders and stdin"
