#!/bin/sh
# Static analysis of the product (converter/, include/), with the checked-in
# configuration of tests/static/:
#   cppcheck    checks: warning, portability, performance (and errors);
#               suppressions: cppcheck-suppressions.txt (each one explained);
#               jansson's iteration macros: cppcheck-jansson.h
#   scan-build  clang's static analyzer on a separate build of the library
#               and the CLI, with the checkers listed below; its findings
#               less scan-build-suppressions.txt (file, function, checker,
#               each one explained: scan_findings.py) fail
# Any finding fails (exit 1) with its report on stdout.
#   sh tests/static/run.sh [cppcheck|scan-build]   (default: both)
#   K2E_STATIC_DIR  scratch/build directory (default: build-static)
set -eu
cd "$(dirname "$0")/../.."
out=${K2E_STATIC_DIR:-build-static}
what=${1:-all}
mkdir -p "$out"

run_cppcheck() {
    mkdir -p "$out/cppcheck"
    # The embedded default mapping is generated: cppcheck needs it to see the
    # array, so generate it as the build does.
    cmake -DIN=converter/read/default-mapping.yaml -DOUT="$out/generated/default_mapping.inc" \
          -P converter/read/embed.cmake
    cppcheck --quiet --std=c11 --enable=warning,portability,performance \
        --error-exitcode=1 --inline-suppr -j2 \
        --cppcheck-build-dir="$out/cppcheck" \
        --suppressions-list=tests/static/cppcheck-suppressions.txt \
        --include=tests/static/cppcheck-jansson.h \
        -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D__SIZEOF_INT128__=16 -D__linux__ \
        -DK2E_VERSION='"0"' \
        -I include -I converter -I "$out/generated" \
        --template='{file}:{line}:{column}: {severity} [{id}] {message}' \
        converter
    echo "cppcheck: no findings"
}

# Checkers: clang's defaults (core, unix: malloc/free, string, API misuse;
# deadcode; nullability; security.insecureAPI's defaults) plus the ones
# below, which fit C11 code that uses POSIX.
checkers="-enable-checker optin.portability.UnixAPI
          -enable-checker security.FloatLoopCounter
          -enable-checker valist.CopyToSelf
          -enable-checker valist.Uninitialized
          -enable-checker valist.Unterminated"

run_scan_build() {
    # clang-tools-14's, matching clang 14 (tests/install-deps.sh)
    scan_build=$(command -v scan-build-14 || command -v scan-build)
    rm -rf "$out/scan" "$out/scan-report"
    # Debug without -g: the analysis needs no debug information, and the
    # compile it runs beside it costs less without.
    # shellcheck disable=SC2086
    "$scan_build" -plist -o "$out/scan-report" $checkers \
        cmake -S . -B "$out/scan" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG= \
        -DK2E_WERROR=OFF >/dev/null
    # shellcheck disable=SC2086
    if ! "$scan_build" -plist -o "$out/scan-report" $checkers \
        cmake --build "$out/scan" -j2 --target kube2ecs >"$out/scan.log" 2>&1; then
        tail -40 "$out/scan.log"
        echo "scan-build: the build failed"
        return 1
    fi
    # Findings not in the checked-in suppressions fail (each one explained).
    /usr/bin/python3 tests/static/scan_findings.py "$out/scan-report" \
        tests/static/scan-build-suppressions.txt .
}

case $what in
    cppcheck) run_cppcheck ;;
    scan-build) run_scan_build ;;
    all) run_cppcheck && run_scan_build ;;
    *) echo "usage: $0 [cppcheck|scan-build]" >&2; exit 2 ;;
esac
