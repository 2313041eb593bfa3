#!/bin/sh
# The container image's runtime stage, as one script: the Containerfile runs it on
# debian:bookworm-slim, and scripts/test-debian-root.sh runs the same script in a clean Debian
# bookworm root made by debootstrap, so the proof and the image cannot drift apart.
# Usage (as root): runtime-setup.sh /path/to/pipedreamer_<version>_<arch>.deb
set -eu
deb=${1:?usage: runtime-setup.sh PIPEDREAMER_DEB}
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# apt resolves the package's Depends: (libgit2 and what it links) from Debian's archive; git is for
# the hooks' server side (post-receive runs under git), ca-certificates for TLS to API servers.
apt-get install -y -qq --no-install-recommends "$deb" git ca-certificates >/dev/null
# uid/gid 999: the user Argo CD's plugin sidecars run as.
groupadd --system --gid 999 pipedreamer
useradd --system --uid 999 --gid 999 --create-home --home-dir /home/pipedreamer --shell /bin/sh pipedreamer
apt-get clean
rm -rf /var/lib/apt/lists/*
pipedreamer version
