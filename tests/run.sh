#!/bin/sh
# The whole test suite, as CI runs it (.ci/run calls this):
#   1. a normal build with -Werror, all CTest tests (Check unit suites, golden
#      cases, end-to-end checks with botocore, the corpus, valgrind);
#   2. the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
sh tests/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build (RelWithDebInfo, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DK2E_WERROR=ON -DK2E_REQUIRE_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure --verbose -j"$jobs"

echo "== build-asan (clang, ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
      -DK2E_SANITIZE=ON -DK2E_WERROR=ON -DK2E_REQUIRE_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure --verbose -j"$jobs"
