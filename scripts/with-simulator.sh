#!/usr/bin/env bash
# Usage: [SIM_ARGS="--time-scale 0.2"] scripts/with-simulator.sh command [args...]
#
# Starts the NKS API simulator in the background on an ephemeral port, waits
# until GET /_sim/health answers {"status": "ok"}, runs the command with the
# simulator's address and the simulator's credentials in the environment, and always
# stops the simulator afterwards (also on failure or Ctrl-C). Exits with the
# command's exit code.
#
# Environment given to the command:
#   NKS_SIM_URL, NKS_API_URL, NHN_CLOUD_IDENTITY_URL   http://127.0.0.1:<port>
#   NHN_CLOUD_TENANT_ID=nks-sim-tenant NHN_CLOUD_USERNAME=operator@nks-sim.local
#   NHN_CLOUD_API_PASSWORD=nks-sim-password
#
# Knobs (environment): SIMULATOR (default .venv/bin/nks-simulator),
# SIM_ARGS (extra simulator options), SIM_DIR (default .sim; port file and simulator.log go there),
# SIM_TIMEOUT (seconds to wait for health, default 60).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
simulator=${SIMULATOR:-$root/.venv/bin/nks-simulator}
sim_dir=${SIM_DIR:-$root/.sim}
timeout=${SIM_TIMEOUT:-60}
python=${PYTHON_BIN:-$root/.venv/bin/python}

# Extra simulator options, split on whitespace.
read -r -a sim_args <<<"${SIM_ARGS:-}"
if [[ $# -eq 0 ]]; then
  echo "usage: [SIM_ARGS=...] $0 command [args...]" >&2
  exit 2
fi

mkdir -p "$sim_dir"
port_file=$sim_dir/port
log_file=$sim_dir/simulator.log
rm -f "$port_file"

echo "with-simulator: starting $simulator --port 0 --port-file $port_file ${sim_args[*]} (log: $log_file)"
"$simulator" --port 0 --port-file "$port_file" "${sim_args[@]}" >"$log_file" 2>&1 </dev/null &
sim_pid=$!

# shellcheck disable=SC2329  # invoked by the EXIT trap
stop_simulator() {
  if kill -0 "$sim_pid" 2>/dev/null; then
    echo "with-simulator: stopping simulator (pid $sim_pid)"
    kill -TERM "$sim_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$sim_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$sim_pid" 2>/dev/null || true
  fi
  wait "$sim_pid" 2>/dev/null || true
}
trap stop_simulator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

deadline=$((SECONDS + timeout))
url=
until [[ -n $url ]]; do
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "with-simulator: the simulator exited before it was healthy; its log:" >&2
    cat "$log_file" >&2
    exit 1
  fi
  if [[ -s $port_file ]]; then
    port=$(tr -d '[:space:]' <"$port_file")
    candidate=http://127.0.0.1:$port
    if "$python" - "$candidate/_sim/health" <<'PY' 2>/dev/null
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    sys.exit(0 if json.load(response).get("status") == "ok" else 1)
PY
    then
      url=$candidate
      break
    fi
  fi
  if ((SECONDS >= deadline)); then
    echo "with-simulator: no healthy simulator after ${timeout}s; its log:" >&2
    cat "$log_file" >&2
    exit 1
  fi
  sleep 0.2
done
echo "with-simulator: simulator healthy at $url"

export NKS_SIM_URL=$url
export NKS_API_URL=$url
export NHN_CLOUD_IDENTITY_URL=$url
export NHN_CLOUD_TENANT_ID=nks-sim-tenant
export NHN_CLOUD_USERNAME=operator@nks-sim.local
export NHN_CLOUD_API_PASSWORD=nks-sim-password

set +e
"$@"
rc=$?
set -e
exit "$rc"
