"""Server-side printing (``meta.k8s.io/v1`` ``Table``) and the health endpoints' text.

``kubectl get`` asks for ``Accept: application/json;as=Table;v=v1;g=meta.k8s.io``;
the columns are those of the kube-apiserver's printers for nodes, namespaces and poddisruptionbudgets.
"""

from __future__ import annotations

import datetime
from typing import Dict, List, Optional, Tuple

#: (name, type, format, description, priority) per resource; priority 1 = ``-o wide`` only.
COLUMNS = {
    "nodes": [("Name", "string", "name", "Name must be unique within a namespace.", 0),
              ("Status", "string", "", "The status of the node", 0),
              ("Roles", "string", "", "The roles of the node", 0),
              ("Age", "string", "", "CreationTimestamp is a timestamp of when this object was created.", 0),
              ("Version", "string", "", "Kubelet Version reported by the node.", 0),
              ("Internal-IP", "string", "", "List of addresses reachable to the node.", 1),
              ("External-IP", "string", "", "List of addresses reachable to the node.", 1),
              ("OS-Image", "string", "", "OS Image reported by the node from /etc/os-release.", 1),
              ("Kernel-Version", "string", "", "Kernel Version reported by the node.", 1),
              ("Container-Runtime", "string", "", "Container Runtime Version reported by the node.", 1)],
    "namespaces": [("Name", "string", "name", "Name must be unique within a namespace.", 0),
                   ("Status", "string", "", "The status of the namespace", 0),
                   ("Age", "string", "", "CreationTimestamp is a timestamp of when this object was created.", 0)],
    "poddisruptionbudgets": [("Name", "string", "name", "Name must be unique within a namespace.", 0),
                             ("Min Available", "string", "", "The minimum number of pods that must be available.", 0),
                             ("Max Unavailable", "string", "", "The maximum number of pods that may be unavailable.",
                              0),
                             ("Allowed Disruptions", "integer", "",
                              "Calculated number of pods that may be disrupted at this time.", 0),
                             ("Age", "string", "", "CreationTimestamp is a timestamp of when this object was created.",
                              0)],
}

#: Checks of ``/livez`` (``/readyz`` adds the last two), as listed by the kube-apiserver (seed 004_).
LIVEZ_CHECKS = ["ping", "log", "etcd", "poststarthook/start-kube-apiserver-admission-initializer",
                "poststarthook/generic-apiserver-start-informers", "poststarthook/start-apiextensions-informers",
                "poststarthook/start-apiextensions-controllers", "poststarthook/crd-informer-synced",
                "poststarthook/bootstrap-controller", "poststarthook/rbac/bootstrap-roles",
                "poststarthook/scheduling/bootstrap-system-priority-classes",
                "poststarthook/start-cluster-authentication-info-controller",
                "poststarthook/start-kube-aggregator-informers", "poststarthook/apiservice-registration-controller",
                "poststarthook/apiservice-status-available-controller",
                "poststarthook/kube-apiserver-autoregistration", "autoregister-completion",
                "poststarthook/apiservice-openapi-controller"]
READYZ_CHECKS = LIVEZ_CHECKS + ["informer-sync", "shutdown"]
#: The checks that fail while the API server is starting (before ``/readyz`` turns ok).
STARTING_CHECKS = ("poststarthook/rbac/bootstrap-roles", "informer-sync")


def human_age(seconds: float) -> str:
    """kubectl's short duration (``HumanDuration``): ``45s``, ``12m``, ``3h4m``, ``5d``."""
    seconds = int(max(seconds, 0))
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        return f"{minutes}m{seconds % 60}s" if seconds % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    return f"{hours // 24}d"


def _age(obj: dict, now: float) -> str:
    created = datetime.datetime.strptime(obj["metadata"]["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ")
    return human_age(now - created.replace(tzinfo=datetime.timezone.utc).timestamp())


def _node_cells(obj: dict, now: float) -> list:
    ready = next((c["status"] for c in obj["status"]["conditions"] if c["type"] == "Ready"), "Unknown")
    state = "Ready" if ready == "True" else "NotReady"
    if obj["spec"].get("unschedulable"):
        state += ",SchedulingDisabled"
    roles = sorted(k.split("/", 1)[1] for k in obj["metadata"]["labels"] if k.startswith("node-role.kubernetes.io/"))
    addresses = {a["type"]: a["address"] for a in obj["status"]["addresses"]}
    info = obj["status"]["nodeInfo"]
    return [obj["metadata"]["name"], state, ",".join(roles) or "<none>", _age(obj, now), info["kubeletVersion"],
            addresses.get("InternalIP", "<none>"), addresses.get("ExternalIP", "<none>"), info["osImage"],
            info["kernelVersion"], info["containerRuntimeVersion"]]


def _namespace_cells(obj: dict, now: float) -> list:
    return [obj["metadata"]["name"], obj["status"]["phase"], _age(obj, now)]


def _pdb_cells(obj: dict, now: float) -> list:
    spec = obj["spec"]
    return [obj["metadata"]["name"], str(spec.get("minAvailable", "N/A")), str(spec.get("maxUnavailable", "N/A")),
            obj["status"]["disruptionsAllowed"], _age(obj, now)]


def table(resource: str, items: List[dict], resource_version: str, now: float, include: str) -> dict:
    """A ``Table`` of ``items``; ``include`` is the ``includeObject`` parameter
    (``None``, ``Metadata`` (default) or ``Object``)."""
    cells = {"nodes": _node_cells, "poddisruptionbudgets": _pdb_cells}.get(resource, _namespace_cells)
    rows = []
    for obj in items:
        row = {"cells": cells(obj, now)}
        if include == "Object":
            row["object"] = obj
        elif include != "None":
            row["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                             "metadata": obj["metadata"]}
        rows.append(row)
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": resource_version},
            "columnDefinitions": [{"name": n, "type": t, "format": f, "description": d, "priority": p}
                                  for n, t, f, d, p in COLUMNS[resource]],
            "rows": rows}


def wants_table(accept: Optional[str]) -> bool:
    """Whether an ``Accept`` header asks for server-side printing (``as=Table``)."""
    return any("as=Table" in part and "g=meta.k8s.io" in part for part in (accept or "").split(","))


def health(endpoint: str, ready: bool, query: Dict[str, List[str]], check: str = "") -> Tuple[int, str]:
    """``(HTTP status, text)`` of ``/livez``, ``/readyz`` or ``/healthz`` (``endpoint`` is the
    name without slash): ``ok`` or, with ``?verbose`` or on failure, one ``[+]``/``[-]`` line
    per check then ``<endpoint> check passed|failed``; ``?exclude=<check>`` skips a check.
    ``check`` selects one individual check (``/readyz/<check>``); unknown checks give 404."""
    checks = READYZ_CHECKS if endpoint != "livez" else LIVEZ_CHECKS
    failing = () if ready or endpoint == "livez" else STARTING_CHECKS
    if check:
        if check not in checks:
            return 404, "404 page not found\n"
        return (500, f"internal server error: {check} failed\n") if check in failing else (200, "ok")
    excluded = set(query.get("exclude", []))
    lines, failed = [], False
    for name in checks:
        if name in excluded:
            lines.append(f"[+]{name} excluded: ok")
        elif name in failing:
            failed = True
            lines.append(f"[-]{name} failed: reason withheld")
        else:
            lines.append(f"[+]{name} ok")
    if failed:
        return 500, "\n".join(lines) + f"\n{endpoint} check failed\n"
    if "verbose" in query:
        return 200, "\n".join(lines) + f"\n{endpoint} check passed\n"
    return 200, "ok"
