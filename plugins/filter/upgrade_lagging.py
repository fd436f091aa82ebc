# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check after each step of the role ``nhncloud.nks.upgrade`` (guide: Upgrade a Cluster)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: upgrade_lagging
short_description: What is not on a version after a step of the role nhncloud.nks.upgrade
version_added: 0.1.0
author: nhncloud.nks contributors
description:
- Reads the results of the role's loop of M(nhncloud.nks.nks_info) over the worker node groups (O(nhncloud.nks.nks_info#module:gather)
  V(clusters) and V(nodegroups), loop variable C(__upgrade_ng_name)) and lists the control plane and the node groups
  not on O(version), as C(name version) texts.
- A cluster or node group that can no longer be read shows as C(gone).
positional: version
options:
  _input:
    description: The C(results) of the loop.
    type: list
    elements: dict
    required: true
  version:
    description: The step's version, for example C(v1.29.3).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Check a step
  ansible.builtin.assert:
    that: (check.results | nhncloud.nks.upgrade_lagging('v1.29.3')) == []
"""

RETURN = r"""
_value:
  description: C(control plane VERSION) and C(NAME VERSION) texts; empty when everything is on O(version).
  type: list
  elements: str
"""


def upgrade_lagging(check_results, version):
    """What is not on ``version`` after an upgrade step, as ``"name version"`` texts (empty when all are).

    :param list check_results: results of the role's loop of nks_info (``gather: [clusters, nodegroups]``) over
        the worker node groups, each with ``__upgrade_ng_name``; the control plane is read from the first.
    :param str version: the step's version.
    """
    off = []
    for index, result in enumerate(check_results):
        cluster = (result.get("clusters") or [{}])[0] or {"kube_version": "gone"}
        if index == 0 and cluster.get("kube_version", "gone") != version:
            off.append("control plane %s" % cluster.get("kube_version", "gone"))
        group = (result.get("nodegroups") or [{}])[0] or {"kube_version": "gone"}
        if group.get("kube_version", "gone") != version:
            off.append("%s %s" % (result.get("__upgrade_ng_name"), group.get("kube_version", "gone")))
    return off


class FilterModule(object):
    """The filter ``nhncloud.nks.upgrade_lagging``."""

    def filters(self):
        return {"upgrade_lagging": upgrade_lagging}
