#!/bin/sh
# Every command that writes to standard output fails, with a message, when
# that output cannot be written (/dev/full: ENOSPC at the flush), as
# coreutils do: `kube2ecs mapping --defaults > mapping.yaml` on a full disk
# must not exit 0 with half a file.  A stdout closed by the caller with
# nothing written to it is not an error.
. "$(dirname "$0")/common.sh"
[ -c /dev/full ] || skip "no /dev/full"
samples="$source_dir/samples/manifests"
changed="$source_dir/tests/diff-cases/changed"

full() {
    status=0
    "$kube2ecs" "$@" >/dev/full 2>"$work/stderr" || status=$?
    [ "$status" -eq 3 ] || { cat "$work/stderr" >&2; fail "$* >/dev/full: exit $status, expected 3"; }
    grep -q "^kube2ecs.*standard output" "$work/stderr" ||
        { cat "$work/stderr" >&2; fail "$* >/dev/full: no message about standard output"; }
}
full --help
full -h
full --version
full version
full help
full help convert
full mapping --defaults
full mapping --help
full convert --help
full diff --help
full plan-batch --help
full plan-batch --json -m "$samples/../mapping.yaml" "$samples"
full plan-batch "$samples"
full diff --against "$changed/against" -m "$changed/mapping.yaml" "$changed/input"

# The same commands succeed on a writable stdout (so the failures above are
# the output's, not the arguments').
"$kube2ecs" mapping --defaults >"$work/mapping.yaml" || fail "mapping --defaults: exit $?"
cmp -s "$work/mapping.yaml" "$source_dir/converter/read/default-mapping.yaml" ||
    fail "mapping --defaults differs from default-mapping.yaml"
"$kube2ecs" plan-batch "$samples" >/dev/null || fail "plan-batch: exit $?"

# convert writes nothing to stdout: closing it is fine.
status=0
"$kube2ecs" convert -o "$work/out" "$samples" >&- 2>"$work/stderr" || status=$?
[ "$status" -eq 0 ] || { cat "$work/stderr" >&2; fail "convert with stdout closed: exit $status"; }
echo "write errors on standard output are reported"
