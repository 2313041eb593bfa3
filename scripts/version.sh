#!/usr/bin/env bash
# Prints the version a release build of this checkout reports (`pipedreamer version`): the release
# line of Sources/pipedreamer/BuildInfo.swift, with `+dirty` when tracked files differ from HEAD,
# as scripts/write-build-commit.sh records it. With --image-tag, the same version as a container
# image tag (`+` is not allowed in a tag, so it becomes `-`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
release=$(sed -n 's/^ *static let release = "\([^"]*\)"$/\1/p' "$here/Sources/pipedreamer/BuildInfo.swift")
[ -n "$release" ] || { echo "version.sh: no release version in Sources/pipedreamer/BuildInfo.swift" >&2; exit 1; }
version=$release
if git -C "$here" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    git -C "$here" diff --quiet HEAD -- 2>/dev/null || version="$release+dirty"
fi
case "${1:-}" in
    "") echo "$version" ;;
    --image-tag) echo "${version//+/-}" ;;
    *) echo "usage: scripts/version.sh [--image-tag]" >&2; exit 2 ;;
esac
