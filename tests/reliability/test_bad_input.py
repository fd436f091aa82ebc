# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input: every invalid input of the table fails with a message naming the option
and the rule, without a traceback, and NKS receives no mutating request at all.

All cases run in one ``ansible-playbook`` (one inventory host per case, in a group per
module or for the roles, so that each host runs its one task; playbooks/bad_input.yml); ``rel-exist`` is an existing cluster (v1.27.3, 1 node)
for the rules that depend on the current state.
"""

from __future__ import annotations

import json

import yaml

from conftest import CLUSTER_ARGS, HERE, run_module, run_playbook, write_figures

C = dict(CLUSTER_ARGS, name="rel-new")
E = dict(CLUSTER_ARGS, name="rel-exist", kube_version="v1.27.3")
NG = {"cluster": "rel-exist", "name": "pool-new", "flavor_id": CLUSTER_ARGS["flavor_id"],
      "image_id": CLUSTER_ARGS["node_image"], "availability_zone": "kr2-pub-b",
      "boot_volume_type": "General HDD", "boot_volume_size": 20}
DEF = {"name": "rel-role", "kube_version": "v1.28.3", "node_count": 1,
       "flavor_id": CLUSTER_ARGS["flavor_id"], "keypair": "k", "fixed_network": CLUSTER_ARGS["fixed_network"],
       "fixed_subnet": CLUSTER_ARGS["fixed_subnet"], "availability_zone": "kr2-pub-b",
       "node_image": CLUSTER_ARGS["node_image"], "boot_volume_type": "General HDD", "boot_volume_size": 20}


def m(module, args, option, rule):
    return {"module": module, "args": args, "option": option, "rule": rule}


def r(role, variables, option, rule):
    return {"role": role, "vars": variables, "option": option, "rule": rule}


# (what is tried, option the message must name, words of the rule it must state)
CASES = [
    # names (guide: lowercase letter first, [a-z0-9-], ends alphanumeric, at most 32)
    m("nks_cluster", dict(C, name="Bad_Name"), "name", "lowercase"),
    m("nks_cluster", dict(C, name="1abc"), "name", "start"),
    m("nks_cluster", dict(C, name="a" * 33), "name", "32"),
    m("nks_cluster", dict(C, name="abc-"), "name", "end"),
    m("nks_nodegroup", dict(NG, name="Pool_A"), "name", "lowercase"),
    m("nks_nodegroup", dict(NG, name="default-master"), "name", "control plane"),
    m("nks_autoscale", {"cluster": "rel-exist", "nodegroup": "Bad_Group", "enabled": True}, "nodegroup",
      "lowercase"),
    m("nks_ipacl", {"cluster": "Bad Cluster", "enabled": False}, "cluster", "lowercase"),
    # CIDR and pod subnet rules
    m("nks_cluster", dict(C, pods_network_cidr="10.100.0.0/25"), "pods_network_cidr", "/24"),
    m("nks_cluster", dict(C, pods_network_cidr="169.254.0.0/16"), "pods_network_cidr", "169.254.0.0/16"),
    m("nks_cluster", dict(C, service_cluster_ip_range="198.18.0.0/19"), "service_cluster_ip_range",
      "198.18.0.0/19"),
    m("nks_cluster", dict(C, pods_network_cidr="10.254.0.0/16"), "pods_network_cidr", "overlap"),
    m("nks_cluster", dict(C, pods_network_cidr="not-a-cidr"), "pods_network_cidr", "cidr"),
    m("nks_cluster", dict(C, pods_network_subnet=19), "pods_network_subnet", "20"),
    m("nks_cluster", dict(C, pods_network_subnet=29), "pods_network_subnet", "28"),
    m("nks_cluster", dict(C, pods_network_cidr="10.100.0.0/24", pods_network_subnet=24),
      "pods_network_subnet", "prefix"),
    m("nks_ipacl", {"cluster": "rel-exist", "enabled": True, "action": "ALLOW",
                    "targets": [{"cidr": "10.0.0.0/33"}]}, "targets.cidr", "ip"),
    m("nks_ipacl", {"cluster": "rel-exist", "enabled": True, "action": "ALLOW",
                    "targets": [{"cidr": "abc"}]}, "targets.cidr", "ip"),
    # counts
    m("nks_cluster", dict(C, node_count=0), "node_count", "at least 1"),
    m("nks_cluster", dict(C, boot_volume_size=0), "boot_volume_size", "at least 1"),
    m("nks_cluster", dict(C, num_buffer_nodes=-1), "num_buffer_nodes", "at least 0"),
    m("nks_cluster", dict(C, autoscale={"min_node_count": 5, "max_node_count": 2}),
      "autoscale.min_node_count", "max_node_count"),
    m("nks_cluster", dict(C, autoscale={"max_node_count": 11}), "autoscale.max_node_count", "10"),
    m("nks_cluster", dict(C, autoscale={"scale_down_util_thresh": 101}), "autoscale.scale_down_util_thresh",
      "100"),
    m("nks_nodegroup", dict(NG, node_count=0), "node_count", "at least 1"),
    m("nks_nodegroup", dict(NG, num_max_unavailable_nodes=0), "num_max_unavailable_nodes", "at least 1"),
    m("nks_nodegroup", dict(NG, autoscale={"min_node_count": 0}), "autoscale.min_node_count", "1"),
    m("nks_autoscale", {"cluster": "rel-exist", "min_node_count": 3, "max_node_count": 2}, "min_node_count",
      "max_node_count"),
    m("nks_autoscale", {"cluster": "rel-exist", "scale_down_unneeded_time": 0}, "scale_down_unneeded_time",
      "1"),
    m("nks_cluster", dict(E, certificate_renewal={"renew_before_days": 30, "term_of_validity": 6}),
      "certificate_renewal.term_of_validity", "5"),
    # versions
    m("nks_cluster", dict(C, kube_version="1.28"), "kube_version", "v1."),
    m("nks_cluster", dict(C, kube_version="v1.99.3"), "kube_version", "support"),
    # an older kube_version than the cluster's is a warning since issue 22 item 7 (the cluster was upgraded
    # after its definition was written): no downgrade is sent; tests/integration/targets/nks_cluster checks it
    m("nks_cluster", dict(E, kube_version="v1.29.3"), "kube_version", "minor"),
    m("nks_nodegroup", {"cluster": "rel-exist", "name": "default-worker", "kube_version": "v1.28.3"},
      "kube_version", "control plane"),
    # conflicting options
    m("nks_cluster", dict(C, master_lb_floating_ip=True), "master_lb_floating_ip", "external_network_id"),
    m("nks_cluster", dict(C, labels={"kube_tag": "v1.28.3"}), "labels", "typed option"),
    m("nks_cluster", dict(E, keypair="another-keypair"), "keypair", "cannot be changed"),
    m("nks_cluster", {"name": "rel-new", "kube_version": "v1.28.3"}, "node_count", "required to create"),
    m("nks_nodegroup", {"cluster": "rel-exist", "name": "default-worker", "state": "absent"}, "state",
      "last worker node group"),
    m("nks_nodegroup", dict(NG, node_action="stop"), "node_ids", "together"),
    m("nks_ipacl", {"cluster": "rel-exist", "enabled": True}, "action", "required"),
    m("nks_ipacl", {"cluster": "rel-exist", "enabled": True, "action": "ALLOW", "targets": []}, "targets",
      "at least one"),
    m("nks_autoscale", {"cluster": "rel-exist", "nodegroup": "default-master"}, "nodegroup", "control plane"),
    # wrong types and values
    m("nks_cluster", dict(C, node_count="many"), "node_count", "int"),
    m("nks_cluster", dict(C, cni_driver="flannel"), "cni_driver", "one of"),
    m("nks_cluster", dict(C, state="gone"), "state", "one of"),
    m("nks_cluster", dict(C, nodes=3), "nodes", "unsupported"),
    m("nks_autoscale", {"cluster": "rel-exist", "max_node_count": "ten"}, "max_node_count", "int"),
    m("nks_ipacl", {"cluster": "rel-exist", "enabled": True, "action": "PERMIT"}, "action", "one of"),
    m("nks_info", {"gather": ["everything"]}, "gather", "one or more of"),
    m("nks_kubeconfig", {"cluster": "rel-exist"}, "dest", "required"),
    # unknown cluster or node group
    m("nks_nodegroup", dict(NG, cluster="no-such-cluster"), "cluster", "no cluster"),
    m("nks_autoscale", {"cluster": "no-such-cluster", "enabled": True}, "cluster", "no cluster"),
    m("nks_autoscale", {"cluster": "rel-exist", "nodegroup": "pool-zz", "enabled": True}, "nodegroup",
      "no node group"),
    m("nks_ipacl", {"cluster": "no-such-cluster", "enabled": False}, "cluster", "no cluster"),
    m("nks_kubeconfig", {"cluster": "no-such-cluster", "dest": "/tmp/rel-never.kubeconfig"}, "cluster",
      "no-such-cluster"),
    # the roles
    r("nhncloud.nks.cluster", {"cluster_definition": dict(DEF, name="Bad_Name")}, "name", "lowercase"),
    r("nhncloud.nks.cluster", {"cluster_definition": dict(DEF, node_count="many")}, "node_count", "int"),
    r("nhncloud.nks.cluster", {"cluster_definition": dict(DEF, pods_network_cidr="10.100.0.0/25")},
      "pods_network_cidr", "/24"),
    r("nhncloud.nks.cluster", {"cluster_state": "gone", "cluster_definition": DEF}, "cluster_state", "one of"),
    r("nhncloud.nks.cluster", {}, "cluster_definition", "required"),
    r("nhncloud.nks.upgrade", {}, "upgrade_cluster", "required"),
    r("nhncloud.nks.upgrade", {"upgrade_cluster": "no-such-cluster", "upgrade_kube_version": "v1.29.3"},
      "no-such-cluster", "no cluster"),
    r("nhncloud.nks.upgrade", {"upgrade_cluster": "rel-exist", "upgrade_kube_version": "v1.99.3"},
      "v1.99.3", "not offered"),
    r("nhncloud.nks.upgrade", {"upgrade_cluster": "rel-exist", "upgrade_num_buffer_nodes": "x"},
      "upgrade_num_buffer_nodes", "int"),
]


def test_every_invalid_input_fails_clearly_and_changes_nothing(simulator, tmp_path):
    rc, _result, out = run_module(simulator, "nhncloud.nks.nks_cluster", E)
    assert rc == 0, out
    inventory = {"all": {"children": {}}}
    for index, case in enumerate(CASES):
        host = dict(case.get("vars") or {})
        host["rel_case"] = case
        group = "cases_%s" % case["module"] if "module" in case else "cases_roles"
        inventory["all"]["children"].setdefault(group, {"hosts": {}})["hosts"]["case%02d" % index] = host
    inv = tmp_path / "cases.yml"
    inv.write_text(yaml.safe_dump(inventory))
    out_dir = tmp_path / "results"
    out_dir.mkdir()

    since = simulator.last_seq()
    done = run_playbook(simulator, HERE / "playbooks" / "bad_input.yml", {"rel_out_dir": str(out_dir)},
                        inventory=inv, args=["--forks", "20"])
    assert simulator.mutations(since) == [], "invalid input reached NKS with a mutating request"

    problems = []
    path = out_dir / "results.json"
    assert path.exists(), "no results written: %s" % done.stdout[-3000:]
    results = json.loads(path.read_text())
    for index, case in enumerate(CASES):
        result = results.get("case%02d" % index)
        if result is None:
            problems.append("case%02d %s: no result (%s)" % (index, case, done.stdout[-2000:]))
            continue
        msg = str(result.get("msg", ""))
        what = "case%02d %s %s" % (index, case.get("module") or case.get("role"), case["option"])
        if not result.get("failed"):
            problems.append("%s: did not fail" % what)
            continue
        if "Traceback" in str(result.get("exception") or "") or "Traceback" in msg:
            problems.append("%s: traceback: %s" % (what, result.get("exception")))
        if case["option"].lower() not in msg.lower():
            problems.append("%s: option not named: %s" % (what, msg))
        if case["rule"].lower() not in msg.lower():
            problems.append("%s: rule %r not stated: %s" % (what, case["rule"], msg))
    assert problems == [], "\n".join(problems)
    assert len(CASES) >= 40
    write_figures("bad-input", {"inputs": len(CASES), "mutating_requests": 0,
                                "modules": sorted(set(c["module"] for c in CASES if "module" in c)),
                                "roles": sorted(set(c["role"] for c in CASES if "role" in c))})
