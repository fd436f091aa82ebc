#!/usr/bin/env bash
# Usage: [SIM_ARGS="--time-scale 0.2"] scripts/with-simulator.sh command [args...]
#
# Starts the NKS API simulator on 127.0.0.1 and an ephemeral port, waits until
# GET /_sim/health answers {"status": "ok"}, runs the command with the simulator's
# address and credentials in the environment, and always stops the simulator
# afterwards (also on failure, Ctrl-C or SIGTERM). Exits with the command's exit code.
# A thin wrapper around the simulator's launcher (python -m nks_simulator.launcher,
# simulator/src/nks_simulator/launcher.py), which the tests and benchmarks use too.
#
# Environment given to the command:
#   NKS_SIM_URL, NKS_API_URL, NHN_CLOUD_IDENTITY_URL   http://127.0.0.1:<port>
#   NHN_CLOUD_TENANT_ID, NHN_CLOUD_USERNAME, NHN_CLOUD_API_PASSWORD   the credentials the
#   simulator accepts (its defaults nks-sim-tenant, operator@nks-sim.local, nks-sim-password,
#   or those given in SIM_ARGS)
#
# Knobs (environment): SIMULATOR (default .venv/bin/nks-simulator),
# SIM_ARGS (extra simulator options), SIM_DIR (default .sim; port file and simulator.log go there),
# SIM_TIMEOUT (seconds to wait for health, default 60), PYTHON_BIN (default .venv/bin/python).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON_BIN:-$root/.venv/bin/python}

# Extra simulator options, split on whitespace.
read -r -a sim_args <<<"${SIM_ARGS:-}"
if [[ $# -eq 0 ]]; then
  echo "usage: [SIM_ARGS=...] $0 command [args...]" >&2
  exit 2
fi

exec "$python" -m nks_simulator.launcher --sim-dir "${SIM_DIR:-$root/.sim}" \
  --start-timeout "${SIM_TIMEOUT:-60}" --simulator "${SIMULATOR:-$root/.venv/bin/nks-simulator}" \
  ${sim_args[@]+"${sim_args[@]}"} -- "$@"
