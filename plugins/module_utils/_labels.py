# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place where typed module options meet NKS label strings.

The API keeps most settings in ``labels``, a map of strings (``"True"``,
``"10"``, colon-separated UUID lists). Modules speak typed options
(``master_lb_floating_ip: true``, ``node_count: 10``, ``external_subnet_ids:
[...]``). The tables below say which option is which label and of which kind;
:func:`to_labels` and :func:`from_labels` convert in each direction, and
:func:`normalize` makes API values comparable whatever spelling the API chose.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# kinds: str, int, bool, colon (list joined by ':'), list (JSON list kept as is)

CLUSTER_LABELS = (
    # option, label, kind
    ("kube_version", "kube_tag", "str"),
    ("availability_zone", "availability_zone", "str"),
    ("node_image", "node_image", "str"),
    ("boot_volume_type", "boot_volume_type", "str"),
    ("boot_volume_size", "boot_volume_size", "int"),
    ("boot_volume_key_id", "boot_volume_key_id", "str"),
    ("boot_volume_appkey", "boot_volume_appkey", "str"),
    ("external_network_id", "external_network_id", "str"),
    ("external_subnet_ids", "external_subnet_id_list", "colon"),
    ("master_lb_floating_ip", "master_lb_floating_ip_enabled", "bool"),
    ("strict_sg_rules", "strict_sg_rules", "bool"),
    ("additional_network_ids", "additional_network_id_list", "colon"),
    ("additional_subnet_ids", "additional_subnet_id_list", "colon"),
    ("service_cluster_ip_range", "service_cluster_ip_range", "str"),
    ("pods_network_cidr", "pods_network_cidr", "str"),
    ("pods_network_subnet", "pods_network_subnet", "int_raw"),
    ("ncr_sgw", "ncr_sgw", "str"),
    ("obs_sgw", "obs_sgw", "str"),
    ("cni_driver", "cni_driver", "str"),
    ("user_script", "user_script_v2", "str"),
    ("legacy_user_script", "user_script", "str"),
    ("extra_security_groups", "extra_security_groups", "security_groups"),
    ("extra_volumes", "extra_volumes", "volumes"),
)
"""Create a Cluster: ``labels.*`` of the request, by typed option."""

CLUSTER_CHANGED_BY = {
    "kube_version": "upgrade",
    "ncr_sgw": "update_sgw",
    "obs_sgw": "update_sgw",
    "cni_driver": "cni_update",
    "user_script": "default_worker",
}
"""The column "changed in place by" of :data:`CLUSTER_LABELS`: the NKS operation that changes an option on an
existing cluster, named as ``nks_cluster`` names its planners (``_plan_<operation>``): ``upgrade`` (Upgrade a
Cluster, ``default-master``), ``update_sgw`` (Change Service Gateway), ``cni_update`` (Change Cluster CNI),
``default_worker`` (the operations on ``default-worker``: Change User Script, ...). An option not listed cannot
change in place: ``nks_cluster`` refuses a different value, naming it."""

NODEGROUP_LABELS = tuple(
    row for row in CLUSTER_LABELS
    if row[0] in ("availability_zone", "boot_volume_type", "boot_volume_size", "boot_volume_key_id",
                  "boot_volume_appkey", "additional_network_ids", "additional_subnet_ids",
                  "user_script", "extra_security_groups", "extra_volumes", "kube_version")
)
"""Create a Node Group: ``labels.*`` of the request, by typed option."""

AUTOSCALE_LABELS = (
    ("enabled", "ca_enable", "bool"),
    ("min_node_count", "ca_min_node_count", "int"),
    ("max_node_count", "ca_max_node_count", "int"),
    ("scale_down_enabled", "ca_scale_down_enable", "bool"),
    ("scale_down_unneeded_time", "ca_scale_down_unneeded_time", "int"),
    ("scale_down_util_thresh", "ca_scale_down_util_thresh", "int"),
    ("scale_down_delay_after_add", "ca_scale_down_delay_after_add", "int"),
)
"""Autoscaler settings: the ``ca_*`` labels and the autoscale API's keys."""

FIXED_CLUSTER_LABELS = {"cert_manager_api": "True", "clusterautoscale": "nodegroupfeature"}
"""Labels every create carries: the guide says ``cert_manager_api`` must be ``"True"``."""

SECRET_LABELS = frozenset(["boot_volume_appkey"])


def to_bool(value):
    """Read the API's many spellings of a boolean: ``True``, ``"True"``, ``"true"``, ``"1"``.

    :returns: ``True``/``False``, or ``None`` for ``None``/``""``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def to_int(value):
    """Read ``10`` or ``"10"``; ``None``/``""`` stay ``None``; other text stays as is."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _split(value, sep):
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def _encode(kind, value):
    if kind == "bool":
        return "True" if value else "False"
    if kind == "int":
        return str(int(value))
    if kind == "int_raw":
        return int(value)
    if kind == "colon":
        return ":".join(value)
    if kind == "security_groups":
        return [{"target_subnet": item["target_subnet"],
                 "security_group_ids": ",".join(item["security_group_ids"])} for item in value]
    if kind == "volumes":
        return [dict((k, v) for k, v in item.items() if v is not None) for item in value]
    return str(value)


def _decode(kind, value):
    if kind == "bool":
        return to_bool(value)
    if kind in ("int", "int_raw"):
        return to_int(value)
    if kind == "colon":
        return _split(value, ":")
    if kind == "security_groups":
        return [{"target_subnet": item.get("target_subnet"),
                 "security_group_ids": _split(item.get("security_group_ids"), ",")}
                for item in (value or []) if isinstance(item, dict)]
    if kind == "volumes":
        out = []
        for item in value or []:
            if isinstance(item, dict):
                vol = dict(item)
                if "volume_size" in vol:
                    vol["volume_size"] = to_int(vol["volume_size"])
                out.append(vol)
        return out
    return value


def to_labels(table, options):
    """Turn typed options into API labels.

    :param table: one of the ``*_LABELS`` tables.
    :param dict options: typed option values; ``None`` means "not set" and is left out.
    :returns: ``dict`` label -> API value (strings, except ``pods_network_subnet``
        which the guide types as an integer, and the list-valued labels).
    """
    labels = {}
    for option, label, kind in table:
        value = options.get(option)
        if value is not None:
            labels[label] = _encode(kind, value)
    return labels


def from_labels(table, labels):
    """Turn API labels into typed options (the inverse of :func:`to_labels`).

    Labels absent from ``labels`` are absent from the result.

    :returns: ``dict`` option -> typed value.
    """
    labels = labels or {}
    out = {}
    for option, label, kind in table:
        if label in labels:
            out[option] = _decode(kind, labels[label])
    return out


def autoscale_from_api(data):
    """Typed autoscaler settings from ``GET .../autoscale`` or from ``ca_*`` labels.

    :param dict data: the API answer; values may be ``"True"``/``true``/``"10"``/``10``.
    :returns: ``dict`` with the keys of :data:`AUTOSCALE_LABELS` that were present.
    """
    return from_labels(AUTOSCALE_LABELS, data)


def autoscale_to_api(settings):
    """Body of ``POST .../autoscale`` from typed settings (``None`` values left out)."""
    return to_labels(AUTOSCALE_LABELS, settings)


def redact_labels(labels):
    """Return a copy of ``labels`` with secret values (appkeys) replaced by a marker."""
    out = dict(labels or {})
    for key in SECRET_LABELS:
        if out.get(key):
            out[key] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    if isinstance(out.get("extra_volumes"), list):
        out["extra_volumes"] = [
            dict(vol, volume_appkey="VALUE_SPECIFIED_IN_NO_LOG_PARAMETER")
            if isinstance(vol, dict) and vol.get("volume_appkey") else vol
            for vol in out["extra_volumes"]
        ]
    return out
