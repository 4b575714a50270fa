#!/bin/sh
# Every field of the corpus that is not converted is named in a diagnostic
# with its file and line: the report's (code, path) pairs, with list indexes
# folded to [*] and counted, must equal tests/e2e/corpus-diagnostics.expected.
# A change in what kube2ecs converts shows up here as a reviewable diff;
# regenerate with K2E_UPDATE_GOLDEN=1 after checking it.
. "$(dirname "$0")/common.sh"
need_corpus
run_kube2ecs convert --keep-going -o "$work/out" "$corpus_dir"
expected="$source_dir/tests/e2e/corpus-diagnostics.expected"
"$python" - "$work/out/report.json" >"$work/actual" <<'PY'
import collections, json, re, sys
report = json.load(open(sys.argv[1]))
counts = collections.Counter()
for d in report["diagnostics"]:
    if not d["file"] or d["line"] < 1:
        sys.exit("diagnostic without file:line: %r" % d)
    path = re.sub(r"\[\d+\]", "[*]", d["path"])
    counts[(d["code"], path)] += 1
for (code, path), n in sorted(counts.items()):
    print("%s\t%s\t%d" % (code, path or "-", n))
PY
if [ "${K2E_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$work/actual" "$expected"
    echo "updated $expected"
    exit 0
fi
diff -u "$expected" "$work/actual" || fail "the corpus diagnostics changed (K2E_UPDATE_GOLDEN=1 to accept)"
echo "$(wc -l <"$work/actual") (code, path) pairs as expected"
