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

import ipaddress

from ._labels import (AUTOSCALE_LABELS, CLUSTER_LABELS, NODEGROUP_LABELS, from_labels,
                      redact_labels, to_bool, to_int)
from ._validation import ValidationError, available_versions, normalize_ip_cidr
from ._worker import current as worker_settings

ACL_OFF = {"enabled": False, "action": None, "targets": []}
"""The typed view of an IP ACL that is off (NKS ignores action and targets then)."""
AUTOSCALE_KEYS = tuple(row[0] for row in AUTOSCALE_LABELS)

_CLUSTER_FIELDS = ("uuid", "name", "status", "status_reason", "api_address", "flavor_id",
                   "keypair", "fixed_network", "fixed_subnet", "stack_id", "project_id",
                   "health_status", "created_at", "updated_at")
_NODEGROUP_FIELDS = ("uuid", "name", "cluster_id", "status", "status_reason", "flavor_id",
                     "image_id", "role", "is_default", "stack_id", "project_id", "created_at",
                     "updated_at")


def _add_worker_fields(view, obj, table):
    """Add to ``view`` what clusters and node groups share: ``node_addresses``, the create
    options read back from the labels by ``table`` (without ``boot_volume_appkey``;
    ``extra_volumes`` with their appkeys masked) and ``autoscale`` (the ``ca_*`` labels)."""
    labels = obj.get("labels") or {}
    view["node_addresses"] = list(obj.get("node_addresses") or [])
    view.update(from_labels(table, labels))
    view.pop("boot_volume_appkey", None)
    if view.get("extra_volumes"):
        view["extra_volumes"] = redact_labels({"extra_volumes": view["extra_volumes"]})["extra_volumes"]
    view["autoscale"] = from_labels(AUTOSCALE_LABELS, labels)
    view.update(worker_settings(labels))  # node_labels, floating_ip, metric_autoscale (guide 2026-03)
    view["platform_version"] = labels.get("platform_version") or obj.get("platform_version")
    view["kube_version_status"] = labels.get("kube_version_status") or obj.get("kube_version_status")


def cluster_view(obj):
    """Typed view of a cluster from List Clusters or Get a Cluster.

    :returns: ``dict`` with ``uuid``, ``name``, ``status``, ``status_reason``,
        ``kube_version``, ``kube_version_status``, ``node_count`` (int, all
        workers), ``api_address``, ``node_addresses`` (list), the create options
        read back from the labels (typed), ``autoscale``, ``node_labels``, ``floating_ip`` and
        ``metric_autoscale`` (default worker group), ``control_plane_log`` (``lncs_appkey`` masked),
        ``platform_version``, ``health_status`` and ``health_status_reason`` (guide 2026-03),
        ``certificate_expiry``, ``term_of_validity`` and the raw ``labels``
        (secrets masked). ``None`` for ``None``.
    """
    if obj is None:
        return None
    labels = obj.get("labels") or {}
    view = dict((key, obj.get(key)) for key in _CLUSTER_FIELDS)
    view["node_count"] = to_int(obj.get("node_count"))
    _add_worker_fields(view, obj, CLUSTER_LABELS)
    view["health_status_reason"] = obj.get("health_status_reason")
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
        labels, ``autoscale``, ``node_labels``, ``floating_ip``, ``metric_autoscale``,
        ``platform_version`` and the raw ``labels`` (secrets masked).
    """
    if obj is None:
        return None
    labels = obj.get("labels") or {}
    view = dict((key, obj.get(key)) for key in _NODEGROUP_FIELDS)
    for key in ("node_count", "min_node_count", "max_node_count"):
        view[key] = to_int(obj.get(key))
    _add_worker_fields(view, obj, NODEGROUP_LABELS)
    view["labels"] = redact_labels(labels)
    return view


def event_view(obj):
    """A task history event as the API gives it (``id``, ``uuid``, ``type``, ``state``, ...)."""
    return dict(obj) if obj is not None else None


def autoscale_view(data):
    """Typed autoscaler settings from View Autoscaler Configuration of a Node Group or from
    the ``ca_*`` labels: every key of the ``autoscale`` option, ``None`` when NKS gives none.

    :param dict data: the API answer; ``"True"``/``true``/``"10"``/``10`` are all read.
    """
    settings = from_labels(AUTOSCALE_LABELS, data or {})
    return dict((key, settings.get(key)) for key in AUTOSCALE_KEYS)


def supports_view(data):
    """See the Supported Kubernetes Versions (``/v1/supports``): the version flags as booleans
    (``supported_k8s``), the offered versions oldest first (``available``) and ``event_types``."""
    data = data or {}
    versions = dict((version, bool(to_bool(flag)))
                    for version, flag in (data.get("supported_k8s") or {}).items())
    return {"supported_k8s": versions, "available": available_versions(versions),
            "event_types": data.get("supported_event_type") or {}}


def _acl_sort_key(target):
    try:
        iface = ipaddress.ip_interface(u"%s" % target["cidr"])
    except ValueError:
        return (1, 0, 0, target["cidr"])
    return (0, int(iface.ip), iface.network.prefixlen, target["cidr"])


def collapse_targets(targets):
    """IP ACL targets as a set: one per CIDR, sorted by address, then prefix length.

    Of several entries with the same CIDR, the last one with a description is
    kept, or the last one when none has a description.

    :param list targets: ``[{"cidr": normalised, "description": str or None}]``.
    :returns: ``(targets, duplicated_cidrs)``.
    """
    kept, dups = {}, []
    for target in targets:
        previous = kept.get(target["cidr"])
        if previous is not None:
            if target["cidr"] not in dups:
                dups.append(target["cidr"])
            if previous["description"] and not target["description"]:
                continue
        kept[target["cidr"]] = target
    return sorted(kept.values(), key=_acl_sort_key), dups


def acl_view(data):
    """Typed view of Get Cluster API Endpoint IP Access Control (``nks_ipacl`` and ``nks_info``).

    ``enable`` may be ``"true"``, ``"True"`` or ``true``; the guide's table spells the
    description key ``descripion`` while its examples say ``description``: both are read.
    Targets are in CIDR notation (a bare address as ``/32``) and collapsed by
    :func:`collapse_targets`; a target that is not an IPv4 address or CIDR is kept as it is.

    :returns: ``{"enabled": bool, "action": "ALLOW"/"DENY"/None, "targets": [{"cidr",
        "description"}]}``; :data:`ACL_OFF` when access control is off.
    """
    data = data or {}
    if not to_bool(data.get("enable")):
        return dict(ACL_OFF)
    targets = []
    for item in data.get("ipacl_targets") or []:
        if not isinstance(item, dict):
            continue
        cidr = str(item.get("cidr_address") or "").strip()
        try:
            cidr = normalize_ip_cidr(cidr)
        except ValidationError:
            pass
        targets.append({"cidr": cidr,
                        "description": item.get("description", item.get("descripion")) or None})
    return {"enabled": True, "action": (str(data.get("action") or "").upper() or None),
            "targets": collapse_targets(targets)[0]}
