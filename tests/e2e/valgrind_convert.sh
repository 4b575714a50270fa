#!/bin/sh
# kube2ecs under valgrind memcheck: no invalid access and no leak, on the
# samples and on a slice of the corpus including malformed input.
# Each command runs natively first; under valgrind it must end with the same
# status: so a crash (a signal: status >= 128), valgrind's own errors (99)
# and valgrind failing to start (its status 1, or a message of its own)
# never pass for a clean run.  tests/CMakeLists.txt does not register this
# test in the sanitizer build (K2E_SANITIZE: valgrind cannot run ASan code)
# and says which build this is in K2E_SANITIZED.
. "$(dirname "$0")/common.sh"
[ "${K2E_SANITIZED:-0}" = 0 ] ||
    fail "sanitizer build: valgrind cannot run it (tests/CMakeLists.txt must not register this test)"
command -v valgrind >/dev/null || skip "no valgrind"
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"

# valgrind itself works here (a missing libc6-dbg, an unsupported CPU
# instruction or a broken install show on a trivial program first).
if ! $vg /bin/true >"$work/vg-true" 2>&1; then
    cat "$work/vg-true" >&2
    fail "valgrind does not start on /bin/true"
fi

runs=0
run_vg() {
    native=0
    "$kube2ecs" "$@" >/dev/null 2>&1 || native=$?
    [ "$native" -lt 128 ] || fail "kube2ecs died with signal $((native - 128)) (natively): $*"
    status=0
    $vg "$kube2ecs" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
    if [ "$status" -eq 99 ]; then
        cat "$work/stderr" >&2
        fail "valgrind found errors: $*"
    fi
    if [ "$status" -ge 128 ]; then
        cat "$work/stderr" >&2
        fail "kube2ecs died with signal $((status - 128)) under valgrind: $*"
    fi
    if [ "$status" -ne "$native" ]; then
        cat "$work/stderr" >&2
        fail "exit $status under valgrind, $native natively (valgrind failed?): $*"
    fi
    if grep -v 'Warning: set address range perms' "$work/stderr" |
        grep -q -e '^valgrind:' -e '^==[0-9]*== '; then
        cat "$work/stderr" >&2
        fail "valgrind reported something: $*"
    fi
    runs=$((runs + 1))
}
run_vg convert -m "$source_dir/samples/mapping.yaml" -o "$work/a" "$source_dir/samples/manifests"
run_vg convert --keep-going -o "$work/b" "$source_dir/tests/cases"
# batch consolidation: the plan, and the consolidated tree with its ytt layout
run_vg plan-batch --json "$source_dir/tests/cases"
run_vg convert --keep-going --consolidate --layout ytt -f ecs-deploy -o "$work/e" \
    "$source_dir/tests/cases"
if have_corpus; then
    run_vg convert --keep-going -o "$work/c" "$corpus_dir/kubernetes__examples" \
        "$corpus_dir/aws-samples__eks-workshop-v2"
fi
printf 'a: [&a [*a, *a]\n' >"$work/bad.yaml"
run_vg convert -o "$work/d" "$work/bad.yaml"
echo "valgrind clean ($runs runs)"
