# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' planners on a stub API: what they would send, before anything is sent.

Covers issue 11's module bugs: a partial ``autoscale`` (``ca_enable`` always sent), label
drift (server labels, re-cased booleans, reordered ID lists), a ``*_FAILED`` resource, the
last node group, and the flavor of ``default-worker`` changed in place.
"""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._engine import NksOperationFailed, StateMachine, Waiter
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.cluster import NksCluster, NksClusterResource
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.nodegroup import NksNodegroup, NksNodegroupResource
from ansible_collections.nhncloud.nks.tests.unit.plugins.module_utils.stubs import StubApi, StubModule

SUBNETS = "59ddc195-76b1-431d-9693-f09880747dc6:9a5e2a1c-0000-4000-8000-000000000002"


def cluster(status="CREATE_COMPLETE", **labels):
    base = {"kube_tag": "v1.27.3", "availability_zone": "kr2-pub-b", "external_subnet_id_list": SUBNETS,
            "strict_sg_rules": "True", "ca_enable": "False", "server_group_meta": "k8s_x", "os_distro": "CentOS"}
    base.update(labels)
    return {"uuid": "c-1", "name": "demo", "status": status, "flavor_id": "f-1", "labels": base}


def worker(**extra):
    ng = {"uuid": "ng-1", "name": "default-worker", "status": "CREATE_COMPLETE", "flavor_id": "f-1",
          "node_count": 1, "labels": {"ca_enable": "False", "kube_tag": "v1.27.3"}}
    ng.update(extra)
    return ng


def plan_cluster(api, **params):
    mod = StubModule(NksCluster, api, name="demo", **params)
    return NksClusterResource(mod).plan(api.cluster)


def apply_all(changes, obj):
    for change in changes:
        if change.apply is not None:
            change.apply(obj)


@pytest.mark.parametrize("key, value", [("max_node_count", 5), ("min_node_count", 2), ("enabled", True),
                                        ("scale_down_util_thresh", 40)])
def test_cluster_partial_autoscale_always_sends_ca_enable(key, value):
    current = {"ca_enable": "False", "ca_min_node_count": "1", "ca_max_node_count": "10",
               "ca_scale_down_util_thresh": "50"}
    api = StubApi(cluster(), [worker()], autoscale=current)
    changes = plan_cluster(api, autoscale={key: value})
    apply_all(changes, api.cluster)
    (call,) = api.sent
    assert call[0] == "set_autoscale" and call[2] == "default-worker"
    assert "ca_enable" in call[3]


def test_cluster_labels_as_nks_gives_them_back_plan_nothing():
    api = StubApi(cluster(strict_sg_rules="true", external_subnet_id_list=":".join(reversed(SUBNETS.split(":"))),
                          it_flag="TRUE"), [worker()])
    changes = plan_cluster(api, strict_sg_rules=True, external_subnet_ids=SUBNETS.split(":"),
                           availability_zone="kr2-pub-b", labels={"it_flag": "True"})
    assert changes == [] and api.sent == []


def test_cluster_flavor_changes_default_worker_in_place():
    api = StubApi(cluster(), [worker()])
    changes = plan_cluster(api, flavor_id="f-2", num_buffer_nodes=1)
    assert [c.name for c in changes] == ["flavor_id"]
    apply_all(changes, api.cluster)
    assert api.sent == [("change_flavor", "c-1", "default-worker", "f-2", 1, None)]


@pytest.mark.parametrize("module", ["cluster", "nodegroup"])
def test_max_unavailable_above_the_node_count_is_refused_by_both_modules(module):
    """One planner (_worker.plan_node_group): nks_cluster's default-worker applies the guide's bound too."""
    api = StubApi(cluster(), [worker(node_count=2)])
    with pytest.raises(ValidationError) as err:
        if module == "cluster":
            plan_cluster(api, flavor_id="f-2", num_max_unavailable_nodes=3)
        else:
            mod = StubModule(NksNodegroup, api, cluster="demo", name="default-worker", flavor_id="f-2",
                             num_max_unavailable_nodes=3)
            NksNodegroupResource(mod, Waiter(60)).plan(api.nodegroups["default-worker"])
    assert err.value.option == "num_max_unavailable_nodes"
    assert api.sent == []


def test_cluster_immutable_options_are_listed_with_the_first_as_data():
    api = StubApi(cluster(), [worker()])
    with pytest.raises(ValidationError) as err:
        plan_cluster(api, availability_zone="kr2-pub-a", labels={"strict_sg_rules_x": "1", "os_distro": "Ubuntu"})
    assert err.value.option == "availability_zone"
    assert "labels.os_distro" in str(err.value)


def test_cluster_legacy_user_script_is_read_back_and_cannot_change():
    """The label user_script ("user script (old)"): equal plans nothing; no operation changes it, so a
    different value is refused before any request (CLUSTER_CHANGED_BY has no entry for it)."""
    api = StubApi(cluster(user_script="echo old"), [worker()])
    assert plan_cluster(api, legacy_user_script="echo old") == []
    with pytest.raises(ValidationError) as err:
        plan_cluster(api, legacy_user_script="echo new")
    assert err.value.option == "legacy_user_script" and api.sent == []


def test_failed_cluster_says_what_to_do_before_any_request():
    api = StubApi(cluster("UPDATE_FAILED"), [worker()])
    mod = StubModule(NksCluster, api, name="demo", node_count=3)
    machine = StateMachine(NksClusterResource(mod), False, True, Waiter(60))
    with pytest.raises(NksOperationFailed) as err:
        machine.converge("present")
    assert "only a delete" in str(err.value) and api.sent == []


def nodegroup_resource(api, **params):
    mod = StubModule(NksNodegroup, api, cluster="demo", **params)
    return NksNodegroupResource(mod, Waiter(60))


def test_last_worker_node_group_is_explained_before_any_request():
    api = StubApi(cluster(), [worker()])
    res = nodegroup_resource(api, name="default-worker", state="absent")
    with pytest.raises(ValidationError) as err:
        StateMachine(res, False, True, Waiter(60)).converge("absent")
    assert err.value.option == "state"
    assert "Deleting the last nodegroup is not supported." in str(err.value)
    assert api.sent == []


def test_default_worker_goes_while_another_worker_group_exists():
    api = StubApi(cluster(), [worker(), worker(uuid="ng-2", name="extra")])
    res = nodegroup_resource(api, name="default-worker", state="absent")
    outcome = StateMachine(res, True, True, Waiter(60)).converge("absent")
    assert outcome.changed and api.sent == []


def test_node_group_absent_when_the_cluster_is_gone_changes_nothing():
    api = StubApi(None)
    outcome = StateMachine(nodegroup_resource(api, name="extra", state="absent"), False, True,
                           Waiter(60)).converge("absent")
    assert outcome.changed is False and api.sent == []


def test_node_group_on_a_failed_cluster_is_refused_before_any_request():
    api = StubApi(cluster("UPDATE_FAILED"), [worker()])
    with pytest.raises(NksOperationFailed) as err:
        StateMachine(nodegroup_resource(api, name="default-worker", node_count=2), False, True,
                     Waiter(60)).converge("present")
    assert "delete the cluster" in str(err.value) and api.sent == []


def test_control_plane_upgrade_with_lagging_node_groups_warns_only_in_check_mode():
    api = StubApi(cluster(kube_tag="v1.28.3"), [worker()])
    mod = StubModule(NksCluster, api, name="demo", kube_version="v1.29.3")
    api.supported_versions = lambda: {"v1.28.3": True, "v1.29.3": True}
    with pytest.raises(ValidationError):
        NksClusterResource(mod).plan(api.cluster)
    mod.check_mode = True
    changes = NksClusterResource(mod).plan(api.cluster)
    assert [c.name for c in changes] == ["kube_version"]
    assert "name=default-worker kube_version=v1.28.3" in mod.warnings[0]
