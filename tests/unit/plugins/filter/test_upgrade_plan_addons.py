# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the 2026-03 rules of plugins/filter/upgrade_plan.py: add-on steps and the NKS registry."""

from __future__ import annotations

from ansible_collections.nhncloud.nks.plugins.filter.upgrade_plan import upgrade_plan

UUID = "0b1f5c0e-0000-4000-8000-000000000001"
OFFERED = ["v1.28.3", "v1.29.3", "v1.30.3"]
CATALOG = [
    {"name": "calico", "type": "cni", "version": "v3.28.2-nks1", "k8s_min_version": "v1.26.0",
     "k8s_max_version": "v1.29.99"},
    {"name": "calico", "type": "cni", "version": "v3.28.2-nks2", "k8s_min_version": "v1.26.0",
     "k8s_max_version": None},
    {"name": "calico", "type": "cni", "version": "v3.30.2-nks2", "k8s_min_version": "v1.29.0",
     "k8s_max_version": None},
    {"name": "coredns", "type": "kube-dns", "version": "1.8.4-nks2", "k8s_min_version": "v1.26.0",
     "k8s_max_version": None},
    {"name": "metrics_server", "type": "metrics-server", "version": "v0.4.4-nks1", "k8s_min_version": "v1.26.0",
     "k8s_max_version": None},
    {"name": "metrics_server", "type": "metrics-server", "version": "v0.4.4-nks2", "k8s_min_version": "v1.26.0",
     "k8s_max_version": None},
]


def info(cp, installed, available=True, catalog=None):
    return {"clusters": [{"name": "c", "uuid": UUID, "kube_version": cp, "status": "UPDATE_COMPLETE"}],
            "supported_versions": {"available": OFFERED},
            "addons": [dict(name=n, type=t, version=v, cluster_uuid=UUID) for n, t, v in installed],
            "addon_catalog": {"available": available, "addons": CATALOG if catalog is None else catalog,
                              "mandatory_types": ["cni", "kube-dns"]}}


DETAILS = [{"nodegroups": [{"name": "default-worker", "kube_version": "v1.28.3", "status": "UPDATE_COMPLETE"}]}]
INSTALLED = [("calico", "cni", "v3.28.2-nks2"), ("coredns", "kube-dns", "1.8.4-nks2"),
             ("metrics_server", "metrics-server", "v0.4.4-nks1")]


def test_mandatory_addons_follow_after_the_node_groups():
    plan = upgrade_plan(info("v1.28.3", INSTALLED), DETAILS, "v1.29.3")
    assert plan["errors"] == []
    (step,) = plan["steps"]
    assert step["addons_before"] == []
    assert step["addons_after"] == [{"name": "calico", "from": "v3.28.2-nks2", "version": "v3.30.2-nks2"}]
    assert "then add-ons calico v3.28.2-nks2 -> v3.30.2-nks2" in plan["summary"][-1]


def test_policy_all_and_required():
    plan = upgrade_plan(info("v1.28.3", INSTALLED), DETAILS, "v1.29.3", addons="all")
    assert [u["name"] for u in plan["steps"][0]["addons_after"]] == ["calico", "metrics_server"]
    plan = upgrade_plan(info("v1.28.3", INSTALLED), DETAILS, "v1.29.3", addons="required")
    assert plan["steps"][0]["addons_after"] == []


def test_addon_beyond_its_max_is_updated_before_the_control_plane():
    installed = [("calico", "cni", "v3.28.2-nks1")]
    plan = upgrade_plan(info("v1.29.3", installed), [{"nodegroups": [
        {"name": "default-worker", "kube_version": "v1.29.3", "status": "UPDATE_COMPLETE"}]}], "v1.30.3")
    assert plan["errors"] == []
    assert plan["steps"][0]["addons_before"] == [{"name": "calico", "from": "v3.28.2-nks1",
                                                  "version": "v3.30.2-nks2"}]
    assert plan["summary"][-1].startswith("step 1: add-ons calico v3.28.2-nks1 -> v3.30.2-nks2, then control plane")


def test_addon_with_no_version_for_the_target_refuses():
    installed = [("calico", "cni", "v3.28.2-nks1")]
    plan = upgrade_plan(info("v1.29.3", installed, catalog=CATALOG[:1]), [{"nodegroups": [
        {"name": "default-worker", "kube_version": "v1.29.3", "status": "UPDATE_COMPLETE"}]}], "v1.30.3")
    assert plan["steps"] == []
    assert "k8s_max_version" not in plan["errors"][0] and "calico v3.28.2-nks1 does not run on Kubernetes v1.30.3" \
        in plan["errors"][0]
    plan = upgrade_plan(info("v1.29.3", installed), [{"nodegroups": [
        {"name": "default-worker", "kube_version": "v1.29.3", "status": "UPDATE_COMPLETE"}]}], "v1.30.3",
        addons="none")
    assert "upgrade_addons: none" in plan["errors"][0]


def test_without_addon_api_no_addon_step():
    plan = upgrade_plan(info("v1.28.3", [], available=False), DETAILS, "v1.29.3")
    assert plan["errors"] == [] and plan["addons"] is None
    assert "addons_before" not in plan["steps"][0]


def test_registry_disabled_refuses():
    plan = upgrade_plan(info("v1.28.3", INSTALLED), DETAILS, "v1.29.3", nks_registry=False)
    assert plan["steps"] == [] and "NKS registry" in plan["errors"][0]
