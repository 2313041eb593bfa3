#!/usr/bin/env bash
# The cost of finding the restart stamp (the last commit that changed the workflow's directory)
# when the workflow last changed 10,000 commits ago. Builds (or reuses) a repository whose first
# commit adds wf/ and whose next 10,000 commits each change only other/counter.txt, plus a branch
# `near` whose tip changes wf/ (a walk of no step). Times, in the same run:
#   - `pipedreamer render HEAD -w wf` (walks 10,000 commits) and `pipedreamer render near -w wf`;
#   - git itself: `git log -1 --format=%H HEAD -- wf`.
# Prints the medians, the walk's cost (far - near) per commit, and the ratio against git log.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${RUNS:-11}
commits=${COMMITS:-10000}
bin=$(pipedreamer_binary)

repo="$work/last-change-$commits"
if [ ! -d "$repo/.git" ]; then
    rm -rf "$repo"; git init -q -b main "$repo"
    {
        wf=$'name: far\nversion: "1.0"\ntriggers:\n  - type: manual\nnodes:\n  fetch: nodes/fetch.ts\n'
        ts=$'export default async () => ({ ok: true });\n'
        printf 'commit refs/heads/main\ncommitter bench <bench@example.com> 1700000000 +0000\ndata 3\nwf\n'
        printf 'M 100644 inline wf/workflow.yaml\ndata %d\n%s\n' "${#wf}" "$wf"
        printf 'M 100644 inline wf/nodes/fetch.ts\ndata %d\n%s\n' "${#ts}" "$ts"
        for i in $(seq 1 "$commits"); do
            line="$i"$'\n'
            printf 'commit refs/heads/main\ncommitter bench <bench@example.com> %d +0000\ndata 5\nother\n' $((1700000000 + i))
            printf 'M 100644 inline other/counter.txt\ndata %d\n%s\n' "${#line}" "$line"
        done
    } | git -C "$repo" fast-import --quiet
    git -C "$repo" checkout -q main
    git -C "$repo" branch near main
    git -C "$repo" checkout -q near
    echo "// touched" >> "$repo/wf/nodes/fetch.ts"
    git -C "$repo" commit -q -am "touch wf"
    git -C "$repo" checkout -q main
    git -C "$repo" gc -q
fi
expected=$(git -C "$repo" log -1 --format=%H HEAD -- wf)
stamped=$("$bin" render HEAD -C "$repo" -w wf 2>/dev/null | sed -nE 's/.*kubectl.kubernetes.io\/restartedAt: (.*)$/\1/p' | tr -d "'\"")
[ "$stamped" = "$expected" ] || { echo "stamp $stamped is not git's $expected" >&2; exit 1; }

far() { "$bin" render HEAD -C "$repo" -w wf; }
near() { "$bin" render near -C "$repo" -w wf; }
gitlog() { git -C "$repo" log -1 --format=%H HEAD -- wf; }
t_far=$(time_runs "$runs" far)
t_near=$(time_runs "$runs" near)
t_git=$(time_runs "$runs" gitlog)
walk=$((t_far - t_near))
echo "workflow last changed $commits commits before HEAD; $runs runs each, median wall time"
echo "pipedreamer render HEAD (walks $commits commits):  ${t_far} us"
echo "pipedreamer render near (walks none):             ${t_near} us"
echo "the walk:                                          ${walk} us ($(awk -v w="$walk" -v n="$commits" 'BEGIN { printf "%.2f", w / n }') us a commit)"
echo "git log -1 HEAD -- wf:                             ${t_git} us"
echo "ratio walk / git log:                              $(ratio "$walk" "$t_git")"
