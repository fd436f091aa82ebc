# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``plugin_utils/_fleet_phases.py``: a host's cluster as the role derives it, what a phase
carries from the earlier task and the fleet wait, and which clusters the next wait gets."""

from __future__ import annotations

from ansible_collections.nhncloud.nks.plugins.plugin_utils._fleet_phases import FleetRun, _options, waiting
from ansible_collections.nhncloud.nks.plugins.plugin_utils._role import ROLE_VARIABLES, role_spec


def variables(**overrides):
    out = dict(ROLE_VARIABLES, cluster_definition=dict(name="web-01", node_count=2))
    out.update(overrides)
    return out


def test_role_spec_combines_definition_over_defaults_and_kubeconfig():
    host = role_spec(variables(cluster_defaults=dict(node_count=1, keypair="k"), cluster_kubeconfig_dir="/k"))
    assert host["spec"] == dict(name="web-01", node_count=2, keypair="k")
    assert host["kubeconfig"] == dict(enabled=True, mode="0600", backup=False, dest="/k/web-01.kubeconfig")
    own = role_spec(variables(cluster_definition=dict(name="a", kubeconfig=dict(dest="/x/a.yml", mode="0640"))))
    assert own["kubeconfig"]["dest"] == "/x/a.yml" and own["kubeconfig"]["mode"] == "0640"


def test_options_leave_out_unset_and_phase_owned_keys_but_keep_typos():
    options = _options(dict(name="a", node_count=None, nodegroups=[1], ipacl={}, state="absent", node_cout=2),
                       wait=False)
    assert options == dict(name="a", node_cout=2, wait=False)


def run(previous=None, waited=None, invalid=None):
    hosts = dict((h, role_spec(variables(cluster_definition=dict(name=h)))) for h in ("a", "b", "c"))
    return FleetRun(hosts, previous, waited, {}, None, invalid=invalid)


def test_entries_carry_the_earlier_task_and_fail_with_the_fleet_wait():
    previous = dict(a=dict(uuid="u-a", changed=True, results=dict(cluster=dict(changed=True))),
                    b=dict(uuid="u-b"), c=dict(uuid=None, failed=True, msg="create refused"))
    waited = dict(failed_clusters=["u-b"], clusters={"u-b": dict(msg="cluster 'b' is CREATE_FAILED: quota")})
    fleet = run(previous, waited)
    a, b, c = (fleet._entry(h) for h in "abc")  # pylint: disable=protected-access
    assert (a["uuid"], a["changed"], a["failed"], a["submitted"]) == ("u-a", True, False, False)
    assert a["results"] == dict(cluster=dict(changed=True))
    assert (b["failed"], b["msg"]) == (True, "cluster 'b' is CREATE_FAILED: quota")
    assert (c["failed"], c["msg"]) == (True, "create refused")


def test_invalid_hosts_fail_before_any_phase():
    fleet = run(invalid=dict(b="Validation of arguments failed:\ncluster_definition.node_cout"))
    entries = fleet.run(["cluster", "nodegroups"], 2)
    assert entries["b"]["failed"] and "node_cout" in entries["b"]["msg"]
    assert list(entries) == ["a", "b", "c"]


def test_waiting_lists_the_clusters_changed_by_this_task_only():
    entries = dict(a=dict(uuid="u-a", submitted=True, failed=False), b=dict(uuid="u-b", submitted=False, failed=False),
                   c=dict(uuid="u-c", submitted=True, failed=True), d=dict(uuid=None, submitted=True, failed=False))
    assert waiting(entries) == ["u-a"]
