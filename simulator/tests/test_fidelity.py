"""The simulator answers as NKS does (issue 11): failed states, the last node group,
label drift. Each rule has a refusing and an accepting case."""

from __future__ import annotations

import pytest

from conftest import GUIDE_NODEGROUP, cluster_body

A, B, C = ("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222",
           "33333333-3333-4333-8333-333333333333")


def detail(response) -> str:
    return response.json()["errors"][0]["detail"]


def failed_cluster(sim, operation="CLUSTER_CREATE") -> str:
    sim.admin("POST", "/faults/fail-next", {"operation": operation, "reason": "simulated"})
    path = f"/v1/clusters/{sim.create_cluster(wait=False)['uuid']}"
    sim.wait_status(path, "CREATE_FAILED")
    return path


FAILED_CLUSTER_ACTIONS = [
    ("POST", "/actions/resize", {"nodegroup": "default-worker", "node_count": 2}),
    ("POST", "/api_ep_ipacl", {"enable": "false"}),
    ("PATCH", "/certificates", {"term_of_validity": 1}),
    ("POST", "/nodegroups", GUIDE_NODEGROUP),
    ("POST", "/nodegroups/default-worker/autoscale", {"ca_enable": "false"}),
    ("POST", "/nodegroups/default-worker/userscript", {"contents": "x"}),
]


@pytest.mark.parametrize("method,suffix,body", FAILED_CLUSTER_ACTIONS, ids=[a[1] for a in FAILED_CLUSTER_ACTIONS])
def test_failed_cluster_refuses_actions(sim, method, suffix, body):
    path = failed_cluster(sim)
    uid = path.rsplit("/", 1)[1]
    target = f"/v1/certificates/{uid}" if suffix == "/certificates" else path + suffix
    response = sim.call(method, target, json=body)
    assert response.status_code == 400, response.text
    assert "failed state (CREATE_FAILED)" in detail(response) and "only delete" in detail(response)
    assert sim.get(path).json()["status"] == "CREATE_FAILED"


def test_failed_cluster_accepts_delete(sim):
    path = failed_cluster(sim)
    assert sim.delete(path).status_code == 204
    sim.wait_gone(path)


def test_failed_nodegroup_refuses_actions_and_accepts_delete(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    sim.admin("POST", "/faults/fail-next", {"operation": "NODEGROUP_CREATE", "reason": "no capacity"})
    assert sim.post(f"{path}/nodegroups", {**GUIDE_NODEGROUP, "name": "pool-f"}).status_code == 202
    sim.wait_status(f"{path}/nodegroups/pool-f", "CREATE_FAILED")
    refused = sim.post(f"{path}/nodegroups/pool-f/autoscale", {"ca_enable": "false"})
    assert refused.status_code == 400 and "failed state" in detail(refused)
    assert sim.delete(f"{path}/nodegroups/pool-f").status_code == 204
    sim.wait_gone(f"{path}/nodegroups/pool-f")
    assert sim.wait_status(path, "UPDATE_COMPLETE")["status_reason"] is None


def test_last_worker_nodegroup_cannot_be_deleted(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    refused = sim.delete(f"{path}/nodegroups/default-worker")
    assert refused.status_code == 400 and detail(refused) == "Deleting the last nodegroup is not supported."
    assert sim.get(f"{path}/nodegroups/default-worker").json()["status"] == "CREATE_COMPLETE"


def test_worker_nodegroup_deleted_when_another_remains(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    assert sim.post(f"{path}/nodegroups", {**GUIDE_NODEGROUP, "name": "pool-b"}).status_code == 202
    sim.wait_status(f"{path}/nodegroups/pool-b", "CREATE_COMPLETE")
    sim.wait_status(path, "UPDATE_COMPLETE")
    assert sim.delete(f"{path}/nodegroups/default-worker").status_code == 204
    sim.wait_gone(f"{path}/nodegroups/default-worker")
    refused = sim.delete(f"{path}/nodegroups/pool-b")
    assert refused.status_code == 400 and detail(refused) == "Deleting the last nodegroup is not supported."


def test_control_plane_nodegroup_cannot_be_deleted(sim, cluster):
    refused = sim.delete(f"/v1/clusters/{cluster['uuid']}/nodegroups/default-master")
    assert refused.status_code == 400 and "control plane" in detail(refused)


DRIFT_LABELS = {"labels__master_lb_floating_ip_enabled": "true", "labels__ca_enable": "false",
                "labels__external_subnet_id_list": f"{A}:{B}:{C}", "labels__additional_network_id_list": f"{A}:{B}"}


def test_label_drift_on_by_default(sim):
    labels = sim.create_cluster(cluster_body(**DRIFT_LABELS))["labels"]
    assert labels["master_lb_floating_ip_enabled"] == "True" and labels["ca_enable"] == "False"
    assert labels["external_subnet_id_list"] == f"{B}:{C}:{A}"
    assert sorted(labels["additional_network_id_list"].split(":")) == [A, B]
    assert labels["additional_network_id_list"] != f"{A}:{B}"
    assert "server_group_meta" in labels and "kube_version_status" in labels  # server-added labels


def test_label_drift_off_echoes_spelling(own_sim):
    sim = own_sim()
    assert sim.admin("PATCH", "/config", {"label_drift": False}).status_code == 200
    labels = sim.create_cluster(cluster_body(**DRIFT_LABELS))["labels"]
    assert labels["master_lb_floating_ip_enabled"] == "true" and labels["ca_enable"] == "false"
    assert labels["external_subnet_id_list"] == f"{A}:{B}:{C}"


def test_nodegroup_labels_drift(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups"
    body = {**GUIDE_NODEGROUP, "name": "pool-d",
            "labels": {**GUIDE_NODEGROUP["labels"], "ca_enable": "false", "additional_subnet_id_list": f"{A}:{B}"}}
    assert sim.post(path, body).status_code == 202
    labels = sim.get(f"{path}/pool-d").json()["labels"]
    assert labels["ca_enable"] == "False" and labels["additional_subnet_id_list"] == f"{B}:{A}"
