# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adoption: the role's ``cluster_definition`` of an existing cluster, from what ``nks_info`` read."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cluster_definition
short_description: The cluster_definition of an existing NKS cluster, which the role nhncloud.nks.cluster converges to with no change
version_added: 0.1.0
author: nhncloud.nks contributors
description:
- Turns what M(nhncloud.nks.nks_info) read about one cluster into the variable C(cluster_definition) of the role
  nhncloud.nks.cluster, so that applying the role with it right away changes nothing (adoption of clusters built in
  the console; the playbook C(nhncloud.nks.adopt) writes an inventory of them).
- 'The cluster (its create options, read back from the NKS labels as typed options), C(default-worker) (node count,
  flavor, user script, Kubernetes node labels, floating IP auto-assignment, metric-based autoscaler, autoscaler),
  every other worker node group, the installed add-ons and the API endpoint IP ACL.'
- What needs a secret NKS never returns (an encrypted volume's appkey, the Log & Crash Search appkey of
  C(control_plane_log)) is left out and named in the notes (O(notes=true)).
options:
  _input:
    description:
      - The result of M(nhncloud.nks.nks_info) with O(nhncloud.nks.nks_info#module:cluster) set and
        O(nhncloud.nks.nks_info#module:gather) V(clusters), V(nodegroups) (and V(ipacl), V(addons) to export them).
    type: dict
    required: true
  autoscale:
    description:
      - RV(nhncloud.nks.nks_info#module:autoscale) answers of this cluster's node groups (View Autoscaler
        Configuration), each read with O(nhncloud.nks.nks_info#module:nodegroup) set to the node group's UUID.
      - Not set, the autoscaler settings come from the node groups' C(ca_*) labels.
    type: list
    elements: dict
  catalog:
    description:
      - 'RV(nhncloud.nks.nks_info#module:addon_catalog): an add-on whose installed version is no longer offered
        is listed by name only (its version is kept as installed).'
    type: dict
  kubeconfig:
    description:
      - 'V(false) writes C(kubeconfig) C({enabled: false}), so the first run of the role writes no kubeconfig file
        (which would be a change); V(true) leaves it to the role''s default (the file is written).'
    type: bool
    default: false
  notes:
    description:
      - V(true) returns C(definition) and C(notes) (what was left out) instead of the definition alone.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Read the cluster
  nhncloud.nks.nks_info:
    cluster: my-cluster
    gather: [clusters, nodegroups, ipacl, addons, addon_catalog]
  register: my_cluster

- name: Its definition for the role nhncloud.nks.cluster
  ansible.builtin.copy:
    dest: host_vars/my-cluster.yml
    content: "{{ {'cluster_definition': my_cluster | nhncloud.nks.cluster_definition(catalog=my_cluster.addon_catalog)}
                 | to_nice_yaml(indent=2, sort_keys=false) }}"
    mode: "0644"
"""

RETURN = r"""
_value:
  description:
    - The C(cluster_definition) (keys in the order of the role's options), or with O(notes=true) a dict with
      C(definition) and C(notes) (list of texts).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.nhncloud.nks.plugins.module_utils import _export


def cluster_definition(info, autoscale=None, catalog=None, kubeconfig=False, notes=False):
    """:func:`._export.cluster_definition` of one ``nks_info`` result.

    :param dict info: ``nks_info`` result (``clusters``, ``nodegroups``, ``ipacl``, ``addons``).
    :returns: the definition, or ``{"definition", "notes"}`` with ``notes``.
    :raises AnsibleFilterError: when ``info`` holds no cluster.
    """
    if not isinstance(info, dict) or not info.get("clusters"):
        raise AnsibleFilterError("cluster_definition: the input must be an nhncloud.nks.nks_info result with one"
                                 " cluster (cluster set, gather clusters and nodegroups); it has no cluster")
    try:
        exported = _export.cluster_definition(
            info["clusters"][0], nodegroups=info.get("nodegroups"), ipacl=info.get("ipacl"),
            addons=info.get("addons"), catalog=catalog or info.get("addon_catalog"),
            autoscale=[a for a in autoscale if a] if autoscale is not None else None, kubeconfig=kubeconfig)
    except ValueError as exc:
        raise AnsibleFilterError("cluster_definition: %s" % exc)
    return exported if notes else exported["definition"]


class FilterModule(object):
    """The filter ``nhncloud.nks.cluster_definition``."""

    def filters(self):
        return {"cluster_definition": cluster_definition}
