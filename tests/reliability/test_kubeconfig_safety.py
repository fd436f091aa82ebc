# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubeconfig files and readiness waits that lose nothing and lie about nothing
(issue 22 items 2-3, issue 23 items 2-4 and 8; docs/reliability.md "Kubeconfig files and
readiness waits").

* six forks merge six clusters into one file: all six contexts are there;
* every bad kind of ``dest`` is refused before any request, and no temporary file is left;
* a node group resized by someone else during ``wait_for: nodes`` is followed;
* a re-run of the role with an IP ACL that keeps the controller out: ok, a warning, no timeout.

No test here is randomised: the parallel merge is made to overlap for certain by a hook that
slows every rename onto the shared file (``sitecustomize_slow_merge``), the resize happens while
the simulator keeps the Kubernetes API not ready (``kube_ready_delay``).
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time

import yaml

from conftest import ANSIBLE, CLUSTER_ARGS, HERE, ROOT, playbook_env, run_module, run_playbook

FORKS = 6


def create_clusters(sim, names, tmp_path):
    """Create ``names`` with ``nks_cluster``, one fork each, and wait until they are complete."""
    inventory = tmp_path / ("create-%s.ini" % names[0])
    inventory.write_text("\n".join(names) + "\n")
    playbook = tmp_path / "create.yml"
    playbook.write_text(yaml.safe_dump([{
        "name": "Create the clusters", "hosts": "all", "connection": "local", "gather_facts": False,
        "vars": {"ansible_python_interpreter": sys.executable},
        "tasks": [{"name": "Create", "nhncloud.nks.nks_cluster": dict(CLUSTER_ARGS, name="{{ inventory_hostname }}")}]}]))
    done = run_playbook(sim, playbook, inventory=inventory, env={"ANSIBLE_FORKS": str(FORKS)})
    assert done.returncode == 0, done.stdout[-4000:]


def test_parallel_merges_lose_no_entry(simulator, tmp_path):
    names = ["rel-kcm-%d" % i for i in range(FORKS)]
    create_clusters(simulator, names, tmp_path)
    dest = tmp_path / "kube" / "shared.kubeconfig"
    dest.parent.mkdir()
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("\n".join(names) + "\n")
    playbook = tmp_path / "merge.yml"
    playbook.write_text(yaml.safe_dump([{
        "name": "Merge every cluster into one kubeconfig", "hosts": "all", "connection": "local",
        "gather_facts": False, "vars": {"ansible_python_interpreter": sys.executable},
        "tasks": [{"name": "Merge", "nhncloud.nks.nks_kubeconfig": {
            "cluster": "{{ inventory_hostname }}", "dest": str(dest), "merge": True}}]}]))
    hook = str(HERE / "sitecustomize_slow_merge")
    env = {"REL_SLOW_MERGE_SECONDS": "2", "PYTHONPATH": hook + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "ANSIBLE_FORKS": str(FORKS)}
    done = run_playbook(simulator, playbook, inventory=inventory, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]
    assert done.stdout.count("changed: [") == FORKS, done.stdout[-4000:]
    doc = yaml.safe_load(dest.read_text())
    for section in ("contexts", "clusters", "users"):
        assert sorted(item["name"] for item in doc[section]) == names, section
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o600
    assert sorted(os.listdir(str(dest.parent))) == ["shared.kubeconfig"]  # no temporary file, no lock file
    # N independent processes (not forks of one run) as well, re-writing the same entries: no change, no loss.
    procs = [subprocess.Popen([str(ANSIBLE), "localhost", "-i", "localhost,", "-c", "local", "-m",
                               "nhncloud.nks.nks_kubeconfig", "-a",
                               json.dumps({"cluster": name, "dest": str(dest), "merge": True}),
                               "-e", "ansible_python_interpreter=%s" % sys.executable],
                              env=playbook_env(simulator, env), cwd=str(ROOT), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for name in names]
    for proc in procs:
        out = proc.communicate(timeout=600)[0]
        assert proc.returncode == 0 and "SUCCESS" in out, out[-3000:]
    assert yaml.safe_load(dest.read_text()) == doc


def bad_dests(tmp_path):
    """``(label, dest, directory to watch)`` of every kind of dest that must be refused."""
    base = tmp_path / "bad"
    base.mkdir()
    fifo = base / "fifo.kubeconfig"
    os.mkfifo(str(fifo))
    device = base / "device.kubeconfig"
    os.mknod(str(device), 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(base / "socket.kubeconfig"))
    (base / "dir.kubeconfig").mkdir()
    shared = tmp_path / "world"
    shared.mkdir()
    os.chmod(str(shared), 0o1777)
    planted = shared / "planted.kubeconfig"
    planted.write_text("")
    os.chown(str(planted), 65534, 65534)  # another user's file in a world-writable directory
    # An empty dest is the run's working directory, so a file left "next to" it would land in its parent:
    # the module runs in empty/cwd (run_module's cwd) and empty/ is checked, not the checkout's parent, which
    # other work on the machine may write to.
    (base.parent / "empty" / "cwd").mkdir(parents=True)
    kinds = [("empty", "", base.parent / "empty"), ("FIFO", str(fifo), base), ("device", str(device), base),
             ("socket", str(base / "socket.kubeconfig"), base), ("directory", str(base / "dir.kubeconfig"), base),
             ("another user's", str(planted), shared)]
    return kinds, sock


def test_bad_dest_refused_before_any_request(simulator, tmp_path):
    assert os.geteuid() == 0, "makes a device node and another user's file: run as root (the CI container)"
    create_clusters(simulator, ["rel-kcb"], tmp_path)
    kinds, sock = bad_dests(tmp_path)
    try:
        for label, dest, directory in kinds:
            before = sorted(os.listdir(str(directory)))
            mark = simulator.last_seq()
            started = time.time()
            rc, result, out = run_module(simulator, "nhncloud.nks.nks_kubeconfig",
                                         {"cluster": "rel-kcb", "dest": dest, "merge": True}, timeout=120,
                                         cwd=directory / "cwd" if label == "empty" else None)
            assert rc != 0, "%s dest accepted: %s" % (label, out[-2000:])
            assert result.get("option") == "dest" and "dest" in result["msg"], (label, out[-2000:])
            if dest:
                assert dest in result["msg"], (label, result["msg"])
            assert time.time() - started < 60, "%s dest: the task hung" % label
            assert simulator.requests_log(mark) == [], "%s dest: a request was sent" % label
            assert sorted(os.listdir(str(directory))) == before, "%s dest: a file was left" % label
            assert "client-key-data" not in out
        assert os.path.getsize(str(tmp_path / "world" / "planted.kubeconfig")) == 0
        assert stat.S_ISCHR(os.stat(str(tmp_path / "bad" / "device.kubeconfig")).st_mode)
    finally:
        sock.close()
    # A world-writable directory: written, with a warning.
    rc, result, out = run_module(simulator, "nhncloud.nks.nks_kubeconfig",
                                 {"cluster": "rel-kcb", "dest": str(tmp_path / "world" / "mine.kubeconfig")})
    assert rc == 0, out
    assert "writable by every user" in out, out


def test_nodes_wait_follows_a_resize(make_simulator, tmp_path):
    """The node group shrinks from 2 to 1 (the console, the autoscaler) while the module waits."""
    sim = make_simulator(extra=["--kube-ready-delay", "0"])
    token = sim.token()
    rc, _r, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name="rel-kcr", node_count=2))
    assert rc == 0, out
    uuid = [c["uuid"] for c in sim.api("GET", "/v1/clusters", token).json()["clusters"] if c["name"] == "rel-kcr"][0]
    sim.configure(kube_ready_delay=100000)  # the API is not ready: the wait goes on polling
    mark = sim.last_seq()
    results = {}

    def module():
        results["run"] = run_module(sim, "nhncloud.nks.nks_cluster",
                                    dict(CLUSTER_ARGS, name="rel-kcr", node_count=2, wait_for="nodes",
                                         wait_timeout=90))
    thread = threading.Thread(target=module)
    thread.start()
    try:
        # The wait has read the node groups and the kubeconfig: it expects 2 nodes from now on.
        deadline = time.time() + 120
        while time.time() < deadline and not any(e["path"].endswith("/config")
                                                 for e in sim.requests_log(mark) if "path" in e):
            time.sleep(0.2)
        ngs = sim.api("GET", "/v1/clusters/%s/nodegroups" % uuid, token).json()["nodegroups"]
        worker = [ng["uuid"] for ng in ngs if ng["name"] == "default-worker"][0]
        response = sim.api("POST", "/v1/clusters/%s/actions/resize" % uuid, token,
                           json={"nodegroup": worker, "node_count": 1})
        assert response.status_code < 300, response.text
        while time.time() < deadline:
            ng = sim.api("GET", "/v1/clusters/%s/nodegroups/%s" % (uuid, worker), token).json()
            if ng["status"].endswith("_COMPLETE") and ng["node_count"] == 1:
                break
            time.sleep(0.2)
        sim.configure(kube_ready_delay=0)  # the API answers now; 1 node of 1
    finally:
        thread.join(300)
    rc, result, out = results["run"]
    assert rc == 0, out[-3000:]
    assert "timed out" not in out


def test_role_rerun_with_an_acl_excluding_the_controller(simulator, tmp_path):
    """First run: readiness verified, then the ACL set. Re-run: nothing to change, ok, a warning."""
    definition = dict(CLUSTER_ARGS, name="rel-kca",
                      ipacl={"enabled": True, "action": "ALLOW", "targets": [{"cidr": "10.0.0.0/8"}]},
                      kubeconfig={"dest": str(tmp_path / "rel-kca.kubeconfig")})
    playbook = tmp_path / "site.yml"
    playbook.write_text(yaml.safe_dump([{
        "name": "Converge", "hosts": "localhost", "connection": "local", "gather_facts": False,
        "vars": {"ansible_python_interpreter": sys.executable},
        "roles": [{"role": "nhncloud.nks.cluster", "cluster_definition": definition,
                   "cluster_wait_timeout": 600}]}]))
    first = run_playbook(simulator, playbook, inventory="localhost,")
    assert first.returncode == 0, first.stdout[-4000:]
    started = time.time()
    again = run_playbook(simulator, playbook, inventory="localhost,")
    elapsed = time.time() - started
    assert again.returncode == 0, again.stdout[-4000:]
    assert "changed=0" in again.stdout, again.stdout[-4000:]
    assert "not verifiable" in again.stdout and "ALLOW 10.0.0.0/8" in again.stdout, again.stdout[-4000:]
    assert "timed out" not in again.stdout
    assert elapsed < 55, "the re-run waited %.0f s" % elapsed  # the old code gave up after 60 s of HTTP 403
