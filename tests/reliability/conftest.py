# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures of the reliability suite (docs/reliability.md).

Every test starts its own ``nks-simulator`` (``--port 0 --port-file``, bound to
127.0.0.1) and drives real ``ansible-playbook`` / ``ansible-runner`` processes
against it. ``RELIABILITY_FULL=1`` selects the long variant (``make reliability``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from nks_simulator.launcher import SimulatorProcess

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
SIMULATOR = VENV_BIN / "nks-simulator"
ANSIBLE_PLAYBOOK = VENV_BIN / "ansible-playbook"
# RELIABILITY_COLLECTIONS: run against another copy of the collection (e.g. a broken one, to see a test fail).
COLLECTIONS = Path(os.environ.get("RELIABILITY_COLLECTIONS") or ROOT / ".build" / "collections")
FULL = os.environ.get("RELIABILITY_FULL") == "1"

TENANT = "rel-tenant"
USERNAME = "rel@nks.local"
# Distinctive, so that a leak anywhere is found by a plain substring search.
PASSWORD = "S3cr3t-Pa55-rel1ab1l1ty-7Qx"

MUTATING = ("POST", "PATCH", "PUT", "DELETE")


class Simulator(SimulatorProcess):
    """One ``nks-simulator`` process (:class:`nks_simulator.launcher.SimulatorProcess`) accepting
    :data:`TENANT` / :data:`USERNAME` / :data:`PASSWORD`, and its ``/_sim/`` admin API.

    :param workdir: its port file and ``simulator.log``.
    :param time_scale: ``--time-scale``.
    :param extra: more simulator options.
    :param state_file: ``--state-file`` (kept across :meth:`stop` and :meth:`start`).
    """

    def __init__(self, workdir, time_scale=0.05, extra=(), state_file=None):
        args = ["--time-scale", str(time_scale), "--tenant-id", TENANT, "--username", USERNAME,
                "--api-password", PASSWORD] + list(extra)
        if state_file:
            args += ["--state-file", str(state_file)]
        super(Simulator, self).__init__(workdir, args, command=[str(SIMULATOR)])
        self.time_scale = time_scale
        self.extra = list(extra)
        self.state_file = state_file

    # -- admin API -----------------------------------------------------------

    def sim(self, method, path, **kwargs):
        response = requests.request(method, self.url + "/_sim" + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else {}

    def configure(self, **values):
        return self.sim("PATCH", "/config", json=values)

    def faults(self, error_rate=0.0, drop_rate=0.0):
        return self.configure(error_rate=error_rate, drop_rate=drop_rate)

    def requests_log(self, since=0):
        return self.sim("GET", "/requests?since=%d" % since)["requests"]

    def last_seq(self):
        entries = self.requests_log()
        return entries[-1]["seq"] if entries else 0

    def mutations(self, since=0):
        return [r for r in self.requests_log(since) if r["kind"] == "mutate"]

    # -- NKS API (fault-free: call with faults off) ----------------------------

    def token(self):
        body = {"auth": {"tenantId": TENANT,
                         "passwordCredentials": {"username": USERNAME, "password": PASSWORD}}}
        for dummy in range(20):
            response = requests.post(self.url + "/v2.0/tokens", json=body, timeout=30)
            if response.ok:
                return response.json()["access"]["token"]["id"]
            time.sleep(0.2)
        raise RuntimeError("no token: %s" % response.text)

    def api(self, method, path, token=None, **kwargs):
        headers = {"X-Auth-Token": token or self.token(),
                   "OpenStack-API-Version": "container-infra latest"}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def env(self):
        """Environment for modules: this process's, with the simulator's endpoint and credentials."""
        env = dict(os.environ)
        env.update(super(Simulator, self).env())
        return env


@pytest.fixture
def simulator(tmp_path):
    """A fresh simulator (time scale 0.05); stopped after the test."""
    sim = Simulator(tmp_path / "sim").start()
    yield sim
    sim.stop()


@pytest.fixture
def make_simulator(tmp_path):
    """Factory of simulators with extra arguments; every one is stopped after the test."""
    started = []

    def make(name="sim", **kwargs):
        sim = Simulator(tmp_path / name, **kwargs).start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


def playbook_env(sim, extra_env=None):
    env = sim.env()
    env.update(ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_HOME=str(Path(env.get("TMPDIR", "/tmp")) / "nks-reliability-ansible"))
    env.update(extra_env or {})
    return env


def run_playbook(sim, playbook, extra_vars=None, inventory=None, args=(), env=None, timeout=900,
                 log=None):
    """Run ``ansible-playbook``; returns the ``CompletedProcess`` (stdout+stderr in ``stdout``)."""
    cmd = [str(ANSIBLE_PLAYBOOK), str(playbook)]
    if inventory:
        cmd += ["-i", str(inventory)]
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    cmd += list(args)
    done = subprocess.run(cmd, env=playbook_env(sim, env), cwd=str(ROOT), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)
    if log is not None:
        with open(log, "a") as handle:
            handle.write("$ %s\n%s\nrc=%d\n" % (" ".join(cmd), done.stdout, done.returncode))
    return done


def recap(output):
    """``{host: {"ok": n, "changed": n, "failed": n, ...}}`` of a PLAY RECAP."""
    hosts = {}
    for line in output.splitlines():
        match = re.match(r"^(\S+)\s+:\s+(.*)$", line)
        if match and "ok=" in match.group(2):
            hosts[match.group(1)] = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2)))
    return hosts


class TokenRevoker(threading.Thread):
    """Revoke every token once, while an operation runs: after the first mutating request
    that got through, wait ``delay`` seconds, then ``POST /_sim/tokens/expire``."""

    def __init__(self, sim, since, delay=0.3):
        super(TokenRevoker, self).__init__(daemon=True)
        self.sim, self.since, self.delay = sim, since, delay
        self.expired = None
        self.first_read = None
        self.fallback = 3.0
        self.stop_event = threading.Event()

    def run(self):
        while not self.stop_event.is_set():
            try:
                entries = self.sim.requests_log(self.since)
            except requests.RequestException:
                entries = []
            reads = [e for e in entries if e["kind"] == "read"]
            if self.first_read is None and reads:
                self.first_read = time.time()
            mutated = any(e["kind"] == "mutate" and e["status"] < 300 for e in entries)
            # A run that changes nothing never waits: revoke while it reads instead.
            idle = self.first_read is not None and time.time() - self.first_read > self.fallback
            if mutated or idle:
                time.sleep(self.delay if mutated else 0)
                self.expired = self.sim.sim("POST", "/tokens/expire")["expired"]
                return
            self.stop_event.wait(0.2)

    def stop(self):
        self.stop_event.set()
        self.join(10)


def normalised_state(sim):
    """What NKS holds, without identifiers, timestamps or addresses, for comparing two runs.

    ``{cluster name: {status, node_count, labels, nodegroups: {name: {...}}, ipacl}}``.
    Read with faults off.
    """
    token = sim.token()
    volatile = re.compile(r"^(uuid|cluster_id|cluster_uuid|user_id|server_group_meta|stack_id|links|id|"
                          r"api_address|master_addresses|node_addresses|discovery_url|"
                          r"status_reason|health_status|health_status_reason|certificate_expiry|"
                          r"created_at|updated_at|faults)$")

    def clean(value):
        if isinstance(value, dict):
            out = {}
            for key, item in sorted(value.items()):
                if volatile.match(key):
                    continue
                if key == "status" and isinstance(item, str) and item.endswith("_COMPLETE"):
                    item = "COMPLETE"
                out[key] = clean(item)
            return out
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    state = {}
    for cluster in sim.api("GET", "/v1/clusters", token).json()["clusters"]:
        uuid = cluster["uuid"]
        detail = sim.api("GET", "/v1/clusters/%s" % uuid, token).json()
        groups = {}
        for ng in sim.api("GET", "/v1/clusters/%s/nodegroups" % uuid, token).json()["nodegroups"]:
            ng_detail = sim.api("GET", "/v1/clusters/%s/nodegroups/%s" % (uuid, ng["uuid"]), token).json()
            scale = sim.api("GET", "/v1/clusters/%s/nodegroups/%s/autoscale" % (uuid, ng["uuid"]), token)
            ng_detail = clean(ng_detail)
            ng_detail["autoscale"] = scale.json() if scale.ok else None
            groups[ng["name"]] = ng_detail
        acl = sim.api("GET", "/v1/clusters/%s/api_ep_ipacl" % uuid, token).json()
        entry = clean(detail)
        entry.update(nodegroups=groups, ipacl=clean(acl))
        assert cluster["name"] not in state, "duplicate cluster name %s" % cluster["name"]
        state[cluster["name"]] = entry
    return state


def fault_counts(entries):
    """``{"error": n, "drop": n}`` of request log entries."""
    counts = {"error": 0, "drop": 0}
    for entry in entries:
        if entry.get("fault") in counts:
            counts[entry["fault"]] += 1
    return counts


def write_figures(name, figures):
    """Record a test's figures in ``tests/output/reliability/<name>.json`` (quoted in docs)."""
    out = ROOT / "tests" / "output" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / ("%s.json" % name)).write_text(json.dumps(figures, indent=2, sort_keys=True))


def state_differences(got, want, path=""):
    """Paths where two normalised states differ: ``["rel-c01.nodegroups.pool-a.node_count: 1 != 2"]``."""
    if isinstance(got, dict) and isinstance(want, dict):
        out = []
        for key in sorted(set(got) | set(want)):
            where = "%s.%s" % (path, key) if path else str(key)
            if key not in got or key not in want:
                out.append("%s: only in %s" % (where, "faulty" if key in got else "reference"))
            else:
                out += state_differences(got[key], want[key], where)
        return out
    return [] if got == want else ["%s: %r != %r" % (path, got, want)]


ANSIBLE = VENV_BIN / "ansible"


def run_module(sim, module, args, extra=(), env=None, timeout=600, cwd=None):
    """Run one module on localhost with ad-hoc ``ansible``; returns ``(rc, result dict, output)``.

    ``cwd``: the directory it runs in (default: the checkout); the checkout's ansible.cfg applies either way."""
    cmd = [str(ANSIBLE), "localhost", "-i", "localhost,", "-c", "local", "-m", module,
           "-a", json.dumps(args), "-e", "ansible_python_interpreter=%s" % sys.executable] + list(extra)
    done = subprocess.run(cmd, env=playbook_env(sim, dict(env or {}, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))), cwd=str(cwd or ROOT), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, check=False)
    out = done.stdout
    start = out.find("=> {")
    result = json.loads(out[start + 3:]) if start >= 0 else {}
    return done.returncode, result, out + done.stderr


CLUSTER_ARGS = dict(kube_version="v1.28.3", node_count=1, flavor_id="6ef27f21-c774-4c0e-84ff-7dd4a762571f",
                    keypair="rel-keypair", fixed_network="eb212079-b6ec-430c-ba57-14280a457bcb",
                    fixed_subnet="4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90", availability_zone="kr2-pub-b",
                    node_image="f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc", boot_volume_type="General HDD",
                    boot_volume_size=20)
NODEGROUP_ARGS = dict(flavor_id="6ef27f21-c774-4c0e-84ff-7dd4a762571f",
                      image_id="f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc", availability_zone="kr2-pub-b",
                      boot_volume_type="General HDD", boot_volume_size=20)


# -- cpu seconds per test ----------------------------------------------------------------------------------
# The suite is CPU-bound on a 2-core machine (make test runs it beside other suites): each test's cpu seconds
# (user + system of pytest and of every process it waited for: ansible-playbook, ansible, the simulators it
# stopped) are printed at the end, the most expensive first, as --durations prints the wall seconds.
_CPU = {}


def _cpu_now():
    import resource  # pylint: disable=import-outside-toplevel
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = _cpu_now()
    yield
    _CPU[item.nodeid] = _cpu_now() - start


def pytest_terminal_summary(terminalreporter):
    if not _CPU:
        return
    terminalreporter.write_sep("=", "cpu seconds per test (user + system, with the processes it waited for)")
    for nodeid, cpu in sorted(_CPU.items(), key=lambda item: -item[1])[:15]:
        terminalreporter.write_line("%8.1fs cpu  %s" % (cpu, nodeid))
    terminalreporter.write_line("%8.1fs cpu  in all, %d tests" % (sum(_CPU.values()), len(_CPU)))
