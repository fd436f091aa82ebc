#!/usr/bin/env bash
# Usage: scripts/venv-cache.sh NAME LINK REQUIREMENTS_FILE...
#
# A virtual environment with exactly the pins of REQUIREMENTS_FILE... installed,
# kept across checkouts as ansible-test keeps its sanity venvs
# (~/.ansible/test/venv): under $NKS_VENV_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/nhncloud-nks/venvs) in NAME-KEY, where KEY is the
# sha256 of the Python version and of the requirement files' contents. So a
# change of a pin (or of Python) builds a new venv, and an unchanged one is not
# rebuilt by every fresh clone (make test builds four of them: the ansible-core
# 2.16/2.17/2.18 venvs of the matrix, galaxy-importer's, ansible-rulebook's).
# LINK (e.g. .build/venv-core-2.16) becomes a symbolic link to it, and its path
# is printed.
#
# NKS_VENV_CACHE=none builds the venv at LINK itself (no cache), as before.
# VENV_UPGRADE_PIP=1 upgrades pip first (ansible-rulebook's pins need a recent one).
# Concurrent callers (make test's job pool, two checkouts) are serialised per
# venv with flock; a venv is used only once its build has completed (a marker
# written last), else it is rebuilt. Cached venvs of NAME unused for 14 days are
# removed.
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 NAME LINK REQUIREMENTS_FILE..." >&2
  exit 2
fi
name=$1
link=$2
shift 2
python=${PYTHON:-python3}
cache=${NKS_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nhncloud-nks/venvs}

build() {
  local venv=$1
  shift
  rm -rf "$venv"
  "$python" -m venv "$venv"
  if [[ ${VENV_UPGRADE_PIP:-0} == 1 ]]; then
    "$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip
  fi
  local args=()
  for reqs in "$@"; do
    args+=(-r "$reqs")
  done
  "$venv/bin/pip" install -q --disable-pip-version-check "${args[@]}"
}

if [[ $cache == none ]]; then
  if [[ -L $link ]]; then
    rm -f "$link"
  fi
  stamp=$link/.requirements.sha256
  sum=$(cat "$@" | sha256sum | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$sum" ]]; then
    build "$link" "$@"
    echo "$sum" >"$stamp"
  fi
  echo "$link"
  exit 0
fi

key=$( { "$python" -c 'import sys; print(sys.version)'; cat "$@"; } | sha256sum | cut -c1-16)
venv=$cache/$name-$key
mkdir -p "$cache" "$(dirname "$link")"
exec 9>"$venv.lock"
flock 9
if [[ ! -f $venv/.complete ]]; then
  echo "venv-cache: building $venv (${*})" >&2
  build "$venv" "$@"
fi
touch "$venv/.complete"  # written last when built; its age says when the venv was last used
flock -u 9
# Another name's leftovers are not ours to judge; this name's stale ones are.
for old in "$cache/$name"-*/.complete; do
  if [[ -f $old && $old != "$venv/.complete" && -n $(find "$old" -mtime +14) ]]; then
    rm -rf "$(dirname "$old")"
  fi
done
ln -sfn "$venv" "$link.tmp.$$"
rm -rf "$link"
mv -T "$link.tmp.$$" "$link"
echo "$venv"
