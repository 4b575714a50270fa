#!/usr/bin/env python3
"""The shape of the house, checked: every `#include "..."` under converter/
and include/ must follow the pipeline's stage order, and no header may be
part of an include circle.

Stages, lowest first (a stage may include itself and lower stages only):

    base < report < read < map < {services, schedules} < emit < convert < diff < cli

- services and schedules are siblings: neither includes the other;
- emit is reached only from convert (and the stages above it that call
  convert never include emit themselves: they take convert's values);
- cli includes only the public headers (include/kube2ecs/) and its own;
- the public headers include only each other.  They are the vocabulary
  every stage shares (diagnostics, exit statuses, options, formats), so any
  stage may include them; what they declare is implemented by the stage
  named in API_STAGE.

Usage: include_graph.py SOURCE_DIR  (exit 0 when the shape holds; 1 with
one line per violation; --dot prints the stage graph for the README).
"""
import os
import re
import sys

RANK = {"base": 0, "report": 1, "read": 2, "map": 3, "services": 4, "schedules": 4,
        "emit": 5, "convert": 6, "diff": 7, "cli": 8}
# Public headers sit at the stage that implements them.
API_STAGE = {"api.h": "base", "diag.h": "report", "diag_codes.h": "report", "mapping.h": "read",
             "convert.h": "convert", "diff.h": "diff"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stage_of(rel):
    """converter/map/pod.c -> map; include/kube2ecs/x.h -> api."""
    parts = rel.split("/")
    if parts[0] == "include":
        return "api"
    return parts[1]


def target_of(src_rel, name, root):
    """(stage, path) of an included file, or None for generated/system ones."""
    if name.startswith("kube2ecs/"):
        return "api", "include/" + name
    first = name.split("/")[0]
    if first in RANK:
        return first, "converter/" + name
    local = os.path.normpath(os.path.join(os.path.dirname(src_rel), name))
    if os.path.exists(os.path.join(root, local)):
        return stage_of(local), local
    return None  # generated (default_mapping.inc)


def collect(root):
    files = []
    for top in ("converter", "include"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in names:
                if n.endswith((".c", ".h")):
                    files.append(os.path.relpath(os.path.join(dirpath, n), root))
    return sorted(files)


def edge_problem(src, src_stage, dst_stage, dst, name):
    if src_stage == "api":
        return None if dst_stage == "api" else "a public header includes a private one"
    if dst_stage == "api":
        api_stage = API_STAGE.get(os.path.basename(dst))
        if api_stage is None:
            return "unknown public header (add it to API_STAGE)"
        return None
    if src_stage == "cli":
        return None if dst_stage == "cli" else "cli uses only the public headers"
    if dst_stage == src_stage:
        return None
    if dst_stage == "emit" and src_stage != "convert":
        return "emit is reached only from convert"
    if RANK[dst_stage] >= RANK[src_stage]:
        return "%s must not include %s (stage order)" % (src_stage, dst_stage)
    return None


def find_cycles(graph):
    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    root = args[0] if args else "."
    problems, graph, stage_edges = [], {}, set()
    for src in collect(root):
        text = open(os.path.join(root, src), encoding="utf-8").read()
        src_stage = stage_of(src)
        for name in INCLUDE.findall(text):
            target = target_of(src, name, root)
            if target is None:
                continue
            dst_stage, dst = target
            graph.setdefault(src, set()).add(dst)
            if dst_stage != src_stage:
                stage_edges.add((src_stage, dst_stage))
            why = edge_problem(src, src_stage, dst_stage, dst, name)
            if why:
                problems.append('%s: #include "%s": %s' % (src, name, why))
    for cycle in find_cycles(graph):
        problems.append("include circle: " + " -> ".join(cycle))
    if "--dot" in argv:
        print("digraph stages {")
        for a, b in sorted(stage_edges):
            print('  "%s" -> "%s";' % (a, b))
        print("}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
