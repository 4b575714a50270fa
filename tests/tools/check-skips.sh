#!/bin/sh
# Skips are skips, and CI=true makes them failures (tests/tools/skip-gate.sh):
# a Check suite and e2e scripts that need the corpus exit 77 without it, the
# gate passes 77 on outside CI and turns it into 1 under CI=true, and passes
# every other status through unchanged.  A script whose corpus part is one
# step among others (service_formats.sh) passes without the corpus outside
# CI and fails under CI=true.
#   check-skips.sh SOURCE_DIR KUBE2ECS TEST_CORPUS_READER
set -u
source_dir=$1
kube2ecs=$2
corpus_reader=$3
gate=$source_dir/tests/tools/skip-gate.sh
nowhere=/nonexistent/k2e-corpus
failed=0

expect() { # expect STATUS DESCRIPTION COMMAND...
    want=$1 what=$2
    shift 2
    got=0
    "$@" >/dev/null 2>&1 || got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, expected $want"
        failed=1
    fi
}

expect 0 "gate, status 0" env -u CI "$gate" true
expect 0 "gate, status 0, CI=true" env CI=true "$gate" true
expect 1 "gate, status 1, CI=true" env CI=true "$gate" sh -c 'exit 1'
expect 2 "gate, status 2" env -u CI "$gate" sh -c 'exit 2'
expect 139 "gate, a crash" env -u CI "$gate" sh -c 'kill -SEGV $$'
expect 77 "gate, a skip" env -u CI "$gate" sh -c 'exit 77'
expect 77 "gate, a skip, CI=false" env CI=false "$gate" sh -c 'exit 77'
expect 1 "gate, a skip, CI=true" env CI=true "$gate" sh -c 'exit 77'

expect 77 "unit suite without its corpus" env -u CI K2E_CORPUS_DIR=$nowhere "$corpus_reader"
expect 1 "unit suite without its corpus, CI=true" \
    env CI=true K2E_CORPUS_DIR=$nowhere "$gate" "$corpus_reader"

e2e=$source_dir/tests/e2e
expect 77 "corpus_convert.sh without the corpus" \
    env -u CI "$e2e/corpus_convert.sh" "$kube2ecs" "$source_dir" $nowhere
expect 1 "corpus_convert.sh without the corpus, CI=true" \
    env CI=true "$gate" "$e2e/corpus_convert.sh" "$kube2ecs" "$source_dir" $nowhere
expect 0 "service_formats.sh without the corpus" \
    env -u CI "$e2e/service_formats.sh" "$kube2ecs" "$source_dir" $nowhere
expect 1 "service_formats.sh without the corpus, CI=true" \
    env CI=true "$gate" "$e2e/service_formats.sh" "$kube2ecs" "$source_dir" $nowhere
[ "$failed" -eq 0 ] && echo "skips are skips; under CI=true they fail"
exit "$failed"
