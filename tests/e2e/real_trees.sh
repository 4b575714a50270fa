#!/bin/sh
# A repository's k8s/ folder as it really is: kustomize bases and overlays,
# a Helm chart (Chart.yaml, values files, templates/), a loose unrendered
# template, package.json, docs, and the output directory inside it.  The run
# converts what is Kubernetes, skips the rest with one info each saying what
# to do, exits 0, and a second run does not read its own output.  The same
# files named on the command line are errors.  --exclude and .kube2ecsignore
# leave paths out.
. "$(dirname "$0")/common.sh"
pod=$source_dir/tests/cases/no-mapping-placeholders/input/deploy.yaml
tree=$work/repo/k8s
mkdir -p "$tree/base" "$tree/overlays/prod" "$tree/chart/templates" "$tree/docs" "$tree/legacy"
cp "$pod" "$tree/base/deploy.yaml"
printf 'resources:\n- deploy.yaml\n' >"$tree/base/kustomization.yaml"
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\nnamePrefix: prod-\n' \
    >"$tree/overlays/prod/kustomization.yml"
printf 'apiVersion: v2\nname: web\nversion: 0.1.0\n' >"$tree/chart/Chart.yaml"
printf 'replicaCount: 2\n' >"$tree/chart/values.yaml"
printf 'replicaCount: 5\n' >"$tree/chart/values-prod.yaml"
printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n' >"$tree/chart/templates/service.yaml"
printf '{{- define "web.name" -}}web{{- end }}\n' >"$tree/chart/templates/_helpers.tpl"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' \
    >"$tree/loose-template.yaml"
printf '{"name": "deploy-scripts", "version": "1.0.0"}\n' >"$tree/package.json"
printf 'title: notes\n' >"$tree/docs/notes.yaml"
printf '' >"$tree/docs/empty.yaml"
sed 's/hello/old-hello/g' "$pod" >"$tree/legacy/old.yaml"
# A ConfigMap holding Prometheus rules: '{{' inside a block scalar is text.
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules\ndata:\n  rules: |\n    summary: {{ $labels.instance }} down\n' \
    >"$tree/base/rules.yaml"

check_infos() {
    for expect in \
        "base/kustomization.yaml: info: a kustomization file, not a Kubernetes object: skipped [K2E-I002]" \
        "overlays/prod/kustomization.yml: info: a kustomization file, not a Kubernetes object: skipped [K2E-I002]" \
        "chart/Chart.yaml: info: a Helm chart's Chart.yaml, not a Kubernetes object: skipped [K2E-I002]" \
        "chart/values.yaml: info: a Helm values file, not a Kubernetes object: skipped [K2E-I002]" \
        "chart/values-prod.yaml: info: a Helm values file, not a Kubernetes object: skipped [K2E-I002]" \
        "chart/templates/service.yaml: info: a Helm chart template (in templates/ beside Chart.yaml), not rendered: skipped [K2E-I002]" \
        "loose-template.yaml:4:9: info: unrendered Helm template (a template action '{{' outside strings): skipped [K2E-I002]" \
        "package.json: info: a Node.js package manifest, not a Kubernetes object: skipped [K2E-I002]" \
        "docs/notes.yaml: info: no Kubernetes object (no document has apiVersion or kind): skipped [K2E-I002]" \
        "docs/empty.yaml: info: empty file: no Kubernetes object: skipped [K2E-I002]"; do
        grep -qxF "$expect" "$work/stderr" || fail "missing: $expect"
    done
    grep -qF '  hint: kube2ecs reads rendered manifests: run `kubectl kustomize overlays/prod | kube2ecs convert -`' \
        "$work/stderr" || fail "no kustomize hint with the overlay's directory"
    grep -qF '  hint: kube2ecs reads rendered manifests: run `helm template RELEASE chart [-f VALUES.yaml] | kube2ecs convert -`' \
        "$work/stderr" || fail "no helm hint with the chart's directory"
    [ "$(grep -c 'K2E-I002' "$work/stderr")" -eq 10 ] || fail "not one info per skipped file"
}

cd "$work/repo"
run_kube2ecs convert -v -o k8s/ecs-out k8s
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "real tree: exit $status, expected 0"; }
check_infos
grep -q "K2E-E00" "$work/stderr" && fail "an error for a file that should be skipped"
grep -q "ConfigMap rules is not referenced" "$work/stderr" || fail "block-scalar '{{' taken for a template"
grep -q "^kube2ecs: 3 files (10 skipped), 3 objects read, 2 converted" "$work/stderr" ||
    fail "summary does not count skipped files: $(grep '^kube2ecs: [0-9]' "$work/stderr")"
grep -q "^kube2ecs: file names are relative to k8s/" "$work/stderr" || fail "no note on file names"
[ -f k8s/ecs-out/task-definitions/hello.json ] || fail "the Deployment was not converted"

# Second run: OUTDIR (with its report.json) is inside the tree and not read;
# neither is a leftover temporary sibling of an interrupted run.
mkdir -p k8s/ecs-out.new-Xy12Ab && cp "$pod" k8s/ecs-out.new-Xy12Ab/copy.yaml
cp -r k8s/ecs-out "$work/first"
run_kube2ecs convert -v -o k8s/ecs-out k8s
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "second run: exit $status, expected 0"; }
grep -v "^kube2ecs: " "$work/stderr" | grep -q "ecs-out/" && fail "OUTDIR inside the tree was read"
grep -qF "ecs-out.new-Xy12Ab: info: a temporary directory of a kube2ecs run" "$work/stderr" ||
    fail "temporary sibling read or not reported"
grep -q "also defined" "$work/stderr" && fail "the second run read its own output"
check_infos
rm -rf k8s/ecs-out.new-Xy12Ab
run_kube2ecs convert -v -o k8s/ecs-out k8s
[ "$status" -eq 0 ] || fail "third run: exit $status, expected 0"
diff -r "$work/first" k8s/ecs-out >/dev/null || {
    diff -r "$work/first" k8s/ecs-out | head -20
    fail "second run output differs from the first"
}

# Named on the command line, the same files are errors (exit 2).
for f in k8s/base/kustomization.yaml k8s/chart/values.yaml k8s/loose-template.yaml \
         k8s/package.json k8s/docs/notes.yaml k8s/chart/templates/service.yaml; do
    run_kube2ecs convert -o "$work/named" "$f" k8s/base/deploy.yaml
    [ "$status" -eq 2 ] || fail "$f named: exit $status, expected 2"
    grep -q "error: .*\[K2E-E005\]" "$work/stderr" || fail "$f named: no K2E-E005 error"
    [ -e "$work/named" ] && fail "$f named: output written despite the error"
done

# --exclude (repeatable, = form) and .kube2ecsignore with negation.
printf '# tests\nlegacy/\n*.json\n' >k8s/.kube2ecsignore
run_kube2ecs convert -v --exclude=docs/ --exclude 'chart/**' -o "$work/ex" k8s
[ "$status" -eq 0 ] || fail "excludes: exit $status"
grep -qxF "legacy: info: directory excluded by .kube2ecsignore:2: not read [K2E-I003]" "$work/stderr" ||
    fail "legacy/ not excluded by .kube2ecsignore"
grep -qxF "package.json: info: excluded by .kube2ecsignore:3: not read [K2E-I003]" "$work/stderr" ||
    fail "*.json not excluded"
grep -qxF "docs: info: directory excluded by --exclude 'docs/': not read [K2E-I003]" "$work/stderr" ||
    fail "--exclude=docs/ not applied"
grep -qxF "chart/Chart.yaml: info: excluded by --exclude 'chart/**': not read [K2E-I003]" "$work/stderr" ||
    fail "--exclude chart/** not applied"
grep -q "old.yaml" "$work/stderr" && fail "a file below an excluded directory was looked at"
printf '!legacy/\n' >>k8s/.kube2ecsignore
run_kube2ecs convert -v -o "$work/ex2" k8s
grep -q "^legacy/old.yaml:" "$work/stderr" || fail "negated legacy/ not read again"
echo "real trees: skipped with infos, named files are errors, OUTDIR never read back"
