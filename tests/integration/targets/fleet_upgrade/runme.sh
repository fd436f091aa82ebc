#!/usr/bin/env bash
# Acceptance test of update runs (playbooks/fleet_upgrade.yml, the module nhncloud.nks.nks_fleet_upgrade),
# run by `make fleet-upgrade-test` (mk/upgrade.mk) through scripts/with-simulator.sh against a fresh simulator.
#  1. prepare.yml: fu-c1, fu-c2 (group canary), fu-p1, fu-p2 (nks_fleet), fu-m1, fu-m2 (maxfail) on v1.27.3,
#     each with two worker node groups; a PodDisruptionBudget allowing no disruption in fu-c2 (default/db).
#  2. --check: per stage the clusters and their steps; the PDB found and named (namespace, selector);
#     without --check the run refuses to start; no mutating request either way.
#  3. two stages (canary, then rest) with the PDB check off (upgrade_check_pdbs=false): NKS fails fu-c2's
#     node group upgrade (eviction reason in the task history): the run stops, stage rest is untouched,
#     the report (JSON file) names the cluster and the reason; progress lines in the output.
#  4. the PDB deleted, the same command again: every cluster at v1.29.3, no step sent twice (the request log
#     holds 6 upgrades per cluster, plus fu-c2's retried node group).
#  5. a no-op re-run: no mutating request.
#  6. upgrade_max_failed_clusters: 1 on maxfail (fu-m1 blocked by a PDB, one cluster at a time): the run goes
#     on past fu-m1's failure and upgrades fu-m2.
#  7. soak: fu-p1's Kubernetes API stops answering (the simulator's health knob); a run with soak_seconds
#     (nothing left to upgrade) fails fu-p1 in the soak. Skipped when the simulator lacks the knob.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
: "${NKS_SIM_URL:?run me through scripts/with-simulator.sh (make fleet-upgrade-test)}"
bin=$root/.venv/bin
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$root/.build/collections}
export ANSIBLE_NOCOLOR=true
export ANSIBLE_DEPRECATION_WARNINGS=false
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
export NKS_PROGRESS_INTERVAL=${NKS_PROGRESS_INTERVAL:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
checker=$here/../role_upgrade/check_requests.py

say() { echo "fleet_upgrade: $*"; }
fail() { echo "fleet_upgrade: FAILED: $*" >&2; exit 1; }
mark() { "$bin/python" "$checker" mark; }
expect() { "$bin/python" "$checker" check "$1" "$2" || fail "$3"; }
run() { "$bin/ansible-playbook" -i inventory.yml "$root/playbooks/fleet_upgrade.yml" -e upgrade_kube_version=v1.29.3 \
          -e upgrade_report_file="$tmp/report.json" "$@"; }
stages='{"upgrade_stages": [{"name": "canary", "hosts": "canary", "max_concurrency": 2}, {"name": "rest", "hosts": "all"}]}'

say "1. prepare"
"$bin/ansible-playbook" prepare.yml -e '{"fleet_upgrade_names": ["fu-c1", "fu-c2", "fu-p1", "fu-p2", "fu-m1", "fu-m2"]}' \
  >"$tmp/prepare.out" 2>&1 || { cat "$tmp/prepare.out"; fail "prepare"; }
"$bin/python" sim.py pdb-create fu-c2 db
"$bin/python" sim.py pdb-create fu-m1 db

say "2. check mode: the plan per stage and the PDB blocker"
seq=$(mark)
run --check -e "$stages" -e '{"upgrade_skip_blocked": ["fu-c2"]}' >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "check mode failed"; }
cat "$tmp/check.out"
grep -q '"stage canary:"' "$tmp/check.out" || fail "check mode shows no stage canary"
grep -q '"stage rest:"' "$tmp/check.out" || fail "check mode shows no stage rest"
grep -q "fu-p1 (fu-p1): planned; steps: control plane to v1.28.3 planned, node group default-worker to v1.28.3 planned, node group pool-b to v1.28.3 planned" \
  "$tmp/check.out" || fail "check mode shows no steps"
grep -q "fu-c2 (fu-c2): skipped: PodDisruptionBudget default/db (selector app=db) allows no disruption" "$tmp/check.out" \
  || fail "check mode does not name the PDB"
rc=0
run -e "$stages" >"$tmp/refused.out" 2>&1 || rc=$?
if [[ $rc -eq 0 ]] || ! grep -q "refuses to start, nothing was changed: blocked clusters fu-c2" "$tmp/refused.out"; then
  cat "$tmp/refused.out"; fail "a blocked cluster did not refuse the run"
fi
expect "$seq" '{"mutations": "none"}' "check mode or a refused run sent a mutating request"

say "3. a node group upgrade fails in the first stage (NKS cannot evict: the PDB)"
seq=$(mark)
rc=0
run -e "$stages" -e upgrade_check_pdbs=false -e upgrade_progress_interval=2 >"$tmp/first.out" 2>&1 || rc=$?
cat "$tmp/first.out"
[[ $rc -ne 0 ]] || fail "the run did not stop"
"$bin/python" - "$tmp/report.json" <<'PY' || fail "the report"
import json, sys
report = json.load(open(sys.argv[1]))
stages = dict((s["stage"], s) for s in report["stages"])
assert report["stopped"], report
assert stages["rest"]["outcome"].startswith("not started"), stages["rest"]
c2 = stages["canary"]["clusters"]["fu-c2"]
assert c2["outcome"] == "failed" and "node group default-worker" in c2["reason"], c2
assert "NODEGROUP_UPGRADE" in c2["reason"] and "disruption budget" in c2["reason"] and "default/db" in c2["reason"], c2
assert stages["canary"]["clusters"]["fu-c1"]["outcome"] == "upgraded", stages["canary"]
assert all(c["outcome"] == "not_started" for c in stages["rest"]["clusters"].values())
assert all(s["duration"] is not None for s in stages["canary"]["clusters"]["fu-c1"]["steps"])
PY
expect "$seq" '{"upgrades": {"fu-p1": [], "fu-p2": []}}' "stage rest was touched"
grep -q "nks_fleet_upgrade: stage canary: [0-9]/2 clusters done, [0-9] running" "$tmp/first.out" || fail "no progress line"
grep -q "fu-c2 (fu-c2): failed: node group default-worker to v1.28.3: NODEGROUP_UPGRADE: " "$tmp/first.out" \
  || fail "the output does not name the failure"

say "4. the cause removed, the same command continues"
"$bin/python" sim.py pdb-delete fu-c2 db
run -e "$stages" -e upgrade_check_pdbs=false >"$tmp/second.out" 2>&1 || { cat "$tmp/second.out"; fail "the re-run failed"; }
cat "$tmp/second.out"
expect "$seq" '{"final": {"fu-c1": "v1.29.3", "fu-c2": "v1.29.3", "fu-p1": "v1.29.3", "fu-p2": "v1.29.3"}}' \
  "not every cluster is at v1.29.3"
counts=$("$bin/python" sim.py upgrades "$seq")
[[ $counts == '{"fu-c1": 6, "fu-c2": 7, "fu-p1": 6, "fu-p2": 6}' ]] || fail "a step was sent twice: $counts"

say "5. a no-op re-run"
seq=$(mark)
run -e "$stages" >"$tmp/noop.out" 2>&1 || { cat "$tmp/noop.out"; fail "the no-op re-run failed"; }
expect "$seq" '{"mutations": "none"}' "a no-op re-run sent a mutating request"

say "6. upgrade_max_failed_clusters: 1 goes on past one failure"
rc=0
run -e upgrade_hosts=maxfail -e upgrade_check_pdbs=false -e upgrade_max_failed_clusters=1 -e upgrade_max_concurrency=1 \
  >"$tmp/maxfail.out" 2>&1 || rc=$?
cat "$tmp/maxfail.out"
[[ $rc -ne 0 ]] || fail "fu-m1's failure was not reported"
grep -q "fu-m2 (fu-m2): upgraded" "$tmp/maxfail.out" || fail "the run did not go on past fu-m1"
grep -q "fu-m1 (fu-m1): failed" "$tmp/maxfail.out" || fail "fu-m1 did not fail"

say "7. soak: a cluster whose Kubernetes API stops answering"
knob=0
"$bin/python" sim.py api-down fu-p1 || knob=$?
if [[ $knob -eq 3 ]]; then
  say "7. SKIPPED: the simulator has no health knob (POST /_sim/clusters/{id}/health)"
else
  [[ $knob -eq 0 ]] || fail "api-down"
  rc=0
  run -e '{"upgrade_stages": [{"name": "soak", "hosts": "all", "soak_seconds": 6}]}' >"$tmp/soak.out" 2>&1 || rc=$?
  cat "$tmp/soak.out"
  [[ $rc -ne 0 ]] || fail "the soak did not fail fu-p1"
  grep -q "fu-p1 (fu-p1): failed: soak: " "$tmp/soak.out" || fail "the soak did not name fu-p1"
  grep -q "fu-p2 (fu-p2): unchanged" "$tmp/soak.out" || fail "fu-p2"
fi
say "PASSED"
