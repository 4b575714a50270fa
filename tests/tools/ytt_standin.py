#!/usr/bin/python3
"""Render a kube2ecs `--layout ytt` tree without ytt (not packaged for
Debian): a small stand-in for exactly the ytt behaviour the layout uses.

Usage:  /usr/bin/python3 tests/tools/ytt_standin.py DIR

DIR is OUTDIR/ytt/<family>/.  What is emulated (ytt's own rules, read in
carvel-dev/ytt: pkg/yttlibrary/overlay/array.go, array_item_match_annotation.go,
pkg/workspace/datavalues, the schema documentation):

  * config.yaml, a `#@data/values-schema` document: declares every data
    value; its type is the default's type; an array's default is empty and
    its one item is the schema of every item (missing keys of an item get
    that item's defaults); an undeclared key or a value of another type is
    an error, as in ytt;
  * every other YAML file whose first line is `#@data/values`, in path
    order: an overlay on the values: maps merge key by key, scalars
    replace, and array items (without @overlay/match) are appended;
  * ecschedule.yaml, the template: `load("ecschedule.star", "ecschedule")`
    and one document whose value is `ecschedule(data.values)`.  The
    Starlark file is executed by Python (it keeps to the common subset) with
    data.values given attribute access, as ytt's struct does.

Prints the rendered configuration as YAML, every string single-quoted (what
kube2ecs's validator asks of ecschedule files).  Exit 1 with a message when
the tree does not follow those rules.
"""

import os
import sys

import yaml


class Problem(Exception):
    pass


def annotation(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                return line if line.startswith("#@") else None
    return None


def check_comments(path):
    """ytt rejects plain '#' comments (only #@ annotations and #! comments)."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            stripped = line.lstrip()
            if stripped.startswith("#") and not stripped.startswith(("#@", "#!")):
                raise Problem("%s:%d: plain '#' comment (ytt: unknown comment syntax)"
                              % (path, n))


def load_doc(path):
    check_comments(path)
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    if len(docs) != 1:
        raise Problem("%s: expected one document, found %d" % (path, len(docs)))
    return docs[0]


def type_name(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "map"
    return type(value).__name__


def default_of(schema):
    if isinstance(schema, dict):
        return {k: default_of(v) for k, v in schema.items()}
    if isinstance(schema, list):
        if len(schema) != 1:
            raise Problem("schema arrays declare exactly one item")
        return []
    return schema


def fill(value, schema, where):
    """A value checked against its schema, with defaults for missing keys."""
    if type_name(value) != type_name(schema):
        raise Problem("%s: %s given, schema declares %s"
                      % (where, type_name(value), type_name(schema)))
    if isinstance(schema, dict):
        for k in value:
            if k not in schema:
                raise Problem("%s.%s: not declared in the schema" % (where, k))
        return {k: fill(value[k], s, "%s.%s" % (where, k)) if k in value
                else default_of(s) for k, s in schema.items()}
    if isinstance(schema, list):
        return [fill(item, schema[0], "%s[%d]" % (where, i))
                for i, item in enumerate(value)]
    return value


def overlay(base, new, schema, where):
    if not isinstance(new, dict):
        raise Problem("%s: data values must be a map" % where)
    for k, v in new.items():
        if k not in schema:
            raise Problem("%s.%s: not declared in the schema" % (where, k))
        s = schema[k]
        path = "%s.%s" % (where, k)
        if isinstance(s, dict) and isinstance(v, dict):
            overlay(base[k], v, s, path)
        elif isinstance(s, list):
            base[k].extend(fill(v, s, path))   # unannotated items append
        else:
            base[k] = fill(v, s, path)


class Struct:
    """data.values: attribute access, like ytt's struct."""

    def __init__(self, values):
        self._values = values

    def __getattr__(self, name):
        try:
            return wrap(self._values[name])
        except KeyError:
            raise AttributeError(name)


def wrap(value):
    if isinstance(value, dict):
        return Struct(value)
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


def render(directory):
    schema_path = os.path.join(directory, "config.yaml")
    if annotation(schema_path) != "#@data/values-schema":
        raise Problem("%s: not a #@data/values-schema document" % schema_path)
    schema = load_doc(schema_path)
    values = default_of(schema)
    files = []
    for root, _, names in os.walk(directory):
        for name in names:
            if name.endswith((".yaml", ".yml")):
                files.append(os.path.relpath(os.path.join(root, name), directory))
    for rel in sorted(files):
        path = os.path.join(directory, rel)
        if annotation(path) == "#@data/values":
            overlay(values, load_doc(path), schema, rel)
    template = os.path.join(directory, "ecschedule.yaml")
    check_comments(template)
    with open(template, encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("#!")]
    expected = ['#@ load("@ytt:data", "data")', '#@ load("ecschedule.star", "ecschedule")',
                "--- #@ ecschedule(data.values)"]
    if lines != expected:
        raise Problem("%s: not the template this stand-in renders: %r" % (template, lines))
    namespace = {}
    with open(os.path.join(directory, "ecschedule.star"), encoding="utf-8") as f:
        exec(compile(f.read(), "ecschedule.star", "exec"), namespace)
    return namespace["ecschedule"](Struct(values))


class Quoted(yaml.SafeDumper):
    pass


Quoted.add_representer(str, lambda d, s: d.represent_scalar(
    "tag:yaml.org,2002:str", s, style="'"))


def _plain_keys(dumper, mapping):
    pairs = [(yaml.ScalarNode("tag:yaml.org,2002:str", k), dumper.represent_data(v))
             for k, v in mapping.items()]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


Quoted.add_representer(dict, _plain_keys)


def dump(config):
    return yaml.dump(config, Dumper=Quoted, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=1 << 20)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        sys.stdout.write(dump(render(argv[1])))
    except Problem as e:
        print("ytt_standin: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
