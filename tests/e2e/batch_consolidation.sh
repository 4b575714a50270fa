#!/bin/sh
# Batch consolidation end to end, over the golden cases that use it:
#  1. every ytt/<family>/ tree renders (tests/tools/ytt_standin.py: ytt is not
#     packaged for Debian) to exactly the family's rules of ecschedule.yaml,
#     key order included; the rendering passes ecschedule's schema, and
#     base-task-def.json is the family's task definition and validates;
#  2. `plan-batch --json` agrees with the C side's EventBridge Input length:
#     each member's inputLength is what validate_ecs.py computes, Go-style,
#     from the rule as written in ecschedule.yaml (two implementations);
#  3. every consolidated tree keeps the overrides within 8,192 bytes (the
#     validator checks it) and the plan's counts add up.
. "$(dirname "$0")/common.sh"
checked=0
for case_dir in "$source_dir"/tests/cases/batch-*; do
    [ -f "$case_dir/args" ] && grep -q -- --consolidate "$case_dir/args" || continue
    set -- plan-batch --json
    [ -f "$case_dir/mapping.yaml" ] && set -- "$@" -m "$case_dir/mapping.yaml"
    (cd "$case_dir" && "$kube2ecs" "$@" input) >"$work/plan.json" 2>"$work/plan.err" ||
        { cat "$work/plan.err"; fail "plan-batch failed on $case_dir"; }
    "$python" - "$source_dir/tests/tools" "$case_dir/expected" "$work/plan.json" <<'PY' ||
import json, os, subprocess, sys
tools, expected, plan_path = sys.argv[1:4]
sys.path.insert(0, tools)
import validate_ecs as V
import yaml

def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)

conf = yaml.safe_load(open(os.path.join(expected, "ecschedule.yaml")))
rules = {r["name"]: r for r in conf.get("rules", [])}
plan = json.load(open(plan_path))

# 2. inputLength (C) == Go-style Input of the written rule (Python)
members = 0
for g in plan["groups"]:
    for m in g["jobs"]:
        rule = rules.get(m["ownFamily"])
        if rule is None:
            continue   # a Job: its run-task file carries the overrides
        members += 1
        text = V.eventbridge_input(rule)
        if len(text.encode()) != m["inputLength"]:
            fail("%s: plan says %d bytes, the rule's Input is %d: %s"
                 % (m["name"], m["inputLength"], len(text.encode()), text))
        if rule.get("taskDefinition") != g["family"]:
            fail("%s: rule starts %r, not the group's %r"
                 % (m["name"], rule.get("taskDefinition"), g["family"]))
c = plan["counts"]
if c["after"]["taskDefinitions"] != c["before"]["taskDefinitions"] - sum(
        len(g["jobs"]) for g in plan["groups"]) + len(plan["groups"]):
    fail("task definition counts do not add up: %r" % c)

# 1. the ytt layout renders to the family's rules
ytt = os.path.join(expected, "ytt")
families = sorted(os.listdir(ytt)) if os.path.isdir(ytt) else []
for family in families:
    tree = os.path.join(ytt, family)
    out = subprocess.run(["/usr/bin/python3", os.path.join(tools, "ytt_standin.py"), tree],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail("%s does not render: %s" % (tree, out.stderr))
    rendered = yaml.safe_load(out.stdout)
    for key in ("role", "region", "cluster", "trackingId"):
        if rendered.get(key) != conf.get(key):
            fail("%s: %s %r, ecschedule.yaml has %r" % (family, key, rendered.get(key),
                                                      conf.get(key)))
    mine = sorted(rendered["rules"], key=lambda r: r["name"])
    theirs = sorted((r for r in conf["rules"] if r["taskDefinition"] == family),
                    key=lambda r: r["name"])
    if not theirs:
        fail("%s: no rule of ecschedule.yaml starts the family" % family)
    for a, b in zip(mine, theirs):
        if a != b or list(a) != list(b):
            fail("%s: rendered rule differs:\n%r\n%r" % (family, a, b))
    if len(mine) != len(theirs):
        fail("%s: %d rules rendered, ecschedule.yaml has %d" % (family, len(mine), len(theirs)))
    base = json.load(open(os.path.join(tree, "base-task-def.json")))
    if base != json.load(open(os.path.join(expected, "task-definitions", family + ".json"))):
        fail("%s: base-task-def.json is not task-definitions/%s.json" % (family, family))
    probs = V.Problems()
    V.check_task_definition(base, probs)
    V.check_ecschedule_text(out.stdout, probs, {family: base})
    if len(probs):
        fail("%s: rendering does not validate: %s" % (family, list(probs)))
print("%s: %d members' Input lengths agree, %d ytt trees render" %
      (os.path.basename(os.path.dirname(expected)), members, len(families)))
PY
        fail "$case_dir"
    "$python" "$source_dir/tests/tools/validate_ecs.py" "$case_dir/expected" >"$work/v.txt" ||
        { cat "$work/v.txt"; fail "$case_dir/expected does not validate"; }
    checked=$((checked + 1))
done
[ "$checked" -ge 4 ] || fail "only $checked consolidation cases found"
echo "$checked consolidation cases checked"
