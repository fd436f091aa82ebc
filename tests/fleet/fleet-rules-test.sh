#!/usr/bin/env bash
# The fleet path obeys Ansible's rules (`make fleet-rules-test`, mk/roles.mk; issue 20): playbooks/fleet.yml as a
# user adapts it (tests/fleet/rules/), with NO NHN_CLOUD_*/NKS_* variable in ansible-playbook's environment:
#   1. fleet-rules.yml: endpoint and credentials only in module_defaults for group/nhncloud.nks.all: every cluster
#      is built on that endpoint (simulator A's request counters; simulator B receives nothing), one identity
#      request; the play variable cluster_kubeconfig_dir wins over the inventory's group variable, the
#      cluster_defaults given on the import_role task over the inventory's (kubeconfig mode 0640);
#   2. fleet-rules-delegate.yml: hosts whose connection is ssh to an unreachable address, every task delegated to
#      localhost: built on simulator A; the fleet path converges add-ons and merges kubeconfigs into one file, as
#      tasks/present.yml does;
#   3. fleet-rules-regions.yml: a fleet spanning two simulators (two regions, endpoint and identity per inventory
#      group): each cluster on its group's endpoint, one identity request per endpoint, the fleet waits polling ONE
#      cluster list per poll per endpoint (nks_fleet's polls per connection; each simulator's GET /v1/clusters
#      count); a re-run sends no mutating request to either.
# Run by scripts/with-simulator.sh (simulator A); it starts simulator B itself (SIM_DIR_B).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/.venv/bin
if [[ -z ${RULES_A_URL:-} ]]; then
  export RULES_A_URL=$NKS_SIM_URL
  exec env SIM_DIR="${SIM_DIR_B:-$root/.build/roles-sim/fleet-rules-b}" "$root/scripts/with-simulator.sh" "$0"
fi
export RULES_B_URL=$NKS_SIM_URL
export RULES_TENANT_ID=$NHN_CLOUD_TENANT_ID RULES_USERNAME=$NHN_CLOUD_USERNAME RULES_API_PASSWORD=$NHN_CLOUD_API_PASSWORD
export RULES_WORK=${RULES_WORK_DIR:-$root/.build/fleet-rules-test}
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$root/.build/collections}
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_HOST_KEY_CHECKING=False
rules=$root/tests/fleet/rules
rm -rf "$RULES_WORK"
mkdir -p "$RULES_WORK"

fail() { echo "fleet-rules-test: FAILED: $*" >&2; exit 1; }

# The simulators' counters: "<identity> <mutate> <POST /v1/clusters 2xx> <GET /v1/clusters>" of a URL.
counts() {
  "$bin/python" - "$1/_sim/stats" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    stats = json.load(response)
routes = stats["by_route"]
posts = sum(r["count"] for r in routes if r["method"] == "POST" and r["route"] == "/v1/clusters" and r["status"] < 300)
lists = sum(r["count"] for r in routes if r["method"] == "GET" and r["route"] == "/v1/clusters")
print(stats["totals"]["identity"], stats["totals"]["mutate"], posts, lists)
PY
}

# Runs a playbook with no NHN_CLOUD_* / NKS_* variable in its environment; output in $RULES_WORK/<name>.log.
play() {
  local name=$1; shift
  local start=$SECONDS unset=()
  for var in $(compgen -e | grep -E '^(NHN_CLOUD_|NKS_)' || true); do unset+=(-u "$var"); done
  if ! env "${unset[@]}" "$bin/ansible-playbook" -i "$rules/inventory.yml" "$@" >"$RULES_WORK/$name.log" 2>&1; then
    tail -n 60 "$RULES_WORK/$name.log" >&2
    fail "$name: ansible-playbook failed (log: $RULES_WORK/$name.log)"
  fi
  grep -qE 'NHN_CLOUD_|NKS_API_URL' <(env "${unset[@]}" env) && fail "the environment still has NHN_CLOUD_*/NKS_*"
  echo "fleet-rules-test: $name: $((SECONDS - start))s"
}

delta() { "$bin/python" -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split(); print(" ".join(str(int(y) - int(x)) for x, y in zip(a, b)))' "$1" "$2"; }

# 1. module_defaults only, precedence
a0=$(counts "$RULES_A_URL"); b0=$(counts "$RULES_B_URL")
play plain "$rules/fleet-rules.yml"
read -r ident _ posts _ <<<"$(delta "$a0" "$(counts "$RULES_A_URL")")"
read -r bident bmut _ _ <<<"$(delta "$b0" "$(counts "$RULES_B_URL")")"
[[ $posts -eq 2 ]] || fail "plain: $posts clusters created on the module_defaults endpoint (simulator A), expected 2"
[[ $ident -eq 1 ]] || fail "plain: $ident identity requests to simulator A, expected 1 (nks_auth once)"
[[ $bident -eq 0 && $bmut -eq 0 ]] || fail "plain: simulator B received $bident identity and $bmut mutating requests"
for host in rules-p1 rules-p2; do
  file=$RULES_WORK/kube-play/$host.kubeconfig
  [[ -f $file ]] || fail "plain: no $file (the play's cluster_kubeconfig_dir must win over the inventory's)"
  [[ $(stat -c %a "$file") == 640 ]] || fail "plain: $file has mode $(stat -c %a "$file"), expected 640 (cluster_defaults on import_role)"
done
[[ ! -e $RULES_WORK/kube-group ]] || fail "plain: the inventory's cluster_kubeconfig_dir was used ($RULES_WORK/kube-group)"
echo "fleet-rules-test: plain: 2 clusters built on the module_defaults endpoint, 1 identity request, play var and import_role var won"

# 2. delegate_to localhost
a0=$(counts "$RULES_A_URL")
play delegate "$rules/fleet-rules-delegate.yml"
read -r _ _ posts _ <<<"$(delta "$a0" "$(counts "$RULES_A_URL")")"
[[ $posts -eq 2 ]] || fail "delegate: $posts clusters created on simulator A, expected 2"
merged=$RULES_WORK/kube-delegate/merged.config
for host in rules-d1 rules-d2; do
  grep -q "name: $host" "$merged" || fail "delegate: $host is not merged into $merged"
done
"$bin/python" - "$RULES_WORK/fleet-rules-delegate.json" <<'PY' || fail "delegate: the add-on of rules-d1"
import json, sys
hosts = json.load(open(sys.argv[1]))["hosts"]
addons = hosts["rules-d1"]["results"]["addons"]
assert [a["addon"]["name"] for a in addons] == ["metrics_server"] and addons[0]["changed"], addons
assert "addons" not in hosts["rules-d2"]["results"], hosts["rules-d2"]["results"]
PY
echo "fleet-rules-test: delegate: 2 clusters built through delegate_to localhost (hosts with an unreachable ssh connection)," \
  "the add-on installed, both kubeconfigs merged into one file"

# 3. two regions
a0=$(counts "$RULES_A_URL"); b0=$(counts "$RULES_B_URL")
play regions "$rules/fleet-rules-regions.yml"
read -r aident amut aposts alists <<<"$(delta "$a0" "$(counts "$RULES_A_URL")")"
read -r bident bmut bposts blists <<<"$(delta "$b0" "$(counts "$RULES_B_URL")")"
[[ $aposts -eq 2 && $bposts -eq 2 ]] || fail "regions: clusters created: $aposts on A, $bposts on B, expected 2 and 2"
[[ $aident -eq 1 && $bident -eq 1 ]] || fail "regions: identity requests: $aident on A, $bident on B, expected 1 each"
"$bin/python" - "$RULES_WORK/fleet-rules-regions.json" "$RULES_A_URL" "$alists" "$RULES_B_URL" "$blists" <<'PY' || fail "regions: fleet waits"
import json, sys
result = json.load(open(sys.argv[1]))
polls = result["polls"]
assert len(polls) == 2, "polls per connection: %s" % polls  # one connection per endpoint
for url, lists in ((sys.argv[2], int(sys.argv[3])), (sys.argv[4], int(sys.argv[5]))):
    mine = [n for label, n in polls.items() if label.split(" ")[0] == url]
    assert len(mine) == 1, "no connection of %s in %s" % (url, polls)
    # every poll is one GET /v1/clusters of that endpoint, whatever the number of its clusters
    assert 0 < mine[0] <= lists, "%s: %d polls, %d cluster lists" % (url, mine[0], lists)
    # the modules' own lists aside (at most one per cluster: 2 on each endpoint), no list per cluster and poll
    assert lists <= mine[0] + 2, "%s: %d polls but %d cluster lists" % (url, mine[0], lists)
    print("fleet-rules-test: regions: %s: %d polls (fleet waits), %d GET /v1/clusters in all" % (url, mine[0], lists))
assert not result["failed_hosts"], result["failed_hosts"]
PY
a0=$(counts "$RULES_A_URL"); b0=$(counts "$RULES_B_URL")
play regions-rerun "$rules/fleet-rules-regions.yml"
read -r _ amut _ _ <<<"$(delta "$a0" "$(counts "$RULES_A_URL")")"
read -r _ bmut _ _ <<<"$(delta "$b0" "$(counts "$RULES_B_URL")")"
[[ $amut -eq 0 && $bmut -eq 0 ]] || fail "regions: the re-run sent $amut mutating requests to A, $bmut to B"
grep -qE '^rules-b1 +: ok=[0-9]+ +changed=0 ' "$RULES_WORK/regions-rerun.log" || fail "regions: the re-run reported a change"
echo "fleet-rules-test: regions: each cluster on its group's endpoint, one token per endpoint, re-run 0 mutating requests"
echo "fleet-rules-test: OK"
