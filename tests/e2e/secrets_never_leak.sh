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
run_kube2ecs convert -v -o "$work/out" "$work/in"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "convert exited $status"; }
for value in UzNjcjN0LVBhc3N3MHJkLTQyIQ== S3cr3t-Passw0rd-42! UzNjcjN0LUJhZEtleS05OQ== \
             S3cr3t-BadKey-99 plain-T0ken-Value-77 cGxhaW4tVDBrZW4tVmFsdWUtNzc=; do
    if grep -rqF -- "$value" "$work/out" "$work/stderr" "$work/stdout"; then
        fail "secret value $value leaked"
    fi
done
grep -q '"valueFrom"' "$work/out/task-definitions/leaky.json" || fail "no secrets entries"

# kube2ecs diff, in both formats, against files whose secrets and
# environment differ: the differences name valueFrom ARNs, never a value.
cp -r "$work/out" "$work/against"
sed -e 's/"valueFrom": "\([^"]*\)"/"valueFrom": "\1-rotated"/' \
    -e 's/"name": "COPY"/"name": "COPY2"/' \
    "$work/out/task-definitions/leaky.json" >"$work/against/task-definitions/leaky.json"
rm "$work/against/services/leaky.json"
for format in text json; do
    run_kube2ecs diff -v --format "$format" --against "$work/against" "$work/in"
    [ "$status" -eq 1 ] || { cat "$work/stderr"; fail "diff --format $format exited $status"; }
    grep -q 'valueFrom' "$work/stdout" || fail "diff --format $format shows no valueFrom"
    for value in UzNjcjN0LVBhc3N3MHJkLTQyIQ== S3cr3t-Passw0rd-42! UzNjcjN0LUJhZEtleS05OQ== \
                 S3cr3t-BadKey-99 plain-T0ken-Value-77 cGxhaW4tVDBrZW4tVmFsdWUtNzc=; do
        if grep -qF -- "$value" "$work/stdout" "$work/stderr"; then
            fail "secret value $value leaked into diff --format $format"
        fi
    done
done
echo "no secret value found in $(find "$work/out" -type f | wc -l) files and stderr"
