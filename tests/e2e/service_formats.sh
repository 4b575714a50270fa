#!/bin/sh
# The files written beside the service inputs, checked the way their
# consumers read them (validate_ecs.py does not look at these):
#   target-groups/*.json          botocore elbv2 ModifyTargetGroup + the ELB ranges
#   ecspresso/<svc>/ecspresso.yml the keys `ecspresso init` writes, files present
#   ecspresso/<svc>/ecs-service-def.json
#                                 + serviceName/taskDefinition = a valid CreateService input
#   ecs-deploy/<family>.json      ecs-deploy's own steps replayed (ecs-schema.md section 7):
#                                 line-based image sed, jq '.taskDefinition', the projection,
#                                 then botocore RegisterTaskDefinition; the image must change
# and, as everywhere, validate_ecs.py on the whole tree; for a golden case's
# input, the samples and (when present) the whole corpus.
. "$(dirname "$0")/common.sh"
case_dir="$source_dir/tests/cases/service-load-balancers"
run_kube2ecs convert -f ecspresso -f ecs-deploy -m "$case_dir/mapping.yaml" -o "$work/lb" \
    "$case_dir/input"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "convert exited $status"; }
run_kube2ecs convert -f ecspresso -f ecs-deploy -m "$source_dir/samples/mapping.yaml" \
    -o "$work/samples" "$source_dir/samples/manifests"
[ "$status" -le 1 ] || { cat "$work/stderr"; fail "convert exited $status"; }
outs="$work/lb $work/samples"
if have_corpus; then
    run_kube2ecs convert --keep-going -f ecspresso -f ecs-deploy -o "$work/corpus" "$corpus_dir"
    [ "$status" -le 2 ] || fail "corpus convert exited $status"
    outs="$outs $work/corpus"
fi
for out in $outs; do
    "$python" "$source_dir/tests/tools/validate_ecs.py" "$out" >"$work/validate.txt" ||
        { tail -20 "$work/validate.txt"; fail "validation failed: $out"; }
    tail -1 "$work/validate.txt"
done
# shellcheck disable=SC2086
"$python" - "$source_dir/tests/tools" $outs <<'PY' || fail "format checks"
import glob, json, os, re, sys
sys.path.insert(0, sys.argv[1])
import validate_ecs as v
import yaml

problems = []
checked = 0

def check(doc, service, op, where):
    probs = v.Problems()
    v.botocore_check(doc, service, op, probs)
    problems.extend("%s: %s: %s" % (where, p, m) for p, m in probs)

for out in sys.argv[2:]:
    for path in sorted(glob.glob(os.path.join(out, "target-groups", "*.json"))):
        checked += 1
        tg = json.load(open(path))
        check(tg, "elbv2", "ModifyTargetGroup", path)
        i, t = tg["HealthCheckIntervalSeconds"], tg["HealthCheckTimeoutSeconds"]
        if not (5 <= i <= 300 and 2 <= t <= 120 and t < i):
            problems.append("%s: interval %d / timeout %d outside the ELB ranges" % (path, i, t))
        for key in ("HealthyThresholdCount", "UnhealthyThresholdCount"):
            if not 2 <= tg[key] <= 10:
                problems.append("%s: %s %d outside 2-10" % (path, key, tg[key]))

    for d in sorted(glob.glob(os.path.join(out, "ecspresso", "*"))):
        checked += 1
        name = os.path.basename(d)
        conf = yaml.safe_load(open(os.path.join(d, "ecspresso.yml")))
        keys = ["region", "cluster", "service", "service_definition", "task_definition",
                "timeout"]
        if list(conf) != keys or conf["service"] != name:
            problems.append("%s: ecspresso.yml keys %s" % (d, list(conf)))
        for key in ("service_definition", "task_definition"):
            if not os.path.isfile(os.path.join(d, conf[key])):
                problems.append("%s: %s missing" % (d, conf[key]))
        svc = json.load(open(os.path.join(d, conf["service_definition"])))
        svc.update({"serviceName": name, "taskDefinition": name})
        check(svc, "ecs", "CreateService", d)
        check(json.load(open(os.path.join(d, conf["task_definition"]))), "ecs",
              "RegisterTaskDefinition", d)

    for path in sorted(glob.glob(os.path.join(out, "ecs-deploy", "*.json"))):
        checked += 1
        text = open(path).read()
        doc = json.loads(text)
        for c in doc["taskDefinition"]["containerDefinitions"]:
            image = c["image"]
            if ":" not in image.rsplit("/", 1)[-1]:
                continue  # untagged: kube2ecs warns (K2E-W088)
            repo = image.rsplit(":", 1)[0]
            new = repo + ":kube2ecs-test"
            # ecs-deploy -i: s~"image":.*<repo>:.*,~"image": "<new>",~g per line
            sed = re.compile('"image":.*' + re.escape(repo) + ':.*,')
            text = "\n".join(sed.sub('"image": "%s",' % new, line)
                             for line in text.split("\n"))
            if new not in text:
                problems.append("%s: ecs-deploy -i would not replace %s" % (path, image))
        td = json.loads(text)["taskDefinition"]          # jq '.taskDefinition'
        keep = ["family", "volumes", "containerDefinitions", "placementConstraints"]
        keep += [k for k in ("networkMode", "taskRoleArn", "executionRoleArn",
                             "runtimePlatform", "ephemeralStorage", "proxyConfiguration")
                 if '"%s"' % k in text]
        if "FARGATE" in td.get("requiresCompatibilities", []):
            keep += ["requiresCompatibilities", "cpu", "memory", "executionRoleArn"]
        projected = {k: td.get(k) for k in keep}            # absent -> null, as jq does
        check(projected, "ecs", "RegisterTaskDefinition", path)

print("service formats: %d checked, %d problems" % (checked, len(problems)))
for p in problems:
    print(p)
sys.exit(1 if problems or checked == 0 else 0)
PY
