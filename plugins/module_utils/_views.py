# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed, secret-free views of API objects: what modules return and diff.

The API answers label strings (``"True"``, ``"10"``, ``"a:b"``); these views
give the same data in the modules' option names and types, so a module's
``cluster`` return value can be fed back as its options.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ._labels import (AUTOSCALE_LABELS, CLUSTER_LABELS, NODEGROUP_LABELS, from_labels,
                      redact_labels, to_int)

_CLUSTER_FIELDS = ("uuid", "name", "status", "status_reason", "api_address", "flavor_id",
                   "keypair", "fixed_network", "fixed_subnet", "stack_id", "project_id",
                   "health_status", "created_at", "updated_at")
_NODEGROUP_FIELDS = ("uuid", "name", "cluster_id", "status", "status_reason", "flavor_id",
                     "image_id", "role", "is_default", "stack_id", "project_id", "created_at",
                     "updated_at")


def cluster_view(obj):
    """Typed view of a cluster from List Clusters or Get a Cluster.

    :returns: ``dict`` with ``uuid``, ``name``, ``status``, ``status_reason``,
        ``kube_version``, ``kube_version_status``, ``node_count`` (int, all
        workers), ``api_address``, ``node_addresses`` (list), the create options
        read back from the labels (typed), ``autoscale`` (default worker group),
        ``certificate_expiry``, ``term_of_validity`` and the raw ``labels``
        (secrets masked). ``None`` for ``None``.
    """
    if obj is None:
        return None
    labels = obj.get("labels") or {}
    view = dict((key, obj.get(key)) for key in _CLUSTER_FIELDS)
    view["node_count"] = to_int(obj.get("node_count"))
    view["node_addresses"] = list(obj.get("node_addresses") or [])
    view.update(from_labels(CLUSTER_LABELS, labels))
    view.pop("boot_volume_appkey", None)
    if view.get("extra_volumes"):
        view["extra_volumes"] = redact_labels({"extra_volumes": view["extra_volumes"]})["extra_volumes"]
    view["autoscale"] = from_labels(AUTOSCALE_LABELS, labels)
    view["kube_version_status"] = labels.get("kube_version_status")
    view["certificate_expiry"] = labels.get("certificate_expiry")
    view["term_of_validity"] = to_int(labels.get("term_of_validity"))
    view["labels"] = redact_labels(labels)
    return view


def nodegroup_view(obj):
    """Typed view of a node group from List Node Groups or Get a Node Group.

    :returns: ``dict`` with ``uuid``, ``name``, ``cluster_id``, ``status``,
        ``kube_version``, ``kube_version_status``, ``node_count``,
        ``min_node_count``, ``max_node_count``, ``node_addresses``,
        ``image_id``, ``flavor_id``, the create options read back from the
        labels, ``autoscale`` and the raw ``labels`` (secrets masked).
    """
    if obj is None:
        return None
    labels = obj.get("labels") or {}
    view = dict((key, obj.get(key)) for key in _NODEGROUP_FIELDS)
    for key in ("node_count", "min_node_count", "max_node_count"):
        view[key] = to_int(obj.get(key))
    view["node_addresses"] = list(obj.get("node_addresses") or [])
    view.update(from_labels(NODEGROUP_LABELS, labels))
    view.pop("boot_volume_appkey", None)
    if view.get("extra_volumes"):
        view["extra_volumes"] = redact_labels({"extra_volumes": view["extra_volumes"]})["extra_volumes"]
    view["autoscale"] = from_labels(AUTOSCALE_LABELS, labels)
    view["kube_version_status"] = labels.get("kube_version_status")
    view["labels"] = redact_labels(labels)
    return view


def event_view(obj):
    """A task history event as the API gives it (``id``, ``uuid``, ``type``, ``state``, ...)."""
    return dict(obj) if obj is not None else None
