#!/bin/sh
# A Secret's values (base64 and decoded, data and stringData) never appear in
# any output file, the report, or stderr, whatever references them.
. "$(dirname "$0")/common.sh"
mkdir -p "$work/in"
cat >"$work/in/app.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: creds}
data:
  password: UzNjcjN0LVBhc3N3MHJkLTQyIQ==
  "bad key": UzNjcjN0LUJhZEtleS05OQ==
stringData:
  token: plain-T0ken-Value-77
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: leaky}
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          args: ["--password=$(PASSWORD)", "$(TOKEN)"]
          envFrom: [{secretRef: {name: creds}}]
          env:
            - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
            - {name: COPY, value: "$(PASSWORD)-$(token)"}
            - {name: MISSING, valueFrom: {secretKeyRef: {name: creds, key: nope}}}
YAML
# "bad key" is no key Kubernetes accepts: an error (K2E-E011) that does not
# quote it; --keep-going still writes the rest.
run_kube2ecs convert -v --keep-going -o "$work/out" "$work/in"
[ "$status" -eq 2 ] || { cat "$work/stderr"; fail "convert exited $status, expected 2"; }
grep -q "K2E-E011" "$work/stderr" || fail "no K2E-E011 for the bad key"
for value in UzNjcjN0LVBhc3N3MHJkLTQyIQ== S3cr3t-Passw0rd-42! UzNjcjN0LUJhZEtleS05OQ== \
             S3cr3t-BadKey-99 plain-T0ken-Value-77 cGxhaW4tVDBrZW4tVmFsdWUtNzc= "bad key"; do
    if grep -rqF -- "$value" "$work/out" "$work/stderr" "$work/stdout"; then
        fail "secret value $value leaked"
    fi
done
grep -q '"valueFrom"' "$work/out/task-definitions/leaky.json" || fail "no secrets entries"

# kube2ecs diff, in both formats, against files whose secrets and
# environment differ: the differences name valueFrom ARNs, never a value.
# (Without the bad key, an error that stops diff before comparing.)
mkdir -p "$work/in-diff"
grep -v '"bad key"' "$work/in/app.yaml" >"$work/in-diff/app.yaml"
cp -r "$work/out" "$work/against"
sed -e 's/"valueFrom": "\([^"]*\)"/"valueFrom": "\1-rotated"/' \
    -e 's/"name": "COPY"/"name": "COPY2"/' \
    "$work/out/task-definitions/leaky.json" >"$work/against/task-definitions/leaky.json"
rm "$work/against/services/leaky.json"
for format in text json; do
    run_kube2ecs diff -v --format "$format" --against "$work/against" "$work/in-diff"
    [ "$status" -eq 1 ] || { cat "$work/stderr"; fail "diff --format $format exited $status"; }
    grep -q 'valueFrom' "$work/stdout" || fail "diff --format $format shows no valueFrom"
    for value in UzNjcjN0LVBhc3N3MHJkLTQyIQ== S3cr3t-Passw0rd-42! UzNjcjN0LUJhZEtleS05OQ== \
                 S3cr3t-BadKey-99 plain-T0ken-Value-77 cGxhaW4tVDBrZW4tVmFsdWUtNzc=; do
        if grep -qF -- "$value" "$work/stdout" "$work/stderr"; then
            fail "secret value $value leaked into diff --format $format"
        fi
    done
done
# Issue 10: an unquoted value starting with '*' is an alias to YAML; the
# error must not echo it.  A malformed flow mapping puts values in key
# position; they must reach no message, no report and no variable name.
cat >"$work/in/app.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: alias}
stringData:
  password: *HUNTER2ALIAS
YAML
run_kube2ecs convert -v -o "$work/out2" "$work/in"
[ "$status" -eq 2 ] || fail "alias Secret: exit $status, expected 2"
grep -q "K2E-E002" "$work/stderr" || fail "alias Secret: no syntax error"
grep -rqF HUNTER2ALIAS "$work/stderr" "$work/stdout" && fail "the alias error echoes the Secret value"
cat >"$work/in/app.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: flow}
data: {user: YWRtaW4=, FLOWHUNTER2, "FLOWHUNTER3 x": eA==, FLOWHUNTER4: eA==, FLOWHUNTER4: eQ==}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          envFrom: [{secretRef: {name: flow}}]
YAML
run_kube2ecs convert -v --keep-going -o "$work/out3" "$work/in"
[ "$status" -eq 2 ] || fail "flow Secret: exit $status, expected 2"
[ "$(grep -c "K2E-E011" "$work/stderr")" -eq 2 ] || { cat "$work/stderr"; fail "flow Secret: not two K2E-E011"; }
grep -q "K2E-W011" "$work/stderr" || fail "flow Secret: no duplicate-key warning"
for value in FLOWHUNTER2 FLOWHUNTER3; do
    grep -rqF "$value" "$work/out3" "$work/stderr" "$work/stdout" && fail "$value leaked"
done
# FLOWHUNTER4 is a valid key (a key is no value): only its duplicate-key
# warning must not quote it.
grep -F "K2E-W011" "$work/stderr" | grep -qF FLOWHUNTER4 && fail "duplicate-key warning quotes the key"
grep -q '"name": "user"' "$work/out3/task-definitions/web.json" || fail "valid key user lost"
echo "no secret value found in $(find "$work/out" "$work/out3" -type f | wc -l) files and stderr"
