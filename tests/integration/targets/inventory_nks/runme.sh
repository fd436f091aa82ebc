#!/usr/bin/env bash
# Integration test of the inventory plugin nhncloud.nks.nks against the NKS API
# simulator. ansible-test does not pass integration_config.yml to script targets:
# it copies it to ../../integration_config.yml (relative to this directory), so
# every playbook gets it with -e @.
#
# 1. prepare.yml  creates three clusters through the API (setup_nks): one on
#    v1.27.3 (NEED_UPGRADE) with a second node group, one on v1.28.3
#    (NEED_UPGRADE), one on v1.29.3 (LATEST); writes the inventory sources.
# 2. ansible-inventory --list / --graph on test.nks.yml; no secret in the output.
# 3. requests.yml counts the requests one inventory parse sent (simulator log).
# 4. check.yml    runs with test.nks.yml as inventory: groups, keyed groups,
#    host variables, and a play on nks_need_upgrade that runs a module locally.
# 5. lean.nks.yml (no per-cluster reads) and cache.nks.yml (second parse served
#    from the cache) are parsed and their requests counted.
# 6. cleanup.yml  deletes the clusters (also when a step failed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vars=$(cd "$here/../.." && pwd)/integration_config.yml
if [[ ! -f $vars ]]; then
  echo "inventory_nks: $vars is missing (run through scripts/run-integration.sh or make integration)" >&2
  exit 1
fi
tmp=$(mktemp -d)
export ANSIBLE_ROLES_PATH=$here/..
# An inventory source that fails to parse must fail the run, not leave it without hosts.
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
export ANSIBLE_INVENTORY_UNPARSED_WARNING=true
# ansible-test's inventory (localhost, local connection); a stand-in when run by hand.
local_inventory=${INVENTORY_PATH:-}
if [[ -z $local_inventory ]]; then
  local_inventory=$tmp/localhost.ini
  printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' \
    "$(command -v python3)" >"$local_inventory"
fi

playbook() {
  ansible-playbook -i "$local_inventory" -e @"$vars" -e inventory_nks_dir="$tmp" "$@"
}

cleanup() {
  rc=$?
  playbook "$here/cleanup.yml" || rc=1
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT

cd "$here"
playbook prepare.yml "$@"

echo "inventory_nks: ansible-inventory --list"
playbook mark.yml -e inventory_nks_mark_name=full "$@"
ansible-inventory -i "$tmp/test.nks.yml" --list >"$tmp/list.json"
playbook requests.yml -e inventory_nks_mark_name=full -e inventory_nks_expect=full "$@"
ansible-inventory -i "$tmp/test.nks.yml" --graph | tee "$tmp/graph.txt"
for expected in "@nks:" "@nks_need_upgrade:" "@k8s_v1_27_3:" "@k8s_v1_29_3:" "inv-it-old" "inv-it-mid" "inv-it-new"; do
  grep -q -- "$expected" "$tmp/graph.txt" || { echo "inventory_nks: '$expected' missing from --graph" >&2; exit 1; }
done
for expected in '"nks_api_address"' '"nks_nodegroups"' '"nks_kube_version_status"' 'inv-it-old'; do
  grep -q -- "$expected" "$tmp/list.json" || { echo "inventory_nks: $expected missing from --list" >&2; exit 1; }
done
# Neither the API password nor a token may reach the inventory.
password=$(sed -n 's/^nks_api_password: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$vars")
if [[ -z $password ]]; then
  echo "inventory_nks: cannot read nks_api_password from $vars" >&2
  exit 1
fi
if grep -q -e "\"$password\"" -e "api_password" -e "auth_token" -e "X-Auth-Token" "$tmp/list.json"; then
  echo "inventory_nks: a credential appears in ansible-inventory --list" >&2
  exit 1
fi

echo "inventory_nks: playbook with the plugin's inventory"
ansible-playbook -i "$local_inventory" -i "$tmp/test.nks.yml" -e @"$vars" -e inventory_nks_dir="$tmp" check.yml "$@"

echo "inventory_nks: no per-cluster request with cluster_details/nodegroups off"
playbook mark.yml -e inventory_nks_mark_name=lean "$@"
ansible-inventory -i "$tmp/lean.nks.yml" --list >"$tmp/lean.json"
playbook requests.yml -e inventory_nks_mark_name=lean -e inventory_nks_expect=lean "$@"
grep -q 'inv-it-new' "$tmp/lean.json"

echo "inventory_nks: cache"
playbook mark.yml -e inventory_nks_mark_name=cache "$@"
ansible-inventory -i "$tmp/cache.nks.yml" --list >"$tmp/cache1.json"
ansible-inventory -i "$tmp/cache.nks.yml" --list >"$tmp/cache2.json"
playbook requests.yml -e inventory_nks_mark_name=cache -e inventory_nks_expect=full "$@"
cmp "$tmp/cache1.json" "$tmp/cache2.json"
playbook mark.yml -e inventory_nks_mark_name=flush "$@"
ansible-inventory -i "$tmp/cache.nks.yml" --list --flush-cache >/dev/null
playbook requests.yml -e inventory_nks_mark_name=flush -e inventory_nks_expect=full "$@"
echo "inventory_nks: passed"
