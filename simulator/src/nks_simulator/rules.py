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
