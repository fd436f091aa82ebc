#!/usr/bin/env bash
# The adoption round trip of `make adopt-report-test` (mk/lifecycle.mk), run by scripts/with-simulator.sh
# (SIM_ARGS: --flavors any and a fast time scale):
#   1. tests/lifecycle/build.yml builds five varied clusters with the modules (node groups, autoscalers, IP ACL,
#      an add-on, node labels, floating IP, metric-based autoscaler, control plane logs, flavors);
#   2. playbooks/adopt.yml writes their inventory: hosts.yml (group nks_fleet) and host_vars/<cluster>.yml, a
#      note for what NKS never returns (the Log & Crash Search appkey); it sends no mutating request;
#   3. the role nhncloud.nks.cluster (tests/lifecycle/converge.yml, per host: add-ons too) in --check --diff,
#      then for real, and playbooks/fleet.yml (its phases) on that inventory: changed=0 for every cluster, no
#      diff shown, no mutating request;
#   4. adopting one cluster (adopt_clusters) into another directory: a second run changes nothing, a file
#      edited by hand is refused (nothing written), then backed up with adopt_existing=backup.
# Needs NKS_SIM_URL and the NHN_CLOUD_* variables (with-simulator.sh sets them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/.venv/bin
work=${ADOPT_WORK_DIR:-$root/.build/adopt-report/adopt}
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$root/.build/collections}
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
rm -rf "$work"
mkdir -p "$work"
inventory=$work/inventory
clusters=(adopt-plain adopt-groups adopt-autoscale adopt-acl adopt-addon)

fail() { echo "adopt-test: FAILED: $*" >&2; exit 1; }

mutations() {
  "$bin/python" - "$NKS_SIM_URL/_sim/stats" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    print(json.load(response)["totals"]["mutate"])
PY
}

# play NAME ARGS...: ansible-playbook, output in $work/NAME.log
play() {
  local name=$1; shift
  local start=$SECONDS
  if ! "$bin/ansible-playbook" "$@" >"$work/$name.log" 2>&1; then
    tail -n 60 "$work/$name.log" >&2
    fail "$name: ansible-playbook failed (log: $work/$name.log)"
  fi
  echo "adopt-test: $name: $((SECONDS - start))s"
}

recap() { sed -n '/^PLAY RECAP/,$p' "$1" | grep -E '^[a-z0-9-]+ +: ok=' || true; }

# every cluster in the recap of $1, each with changed=0 failed=0
no_change() {
  local log=$1 name=$2
  for cluster in "${clusters[@]}"; do
    recap "$log" | grep -qE "^$cluster +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0 " \
      || { recap "$log" >&2; fail "$name: $cluster is not changed=0 failed=0 ($log)"; }
  done
  [[ $(recap "$log" | wc -l) -eq ${#clusters[@]} ]] || { recap "$log" >&2; fail "$name: expected ${#clusters[@]} hosts"; }
}

# 1. build
play build "$root/tests/lifecycle/build.yml"

# 2. adopt
before=$(mutations)
play adopt "$root/playbooks/adopt.yml" -e "adopt_dest=$inventory"
[[ $(mutations) -eq $before ]] || fail "adopt sent $(( $(mutations) - before )) mutating requests"
for cluster in "${clusters[@]}"; do
  [[ -s $inventory/host_vars/$cluster.yml ]] || fail "adopt: no $inventory/host_vars/$cluster.yml"
  grep -qE "^    $cluster:\$" "$inventory/hosts.yml" || fail "adopt: $cluster not in $inventory/hosts.yml"
done
grep -q '^# Note: cluster adopt-acl: control_plane_log left out' "$inventory/host_vars/adopt-acl.yml" \
  || fail "adopt: no note on the control plane log of adopt-acl"
grep -q 'name: metrics_server' "$inventory/host_vars/adopt-addon.yml" || fail "adopt: add-on metrics_server not exported"
grep -q 'max_node_count: 6' "$inventory/host_vars/adopt-autoscale.yml" || fail "adopt: the changed autoscaler not exported"
echo "adopt-test: adopt: ${#clusters[@]} definitions in $inventory, 0 mutating requests"

# 3. converge with the exported definitions: nothing changes
before=$(mutations)
play role-check "$root/tests/lifecycle/converge.yml" -i "$inventory" --check --diff --forks 5
no_change "$work/role-check.log" "role --check --diff"
play role "$root/tests/lifecycle/converge.yml" -i "$inventory" --forks 5
no_change "$work/role.log" "role"
play fleet "$root/playbooks/fleet.yml" -i "$inventory"
no_change "$work/fleet.log" "fleet.yml"
after=$(mutations)
[[ $after -eq $before ]] || fail "converging the adopted definitions sent $((after - before)) mutating requests"
if grep -E '^(--- before|\+\+\+ after)' "$work/role-check.log"; then
  fail "--check --diff showed a difference (above)"
fi
echo "adopt-test: the role (--check --diff, then for real) and fleet.yml on the adopted inventory: changed=0 for" \
  "${#clusters[@]} clusters, no diff, 0 mutating requests"

# 4. a re-run changes nothing; other content is refused, then backed up
one=$work/one
only='{"adopt_clusters": ["adopt-plain"]}'
play adopt-one "$root/playbooks/adopt.yml" -e "adopt_dest=$one" -e "$only"
play adopt-again "$root/playbooks/adopt.yml" -e "adopt_dest=$one" -e "$only"
recap "$work/adopt-again.log" | grep -qE '^localhost +: .* changed=0 ' || fail "adopt re-run changed something"
echo "# edited by hand" >>"$one/host_vars/adopt-plain.yml"
saved=$(sha1sum <"$one/host_vars/adopt-plain.yml")
if "$bin/ansible-playbook" "$root/playbooks/adopt.yml" -e "adopt_dest=$one" -e "$only" >"$work/adopt-refused.log" 2>&1; then
  fail "adopt replaced a file edited by hand"
fi
grep -q "adopt_existing=refuse: $one/host_vars/adopt-plain.yml already exist" "$work/adopt-refused.log" \
  || fail "adopt: no refusal naming the edited file ($work/adopt-refused.log)"
[[ $(sha1sum <"$one/host_vars/adopt-plain.yml") == "$saved" ]] || fail "adopt: the refused file changed"
play adopt-backup "$root/playbooks/adopt.yml" -e "adopt_dest=$one" -e "$only" -e adopt_existing=backup
backups=$(find "$one/host_vars" -name 'adopt-plain.yml.*~' | wc -l)
[[ $backups -eq 1 ]] || fail "adopt_existing=backup: $backups backups of adopt-plain.yml, expected 1"
grep -q '# edited by hand' "$(find "$one/host_vars" -name 'adopt-plain.yml.*~')" || fail "backup lost the edit"
! grep -q '# edited by hand' "$one/host_vars/adopt-plain.yml" || fail "adopt_existing=backup did not replace the file"
echo "adopt-test: re-run changed=0; an edited file refused (kept as it was), then backed up and replaced"
echo "adopt-test: ok"
