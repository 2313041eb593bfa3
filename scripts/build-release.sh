#!/usr/bin/env bash
# The one release build of pipedreamer and pipedreamer-hook, shared by install.sh and
# scripts/package-deb.sh so that a build one of them made is reused by the other as it is.
# Usage: scripts/build-release.sh [LOG]   (default log: .build/release-build.log)
# Prints the directory holding the two binaries. The Swift runtime and Foundation are linked
# statically: the hooks start on every commit, and a static binary starts in about half the time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
log=${1:-$here/.build/release-build.log}
mkdir -p "$here/.build" "$(dirname "$log")"
# The commit built is recorded for `pipedreamer version` (a git-ignored generated source file).
"$here/scripts/write-build-commit.sh" "$here" >/dev/null
flags=(-c release --static-swift-stdlib -Xswiftc -DPIPEDREAMER_BUILD_COMMIT)
if ! (cd "$here" && swift build "${flags[@]}" --product pipedreamer >"$log" 2>&1 \
        && swift build "${flags[@]}" --product pipedreamer-hook >>"$log" 2>&1); then
    tail -n 40 "$log" >&2
    echo "build-release.sh: the release build failed; the full log is $log" >&2
    exit 1
fi
bin=$(cd "$here" && swift build "${flags[@]}" --show-bin-path)
for binary in "$bin/pipedreamer" "$bin/pipedreamer-hook"; do
    [ -x "$binary" ] || { echo "build-release.sh: the build did not produce $binary" >&2; exit 1; }
done
echo "$bin"
