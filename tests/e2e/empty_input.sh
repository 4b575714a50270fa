#!/bin/sh
# An input without any Kubernetes object is an error (exit 2) and leaves a
# previous OUTDIR byte for byte as it was, --keep-going or not: empty
# standard input (`false | kube2ecs convert -o ecs-out -`), an empty
# directory, a directory of files that are all skipped, an empty List.
. "$(dirname "$0")/common.sh"
samples=$source_dir/samples
run_kube2ecs convert -m "$samples/mapping.yaml" -o "$work/out" "$samples/manifests"
[ "$status" -eq 0 ] || fail "samples: exit $status"
[ "$(find "$work/out" -type f ! -name .kube2ecs-output | wc -l)" -eq 10 ] ||
    fail "the samples no longer give 10 files"
cp -r "$work/out" "$work/before"

expect_untouched() {   # what, expected message
    [ "$status" -eq 2 ] || { cat "$work/stderr"; fail "$1: exit $status, expected 2"; }
    diff -r "$work/before" "$work/out" >/dev/null || fail "$1: OUTDIR changed"
    ls -d "$work"/out.* 2>/dev/null && fail "$1: temporary directories left beside OUTDIR"
    grep -qF "$2" "$work/stderr" || { cat "$work/stderr"; fail "$1: no message '$2'"; }
    grep -qF "kube2ecs: nothing written to $work/out/: the input held no Kubernetes object" \
        "$work/stderr" || fail "$1: the summary does not say why nothing was written"
}

printf '' >"$work/in"
run_kube2ecs convert -o "$work/out" - <"$work/in"
expect_untouched "empty stdin" "<stdin>: error: standard input is empty: no Kubernetes object [K2E-E005]"
grep -qF "did the command before \`|\` fail?" "$work/stderr" || fail "empty stdin: no hint"

status=0
false | "$kube2ecs" convert --keep-going -o "$work/out" - >"$work/stdout" 2>"$work/stderr" || status=$?
expect_untouched "false | ... --keep-going" "standard input is empty"

printf -- '---\n# nothing\n---\n' >"$work/in"
run_kube2ecs convert -o "$work/out" - <"$work/in"
expect_untouched "stdin of empty documents" "standard input is empty"

printf 'apiVersion: v1\nkind: List\nitems: []\n' >"$work/in"
run_kube2ecs convert --keep-going -o "$work/out" - <"$work/in"
expect_untouched "empty List" "error: no Kubernetes object in the input (1 file read, 0 skipped)"

mkdir "$work/empty"
run_kube2ecs convert -o "$work/out" "$work/empty"
expect_untouched "empty directory" "error: no Kubernetes object in the input (0 files read, 0 skipped): nothing to convert, the output directory is left as it was [K2E-E013]"

mkdir -p "$work/chart/templates"
printf 'apiVersion: v2\nname: web\nversion: 1.0.0\n' >"$work/chart/Chart.yaml"
printf 'replicas: 2\n' >"$work/chart/values.yaml"
printf 'kind: Service\n' >"$work/chart/templates/svc.yaml"
run_kube2ecs convert --keep-going -o "$work/out" "$work/chart"
expect_untouched "only skipped files" "(0 files read, 3 skipped)"
grep -qF "hint: this looks like a Helm chart: convert what it renders" "$work/stderr" ||
    fail "only skipped files: no Helm hint"
echo "inputs without objects exit 2 and leave OUTDIR as it was"
