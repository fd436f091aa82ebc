"""Every response field the guide documents is present, with the documented type."""

from __future__ import annotations

import pytest

from conftest import GUIDE_NODEGROUP

S, I, L, O, B = str, int, list, dict, bool
NULLABLE_S = (str, type(None))

CLUSTER_LABELS = {f"labels.{k}": S for k in (
    "kube_tag", "availability_zone", "node_image", "external_network_id", "external_subnet_id_list",
    "cert_manager_api", "master_lb_floating_ip_enabled", "strict_sg_rules", "additional_network_id_list",
    "additional_subnet_id_list", "cni_driver", "service_cluster_ip_range", "pods_network_cidr",
    "pods_network_subnet", "ncr_sgw", "obs_sgw", "term_of_validity", "certificate_expiry", "kube_version_status")}
CLUSTER_SUMMARY = {"uuid": S, "name": S, "flavor_id": S, "keypair": S, "node_count": I, "stack_id": S,
                   "status": S, "labels": O, **CLUSTER_LABELS,
                   # extras of the guide's example
                   "links": L, "health_status": S, "cluster_template_id": S, "create_timeout": I}
CLUSTER = {**CLUSTER_SUMMARY, "status_reason": NULLABLE_S, "api_address": S, "project_id": S,
           "fixed_network": S, "fixed_subnet": S, "node_addresses": L, "created_at": S, "updated_at": S,
           "coe_version": S, "user_id": S, "floating_ip_enabled": B, "health_status_reason": O}
EVENT = {"id": I, "uuid": S, "project_id": S, "cluster_uuid": S, "cluster_name": S, "resource_uuid": S,
         "resource_name": S, "resource_type": S, "type": S, "state": S, "contents": NULLABLE_S,
         "created_at": S, "updated_at": S}
NULLABLE_I = (int, type(None))
NG_SUMMARY = {"uuid": S, "flavor_id": S, "image_id": S, "max_node_count": NULLABLE_I, "min_node_count": I, "name": S,
              "node_count": I, "role": S, "stack_id": S, "status": S, "is_default": B}
NG_LABELS = {f"labels.{k}": S for k in (
    "availability_zone", "node_image", "boot_volume_type", "boot_volume_size", "boot_volume_key_id",
    "boot_volume_appkey", "external_network_id", "external_subnet_id_list", "cert_manager_api", "ca_enable",
    "ca_max_node_count", "ca_min_node_count", "ca_scale_down_enable", "ca_scale_down_unneeded_time",
    "ca_scale_down_util_thresh", "ca_scale_down_delay_after_add", "kube_tag", "user_script", "user_script_v2",
    "additional_network_id_list", "additional_subnet_id_list", "strict_sg_rules", "kube_version_status")}
NODEGROUP = {**NG_SUMMARY, "cluster_id": S, "labels": O, **NG_LABELS, "node_addresses": L, "project_id": S,
             "status_reason": NULLABLE_S, "created_at": S, "updated_at": S, "links": L, "id": I}
# the guide's example types (autoscale_values: json, the default)
AUTOSCALE = {"ca_enable": B, "ca_scale_down_enable": B, **{k: I for k in (
    "ca_max_node_count", "ca_min_node_count", "ca_scale_down_unneeded_time", "ca_scale_down_util_thresh",
    "ca_scale_down_delay_after_add")}}
UUID = {"uuid": S}


def check(body, table):
    for field, kind in table.items():
        value = body
        for part in field.split("."):
            assert isinstance(value, dict) and part in value, f"missing {field}"
            value = value[part]
        assert isinstance(value, kind), f"{field}: {value!r} is not {kind}"


@pytest.fixture(scope="module")
def full(sim):
    created = sim.create_cluster()
    path = f"/v1/clusters/{created['uuid']}"
    ng = sim.post(f"{path}/nodegroups", GUIDE_NODEGROUP)
    sim.wait_status(path, "UPDATE_COMPLETE")
    return created, path, ng


def test_cluster_fields(sim, full):
    created, path, _ = full
    listed = [c for c in sim.get("/v1/clusters").json()["clusters"] if c["uuid"] == created["uuid"]][0]
    check(listed, CLUSTER_SUMMARY)
    check(sim.get(path).json(), CLUSTER)
    assert all(isinstance(a, str) for a in sim.get(path).json()["node_addresses"])


def test_event_fields(sim, full):
    _, path, _ = full
    events = sim.get(f"{path}/events").json()["events"]
    for event in events:
        check(event, EVENT)
    check(sim.get(f"{path}/events/{events[0]['uuid']}").json(), EVENT)


def test_nodegroup_fields(sim, full):
    _, path, created = full
    assert created.status_code == 202
    check(created.json(), {k: v for k, v in NODEGROUP.items() if k not in ("status_reason",)})
    for item in sim.get(f"{path}/nodegroups").json()["nodegroups"]:
        check(item, NG_SUMMARY)
        check(sim.get(f"{path}/nodegroups/{item['uuid']}").json(), NODEGROUP)
    check(sim.get(f"{path}/nodegroups/default-worker/autoscale").json(), AUTOSCALE)


def test_small_bodies(sim, full):
    created, path, _ = full
    check(sim.get(f"{path}/config").json(), {"config": S})
    check(sim.get(f"{path}/api_ep_ipacl").json(), {"cluster_uuid": S, "enable": S})
    supports = sim.get("/v1/supports").json()
    # 2026-03 guide: a flat map of task types (2025-02: cluster_events / nodegroup_events, test_guides.py)
    check(supports, {"supported_k8s": O, "supported_event_type": O, "supported_event_type.CLUSTER_CREATE": S,
                     "supported_event_type.NODEGROUP_UPDATE_K8S_NODE_LABELS": S})
    assert all(isinstance(v, bool) for v in supports["supported_k8s"].values())
    for response in (sim.post(f"{path}/actions/resize", {"nodegroup": "default-worker", "node_count": 2}),):
        check(response.json(), UUID)


def test_openapi_describes_the_guide(sim):
    spec = sim.session.get(f"{sim.base}/openapi.json", timeout=5).json()
    summaries = {op["summary"] for item in spec["paths"].values() for op in item.values()}
    for section in ("List Clusters", "Get a Cluster", "Create a Cluster", "Delete a Cluster", "Resize",
                    "Get kubeconfig of a Cluster", "Change Cluster CNI",
                    "Enforce IP Access Control to Cluster API Endpoints",
                    "Get Cluster API Endpoint IP Access Control", "Renew Cluster Certificate",
                    "Change Service Gateway", "View Task History List", "View Task History", "List Node Groups",
                    "Get a Node Group", "Create a Node Group", "Delete a Node Group", "Stop a Node Group",
                    "Start a Node", "View Autoscaler Configuration of a Node Group",
                    "Change Autoscaler Configuration of a Node Group", "Upgrade a Cluster", "Change User Script",
                    "Change Instance Flavor", "See the Supported Kubernetes Versions",
                    "Store Logs of Kubernetes Control Plane Components"):
        assert section in summaries
    # the 2025 guide's 25 routes (Change Cluster CNI kept for api_guide 2025-02) and the 2026 guide's
    # PATCH of a cluster (its 3 new node group operations share the PATCH of Change Instance Flavor),
    # plus Magnum's /v1 version document and two .../detail lists
    magnum = {"/v1", "/v1/clusters/detail", "/v1/clusters/{cluster_id}/nodegroups/detail"}
    # and the 2026-03 guide's 9 Add-on Management operations (test_addons.py)
    assert sum(len(item) for p, item in spec["paths"].items() if p.startswith("/v1") and p not in magnum) == 26 + 9
    assert "ClusterCreate" in spec["components"]["schemas"]
