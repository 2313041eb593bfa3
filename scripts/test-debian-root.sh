#!/usr/bin/env bash
# Proves the Debian package, and the container image's runtime stage, in a clean Debian bookworm
# root: debootstrap --variant=minbase, then integrations/container/runtime-setup.sh (the image's
# runtime stage) installs the package with apt, resolving its Depends: from Debian's archive.
# Inside the root, as the image's user (uid 999, HOME=/home/pipedreamer), it runs
# `pipedreamer version`, renders the bundled example from a git repository made there, runs the
# installed pre-commit hook on a commit it accepts and on one it refuses, and reads `man pipedreamer`.
#
# Usage (as root): scripts/test-debian-root.sh DEB [ROOTDIR]
# Prints the rendered example to ROOTDIR/render.yaml (for comparison with the host's render) and
# ends with "debian root: ok". ROOTDIR (default: a temporary directory) is removed at the end
# unless given. Exit status 77 means the machine cannot run the proof (not root, no debootstrap,
# no archive); the reason is printed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:?usage: scripts/test-debian-root.sh DEB [ROOTDIR]}
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
[ -f "$deb" ] || { echo "test-debian-root.sh: no package at $deb" >&2; exit 1; }
skip() { echo "test-debian-root.sh: skipped: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "debootstrap and chroot need root"
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap is not installed (apt-get install -y debootstrap)"

# The archive this machine's apt uses, else Debian's own.
mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)\/*$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*\/debian\)\/* bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

if [ -n "${2:-}" ]; then root=$2; keep=1; else root=$(mktemp -d "${TMPDIR:-/tmp}/pipedreamer-root.XXXXXX"); keep=0; fi
cleanup() {
    umount "$root/dev/pts" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    [ "$keep" -eq 1 ] || rm -rf --one-file-system "$root"
}
trap cleanup EXIT
say() { printf '==> %s\n' "$*"; }

say "debootstrap --variant=minbase bookworm ($mirror)"
if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1; then
    tail -n 5 "$root.debootstrap.log" >&2
    grep -q -i -E "resolv|connect|download|release file" "$root.debootstrap.log" && skip "the Debian archive $mirror cannot be reached"
    echo "test-debian-root.sh: debootstrap failed (log: $root.debootstrap.log)" >&2
    exit 1
fi
rm -f "$root.debootstrap.log"
# The binary reads its own arguments from /proc/self; every container has /proc.
mount -t proc proc "$root/proc"
mount -t devpts devpts "$root/dev/pts"   # apt's terminal log, as in a container
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

say "runtime stage (integrations/container/runtime-setup.sh)"
install -d "$root/tmp/pipedreamer-deb"
cp "$deb" "$root/tmp/pipedreamer-deb/"
cp "$here/integrations/container/runtime-setup.sh" "$root/tmp/runtime-setup.sh"
chroot "$root" /bin/sh /tmp/runtime-setup.sh "/tmp/pipedreamer-deb/$(basename "$deb")"
rm -rf "$root/tmp/pipedreamer-deb" "$root/tmp/runtime-setup.sh"

say "no Swift toolchain and no -dev package in the root"
chroot "$root" /bin/sh -c '! command -v swift && ! dpkg-query -W -f "\${Package}\n" | grep -- "-dev$"' >/dev/null \
    || { echo "test-debian-root.sh: the root holds a Swift toolchain or a -dev package" >&2; exit 1; }

# The example workflow, as a user's repository inside the root.
install -d -o 999 -g 999 "$root/home/pipedreamer/src"
cp -r "$here/examples/hello" "$root/home/pipedreamer/src/hello"
rm -rf "$root/home/pipedreamer/src/hello/.secrets" "$root/home/pipedreamer/src/hello/.secrets.yaml"
chown -R 999:999 "$root/home/pipedreamer/src"

say "as uid 999: version, render, pre-commit hook"
chroot --userspec=999:999 "$root" /usr/bin/env -i HOME=/home/pipedreamer PATH=/usr/bin:/bin LANG=C.UTF-8 \
    GIT_AUTHOR_DATE=2026-01-02T00:00:00Z GIT_COMMITTER_DATE=2026-01-02T00:00:00Z /bin/sh -eu -c '
    cd /home/pipedreamer/src/hello
    pipedreamer version
    git init -q -b main .
    git config user.name "Deb Root"
    git config user.email deb@example.invalid
    git add -A
    git commit -q -m example
    pipedreamer render HEAD >/home/pipedreamer/render.yaml
    pipedreamer install-hooks
    printf "export const note = 1;\n" >nodes/note.ts
    git add nodes/note.ts
    git commit -q -m "a node the hook accepts"
    head -c 1000000 /dev/zero | tr "\0" a >nodes/huge.ts
    git add nodes/huge.ts
    if git commit -q -m "a node over the limit" 2>/home/pipedreamer/refused.txt; then
        echo "test-debian-root.sh: the pre-commit hook accepted a 1 MB node" >&2; exit 1
    fi
    grep -q "workflow code exceeds ConfigMap size limit (900KB)" /home/pipedreamer/refused.txt
    test "$(git rev-list --count HEAD)" = 2
'
cp "$root/home/pipedreamer/render.yaml" "$root/render.yaml"

say "man pipedreamer"
chroot "$root" /bin/sh -c 'DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq --no-install-recommends man-db >/dev/null'
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin MANWIDTH=80 man -P cat pipedreamer >"$root/man.txt"
grep -q "pipedreamer-deploy(1)" "$root/man.txt" \
    || { echo "test-debian-root.sh: man pipedreamer did not show the manual" >&2; head -n 20 "$root/man.txt" >&2; exit 1; }
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin MANWIDTH=80 man -P cat pipedreamer-deploy | grep -q -- "--image"
echo "debian root: ok"
