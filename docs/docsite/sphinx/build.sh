#!/usr/bin/env bash
# Created with antsibull-docs 2.28.0 (sphinx-init), then adapted to this repository:
#
# Usage: docs/docsite/sphinx/build.sh COLLECTIONS_ROOT OUTPUT_DIR
#
# COLLECTIONS_ROOT holds ansible_collections/nhncloud/nks (a copy made by
# scripts/sync-collection.sh); OUTPUT_DIR receives rst/ (the generated
# sources) and html/ (the site, html/index.html). Builds offline: intersphinx
# is off unless NKS_DOCS_INTERSPHINX=1 (see conf.py). Warnings are printed;
# the build fails on Sphinx errors, and fails on warnings when
# NKS_DOCS_STRICT=1 (-W).
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
collections=$(cd "$1" && pwd)
out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
rst=$out/rst

# Create collection documentation (plugins, roles, extra docs of docs/docsite/).
rm -rf "$rst"
mkdir -p "$rst"
chmod og-w "$rst"  # antsibull-docs wants that directory only readable by itself
ANSIBLE_COLLECTIONS_PATH=$collections antsibull-docs \
    --config-file "$here/antsibull-docs.cfg" \
    collection \
    --cleanup everything \
    --use-current \
    --dest-dir "$rst" \
    nhncloud.nks
cp "$here/index.rst" "$rst/index.rst"

# Build the Sphinx site.
strict=()
if [[ ${NKS_DOCS_STRICT:-0} == 1 ]]; then
  strict=(-W --keep-going)
fi
rm -rf "$out/html" "$out/doctrees"
sphinx-build -b html -d "$out/doctrees" "${strict[@]}" -c "$here" "$rst" "$out/html"
