# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: the API password, a token and the kubeconfig private keys never appear in
anything a run leaves behind: ``-vvvv`` output, ansible-runner artifacts (stdout, job
events with every returned value, status), ``--diff`` output.

The job runs through ``ansible-runner`` (the engine of AWX) with the credentials in
``env/extravars`` of the private data dir (an input, as AWX injects them; the
runner's own ``artifacts/*/command`` records the environment, so they are not put
there). The token is one the test obtained itself and passes as ``auth_token``; the
private keys are read from the API afterwards.
"""

from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess

import yaml

from conftest import COLLECTIONS, HERE, PASSWORD, TENANT, USERNAME, VENV_BIN, write_figures

RUNNER = VENV_BIN / "ansible-runner"


def private_key_secrets(sim):
    """``client-key-data`` of every cluster's kubeconfig, base64 and the decoded PEM body lines."""
    token = sim.token()
    found = []
    for cluster in sim.api("GET", "/v1/clusters", token).json()["clusters"]:
        config = yaml.safe_load(sim.api("GET", "/v1/clusters/%s/config" % cluster["uuid"], token).json()["config"])
        for user in config["users"]:
            data = user["user"]["client-key-data"]
            found.append(data)
            pem = base64.b64decode(data).decode()
            found += [line for line in pem.splitlines() if len(line) >= 16 and "-----" not in line]
    return found


def runner(pdd, ident, env):
    done = subprocess.run([str(RUNNER), "run", str(pdd), "-p", "converge.yml", "--ident", ident],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    return done


def test_no_secret_in_any_output(simulator, tmp_path):
    token = simulator.token()
    pdd = tmp_path / "runner"
    (pdd / "project").mkdir(parents=True)
    (pdd / "env").mkdir()
    (pdd / "inventory").mkdir()
    shutil.copy(str(HERE / "playbooks" / "converge.yml"), str(pdd / "project" / "converge.yml"))
    (pdd / "inventory" / "hosts").write_text("rel-s01\n")
    kube_dir = tmp_path / "kube"
    kube_dir.mkdir()
    extravars = {"rel_tenant_id": TENANT, "rel_username": USERNAME, "rel_api_password": PASSWORD,
                 "rel_auth_token": token, "rel_kubeconfig_dir": str(kube_dir)}
    (pdd / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    os.chmod(str(pdd / "env" / "extravars"), 0o600)
    (pdd / "env" / "envvars").write_text(yaml.safe_dump({
        "NKS_API_URL": simulator.url, "NHN_CLOUD_IDENTITY_URL": simulator.url,
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_NOCOLOR": "1"}))
    (pdd / "env" / "cmdline").write_text("-vvvv --diff")
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("NHN_CLOUD_", "NKS_")))
    env["PATH"] = "%s%s%s" % (VENV_BIN, os.pathsep, env.get("PATH", ""))

    outputs = []
    done = runner(pdd, "first", env)
    outputs.append(done.stdout)
    assert done.returncode == 0, done.stdout[-5000:]

    # Second run: the other desired state (in-place changes), with kubeconfigs whose
    # content differs from NKS's, so nks_kubeconfig reports a --diff of a kubeconfig.
    for path in kube_dir.iterdir():
        text = path.read_text().replace("client-key-data: ", "client-key-data: AAAA")
        path.write_text(text)
    (pdd / "env" / "extravars").write_text(yaml.safe_dump(dict(extravars, rel_phase="b")))
    done = runner(pdd, "second", env)
    outputs.append(done.stdout)
    assert done.returncode == 0, done.stdout[-5000:]

    secrets = {"api password": [PASSWORD], "token": [token], "private key": private_key_secrets(simulator)}
    assert len(secrets["private key"]) >= 2

    # The kubeconfig files hold the keys (so the values searched for are the right ones), 0600.
    for path in kube_dir.iterdir():
        assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert any(secrets["private key"][0] in p.read_text() or secrets["private key"][2] in p.read_text()
               for p in kube_dir.iterdir())

    searched = {"runner stdout": "\n".join(outputs)}
    for root, _dirs, files in os.walk(str(pdd / "artifacts")):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                searched[path] = handle.read().decode("utf-8", "replace")
    blob = "\n".join(searched.values())
    # The output is the verbose one, with diffs and returned values, so a leak would show.
    assert "ESTABLISH LOCAL CONNECTION" in blob  # -vvvv
    assert "VALUE_REDACTED" in blob              # --diff of a kubeconfig
    assert '"ipacl"' in blob and '"cluster"' in blob  # returned values in the job events
    assert len(searched) > 20

    leaks = ["%s in %s" % (kind, where) for kind, values in secrets.items() for value in values
             for where, text in searched.items() if value in text]
    assert leaks == []
    write_figures("secrets", {"files_searched": len(searched), "bytes_searched": len(blob),
                              "secret_values": sum(len(v) for v in secrets.values()), "secrets_found": 0})
