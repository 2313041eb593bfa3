#!/usr/bin/env bash
# Records the commit a build is made from, for `pipedreamer version`: writes the git-ignored
# Sources/pipedreamer/BuildCommit.generated.swift of the checkout CHECKOUT (default: this one).
# Its contents compile only with -Xswiftc -DPIPEDREAMER_BUILD_COMMIT (install.sh passes it), so a
# later plain `swift build` of other sources never reports this commit.
set -euo pipefail
checkout=${1:-$(cd "$(dirname "$0")/.." && pwd)}
out="$checkout/Sources/pipedreamer/BuildCommit.generated.swift"
if commit=$(git -C "$checkout" rev-parse --verify -q HEAD 2>/dev/null); then
    # Tracked files that differ from HEAD (staged or not) make a build that no commit holds.
    git -C "$checkout" diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
else
    commit=unknown
fi
tmp="$out.tmp.$$"
cat >"$tmp" <<SWIFT
// Written by scripts/write-build-commit.sh; not committed (see BuildInfo.swift).
#if PIPEDREAMER_BUILD_COMMIT
let generatedBuildCommit = "$commit"
#endif
SWIFT
# Unchanged content keeps the file's time, so a second build of the same commit compiles nothing.
if cmp -s "$tmp" "$out"; then rm -f "$tmp"; else mv -f "$tmp" "$out"; fi
echo "$commit"
