# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``module_utils/_fleet_run.py`` (``nks_fleet``'s work) and ``_cluster_plan.py``: members on several connections
(one client, one token, one cluster list per poll each), the phases' options from the plan, failures isolated.
The modules' work (``run_task``) is replaced by a recorder; the real path is ``make fleet-rules-test``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import threading

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _fleet_run
from ansible_collections.nhncloud.nks.plugins.module_utils._cluster_plan import cluster_plan
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet_run import FleetRun, member_of, report, waiting


class FakeClient(object):
    def __init__(self, counter):
        self.counter = counter

    @property
    def token(self):
        self.counter["tokens"] += 1
        return "token-%d" % self.counter["tokens"]

    @contextlib.contextmanager
    def until(self, deadline):
        yield


class FakeApi(object):
    """One endpoint: its clusters (settled), the lists it answered."""

    def __init__(self, counter, uuids):
        self.client = FakeClient(counter)
        self.uuids = uuids
        self.lists = 0

    def list_clusters(self):
        self.lists += 1
        return [dict(uuid=u, name=u, status="CREATE_COMPLETE") for u in self.uuids]


def _plan(name, **definition):
    return cluster_plan(dict(cluster_definition=dict(definition, name=name, nodegroups=[{"name": "ng1"}, {"name": "ng2"}],
                                                     ipacl={"enabled": True, "action": "ALLOW", "targets": ["10.0.0.0/8"]}),
                             cluster_kubeconfig_dir="/nonexistent-kube-dir-for-test"))


@pytest.fixture
def recorded(monkeypatch):
    """run_task replaced: records (name, args); clusters get the UUID ``uuid-<name>``; ``fail`` names a cluster whose
    nodegroups fail."""
    calls, lock = [], threading.Lock()
    state = dict(fail=None)

    def fake(name, args, process_module, check_mode=False, diff=False):
        with lock:
            calls.append((name, dict(args)))
        if name == "nks_cluster":
            key = args["name"] if not args["name"].startswith("uuid-") else args["name"][5:]
            return dict(changed="wait" in args, cluster=dict(uuid="uuid-" + key))
        if name == "nks_nodegroup" and args["cluster"] == "uuid-%s" % state["fail"]:
            return dict(failed=True, msg="node group refused")
        return dict(changed=True)

    monkeypatch.setattr(_fleet_run, "run_task", fake)
    return calls, state


def _run(members, phases, apis, counter, **kwargs):
    run = FleetRun(members, dict(api_url=None, region=None), object(), **kwargs)
    for connection in run.connections.values():
        connection._api = apis[connection.options["api_url"]]  # pylint: disable=protected-access
    return run, run.run(phases)


def test_members_on_two_endpoints_wait_with_one_list_per_poll_each(recorded):
    calls, dummy = recorded
    counter = dict(tokens=0)
    apis = {"https://a": FakeApi(counter, ["uuid-a1", "uuid-a2"]), "https://b": FakeApi(counter, ["uuid-b1"])}
    members = [dict(host=h, plan=_plan(h), connection=dict(api_url=url, api_password="pw", tenant_id="t", username="u"))
               for h, url in (("a1", "https://a"), ("a2", "https://a"), ("b1", "https://b"))]
    run, entries = _run(members, ["cluster", "nodegroups", "ipacl"], apis, counter)
    assert len(run.connections) == 2
    # one cluster list per poll per endpoint, whatever the number of its clusters: 3 phases waited, 1 poll each
    assert apis["https://a"].lists == 3 and apis["https://b"].lists == 3
    assert sorted(run.polls.values()) == [3, 3]
    # one token per connection, given to every task of that connection
    assert counter["tokens"] == 2
    tokens = set((c[1]["api_url"], c[1]["auth_token"]) for c in calls)
    assert len(tokens) == 2
    assert waiting(entries) == ["uuid-a1", "uuid-a2", "uuid-b1"]
    assert not any(e["failed"] for e in entries.values())


def test_phases_pass_the_plan_and_fail_a_member_alone(recorded):
    calls, state = recorded
    state["fail"] = "a2"
    counter = dict(tokens=0)
    apis = {"https://a": FakeApi(counter, ["uuid-a1", "uuid-a2"])}
    members = [dict(host=h, plan=_plan(h, node_count=2), connection=dict(api_url="https://a", auth_token="given"))
               for h in ("a1", "a2")]
    dummy, entries = _run(members, ["cluster", "nodegroups", "ipacl", "ready"], apis, counter)
    assert counter["tokens"] == 0  # a token was given
    assert entries["a2"]["failed"] and entries["a2"]["msg"] == "node group refused"
    assert not entries["a1"]["failed"]
    by_task = {}
    for name, args in calls:
        by_task.setdefault(name, []).append(args)
    create = [a for a in by_task["nks_cluster"] if a["name"] == "a1"][0]
    assert create["node_count"] == 2 and create["wait"] is False and create["state"] == "present"
    groups = [a for a in by_task["nks_nodegroup"] if a["cluster"] == "uuid-a1"]
    assert [(g["name"], g["wait"]) for g in groups] == [("ng1", True), ("ng2", False)]
    # the failed member is left out of the later phases
    assert [a["cluster"] for a in by_task["nks_ipacl"]] == ["uuid-a1"]
    ready = [a for a in by_task["nks_cluster"] if a["name"].startswith("uuid-")]
    assert [a["name"] for a in ready] == ["uuid-a1"] and ready[0]["wait_for"] == "nodes"


def test_a_member_connection_wins_over_the_task_options():
    run = FleetRun([dict(host="h", plan=_plan("h"), connection=dict(region="kr2"))],
                   dict(region="kr1", api_url=None, auth_token="t"), object())
    options = list(run.connections.values())[0].options
    assert options["region"] == "kr2" and options["auth_token"] == "t"


def test_member_and_report():
    member = member_of(dict(host="h", plan={"name": "h"}), dict(api_url="https://x", region=None, auth_token="s"))
    assert member == dict(host="h", plan={"name": "h"}, connection=dict(api_url="https://x", auth_token="s"))
    assert report(dict(failed=True, msg="why")) == dict(changed=False, failed=True, msg="why")
    assert report(dict(changed=True, uuid="u", results={}, previews=["p"]))["msg"] == ["p"]


def test_the_plan_is_the_role_s():
    plan = cluster_plan(dict(cluster_definition=dict(name="c", wait_timeout=900, nodegroups=[{"name": "g"}],
                                                     addons=[{"name": "calico"}], kubeconfig={"mode": "0640"}),
                             cluster_nodegroup_defaults=dict(node_count=3), cluster_kubeconfig_dir="/k",
                             cluster_wait_for="api"))
    assert plan["cluster"] == dict(name="c", wait_timeout=900, state="present", wait_for="api")
    assert plan["nodegroups"] == [dict(name="g", node_count=3, wait_for="api", wait_timeout=3600)]
    assert plan["addons"] == [dict(name="calico", wait_timeout=900)]
    assert plan["ipacl"] is None
    assert plan["kubeconfig_file"] == dict(dest="/k/c.kubeconfig", mode="0640", backup=False, merge=False)
    assert plan["previews"] == ["would be created: node group g (3 nodes)", "would be installed: add-on calico (offered default)",
                                "would be created: kubeconfig /k/c.kubeconfig (mode 0640)"]
