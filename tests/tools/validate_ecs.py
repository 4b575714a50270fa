#!/usr/bin/python3
"""Validate a kube2ecs output directory against the ECS / Application Auto
Scaling / ecschedule input formats.

Usage:  /usr/bin/python3 tests/tools/validate_ecs.py [--expect-invalid] OUTDIR

Layout read (every part optional):

  OUTDIR/task-definitions/*.json        RegisterTaskDefinition input
  OUTDIR/services/*.json                CreateService input
  OUTDIR/services/*.update.json         UpdateService input (README's jq line)
  OUTDIR/run-tasks/*.json               RunTask input
  OUTDIR/autoscaling/*.json             {"scalableTarget": RegisterScalableTarget,
                                         "scalingPolicies": [PutScalingPolicy...]}
  OUTDIR/ecspresso/*/ecs-task-def.json  RegisterTaskDefinition input
  OUTDIR/ecs-deploy/*.json              {"taskDefinition": RegisterTaskDefinition}
  OUTDIR/ecschedule.yaml                ecschedule configuration

Layers, in this order, for every JSON document:

  [botocore]  botocore.validate.ParamValidator on the operation's input shape
              (exactly what `aws ... --cli-input-json` checks client-side:
              required/unknown members, JSON types, `min`);
  [model]     what ParamValidator skips but the model states: enum values,
              `max` values/lengths, tag patterns, booleans given for integers;
  [ecs]       documented ECS / Fargate / Application Auto Scaling rules
              (see /work/shared/reference/ecs-schema.md section 6);
  [xref]      cross-file checks (service -> task definition, ...).

ecschedule.yaml is checked against ecschedule's schema (ecschedule.md
sections 3-6, 8 and 12) including a strict EventBridge schedule grammar.

Output: one line per problem, "FILE: path.to.field: message" (FILE relative
to OUTDIR, "$" for the document itself), then
"validate_ecs: N files checked, M problems".  Exit status 0 when M == 0,
1 otherwise, 2 on usage errors.  With --expect-invalid the status is
inverted (0 when at least one problem was found), for negative tests.

Only Debian's python3 + python3-botocore (+ python3-yaml for
ecschedule.yaml) are needed.
"""

import argparse
import glob
import gzip
import json
import math
import os
import re
import sys
import unicodedata

try:
    import botocore.model
    import botocore.session
    import botocore.validate
except ImportError:  # pragma: no cover - environment problem
    botocore = None

try:
    import yaml
except ImportError:  # pragma: no cover - environment problem
    yaml = None


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

class Problems:
    """Collects (path, message) pairs for one document."""

    def __init__(self):
        self.items = []

    def add(self, path, msg):
        self.items.append((path if path else "$", msg))

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)


def jp(base, *parts):
    """Join a field path: jp("a", "b", 0, "c") -> "a.b[0].c"."""
    out = base or ""
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        elif out:
            out += "." + p
        else:
            out = p
    return out


def shortened_name_of(stem, name, ext=".json"):
    """kube2ecs shortens a file name longer than 255 bytes: the name's
    beginning, "-" and 8 hex digits, then the extension (K2E-W008)."""
    if len((name + ext).encode()) <= 255:
        return False
    m = re.fullmatch(r"(.*)-[0-9a-f]{8}", stem)
    return bool(m) and name.startswith(m.group(1)) and \
        len((stem + ext).encode()) <= 255


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_str(v):
    return isinstance(v, str)


def as_list(v):
    return v if isinstance(v, list) else []


def as_dict(v):
    return v if isinstance(v, dict) else {}


def dicts(v):
    """Enumerate (index, item) of a list, skipping non-object items
    (those are already reported by ParamValidator)."""
    return [(i, x) for i, x in enumerate(as_list(v)) if isinstance(x, dict)]


class DuplicateKeyError(ValueError):
    pass


def _pairs_hook(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise DuplicateKeyError('duplicate key "%s"' % k)
        seen[k] = v
    return seen


def _bad_constant(name):
    raise ValueError("non-JSON number %s" % name)


def load_json(path, probs):
    """Parse strictly: duplicate keys, NaN/Infinity and non-UTF-8 are errors."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        probs.add("$", "cannot read file as UTF-8: %s" % e)
        return None
    if text.startswith("\ufeff"):
        probs.add("$", "file starts with a UTF-8 byte order mark")
        text = text[1:]
    try:
        doc = json.loads(text, object_pairs_hook=_pairs_hook,
                         parse_constant=_bad_constant)
    except DuplicateKeyError as e:
        probs.add("$", "invalid JSON: %s (later value would silently win)" % e)
        return None
    except ValueError as e:
        probs.add("$", "invalid JSON: %s" % e)
        return None
    if not isinstance(doc, dict):
        probs.add("$", "top level must be a JSON object, got %s"
                  % type(doc).__name__)
        return None
    return doc


# ---------------------------------------------------------------------------
# botocore model access
# ---------------------------------------------------------------------------

_SESSION = None
_MODELS = {}
# --ecs-model: an ECS API model file (botocore's service-2.json layout, as
# the aws-sdk npm package ships it) used instead of botocore's own, for
# output that uses members newer than the installed botocore.
_ECS_MODEL_PATH = None


def _expand_minified(model):
    """The aws-sdk packages ship models minified: shapes used once are
    inlined and a bare {} is a string.  botocore wants every reference
    named, so each inline shape becomes a named one (the minified models
    keep types, required members and structure; enums and ranges are
    dropped, which the [ecs]/[fargate] rules here cover)."""
    shapes = model["shapes"]
    counter = [0]

    def name_ref(ref):
        if "shape" in ref:
            return ref
        body = dict(ref) if ref else {"type": "string"}
        body.setdefault("type", "string")
        expand_shape(body)
        counter[0] += 1
        name = "K2eInline%d" % counter[0]
        shapes[name] = body
        return {"shape": name}

    def expand_shape(body):
        if "members" in body:
            body["members"] = {k: name_ref(v)
                               for k, v in body["members"].items()}
        if "member" in body:
            body["member"] = name_ref(body["member"])
        for key in ("key", "value"):
            if key in body:
                body[key] = name_ref(body[key])

    for body in list(shapes.values()):
        expand_shape(body)
    for op_name, op in model["operations"].items():
        op.setdefault("name", op_name)
        op.setdefault("http", {"method": "POST", "requestUri": "/"})
        for key in ("input", "output"):
            if key in op:
                op[key] = name_ref(op[key])
    return model


def load_service_model(path, service):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        model = json.load(f)
    return botocore.model.ServiceModel(_expand_minified(model),
                                       service_name=service)


def input_shape(service, operation):
    global _SESSION
    if botocore is None:
        raise RuntimeError("botocore is not importable (apt-get install -y "
                           "python3-botocore)")
    if service not in _MODELS:
        if service == "ecs" and _ECS_MODEL_PATH:
            _MODELS[service] = load_service_model(_ECS_MODEL_PATH, service)
        else:
            if _SESSION is None:
                _SESSION = botocore.session.get_session()
            _MODELS[service] = _SESSION.get_service_model(service)
    return _MODELS[service].operation_model(operation).input_shape


# Members that newer ECS models accept but botocore 1.29.27 does not.
NEWER_MEMBERS = {
    "enableFaultInjection", "versionConsistency", "restartPolicy",
    "credentialSpecs", "containerPortRange", "configuredAtLaunch",
    "volumeConfigurations", "availabilityZoneRebalancing",
    "vpcLatticeConfigurations", "alarms", "strategy",
    "deploymentCircuitBreakerAlarms", "bakeTimeInMinutes", "lifecycleHooks",
}


def botocore_check(params, service, operation, probs, prefix=""):
    """[botocore] layer: ParamValidator exactly as the AWS CLI runs it."""
    shape = input_shape(service, operation)
    report = botocore.validate.ParamValidator().validate(params, shape)
    if not report.has_errors():
        return
    errors = getattr(report, "_errors", None)
    if errors is None:  # fall back to the text report
        for line in report.generate_report().splitlines():
            probs.add(prefix or "$", "[botocore] " + line)
        return
    for err in errors:
        etype, name, extra = err
        msg = report._format_error(err)
        name = name.lstrip(".")  # top-level members are named ".member"
        path = name
        if etype == "missing required field":
            path = jp(name, extra["required_name"])
        elif etype == "unknown field":
            path = jp(name, extra["unknown_param"])
            if extra["unknown_param"] in NEWER_MEMBERS:
                msg += (" (hint: member of newer ECS models; botocore "
                        "1.29.27 / AWS CLI 2.9.19 reject it)")
        probs.add(jp(prefix, path) if prefix else path, "[botocore] " + msg)


_TAG_CHARS_RE = re.compile(r"^[_.:/=+\-@]$")


def _tag_pattern_ok(s):
    # ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$
    for ch in s:
        cat = unicodedata.category(ch)
        if cat[0] in ("L", "Z", "N") or _TAG_CHARS_RE.match(ch):
            continue
        return False
    return True


def _xml_chars_ok(s):
    for ch in s:
        o = ord(ch)
        if o < 0x20 and ch not in "\r\n\t":
            return False
        if 0xFFFE <= o <= 0xFFFF:
            return False
    return True


def _pattern_ok(pattern, value):
    if "\\p{L}" in pattern:
        return _tag_pattern_ok(value)
    if pattern == "\\p{Print}+":
        return value.isprintable() and len(value) > 0
    if "\\uD7FF" in pattern:
        return _xml_chars_ok(value)
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return True  # pattern in a dialect Python cannot read: do not guess


def model_check(value, shape, path, probs):
    """[model] layer: enums, max, patterns, bool-for-int (ParamValidator
    does not check these).  Walks only what is present and well-typed."""
    t = shape.type_name
    md = shape.metadata
    if t == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                model_check(value[name], member, jp(path, name), probs)
    elif t == "list" and isinstance(value, list):
        if "max" in md and len(value) > md["max"]:
            probs.add(path, "[model] list has %d items, maximum is %d"
                      % (len(value), md["max"]))
        for i, item in enumerate(value):
            model_check(item, shape.member, jp(path, i), probs)
    elif t == "map" and isinstance(value, dict):
        for k, v in value.items():
            model_check(v, shape.value, jp(path, k), probs)
    elif t == "string" and isinstance(value, str):
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            probs.add(path, "[model] invalid value %r, must be one of: %s"
                      % (value, ", ".join(enum)))
        if "max" in md and len(value) > md["max"]:
            probs.add(path, "[model] string is %d characters, maximum is %d"
                      % (len(value), md["max"]))
        if "pattern" in md and not _pattern_ok(md["pattern"], value):
            probs.add(path, "[model] %r does not match pattern %s"
                      % (value, md["pattern"]))
    elif t in ("integer", "long"):
        if isinstance(value, bool):
            probs.add(path, "[model] boolean %s given where an integer is "
                      "expected (sent as true/false, rejected by the service)"
                      % json.dumps(value))
        elif is_int(value) and "max" in md and value > md["max"]:
            probs.add(path, "[model] value %d above maximum %d"
                      % (value, md["max"]))
    elif t in ("double", "float"):
        if isinstance(value, bool):
            probs.add(path, "[model] boolean given where a number is expected")
        elif isinstance(value, float) and not math.isfinite(value):
            probs.add(path, "[model] non-finite number")


def api_check(params, service, operation, probs, prefix=""):
    botocore_check(params, service, operation, probs, prefix)
    model_check(params, input_shape(service, operation), prefix, probs)


# ---------------------------------------------------------------------------
# shared formats
# ---------------------------------------------------------------------------

PARTITION = r"aws(?:-cn|-us-gov|-iso|-iso-[a-z])?"
REGION = r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}"
REGION_RE = re.compile(r"^%s$" % REGION)
NAME255_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
ROLE_ARN_RE = re.compile(r"^arn:%s:iam::\d{12}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$"
                         % PARTITION)
ROLE_NAME_RE = re.compile(r"^(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$")
SSM_NAME_RE = re.compile(r"^(?:(?:/[A-Za-z0-9_.\-]+)+|[A-Za-z0-9_.\-]+)$")
SSM_ARN_RE = re.compile(r"^arn:%s:ssm:%s:\d{12}:parameter/[A-Za-z0-9_.\-/]+$"
                        % (PARTITION, REGION))
SM_ARN_RE = re.compile(r"^arn:%s:secretsmanager:%s:\d{12}:secret:"
                       r"[A-Za-z0-9/_+=.@\-]+(?::[^:]*:[^:]*:[^:]*)?$"
                       % (PARTITION, REGION))
SM_PLAIN_ARN_RE = re.compile(r"^arn:%s:secretsmanager:%s:\d{12}:secret:"
                             r"[A-Za-z0-9/_+=.@\-]+$" % (PARTITION, REGION))
ECR_IMAGE_RE = re.compile(r"^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\."
                          r"amazonaws\.com(?:\.cn)?/")
IMAGE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$")
LOG_GROUP_RE = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
PORT_NAME_RE = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,63}$")
SUBNET_RE = re.compile(r"^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
SG_RE = re.compile(r"^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
S3_ARN_RE = re.compile(r"^arn:%s:s3:::[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]/.+\.env$"
                       % PARTITION)
TG_ARN_RE = re.compile(r"^arn:%s:elasticloadbalancing:%s:\d{12}:targetgroup/"
                       r"[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$" % (PARTITION, REGION))
PLATFORM_VERSION_RE = re.compile(r"^(?:LATEST|\d+\.\d+\.\d+)$")
TD_REF_RE = re.compile(
    r"^(?:arn:%s:ecs:%s:\d{12}:task-definition/)?([A-Za-z0-9_-]{1,255})"
    r"(?::([1-9][0-9]*))?$" % (PARTITION, REGION))
CLUSTER_RE = re.compile(r"^(?:[A-Za-z0-9_-]{1,255}|arn:%s:ecs:%s:\d{12}:"
                        r"cluster/[A-Za-z0-9_-]{1,255})$" % (PARTITION, REGION))

# Fargate task sizes (MiB) per CPU unit value, ecs-schema.md section 6.
FARGATE_SIZES = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4096 + 1, 1024)),
    1024: list(range(2048, 8192 + 1, 1024)),
    2048: list(range(4096, 16384 + 1, 1024)),
    4096: list(range(8192, 30720 + 1, 1024)),
    8192: list(range(16384, 61440 + 1, 4096)),
    16384: list(range(32768, 122880 + 1, 8192)),
}

NOT_ON_FARGATE_CONTAINER = [
    "privileged", "links", "dnsServers", "dnsSearchDomains",
    "dockerSecurityOptions", "extraHosts", "disableNetworking",
]


def parse_task_cpu(v):
    """Task-level cpu string -> CPU units, or None if unparsable."""
    if not is_str(v):
        return None
    m = re.fullmatch(r"([0-9]+)", v)
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?) ?[vV][cC][pP][uU]", v)
    if m:
        units = float(m.group(1)) * 1024
        return int(units) if units == int(units) else None
    return None


def parse_task_memory(v):
    """Task-level memory string -> MiB, or None if unparsable."""
    if not is_str(v):
        return None
    m = re.fullmatch(r"([0-9]+)", v)
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?) ?[gG][bB]", v)
    if m:
        mib = float(m.group(1)) * 1024
        return int(mib) if mib == int(mib) else None
    return None


def check_fargate_size(cpu, mem, path, probs, windows=False):
    if cpu not in FARGATE_SIZES:
        probs.add(jp(path, "cpu"), "[fargate] %d CPU units is not a Fargate "
                  "size (256, 512, 1024, 2048, 4096, 8192, 16384)" % cpu)
        return
    if mem not in FARGATE_SIZES[cpu]:
        sizes = FARGATE_SIZES[cpu]
        probs.add(jp(path, "memory"), "[fargate] %d MiB is not valid with "
                  "cpu %d (valid: %s)" % (mem, cpu,
                                         ", ".join(str(s) for s in sizes)))
    if windows and (cpu < 1024 or cpu > 4096):
        probs.add(jp(path, "cpu"), "[fargate] Windows tasks need 1-4 vCPU "
                  "(1024-4096 CPU units)")


def check_secret_ref(value, path, probs):
    if not is_str(value):
        return
    if value.startswith("arn:"):
        if ":secretsmanager:" in value:
            if not SM_ARN_RE.match(value):
                probs.add(path, "[ecs] %r is not a Secrets Manager ARN "
                          "optionally followed by exactly "
                          ":json-key:version-stage:version-id" % value)
        elif ":ssm:" in value:
            if not SSM_ARN_RE.match(value):
                probs.add(path, "[ecs] %r is not a valid SSM parameter ARN"
                          % value)
        else:
            probs.add(path, "[ecs] %r is neither an SSM parameter nor a "
                      "Secrets Manager secret ARN" % value)
    else:
        first = value.lstrip("/").split("/")[0].lower()
        if not SSM_NAME_RE.match(value) or len(value) > 2048:
            probs.add(path, "[ecs] %r is not an SSM parameter name, SSM "
                      "parameter ARN or Secrets Manager ARN" % value)
        elif first.startswith("aws") or first.startswith("ssm"):
            probs.add(path, "[ecs] SSM parameter names cannot start with "
                      "'aws' or 'ssm': %r" % value)


def check_role(value, path, probs, what):
    if is_str(value) and not (ROLE_ARN_RE.match(value)
                              or (not value.startswith("arn:")
                                  and ROLE_NAME_RE.match(value))):
        probs.add(path, "[ecs] %s %r is not an IAM role ARN or role name"
                  % (what, value))


def check_tags(tags, path, probs):
    seen = set()
    for i, t in dicts(tags):
        k = t.get("key")
        p = jp(path, i)
        if "key" not in t:
            probs.add(jp(p, "key"), "[ecs] tag key is required")
        if is_str(k):
            if k.lower().startswith("aws:"):
                probs.add(jp(p, "key"), "[ecs] tag keys with the aws: prefix "
                          "are reserved")
            if k in seen:
                probs.add(jp(p, "key"), "[ecs] duplicate tag key %r" % k)
            seen.add(k)


# ---------------------------------------------------------------------------
# RegisterTaskDefinition
# ---------------------------------------------------------------------------

def check_task_definition(td, probs, prefix=""):
    """All layers for one RegisterTaskDefinition input document."""
    api_check(td, "ecs", "RegisterTaskDefinition", probs, prefix)
    try:
        _td_rules(td, probs, prefix)
    except Exception as e:  # defensive: never crash on odd input
        probs.add(prefix, "internal validator error: %r" % (e,))


def _td_rules(td, probs, P):
    def at(*parts):
        return jp(P, *parts)

    family = td.get("family")
    if is_str(family) and not NAME255_RE.match(family):
        probs.add(at("family"), "[ecs] family %r must be 1-255 of "
                  "[A-Za-z0-9_-]" % family)

    compat = as_list(td.get("requiresCompatibilities"))
    if "FARGATE" not in compat:
        probs.add(at("requiresCompatibilities"), "[fargate] must contain "
                  "FARGATE (kube2ecs targets Fargate)")
    mode = td.get("networkMode")
    if mode != "awsvpc":
        probs.add(at("networkMode"), "[fargate] networkMode must be awsvpc "
                  "(absent means bridge), got %s" % json.dumps(mode))

    rp = as_dict(td.get("runtimePlatform"))
    windows = is_str(rp.get("operatingSystemFamily")) and \
        rp.get("operatingSystemFamily", "").startswith("WINDOWS")

    # task size
    tcpu = tmem = None
    if "cpu" not in td:
        probs.add(at("cpu"), "[fargate] task-level cpu is required")
    elif is_str(td["cpu"]):
        tcpu = parse_task_cpu(td["cpu"])
        if tcpu is None:
            probs.add(at("cpu"), "[ecs] task cpu %r is neither CPU units "
                      "(\"512\") nor vCPUs (\"1 vCPU\")" % td["cpu"])
    if "memory" not in td:
        probs.add(at("memory"), "[fargate] task-level memory is required")
    elif is_str(td["memory"]):
        tmem = parse_task_memory(td["memory"])
        if tmem is None:
            probs.add(at("memory"), "[ecs] task memory %r is neither MiB "
                      "(\"1024\") nor GB (\"1 GB\")" % td["memory"])
    if tcpu is not None and tmem is not None:
        check_fargate_size(tcpu, tmem, P, probs, windows)

    # task-level members not valid on Fargate
    for key in ("placementConstraints", "inferenceAccelerators"):
        if as_list(td.get(key)):
            probs.add(at(key), "[fargate] %s is not supported on Fargate" % key)
    if "ipcMode" in td:
        probs.add(at("ipcMode"), "[fargate] ipcMode is not supported on "
                  "Fargate")
    if "pidMode" in td and td["pidMode"] != "task":
        probs.add(at("pidMode"), "[fargate] pidMode must be \"task\" on "
                  "Fargate")
    if windows and "pidMode" in td:
        probs.add(at("pidMode"), "[fargate] pidMode is not supported for "
                  "Windows tasks")

    es = as_dict(td.get("ephemeralStorage"))
    if is_int(es.get("sizeInGiB")):
        if not 21 <= es["sizeInGiB"] <= 200:
            probs.add(at("ephemeralStorage", "sizeInGiB"), "[fargate] must be "
                      "21-200, got %d" % es["sizeInGiB"])
        if windows:
            probs.add(at("ephemeralStorage"), "[fargate] ephemeralStorage is "
                      "not supported for Windows tasks")

    check_role(td.get("taskRoleArn"), at("taskRoleArn"), probs, "taskRoleArn")
    check_role(td.get("executionRoleArn"), at("executionRoleArn"), probs,
               "executionRoleArn")
    check_tags(td.get("tags"), at("tags"), probs)

    # volumes
    volume_names = set()
    for i, v in dicts(td.get("volumes")):
        vp = at("volumes", i)
        name = v.get("name")
        if not is_str(name):
            probs.add(jp(vp, "name"), "[ecs] volume name is required")
        else:
            if not NAME255_RE.match(name):
                probs.add(jp(vp, "name"), "[ecs] volume name %r must be "
                          "1-255 of [A-Za-z0-9_-]" % name)
            if name in volume_names:
                probs.add(jp(vp, "name"), "[ecs] duplicate volume name %r"
                          % name)
            volume_names.add(name)
        if as_dict(v.get("host")).get("sourcePath") is not None:
            probs.add(jp(vp, "host", "sourcePath"), "[fargate] host volumes "
                      "with sourcePath are not supported (use an empty "
                      "bind mount or EFS)")
        if "dockerVolumeConfiguration" in v:
            probs.add(jp(vp, "dockerVolumeConfiguration"), "[fargate] Docker "
                      "volumes are not supported on Fargate")
        if "fsxWindowsFileServerVolumeConfiguration" in v:
            probs.add(jp(vp, "fsxWindowsFileServerVolumeConfiguration"),
                      "[fargate] FSx for Windows File Server volumes are not "
                      "supported on Fargate")
        efs = as_dict(v.get("efsVolumeConfiguration"))
        auth = as_dict(efs.get("authorizationConfig"))
        if efs and (auth.get("iam") == "ENABLED" or auth.get("accessPointId")):
            if efs.get("transitEncryption") != "ENABLED":
                probs.add(jp(vp, "efsVolumeConfiguration",
                             "transitEncryption"),
                          "[ecs] must be ENABLED when IAM authorization or an "
                          "access point is used")
            if auth.get("accessPointId") and \
                    efs.get("rootDirectory") not in (None, "/"):
                probs.add(jp(vp, "efsVolumeConfiguration", "rootDirectory"),
                          "[ecs] must be omitted or \"/\" with an access point")

    containers = dicts(td.get("containerDefinitions"))
    if not as_list(td.get("containerDefinitions")):
        probs.add(at("containerDefinitions"), "[ecs] at least one container "
                  "definition is required")
    by_name = {}
    for i, c in containers:
        name = c.get("name")
        if is_str(name):
            if name in by_name:
                probs.add(at("containerDefinitions", i, "name"),
                          "[ecs] duplicate container name %r" % name)
            else:
                by_name[name] = c

    needs_exec_role = []
    sum_cpu = 0
    sum_mem = 0
    port_names = {}
    bound_ports = {}
    essential_count = 0
    log_drivers = set()
    has_firelens = False
    for i, c in containers:
        cp = at("containerDefinitions", i)
        name = c.get("name")
        if not is_str(name) or not name:
            probs.add(jp(cp, "name"), "[ecs] container name is required")
        elif not NAME255_RE.match(name):
            probs.add(jp(cp, "name"), "[ecs] container name %r must be 1-255 "
                      "of [A-Za-z0-9_-]" % name)
        image = c.get("image")
        if not is_str(image) or not image:
            probs.add(jp(cp, "image"), "[ecs] image is required")
        else:
            if not IMAGE_RE.match(image) or image.endswith(":") \
                    or len(image) > 255:
                probs.add(jp(cp, "image"), "[ecs] %r is not a valid image "
                          "reference" % image)
            if ECR_IMAGE_RE.match(image):
                needs_exec_role.append((jp(cp, "image"), "a private ECR image"))

        if c.get("essential", True) is not False:
            essential_count += 1

        # sizes
        ccpu = c.get("cpu")
        if is_int(ccpu):
            if ccpu < 0:
                probs.add(jp(cp, "cpu"), "[ecs] cpu must be >= 0")
            else:
                sum_cpu += ccpu
        cmem = c.get("memory")
        cres = c.get("memoryReservation")
        if is_int(cmem):
            if cmem < 6:
                probs.add(jp(cp, "memory"), "[ecs] memory must be >= 6 MiB")
            if tmem is not None and cmem > tmem:
                probs.add(jp(cp, "memory"), "[ecs] container memory %d MiB "
                          "exceeds task memory %d MiB" % (cmem, tmem))
        if is_int(cres):
            if cres < 6:
                probs.add(jp(cp, "memoryReservation"), "[ecs] "
                          "memoryReservation must be >= 6 MiB")
            if is_int(cmem) and cres >= cmem:
                probs.add(jp(cp, "memoryReservation"), "[ecs] memory (%d) "
                          "must be greater than memoryReservation (%d); omit "
                          "memoryReservation when they are equal"
                          % (cmem, cres))
            sum_mem += cres
        elif is_int(cmem):
            sum_mem += cmem

        for key in NOT_ON_FARGATE_CONTAINER:
            if key in c and c[key] not in (False, [], None):
                probs.add(jp(cp, key), "[fargate] %s is not supported on "
                          "Fargate" % key)
        if "hostname" in c:
            probs.add(jp(cp, "hostname"), "[ecs] hostname is not supported "
                      "with networkMode awsvpc")
        for j, rr in dicts(c.get("resourceRequirements")):
            probs.add(jp(cp, "resourceRequirements", j), "[fargate] %s "
                      "resource requirements are not supported on Fargate"
                      % rr.get("type"))

        lp = as_dict(c.get("linuxParameters"))
        for j, cap in enumerate(as_list(as_dict(lp.get("capabilities"))
                                        .get("add"))):
            if cap != "SYS_PTRACE":
                probs.add(jp(cp, "linuxParameters", "capabilities", "add", j),
                          "[fargate] only SYS_PTRACE can be added on Fargate, "
                          "got %r" % (cap,))
        for key in ("devices", "sharedMemorySize", "tmpfs", "maxSwap",
                    "swappiness"):
            if key in lp:
                probs.add(jp(cp, "linuxParameters", key), "[fargate] "
                          "linuxParameters.%s is not supported on Fargate"
                          % key)

        if is_int(c.get("stopTimeout")) and not 0 <= c["stopTimeout"] <= 120:
            probs.add(jp(cp, "stopTimeout"), "[fargate] stopTimeout must be "
                      "0-120 seconds, got %d" % c["stopTimeout"])

        # ports
        for j, pm in dicts(c.get("portMappings")):
            pp = jp(cp, "portMappings", j)
            port = pm.get("containerPort")
            if "containerPort" not in pm:
                probs.add(jp(pp, "containerPort"), "[ecs] containerPort is "
                          "required with networkMode awsvpc")
            elif is_int(port) and not 1 <= port <= 65535:
                probs.add(jp(pp, "containerPort"), "[ecs] port %d out of "
                          "range 1-65535" % port)
            if "hostPort" in pm and pm["hostPort"] != port:
                probs.add(jp(pp, "hostPort"), "[fargate] hostPort must be "
                          "omitted or equal to containerPort (%s), got %s"
                          % (port, json.dumps(pm["hostPort"])))
            proto = pm.get("protocol", "tcp")
            if proto not in ("tcp", "udp"):
                probs.add(jp(pp, "protocol"), "[ecs] protocol must be tcp or "
                          "udp, got %s" % json.dumps(proto))
            if is_int(port):
                key = (port, proto)
                if key in bound_ports:
                    probs.add(pp, "[ecs] %s port %d already mapped by %s "
                              "(awsvpc containers share one network "
                              "namespace)" % (proto, port, bound_ports[key]))
                else:
                    bound_ports[key] = pp
            pname = pm.get("name")
            if is_str(pname):
                if not PORT_NAME_RE.match(pname):
                    probs.add(jp(pp, "name"), "[ecs] port name %r must be "
                              "1-64 of [a-z0-9_-] not starting with '-'"
                              % pname)
                if pname in port_names:
                    probs.add(jp(pp, "name"), "[ecs] duplicate port name %r "
                              "(also %s)" % (pname, port_names[pname]))
                else:
                    port_names[pname] = pp

        # environment and secrets
        env_names = {}
        for j, e in dicts(c.get("environment")):
            ep = jp(cp, "environment", j)
            if not is_str(e.get("name")) or not e.get("name"):
                probs.add(jp(ep, "name"), "[ecs] environment variable name is "
                          "required")
                continue
            if e["name"] in env_names:
                probs.add(jp(ep, "name"), "[ecs] duplicate environment "
                          "variable %r" % e["name"])
            env_names[e["name"]] = ep
            if "value" not in e:
                probs.add(jp(ep, "value"), "[ecs] environment variable %r has "
                          "no value" % e["name"])
        secrets = as_list(c.get("secrets"))
        if secrets:
            needs_exec_role.append((jp(cp, "secrets"), "secrets"))
        for j, s in dicts(secrets):
            sp = jp(cp, "secrets", j)
            sname = s.get("name")
            if is_str(sname):
                if sname in env_names:
                    probs.add(jp(sp, "name"), "[ecs] %r is also set in "
                              "environment (%s)" % (sname, env_names[sname]))
                env_names[sname] = sp
            check_secret_ref(s.get("valueFrom"), jp(sp, "valueFrom"), probs)
        for j, ef in dicts(c.get("environmentFiles")):
            needs_exec_role.append((jp(cp, "environmentFiles", j),
                                    "environmentFiles"))
            if is_str(ef.get("value")) and not S3_ARN_RE.match(ef["value"]):
                probs.add(jp(cp, "environmentFiles", j, "value"), "[ecs] must "
                          "be the ARN of an S3 object with a .env extension")

        rc = as_dict(c.get("repositoryCredentials"))
        if "repositoryCredentials" in c:
            needs_exec_role.append((jp(cp, "repositoryCredentials"),
                                    "repositoryCredentials"))
            cpar = rc.get("credentialsParameter")
            if is_str(cpar) and not SM_PLAIN_ARN_RE.match(cpar):
                probs.add(jp(cp, "repositoryCredentials",
                             "credentialsParameter"),
                          "[ecs] must be a Secrets Manager secret ARN")

        # logging
        lc = c.get("logConfiguration")
        if isinstance(lc, dict):
            lcp = jp(cp, "logConfiguration")
            driver = lc.get("logDriver")
            log_drivers.add(driver)
            if is_str(driver) and driver not in ("awslogs", "splunk",
                                                 "awsfirelens"):
                probs.add(jp(lcp, "logDriver"), "[fargate] log driver %r is "
                          "not supported on Fargate (awslogs, splunk, "
                          "awsfirelens)" % driver)
            opts = as_dict(lc.get("options"))
            if driver == "awslogs":
                needs_exec_role.append((jp(lcp, "logDriver"),
                                        "the awslogs log driver"))
                for key in ("awslogs-group", "awslogs-region",
                            "awslogs-stream-prefix"):
                    if key not in opts:
                        probs.add(jp(lcp, "options", key), "[fargate] awslogs "
                                  "needs option %s" % key)
                g = opts.get("awslogs-group")
                if is_str(g) and not LOG_GROUP_RE.match(g):
                    probs.add(jp(lcp, "options", "awslogs-group"), "[ecs] %r "
                              "is not a valid log group name" % g)
                r = opts.get("awslogs-region")
                if is_str(r) and not REGION_RE.match(r):
                    probs.add(jp(lcp, "options", "awslogs-region"), "[ecs] %r "
                              "is not a region" % r)
                cg = opts.get("awslogs-create-group")
                if cg is not None and cg not in ("true", "false"):
                    probs.add(jp(lcp, "options", "awslogs-create-group"),
                              "[ecs] must be \"true\" or \"false\"")
                md = opts.get("mode")
                if md is not None and md not in ("blocking", "non-blocking"):
                    probs.add(jp(lcp, "options", "mode"), "[ecs] must be "
                              "\"blocking\" or \"non-blocking\"")
            so = as_list(lc.get("secretOptions"))
            if so:
                needs_exec_role.append((jp(lcp, "secretOptions"),
                                        "log secretOptions"))
            for j, s in dicts(so):
                check_secret_ref(s.get("valueFrom"),
                                 jp(lcp, "secretOptions", j, "valueFrom"),
                                 probs)
        if "firelensConfiguration" in c:
            has_firelens = True

        # health check
        hc = c.get("healthCheck")
        if isinstance(hc, dict):
            hp = jp(cp, "healthCheck")
            cmd = hc.get("command")
            if isinstance(cmd, list):
                if not cmd or cmd[0] not in ("CMD", "CMD-SHELL"):
                    probs.add(jp(hp, "command"), "[ecs] health check command "
                              "must start with \"CMD\" or \"CMD-SHELL\"")
                elif len(cmd) < 2:
                    probs.add(jp(hp, "command"), "[ecs] health check command "
                              "has nothing to run after %r" % cmd[0])
            for key, lo, hi in (("interval", 5, 300), ("timeout", 2, 60),
                                ("retries", 1, 10), ("startPeriod", 0, 300)):
                v = hc.get(key)
                if is_int(v) and not lo <= v <= hi:
                    probs.add(jp(hp, key), "[ecs] %s must be %d-%d, got %d"
                              % (key, lo, hi, v))

        # ECS API reference, ContainerRestartPolicy: restartAttemptPeriod
        # 60-1800 seconds, at most 50 ignoredExitCodes.
        rp = c.get("restartPolicy")
        if isinstance(rp, dict):
            period = rp.get("restartAttemptPeriod")
            if is_int(period) and not 60 <= period <= 1800:
                probs.add(jp(cp, "restartPolicy", "restartAttemptPeriod"),
                          "[ecs] restartAttemptPeriod must be 60-1800 "
                          "seconds, got %d" % period)
            codes = rp.get("ignoredExitCodes")
            if isinstance(codes, list) and len(codes) > 50:
                probs.add(jp(cp, "restartPolicy", "ignoredExitCodes"),
                          "[ecs] at most 50 ignoredExitCodes, got %d"
                          % len(codes))

        for j, ul in dicts(c.get("ulimits")):
            if is_int(ul.get("softLimit")) and is_int(ul.get("hardLimit")) \
                    and ul["softLimit"] > ul["hardLimit"]:
                probs.add(jp(cp, "ulimits", j), "[ecs] softLimit exceeds "
                          "hardLimit")

        for j, mp in dicts(c.get("mountPoints")):
            mpp = jp(cp, "mountPoints", j)
            sv = mp.get("sourceVolume")
            if sv is None:
                probs.add(jp(mpp, "sourceVolume"), "[ecs] sourceVolume is "
                          "required")
            elif is_str(sv) and sv not in volume_names:
                probs.add(jp(mpp, "sourceVolume"), "[ecs] volume %r is not "
                          "defined in volumes" % sv)
            cpath = mp.get("containerPath")
            if cpath is None:
                probs.add(jp(mpp, "containerPath"), "[ecs] containerPath is "
                          "required")
            elif is_str(cpath) and not cpath.startswith("/") and not windows:
                probs.add(jp(mpp, "containerPath"), "[ecs] containerPath %r "
                          "must be absolute" % cpath)
        for j, vf in dicts(c.get("volumesFrom")):
            src = vf.get("sourceContainer")
            if is_str(src) and (src not in by_name or src == name):
                probs.add(jp(cp, "volumesFrom", j, "sourceContainer"),
                          "[ecs] %r is not another container of this task"
                          % src)

        # dependsOn
        for j, d in dicts(c.get("dependsOn")):
            dp = jp(cp, "dependsOn", j)
            target = d.get("containerName")
            cond = d.get("condition")
            if not is_str(target):
                continue
            if target == name:
                probs.add(jp(dp, "containerName"), "[ecs] a container cannot "
                          "depend on itself")
                continue
            tc = by_name.get(target)
            if tc is None:
                probs.add(jp(dp, "containerName"), "[ecs] container %r does "
                          "not exist in this task definition" % target)
                continue
            if cond in ("COMPLETE", "SUCCESS") and \
                    tc.get("essential", True) is not False:
                probs.add(jp(dp, "condition"), "[ecs] %s cannot be used on "
                          "the essential container %r" % (cond, target))
            if cond == "HEALTHY" and not isinstance(tc.get("healthCheck"),
                                                    dict):
                probs.add(jp(dp, "condition"), "[ecs] HEALTHY needs a "
                          "healthCheck on container %r" % target)

    # dependency cycles
    graph = {n: [d.get("containerName") for _, d in dicts(c.get("dependsOn"))]
             for n, c in by_name.items()}
    state = {}

    def visit(n, stack):
        state[n] = 1
        for m in graph.get(n, []):
            if m not in graph or m == n:
                continue
            if state.get(m) == 1:
                return stack + [n, m]
            if state.get(m) is None:
                cyc = visit(m, stack + [n])
                if cyc:
                    return cyc
        state[n] = 2
        return None

    for n in sorted(graph):
        if state.get(n) is None:
            cyc = visit(n, [])
            if cyc:
                probs.add(at("containerDefinitions"), "[ecs] dependsOn cycle: "
                          + " -> ".join(cyc))
                break

    if containers and essential_count == 0:
        probs.add(at("containerDefinitions"), "[ecs] at least one container "
                  "must be essential")
    if tcpu is not None and sum_cpu > tcpu:
        probs.add(at("containerDefinitions"), "[ecs] sum of container cpu "
                  "(%d) exceeds task cpu (%d)" % (sum_cpu, tcpu))
    if tmem is not None and sum_mem > tmem:
        probs.add(at("containerDefinitions"), "[ecs] sum of container "
                  "memoryReservation/memory (%d MiB) exceeds task memory "
                  "(%d MiB)" % (sum_mem, tmem))
    if "awsfirelens" in log_drivers and not has_firelens:
        probs.add(at("containerDefinitions"), "[ecs] the awsfirelens log "
                  "driver needs a container with firelensConfiguration")
    pc = as_dict(td.get("proxyConfiguration"))
    if is_str(pc.get("containerName")) and pc["containerName"] not in by_name:
        probs.add(at("proxyConfiguration", "containerName"), "[ecs] container "
                  "%r does not exist" % pc["containerName"])
    if not td.get("executionRoleArn"):
        seen = set()
        for path, why in needs_exec_role:
            if why in seen:
                continue
            seen.add(why)
            probs.add(at("executionRoleArn"), "[ecs] executionRoleArn is "
                      "required for %s (%s)" % (why, path))


# ---------------------------------------------------------------------------
# CreateService / RunTask
# ---------------------------------------------------------------------------

def td_family_of(ref):
    """'fam', 'fam:3' or a task-definition ARN -> 'fam' (None if invalid)."""
    if not is_str(ref):
        return None
    m = TD_REF_RE.match(ref)
    return m.group(1) if m else None


def _placement_and_network(doc, probs):
    lt = doc.get("launchType")
    cps = doc.get("capacityProviderStrategy")
    if "launchType" in doc and "capacityProviderStrategy" in doc:
        probs.add("capacityProviderStrategy", "[ecs] launchType and "
                  "capacityProviderStrategy are mutually exclusive")
    if lt is not None and lt != "FARGATE":
        probs.add("launchType", "[fargate] kube2ecs targets Fargate; "
                  "launchType must be FARGATE, got %s" % json.dumps(lt))
    items = dicts(cps)
    if isinstance(cps, list):
        if len(cps) > 6:
            probs.add("capacityProviderStrategy", "[ecs] at most 6 capacity "
                      "providers")
        if cps and not any(is_int(x.get("weight")) and x["weight"] > 0
                           for _, x in items):
            probs.add("capacityProviderStrategy", "[ecs] at least one "
                      "capacity provider needs a weight > 0")
        if sum(1 for _, x in items if x.get("base")) > 1:
            probs.add("capacityProviderStrategy", "[ecs] only one capacity "
                      "provider can have a base")
        names = [x.get("capacityProvider") for _, x in items]
        for i, n in enumerate(names):
            if n in names[:i]:
                probs.add(jp("capacityProviderStrategy", i,
                             "capacityProvider"),
                          "[ecs] duplicate capacity provider %r" % n)
            if is_str(n) and n not in ("FARGATE", "FARGATE_SPOT"):
                probs.add(jp("capacityProviderStrategy", i,
                             "capacityProvider"),
                          "[fargate] %r is not a Fargate capacity provider" % n)

    for key in ("placementConstraints", "placementStrategy"):
        if key in doc:
            probs.add(key, "[fargate] %s is not supported on Fargate" % key)

    nc = doc.get("networkConfiguration")
    avc = as_dict(as_dict(nc).get("awsvpcConfiguration"))
    if not isinstance(nc, dict) or "awsvpcConfiguration" not in nc:
        probs.add("networkConfiguration.awsvpcConfiguration", "[fargate] "
                  "awsvpc tasks need networkConfiguration."
                  "awsvpcConfiguration")
        return
    subnets = avc.get("subnets")
    if isinstance(subnets, list):
        if not subnets:
            probs.add("networkConfiguration.awsvpcConfiguration.subnets",
                      "[ecs] at least one subnet is required")
        if len(subnets) > 16:
            probs.add("networkConfiguration.awsvpcConfiguration.subnets",
                      "[ecs] at most 16 subnets, got %d" % len(subnets))
        for i, s in enumerate(subnets):
            if is_str(s) and not SUBNET_RE.match(s):
                probs.add(jp("networkConfiguration.awsvpcConfiguration."
                             "subnets", i), "[ecs] %r is not a subnet id" % s)
            if s in subnets[:i]:
                probs.add(jp("networkConfiguration.awsvpcConfiguration."
                             "subnets", i), "[ecs] duplicate subnet %r" % s)
    sgs = avc.get("securityGroups")
    if isinstance(sgs, list):
        if len(sgs) > 5:
            probs.add("networkConfiguration.awsvpcConfiguration."
                      "securityGroups", "[ecs] at most 5 security groups, "
                      "got %d" % len(sgs))
        for i, s in enumerate(sgs):
            if is_str(s) and not SG_RE.match(s):
                probs.add(jp("networkConfiguration.awsvpcConfiguration."
                             "securityGroups", i),
                          "[ecs] %r is not a security group id" % s)


def _xref_taskdef(doc, probs, taskdefs, field="taskDefinition"):
    """Return the referenced task definition document (or None)."""
    ref = doc.get(field)
    if not is_str(ref):
        return None
    fam = td_family_of(ref)
    if fam is None:
        probs.add(field, "[ecs] %r is not a family, family:revision or "
                  "task-definition ARN" % ref)
        return None
    if taskdefs is None:  # no task-definitions directory: nothing to match
        return None
    if fam not in taskdefs:
        probs.add(field, "[xref] task definition family %r has no "
                  "task-definitions/%s.json" % (fam, fam))
        return None
    return taskdefs[fam]


def _td_containers(td):
    return {c.get("name"): c for _, c in dicts(td.get("containerDefinitions"))}


def _uses_fargate_spot(doc):
    return any(x.get("capacityProvider") == "FARGATE_SPOT"
               for _, x in dicts(doc.get("capacityProviderStrategy")))


def _td_compat_xref(doc, td, probs):
    if td is None:
        return
    if "FARGATE" not in as_list(td.get("requiresCompatibilities")):
        probs.add("taskDefinition", "[xref] task definition does not list "
                  "FARGATE in requiresCompatibilities")
    arch = as_dict(td.get("runtimePlatform")).get("cpuArchitecture")
    if arch == "ARM64" and _uses_fargate_spot(doc):
        probs.add("capacityProviderStrategy", "[fargate] FARGATE_SPOT does "
                  "not run ARM64 tasks")


def check_update_service(doc, probs):
    """UpdateService input, as `aws ecs update-service --cli-input-json`
    reads it (the README's jq line makes it from services/<family>.json)."""
    api_check(doc, "ecs", "UpdateService", probs)


def check_service(svc, probs, taskdefs=None):
    api_check(svc, "ecs", "CreateService", probs)
    try:
        _service_rules(svc, probs, taskdefs)
    except Exception as e:
        probs.add("$", "internal validator error: %r" % (e,))


def _service_rules(svc, probs, taskdefs):
    name = svc.get("serviceName")
    if is_str(name) and not NAME255_RE.match(name):
        probs.add("serviceName", "[ecs] serviceName %r must be 1-255 of "
                  "[A-Za-z0-9_-]" % name)
    if "taskDefinition" not in svc:
        probs.add("taskDefinition", "[ecs] taskDefinition is required for "
                  "the ECS deployment controller")
    cl = svc.get("cluster")
    if is_str(cl) and not CLUSTER_RE.match(cl):
        probs.add("cluster", "[ecs] %r is not a cluster name or ARN" % cl)
    if svc.get("schedulingStrategy") == "DAEMON":
        probs.add("schedulingStrategy", "[fargate] DAEMON is not supported "
                  "on Fargate")
    if "role" in svc:
        probs.add("role", "[ecs] role must not be set for awsvpc services "
                  "(the service-linked role is used)")
    pv = svc.get("platformVersion")
    if is_str(pv) and not PLATFORM_VERSION_RE.match(pv):
        probs.add("platformVersion", "[fargate] %r is not LATEST or x.y.z"
                  % pv)
    if is_int(svc.get("desiredCount")) and svc["desiredCount"] < 0:
        probs.add("desiredCount", "[ecs] desiredCount must be >= 0")
    dc = as_dict(svc.get("deploymentConfiguration"))
    mn, mx = dc.get("minimumHealthyPercent"), dc.get("maximumPercent")
    if is_int(mn) and not 0 <= mn <= 100:
        probs.add("deploymentConfiguration.minimumHealthyPercent",
                  "[ecs] must be 0-100, got %d" % mn)
    if is_int(mn) and is_int(mx) and mx <= mn:
        probs.add("deploymentConfiguration", "[ecs] maximumPercent (%d) must "
                  "exceed minimumHealthyPercent (%d) or deployments cannot "
                  "start a new task" % (mx, mn))
    check_tags(svc.get("tags"), "tags", probs)
    _placement_and_network(svc, probs)

    td = _xref_taskdef(svc, probs, taskdefs)
    _td_compat_xref(svc, td, probs)
    containers = _td_containers(td) if td is not None else None

    lbs = dicts(svc.get("loadBalancers"))
    if len(as_list(svc.get("loadBalancers"))) > 5:
        probs.add("loadBalancers", "[ecs] at most 5 target groups per service")
    for i, lb in lbs:
        lp = jp("loadBalancers", i)
        if "loadBalancerName" in lb:
            probs.add(jp(lp, "loadBalancerName"), "[fargate] Classic Load "
                      "Balancers are not supported with awsvpc/Fargate; use "
                      "targetGroupArn")
        tg = lb.get("targetGroupArn")
        if tg is None:
            probs.add(jp(lp, "targetGroupArn"), "[ecs] targetGroupArn is "
                      "required")
        elif is_str(tg) and not TG_ARN_RE.match(tg):
            probs.add(jp(lp, "targetGroupArn"), "[ecs] %r is not a target "
                      "group ARN" % tg)
        for key in ("containerName", "containerPort"):
            if key not in lb:
                probs.add(jp(lp, key), "[ecs] %s is required" % key)
        _xref_container_port(containers, lb.get("containerName"),
                             lb.get("containerPort"), lp, probs)

    regs = as_list(svc.get("serviceRegistries"))
    if len(regs) > 1:
        probs.add("serviceRegistries", "[ecs] only one service registry is "
                  "supported")
    for i, r in dicts(regs):
        if "containerName" in r or "containerPort" in r:
            _xref_container_port(containers, r.get("containerName"),
                                 r.get("containerPort"),
                                 jp("serviceRegistries", i), probs)

    scc = svc.get("serviceConnectConfiguration")
    if isinstance(scc, dict):
        names = set()
        if td is not None:
            for c in containers.values():
                for _, pm in dicts(c.get("portMappings")):
                    if is_str(pm.get("name")):
                        names.add(pm["name"])
        discovery = {}
        for i, s in dicts(scc.get("services")):
            sp = jp("serviceConnectConfiguration.services", i)
            pn = s.get("portName")
            if td is not None and is_str(pn) and pn not in names:
                probs.add(jp(sp, "portName"), "[xref] portName %r matches no "
                          "portMappings[].name of the task definition "
                          "(names: %s)" % (pn, ", ".join(sorted(names))
                                           or "none"))
            dn = s.get("discoveryName", pn)
            if is_str(dn):
                if dn in discovery:
                    probs.add(jp(sp, "discoveryName"), "[ecs] duplicate "
                              "discovery name %r" % dn)
                discovery[dn] = sp
        if scc.get("enabled") is False and as_list(scc.get("services")):
            probs.add("serviceConnectConfiguration.enabled", "[ecs] services "
                      "are listed but Service Connect is disabled")


def _xref_container_port(containers, cname, cport, path, probs):
    if containers is None or not is_str(cname):
        return
    c = containers.get(cname)
    if c is None:
        probs.add(jp(path, "containerName"), "[xref] container %r does not "
                  "exist in the task definition (containers: %s)"
                  % (cname, ", ".join(sorted(str(k) for k in containers))))
        return
    if is_int(cport):
        ports = [pm.get("containerPort")
                 for _, pm in dicts(c.get("portMappings"))]
        if cport not in ports:
            probs.add(jp(path, "containerPort"), "[xref] container %r has no "
                      "portMapping for containerPort %d (ports: %s)"
                      % (cname, cport, ", ".join(str(p) for p in ports)
                         or "none"))


def check_run_task(rt, probs, taskdefs=None):
    api_check(rt, "ecs", "RunTask", probs)
    try:
        _run_task_rules(rt, probs, taskdefs)
    except Exception as e:
        probs.add("$", "internal validator error: %r" % (e,))


def _run_task_rules(rt, probs, taskdefs):
    cnt = rt.get("count", 1)
    if is_int(cnt) and not 1 <= cnt <= 10:
        probs.add("count", "[ecs] count must be 1-10, got %d" % cnt)
    cl = rt.get("cluster")
    if is_str(cl) and not CLUSTER_RE.match(cl):
        probs.add("cluster", "[ecs] %r is not a cluster name or ARN" % cl)
    pv = rt.get("platformVersion")
    if is_str(pv) and not PLATFORM_VERSION_RE.match(pv):
        probs.add("platformVersion", "[fargate] %r is not LATEST or x.y.z"
                  % pv)
    if is_str(rt.get("startedBy")) and len(rt["startedBy"]) > 128:
        probs.add("startedBy", "[ecs] startedBy is at most 128 characters")
    if is_str(rt.get("group")) and len(rt["group"]) > 255:
        probs.add("group", "[ecs] group is at most 255 characters")
    check_tags(rt.get("tags"), "tags", probs)
    _placement_and_network(rt, probs)
    td = _xref_taskdef(rt, probs, taskdefs)
    _td_compat_xref(rt, td, probs)

    ov = as_dict(rt.get("overrides"))
    ocpu = parse_task_cpu(ov["cpu"]) if "cpu" in ov else None
    omem = parse_task_memory(ov["memory"]) if "memory" in ov else None
    if "cpu" in ov and is_str(ov["cpu"]) and ocpu is None:
        probs.add("overrides.cpu", "[ecs] %r is not CPU units or vCPUs"
                  % ov["cpu"])
    if "memory" in ov and is_str(ov["memory"]) and omem is None:
        probs.add("overrides.memory", "[ecs] %r is not MiB or GB"
                  % ov["memory"])
    if td is not None and (ocpu is not None or omem is not None):
        cpu = ocpu if ocpu is not None else parse_task_cpu(td.get("cpu"))
        mem = omem if omem is not None else parse_task_memory(td.get("memory"))
        if cpu is not None and mem is not None:
            check_fargate_size(cpu, mem, "overrides", probs)
    elif ocpu is not None and omem is not None:
        check_fargate_size(ocpu, omem, "overrides", probs)
    es = as_dict(ov.get("ephemeralStorage"))
    if is_int(es.get("sizeInGiB")) and not 21 <= es["sizeInGiB"] <= 200:
        probs.add("overrides.ephemeralStorage.sizeInGiB", "[fargate] must be "
                  "21-200, got %d" % es["sizeInGiB"])
    containers = _td_containers(td) if td is not None else None
    for i, co in dicts(ov.get("containerOverrides")):
        cp = jp("overrides.containerOverrides", i)
        if "name" not in co:
            probs.add(jp(cp, "name"), "[ecs] container override needs the "
                      "container name")
        elif containers is not None and co["name"] not in containers:
            probs.add(jp(cp, "name"), "[xref] container %r does not exist in "
                      "the task definition" % (co["name"],))
        if is_int(co.get("memoryReservation")) and is_int(co.get("memory")) \
                and co["memoryReservation"] > co["memory"]:
            probs.add(jp(cp, "memoryReservation"), "[ecs] exceeds memory")
        for j, e in dicts(co.get("environment")):
            if "name" not in e:
                probs.add(jp(cp, "environment", j, "name"), "[ecs] "
                          "environment variable name is required")
        for j, rr in dicts(co.get("resourceRequirements")):
            probs.add(jp(cp, "resourceRequirements", j), "[fargate] resource "
                      "requirements are not supported on Fargate")
    if ov:
        size = len(json.dumps(ov, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8"))
        if size > INPUT_MAX:
            probs.add("overrides", "[ecs] overrides are %d characters of JSON; "
                      "RunTask allows %d" % (size, INPUT_MAX))
    check_role(ov.get("taskRoleArn"), "overrides.taskRoleArn", probs,
               "taskRoleArn")
    check_role(ov.get("executionRoleArn"), "overrides.executionRoleArn",
               probs, "executionRoleArn")


# ---------------------------------------------------------------------------
# Application Auto Scaling
# ---------------------------------------------------------------------------

ECS_RESOURCE_RE = re.compile(r"^service/([A-Za-z0-9_-]{1,255})/"
                             r"([A-Za-z0-9_-]{1,255})$")
ALB_LABEL_RE = re.compile(r"^app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/targetgroup/"
                          r"[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$")


def check_autoscaling(doc, probs, services=None):
    for key in doc:
        if key not in ("scalableTarget", "scalingPolicies"):
            probs.add(key, "unknown key; expected only scalableTarget and "
                      "scalingPolicies")
    st = doc.get("scalableTarget")
    if not isinstance(st, dict):
        probs.add("scalableTarget", "required object (RegisterScalableTarget "
                  "input) is missing or not an object")
        st = None
    else:
        api_check(st, "application-autoscaling", "RegisterScalableTarget",
                  probs, "scalableTarget")
    pols = doc.get("scalingPolicies", [])
    if not isinstance(pols, list):
        probs.add("scalingPolicies", "must be a list of PutScalingPolicy "
                  "inputs")
        pols = []
    for i, p in enumerate(pols):
        pp = jp("scalingPolicies", i)
        if not isinstance(p, dict):
            probs.add(pp, "must be an object (PutScalingPolicy input)")
            continue
        api_check(p, "application-autoscaling", "PutScalingPolicy", probs, pp)
    try:
        _autoscaling_rules(st, pols, probs, services)
    except Exception as e:
        probs.add("$", "internal validator error: %r" % (e,))


def _autoscaling_rules(st, pols, probs, services):
    ident = None
    if st is not None:
        sp = "scalableTarget"
        if st.get("ServiceNamespace") not in (None, "ecs"):
            probs.add(jp(sp, "ServiceNamespace"), "[aas] must be \"ecs\"")
        if st.get("ScalableDimension") not in (None,
                                               "ecs:service:DesiredCount"):
            probs.add(jp(sp, "ScalableDimension"), "[aas] must be "
                      "\"ecs:service:DesiredCount\"")
        rid = st.get("ResourceId")
        if is_str(rid) and not ECS_RESOURCE_RE.match(rid):
            probs.add(jp(sp, "ResourceId"), "[aas] %r is not "
                      "service/<cluster>/<service>" % rid)
        for key in ("MinCapacity", "MaxCapacity"):
            if key not in st:
                probs.add(jp(sp, key), "[aas] %s is required when registering "
                          "a new scalable target" % key)
            elif is_int(st[key]) and st[key] < 0:
                probs.add(jp(sp, key), "[aas] must be >= 0")
        if is_int(st.get("MinCapacity")) and is_int(st.get("MaxCapacity")) \
                and st["MinCapacity"] > st["MaxCapacity"]:
            probs.add(jp(sp, "MinCapacity"), "[aas] MinCapacity (%d) exceeds "
                      "MaxCapacity (%d)" % (st["MinCapacity"],
                                            st["MaxCapacity"]))
        check_role(st.get("RoleARN"), jp(sp, "RoleARN"), probs, "RoleARN")
        ident = (st.get("ServiceNamespace"), st.get("ResourceId"),
                 st.get("ScalableDimension"))
        m = ECS_RESOURCE_RE.match(rid) if is_str(rid) else None
        if m and services is not None:
            cluster, sname = m.groups()
            svc = services.get(sname)
            if svc is None:
                probs.add(jp(sp, "ResourceId"), "[xref] no services/*.json "
                          "has serviceName %r" % sname)
            else:
                scl = svc.get("cluster")
                if is_str(scl) and scl.split("/")[-1] != cluster:
                    probs.add(jp(sp, "ResourceId"), "[xref] cluster %r "
                              "differs from the service's cluster %r"
                              % (cluster, scl))

    names = set()
    for i, p in dicts(pols):
        pp = jp("scalingPolicies", i)
        if ident is not None:
            for key, val in zip(("ServiceNamespace", "ResourceId",
                                 "ScalableDimension"), ident):
                if key in p and p.get(key) != val:
                    probs.add(jp(pp, key), "[aas] %r differs from the "
                              "scalable target's %r" % (p.get(key), val))
        n = p.get("PolicyName")
        if is_str(n):
            if n in names:
                probs.add(jp(pp, "PolicyName"), "[aas] duplicate policy name "
                          "%r" % n)
            names.add(n)
        ptype = p.get("PolicyType", "StepScaling")
        tt = p.get("TargetTrackingScalingPolicyConfiguration")
        ss = p.get("StepScalingPolicyConfiguration")
        if ptype == "TargetTrackingScaling":
            if tt is None:
                probs.add(jp(pp, "TargetTrackingScalingPolicyConfiguration"),
                          "[aas] required for PolicyType "
                          "TargetTrackingScaling")
            if ss is not None:
                probs.add(jp(pp, "StepScalingPolicyConfiguration"), "[aas] "
                          "not allowed with PolicyType TargetTrackingScaling")
        elif ptype == "StepScaling":
            if ss is None:
                probs.add(jp(pp, "StepScalingPolicyConfiguration"), "[aas] "
                          "required for PolicyType StepScaling")
            if tt is not None:
                probs.add(jp(pp, "TargetTrackingScalingPolicyConfiguration"),
                          "[aas] not allowed with PolicyType StepScaling "
                          "(set PolicyType TargetTrackingScaling)")
        if isinstance(tt, dict):
            tp = jp(pp, "TargetTrackingScalingPolicyConfiguration")
            pre = tt.get("PredefinedMetricSpecification")
            cust = tt.get("CustomizedMetricSpecification")
            if (pre is None) == (cust is None):
                probs.add(tp, "[aas] exactly one of "
                          "PredefinedMetricSpecification and "
                          "CustomizedMetricSpecification is required")
            tv = tt.get("TargetValue")
            if isinstance(tv, (int, float)) and not isinstance(tv, bool):
                if tv <= 0:
                    probs.add(jp(tp, "TargetValue"), "[aas] must be > 0")
            if isinstance(pre, dict):
                mt = pre.get("PredefinedMetricType")
                if is_str(mt) and mt not in (
                        "ECSServiceAverageCPUUtilization",
                        "ECSServiceAverageMemoryUtilization",
                        "ALBRequestCountPerTarget"):
                    probs.add(jp(tp, "PredefinedMetricSpecification",
                                 "PredefinedMetricType"),
                              "[aas] %r is not a metric for ECS services"
                              % mt)
                if mt and str(mt).endswith("Utilization") and \
                        isinstance(tv, (int, float)) and tv > 100:
                    probs.add(jp(tp, "TargetValue"), "[aas] a utilization "
                              "target above 100 percent can never be reached")
                rl = pre.get("ResourceLabel")
                if mt == "ALBRequestCountPerTarget":
                    if rl is None:
                        probs.add(jp(tp, "PredefinedMetricSpecification",
                                     "ResourceLabel"),
                                  "[aas] required for ALBRequestCountPerTarget")
                    elif is_str(rl) and not ALB_LABEL_RE.match(rl):
                        probs.add(jp(tp, "PredefinedMetricSpecification",
                                     "ResourceLabel"),
                                  "[aas] %r is not app/<lb>/<id>/targetgroup/"
                                  "<tg>/<id>" % rl)
                elif rl is not None:
                    probs.add(jp(tp, "PredefinedMetricSpecification",
                                 "ResourceLabel"),
                              "[aas] only used with ALBRequestCountPerTarget")
            for key in ("ScaleInCooldown", "ScaleOutCooldown"):
                if is_int(tt.get(key)) and tt[key] < 0:
                    probs.add(jp(tp, key), "[aas] must be >= 0")
        if isinstance(ss, dict):
            if not as_list(ss.get("StepAdjustments")):
                probs.add(jp(pp, "StepScalingPolicyConfiguration",
                             "StepAdjustments"), "[aas] at least one step "
                          "adjustment is required")


# ---------------------------------------------------------------------------
# ecs-deploy wrapper
# ---------------------------------------------------------------------------

ECS_DEPLOY_ALWAYS = ("family", "volumes", "containerDefinitions",
                     "placementConstraints")


def check_ecs_deploy(doc, probs):
    for key in doc:
        if key != "taskDefinition":
            probs.add(key, "ignored by ecs-deploy (it reads only "
                      ".taskDefinition)")
    td = doc.get("taskDefinition")
    if not isinstance(td, dict):
        probs.add("taskDefinition", "ecs-deploy needs the "
                  "{\"taskDefinition\": {...}} wrapper (jq '.taskDefinition')")
        return
    check_task_definition(td, probs, "taskDefinition")
    # ecs-deploy projects these unconditionally; an absent key becomes null,
    # which register-task-definition rejects (sil-org/ecs-deploy#131).
    for key in ECS_DEPLOY_ALWAYS:
        if key not in td:
            probs.add(jp("taskDefinition", key), "ecs-deploy projects %s "
                      "unconditionally; absent becomes null and the CLI "
                      "rejects it (emit %s)" % (key, "[]" if key != "family"
                                                else "it"))


# ---------------------------------------------------------------------------
# EventBridge schedule expressions (strict documented grammar)
# ---------------------------------------------------------------------------

MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
               "OCT", "NOV", "DEC"]
DOW_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
CRON_FIELDS = [
    ("minutes", 0, 59, None),
    ("hours", 0, 23, None),
    ("day-of-month", 1, 31, None),
    ("month", 1, 12, MONTH_NAMES),
    ("day-of-week", 1, 7, DOW_NAMES),
    ("year", 1970, 2199, None),
]
RATE_RE = re.compile(r"^rate\(([0-9]+) (minute|minutes|hour|hours|day|days)\)$")


def _cron_value(tok, fname, lo, hi, names):
    if re.fullmatch(r"[0-9]+", tok):
        v = int(tok)
        if not lo <= v <= hi:
            raise ValueError("%s value %d out of range %d-%d"
                             % (fname, v, lo, hi))
        return v
    if names and tok.upper() in names:
        return names.index(tok.upper()) + lo
    raise ValueError("%s: %r is not a valid value" % (fname, tok))


def _cron_list(text, fname, lo, hi, names, allow_step=True):
    if text == "":
        raise ValueError("%s is empty" % fname)
    for item in text.split(","):
        if item == "":
            raise ValueError("%s has an empty list item" % fname)
        base, sep, step = item.partition("/")
        if sep:
            if not allow_step:
                raise ValueError("%s does not allow '/' (documented "
                                 "wildcards: , - * ? L #)" % fname)
            if not re.fullmatch(r"[0-9]+", step):
                raise ValueError("%s: bad step %r" % (fname, step))
            s = int(step)
            if not 1 <= s <= hi - lo:
                raise ValueError("%s: step %d outside 1-%d" % (fname, s,
                                                               hi - lo))
        if base == "*":
            continue
        if any(ch in base for ch in "?LW#"):
            raise ValueError("%s: %r not allowed inside a list, range or "
                             "step" % (fname, item))
        a, dash, b = base.partition("-")
        va = _cron_value(a, fname, lo, hi, names)
        if dash:
            vb = _cron_value(b, fname, lo, hi, names)
            if va > vb:
                raise ValueError("%s: reversed range %s (wrap-around ranges "
                                 "are not supported)" % (fname, base))


def validate_schedule(expr):
    """Return a list of messages ([] = valid EventBridge expression)."""
    if not is_str(expr):
        return ["schedule expression must be a string"]
    if expr.startswith("rate("):
        m = RATE_RE.match(expr)
        if not m:
            return ["%r is not rate(<positive integer> <minute(s)|hour(s)|"
                    "day(s)>)" % expr]
        n, unit = int(m.group(1)), m.group(2)
        if n < 1 or m.group(1).startswith("0"):
            return ["rate value must be a positive integer without leading "
                    "zeros"]
        if (n == 1) != (not unit.endswith("s")):
            return ["rate unit must be singular iff the value is 1: %r" % expr]
        return []
    m = re.fullmatch(r"cron\((.*)\)", expr, re.S)
    if not m:
        return ["%r is neither cron(...) nor rate(...)" % expr]
    body = m.group(1)
    if body != body.strip():
        return ["leading/trailing space inside cron(...) (ecschedule rejects "
                "it)"]
    fields = body.split(" ")
    if any(f == "" for f in fields) or re.search(r"\s", body.replace(" ", "")):
        return ["cron fields must be separated by single spaces"]
    if len(fields) != 6:
        return ["cron needs 6 fields (minutes hours day-of-month month "
                "day-of-week year), got %d" % len(fields)]
    errs = []
    for (fname, lo, hi, names), text in zip(CRON_FIELDS, fields):
        try:
            if fname == "day-of-month":
                if text in ("?", "L", "LW") or re.fullmatch(r"[0-9]+W", text):
                    if text.endswith("W") and text != "LW":
                        _cron_value(text[:-1], fname, lo, hi, None)
                    continue
                if re.fullmatch(r"L-[0-9]+", text):
                    raise ValueError("day-of-month 'L-n' is not in the "
                                     "documented grammar")
                _cron_list(text, fname, lo, hi, names)
            elif fname == "day-of-week":
                if text in ("?", "L"):
                    continue
                if "#" in text:
                    if "," in text:
                        raise ValueError("day-of-week with '#' may hold only "
                                         "one expression")
                    d, _, k = text.partition("#")
                    _cron_value(d, fname, lo, hi, names)
                    if not re.fullmatch(r"[1-5]", k):
                        raise ValueError("day-of-week '#' instance must be "
                                         "1-5, got %r" % k)
                    continue
                if text.endswith("L") and "," not in text and "-" not in text:
                    _cron_value(text[:-1], fname, lo, hi, names)
                    continue
                _cron_list(text, fname, lo, hi, names, allow_step=False)
            else:
                if "?" in text:
                    raise ValueError("'?' is only allowed in day-of-month or "
                                     "day-of-week")
                _cron_list(text, fname, lo, hi, names)
        except ValueError as e:
            errs.append(str(e))
    dom, dow = fields[2], fields[4]
    if (dom == "?") == (dow == "?"):
        errs.append("exactly one of day-of-month and day-of-week must be '?' "
                    "(got %r and %r)" % (dom, dow))
    return errs


# ---------------------------------------------------------------------------
# ecschedule.yaml
# ---------------------------------------------------------------------------

ESCAPE_FORM = '{{`{{"{{"}}`}}'
RULE_NAME_RE = re.compile(r"^[.\-_A-Za-z0-9]{1,64}$")
YAML12_INT_RE = re.compile(r"^(?:0|[1-9][0-9]*)$")
YAML12_BOOL = {"true": True, "True": True, "TRUE": True,
               "false": False, "False": False, "FALSE": False}
YAML_NULLS = ("", "~", "null", "Null", "NULL")

# type language: "str", "int", "bool", ("list", T), ("map", T),
# ("obj", {key: T}, required_keys)
T_STR, T_INT, T_BOOL = "str", "int", "bool"

CONTAINER_OVERRIDE = ("obj", {
    "name": T_STR, "command": ("list", T_STR), "environment": ("map", T_STR),
    "cpu": T_INT, "memory": T_INT, "memoryReservation": T_INT,
}, ("name",))

RULE = ("obj", {
    "name": T_STR, "description": T_STR, "scheduleExpression": T_STR,
    "disabled": T_BOOL, "targetId": T_STR, "taskDefinition": T_STR,
    "taskCount": T_INT,
    "taskOverride": ("obj", {"cpu": T_STR, "memory": T_STR}, ()),
    "containerOverrides": ("list", CONTAINER_OVERRIDE),
    "role": T_STR, "group": T_STR,
    "capacityProviderStrategy": ("list", ("obj", {
        "capacityProvider": T_STR, "base": T_INT, "weight": T_INT,
    }, ("capacityProvider",))),
    "launch_type": T_STR, "platform_version": T_STR,
    "network_configuration": ("obj", {
        "aws_vpc_configuration": ("obj", {
            "subnets": ("list", T_STR), "security_groups": ("list", T_STR),
            "assign_public_ip": T_STR,
        }, ("subnets",)),
    }, ("aws_vpc_configuration",)),
    "dead_letter_config": ("obj", {"sqs": T_STR}, ("sqs",)),
    "propagateTags": T_STR,
    "region": T_STR, "cluster": T_STR, "trackingId": T_STR,
}, ("name", "scheduleExpression", "taskDefinition"))

PLUGIN = ("obj", {
    "name": T_STR, "config": ("obj", {"path": T_STR, "url": T_STR}, ()),
    "func_prefix": T_STR,
}, ("name",))

ECSCHEDULE = ("obj", {
    "region": T_STR, "cluster": T_STR, "role": T_STR, "trackingId": T_STR,
    "rules": ("list", RULE), "plugins": ("list", PLUGIN),
}, ("region", "cluster", "rules"))

# Known keys in other spellings -> hint
KEY_HINTS = {
    "launchType": "launch_type", "platformVersion": "platform_version",
    "networkConfiguration": "network_configuration",
    "awsvpcConfiguration": "aws_vpc_configuration",
    "awsVpcConfiguration": "aws_vpc_configuration",
    "securityGroups": "security_groups", "assignPublicIp": "assign_public_ip",
    "deadLetterConfig": "dead_letter_config", "schedule_expression":
    "scheduleExpression", "task_definition": "taskDefinition",
    "task_count": "taskCount", "container_overrides": "containerOverrides",
    "funcPrefix": "func_prefix", "tracking_id": "trackingId",
}


def _scalar_desc(node):
    return "%s scalar %r" % ({None: "plain", "": "plain", "'": "single-quoted",
                              '"': "double-quoted", "|": "literal",
                              ">": "folded"}.get(node.style, "?"), node.value)


class YamlDoc:
    """Typed view of a composed YAML node tree (values as Python objects,
    problems collected while walking)."""

    def __init__(self, probs):
        self.probs = probs

    def check(self, node, typ, path):
        """Check node against typ; return the plain Python value (None when
        unusable)."""
        import yaml as _y
        probs = self.probs
        if typ in (T_STR, T_INT, T_BOOL):
            if not isinstance(node, _y.ScalarNode):
                probs.add(path, "expected a %s scalar, got a %s"
                          % ({"str": "string", "int": "integer",
                              "bool": "boolean"}[typ],
                             "list" if isinstance(node, _y.SequenceNode)
                             else "mapping"))
                return None
            plain = node.style in (None, "")
            if typ == T_STR:
                if plain and node.value in YAML_NULLS:
                    probs.add(path, "null/empty value (ecschedule reads it "
                              "as \"\"); write a quoted string")
                    return None
                if plain:
                    probs.add(path, "string value %r is not quoted (YAML 1.2 "
                              "may coerce plain scalars; quote every string)"
                              % node.value)
                elif node.style == '"' and "{{" in node.value:
                    probs.add(path, "double-quoted scalar containing '{{' "
                              "breaks ecschedule's second template pass; use "
                              "single quotes")
                return node.value
            if typ == T_INT:
                if not plain:
                    probs.add(path, "expected an integer, got %s (goccy "
                              "coerces it silently; write a plain integer)"
                              % _scalar_desc(node))
                    return None
                if not YAML12_INT_RE.match(node.value):
                    probs.add(path, "%r is not a plain non-negative decimal "
                              "integer" % node.value)
                    return None
                v = int(node.value)
                if v > 2 ** 31 - 1:
                    probs.add(path, "%d overflows int32" % v)
                    return None
                return v
            if typ == T_BOOL:
                if not plain or node.value not in YAML12_BOOL:
                    probs.add(path, "expected a YAML boolean (true/false), "
                              "got %s (a load error in ecschedule)"
                              % _scalar_desc(node))
                    return None
                return YAML12_BOOL[node.value]
        kind = typ[0]
        if isinstance(node, _y.ScalarNode) and node.style in (None, "") \
                and node.value in YAML_NULLS:
            return None  # null list/map = absent
        if kind == "list":
            if not isinstance(node, _y.SequenceNode):
                probs.add(path, "expected a list, got %s"
                          % (_scalar_desc(node)
                             if isinstance(node, _y.ScalarNode)
                             else "a mapping"))
                return None
            return [self.check(item, typ[1], jp(path, i))
                    for i, item in enumerate(node.value)]
        # map / obj
        if not isinstance(node, _y.MappingNode):
            probs.add(path, "expected a mapping, got %s"
                      % (_scalar_desc(node) if isinstance(node, _y.ScalarNode)
                         else "a list"))
            return None
        out = {}
        seen = {}
        for knode, vnode in node.value:
            if not isinstance(knode, _y.ScalarNode):
                probs.add(path, "mapping key must be a scalar")
                continue
            key = knode.value
            kpath = jp(path, key)
            if key == "<<" and knode.style in (None, ""):
                probs.add(kpath, "merge keys are not supported here (goccy "
                          "rejects a key repeating a merged one); write "
                          "plain mappings")
                continue
            if key in seen:
                probs.add(kpath, "duplicate key %r (goccy: mapping key "
                          "already defined; line %d)"
                          % (key, seen[key] + 1))
                continue
            seen[key] = knode.start_mark.line
            if kind == "map":
                if knode.style in (None, "") and (
                        key in YAML_NULLS or key in YAML12_BOOL
                        or re.fullmatch(r"[-+]?[0-9][0-9_.eExXoObB]*", key)):
                    probs.add(kpath, "key %r would be read as a non-string; "
                              "quote it" % key)
                out[key] = self.check(vnode, typ[1], kpath)
                continue
            fields = typ[1]
            if key not in fields:
                hint = KEY_HINTS.get(key)
                probs.add(kpath, "unknown key %r (silently ignored by "
                          "ecschedule)%s" % (key, "; did you mean %r?" % hint
                                             if hint else ""))
                continue
            out[key] = self.check(vnode, fields[key], kpath)
        if kind == "obj":
            for req in typ[2]:
                if req not in seen:
                    probs.add(jp(path, req), "required key is missing")
        return out


def _find_raw_braces(text):
    """Offsets of '{{' not part of the documented escape form."""
    bad = []
    i = 0
    while True:
        j = text.find("{{", i)
        if j < 0:
            return bad
        if text.startswith(ESCAPE_FORM, j):
            i = j + len(ESCAPE_FORM)
            continue
        bad.append(j)
        i = j + 2


def check_ecschedule_text(text, probs, taskdefs=None):
    if yaml is None:
        probs.add("$", "PyYAML missing (apt-get install -y python3-yaml)")
        return
    for off in _find_raw_braces(text):
        line = text.count("\n", 0, off) + 1
        probs.add("$", "line %d: unescaped '{{' (ecschedule runs Go templates "
                  "over the raw text; write %s inside a single-quoted scalar)"
                  % (line, ESCAPE_FORM))
    try:
        docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as e:
        probs.add("$", "YAML parse error: %s" % str(e).replace("\n", " "))
        return
    docs = [d for d in docs if d is not None]
    if not docs:
        probs.add("$", "empty document")
        return
    if len(docs) > 1:
        probs.add("$", "%d YAML documents; ecschedule reads only the first"
                  % len(docs))
    conf = YamlDoc(probs).check(docs[0], ECSCHEDULE, "")
    if conf is None:
        return
    try:
        _ecschedule_rules(conf, probs, taskdefs)
    except Exception as e:
        probs.add("$", "internal validator error: %r" % (e,))


def _ecschedule_rules(conf, probs, taskdefs):
    region = conf.get("region")
    if is_str(region) and not REGION_RE.match(region):
        probs.add("region", "%r is not an AWS region" % region)
    cluster = conf.get("cluster")
    if is_str(cluster):
        if cluster.startswith("arn:"):
            probs.add("cluster", "non-canonical: use the cluster name, not an "
                      "ARN (ecschedule diff never matches the remote rule)")
        elif not NAME255_RE.match(cluster):
            probs.add("cluster", "%r is not a cluster name" % cluster)
    _check_events_role(conf.get("role"), "role", probs)
    for i, p in enumerate(as_list(conf.get("plugins"))):
        if not isinstance(p, dict):
            continue
        pp = jp("plugins", i)
        n = p.get("name")
        if is_str(n) and n.lower() not in ("tfstate", "ssm"):
            probs.add(jp(pp, "name"), "plugin %r is not available (tfstate, "
                      "ssm)" % n)
        cfg = as_dict(p.get("config"))
        if is_str(n) and n.lower() == "tfstate" and \
                ("path" in cfg) == ("url" in cfg):
            probs.add(jp(pp, "config"), "tfstate needs exactly one of path "
                      "and url")

    names = {}
    for i, r in enumerate(as_list(conf.get("rules"))):
        if not isinstance(r, dict):
            continue
        rp = jp("rules", i)
        name = r.get("name")
        if is_str(name):
            if not RULE_NAME_RE.match(name):
                probs.add(jp(rp, "name"), "rule name %r must be 1-64 of "
                          "[.-_A-Za-z0-9]" % name)
            if name in names:
                probs.add(jp(rp, "name"), "duplicate rule name %r (also %s)"
                          % (name, names[name]))
            names[name] = rp
        tid = r.get("targetId", name)
        if is_str(tid):
            if not RULE_NAME_RE.match(tid):
                probs.add(jp(rp, "targetId"), "target id %r must be 1-64 of "
                          "[.-_A-Za-z0-9]" % tid)
            if "targetId" in r and r["targetId"] == name:
                probs.add(jp(rp, "targetId"), "non-canonical: targetId equal "
                          "to the rule name should be omitted")
        desc = r.get("description")
        if is_str(desc) and len(desc) > 512:
            probs.add(jp(rp, "description"), "description is %d characters, "
                      "EventBridge allows 512" % len(desc))
        se = r.get("scheduleExpression")
        if is_str(se):
            for msg in validate_schedule(se):
                probs.add(jp(rp, "scheduleExpression"), msg)
        tc = r.get("taskCount")
        if "taskCount" in r and is_int(tc):
            if tc < 1:
                probs.add(jp(rp, "taskCount"), "taskCount must be >= 1 "
                          "(ecschedule sends values < 1 as 1)")
            elif tc == 1:
                probs.add(jp(rp, "taskCount"), "non-canonical: omit taskCount "
                          "1 (ecschedule diff shows a change on every apply)")
            elif tc > 10:
                probs.add(jp(rp, "taskCount"), "taskCount must be <= 10 "
                          "(RunTask limit)")
        tdref = r.get("taskDefinition")
        td = None
        if is_str(tdref):
            if tdref.startswith("arn:"):
                probs.add(jp(rp, "taskDefinition"), "non-canonical: use the "
                          "family or family:revision, not an ARN")
            fam = td_family_of(tdref)
            if fam is None:
                probs.add(jp(rp, "taskDefinition"), "%r is not a family or "
                          "family:revision" % tdref)
            elif taskdefs is not None:
                td = taskdefs.get(fam)
                if td is None:
                    probs.add(jp(rp, "taskDefinition"), "[xref] task "
                              "definition family %r has no "
                              "task-definitions/%s.json" % (fam, fam))
        _check_events_role(r.get("role"), jp(rp, "role"), probs)
        for key in ("region", "cluster", "trackingId"):
            if key in r:
                probs.add(jp(rp, key), "per-rule %s is ignored by ecschedule "
                          "diff and -prune; set it at top level" % key)
        lt = r.get("launch_type")
        cps = r.get("capacityProviderStrategy")
        if "launch_type" in r and "capacityProviderStrategy" in r:
            probs.add(jp(rp, "capacityProviderStrategy"), "launch_type and "
                      "capacityProviderStrategy must not both be set")
        if lt is not None and lt not in ("EC2", "FARGATE", "EXTERNAL"):
            probs.add(jp(rp, "launch_type"), "%r is not EC2, FARGATE or "
                      "EXTERNAL" % lt)
        fargate = lt == "FARGATE" or any(
            isinstance(x, dict) and str(x.get("capacityProvider", ""))
            .startswith("FARGATE") for x in as_list(cps)) or (
            td is not None and "FARGATE" in as_list(
                td.get("requiresCompatibilities")))
        if isinstance(cps, list):
            if len(cps) > 6:
                probs.add(jp(rp, "capacityProviderStrategy"), "at most 6 "
                          "capacity providers")
            bases = 0
            for j, x in enumerate(cps):
                if not isinstance(x, dict):
                    continue
                xp = jp(rp, "capacityProviderStrategy", j)
                if is_int(x.get("base")):
                    if x["base"] > 100000:
                        probs.add(jp(xp, "base"), "base must be 0-100000")
                    bases += x["base"] > 0
                if is_int(x.get("weight")) and x["weight"] > 1000:
                    probs.add(jp(xp, "weight"), "weight must be 0-1000")
            if bases > 1:
                probs.add(jp(rp, "capacityProviderStrategy"), "only one "
                          "capacity provider can have a base")
            if cps and not any(isinstance(x, dict) and is_int(x.get("weight"))
                               and x["weight"] > 0 for x in cps):
                probs.add(jp(rp, "capacityProviderStrategy"), "at least one "
                          "capacity provider needs a weight > 0")
        pv = r.get("platform_version")
        if pv is not None:
            if is_str(pv) and not PLATFORM_VERSION_RE.match(pv):
                probs.add(jp(rp, "platform_version"), "%r is not LATEST or "
                          "x.y.z" % pv)
            if lt in ("EC2", "EXTERNAL"):
                probs.add(jp(rp, "platform_version"), "platform_version is "
                          "only for Fargate")
        nc = r.get("network_configuration")
        avc = as_dict(as_dict(nc).get("aws_vpc_configuration"))
        if fargate and not avc:
            probs.add(jp(rp, "network_configuration"), "Fargate (awsvpc) "
                      "tasks need network_configuration.aws_vpc_configuration"
                      ".subnets")
        if avc:
            np_ = jp(rp, "network_configuration", "aws_vpc_configuration")
            subnets = as_list(avc.get("subnets"))
            if "subnets" in avc and not subnets:
                probs.add(jp(np_, "subnets"), "at least one subnet is "
                          "required")
            if len(subnets) > 16:
                probs.add(jp(np_, "subnets"), "at most 16 subnets")
            for j, s in enumerate(subnets):
                if is_str(s) and not SUBNET_RE.match(s):
                    probs.add(jp(np_, "subnets", j), "%r is not a subnet id"
                              % s)
            sgs = as_list(avc.get("security_groups"))
            if len(sgs) > 5:
                probs.add(jp(np_, "security_groups"), "at most 5 security "
                          "groups")
            for j, s in enumerate(sgs):
                if is_str(s) and not SG_RE.match(s):
                    probs.add(jp(np_, "security_groups", j), "%r is not a "
                              "security group id" % s)
            api = avc.get("assign_public_ip")
            if api is not None and api not in ("ENABLED", "DISABLED"):
                probs.add(jp(np_, "assign_public_ip"), "must be ENABLED or "
                          "DISABLED")
            if api == "ENABLED" and lt is not None and lt != "FARGATE":
                probs.add(jp(np_, "assign_public_ip"), "ENABLED is only "
                          "valid with FARGATE")
        dlq = as_dict(r.get("dead_letter_config")).get("sqs")
        if is_str(dlq) and not dlq.startswith("arn:"):
            probs.add(jp(rp, "dead_letter_config", "sqs"), "non-canonical: "
                      "give the DLQ as a full SQS ARN (diff does not expand "
                      "queue names)")
        pt = r.get("propagateTags")
        if pt is not None and pt != "TASK_DEFINITION":
            probs.add(jp(rp, "propagateTags"), "only TASK_DEFINITION is valid "
                      "for EventBridge targets")
        to = as_dict(r.get("taskOverride"))
        ocpu = omem = None
        if is_str(to.get("cpu")):
            ocpu = parse_task_cpu(to["cpu"])
            if ocpu is None:
                probs.add(jp(rp, "taskOverride", "cpu"), "%r is not CPU units"
                          % to["cpu"])
        if is_str(to.get("memory")):
            omem = parse_task_memory(to["memory"])
            if omem is None:
                probs.add(jp(rp, "taskOverride", "memory"), "%r is not MiB"
                          % to["memory"])
        if fargate and (ocpu is not None or omem is not None):
            cpu = ocpu if ocpu is not None else (
                parse_task_cpu(td.get("cpu")) if td else None)
            mem = omem if omem is not None else (
                parse_task_memory(td.get("memory")) if td else None)
            if cpu is not None and mem is not None:
                check_fargate_size(cpu, mem, jp(rp, "taskOverride"), probs)
        containers = _td_containers(td) if td is not None else None
        seen_co = set()
        for j, co in enumerate(as_list(r.get("containerOverrides"))):
            if not isinstance(co, dict):
                continue
            cp = jp(rp, "containerOverrides", j)
            cn = co.get("name")
            if is_str(cn):
                if cn in seen_co:
                    probs.add(jp(cp, "name"), "duplicate override for "
                              "container %r" % cn)
                seen_co.add(cn)
                if containers is not None and cn not in containers:
                    probs.add(jp(cp, "name"), "[xref] container %r does not "
                              "exist in task definition %r" % (cn, tdref))
            if is_int(co.get("memoryReservation")) and \
                    is_int(co.get("memory")) and \
                    co["memoryReservation"] > co["memory"]:
                probs.add(jp(cp, "memoryReservation"), "exceeds memory")
            for k in as_dict(co.get("environment")):
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
                    probs.add(jp(cp, "environment", k), "%r is not a valid "
                              "environment variable name" % k)
        size = len(eventbridge_input(r).encode("utf-8"))
        if size > INPUT_MAX:
            probs.add(jp(rp, "containerOverrides"), "[eventbridge] the target "
                      "Input ecschedule builds from the overrides is %d bytes; "
                      "EventBridge allows %d" % (size, INPUT_MAX))


# EventBridge's TargetInput and RunTask's overrides: at most 8192
# (research-fidelity.md section 11; anchors.md 3.3).
INPUT_MAX = 8192


def go_json_string(s):
    """A string of ecschedule.yaml as Go's encoding/json writes it after
    ecschedule's template passes (the `{{` escape form is `{{` again):
    json.Marshal with HTML escaping
    of < > &, U+2028/U+2029 escaped, \\b \\f short forms as in Go 1.22+)."""
    short = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r",
             "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    out = ['"']
    for ch in s.replace(ESCAPE_FORM, "{{"):  # what ecschedule's templates leave
        c = ord(ch)
        if ch in short:
            out.append(short[ch])
        elif c < 0x20 or ch in "<>&" or c in (0x2028, 0x2029):
            out.append("\\u%04x" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def eventbridge_input(rule):
    """The target Input ecschedule sends for a rule (rule.go: taskOverrideJSON
    and containerOverrideJSON marshalled by Go), as text."""
    to = as_dict(rule.get("taskOverride"))
    parts = ['"%s":%s' % (k, go_json_string(str(to[k])))
             for k in ("cpu", "memory") if k in to]
    items = []
    for co in as_list(rule.get("containerOverrides")):
        co = as_dict(co)
        f = ['"name":' + go_json_string(str(co.get("name", "")))]
        if as_list(co.get("command")):
            f.append('"command":[%s]' % ",".join(go_json_string(str(c))
                                                 for c in co["command"]))
        env = as_dict(co.get("environment"))
        if env:
            f.append('"environment":[%s]' % ",".join(
                '{"name":%s,"value":%s}' % (go_json_string(str(k)),
                                            go_json_string(str(v)))
                for k, v in env.items()))
        for k in ("cpu", "memory", "memoryReservation"):
            if is_int(co.get(k)):
                f.append('"%s":%d' % (k, co[k]))
        items.append("{%s}" % ",".join(f))
    parts.append('"containerOverrides":%s' % ("[%s]" % ",".join(items)
                                             if items else "null"))
    return "{%s}" % ",".join(parts)


def _check_events_role(role, path, probs):
    if not is_str(role):
        return
    if role.startswith("arn:"):
        probs.add(path, "non-canonical: use the role name, not an ARN "
                  "(ecschedule diff strips the ARN prefix)")
    elif not ROLE_NAME_RE.match(role):
        probs.add(path, "%r is not an IAM role name" % role)


# ---------------------------------------------------------------------------
# directory driver
# ---------------------------------------------------------------------------

def validate_outdir(outdir):
    """Return (files_checked, [(relpath, fieldpath, message), ...])."""
    results = []
    nfiles = 0

    def rel(p):
        return os.path.relpath(p, outdir)

    def files(pattern):
        return sorted(glob.glob(os.path.join(outdir, pattern)))

    # task definitions first: later files cross-reference them
    taskdefs = None
    td_owner = {}
    td_files = files("task-definitions/*.json")
    if os.path.isdir(os.path.join(outdir, "task-definitions")):
        taskdefs = {}
    for path in td_files:
        nfiles += 1
        probs = Problems()
        doc = load_json(path, probs)
        if doc is not None:
            check_task_definition(doc, probs)
            fam = doc.get("family")
            stem = os.path.splitext(os.path.basename(path))[0]
            if is_str(fam):
                if fam != stem and not shortened_name_of(stem, fam):
                    probs.add("family", "[xref] file should be named "
                              "task-definitions/%s.json" % fam)
                if fam in td_owner:
                    probs.add("family", "[xref] family %r also defined in %s"
                              % (fam, td_owner[fam]))
                else:
                    td_owner[fam] = rel(path)
                    taskdefs[fam] = doc
            # references resolve by family, or by file name as a fallback
            taskdefs.setdefault(stem, doc)
        results += [(rel(path), p, m) for p, m in probs]

    services = None
    if os.path.isdir(os.path.join(outdir, "services")):
        services = {}
    svc_seen = {}
    for path in files("services/*.update.json"):
        nfiles += 1
        probs = Problems()
        doc = load_json(path, probs)
        if doc is not None:
            check_update_service(doc, probs)
        results += [(rel(path), p, m) for p, m in probs]

    for path in files("services/*.json"):
        if path.endswith(".update.json"):
            continue
        nfiles += 1
        probs = Problems()
        doc = load_json(path, probs)
        if doc is not None:
            check_service(doc, probs, taskdefs)
            n = doc.get("serviceName")
            if is_str(n):
                if (n, doc.get("cluster")) in svc_seen:
                    probs.add("serviceName", "[xref] service %r also defined "
                              "in %s" % (n, svc_seen[(n, doc.get("cluster"))]))
                svc_seen[(n, doc.get("cluster"))] = rel(path)
                services.setdefault(n, doc)
        results += [(rel(path), p, m) for p, m in probs]

    for path in files("run-tasks/*.json"):
        nfiles += 1
        probs = Problems()
        doc = load_json(path, probs)
        if doc is not None:
            check_run_task(doc, probs, taskdefs)
        results += [(rel(path), p, m) for p, m in probs]

    for path in files("autoscaling/*.json"):
        nfiles += 1
        probs = Problems()
        doc = load_json(path, probs)
        if doc is not None:
            check_autoscaling(doc, probs, services)
        results += [(rel(path), p, m) for p, m in probs]

    for path in files("ecspresso/*/ecs-task-def.json"):
        nfiles += 1
        probs = Problems()
        doc = load_json(path, probs)
        if doc is not None:
            check_task_definition(doc, probs)
        results += [(rel(path), p, m) for p, m in probs]

    for path in files("ecs-deploy/*.json"):
        nfiles += 1
        probs = Problems()
        doc = load_json(path, probs)
        if doc is not None:
            check_ecs_deploy(doc, probs)
        results += [(rel(path), p, m) for p, m in probs]

    path = os.path.join(outdir, "ecschedule.yaml")
    if os.path.isfile(path):
        nfiles += 1
        probs = Problems()
        try:
            with open(path, "rb") as f:
                text = f.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            probs.add("$", "cannot read file as UTF-8: %s" % e)
        else:
            check_ecschedule_text(text, probs, taskdefs)
        results += [(rel(path), p, m) for p, m in probs]

    return nfiles, results


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="validate_ecs.py",
        description="Validate a kube2ecs output directory (botocore "
                    "ParamValidator + documented ECS/Fargate/ecschedule "
                    "rules).")
    ap.add_argument("outdirs", metavar="OUTDIR", nargs="+",
                    help="one or more output trees (one process for many "
                         "trees: botocore's models load once)")
    ap.add_argument("--expect-invalid", action="store_true",
                    help="invert the exit status: 0 when at least one problem "
                         "is found (negative tests)")
    ap.add_argument("--ecs-model", metavar="FILE",
                    help="validate ECS requests against this API model "
                         "(service-2.json layout, e.g. the aws-sdk npm "
                         "package's apis/ecs-2014-11-13.min.json) instead "
                         "of botocore's own")
    args = ap.parse_args(argv)
    global _ECS_MODEL_PATH
    _ECS_MODEL_PATH = args.ecs_model
    _MODELS.pop("ecs", None)
    if args.ecs_model and not os.path.isfile(args.ecs_model):
        print("validate_ecs: %s: no such model file" % args.ecs_model,
              file=sys.stderr)
        return 2
    for outdir in args.outdirs:
        if not os.path.isdir(outdir):
            print("validate_ecs: %s: not a directory" % outdir,
                  file=sys.stderr)
            return 2
    if botocore is None:
        print("validate_ecs: botocore is not importable; run with Debian's "
              "/usr/bin/python3 (apt-get install -y python3-botocore)",
              file=sys.stderr)
        return 2
    total, problems = 0, 0
    for outdir in args.outdirs:
        nfiles, results = validate_outdir(outdir)
        prefix = outdir + ": " if len(args.outdirs) > 1 else ""
        for f, p, m in results:
            print("%s%s: %s: %s" % (prefix, f, p, m))
        total += nfiles
        problems += len(results)
    print("validate_ecs: %d files checked, %d problems" % (total, problems))
    bad = problems > 0
    if args.expect_invalid:
        return 0 if bad else 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
