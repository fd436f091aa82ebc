"""Kubernetes API objects derived from the simulator's state (no HTTP here).

Every function takes the stored cluster dict (``state["clusters"][uuid]``), the
pending operations and the current time, and returns JSON-ready dicts shaped as
the Kubernetes API conventions ask: ``apiVersion``/``kind``/``metadata`` objects,
``<Kind>List`` with ``metadata.resourceVersion``, ``Status`` for errors,
``meta.k8s.io/v1`` ``Table`` for ``kubectl get``.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Dict, List, Optional, Tuple

#: Namespaces every cluster starts with; the first three cannot be deleted (as in Kubernetes).
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
PROTECTED_NAMESPACES = ("default", "kube-system", "kube-public")
#: Operations that replace a node group's nodes one by one (rolling).
ROLLING_OPERATIONS = ("NODEGROUP_UPGRADE", "NODEGROUP_UPDATE_FLAVOR")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

RESOURCES = {
    "nodes": {"name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node",
              "verbs": ["get", "list", "patch", "watch"], "shortNames": ["no"]},
    "namespaces": {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace",
                   "verbs": ["create", "delete", "get", "list", "patch", "watch"], "shortNames": ["ns"]},
}


def uid_for(*parts: str) -> str:
    """A stable object UID derived from simulator identifiers."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "nks-sim:" + ":".join(parts)))


def timestamp(epoch: float) -> str:
    """Kubernetes time format (RFC 3339, seconds, ``Z``)."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def resource_version(epoch: float) -> str:
    """An opaque resourceVersion: the millisecond of the last change."""
    return str(int(epoch * 1000))


def status(code: int, reason: str, message: str, details: Optional[dict] = None) -> dict:
    """A ``Status`` object (API conventions, "Response Status Kind")."""
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def not_found(resource: str, name: str) -> dict:
    """The 404 ``Status`` of a missing object, e.g. ``nodes "x" not found``."""
    return status(404, "NotFound", f'{resource} "{name}" not found', {"name": name, "kind": resource})


# ------------------------------------------------------------------ version and discovery
def version_info(cluster: dict) -> dict:
    """``GET /version``: the control plane's version (``labels.kube_tag`` of the cluster)."""
    tag = cluster["labels"].get("kube_tag", "v0.0.0")
    major, minor = (tag.lstrip("v").split(".") + ["0", "0"])[:2]
    return {"major": major, "minor": minor, "gitVersion": tag, "gitCommit": uid_for("commit", tag)[:8] * 5,
            "gitTreeState": "clean", "buildDate": "2024-01-01T00:00:00Z", "goVersion": "go1.21.5",
            "compiler": "gc", "platform": "linux/amd64"}


def api_versions(server_address: str) -> dict:
    """``GET /api``: ``APIVersions``."""
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]}


def api_resources() -> dict:
    """``GET /api/v1``: ``APIResourceList`` of the served resources."""
    return {"kind": "APIResourceList", "groupVersion": "v1", "resources": list(RESOURCES.values())}


def api_groups() -> dict:
    """``GET /apis``: ``APIGroupList`` (no named groups are served)."""
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": []}


# ------------------------------------------------------------------ nodes
def replacing_index(ng: dict, operations: List[dict], now: float) -> Optional[int]:
    """Index of the node being replaced by a rolling operation in progress, if any."""
    for op in operations:
        if op.get("nodegroup_uuid") == ng["uuid"] and op["type"] in ROLLING_OPERATIONS and ng["nodes"]:
            span = max(op["finishes_at"] - op["started_at"], 1e-9)
            done = min(max((now - op["started_at"]) / span, 0.0), 0.999999)
            return int(done * len(ng["nodes"]))
    return None


def _conditions(ready: str, since: float, now: float) -> List[dict]:
    reasons = {"True": ("KubeletReady", "kubelet is posting ready status"),
               "False": ("KubeletNotReady", "node is being replaced"),
               "Unknown": ("NodeStatusUnknown", "Kubelet stopped posting node status.")}
    pressure = [{"type": kind, "status": "False" if ready != "Unknown" else "Unknown",
                 "reason": f"KubeletHasSufficient{kind[:-8]}" if ready != "Unknown" else "NodeStatusUnknown",
                 "message": f"kubelet has sufficient {kind[:-8].lower()}" if ready != "Unknown" else
                 "Kubelet stopped posting node status.",
                 "lastHeartbeatTime": timestamp(now), "lastTransitionTime": timestamp(since)}
                for kind in ("MemoryPressure", "DiskPressure", "PIDPressure")]
    reason, message = reasons[ready]
    return pressure + [{"type": "Ready", "status": ready, "reason": reason, "message": message,
                        "lastHeartbeatTime": timestamp(now), "lastTransitionTime": timestamp(since)}]


def node_name(cluster: dict, ng: dict, index: int) -> str:
    """The name of the Node of ``ng["nodes"][index]``: ``<cluster>-<node group>-node-<index>``."""
    return f"{cluster['name']}-{ng['name']}-node-{index}"


def system_labels(cluster: dict, ng: dict, index: int) -> Dict[str, str]:
    """The labels the simulator derives for a node (kubelet's and NKS's): architecture, OS,
    hostname, instance type (flavor), zone, node group and role. They win over the
    node's own labels and a PATCH cannot change them (:func:`patch_node_labels`)."""
    return {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux",
        "kubernetes.io/hostname": node_name(cluster, ng, index),
        "node.kubernetes.io/instance-type": str(ng.get("flavor_id") or ""),
        "topology.kubernetes.io/zone": str(ng["labels"].get("availability_zone") or ""),
        "magnum.openstack.org/nodegroup": ng["name"], "magnum.openstack.org/role": ng["role"],
    }


def node(cluster: dict, ng: dict, index: int, replacing: Optional[int], now: float) -> dict:
    """One ``Node`` for ``ng["nodes"][index]``: labels for the node group, zone and
    flavor (:func:`system_labels`), plus the node's own labels ``instance["k8s_labels"]``: the
    node group's Kubernetes labels as they were when the node was created (2026-03 guide
    ``k8s_node_labels``: NKS labels new nodes only), as later changed by ``PATCH`` of the Node;
    ``kubeletVersion`` from the node group's ``kube_tag``; ``Ready`` is
    ``Unknown`` when the instance is stopped (``SHUTOFF``) or the cluster's nodes are made NotReady
    (simulator knob, ``cluster["sim_nodes_not_ready"]``) and ``False`` while a
    rolling operation replaces it. ``resourceVersion``: the node group's last change or the
    node's last label change (``instance["labels_updated"]``), whichever is later."""
    instance = ng["nodes"][index]
    name = node_name(cluster, ng, index)
    version = ng["labels"].get("kube_tag", "")
    cl = cluster["labels"]
    # sim_nodes_not_ready: the simulator knob nodes_ready false (docs/simulator.md "Health and time")
    down = instance.get("status") == "SHUTOFF" or cluster.get("sim_nodes_not_ready")
    ready = "Unknown" if down else "False" if replacing == index else "True"
    since = ng.get("updated_at") or ng["created_at"]
    if cluster.get("sim_nodes_not_ready"):
        since = max(since, cluster.get("health_at") or since)
    changed = max(since, instance.get("labels_updated") or since)
    # the system labels win (reserved prefixes)
    labels = {**instance.get("k8s_labels", {}), **system_labels(cluster, ng, index)}
    body = {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": uid_for(cluster["uuid"], instance["uuid"]),
                     "resourceVersion": resource_version(changed), "creationTimestamp": timestamp(ng["created_at"]),
                     "labels": labels, "annotations": {"node.alpha.kubernetes.io/ttl": "0"}},
        "spec": {"providerID": f"openstack:///{instance['uuid']}"},
        "status": {
            "addresses": [{"type": "InternalIP", "address": instance["address"]},
                          {"type": "Hostname", "address": name}],
            "capacity": {"cpu": "2", "memory": "3880084Ki", "pods": "110", "ephemeral-storage": "20470Mi"},
            "allocatable": {"cpu": "1930m", "memory": "3163284Ki", "pods": "110", "ephemeral-storage": "18864Mi"},
            "conditions": _conditions(ready, since, now),
            "nodeInfo": {"kubeletVersion": version, "kubeProxyVersion": version,
                         "osImage": f"{cl.get('os_distro') or 'Linux'} {cl.get('os_version') or ''}".strip(),
                         "kernelVersion": "5.14.0-362.8.1.el9_3.x86_64", "containerRuntimeVersion": "containerd://1.7.11",
                         "architecture": "amd64", "operatingSystem": "linux",
                         "machineID": instance["uuid"].replace("-", ""), "systemUUID": instance["uuid"],
                         "bootID": uid_for("boot", instance["uuid"], str(since))},
        },
    }
    if ready != "True":
        body["spec"]["unschedulable"] = True
        body["spec"]["taints"] = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    return body


def nodes(cluster: dict, operations: List[dict], now: float) -> List[dict]:
    """Every worker node of every node group, ordered by name; the nodes of a node group
    join once it is created (not while ``CREATE_IN_PROGRESS``, never if ``CREATE_FAILED``)."""
    found = []
    for ng in _joined(cluster):
        replacing = replacing_index(ng, operations, now)
        found.extend(node(cluster, ng, i, replacing, now) for i in range(len(ng["nodes"])))
    return sorted(found, key=lambda n: n["metadata"]["name"])


def _joined(cluster: dict) -> List[dict]:
    """The worker node groups whose nodes are Nodes of the cluster (see :func:`nodes`)."""
    return [ng for ng in cluster["nodegroups"].values()
            if ng["role"] == "worker" and ng.get("status") not in ("CREATE_IN_PROGRESS", "CREATE_FAILED")]


def find_node(cluster: dict, name: str) -> Optional[Tuple[dict, int]]:
    """``(node group, index in its "nodes")`` of the Node called ``name``, or None (no such Node)."""
    for ng in _joined(cluster):
        for index in range(len(ng["nodes"])):
            if node_name(cluster, ng, index) == name:
                return ng, index
    return None


def patch_node_labels(cluster: dict, ng: dict, index: int, patch: object, now: float) -> Tuple[Optional[dict], dict]:
    """Apply a merge patch of ``metadata.labels`` (``null`` removes a key; the strategic merge and
    apply patch types are read the same way) to the node ``ng["nodes"][index]``:
    ``(error Status or None, new instance record)``.

    The node's own labels are stored in the record's ``k8s_labels`` (the store persists it);
    ``labels_updated`` (epoch seconds) is set when they change, which bumps the Node's
    resourceVersion. A patch that would change or remove a label of :func:`system_labels` is
    refused (422 ``Invalid``: the simulator derives them); setting one to its current value is a no-op.
    Every other field of the patch (annotations, spec, status) is ignored.
    """
    instance = ng["nodes"][index]
    derived = system_labels(cluster, ng, index)
    current = {**instance.get("k8s_labels", {}), **derived}
    problem, merged = merge_metadata({"labels": current}, patch, ("labels",))
    if problem:
        return problem, instance
    labels = merged["labels"]
    name = node_name(cluster, ng, index)
    for key, value in derived.items():
        if labels.get(key) != value:
            return status(422, "Invalid", f'Node "{name}" is invalid: metadata.labels: Invalid value: "{key}": '
                                          "the simulator derives this label from the node group; it cannot be "
                                          "changed or removed", {"name": name, "kind": "Node"}), instance
    own = {k: v for k, v in labels.items() if k not in derived}
    updated = dict(instance)
    if own != {k: v for k, v in instance.get("k8s_labels", {}).items() if k not in derived}:
        updated["k8s_labels"] = own
        updated["labels_updated"] = now
    return None, updated


# ------------------------------------------------------------------ namespaces
def initial_namespaces(now: float) -> Dict[str, dict]:
    """Stored records of the namespaces a new cluster has: ``{name: {created, labels}}``."""
    return {name: {"created": now, "labels": {}} for name in SYSTEM_NAMESPACES}


def namespace(cluster: dict, name: str, record: dict, phase: str = "Active") -> dict:
    """A ``Namespace`` from its stored record ``{created, updated?, labels, annotations?}``."""
    labels = {**record.get("labels", {}), "kubernetes.io/metadata.name": name}
    meta = {"name": name, "uid": uid_for(cluster["uuid"], "namespace", name, str(record["created"])),
            "resourceVersion": resource_version(record.get("updated", record["created"])),
            "creationTimestamp": timestamp(record["created"]), "labels": labels}
    if record.get("annotations"):
        meta["annotations"] = dict(record["annotations"])
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta,
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": phase}}


def _string_map(value: object, field: str) -> Tuple[Optional[dict], Dict[str, Optional[str]]]:
    if value is None:
        return None, {}
    if not isinstance(value, dict):
        return status(400, "BadRequest", f"{field} must be a map of strings"), {}
    return None, {str(k): (None if v is None else str(v)) for k, v in value.items()}


def check_new_namespace(body: object, existing: Dict[str, dict]) -> Tuple[Optional[dict], str, dict]:
    """Validate a ``POST /api/v1/namespaces`` body: ``(error Status or None, name,
    {"labels": map, "annotations": map})``."""
    meta = body.get("metadata") if isinstance(body, dict) else None
    if not isinstance(meta, dict) or (body.get("kind") not in (None, "Namespace")):
        return status(400, "BadRequest", "the body must be a Namespace object"), "", {}
    name = meta.get("name")
    if not name and meta.get("generateName"):
        name = f"{meta['generateName']}{uuid.uuid4().hex[:5]}"
    if not isinstance(name, str) or not name:
        return status(422, "Invalid", "Namespace \"\" is invalid: metadata.name: Required value: name or "
                                      "generateName is required"), "", {}
    if len(name) > 63 or not DNS_LABEL.match(name):
        return status(422, "Invalid", f'Namespace "{name}" is invalid: metadata.name: Invalid value: "{name}": '
                                      "a lowercase RFC 1123 label must consist of lower case alphanumeric "
                                      "characters or '-'", {"name": name, "kind": "Namespace"}), name, {}
    if name in existing:
        return status(409, "AlreadyExists", f'namespaces "{name}" already exists',
                      {"name": name, "kind": "namespaces"}), name, {}
    fields = {}
    for key in ("labels", "annotations"):
        error, fields[key] = _string_map(meta.get(key), f"metadata.{key}")
        if error:
            return error, name, {}
        fields[key] = {k: v for k, v in fields[key].items() if v is not None}
    return None, name, fields


def patch_namespace(record: dict, patch: object, now: float) -> Tuple[Optional[dict], dict]:
    """Apply a merge patch (also used for strategic merge and apply patches) of
    ``metadata.labels`` / ``metadata.annotations`` (``null`` removes a key) to a stored
    record: ``(error Status or None, new record)``; other fields are ignored, an
    unchanged record keeps its resourceVersion."""
    problem, merged = merge_metadata(record, patch, ("labels", "annotations"))
    if problem:
        return problem, record
    updated = dict(record)
    for key in ("labels", "annotations"):
        updated[key] = {k: v for k, v in merged[key].items() if k != "kubernetes.io/metadata.name"}
    if any(updated.get(k, {}) != record.get(k, {}) for k in ("labels", "annotations")):
        updated["updated"] = now
    return None, updated


def merge_metadata(maps: dict, patch: object, keys: Tuple[str, ...]) -> Tuple[Optional[dict], Dict[str, dict]]:
    """The string maps ``maps[key]`` for each of ``keys`` (``"labels"``, ``"annotations"``) after a
    merge patch (RFC 7386) of ``metadata.<key>``: a ``null`` value removes the key.
    ``(error Status or None, {key: merged map})``; 400 when the patch or a map is not an object.
    The one implementation of label patches, for Namespaces and Nodes."""
    meta = patch.get("metadata") if isinstance(patch, dict) else None
    if not isinstance(patch, dict) or not isinstance(meta or {}, dict):
        return status(400, "BadRequest", "the patch must be a JSON object"), {}
    merged = {}
    for key in keys:
        error, changes = _string_map((meta or {}).get(key), f"metadata.{key}")
        if error:
            return error, {}
        both = {**maps.get(key, {}), **changes}
        merged[key] = {k: v for k, v in both.items() if v is not None}
    return None, merged


def object_list(kind: str, items: List[dict], now: float) -> dict:
    """``<Kind>List`` with ``metadata.resourceVersion``."""
    return {"kind": f"{kind}List", "apiVersion": "v1", "metadata": {"resourceVersion": resource_version(now)},
            "items": items}


# ------------------------------------------------------------------ PodDisruptionBudgets (policy/v1)
#: ``GET /apis/policy/v1``: the one resource of the group the simulator serves.
POLICY_RESOURCE = {"name": "poddisruptionbudgets", "singularName": "poddisruptionbudget", "namespaced": True,
                   "kind": "PodDisruptionBudget", "verbs": ["create", "delete", "get", "list"], "shortNames": ["pdb"]}


def api_groups_served() -> dict:
    """``GET /apis``: ``APIGroupList`` with the one named group served, ``policy/v1``."""
    version = {"groupVersion": "policy/v1", "version": "v1"}
    return {"kind": "APIGroupList", "apiVersion": "v1",
            "groups": [{"name": "policy", "versions": [version], "preferredVersion": version}]}


def policy_resources() -> dict:
    """``GET /apis/policy/v1``: ``APIResourceList``."""
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "policy/v1",
            "resources": [dict(POLICY_RESOURCE)]}


def _int_or_percent(value: object, total: int, round_up: bool) -> Optional[int]:
    """``value`` (an int, or ``"N%"`` of ``total``) as a count; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        share = total * int(value[:-1])
        return -(-share // 100) if round_up else share // 100
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def pdb_pods(cluster: dict, operations: List[dict], now: float) -> Tuple[int, int]:
    """``(expected, healthy)`` pods of every PodDisruptionBudget: the simulator runs no pods, so each PDB is
    taken to cover one pod on each worker node of the cluster (a DaemonSet-like workload), healthy when its
    node is Ready (docs/simulator.md, "PodDisruptionBudgets")."""
    found = nodes(cluster, operations, now)
    ready = [n for n in found if any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"]["conditions"])]
    return len(found), len(ready)


def pdb_status(spec: dict, expected: int, healthy: int) -> dict:
    """``status`` of a PodDisruptionBudget as the disruption controller computes it:
    ``desiredHealthy`` from ``minAvailable`` (rounded up) or ``expected - maxUnavailable`` (rounded up),
    ``disruptionsAllowed = max(0, currentHealthy - desiredHealthy)``."""
    if spec.get("minAvailable") is not None:
        desired = _int_or_percent(spec["minAvailable"], expected, True) or 0
    else:
        desired = expected - (_int_or_percent(spec.get("maxUnavailable"), expected, True) or 0)
    desired = max(0, desired)
    return {"currentHealthy": healthy, "desiredHealthy": desired, "expectedPods": expected,
            "disruptionsAllowed": max(0, healthy - desired), "observedGeneration": 1}


def pdb(cluster: dict, record: dict, operations: List[dict], now: float) -> dict:
    """A ``PodDisruptionBudget`` from its stored record ``{namespace, name, created, labels, spec}``."""
    expected, healthy = pdb_pods(cluster, operations, now)
    meta = {"name": record["name"], "namespace": record["namespace"],
            "uid": uid_for(cluster["uuid"], "pdb", record["namespace"], record["name"], str(record["created"])),
            "resourceVersion": resource_version(record["created"]), "generation": 1,
            "creationTimestamp": timestamp(record["created"])}
    if record.get("labels"):
        meta["labels"] = dict(record["labels"])
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta,
            "spec": dict(record["spec"]), "status": pdb_status(record["spec"], expected, healthy)}


def check_new_pdb(body: object, namespace: str, stored: dict, namespaces: dict) -> Tuple[Optional[dict], dict]:
    """``(problem Status or None, record)`` of a ``POST .../namespaces/{ns}/poddisruptionbudgets`` body."""
    if not isinstance(body, dict) or body.get("kind", "PodDisruptionBudget") != "PodDisruptionBudget":
        return status(400, "BadRequest", "the body is not a PodDisruptionBudget"), {}
    meta = body.get("metadata") or {}
    name = meta.get("name") or ""
    if meta.get("namespace") not in (None, namespace):
        return status(400, "BadRequest", "the namespace of the provided object does not match the namespace"
                                         " sent on the request"), {}
    if namespace not in namespaces:
        return status(404, "NotFound", f'namespaces "{namespace}" not found',
                      {"name": namespace, "kind": "namespaces"}), {}
    spec = body.get("spec") or {}
    problems = []
    if not DNS_LABEL.match(name):
        problems.append(f"metadata.name: Invalid value: {name!r}: a lowercase RFC 1123 subdomain is required")
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        problems.append("spec: Invalid value: minAvailable and maxUnavailable cannot be both set")
    if spec.get("minAvailable") is None and spec.get("maxUnavailable") is None:
        problems.append("spec: Required value: one of minAvailable or maxUnavailable (the simulator asks for one)")
    for key in ("minAvailable", "maxUnavailable"):
        if spec.get(key) is not None and _int_or_percent(spec[key], 100, True) is None:
            problems.append(f"spec.{key}: Invalid value: {spec[key]!r}: an integer or a percentage is required")
    if problems:
        return status(422, "Invalid", f'PodDisruptionBudget.policy "{name}" is invalid: ' + "; ".join(problems),
                      {"name": name, "kind": "PodDisruptionBudget"}), {}
    if f"{namespace}/{name}" in stored:
        return status(409, "AlreadyExists", f'poddisruptionbudgets.policy "{name}" already exists',
                      {"name": name, "kind": "poddisruptionbudgets", "group": "policy"}), {}
    return None, {"namespace": namespace, "name": name, "labels": dict(meta.get("labels") or {}),
                  "spec": dict(spec)}


def blocking_pdbs(cluster: dict, operations: List[dict], now: float) -> List[str]:
    """``namespace/name (selector)`` of the cluster's PodDisruptionBudgets that allow no disruption while
    they cover pods: a node group upgrade cannot evict those pods (user guide, "Pod eviction cautions")."""
    stored = (cluster.get("kube") or {}).get("pdbs") or {}
    expected, healthy = pdb_pods(cluster, operations, now)
    out = []
    for key in sorted(stored):
        record = stored[key]
        if expected and pdb_status(record["spec"], expected, healthy)["disruptionsAllowed"] == 0:
            selector = ",".join("%s=%s" % kv for kv in sorted(((record["spec"].get("selector") or {})
                                                                .get("matchLabels") or {}).items()))
            out.append(f"{key} (selector {selector or 'everything'})")
    return out
