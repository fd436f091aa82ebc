#!/usr/bin/env bash
# Usage: prepare.sh PRIVATE_DATA_DIR KUBECONFIG_DIR
# Makes PRIVATE_DATA_DIR an ansible-runner private data dir as AWX prepares one for a
# job of fleet.yml: project/ and inventory/ (symlinks to playbooks/ and the example
# inventory), env/settings and env/cmdline (copied from tests/runner/env/ unless it is
# that directory), env/envvars (what the AWX credential type extensions/awx/credential_type.yml
# injects, rendered with the simulator's credentials from NKS_API_URL and NHN_CLOUD_*: mode
# 0600, never committed) and env/extravars (cluster_kubeconfig_dir).
# Used by run-test.sh (make runner-test) and slice-test.sh (make runner-slice-test).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/.venv/bin
dir=$1
kube=$2

for var in NKS_API_URL NHN_CLOUD_IDENTITY_URL NHN_CLOUD_TENANT_ID NHN_CLOUD_USERNAME NHN_CLOUD_API_PASSWORD; do
  [[ -n ${!var:-} ]] || { echo "prepare: $var is not set" >&2; exit 1; }
done
mkdir -p "$dir/env"
ln -sfn "$root/playbooks" "$dir/project"
ln -sfn "$root/playbooks/inventories/fleet" "$dir/inventory"
if [[ $(cd "$dir" && pwd) != "$here" ]]; then
  cp "$here/env/settings" "$here/env/cmdline" "$dir/env/"
fi

# What AWX injects: the custom credential type rendered with the simulator's
# credentials as its inputs, as AWX renders it for a job.
umask 077
"$bin/python" - "$root/extensions/awx/credential_type.yml" "$dir/env/envvars" "$root/.build/collections" <<'PY'
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
    sys.exit(f"prepare: FAILED: credential type: unknown inputs {unknown}, missing {missing}, or api_password not secret")
renderer = jinja2.Environment(undefined=jinja2.StrictUndefined)
env = {name: renderer.from_string(template).render(**inputs)
       for name, template in credential_type["injectors"]["env"].items()}
expected = {"NHN_CLOUD_REGION", "NHN_CLOUD_TENANT_ID", "NHN_CLOUD_USERNAME", "NHN_CLOUD_API_PASSWORD", "NKS_API_URL"}
if not expected <= set(env):
    sys.exit(f"prepare: FAILED: credential type does not inject {sorted(expected - set(env))}")
env["ANSIBLE_COLLECTIONS_PATH"] = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or sys.argv[3]
env["ANSIBLE_NOCOLOR"] = "1"
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    json.dump(env, handle, indent=2)  # JSON is YAML, what ansible-runner reads
PY
printf '{"cluster_kubeconfig_dir": "%s"}\n' "$kube" >"$dir/env/extravars"
