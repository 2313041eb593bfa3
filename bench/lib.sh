# Shared helpers for the benchmark scripts: a release build and a wall-clock timer.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_root/.." && pwd)
work="${BENCH_WORK:-$bench_root/.work}"
mkdir -p "$work"

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

# The release binary: $PIPEDREAMER when set, else built from this checkout as install.sh builds
# it (static Swift runtime), with pipedreamer-hook beside it.
pipedreamer_binary() {
    if [ -n "${PIPEDREAMER:-}" ]; then echo "$PIPEDREAMER"; return; fi
    (cd "$repo_root" && swift build -c release --static-swift-stdlib --product pipedreamer >/dev/null 2>&1 \
        && swift build -c release --static-swift-stdlib --product pipedreamer-hook >/dev/null 2>&1) \
        || { echo "release build failed" >&2; exit 1; }
    echo "$repo_root/.build/release/pipedreamer"
}

# The release kube-test-server (the local API server): $KUBE_TEST_SERVER when set, else built from this checkout.
kube_test_server_binary() {
    if [ -n "${KUBE_TEST_SERVER:-}" ]; then echo "$KUBE_TEST_SERVER"; return; fi
    (cd "$repo_root" && swift build -c release --product kube-test-server >/dev/null 2>&1) || { echo "release build of kube-test-server failed" >&2; exit 1; }
    echo "$repo_root/.build/release/kube-test-server"
}

now_ns() { date +%s%N; }

# time_runs N CMD...: runs CMD N times (after one warm-up) and prints the median wall time in microseconds.
time_runs() {
    local n=$1; shift
    "$@" >/dev/null 2>&1 || true
    local samples=()
    for _ in $(seq "$n"); do
        local start end
        start=$(now_ns)
        "$@" >/dev/null 2>&1 || true
        end=$(now_ns)
        samples+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
