# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of module_utils/_upgrade.py's update run (the steps of a plan, the pre-flight, the stop on
failures, resuming, the soak) on an in-memory fake of NKS; deterministic (no threads' order is asserted
but the requests per cluster, which each thread sends in its order)."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _upgrade
from ansible_collections.nhncloud.nks.plugins.module_utils._upgrade import (ClusterRun, UpdateRun, actions,
                                                                            pdb_blockers, task_args)

OFFERED = {"v1.27.3": True, "v1.28.3": True, "v1.29.3": True}


class FakeApi(object):
    """NKS with clusters ``{name: {"cp": version, "ngs": {name: version}}}``; upgrades apply at once unless the
    node group is in :attr:`evict` (then UPDATE_FAILED with an eviction reason in the task history)."""

    def __init__(self, clusters):
        self.clusters = clusters
        self.status = dict((name, "CREATE_COMPLETE") for name in clusters)
        self.ng_status = dict(((c, g), "CREATE_COMPLETE") for c, spec in clusters.items() for g in spec["ngs"])
        self.evict = set()
        self.requests = []
        self.sent = []
        self.events = dict((name, []) for name in clusters)

    def supports(self):
        return {"supported_k8s": OFFERED}

    def addon_api_available(self):
        return False

    def find_cluster(self, key):
        if key not in self.clusters:
            return None
        return self.get_cluster(key)

    def get_cluster(self, key):
        return {"uuid": key, "name": key, "status": self.status[key], "labels": {"kube_tag": self.clusters[key]["cp"]}}

    def list_nodegroups(self, key):
        return [{"name": "default-master", "role": "master"}] + [{"name": g, "uuid": g} for g in self.clusters[key]["ngs"]]

    def get_nodegroup(self, key, name):
        return {"uuid": name, "name": name, "status": self.ng_status[(key, name)],
                "labels": {"kube_tag": self.clusters[key]["ngs"][name]}}

    def get_kubeconfig(self, key):
        raise RuntimeError("no Kubernetes API in this fake")

    def list_events(self, key):
        return self.events[key]

    def list_clusters(self):
        return [self.get_cluster(k) for k in self.clusters]

    def upgrade(self, key, name, version, **kw):
        raise AssertionError("UpdateRun sends every step through send (run_task), a retry too")

    def apply(self, key, name, version):
        self.requests.append((key, name, version))
        if name == "default-master":
            self.clusters[key]["cp"] = version
            return
        if (key, name) in self.evict:
            self.ng_status[(key, name)] = "UPDATE_FAILED"
            self.status[key] = "UPDATE_FAILED"
            self.events[key].append({"id": len(self.events[key]), "type": "NODEGROUP_UPGRADE", "state": "FAIL",
                                     "contents": "Cannot evict pod as it would violate the pod's disruption budget",
                                     "updated_at": "2026-12-07T00:00:%02dZ" % len(self.events[key])})
            return
        self.clusters[key]["ngs"][name] = version
        self.ng_status[(key, name)] = "UPDATE_COMPLETE"
        self.status[key] = "UPDATE_COMPLETE"


def send_to(api):
    """``send`` of UpdateRun: what nks_cluster / nks_nodegroup with kube_version would send (refusing *_FAILED
    but a new upgrade of one left UPDATE_FAILED, :func:`_upgrade.upgrade_of_failed_accepted`)."""
    def refused(status):
        return status.endswith("_FAILED") and not _upgrade.upgrade_of_failed_accepted(status, ["kube_version"])

    def send(run, name, args):
        api.sent.append((name, args.get("wait")))
        if name == "nks_cluster":
            if refused(api.status[args["name"]]):
                return {"failed": True, "msg": "is %s" % api.status[args["name"]]}
            api.apply(args["name"], "default-master", args["kube_version"])
        else:
            if refused(api.ng_status[(args["cluster"], args["name"])]):
                return {"failed": True, "msg": "is UPDATE_FAILED"}
            api.apply(args["cluster"], args["name"], args["kube_version"])
        return {"changed": True}
    return send


def wait_on(api):
    def wait(dummy, uuids, timeout):
        return {"clusters": dict((u, {"failed": api.status[u].endswith("_FAILED"), "msg": api.status[u]}) for u in uuids)}
    return wait


def fleet(names):
    return FakeApi(dict((n, {"cp": "v1.27.3", "ngs": {"default-worker": "v1.27.3", "pool-b": "v1.27.3"}}) for n in names))


def update_run(api, names, check_mode=False, **settings):
    base = dict(target="v1.29.3", check_nodes=False, check_pdbs=False, max_concurrency=2, wait_timeout=60)
    base.update(settings)
    runs = [ClusterRun(n, n, api, None) for n in names]
    lines = []
    return UpdateRun(runs, base, send_to(api), wait_on(api), lambda run: {}, say=lines.append,
                     check_mode=check_mode, sleeper=lambda s: None), runs, lines


def test_actions_follow_nks_order():
    plan = {"steps": [{"version": "v1.28.3", "control_plane": True, "nodegroups": ["a", "b"],
                       "addons_before": [{"name": "calico", "from": "1", "version": "2"}], "addons_after": []}]}
    assert [(a["kind"], a["name"]) for a in actions(plan)] == [
        ("addon", "calico"), ("control_plane", "default-master"), ("nodegroup", "a"), ("nodegroup", "b")]


def test_task_args_never_wait_for_upgrades():
    name, args = task_args({"kind": "nodegroup", "name": "a", "version": "v1.28.3"}, "u", {"num_buffer_nodes": 2},
                           {"auth_token": "t"})
    assert name == "nks_nodegroup" and args == {"auth_token": "t", "cluster": "u", "name": "a",
                                                "kube_version": "v1.28.3", "wait": False, "num_buffer_nodes": 2}
    name, args = task_args({"kind": "control_plane", "name": "default-master", "version": "v1.28.3"}, "u", {}, {})
    assert name == "nks_cluster" and args == {"name": "u", "kube_version": "v1.28.3", "wait": False}


def test_pdb_blockers_name_namespace_and_selector():
    pdbs = [{"metadata": {"namespace": "shop", "name": "db"}, "spec": {"selector": {"matchLabels": {"app": "db"}}},
             "status": {"disruptionsAllowed": 0, "currentHealthy": 1, "desiredHealthy": 1}},
            {"metadata": {"namespace": "shop", "name": "web"}, "spec": {}, "status": {"disruptionsAllowed": 1}}]
    assert [b.split(" allows")[0] for b in pdb_blockers(pdbs)] == ["PodDisruptionBudget shop/db (selector app=db)"]


def test_check_mode_plans_every_cluster_and_sends_nothing():
    api = fleet(["a", "b"])
    run, runs, dummy = update_run(api, ["a", "b"], check_mode=True)
    run.preflight()
    assert [r.outcome for r in runs] == ["planned", "planned"]
    assert len(runs[0].steps) == 6 and api.requests == []


def test_run_upgrades_each_cluster_in_order():
    api = fleet(["a", "b", "c"])
    run, runs, dummy = update_run(api, ["a", "b", "c"])
    run.preflight()
    assert run.run() is None
    assert [r.outcome for r in runs] == ["upgraded"] * 3
    for name in "abc":
        assert [(n, v) for c, n, v in api.requests if c == name] == [
            ("default-master", "v1.28.3"), ("default-worker", "v1.28.3"), ("pool-b", "v1.28.3"),
            ("default-master", "v1.29.3"), ("default-worker", "v1.29.3"), ("pool-b", "v1.29.3")]
    assert all(s["outcome"] == "done" and s["duration"] is not None for s in runs[0].steps)


def test_failure_stops_the_run_and_resume_retries_the_failed_step_only():
    api = fleet(["a", "b", "c"])
    api.evict.add(("a", "default-worker"))
    run, runs, lines = update_run(api, ["a", "b", "c"], max_concurrency=1)
    run.preflight()
    assert run.run() is not None
    assert [r.outcome for r in runs] == ["failed", "not_started", "not_started"]
    assert "disruption budget" in runs[0].reason and "node group default-worker to v1.28.3" in runs[0].reason
    assert any("the run stopped" in line for line in lines)
    sent = list(api.requests)
    assert sent == [("a", "default-master", "v1.28.3"), ("a", "default-worker", "v1.28.3")]
    api.evict.clear()  # the cause removed: the same run again
    run, runs, dummy = update_run(api, ["a", "b", "c"], max_concurrency=1)
    run.preflight()
    assert run.run() is None and [r.outcome for r in runs] == ["upgraded"] * 3
    again = api.requests[len(sent):]
    assert again[0] == ("a", "default-worker", "v1.28.3")  # the failed step, retried; nothing else twice
    assert runs[0].steps[0]["retry"] is True and "retry" not in runs[0].steps[1]
    assert api.sent[len(sent)] == ("nks_nodegroup", False)  # the retry went the first attempt's way
    assert len(again) == 5 + 6 + 6
    run, runs, dummy = update_run(api, ["a", "b", "c"])
    run.preflight()
    run.run()
    assert [r.outcome for r in runs] == ["unchanged"] * 3 and len(api.requests) == len(sent) + 17


def test_max_failed_clusters_goes_on_past_one_failure():
    api = fleet(["a", "b"])
    api.evict.add(("a", "pool-b"))
    run, runs, dummy = update_run(api, ["a", "b"], max_concurrency=1, max_failed=1)
    run.preflight()
    assert run.run() is None
    assert [r.outcome for r in runs] == ["failed", "upgraded"]


def test_pause_flag_starts_no_further_cluster(tmp_path):
    """The EDA rulebook's pause flag (docs/eda.md): the cluster under way finishes, none starts after it."""
    api = fleet(["a", "b"])
    flag = tmp_path / "update-run.pause"
    run, runs, lines = update_run(api, ["a", "b"], max_concurrency=1, pause_file=str(flag))
    run.preflight()
    sent = api.requests

    def send(cluster, name, args):
        result = sent_before(cluster, name, args)
        flag.write_text('{"paused": true, "cluster": "x", "reason": "NODEGROUP_UPGRADE: eviction"}')
        return result
    sent_before, run.send = run.send, send
    stopped = run.run()
    assert stopped.startswith("paused: the pause flag %s is raised (cluster: x, reason: NODEGROUP_UPGRADE" % flag)
    assert [r.outcome for r in runs] == ["upgraded", "not_started"]
    assert set(c for c, n, v in sent) == {"a"} and any(stopped in line for line in lines)
    flag.unlink()
    run2, runs2, dummy = update_run(api, ["a", "b"], pause_file=str(flag))
    run2.preflight()
    assert run2.run() is None and [r.outcome for r in runs2] == ["unchanged", "upgraded"]


def test_soak_fails_a_cluster_whose_api_stops_answering(monkeypatch):
    api = fleet(["a", "b"])
    run, runs, lines = update_run(api, ["a", "b"], target="v1.27.3")
    run.preflight()
    run.run()
    assert [r.outcome for r in runs] == ["unchanged", "unchanged"]
    monkeypatch.setattr(_upgrade, "kube_problem", lambda api, uuid, name: "/readyz answered 503" if uuid == "a" else None)
    clock = iter(range(0, 100, 5))
    run.clock = lambda: next(clock)
    run.soak("s", 12, interval=5)
    assert [r.outcome for r in runs] == ["failed", "unchanged"]
    assert runs[0].reason == "soak: /readyz answered 503"


@pytest.mark.parametrize("seen, outcome", [([None, "x", None, "x"], "unchanged"), (["x", "x"], "failed")])
def test_soak_needs_two_problems_in_a_row(monkeypatch, seen, outcome):
    api = fleet(["a"])
    run, runs, dummy = update_run(api, ["a"], target="v1.27.3")
    run.preflight()
    run.run()
    answers = iter(seen + [None] * 10)
    monkeypatch.setattr(_upgrade, "kube_problem", lambda *args: next(answers))
    clock = iter(range(0, 100, 5))
    run.clock = lambda: next(clock)
    run.soak("s", 5 * len(seen) - 1, interval=5)
    assert runs[0].outcome == outcome


@pytest.mark.parametrize("status, changes, accepted", [
    ("UPDATE_FAILED", ["kube_version"], True),
    ("UPDATE_FAILED", [], False),                              # nothing to change: still failed
    ("UPDATE_FAILED", ["kube_version", "node_count"], False),  # anything else with it: refused
    ("UPDATE_FAILED", ["node_count"], False),
    ("CREATE_FAILED", ["kube_version"], False),                # only a delete then
    ("DELETE_FAILED", ["kube_version"], False),
    ("UPDATE_COMPLETE", ["kube_version"], False),              # not failed: the rule does not apply
    (None, ["kube_version"], False),
])
def test_upgrade_of_failed_accepted(status, changes, accepted):
    assert _upgrade.upgrade_of_failed_accepted(status, changes) is accepted


class _Change(object):
    def __init__(self, name):
        self.name = name


class _Resource(object):
    """A control plane or node group resource as planned_upgrade_of_failed reads it."""

    def __init__(self, status, params, changes=None, error=None):
        self.params, self._status, self._changes, self._error = params, status, changes or [], error
        self.planned = 0

    def status(self, obj):
        return self._status, "why"

    def plan(self, obj):
        self.planned += 1
        if self._error:
            raise self._error
        return [_Change(n) for n in self._changes]


def test_planned_upgrade_of_failed():
    upgrade = {"kube_version": "v1.29.3", "state": "present"}
    res = _Resource("UPDATE_FAILED", upgrade, ["kube_version"])
    assert [c.name for c in _upgrade.planned_upgrade_of_failed(res, {})] == ["kube_version"]
    assert _upgrade.planned_upgrade_of_failed(_Resource("UPDATE_FAILED", upgrade, ["kube_version", "flavor_id"]), {}) is None
    assert _upgrade.planned_upgrade_of_failed(_Resource("UPDATE_FAILED", upgrade, []), {}) is None
    error = _upgrade.ValidationError("kube_version", "not one minor version")
    assert _upgrade.planned_upgrade_of_failed(_Resource("UPDATE_FAILED", upgrade, error=error), {}) is None
    for status, params in (("CREATE_FAILED", upgrade), ("UPDATE_FAILED", {"kube_version": None, "state": "present"}),
                           ("UPDATE_FAILED", {"kube_version": "v1.29.3", "state": "absent"})):
        res = _Resource(status, params, ["kube_version"])
        assert _upgrade.planned_upgrade_of_failed(res, {}) is None and res.planned == 0  # nothing planned, no read


def test_a_wait_that_timed_out_says_so_not_an_older_failure():
    api = fleet(["a"])
    api.events["a"].append({"id": 0, "type": "CLUSTER_RESIZE", "state": "FAIL", "contents": "an old failure",
                            "updated_at": "2026-01-01T00:00:00Z"})
    run, runs, dummy = update_run(api, ["a"])
    run.wait = lambda dummy, uuids, timeout: {"clusters": dict(
        (u, {"failed": True, "outcome": "timed_out", "msg": "timed out after 2 s waiting for cluster 'a'"})
        for u in uuids)}
    run.preflight()
    run.run()
    assert runs[0].outcome == "failed"
    assert runs[0].reason == "control plane to v1.28.3: timed out after 2 s waiting for cluster 'a'"
    assert runs[0].report()["plan_detail"]["target"] == "v1.29.3"
