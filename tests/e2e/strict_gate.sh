#!/bin/sh
# The strict gate: --strict counts warnings and unknown kinds; --baseline
# (report.json or "CODE FILE [PATH]" lines) lets only new findings fail;
# --allow/--deny and the mapping's strict: section tune the codes; bad
# gate input is exit 2.  report.json says what produced it.
. "$(dirname "$0")/common.sh"
mkdir -p "$work/in"
cat >"$work/mapping.yaml" <<'YAML'
region: ap-northeast-1
accountId: "111111111111"
cluster: c
executionRoleArn: arn:aws:iam::111111111111:role/exec
network: {subnets: [subnet-1], securityGroups: [sg-1]}
logging: {createGroup: true}
YAML
cat >"$work/in/app.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: web:1, resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {memory: 512Mi}}}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: gadget}
spec: {size: 3}
YAML
m="-m $work/mapping.yaml"
expect() { # expect STATUS WHAT
    [ "$status" -eq "$1" ] || { cat "$work/stderr"; fail "$2: exit $status, expected $1"; }
}

# An unknown kind alone fails --strict (K2E-W012, whatever its severity).
run_kube2ecs convert $m -o "$work/out" "$work/in"
expect 0 "plain run"
run_kube2ecs convert $m --strict -o "$work/out1" "$work/in"
expect 1 "unknown kind under --strict"
grep -q "^K2E-W012 app.yaml" "$work/stderr" || fail "the failing unknown kind is not listed"
run_kube2ecs convert $m --allow K2E-W012 -o "$work/out1" "$work/in"
expect 0 "--allow K2E-W012"

# report.json: tool version, mapping digest, inputs.
report="$work/out/report.json"
version=$("$kube2ecs" --version | cut -d' ' -f2)
digest=$(sha256sum "$work/mapping.yaml" | cut -d' ' -f1)
$python - "$report" "$version" "$digest" "app.yaml" <<'PY' || fail "report.json provenance"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["tool"] == {"name": "kube2ecs", "version": sys.argv[2]}, r["tool"]
assert r["mapping"]["sha256"] == sys.argv[3], r["mapping"]
assert r["inputs"] == [sys.argv[4]], r["inputs"]
PY

# The accepted run is the baseline: nothing new, exit 0; a new warning fails.
run_kube2ecs convert $m --baseline "$report" -o "$work/out2" "$work/in"
expect 0 "--baseline of the same input"
sed 's/^spec:$/spec:\n  minReadySeconds: 5/' "$work/in/app.yaml" >"$work/app2.yaml"
mv "$work/app2.yaml" "$work/in/app.yaml"
run_kube2ecs convert $m --baseline "$report" -o "$work/out3" "$work/in"
expect 1 "a new warning"
grep -q "1 finding fails the run (not in the baseline)" "$work/stderr" || fail "no count"
grep -q "^K2E-W081 app.yaml spec.minReadySeconds$" "$work/stderr" ||
    { cat "$work/stderr"; fail "the new warning is not listed as a baseline line"; }
# ... which, appended to a line baseline, is accepted.
{
    echo "# accepted findings"
    echo "K2E-W012 app.yaml"
    grep '^K2E-W081 ' "$work/stderr"
} >"$work/baseline.txt"
run_kube2ecs convert $m --baseline "$work/baseline.txt" -o "$work/out4" "$work/in"
expect 0 "a line baseline"
# --deny makes an info count (K2E-I031: the Fargate size chosen).
run_kube2ecs convert $m --baseline "$work/baseline.txt" --deny K2E-I031 -o "$work/out5" "$work/in"
expect 1 "--deny K2E-I031"
grep -q "^K2E-I031 " "$work/stderr" || fail "the denied info is not listed"
# The mapping table's strict: section does the same.
cp "$work/mapping.yaml" "$work/strict.yaml"
printf 'strict: {allow: [K2E-W081, K2E-W012]}\n' >>"$work/strict.yaml"
run_kube2ecs convert -m "$work/strict.yaml" --strict -o "$work/out6" "$work/in"
expect 0 "strict.allow in the mapping"

# Bad gate input: exit 2, located.
run_kube2ecs convert $m --allow K2E-W999 -o "$work/out7" "$work/in"
expect 2 "unknown --allow code"
grep -q "K2E-E101" "$work/stderr" || fail "no K2E-E101 for --allow K2E-W999"
printf 'strict: {deny: [W081]}\n' >>"$work/mapping.yaml"
run_kube2ecs convert $m --strict -o "$work/out7" "$work/in"
expect 2 "unknown code in the mapping"
grep -q "mapping.yaml:7:.*unknown diagnostic code.*K2E-E020" "$work/stderr" ||
    { cat "$work/stderr"; fail "no located K2E-E020"; }
printf 'K2E-W081\n' >"$work/bad.txt"
run_kube2ecs convert -m "$work/strict.yaml" --baseline "$work/bad.txt" -o "$work/out7" "$work/in"
expect 2 "a baseline line without a file"
grep -q "bad.txt:1:.*K2E-E101" "$work/stderr" || { cat "$work/stderr"; fail "no located K2E-E101"; }
[ ! -e "$work/out7" ] || fail "a run with a bad gate wrote output"
echo "strict gate: unknown kinds, baselines (report.json and lines), allow/deny, mapping section, errors"
