#!/usr/bin/env bash
# Install kubernetes.core (the version bundled in the pinned `ansible` package) for
# the tests and the guide that use it, without installing the whole `ansible` package:
# kubernetes.core is not published on PyPI on its own. Downloads the pinned wheel with
# pip (no dependencies), checks its sha256, and extracts only
# ansible_collections/kubernetes/core into .build/collections/ansible_collections/,
# the ANSIBLE_COLLECTIONS_PATH of the make targets. A link makes it visible to
# ansible-test too (.build/ansible-test/ansible_collections/kubernetes). Does nothing
# when that version is already there. Called by `make kube-collections` (mk/kube.mk).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${KUBE_ANSIBLE_VERSION:-12.3.0}
sha256=${KUBE_ANSIBLE_SHA256:-cd156f82fa87f7a899212b0efa9f7ca3a24d609212de9f78428a572eb01e5414}
wheels=$root/.build/wheels
wheel=$wheels/ansible-$version-py3-none-any.whl
collections=$root/.build/collections/ansible_collections
stamp=$collections/kubernetes/.from-ansible-$version

link_for_ansible_test() {
  mkdir -p "$root/.build/ansible-test/ansible_collections"
  ln -sfn "$collections/kubernetes" "$root/.build/ansible-test/ansible_collections/kubernetes"
}

if [[ -f $stamp ]]; then
  link_for_ansible_test
  echo "kube-collections: kubernetes.core from ansible $version is in $collections"
  exit 0
fi

mkdir -p "$wheels" "$collections"
if [[ ! -f $wheel ]] || ! echo "$sha256  $wheel" | sha256sum --check --status; then
  rm -f "$wheel"
  "$root/.venv/bin/pip" download --no-deps --only-binary :all: "ansible==$version" -d "$wheels" >/dev/null
fi
if ! echo "$sha256  $wheel" | sha256sum --check --status; then
  echo "kube-collections: FAILED: $wheel does not have the pinned sha256 $sha256" >&2
  exit 1
fi

tmp=$(mktemp -d "$root/.build/kube-collections.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$root/.venv/bin/python" - "$wheel" "$tmp" <<'PY'
import sys
import zipfile

wheel, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    names = [n for n in archive.namelist() if n.startswith("ansible_collections/kubernetes/core/")]
    if not names:
        sys.exit("no ansible_collections/kubernetes/core in %s" % wheel)
    archive.extractall(dest, names)
print("kube-collections: extracted %d files of kubernetes.core" % len(names))
PY
rm -rf "$collections/kubernetes"
mv "$tmp/ansible_collections/kubernetes" "$collections/kubernetes"
touch "$stamp"
link_for_ansible_test
"$root/.venv/bin/python" -c "import json,sys; print('kube-collections: kubernetes.core', json.load(open(sys.argv[1]))['collection_info']['version'])" \
  "$collections/kubernetes/core/MANIFEST.json"
