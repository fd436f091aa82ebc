#!/usr/bin/env bash
# The fleet report test of `make adopt-report-test` (mk/lifecycle.mk), run by scripts/with-simulator.sh (a fast
# time scale):
#   1. playbooks/fleet.yml builds the 20 clusters of tests/lifecycle/fleet20/ (four Kubernetes versions, node
#      groups, an autoscaler, IP ACLs);
#   2. two clusters drift outside Ansible: fleet-02 is resized (node_count), fleet-05 gets one more IP ACL target;
#   3. playbooks/fleet_report.yml writes the page and the JSON; the JSON has 20 clusters, the drift of exactly
#      those two (node_count, ipacl.targets), the end-of-service date of each version, certificate expiry, health
#      and node counts; it sends no mutating request; fleet.yml --check agrees (a change predicted for the two
#      drifted clusters, none for another); without an inventory, the report lists the project's 20
#      clusters as not in the inventory and says so;
#   4. Debian's Chromium, headless, opens the page from the file (no server, no network): a screenshot (kept as
#      the test artifact .build/adopt-report/fleet-report.png), the DOM after the page's script ran (20 cluster
#      rows, body[data-ready=true]), and the DOM of the page sorted by its URL fragment (#sort=KEY:desc clicks
#      the column header twice, as a user would): the rows in the order the JSON gives for three columns.
# Needs NKS_SIM_URL and the NHN_CLOUD_* variables (with-simulator.sh sets them), and CHROMIUM (default
# /usr/bin/chromium).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/.venv/bin
work=${REPORT_WORK_DIR:-$root/.build/adopt-report/report}
artifacts=${REPORT_ARTIFACTS:-$root/.build/adopt-report}
chromium=${CHROMIUM:-/usr/bin/chromium}
inventory=$root/tests/lifecycle/fleet20
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$root/.build/collections}
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
rm -rf "$work"
mkdir -p "$work" "$artifacts"

fail() { echo "report-test: FAILED: $*" >&2; exit 1; }
[[ -x $chromium ]] || fail "no Chromium at $chromium (make adopt-report-test installs the package chromium)"

mutations() {
  "$bin/python" - "$NKS_SIM_URL/_sim/stats" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    print(json.load(response)["totals"]["mutate"])
PY
}

play() {
  local name=$1; shift
  local start=$SECONDS
  if ! "$bin/ansible-playbook" "$@" >"$work/$name.log" 2>&1; then
    tail -n 60 "$work/$name.log" >&2
    fail "$name: ansible-playbook failed (log: $work/$name.log)"
  fi
  echo "report-test: $name: $((SECONDS - start))s"
}

module() {
  local name=$1 mod=$2 args=$3
  "$bin/ansible" localhost -e "ansible_python_interpreter=$bin/python" -m "$mod" -a "$args" >"$work/$name.log" 2>&1 \
    || { cat "$work/$name.log" >&2; fail "$name: $mod failed"; }
}

# 1. the fleet
play fleet "$root/playbooks/fleet.yml" -i "$inventory" --forks 20 -e fleet_throttle=20

# 2. drift outside Ansible
module resize nhncloud.nks.nks_cluster '{"name": "fleet-02", "node_count": 1, "wait_for": "status"}'
module ipacl nhncloud.nks.nks_ipacl \
  '{"cluster": "fleet-05", "enabled": true, "action": "ALLOW", "targets": ["203.0.113.9"], "purge_targets": false}'

# 3. the report
before=$(mutations)
play report "$root/playbooks/fleet_report.yml" -i "$inventory" --forks 20 \
  -e "fleet_report_html=$work/fleet-report.html" -e "fleet_report_json=$work/fleet-report.json"
[[ $(mutations) -eq $before ]] || fail "the report sent $(( $(mutations) - before )) mutating requests"
cp "$work/fleet-report.html" "$work/fleet-report.json" "$artifacts/"
# the drift agrees with check mode: fleet.yml --check would change the two drifted clusters, not another
play check "$root/playbooks/fleet.yml" -i "$inventory" --check --limit fleet-02,fleet-03,fleet-05
for host in fleet-02 fleet-05; do
  grep -qE "^$host +: ok=[0-9]+ +changed=[1-9]" "$work/check.log" || fail "check mode: $host drifted but no change predicted"
done
grep -qE "^fleet-03 +: ok=[0-9]+ +changed=0 " "$work/check.log" || fail "check mode: fleet-03 has no drift but a change predicted"
# without an inventory: the project's clusters, none in the inventory, said so
play report-no-inventory "$root/playbooks/fleet_report.yml" \
  -e "fleet_report_html=$work/no-inventory.html" -e "fleet_report_json=$work/no-inventory.json"
grep -q 'The inventory has no host in group nks_fleet' "$work/report-no-inventory.log" \
  || fail "without an inventory: no message naming the group nks_fleet"
"$bin/python" -c 'import json, sys; r = json.load(open(sys.argv[1])); s = r["summary"]
assert (s["clusters"], s["not_in_inventory"], s["drifted"]) == (20, 20, 0), s' "$work/no-inventory.json" \
  || fail "without an inventory: expected the 20 clusters, none in the inventory, no drift"

# 4. the page in a real browser
browse() {  # browse OUTPUT-ARGS... URL: Chromium headless, its own profile, no network services
  local profile
  profile=$(mktemp -d "$work/chromium.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$profile" "$@" 2>>"$work/chromium.log"
  rm -rf "$profile"
}
page="file://$work/fleet-report.html"
rm -f "$artifacts/fleet-report.png"
browse --window-size=1600,1400 --screenshot="$artifacts/fleet-report.png" "$page" >/dev/null
[[ -s $artifacts/fleet-report.png ]] || fail "Chromium wrote no screenshot ($work/chromium.log)"
browse --dump-dom "$page" >"$work/dom.html"
for sort in days_to_end_of_service:desc drift_count:desc kube_version:asc; do
  browse --dump-dom "$page#sort=$sort" >"$work/dom-${sort/:/-}.html"
done
"$bin/python" "$root/tests/lifecycle/check_report.py" "$work" 20
echo "report-test: screenshot $artifacts/fleet-report.png"
echo "report-test: ok"
