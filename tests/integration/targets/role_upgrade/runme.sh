#!/usr/bin/env bash
# Acceptance test of the role nhncloud.nks.upgrade and playbooks/upgrade.yml,
# run by `make upgrade-test` (mk/upgrade.mk) through scripts/with-simulator.sh,
# which sets NKS_SIM_URL, NKS_API_URL, NHN_CLOUD_* for a fresh simulator.
#
#  (The planner alone on 20 fabricated layouts, including ones the simulator
#  cannot produce: tests/unit/plugins/filter/test_upgrade_plan.py.)
#  1. prepare.yml creates upg-old (v1.27.3, + node group upg-extra), upg-mid
#     (v1.28.3) and upg-new (v1.29.3, the newest) with the modules; the
#     inventory plugin nhncloud.nks.nks lists them (nks_need_upgrade; v1.28/v1.29
#     in nks_support_ending, their end of service being past).
#  2. --check: the plan is printed (with the add-on steps: CNI and CoreDNS are
#     no longer upgraded with Kubernetes, 2026-03 user guide), no mutating request.
#  3. upgrade.yml --limit nks_need_upgrade -e upgrade_kube_version=v1.29.3
#     (the role runs nks_fleet_upgrade for each host's cluster: one step order
#     for a cluster and a fleet, module_utils/_upgrade.py):
#     per cluster, the exact order of the upgrade requests (control plane, then
#     the workers, per minor step, then calico to the version for v1.29), nothing
#     for upg-new, all groups on v1.29.3, every add-on at a version for it.
#  4. a second run on every cluster: changed=0, no mutating request.
#  5. refused: a target below the control plane, a target NKS does not offer,
#     a cluster that does not exist, a cluster busy with a resize; each
#     without a mutating request.
#  6. resume: upg-resume upgraded half way by hand (interrupt.yml), then the
#     playbook with a static inventory and no target (the newest); it gives up
#     waiting for its first node group upgrade (upgrade_wait_timeout), so the
#     run fails while the upgrade goes on in NKS; the next run, once that
#     upgrade is done, goes on with the groups left and finishes. (A failed
#     upgrade, UPDATE_FAILED, is upgraded again by the next run: the update
#     runs' retry, tests/integration/targets/fleet_upgrade, step 4.)
#  7. inconsistent layouts (a worker above the control plane, a worker two
#     minor versions behind), written into a simulator state file, are refused.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
: "${NKS_SIM_URL:?run me through scripts/with-simulator.sh (make upgrade-test)}"
bin=$root/.venv/bin
playbook=$root/playbooks/upgrade.yml
export ANSIBLE_COLLECTIONS_PATH=$root/.build/collections
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
export ANSIBLE_NOCOLOR=true
export ANSIBLE_DEPRECATION_WARNINGS=false
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"

say() { echo "role_upgrade: $*"; }
fail() { echo "role_upgrade: FAILED: $*" >&2; exit 1; }
mark() { "$bin/python" check_requests.py mark; }
expect() { "$bin/python" check_requests.py check "$1" "$2" || fail "$3"; }
# recap FILE: "host changed failed" per host of the PLAY RECAP in FILE.
recap() { sed -n 's/^\([^ ]*\) *: ok=[0-9]* *changed=\([0-9]*\) .*failed=\([0-9]*\) .*/\1 \2 \3/p' "$1" | sort; }
run() { "$bin/ansible-playbook" "$@"; }
refused() {  # refused MESSAGE ARGS...: the playbook fails with MESSAGE and changes nothing
  local message=$1 seq rc=0 out
  shift
  out=$(mktemp)
  seq=$(mark)
  run "$@" >"$out" 2>&1 || rc=$?
  cat "$out"
  [[ $rc -ne 0 ]] || fail "not refused: $*"
  grep -qF -- "$message" "$out" || fail "no '$message' in the output of: $*"
  if grep -q Traceback "$out"; then fail "traceback: $*"; fi
  rm -f "$out"
  expect "$seq" '{"mutations": "none"}' "a refused run sent a mutating request"
}

# runme.sh --layouts: step 7, against the simulator that serves the edited state.
if [[ ${1:-} == --layouts ]]; then
  refused "worker node group upg-extra is on v1.28.3, above the control plane (v1.27.3)" \
    -i upg-old, "$playbook" -e upgrade_kube_version=v1.29.3
  refused "worker node group upg-third is on v1.25.4, neither the control plane version (v1.27.3) nor the minor version before it" \
    -i upg-resume, "$playbook"
  exit 0
fi

cat >"$tmp/upg.nks.yml" <<YAML
plugin: nhncloud.nks.nks
name_filter: ["upg-*"]
YAML

say "1. create the clusters"
run -i localhost, prepare.yml -e '{"role_upgrade_only": ["upg-old", "upg-mid", "upg-new"]}'
"$bin/ansible-inventory" -i "$tmp/upg.nks.yml" --graph nks_need_upgrade | tee "$tmp/graph.txt"
for host in upg-old upg-mid; do
  grep -q -- "--$host\$" "$tmp/graph.txt" || fail "$host should need an upgrade"
done
if grep -q -- 'upg-new' "$tmp/graph.txt"; then fail "upg-new is on the newest version"; fi
# End of service (version guide 2026-03): v1.28 2025-11-30 and v1.29 2026-02-28 are
# past for good; v1.27 is not in the guide (no date, no group).
"$bin/ansible-inventory" -i "$tmp/upg.nks.yml" --graph nks_support_ending | tee "$tmp/eos.txt"
for host in upg-mid upg-new; do
  grep -q -- "--$host\$" "$tmp/eos.txt" || fail "$host should be in nks_support_ending"
done
if grep -q -- 'upg-old' "$tmp/eos.txt"; then fail "upg-old has no end-of-service date"; fi

say "2. check mode prints the plan and changes nothing"
seq=$(mark)
run -i "$tmp/upg.nks.yml" "$playbook" --limit nks_need_upgrade -e upgrade_kube_version=v1.29.3 --check \
  | tee "$tmp/check.txt"
for line in \
  '"step 1: control plane to v1.28.3, then worker node groups default-worker, upg-extra to v1.28.3"' \
  '"step 2: control plane to v1.29.3, then worker node groups default-worker, upg-extra to v1.29.3, then add-ons calico v3.28.2-nks2 -> v3.30.2-nks2"' \
  '"step 1: control plane to v1.29.3, then worker node groups default-worker to v1.29.3, then add-ons calico v3.28.2-nks2 -> v3.30.2-nks2"'; do
  grep -qF -- "$line" "$tmp/check.txt" || fail "check mode did not print $line"
done
[[ $(recap "$tmp/check.txt") == $'upg-mid 1 0\nupg-old 1 0' ]] || fail "check mode recap: $(recap "$tmp/check.txt")"
expect "$seq" '{"mutations": "none"}' "check mode sent a mutating request"

say "3. upgrade every cluster that needs it to v1.29.3 (upg-extra first where it exists)"
seq=$(mark)
run -i "$tmp/upg.nks.yml" "$playbook" --limit nks_need_upgrade -e upgrade_kube_version=v1.29.3 \
  -e '{"upgrade_nodegroup_order": ["upg-extra"]}' | tee "$tmp/run1.txt"
# One changed task per cluster: the steps run in one nks_fleet_upgrade task (the code of update runs);
# the requests, one by one, are checked below.
[[ $(recap "$tmp/run1.txt") == $'upg-mid 1 0\nupg-old 1 0' ]] || fail "first run recap: $(recap "$tmp/run1.txt")"
steps='"msg": "cluster upg-old: control plane to v1.28.3, node group upg-extra to v1.28.3, node group default-worker to'
steps+=' v1.28.3, control plane to v1.29.3, node group upg-extra to v1.29.3, node group default-worker to v1.29.3, add-on'
steps+=' calico v3.28.2-nks2 -> v3.30.2-nks2"'
grep -qF -- "$steps" "$tmp/run1.txt" || fail "the steps done are not reported in order"
# Token requests: one for the inventory plugin, one for the play (nks_auth).
expect "$seq" '{"only_upgrades": true, "identity": 2,
  "upgrades": {"upg-old": ["default-master", "upg-extra", "default-worker", "default-master", "upg-extra", "default-worker"],
               "upg-mid": ["default-master", "default-worker"], "upg-new": []},
  "addon_updates": {"upg-old": ["calico"], "upg-mid": ["calico"], "upg-new": []},
  "addons_valid": ["upg-old", "upg-mid", "upg-new"],
  "final": {"upg-old": "v1.29.3", "upg-mid": "v1.29.3", "upg-new": "v1.29.3"}}' "the upgrade requests"

say "4. a second run changes nothing"
seq=$(mark)
run -i "$tmp/upg.nks.yml" "$playbook" -e upgrade_kube_version=v1.29.3 | tee "$tmp/run2.txt"
[[ $(recap "$tmp/run2.txt") == $'upg-mid 0 0\nupg-new 0 0\nupg-old 0 0' ]] || fail "second run recap: $(recap "$tmp/run2.txt")"
expect "$seq" '{"mutations": "none"}' "the second run sent a mutating request"

say "5. refusals"
refused "the target v1.28.3 is below the control plane version v1.29.3" \
  -i "$tmp/upg.nks.yml" "$playbook" --limit upg-old -e upgrade_kube_version=v1.28.3
refused "the target v1.30.3 is not offered by NKS (offered: v1.26.3, v1.27.3, v1.28.3, v1.29.3)" \
  -i "$tmp/upg.nks.yml" "$playbook" --limit upg-old -e upgrade_kube_version=v1.30.3
refused "NKS has no cluster upg-nosuch" -i upg-nosuch, "$playbook"
# A resize of upg-mid that runs for 5 minutes at time scale 0.05 (not waited
# for; upg-mid is not used afterwards): the role refuses to start.
"$bin/python" check_requests.py config '{"durations": {"CLUSTER_RESIZE": 6000}}'
"$bin/ansible" localhost -i localhost, -c local -e ansible_python_interpreter="$bin/python" \
  -m nhncloud.nks.nks_cluster -a 'name=upg-mid node_count=2 wait=false'
refused "the cluster is UPDATE_IN_PROGRESS: an operation is running; run the role again when it has ended." \
  -i "$tmp/upg.nks.yml" "$playbook" --limit upg-mid
"$bin/python" check_requests.py config '{"durations": {"CLUSTER_RESIZE": 2}}'

say "6. resume an interrupted upgrade (static inventory, no target = the newest)"
run -i localhost, prepare.yml -e '{"role_upgrade_only": ["upg-resume"]}'
run -i localhost, interrupt.yml
# A static inventory in the fleet's form (playbooks/inventories/fleet).
printf 'all:\n  hosts:\n    resume-host:\n      cluster_definition: {name: upg-resume}\n' >"$tmp/static.yml"
# A node group upgrade takes 8 s (160 simulated s at time scale 0.05); the run
# waits 2 s for the first one, fails, and the upgrade goes on in NKS. 12 s later
# it has finished for sure (its end is fixed when it starts, before the run ends).
"$bin/python" check_requests.py config '{"durations": {"NODEGROUP_UPGRADE": 160}}'
seq=$(mark)
rc=0
run -i "$tmp/static.yml" "$playbook" -e upgrade_wait_timeout=2 >"$tmp/resume1.txt" 2>&1 || rc=$?
cat "$tmp/resume1.txt"
[[ $rc -ne 0 ]] || fail "the run that gave up waiting did not fail"
grep -qF 'timed out after' "$tmp/resume1.txt" || fail "the timeout is not reported"
grep -qF '"step 1: worker node groups default-worker, upg-third to v1.28.3"' "$tmp/resume1.txt" \
  || fail "the resume step is not in the plan"
sleep 12
run -i "$tmp/static.yml" "$playbook" | tee "$tmp/resume2.txt"
grep -qF '"step 1: worker node groups upg-third to v1.28.3"' "$tmp/resume2.txt" \
  || fail "the run does not go on with the node groups left"
expect "$seq" '{"only_upgrades": true,
  "upgrades": {"upg-resume": ["default-worker", "upg-third",
                              "default-master", "default-worker", "upg-second", "upg-third"]},
  "addon_updates": {"upg-resume": ["calico"]}, "addons_valid": ["upg-resume"],
  "final": {"upg-resume": "v1.29.3"}}' "the resumed upgrade"

say "7. inconsistent layouts are refused"
state=$tmp/state.db
nested() { SIM_DIR=$tmp/sim SIM_ARGS="--time-scale 0.05 --state-file $state" "$root/scripts/with-simulator.sh" "$@"; }
nested "$bin/ansible-playbook" -i localhost, prepare.yml -e '{"role_upgrade_only": ["upg-old", "upg-resume"]}'
"$bin/python" - "$state" <<'PY'
import sys
from nks_simulator.persistence import load_state, write_state
path = sys.argv[1]
state = load_state(path)
assert not state.get("operations"), "operations still pending in the saved state"
clusters = {c["name"]: c for c in state["clusters"].values()}
def group(cluster, name):
    return next(g for g in clusters[cluster]["nodegroups"].values() if g["name"] == name)
group("upg-old", "upg-extra")["labels"]["kube_tag"] = "v1.28.3"      # above the control plane (v1.27.3)
group("upg-resume", "upg-third")["labels"]["kube_tag"] = "v1.25.4"   # two minor versions behind
write_state(path, state)
PY
nested "$here/runme.sh" --layouts
say "passed"
