#!/usr/bin/env bash
# Usage: tests/playbooks/no-hosts-test.sh   (make guides runs it first)
#
# The shipped playbooks that play on an inventory group fail, naming the group or the
# variable to set, when no host matches it, instead of exiting 0 having done nothing:
#   fleet.yml without an inventory            -> names the group nks_fleet
#   upgrade.yml without an inventory          -> names upgrade_hosts
#   upgrade.yml -e upgrade_hosts=G (no host)  -> names upgrade_hosts=G
#   teardown.yml -e cluster_hosts=nks_fleet   -> names cluster_hosts
# and each sends no request (no NKS endpoint is reachable here: NKS_API_URL points at a
# closed port, so a request would fail with "cannot connect", which the test refuses).
# With hosts, the check lets the play run: fleet.yml -i playbooks/inventories/fleet
# --list-tasks is not enough (no task runs), so the fleet guide's runs (make guides) cover it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/.venv/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
export ANSIBLE_COLLECTIONS_PATH=$root/.build/collections
export NKS_API_URL=http://127.0.0.1:9 NHN_CLOUD_IDENTITY_URL=http://127.0.0.1:9
export NHN_CLOUD_TENANT_ID=t NHN_CLOUD_USERNAME=u NHN_CLOUD_API_PASSWORD=p
fail() { echo "no-hosts-test: FAILED: $*" >&2; exit 1; }
# check NAME EXPECTED-TEXT ARGS...: ansible-playbook ARGS must fail, print EXPECTED-TEXT, and connect to nothing.
check() {
  local name=$1 expected=$2 rc=0
  shift 2
  "$bin/ansible-playbook" "$@" >"$work/$name.log" 2>&1 || rc=$?
  [[ $rc -ne 0 ]] || { cat "$work/$name.log"; fail "$name: exit 0 although no host matched"; }
  grep -qF -- "$expected" "$work/$name.log" || { cat "$work/$name.log"; fail "$name: no message naming '$expected'"; }
  if grep -q "cannot connect" "$work/$name.log"; then cat "$work/$name.log"; fail "$name: a request was sent"; fi
  echo "no-hosts-test: $name: exit $rc, names '$expected'"
}
check fleet "no host is in the inventory group nks_fleet" playbooks/fleet.yml
check fleet-check "no host is in the inventory group nks_fleet" playbooks/fleet.yml --check
check upgrade "matches upgrade_hosts=all" playbooks/upgrade.yml
check upgrade-group "matches upgrade_hosts=prod" playbooks/upgrade.yml -e upgrade_hosts=prod
check upgrade-empty-inventory "matches upgrade_hosts=nks_need_upgrade" playbooks/upgrade.yml \
  -i playbooks/inventories/fleet -e upgrade_hosts=nks_need_upgrade
check teardown "matches cluster_hosts=nks_fleet" playbooks/teardown.yml -e cluster_hosts=nks_fleet
echo "no-hosts-test: ok"
