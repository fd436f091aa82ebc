#!/usr/bin/env bash
# Usage: [TEST_JOBS=N] scripts/test-lanes.sh "JOB" ["JOB" ...]      (what `make test` runs; CI through .ci/run)
#
# Runs make targets as a pool of jobs: a job is one argument, its targets separated by spaces and
# run one after the other (targets that must not overlap, e.g. two users of ansible-test's shared
# venv cache); TEST_JOBS jobs (default 5) run at a time, each worker taking the next job in the
# order given when it is free, so list the longest jobs first (the Makefile's TEST_JOBS_* do).
# Jobs are chosen so that they share no state: each target gets its own ansible-test copy of the
# collection (AT_DEST) and its own simulator directory (SIM_DIR) under .build/test-lanes/<target>/,
# every simulator listens on its own free port, and the targets that install shared things (venv,
# get-pip, kube-collections) are made once before the pool starts (the Makefile's `test` recipe).
#
# Each target's output goes to .build/test-lanes/<target>.log; a line per target is printed
# when it ends ("=== make T: ok in Ns (cpu Ms)" or "FAILED after Ns" followed by the end of
# its log). cpu is the user + system seconds of the target and every process it waited for
# (bash's `time`): on a shared machine the wall time says how long the jobs waited for a
# core, the cpu seconds what the target costs, so compare those across runs.
# A failed target does not stop the other jobs, nor the rest of its own job: one run reports
# every failure. At the end: the time of every target, the wall time, and "N passed, M failed".
# Exits 1 when any target failed, 2 on a usage error.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $# -eq 0 ]]; then
  echo "usage: [TEST_JOBS=N] $0 \"JOB TARGETS\" [\"JOB TARGETS\" ...]" >&2
  exit 2
fi
out=$root/.build/test-lanes
rm -rf "$out"
mkdir -p "$out"
# Lines of a failed target's log printed when it ends (the whole log stays in $out).
tail_lines=${TEST_LOG_TAIL:-120}

run_target() {
  local target=$1 start rc took cpu TIMEFORMAT='%U %S'
  start=$SECONDS
  rc=0
  mkdir -p "$out/$target"
  # bash's `time` writes "user sys" of the make and its children to $out/$target.cpu.
  { time {
    AT_DEST=$out/$target/ansible_collections/nhncloud/nks SIM_DIR=$out/$target/sim \
      make --no-print-directory -C "$root" "$target" >"$out/$target.log" 2>&1 </dev/null || rc=$?
  } ; } 2>"$out/$target.cpu"
  took=$((SECONDS - start))
  cpu=$(awk '{printf "%.0f", $1 + $2}' "$out/$target.cpu" 2>/dev/null)
  cpu=${cpu:-?}
  echo "$target $rc $took $cpu" >>"$out/summary"
  if [[ $rc -eq 0 ]]; then
    echo "=== make $target: ok in ${took}s (cpu ${cpu}s)"
  else
    # One block, written at once, so that jobs ending together do not interleave it.
    {
      echo "=== make $target: FAILED (exit $rc) after ${took}s (cpu ${cpu}s); the last $tail_lines lines of $out/$target.log:"
      tail -n "$tail_lines" "$out/$target.log"
      echo "=== end of make $target"
    } >"$out/$target.failed"
    cat "$out/$target.failed"
  fi
}

run_job() {
  local target
  for target in $1; do
    run_target "$target"
  done
}

jobs_list=("$@")
workers=${TEST_JOBS:-5}
if ! [[ $workers =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: TEST_JOBS must be a positive integer, not '$workers'" >&2
  exit 2
fi
echo 0 >"$out/next"
# The next job for a free worker: its index in jobs_list, under a lock shared by the workers;
# fails when every job is taken.
take_job() {
  local n
  {
    flock 9
    n=$(<"$out/next")
    echo $((n + 1)) >"$out/next"
  } 9>"$out/lock"
  ((n < ${#jobs_list[@]})) || return 1
  job_index=$n
}
worker() {
  local job_index
  while take_job; do
    echo "=== job $((job_index + 1))/${#jobs_list[@]}: ${jobs_list[job_index]}"
    run_job "${jobs_list[job_index]}"
  done
}

wall=$SECONDS
pids=()
echo "=== make test: ${#jobs_list[@]} jobs, $workers at a time"
for ((i = 0; i < workers && i < ${#jobs_list[@]}; i++)); do
  worker &
  pids+=($!)
done
# Stop every worker (and the make processes under it) when make test is interrupted.
trap 'kill "${pids[@]}" 2>/dev/null; pkill -P $$ 2>/dev/null; exit 130' INT TERM
for pid in "${pids[@]}"; do
  wait "$pid"
done
trap - INT TERM

passed=0
failed=0
cpu_total=0
echo "=== make test: time of each target, in the order they ended: wall s, cpu s (user + system)"
while read -r target rc took cpu; do
  [[ $cpu =~ ^[0-9]+$ ]] && cpu_total=$((cpu_total + cpu))
  if [[ $rc -eq 0 ]]; then
    passed=$((passed + 1))
    printf '    %-24s %6s %6s  ok\n' "$target" "$took" "$cpu"
  else
    failed=$((failed + 1))
    printf '    %-24s %6s %6s  FAILED (exit %s, log %s)\n' "$target" "$took" "$cpu" "$rc" "$out/$target.log"
  fi
done <"$out/summary"
expected=0
for lane in "$@"; do
  for target in $lane; do
    expected=$((expected + 1))
  done
done
if [[ $((passed + failed)) -ne $expected ]]; then
  echo "=== make test: only $((passed + failed)) of $expected targets reported (a job was killed?)"
  failed=$((failed + expected - passed - failed))
fi
echo "=== make test: wall ${wall:+$((SECONDS - wall))}s, cpu ${cpu_total}s for $expected targets in $# jobs, $workers at a time"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
