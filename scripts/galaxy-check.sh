#!/usr/bin/env bash
# Usage: scripts/galaxy-check.sh
#
# What a Galaxy publication of nhncloud.nks goes through, offline:
#  1. build the collection artifact with `ansible-galaxy collection build` from
#     a copy of the git-known files (scripts/sync-collection.sh: nothing
#     ignored, no simulator/) to which the scratch files a user makes in the
#     checkout by following the guides are added (SCRATCH: my_cluster.yml, ...);
#     what the artifact holds is galaxy.yml's manifest, an include-list;
#  2. check its file list: only collection content at the top level (no tests/,
#     simulator/, scripts/, Makefile, mk/, requirements-dev.txt, ...) and none of
#     the scratch files;
#  3. run galaxy-importer on it (own venv .build/venv-importer, a link into
#     scripts/venv-cache.sh's cache, with the pins of tests/galaxy/requirements.txt, config tests/galaxy/galaxy-importer.cfg):
#     fails on any WARNING or ERROR line, or when the import does not finish;
#  4. install the artifact with `ansible-galaxy collection install -p` into an
#     empty directory and, with ANSIBLE_COLLECTIONS_PATH pointing only there and
#     against a fresh simulator (scripts/with-simulator.sh), run the collection
#     playbooks by FQCN from another directory: nhncloud.nks.site (twice: the
#     second run must report no change), then nhncloud.nks.module_defaults with
#     the credentials given only as play variables (the NHN_CLOUD_* variables
#     unset), then nhncloud.nks.teardown.
# Work and logs: .build/galaxy/ (importer.log, site-*.log). Prints the time of
# each step.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python3}
work=$root/.build/galaxy
venv=$root/.build/venv-importer
reqs=$root/tests/galaxy/requirements.txt
rm -rf "$work"
mkdir -p "$work/dist" "$work/install" "$work/run"

step() { echo "=== galaxy: $* ($((SECONDS - t0))s so far)"; }
t0=$SECONDS

step "build"
src=$("$root/scripts/sync-collection.sh" "$work/src/ansible_collections/nhncloud/nks")
# Files a user creates in the checkout by following README and the guides, and others of the same kind:
# the artifact must hold none of them (galaxy.yml lists what it holds).
scratch=(my_cluster.yml first.yml my.nks.yml nks_credentials.yml notes.md requirements-local.txt)
for file in "${scratch[@]}"; do
  printf '# a scratch file of the user: must not be in the artifact\n' >"$src/$file"
done
"$root/.venv/bin/ansible-galaxy" collection build --output-path "$work/dist" "$src"
tarball=$(ls "$work"/dist/nhncloud-nks-*.tar.gz)

step "file list of $(basename "$tarball")"
tar -tzf "$tarball" | sort >"$work/files.txt"
# Top-level entries a Galaxy artifact of this collection may hold.
allowed='^(MANIFEST\.json|FILES\.json|README\.md|CHANGELOG\.rst|LICENSE|COPYING|requirements\.txt|bindep\.txt|execution-environment\.yml|meta|plugins|roles|playbooks|docs|changelogs|extensions|meta/execution-environment\.yml)(/|$)'
bad=$(grep -Ev "$allowed" "$work/files.txt" || true)
# Development parts that must stay out even under allowed directories.
bad+=$(grep -E '^(docs/docsite/sphinx|extensions/molecule)(/|$)|(^|/)(__pycache__|\.pytest_cache|tests)(/|$)|\.pyc$' "$work/files.txt" || true)
for file in "${scratch[@]}"; do
  bad+=$(grep -Fx "$file" "$work/files.txt" || true)
done
if [[ -n $bad ]]; then
  echo "galaxy: FAILED: the artifact holds development or scratch files (see manifest in galaxy.yml):" >&2
  echo "$bad" >&2
  exit 1
fi
for must in MANIFEST.json README.md CHANGELOG.rst meta/runtime.yml playbooks/site.yml playbooks/module_defaults.yml; do
  if ! grep -qx "$must" "$work/files.txt"; then
    echo "galaxy: FAILED: the artifact lacks $must" >&2
    exit 1
  fi
done
echo "$(wc -l <"$work/files.txt") entries, none of them tests, simulator, development files or the ${#scratch[@]} scratch files"

step "galaxy-importer"
PYTHON=$python "$root/scripts/venv-cache.sh" importer "$venv" "$reqs" >/dev/null
rc=0
(cd "$work" && GALAXY_IMPORTER_CONFIG=$root/tests/galaxy/galaxy-importer.cfg PATH="$venv/bin:$PATH" \
  "$venv/bin/python" -m galaxy_importer.main "$tarball") >"$work/importer.log" 2>&1 || rc=$?
cat "$work/importer.log"
if [[ $rc -ne 0 ]]; then
  echo "galaxy: FAILED: galaxy-importer exited $rc" >&2
  exit 1
fi
if grep -nE '(^|[^A-Za-z])(WARNING|ERROR)([^A-Za-z]|$)' "$work/importer.log"; then
  echo "galaxy: FAILED: galaxy-importer reported the WARNING/ERROR lines above" >&2
  exit 1
fi
if ! grep -q "Collection loading complete" "$work/importer.log"; then
  echo "galaxy: FAILED: galaxy-importer did not complete the import" >&2
  exit 1
fi
echo "galaxy-importer: 0 errors, 0 warnings"

step "install the artifact"
# Only the install directory is a collections path (a nhncloud.nks elsewhere,
# e.g. in ~/.ansible/collections, would make the install a no-op).
ANSIBLE_COLLECTIONS_PATH=$work/install "$root/.venv/bin/ansible-galaxy" collection install --offline --force \
  -p "$work/install" "$tarball"
installed=$work/install/ansible_collections/nhncloud/nks
test -f "$installed/playbooks/site.yml"

step "run the installed collection against a fresh simulator"
# From a directory that is not the checkout, seeing only the installed copy.
cd "$work/run"
export ANSIBLE_COLLECTIONS_PATH=$work/install
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export ANSIBLE_ROLES_PATH=$work/run/roles
export ANSIBLE_LOCAL_TEMP=$work/run/tmp
# shellcheck disable=SC2016  # expanded by the inner bash
SIM_ARGS=${SIM_ARGS:---profile fast --time-scale 0.2} SIM_DIR=$work/sim "$root/scripts/with-simulator.sh" bash -euo pipefail -c '
  bin=$1 installed=$2 kube=$3
  # Which copy does ansible-playbook see? Only the installed one.
  "$bin/ansible-galaxy" collection list nhncloud.nks | tee collections.txt
  grep -q "^# $(dirname "$(dirname "$installed")")\$" collections.txt
  if grep -q "^# $4" collections.txt; then echo "the checkout is visible" >&2; exit 1; fi
  site() {
    "$bin/ansible-playbook" nhncloud.nks.site -e @"$installed/playbooks/vars/demo_cluster.yml" \
      -e cluster_kubeconfig_dir="$kube" "$@"
  }
  site | tee site-1.log
  grep -Eq "localhost +: ok=[0-9]+ +changed=[1-9]" site-1.log
  site | tee site-2.log
  grep -Eq "localhost +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0" site-2.log
  test -s "$kube/test-k8s.kubeconfig"
  env -u NHN_CLOUD_TENANT_ID -u NHN_CLOUD_USERNAME -u NHN_CLOUD_API_PASSWORD -u NKS_API_URL -u NHN_CLOUD_IDENTITY_URL \
    "$bin/ansible-playbook" nhncloud.nks.module_defaults -e nks_api_url="$NKS_SIM_URL" -e nks_identity_url="$NKS_SIM_URL" \
    -e nks_tenant_id="$NHN_CLOUD_TENANT_ID" -e nks_username="$NHN_CLOUD_USERNAME" \
    -e nks_api_password="$NHN_CLOUD_API_PASSWORD" | tee module-defaults.log
  grep -q "clusters: test-k8s" module-defaults.log
  "$bin/ansible-playbook" nhncloud.nks.teardown -e @"$installed/playbooks/vars/demo_cluster.yml" \
    -e cluster_kubeconfig_dir="$kube" | tee teardown.log
  grep -Eq "localhost +: ok=[0-9]+ +changed=[1-9][0-9]* +unreachable=0 +failed=0" teardown.log
' galaxy-run "$root/.venv/bin" "$installed" "$work/run/kube" "$root/.build/collections"
step "done"
