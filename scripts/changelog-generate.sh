#!/usr/bin/env bash
# Usage: scripts/changelog-generate.sh [--check]
#
# Writes CHANGELOG.rst from changelogs/changelog.yaml and the fragments in
# changelogs/fragments/, as the release of the version in galaxy.yml would
# read. The collection has not been released yet: changelog.yaml holds no
# release, so `antsibull-changelog generate` alone would print nothing of the
# pending changes. This script runs `antsibull-changelog release --version
# <galaxy.yml version>` in a throw-away copy (committed files of HEAD plus the
# working tree's changelogs/), which also lists the new modules, plugins and
# roles from their version_added, and copies only CHANGELOG.rst back:
# changelogs/changelog.yaml stays unreleased. With --check it writes nothing
# and fails when the committed CHANGELOG.rst differs from the generated one.
#
# To really release: antsibull-changelog release (in the checkout), which
# records the release in changelogs/changelog.yaml (keep_fragments: true
# keeps the fragment files; prevent_known_fragments stops their reuse).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$root/.venv/bin
check=false
if [[ ${1:-} == --check ]]; then
  check=true
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/ansible_collections/nhncloud/nks
mkdir -p "$dest"
cd "$root"
git archive HEAD | tar -xf - -C "$dest"
rm -rf "$dest/changelogs"
cp -r changelogs "$dest/changelogs"
version=$("$bin/python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' galaxy.yml)
date=$(git log -1 --format=%cs HEAD)
(cd "$dest" && PATH="$bin:$PATH" ANSIBLE_COLLECTIONS_PATH=$tmp \
  "$bin/antsibull-changelog" release --version "$version" --date "$date")
if $check; then
  if ! diff -u CHANGELOG.rst "$dest/CHANGELOG.rst"; then
    echo "changelog-generate: CHANGELOG.rst is out of date: run scripts/changelog-generate.sh" >&2
    exit 1
  fi
  echo "changelog-generate: CHANGELOG.rst is up to date"
else
  cp "$dest/CHANGELOG.rst" CHANGELOG.rst
  echo "changelog-generate: wrote CHANGELOG.rst (version $version, unreleased)"
fi
