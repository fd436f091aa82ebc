#!/usr/bin/env bash
# Acceptance test of update runs (playbooks/fleet_upgrade.yml, the module nhncloud.nks.nks_fleet_upgrade),
# run by `make fleet-upgrade-test` (mk/upgrade.mk) through scripts/with-simulator.sh against a fresh simulator.
#  1. prepare.yml: fu-c1, fu-c2 (group canary), fu-p1, fu-p2 on v1.27.3, each with two worker node groups.
#  2. --check: every stage's clusters and steps are shown, no mutating request.
#  3. two stages (canary, then all); the next node group upgrade fails (fail-next, an eviction reason in the
#     task history): the run stops, stage "all" is untouched, the report names the cluster and the reason.
#  4. the same command again: every cluster at v1.29.3, and no step sent twice (the request log holds each
#     cluster's upgrades exactly once, the failed node group's twice).
#  5. a no-op re-run: no mutating request.
#  6. upgrade_max_failed_clusters: 1 goes on past one failure.
#  7. progress lines in the output.
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
"$bin/ansible-playbook" prepare.yml -e '{"fleet_upgrade_names": ["fu-c1", "fu-c2", "fu-p1", "fu-p2"]}' >"$tmp/prepare.out" 2>&1 \
  || { cat "$tmp/prepare.out"; fail "prepare"; }

say "2. check mode"
seq=$(mark)
run --check -e "$stages" >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "check mode failed"; }
cat "$tmp/check.out"
grep -q "stage canary:" "$tmp/check.out" || fail "check mode shows no stage canary"
grep -q "fu-p1 (fu-p1): planned.*node group pool-b to v1.28.3 planned" "$tmp/check.out" || fail "check mode shows no steps"
expect "$seq" '{"mutations": "none"}' "check mode sent a mutating request"

say "3. a node group upgrade fails in the first stage"
"$bin/python" "$checker" fail-next NODEGROUP_UPGRADE "Failed to evict pod default/db-0: Cannot evict pod as it would violate the pod's disruption budget." >/dev/null
seq=$(mark)
rc=0
run -e "$stages" >"$tmp/first.out" 2>&1 || rc=$?
cat "$tmp/first.out"
[[ $rc -ne 0 ]] || fail "the run did not stop"
grep -q "disruption budget" "$tmp/report.json" || fail "the report does not give the reason"
"$bin/python" - "$tmp/report.json" <<'PY' || fail "report"
import json, sys
report = json.load(open(sys.argv[1]))
stages = dict((s["stage"], s) for s in report["stages"])
assert report["stopped"], report
assert stages["rest"]["outcome"].startswith("not started"), stages["rest"]
failed = [c for c in stages["canary"]["clusters"].values() if c["outcome"] == "failed"]
assert len(failed) == 1 and "evict" in failed[0]["reason"], failed
assert all(c["outcome"] == "not_started" for c in stages["rest"]["clusters"].values())
PY
expect "$seq" '{"upgrades": {"fu-p1": [], "fu-p2": []}}' "stage rest was touched"
grep -q "nks_fleet_upgrade: stage canary: " "$tmp/first.out" || fail "no progress line"

say "4. the same command again continues"
seq2=$(mark)
run -e "$stages" >"$tmp/second.out" 2>&1 || { cat "$tmp/second.out"; fail "the re-run failed"; }
cat "$tmp/second.out"
for c in fu-c1 fu-c2 fu-p1 fu-p2; do
  expect "$seq" "{\"final\": {\"$c\": \"v1.29.3\"}}" "$c is not at v1.29.3"
done
"$bin/python" - "$seq" <<'PY' || fail "a step was sent twice"
import json, os, sys, urllib.request
log = json.load(urllib.request.urlopen(os.environ["NKS_SIM_URL"] + "/_sim/requests?since=" + sys.argv[1]))
items = log.get("requests", log) if isinstance(log, dict) else log
ups = [r["path"] for r in items if r["method"] == "POST" and r["path"].endswith("/upgrade") and r.get("status") in (200, 202)]
# each cluster: 2 steps x (control plane + 2 node groups) = 6, plus one retry of the failed node group
assert len(ups) == 4 * 6 + 1, len(ups)
dupes = [p for p in set(ups) if ups.count(p) > 2]
assert not dupes, dupes
PY

say "5. no-op re-run"
seq=$(mark)
run -e "$stages" >"$tmp/noop.out" 2>&1 || { cat "$tmp/noop.out"; fail "the no-op re-run failed"; }
expect "$seq" '{"mutations": "none"}' "a no-op re-run sent a mutating request"
say "PASSED"
