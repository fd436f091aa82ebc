#!/usr/bin/env bash
# Run playbooks/cluster_to_workload.yml (the "from cluster to workload" guide) against the
# simulator of scripts/with-simulator.sh, twice; the second run must report changed=0.
# Called by `make kube-guide` (mk/kube.mk), which sets ANSIBLE_COLLECTIONS_PATH (with
# kubernetes.core) and KUBE_GUIDE_DIR (where the kubeconfig goes).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${NKS_SIM_URL:?run me through scripts/with-simulator.sh}"
dir=${KUBE_GUIDE_DIR:-$root/.sim/kube-guide}
mkdir -p "$dir"
run() {
  "$root/.venv/bin/ansible-playbook" "$root/playbooks/cluster_to_workload.yml" \
    -e @"$root/playbooks/vars/guide_example.yml" -e cluster_kubeconfig_dir="$dir" | tee "$dir/run$1.log"
}
run 1
run 2
if ! grep -Eq "localhost +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0" "$dir/run2.log"; then
  echo "kube-guide: FAILED: the second run changed something (see $dir/run2.log)" >&2
  exit 1
fi
if grep -q "BEGIN .*PRIVATE KEY\|client-key-data: [A-Za-z0-9]" "$dir/run1.log" "$dir/run2.log"; then
  echo "kube-guide: FAILED: a key appears in the output" >&2
  exit 1
fi
# The namespace is there, seen by kubectl through the kubeconfig the role wrote.
"$root/.venv/bin/kubectl" --kubeconfig "$dir/test-k8s.kubeconfig" get namespace demo-app -o name \
  | grep -qx "namespace/demo-app" || { echo "kube-guide: FAILED: kubectl does not see namespace demo-app" >&2; exit 1; }
echo "kube-guide: OK (two runs, the second changed nothing; kubectl sees namespace demo-app)"
