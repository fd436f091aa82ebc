# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The ``wait_for`` option of nks_cluster and nks_nodegroup (module_utils ``_kube``)."""

    DOCUMENTATION = r"""
options:
  wait_for:
    description:
      - What the task waits for after the NKS operations, with O(wait=true) and O(state=present). Nothing is waited
        for in check mode.
      - V(status) waits for the NKS status only (C(*_COMPLETE)).
      - V(api) also waits until the cluster's Kubernetes API answers C(/readyz) with HTTP 200, reached with the
        cluster's own credentials (its kubeconfig, Get kubeconfig of a Cluster). NKS reports a cluster complete
        before its API server accepts requests.
      - V(nodes) also waits until the nodes are C(Ready) in the Kubernetes API (C(/api/v1/nodes)). For each worker
        node group concerned, exactly its C(node_count) nodes, each C(Ready) with the node group's Kubernetes version
        as kubelet version. While the node group's autoscaler is on, the count is not exact; at least the
        autoscaler's C(min_node_count) (at least 1) nodes must be C(Ready) at that version and no node of the group
        may run another version.
      - Nodes are told apart by the label C(magnum.openstack.org/nodegroup), or else by their names
        C(<cluster>-<node group>-node-<n>).
      - This wait comes after the wait for the NKS status and gets the whole of O(wait_timeout) again, counted from
        its own start, so the task can wait up to about twice O(wait_timeout) in all. A timeout says what is missing
        and its likely cause; a refused, reset or unanswered connection, or HTTP 403, usually means that the IP
        access list of the cluster (M(nhncloud.nks.nks_ipacl)) does not allow this controller's address.
      - An API that answers HTTP 403 without a break for 60 seconds, or that cannot be reached at all (connections
        refused, reset or timed out) for 60 seconds without a break, ends the wait early, naming the API's address;
        check the IP access list and that this controller can reach that address.
      - The client key is written only to a private temporary directory (mode 0700), removed afterwards, and never
        logged.
    type: str
    choices: [status, api, nodes]
    default: status
"""
