# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_report.py and plugins/filter/fleet_report.py (the fleet report).

The drift is one comparison with the cluster's exported definition: an adopted definition has none, and each
kind of difference is named by its path. The page itself is checked in Chromium by tests/lifecycle/report-test.sh.
"""

from __future__ import annotations

import copy
import datetime

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.nhncloud.nks.plugins.filter.fleet_report import FilterModule, fleet_report
from ansible_collections.nhncloud.nks.plugins.module_utils import _export, _report
from ansible_collections.nhncloud.nks.plugins.module_utils._views import acl_view, cluster_view, nodegroup_view

TODAY = datetime.date(2026, 12, 7)
ACL = {"enable": "true", "action": "ALLOW", "ipacl_targets": [{"cidr_address": "192.168.0.0/24", "description": "vpc"}]}
HEALTH = {"api": "OK", "cluster": {"api_status": "NORMAL", "node_status": "NORMAL"},
          "nodegroup": {"node_status": {"default-worker": "NORMAL", "batch": "NORMAL"}},
          "nodegroup-stats": {"default-worker": "2:0", "batch": "1:0"}}


def info(kube="v1.29.3", health=None, worker_count=2):
    cluster = {"uuid": "c1", "name": "web-01", "status": "CREATE_COMPLETE", "node_count": worker_count + 1,
               "keypair": "kp", "fixed_network": "net", "fixed_subnet": "sub",
               "health_status": "FRESH", "health_status_reason": health or HEALTH,
               "labels": {"kube_tag": kube, "availability_zone": "kr2-pub-b", "certificate_expiry": "2026-12-20T00:00:00+00:00",
                          "master_lb_floating_ip_enabled": "True", "owner": "team-a",
                          "external_subnet_id_list": "s1:s2"}}
    groups = [{"uuid": "w", "name": "default-worker", "cluster_id": "c1", "node_count": worker_count, "flavor_id": "f",
               "labels": {"kube_tag": kube, "ca_enable": "False", "k8s_node_labels": '{"tier": "web"}'}},
              {"uuid": "b", "name": "batch", "cluster_id": "c1", "node_count": 1, "flavor_id": "f",
               "labels": {"kube_tag": kube, "ca_enable": "True", "ca_min_node_count": "1", "ca_max_node_count": "3"}}]
    return {"clusters": [cluster_view(cluster)], "nodegroups": [nodegroup_view(g) for g in groups],
            "ipacl": acl_view(ACL), "addons": [{"name": "calico", "version": "v3.28.2-nks2", "options": {"mode": "vxlan"}}]}


def adopted(read):
    return _export.cluster_definition(read["clusters"][0], read["nodegroups"], ipacl=read["ipacl"],
                                      addons=read["addons"])["definition"]


def row(definition, read=None, **host):
    return _report.cluster_row(dict(host, name="web-01", definition=definition, info=read or info()), TODAY)


def test_an_adopted_definition_has_no_drift():
    read = info()
    r = row(adopted(read), read)
    assert r["drift"] == [] and r["drift_count"] == 0 and r["drift_compared"]


@pytest.mark.parametrize("change, path", [
    (lambda d: d.update(node_count=5), "node_count"),
    (lambda d: d.update(kube_version="v1.28.3"), "kube_version"),
    (lambda d: d.update(node_labels={"tier": "api"}), "node_labels"),
    (lambda d: d.update(user_script="echo"), "user_script"),
    (lambda d: d.update(external_subnet_ids=["x"]), "external_subnet_ids"),
    (lambda d: d["nodegroups"][0]["autoscale"].update(max_node_count=9), "nodegroups[batch].autoscale.max_node_count"),
    (lambda d: d["nodegroups"].append({"name": "gpu"}), "nodegroups[gpu]"),
    (lambda d: d["nodegroups"][0].update(state="absent"), "nodegroups[batch]"),
    (lambda d: d["addons"][0].update(version="v3.30.2-nks1"), "addons[calico].version"),
    (lambda d: d["addons"][0].update(options={"mode": "ebpf"}), "addons[calico].options.mode"),
    (lambda d: d["addons"].append({"name": "metrics_server"}), "addons[metrics_server]"),
    (lambda d: d["ipacl"]["targets"].append("10.0.0.1"), "ipacl.targets"),
    (lambda d: d.update(ipacl={"enabled": False}), "ipacl.enabled"),
    (lambda d: d["ipacl"].update(action="DENY"), "ipacl.action"),
    (lambda d: d.update(labels={"owner": "team-b"}), "labels.owner"),
])
def test_each_difference_is_named(change, path):
    read = info()
    definition = copy.deepcopy(adopted(read))
    change(definition)
    assert [d["path"] for d in row(definition, read)["drift"]] == [path]


def test_what_is_not_compared():
    read = info()
    definition = dict(adopted(read), kubeconfig={"dest": "/x"}, wait_timeout=5, certificate_renewal={"renew_before_days": 9},
                      labels={"not_reported": "x"})
    definition["ipacl"] = {"enabled": True, "action": "ALLOW", "targets": ["192.168.0.0/24"], "purge_targets": False}
    assert row(definition, read)["drift"] == []
    # node_count is the autoscaler's while it is on
    read["nodegroups"][0]["autoscale"]["enabled"] = True
    definition = dict(adopted(read), node_count=7)
    assert row(definition, read)["drift"] == []


def test_defaults_are_combined():
    read = info()
    definition = adopted(read)
    nodegroups = [dict((k, v) for k, v in ng.items() if k != "flavor_id") for ng in definition.pop("nodegroups")]
    zone = definition.pop("availability_zone")
    r = row(dict(definition, nodegroups=nodegroups), read, defaults={"availability_zone": zone},
            nodegroup_defaults={"flavor_id": "other"})
    assert [d["path"] for d in r["drift"]] == ["nodegroups[batch].flavor_id"]


def test_row_fields():
    r = row(adopted(info()))
    assert (r["status"], r["kube_version"], r["end_of_service"], r["days_to_end_of_service"], r["support_phase"]) == (
        "CREATE_COMPLETE", "v1.29.3", "2026-02-28", -282, "end_of_service")
    assert r["certificate_days_left"] == 13 and r["certificate_expiring"]
    assert (r["health"], r["node_count"], r["nodes_ready"], r["nodes_not_ready"], r["nodegroup_count"]) == ("OK", 3, 3, 0, 2)
    sick = dict(HEALTH, api="NOT_OK", cluster={"api_status": "K8S_API_NOT_WORKING", "node_status": "NORMAL"},
                **{"nodegroup-stats": {"default-worker": "0:2"}})
    r = row(None, info(health=sick))
    assert r["health"] == "api: NOT_OK; api_status: K8S_API_NOT_WORKING" and r["nodes_not_ready"] == 2
    assert not r["in_inventory"] and r["drift"] == [] and not r["drift_compared"]


def test_missing_and_absent_clusters():
    assert row({"name": "web-01"}, {"clusters": []})["drift"] == [
        {"path": "cluster", "definition": "present", "cluster": "absent"}]
    assert row({"name": "web-01"}, {"clusters": []}, state="absent")["drift"] == []
    assert row(adopted(info()), state="absent")["drift_count"] == 1


def test_health_without_reason():
    assert _report.health({"health_status": "HEALTHY"}) == ("OK", [])
    assert _report.health({}) == ("unknown", [])
    assert _report.health({"health_status": "ROTTEN"}) == ("ROTTEN", ["health_status: ROTTEN"])


def test_fleet_report_and_filter():
    read = info()
    hosts = [{"name": "web-01", "definition": adopted(read), "info": read},
             {"name": "gone", "definition": {"name": "gone"}, "info": {"clusters": []}}]
    other = cluster_view({"uuid": "c9", "name": "console-made", "status": "CREATE_IN_PROGRESS", "labels": {}})
    report = fleet_report(hosts, unmanaged=[other, read["clusters"][0]], today="2026-12-07")
    assert [r["name"] for r in report["clusters"]] == ["console-made", "gone", "web-01"]
    assert report["summary"] == {"clusters": 3, "in_inventory": 2, "not_in_inventory": 1, "missing": 1, "drifted": 1,
                                 "unhealthy": 0, "support_ending": 1, "certificate_expiring": 1, "not_complete": 1}
    assert report["today"] == "2026-12-07" and report["lifecycle_guide"] == "2026-03"
    assert FilterModule().filters()["fleet_report"] is fleet_report
    with pytest.raises(AnsibleFilterError, match="list"):
        fleet_report({})
    with pytest.raises(AnsibleFilterError, match="YYYY-MM-DD"):
        fleet_report([], today="soon")
