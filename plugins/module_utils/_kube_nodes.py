# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubernetes labels on the existing nodes of a node group (``nks_nodegroup label_existing_nodes``).

NKS applies a node group's Kubernetes labels (Change Kubernetes Label Configuration) only to the nodes it
creates afterwards (user guide, "Kubernetes Label Settings"). With the opt-in, ``nks_nodegroup`` also puts
them on the node group's existing nodes, through the cluster's own Kubernetes API (the kubeconfig of Get
kubeconfig of a Cluster, :class:`~._kube.KubeSession`): a merge patch of ``metadata.labels`` per node that
differs. Labels the configuration dropped are removed from the nodes; other labels are left alone.
No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

from ._kube import KubeSession, KubeconfigError, _answer_problem, load_kubeconfig, node_group_of, own_kubeconfig

MERGE_PATCH = "application/merge-patch+json"


def node_patch(node_labels, want, dropped=()):
    """The ``metadata.labels`` merge patch that gives a node ``want`` and removes ``dropped``.

    :param dict node_labels: the node's labels now. :param dict want: label -> value (strings).
    :param dropped: label keys the node group's configuration no longer has (removed when present).
    :returns: ``dict`` label -> value or ``None`` (delete), empty when the node already fits.
    """
    node_labels = node_labels or {}
    patch = dict((key, value) for key, value in want.items() if node_labels.get(key) != value)
    patch.update((key, None) for key in dropped if key in node_labels and key not in want)
    return patch


def plan_nodes(nodes, cluster_name, nodegroup, want, dropped=()):
    """``[(node name, patch)]`` for the nodes of ``nodegroup`` among ``nodes`` (a NodeList's items)
    that differ from ``want`` (:func:`node_patch`)."""
    out = []
    for node in nodes or []:
        if node_group_of(node, cluster_name) != nodegroup:
            continue
        meta = node.get("metadata") or {}
        patch = node_patch(meta.get("labels"), want, dropped)
        if patch:
            out.append((meta.get("name"), patch))
    return sorted(out, key=lambda item: item[0] or "")


def label_existing_nodes(api, cluster_uuid, cluster_name, nodegroup, want, before=None, check_mode=False):
    """Put the node group's Kubernetes labels ``want`` on its existing nodes (check mode: only reads).

    :param api: an ``NksApi`` (for the kubeconfig). :param dict want: label -> value.
    :param dict before: the node group's labels before the task (``node_labels`` of its view); the keys no
        longer in ``want`` are removed from the nodes.
    :returns: the names of the nodes labelled (or that would be, in check mode).
    :raises KubeconfigError: when the Kubernetes API cannot be reached or refuses a request.
    """
    dropped = sorted(set(before or {}) - set(want or {}))
    doc = own_kubeconfig(load_kubeconfig(api.get_kubeconfig(cluster_uuid)), cluster_name)
    with KubeSession(doc) as kube:
        response, problem, hint = kube.get("/api/v1/nodes")
        if response is not None:
            problem, hint = _answer_problem(response, "GET /api/v1/nodes")
        if problem:
            raise KubeconfigError("label_existing_nodes: cannot list the nodes of cluster %r: %s (%s)"
                                  % (cluster_name, problem, hint))
        todo = plan_nodes(response.json().get("items"), cluster_name, nodegroup, want or {}, dropped)
        if check_mode:
            return [name for name, _patch in todo]
        for name, patch in todo:
            path = "/api/v1/nodes/%s" % quote(name, safe="")
            try:
                answer = kube.session.patch(kube.server + path, data=json.dumps({"metadata": {"labels": patch}}),
                                            headers={"Content-Type": MERGE_PATCH}, timeout=kube.timeout,
                                            verify=kube.session.verify)
            except Exception as exc:  # requests' errors: connection, TLS, timeout
                raise KubeconfigError("label_existing_nodes: PATCH %s failed: %s" % (path, exc))
            problem, hint = _answer_problem(answer, "PATCH %s" % path)
            if problem:
                raise KubeconfigError("label_existing_nodes: %s (%s)" % (problem, hint))
    return [name for name, _patch in todo]
