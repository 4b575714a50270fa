#!/bin/sh
# One object that cannot convert (a DaemonSet) in a tree that otherwise
# converts: by default nothing is written, exit 2, and the summary says that
# --keep-going exists and how many objects it would write; with --keep-going
# the rest is written, the exit status is still 2, and report.json lists the
# failure.  A previous OUTDIR survives the default run byte for byte.
. "$(dirname "$0")/common.sh"
cp -r "$source_dir/samples/manifests" "$work/k8s"
cat >"$work/k8s/agent.yaml" <<'YAML'
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers: [{name: agent, image: fluent/fluent-bit:3.0}]
YAML
run_kube2ecs convert -m "$source_dir/samples/mapping.yaml" -o "$work/out" "$source_dir/samples/manifests"
[ "$status" -eq 0 ] || fail "samples: exit $status"
cp -r "$work/out" "$work/before"

run_kube2ecs convert -q -m "$source_dir/samples/mapping.yaml" -o "$work/out" "$work/k8s"
[ "$status" -eq 2 ] || fail "DaemonSet: exit $status, expected 2"
diff -r "$work/before" "$work/out" >/dev/null || fail "a failed run changed OUTDIR"
grep -qxF "kube2ecs: nothing written to $work/out/ because of 1 error; --keep-going writes the 5 objects that converted (exit status still 2)" \
    "$work/stderr" || { cat "$work/stderr"; fail "the summary does not point at --keep-going"; }
"$kube2ecs" convert --help | grep -q -- "--keep-going" || fail "--help does not mention --keep-going"

run_kube2ecs convert -q --keep-going -m "$source_dir/samples/mapping.yaml" -o "$work/out" "$work/k8s"
[ "$status" -eq 2 ] || fail "--keep-going: exit $status, expected 2"
grep -q "^kube2ecs: --keep-going: wrote .* without the objects that failed (exit status 2" \
    "$work/stderr" || { cat "$work/stderr"; fail "the summary does not say the output is partial"; }
[ -f "$work/out/task-definitions/api-server.json" ] || fail "--keep-going did not write the rest"
[ -e "$work/out/task-definitions/log-agent.json" ] && fail "the failed DaemonSet was written"
grep -q '"code": "K2E-E050"' "$work/out/report.json" || fail "report.json does not list the failure"
grep -q '"errors": 1' "$work/out/report.json" || fail "report.json summary does not count the error"
echo "per-object failure: nothing written by default, --keep-going writes the rest, exit 2 both"
