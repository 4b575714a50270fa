#!/bin/sh
# The whole corpus: kube2ecs terminates (exit 0 or 2, never a signal), every
# diagnostic names a file and a line, and everything written validates.
. "$(dirname "$0")/common.sh"
need_corpus
run_kube2ecs convert --keep-going -o "$work/out" "$corpus_dir"
tail -2 "$work/stderr"
[ "$status" -eq 0 ] || [ "$status" -eq 2 ] || fail "exit status $status"
"$python" - "$work/out/report.json" <<'PY' || fail "diagnostics without a location"
import json, sys
report = json.load(open(sys.argv[1]))
bad = [d for d in report["diagnostics"] if not d["file"] or d["line"] < 1]
for d in bad[:20]:
    print("unlocated:", d)
print(len(report["diagnostics"]), "diagnostics,", len(bad), "without file:line")
sys.exit(1 if bad else 0)
PY
"$python" "$source_dir/tests/tools/validate_ecs.py" "$work/out" >"$work/validate.txt" ||
    { tail -40 "$work/validate.txt"; fail "corpus output does not validate"; }
tail -1 "$work/validate.txt"
