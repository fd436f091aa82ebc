# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the fleet wait (plugins/module_utils/_fleet.py) on a virtual clock.

A fake cluster list plays NKS: each cluster has an operation ending at a given
time (settled or failed). The wait must send one list per poll, see each cluster
settle within the single-cluster detection latency, fail only the clusters that
fail, and time out with the usual message.
"""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._client import NksApiError, NksConnectionError
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import PollSchedule
from ansible_collections.nhncloud.nks.plugins.module_utils import _fleet as fleet_module
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet import (
    FleetWait,
    fleet_argument_spec,
    match,
    progress_line,
    wait_fleet,
)


class Clock(object):
    """Virtual time: moves only when slept."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.now += seconds


class FakeNks(object):
    """``GET /v1/clusters`` of clusters whose operations end at given times.

    :param dict ends: ``{name: (seconds, final status, status_reason)}``; ``None`` seconds = never.
    """

    def __init__(self, clock, ends, running="CREATE_IN_PROGRESS", errors=()):
        self.clock = clock
        self.ends = ends
        self.running = running
        self.errors = list(errors)
        self.lists = 0

    def list_clusters(self):
        self.lists += 1
        if self.errors:
            raise self.errors.pop(0)
        clusters = []
        for name, (end, final, reason) in sorted(self.ends.items()):
            done = end is not None and self.clock() >= end
            clusters.append(dict(uuid="uuid-" + name, name=name, status=final if done else self.running,
                                 status_reason=reason if done else None, labels={}))
        return clusters

    def latency(self, result, name):
        """Seconds between the end of ``name``'s operation and the poll that saw it."""
        return result["clusters"][name]["waited"] - self.ends[name][0]


def run(ends, timeout=1800, **kwargs):
    clock = Clock()
    nks = FakeNks(clock, ends, **kwargs)
    result = wait_fleet(nks.list_clusters, sorted(ends), timeout, clock=clock, sleeper=clock.sleep)
    return result, nks, clock


def test_match_by_uuid_then_name():
    listing = [dict(uuid="u1", name="a"), dict(uuid="u2", name="b"), dict(uuid="u3", name="b")]
    assert match(["u1", "a", "b", "c"], listing) == {
        "u1": [listing[0]], "a": [listing[0]], "b": listing[1:], "c": []}


def test_one_list_per_poll_whatever_the_fleet_size():
    ends = dict(("c%03d" % i, (60.0 + i, "CREATE_COMPLETE", None)) for i in range(200))
    result, nks, clock = run(ends)
    assert result["settled_clusters"] == sorted(ends) and result["failed_clusters"] == []
    assert result["polls"] == nks.lists
    # 200 clusters ending between 60 s and 259 s: the fleet polls like one waiter
    # (at most one poll per second), never one request per cluster.
    assert nks.lists <= clock.now + 1
    assert nks.lists < 200


def test_each_cluster_is_seen_as_soon_as_a_single_waiter_would(monkeypatch):
    # No jitter (its largest delays): the run is deterministic, nothing is left to chance.
    monkeypatch.setattr(fleet_module.random, "uniform", lambda low, high: high)
    ends = dict(("c%d" % i, (2.0 + 1.37 * i, "CREATE_COMPLETE", None)) for i in range(50))
    result, nks, dummy = run(ends)
    schedule = PollSchedule()
    for name, (end, dummy2, dummy3) in ends.items():
        # Detection latency is at most the single-cluster schedule's delay at that time.
        assert 0 <= nks.latency(result, name) <= schedule.delay(end) + 1e-9
    latencies = sorted(nks.latency(result, name) for name in ends)
    assert latencies[len(latencies) // 2] <= 2.0  # p50 <= 2 s (issue 14)


def test_a_failure_ends_only_that_cluster_with_status_and_reason():
    ends = {"a": (5.0, "CREATE_COMPLETE", None), "b": (3.0, "CREATE_FAILED", "quota exceeded"),
            "c": (40.0, "CREATE_COMPLETE", None)}
    result, dummy, dummy2 = run(ends)
    assert result["failed_clusters"] == ["b"] and result["settled_clusters"] == ["a", "c"]
    entry = result["clusters"]["b"]
    assert entry["outcome"] == "failed" and entry["status"] == "CREATE_FAILED"
    assert entry["msg"] == "cluster 'b' is CREATE_FAILED: quota exceeded"
    assert result["clusters"]["a"]["msg"] is None and result["clusters"]["c"]["cluster"]["name"] == "c"


def test_timeout_names_the_status_and_what_to_do():
    result, dummy, clock = run({"slow": (None, None, None), "fast": (1.0, "CREATE_COMPLETE", None)},
                               timeout=100)
    assert result["failed_clusters"] == ["slow"] and result["settled_clusters"] == ["fast"]
    entry = result["clusters"]["slow"]
    assert entry["outcome"] == "timed_out" and entry["status"] == "CREATE_IN_PROGRESS"
    assert "timed out after 100 s waiting for cluster 'slow'; last status CREATE_IN_PROGRESS" in entry["msg"]
    assert "raise wait_timeout" in entry["msg"]
    assert clock.now == pytest.approx(100.0)


def test_missing_cluster_fails_after_the_grace_period():
    clock = Clock()
    nks = FakeNks(clock, {"a": (1.0, "CREATE_COMPLETE", None)})
    result = wait_fleet(nks.list_clusters, ["a", "ghost"], 1800, clock=clock, sleeper=clock.sleep,
                        not_found_grace=30.0)
    assert result["failed_clusters"] == ["ghost"]
    assert "NOT_FOUND" in result["clusters"]["ghost"]["msg"]
    # The grace ends at the first poll at or after 30 s (polls may fall on 30.0 exactly).
    assert 30.0 <= result["clusters"]["ghost"]["waited"] < 35.0


def test_ambiguous_name_fails_that_entry():
    clock = Clock()
    listing = [dict(uuid="u1", name="dup", status="CREATE_COMPLETE"),
               dict(uuid="u2", name="dup", status="CREATE_COMPLETE")]
    result = wait_fleet(lambda: listing, ["dup", "u2"], 60, clock=clock, sleeper=clock.sleep)
    assert result["failed_clusters"] == ["dup"] and result["settled_clusters"] == ["u2"]
    assert "2 clusters are named 'dup'" in result["clusters"]["dup"]["msg"]


def test_transient_poll_errors_are_tried_again_others_raise():
    errors = [NksApiError(503, "busy"), NksConnectionError("reset")]
    result, nks, dummy = run({"a": (3.0, "UPDATE_COMPLETE", None)}, errors=errors)
    assert result["settled_clusters"] == ["a"] and len(result["poll_errors"]) == 2
    with pytest.raises(NksApiError):
        run({"a": (3.0, "UPDATE_COMPLETE", None)}, errors=[NksApiError(401, "bad token")])


def test_check_mode_reads_once_and_fails_nobody():
    clock = Clock()
    nks = FakeNks(clock, {"a": (None, None, None), "b": (0.0, "CREATE_FAILED", "x")})
    result = wait_fleet(nks.list_clusters, ["a", "b", "new"], 60, check_mode=True, clock=clock,
                        sleeper=clock.sleep)
    assert nks.lists == 1 and clock.now == 0.0 and result["failed_clusters"] == []
    assert dict((k, e["outcome"]) for k, e in result["clusters"].items()) == {
        "a": "running", "b": "failed", "new": "absent"}


def test_nothing_to_wait_for_sends_nothing():
    result = wait_fleet(lambda: pytest.fail("no request expected"), [], 60)
    assert result["clusters"] == {} and result["polls"] == 0


def test_progress_at_least_every_interval_and_on_failure():
    clock = Clock()
    nks = FakeNks(clock, {"a": (300.0, "CREATE_COMPLETE", None), "b": (100.0, "CREATE_FAILED", "boom"),
                          "c": (200.0, "CREATE_COMPLETE", None)})
    shown = []
    fleet = FleetWait(["a", "b", "c"], 1800, clock=clock, sleeper=clock.sleep)
    fleet.run(nks.list_clusters, lambda f, ended: shown.append((clock.now, progress_line(f, ended))), 60.0)
    times = [t for t, dummy in shown]
    assert times[0] == 0.0 and times[-1] >= 300.0
    assert all(b - a <= 60.0 + PollSchedule().delay(300.0) for a, b in zip(times, times[1:]))
    assert shown[0][1].startswith("nks_wait: 0/3 clusters settled, 0 failed, 3 running")
    failure = [text for dummy, text in shown if "boom" in text]
    assert failure and "nks_wait: cluster 'b' is CREATE_FAILED: boom" in failure[0]
    assert shown[-1][1].startswith("nks_wait: 2/3 clusters settled, 1 failed, 0 running")


def test_node_group_operations_show_as_cluster_updates():
    # A node group create: the cluster shows UPDATE_IN_PROGRESS until it ends.
    result, dummy, dummy2 = run({"a": (90.0, "UPDATE_COMPLETE", None)}, running="UPDATE_IN_PROGRESS")
    assert result["clusters"]["a"]["status"] == "UPDATE_COMPLETE"
    assert 90.0 <= result["clusters"]["a"]["waited"] <= 90.0 + PollSchedule().delay(90.0)


def test_expected_duration_makes_polls_dense_around_the_end():
    # A 300 s node group create: by status (UPDATE_IN_PROGRESS) nothing is known and the
    # polls are 10 s apart after two minutes; told 300 s, they are at most 3 s apart there.
    ends = {"a": (300.0, "UPDATE_COMPLETE", None)}
    clock = Clock()
    nks = FakeNks(clock, ends, running="UPDATE_IN_PROGRESS")
    told = wait_fleet(nks.list_clusters, ["a"], 1800, clock=clock, sleeper=clock.sleep, expected=300)
    assert 0 <= told["clusters"]["a"]["waited"] - 300.0 <= 3.0
    clock = Clock()
    nks = FakeNks(clock, ends, running="UPDATE_IN_PROGRESS")
    fleet = FleetWait(["a"], 1800, clock=clock, sleeper=clock.sleep)
    clock.now = 290.0
    assert fleet.delay(clock.now) > 3.0


def test_module_and_action_plugin_share_one_argument_spec():
    """nks_wait's module and action plugin validate the same options; wait_timeout covers a
    cluster create (25-40 minutes on NHN Cloud)."""
    from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.wait import NksWaitModule

    spec = fleet_argument_spec()
    assert NksWaitModule.argument_spec == spec
    assert spec["wait_timeout"]["default"] == 3600
    spec["clusters"]["required"] = False
    assert fleet_argument_spec()["clusters"]["required"] is True, "each call returns a new spec"
