"""The guide's input rules: one refused and one accepted case each."""

from __future__ import annotations

import uuid

import pytest

from conftest import GUIDE_NODEGROUP, cluster_body, unique
from nks_simulator import rules
from nks_simulator.errors import ApiError

FLAVOR = "9c7e8a52-0c3b-4e7e-a4f6-3f1c1c8e2b11"
NO_EXT = {"labels__external_network_id": None, "labels__external_subnet_id_list": None}

CREATE_CASES = [
    # (id, changes, expected status)
    ("name-uppercase", {"name": "Bad-Name"}, 400),
    ("name-starts-with-digit", {"name": "1abc"}, 400),
    ("name-ends-with-dash", {"name": "abc-"}, 400),
    ("name-33-chars", {"name": "a" * 33}, 400),
    ("name-uuid-shaped", {"name": str(uuid.uuid4())}, 400),
    ("name-trailing-newline", {"name": "abc\n"}, 400),
    ("name-32-chars-ok", {"name": "x" * 32}, 202),
    ("name-32-hex-is-uuid-like", {"name": uuid.uuid4().hex}, 400),
    ("template-wrong", {"cluster_template_id": "k8s"}, 400),
    ("cert-manager-false", {"labels__cert_manager_api": "False"}, 400),
    ("cert-manager-lowercase-true-ok", {"labels__cert_manager_api": "true"}, 202),
    ("floating-ip-without-external", {"labels__master_lb_floating_ip_enabled": "True", **NO_EXT}, 400),
    ("no-floating-ip-without-external-ok", {"labels__master_lb_floating_ip_enabled": "False", **NO_EXT}, 202),
    ("kube-tag-unsupported", {"labels__kube_tag": "v1.23.3"}, 400),
    ("kube-tag-unknown", {"labels__kube_tag": "v1.99.0"}, 400),
    ("kube-tag-latest-ok", {"labels__kube_tag": "v1.29.3"}, 202),
    ("node-count-0", {"node_count": 0}, 400),
    ("node-count-11", {"node_count": 11}, 400),
    ("node-count-10-ok", {"node_count": 10}, 202),
    ("missing-node-image", {"labels__node_image": None}, 400),
    ("missing-flavor", {"flavor_id": None}, 400),
    ("missing-kube-tag", {"labels__kube_tag": None}, 400),
    ("missing-fixed-subnet", {"fixed_subnet": None}, 400),
    ("pods-link-local", {"labels__pods_network_cidr": "169.254.0.0/16"}, 400),
    ("pods-nks-internal", {"labels__pods_network_cidr": "198.18.0.0/24"}, 400),
    ("pods-overlaps-fixed-subnet", {"labels__pods_network_cidr": "192.168.0.0/16"}, 400),
    ("pods-slash-26", {"labels__pods_network_cidr": "10.100.0.0/26", "labels__pods_network_subnet": "28"}, 400),
    ("pods-not-a-cidr", {"labels__pods_network_cidr": "10.100.0.0/33"}, 400),
    ("service-overlaps-pods", {"labels__service_cluster_ip_range": "10.100.0.0/16"}, 400),
    ("service-link-local", {"labels__service_cluster_ip_range": "169.254.0.0/20"}, 400),
    ("service-slash-30", {"labels__service_cluster_ip_range": "10.254.0.0/30"}, 400),
    ("custom-networks-ok", {"labels__pods_network_cidr": "10.200.0.0/16",
                            "labels__service_cluster_ip_range": "10.96.0.0/16"}, 202),
    ("docker-bip-ok-on-new-versions", {"labels__pods_network_cidr": "172.17.0.0/16"}, 202),
    ("pod-subnet-19", {"labels__pods_network_subnet": 19}, 400),
    ("pod-subnet-29", {"labels__pods_network_subnet": 29}, 400),
    ("pod-subnet-below-prefix-plus-2", {"labels__pods_network_cidr": "10.100.0.0/23",
                                        "labels__pods_network_subnet": 24}, 400),
    ("pod-subnet-guide-normal-example-ok", {"labels__pods_network_cidr": "10.100.0.0/22",
                                            "labels__pods_network_subnet": 24}, 202),
    ("cni-unknown", {"labels__cni_driver": "weave"}, 400),
    ("cni-flannel-not-offered", {"labels__cni_driver": "flannel"}, 400),
    ("cni-ebpf-ok", {"labels__cni_driver": "calico-ebpf"}, 202),
    ("autoscale-min-above-max", {"labels__ca_min_node_count": "5", "labels__ca_max_node_count": "2"}, 400),
    ("autoscale-max-11", {"labels__ca_max_node_count": "11"}, 400),
]


@pytest.mark.parametrize("changes,expected", [c[1:] for c in CREATE_CASES], ids=[c[0] for c in CREATE_CASES])
def test_create_cluster_rules(sim, changes, expected):
    body = cluster_body(**{k: v for k, v in changes.items() if k != "name"})
    if "name" in changes:
        body["name"] = changes["name"]
    response = sim.post("/v1/clusters", body)
    assert response.status_code == expected, response.text
    if expected == 400:
        error = response.json()["errors"][0]
        assert error["status"] == 400 and error["title"] == "Bad Request" and error["detail"]


def test_docker_bip_rule_for_old_versions(own_sim):
    sim = own_sim("--supported-versions", "v1.23.3=true")
    refused = sim.post("/v1/clusters", cluster_body(labels__kube_tag="v1.23.3",
                                                    labels__pods_network_cidr="172.17.0.0/16"))
    assert refused.status_code == 400 and "172.17.0.0/16" in refused.json()["errors"][0]["detail"]
    accepted = sim.post("/v1/clusters", cluster_body(labels__kube_tag="v1.23.3"))
    assert accepted.status_code == 202


def test_duplicate_cluster_name_is_409(sim):
    body = cluster_body()
    assert sim.post("/v1/clusters", body).status_code == 202
    assert sim.post("/v1/clusters", body).status_code == 409


def test_duplicate_names_allowed_make_get_by_name_ambiguous(own_sim):
    sim = own_sim("--allow-duplicate-cluster-names")
    body = cluster_body()
    first = sim.post("/v1/clusters", body).json()["uuid"]
    assert sim.post("/v1/clusters", body).status_code == 202
    assert sim.get(f"/v1/clusters/{body['name']}").status_code == 409
    assert sim.get(f"/v1/clusters/{first}").status_code == 200


CNI_CASES = [
    ("cni-not-calico", {"cni": "cilium", "pod_cidr": "10.200.0.0/16"}, 400),
    ("pod-cidr-missing", {"cni": "calico"}, 400),
    ("pod-cidr-link-local", {"cni": "calico", "pod_cidr": "169.254.0.0/16"}, 400),
    ("pod-cidr-overlaps-service", {"cni": "calico", "pod_cidr": "10.254.0.0/16"}, 400),
    ("pod-cidr-nks-internal", {"cni": "calico", "pod_cidr": "198.18.0.0/20"}, 400),
    ("pod-cidr-overlaps-vpc-subnet", {"cni": "calico", "pod_cidr": "192.168.0.0/20"}, 400),
    ("pod-cidr-overlaps-current-pods", {"cni": "calico", "pod_cidr": "10.100.0.0/16"}, 400),
    ("pod-cidr-slash-26", {"cni": "calico", "pod_cidr": "10.200.0.0/26", "pod_subnet": "28"}, 400),
    ("pod-subnet-29", {"cni": "calico", "pod_cidr": "10.200.0.0/16", "pod_subnet": "29"}, 400),
    ("pod-subnet-below-prefix-plus-2", {"cni": "calico", "pod_cidr": "10.200.0.0/20", "pod_subnet": "21"}, 400),
    ("buffer-nodes-negative", {"cni": "calico", "pod_cidr": "10.200.0.0/16", "num_buffer_nodes": -1}, 400),
    ("max-unavailable-0", {"cni": "calico", "pod_cidr": "10.200.0.0/16", "num_max_unavailable_nodes": 0}, 400),
]


@pytest.fixture(scope="module")
def flannel_cluster(sim):
    return sim.seed_legacy()


@pytest.mark.parametrize("body,expected", [c[1:] for c in CNI_CASES], ids=[c[0] for c in CNI_CASES])
def test_cni_rules_refused(sim, guide_2025, flannel_cluster, body, expected):
    response = sim.post(f"/v1/clusters/{flannel_cluster['uuid']}/actions/cni_update", body)
    assert response.status_code == expected, response.text


def test_cni_rules_accepted(sim, guide_2025):
    created = sim.seed_legacy()
    body = {"cni": "calico", "pod_cidr": "10.200.0.0/22", "pod_subnet": "24"}
    assert sim.post(f"/v1/clusters/{created['uuid']}/actions/cni_update", body).status_code == 202


@pytest.mark.parametrize("body,expected", [
    ({"nodegroup": "default-worker", "node_count": 0}, 400),
    ({"nodegroup": "default-worker", "node_count": 11}, 400),
    ({"nodegroup": "default-master", "node_count": 2}, 400),
    ({"nodegroup": "nope", "node_count": 2}, 404),
    ({"nodegroup": "default-worker", "node_count": 1, "nodes_to_remove": [str(uuid.uuid4())]}, 400),
    ({"node_count": 2}, 400),
    ({"nodegroup": "default-worker", "node_count": 10}, 202),
], ids=["zero", "above-quota", "control-plane", "unknown-group", "unknown-node", "missing-nodegroup", "ok-10"])
def test_resize_rules(sim, cluster, body, expected):
    response = sim.post(f"/v1/clusters/{cluster['uuid']}/actions/resize", body)
    assert response.status_code == expected, response.text


def test_nodegroup_create_rules(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups"
    assert sim.post(path, {**GUIDE_NODEGROUP, "name": "Bad_Name"}).status_code == 400
    assert sim.post(path, {**GUIDE_NODEGROUP, "name": "default-worker"}).status_code == 409
    assert sim.post(path, {**GUIDE_NODEGROUP, "node_count": 11}).status_code == 400
    assert sim.post(path, {**GUIDE_NODEGROUP, "labels": {"availability_zone": "kr2-pub-b"}}).status_code == 400
    assert sim.post(path, {**GUIDE_NODEGROUP, "name": "ng-" + uuid.uuid4().hex[:8]}).status_code == 202
    # the cluster is now UPDATE_IN_PROGRESS: a second node group is refused until it completes
    sim.wait_status(f"/v1/clusters/{cluster['uuid']}", "UPDATE_COMPLETE")
    assert sim.post(path, {**GUIDE_NODEGROUP, "name": "ng-second"}).status_code == 202


def test_delete_default_nodegroup_is_400(sim, cluster):
    for name in ("default-worker", "default-master"):
        response = sim.delete(f"/v1/clusters/{cluster['uuid']}/nodegroups/{name}")
        assert response.status_code == 400, response.text


@pytest.mark.parametrize("body,expected", [
    ({"ca_enable": True, "ca_min_node_count": 0, "ca_max_node_count": 5}, 400),
    ({"ca_enable": True, "ca_min_node_count": 1, "ca_max_node_count": 11}, 400),
    ({"ca_enable": True, "ca_min_node_count": 6, "ca_max_node_count": 5}, 400),
    ({"ca_enable": "maybe"}, 400),
    ({"ca_max_node_count": 5}, 400),
    ({"ca_enable": "True", "ca_min_node_count": "2", "ca_max_node_count": "5"}, 202),
], ids=["min-0", "max-11", "min-above-max", "bad-bool", "missing-ca-enable", "ok"])
def test_autoscale_rules(sim, cluster, body, expected):
    response = sim.post(f"/v1/clusters/{cluster['uuid']}/nodegroups/default-worker/autoscale", body)
    assert response.status_code == expected, response.text


@pytest.mark.parametrize("years,expected", [(0, 400), (6, 400), (1, 202), (5, 202)])
def test_certificate_rules(sim, cluster, years, expected):
    assert sim.patch(f"/v1/certificates/{cluster['uuid']}", {"term_of_validity": years}).status_code == expected


@pytest.mark.parametrize("body,expected", [
    ({"type": "image_id", "flavor_id": FLAVOR}, 400),
    ({"type": "flavor_id", "flavor_id": FLAVOR, "num_buffer_nodes": 10}, 400),
    ({"type": "flavor_id", "flavor_id": FLAVOR, "num_max_unavailable_nodes": 2}, 400),
    ({"type": "flavor_id", "flavor_id": FLAVOR, "num_buffer_nodes": 9, "num_max_unavailable_nodes": 1}, 202),
], ids=["wrong-type", "buffer-above-quota-room", "unavailable-above-count", "ok"])
def test_flavor_rules(sim, cluster, body, expected):
    response = sim.patch(f"/v1/clusters/{cluster['uuid']}/nodegroups/default-worker", body)
    assert response.status_code == expected, response.text


def test_upgrade_rules(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}/nodegroups"
    up = lambda ng, v: sim.post(f"{path}/{ng}/upgrade", {"version": v})  # noqa: E731
    assert up("default-worker", "v1.27.3").status_code == 400  # worker above control plane
    assert up("default-master", "v1.28.3").status_code == 400  # two minors
    assert up("default-master", "v1.26.3").status_code == 400  # same version
    assert up("default-master", "v1.25.4").status_code == 400  # downgrade (and unsupported)
    assert up("default-master", "v1.30.3").status_code == 400  # not in supports
    assert up("default-master", "v1.27.3").status_code == 202
    sim.wait_status(f"/v1/clusters/{cluster['uuid']}", "UPDATE_COMPLETE")
    assert up("default-master", "v1.28.3").status_code == 400  # workers must catch up first
    nodes = sim.nodes(cluster["uuid"], "default-worker")
    assert sim.post(f"{path}/default-worker/stop_node", {"node_list": nodes[0]["uuid"]}).status_code == 202
    sim.wait_status(f"{path}/default-worker", "UPDATE_COMPLETE")
    assert up("default-worker", "v1.27.3").status_code == 400  # stopped nodes
    assert sim.post(f"{path}/default-worker/start_node", {"node_list": nodes[0]["uuid"]}).status_code == 202
    sim.wait_status(f"{path}/default-worker", "UPDATE_COMPLETE")
    assert up("default-worker", "v1.27.3").status_code == 202
    sim.wait_status(f"{path}/default-worker", "UPDATE_COMPLETE")
    assert up("default-master", "v1.28.3").status_code == 202


def test_supported_version_added_by_flag(own_sim):
    sim = own_sim("--supported-versions", "v1.30.3=true")
    assert sim.get("/v1/supports").json()["supported_k8s"]["v1.30.3"] is True
    created = sim.create_cluster(cluster_body(labels__kube_tag="v1.29.3"))
    assert created["labels"]["kube_version_status"] == "NEED_UPGRADE"
    latest = sim.create_cluster(cluster_body(labels__kube_tag="v1.30.3"))
    assert latest["labels"]["kube_version_status"] == "LATEST"


def test_action_while_in_progress_is_400(sim):
    created = sim.create_cluster()
    path = f"/v1/clusters/{created['uuid']}"
    with sim.hold():  # the resize stays in progress whatever the machine's load
        assert sim.post(f"{path}/actions/resize", {"nodegroup": "default-worker", "node_count": 2}).status_code == 202
        for method, sub, body in [
            ("POST", "/actions/resize", {"nodegroup": "default-worker", "node_count": 3}),
            ("PATCH", "/nodegroups/default-worker", {"type": "flavor_id", "flavor_id": FLAVOR}),
            ("POST", "/nodegroups/default-master/upgrade", {"version": "v1.27.3"}),
            ("DELETE", "", None),
        ]:
            response = sim.call(method, path + sub, json=body)
            assert response.status_code == 400, (sub, response.text)
            assert "wrong state" in response.json()["errors"][0]["detail"]
        assert sim.patch(f"/v1/certificates/{created['uuid']}", {"term_of_validity": 1}).status_code == 400
    assert sim.wait_status(path, "UPDATE_COMPLETE")["node_count"] == 2


def test_rules_unit():
    with pytest.raises(ApiError):
        rules.check_name("-abc")
    rules.check_name("a")
    assert rules.version_status("v1.29.3", {"v1.29.3": True}) == "LATEST"
    assert rules.version_status("v1.28.3", {"v1.29.3": True}) == "NEED_UPGRADE"
    assert rules.version_status("v1.28.3", {"v1.29.3": False}) == "LATEST"
    out = rules.check_create_networks("192.168.0.0/24", {}, "v1.26.3")
    assert out == {"pods_network_cidr": "10.100.0.0/16", "service_cluster_ip_range": "10.254.0.0/16",
                   "pods_network_subnet": "24"}
    with pytest.raises(ApiError):
        rules.check_create_networks("172.17.5.0/24", {}, "v1.23.3")
    rules.check_create_networks("172.17.5.0/24", {}, "v1.24.3")


def test_unknown_subnet_uses_default_cidr(sim):
    created = sim.create_cluster(cluster_body(fixed_subnet=str(uuid.uuid4())))
    assert all(a.startswith("192.168.0.") for a in created["node_addresses"])
    assert unique()
