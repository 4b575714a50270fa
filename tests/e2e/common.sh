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

need_corpus() {
    if [ ! -d "$corpus_dir" ]; then
        echo "skipped: no corpus at $corpus_dir"
        exit 77
    fi
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
