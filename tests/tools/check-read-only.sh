#!/bin/sh
# The golden and diff case runners never write into the source tree: every
# case passes from a read-only copy of tests/cases and tests/diff-cases (as
# user nobody when run as root, since root ignores file modes), and the copy
# is left exactly as it was (same entries, nothing newer than before the
# runs: that holds for root too).
#   check-read-only.sh SOURCE_DIR KUBE2ECS
set -eu
source_dir=$1
kube2ecs=$2
copy=$(mktemp -d)
trap 'chmod -R u+w "$copy"; rm -rf "$copy"' EXIT
cp -R "$source_dir/tests/cases" "$source_dir/tests/diff-cases" "$copy/"
chmod -R a-w,a+rX "$copy/cases" "$copy/diff-cases"
chmod 755 "$copy"
find "$copy/cases" "$copy/diff-cases" -exec ls -ld --time-style=+%s.%N {} + | sort >"$copy/before"
touch "$copy/stamp"

as_reader=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    as_reader="setpriv --reuid=65534 --regid=65534 --clear-groups --"
fi
failed=0
cases=0
for dir in "$copy"/cases/*/ "$copy"/diff-cases/*/; do
    name=$(basename "$dir")
    case $name in _*) continue ;; esac
    case $dir in
        */diff-cases/*) runner=run-diff-case.sh ;;
        *) runner=run-golden-case.sh ;;
    esac
    cases=$((cases + 1))
    # shellcheck disable=SC2086
    if ! $as_reader "$source_dir/tests/tools/$runner" "$kube2ecs" "$dir" >"$copy/log" 2>&1; then
        cat "$copy/log"
        echo "FAIL: $runner $name fails on a read-only copy"
        failed=1
    fi
done
find "$copy/cases" "$copy/diff-cases" -exec ls -ld --time-style=+%s.%N {} + | sort >"$copy/after"
if ! diff -u "$copy/before" "$copy/after"; then
    echo "FAIL: the runners changed the read-only copy (above)"
    failed=1
fi
newer=$(find "$copy/cases" "$copy/diff-cases" -newer "$copy/stamp")
if [ -n "$newer" ]; then
    echo "$newer"
    echo "FAIL: the runners wrote into the read-only copy"
    failed=1
fi
[ "$failed" -eq 0 ] && echo "$cases cases pass from a read-only copy${as_reader:+ (as nobody)}, which is unchanged"
exit "$failed"
