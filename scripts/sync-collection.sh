#!/usr/bin/env bash
# Copy the collection into .build/ansible-test/ansible_collections/nhncloud/nks,
# the layout ansible-test insists on. Only files git knows about are copied
# (tracked, plus untracked files that are not ignored, so work in progress is
# tested too), except simulator/: the simulator is a separate Python package
# with its own tests (make sim-test), not collection content (galaxy.yml
# build_ignore), so ansible-test sanity does not apply its rules to it. Ignored
# trees (.venv/, .build/, .sim/, tests/output/, the
# pytest-ansible collections/ symlinks, ...) never end up in the copy.
# Prints the destination directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-$root/.build/ansible-test/ansible_collections/nhncloud/nks}

rm -rf "$dest"
mkdir -p "$dest"
cd "$root"
# -co: cached + others; --exclude-standard: honour .gitignore. Skip paths that
# are tracked but deleted in the working tree.
git ls-files -z -co --exclude-standard \
  | while IFS= read -r -d '' f; do
      if [[ $f != simulator/* ]] && [[ -e $f || -L $f ]]; then
        printf '%s\0' "$f"
      fi
    done \
  | tar --null -T - -cf - \
  | tar -xf - -C "$dest"
# Generated, gitignored, but needed by ansible-test integration.
if [[ -f tests/integration/integration_config.yml ]]; then
  cp tests/integration/integration_config.yml "$dest/tests/integration/"
fi
# ansible-test looks for version control from the collection root upwards; without
# a repository of its own here it would find the checkout's .git (where .build/
# is ignored) and see no files at all. Give the copy its own index.
cd "$dest"
git init -q .
git add -A .
echo "$dest"
