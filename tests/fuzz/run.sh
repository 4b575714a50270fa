#!/bin/sh
# CI fuzzing (tests/run.sh): builds the five libFuzzer targets (clang, ASan +
# UBSan), makes the seed corpora (seeds.sh), and runs each target for
# K2E_FUZZ_SECONDS (60) of wall time, K2E_FUZZ_JOBS (5: all) at a time:
# the time is wall time, so running them together keeps the whole test
# command inside its 10 minutes on 2 cores (each gets fewer executions).  Each
# target keeps the inputs it finds in OUT/corpus/<target>/ (a CI cache can
# keep that directory between runs) and reads the seeds besides.
# A finding (crash, leak, UBSan report, timeout, out-of-memory, or a
# target's own oracle) fails the run; its reproducer is written under
# OUT/artifacts/ and its path printed with the command that replays it.
#   sh tests/fuzz/run.sh            OUT: K2E_FUZZ_DIR (default build-fuzz)
set -eu
cd "$(dirname "$0")/../.."
seconds=${K2E_FUZZ_SECONDS:-60}
jobs=${K2E_FUZZ_JOBS:-5}
out=${K2E_FUZZ_DIR:-build-fuzz}

cmake -S . -B "$out" -DCMAKE_C_COMPILER=clang -DK2E_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DK2E_WERROR=ON >/dev/null
cmake --build "$out" -j2 --target fuzz_convert fuzz_reader fuzz_mapping fuzz_cron fuzz_inputs
rm -rf "$out/seeds"
sh tests/fuzz/seeds.sh . "$out/seeds"
mkdir -p "$out/artifacts"

# target seed-directory max_len; the costliest first, so that the last
# round (one target alone) is a cheap one.
targets="fuzz_convert:convert:8192 fuzz_cron:cron:128 fuzz_reader:convert:65536
         fuzz_mapping:mapping:4096 fuzz_inputs:convert:4096"

# Runs one target in the background; its log is OUT/<target>.log.
start() {
    name=${1%%:*}
    rest=${1#*:}
    seeds=$out/seeds/${rest%%:*}
    max_len=${rest#*:}
    mkdir -p "$out/corpus/$name"
    "$out/$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=60 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" \
        "$out/corpus/$name" "$seeds" >"$out/$name.log" 2>&1 &
    pids="$pids $!:$name"
}

# Waits for the running targets; reports each one's executions or finding.
finish() {
    for entry in $pids; do
        pid=${entry%%:*}
        name=${entry#*:}
        status=0
        wait "$pid" || status=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
        if [ "$status" -eq 0 ]; then
            echo "$name: ${execs:-?} inputs in ${seconds} s, no finding"
            continue
        fi
        failed=1
        echo "FAIL: $name exited $status; the end of $out/$name.log:"
        tail -n 40 "$out/$name.log"
        sed -n 's/.*Test unit written to //p' "$out/$name.log" | while read -r artifact; do
            echo "reproducer: $artifact (replay: $out/$name $artifact)"
        done
    done
    pids=""
}

failed=0
pids=""
running=0
for t in $targets; do
    start "$t"
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        finish
        running=0
    fi
done
finish
exit "$failed"
