#!/usr/bin/env bash
# Deploys a 900KB workflow to the local test API server (kube-test-server, plain HTTP) and, in the
# same run, does the same with `kubectl apply --server-side` of `pipedreamer render` plus
# `kubectl rollout restart` and `kubectl rollout status`. Prints wall time and requests sent
# (counted by the server, GET /debug/requests) for each, and the ratios.
# Goals: requests per deploy <= objects + 3 (preflight reported apart), and a no-op redeploy
# changes no resourceVersion and no pod template.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${RUNS:-5}
bin=$(pipedreamer_binary)
server_bin=$(kube_test_server_binary)
name=big
objects=4   # ConfigMap, Deployment, Service, CronJob

repo="$work/deploy-900k"
if [ ! -d "$repo/.git" ]; then
    rm -rf "$repo"; mkdir -p "$repo/wf/nodes"
    git -C "$repo" init -q -b main
    printf 'name: %s\nversion: "1.0"\ntriggers:\n  - type: manual\n  - type: cron\n    schedule: "0 * * * *"\nnodes:\n' "$name" > "$repo/wf/workflow.yaml"
    # 90 node files of ~10KB of TypeScript-like text (bench/render.sh's generator, 240 lines a file):
    # close to the 921,600-byte limit.
    for i in $(seq -w 1 90); do
        printf '  n%s: nodes/n%s.ts\n' "$i" "$i" >> "$repo/wf/workflow.yaml"
        awk -v i="$i" 'BEGIN { for (l = 0; l < 240; l++) printf "export const value_%s_%03d = \"%s\";\n", i, l, substr("abcdefghijklmnopqrstuvwxyz0123456789", 1, 10) }' > "$repo/wf/nodes/n$i.ts"
    done
    git -C "$repo" add -A && git -C "$repo" commit -q -m bench
fi
bytes=$("$bin" check -C "$repo" -w wf | sed -E 's/.*ok, ([0-9]+) of.*/\1/')

# One namespace per measured deploy, so every first deploy starts from nothing.
namespaces=()
for i in $(seq 0 "$runs"); do namespaces+=(--namespace "pd-$i" --namespace "kc-$i"); done
server_out="$work/kube-test-server.out"
"$server_bin" --port 0 --rollout-delay 20 "${namespaces[@]}" > "$server_out" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
    url=$(sed -nE 's/^kube-test-server listening on (http:[^ ]+)$/\1/p' "$server_out")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "kube-test-server did not start:" >&2; cat "$server_out" >&2; exit 1; }

kubeconfig="$work/deploy-kubeconfig"
cat > "$kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster:
    server: $url
users:
- name: bench
  user: {}
contexts:
- name: bench
  context:
    cluster: bench
    user: bench
current-context: bench
YAML
export KUBECONFIG="$kubeconfig"
kubectl_cache="$work/kubectl-cache"

request_count() { curl -sf "$url/debug/requests" | jq .count; }

# classify FROM: the requests after index FROM, as "preflight lease dryruns writes polls other".
# Preflight is pipedreamer's checks (version, namespace, access reviews, runtime class, the labelled
# lists of current state) and kubectl's /version and discovery; lease is every request to the deploy
# Lease; dry runs are the server-side dry runs of the applies (dryRun=All) that validate every object
# before the first write; polls are reads of the Deployment.
classify_query=$(cat <<'JQ'
.requests[$from:] as $all
| ($all | map(select(.path | test("/leases")))) as $lease
| ($all | map(select(.path | test("/leases") | not))) as $r
| ($r | map(select(.method == "GET" and (.path == "/version" or (.path | test("^/api(/v1)?$|^/apis(/[^/]+){0,2}$"))
                  or (.path | test("^/api/v1/namespaces/[^/]+$|runtimeclasses")) or (.query | test("labelSelector")))))) as $checks
| ($r | map(select(.path | test("selfsubjectaccessreviews")))) as $reviews
| (($checks | length) + ($reviews | length)) as $pre
| ($r | map(select(.method != "GET" and (.query | test("dryRun=All"))))) as $dry
| ($r | map(select(.method != "GET" and (.path | test("selfsubjectaccessreviews") | not) and (.query | test("dryRun=All") | not))) | length) as $writes
| ($r | map(select(.method == "GET" and (.path | test("/deployments(/[^/]+)?$")) and (.query | test("labelSelector") | not))) | length) as $polls
| "\($pre) \($lease | length) \($dry | length) \($writes) \($polls) \(($r | length) - $pre - ($dry | length) - $writes - $polls)"
JQ
)
classify() { curl -sf "$url/debug/requests" | jq -r --argjson from "$1" "$classify_query"; }

# versions NS: resourceVersions of the four objects and the Deployment's generation, on one line.
versions() {
    local ns=$1 out=""
    for path in "api/v1/namespaces/$ns/configmaps/$name-code" "apis/apps/v1/namespaces/$ns/deployments/$name" \
                "api/v1/namespaces/$ns/services/$name" "apis/batch/v1/namespaces/$ns/cronjobs/$name-cron"; do
        out+="$(curl -sf "$url/$path" | jq -r .metadata.resourceVersion) "
    done
    echo "$out$(curl -sf "$url/apis/apps/v1/namespaces/$ns/deployments/$name" | jq -r .metadata.generation)"
}

pd_deploy() { "$bin" deploy -C "$repo" -w wf -n "$1" --kubeconfig "$kubeconfig" >/dev/null; }
kc_deploy() {
    "$bin" render -C "$repo" -w wf -n "$1" > "$work/rendered.yaml" 2>/dev/null
    kubectl --cache-dir "$kubectl_cache" apply --server-side --validate=false -f "$work/rendered.yaml" >/dev/null
    kubectl --cache-dir "$kubectl_cache" -n "$1" rollout restart "deployment/$name" >/dev/null
}
kc_wait() { kubectl --cache-dir "$kubectl_cache" -n "$1" rollout status "deployment/$name" --timeout=60s >/dev/null; }

# measure VAR CMD...: runs CMD once; VAR_us gets the wall time, VAR_req the request classes.
measure() {
    local var=$1; shift
    local before start end
    before=$(request_count)
    start=$(now_ns)
    "$@"
    end=$(now_ns)
    printf -v "${var}_us" '%s' $(( (end - start) / 1000 ))
    local classes
    classes=$(classify "$before")
    printf -v "${var}_req" '%s' "$classes"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Warm-up (namespace index 0): page cache, kubectl's discovery cache.
pd_deploy pd-0; kc_deploy kc-0; kc_wait kc-0

t_first=() t_noop=() t_kc=() t_kcwait=()
noop_changed=0
for i in $(seq 1 "$runs"); do
    measure first pd_deploy "pd-$i"; t_first+=("$first_us")
    v_before=$(versions "pd-$i")
    measure noop pd_deploy "pd-$i"; t_noop+=("$noop_us")
    v_after=$(versions "pd-$i")
    [ "$v_before" = "$v_after" ] || noop_changed=$((noop_changed + 1))
    measure kc kc_deploy "kc-$i"; t_kc+=("$kc_us")
    measure kcwait kc_wait "kc-$i"; t_kcwait+=("$kcwait_us")
done
# The lease's own cost in wall time: its three sequential round trips (GET 404, POST, DELETE), as curl makes them.
lease_path="$url/apis/coordination.k8s.io/v1/namespaces/pd-0/leases"
lease_body='{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"bench-deploy"},"spec":{"holderIdentity":"bench","leaseDurationSeconds":30}}'
lease_trips() {
    curl -s -o /dev/null "$lease_path/bench-deploy"
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "$lease_body" "$lease_path"
    curl -s -o /dev/null -X DELETE "$lease_path/bench-deploy"
}
m_lease=$(time_runs "$runs" lease_trips)

kc_total=()
for i in $(seq 0 $((runs - 1))); do kc_total+=($(( t_kc[i] + t_kcwait[i] ))); done

read -r f_pre f_lease f_dry f_writes f_polls f_other <<< "$first_req"
read -r n_pre n_lease n_dry n_writes n_polls n_other <<< "$noop_req"
read -r k_pre k_lease k_dry k_writes k_polls k_other <<< "$kc_req"
read -r w_pre w_lease w_dry w_writes w_polls w_other <<< "$kcwait_req"
m_first=$(median "${t_first[@]}"); m_noop=$(median "${t_noop[@]}")
m_kc=$(median "${t_kc[@]}"); m_kcall=$(median "${kc_total[@]}")
f_deploy=$((f_writes + f_polls + f_other)); n_deploy=$((n_writes + n_polls + n_other))
f_with_dry=$((f_deploy + f_dry)); n_with_dry=$((n_deploy + n_dry))
kc_gen=$(versions "kc-$runs" | awk '{print $NF}'); pd_gen=$(versions "pd-$runs" | awk '{print $NF}')

echo "bundle: $bytes bytes; $objects objects; $runs runs each (fresh namespace per first deploy), median wall time"
printf '%-44s %10s %10s %6s %8s %8s %7s %7s\n' "" "wall (us)" "preflight" "lease" "dry runs" "writes" "polls" "other"
printf '%-44s %10s %10s %6s %8s %8s %7s %7s\n' "pipedreamer deploy (first)" "$m_first" "$f_pre" "$f_lease" "$f_dry" "$f_writes" "$f_polls" "$f_other"
printf '%-44s %10s %10s %6s %8s %8s %7s %7s\n' "pipedreamer deploy (no-op redeploy)" "$m_noop" "$n_pre" "$n_lease" "$n_dry" "$n_writes" "$n_polls" "$n_other"
printf '%-44s %10s %10s %6s %8s %8s %7s %7s\n' "kubectl apply --server-side + rollout restart" "$m_kc" "$k_pre" "$k_lease" "$k_dry" "$k_writes" "$k_polls" "$k_other"
printf '%-44s %10s %10s %6s %8s %8s %7s %7s\n' "  ... + kubectl rollout status" "$m_kcall" "$((k_pre + w_pre))" "0" "0" "$((k_writes + w_writes))" "$((k_polls + w_polls))" "$((k_other + w_other))"
echo "lease: $f_lease requests per deploy; its 3 round trips take $m_lease us by curl (3 process starts included)"
echo "pod template generations after a first deploy: pipedreamer $pd_gen, kubectl apply + restart $kc_gen"
echo "ratio first deploy / (kubectl apply + restart):          $(ratio "$m_first" "$m_kc")"
echo "ratio first deploy / (kubectl apply + restart + status): $(ratio "$m_first" "$m_kcall")"
echo "ratio no-op redeploy / first deploy:                     $(ratio "$m_noop" "$m_first")"
verdict() { if [ "$1" -le "$2" ]; then echo "ok"; else echo "FAILED"; fi; }
echo "goal: requests per first deploy (preflight excluded) $f_deploy <= objects + 3 = $((objects + 3)): $(verdict "$f_deploy" $((objects + 3)))"
echo "goal: requests per no-op redeploy (preflight excluded) $n_deploy <= objects + 3 = $((objects + 3)): $(verdict "$n_deploy" $((objects + 3)))"
echo "with the dry runs: first deploy $f_with_dry, no-op redeploy $n_with_dry (objects + 3 = $((objects + 3)))"
echo "no-op redeploy writes: $n_writes: $(verdict "$n_writes" 0)"
echo "goal: no-op redeploys that changed a resourceVersion or the template: $noop_changed of $runs: $(verdict "$noop_changed" 0)"
