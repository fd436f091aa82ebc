#!/usr/bin/env bash
# The fleet test of `make fleet-test` (mk/roles.mk), run by scripts/with-simulator.sh:
#   0. bad input (a misspelt key in a cluster_definition) fails the role's argument
#      validation before any request; check mode predicts a change for every cluster
#      and sends no mutating request;
#   1. playbooks/fleet.yml with the example inventory (10 clusters) converges:
#      every cluster is built, nothing fails;
#   2. a second run reports changed=0 for every cluster and sends no mutating
#      request to the API (the simulator's request log);
#   3. playbooks/teardown.yml deletes them all: no cluster is left;
#   4. a failure in the middle of the fleet: the first four clusters exist, the
#      simulator's fail-next rule makes the next cluster create fail, and the fleet
#      is converged with fleet_throttle=1 (creates sent one host at a time, in
#      inventory order), so the fifth host (web-stg-01) fails: its host fails with
#      the status and reason, the five clusters after it and the four before
#      converge, with their kubeconfigs.
# Every converge shows the fleet wait's progress lines (nks_wait: N/M clusters settled ...).
# Needs NKS_SIM_URL and the NHN_CLOUD_* variables (with-simulator.sh sets them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/.venv/bin
inventory=$root/playbooks/inventories/fleet
work=${FLEET_WORK_DIR:-$root/.build/fleet-test}
forks=${FLEET_FORKS:-10}
expected_hosts=10
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$root/.build/collections}
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
rm -rf "$work"
mkdir -p "$work"

fail() { echo "fleet-test: FAILED: $*" >&2; exit 1; }

# Total of the simulator's mutating requests (POST/PATCH/PUT/DELETE on /v1).
mutations() {
  "$bin/python" - "$NKS_SIM_URL/_sim/stats" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    print(json.load(response)["totals"]["mutate"])
PY
}

# Runs a playbook on the fleet; the output goes to $work/<name>.log.
play() {
  local name=$1; shift
  local start=$SECONDS
  if ! "$bin/ansible-playbook" -i "$inventory" --forks "$forks" \
      -e "cluster_kubeconfig_dir=$work/kube" "$@" >"$work/$name.log" 2>&1; then
    tail -n 60 "$work/$name.log" >&2
    fail "$name: ansible-playbook failed (log: $work/$name.log)"
  fi
  echo "fleet-test: $name: $((SECONDS - start))s"
}

# The PLAY RECAP lines of a log: "<host> : ok=N changed=N ...".
recap() { sed -n '/^PLAY RECAP/,$p' "$1" | grep -E '^[a-z0-9-]+ +: ok=' || true; }

# 0. bad input, check mode
before=$(mutations)
if "$bin/ansible-playbook" -i "$inventory" --limit sandbox-01 "$root/playbooks/fleet.yml" \
    -e '{"cluster_definition": {"name": "sandbox-01", "node_cout": 2}}' >"$work/bad-input.log" 2>&1; then
  fail "bad input: fleet.yml accepted cluster_definition.node_cout"
fi
grep -q 'cluster_definition.node_cout' "$work/bad-input.log" || fail "bad input: no argument error naming node_cout ($work/bad-input.log)"
play check "$root/playbooks/fleet.yml" --check
if recap "$work/check.log" | grep -E 'changed=0 |failed=[1-9]|unreachable=[1-9]'; then
  fail "check mode: a cluster above was not predicted as created, or failed"
fi
[[ $(recap "$work/check.log" | wc -l) -eq $expected_hosts ]] || fail "check mode: expected $expected_hosts hosts in the recap"
after=$(mutations)
[[ $after -eq $before ]] || fail "bad input / check mode sent $((after - before)) mutating requests"
echo "fleet-test: bad input refused, check mode predicted $expected_hosts clusters, 0 mutating requests"

# 1. converge
play converge "$root/playbooks/fleet.yml"
hosts=$(recap "$work/converge.log" | wc -l)
[[ $hosts -eq $expected_hosts ]] || fail "converge: $hosts hosts in the recap, expected $expected_hosts"
if recap "$work/converge.log" | grep -E 'changed=0 |failed=[1-9]|unreachable=[1-9]'; then
  fail "converge: a cluster above was not built (changed=0) or failed"
fi
changed=$(recap "$work/converge.log" | sed -E 's/.*changed=([0-9]+).*/\1/' | awk '{ s += $1 } END { print s }')
echo "fleet-test: converge: $hosts clusters, $changed changed tasks"
grep -qE '^nks_wait: [0-9]+/10 clusters settled, 0 failed, [0-9]+ running' "$work/converge.log" \
  || fail "converge: no progress line of the fleet wait in the output"
for kubeconfig in "$work"/kube/*.kubeconfig; do
  [[ $(stat -c %a "$kubeconfig") == 600 ]] || fail "$kubeconfig: mode $(stat -c %a "$kubeconfig"), expected 600"
done
count=$(find "$work/kube" -name '*.kubeconfig' | wc -l)
[[ $count -eq $expected_hosts ]] || fail "converge: $count kubeconfig files, expected $expected_hosts"

# 2. idempotence
before=$(mutations)
play idempotence "$root/playbooks/fleet.yml"
after=$(mutations)
hosts=$(recap "$work/idempotence.log" | wc -l)
[[ $hosts -eq $expected_hosts ]] || fail "idempotence: $hosts hosts in the recap, expected $expected_hosts"
if recap "$work/idempotence.log" | grep -vE ' changed=0 .* failed=0 '; then
  fail "idempotence: the second run changed something (above)"
fi
[[ $after -eq $before ]] || fail "idempotence: the second run sent $((after - before)) mutating requests"
echo "fleet-test: idempotence: $hosts clusters, changed=0, 0 mutating requests"

# 3. teardown
play teardown "$root/playbooks/teardown.yml" -e cluster_hosts=nks_fleet
if recap "$work/teardown.log" | grep -E 'failed=[1-9]|unreachable=[1-9]'; then
  fail "teardown failed (above)"
fi
left=$("$bin/ansible" localhost -e "ansible_python_interpreter=$bin/python" \
  -m nhncloud.nks.nks_info -a 'gather=clusters' 2>&1) || fail "teardown: nks_info failed: $left"
grep -q '"clusters": \[\]' <<<"$left" || fail "teardown: clusters left: $left"
remaining=$(find "$work/kube" -name '*.kubeconfig' | wc -l)
[[ $remaining -eq 0 ]] || fail "teardown: $remaining kubeconfig files left"
echo "fleet-test: teardown: $expected_hosts clusters and kubeconfigs deleted"

# 4. a failure in the middle of the fleet
failing=web-stg-01
reason="fleet-test: quota exceeded"
play before-failure "$root/playbooks/fleet.yml" --limit web-prod-01,web-prod-02,api-prod-01,api-prod-02
"$bin/python" - "$NKS_SIM_URL/_sim/faults/fail-next" "$reason" <<'PY'
import json, sys, urllib.request
body = json.dumps({"operation": "CLUSTER_CREATE", "reason": sys.argv[2], "count": 1}).encode()
request = urllib.request.Request(sys.argv[1], body, {"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(request, timeout=10).close()
PY
rc=0
"$bin/ansible-playbook" -i "$inventory" --forks "$forks" -e "cluster_kubeconfig_dir=$work/kube" -e fleet_throttle=1 \
  "$root/playbooks/fleet.yml" >"$work/failure.log" 2>&1 || rc=$?
[[ $rc -eq 2 ]] || { tail -n 40 "$work/failure.log" >&2; fail "failure: ansible-playbook exited $rc, expected 2 (a host failed)"; }
[[ $(recap "$work/failure.log" | grep -c ' failed=0 ') -eq $((expected_hosts - 1)) ]] \
  || fail "failure: expected $((expected_hosts - 1)) hosts with failed=0 ($work/failure.log)"
recap "$work/failure.log" | grep -qE "^$failing +: .* failed=1 " || fail "failure: $failing did not fail ($work/failure.log)"
grep -qF "fatal: [$failing]: FAILED! => {\"changed\": false, \"msg\": \"cluster '$failing' is CREATE_FAILED: $reason\"}" \
  "$work/failure.log" || fail "failure: $failing did not report its status and reason ($work/failure.log)"
grep -qF "nks_wait: cluster '$failing' is CREATE_FAILED: $reason" "$work/failure.log" \
  || fail "failure: the fleet wait did not show the failure as it happened"
count=$(find "$work/kube" -name '*.kubeconfig' | wc -l)
[[ $count -eq $((expected_hosts - 1)) && ! -e $work/kube/$failing.kubeconfig ]] \
  || fail "failure: $count kubeconfig files, expected $((expected_hosts - 1)) (all but $failing)"
echo "fleet-test: failure: $failing failed with its reason, the other $((expected_hosts - 1)) clusters converged"
echo "fleet-test: ok"
