#!/usr/bin/env bash
# `make runner-slice-test` (mk/roles.mk): playbooks/fleet.yml as an AWX sliced job.
#
# AWX runs a job template with "job slices" N as N jobs at once; job k (1..N) gets an
# inventory of every Nth enabled host, in the order of the host names, starting at the
# k-th (awx/main/models/inventory.py, Inventory.get_sliced_hosts: hosts.order_by('name')
# [k-1::N]). Emulated here with ansible-runner, AWX's engine: the example inventory's
# hosts (ansible-inventory --list) sorted by name, slice k = sorted[k-1::N], each slice a
# concurrent `ansible-runner run` of fleet.yml with its own private data dir (prepared by
# prepare.sh, credentials from the AWX credential type) and `--limit` set to the slice's
# hosts. (AWX gives each slice an inventory holding only its hosts; --limit keeps the
# others out of the play, which is what fleet.yml sees: it works on ansible_play_batch.)
#
#   1. the N slices at once: every job successful, every cluster of the inventory exists
#      once (one create per cluster, no name twice), each slice sent one identity request;
#   2. the same playbook once unsliced (one job over every host): changed=0, no mutating
#      request;
#   3. the N slices again: changed=0, no mutating request, one identity request per slice.
# Needs NKS_SIM_URL, NKS_API_URL and the NHN_CLOUD_* variables (scripts/with-simulator.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/.venv/bin
slices=${RUNNER_SLICES:-4}
work=${RUNNER_SLICE_DIR:-$root/.build/runner-slices}
inventory=$root/playbooks/inventories/fleet

fail() { echo "runner-slice-test: FAILED: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
# Host names of the inventory group nks_fleet, sorted as AWX orders them.
mapfile -t hosts < <("$bin/ansible-inventory" -i "$inventory" --list 2>/dev/null | "$bin/python" -c '
import json, sys
data = json.load(sys.stdin)
def hosts(group):
    entry = data.get(group, {})
    found = set(entry.get("hosts", []))
    for child in entry.get("children", []):
        found |= hosts(child)
    return found
print("\n".join(sorted(hosts("nks_fleet"))))')
[[ ${#hosts[@]} -ge $slices ]] || fail "the inventory has ${#hosts[@]} hosts, fewer than $slices slices"

# slice_hosts K: the hosts of slice K (1-based), comma-separated.
slice_hosts() {
  local k=$1 i out=()
  for ((i = k - 1; i < ${#hosts[@]}; i += slices)); do out+=("${hosts[i]}"); done
  (IFS=,; echo "${out[*]}")
}

# Simulator request log: the sequence number of the last request, and counts since one.
last_seq() { "$bin/python" -c 'import json, sys, urllib.request
r = json.load(urllib.request.urlopen(sys.argv[1] + "/_sim/requests", timeout=10))["requests"]
print(max([e["seq"] for e in r] or [0]))' "$NKS_SIM_URL"; }
count_since() {  # count_since SEQ KIND [METHOD ROUTE]
  "$bin/python" -c 'import json, sys, urllib.request
r = json.load(urllib.request.urlopen(sys.argv[1] + "/_sim/requests?since=" + sys.argv[2], timeout=10))["requests"]
want = sys.argv[3:]
print(sum(1 for e in r if e["kind"] == want[0] and (len(want) < 3 or (e["method"], e["route"]) == (want[1], want[2]))))' \
    "$NKS_SIM_URL" "$@"; }

# run_job NAME LIMIT: one ansible-runner job (own private data dir) in the background.
run_job() {
  local name=$1 limit=$2 dir=$work/$1
  "$here/prepare.sh" "$dir" "$work/kube" >/dev/null
  (
    unset NKS_API_URL NHN_CLOUD_IDENTITY_URL NHN_CLOUD_TENANT_ID NHN_CLOUD_USERNAME NHN_CLOUD_API_PASSWORD NHN_CLOUD_REGION
    "$bin/ansible-runner" run "$dir" --playbook fleet.yml --ident "$name" ${limit:+--limit "$limit"} \
      >"$dir/runner.log" 2>&1
  ) &
}

# check_job NAME EXPECTED_HOSTS MAX_CHANGED: the job succeeded over exactly those hosts;
# prints the job's changed task count.
check_job() {
  local name=$1 artifacts=$work/$1/artifacts/$1
  [[ $(cat "$artifacts/status" 2>/dev/null) == successful ]] \
    || { tail -n 30 "$artifacts/stdout" >&2 2>/dev/null || tail -n 30 "$work/$name/runner.log" >&2; fail "$name: job status is not successful"; }
  "$bin/python" - "$artifacts/job_events" "$2" "$3" "$name" <<'PY'
import json, pathlib, sys
events = [json.loads(p.read_text()) for p in pathlib.Path(sys.argv[1]).glob("*.json")]
stats = [e["event_data"] for e in events if e.get("event") == "playbook_on_stats"]
name = sys.argv[4]
if len(stats) != 1:
    sys.exit(f"runner-slice-test: FAILED: {name}: {len(stats)} playbook_on_stats events")
data = stats[0]
ran = set(data.get("ok", {})) | set(data.get("changed", {}))
expected = set(sys.argv[2].split(","))
bad = {k: data.get(k) for k in ("failures", "dark") if data.get(k)}
changed = sum(data.get("changed", {}).values())
if ran != expected or bad:
    sys.exit(f"runner-slice-test: FAILED: {name}: hosts {sorted(ran)}, expected {sorted(expected)}; failed: {bad}")
if changed > int(sys.argv[3]):
    sys.exit(f"runner-slice-test: FAILED: {name}: {changed} changed tasks, expected at most {sys.argv[3]}")
print(changed)
PY
}

# sliced ROUND MAX_CHANGED: the N slices at once; checks every job, prints the changed total.
sliced() {
  local round=$1 k total=0 changed
  for ((k = 1; k <= slices; k++)); do run_job "$round-slice$k" "$(slice_hosts "$k")"; done
  wait
  for ((k = 1; k <= slices; k++)); do
    changed=$(check_job "$round-slice$k" "$(slice_hosts "$k")" "$2") || exit 1
    total=$((total + changed))
  done
  echo "$total"
}

all=$(IFS=,; echo "${hosts[*]}")
echo "runner-slice-test: ${#hosts[@]} hosts in $slices slices: $(for ((k = 1; k <= slices; k++)); do printf '[%s] ' "$(slice_hosts "$k")"; done)"

# 1. the slices at once
mark=$(last_seq); start=$SECONDS
changed=$(sliced converge 1000) || exit 1
creates=$(count_since "$mark" mutate POST /v1/clusters)
identity=$(count_since "$mark" identity)
echo "runner-slice-test: converge: $slices concurrent jobs in $((SECONDS - start))s, $changed changed tasks, $creates cluster creates, $identity identity requests"
[[ $creates -eq ${#hosts[@]} ]] || fail "converge: $creates cluster creates for ${#hosts[@]} clusters"
[[ $identity -eq $slices ]] || fail "converge: $identity identity requests for $slices slices (one each expected)"
"$bin/python" - "$NKS_SIM_URL" "$all" <<'PY'
import collections, json, os, sys, urllib.request
# The NKS API itself (not /_sim/): the clusters as a user would list them.
base = os.environ["NKS_SIM_URL"]
body = json.dumps({"auth": {"tenantId": os.environ["NHN_CLOUD_TENANT_ID"], "passwordCredentials": {
    "username": os.environ["NHN_CLOUD_USERNAME"], "password": os.environ["NHN_CLOUD_API_PASSWORD"]}}}).encode()
token = json.load(urllib.request.urlopen(urllib.request.Request(
    base + "/v2.0/tokens", body, {"Content-Type": "application/json"}), timeout=10))["access"]["token"]["id"]
listing = json.load(urllib.request.urlopen(urllib.request.Request(base + "/v1/clusters", headers={
    "X-Auth-Token": token, "OpenStack-API-Version": "container-infra latest"}), timeout=10))["clusters"]
names = collections.Counter(c["name"] for c in listing)
expected = set(sys.argv[2].split(","))
twice = sorted(n for n, k in names.items() if k > 1)
bad = sorted("%s=%s" % (c["name"], c["status"]) for c in listing if c["status"] != "CREATE_COMPLETE"
             and not c["status"].endswith("UPDATE_COMPLETE"))
if set(names) != expected or twice or bad:
    sys.exit(f"runner-slice-test: FAILED: clusters {sorted(names)}; twice: {twice}; not complete: {bad}")
print(f"runner-slice-test: converge: {len(names)} clusters, each once, all complete")
PY
kubeconfigs=$(find "$work/kube" -name '*.kubeconfig' | wc -l)
[[ $kubeconfigs -eq ${#hosts[@]} ]] || fail "converge: $kubeconfigs kubeconfig files, expected ${#hosts[@]}"

# 2. once unsliced
mark=$(last_seq); start=$SECONDS
run_job unsliced ""
wait
changed=$(check_job unsliced "$all" 0) || exit 1
mutations=$(count_since "$mark" mutate)
echo "runner-slice-test: unsliced: one job over ${#hosts[@]} hosts in $((SECONDS - start))s, changed=$changed, $mutations mutating requests"
[[ $mutations -eq 0 ]] || fail "unsliced: $mutations mutating requests after the sliced converge"

# 3. the slices again
mark=$(last_seq); start=$SECONDS
changed=$(sliced again 0) || exit 1
mutations=$(count_since "$mark" mutate)
identity=$(count_since "$mark" identity)
echo "runner-slice-test: second sliced run: $((SECONDS - start))s, changed=$changed, $mutations mutating requests, $identity identity requests"
[[ $mutations -eq 0 ]] || fail "second sliced run: $mutations mutating requests"
[[ $identity -eq $slices ]] || fail "second sliced run: $identity identity requests for $slices slices"
echo "runner-slice-test: ok"
