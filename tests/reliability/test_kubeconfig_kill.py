# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A kubeconfig write killed with SIGKILL leaves either the old file intact or the new
one complete, mode 0600: once exactly between the write and the rename (a sitecustomize
hook holds ``os.replace``), and at random moments of whole runs."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time

import yaml

from conftest import ANSIBLE, CLUSTER_ARGS, HERE, ROOT, playbook_env, run_module


def kubeconfig_of(sim, name, path):
    """The kubeconfig nks_kubeconfig writes for cluster ``name`` (entries named after it), written to ``path``."""
    rc, _r, out = run_module(sim, "nhncloud.nks.nks_kubeconfig", {"cluster": name, "dest": str(path), "mode": "0600"})
    assert rc == 0, out
    return path.read_text()


def start_module(sim, cluster, dest, env=None):
    # force: dest holds the other cluster's entries (nks_kubeconfig refuses to replace them otherwise).
    args = {"cluster": cluster, "dest": str(dest), "mode": "0600", "force": True}
    cmd = [str(ANSIBLE), "localhost", "-i", "localhost,", "-c", "local", "-m", "nhncloud.nks.nks_kubeconfig",
           "-a", json.dumps(args), "-e", "ansible_python_interpreter=%s" % sys.executable]
    return subprocess.Popen(cmd, env=playbook_env(sim, env), cwd=str(ROOT), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(30)


def assert_old_or_new(dest, old, new):
    content = dest.read_text()
    assert content in (old, new), "a torn kubeconfig: %d bytes" % len(content)
    yaml.safe_load(content)
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o600
    return content == new


def test_kill_between_write_and_rename(simulator, tmp_path):
    for name in ("rel-kc-a", "rel-kc-b"):
        rc, _r, out = run_module(simulator, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name=name))
        assert rc == 0, out
    old = kubeconfig_of(simulator, "rel-kc-a", tmp_path / "a.kubeconfig")
    new = kubeconfig_of(simulator, "rel-kc-b", tmp_path / "b.kubeconfig")
    dest = tmp_path / "kube" / "rel.kubeconfig"
    dest.parent.mkdir()
    rc, _r, out = run_module(simulator, "nhncloud.nks.nks_kubeconfig",
                             {"cluster": "rel-kc-a", "dest": str(dest), "mode": "0600"})
    assert rc == 0, out
    assert dest.read_text() == old

    marker = tmp_path / "marker"
    hook = str(HERE / "sitecustomize_slow_replace")
    env = {"REL_SLOW_REPLACE_MARKER": str(marker),
           "PYTHONPATH": hook + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = start_module(simulator, "rel-kc-b", dest, env)
    deadline = time.time() + 120
    # The hook renames a complete marker into place, so existing means written.
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the module never reached the rename"
    tmp_file = marker.read_text()
    assert open(tmp_file).read() == new  # the new file was complete...
    assert stat.S_IMODE(os.stat(tmp_file).st_mode) == 0o600  # ...and private
    kill_group(proc)
    assert assert_old_or_new(dest, old, new) is False  # killed before the rename: the old file

    # At random moments of whole runs, switching between the two clusters' kubeconfigs.
    rng = random.Random(7)
    outcomes = []
    for index in range(6):
        current = dest.read_text()
        target = "rel-kc-b" if current == old else "rel-kc-a"
        proc = start_module(simulator, target, dest)
        time.sleep(rng.uniform(0.5, 4.0))
        kill_group(proc)
        outcomes.append(assert_old_or_new(dest, current, new if target == "rel-kc-b" else old))
    # A run that is not killed still converges (leftover temporary files do not matter).
    rc, _r, out = run_module(simulator, "nhncloud.nks.nks_kubeconfig",
                             {"cluster": "rel-kc-b", "dest": str(dest), "mode": "0600", "force": True})
    assert rc == 0, out
    assert dest.read_text() == new
