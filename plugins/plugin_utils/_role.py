# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the role ``nhncloud.nks.cluster`` derives one cluster from its variables: one implementation,
used by the role's ``tasks/main.yml`` (filter ``nhncloud.nks.cluster_role_spec``) and by
``nhncloud.nks.nks_fleet`` (every host of a fleet). No Ansible controller imports here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

ROLE_VARIABLES = dict(cluster_definition=None, cluster_defaults={}, cluster_nodegroup_defaults={},
                      cluster_kubeconfig_dir="~/.kube", cluster_wait_timeout=3600, cluster_wait_for="nodes",
                      cluster_state="present")
"""The role variables a phase reads for each host, with the role's defaults."""


def role_spec(variables):
    """A host's cluster as the role derives it (``roles/cluster/tasks/main.yml``).

    :param dict variables: :data:`ROLE_VARIABLES` of one host (every key set).
    :returns: ``dict`` with ``spec`` (``cluster_defaults`` combined with ``cluster_definition``),
        ``kubeconfig`` (``enabled``, ``mode``, ``backup``, ``dest``) and the other variables.
    """
    spec = dict(variables["cluster_defaults"] or {})
    spec.update(variables["cluster_definition"] or {})
    kubeconfig = dict(dict(enabled=True, mode="0600", backup=False), **(spec.get("kubeconfig") or {}))
    if not kubeconfig.get("dest"):
        kubeconfig["dest"] = "%s/%s.kubeconfig" % (variables["cluster_kubeconfig_dir"], spec.get("name"))
    return dict(variables, spec=spec, kubeconfig=kubeconfig)
