#!/bin/sh
# Progress on stderr: only when stderr is a terminal (script(1) provides
# one), only for runs longer than a second (standard input that arrives
# after 1.5 s here), never with -q, never on a pipe or file.
. "$(dirname "$0")/common.sh"
command -v script >/dev/null || { echo "skipped: no script(1)"; exit 77; }
input=$source_dir/samples/manifests/api-server.yaml
slow="(sleep 1.5; cat '$input')"

on_tty() {   # output file, kube2ecs arguments
    out=$1
    shift
    script -qec "sh -c \"$slow | '$kube2ecs' $*\"" /dev/null >"$out" 2>&1 || true
}
on_tty "$work/tty.txt" convert -o "'$work/a'" -
grep -q "$(printf '\r')kube2ecs: 1 file read" "$work/tty.txt" ||
    { cat -v "$work/tty.txt"; fail "no progress on a terminal for a run over a second"; }
grep -q "^kube2ecs: wrote" "$work/tty.txt" || fail "no summary after the progress line"

on_tty "$work/quiet.txt" convert -q -o "'$work/b'" -
grep -q "file read" "$work/quiet.txt" && fail "progress despite -q"
grep -q "kube2ecs: wrote" "$work/quiet.txt" || fail "-q run did not finish"

# A quick run on a terminal shows none.
script -qec "'$kube2ecs' convert -o '$work/c' '$input'" /dev/null >"$work/fast.txt" 2>&1 || true
grep -q "file read" "$work/fast.txt" && fail "progress for a run under a second"

# Not a terminal: never.
status=0
sh -c "$slow | '$kube2ecs' convert -o '$work/d' -" >"$work/stdout" 2>"$work/stderr" || status=$?
grep -q "file read" "$work/stderr" && fail "progress on a non-terminal stderr"
grep -q "$(printf '\r')" "$work/stderr" && fail "carriage return on a non-terminal stderr"
echo "progress only on a terminal, after a second, not with -q"
