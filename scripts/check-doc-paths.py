#!/usr/bin/env python3
"""Fails when docs/ARCHITECTURE.md names a file or folder of the project that does not exist.

The map must stay true: every backticked repository path (`Tests/...`, `scripts/...`), every
module path (`Deploy/Render/CodeCommit`, `GitFiles/StagedChange.certainlyLeavesUnchanged`: a
folder or file under Sources/, a member after the last '.') and every Swift file name
(`PathHistory.swift`, found anywhere under Sources/ or Tests/) must resolve.
"""
import os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "ARCHITECTURE.md")
ROOTS = ("Sources/", "Tests/", "scripts/", "schema/", "docs/", "hooks/", "bench/", "integrations/", "examples/", ".ci/")
MODULES = set(os.listdir(os.path.join(ROOT, "Sources")))


def swift_files():
    for base in ("Sources", "Tests"):
        for folder, _, files in os.walk(os.path.join(ROOT, base)):
            for name in files:
                if name.endswith(".swift"):
                    yield os.path.relpath(os.path.join(folder, name), ROOT)


def resolves(token, files):
    path = token.rstrip("/")
    if token.startswith(ROOTS) or token in ("Package.swift", "install.sh", "README.md"):
        return os.path.exists(os.path.join(ROOT, path))
    if token.endswith(".swift"):
        return any(f == path or f.endswith("/" + path) for f in files)
    first = path.split("/")[0]
    if first in MODULES and "/" in path:
        candidates = [path]
        if "." in path.split("/")[-1]:
            candidates.append(path.rsplit(".", 1)[0])
        return any(os.path.isdir(os.path.join(ROOT, "Sources", c)) or os.path.isfile(os.path.join(ROOT, "Sources", c + ".swift"))
                   for c in candidates)
    return True  # not a path of the project (an annotation, a path in a pod, a git file)


def main():
    files = list(swift_files())
    text = open(DOC, encoding="utf-8").read()
    missing = sorted({t for t in re.findall(r"`([^`\s]+)`", text) if not resolves(t, files)})
    for token in missing:
        print(f"check-doc-paths: docs/ARCHITECTURE.md names `{token}`, which does not exist", file=sys.stderr)
    if missing:
        return 1
    print("check-doc-paths: every path docs/ARCHITECTURE.md names exists")
    return 0


if __name__ == "__main__":
    sys.exit(main())
