#!/usr/bin/env python3
"""House rules that a compiler does not check, over converter/ and README.md:

- every allocation goes through base/alloc.c (k2e_malloc, k2e_calloc,
  k2e_realloc, k2e_strdup...): a plain malloc/calloc/realloc/strdup/strndup
  escapes the allocation-failure accounting, and an out-of-memory run could
  then end in exit 0 with a different output (the CLI front end, which only
  parses arguments, may use them);
- the product never points at ../shared (a user's clone has no such
  directory): not in converter/, include/ or README.md.

Usage: house_rules.py SOURCE_DIR  (exit 0 when the rules hold, 1 with one line
per violation).
"""
import os
import re
import sys

ALLOC = re.compile(r"(?<![\w.>])(malloc|calloc|realloc|strdup|strndup)\s*\(")


def sources(root, top):
    for dirpath, _, names in os.walk(os.path.join(root, top)):
        for n in sorted(names):
            if n.endswith((".c", ".h")):
                yield os.path.join(dirpath, n)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)


def main(argv):
    root = argv[1] if len(argv) > 1 else "."
    problems = []
    for path in sources(root, "converter"):
        rel = os.path.relpath(path, root)
        if rel in ("converter/base/alloc.c",) or rel.startswith("converter/cli/"):
            continue
        code = strip_comments(open(path, encoding="utf-8").read())
        for number, line in enumerate(code.split("\n"), 1):
            m = ALLOC.search(line)
            if m:
                problems.append("%s:%d: %s() bypasses base/alloc.c (use k2e_%s)"
                                % (rel, number, m.group(1), m.group(1)))
    for top in ("converter", "include"):
        for path in sources(root, top):
            if "../shared" in open(path, encoding="utf-8").read():
                problems.append("%s: points at ../shared" % os.path.relpath(path, root))
    if "../shared" in open(os.path.join(root, "README.md"), encoding="utf-8").read():
        problems.append("README.md: points at ../shared (a user's clone has none)")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
