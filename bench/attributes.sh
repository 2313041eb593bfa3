#!/usr/bin/env bash
# Times attribute matching: `pipedreamer check` of a workflow of FILES node files under a root
# .gitattributes of RULES lines (literal names, `*.ext` endings, paths with a slash and globs, in
# turn), against `git check-attr --all --cached` of the same paths, in the same run, and prints the
# ratio. Goal: within a few times git's. RULES=100000 FILES=100 RUNS=5 by default.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${RUNS:-5}
rules=${RULES:-100000}
files=${FILES:-100}
bin=$(pipedreamer_binary)

repo="$work/attributes-$rules-$files"
if [ ! -d "$repo/.git" ]; then
    rm -rf "$repo"; mkdir -p "$repo/nodes"
    git -C "$repo" init -q -b main
    awk -v rules="$rules" 'BEGIN {
        for (i = 0; i < rules; i++) {
            k = i % 4
            if (k == 0) printf "file%d.ts diff=literal\n", i
            else if (k == 1) printf "*.e%d -diff\n", i
            else if (k == 2) printf "nodes/d%d/*.ts text\n", i
            else printf "n%d*[0-9].ts eol=lf\n", i
        } }' > "$repo/.gitattributes"
    printf 'name: bench\nversion: "1.0"\nnodes:\n' > "$repo/workflow.yaml"
    for i in $(seq 0 $((files - 1))); do
        printf '  n%s: nodes/n%s.ts\n' "$i" "$i" >> "$repo/workflow.yaml"
        printf 'export default async () => (%s);\n' "$i" > "$repo/nodes/n$i.ts"
    done
    git -C "$repo" add -A && git -C "$repo" commit -q --no-verify -m bench
    git -C "$repo" ls-files nodes > "$repo.paths"
fi

check() { "$bin" check -C "$repo"; }
check_attr() { git -C "$repo" check-attr --all --cached --stdin < "$repo.paths"; }
start() { "$bin" --version; }

ours=$(time_runs "$runs" check)
git_time=$(time_runs "$runs" check_attr)
startup=$(time_runs "$runs" start)
echo "$rules rules x $files files, median of $runs:"
echo "  pipedreamer check        ${ours} us (start-up ${startup} us)"
echo "  git check-attr --all     ${git_time} us"
echo "  ratio check / check-attr $(ratio "$ours" "$git_time")"
