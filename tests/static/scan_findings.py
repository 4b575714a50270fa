#!/usr/bin/python3
"""Reads the .plist reports of scan-build (tests/static/run.sh) and fails on
every finding that tests/static/scan-build-suppressions.txt does not list.

clang's analyzer has no suppression file of its own, and its false
positives are mostly cross-file: it cannot see that k2e_get(NULL, ...) or
k2e_is_scalar(NULL) is NULL or false.  A suppression names the source file,
the function and the checker (not a line, so it survives edits elsewhere in
the file) and says why it is safe.  An entry that matches nothing is
reported too, so the list cannot go stale.

usage: scan_findings.py REPORT_DIR SUPPRESSIONS SOURCE_DIR
"""
import glob
import os
import plistlib
import sys


def load_suppressions(path):
    entries = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3:
            sys.exit("%s:%d: expected FILE FUNCTION CHECKER" % (path, number))
        entries.append((tuple(parts), number))
    return entries


def findings(report_dir, source_dir):
    seen = set()
    for plist in sorted(glob.glob(os.path.join(report_dir, "**", "*.plist"),
                                  recursive=True)):
        with open(plist, "rb") as f:
            data = plistlib.load(f)
        files = data.get("files", [])
        for d in data.get("diagnostics", []):
            loc = d["location"]
            path = os.path.relpath(os.path.realpath(files[loc["file"]]),
                                   os.path.realpath(source_dir))
            item = (path, loc["line"], loc["col"], d.get("issue_context", "-"),
                    d["check_name"], d["description"])
            if item not in seen:
                seen.add(item)
                yield item


def main(argv):
    report_dir, suppressions_path, source_dir = argv[1:4]
    suppressions = load_suppressions(suppressions_path)
    used = set()
    failing = stale = total = 0
    for path, line, col, function, checker, text in findings(report_dir, source_dir):
        total += 1
        match = [n for s, n in suppressions if s == (path, function, checker)]
        if match:
            used.update(match)
            continue
        failing += 1
        print("%s:%d:%d: %s [%s] (in %s)" % (path, line, col, text, checker, function))
    for entry, number in suppressions:
        if number not in used:
            stale += 1
            print("%s:%d: suppression matches no finding: %s"
                  % (suppressions_path, number, " ".join(entry)))
    print("scan-build: %d findings, %d suppressed, %d failing, %d stale suppressions"
          % (total, total - failing, failing, stale))
    return 1 if failing or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
