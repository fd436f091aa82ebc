# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Concurrency: two ``ansible-playbook`` processes converge the same cluster at the same
time (create, then in-place changes). There is exactly one cluster and one node group
of each name afterwards; each run succeeds, or fails with a clear message (no traceback)."""

from __future__ import annotations

import json
import subprocess

from conftest import ANSIBLE_PLAYBOOK, HERE, ROOT, normalised_state, playbook_env


def converge_twice_at_once(sim, inv, extra_vars):
    cmd = [str(ANSIBLE_PLAYBOOK), str(HERE / "playbooks" / "converge.yml"), "-i", str(inv),
           "-e", json.dumps(extra_vars)]
    procs = [subprocess.Popen(cmd, env=playbook_env(sim), cwd=str(ROOT), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for dummy in range(2)]
    return [(p.wait(600), p.stdout.read()) for p in procs]


def check(results):
    ok = 0
    for rc, out in results:
        assert "Traceback" not in out, out[-4000:]
        if rc == 0:
            ok += 1
        else:
            # A failure must say what went wrong: the module's message, not a crash.
            assert "fatal:" in out and '"msg"' in out, out[-4000:]
            assert "unexpectedly" not in out, out[-4000:]
    return ok


def test_two_playbooks_converge_one_cluster(simulator, tmp_path):
    inv = tmp_path / "hosts.ini"
    inv.write_text("rel-cc\n")
    outcomes = []
    for phase in ("a", "b"):
        results = converge_twice_at_once(simulator, inv, {"rel_phase": phase,
                                                          "rel_kubeconfig_dir": str(tmp_path)})
        outcomes.append(check(results))
        state = normalised_state(simulator)
        assert list(state) == ["rel-cc"], "clusters: %s" % list(state)
        assert sorted(state["rel-cc"]["nodegroups"]) == ["default-worker", "pool-a"]
    creates = [e for e in simulator.requests_log() if e["method"] == "POST" and e["route"] == "/v1/clusters"
               and e["status"] < 300]
    assert len(creates) == 1
    # Both runs of phase b asked for the same: once both ended, the state is the desired one.
    want = 2
    assert state["rel-cc"]["nodegroups"]["pool-a"]["node_count"] == want
    assert state["rel-cc"]["nodegroups"]["default-worker"]["node_count"] == want
    assert len(state["rel-cc"]["ipacl"]["ipacl_targets"]) == 2
    # Every run of both phases succeeded (the engine attaches to the other's operations).
    assert outcomes == [2, 2], outcomes
