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
- The role's single-cluster path (C(tasks/main.yml)) and M(nhncloud.nks.nks_fleet) (every host of a fleet) derive a
  cluster with this same code.
options:
  _input:
    description: The role's variables C(cluster_definition), C(cluster_defaults) and C(cluster_kubeconfig_dir).
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
  description: C(spec) (the definition over the defaults) and C(kubeconfig) (C(enabled), C(mode), C(backup), C(dest)),
    with the role's other variables.
  type: dict
"""

from ansible_collections.nhncloud.nks.plugins.plugin_utils._role import ROLE_VARIABLES, role_spec


def cluster_role_spec(variables):
    """:func:`._role.role_spec` of ``variables`` over the role's defaults (:data:`._role.ROLE_VARIABLES`).

    :param dict variables: some of the role's variables (``cluster_definition`` at least).
    :returns: ``dict`` with ``spec`` and ``kubeconfig`` (see :func:`._role.role_spec`).
    """
    return role_spec(dict(ROLE_VARIABLES, **variables))


class FilterModule(object):
    """The filter ``nhncloud.nks.cluster_role_spec``."""

    def filters(self):
        return {"cluster_role_spec": cluster_role_spec}
