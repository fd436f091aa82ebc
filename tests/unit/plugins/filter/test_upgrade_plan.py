# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/filter/upgrade_plan.py, the planner of the role nhncloud.nks.upgrade.

The layouts were the fabricated cases of tests/integration/targets/role_upgrade/plan_cases.yml
(several cannot be produced by the simulator): what the role read, and the steps or the refusal.
"""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.filter.upgrade_plan import FilterModule, upgrade_plan

OFFERED = ["v1.26.3", "v1.27.3", "v1.28.3", "v1.29.3"]
UUID = "0b1f5c0e-0000-4000-8000-000000000001"


def step(version, control_plane, nodegroups):
    return {"version": version, "control_plane": control_plane, "nodegroups": nodegroups}


def case(name, cp, groups, target=None, offered=None, order=(), status="UPDATE_COMPLETE", busy=None,
         steps=None, error=None):
    """One layout: what tasks/main.yml would have read, and the steps or the part of the one error expected."""
    info = {"clusters": [{"name": "planned", "uuid": UUID, "kube_version": cp, "status": status}],
            "supported_versions": {"available": OFFERED if offered is None else offered}}
    details = [{"nodegroups": [{"name": group, "kube_version": version,
                                "status": "CREATE_IN_PROGRESS" if group == busy else "UPDATE_COMPLETE"}]}
               for group, version in groups.items()]
    return pytest.param(info, details, target, list(order), steps, error, id=name)


CASES = [
    case('two minor steps, every group each step',
         cp='v1.27.3',
         groups={'default-worker': 'v1.27.3', 'extra': 'v1.27.3'},
         target='v1.29.3',
         steps=[step('v1.28.3', True, ['default-worker', 'extra']), step('v1.29.3', True, ['default-worker', 'extra'])]),
    case('newest patch release of a middle minor version; offered list out of order',
         cp='v1.27.3',
         groups={'default-worker': 'v1.27.3'},
         target='v1.29.3',
         offered=['v1.29.3', 'v1.28.3', 'v1.27.3', 'v1.28.1'],
         steps=[step('v1.28.3', True, ['default-worker']), step('v1.29.3', True, ['default-worker'])]),
    case('no target means the newest offered',
         cp='v1.28.3',
         groups={'default-worker': 'v1.28.3'},
         steps=[step('v1.29.3', True, ['default-worker'])]),
    case('resume, then go on; order option with a name the cluster lacks',
         cp='v1.28.3',
         groups={'default-worker': 'v1.27.3', 'a': 'v1.28.3', 'b': 'v1.27.3'},
         order=['b', 'other-cluster-group'],
         steps=[step('v1.28.3', False, ['b', 'default-worker']), step('v1.29.3', True, ['b', 'default-worker', 'a'])]),
    case('resume to a target equal to the control plane',
         cp='v1.28.3',
         groups={'default-worker': 'v1.27.3'},
         target='v1.28.3',
         steps=[step('v1.28.3', False, ['default-worker'])]),
    case('at the target',
         cp='v1.29.3',
         groups={'default-worker': 'v1.29.3', 'extra': 'v1.29.3'},
         target='v1.29.3',
         steps=[]),
    case('at a version NKS no longer offers, nothing to do',
         cp='v1.25.4',
         groups={'default-worker': 'v1.25.4'},
         target='v1.25.4',
         steps=[]),
    case('patch-only change',
         cp='v1.28.1',
         groups={'default-worker': 'v1.28.1'},
         target='v1.28.3',
         offered=['v1.28.1', 'v1.28.3'],
         error='NKS upgrades one minor version at a time: v1.28.3 is not reachable from v1.28.1.'),
    case('a minor version missing from the offered ones',
         cp='v1.26.3',
         groups={'default-worker': 'v1.26.3'},
         target='v1.28.3',
         offered=['v1.26.3', 'v1.28.3'],
         error='NKS offers no v1.27 version, so v1.28.3 cannot be reached from v1.26.3'),
    case('target not offered',
         cp='v1.28.3',
         groups={'default-worker': 'v1.28.3'},
         target='v1.30.3',
         error='the target v1.30.3 is not offered by NKS'),
    case('target below the control plane',
         cp='v1.29.3',
         groups={'default-worker': 'v1.29.3'},
         target='v1.28.3',
         error='the target v1.28.3 is below the control plane version v1.29.3'),
    case('malformed target',
         cp='v1.28.3',
         groups={'default-worker': 'v1.28.3'},
         target='1.29',
         error='the target version 1.29 is not of the form vX.Y.Z.'),
    case('nothing offered and no target',
         cp='v1.28.3',
         groups={'default-worker': 'v1.28.3'},
         offered=[],
         error='(none: NKS offers no version)'),
    case('a worker above the control plane',
         cp='v1.27.3',
         groups={'default-worker': 'v1.27.3', 'extra': 'v1.28.3'},
         error='worker node group extra is on v1.28.3, above the control plane (v1.27.3)'),
    case('a worker two minor versions behind',
         cp='v1.29.3',
         groups={'default-worker': 'v1.29.3', 'extra': 'v1.27.3'},
         error='worker node group extra is on v1.27.3, neither the control plane version (v1.29.3) nor the minor version before it'),
    case("a worker on an older patch release of the control plane's minor version",
         cp='v1.28.3',
         groups={'default-worker': 'v1.28.1'},
         offered=['v1.28.1', 'v1.28.3', 'v1.29.3'],
         error='worker node group default-worker is on v1.28.1, neither the control plane version'),
    case('workers behind on different versions',
         cp='v1.28.3',
         groups={'default-worker': 'v1.27.3', 'extra': 'v1.27.1'},
         offered=['v1.27.1', 'v1.27.3', 'v1.28.3', 'v1.29.3'],
         error='the worker node groups behind the control plane (v1.28.3) are on different versions (v1.27.3, v1.27.1)'),
    case('workers to bring to a control plane version no longer offered',
         cp='v1.28.3',
         groups={'default-worker': 'v1.27.3'},
         offered=['v1.29.3'],
         error='worker node groups default-worker must be brought to the control plane version v1.28.3, which NKS no longer offers'),
    case('an operation running on the cluster',
         cp='v1.28.3',
         groups={'default-worker': 'v1.28.3'},
         status='UPDATE_IN_PROGRESS',
         error='the cluster is UPDATE_IN_PROGRESS: an operation is running'),
    case('an operation running on a node group',
         cp='v1.28.3',
         groups={'default-worker': 'v1.28.3', 'extra': 'v1.28.3'},
         busy='extra',
         error='node group extra is CREATE_IN_PROGRESS: an operation is running'),
]


@pytest.mark.parametrize("info, details, target, order, steps, error", CASES)
def test_plan(info, details, target, order, steps, error):
    plan = upgrade_plan(info, details, target=target, order=order)
    if error is None:
        assert plan["errors"] == []
        assert plan["steps"] == steps
    else:
        assert len(plan["errors"]) == 1 and error in plan["errors"][0], plan["errors"]
        assert plan["steps"] == []
        assert plan["summary"][-1] == "refused: " + plan["errors"][0]


def test_plan_fields_and_summary():
    info, details, target, order = CASES[3].values[:4]
    plan = upgrade_plan(info, details, target, order)
    assert (plan["cluster"], plan["uuid"], plan["control_plane"], plan["target"]) == ("planned", UUID, "v1.28.3",
                                                                                      "v1.29.3")
    assert plan["nodegroups"] == [dict(r["nodegroups"][0]) for r in details]
    assert plan["summary"] == [
        "cluster planned: control plane v1.28.3, worker node groups default-worker v1.27.3, a v1.28.3, b v1.27.3",
        "to v1.29.3 in 2 step(s), resuming an interrupted upgrade",
        "step 1: worker node groups b, default-worker to v1.28.3",
        "step 2: control plane to v1.29.3, then worker node groups b, default-worker, a to v1.29.3"]


def test_nothing_to_do_summary_and_details_without_node_group():
    info, details = CASES[5].values[:2]
    plan = upgrade_plan(info, details + [{"nodegroups": []}], "v1.29.3")
    assert plan["summary"][1:] == ["at v1.29.3: nothing to upgrade"]
    assert [g["name"] for g in plan["nodegroups"]] == ["default-worker", "extra"]


def test_a_malformed_control_plane_version_is_refused():
    info, details = CASES[0].values[:2]
    info = dict(info, clusters=[dict(info["clusters"][0], kube_version="")])
    assert upgrade_plan(info, details)["errors"] == ["the control plane version unknown is not of the form vX.Y.Z."]


def test_filter_plugin():
    assert FilterModule().filters()["upgrade_plan"] is upgrade_plan


def test_report_line_and_not_started():
    from ansible_collections.nhncloud.nks.plugins.filter.upgrade_not_started import upgrade_not_started
    from ansible_collections.nhncloud.nks.plugins.filter.upgrade_report_line import upgrade_report_line
    entry = {"host": "h", "cluster": "c", "outcome": "failed", "reason": "why",
             "steps": [{"text": "control plane to v1.28.3", "outcome": "done", "duration": 3.0}]}
    assert upgrade_report_line(entry) == "h (c): failed: why; steps: control plane to v1.28.3 done (3.0 s)"
    assert upgrade_not_started(["a"], "stopped")["a"]["outcome"] == "not_started"
