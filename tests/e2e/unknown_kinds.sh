#!/bin/sh
# Kinds kube2ecs does not know are warnings (shown without -v, failing
# --strict), not infos: a near miss of a known kind gets a did-you-mean, a
# custom resource says what to do instead.
. "$(dirname "$0")/common.sh"
cat >"$work/kinds.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deploymnet
metadata: {name: web}
---
apiVersion: v1
kind: configmap
metadata: {name: settings}
---
apiVersion: batch/v1
kind: CronJobs
metadata: {name: nightly}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: db}
---
apiVersion: route.openshift.io/v1
kind: Route
metadata: {name: web}
YAML
run_kube2ecs convert -o "$work/out" "$work/kinds.yaml"
[ "$status" -eq 0 ] || fail "unknown kinds: exit $status, expected 0"
expect() {
    grep -qxF -- "$1" "$work/stderr" || { cat "$work/stderr"; fail "missing line: $1"; }
}
expect "kinds.yaml:1:1: warning: Deploymnet web (apps/v1): unknown kind, not converted [K2E-W012]"
expect "  hint: did you mean Deployment?"
expect "kinds.yaml:5:1: warning: configmap settings (v1): unknown kind, not converted [K2E-W012]"
expect "  hint: did you mean ConfigMap? (kinds are case-sensitive)"
expect "kinds.yaml:9:1: warning: CronJobs nightly (batch/v1): unknown kind, not converted [K2E-W012]"
expect "  hint: did you mean CronJob?"
expect "kinds.yaml:13:1: warning: Rollout web (argoproj.io/v1alpha1): custom resource, not converted [K2E-W012]"
expect "  hint: an Argo Rollout's spec.template is a pod template: write it as an apps/v1 Deployment (same selector and template) to get a task definition and an ECS service"
expect "kinds.yaml:17:1: warning: ExternalSecret db (external-secrets.io/v1beta1): custom resource, not converted [K2E-W012]"
expect "  hint: point the Secret it produces at the same AWS secret under \`secrets\` in the mapping table: ECS reads Secrets Manager and SSM directly"
# A custom resource's kind is never "corrected" to a built-in one (Route is
# not a misspelt Role).
expect "kinds.yaml:21:1: warning: Route web (route.openshift.io/v1): custom resource, not converted [K2E-W012]"
grep -q "did you mean Role" "$work/stderr" && fail "Route corrected to Role"
[ "$(grep -c '\[K2E-W012\]' "$work/stderr")" -eq 6 ] || fail "not one warning per object"
run_kube2ecs convert --strict -o "$work/strict" "$work/kinds.yaml"
[ "$status" -eq 1 ] || fail "--strict: exit $status, expected 1"
echo "unknown kinds are warnings with a did-you-mean"
