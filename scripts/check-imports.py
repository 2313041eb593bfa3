#!/usr/bin/env python3
"""Fails when a source file imports a module its layer may not, or one its target does not declare.

- Only Sources/GitShim imports CLibGit2, and only Sources/GitFiles CZlib.
- Sources/GitFiles, Sources/WorkflowBundle and Sources/pipedreamer-hook import no Foundation: pipedreamer-hook runs on
  every commit and must start as fast as git does.
- Only Sources/KubeClient imports the HTTP, NIO, TLS and logging libraries.
- Every module a target imports is declared in Package.swift (a target's own dependencies or
  the products it names), so no target builds only because another happened to pull a module in.
  The one exception is a C module a declared product is built on and exposes to its users
  (CYaml, libyaml inside Yams: Yams publishes no product for it).
"""
import json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Glibc", "Musl",
          "Darwin", "Testing", "XCTest", "Synchronization", "_Concurrency"}
LEAN = {"GitFiles", "WorkflowBundle", "PipedreamerHook"}
# C modules that come with a product (the key) rather than as a product of their own.
CARRIED = {"CYaml": "Yams"}
NETWORK = re.compile(r"^(AsyncHTTPClient|NIO\w*|Logging)$")
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def targets():
    out = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    for target in json.loads(out)["targets"]:
        path = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", target["name"])
        declared = set()
        for dep in target.get("dependencies", []):
            for kind in ("byName", "product", "target"):
                if kind in dep:
                    declared.add(dep[kind][0])
        yield target["name"], path, declared


def main():
    problems = []
    for name, path, declared in targets():
        for folder, _, files in os.walk(os.path.join(ROOT, path)):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                full = os.path.join(folder, file)
                shown = os.path.relpath(full, ROOT)
                text = open(full, encoding="utf-8").read()
                # Swift source embedded in test strings (python snippets, fixtures) is not ours to check.
                for module in sorted(set(IMPORT.findall(text.split('"""')[0]))):
                    if module.startswith("Foundation") and name in LEAN:
                        problems.append(f"{shown}: imports {module}; {name} stays free of Foundation so that pipedreamer-hook starts as fast as git")
                    if module in SYSTEM or module == name:
                        continue
                    if module == "CZlib" and name != "GitFiles":
                        problems.append(f"{shown}: imports CZlib; only Sources/GitFiles may (read objects through GitFiles)")
                    if module == "CLibGit2" and name != "GitShim":
                        problems.append(f"{shown}: imports CLibGit2; only Sources/GitShim may (wrap what you need in GitShim)")
                    elif NETWORK.match(module) and path.startswith("Sources/") and name != "KubeClient":
                        problems.append(f"{shown}: imports {module}; only Sources/KubeClient may use the HTTP, NIO, TLS and logging libraries")
                    if module not in declared and CARRIED.get(module) not in declared:
                        problems.append(f"{shown}: imports {module}, which target {name} does not declare in Package.swift")
    for line in problems:
        print(f"check-imports: {line}", file=sys.stderr)
    if problems:
        return 1
    print("check-imports: every import is allowed and declared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
