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

for var in NKS_API_URL NHN_CLOUD_IDENTITY_URL NHN_CLOUD_TENANT_ID NHN_CLOUD_USERNAME NHN_CLOUD_API_PASSWORD; do
  [[ -n ${!var:-} ]] || fail "$var is not set"
done

# The project and the inventory, as AWX would check them out.
ln -sfn ../../playbooks "$here/project"
ln -sfn ../../playbooks/inventories/fleet "$here/inventory"
rm -rf "$here/kube"

# What AWX injects: the custom credential type of extensions/awx/credential_type.yml
# rendered with the simulator's credentials as its inputs, as AWX renders it for a
# job. Written now, private, never committed.
umask 077
"$bin/python" - "$root/extensions/awx/credential_type.yml" "$here/env/envvars" "$root/.build/collections" <<'PY'
import json, os, sys
import jinja2, yaml
credential_type = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
inputs = {
    "region": "kr1",
    "tenant_id": os.environ["NHN_CLOUD_TENANT_ID"],
    "username": os.environ["NHN_CLOUD_USERNAME"],
    "api_password": os.environ["NHN_CLOUD_API_PASSWORD"],
    "api_url": os.environ["NKS_API_URL"],
    "identity_url": os.environ["NHN_CLOUD_IDENTITY_URL"],
}
unknown = set(inputs) - set(fields)
missing = set(credential_type["inputs"]["required"]) - set(inputs)
if unknown or missing or not fields["api_password"].get("secret"):
    sys.exit(f"runner-test: FAILED: credential type: unknown inputs {unknown}, missing {missing}, or api_password not secret")
renderer = jinja2.Environment(undefined=jinja2.StrictUndefined)
env = {name: renderer.from_string(template).render(**inputs)
       for name, template in credential_type["injectors"]["env"].items()}
expected = {"NHN_CLOUD_REGION", "NHN_CLOUD_TENANT_ID", "NHN_CLOUD_USERNAME", "NHN_CLOUD_API_PASSWORD", "NKS_API_URL"}
if not expected <= set(env):
    sys.exit(f"runner-test: FAILED: credential type does not inject {sorted(expected - set(env))}")
env["ANSIBLE_COLLECTIONS_PATH"] = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or sys.argv[3]
env["ANSIBLE_NOCOLOR"] = "1"
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    json.dump(env, handle, indent=2)  # JSON is YAML, what ansible-runner reads
PY
# The job must get its credentials from env/envvars only, as in AWX.
unset NKS_API_URL NHN_CLOUD_IDENTITY_URL NHN_CLOUD_TENANT_ID NHN_CLOUD_USERNAME NHN_CLOUD_API_PASSWORD NHN_CLOUD_REGION
printf '{"cluster_kubeconfig_dir": "%s/kube"}\n' "$here" >"$here/env/extravars"
umask 022

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
[[ $(find "$here/kube" -name '*.kubeconfig' | wc -l) -eq $expected_hosts ]] || fail "expected $expected_hosts kubeconfig files in $here/kube"
echo "runner-test: ok"
