#!/usr/bin/env bash
# Usage: scripts/ansible-test.sh <ansible-test arguments...>
# Copies the collection into .build/ansible-test/ansible_collections/nhncloud/nks
# (scripts/sync-collection.sh) and runs ansible-test there. Fails when
# ansible-test fails, when it ran nothing ("All targets skipped", which it
# reports with exit code 0), or when a sanity test was skipped for a missing
# program.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# AT_DEST: a private copy, for runs side by side with others in one checkout.
dest=$("$root/scripts/sync-collection.sh" ${AT_DEST:+"$AT_DEST"})
# kubernetes.core (make kube-collections) beside the copy, as scripts/kube-collections.sh links it
# for the default copy: the integration targets that use it find it there (AT_DEST: make test's lanes).
if [[ -d $root/.build/collections/ansible_collections/kubernetes ]]; then
  ln -sfn "$root/.build/collections/ansible_collections/kubernetes" "$(dirname "$(dirname "$dest")")/kubernetes"
fi
log=$root/.build/ansible-test-$1.log
cd "$dest"
echo "ansible-test.sh: (cd $dest && ansible-test $*)"
set +e
"$root/.venv/bin/ansible-test" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [[ $rc -ne 0 ]]; then
  echo "ansible-test.sh: FAILED: ansible-test $1 exited $rc" >&2
  exit "$rc"
fi
if grep -q "All targets skipped" "$log"; then
  echo "ansible-test.sh: FAILED: ansible-test $1 ran nothing (All targets skipped)" >&2
  exit 1
fi
if grep -q "Required program .* not found" "$log"; then
  echo "ansible-test.sh: FAILED: a test was skipped for a missing program (see above)" >&2
  exit 1
fi
