# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_views.py on the guide's own example objects.

The JSON below is copied from the NKS API v2 guide (Get a Cluster, List
Clusters, Get a Node Group, List Node Groups, Create a Node Group). One fix:
the guide's Get a Cluster example has ``"health_status_reason": {{...}}``,
which is not JSON; the inner braces are dropped.
"""

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._labels import (
    CLUSTER_LABELS,
    to_labels,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._views import (
    cluster_view,
    event_view,
    nodegroup_view,
)

MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

GET_CLUSTER = json.loads("""
{
    "api_address": "https://2b778d83-kr2-k8s.container.cloud.toast.com:6443",
    "cluster_template_id": "b4503d97-6012-499d-a31a-5200f94a7890",
    "coe_version": "v1.23.3",
    "container_version": "1.12.6",
    "create_timeout": 60,
    "created_at": "2021-08-05T01:48:39+00:00",
    "docker_volume_size": null,
    "fixed_network": "eb212079-b6ec-430c-ba57-14280a457bcb",
    "fixed_subnet": "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90",
    "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f",
    "floating_ip_enabled": false,
    "health_status": "HEALTHY",
    "health_status_reason": {
        "test-k8s-default-w-bnga636xulqk-node-0.Ready": "True", "api": "ok"
    },
    "keypair": "test-keypair",
    "labels": {
        "availability_zone": "kr2-pub-b",
        "cert_manager_api": "True",
        "clusterautoscale": "nodegroupfeature",
        "etcd_volume_size": "10",
        "external_network_id": "751b8227-7b45-440a-9349-dbf829d0aba5",
        "external_subnet_id_list": "59ddc195-76b1-431d-9693-f09880747dc6",
        "flavor_type": "core",
        "hypervisor_type": "qemu",
        "kube_tag": "v1.23.3",
        "kube_version_status": "NEED_UPGRADE",
        "login_username": "centos",
        "master_lb_floating_ip_enabled": "true",
        "strict_sg_rules": "True",
        "node_image": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc",
        "os_arch": "amd64",
        "os_distro": "CentOS",
        "os_type": "linux",
        "os_version": "7.8",
        "project_domain": "NORMAL",
        "server_group_meta": "k8s_2b778d83-8b67-45b1-920e-b0c5ad5c2f30_561c3f55-a23f-4e1a-b2fa-a5459b2c0575",
        "service_cluster_ip_range": "10.254.0.0/16",
        "pods_network_cidr" : "10.100.0.0/16",
        "pods_network_subnet" : "24"
    },
    "links": [
        {
            "href": "https://kr2-api-kubernetes-infrastructure.nhncloudservice.com/v1/clusters/2b778d83-8b67-45b1-920e-b0c5ad5c2f30",
            "rel": "self"
        },
        {
            "href": "https://kr2-api-kubernetes-infrastructure.nhncloudservice.com/clusters/2b778d83-8b67-45b1-920e-b0c5ad5c2f30",
            "rel": "bookmark"
        }
    ],
    "name": "test-k8s",
    "node_addresses": [
        "192.168.0.5"
    ],
    "node_count": 1,
    "project_id": "1ffeaca9bbf94ab1aa9cffdec29a258a",
    "stack_id": "7f497472-9729-4b89-9124-1c097335b856",
    "status": "CREATE_COMPLETE",
    "status_reason": null,
    "updated_at": "2021-08-05T04:39:49+00:00",
    "user_id": "12ba32bebc414c4992a2c9be3952a64c",
    "uuid": "2b778d83-8b67-45b1-920e-b0c5ad5c2f30"
}
""")

LIST_CLUSTERS_ITEM = json.loads("""
{
    "cluster_template_id": "b4503d97-6012-499d-a31a-5200f94a7890",
    "create_timeout": 60,
    "docker_volume_size": null,
    "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f",
    "health_status": "HEALTHY",
    "keypair": "testkeypair",
    "labels": {
        "availability_zone": "kr2-pub-b",
        "cert_manager_api": "True",
        "clusterautoscale": "nodegroupfeature",
        "etcd_volume_size": "10",
        "external_network_id": "751b8227-7b45-440a-9349-dbf829d0aba5",
        "external_subnet_id_list": "59ddc195-76b1-431d-9693-f09880747dc6",
        "flavor_type": "core",
        "hypervisor_type": "qemu",
        "kube_tag": "v1.23.3",
        "login_username": "centos",
        "master_lb_floating_ip_enabled": "true",
        "strict_sg_rules": "True",
        "node_image": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc",
        "os_arch": "amd64",
        "os_distro": "CentOS",
        "os_type": "linux",
        "os_version": "7.8",
        "project_domain": "NORMAL",
        "server_group_meta": "k8s_2b778d83-8b67-45b1-920e-b0c5ad5c2f30_561c3f55-a23f-4e1a-b2fa-a5459b2c0575",
        "service_cluster_ip_range": "10.254.0.0/16",
        "pods_network_cidr" : "10.100.0.0/16",
        "pods_network_subnet" : "24"
    },
    "name": "k8s-test",
    "node_count": 1,
    "stack_id": "7f497472-9729-4b89-9124-1c097335b856",
    "status": "CREATE_COMPLETE",
    "uuid": "2b778d83-8b67-45b1-920e-b0c5ad5c2f30"
}
""")

GET_NODEGROUP = json.loads("""
{
    "cluster_id": "96742ac4-02e7-4b1d-a242-02876c0bd3f8",
    "created_at": "2021-10-23T10:06:19+00:00",
    "docker_volume_size": null,
    "flavor_id": "069bdcff-e9b6-42c8-83ce-4c743ea30394",
    "id": 2697,
    "image_id": "96aff4ab-d221-4688-8364-2fcf02d50547",
    "is_default": false,
    "labels": {
        "availability_zone": "",
        "boot_volume_size": "20",
        "boot_volume_type": "General HDD",
        "ca_enable": "True",
        "ca_image": "k8s.gcr.io/autoscaling/cluster-autoscaler:v1.19.0",
        "ca_max_node_count": "10",
        "ca_min_node_count": "2",
        "ca_scale_down_delay_after_add": "10",
        "ca_scale_down_enable": "True",
        "ca_scale_down_unneeded_time": "10",
        "ca_scale_down_util_thresh": "50",
        "cert_manager_api": "true",
        "clusterautoscale": "nodegroupfeature",
        "external_network_id": "751b8227-7b45-440a-9349-dbf829d0aba5",
        "external_subnet_id_list": "59ddc195-76b1-431d-9693-f09880747dc6",
        "flavor_type": "memory",
        "hypervisor_type": "qemu",
        "kube_tag": "v1.19.13",
        "kube_version_status": "LATEST",
        "login_username": "centos",
        "master_lb_floating_ip_enabled": "true",
        "strict_sg_rules": "True",
        "node_image": "96aff4ab-d221-4688-8364-2fcf02d50547",
        "os_arch": "amd64",
        "os_distro": "CentOS",
        "os_type": "linux",
        "os_version": "7.8",
        "project_domain": "NORMAL",
        "server_group_meta": "k8s_96742ac4-02e7-4b1d-a242-02876c0bd3f8_018b06c5-1293-4081-8242-167a1cb9f262"
    },
    "max_node_count": 10,
    "min_node_count": 2,
    "name": "default-worker",
    "node_addresses": [
        "192.168.0.40",
        "192.168.0.19"
    ],
    "node_count": 2,
    "project_id": "1ffeaca9bbf94ab1aa9cffdec29a258a",
    "role": "worker",
    "stack_id": "f04c157a-78e3-4bfc-a83e-fbe7c01ab616",
    "status": "UPDATE_COMPLETE",
    "status_reason": "Stack UPDATE completed successfully",
    "updated_at": "2021-10-28T02:13:15+00:00",
    "uuid": "018b06c5-1293-4081-8242-167a1cb9f262",
    "version": null
}
""")

LIST_NODEGROUPS_ITEM = json.loads("""
{
    "flavor_id": "069bdcff-e9b6-42c8-83ce-4c743ea30394",
    "image_id": "96aff4ab-d221-4688-8364-2fcf02d50547",
    "is_default": false,
    "max_node_count": 10,
    "min_node_count": 1,
    "name": "default-worker",
    "node_count": 2,
    "role": "worker",
    "stack_id": "f04c157a-78e3-4bfc-a83e-fbe7c01ab616",
    "status": "UPDATE_COMPLETE",
    "uuid": "018b06c5-1293-4081-8242-167a1cb9f262"
}
""")

CREATE_NODEGROUP_ANSWER = json.loads("""
{
    "cluster_id": "96742ac4-02e7-4b1d-a242-02876c0bd3f8",
    "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f",
    "image_id": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc",
    "labels": {
        "availability_zone": "kr2-pub-b",
        "boot_volume_size": "20",
        "boot_volume_type": "General HDD",
        "ca_enable": "false",
        "ca_max_node_count": "10",
        "ca_min_node_count": "1",
        "ca_scale_down_enable": "true",
        "ca_scale_down_unneeded_time": "10",
        "ca_scale_down_util_thresh": "50",
        "clusterautoscale": "nodegroupfeature",
        "user_script_v2": ""
    },
    "max_node_count": null,
    "min_node_count": 1,
    "name": "added-nodegroup",
    "node_count": 1,
    "project_id": "1ffeaca9bbf94ab1aa9cffdec29a258a",
    "role": "worker",
    "uuid": "a3366f2f-a1f3-45ef-8390-10536e8060ff"
}
""")

# The Create a Cluster example's extra volume, with the guide's optional secrets filled in.
BOOT_APPKEY = "boot-appkey-SECRET-1"
VOLUME_APPKEY = "volume-appkey-SECRET-2"
SECRET_LABELS = {
    "boot_volume_key_id": "key-boot",
    "boot_volume_appkey": BOOT_APPKEY,
    "extra_security_groups": [{
        "target_subnet": "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90",
        "security_group_ids": "8669cca4-7904-4dc6-b1be-db49661cedb6,fa69d78d-bd04-4ab0-9ce6-c92a84b899c2",
    }],
    "extra_volumes": [
        {"volume_type": "General HDD", "volume_size": 100},
        {"volume_type": "General SSD", "volume_size": "50", "volume_key_id": "key-vol",
         "volume_appkey": VOLUME_APPKEY, "volume_mount_path": "/data"},
    ],
}


def with_secrets(example):
    obj = copy.deepcopy(example)
    obj["labels"].update(copy.deepcopy(SECRET_LABELS))
    return obj


def assert_no_secret(view):
    text = json.dumps(view)
    assert BOOT_APPKEY not in text
    assert VOLUME_APPKEY not in text


# -- clusters -----------------------------------------------------------------

def test_cluster_view_of_get_a_cluster():
    original = copy.deepcopy(GET_CLUSTER)
    view = cluster_view(GET_CLUSTER)
    assert GET_CLUSTER == original
    expected = {
        "uuid": "2b778d83-8b67-45b1-920e-b0c5ad5c2f30",
        "name": "test-k8s",
        "status": "CREATE_COMPLETE",
        "status_reason": None,
        "api_address": "https://2b778d83-kr2-k8s.container.cloud.toast.com:6443",
        "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f",
        "keypair": "test-keypair",
        "fixed_network": "eb212079-b6ec-430c-ba57-14280a457bcb",
        "fixed_subnet": "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90",
        "stack_id": "7f497472-9729-4b89-9124-1c097335b856",
        "project_id": "1ffeaca9bbf94ab1aa9cffdec29a258a",
        "health_status": "HEALTHY",
        "created_at": "2021-08-05T01:48:39+00:00",
        "updated_at": "2021-08-05T04:39:49+00:00",
        "node_count": 1,
        "node_addresses": ["192.168.0.5"],
        "kube_version": "v1.23.3",
        "availability_zone": "kr2-pub-b",
        "node_image": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc",
        "external_network_id": "751b8227-7b45-440a-9349-dbf829d0aba5",
        "external_subnet_ids": ["59ddc195-76b1-431d-9693-f09880747dc6"],
        "master_lb_floating_ip": True,
        "strict_sg_rules": True,
        "service_cluster_ip_range": "10.254.0.0/16",
        "pods_network_cidr": "10.100.0.0/16",
        "pods_network_subnet": 24,
        "autoscale": {},
        "node_labels": {},
        "floating_ip": {},
        "metric_autoscale": {},
        "platform_version": GET_CLUSTER["labels"].get("platform_version"),
        "health_status_reason": GET_CLUSTER.get("health_status_reason"),
        "kube_version_status": "NEED_UPGRADE",
        "certificate_expiry": None,
        "term_of_validity": None,
        "labels": GET_CLUSTER["labels"],
    }
    assert view == expected
    assert view["labels"] is not GET_CLUSTER["labels"]


def test_cluster_view_types():
    view = cluster_view(GET_CLUSTER)
    for key in ("node_count", "pods_network_subnet"):
        assert isinstance(view[key], int) and not isinstance(view[key], bool)
    assert view["master_lb_floating_ip"] is True
    assert view["strict_sg_rules"] is True
    assert isinstance(view["external_subnet_ids"], list)
    assert isinstance(view["node_addresses"], list)


def test_cluster_view_of_list_clusters_item():
    view = cluster_view(LIST_CLUSTERS_ITEM)
    assert view["name"] == "k8s-test"
    assert view["node_count"] == 1
    assert view["node_addresses"] == []
    assert view["api_address"] is None
    assert view["kube_version"] == "v1.23.3"
    assert view["kube_version_status"] is None
    assert view["master_lb_floating_ip"] is True


def test_cluster_view_autoscale_and_certificate_labels():
    obj = copy.deepcopy(GET_CLUSTER)
    obj["node_count"] = "3"
    obj["labels"].update({"ca_enable": "true", "ca_min_node_count": "1", "ca_max_node_count": "5",
                          "term_of_validity": "5", "certificate_expiry": "2026-08-05 01:48:39",
                          "additional_network_id_list": "n1:n2", "user_script_v2": ""})
    view = cluster_view(obj)
    assert view["node_count"] == 3
    assert view["autoscale"] == {"enabled": True, "min_node_count": 1, "max_node_count": 5}
    assert view["term_of_validity"] == 5
    assert view["certificate_expiry"] == "2026-08-05 01:48:39"
    assert view["additional_network_ids"] == ["n1", "n2"]
    assert view["user_script"] == ""


def test_cluster_view_masks_appkeys():
    obj = with_secrets(GET_CLUSTER)
    original = copy.deepcopy(obj)
    view = cluster_view(obj)
    assert obj == original  # the API object keeps its values
    assert_no_secret(view)
    assert "boot_volume_appkey" not in view
    assert view["boot_volume_key_id"] == "key-boot"
    assert view["labels"]["boot_volume_appkey"] == MASK
    assert view["labels"]["extra_volumes"][1]["volume_appkey"] == MASK
    assert view["extra_volumes"] == [
        {"volume_type": "General HDD", "volume_size": 100},
        {"volume_type": "General SSD", "volume_size": 50, "volume_key_id": "key-vol",
         "volume_appkey": MASK, "volume_mount_path": "/data"},
    ]
    assert view["extra_security_groups"] == [{
        "target_subnet": "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90",
        "security_group_ids": ["8669cca4-7904-4dc6-b1be-db49661cedb6",
                               "fa69d78d-bd04-4ab0-9ce6-c92a84b899c2"]}]


def test_cluster_view_feeds_back_as_options():
    # The typed view, turned back into labels, gives the labels the table knows
    # (in the canonical spelling).
    view = cluster_view(GET_CLUSTER)
    labels = to_labels(CLUSTER_LABELS, view)
    known = dict((label, GET_CLUSTER["labels"][label]) for _o, label, _k in CLUSTER_LABELS
                 if label in GET_CLUSTER["labels"])
    # a view without Kubernetes node labels says so ({}), which is the label "{}"
    assert labels.pop("k8s_node_labels") == "{}"
    assert set(labels) == set(known)
    assert labels["master_lb_floating_ip_enabled"] == "True"
    assert labels["pods_network_subnet"] == 24
    assert labels["kube_tag"] == known["kube_tag"]


# -- node groups -------------------------------------------------------------

def test_nodegroup_view_of_get_a_node_group():
    view = nodegroup_view(GET_NODEGROUP)
    assert view == {
        "uuid": "018b06c5-1293-4081-8242-167a1cb9f262",
        "name": "default-worker",
        "cluster_id": "96742ac4-02e7-4b1d-a242-02876c0bd3f8",
        "status": "UPDATE_COMPLETE",
        "status_reason": "Stack UPDATE completed successfully",
        "flavor_id": "069bdcff-e9b6-42c8-83ce-4c743ea30394",
        "image_id": "96aff4ab-d221-4688-8364-2fcf02d50547",
        "role": "worker",
        "is_default": False,
        "stack_id": "f04c157a-78e3-4bfc-a83e-fbe7c01ab616",
        "project_id": "1ffeaca9bbf94ab1aa9cffdec29a258a",
        "created_at": "2021-10-23T10:06:19+00:00",
        "updated_at": "2021-10-28T02:13:15+00:00",
        "node_count": 2,
        "min_node_count": 2,
        "max_node_count": 10,
        "node_addresses": ["192.168.0.40", "192.168.0.19"],
        "availability_zone": "",
        "boot_volume_size": 20,
        "boot_volume_type": "General HDD",
        "kube_version": "v1.19.13",
        "autoscale": {"enabled": True, "min_node_count": 2, "max_node_count": 10,
                      "scale_down_enabled": True, "scale_down_unneeded_time": 10,
                      "scale_down_util_thresh": 50, "scale_down_delay_after_add": 10},
        "node_labels": {},
        "floating_ip": {},
        "metric_autoscale": {},
        "platform_version": GET_NODEGROUP["labels"].get("platform_version"),
        "kube_version_status": "LATEST",
        "labels": GET_NODEGROUP["labels"],
    }
    # Cluster-only labels stay in the raw labels, not in the node group's options.
    assert "master_lb_floating_ip" not in view
    assert "external_subnet_ids" not in view


def test_nodegroup_view_of_list_item_and_create_answer():
    listed = nodegroup_view(LIST_NODEGROUPS_ITEM)
    assert listed["node_count"] == 2
    assert listed["min_node_count"] == 1
    assert listed["max_node_count"] == 10
    assert listed["autoscale"] == {}
    assert listed["labels"] == {}
    assert listed["node_addresses"] == []

    created = nodegroup_view(CREATE_NODEGROUP_ANSWER)
    assert created["max_node_count"] is None
    assert created["min_node_count"] == 1
    assert created["autoscale"] == {"enabled": False, "min_node_count": 1, "max_node_count": 10,
                                    "scale_down_enabled": True, "scale_down_unneeded_time": 10,
                                    "scale_down_util_thresh": 50}
    assert created["user_script"] == ""
    assert created["boot_volume_size"] == 20


def test_nodegroup_view_string_counts():
    obj = dict(LIST_NODEGROUPS_ITEM, node_count="4", min_node_count="1", max_node_count="")
    view = nodegroup_view(obj)
    assert (view["node_count"], view["min_node_count"], view["max_node_count"]) == (4, 1, None)


def test_nodegroup_view_masks_appkeys():
    obj = with_secrets(GET_NODEGROUP)
    original = copy.deepcopy(obj)
    view = nodegroup_view(obj)
    assert obj == original
    assert_no_secret(view)
    assert "boot_volume_appkey" not in view
    assert view["labels"]["boot_volume_appkey"] == MASK
    assert view["extra_volumes"][1]["volume_appkey"] == MASK
    assert view["extra_volumes"][1]["volume_size"] == 50


# -- misc -----------------------------------------------------------------------

@pytest.mark.parametrize("func", [cluster_view, nodegroup_view, event_view])
def test_views_of_none(func):
    assert func(None) is None


def test_event_view_is_a_copy():
    event = {"id": 3683, "uuid": "868f218a-9446-4500-b6b3-8c1a95e3d7c3", "type": "CLUSTER_CREATE",
             "state": "SUCCESS", "contents": None}
    view = event_view(event)
    assert view == event
    assert view is not event


def test_cluster_view_without_labels():
    view = cluster_view({"uuid": "u", "name": "n", "status": "CREATE_IN_PROGRESS", "labels": None})
    assert view["labels"] == {}
    assert view["autoscale"] == {}
    assert view["node_count"] is None


# -- the IP ACL, autoscaler and supports views (one each, for every module) ----

def test_acl_view_reads_the_guides_spellings_and_collapses_targets():
    from ansible_collections.nhncloud.nks.plugins.module_utils._views import ACL_OFF, acl_view
    answer = {"enable": "true", "action": "allow", "ipacl_targets": [
        {"cidr_address": "192.168.0.5"},
        {"cidr_address": "10.10.22.0/24", "descripion": "Your Friends"},
        {"cidr_address": "192.168.0.5/32", "description": "host"}]}
    assert acl_view(answer) == {"enabled": True, "action": "ALLOW", "targets": [
        {"cidr": "10.10.22.0/24", "description": "Your Friends"},
        {"cidr": "192.168.0.5/32", "description": "host"}]}
    assert acl_view({"enable": "False", "action": "ALLOW"}) == ACL_OFF
    assert acl_view(None) == ACL_OFF


def test_autoscale_view_has_every_key_typed():
    from ansible_collections.nhncloud.nks.plugins.module_utils._views import autoscale_view
    view = autoscale_view({"ca_enable": "TRUE", "ca_max_node_count": "10", "ca_image": "x"})
    assert view == {"enabled": True, "min_node_count": None, "max_node_count": 10,
                    "scale_down_enabled": None, "scale_down_unneeded_time": None,
                    "scale_down_util_thresh": None, "scale_down_delay_after_add": None}
    assert autoscale_view({"ca_enable": True, "ca_min_node_count": 2})["min_node_count"] == 2


def test_supports_view_sorts_the_offered_versions():
    from ansible_collections.nhncloud.nks.plugins.module_utils._views import supports_view
    view = supports_view({"supported_k8s": {"v1.28.3": "True", "v1.9.1": True, "v1.25.4": False},
                          "supported_event_type": {"cluster_events": {}}})
    assert view["available"] == ["v1.9.1", "v1.28.3"]
    assert view["supported_k8s"]["v1.25.4"] is False
    assert view["event_types"] == {"cluster_events": {}}
