#!/usr/bin/env bash
# `make runner-test` (mk/roles.mk): playbooks/fleet.yml through ansible-runner, the
# engine of AWX, with this directory as the private data dir (README.md).
# Needs NKS_API_URL and the NHN_CLOUD_* variables (scripts/with-simulator.sh sets them).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/.venv/bin
ident=${RUNNER_IDENT:-fleet-$(date +%s)}
expected_hosts=10

fail() { echo "runner-test: FAILED: $*" >&2; exit 1; }

rm -rf "$here/kube"
"$here/prepare.sh" "$here" "$here/kube"
# The job must get its credentials from env/envvars only, as in AWX.
unset NKS_API_URL NHN_CLOUD_IDENTITY_URL NHN_CLOUD_TENANT_ID NHN_CLOUD_USERNAME NHN_CLOUD_API_PASSWORD NHN_CLOUD_REGION

start=$SECONDS
rc=0
"$bin/ansible-runner" run "$here" --playbook fleet.yml --ident "$ident" >"$here/runner-$ident.log" 2>&1 || rc=$?
mkdir -p "$here/artifacts/$ident"
mv "$here/runner-$ident.log" "$here/artifacts/$ident/runner.log"
artifacts=$here/artifacts/$ident
echo "runner-test: ansible-runner run fleet.yml: exit $rc in $((SECONDS - start))s (artifacts: $artifacts)"
if [[ $rc -ne 0 ]]; then
  tail -n 40 "$artifacts/stdout" 2>/dev/null || tail -n 40 "$artifacts/runner.log"
  fail "ansible-runner exited $rc"
fi
status=$(cat "$artifacts/status" 2>/dev/null || echo missing)
[[ $status == successful ]] || fail "artifacts/$ident/status is '$status', expected 'successful'"
job_rc=$(cat "$artifacts/rc" 2>/dev/null || echo missing)
[[ $job_rc == 0 ]] || fail "artifacts/$ident/rc is '$job_rc', expected 0"

# The final stats event of the job: every cluster ran, none failed.
"$bin/python" - "$artifacts/job_events" "$expected_hosts" <<'PY'
import json, pathlib, sys
events = [json.loads(p.read_text()) for p in pathlib.Path(sys.argv[1]).glob("*.json")]
stats = [e["event_data"] for e in events if e.get("event") == "playbook_on_stats"]
if len(stats) != 1:
    sys.exit(f"runner-test: FAILED: {len(stats)} playbook_on_stats events, expected 1")
data = stats[0]
hosts = set(data.get("ok", {})) | set(data.get("changed", {}))
bad = {k: data.get(k) for k in ("failures", "dark") if data.get(k)}
if len(hosts) != int(sys.argv[2]) or bad:
    sys.exit(f"runner-test: FAILED: {len(hosts)} hosts ran (expected {sys.argv[2]}), failed/unreachable: {bad}")
changed = sum(data.get("changed", {}).values())
print(f"runner-test: status successful, rc 0, {len(hosts)} clusters, {changed} changed tasks, none failed")
PY
# The fleet wait's progress lines reach the job output (what AWX shows).
grep -qE '^nks_wait: [0-9]+/[0-9]+ clusters settled, 0 failed, [0-9]+ running' "$artifacts/stdout" \
  || fail "no progress line of the fleet wait (nks_wait: ...) in $artifacts/stdout"
[[ $(find "$here/kube" -name '*.kubeconfig' | wc -l) -eq $expected_hosts ]] || fail "expected $expected_hosts kubeconfig files in $here/kube"
echo "runner-test: ok"
