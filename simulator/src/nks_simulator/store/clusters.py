"""Cluster lifecycle: the guide's "Cluster" operations that change a cluster.

Create a Cluster, Delete a Cluster, Resize, Change Cluster CNI, Enforce IP Access
Control to Cluster API Endpoints, Renew Cluster Certificate, Change Service Gateway,
and the simulator's seeding of a legacy (pre 2023-03-31) cluster.  Each checks the
guide's rules (:mod:`nks_simulator.rules`; :class:`~nks_simulator.errors.ApiError`
400/404/409 before any change) and starts an operation (:mod:`.operations`).
"""

from __future__ import annotations

import datetime
import ipaddress
import uuid
from typing import Optional

from .. import rules
from ..errors import ApiError, bad_request
from .addons import plan_create_addons
from .base import Plan, StoreBase
from .schema import (AUTOSCALE_DEFAULTS, CLUSTER_LABEL_DEFAULTS, CNI_DRIVERS, LEGACY_BEFORE, LEGACY_CNI_DRIVERS,
                     MASTER, NODEGROUP_LABEL_KEYS, UUID_LABELS, UUID_LIST_LABELS, WORKER, years_later)


#: 2026-03 create labels of a cluster that the default worker node group takes.
WORKER_GUIDE_LABELS = ("k8s_node_labels", "fip_auto_bind_enable", "fip_bind_subnet", "fip_selector",
                       "mba_scale_out", "mba_scale_in")


class ClustersMixin(StoreBase):
    """The cluster operations of the store (``Store.create_cluster``, ``Store.resize``, ...)."""

    kube: "object"  # nks_simulator.kube.KubeAPI: provisions each cluster's Kubernetes API

    def create_cluster(self, body: dict, token: dict, cni_drivers: tuple = CNI_DRIVERS) -> dict:
        """Create a Cluster: validates the guide's rules, then ``CREATE_IN_PROGRESS``; returns ``{"uuid"}``.
        ``body``: the request (``ClusterCreate``); ``token``: the caller's token record (project, user);
        ``cni_drivers``: the selectable ``labels.cni_driver`` values (the guide's two).
        Raises :class:`ApiError` 400 (a rule), 409 (a name taken in the project)."""
        cfg = self.config
        labels_in = dict(body.get("labels") or {})
        node_count, cni, fixed_cidr, networks = self._check_create(body, labels_in, cni_drivers)
        guide_labels = (rules.check_create_labels_2026(labels_in, cfg.max_nodes_per_nodegroup, cluster=True)
                        if cfg.guide_2026 else {})
        addons = plan_create_addons(body.get("addons"), str(labels_in.get("kube_tag")), cni)  # store/addons.py

        def run():
            if not cfg.allow_duplicate_cluster_names and any(
                    c["project_id"] == token["tenant_id"] for c in self.state["clusters"].named(body["name"])):
                raise ApiError(409, f"A cluster with name '{body['name']}' already exists in this project.")
            now, cid = self.clock(), str(uuid.uuid4())
            labels = dict(CLUSTER_LABEL_DEFAULTS)
            labels.update(rules.stored_labels(labels_in, cfg.label_drift))
            labels.update(networks)
            labels.update(guide_labels)
            labels.update(cni_driver=cni, term_of_validity=str(cfg.certificate_validity_years),
                          certificate_expiry=years_later(now, cfg.certificate_validity_years),
                          server_group_meta=f"k8s_{cid}")
            cluster = self._new_cluster(cid, now, body, token, labels, fixed_cidr)
            ng_labels = {k: labels.get(k, "") for k in NODEGROUP_LABEL_KEYS}
            ng_labels.update({k: labels.get(k, v) for k, v in AUTOSCALE_DEFAULTS.items()})
            ng_labels.update({k: v for k, v in guide_labels.items() if k in WORKER_GUIDE_LABELS})
            self._add_nodegroup(cluster, MASTER, "master", body.get("flavor_id"), labels.get("node_image"),
                                dict(ng_labels), 3, with_nodes=False)
            self._add_nodegroup(cluster, WORKER, "worker", body.get("flavor_id"), labels.get("node_image"),
                                dict(ng_labels), node_count)
            self._seed_addons(cluster, addons, now)
            self.state["clusters"][cid] = cluster
            self._start(cluster, "CLUSTER_CREATE", cluster_phase="CREATE", nodegroup_phase="CREATE",
                        all_nodegroups=True)
            return {"uuid": cid}

        return self.mutate(run)

    def _check_create(self, body: dict, labels_in: dict, cni_drivers: tuple) -> tuple:
        """The rules of Create a Cluster that need no state; returns ``(node_count, cni_driver,
        fixed_cidr, network labels)``.  Raises :class:`ApiError` 400."""
        cfg = self.config
        rules.check_name(body.get("name"), "Cluster")
        rules.check_ids(body, ("fixed_network", "fixed_subnet", "flavor_id"), UUID_LABELS, UUID_LIST_LABELS)
        rules.check_flavor(body.get("flavor_id"), cfg)
        rules.check_zone(labels_in.get("availability_zone"), cfg)
        rules.check_uuid(labels_in.get("node_image"), "labels.node_image")
        if body.get("cluster_template_id") != "iaas_console":
            raise bad_request("cluster_template_id must be \"iaas_console\".")
        if not rules.parse_bool(labels_in.get("cert_manager_api"), "labels.cert_manager_api"):
            raise bad_request("labels.cert_manager_api must be \"True\".")
        floating = rules.parse_bool(labels_in.get("master_lb_floating_ip_enabled"),
                                    "labels.master_lb_floating_ip_enabled")
        if floating and not (labels_in.get("external_network_id") and labels_in.get("external_subnet_id_list")):
            raise bad_request("labels.master_lb_floating_ip_enabled can be \"True\" only when "
                              "labels.external_network_id and labels.external_subnet_id_list are set.")
        kube_tag = str(labels_in.get("kube_tag"))
        rules.parse_version(kube_tag)
        rules.check_supported(kube_tag, cfg.supported_versions)
        node_count = rules.parse_int(body.get("node_count"), "node_count", 1, cfg.max_nodes_per_nodegroup)
        rules.check_autoscale(labels_in, cfg.max_nodes_per_nodegroup)
        if "strict_sg_rules" in labels_in:
            rules.parse_bool(labels_in["strict_sg_rules"], "labels.strict_sg_rules")
        cni = str(labels_in.get("cni_driver") or cni_drivers[0])
        if cni not in cni_drivers:
            raise bad_request(f"labels.cni_driver '{cni}' is not supported (calico, calico-ebpf).")
        rules.parse_int(labels_in.get("boot_volume_size"), "labels.boot_volume_size", 1, None)
        fixed_cidr = cfg.subnets.get(str(body.get("fixed_subnet")), cfg.default_subnet_cidr)
        return node_count, cni, fixed_cidr, rules.check_create_networks(fixed_cidr, labels_in, kube_tag)

    def _new_cluster(self, cid: str, now: float, body: dict, token: dict, labels: dict, fixed_cidr: str) -> dict:
        """The stored record of a new cluster (no node groups yet), its Kubernetes API provisioned."""
        return {
            "uuid": cid,
            "name": body["name"],
            "project_id": token["tenant_id"],
            "user_id": token["user_id"],
            "keypair": body.get("keypair"),
            "fixed_network": body.get("fixed_network"),
            "fixed_subnet": body.get("fixed_subnet"),
            "fixed_cidr": fixed_cidr,
            "create_timeout": body.get("create_timeout") if body.get("create_timeout") is not None else 60,
            "labels": labels,
            "status": "CREATE_IN_PROGRESS",
            "status_reason": None,
            "created_at": now,
            "updated_at": now,
            "stack_id": str(uuid.uuid4()),
            **self.kube.provision(cid, now, self.config.certificate_validity_years),  # api_address, kube
            "acl": {"enable": "false"},
            "nodegroups": {},
            "events": [],
            "ip_next": 9,
        }

    def seed_legacy_cluster(self, body: dict, token: dict, created_at: float, nks_registry: bool = True) -> dict:
        """``POST /_sim/clusters/legacy``: a cluster as NKS has them from before 2023-03-31,
        already ``CREATE_COMPLETE``: Flannel by default (the only way to get one; the public
        create refuses ``flannel``) and without the date-gated labels (``cni_driver``,
        ``service_cluster_ip_range``, ``pods_network_*``, ``strict_sg_rules``). 400 when
        ``created_at`` is not before 2023-03-31.  It has no add-on installed (before add-on
        management, docs/simulator.md "Add-ons") and its NKS registry enabled as ``nks_registry``."""
        if created_at >= LEGACY_BEFORE:
            raise bad_request("created_at must be before 2023-03-31T00:00:00+00:00 (a legacy cluster).")
        labels = {"cni_driver": "flannel", **(body.get("labels") or {})}
        uid = self.create_cluster({**body, "labels": labels}, token, cni_drivers=LEGACY_CNI_DRIVERS)["uuid"]

        def run():
            cluster = self.state["clusters"][uid]
            self.state["operations"] = [op for op in self.state["operations"] if op["cluster_uuid"] != uid]
            cluster.update(status="CREATE_COMPLETE", created_at=created_at, updated_at=created_at,
                           legacy=True, events=[], addons={}, nks_registry=nks_registry)
            for ng in cluster["nodegroups"].values():
                ng.update(status="CREATE_COMPLETE", status_reason="Stack CREATE completed successfully",
                          created_at=created_at, updated_at=created_at)
            return {"uuid": uid}
        return self.mutate(run)

    def delete_cluster(self, ident: str, project_id: str) -> None:
        """Delete a Cluster: ``DELETE_IN_PROGRESS``, then gone (404)."""
        def run():
            cluster = self._cluster(ident, project_id)
            self._check_idle(cluster, deleting=True)
            self._start(cluster, "CLUSTER_DELETE", cluster_phase="DELETE", nodegroup_phase="DELETE",
                        all_nodegroups=True)
        self.mutate(run)

    def resize(self, ident: str, body: dict, project_id: str) -> dict:
        """Resize: change a worker node group's node_count (and its node instances); ``{"uuid"}`` of the cluster."""
        quota = self.config.max_nodes_per_nodegroup

        def plan(_cluster: dict, ng: dict) -> Plan:
            count = rules.parse_int(body.get("node_count"), "node_count", 1, quota)
            remove = [str(u) for u in (body.get("nodes_to_remove") or [])]
            known = {n["uuid"] for n in ng["nodes"]}
            unknown = [u for u in remove if u not in known]
            if unknown:
                raise bad_request(f"nodes_to_remove: node(s) {', '.join(unknown)} not found in node group "
                                  f"{ng['name']}.")
            if len(set(remove)) > max(0, ng["node_count"] - count):
                raise bad_request(f"nodes_to_remove lists {len(set(remove))} node(s) but the node group shrinks "
                                  f"from {ng['node_count']} to {count}.")
            return "CLUSTER_RESIZE", {"effects": {"resize": {"node_count": count, "remove": remove}}}
        return self._change(ident, project_id, plan, nodegroup=str(body["nodegroup"]), reply_cluster=True)

    def cni_update(self, ident: str, body: dict, project_id: str) -> dict:
        """Change Cluster CNI (2025-02 guide): target ``calico`` only, from Flannel only, pod_cidr /
        pod_subnet rules. The 2026-03 guide removed the operation (release notes 2025-05-27): 404,
        as NKS answers a route it no longer serves (docs/simulator.md)."""
        quota = self.config.max_nodes_per_nodegroup
        if self.config.guide_2026:
            raise ApiError(404, "Change Cluster CNI is no longer supported (NKS release notes 2025-05-27): "
                                "the resource could not be found. The CNI is managed as the calico add-on.")

        def plan(cluster: dict, _ng: Optional[dict]) -> Plan:
            if body.get("cni") != "calico":
                raise bad_request(f"cni '{body.get('cni')}' is not supported; the only selectable CNI is calico.")
            current = cluster["labels"].get("cni_driver")
            if current != "flannel":
                raise bad_request(f"Cluster {cluster['uuid']} uses CNI {current}: the CNI can be changed only "
                                  "from flannel.")
            workers = [ng for ng in cluster["nodegroups"].values() if ng["role"] == "worker"]
            total = sum(ng["node_count"] for ng in workers)
            if body.get("num_buffer_nodes") is not None:
                room = min((quota - ng["node_count"] for ng in workers), default=quota)
                rules.parse_int(body["num_buffer_nodes"], "num_buffer_nodes", 0, max(0, room))
            if body.get("num_max_unavailable_nodes") is not None:
                rules.parse_int(body["num_max_unavailable_nodes"], "num_max_unavailable_nodes", 1, max(1, total))
            extra = [self.config.subnets[u] for u in str(cluster["labels"].get("additional_subnet_id_list") or "")
                     .split(":") if u in self.config.subnets]
            pod_cidr, pod_subnet = rules.check_cni_networks(body.get("pod_cidr"), body.get("pod_subnet"),
                                                            cluster["fixed_cidr"], cluster["labels"], extra)
            return "CLUSTER_CNI_UPDATE", {"effects": {"cluster_fields": {"legacy": False}, "cluster_labels": {
                "cni_driver": "calico", "pods_network_cidr": pod_cidr, "pods_network_subnet": pod_subnet}}}
        return self._change(ident, project_id, plan)

    def set_acl(self, ident: str, body: dict, project_id: str) -> dict:
        """Enforce IP Access Control to Cluster API Endpoints (applied synchronously: no operation, no event)."""
        def plan(cluster: dict, _ng: Optional[dict]) -> Plan:
            if not rules.parse_bool(body.get("enable", "false"), "enable"):
                cluster["acl"] = {"enable": "false"}
            else:
                cluster["acl"] = {"enable": "true", "action": _acl_action(body),
                                  "ipacl_targets": _acl_targets(body)}
            cluster["updated_at"] = self.clock()
            return None
        return self._change(ident, project_id, plan)

    def renew_certificate(self, ident: str, body: dict, project_id: str) -> dict:
        """Renew Cluster Certificate: ``term_of_validity`` 1..5 years from now. With the 2026-03 guide a
        cluster left ``UPDATE_FAILED`` (by a failed renewal) accepts a new renewal (user guide "Renew
        Cluster Certificate": "Perform certificate renewal once again to normalize the cluster")."""
        def plan(_cluster: dict, _ng: Optional[dict]) -> Plan:
            years = rules.parse_int(body.get("term_of_validity"), "term_of_validity", 1, 5)
            return "CLUSTER_CERTIFICATE_RENEW", {"effects": {"cluster_labels": {
                "term_of_validity": str(years), "certificate_expiry": years_later(self.clock(), years)}}}
        return self._change(ident, project_id, plan, retry_failed=self.config.guide_2026)

    def set_control_plane_log(self, ident: str, body: dict, project_id: str) -> dict:
        """Store Logs of Kubernetes Control Plane Components (2026-03 guide, ``PATCH /v1/clusters/{id}``
        ``type: control_plane_log``): rules of :func:`rules.check_control_plane_log`; the label
        ``control_plane_log`` (JSON text) holds the setting once the operation completes."""
        import json

        def plan(_cluster: dict, _ng: Optional[dict]) -> Plan:
            if body.get("type") != "control_plane_log":
                raise bad_request(f"type '{body.get('type')}' is not supported; PATCH of a cluster takes "
                                  "type \"control_plane_log\".")
            if body.get("control_plane_log") is None:
                raise bad_request("control_plane_log is required.")
            setting = rules.check_control_plane_log(body["control_plane_log"])
            return "CLUSTER_UPDATE_CONTROL_PLANE_LOG", {"effects": {"cluster_labels": {
                "control_plane_log": json.dumps(setting, separators=(",", ":"))}}}
        return self._change(ident, project_id, plan)

    def update_sgw(self, ident: str, body: dict, project_id: str) -> dict:
        """Change Service Gateway: new ``ncr_sgw`` / ``obs_sgw`` UUIDs (only on a cluster created with one)."""
        def plan(cluster: dict, _ng: Optional[dict]) -> Plan:
            if not (cluster["labels"].get("ncr_sgw") or cluster["labels"].get("obs_sgw")):
                raise bad_request(f"Cluster {cluster['uuid']} was created without a service gateway: "
                                  "the service gateway can be changed only on a cluster created with one.")
            for key in ("ncr_sgw", "obs_sgw"):
                rules.check_uuid(body.get(key), key)
            changes = {key: str(body[key]) for key in ("ncr_sgw", "obs_sgw")}
            return "CLUSTER_SGW_UPDATE", {"effects": {"cluster_labels": changes}}
        return self._change(ident, project_id, plan)


    # ------------------------------------------------------------------ simulator knobs (not NKS)
    def set_health(self, ident: str, kube_api: Optional[str] = None, nodes_ready: Optional[bool] = None) -> dict:
        """``POST /_sim/clusters/{id}/health`` (docs/simulator.md "Health and time"): make the cluster's
        Kubernetes API stop answering (``kube_api`` ``503``: every path answers 503; ``refuse``: every
        connection is closed before TLS) or answer again (``working``), and make all its worker nodes
        NotReady (``nodes_ready`` false: kube Node ``Ready`` ``Unknown``, ``health_status_reason``
        ``ALL_NODES_NOT_READY``) or Ready again. ``None`` leaves a setting as it is.

        :returns: ``{"uuid", "kube_api", "nodes_ready"}`` after the change; 404 for an unknown cluster,
            400 for another ``kube_api``.
        """
        if kube_api is not None and kube_api not in KUBE_API_MODES:
            raise bad_request(f"kube_api must be one of {', '.join(KUBE_API_MODES)}.")

        def run():
            cluster = self._cluster(ident, None)
            if kube_api is not None:
                cluster["sim_kube_api"] = None if kube_api == "working" else kube_api
            if nodes_ready is not None:
                cluster["sim_nodes_not_ready"] = not nodes_ready
            cluster["health_at"] = self.clock()
            return health_knobs(cluster)
        return self.mutate(run)

    def advance_time(self, seconds: float) -> dict:
        """``POST /_sim/time/advance``: let ``seconds`` pass for what the simulator stores, as seen from
        the real clock (which clients read): every stored time moves ``seconds`` into the past (the
        clusters' and node groups' ``created_at``/``updated_at``, their task history, the labels
        ``certificate_expiry``, and the pending operations, which complete when their time has come). The
        tokens keep their expiry (clients stay logged in) and the clusters' Kubernetes API certificates
        are not re-dated.

        :returns: ``{"advanced_seconds": seconds, "clusters": n}``.
        """
        def run():
            clusters = self.state["clusters"]
            for uid in list(clusters):
                age_cluster(clusters[uid], seconds)  # by key: the state file saves each cluster
            for op in self.state["operations"]:
                op["started_at"] = op.get("started_at", 0) - seconds
                op["finishes_at"] -= seconds
            self.state["operations"] = list(self.state["operations"])
            return {"advanced_seconds": seconds, "clusters": len(clusters)}
        result = self.mutate(run)
        self.mutate(lambda: None)  # complete the operations that are now due
        return result


#: ``kube_api`` of :meth:`ClustersMixin.set_health`.
KUBE_API_MODES = ("working", "503", "refuse")


def health_knobs(cluster: dict) -> dict:
    """The health knobs of a cluster: ``{"uuid", "kube_api" (working, 503, refuse), "nodes_ready"}``."""
    return {"uuid": cluster["uuid"], "kube_api": cluster.get("sim_kube_api") or "working",
            "nodes_ready": not cluster.get("sim_nodes_not_ready")}


def _earlier_iso(text: str, seconds: float) -> str:
    """An ISO 8601 time (``certificate_expiry``) ``seconds`` earlier, same format; unchanged when unparsable."""
    try:
        moment = datetime.datetime.fromisoformat(str(text))
    except ValueError:
        return text
    return (moment - datetime.timedelta(seconds=seconds)).isoformat()


def age_cluster(cluster: dict, seconds: float) -> None:
    """Move every stored time of ``cluster`` ``seconds`` into the past (:meth:`ClustersMixin.advance_time`)."""
    for key in ("created_at", "updated_at", "health_at"):
        if isinstance(cluster.get(key), (int, float)):
            cluster[key] -= seconds
    if cluster["labels"].get("certificate_expiry"):
        cluster["labels"]["certificate_expiry"] = _earlier_iso(cluster["labels"]["certificate_expiry"], seconds)
    for ng in cluster["nodegroups"].values():
        for key in ("created_at", "updated_at"):
            if isinstance(ng.get(key), (int, float)):
                ng[key] -= seconds
    for event in cluster["events"]:
        for key in ("created_at", "updated_at"):
            if isinstance(event.get(key), (int, float)):
                event[key] -= seconds


def _acl_action(body: dict) -> str:
    """``action`` of an enabled IP ACL: ``ALLOW`` or ``DENY`` (any case); 400 otherwise."""
    action = str(body.get("action") or "").upper()
    if action not in ("ALLOW", "DENY"):
        raise bad_request("action must be ALLOW or DENY when enable is true.")
    return action


def _acl_targets(body: dict) -> list:
    """``ipacl_targets`` of an enabled IP ACL: a non-empty list of ``{cidr_address}``; 400 otherwise."""
    targets = body.get("ipacl_targets")
    if not isinstance(targets, list) or not targets:
        raise bad_request("ipacl_targets must be a non-empty list when enable is true.")
    for target in targets:
        if not isinstance(target, dict) or not target.get("cidr_address"):
            raise bad_request("every ipacl_targets entry needs a cidr_address.")
        try:
            ipaddress.ip_network(str(target["cidr_address"]), strict=False)
        except ValueError:
            raise bad_request(f"Invalid cidr_address '{target['cidr_address']}'.") from None
    return targets
