#!/bin/sh
# What a run may do to OUTDIR and the files around it (issue 10): -o creates
# missing parents; -o ., .., / are refused clearly; a directory with a
# foreign report.json or a user's file is never replaced; leftovers of a
# killed run are cleaned (marked) or reported (unmarked); failures of the
# file system (no space, read-only, name too long) exit 3, refusals exit 2.
. "$(dirname "$0")/common.sh"
good="$source_dir/tests/cases/no-mapping-placeholders/input"

# -o a/b/c creates a and a/b.
run_kube2ecs convert -o "$work/a/b/c" "$good"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "-o a/b/c: exit $status"; }
[ -f "$work/a/b/c/report.json" ] || fail "-o a/b/c wrote no report.json"
[ "$(head -n 1 "$work/a/b/c/.kube2ecs-output")" = "kube2ecs output directory, format 1" ] ||
    fail "no marker in OUTDIR"

# -o . / .. / / : a clear refusal, exit 2, nothing touched.
mkdir -p "$work/cwd/sub" && echo mine >"$work/cwd/sub/precious.txt"
for dir in . .. / ./ "$work/cwd/sub/.."; do
    status=0
    (cd "$work/cwd/sub" && "$kube2ecs" convert -o "$dir" "$good") >"$work/stdout" 2>"$work/stderr" ||
        status=$?
    [ "$status" -eq 2 ] || fail "-o $dir: exit $status, expected 2"
    grep -q "cannot be the current directory, its parent or the root" "$work/stderr" ||
        { cat "$work/stderr"; fail "-o $dir: no clear refusal"; }
    grep -q "busy" "$work/stderr" && fail "-o $dir: 'busy' error"
    [ "$(ls -A "$work/cwd/sub")" = precious.txt ] || fail "-o $dir touched the directory"
    [ "$(ls -A "$work/cwd")" = sub ] || fail "-o $dir left something beside it"
done

# A foreign report.json (or kube2ecs 0.1's unmarked output) is never replaced.
mkdir -p "$work/theirs" && echo '{"mine": 1}' >"$work/theirs/report.json"
echo keep >"$work/theirs/precious.txt"
run_kube2ecs convert -o "$work/theirs" "$good"
[ "$status" -eq 2 ] || fail "foreign report.json: exit $status, expected 2"
grep -q "K2E-E012" "$work/stderr" && grep -q "rm -r" "$work/stderr" ||
    { cat "$work/stderr"; fail "foreign report.json: no K2E-E012 with a hint"; }
[ "$(cat "$work/theirs/precious.txt")" = keep ] && [ "$(cat "$work/theirs/report.json")" = '{"mine": 1}' ] ||
    fail "foreign directory changed"
[ "$(ls -A "$work/theirs" | wc -l)" -eq 2 ] || fail "foreign directory gained files"

# Leftovers of a killed run: marked ones are removed, unmarked ones reported.
run_kube2ecs convert -o "$work/out" "$good"
[ "$status" -eq 0 ] || fail "first run: exit $status"
cp -r "$work/out" "$work/out.new-2147483646-0"     # no such pid: a dead run's tree
mkdir "$work/out.old-AbC123" && echo '{}' >"$work/out.old-AbC123/report.json"
run_kube2ecs convert -o "$work/out" "$good"
[ "$status" -eq 0 ] || fail "run with leftovers: exit $status"
[ ! -e "$work/out.new-2147483646-0" ] || fail "marked leftover not removed"
[ -f "$work/out.old-AbC123/report.json" ] || fail "unmarked leftover removed"
grep -q "out.old-AbC123: warning: .*left alone \[K2E-W009\]" "$work/stderr" ||
    { cat "$work/stderr"; fail "unmarked leftover not reported"; }
rm -r "$work/out.old-AbC123"

# Name too long for the file system: exit 3 (an output-side failure).
long=$(printf '%0300d' 0)
run_kube2ecs convert -o "$work/$long" "$good"
[ "$status" -eq 3 ] || fail "ENAMETOOLONG: exit $status, expected 3"
grep -q "K2E-E009" "$work/stderr" || fail "ENAMETOOLONG: no K2E-E009"

# No permission (EACCES): exit 3.  Root passes every permission check, so
# this runs as nobody when the test runs as root (setpriv, util-linux).
# The binary and the input are copied into $work, which nobody can reach
# wherever the checkout is.
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    chmod 755 "$work"
    cp "$kube2ecs" "$work/kube2ecs" && cp -r "$good" "$work/good" && chmod -R a+rX "$work/good"
    mkdir "$work/locked" && chmod 755 "$work/locked"
fi
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && $nobody "$work/kube2ecs" --version >/dev/null 2>&1; then
    status=0
    $nobody "$work/kube2ecs" convert -o "$work/locked/out" "$work/good" \
        >"$work/stdout" 2>"$work/stderr" || status=$?
    [ "$status" -eq 3 ] || { cat "$work/stderr"; fail "EACCES: exit $status, expected 3"; }
    grep -q "Permission denied \[K2E-E009\]" "$work/stderr" || fail "EACCES not named"
elif [ "$(id -u)" -ne 0 ]; then
    mkdir "$work/locked" && chmod 555 "$work/locked"
    run_kube2ecs convert -o "$work/locked/out" "$good"
    [ "$status" -eq 3 ] || fail "EACCES: exit $status, expected 3"
else
    echo "note: cannot run as nobody here: EACCES part not run"
fi

# No space left, read-only file system: exit 3, the previous output intact.
# Needs a tmpfs mount (root); reported, not faked, when it cannot be made.
mnt="$work/mnt"
mkdir "$mnt"
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
    trap 'umount "$mnt" 2>/dev/null || true; rm -rf "$work"' EXIT
    run_kube2ecs convert -o "$mnt/out" "$good"
    [ "$status" -eq 0 ] || fail "tmpfs: first run exit $status"
    cp -r "$mnt/out" "$work/before"
    head -c 60000 /dev/zero >"$mnt/filler" 2>/dev/null || true
    run_kube2ecs convert -o "$mnt/out" "$good"
    [ "$status" -eq 3 ] || { cat "$work/stderr"; fail "ENOSPC: exit $status, expected 3"; }
    grep -q "No space left on device" "$work/stderr" || fail "ENOSPC not named"
    grep -q "\.new-" "$work/stderr" && fail "ENOSPC message names a temporary path"
    diff -r "$work/before" "$mnt/out" || fail "ENOSPC changed the previous output"
    [ "$(ls "$mnt")" = "filler
out" ] || fail "ENOSPC left temporaries: $(ls "$mnt")"
    rm "$mnt/filler"
    mount -o remount,ro "$mnt"
    run_kube2ecs convert -o "$mnt/out" "$good"
    [ "$status" -eq 3 ] || { cat "$work/stderr"; fail "EROFS: exit $status, expected 3"; }
    grep -q "Read-only file system" "$work/stderr" || fail "EROFS not named"
    umount "$mnt"
else
    echo "note: no tmpfs mount here (not root?): ENOSPC/EROFS part not run"
fi
echo "output safety holds"
