# Sourced by the e2e scripts: arguments, a scratch directory, helpers.
# Usage of every script: SCRIPT KUBE2ECS SOURCE_DIR CORPUS_DIR
set -eu
kube2ecs=$1
source_dir=$2
corpus_dir=$3
python=/usr/bin/python3   # Debian's, with Debian's python3-botocore
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# A skip: exit 77, which CTest shows as "Skipped" (SKIP_RETURN_CODE);
# tests/tools/skip-gate.sh turns it into a failure under CI=true.
skip() {
    echo "skipped: $*"
    exit 77
}

need_corpus() {
    [ -d "$corpus_dir" ] || skip "no corpus at $corpus_dir"
}

# For a script whose corpus part is one step among others: true when the
# corpus is there; otherwise says so and is false, or fails under CI=true
# (where nothing may silently test less).
have_corpus() {
    [ -d "$corpus_dir" ] && return 0
    [ "${CI:-}" != true ] || fail "no corpus at $corpus_dir (CI=true: nothing may be skipped)"
    echo "note: no corpus at $corpus_dir, its part of this test is skipped"
    return 1
}

# Runs kube2ecs, keeps the status; a signal (status > 128) always fails.
run_kube2ecs() {
    status=0
    "$kube2ecs" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
    if [ "$status" -gt 128 ]; then
        cat "$work/stderr" >&2
        fail "kube2ecs died with signal $((status - 128))"
    fi
}
