#!/bin/sh
# Runs one test that may report a skip: exit 77 when something it needs is
# absent (the corpus of public manifests, npm, a tool).  CTest shows 77 as
# "Skipped" (SKIP_RETURN_CODE 77, tests/CMakeLists.txt), so a user's clone
# without ../shared/corpus still passes.  Under CI=true a skip is a failure:
# CI must run every test, it cannot silently test less.
#   skip-gate.sh COMMAND [ARG...]
status=0
"$@" || status=$?
if [ "$status" -eq 77 ] && [ "${CI:-}" = true ]; then
    echo "FAIL: this test was skipped (exit 77), and under CI=true a skip is a failure:" \
         "install or provide what it says it needs"
    exit 1
fi
exit "$status"
