#!/bin/sh
# On a terminal a cause repeated across many objects is printed three times
# and then counted; redirected, stderr has every diagnostic; report.json
# always has every one.  20 Deployments without resources: 20 x K2E-I030 at
# spec.template.spec.containers[0].
. "$(dirname "$0")/common.sh"
command -v script >/dev/null || { echo "skipped: no script(1) for a terminal"; exit 77; }
i=0
while [ $i -lt 20 ]; do
    cat <<YAML
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app$i}
spec:
  selector: {matchLabels: {app: app$i}}
  template:
    metadata: {labels: {app: app$i}}
    spec:
      containers: [{name: web, image: public.ecr.aws/nginx/nginx:1.25}]
YAML
    i=$((i + 1))
done >"$work/apps.yaml"

script -qec "'$kube2ecs' convert -v -o '$work/tty' '$work/apps.yaml'" /dev/null \
    >"$work/tty.txt" 2>&1 || true
shown=$(grep -c "K2E-I030\]" "$work/tty.txt" || true)
[ "$shown" -eq 3 ] || { cat "$work/tty.txt"; fail "terminal: $shown K2E-I030 lines, expected 3"; }
grep -q "17 more K2E-I030 like the 3 above (spec.template.spec.containers\[\*\])" \
    "$work/tty.txt" || { cat "$work/tty.txt"; fail "terminal: no count of the rest"; }

run_kube2ecs convert -v -o "$work/file" "$work/apps.yaml"
[ "$(grep -c "K2E-I030\]" "$work/stderr")" -eq 20 ] || fail "redirected: not every diagnostic"
grep -q "more K2E-I030 like" "$work/stderr" && fail "redirected: aggregated"
[ "$(grep -c '"K2E-I030"' "$work/tty/report.json")" -eq 20 ] || fail "report.json: not every diagnostic"
echo "terminal: 3 of 20 shown and 17 counted; redirected and report.json: all 20"
