# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_export.py and plugins/filter/cluster_definition.py (adoption).

The inputs are API answers as NKS gives them (label strings), typed by the same views nks_info uses, so the
label translation is exercised; the real round trip (the role changes nothing) is tests/lifecycle/adopt-test.sh.
"""

from __future__ import annotations

import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.nhncloud.nks.plugins.filter.cluster_definition import FilterModule, cluster_definition
from ansible_collections.nhncloud.nks.plugins.module_utils import _export
from ansible_collections.nhncloud.nks.plugins.module_utils._views import (
    acl_view, autoscale_view, cluster_view, nodegroup_view)

CLUSTER = "0b1f5c0e-0000-4000-8000-000000000001"
WORKER = "0b1f5c0e-0000-4000-8000-0000000000a1"
BATCH = "0b1f5c0e-0000-4000-8000-0000000000b2"


def api_cluster(**labels):
    base = {"kube_tag": "v1.29.3", "availability_zone": "kr2-pub-b", "node_image": "img", "boot_volume_type": "General HDD",
            "boot_volume_size": "20", "master_lb_floating_ip_enabled": "true", "external_subnet_id_list": "s2:s1",
            "cni_driver": "calico", "pods_network_subnet": "24", "ncr_sgw": "", "user_script_v2": "",
            "certificate_expiry": "2031-01-01T00:00:00+00:00", "boot_volume_appkey": "secret-key",
            "extra_volumes": [{"volume_type": "General SSD", "volume_size": "100", "volume_appkey": "vol-secret"}]}
    base.update(labels)
    return {"uuid": CLUSTER, "name": "web-01", "status": "CREATE_COMPLETE", "node_count": 3, "flavor_id": "old-flavor",
            "keypair": "kp", "fixed_network": "net", "fixed_subnet": "sub", "labels": base}


def api_nodegroup(uuid, name, count, **labels):
    base = {"kube_tag": "v1.29.3", "availability_zone": "kr2-pub-b", "boot_volume_type": "General HDD",
            "boot_volume_size": "20", "ca_enable": "False", "user_script_v2": "", "k8s_node_labels": "",
            "boot_volume_appkey": ""}
    base.update(labels)
    return {"uuid": uuid, "name": name, "cluster_id": CLUSTER, "node_count": count, "flavor_id": "flavor-" + name,
            "image_id": "img", "labels": base}


def read(worker_labels=None, batch_labels=None, ipacl=None, addons=None):
    return {
        "clusters": [cluster_view(api_cluster())],
        "nodegroups": [nodegroup_view(api_nodegroup(WORKER, "default-worker", 2, **(worker_labels or {}))),
                       nodegroup_view(api_nodegroup(BATCH, "batch", 1, **(batch_labels or {})))],
        "ipacl": acl_view(ipacl) if ipacl is not None else {},
        "addons": addons,
    }


def test_cluster_options_are_typed_and_come_from_the_right_place():
    info = read(worker_labels={"user_script_v2": "#!/bin/sh\necho hi\n", "k8s_node_labels": '{"team": "web"}',
                               "fip_auto_bind_enable": "True", "fip_bind_subnet": "sub"})
    out = _export.cluster_definition(info["clusters"][0], info["nodegroups"])
    d = out["definition"]
    assert list(d)[:4] == ["name", "kube_version", "node_count", "flavor_id"]
    # default-worker's count (not the cluster's total of 3) and flavor (not the cluster's create flavor)
    assert d["node_count"] == 2 and d["flavor_id"] == "flavor-default-worker"
    assert d["master_lb_floating_ip"] is True and d["boot_volume_size"] == 20 and d["pods_network_subnet"] == 24
    assert d["external_subnet_ids"] == ["s2", "s1"]
    assert d["user_script"] == "#!/bin/sh\necho hi\n" and d["node_labels"] == {"team": "web"}
    assert d["floating_ip"] == {"enabled": True, "subnet": "sub"}
    # secrets never written; empty values left out
    text = json.dumps(d)
    assert "secret" not in text and "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" not in text
    assert "boot_volume_appkey" not in d and "ncr_sgw" not in d
    assert d["extra_volumes"] == [{"volume_type": "General SSD", "volume_size": 100}]
    assert any("volume_appkey" in note for note in out["notes"])
    assert d["kubeconfig"] == {"enabled": False} and out["uuid"] == CLUSTER


def test_nodegroups_autoscale_from_the_api_by_uuid():
    info = read(batch_labels={"ca_enable": "True", "ca_min_node_count": "1", "ca_max_node_count": "3"})
    answers = [dict(autoscale_view({"ca_enable": True, "ca_min_node_count": 1, "ca_max_node_count": 6}), nodegroup=BATCH),
               dict(autoscale_view({"ca_enable": False}), nodegroup=WORKER)]
    d = _export.cluster_definition(info["clusters"][0], info["nodegroups"], autoscale=answers)["definition"]
    assert d["autoscale"] == {"enabled": False}
    assert d["nodegroups"] == [{"name": "batch", "flavor_id": "flavor-batch", "image_id": "img", "node_count": 1,
                                "availability_zone": "kr2-pub-b", "boot_volume_type": "General HDD",
                                "boot_volume_size": 20, "kube_version": "v1.29.3",
                                "autoscale": {"enabled": True, "min_node_count": 1, "max_node_count": 6}}]
    # without the API answers: the ca_* labels
    d = _export.cluster_definition(info["clusters"][0], info["nodegroups"])["definition"]
    assert d["nodegroups"][0]["autoscale"]["max_node_count"] == 3


def test_ipacl_on_and_off():
    on = {"enable": "true", "action": "allow",
          "ipacl_targets": [{"cidr_address": "10.0.0.5", "descripion": "ci"}, {"cidr_address": "192.168.0.0/24"}]}
    assert _export.ipacl_definition(acl_view(on)) == {
        "enabled": True, "action": "ALLOW",
        "targets": [{"cidr": "10.0.0.5/32", "description": "ci"}, {"cidr": "192.168.0.0/24"}]}
    assert _export.ipacl_definition(acl_view({"enable": "False"})) == {"enabled": False}
    assert _export.ipacl_definition({}) is None
    info = read(ipacl={"enable": "False"})
    assert _export.cluster_definition(info["clusters"][0], info["nodegroups"], ipacl=info["ipacl"])[
        "definition"]["ipacl"] == {"enabled": False}


def test_addons_pinned_when_offered_else_by_name():
    installed = [{"name": "coredns", "version": "1.8.4-nks2", "options": {}},
                 {"name": "calico", "version": "v3.28.2-nks2", "options": {"mode": "vxlan"}},
                 {"name": "metrics_server", "version": "v0.3.0-old", "options": {}}]
    catalog = {"available": True, "addons": [{"name": "calico", "version": "v3.28.2-nks2"},
                                             {"name": "coredns", "version": "1.8.4-nks2"},
                                             {"name": "metrics_server", "version": "v0.4.4-nks1"}]}
    notes = []
    assert _export.addons_definition(installed, catalog, notes) == [
        {"name": "calico", "version": "v3.28.2-nks2", "options": {"mode": "vxlan"}},
        {"name": "coredns", "version": "1.8.4-nks2"},
        {"name": "metrics_server"}]
    assert notes and "v0.3.0-old" in notes[0]


def test_control_plane_log_lncs_left_out_obs_kept_flannel_left_out():
    cluster = cluster_view(api_cluster(control_plane_log=json.dumps(
        {"enable": True, "type": "lncs", "sgw": "g", "lncs_appkey": "k"}), cni_driver="flannel"))
    out = _export.cluster_definition(cluster, [])
    assert "control_plane_log" not in out["definition"] and "cni_driver" not in out["definition"]
    assert any("Log & Crash Search" in n for n in out["notes"]) and any("flannel" in n for n in out["notes"])
    assert any("no default-worker" in n for n in out["notes"])
    cluster = cluster_view(api_cluster(control_plane_log=json.dumps(
        {"enable": "True", "type": "obs", "sgw": "g", "obs_api_url": "u", "upload_interval": "10"})))
    assert _export.cluster_definition(cluster, [])["definition"]["control_plane_log"] == {
        "enabled": True, "type": "obs", "sgw": "g", "obs_api_url": "u", "upload_interval": 10}


def test_status_note_and_errors():
    cluster = dict(cluster_view(api_cluster()), status="UPDATE_FAILED", status_reason="quota")
    assert "UPDATE_FAILED (quota)" in _export.cluster_definition(cluster, [])["notes"][0]
    with pytest.raises(ValueError):
        _export.cluster_definition({}, [])


def test_filter():
    info = read(ipacl={"enable": "False"}, addons=[])
    assert FilterModule().filters()["cluster_definition"] is cluster_definition
    d = cluster_definition(info, kubeconfig=True)
    assert "kubeconfig" not in d and "addons" not in d and d["ipacl"] == {"enabled": False}
    both = cluster_definition(info, autoscale=[None], notes=True)
    assert set(both) == {"definition", "notes", "uuid"}
    with pytest.raises(AnsibleFilterError, match="no cluster"):
        cluster_definition({"clusters": []})
