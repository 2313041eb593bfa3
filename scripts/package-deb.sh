#!/usr/bin/env bash
# Builds OUTDIR/pipedreamer_<version>_<arch>.deb from the release build (scripts/build-release.sh,
# the build install.sh makes; built here if needed). Debian's own tools decide what they know
# best: dpkg-shlibdeps computes Depends: from the binaries' shared libraries, dpkg-deb builds the
# archive with root-owned files, and `lintian` (when installed) must report no error.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/package-deb.sh OUTDIR

Writes OUTDIR/pipedreamer_<version>_<arch>.deb (version: scripts/version.sh, the version
`pipedreamer version` reports; arch: dpkg --print-architecture) holding
  /usr/bin/pipedreamer, /usr/bin/pipedreamer-hook
  /usr/share/pipedreamer/hooks/       the hook shims install-hooks writes
  /usr/share/man/man1/pipedreamer*.1.gz
  bash, zsh and fish completions in Debian's vendor locations
  /usr/share/doc/pipedreamer/         README, the user's pages of docs/, copyright (the licence), changelog
Needs dpkg-dev (dpkg-shlibdeps) and the runtime libraries installed (libgit2-dev brings them);
runs lintian on the result when it is installed (apt-get install lintian), failing on any error.
Environment: DEBFULLNAME and DEBEMAIL name the maintainer (default: pipedreamer maintainers
<maintainers@pipedreamer.dev>); SOURCE_DATE_EPOCH dates the changelog (default: HEAD's commit time).
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") usage >&2; exit 2 ;;
esac
[ $# -eq 1 ] || { usage >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
say() { printf '==> %s\n' "$*"; }
for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture strip; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "package-deb.sh: $tool is missing; install it: apt-get install -y dpkg-dev binutils" >&2; exit 1; }
done

say "release build (scripts/build-release.sh)"
bin=$("$here/scripts/build-release.sh")
version=$("$here/scripts/version.sh")
reported=$("$bin/pipedreamer" --version)
[ "$reported" = "$version" ] || {
    echo "package-deb.sh: the binary reports version $reported, the checkout $version; build again" >&2; exit 1; }
arch=$(dpkg --print-architecture)
maintainer="${DEBFULLNAME:-pipedreamer maintainers} <${DEBEMAIL:-maintainers@pipedreamer.dev}>"
date_epoch=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}
year=$(date -u -d "@$date_epoch" +%Y)

work=$(mktemp -d "${TMPDIR:-/tmp}/pipedreamer-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
doc="$root/usr/share/doc/pipedreamer"
install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$doc" \
    "$root/usr/share/pipedreamer/hooks" "$root/usr/share/bash-completion/completions" \
    "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d" \
    "$root/usr/share/lintian/overrides"

say "binaries"
for name in pipedreamer pipedreamer-hook; do
    install -m 0755 "$bin/$name" "$root/usr/bin/$name"
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/$name"
done
for hook in "$here"/hooks/*; do
    install -m 0755 "$hook" "$root/usr/share/pipedreamer/hooks/$(basename "$hook")"
done

say "completions and manual"
# bash-completion sources its scripts: no #! line (Debian's bash-completion layout).
"$bin/pipedreamer" completion bash | sed '1{/^#!/d}' >"$root/usr/share/bash-completion/completions/pipedreamer"
"$bin/pipedreamer" completion zsh >"$root/usr/share/zsh/vendor-completions/_pipedreamer"
"$bin/pipedreamer" completion fish >"$root/usr/share/fish/vendor_completions.d/pipedreamer.fish"
chmod 0644 "$root"/usr/share/*-completion*/*/* "$root"/usr/share/zsh/vendor-completions/* \
    "$root"/usr/share/fish/vendor_completions.d/*
# The pages come from the command tree itself (pipedreamer --experimental-dump-help).
python3 "$here/scripts/manual-from-help.py" "$bin/pipedreamer" "$root/usr/share/man/man1" \
    --version "$version" --date "$(date -u -d "@$date_epoch" +%Y-%m-%d)"
gzip -9n "$root"/usr/share/man/man1/*.1

say "documentation"
gzip -9nc "$here/README.md" >"$doc/README.md.gz"
# The user's pages the README links to (docs/ARCHITECTURE.md and docs/PERFORMANCE.md describe the source).
install -d -m 0755 "$doc/docs"
for page in "$here"/docs/*.md; do
    case ${page##*/} in ARCHITECTURE.md|PERFORMANCE.md) continue ;; esac
    gzip -9nc "$page" >"$doc/docs/${page##*/}.gz"
done
cat >"$doc/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: pipedreamer

Files: *
Copyright: $year pipedreamer maintainers
License: Apache-2.0

Files: usr/bin/*
Copyright: $year pipedreamer maintainers;
 Apple Inc. and the Swift project authors (Swift runtime, Foundation, swift-argument-parser,
 swift-nio, swift-nio-ssl, swift-crypto, swift-certificates, swift-asn1, swift-log);
 the AsyncHTTPClient project authors; the zlib authors
License: Apache-2.0
Comment: Statically linked into the binaries. Yams and its embedded libyaml are MIT-licensed
 (Copyright JP Simard, Kirill Simonov); swift-crypto's BoringSSL is under the OpenSSL and ISC
 licences; zlib under the zlib licence. libgit2 is linked dynamically (package libgit2-1.5).

License: Apache-2.0
 On Debian systems, the full text of the Apache License, Version 2.0 can be found in
 /usr/share/common-licenses/Apache-2.0.
COPYRIGHT
{
    printf 'pipedreamer (%s) unstable; urgency=medium\n\n' "$version"
    commit=$("$bin/pipedreamer" version -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["commit"][:12])')
    printf '  * Release %s, built from commit %s.\n\n' "$version" "$commit"
    printf ' -- %s  %s\n' "$maintainer" "$(date -u -R -d "@$date_epoch")"
} | gzip -9n >"$doc/changelog.gz"
# What lintian would call errors and why each is so (Debian's shared copies cannot be used here).
cat >"$root/usr/share/lintian/overrides/pipedreamer" <<'OVERRIDES'
# pipedreamer-hook runs on every git commit; linked statically (zlib included) it starts as fast as git.
pipedreamer: statically-linked-binary [usr/bin/pipedreamer-hook]
pipedreamer: embedded-library zlib [usr/bin/pipedreamer-hook]
# Yams (the YAML parser) vendors libyaml and builds it into the Swift module; it has no option to use the system copy.
pipedreamer: embedded-library libyaml [usr/bin/pipedreamer]
# swift-nio-extras (HTTP compression for the Kubernetes client) vendors zlib under prefixed symbols (cnioextras_z_*).
pipedreamer: embedded-library zlib [usr/bin/pipedreamer]
OVERRIDES
chmod 0644 "$doc"/*.gz "$doc/copyright" "$doc"/docs/* "$root/usr/share/lintian/overrides/pipedreamer"

say "dependencies (dpkg-shlibdeps)"
mkdir -p "$work/src/debian"
printf 'Source: pipedreamer\n\nPackage: pipedreamer\nArchitecture: any\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O -e"$root/usr/bin/pipedreamer" -e"$root/usr/bin/pipedreamer-hook" 2>"$work/shlibdeps.log" \
    | sed -n 's/^shlibs:Depends=//p') || { cat "$work/shlibdeps.log" >&2; exit 1; }
[ -n "$depends" ] || { echo "package-deb.sh: dpkg-shlibdeps found no dependencies" >&2; cat "$work/shlibdeps.log" >&2; exit 1; }

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: pipedreamer
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Recommends: git
Section: devel
Priority: optional
Description: deploy workflow code to Kubernetes exactly as committed
 pipedreamer ships a workflow (a workflow.yaml plus TypeScript nodes)
 to Kubernetes in a ConfigMap, read from a commit's tree and never from
 the working copy. Its git hooks refuse commits that would push the code
 past the ConfigMap size limit or add binary files, and a server-side
 post-receive hook deploys pushed tags.
CONTROL
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

deb="$out/pipedreamer_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
say "built $deb (Depends: $depends)"

if command -v lintian >/dev/null 2>&1; then
    say "lintian"
    # --fail-on error: warnings are printed, an error fails the build.
    lintian --fail-on error --tag-display-limit 0 "$deb"
else
    say "lintian is not installed; the package was not checked (apt-get install -y lintian)"
fi
