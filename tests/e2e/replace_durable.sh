#!/bin/sh
# The replace sequence of write.c is crash-safe on disk, seen in the system
# calls (strace): every file and directory of the new tree is fsync'd before
# the swap (renameat2 RENAME_EXCHANGE, or rename), and the parent directory
# after it.  A crash at any instant leaves the old or the new tree whole
# (unit test_write kills the writer at every step; this one checks what a
# power loss would need).  The checker is tried on a doctored trace too, so
# it can fail.
. "$(dirname "$0")/common.sh"
command -v strace >/dev/null || skip "no strace"
samples="$source_dir/samples/manifests"
cd "$work"
"$kube2ecs" convert -o out "$samples" 2>/dev/null || fail "first convert: exit $?"
# The second run replaces the first tree: the swap.  LeakSanitizer cannot
# run under ptrace (it aborts): no leak check in this one run of the
# sanitizer build, every other test has it.
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -f -qq -e trace=openat,close,fsync,mkdir,rename,renameat,renameat2 -o trace \
    "$kube2ecs" convert -o out "$samples" 2>"$work/stderr" || status=$?
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "second convert under strace: exit $status"; }

# check TRACE: prints what was not on disk in time; false if anything.
check() {
    awk '
    function path(s) { sub(/^[^"]*"/, "", s); sub(/".*/, "", s); return s }
    function fd_of(s) { sub(/.*= /, "", s); return s + 0 }
    function arg_fd(s) { sub(/^[^(]*\(/, "", s); sub(/[,)].*/, "", s); return s + 0 }
    / openat\(/ && / = [0-9]+$/ {
        p = path($0)
        if (p !~ /^out\.new-/ && p != ".") next
        open_path[fd_of($0)] = p
        if ($0 ~ /O_CREAT/) need[p] = "file"
        next
    }
    / mkdir\("out\.new-/ && / = 0$/ { need[path($0)] = "directory"; next }
    / fsync\(/ && / = 0$/ {
        p = open_path[arg_fd($0)]
        if (swapped && p == ".") parent_synced = 1
        if (!swapped) done[p] = 1
        next
    }
    / close\(/ { delete open_path[arg_fd($0)]; next }
    / renameat2?\(.*"out\.new-[^"]*".*"out"/ || / rename\("out\.new-[^"]*", "out"\)/ {
        if ($0 !~ / = 0$/) next
        swapped = 1
        for (p in need) if (!(p in done)) { print "not fsync'\''d before the swap: " need[p] " " p; bad = 1 }
        n = 0; for (p in need) n++
    }
    END {
        if (!swapped) { print "no swap of out.new-* into out"; bad = 1 }
        else if (n < 8) { print "only " n " new files and directories seen"; bad = 1 }
        if (swapped && !parent_synced) { print "the parent directory is not fsync'\''d after the swap"; bad = 1 }
        exit bad
    }' "$1"
}
check trace || { grep -v -e '/usr/' -e '/lib' -e '/etc/' trace | tail -60; fail "replace not durable (above)"; }
grep -q 'RENAME_EXCHANGE) = 0' trace || fail "no renameat2(RENAME_EXCHANGE) swap on Linux"

# The checker can fail: drop one file's fsync, then the parent's.
awk '/ fsync\(/ && !dropped && prev ~ /task-definitions\/.*O_CREAT/ { dropped = 1; next } { prev = $0; print }' \
    trace >trace.no-file-fsync
! check trace.no-file-fsync >/dev/null || fail "the checker misses a file that was not fsync'd"
awk '/RENAME_EXCHANGE/ { swapped = 1 } swapped && / fsync\(/ { next } { print }' trace >trace.no-parent
! check trace.no-parent >/dev/null || fail "the checker misses the parent directory's fsync"
echo "the replaced tree was on disk before the swap, and the swap after it"
