#!/bin/sh
# Symbolic-link loops in an input tree end at once: every directory is read
# once (device and inode), so two `ln -s .` do not make the walk exponential
# and one self-loop gives no false "also defined" errors.
. "$(dirname "$0")/common.sh"
pod=$source_dir/tests/cases/no-mapping-placeholders/input/deploy.yaml

tree() {   # dir, links...
    mkdir -p "$1/sub"
    cp "$pod" "$1/deploy.yaml"
    sed 's/hello/other/g' "$pod" >"$1/sub/other.yaml"
}

tree "$work/one"
ln -s . "$work/one/loop"
tree "$work/two"
ln -s . "$work/two/a"
ln -s . "$work/two/b"
ln -s .. "$work/two/sub/up"
ln -s self.yaml "$work/two/self.yaml"     # a link to itself: cannot be read

run_walk() {   # tree
    start=$(date +%s)
    status=0
    timeout 20 "$kube2ecs" convert -v -o "$work/out-$1" "$work/$1" >"$work/stdout" 2>"$work/stderr" ||
        status=$?
    [ "$status" -ne 124 ] || fail "$1: the walk did not end within 20 s"
    [ $(( $(date +%s) - start )) -le 5 ] || fail "$1: the walk took more than 5 s"
    grep -q "also defined" "$work/stderr" && fail "$1: false 'also defined' errors"
    grep -q "^kube2ecs: 2 files, 2 objects read, 2 converted" "$work/stderr" ||
        { cat "$work/stderr"; fail "$1: not exactly the two files read"; }
}

run_walk one
[ "$status" -eq 0 ] || fail "one: exit $status, expected 0"
grep -qxF "loop: info: the same directory as the input root, already read: not read again [K2E-I003]" \
    "$work/stderr" || fail "one: the loop is not reported"

run_walk two
for link in a b sub/up; do
    grep -qxF "$link: info: the same directory as the input root, already read: not read again [K2E-I003]" \
        "$work/stderr" || fail "two: link $link not reported"
done
grep -qF "self.yaml: error: cannot read (a dangling symbolic link?): " "$work/stderr" ||
    fail "two: the self-referencing link is not reported"
[ "$status" -eq 2 ] || fail "two: an unreadable manifest link must fail the run (exit $status)"
echo "symbolic link loops: each directory read once"
