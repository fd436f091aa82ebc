# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster the role ``nhncloud.nks.cluster`` converges, derived from its variables."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cluster_role_spec
short_description: The cluster the role nhncloud.nks.cluster converges, from the role's variables
version_added: 0.1.0
author: nhncloud.nks contributors
description:
- Combines C(cluster_definition) over C(cluster_defaults) and fills in the kubeconfig settings (C(enabled) V(true),
  C(mode) V(0600), C(backup) V(false), C(dest) C(cluster_kubeconfig_dir/NAME.kubeconfig) when not set).
- Plans the options of every module task converging the cluster (C(cluster), C(nodegroups), C(addons), C(ipacl),
  C(kubeconfig_file)) and the check mode previews (C(previews)).
- The role's single-cluster path (C(tasks/present.yml)) and M(nhncloud.nks.nks_fleet) (every host of a fleet, through
  C(tasks/fleet.yml)) converge a cluster with this one plan.
options:
  _input:
    description: The role's variables C(cluster_definition), C(cluster_defaults), C(cluster_nodegroup_defaults),
      C(cluster_kubeconfig_dir), C(cluster_wait_timeout), C(cluster_wait_for) and C(cluster_state) (missing ones take
      the role's defaults).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Derive the cluster of this host
  ansible.builtin.set_fact:
    spec: >-
      {{ {'cluster_definition': cluster_definition, 'cluster_defaults': cluster_defaults,
          'cluster_kubeconfig_dir': cluster_kubeconfig_dir} | nhncloud.nks.cluster_role_spec }}
"""

RETURN = r"""
_value:
  description: C(name), C(spec) (the definition over the defaults), C(kubeconfig) (C(enabled), C(mode), C(backup),
    C(merge), C(dest)), C(state), C(wait_for), C(wait_timeout), the module options C(cluster), C(nodegroups), C(addons),
    C(ipacl) and C(kubeconfig_file), and C(previews).
  type: dict
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._cluster_plan import cluster_plan


def cluster_role_spec(variables):
    """:func:`..module_utils._cluster_plan.cluster_plan` of ``variables``.

    :param dict variables: some of the role's variables (``cluster_definition`` at least).
    :returns: ``dict`` (see :func:`..module_utils._cluster_plan.cluster_plan`).
    """
    return cluster_plan(variables)


class FilterModule(object):
    """The filter ``nhncloud.nks.cluster_role_spec``."""

    def filters(self):
        return {"cluster_role_spec": cluster_role_spec}
