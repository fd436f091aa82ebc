# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Timeouts: ``wait_timeout`` ends with an error naming the resource, its last status and
how long it waited; a re-run attaches to the operation still running (the request log
shows no second mutating request)."""

from __future__ import annotations

import re

from conftest import CLUSTER_ARGS, NODEGROUP_ARGS, run_module


def _assert_timeout(rc, result, resource, status, limit):
    assert rc != 0
    msg = result["msg"]
    assert resource in msg, msg
    assert "last status %s" % status in msg, msg
    waited = float(re.search(r"timed out after (\d+) s", msg).group(1))
    assert limit <= waited <= limit + 15, msg
    assert result["status"] == status
    assert result["resource"] == resource
    assert "Traceback" not in (result.get("exception") or "")


def test_create_timeout_then_rerun_attaches(make_simulator):
    sim = make_simulator(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=8"])
    args = dict(CLUSTER_ARGS, name="rel-slow", wait_timeout=3)
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", args)
    _assert_timeout(rc, result, "cluster 'rel-slow'", "CREATE_IN_PROGRESS", 3)
    creates = [e for e in sim.mutations() if e["method"] == "POST"]
    assert len(creates) == 1

    since = sim.last_seq()
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(args, wait_timeout=120))
    assert rc == 0, out
    assert result["cluster"]["status"] == "CREATE_COMPLETE"
    assert sim.mutations(since) == [], "the re-run sent a mutating request instead of attaching"


def test_resize_timeout_then_rerun_attaches(make_simulator):
    sim = make_simulator(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=1",
                                                "--duration", "CLUSTER_RESIZE=7",
                                                "--duration", "NODEGROUP_CREATE=7"])
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(CLUSTER_ARGS, name="rel-rs"))
    assert rc == 0, out

    since = sim.last_seq()
    args = dict(CLUSTER_ARGS, name="rel-rs", node_count=3, wait_timeout=2)
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", args)
    _assert_timeout(rc, result, "cluster 'rel-rs'", "UPDATE_IN_PROGRESS", 2)
    resizes = sim.mutations(since)
    assert [e["route"] for e in resizes] == ["/v1/clusters/{cluster_id}/actions/resize"]

    since = sim.last_seq()
    rc, result, out = run_module(sim, "nhncloud.nks.nks_cluster", dict(args, wait_timeout=120))
    assert rc == 0, out
    assert result["cluster"]["node_count"] == 3
    assert sim.mutations(since) == []

    # A node group create that times out, then a re-run that attaches to it.
    since = sim.last_seq()
    ng = dict(NODEGROUP_ARGS, cluster="rel-rs", name="pool-slow", wait_timeout=2)
    rc, result, out = run_module(sim, "nhncloud.nks.nks_nodegroup", ng)
    _assert_timeout(rc, result, "node group 'pool-slow' of cluster 'rel-rs'", "CREATE_IN_PROGRESS", 2)
    assert len(sim.mutations(since)) == 1
    since = sim.last_seq()
    rc, result, out = run_module(sim, "nhncloud.nks.nks_nodegroup", dict(ng, wait_timeout=120))
    assert rc == 0, out
    assert sim.mutations(since) == []
