#!/bin/sh
# The output does not depend on the working directory: file names in
# report.json and in the ecschedule rule descriptions are relative to the
# PATH given, so converting the same tree from two directories, with a
# relative or an absolute PATH, writes the same bytes.
. "$(dirname "$0")/common.sh"
cp -r "$source_dir/samples" "$work/repo"
mkdir -p "$work/elsewhere/deeper"
(cd "$work/repo" && "$kube2ecs" convert -m mapping.yaml -o "$work/a" manifests 2>"$work/a.err") ||
    fail "run in the repository: $(cat "$work/a.err")"
(cd "$work/repo/manifests" && "$kube2ecs" convert -m ../mapping.yaml -o "$work/b" . 2>"$work/b.err") ||
    fail "run in the manifests directory: $(cat "$work/b.err")"
(cd "$work/elsewhere/deeper" && "$kube2ecs" convert -m "$work/repo/mapping.yaml" -o "$work/c" \
    "$work/repo/manifests/" 2>"$work/c.err") || fail "run elsewhere: $(cat "$work/c.err")"
diff -r "$work/a" "$work/b" || fail "output depends on the working directory (repo vs manifests/)"
diff -r "$work/a" "$work/c" || fail "output depends on the working directory (relative vs absolute)"
grep -q "from batch.yaml" "$work/a/ecschedule.yaml" || fail "descriptions do not name the file"
grep -q "\"file\": \"api-server.yaml\"" "$work/a/report.json" || fail "report.json does not name files relative to the root"
grep -q "$work" "$work/a/report.json" "$work/a/ecschedule.yaml" && fail "an absolute path reached the output"
# Several roots: each named by the fewest trailing components that tell them
# apart, from any directory.
mkdir -p "$work/x/k8s" "$work/y/k8s"
cp "$work/repo/manifests/api-server.yaml" "$work/x/k8s/"
cp "$work/repo/manifests/batch.yaml" "$work/y/k8s/"
(cd "$work/x" && "$kube2ecs" convert -o "$work/d" k8s ../y/k8s 2>/dev/null) || true
(cd "$work/elsewhere" && "$kube2ecs" convert -o "$work/e" "$work/x/k8s" "$work/y/k8s" 2>/dev/null) || true
diff -r "$work/d" "$work/e" || fail "several roots: output depends on the working directory"
grep -q "\"file\": \"x/k8s/api-server.yaml\"" "$work/d/report.json" || fail "roots not told apart"
echo "same bytes from any working directory"
