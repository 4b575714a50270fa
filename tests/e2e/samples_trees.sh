#!/bin/sh
# The kustomize and Helm samples: the checked-in renderings are what the
# tools print (kubectl kustomize is compared for real when kubectl is
# installed; the Helm stream has helm template's shape: `---`, then
# `# Source: web/templates/<file>` naming a template that exists and whose
# kind it renders), both convert from standard input into files botocore
# accepts, and walking the whole samples/ tree skips the kustomize and Helm
# sources with one info each.
. "$(dirname "$0")/common.sh"
samples=$source_dir/samples
kz=$samples/kustomize
helm=$samples/helm

if command -v kubectl >/dev/null && kubectl kustomize "$kz/overlays/staging" >"$work/kz.yaml" 2>/dev/null; then
    diff -u "$kz/rendered-staging.yaml" "$work/kz.yaml" ||
        fail "rendered-staging.yaml is not what kubectl kustomize prints"
else
    echo "kubectl not available: rendered-staging.yaml not re-rendered"
fi

# helm template's layout: every document starts "---" then "# Source: ...".
"$python" - "$helm/rendered-web.yaml" "$helm/web/templates" <<'PY' || fail "rendered-web.yaml"
import os, re, sys, yaml
text, templates = open(sys.argv[1]).read(), sys.argv[2]
docs = text.split("---\n")
assert docs[0] == "", "does not start with ---"
for doc in docs[1:]:
    first, _, body = doc.partition("\n")
    m = re.fullmatch(r"# Source: web/templates/(\S+)", first)
    assert m, "no '# Source:' line: %r" % first
    source = os.path.join(templates, m.group(1))
    kind = yaml.safe_load(body)["kind"]
    assert re.search(r"^kind: %s$" % kind, open(source).read(), re.M), \
        "%s does not render a %s" % (source, kind)
print("rendered-web.yaml: %d documents from existing templates" % (len(docs) - 1))
PY

for stream in "$kz/rendered-staging.yaml" "$helm/rendered-web.yaml"; do
    out=$work/$(basename "$stream" .yaml)
    run_kube2ecs convert --strict -m "$samples/mapping.yaml" -o "$out" - <"$stream"
    [ "$status" -le 1 ] || { cat "$work/stderr"; fail "$stream: exit $status"; }
    ls "$out"/services/*.json >/dev/null || fail "$stream: no ECS service"
    "$python" "$source_dir/tests/tools/validate_ecs.py" "$out" || fail "$stream: validation"
done
[ -f "$work/rendered-web/autoscaling/web.json" ] || fail "the Helm HPA gave no autoscaling file"

cp -r "$samples" "$work/samples"
run_kube2ecs convert -v -m "$work/samples/mapping.yaml" -o "$work/all" "$work/samples"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "walking samples/: exit $status"; }
for f in kustomize/base/kustomization.yaml kustomize/overlays/staging/kustomization.yaml \
         helm/web/Chart.yaml helm/web/values.yaml mapping.yaml; do
    grep -q "^$f: info: .*skipped \[K2E-I002\]" "$work/stderr" || fail "$f not skipped with an info"
done
for f in deployment hpa service serviceaccount; do
    grep -q "^helm/web/templates/$f.yaml: info: a Helm chart template" "$work/stderr" ||
        fail "template $f.yaml not skipped"
done
echo "kustomize and Helm samples convert; their sources are skipped with infos"
