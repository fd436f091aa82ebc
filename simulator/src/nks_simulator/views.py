"""Response bodies, shaped as the guide's response tables and examples."""

from __future__ import annotations

from typing import Dict, List

from . import kube, rules
from .config import CLUSTER_EVENTS, EVENTS_2026, NODEGROUP_EVENTS, SUPPORTED_EVENTS_2026
from .store.schema import iso

#: ``labels.platform_version`` of clusters and node groups (2026-03 guide example value).
PLATFORM_VERSION = "1.202511.0"
GUIDE_2025 = "2025-02"
GUIDE_2026 = "2026-03"

HEALTHY_STATES = ("CREATE_COMPLETE", "UPDATE_COMPLETE")
#: Labels NKS shows only on clusters created after 2023-03-31 / 2023-05-30 / 2024-02-27.
DATE_GATED_LABELS = ("cni_driver", "service_cluster_ip_range", "pods_network_cidr", "pods_network_subnet",
                     "strict_sg_rules")
#: ``cluster_template_id`` as NKS returns it: a UUID (the guide's example value), although
#: create takes the literal ``iaas_console``.
TEMPLATE_UUID = "b4503d97-6012-499d-a31a-5200f94a7890"
AUTOSCALE_KEYS = ("ca_enable", "ca_max_node_count", "ca_min_node_count", "ca_scale_down_enable",
                  "ca_scale_down_unneeded_time", "ca_scale_down_util_thresh", "ca_scale_down_delay_after_add")


def _links(base: str, path: str) -> List[dict]:
    return [{"href": f"{base}/v1/{path}", "rel": "self"}, {"href": f"{base}/{path}", "rel": "bookmark"}]


def _workers(cluster: dict) -> List[dict]:
    return [ng for ng in cluster["nodegroups"].values() if ng["role"] == "worker"]


def _default_worker(cluster: dict) -> dict:
    for ng in cluster["nodegroups"].values():
        if ng["name"] == "default-worker":
            return ng
    return {}


def cluster_labels(cluster: dict, supported: Dict[str, bool], guide: str = GUIDE_2025) -> dict:
    """``labels`` of a cluster answer: stored labels, ``kube_version_status``; with the 2026-03 guide
    also ``platform_version``."""
    labels = dict(cluster["labels"])
    if cluster.get("legacy"):
        for key in DATE_GATED_LABELS:
            labels.pop(key, None)
    labels["kube_version_status"] = rules.version_status(labels.get("kube_tag", ""), supported)
    if guide == GUIDE_2026:
        labels["platform_version"] = PLATFORM_VERSION
    return labels


def _ready_counts(ng: dict, all_not_ready: bool = False) -> tuple:
    """(ready, not ready) nodes of a node group: stopped nodes are not ready; a list view of a
    cluster carries only ``node_count`` (every node counted ready); ``all_not_ready`` (the simulator
    knob ``nodes_ready: false``, docs/simulator.md "Health and time"): every node is not ready."""
    nodes = ng.get("nodes")
    if all_not_ready:
        return 0, len(nodes) if nodes is not None else ng.get("node_count", 0)
    if nodes is None:
        return ng.get("node_count", 0), 0
    down = sum(1 for n in nodes if n.get("status") == "SHUTOFF")
    return len(nodes) - down, down


def health_2026(cluster: dict) -> tuple:
    """``(health_status, health_status_reason)`` as the 2026-03 guide's response table describes them:
    ``FRESH`` with ``{timestamp, cluster: {api_status, node_status}, api, nodegroup: {node_status:
    {name: ...}}, nodegroup-stats: {name: "ready:not ready"}}`` once the cluster is created; ``STALE``
    with ``STALED_DATA`` while it is created or deleted, or failed (no fresh data; docs/simulator.md)."""
    healthy = cluster["status"] in HEALTHY_STATES
    workers = _workers(cluster)
    per_group, stats = {}, {}
    total_ready = total_down = 0
    for ng in workers:
        ready, down = _ready_counts(ng, bool(cluster.get("sim_nodes_not_ready")))
        total_ready, total_down = total_ready + ready, total_down + down
        stats[ng["name"]] = f"{ready}:{down}"
        per_group[ng["name"]] = ("NORMAL" if not down else "ALL_NODES_NOT_READY" if not ready
                                 else "NOT_READY_NODE_EXIST") if healthy else "STALED_DATA"
    api_down = bool(cluster.get("sim_kube_api"))  # the knob kube_api (503 or refuse)
    if not healthy:
        node_status = api_status = "STALED_DATA"
    else:
        api_status = "K8S_API_NOT_WORKING" if api_down else "NORMAL"
        node_status = ("NORMAL" if not total_down else "ALL_NODES_NOT_READY" if not total_ready
                       else "NOT_READY_NODE_EXIST")
    reason = {"timestamp": iso(cluster.get("health_at") or cluster["updated_at"]),
              "cluster": {"api_status": api_status, "node_status": node_status},
              "api": "OK" if healthy and not api_down else "NOT_OK", "nodegroup": {"node_status": per_group},
              "nodegroup-stats": stats}
    return ("FRESH" if healthy else "STALE"), reason


def cluster_summary(cluster: dict, base: str, supported: Dict[str, bool], guide: str = GUIDE_2025) -> dict:
    """An item of List Clusters (``clusters[]``); ``guide``: the API guide served (``api_guide``)."""
    worker = _default_worker(cluster)
    healthy = cluster["status"] in HEALTHY_STATES
    body = {
        "uuid": cluster["uuid"],
        "name": cluster["name"],
        "cluster_template_id": TEMPLATE_UUID,
        "create_timeout": cluster["create_timeout"],
        "docker_volume_size": None,
        "flavor_id": worker.get("flavor_id"),
        "health_status": "HEALTHY" if healthy else "UNKNOWN",
        "keypair": cluster["keypair"],
        "labels": cluster_labels(cluster, supported, guide),
        "links": _links(base, f"clusters/{cluster['uuid']}"),
        "node_count": sum(ng["node_count"] for ng in _workers(cluster)),
        "stack_id": cluster["stack_id"],
        "status": cluster["status"],
        "status_reason": cluster["status_reason"],
    }
    if guide == GUIDE_2026:
        body["health_status"], body["health_status_reason"] = health_2026(cluster)
    return body


def cluster_detail(cluster: dict, base: str, supported: Dict[str, bool], guide: str = GUIDE_2025) -> dict:
    """Get a Cluster; ``guide``: the API guide served (``api_guide``)."""
    body = cluster_summary(cluster, base, supported, guide)
    workers = _workers(cluster)
    healthy = cluster["status"] in HEALTHY_STATES
    body.update(
        api_address=cluster["api_address"],
        coe_version=cluster["labels"].get("kube_tag"),
        container_version="1.12.6",
        created_at=iso(cluster["created_at"]),
        updated_at=iso(cluster["updated_at"]),
        fixed_network=cluster["fixed_network"],
        fixed_subnet=cluster["fixed_subnet"],
        floating_ip_enabled=False,  # Magnum's field, false in the guide's example whatever the label
        health_status_reason=body.get("health_status_reason") or (
            {**{f"{cluster['name']}-{ng['name']}-node-{i}.Ready": str(not cluster.get("sim_nodes_not_ready"))
                for ng in workers for i in range(len(ng["nodes"]))},
             "api": "not ok" if cluster.get("sim_kube_api") else "ok"} if healthy else {}),
        master_count=3,
        node_addresses=[n["address"] for ng in workers for n in ng["nodes"]],
        project_id=cluster["project_id"],
        user_id=cluster["user_id"],
    )
    return body


def nodegroup_labels(cluster: dict, ng: dict, supported: Dict[str, bool], guide: str = GUIDE_2025) -> dict:
    """``labels`` of a node group answer (with ``platform_version`` in the 2026-03 guide)."""
    labels = dict(ng["labels"])
    labels.setdefault("ca_image", "k8s.gcr.io/autoscaling/cluster-autoscaler:v1.19.0")
    labels.setdefault("ca_pod_replicas", "1")
    for key in NODE_LABELS_FROM_CLUSTER:  # the node image's labels, as on the cluster (guide examples)
        if key in cluster["labels"]:
            labels.setdefault(key, cluster["labels"][key])
    labels["kube_version_status"] = rules.version_status(labels.get("kube_tag", ""), supported)
    if guide == GUIDE_2026:
        labels["platform_version"] = PLATFORM_VERSION
    return labels


#: Labels of the node image and autoscaler a node group answer shows as its cluster has them.
NODE_LABELS_FROM_CLUSTER = ("clusterautoscale", "flavor_type", "hypervisor_type", "login_username", "os_arch",
                            "os_distro", "os_type", "os_version", "project_domain")


def _min_max(ng: dict, quota: int) -> tuple:
    """(min_node_count, max_node_count): the autoscaler range; ``max`` is ``None`` while
    the autoscaler is off, as in the guide's Create a Node Group response example."""
    labels = ng["labels"]
    try:
        low = int(labels.get("ca_min_node_count") or 1)
        high = int(labels.get("ca_max_node_count") or quota)
    except ValueError:
        low, high = 1, quota
    if str(labels.get("ca_enable", "")).strip().lower() != "true":
        high = None
    return low, high


def nodegroup_summary(ng: dict, quota: int) -> dict:
    """An item of List Node Groups (``nodegroups[]``)."""
    low, high = _min_max(ng, quota)
    return {
        "uuid": ng["uuid"],
        "name": ng["name"],
        "flavor_id": ng["flavor_id"],
        "image_id": ng["image_id"],
        "is_default": ng["is_default"],
        "max_node_count": high,
        "min_node_count": low,
        "node_count": ng["node_count"],
        "role": ng["role"],
        "stack_id": ng["stack_id"],
        "status": ng["status"],
        "status_reason": ng["status_reason"],
    }


def nodegroup_detail(cluster: dict, ng: dict, base: str, supported: Dict[str, bool], quota: int,
                     guide: str = GUIDE_2025) -> dict:
    """Get a Node Group (also the body of Create a Node Group's 202)."""
    body = nodegroup_summary(ng, quota)
    body.update(
        cluster_id=cluster["uuid"],
        created_at=iso(ng["created_at"]),
        updated_at=iso(ng["updated_at"]),
        docker_volume_size=None,
        id=ng["id"],
        labels=nodegroup_labels(cluster, ng, supported, guide),
        links=_links(base, f"clusters/{cluster['uuid']}/nodegroups/{ng['uuid']}"),
        node_addresses=[n["address"] for n in ng["nodes"]],
        project_id=ng["project_id"],
        version=None,
    )
    return body


def _json_value(text: str):
    """``"True"`` -> ``True``, ``"10"`` -> ``10``; anything else unchanged."""
    if text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    return int(text) if text.strip().isdigit() else text


def autoscale(ng: dict, style: str = "json") -> dict:
    """View Autoscaler Configuration of a Node Group. ``style`` ``json``: JSON booleans and
    integers, as the guide's example; ``string``: strings, as its response table."""
    labels = ng["labels"]
    body = {key: str(labels.get(key, "")) for key in AUTOSCALE_KEYS}
    if style == "json":
        body = {key: _json_value(value) for key, value in body.items()}
    pods = str(labels.get("ca_pod_replicas", "1"))
    body["ca_pod_replicas"] = _json_value(pods) if style == "json" else pods
    body["ca_image"] = labels.get("ca_image", "k8s.gcr.io/autoscaling/cluster-autoscaler:v1.19.0")
    body["clusterautoscale"] = "nodegroupfeature"
    return body


def supports(config) -> dict:
    """See the Supported Kubernetes Versions: ``supported_k8s`` from the configuration; task types as
    the guide in use shows them: 2025-02 ``{cluster_events, nodegroup_events}`` (with the simulator's
    additions), 2026-03 the flat map of its example."""
    if config.api_guide == GUIDE_2026:
        events = dict(SUPPORTED_EVENTS_2026)
    else:
        events = {"cluster_events": {k: v for k, v in CLUSTER_EVENTS.items() if k not in EVENTS_2026},
                  "nodegroup_events": {k: v for k, v in NODEGROUP_EVENTS.items() if k not in EVENTS_2026}}
    return {"supported_k8s": dict(config.supported_versions), "supported_event_type": events}


def event(ev: dict) -> dict:
    """An item of View Task History (List)."""
    body = dict(ev)
    body["created_at"] = iso(ev["created_at"])
    body["updated_at"] = iso(ev["updated_at"])
    return body


def acl(cluster: dict) -> dict:
    """Get Cluster API Endpoint IP Access Control."""
    stored = cluster["acl"]
    if stored.get("enable") != "true":
        return {"cluster_uuid": cluster["uuid"], "enable": "false"}
    return {"cluster_uuid": cluster["uuid"], "enable": "true", "action": stored["action"],
            "ipacl_targets": stored["ipacl_targets"]}


#: Get kubeconfig of a Cluster (rendered with the cluster's simulated Kubernetes API).
kubeconfig = kube.kubeconfig
