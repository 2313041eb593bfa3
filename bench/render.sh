#!/usr/bin/env bash
# Times `pipedreamer render` of a 900KB workflow against `git archive REV DIR | tar -x` of the
# same directory, in the same run, and prints the ratio. Goal: ratio <= 1.0. It also times each
# side's bare start-up (`pipedreamer --version`; `git --version` and `tar --version`) and prints the
# ratio of the work left after it, the figure that does not depend on how fast a process starts.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${RUNS:-21}
bin=$(pipedreamer_binary)

repo="$work/render-900k"
if [ ! -d "$repo/.git" ]; then
    rm -rf "$repo"; mkdir -p "$repo/wf/nodes"
    git -C "$repo" init -q -b main
    printf 'name: big\nversion: "1.0"\nnodes:\n' > "$repo/wf/workflow.yaml"
    # 90 node files of ~10KB of TypeScript-like text: close to the 921,600-byte limit.
    for i in $(seq -w 1 90); do
        printf '  n%s: nodes/n%s.ts\n' "$i" "$i" >> "$repo/wf/workflow.yaml"
        awk -v i="$i" 'BEGIN { for (l = 0; l < 200; l++) printf "export const value_%s_%03d = \"%s\";\n", i, l, substr("abcdefghijklmnopqrstuvwxyz0123456789", 1, 10) }' > "$repo/wf/nodes/n$i.ts"
    done
    git -C "$repo" add -A && git -C "$repo" commit -q -m bench
fi
bytes=$("$bin" check -C "$repo" -w wf | sed -E 's/.*ok, ([0-9]+) of.*/\1/')
out="$work/archive-out"

archive() { rm -rf "$out" && mkdir -p "$out" && git -C "$repo" archive HEAD wf | tar -x -C "$out"; }
render() { "$bin" render HEAD -C "$repo" -w wf; }

start_pd() { "$bin" --version; }
start_git() { git --version && tar --version; }

t_render=$(time_runs "$runs" render)
t_archive=$(time_runs "$runs" archive)
t_start_pd=$(time_runs "$runs" start_pd)
t_start_git=$(time_runs "$runs" start_git)
echo "bundle: $bytes bytes in $(git -C "$repo" ls-tree -r --name-only HEAD wf | wc -l) files; $runs runs each, median wall time"
echo "pipedreamer render:          ${t_render} us"
echo "git archive | tar -x:        ${t_archive} us"
echo "ratio render/archive:        $(ratio "$t_render" "$t_archive")"
echo "pipedreamer --version:       ${t_start_pd} us"
echo "git --version; tar --version: ${t_start_git} us"
echo "ratio after start-up:        $(ratio "$((t_render - t_start_pd))" "$((t_archive - t_start_git))")"
