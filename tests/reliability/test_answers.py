# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers NKS never gives, bad inputs, concurrent creates and killed runs (docs/reliability.md,
"Malformed and slow answers").

A proxy (:mod:`answer_proxy`, 127.0.0.1) in front of the simulator spoils chosen answers: an
empty ``200``, ``null``, an array, a cluster without ``status``, truncated JSON, HTML, an answer
drip-fed byte by byte, silence. Real ``ansible`` / ``ansible-inventory`` processes run the
modules through it. Nothing here is random: the spoiled requests are chosen by method, path and
count, and the timing bounds have margins of many seconds over deterministic worst cases
(docs/reliability.md gives them).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from answer_proxy import AnswerProxy, Rule
from conftest import ANSIBLE, CLUSTER_ARGS, COLLECTIONS, ROOT, VENV_BIN, playbook_env, run_module

CLUSTER_PATH = r"/v1/clusters/[0-9a-f-]{36}"


@pytest.fixture
def proxied(make_simulator):
    """``make(**simulator args) -> (sim, proxy)``; every proxy is stopped after the test."""
    proxies = []

    def make(**kwargs):
        sim = make_simulator(**kwargs)
        proxy = AnswerProxy(sim.url).start()
        proxies.append(proxy)
        return sim, proxy

    yield make
    for proxy in proxies:
        proxy.stop()


def via(proxy, **more):
    """Environment for modules: the NKS API through the proxy (identity straight to the simulator)."""
    return dict({"NKS_API_URL": proxy.url}, **more)


def clusters_named(sim, name):
    return [c for c in sim.api("GET", "/v1/clusters").json()["clusters"] if c["name"] == name]


# -- 1. a malformed answer is never read as data -----------------------------------------------------

@pytest.mark.parametrize("mode", ["empty", "null", "array", "nostatus", "truncated", "html"])
def test_create_wait_is_not_ended_by_a_malformed_answer(proxied, mode):
    """Two spoiled reads of the new cluster during its create: the wait goes on to CREATE_COMPLETE."""
    sim, proxy = proxied(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=4"])
    proxy.add(Rule("GET", CLUSTER_PATH, mode, count=2))
    name = "rel-ans-%s" % mode
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name=name, wait_timeout=120),
                                 env=via(proxy))
    assert rc == 0, out
    assert result["changed"] is True
    assert result["cluster"]["status"] == "CREATE_COMPLETE", out
    assert len(proxy.spoiled(mode)) == 2
    assert len(clusters_named(sim, name)) == 1


@pytest.mark.parametrize("mode", ["empty", "null"])
def test_absent_is_not_fooled_by_one_malformed_list(proxied, mode):
    sim, proxy = proxied()
    name = "rel-gone-%s" % mode
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name=name))
    assert rc == 0, out
    proxy.add(Rule("GET", "/v1/clusters", mode, count=1))
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(name=name, state="absent"), env=via(proxy))
    assert rc == 0, out
    assert result["changed"] is True, out
    assert len(proxy.spoiled(mode)) == 1
    assert clusters_named(sim, name) == []


@pytest.mark.parametrize("mode", ["null", "array", "nostatus"])
def test_nks_wait_is_not_fooled_by_one_malformed_list(proxied, mode):
    sim, proxy = proxied(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=4"])
    name = "rel-fleet-%s" % mode
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name=name, wait=False))
    assert rc == 0, out
    proxy.add(Rule("GET", "/v1/clusters", mode, count=1))
    rc, result, out = run_module(sim, "nhncloud.nks.nks_wait", dict(clusters=[name], wait_timeout=120),
                                 env=via(proxy))
    assert rc == 0, out
    entry = result["clusters"][name]
    assert entry["outcome"] == "settled" and entry["status"] == "CREATE_COMPLETE", out
    assert len(proxy.spoiled(mode)) == 1


def inventory(tmp_path, sim, proxy, extra=""):
    source = Path(tmp_path) / "answers.nks.yml"
    source.write_text("plugin: nhncloud.nks.nks\napi_url: %s\n%s" % (proxy.url, extra))
    env = playbook_env(sim, {"ANSIBLE_INVENTORY_ENABLED": "nhncloud.nks.nks",
                             "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "1"})
    started = time.monotonic()
    done = subprocess.run([str(VENV_BIN / "ansible-inventory"), "-i", str(source), "--list"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
    return done, time.monotonic() - started


@pytest.mark.parametrize("mode", ["empty", "null", "html"])
def test_inventory_fails_on_a_malformed_list(proxied, tmp_path, mode):
    sim, proxy = proxied()
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name="rel-inv"))
    assert rc == 0, out
    proxy.add(Rule("GET", "/v1/clusters", mode, count=None))
    done, dummy = inventory(tmp_path, sim, proxy)
    assert done.returncode != 0, done.stdout
    text = " ".join(done.stdout.split())
    assert "/v1/clusters" in text and "not what the NKS API guide documents" in text, done.stdout
    assert "Traceback" not in done.stdout


# -- 2. deadlines --------------------------------------------------------------------------------------

def test_drip_fed_answers_do_not_hold_a_wait_past_wait_timeout(proxied):
    sim, proxy = proxied(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=300"])
    # The cluster's reads after the create's own: one byte every 0.2 s (a cluster is > 1 KB: > 200 s).
    proxy.add(Rule("GET", CLUSTER_PATH, "drip", count=None, skip=1, interval=0.2))
    started = time.monotonic()
    try:
        rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster",
                                     dict(CLUSTER_ARGS, name="rel-drip", wait_timeout=8), timeout=150,
                                     env=via(proxy))
    except subprocess.TimeoutExpired:
        pytest.fail("the wait was held by a drip-fed answer for more than 150 s (wait_timeout 8)")
    elapsed = time.monotonic() - started
    assert rc != 0, out
    assert "timed out after" in result["msg"], out
    assert elapsed < 8 + 30, elapsed
    assert proxy.spoiled("drip")


def test_silent_endpoint_fails_the_inventory_at_once_saying_read_timeout(proxied, tmp_path):
    sim, proxy = proxied()
    proxy.add(Rule("GET", "/v1/clusters", "silent", count=None, seconds=30))
    done, elapsed = inventory(tmp_path, sim, proxy, "http_timeout: 3\n")
    assert done.returncode != 0, done.stdout
    text = " ".join(done.stdout.split())
    assert "read timeout" in text and "cannot connect" not in text, done.stdout
    assert len(proxy.spoiled("silent")) == 1  # one try of 3 s, not 3 tries
    assert elapsed < 60


# -- 3. ranges and the region, before any request --------------------------------------------------

@pytest.mark.parametrize("args, option", [
    (dict(wait_timeout=-5), "wait_timeout"),
    (dict(node_count=11), "node_count"),
    (dict(autoscale=dict(enabled=True, max_node_count=0)), "autoscale.max_node_count"),
])
def test_out_of_range_is_refused_before_any_request(simulator, args, option):
    since = simulator.last_seq()
    rc, result, out = run_module(simulator, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name="rel-range", **args))
    assert rc != 0, out
    assert result.get("option") == option, out
    assert simulator.requests_log(since) == [] or simulator.mutations(since) == []
    assert clusters_named(simulator, "rel-range") == []


def test_long_name_is_not_echoed_whole(simulator):
    name = "a" * 5000
    rc, result, out = run_module(simulator, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name=name))
    assert rc != 0
    assert "5000" in result["msg"] and len(result["msg"]) < 400, result["msg"][:500]


def test_region_in_upper_case_is_accepted(simulator):
    rc, result, out = run_module(simulator, "nhncloud.nks.nks_info", dict(region="KR1", gather=["clusters"]))
    assert rc == 0, out


# -- 4. concurrent creates on one controller -----------------------------------------------------------

def start_module(sim, module, args, env):
    cmd = [str(ANSIBLE), "localhost", "-i", "localhost,", "-c", "local", "-m", module, "-a", json.dumps(args),
           "-e", "ansible_python_interpreter=%s" % sys.executable]
    return subprocess.Popen(cmd, env=playbook_env(sim, env), cwd=str(ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def test_two_runs_of_one_definition_create_one_cluster(proxied):
    """Run A's create is held in the proxy until run B has looked the name up (B's List Clusters),
    so B finds nothing and creates too, unless the create lock makes it wait, look again and attach."""
    sim, proxy = proxied(extra=["--allow-duplicate-cluster-names"])

    def b_looked():  # A's lookup, then B's
        return sum(1 for entry in list(proxy.log) if entry[:2] == ("GET", "/v1/clusters")) >= 2
    proxy.add(Rule("POST", "/v1/clusters", "delay", count=1, seconds=90, until=b_looked))
    args = dict(CLUSTER_ARGS, name="rel-twin", wait=False)
    first = start_module(sim, "nhncloud.nks.nks_cluster", args, via(proxy))
    deadline = time.monotonic() + 60
    while not proxy.spoiled("delay") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proxy.spoiled("delay"), "run A never sent its create"
    second = start_module(sim, "nhncloud.nks.nks_cluster", args, via(proxy))
    out_a, dummy = first.communicate(timeout=120)
    out_b, dummy = second.communicate(timeout=120)
    assert first.returncode == 0, out_a
    assert second.returncode == 0, out_b
    assert len(clusters_named(sim, "rel-twin")) == 1, out_b


# -- 5. a killed run leaves no credential on disk ------------------------------------------------------

def test_killed_run_leaves_no_module_file_with_the_token(make_simulator, tmp_path):
    """The shipped ansible.cfg (pipelining) sends the module's arguments on stdin."""
    sim = make_simulator(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=300"])
    token = sim.token()
    temp = Path(tmp_path) / "ansible-tmp"
    env = dict(ANSIBLE_CONFIG=str(COLLECTIONS / "ansible_collections" / "nhncloud" / "nks" / "ansible.cfg"),
               ANSIBLE_REMOTE_TMP=str(temp / "remote"), ANSIBLE_LOCAL_TEMP=str(temp / "local"),
               ANSIBLE_KEEP_REMOTE_FILES="0")
    environ = playbook_env(sim, env)
    for var in ("NHN_CLOUD_API_PASSWORD", "NHN_CLOUD_USERNAME"):
        environ.pop(var, None)
    cmd = [str(ANSIBLE), "localhost", "-i", "localhost,", "-c", "local", "-m", "nhncloud.nks.nks_cluster",
           "-a", json.dumps(dict(CLUSTER_ARGS, name="rel-killed", auth_token=token, wait_timeout=600)),
           "-e", "ansible_python_interpreter=%s" % sys.executable]
    proc = subprocess.Popen(cmd, env=environ, cwd=str(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while not sim.mutations() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sim.mutations(), "the create was never sent"
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    left = [str(p) for p in temp.rglob("*") if p.is_file()]
    assert not [p for p in left if "AnsiballZ" in p], left
    for path in left:
        assert token not in Path(path).read_text(errors="replace"), path
