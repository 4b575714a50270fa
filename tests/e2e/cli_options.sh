#!/bin/sh
# GNU long options as people type them: --output=DIR, --mapping=FILE, every
# --opt=value, unique prefixes, -oDIR, bundled flags, options after PATHs,
# and -- ending the options (a PATH that starts with '-').
. "$(dirname "$0")/common.sh"
case_dir=$source_dir/tests/cases/service-formats
cd "$work"
cp -r "$case_dir/input" in
cp "$case_dir/mapping.yaml" m.yaml

run_kube2ecs convert -m m.yaml -o ref -f ecspresso -f ecs-deploy -n default in
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "reference run: exit $status"; }
same() {   # what, outdir
    [ "$status" -eq 0 ] || { cat "$work/stderr"; fail "$1: exit $status"; }
    diff -r ref "$2" >/dev/null || fail "$1: output differs from the short-option run"
}
run_kube2ecs convert --mapping=m.yaml --output=a --format=ecspresso --format=ecs-deploy \
    --namespace=default in
same "--opt=value" a
run_kube2ecs convert --map m.yaml --out=b --form ecspresso --fo=ecs-deploy in
same "unique prefixes" b
run_kube2ecs convert -mm.yaml -oc -fecspresso -fecs-deploy in
same "-oDIR" c
run_kube2ecs convert in -m m.yaml -f ecspresso -o d -f ecs-deploy -vq
same "options after PATH, bundled -vq" d
grep -q ": info: " "$work/stderr" || fail "-vq: -v not applied"
grep -q ": warning: " "$work/stderr" && fail "-vq: -q not applied"

# -- ends the options: a directory called -x is a PATH.
cp -r in ./-x
run_kube2ecs convert -m m.yaml -o e -f ecspresso -f ecs-deploy -- -x
same "-- then a PATH starting with '-'" e

# Usage errors: exit 2 and a message naming the problem.
usage_error() {   # expected message, args...
    want=$1
    shift
    run_kube2ecs "$@"
    [ "$status" -eq 2 ] || fail "$*: exit $status, expected 2"
    grep -qF -- "$want" "$work/stderr" || { cat "$work/stderr"; fail "$*: no '$want'"; }
}
usage_error "unknown option '--bogus'" convert --bogus in
usage_error "no value allowed for option '--strict=yes'" convert --strict=yes in
usage_error "--output needs DIR" convert in --output
usage_error "-o needs DIR" convert in -o
usage_error "unknown format 'ecs' (ecspresso, ecs-deploy)" convert --format=ecs in
usage_error "unknown option '-z'" convert -vz in
usage_error "the output directory (-o) is empty" convert --output= in
usage_error "unexpected argument 'x'" mapping --defaults x
run_kube2ecs mapping --def
[ "$status" -eq 0 ] && grep -q "^executionRoleArn:" "$work/stdout" || fail "mapping --def"
run_kube2ecs convert --he
[ "$status" -eq 0 ] && grep -q "^usage: kube2ecs convert" "$work/stdout" || fail "convert --he"
echo "GNU option forms accepted, usage errors exit 2"
