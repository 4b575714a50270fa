#!/bin/sh
# plan-batch and convert --consolidate on the whole corpus: the plan is made
# (exit 0), as text and as JSON; the consolidated tree validates like the
# plain one; and consolidation changes nothing but what it must: the plain
# and the consolidated trees differ only in the members' task definitions
# (gone), the shared ones (new), the members' run-task files and
# ecschedule.yaml (overrides), and report.json.
. "$(dirname "$0")/common.sh"
need_corpus
run_kube2ecs plan-batch "$corpus_dir"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "plan-batch exit status $status"; }
grep -q '^task definitions ' "$work/stdout" || fail "no before/after counts in the plan"
tail -5 "$work/stdout"
run_kube2ecs plan-batch --json "$corpus_dir"
[ "$status" -eq 0 ] || fail "plan-batch --json exit status $status"
cp "$work/stdout" "$work/plan.json"
run_kube2ecs convert --keep-going -o "$work/plain" "$corpus_dir"
[ "$status" -eq 0 ] || [ "$status" -eq 2 ] || fail "convert exit status $status"
run_kube2ecs convert --keep-going --consolidate --layout ytt -o "$work/shared" "$corpus_dir"
[ "$status" -eq 0 ] || [ "$status" -eq 2 ] || fail "convert --consolidate exit status $status"
"$python" "$source_dir/tests/tools/validate_ecs.py" "$work/shared" >"$work/validate.txt" ||
    { tail -40 "$work/validate.txt"; fail "consolidated corpus output does not validate"; }
tail -1 "$work/validate.txt"
"$python" - "$work/plan.json" "$work/plain" "$work/shared" <<'PY' || fail "consolidation changed more than it must"
import json, os, sys
plan = json.load(open(sys.argv[1]))
plain, shared = sys.argv[2], sys.argv[3]

def files(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), root))
    return out

members = [m for g in plan["groups"] for m in g["jobs"]]
gone = {"task-definitions/%s.json" % m["ownFamily"] for m in members}
new = {"task-definitions/%s.json" % g["family"] for g in plan["groups"]}
changed = {"run-tasks/%s.json" % m["ownFamily"] for m in members if m["kind"] == "Job"}
changed |= {"ecschedule.yaml", "report.json"}
a, b = files(plain), files(shared)
b_plain = {f for f in b if not f.startswith("ytt/")}
bad = []
if a - b_plain != gone:
    bad.append("files only in the plain tree: %s (expected %s)" % (sorted(a - b_plain), sorted(gone)))
if b_plain - a != new:
    bad.append("files only in the consolidated tree: %s (expected %s)"
               % (sorted(b_plain - a), sorted(new)))
for f in sorted(a & b_plain - changed):
    if open(os.path.join(plain, f), "rb").read() != open(os.path.join(shared, f), "rb").read():
        bad.append("%s differs" % f)
for line in bad[:20]:
    print(line)
c = plan["counts"]
print("corpus: %d CronJobs and Jobs, %d groups of %d jobs; task definitions %d -> %d, "
      "image references %d -> %d, log groups %d -> %d, rules %d"
      % (plan["jobs"], len(plan["groups"]), len(members), c["before"]["taskDefinitions"],
         c["after"]["taskDefinitions"], c["before"]["images"], c["after"]["images"],
         c["before"]["logGroups"], c["after"]["logGroups"], c["before"]["rules"]))
sys.exit(1 if bad else 0)
PY
