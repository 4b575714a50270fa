#!/bin/sh
# The whole test suite, as CI runs it (.ci/run calls this):
#   1. a normal build with -Werror, all CTest tests (Check unit suites, golden
#      cases, end-to-end checks with botocore, the corpus, valgrind), then a
#      check that the suite wrote nothing into the source tree;
#   2. the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. fuzzing (tests/fuzz/run.sh: each libFuzzer target 60 s, all at once);
# and static analysis (tests/static/run.sh: cppcheck, scan-build), niced,
# from the start beside all of it: it is the costliest single step (about
# 230 s of CPU for scan-build) and takes the CPU the other steps leave idle
# (links, a suite's last long test), so the whole command ends sooner.
# Each step prints its wall time.  Under CI=true (.ci/run) a skipped test is
# a failure (tests/tools/skip-gate.sh).
set -eu
cd "$(dirname "$0")/.."
sh tests/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
# Python must not write __pycache__ into the checkout (step 1 checks that).
export PYTHONDONTWRITEBYTECODE=1
started=$(date +%s)
step_start=$started
step_done() {
    now=$(date +%s)
    echo "== $1: $((now - step_start)) s (total $((now - started)) s)"
    step_start=$now
}

# Scratch space on a tmpfs when there is one with room: every conversion
# fsyncs the files it writes (emit/write.c), and the suite converts
# thousands of times: on a disk that was a third of the suite's system time
# (three of the heaviest scripts: 21.5 s -> 13.2 s).  Mode 1777 as /tmp:
# tools.read_only runs its copy as nobody.
scratch=""
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2097152 ]; then
    scratch=$(mktemp -d /dev/shm/kube2ecs-tests.XXXXXX)
    chmod 1777 "$scratch"
    TMPDIR=$scratch
    export TMPDIR
fi
stamp=$(mktemp)
mkdir -p build-static
# Niced in this session: a session of its own would be a scheduling group of
# its own where the kernel groups sessions (autogroup), and get as much CPU
# as the whole test run whatever its nice value.
nice -n 10 sh tests/static/run.sh </dev/null >build-static/run.log 2>&1 &
static_pid=$!
# A failing step ends the command: the analysis (a tree of processes: cmake,
# make, the analyzer) must not outlive it.  Each parent is stopped before its
# children are listed, so none escapes by being re-parented.
kill_tree() {
    kill -STOP "$1" 2>/dev/null || return 0
    for child in $(ps -o pid= --ppid "$1"); do
        kill_tree "$child"
    done
    kill -TERM "$1" 2>/dev/null || true
    kill -CONT "$1" 2>/dev/null || true
}
trap 'rm -f "$stamp"; [ -z "$static_pid" ] || kill_tree "$static_pid"; [ -z "$scratch" ] || rm -rf "$scratch"' EXIT

echo "== build (RelWithDebInfo, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DK2E_WERROR=ON -DK2E_REQUIRE_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
step_done "build"
touch "$stamp"
ctest --test-dir build --output-on-failure --verbose -j"$jobs"
# Nothing outside the build directories changed: the suite passes on a
# read-only checkout (tools.read_only runs the case runners on one).
written=$(find . \( -path ./.git -o -path './build*' \) -prune -o -newer "$stamp" -print)
if [ -n "$written" ]; then
    echo "$written"
    echo "FAIL: the tests wrote into the source tree (above)"
    exit 1
fi
step_done "ctest"

echo "== build-asan (clang, ASan + UBSan)"
# Line tables are all a sanitizer report needs (file:line in its stacks),
# and cost a fifth less build time than full debug information.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG=-gline-tables-only \
      -DCMAKE_C_COMPILER=clang -DK2E_SANITIZE=ON -DK2E_WERROR=ON -DK2E_REQUIRE_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
step_done "build-asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure --verbose -j"$jobs"
step_done "ctest (asan)"

echo "== fuzzing (static analysis still beside it if not done)"
# The fuzzers run for a fixed time: from here the analysis shares the CPU
# with them at equal priority, which costs them executions, not minutes (it
# ended up to 2 minutes after them, niced).  Raising a priority back needs
# root, as CI runs; elsewhere the analysis stays niced.
renice_tree() {
    renice -n 0 -p "$1" >/dev/null 2>&1 || return 0
    for child in $(ps -o pid= --ppid "$1"); do
        renice_tree "$child"
    done
}
renice_tree "$static_pid"
fuzz_status=0
sh tests/fuzz/run.sh || fuzz_status=$?
static_status=0
wait "$static_pid" || static_status=$?
static_pid=""
echo "== static analysis (tests/static/run.sh)"
cat build-static/run.log
step_done "fuzzing and static analysis"
[ "$fuzz_status" -eq 0 ] || { echo "FAIL: fuzzing found something (above)"; exit 1; }
[ "$static_status" -eq 0 ] || { echo "FAIL: static analysis findings (above)"; exit 1; }
echo "== all passed in $(($(date +%s) - started)) s"
