"""The two API guides the simulator serves (``api_guide``, docs/simulator.md "Which API guide"):
the 2026-03 guide's operations, rules and effects, and what the 2025-02 guide keeps."""

from __future__ import annotations

import json

import pytest

from conftest import GUIDE_NODEGROUP, SUBNET, cluster_body, unique
from kube_helpers import Kube, wait_for

SGW = "b6f68830-e688-4d89-ac0a-2f1a5594177a"
MBA_ON = {
    "type": "metric_base_autoscale",
    "mba_scale_out": {"enable": "True", "max_node_count": 6, "rules_operator": "or", "delay": 10,
                      "adjustment_count": 2, "rules": [{"metric": "GROUP_CPU_USAGE", "threshold": 80, "duration": 2}]},
    "mba_scale_in": {"enable": "True", "min_node_count": 2, "rules_operator": "or", "delay": 5,
                     "adjustment_count": 1, "rules": [{"metric": "GROUP_CPU_USAGE", "threshold": 50, "duration": 2}]},
}


def detail(response) -> str:
    return response.json()["errors"][0]["detail"]


def ng_path(cluster: dict, name: str = "default-worker") -> str:
    return f"/v1/clusters/{cluster['uuid']}/nodegroups/{name}"


def labels_of(sim, cluster: dict, name: str = "default-worker") -> dict:
    return sim.get(ng_path(cluster, name)).json()["labels"]


# ---------------------------------------------------------------- the switch
def test_switch_at_runtime_and_invalid_value(sim):
    assert sim.admin("GET", "/config").json()["api_guide"] == "2026-03"
    refused = sim.admin("PATCH", "/config", {"api_guide": "2024-01"})
    assert refused.status_code == 400
    assert sim.admin("GET", "/config").json()["api_guide"] == "2026-03"


def test_cli_flag_serves_the_2025_guide(own_sim):
    sim = own_sim("--api-guide", "2025-02")
    assert sim.admin("GET", "/config").json()["api_guide"] == "2025-02"
    events = sim.get("/v1/supports").json()["supported_event_type"]
    assert set(events) == {"cluster_events", "nodegroup_events"}
    created = sim.create_cluster()
    assert "platform_version" not in created["labels"] and created["health_status"] == "HEALTHY"


# ---------------------------------------------------------------- Kubernetes labels of a node group
def test_node_labels_reach_only_nodes_created_afterwards(sim, tmp_path):
    created = sim.create_cluster(cluster_body(labels__k8s_node_labels='{"tier": "web"}'))
    kube = Kube(sim, created["uuid"], tmp_path)
    kube.wait_ready()
    first = kube.get("/api/v1/nodes").json()["items"]
    assert first and all(n["metadata"]["labels"]["tier"] == "web" for n in first)
    path = ng_path(created)
    answer = sim.patch(path, {"type": "k8s_node_labels", "k8s_node_labels": {"node_type": "production",
                                                                              "example.com/team": "a"}})
    assert answer.status_code == 202 and answer.json()["uuid"] == sim.get(path).json()["uuid"]
    sim.wait_status(path, "UPDATE_COMPLETE")
    assert json.loads(labels_of(sim, created)["k8s_node_labels"]) == {"node_type": "production",
                                                                      "example.com/team": "a"}
    assert sim.post(f"/v1/clusters/{created['uuid']}/actions/resize",
                    {"nodegroup": "default-worker", "node_count": 2}).status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE")
    names = {n["metadata"]["name"] for n in first}
    items = wait_for(lambda: [n for n in kube.get("/api/v1/nodes").json()["items"]] if len(
        kube.get("/api/v1/nodes").json()["items"]) == 2 else None)
    old = [n for n in items if n["metadata"]["name"] in names][0]["metadata"]["labels"]
    new = [n for n in items if n["metadata"]["name"] not in names][0]["metadata"]["labels"]
    assert old["tier"] == "web" and "node_type" not in old  # existing nodes keep theirs
    assert new["node_type"] == "production" and new["example.com/team"] == "a" and "tier" not in new


@pytest.mark.parametrize("labels, expected", [
    ({f"k{i}": "v" for i in range(21)}, "at most 20"),
    ({"kubernetes.io/role": "x"}, "reserved"),
    ({"-bad": "x"}, "key '-bad'"),
    ({"good": "bad value"}, "value 'bad value'"),
    ({"a" * 64: "x"}, "the name must be 1-63"),
])
def test_node_label_rules(sim, cluster, labels, expected):
    response = sim.patch(ng_path(cluster), {"type": "k8s_node_labels", "k8s_node_labels": labels})
    assert response.status_code == 400 and expected in detail(response)


def test_node_labels_at_create_of_a_node_group(sim, cluster):
    body = {**GUIDE_NODEGROUP, "name": unique("ng"),
            "labels": {**GUIDE_NODEGROUP["labels"], "k8s_node_labels": "pool=batch,zone-class=b"}}
    created = sim.post(f"/v1/clusters/{cluster['uuid']}/nodegroups", body)
    assert created.status_code == 202
    assert json.loads(created.json()["labels"]["k8s_node_labels"]) == {"pool": "batch", "zone-class": "b"}
    sim.wait_status(f"/v1/clusters/{cluster['uuid']}", "UPDATE_COMPLETE")
    bad = {**body, "name": unique("ng"), "labels": {**body["labels"], "k8s_node_labels": "k8s.io/x=y"}}
    response = sim.post(f"/v1/clusters/{cluster['uuid']}/nodegroups", bad)
    assert response.status_code == 400 and "labels.k8s_node_labels" in detail(response)


# ---------------------------------------------------------------- floating IP auto-assignment
def test_fip_auto_bind(sim, cluster):
    path = ng_path(cluster)
    on = {"type": "fip_auto_bind", "fip_auto_bind_update_info": {
        "fip_auto_bind_enable": True, "fip_selector": "nks-fip", "fip_bind_subnet": SUBNET}}
    assert sim.patch(path, on).status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE")
    labels = labels_of(sim, cluster)
    assert (labels["fip_auto_bind_enable"], labels["fip_bind_subnet"], labels["fip_selector"]) == (
        "True", SUBNET, "nks-fip")
    other = {"type": "fip_auto_bind", "fip_auto_bind_update_info": {
        "fip_auto_bind_enable": True, "fip_bind_subnet": "7f3237f6-ce05-4e9c-bce8-bbaabd22e83a"}}
    response = sim.patch(path, other)
    assert response.status_code == 400 and "fip_bind_subnet" in detail(response)
    response = sim.patch(path, {"type": "fip_auto_bind", "fip_auto_bind_update_info": {"fip_auto_bind_enable": True}})
    assert response.status_code == 400 and "required when fip_auto_bind_enable" in detail(response)
    assert sim.patch(path, {"type": "fip_auto_bind",
                            "fip_auto_bind_update_info": {"fip_auto_bind_enable": False}}).status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE")
    assert labels_of(sim, cluster)["fip_auto_bind_enable"] == "False"


# ---------------------------------------------------------------- metric-based autoscaler
def test_metric_based_autoscaler(sim, cluster):
    path = ng_path(cluster)
    assert sim.patch(path, MBA_ON).status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE")
    scale_out = json.loads(labels_of(sim, cluster)["mba_scale_out"])
    assert scale_out == {"enable": True, "max_node_count": 6, "rules_operator": "OR", "delay": 10,
                         "adjustment_count": 2, "rules": [{"metric": "GROUP_CPU_USAGE", "threshold": 80,
                                                           "duration": 2}]}
    events = sim.get(f"/v1/clusters/{cluster['uuid']}/events").json()["events"]
    assert events[-1]["type"] == "NODEGROUP_SET_METRIC_BASE_AUTOSCALER"


@pytest.mark.parametrize("change, expected", [
    ({"mba_scale_out": {"enable": True, "rules": []}}, "at least one rule"),
    ({"mba_scale_out": {"enable": True, "delay": 61, "rules": MBA_ON["mba_scale_out"]["rules"]}}, "delay"),
    ({"mba_scale_in": {"enable": True, "adjustment_count": 11, "rules": MBA_ON["mba_scale_in"]["rules"]}},
     "adjustment_count"),
    ({"mba_scale_out": {"enable": True, "rules": [{"metric": "GROUP_GPU", "threshold": 1, "duration": 2}]}},
     "metric"),
    ({"mba_scale_out": {"enable": True, "rules": [{"metric": "GROUP_CPU_USAGE", "threshold": 1, "duration": 1}]}},
     "duration"),
    ({"mba_scale_out": {**MBA_ON["mba_scale_out"], "max_node_count": 2},
      "mba_scale_in": {**MBA_ON["mba_scale_in"], "min_node_count": 3}}, "must not be greater"),
    ({"mba_scale_in": {"enable": True, "rules_operator": "XOR", "rules": MBA_ON["mba_scale_in"]["rules"]}},
     "rules_operator"),
    ({}, "mba_scale_out or mba_scale_in is required"),
])
def test_metric_based_autoscaler_rules(sim, cluster, change, expected):
    response = sim.patch(ng_path(cluster), {"type": "metric_base_autoscale", **change})
    assert response.status_code == 400 and expected in detail(response), response.text


def test_create_labels_of_2026_on_the_default_worker(sim):
    body = cluster_body(labels__mba_scale_out=json.dumps(MBA_ON["mba_scale_out"]),
                        labels__fip_auto_bind_enable="true", labels__fip_bind_subnet=SUBNET,
                        labels__control_plane_log=json.dumps({"enable": True, "type": "lncs", "sgw": SGW,
                                                              "lncs_appkey": "appkey"}))
    created = sim.create_cluster(body)
    labels = labels_of(sim, created)
    assert json.loads(labels["mba_scale_out"])["max_node_count"] == 6 and labels["fip_auto_bind_enable"] == "True"
    assert json.loads(created["labels"]["control_plane_log"])["upload_interval"] == 10
    bad = cluster_body(labels__control_plane_log=json.dumps({"enable": True, "type": "lncs", "sgw": SGW}))
    response = sim.post("/v1/clusters", bad)
    assert response.status_code == 400 and "labels.control_plane_log.lncs_appkey" in detail(response)


# ---------------------------------------------------------------- control plane logs
def test_control_plane_log(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    obs = {"type": "control_plane_log", "control_plane_log": {
        "enable": True, "type": "obs", "sgw": SGW, "upload_interval": 60,
        "obs_api_url": "https://kr1-api-object-storage.nhncloudservice.com/v1/AUTH_x/container/path"}}
    answer = sim.patch(path, obs)
    assert answer.status_code == 202 and answer.json() == {"uuid": cluster["uuid"]}
    done = sim.wait_status(path, "UPDATE_COMPLETE")
    assert json.loads(done["labels"]["control_plane_log"]) == {**obs["control_plane_log"], "obs_store_as": "gzip"}
    assert sim.get(f"{path}/events").json()["events"][-1]["type"] == "CLUSTER_UPDATE_CONTROL_PLANE_LOG"
    assert sim.patch(path, {"type": "control_plane_log", "control_plane_log": {"enable": False}}).status_code == 202
    done = sim.wait_status(path, "UPDATE_COMPLETE")
    assert json.loads(done["labels"]["control_plane_log"]) == {"enable": False}


@pytest.mark.parametrize("setting, expected", [
    ({"type": "lncs", "sgw": SGW}, "enable is required"),
    ({"enable": True, "type": "s3", "sgw": SGW}, "type"),
    ({"enable": True, "type": "lncs", "lncs_appkey": "k"}, "sgw is required"),
    ({"enable": True, "type": "lncs", "sgw": SGW, "lncs_appkey": "k", "upload_interval": 61}, "upload_interval"),
    ({"enable": True, "type": "obs", "sgw": SGW}, "obs_api_url is required"),
    ({"enable": True, "type": "obs", "sgw": SGW, "obs_api_url": "https://h/v1/AUTH_x/c", "obs_store_as": "zip"},
     "obs_store_as"),
])
def test_control_plane_log_rules(sim, cluster, setting, expected):
    response = sim.patch(f"/v1/clusters/{cluster['uuid']}", {"type": "control_plane_log", "control_plane_log": setting})
    assert response.status_code == 400 and expected in detail(response), response.text


def test_patch_types_unknown_to_the_guide_are_refused(sim, cluster):
    response = sim.patch(f"/v1/clusters/{cluster['uuid']}", {"type": "flavor_id"})
    assert response.status_code == 400 and "control_plane_log" in detail(response)
    response = sim.patch(ng_path(cluster), {"type": "nope"})
    assert response.status_code == 400 and "k8s_node_labels" in detail(response)


# ---------------------------------------------------------------- answers of the 2026-03 guide
def test_answers_carry_platform_version_and_health(sim, cluster):
    got = sim.get(f"/v1/clusters/{cluster['uuid']}").json()
    assert got["labels"]["platform_version"] and got["labels"]["kube_version_status"] in ("LATEST", "NEED_UPGRADE")
    assert got["health_status"] == "FRESH"
    reason = got["health_status_reason"]
    assert reason["api"] == "OK" and reason["nodegroup"]["node_status"] == {"default-worker": "NORMAL"}
    assert reason["nodegroup-stats"] == {"default-worker": "1:0"}
    listed = [c for c in sim.get("/v1/clusters").json()["clusters"] if c["uuid"] == cluster["uuid"]][0]
    assert listed["health_status"] == "FRESH" and "platform_version" in listed["labels"]
    assert "platform_version" in labels_of(sim, cluster)


def test_key_pair_is_a_name(sim):
    created = sim.create_cluster(cluster_body(keypair="my-key_pair.1"))
    assert created["keypair"] == "my-key_pair.1"


# ---------------------------------------------------------------- removed, and what 2025-02 keeps
def test_cni_change_removed_in_2026(sim):
    legacy = sim.seed_legacy()
    response = sim.post(f"/v1/clusters/{legacy['uuid']}/actions/cni_update", {"cni": "calico",
                                                                                "pod_cidr": "10.200.0.0/16"})
    assert response.status_code == 404 and "no longer supported" in detail(response)
    assert sim.get(f"/v1/clusters/{legacy['uuid']}").json()["status"] == "CREATE_COMPLETE"  # nothing started


def test_2025_guide_has_none_of_the_2026_operations(sim, guide_2025, cluster):
    response = sim.patch(f"/v1/clusters/{cluster['uuid']}", {"type": "control_plane_log",
                                                             "control_plane_log": {"enable": False}})
    assert response.status_code == 405
    response = sim.patch(ng_path(cluster), {"type": "k8s_node_labels", "k8s_node_labels": {"a": "b"}})
    assert response.status_code == 400 and "flavor_id" in detail(response)
    got = sim.get(f"/v1/clusters/{cluster['uuid']}").json()
    assert got["health_status"] == "HEALTHY" and "platform_version" not in got["labels"]


# ---------------------------------------------------------------- UPDATE_FAILED retries
def test_failed_certificate_renewal_is_left_by_renewing_again(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    rule = {"operation": "CLUSTER_CERTIFICATE_RENEW", "reason": "renewal failed (simulated)"}
    assert sim.admin("POST", "/faults/fail-next", rule).status_code == 200
    assert sim.patch(f"/v1/certificates/{cluster['uuid']}", {"term_of_validity": 2}).status_code == 202
    sim.wait_status(path, "UPDATE_FAILED")
    refused = sim.post(f"{path}/actions/update_sgw", {"ncr_sgw": SGW, "obs_sgw": SGW})
    assert refused.status_code == 400 and "failed state" in detail(refused)
    assert sim.patch(f"/v1/certificates/{cluster['uuid']}", {"term_of_validity": 2}).status_code == 202
    assert sim.wait_status(path, "UPDATE_COMPLETE")["labels"]["term_of_validity"] == "2"


def test_failed_node_group_upgrade_accepts_a_new_upgrade(sim):
    created = sim.create_cluster(cluster_body(labels__kube_tag="v1.27.3"))
    path = f"/v1/clusters/{created['uuid']}"
    assert sim.post(f"{path}/nodegroups/default-master/upgrade", {"version": "v1.28.3"}).status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE")
    rule = {"operation": "NODEGROUP_UPGRADE", "reason": "upgrade failed (simulated)"}
    assert sim.admin("POST", "/faults/fail-next", rule).status_code == 200
    assert sim.post(f"{path}/nodegroups/default-worker/upgrade", {"version": "v1.28.3"}).status_code == 202
    sim.wait_status(f"{path}/nodegroups/default-worker", "UPDATE_FAILED")
    refused = sim.post(f"{path}/nodegroups/default-worker/userscript", {"contents": "x"})
    assert refused.status_code == 400 and "failed state" in detail(refused)
    assert sim.post(f"{path}/nodegroups/default-worker/upgrade", {"version": "v1.28.3"}).status_code == 202
    done = sim.wait_status(f"{path}/nodegroups/default-worker", "UPDATE_COMPLETE")
    assert done["labels"]["kube_tag"] == "v1.28.3"


def test_update_failed_stays_terminal_in_2025_and_create_failed_everywhere(sim, guide_2025, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    rule = {"operation": "CLUSTER_CERTIFICATE_RENEW", "reason": "renewal failed (simulated)"}
    assert sim.admin("POST", "/faults/fail-next", rule).status_code == 200
    assert sim.patch(f"/v1/certificates/{cluster['uuid']}", {"term_of_validity": 2}).status_code == 202
    sim.wait_status(path, "UPDATE_FAILED")
    assert sim.patch(f"/v1/certificates/{cluster['uuid']}", {"term_of_validity": 2}).status_code == 400


def test_create_failed_stays_delete_only_in_2026(sim):
    rule = {"operation": "CLUSTER_CREATE", "reason": "quota (simulated)"}
    assert sim.admin("POST", "/faults/fail-next", rule).status_code == 200
    created = sim.create_cluster(wait=False)
    path = f"/v1/clusters/{created['uuid']}"
    sim.wait_status(path, "CREATE_FAILED")
    response = sim.patch(f"/v1/certificates/{created['uuid']}", {"term_of_validity": 2})
    assert response.status_code == 400 and "failed state" in detail(response)
    assert sim.delete(path).status_code == 204
