#!/usr/bin/env bash
# Installs pipedreamer from this checkout: system dependencies, a release build, the binaries
# (pipedreamer and pipedreamer-hook) and the git hook shims, then renders the bundled example from this repository's own HEAD.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: ./install.sh [--prefix DIR] [--hooks REPO] [--no-example]

  --prefix DIR    install pipedreamer and pipedreamer-hook (the hooks' fast first step)
                  under DIR/bin, the hook shims under DIR/share/pipedreamer
                  (default: /usr/local as root, otherwise ~/.local)
  --hooks REPO    also install the git hooks into the repository REPO with
                  `pipedreamer install-hooks`: pre-commit, pre-merge-commit and pre-push in a clone,
                  post-receive in a bare repository (default: no hooks installed)
  --no-example    skip rendering examples/hello at the end
  -h, --help      show this help

Safe to run twice: the binary and hook shims are replaced atomically. Hooks that are
not pipedreamer's are never overwritten (see `pipedreamer install-hooks --help`).
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
render_example=1
hooks_repo=
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --hooks) [ $# -ge 2 ] || { echo "install.sh: --hooks needs a repository directory" >&2; exit 2; }; hooks_repo=$2; shift 2 ;;
        --hooks=*) hooks_repo=${1#--hooks=}; shift ;;
        --no-example) render_example=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { printf '==> %s\n' "$*"; }

# 1. System dependencies: libgit2 (headers and pkg-config file) and pkg-config itself.
if pkg-config --exists libgit2 2>/dev/null; then
    say "libgit2 $(pkg-config --modversion libgit2) found"
else
    packages="libgit2-dev pkg-config"
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing $packages with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
        say "libgit2 $(pkg-config --modversion libgit2) installed"
    else
        echo "install.sh: libgit2 is missing. Install it, then run ./install.sh again:" >&2
        echo "    sudo apt-get install -y $packages" >&2
        exit 1
    fi
fi
command -v git >/dev/null 2>&1 || { echo "install.sh: git is required (sudo apt-get install -y git)" >&2; exit 1; }
command -v swift >/dev/null 2>&1 || { echo "install.sh: the Swift toolchain (6.0 or later) is required: https://swift.org/install" >&2; exit 1; }

# 2. Release build (scripts/build-release.sh: the same build scripts/package-deb.sh packages).
say "building pipedreamer (release; the first build takes several minutes)"
bin=$("$here/scripts/build-release.sh" "$here/.build/install-build.log") || {
    echo "install.sh: the release build failed (see above)" >&2
    exit 1
}
built="$bin/pipedreamer"
built_hook="$bin/pipedreamer-hook"

# 3. Install the binary and the hook shims (atomically: copy beside, then rename).
mkdir -p "$prefix/bin" "$prefix/share/pipedreamer/hooks"
install -m 0755 "$built" "$prefix/bin/.pipedreamer.new"
# Debug symbols are half the binary; the installed copy goes without them.
command -v strip >/dev/null 2>&1 && strip "$prefix/bin/.pipedreamer.new"
# pipedreamer-hook goes first: a hook shim that finds it beside the binary execs it.
install -m 0755 "$built_hook" "$prefix/bin/.pipedreamer-hook.new"
command -v strip >/dev/null 2>&1 && strip "$prefix/bin/.pipedreamer-hook.new"
mv -f "$prefix/bin/.pipedreamer-hook.new" "$prefix/bin/pipedreamer-hook"
mv -f "$prefix/bin/.pipedreamer.new" "$prefix/bin/pipedreamer"
for hook in "$here"/hooks/*; do
    [ -f "$hook" ] || continue
    name=$(basename "$hook")
    install -m 0755 "$hook" "$prefix/share/pipedreamer/hooks/.$name.new"
    mv -f "$prefix/share/pipedreamer/hooks/.$name.new" "$prefix/share/pipedreamer/hooks/$name"
done
say "installed $prefix/bin/pipedreamer and pipedreamer-hook ($("$prefix/bin/pipedreamer" version))"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) say "note: $prefix/bin is not on your PATH; add it: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac

# 4. The git hooks, when asked for: the server hook in a bare repository, the client hooks otherwise.
if [ -n "$hooks_repo" ]; then
    if [ "$(git -C "$hooks_repo" rev-parse --is-bare-repository 2>/dev/null)" = true ]; then
        hook_kind=--server
    else
        hook_kind=
    fi
    say "installing git hooks in $hooks_repo"
    "$prefix/bin/pipedreamer" install-hooks --repo "$hooks_repo" $hook_kind || {
        echo "install.sh: hooks not installed in $hooks_repo (see above); \`pipedreamer install-hooks --repo $hooks_repo --chain\` keeps existing hooks and runs them first" >&2
        exit 1
    }
fi

# 5. Render the bundled example exactly as committed at this repository's HEAD.
if [ "$render_example" -eq 1 ]; then
    if git -C "$here" rev-parse --verify -q HEAD:examples/hello/workflow.yaml >/dev/null; then
        say "rendering examples/hello at $(git -C "$here" rev-parse --short HEAD)"
        "$prefix/bin/pipedreamer" render HEAD -C "$here" -w examples/hello
    else
        say "examples/hello is not committed at HEAD; skipping the example render"
    fi
fi
