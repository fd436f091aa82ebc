"""Input rules of the guide, as pure functions raising :class:`ApiError` (400).

Sections: "Create a Cluster" (names, CIDR rules, pods_network_subnet),
"Change Cluster CNI" (pod_cidr / pod_subnet), "Resize", "Upgrade a Cluster",
"Change Autoscaler Configuration", "Renew Cluster Certificate", and
NKS_API_NOTES.md "Rules".
"""

from __future__ import annotations

import functools
import ipaddress
import re
import uuid
from typing import Any, Dict, Iterable, Optional, Tuple

from .errors import bad_request
from .region_catalogue import zones_of

LINK_LOCAL = ipaddress.ip_network("169.254.0.0/16")
NKS_INTERNAL = ipaddress.ip_network("198.18.0.0/19")
DOCKER_BIP = ipaddress.ip_network("172.17.0.0/16")
NAME_RE = re.compile(r"^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$")


def to_label(value: Any) -> str:
    """Labels are strings in NKS: ``True``/``False`` for booleans, digits for numbers."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return ""
    return str(value)


def stored_label(key: str, value: Any, drift: bool) -> Any:
    """A label value as NKS stores it. Lists and dicts (``extra_volumes``) are kept;
    other values become strings (:func:`to_label`). With ``drift`` (nhn-field-behaviour.md
    N6, N7): boolean strings come back as ``True``/``False`` whatever the case sent, and
    ``*_id_list`` colon lists come back rotated by one (always another order when they
    hold two different ids)."""
    if isinstance(value, (list, dict)):
        return value
    text = to_label(value)
    if not drift:
        return text
    if text.strip().lower() in ("true", "false"):
        return "True" if text.strip().lower() == "true" else "False"
    if key.endswith("_id_list") and ":" in text:
        items = text.split(":")
        return ":".join(items[1:] + items[:1])
    return text


def stored_labels(labels: Dict[str, Any], drift: bool) -> Dict[str, Any]:
    """:func:`stored_label` over a whole label dict."""
    return {key: stored_label(key, value, drift) for key, value in labels.items()}


def is_uuid(text: str) -> bool:
    """True when ``text`` parses as a UUID."""
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_dashed_uuid(text: Any) -> bool:
    """True for the guide's UUID form ``8-4-4-4-12`` hex digits (what NKS returns)."""
    return isinstance(text, str) and bool(UUID_RE.fullmatch(text))


def check_uuid(value: Any, field: str, optional: bool = False) -> None:
    """A field the guide types "UUID". ``optional``: ``""``/absent is allowed. Raises 400."""
    if optional and value in (None, ""):
        return
    if not is_dashed_uuid(value):
        raise bad_request(f"Invalid input for field {field}: '{value}' is not a valid UUID.")


def check_uuid_list(value: Any, field: str) -> None:
    """A colon-separated UUID list label (``external_subnet_id_list``...); ``""`` is allowed."""
    if value in (None, ""):
        return
    for item in str(value).split(":"):
        check_uuid(item, field)


def check_ids(body: Dict[str, Any], required: Iterable[str], label_ids: Iterable[str] = (),
              label_lists: Iterable[str] = ()) -> None:
    """UUID checks of a request: required top-level fields, optional UUID labels and
    optional colon-list labels ("Create a Cluster", "Create a Node Group"). Raises 400."""
    labels = body.get("labels") or {}
    for field in required:
        check_uuid(body.get(field), field)
    for key in label_ids:
        check_uuid(labels.get(key), f"labels.{key}", optional=True)
    for key in label_lists:
        check_uuid_list(labels.get(key), f"labels.{key}")


def check_name(name: str, what: str = "Cluster") -> None:
    """Names: lowercase letters, digits and ``-``; start with a letter; end with a
    letter or digit; at most 32 characters; not UUID-shaped (Korean guide, notes)."""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name) or is_uuid(name):
        raise bad_request(
            f"{what} name '{name}' is invalid: use 1-32 lowercase letters, digits or '-', "
            "starting with a letter and ending with a letter or digit (not a UUID)."
        )


def parse_bool(value: Any, field: str) -> bool:
    """Accept ``"True"``/``"False"`` in any case, and JSON booleans."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise bad_request(f"Invalid value for {field}: '{value}' (expected \"True\" or \"False\").")


def parse_int(value: Any, field: str, low: Optional[int] = None, high: Optional[int] = None) -> int:
    """Integer (or digit string) within ``[low, high]``."""
    if isinstance(value, bool):
        raise bad_request(f"Invalid value for {field}: {value!r} (expected an integer).")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise bad_request(f"Invalid value for {field}: {value!r} (expected an integer).") from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise bad_request(f"Invalid value for {field}: {number} (allowed range {low}..{high}).")
    return number


def parse_version(version: str) -> Tuple[int, ...]:
    """``v1.26.3`` -> ``(1, 26, 3)``; 400 for anything else."""
    parsed = _parse_version_text(str(version).strip())
    if parsed is None:
        raise bad_request(f"Invalid Kubernetes version '{version}' (expected e.g. v1.28.3).")
    return parsed


@functools.lru_cache(maxsize=1024)
def _parse_version_text(text: str) -> Optional[Tuple[int, ...]]:
    """:func:`parse_version` of a stripped string, None when it is not a version; cached: List
    Clusters asks for the version status of every cluster, a few parses each."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)", text)
    return tuple(int(x) for x in match.groups()) if match else None


def check_supported(version: str, supported: Dict[str, bool]) -> None:
    """The version must be listed as ``true`` in ``/v1/supports``."""
    if not supported.get(version, False):
        valid = ", ".join(v for v, ok in supported.items() if ok)
        raise bad_request(f"Kubernetes version {version} is not supported (supported: {valid}).")


def version_status(version: str, supported: Dict[str, bool]) -> str:
    """``labels.kube_version_status``: ``LATEST`` unless a newer supported version exists
    (an unparsable ``version`` is ``LATEST``; unparsable supported versions are passed over)."""
    current = _parse_version_text(str(version).strip())
    if current is None:
        return "LATEST"
    newest = _newest(tuple(other for other, ok in supported.items() if ok))
    return "NEED_UPGRADE" if newest is not None and newest > current else "LATEST"


@functools.lru_cache(maxsize=64)
def _newest(versions: Tuple[str, ...]) -> Optional[Tuple[int, ...]]:
    """The newest parsable version of ``versions`` as a tuple, None when there is none (cached)."""
    parsed = [_parse_version_text(str(v).strip()) for v in versions]
    return max((p for p in parsed if p is not None), default=None)


def parse_cidr(value: Any, field: str) -> ipaddress.IPv4Network:
    """An IPv4 network in CIDR notation, host bits clear."""
    try:
        net = ipaddress.ip_network(str(value).strip(), strict=True)
    except ValueError as exc:
        raise bad_request(f"Invalid CIDR for {field}: '{value}' ({exc}).") from None
    if net.version != 4:
        raise bad_request(f"Invalid CIDR for {field}: '{value}' (IPv4 only).")
    return net


def _check_reserved(net, field: str, kube_tag: Optional[str]) -> None:
    if net.prefixlen > 24:
        raise bad_request(f"{field} {net} is too small: a CIDR block smaller than /24 (e.g. /26, /30) is not allowed.")
    if net.overlaps(LINK_LOCAL):
        raise bad_request(f"{field} {net} overlaps the link-local range {LINK_LOCAL}.")
    if net.overlaps(NKS_INTERNAL):
        raise bad_request(f"{field} {net} overlaps the NKS internal range {NKS_INTERNAL}.")
    if kube_tag is not None and parse_version(kube_tag) <= (1, 23, 3) and net.overlaps(DOCKER_BIP):
        raise bad_request(f"{field} {net} overlaps the docker bridge range {DOCKER_BIP} (clusters v1.23.3 and older).")


def _check_disjoint(nets: Iterable[Tuple[str, Any]]) -> None:
    items = list(nets)
    for i, (name_a, a) in enumerate(items):
        for name_b, b in items[i + 1:]:
            if a.overlaps(b):
                raise bad_request(f"{name_a} {a} overlaps {name_b} {b}.")


def check_pod_subnet(value: Any, pod_net, field: str) -> int:
    """pods_network_subnet / pod_subnet: 20..28 and at least the pod CIDR prefix + 2."""
    size = parse_int(value, field, 20, 28)
    if size < pod_net.prefixlen + 2:
        raise bad_request(
            f"{field} {size} must be at least 2 greater than the pod network prefix /{pod_net.prefixlen}."
        )
    return size


def check_create_networks(fixed_cidr: str, labels: Dict[str, Any], kube_tag: str) -> Dict[str, str]:
    """CIDR rules of "Create a Cluster" for fixed_subnet, pods_network_cidr,
    service_cluster_ip_range and pods_network_subnet; returns the effective labels."""
    fixed = parse_cidr(fixed_cidr, "fixed_subnet")
    pods = parse_cidr(labels.get("pods_network_cidr") or "10.100.0.0/16", "pods_network_cidr")
    service = parse_cidr(labels.get("service_cluster_ip_range") or "10.254.0.0/16", "service_cluster_ip_range")
    named = [("fixed_subnet", fixed), ("pods_network_cidr", pods), ("service_cluster_ip_range", service)]
    for field, net in named:
        _check_reserved(net, field, kube_tag)
    _check_disjoint(named)
    subnet = check_pod_subnet(labels.get("pods_network_subnet", 24), pods, "pods_network_subnet")
    return {
        "pods_network_cidr": str(pods),
        "service_cluster_ip_range": str(service),
        "pods_network_subnet": str(subnet),
    }


def check_cni_networks(pod_cidr: Any, pod_subnet: Any, fixed_cidr: str, labels: Dict[str, str],
                       additional: Iterable[str] = ()) -> Tuple[str, str]:
    """pod_cidr / pod_subnet rules of "Change Cluster CNI"; ``additional``: CIDRs of the
    cluster's additional subnets whose CIDR the simulator knows (config ``subnets``)."""
    pods = parse_cidr(pod_cidr, "pod_cidr")
    _check_reserved(pods, "pod_cidr", None)
    others = [
        ("the service network (service_cluster_ip_range)", parse_cidr(labels["service_cluster_ip_range"], "service")),
        ("the VPC subnet (fixed_subnet)", parse_cidr(fixed_cidr, "fixed_subnet")),
        ("the current pod network (pods_network_cidr)", parse_cidr(labels["pods_network_cidr"], "pods")),
    ] + [("an additional network subnet", parse_cidr(cidr, "additional subnet")) for cidr in additional]
    for name, net in others:
        if pods.overlaps(net):
            raise bad_request(f"pod_cidr {pods} overlaps {name} {net}.")
    size = check_pod_subnet(24 if pod_subnet is None else pod_subnet, pods, "pod_subnet")
    return str(pods), str(size)


def check_upgrade(target: str, current: str, master_version: str, is_master: bool,
                  worker_versions: Iterable[str], supported: Dict[str, bool]) -> None:
    """Upgrade rules (NKS_API_NOTES.md "Rules"): only supported versions, one minor
    step, no downgrade or same version, control plane first, workers never above
    the control plane, all groups equal before the next control-plane step."""
    check_supported(target, supported)
    new, cur = parse_version(target), parse_version(current)
    if new <= cur:
        raise bad_request(f"Cannot upgrade from {current} to {target}: downgrade or same version is not allowed.")
    if new[0] != cur[0] or new[1] != cur[1] + 1:
        raise bad_request(f"Cannot upgrade from {current} to {target}: only one minor version per step is allowed.")
    if is_master:
        behind = sorted({v for v in worker_versions if v != current})
        if behind:
            raise bad_request(
                f"Cannot upgrade the control plane to {target}: upgrade every worker node group to "
                f"{current} first (found {', '.join(behind)})."
            )
    elif new > parse_version(master_version):
        raise bad_request(
            f"Cannot upgrade to {target}: a worker node group cannot be above the control plane "
            f"({master_version}); upgrade default-master first."
        )


def check_rolling(body: Dict[str, Any], node_count: int, quota: int) -> None:
    """num_buffer_nodes 0..(quota - node_count); num_max_unavailable_nodes 1..node_count."""
    if body.get("num_buffer_nodes") is not None:
        parse_int(body["num_buffer_nodes"], "num_buffer_nodes", 0, max(0, quota - node_count))
    if body.get("num_max_unavailable_nodes") is not None:
        parse_int(body["num_max_unavailable_nodes"], "num_max_unavailable_nodes", 1, max(1, node_count))


def check_autoscale(values: Dict[str, Any], quota: int) -> Dict[str, str]:
    """Autoscaler labels: ca_min/ca_max 1..quota and min <= max; booleans as "True"/"False"."""
    out: Dict[str, str] = {}
    for key in ("ca_enable", "ca_scale_down_enable"):
        if values.get(key) is not None:
            out[key] = "True" if parse_bool(values[key], key) else "False"
    low = high = None
    if values.get("ca_min_node_count") not in (None, ""):
        low = parse_int(values["ca_min_node_count"], "ca_min_node_count", 1, quota)
        out["ca_min_node_count"] = str(low)
    if values.get("ca_max_node_count") not in (None, ""):
        high = parse_int(values["ca_max_node_count"], "ca_max_node_count", 1, quota)
        out["ca_max_node_count"] = str(high)
    if low is not None and high is not None and low > high:
        raise bad_request(f"ca_min_node_count {low} must not be greater than ca_max_node_count {high}.")
    for key in ("ca_scale_down_unneeded_time", "ca_scale_down_util_thresh", "ca_scale_down_delay_after_add"):
        if values.get(key) not in (None, ""):
            out[key] = str(parse_int(values[key], key, 0, None if key != "ca_scale_down_util_thresh" else 100))
    return out


# ---------------------------------------------------------------- 2026-03 guide
#: Kubernetes label rules (user guide "Kubernetes Label Settings").
K8S_LABEL_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$")
K8S_LABEL_VALUE = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$")
RESERVED_LABEL_PREFIXES = ("kubernetes.io", "k8s.io", "magnum.openstack.org")
MAX_K8S_NODE_LABELS = 20
#: Metrics of the metric-based autoscaler (guide, "List of metric settings").
MBA_METRICS = ("GROUP_CPU_USAGE", "GROUP_MEMORY_USAGE", "GROUP_DISK_READ_BYTES", "GROUP_DISK_WRITE_BYTES",
               "GROUP_NETWORK_SENT_BYTES", "GROUP_NETWORK_RECV_BYTES")


def _json_object_label(value: Any, field: str) -> Dict[str, Any]:
    """A create-time label that carries an object: a dict, or its JSON text (the guide types these
    labels "String" without saying how; docs/simulator.md "Assumptions the guide does not settle")."""
    import json
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(str(value))
    except ValueError:
        raise bad_request(f"Invalid value for {field}: expected a JSON object.") from None
    if not isinstance(parsed, dict):
        raise bad_request(f"Invalid value for {field}: expected a JSON object.")
    return parsed


def check_k8s_node_labels(value: Any, field: str = "k8s_node_labels") -> Dict[str, str]:
    """Kubernetes labels of a node group: at most 20 key/value pairs; keys ``[prefix/]name`` (prefix a
    DNS subdomain of at most 253 characters, not kubernetes.io, k8s.io, magnum.openstack.org; name at
    most 63 alphanumerics, ``-_.`` inside); values empty or the same form as a name (user guide
    "Kubernetes Label Settings"). ``value``: a dict, its JSON text, or ``key=value,key=value``.
    Returns the labels as strings. Raises 400 naming the key."""
    if isinstance(value, str) and not value.strip().startswith("{"):
        pairs = {}
        for item in filter(None, (p.strip() for p in value.split(","))):
            key, sep, val = item.partition("=")
            if not sep:
                raise bad_request(f"Invalid {field}: '{item}' is not key=value.")
            pairs[key.strip()] = val.strip()
        value = pairs
    labels = _json_object_label(value, field)
    if len(labels) > MAX_K8S_NODE_LABELS:
        raise bad_request(f"Invalid {field}: at most {MAX_K8S_NODE_LABELS} labels (got {len(labels)}).")
    out: Dict[str, str] = {}
    for key, val in labels.items():
        key = str(key)
        prefix, _, name = key.rpartition("/")
        if prefix:
            if len(prefix) > 253 or not DNS_SUBDOMAIN.fullmatch(prefix):
                raise bad_request(f"Invalid {field} key '{key}': the prefix must be a DNS subdomain "
                                  "of at most 253 characters.")
            if any(prefix == p or prefix.endswith("." + p) for p in RESERVED_LABEL_PREFIXES):
                raise bad_request(f"Invalid {field} key '{key}': the prefixes {', '.join(RESERVED_LABEL_PREFIXES)} "
                                  "are reserved.")
        if not K8S_LABEL_NAME.fullmatch(name):
            raise bad_request(f"Invalid {field} key '{key}': the name must be 1-63 letters, digits, '-', '_' "
                              "or '.', starting and ending with a letter or digit.")
        text = "" if val is None else to_label(val)
        if not K8S_LABEL_VALUE.fullmatch(text):
            raise bad_request(f"Invalid {field} value '{text}' of key '{key}': at most 63 letters, digits, "
                              "'-', '_' or '.', starting and ending with a letter or digit, or empty.")
        out[key] = text
    return out


def check_fip_auto_bind(info: Any, field: str = "fip_auto_bind_update_info") -> Dict[str, str]:
    """Floating IP auto-assignment: ``fip_auto_bind_enable`` required; ``fip_bind_subnet`` (a UUID)
    required when enabled; ``fip_selector`` optional. Returns the node group labels to store."""
    if not isinstance(info, dict):
        raise bad_request(f"{field} must be an object.")
    if info.get("fip_auto_bind_enable") is None:
        raise bad_request(f"{field}.fip_auto_bind_enable is required.")
    enable = parse_bool(info["fip_auto_bind_enable"], f"{field}.fip_auto_bind_enable")
    out = {"fip_auto_bind_enable": "True" if enable else "False"}
    if enable:
        if not info.get("fip_bind_subnet"):
            raise bad_request(f"{field}.fip_bind_subnet is required when fip_auto_bind_enable is true.")
        check_uuid(info["fip_bind_subnet"], f"{field}.fip_bind_subnet")
    for key in ("fip_bind_subnet", "fip_selector"):
        if info.get(key) not in (None, ""):
            out[key] = str(info[key])
    return out


def check_mba_policy(policy: Any, field: str, quota: int) -> Dict[str, Any]:
    """One policy of the metric-based autoscaler (``mba_scale_out`` / ``mba_scale_in``): ``enable``;
    ``max_node_count`` (out) / ``min_node_count`` (in) 1..quota; ``rules_operator`` AND/OR (any case);
    ``delay`` 1..60 min; ``adjustment_count`` 1..10; ``rules`` at least one when enabled, each with
    ``metric`` (one of :data:`MBA_METRICS`), ``threshold`` (>= 0) and ``duration`` 2..60 min.
    Defaults: user guide "Metric-based Autoscaler Settings". Returns the normalised policy."""
    if not isinstance(policy, dict):
        raise bad_request(f"{field} must be an object.")
    out_side = field.endswith("out")
    enable = parse_bool(policy.get("enable", False), f"{field}.enable")
    count_key = "max_node_count" if out_side else "min_node_count"
    result: Dict[str, Any] = {"enable": enable}
    result[count_key] = parse_int(policy.get(count_key, quota if out_side else 1), f"{field}.{count_key}", 1, quota)
    operator = str(policy.get("rules_operator", "OR")).upper()
    if operator not in ("AND", "OR"):
        raise bad_request(f"Invalid value for {field}.rules_operator: '{policy.get('rules_operator')}' "
                          "(AND or OR).")
    result["rules_operator"] = operator
    result["delay"] = parse_int(policy.get("delay", 10), f"{field}.delay", 1, 60)
    result["adjustment_count"] = parse_int(policy.get("adjustment_count", 1), f"{field}.adjustment_count", 1, 10)
    items = policy.get("rules") or []
    if not isinstance(items, list):
        raise bad_request(f"{field}.rules must be a list.")
    if enable and not items:
        raise bad_request(f"{field}.rules needs at least one rule when {field}.enable is true.")
    checked = []
    for i, rule in enumerate(items):
        where = f"{field}.rules[{i}]"
        if not isinstance(rule, dict):
            raise bad_request(f"{where} must be an object.")
        for key in ("metric", "threshold", "duration"):
            if rule.get(key) in (None, ""):
                raise bad_request(f"{where}.{key} is required.")
        if rule["metric"] not in MBA_METRICS:
            raise bad_request(f"Invalid value for {where}.metric: '{rule['metric']}' (one of {', '.join(MBA_METRICS)}).")
        checked.append({"metric": rule["metric"], "threshold": parse_int(rule["threshold"], f"{where}.threshold", 0),
                        "duration": parse_int(rule["duration"], f"{where}.duration", 2, 60)})
    result["rules"] = checked
    return result


def check_mba(body: Dict[str, Any], quota: int, prefix: str = "") -> Dict[str, str]:
    """``mba_scale_out`` / ``mba_scale_in`` of Change Metric-Based Autoscaler Configuration (objects) or
    of the create labels (``prefix`` ``labels.``; objects or their JSON text). Scale-in's minimum must
    not exceed scale-out's maximum when both are enabled. Returns the labels to store (JSON text)."""
    import json
    out: Dict[str, str] = {}
    policies = {}
    for key in ("mba_scale_out", "mba_scale_in"):
        if body.get(key) in (None, ""):
            continue
        value = body[key] if isinstance(body[key], dict) else _json_object_label(body[key], prefix + key)
        policies[key] = check_mba_policy(value, prefix + key, quota)
        out[key] = json.dumps(policies[key], separators=(",", ":"))
    scale_out, scale_in = policies.get("mba_scale_out"), policies.get("mba_scale_in")
    if scale_out and scale_in and scale_out["enable"] and scale_in["enable"] \
            and scale_in["min_node_count"] > scale_out["max_node_count"]:
        raise bad_request(f"{prefix}mba_scale_in.min_node_count {scale_in['min_node_count']} must not be greater "
                          f"than {prefix}mba_scale_out.max_node_count {scale_out['max_node_count']}.")
    return out


def check_control_plane_log(value: Any, field: str = "control_plane_log") -> Dict[str, Any]:
    """Store Logs of Kubernetes Control Plane Components: ``enable`` required; when true ``type``
    ``lncs``/``obs`` and ``sgw`` (UUID) required, ``lncs_appkey`` required for lncs, ``obs_api_url``
    (http(s) URL) required for obs; ``upload_interval`` 1..60 (default 10); ``obs_store_as`` gzip/text
    (default gzip, obs only). Returns the normalised object (``{"enable": False}`` when disabled)."""
    if isinstance(value, (bool, str)) and str(value).strip().lower() in ("true", "false"):
        value = {"enable": parse_bool(value, field)}  # a bare boolean label: true needs the object's fields
    if not isinstance(value, dict):
        value = _json_object_label(value, field)
    if value.get("enable") is None:
        raise bad_request(f"{field}.enable is required.")
    if not parse_bool(value["enable"], f"{field}.enable"):
        return {"enable": False}
    kind = str(value.get("type") or "")
    if kind not in ("lncs", "obs"):
        raise bad_request(f"Invalid value for {field}.type: '{kind}' (lncs or obs; required when enable is true).")
    if not value.get("sgw"):
        raise bad_request(f"{field}.sgw is required when enable is true.")
    check_uuid(value["sgw"], f"{field}.sgw")
    out: Dict[str, Any] = {"enable": True, "type": kind, "sgw": str(value["sgw"]),
                           "upload_interval": parse_int(value.get("upload_interval", 10),
                                                        f"{field}.upload_interval", 1, 60)}
    if kind == "lncs":
        if not value.get("lncs_appkey"):
            raise bad_request(f"{field}.lncs_appkey is required when type is lncs.")
        out["lncs_appkey"] = str(value["lncs_appkey"])
    else:
        url = str(value.get("obs_api_url") or "")
        if not re.match(r"^https?://[^/\s]+/\S+", url):
            raise bad_request(f"{field}.obs_api_url is required when type is obs: the full path of the "
                              "Object Storage container (https://<endpoint>/v1/AUTH_<tenant>/<container>[/path]).")
        store_as = str(value.get("obs_store_as") or "gzip")
        if store_as not in ("gzip", "text"):
            raise bad_request(f"Invalid value for {field}.obs_store_as: '{store_as}' (gzip or text).")
        out.update(obs_api_url=url, obs_store_as=store_as)
    return out


def check_create_labels_2026(labels: Dict[str, Any], quota: int, cluster: bool) -> Dict[str, Any]:
    """The create-time labels of the 2026-03 guide (Create a Cluster / Create a Node Group):
    ``k8s_node_labels``, ``fip_auto_bind_enable``/``fip_bind_subnet``/``fip_selector``,
    ``mba_scale_out``/``mba_scale_in``, and on a cluster ``control_plane_log``. Returns the labels to
    store in place of the ones sent (normalised strings). Raises 400 naming the label."""
    import json
    out: Dict[str, Any] = {}
    if labels.get("k8s_node_labels") not in (None, ""):
        out["k8s_node_labels"] = json.dumps(check_k8s_node_labels(labels["k8s_node_labels"], "labels.k8s_node_labels"),
                                            separators=(",", ":"))
    if any(labels.get(k) not in (None, "") for k in ("fip_auto_bind_enable", "fip_bind_subnet", "fip_selector")):
        out.update(check_fip_auto_bind({"fip_auto_bind_enable": labels.get("fip_auto_bind_enable", False),
                                        "fip_bind_subnet": labels.get("fip_bind_subnet"),
                                        "fip_selector": labels.get("fip_selector")}, "labels"))
    out.update(check_mba(labels, quota, "labels."))
    if cluster and labels.get("control_plane_log") not in (None, ""):
        out["control_plane_log"] = json.dumps(check_control_plane_log(labels["control_plane_log"],
                                                                      "labels.control_plane_log"),
                                              separators=(",", ":"))
    return out


def check_zone(zone: Any, config: Any, field: str = "labels.availability_zone") -> None:
    """An availability zone of the simulator's region (:func:`region_catalogue.zones_of`); ``""``
    and absent are left to the other rules.  Raises 400 (Magnum style; NKS's wording is not known)."""
    allowed = zones_of(config.region, config.availability_zones)
    if zone in (None, "") or allowed is None or zone in allowed:
        return
    raise bad_request(f"Invalid input for field {field}: availability zone '{zone}' does not exist in region "
                      f"{config.region} (availability zones: {', '.join(allowed)}).")


def check_flavor(flavor: Any, config: Any, field: str = "flavor_id") -> None:
    """A flavor of the simulator's catalogue (``flavors``; null: any).  Raises 400."""
    if config.flavors is None or flavor in config.flavors:
        return
    raise bad_request(f"Invalid input for field {field}: flavor {flavor} could not be found.")
