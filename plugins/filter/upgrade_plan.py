# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter ``nhncloud.nks.upgrade_plan``: a thin wrapper over :func:`..module_utils._upgrade.plan`,
the one implementation of NKS's upgrade rule (shared with ``nhncloud.nks.nks_fleet_upgrade``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: upgrade_plan
short_description: Plan the upgrade of an NKS cluster one minor version at a time
version_added: 0.1.0
author: nhncloud.nks contributors
description:
  - Turns what M(nhncloud.nks.nks_info) read (the cluster, the versions NKS offers, its worker node
    groups) into the steps of the upgrade, or the reasons to refuse it.
  - The same planner as M(nhncloud.nks.nks_fleet_upgrade), which the role C(nhncloud.nks.upgrade) runs; its
    RV(nhncloud.nks.nks_fleet_upgrade#module:clusters) entries hold this plan as C(plan_detail).
  - A worker node group one minor version behind the control plane (an interrupted upgrade) is brought to the
    control plane's version first; then each step upgrades the control plane, then the worker node groups.
  - Between the control plane's minor version and the target's, each step goes to the newest patch release NKS
    offers of the next minor version; the last step goes to the target.
positional: details, target, order, addons, nks_registry
options:
  _input:
    description: The result of M(nhncloud.nks.nks_info) with O(nhncloud.nks.nks_info#module:gather) V(clusters) and
      V(supported_versions) for one cluster.
    type: dict
    required: true
  details:
    description: The C(results) of a loop of M(nhncloud.nks.nks_info) over the worker node groups (each with
      C(nodegroups), a list of one node group in detail).
    type: list
    elements: dict
    required: true
  target:
    description: The version to end on; empty or null means the newest version NKS offers.
    type: str
  order:
    description: Worker node groups to upgrade first, in this order; the others follow in the order read.
    type: list
    elements: str
    default: []
  addons:
    description:
      - Which installed add-ons each step updates after its worker node groups (when C(_input) has
        C(addons) and C(addon_catalog) with C(available=true); otherwise no add-on step is planned).
      - V(mandatory) (the add-ons of the mandatory types, CNI and kube-dns, which Kubernetes upgrades used to
        bring along), V(all), or V(required) (only those whose version does not run on the new Kubernetes
        version). An add-on whose version does not run on the step's version is always updated, before the
        control plane.
      - V(none) plans no add-on update; an installed add-on that does not run on a step's version then refuses
        the plan.
    type: str
    default: mandatory
    choices: [mandatory, all, required, none]
  nks_registry:
    description:
      - Whether the cluster's NKS registry is enabled (the API has no read for it). V(false) refuses the plan
        (user guide, "Upgrade Rules"); null does not check (NKS refuses the first request, changing nothing).
    type: bool
"""

EXAMPLES = r"""
- name: Plan
  ansible.builtin.set_fact:
    upgrade_plan: "{{ info | nhncloud.nks.upgrade_plan(details.results, target='v1.29.3', order=['extra']) }}"
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    cluster: {description: The cluster's name., type: str}
    uuid: {description: The cluster's UUID., type: str}
    control_plane: {description: The control plane's version now., type: str}
    target: {description: The version to end on., type: str}
    nodegroups: {description: "C(name), C(kube_version), C(status) of each worker node group.", type: list}
    steps: {description: "C(version), C(control_plane) (bool), C(nodegroups) (names, in order) of each step; with the
            add-on API also C(addons_before) and C(addons_after), lists of C(name), C(from), C(version).",
            type: list}
    addons: {description: "C(name), C(type), C(version) of each installed add-on; null without the add-on API.",
             type: list}
    errors: {description: Why the role refuses to start; empty when it may., type: list}
    summary: {description: The plan as lines of text., type: list}
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._upgrade import plan


def upgrade_plan(info, details, target=None, order=None, addons="mandatory", nks_registry=None):
    """The upgrade plan of one cluster: :func:`..module_utils._upgrade.plan` (see its docstring,
    DOCUMENTATION and RETURN above); the update runs of ``nhncloud.nks.nks_fleet_upgrade`` plan with it too."""
    return plan(info, details, target=target, order=order, addons=addons, nks_registry=nks_registry)


class FilterModule(object):
    """The filter ``nhncloud.nks.upgrade_plan``."""

    def filters(self):
        return {"upgrade_plan": upgrade_plan}
