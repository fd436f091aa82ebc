"""Every one of the guide's 25 /v1 operations, driven with the guide's example bodies."""

from __future__ import annotations

import base64

import yaml

from conftest import GUIDE_NODEGROUP, cluster_body, unique


def test_list_clusters(sim, cluster):
    response = sim.get("/v1/clusters")
    assert response.status_code == 200
    assert cluster["uuid"] in [c["uuid"] for c in response.json()["clusters"]]


def test_get_cluster_by_uuid_and_name(sim, cluster):
    by_uuid = sim.get(f"/v1/clusters/{cluster['uuid']}").json()
    by_name = sim.get(f"/v1/clusters/{cluster['name']}").json()
    assert by_uuid["uuid"] == by_name["uuid"] == cluster["uuid"]
    assert by_uuid["status"] == "CREATE_COMPLETE"
    assert by_uuid["api_address"].startswith("https://127.0.0.1:")
    assert by_uuid["node_count"] == 1 and len(by_uuid["node_addresses"]) == 1


def test_create_cluster_guide_example(sim):
    body = cluster_body()
    with sim.hold():
        response = sim.post("/v1/clusters", body)
        assert response.status_code == 202
        uid = response.json()["uuid"]
        assert sim.get(f"/v1/clusters/{uid}").json()["status"] == "CREATE_IN_PROGRESS"
    done = sim.wait_status(f"/v1/clusters/{uid}", "CREATE_COMPLETE")
    assert done["labels"]["kube_tag"] == "v1.26.3"
    assert done["labels"]["master_lb_floating_ip_enabled"] == "True"
    names = [ng["name"] for ng in sim.get(f"/v1/clusters/{uid}/nodegroups").json()["nodegroups"]]
    assert names == ["default-worker"]


def test_delete_cluster(sim, cluster):
    with sim.hold():
        response = sim.delete(f"/v1/clusters/{cluster['uuid']}")
        assert response.status_code == 204 and response.content == b""
        assert sim.get(f"/v1/clusters/{cluster['uuid']}").json()["status"] == "DELETE_IN_PROGRESS"
    sim.wait_gone(f"/v1/clusters/{cluster['uuid']}")


def test_events_list_and_get(sim, cluster):
    events = sim.get(f"/v1/clusters/{cluster['uuid']}/events").json()["events"]
    assert [e["type"] for e in events] == ["CLUSTER_CREATE"]
    assert events[0]["state"] == "SUCCESS" and events[0]["contents"] is None
    one = sim.get(f"/v1/clusters/{cluster['uuid']}/events/{events[0]['uuid']}")
    assert one.status_code == 200 and one.json()["uuid"] == events[0]["uuid"]
    missing = sim.get(f"/v1/clusters/{cluster['uuid']}/events/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404


def test_resize_scale_up_then_down_with_nodes_to_remove(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    with sim.hold():
        response = sim.post(f"{path}/actions/resize", {"node_count": 3, "nodegroup": "default-worker"})
        assert response.status_code == 202 and response.json() == {"uuid": cluster["uuid"]}
        assert sim.get(path).json()["status"] == "UPDATE_IN_PROGRESS"
    assert sim.wait_status(path, "UPDATE_COMPLETE")["node_count"] == 3
    nodes = sim.nodes(cluster["uuid"], "default-worker")
    assert len(nodes) == 3
    remove = [nodes[0]["uuid"], nodes[2]["uuid"]]
    response = sim.post(f"{path}/actions/resize",
                        {"node_count": 1, "nodegroup": "default-worker", "nodes_to_remove": remove})
    assert response.status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE")
    assert [n["uuid"] for n in sim.nodes(cluster["uuid"], "default-worker")] == [nodes[1]["uuid"]]
    assert sim.get(path).json()["node_addresses"] == [nodes[1]["address"]]


def test_kubeconfig(sim, cluster):
    other = sim.create_cluster()
    configs = []
    for item in (cluster, other):
        response = sim.get(f"/v1/clusters/{item['uuid']}/config")
        assert response.status_code == 200
        doc = yaml.safe_load(response.json()["config"])
        assert doc["kind"] == "Config" and doc["current-context"] == "default"
        assert doc["clusters"][0]["cluster"]["server"] == sim.get(f"/v1/clusters/{item['uuid']}").json()["api_address"]
        user = doc["users"][0]["user"]
        for blob in (doc["clusters"][0]["cluster"]["certificate-authority-data"], user["client-certificate-data"],
                     user["client-key-data"]):
            assert base64.b64decode(blob).startswith(b"-----BEGIN ")
        configs.append(response.json()["config"])
    assert configs[0] != configs[1]


def test_cni_update_guide_example(sim, guide_2025):
    created = sim.seed_legacy()
    path = f"/v1/clusters/{created['uuid']}"
    body = {"cni": "calico", "num_max_unavailable_nodes": 1, "num_buffer_nodes": 1, "pod_cidr": "10.200.0.0/16"}
    response = sim.post(f"{path}/actions/cni_update", body)
    assert response.status_code == 202, response.text
    assert response.json() == {"uuid": created["uuid"]}
    labels = sim.wait_status(path, "UPDATE_COMPLETE")["labels"]
    assert labels["cni_driver"] == "calico" and labels["pods_network_cidr"] == "10.200.0.0/16"
    assert labels["pods_network_subnet"] == "24"
    assert sim.post(f"{path}/actions/cni_update", body).status_code == 400  # only from flannel


def test_ipacl_set_and_get(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/api_ep_ipacl"
    assert sim.get(path).json() == {"cluster_uuid": cluster["uuid"], "enable": "false"}
    targets = [{"cidr_address": "192.168.0.5"}, {"cidr_address": "10.10.22.3/24", "description": "Your Friends"}]
    response = sim.post(path, {"enable": "True", "action": "ALLOW", "ipacl_targets": targets})
    assert response.status_code == 200 and response.json() == {"uuid": cluster["uuid"]}
    assert sim.get(path).json() == {"cluster_uuid": cluster["uuid"], "enable": "true", "action": "ALLOW",
                                    "ipacl_targets": targets}
    assert sim.post(path, {"enable": "false"}).status_code == 200
    assert sim.get(path).json() == {"cluster_uuid": cluster["uuid"], "enable": "false"}


def test_certificate_renewal(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    response = sim.patch(f"/v1/certificates/{cluster['uuid']}", {"term_of_validity": 2})
    assert response.status_code == 202 and response.json() == {"uuid": cluster["uuid"]}
    labels = sim.wait_status(path, "UPDATE_COMPLETE")["labels"]
    assert labels["term_of_validity"] == "2"
    assert int(labels["certificate_expiry"][:4]) - int(cluster["created_at"][:4]) == 2
    types = [e["type"] for e in sim.get(f"{path}/events").json()["events"]]
    assert types[-1] == "CLUSTER_CERTIFICATE_RENEW"


def test_update_sgw(sim):
    cluster = sim.create_cluster(cluster_body(labels__ncr_sgw="0b0e6f2e-55a1-4c56-9d43-6a2f1f6f2d10"))
    path = f"/v1/clusters/{cluster['uuid']}"
    body = {"ncr_sgw": "48f4ff38-d14b-4f34-a40c-705524e6a755", "obs_sgw": "23c550cb-6a5b-4eaa-903a-711c13316d91"}
    response = sim.post(f"{path}/actions/update_sgw", body)
    assert response.status_code == 202 and response.json() == {"uuid": cluster["uuid"]}
    labels = sim.wait_status(path, "UPDATE_COMPLETE")["labels"]
    assert labels["ncr_sgw"] == body["ncr_sgw"] and labels["obs_sgw"] == body["obs_sgw"]


def test_nodegroup_list_get(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups"
    listed = sim.get(path).json()["nodegroups"]
    assert [ng["name"] for ng in listed] == ["default-worker"]
    one = sim.get(f"{path}/default-worker").json()
    assert one["uuid"] == listed[0]["uuid"] and one["cluster_id"] == cluster["uuid"]
    assert sim.get(f"{path}/{one['uuid']}").json()["name"] == "default-worker"
    assert sim.get(f"{path}/default-master").status_code == 403


def test_nodegroup_create_and_delete(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    with sim.hold():
        response = sim.post(f"{path}/nodegroups", GUIDE_NODEGROUP)
        assert response.status_code == 202, response.text
        created = response.json()
        assert created["name"] == "added-nodegroup" and created["role"] == "worker"
        assert created["cluster_id"] == cluster["uuid"]
        assert sim.get(f"{path}/nodegroups/added-nodegroup").json()["status"] == "CREATE_IN_PROGRESS"
        assert sim.get(path).json()["status"] == "UPDATE_IN_PROGRESS"
    sim.wait_status(f"{path}/nodegroups/added-nodegroup", "CREATE_COMPLETE")
    cl = sim.wait_status(path, "UPDATE_COMPLETE")
    assert cl["node_count"] == 2
    with sim.hold():
        response = sim.delete(f"{path}/nodegroups/added-nodegroup")
        assert response.status_code == 204
        assert sim.get(f"{path}/nodegroups/added-nodegroup").json()["status"] == "DELETE_IN_PROGRESS"
    sim.wait_gone(f"{path}/nodegroups/added-nodegroup")
    assert sim.wait_status(path, "UPDATE_COMPLETE")["node_count"] == 1


def test_stop_and_start_nodes(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    sim.post(f"{path}/actions/resize", {"node_count": 2, "nodegroup": "default-worker"})
    sim.wait_status(path, "UPDATE_COMPLETE")
    nodes = sim.nodes(cluster["uuid"], "default-worker")
    node_list = ":".join(n["uuid"] for n in nodes)
    response = sim.post(f"{path}/nodegroups/default-worker/stop_node", {"node_list": node_list})
    assert response.status_code == 202
    ng_uuid = sim.get(f"{path}/nodegroups/default-worker").json()["uuid"]
    assert response.json() == {"uuid": ng_uuid}
    sim.wait_status(f"{path}/nodegroups/default-worker", "UPDATE_COMPLETE")
    assert {n["status"] for n in sim.nodes(cluster["uuid"], "default-worker")} == {"SHUTOFF"}
    response = sim.post(f"{path}/nodegroups/default-worker/start_node", {"node_list": nodes[0]["uuid"]})
    assert response.status_code == 202
    sim.wait_status(f"{path}/nodegroups/default-worker", "UPDATE_COMPLETE")
    assert [n["status"] for n in sim.nodes(cluster["uuid"], "default-worker")] == ["ACTIVE", "SHUTOFF"]


def test_autoscale_get_and_set(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups/default-worker"
    before = sim.get(f"{path}/autoscale").json()
    assert before["ca_enable"] is False and before["ca_max_node_count"] == 10
    body = {"ca_enable": True, "ca_max_node_count": 10, "ca_min_node_count": 1, "ca_scale_down_delay_after_add": 30,
            "ca_scale_down_enable": True, "ca_scale_down_unneeded_time": 20, "ca_scale_down_util_thresh": 40}
    response = sim.post(f"{path}/autoscale", body)
    assert response.status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE")
    after = sim.get(f"{path}/autoscale").json()
    assert after["ca_enable"] is True and after["ca_scale_down_delay_after_add"] == 30
    assert after["ca_scale_down_util_thresh"] == 40


def test_upgrade_control_plane_then_workers(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    with sim.hold():
        response = sim.post(f"{path}/nodegroups/default-master/upgrade", {"version": "v1.27.3"})
        assert response.status_code == 202, response.text
        assert sim.get(path).json()["status"] == "UPDATE_IN_PROGRESS"
    assert sim.wait_status(path, "UPDATE_COMPLETE")["labels"]["kube_tag"] == "v1.27.3"
    response = sim.post(f"{path}/nodegroups/default-worker/upgrade",
                        {"version": "v1.27.3", "num_buffer_nodes": 1, "num_max_unavailable_nodes": 1})
    assert response.status_code == 202, response.text
    worker = sim.wait_status(f"{path}/nodegroups/default-worker", "UPDATE_COMPLETE")
    assert worker["labels"]["kube_tag"] == "v1.27.3"
    assert [e["type"] for e in sim.get(f"{path}/events").json()["events"]][-2:] == ["NODEGROUP_UPGRADE"] * 2


def test_userscript(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups/default-worker"
    response = sim.post(f"{path}/userscript", {"contents": "user script contents here..."})
    assert response.status_code == 202
    assert sim.wait_status(path, "UPDATE_COMPLETE")["labels"]["user_script_v2"] == "user script contents here..."


def test_change_flavor(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups/default-worker"
    body = {"type": "flavor_id", "flavor_id": "1d0d6983-8e9d-44dc-810e-d7689afa372c", "num_buffer_nodes": 1,
            "num_max_unavailable_nodes": 1}
    response = sim.patch(path, body)
    assert response.status_code == 202, response.text
    assert sim.wait_status(path, "UPDATE_COMPLETE")["flavor_id"] == body["flavor_id"]
    assert sim.get(f"/v1/clusters/{cluster['uuid']}").json()["flavor_id"] == body["flavor_id"]


def test_supports(sim, guide_2025):
    body = sim.get("/v1/supports").json()
    assert body["supported_k8s"]["v1.17.6"] is False and body["supported_k8s"]["v1.29.3"] is True
    assert [v for v, ok in body["supported_k8s"].items() if ok] == ["v1.26.3", "v1.27.3", "v1.28.3", "v1.29.3"]
    assert "CLUSTER_CREATE" in body["supported_event_type"]["cluster_events"]
    assert "NODEGROUP_NODE_ACTION_NODE_STOP" in body["supported_event_type"]["nodegroup_events"]
    assert "NODEGROUP_UPDATE_K8S_NODE_LABELS" not in body["supported_event_type"]["nodegroup_events"]


def test_supports_2026_lists_task_types_flat(sim):
    events = sim.get("/v1/supports").json()["supported_event_type"]
    assert "cluster_events" not in events and "CLUSTER_CNI_UPDATE" not in events
    for kind in ("CLUSTER_CREATE", "CLUSTER_UPDATE_CONTROL_PLANE_LOG", "NODEGROUP_UPDATE_K8S_NODE_LABELS",
                 "NODEGROUP_UPDATE_FIP_AUTO_BIND", "NODEGROUP_SET_METRIC_BASE_AUTOSCALER"):
        assert isinstance(events[kind], str)


def test_unknown_resources_are_404(sim, cluster):
    for path in ("/v1/clusters/nope", f"/v1/clusters/{cluster['uuid']}/nodegroups/nope",
                 f"/v1/clusters/{unique()}/config"):
        response = sim.get(path)
        assert response.status_code == 404
        error = response.json()["errors"][0]
        assert error["status"] == 404 and error["code"] == "client" and error["request_id"].startswith("req-")
    assert sim.get("/v1/clusters/nope").json()["errors"][0]["detail"] == "Cluster nope could not be found."
