"""The simulator answers as NKS does (issue 11): failed states, the last node group,
label drift. Each rule has a refusing and an accepting case."""

from __future__ import annotations

import time

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
    sim = own_sim("--no-label-drift")
    assert sim.admin("GET", "/config").json()["label_drift"] is False
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


# ---------------------------------------------------------------- UUID-typed fields (D4, D27)
UUID_CASES = [
    ("fixed_network", {"fixed_network": "my-network"}),
    ("fixed_subnet", {"fixed_subnet": "my-subnet"}),
    ("flavor_id", {"flavor_id": "m2.c4m8"}),
    ("node_image", {"labels__node_image": "centos"}),
    ("external_network_id", {"labels__external_network_id": "public-net"}),
    ("external_subnet_id_list", {"labels__external_subnet_id_list": f"{A}:not-a-uuid"}),
    ("additional_subnet_id_list", {"labels__additional_subnet_id_list": "x"}),
    ("ncr_sgw", {"labels__ncr_sgw": "x"}),
    ("obs_sgw", {"labels__obs_sgw": "x"}),
    ("undashed-uuid", {"flavor_id": A.replace("-", "")}),
]


@pytest.mark.parametrize("changes", [c[1] for c in UUID_CASES], ids=[c[0] for c in UUID_CASES])
def test_create_refuses_non_uuid(sim, changes):
    response = sim.post("/v1/clusters", cluster_body(**changes))
    assert response.status_code == 400 and "is not a valid UUID" in detail(response), response.text


def test_create_accepts_uuids_and_empty_optional_ids(sim):
    body = cluster_body(labels__ncr_sgw=A, labels__obs_sgw="", labels__external_subnet_id_list=f"{A}:{B}",
                        labels__additional_network_id_list="")
    assert sim.post("/v1/clusters", body).status_code == 202


@pytest.mark.parametrize("field", ["flavor_id", "image_id"])
def test_nodegroup_create_refuses_non_uuid(sim, cluster, field):
    response = sim.post(f"/v1/clusters/{cluster['uuid']}/nodegroups", {**GUIDE_NODEGROUP, "name": "pool-u",
                                                                       field: "m2.c4m8"})
    assert response.status_code == 400 and field in detail(response)


def test_flavor_change_refuses_non_uuid(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups/default-worker"
    assert sim.patch(path, {"type": "flavor_id", "flavor_id": "m2.c4m8"}).status_code == 400
    assert sim.patch(path, {"type": "flavor_id", "flavor_id": A}).status_code == 202


# ---------------------------------------------------------------- events take the UUID only (D2)
def test_events_by_name_are_404_and_by_uuid_200(sim, cluster):
    assert sim.get(f"/v1/clusters/{cluster['name']}/events").status_code == 404
    events = sim.get(f"/v1/clusters/{cluster['uuid']}/events")
    assert events.status_code == 200
    one = events.json()["events"][0]["uuid"]
    assert sim.get(f"/v1/clusters/{cluster['name']}/events/{one}").status_code == 404
    assert sim.get(f"/v1/clusters/{cluster['uuid']}/events/{one}").status_code == 200


# ---------------------------------------------------------------- Flannel only by seeding (D5, D12, D15)
def test_cni_change_refused_on_calico_ebpf(sim, guide_2025):
    created = sim.create_cluster(cluster_body(labels__cni_driver="calico-ebpf"))
    response = sim.post(f"/v1/clusters/{created['uuid']}/actions/cni_update",
                        {"cni": "calico", "pod_cidr": "10.200.0.0/16"})
    assert response.status_code == 400 and "only from flannel" in detail(response)


def test_legacy_cluster_lacks_date_gated_labels_until_cni_change(sim, guide_2025):
    legacy = sim.seed_legacy()
    assert legacy["status"] == "CREATE_COMPLETE" and legacy["created_at"].startswith("2023-01-16")
    for key in ("cni_driver", "service_cluster_ip_range", "pods_network_cidr", "strict_sg_rules"):
        assert key not in legacy["labels"]
    path = f"/v1/clusters/{legacy['uuid']}"
    assert sim.post(f"{path}/actions/cni_update", {"cni": "calico", "pod_cidr": "10.200.0.0/16"}).status_code == 202
    labels = sim.wait_status(path, "UPDATE_COMPLETE")["labels"]
    assert labels["cni_driver"] == "calico" and labels["pods_network_cidr"] == "10.200.0.0/16"


def test_legacy_seeding_refuses_recent_dates(sim):
    response = sim.admin("POST", "/clusters/legacy", {"cluster": cluster_body(),
                                                      "created_at": "2023-03-31T00:00:00+00:00"})
    assert response.status_code == 400 and "before 2023-03-31" in detail(response)


# ---------------------------------------------------------------- service gateway change (D6, D27)
def test_sgw_change_refused_without_sgw_at_create(sim, cluster):
    response = sim.post(f"/v1/clusters/{cluster['uuid']}/actions/update_sgw", {"ncr_sgw": A, "obs_sgw": B})
    assert response.status_code == 400 and "created with one" in detail(response)


def test_sgw_change_checks_uuids(sim):
    created = sim.create_cluster(cluster_body(labels__obs_sgw=A))
    path = f"/v1/clusters/{created['uuid']}/actions/update_sgw"
    assert sim.post(path, {"ncr_sgw": "", "obs_sgw": ""}).status_code == 400
    assert sim.post(path, {"ncr_sgw": B, "obs_sgw": C}).status_code == 202


# ---------------------------------------------------------------- IP ACL enable false (D16)
def test_ipacl_disabled_ignores_other_settings(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/api_ep_ipacl"
    assert sim.post(path, {"enable": "false", "action": "BLOCK", "ipacl_targets": "junk"}).status_code == 200
    assert sim.post(path, {"enable": False, "ipacl_targets": [{"x": 1}]}).status_code == 200
    assert sim.get(path).json() == {"cluster_uuid": cluster["uuid"], "enable": "false"}
    assert sim.post(path, {"enable": "true", "action": "ALLOW", "ipacl_targets": "junk"}).status_code == 400


# ---------------------------------------------------------------- autoscaler answer types (D3), null max (D10)
def test_autoscale_values_knob_offers_strings(own_sim):
    sim = own_sim("--autoscale-values", "string")
    created = sim.create_cluster()
    body = sim.get(f"/v1/clusters/{created['uuid']}/nodegroups/default-worker/autoscale").json()
    assert body["ca_enable"] == "False" and body["ca_max_node_count"] == "10"


def test_max_node_count_null_while_autoscaler_off(sim):
    off = sim.create_cluster()
    ng = sim.get(f"/v1/clusters/{off['uuid']}/nodegroups/default-worker").json()
    assert ng["max_node_count"] is None and ng["min_node_count"] == 1
    on = sim.create_cluster(cluster_body(labels__ca_enable="true", labels__ca_max_node_count="5"))
    ng = sim.get(f"/v1/clusters/{on['uuid']}/nodegroups").json()["nodegroups"][0]
    assert ng["max_node_count"] == 5 and ng["min_node_count"] == 1


# ---------------------------------------------------------------- unknown attributes (D13)
def test_unknown_attributes_kept_by_default_refused_with_knob(own_sim):
    sim = own_sim()
    assert sim.post("/v1/clusters", {**cluster_body(), "create_timeot": 30}).status_code == 202
    sim.admin("PATCH", "/config", {"reject_unknown_attributes": True})
    assert own_sim("--reject-unknown-attributes").admin("GET", "/config").json()["reject_unknown_attributes"]
    refused = sim.post("/v1/clusters", {**cluster_body(), "create_timeot": 30})
    assert refused.status_code == 400 and "Unknown attribute(s): create_timeot" in detail(refused)
    assert sim.post("/v1/clusters", cluster_body()).status_code == 202


# ---------------------------------------------------------------- answers as in the examples (D20, D21)
def test_template_id_is_a_uuid_and_floating_ip_enabled_false(sim):
    created = sim.create_cluster(cluster_body(labels__master_lb_floating_ip_enabled="True"))
    assert created["cluster_template_id"] == "b4503d97-6012-499d-a31a-5200f94a7890"
    assert created["floating_ip_enabled"] is False
    assert created["labels"]["master_lb_floating_ip_enabled"] == "True"


# ---------------------------------------------------------------- resize removes nodes at random (D23)
def test_resize_removes_random_nodes():
    from nks_simulator.config import SimConfig
    from nks_simulator.state import Store

    store = Store(SimConfig())
    cluster = {"fixed_cidr": "192.168.0.0/24", "ip_next": 9, "nodegroups": {}}
    removed = set()
    # P(the last node is removed every time) = (1/3)^30 ~ 5e-15 < 1e-4
    for _ in range(30):
        ng = {"nodes": [{"uuid": u, "address": "", "status": "ACTIVE"} for u in "abc"], "node_count": 3}
        store._resize_nodes(cluster, ng, 2, [])
        removed |= set("abc") - {n["uuid"] for n in ng["nodes"]}
    assert removed != {"c"} and len(removed) >= 2


# ---------------------------------------------------------------- version header (D28, N5)
def test_missing_version_header_on_nodegroups_is_406(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups"
    headers = {"X-Auth-Token": sim.headers()["X-Auth-Token"]}
    response = requests_get(sim, path, headers)
    assert response.status_code == 406 and "OpenStack-API-Version" in detail(response)
    assert requests_get(sim, f"/v1/clusters/{cluster['uuid']}", headers).status_code == 200
    assert sim.get(path).status_code == 200


@pytest.mark.parametrize("policy,cluster_status,nodegroup_status", [("all", 406, 406), ("none", 200, 200)])
def test_require_api_version_knob(own_sim, policy, cluster_status, nodegroup_status):
    sim = own_sim("--require-api-version", policy)
    created = sim.create_cluster()
    headers = {"X-Auth-Token": sim.headers()["X-Auth-Token"]}
    assert requests_get(sim, f"/v1/clusters/{created['uuid']}", headers).status_code == cluster_status
    assert requests_get(sim, f"/v1/clusters/{created['uuid']}/nodegroups", headers).status_code == nodegroup_status


def requests_get(sim, path, headers):
    import requests

    return requests.get(sim.base + path, headers=headers, timeout=10)


# ---------------------------------------------------------------- trailing slash (N: no redirects)
def test_trailing_slash_answered_like_without(sim, cluster):
    plain = sim.get("/v1/clusters")
    slashed = sim.get("/v1/clusters/", allow_redirects=False)
    assert slashed.status_code == 200 and slashed.json() == plain.json()
    one = sim.get(f"/v1/clusters/{cluster['uuid']}/", allow_redirects=False)
    assert one.status_code == 200 and one.json()["uuid"] == cluster["uuid"]
    assert sim.post("/v1/clusters/", cluster_body(), allow_redirects=False).status_code == 202


# ---------------------------------------------------------------- key pair race (N3)
def test_keypair_missing_for_first_creates(own_sim):
    sim = own_sim("--keypair-missing-creates", "1")
    refused = sim.post("/v1/clusters", cluster_body())
    assert refused.status_code == 403 and detail(refused) == "Unable to find keypair test-keypair."
    assert sim.post("/v1/clusters", cluster_body()).status_code == 202


def test_keypair_missing_for_seconds_via_config_file(own_sim, tmp_path):
    config = tmp_path / "sim.yaml"
    config.write_text("keypair_missing_seconds: 0.5\n")
    sim = own_sim("--config", str(config))
    assert sim.post("/v1/clusters", cluster_body()).status_code == 403
    time.sleep(0.6)  # monotonic clock: past the 0.5 s window for certain
    assert sim.post("/v1/clusters", cluster_body()).status_code == 202


def test_keypair_knob_off_by_default_and_via_patch(own_sim):
    sim = own_sim()
    assert sim.post("/v1/clusters", cluster_body()).status_code == 202
    sim.admin("PATCH", "/config", {"keypair_missing_creates": 1})
    body = cluster_body(keypair="fresh-key")
    assert sim.post("/v1/clusters", body).status_code == 403
    assert sim.post("/v1/clusters", body).status_code == 202


# ---------------------------------------------------------------- /openapi.json (O1-O7)
def test_openapi_documents_real_errors(sim):
    schema = sim.session.get(sim.base + "/openapi.json", timeout=10).json()
    text = str(schema)
    assert "'422'" not in text and "HTTPValidationError" not in text
    create = schema["paths"]["/v1/clusters"]["post"]
    assert create["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/KeystoneError")
    assert create["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    token = [p for p in create["parameters"] if p["name"] == "x-auth-token"][0]
    assert token["required"] is True
    node_count = schema["components"]["schemas"]["ClusterCreate"]["properties"]["node_count"]["anyOf"]
    assert {"type": "integer"} in node_count and not any(t.get("type") in ("boolean", "number") for t in node_count)
    assert "/v1/clusters/{cluster_uuid}/events" in schema["paths"]
    assert set(schema["paths"]["/_sim/reset"]["post"]["responses"]) == {"200"}
    token_errors = schema["paths"]["/v2.0/tokens"]["post"]["responses"]
    assert set(token_errors) == {"200", "400", "401"}
    assert token_errors["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/KeystoneError")
    assert schema["components"]["schemas"]["CniUpdateRequest"]["required"] == ["cni", "pod_cidr"]


# ---------------------------------------------------------------- is_default as in the examples (D11)
def test_default_worker_is_not_is_default(sim, cluster):
    listed = sim.get(f"/v1/clusters/{cluster['uuid']}/nodegroups").json()["nodegroups"]
    assert [(g["name"], g["is_default"]) for g in listed] == [("default-worker", False)]


# ---------------------------------------------------------------- rolling fields on default-master (D19)
def test_rolling_fields_ignored_on_control_plane_checked_on_workers(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups"
    assert sim.post(f"{path}/default-worker/upgrade", {"version": "v1.27.3", "num_buffer_nodes": 99}
                    ).status_code == 400
    assert sim.post(f"{path}/default-master/upgrade", {"version": "v1.27.3", "num_buffer_nodes": 99}
                    ).status_code == 202


# ---------------------------------------------------------------- pod_cidr vs additional subnets (D31)
def test_cni_pod_cidr_must_not_overlap_additional_subnets(own_sim):
    sim = own_sim("--api-guide", "2025-02")
    subnets = sim.admin("GET", "/config").json()["subnets"]
    sim.admin("PATCH", "/config", {"subnets": {**subnets, C: "10.200.0.0/24"}})
    legacy = sim.seed_legacy(cluster_body(labels__additional_network_id_list=A,
                                          labels__additional_subnet_id_list=C))
    path = f"/v1/clusters/{legacy['uuid']}/actions/cni_update"
    refused = sim.post(path, {"cni": "calico", "pod_cidr": "10.200.0.0/16"})
    assert refused.status_code == 400 and "additional network subnet" in detail(refused)
    assert sim.post(path, {"cni": "calico", "pod_cidr": "10.210.0.0/16"}).status_code == 202
