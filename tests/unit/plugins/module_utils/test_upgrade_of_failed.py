# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nks_cluster and nks_nodegroup on a control plane or node group left ``UPDATE_FAILED`` (issue 21, item 8):
a new ``kube_version`` upgrade is sent (NKS accepts it, user guide 2026-03), any other change, or an
upgrade together with another change, is refused before any request; ``CREATE_FAILED`` stays refused.
On a stub API (reads answered, every other call recorded); deterministic."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._engine import NksOperationFailed, StateMachine, Waiter
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.cluster import NksCluster, NksClusterResource
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.nodegroup import NksNodegroup, NksNodegroupResource
from ansible_collections.nhncloud.nks.tests.unit.plugins.module_utils import stubs

SUBNETS = "59ddc195-76b1-431d-9693-f09880747dc6:9a5e2a1c-0000-4000-8000-000000000002"


StubApi = stubs.StubApi


class StubModule(stubs.StubModule):
    WAIT = False


def cluster(status="CREATE_COMPLETE", kube_tag="v1.27.3"):
    return {"uuid": "c-1", "name": "demo", "status": status, "flavor_id": "f-1",
            "labels": {"kube_tag": kube_tag, "availability_zone": "kr2-pub-b", "external_subnet_id_list": SUBNETS,
                       "strict_sg_rules": "True", "ca_enable": "False", "server_group_meta": "k8s_x",
                       "os_distro": "CentOS"}}


def worker(status="CREATE_COMPLETE", kube_tag="v1.27.3"):
    return {"uuid": "ng-1", "name": "default-worker", "status": status, "flavor_id": "f-1", "node_count": 1,
            "labels": {"ca_enable": "False", "kube_tag": kube_tag}}


def converge(resource, check_mode=False):
    return StateMachine(resource, check_mode, False, Waiter(60)).converge("present")


@pytest.mark.parametrize("check_mode", [True, False])
def test_control_plane_left_update_failed_is_upgraded_again(check_mode):
    api = StubApi(cluster("UPDATE_FAILED"), [worker()])
    outcome = converge(NksClusterResource(StubModule(NksCluster, api, name="demo", kube_version="v1.28.3")), check_mode)
    assert outcome.changed
    assert api.sent == ([] if check_mode else [("upgrade", "c-1", "default-master", "v1.28.3")])


@pytest.mark.parametrize("check_mode", [True, False])
def test_node_group_left_update_failed_is_upgraded_again(check_mode):
    api = StubApi(cluster("UPDATE_FAILED", kube_tag="v1.28.3"), [worker("UPDATE_FAILED")])
    mod = StubModule(NksNodegroup, api, cluster="demo", name="default-worker", kube_version="v1.28.3")
    outcome = converge(NksNodegroupResource(mod, Waiter(60)), check_mode)
    assert outcome.changed
    assert api.sent == ([] if check_mode else [("upgrade", "c-1", "ng-1", "v1.28.3", None, None)])


@pytest.mark.parametrize("params", [
    dict(node_count=3),                              # another change of a failed resource
    dict(kube_version="v1.28.3", node_count=3),      # an upgrade together with another change
])
def test_other_changes_of_a_failed_control_plane_are_refused_before_any_request(params):
    api = StubApi(cluster("UPDATE_FAILED"), [worker()])
    with pytest.raises(NksOperationFailed) as err:
        converge(NksClusterResource(StubModule(NksCluster, api, name="demo", **params)))
    assert "only a delete" in str(err.value) and api.sent == []


@pytest.mark.parametrize("status, params", [
    ("UPDATE_FAILED", dict(node_count=2)),
    ("UPDATE_FAILED", dict(kube_version="v1.27.3")),    # at the version already: nothing to upgrade, still failed
    ("CREATE_FAILED", dict(kube_version="v1.28.3")),    # only a delete then
])
def test_other_changes_of_a_failed_node_group_are_refused_before_any_request(status, params):
    api = StubApi(cluster(kube_tag="v1.28.3"), [worker(status)])
    mod = StubModule(NksNodegroup, api, cluster="demo", name="default-worker", **params)
    with pytest.raises(NksOperationFailed) as err:
        converge(NksNodegroupResource(mod, Waiter(60)))
    assert status in str(err.value) and api.sent == []
