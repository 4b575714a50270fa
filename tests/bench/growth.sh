#!/bin/sh
# Growth guard (issue 11): 4x the input must cost at most 6x the work.
# Usage: growth.sh SHAPE KUBE2ECS K2E_GEN [READ_DRIVER]
#
# With READ_DRIVER (k2e_read_driver), the read stage alone is measured
# (reader, index, mapping table, label index and every lookup) instead of
# kube2ecs convert.
#
# Generates SHAPE (tests/bench/gen.h) at sizes 1, n and 4n, converts each
# under valgrind (cachegrind, Ir) and compares instruction counts, which do
# not depend on how busy the machine is.  Two checks, both with limit 6:
#
# 1. measured: (I(4n) - I(1)) / (I(n) - I(1)).  The fixed cost of a run
#    (start-up, the embedded default mapping) is subtracted so that it cannot
#    hide a quadratic step.  A linear conversion gives about 4.
# 2. projected: at test sizes a quadratic step is still small beside the
#    linear work (on the realistic tree, a scan of every object per workload
#    is a third of the instructions at 1000 workloads and 90% at 20,000).  The
#    three counts determine I(x) = c + a x + q x^2 exactly; the growth from P
#    to 4P, P the benchmark's size for the shape (k2e_bench --report), is
#    (a 4P + q 16P^2) / (a P + q P^2).  This is how the benchmark's growth
#    looks from here, at a cost of seconds instead of minutes.
#
# Without valgrind, user CPU (best of 3) is used, with a margin of 8x.
# K2E_GROWTH_N overrides the test size n (to try others by hand).
# The run at 4n is killed after 15x the time of the run at n (at least 30 s):
# that much time is more than 6x the instructions anyway, and a quadratic
# regression fails in seconds instead of minutes.
set -eu
shape=$1
kube2ecs=$2
gen=$3
reader=${4:-}
limit=6

# n: test size; p: the benchmark's smaller size (k2e_bench.c).
case $shape in
    tree) n=150 p=5000 ;;         # workloads of the realistic mix
    configmap) n=2500 p=25000 ;;  # keys of one ConfigMap
    env) n=1000 p=10000 ;;        # env entries of one container
    envfrom) n=250 p=2500 ;;      # envFrom entries (a ConfigMap each)
    ports) n=250 p=2000 ;;        # container and Service ports
    labels) n=500 p=4000 ;;       # labels on a Deployment and its pods
    document) n=150 p=2500 ;;     # workloads in one List document
    *) echo "unknown shape $shape" >&2; exit 2 ;;
esac

# clang links its sanitizer runtime statically: ldd does not show it, nm does.
sanitized() {
    ldd "$1" 2>/dev/null | grep -q asan || nm "$1" 2>/dev/null | grep -q __asan_init
}
if sanitized "$kube2ecs" || { [ -n "$reader" ] && sanitized "$reader"; }; then
    echo "skipped: sanitizer build (instruction counts would measure ASan)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# cost SIZE [TIMEOUT]: prints the instructions (or user-CPU microseconds)
# of converting SHAPE at SIZE; status 124 when killed at TIMEOUT seconds.
cost() {
    dir=$work/$shape-$1
    "$gen" "$shape" "$1" "$dir" >/dev/null
    limit_s=${2:-3600}
    if [ -n "$reader" ]; then
        set -- "$reader" "$dir/manifests" "$dir/mapping.yaml"
    else
        set -- "$kube2ecs" convert --keep-going -m "$dir/mapping.yaml" -o "$dir/out" \
            "$dir/manifests"
    fi
    if command -v valgrind >/dev/null; then
        status=0
        # cachegrind without its cache and branch simulation counts the
        # same instructions (Ir) as callgrind at a third of its cost.
        timeout -s KILL "$limit_s" valgrind --tool=cachegrind --cache-sim=no --branch-sim=no \
            --cachegrind-out-file="$dir/cg.out" "$@" >/dev/null 2>"$dir/stderr" || status=$?
        [ "$status" -eq 124 ] || [ "$status" -eq 137 ] && return 124
        [ "$status" -le 2 ] || { cat "$dir/stderr" >&2; echo "$1 failed: $status" >&2; exit 1; }
        sed -n 's/^summary: //p' "$dir/cg.out"
    else
        /usr/bin/python3 - "$limit_s" "$dir/out" "$@" <<'EOF'
import resource, shutil, subprocess, sys
best = None
for _ in range(3):
    shutil.rmtree(sys.argv[2], ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    try:
        subprocess.run(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=float(sys.argv[1]))
    except subprocess.TimeoutExpired:
        sys.exit(124)
    used = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
    best = used if best is None else min(best, used)
print(int(best * 1e6) + 1)
EOF
    fi
}

if ! command -v valgrind >/dev/null; then
    limit=8
    echo "no valgrind: comparing user CPU with a margin of ${limit}x"
fi
n=${K2E_GROWTH_N:-$n}
big=$((4 * n))
base=$(cost 1)
start=$(now_ms)
small=$(cost "$n")
elapsed=$(($(now_ms) - start))
cap=$((15 * elapsed / 1000 + 1))
[ "$cap" -ge 30 ] || cap=30
status=0
large=$(cost "$big" "$cap") || status=$?
if [ "$status" -eq 124 ]; then
    echo "FAIL: $shape at $big did not finish in $cap s (15x the time at $n): more than ${limit}x the work for 4x the input"
    exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
# awk for the arithmetic: counts exceed what some shells' $(( )) can hold.
awk -v shape="$shape" -v n="$n" -v big="$big" -v p="$p" -v b="$base" -v s="$small" \
    -v l="$large" -v limit="$limit" 'BEGIN {
    growth = (l - b) / (s - b)
    # I(x) - I(1) = a (x - 1) + q (x^2 - 1) at x = n and x = 4n.
    d2 = s - b; d3 = l - b
    x2 = n - 1; y2 = n * n - 1; x3 = big - 1; y3 = big * big - 1
    q = (d3 * x2 - d2 * x3) / (y3 * x2 - y2 * x3)
    a = (d2 - q * y2) / x2
    # A concave fit (q <= 0: costs that stop growing, such as diagnostics past
    # their per-code cap) has no quadratic term to project: growth is at most
    # linear, and the measured ratio is the verdict.
    projected = q > 0 ? (a * 4 * p + q * 16 * p * p) / (a * p + q * p * p) : growth
    printf "%s: cost(1) = %.0f, cost(%d) = %.0f, cost(%d) = %.0f\n", shape, b, n, s, big, l
    printf "fit: %.0f + %.1f x + %.4f x^2\n", b - a - q, a, q
    printf "growth for 4x the input: measured %.2f (raw %.2f); projected %d -> %d: %.2f;" \
           " limit %d\n", growth, l / s, p, 4 * p, projected, limit
    if (growth > limit) { print "FAIL: more than " limit "x the work for 4x the input"; exit 1 }
    if (projected > limit) {
        print "FAIL: a quadratic term that makes " 4 * p " cost more than " limit "x " p
        exit 1
    }
    print "ok"
}'
