#!/usr/bin/env bash
# Times the pre-commit hook (as git runs it: the installed shim, pipedreamer-hook, and when needed
# `pipedreamer hook pre-commit`; also with the workflow.yaml's verdict not yet recorded)
# on a repository of FILES tracked files (default 15000), against `git diff --cached --quiet` and
# pre-commit-hooks' `check-added-large-files` (from PyPI) on the same staged files, in the same
# run, for two staged changes: one in a workflow directory (goal: hook <= 3x git diff) and one
# that touches no workflow (goal: hook <= 1.5x git diff).
#   FILES=200000 bench/precommit.sh     # the same at 200,000 tracked files
#   PIPEDREAMER=path/to/pipedreamer bench/precommit.sh   # time a given build instead of building one
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${RUNS:-21}
files=${FILES:-15000}
bin=$(pipedreamer_binary)

# Microsecond wall-clock timer without forking `date`, so fast commands are measured fairly.
# Prints "median min": on a shared machine the minimum is the steadier estimate of the cost.
median_min_us() {
    local n=$1; shift
    "$@" >/dev/null 2>&1 || true
    local samples=() start end
    for _ in $(seq "$n"); do
        start=${EPOCHREALTIME/./}
        "$@" >/dev/null 2>&1 || true
        end=${EPOCHREALTIME/./}
        samples+=($((end - start)))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1]}'
}

# pre-commit-hooks in a private virtualenv.
venv="$work/venv"
if [ ! -x "$venv/bin/check-added-large-files" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q pre-commit-hooks
fi

# A monorepo of $files small files, written with fast-import (no checkout of the bulk: only the
# index and the workflow directory matter to the three commands), plus one workflow directory.
repo="$work/precommit-$files"
if [ ! -f "$repo/.ready" ]; then
    rm -rf "$repo"
    git init -q -b main "$repo"
    python3 - "$files" <<'PY' | git -C "$repo" fast-import --quiet
import sys
files = int(sys.argv[1])
out = sys.stdout.buffer
out.write(b"commit refs/heads/main\nmark :1\ncommitter bench <bench@example.com> 1767225600 +0000\ndata 4\nbulk\n")
for i in range(files):
    body = ("// file %d\nexport const value%d = %d;\n" % (i, i, i)).encode()
    path = "src/pkg%03d/mod%02d/file%05d.ts" % (i // 1000, (i // 50) % 20, i)
    out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(body), body))
wf = "services/orders/"
spec = "name: orders\nversion: \"1.0\"\ndescription: bench\ntriggers:\n  - type: manual\nnodes:\n"
for n in range(30):
    spec += "  n%02d: nodes/n%02d.ts\n" % (n, n)
    body = ("export const step%02d = async () => ({ ok: %d });\n" % (n, n)) * 100
    out.write(b"M 100644 inline %snodes/n%02d.ts\ndata %d\n%s\n" % (wf.encode(), n, len(body), body.encode()))
out.write(b"M 100644 inline %sworkflow.yaml\ndata %d\n%s\n" % (wf.encode(), len(spec), spec.encode()))
PY
    git -C "$repo" read-tree HEAD
    git -C "$repo" checkout -q HEAD -- services/orders
    touch "$repo/.ready"
fi
# The shim runs the binary under test (install-hooks is safe to run again).
"$bin" install-hooks --repo "$repo" --binary "$bin" >/dev/null
# The staged change: one node edited, one added (reset first, so a reused repository starts the same).
git -C "$repo" read-tree HEAD
git -C "$repo" checkout -q HEAD -- services/orders
rm -f "$repo/services/orders/nodes/extra.ts"
printf 'export const edited = true;\n' >> "$repo/services/orders/nodes/n00.ts"
printf 'export const extra = 1;\n' > "$repo/services/orders/nodes/extra.ts"
git -C "$repo" add services/orders
staged=$(git -C "$repo" diff --cached --name-only)

cd "$repo"
# pipedreamer-hook's spec verdicts, recorded by the full check (the warm-up run), stay in the bench.
export XDG_CACHE_HOME="$work/cache"
rm -rf "$XDG_CACHE_HOME/pipedreamer"
hook() { ./.git/hooks/pre-commit; }
# The same change when this binary has not seen the workflow.yaml yet: the full check runs.
unseen() { rm -rf "$XDG_CACHE_HOME/pipedreamer"; ./.git/hooks/pre-commit; }
direct() { "$bin" hook pre-commit; }
diffq() { git diff --cached --quiet; }
# The framework passes the staged file names; the hook itself asks git which of them are added.
large() { echo "$staged" | xargs "$venv/bin/check-added-large-files"; }

hook || { echo "the hook refused the staged change; the benchmark needs one it accepts" >&2; exit 1; }
read -r m_hook n_hook < <(median_min_us "$runs" hook)
read -r m_unseen n_unseen < <(median_min_us "$runs" unseen)
read -r m_direct n_direct < <(median_min_us "$runs" direct)
read -r m_diff n_diff < <(median_min_us "$runs" diffq)
read -r m_large n_large < <(median_min_us "$runs" large)

# The second change touches no workflow: one file elsewhere, staged on a fresh index.
git read-tree HEAD
mkdir -p src/pkg000/mod00
printf 'export const edited = true;\n' > src/pkg000/mod00/file00000.ts
git add src/pkg000/mod00/file00000.ts
hook || { echo "the hook refused a change outside every workflow" >&2; exit 1; }
read -r m_quiet n_quiet < <(median_min_us "$runs" hook)
read -r m_quietdiff n_quietdiff < <(median_min_us "$runs" diffq)
git read-tree HEAD
rm -rf src
echo "repository: $(git ls-files | wc -l) tracked files; staged: $(echo "$staged" | wc -l) files in services/orders; $runs runs each"
echo "                               median us    min us"
printf 'pre-commit hook (shim):        %9s %9s\n' "$m_hook" "$n_hook"
printf '  workflow.yaml not seen yet:  %9s %9s\n' "$m_unseen" "$n_unseen"
printf 'pipedreamer hook pre-commit:   %9s %9s\n' "$m_direct" "$n_direct"
printf 'pipedreamer --version:         %9s %9s\n' $(median_min_us "$runs" "$bin" --version)
printf 'git diff --cached --quiet:     %9s %9s\n' "$m_diff" "$n_diff"
printf 'check-added-large-files:       %9s %9s\n' "$m_large" "$n_large"
printf 'ratio hook/git-diff:           %9s %9s   (goal <= 3)\n' "$(ratio "$m_hook" "$m_diff")" "$(ratio "$n_hook" "$n_diff")"
printf '  workflow.yaml not seen yet:  %9s %9s\n' "$(ratio "$m_unseen" "$m_diff")" "$(ratio "$n_unseen" "$n_diff")"
printf 'ratio hook/check-large-files:  %9s %9s   (goal <= 0.2)\n' "$(ratio "$m_hook" "$m_large")" "$(ratio "$n_hook" "$n_large")"
echo "no workflow touched (src/pkg000/mod00/file00000.ts staged):"
printf 'pre-commit hook (shim):        %9s %9s\n' "$m_quiet" "$n_quiet"
printf 'git diff --cached --quiet:     %9s %9s\n' "$m_quietdiff" "$n_quietdiff"
printf 'ratio hook/git-diff:           %9s %9s   (goal <= 1.5)\n' "$(ratio "$m_quiet" "$m_quietdiff")" "$(ratio "$n_quiet" "$n_quietdiff")"
