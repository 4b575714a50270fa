#!/bin/sh
# kube2ecs under valgrind memcheck: no invalid access and no leak, on the
# samples and on a slice of the corpus including malformed input.
. "$(dirname "$0")/common.sh"
command -v valgrind >/dev/null || { echo "skipped: no valgrind"; exit 77; }
if ldd "$kube2ecs" | grep -q asan; then echo "skipped: sanitizer build"; exit 77; fi
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
run_vg() {
    status=0
    $vg "$kube2ecs" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
    [ "$status" -ne 99 ] || { cat "$work/stderr"; fail "valgrind found errors: $*"; }
}
run_vg convert -m "$source_dir/samples/mapping.yaml" -o "$work/a" "$source_dir/samples/manifests"
run_vg convert --keep-going -o "$work/b" "$source_dir/tests/cases"
# batch consolidation: the plan, and the consolidated tree with its ytt layout
run_vg plan-batch --json "$source_dir/tests/cases"
run_vg convert --keep-going --consolidate --layout ytt -f ecs-deploy -o "$work/e" \
    "$source_dir/tests/cases"
if [ -d "$corpus_dir" ]; then
    run_vg convert --keep-going -o "$work/c" "$corpus_dir/kubernetes__examples" \
        "$corpus_dir/aws-samples__eks-workshop-v2"
fi
printf 'a: [&a [*a, *a]\n' >"$work/bad.yaml"
run_vg convert -o "$work/d" "$work/bad.yaml"
echo "valgrind clean"
