# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors that say what to check (docs/reliability.md): real runs of a module and of the
inventory plugin against a closed port and against refused credentials.

Nothing here is random. The one timing bound (a module against a closed port ends in
under 10 s) has a deterministic worst case of about 2.5 s: Python and module start-up
(~1 s on this machine) plus 3 refused connection tries with at most 0.5 + 1.0 s of
backoff; only a stall of the test machine of more than 7 s could fail it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import COLLECTIONS, PASSWORD, VENV_BIN, playbook_env

MODULE = COLLECTIONS / "ansible_collections" / "nhncloud" / "nks" / "plugins" / "modules" / "nks_info.py"


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def run_module(tmp_path, args, env):
    """Run the nks_info module file as Ansible would (arguments in a JSON file)."""
    path = Path(tmp_path) / "args.json"
    path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    env = dict(env, PYTHONPATH=str(COLLECTIONS))
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(MODULE), str(path)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=60, check=False)
    return json.loads(done.stdout.strip().splitlines()[-1]), time.monotonic() - started


def clean_env():
    return dict((k, v) for k, v in os.environ.items() if not k.startswith(("NHN_CLOUD_", "NKS_")))


def test_module_against_a_closed_port_fails_fast_naming_url_and_variable(tmp_path):
    url = "http://127.0.0.1:%d" % closed_port()
    env = dict(clean_env(), NKS_API_URL=url)
    result, elapsed = run_module(tmp_path, {"gather": ["clusters"], "auth_token": "not-a-secret"}, env)
    # The same module process failing before any request (an unknown option): its start-up cost on this
    # machine now, measured side by side, so that a loaded machine does not count as slowness of ours.
    # Refused connections are tried 3 times (about 1 s); the old unbounded retries took 40 s and more.
    baseline, started = run_module(tmp_path, {"gather": ["clusters"], "auth_token": "x", "no_such_option": 1}, env)
    assert baseline["failed"] is True and "no_such_option" in baseline["msg"]
    assert result["failed"] is True
    assert elapsed - started < 15.0, (elapsed, started)
    message = result["msg"]
    assert url + "/v1/clusters" in message
    assert "cannot connect to the NKS API" in message
    assert "Connection refused" in message
    assert "check api_url, set by environment variable NKS_API_URL" in message


def test_module_with_a_wrong_password_names_where_credentials_came_from(simulator, tmp_path):
    env = dict(simulator.env(), NHN_CLOUD_API_PASSWORD="wrong-password-value-7731")
    result, _elapsed = run_module(tmp_path, {"gather": ["clusters"], "username": env["NHN_CLOUD_USERNAME"]}, env)
    assert result["failed"] is True
    message = result["msg"]
    assert "HTTP 401" in message
    assert "tenant_id (environment variable NHN_CLOUD_TENANT_ID)" in message
    assert "username (option username)" in message
    assert "api_password (environment variable NHN_CLOUD_API_PASSWORD)" in message
    assert "wrong-password-value-7731" not in message and PASSWORD not in message


def test_inventory_credential_failure_fails_the_run_when_asked(simulator, tmp_path):
    """The inventory plugin reports a refused login as a failed source: a warning by
    Ansible's default, rc != 0 with inventory_any_unparsed_is_failed (documented)."""
    source = Path(tmp_path) / "bad.nks.yml"
    source.write_text("plugin: nhncloud.nks.nks\n")
    env = playbook_env(simulator)
    env["NHN_CLOUD_API_PASSWORD"] = "wrong-password-value"
    env["ANSIBLE_INVENTORY_ENABLED"] = "nhncloud.nks.nks"
    cmd = [str(VENV_BIN / "ansible-inventory"), "-i", str(source), "--list"]
    warned = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=120, check=False)
    assert "api_password (environment variable NHN_CLOUD_API_PASSWORD)" in warned.stdout.replace("\n", " ")
    assert "wrong-password-value" not in warned.stdout
    env["ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED"] = "1"
    failed = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=120, check=False)
    assert failed.returncode != 0, failed.stdout
    assert "HTTP 401" in failed.stdout
