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

import json

# kinds: str, int, bool, colon (list joined by ':'), list (JSON list kept as is),
# json (a dict or list sent as a JSON string; read back from a JSON string or the object itself)

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
    ("node_labels", "k8s_node_labels", "json"),
    ("control_plane_log", "control_plane_log", "control_plane_log"),
)
"""Create a Cluster: ``labels.*`` of the request, by typed option.

The guide (2026-03) types ``k8s_node_labels`` and ``control_plane_log`` as "String" without saying how an
object is written in it: both are sent as a JSON string (``{"node_type": "production"}``) and read back from
a JSON string or an object (:func:`parse_json_label`). The dict options ``floating_ip`` and
``metric_autoscale`` are several labels each: :data:`FLOATING_IP_LABELS`, :data:`METRIC_AUTOSCALE_LABELS`."""

CLUSTER_CHANGED_BY = {
    "kube_version": "upgrade",
    "ncr_sgw": "update_sgw",
    "obs_sgw": "update_sgw",
    "cni_driver": "cni_update",
    "user_script": "default_worker",
    "node_labels": "default_worker",
    "floating_ip": "default_worker",
    "metric_autoscale": "default_worker",
    "control_plane_log": "control_plane_log",
}
"""The column "changed in place by" of :data:`CLUSTER_LABELS`: the NKS operation that changes an option on an
existing cluster, named as ``nks_cluster`` names its planners (``_plan_<operation>``): ``upgrade`` (Upgrade a
Cluster, ``default-master``), ``update_sgw`` (Change Service Gateway), ``cni_update`` (Change Cluster CNI),
``default_worker`` (the operations on ``default-worker``: Change User Script, Change Kubernetes Label
Configuration, Change Floating IP Auto-assignment, Change Metric-Based Autoscaler, ...), ``control_plane_log``
(Store Logs of Kubernetes Control Plane Components). An option not listed cannot
change in place: ``nks_cluster`` refuses a different value, naming it."""

NODEGROUP_LABELS = tuple(
    row for row in CLUSTER_LABELS
    if row[0] in ("availability_zone", "boot_volume_type", "boot_volume_size", "boot_volume_key_id",
                  "boot_volume_appkey", "additional_network_ids", "additional_subnet_ids",
                  "user_script", "extra_security_groups", "extra_volumes", "kube_version", "node_labels")
)
"""Create a Node Group: ``labels.*`` of the request, by typed option."""

NODEGROUP_CHANGED_BY = {
    "node_labels": "node_labels",
    "floating_ip": "floating_ip",
    "metric_autoscale": "metric_autoscale",
}
"""Column "changed in place by" for the 2026-03 node group settings: the ``PATCH .../nodegroups/{ng}`` type
``k8s_node_labels`` / ``fip_auto_bind`` / ``metric_base_autoscale``, planned by ``_worker.plan`` (shared by
``nks_nodegroup`` and ``nks_cluster``'s ``default-worker``)."""

FLOATING_IP_LABELS = (
    ("enabled", "fip_auto_bind_enable", "bool"),
    ("subnet", "fip_bind_subnet", "str"),
    ("selector", "fip_selector", "str"),
)
"""Floating IP auto-assignment (``floating_ip`` suboptions): create labels ``fip_*`` and the keys of
``fip_auto_bind_update_info`` of Change Floating IP Auto-assignment Configuration."""

METRIC_AUTOSCALE_LABELS = (
    ("scale_out", "mba_scale_out", "mba"),
    ("scale_in", "mba_scale_in", "mba"),
)
"""Metric-based autoscaler (``metric_autoscale`` suboptions): create labels ``mba_scale_out``/``mba_scale_in``
(JSON strings) and the objects of Change Metric-Based Autoscaler Configuration."""

MBA_KEYS = (
    # suboption, API key
    ("enabled", "enable"),
    ("max_node_count", "max_node_count"),
    ("min_node_count", "min_node_count"),
    ("rules_operator", "rules_operator"),
    ("delay", "delay"),
    ("adjustment_count", "adjustment_count"),
    ("rules", "rules"),
)
"""Keys of one ``mba_scale_out``/``mba_scale_in`` object, by suboption of ``metric_autoscale.scale_out``/``scale_in``."""

CONTROL_PLANE_LOG_KEYS = (
    ("enabled", "enable"),
    ("type", "type"),
    ("sgw", "sgw"),
    ("upload_interval", "upload_interval"),
    ("lncs_appkey", "lncs_appkey"),
    ("obs_api_url", "obs_api_url"),
    ("obs_store_as", "obs_store_as"),
)
"""Keys of the ``control_plane_log`` object (Store Logs of Kubernetes Control Plane Components), by suboption."""

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
SECRET = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


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
    if kind == "json":
        return json.dumps(value, sort_keys=True)
    if kind == "mba":
        return json.dumps(mba_to_api(value), sort_keys=True)
    if kind == "control_plane_log":
        return json.dumps(control_plane_log_to_api(value), sort_keys=True)
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
    if kind == "json":
        return parse_json_label(value)
    if kind == "mba":
        return mba_from_api(parse_json_label(value))
    if kind == "control_plane_log":
        return control_plane_log_from_api(parse_json_label(value))
    return value


def parse_json_label(value):
    """Read a label that holds an object: the object itself, or its JSON text.

    :returns: the ``dict``/``list``; ``None`` for ``None``/``""``; a text that is not JSON as it is
        (``"True"``, as an older NKS may write ``control_plane_log``).
    """
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def _given(settings):
    return dict((key, value) for key, value in (settings or {}).items() if value is not None)


def mba_to_api(settings):
    """One ``mba_scale_out``/``mba_scale_in`` object from typed settings (``None`` values left out).

    ``enabled`` becomes ``enable`` ``"True"``/``"False"`` (the guide's example), rules are sent as given.
    """
    out = {}
    for option, key in MBA_KEYS:
        value = (settings or {}).get(option)
        if value is None:
            continue
        if option == "enabled":
            value = "True" if value else "False"
        elif option == "rules":
            value = [_given(rule) for rule in value]
        out[key] = value
    return out


def mba_from_api(data):
    """Typed settings of one ``mba_scale_*`` object (``enable`` as bool, counts as ints); ``{}`` when unknown."""
    if not isinstance(data, dict):
        return {}
    out = {}
    for option, key in MBA_KEYS:
        if key not in data:
            continue
        value = data[key]
        if option == "enabled":
            value = to_bool(value)
        elif option == "rules":
            value = [dict((k, to_int(v) if k != "metric" else v) for k, v in rule.items())
                     for rule in (value or []) if isinstance(rule, dict)]
        elif option == "rules_operator":
            value = str(value).upper() if value is not None else None
        else:
            value = to_int(value)
        out[option] = value
    return out


def metric_autoscale_to_api(settings):
    """Body keys ``mba_scale_out``/``mba_scale_in`` of Change Metric-Based Autoscaler Configuration."""
    out = {}
    for option, key, _kind in METRIC_AUTOSCALE_LABELS:
        if (settings or {}).get(option) is not None:
            out[key] = mba_to_api(settings[option])
    return out


def metric_autoscale_from_labels(labels):
    """Typed ``metric_autoscale`` from a node group's labels (keys present only when NKS reports them)."""
    return from_labels(METRIC_AUTOSCALE_LABELS, labels)


def floating_ip_to_api(settings):
    """``fip_auto_bind_update_info`` of Change Floating IP Auto-assignment Configuration (``enable`` a bool)."""
    out = {}
    for option, key, _kind in FLOATING_IP_LABELS:
        value = (settings or {}).get(option)
        if value is not None:
            out[key] = bool(value) if option == "enabled" else value
    return out


def control_plane_log_to_api(settings):
    """The ``control_plane_log`` object from typed settings (``None`` values left out, ``enable`` a bool)."""
    out = {}
    for option, key in CONTROL_PLANE_LOG_KEYS:
        value = (settings or {}).get(option)
        if value is not None:
            out[key] = bool(value) if option == "enabled" else value
    return out


def control_plane_log_from_api(data):
    """Typed ``control_plane_log`` from the label or the cluster's answer; the appkey is masked.

    A bare ``"True"``/``"False"`` reads as ``{"enabled": ...}``.
    """
    if data is None:
        return None
    if not isinstance(data, dict):
        flag = to_bool(data)
        return {"enabled": flag} if flag is not None else None
    out = {}
    for option, key in CONTROL_PLANE_LOG_KEYS:
        if key in data:
            value = data[key]
            if option == "enabled":
                value = to_bool(value)
            elif option == "upload_interval":
                value = to_int(value)
            elif option == "lncs_appkey" and value:
                value = SECRET
            out[option] = value
    return out


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
            out[key] = SECRET
    cpl = parse_json_label(out.get("control_plane_log"))
    if isinstance(cpl, dict) and cpl.get("lncs_appkey"):
        out["control_plane_log"] = json.dumps(dict(cpl, lncs_appkey=SECRET), sort_keys=True)
    if isinstance(out.get("extra_volumes"), list):
        out["extra_volumes"] = [
            dict(vol, volume_appkey="VALUE_SPECIFIED_IN_NO_LOG_PARAMETER")
            if isinstance(vol, dict) and vol.get("volume_appkey") else vol
            for vol in out["extra_volumes"]
        ]
    return out
