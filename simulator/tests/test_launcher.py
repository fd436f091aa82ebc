"""nks_simulator.launcher: the one way the tests, benchmarks and scripts start a simulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from nks_simulator.launcher import SimulatorError, SimulatorProcess, masked

LAUNCHER = [sys.executable, "-m", "nks_simulator.launcher"]
# Chance of a spurious failure: the checks that a stopped simulator no longer answers fail only if
# another server binds the same ephemeral port (one of ~28,000) within the few milliseconds between
# the stop and the check; at even 10 servers started per second on this machine that is
# 10 * 0.005 s / 28,000 ~ 2e-6 per check, 4 checks: < 1e-5 per run. The waits (60 s for a start that
# takes about 1 s, 5 s when the machine is loaded) leave a 12x margin; nothing else is timed or random.
CREDENTIALS = ["--tenant-id", "launch-tenant", "--username", "launch@nks.local", "--api-password", "L4unch-S3cret-9"]


def test_process_lifecycle_restart_and_env(tmp_path):
    sim = SimulatorProcess(tmp_path / "sim", CREDENTIALS)
    with sim:
        first = sim.url
        assert sim.running and first == f"http://127.0.0.1:{sim.port}"
        assert requests.get(first + "/_sim/health", timeout=5).json() == {"status": "ok"}
        assert sim.env() == {"NKS_SIM_URL": first, "NKS_API_URL": first, "NHN_CLOUD_IDENTITY_URL": first,
                             "NHN_CLOUD_TENANT_ID": "launch-tenant", "NHN_CLOUD_USERNAME": "launch@nks.local",
                             "NHN_CLOUD_API_PASSWORD": "L4unch-S3cret-9"}
        assert sim.stop(signal.SIGKILL) == -signal.SIGKILL and not sim.running
        sim.start()  # again: same workdir and options, a fresh port file
        assert requests.get(sim.url + "/_sim/health", timeout=5).ok
    assert not sim.running and sim.stop() is None
    with pytest.raises(requests.ConnectionError):
        requests.get(sim.url + "/_sim/health", timeout=5)
    assert "listening on" in (tmp_path / "sim" / "simulator.log").read_text()


def test_a_simulator_that_cannot_start_raises_with_its_log(tmp_path):
    sim = SimulatorProcess(tmp_path, ["--error-rate", "3"])
    with pytest.raises(SimulatorError, match="(?s)exited with status 2 .*error_rate"):
        sim.start()
    assert not sim.running


def test_secret_flags_are_masked():
    assert masked(["--api-password", "x", "--api-password=y", "--tenant-id", "t"]) == \
        ["--api-password", "***", "--api-password=***", "--tenant-id", "t"]


def run_launcher(tmp_path, *args, **kw):
    return subprocess.run(LAUNCHER + ["--sim-dir", str(tmp_path / "cli"), *args], capture_output=True,
                          text=True, timeout=120, **kw)


def test_command_line_runs_the_command_with_the_environment_and_its_status(tmp_path):
    script = ("import json, os, sys, urllib.request\n"
              "keys = ['NKS_SIM_URL', 'NKS_API_URL', 'NHN_CLOUD_IDENTITY_URL', 'NHN_CLOUD_TENANT_ID', "
              "'NHN_CLOUD_USERNAME', 'NHN_CLOUD_API_PASSWORD']\n"
              "env = {k: os.environ[k] for k in keys}\n"
              "env['health'] = json.load(urllib.request.urlopen(env['NKS_SIM_URL'] + '/_sim/health'))\n"
              "print(json.dumps(env))\nsys.exit(7)\n")
    done = run_launcher(tmp_path, "--time-scale", "0.5", *CREDENTIALS, "--", sys.executable, "-c", script)
    assert done.returncode == 7, done.stderr
    env = json.loads(done.stdout)
    assert env["health"] == {"status": "ok"} and env["NKS_API_URL"] == env["NKS_SIM_URL"]
    assert env["NHN_CLOUD_TENANT_ID"] == "launch-tenant" and env["NHN_CLOUD_API_PASSWORD"] == "L4unch-S3cret-9"
    assert "L4unch-S3cret-9" not in done.stderr and "--api-password ***" in done.stderr
    with pytest.raises(requests.ConnectionError):  # stopped afterwards
        requests.get(env["NKS_SIM_URL"] + "/_sim/health", timeout=5)


@pytest.mark.parametrize("args, status, message", [
    ((), 2, "no COMMAND"),
    (("--",), 2, "no COMMAND"),
    (("--", "no-such-command-nks"), 127, "command not found"),
    (("--error-rate", "3", "--", "true"), 1, "exited with status 2"),
])
def test_command_line_failures(tmp_path, args, status, message):
    done = run_launcher(tmp_path, *args)
    assert done.returncode == status and message in done.stderr, done.stderr


def test_sigterm_stops_the_command_and_the_simulator(tmp_path):
    """Deterministic: the launcher is signalled only once its command runs (the marker file exists)."""
    marker = tmp_path / "running"
    script = f"echo $NKS_SIM_URL > {marker}.tmp && mv {marker}.tmp {marker} && exec sleep 60"
    proc = subprocess.Popen(LAUNCHER + ["--sim-dir", str(tmp_path / "cli"), "--", "sh", "-c", script],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the command did not start"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(30) == 143
    finally:
        if proc.poll() is None:
            proc.kill()
    url = marker.read_text().strip()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/_sim/health", timeout=5)
