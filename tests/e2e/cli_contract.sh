#!/bin/sh
# The command-line contract users and CI rely on: help, version, exit
# statuses, all-or-nothing output, never clobbering a directory that is not
# ours, --strict, --keep-going, colours only on a terminal and never with
# NO_COLOR.
. "$(dirname "$0")/common.sh"
unset NO_COLOR
good="$source_dir/tests/cases/no-mapping-placeholders/input"
bad="$source_dir/tests/cases/malformed-input/input"

run_kube2ecs --help
[ "$status" -eq 0 ] || fail "--help exit $status"
grep -q "exit status" "$work/stdout" || fail "--help does not document exit statuses"
run_kube2ecs help convert
[ "$status" -eq 0 ] && grep -q -- "--keep-going" "$work/stdout" || fail "help convert"
run_kube2ecs --version
grep -q "^kube2ecs [0-9]" "$work/stdout" || fail "--version"
run_kube2ecs convert --bogus "$good"
[ "$status" -eq 2 ] || fail "unknown option: exit $status, expected 2"
run_kube2ecs convert
[ "$status" -eq 2 ] || fail "no PATH: exit $status, expected 2"
run_kube2ecs mapping --defaults
grep -q "^executionRoleArn:" "$work/stdout" || fail "mapping --defaults"

# A previous output survives a failing run byte for byte.
run_kube2ecs convert -o "$work/out" "$good"
[ "$status" -eq 0 ] || fail "good input: exit $status"
cp -r "$work/out" "$work/before"
run_kube2ecs convert -o "$work/out" "$bad"
[ "$status" -eq 2 ] || fail "bad input: exit $status, expected 2"
diff -r "$work/before" "$work/out" || fail "a failed run changed OUTDIR"
ls -d "$work"/out.* 2>/dev/null && fail "temporary directories left beside OUTDIR"
grep -q "nothing written" "$work/stderr" || fail "no 'nothing written' notice"

# --keep-going writes what converted and still exits 2.
run_kube2ecs convert --keep-going -o "$work/kg" "$bad" "$good"
[ "$status" -eq 2 ] || fail "--keep-going: exit $status, expected 2"
[ -f "$work/kg/task-definitions/hello.json" ] || fail "--keep-going wrote nothing"

# A directory that is not a kube2ecs output is never replaced.
mkdir -p "$work/mine" && echo precious >"$work/mine/notes.txt"
run_kube2ecs convert -o "$work/mine" "$good"
[ "$status" -eq 2 ] || fail "foreign OUTDIR: exit $status, expected 2"
[ "$(cat "$work/mine/notes.txt")" = precious ] || fail "foreign OUTDIR was touched"

# --strict turns warnings (placeholders here) into exit 1.
run_kube2ecs convert --strict -o "$work/strict" "$good"
[ "$status" -eq 1 ] || fail "--strict: exit $status, expected 1"

# Colours only on a terminal, never with NO_COLOR (script(1) gives a tty).
if command -v script >/dev/null; then
    script -qec "'$kube2ecs' convert -o '$work/tty' '$good'" /dev/null >"$work/tty.txt" 2>&1 || true
    grep -q "$(printf '\033')\[" "$work/tty.txt" || fail "no colour on a terminal"
    NO_COLOR=1 script -qec "'$kube2ecs' convert -o '$work/tty2' '$good'" /dev/null \
        >"$work/tty2.txt" 2>&1 || true
    grep -q "$(printf '\033')\[" "$work/tty2.txt" && fail "colour despite NO_COLOR"
fi
run_kube2ecs convert -o "$work/pipe" "$good"
grep -q "$(printf '\033')" "$work/stderr" && fail "colour on a pipe"
echo "CLI contract holds"
