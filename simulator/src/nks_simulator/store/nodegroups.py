"""Node group lifecycle: the guide's "Node Group" operations that change a node group.

Create a Node Group, Delete a Node Group, Stop a Node Group / Start a Node, Change
Autoscaler Configuration, Upgrade a Cluster, Change User Script, Change Instance
Flavor.  Each checks the guide's rules (:mod:`nks_simulator.rules`;
:class:`~nks_simulator.errors.ApiError` 400/404/409 before any change) and starts an
operation (:mod:`.operations`) that sets the node group ``*_IN_PROGRESS`` and the
cluster ``UPDATE_IN_PROGRESS``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .. import rules
from ..kube import objects as kube_objects
from ..errors import ApiError, bad_request
from .base import Plan, StoreBase
from .schema import AUTOSCALE_DEFAULTS, MASTER, NODEGROUP_LABEL_KEYS, UUID_LIST_LABELS

#: Labels a new worker node group does not inherit from the cluster (empty unless given).
OWN_LABELS = ("boot_volume_key_id", "boot_volume_appkey", "user_script", "user_script_v2",
              "additional_network_id_list", "additional_subnet_id_list")


class NodegroupsMixin(StoreBase):
    """The node group operations of the store (``Store.create_nodegroup``, ``Store.upgrade``, ...)."""

    def create_nodegroup(self, ident: str, body: dict, project_id: str) -> dict:
        """Create a Node Group: node group ``CREATE_IN_PROGRESS``, cluster ``UPDATE_IN_PROGRESS``.
        Returns the stored node group (a copy).  Raises :class:`ApiError` 400, 404, 409 (name taken)."""
        quota = self.config.max_nodes_per_nodegroup

        def run():
            cluster = self._cluster(ident, project_id)
            self._check_idle(cluster)
            rules.check_name(body.get("name"), "Nodegroup")
            rules.check_ids(body, ("flavor_id", "image_id"), (), UUID_LIST_LABELS[1:])
            rules.check_flavor(body.get("flavor_id"), self.config)
            rules.check_zone((body.get("labels") or {}).get("availability_zone"), self.config)
            count = rules.parse_int(body.get("node_count", 1), "node_count", 1, quota)
            labels_in = dict(body.get("labels") or {})
            rules.check_autoscale(labels_in, quota)
            rules.parse_bool(labels_in.get("ca_enable"), "labels.ca_enable")
            rules.parse_int(labels_in.get("boot_volume_size"), "labels.boot_volume_size", 1, None)
            guide_labels = (rules.check_create_labels_2026(labels_in, quota, cluster=False)
                            if self.config.guide_2026 else {})
            if any(ng["name"] == body["name"] for ng in cluster["nodegroups"].values()):
                raise ApiError(409, f"A node group with name {body['name']} already exists in the cluster "
                                    f"{cluster['uuid']}.")
            labels = {k: cluster["labels"].get(k, "") for k in NODEGROUP_LABEL_KEYS}
            labels.update({k: "" for k in OWN_LABELS})
            labels.update(AUTOSCALE_DEFAULTS)
            labels.update(rules.stored_labels(labels_in, self.config.label_drift))
            labels.update(guide_labels)
            labels["node_image"] = str(body.get("image_id"))
            ng = self._add_nodegroup(cluster, body["name"], "worker", body.get("flavor_id"), body.get("image_id"),
                                     labels, count)
            ng["labels"]["kube_tag"] = self._master(cluster)["labels"]["kube_tag"]
            self._start(cluster, "NODEGROUP_CREATE", nodegroup=ng, nodegroup_phase="CREATE")
            return ng
        return self.mutate(run)

    def _add_nodegroup(self, cluster: dict, name: str, role: str, flavor_id: Any, image_id: Any,
                       labels: dict, node_count: int, with_nodes: bool = True) -> dict:
        """Add a new node group record (``CREATE_IN_PROGRESS``) to ``cluster`` and return it."""
        now = self.clock()
        self.state["counters"]["nodegroup_id"] += 1
        ng = {
            "uuid": str(uuid.uuid4()),
            "id": self.state["counters"]["nodegroup_id"],
            "name": name,
            "cluster_id": cluster["uuid"],
            "project_id": cluster["project_id"],
            "flavor_id": flavor_id,
            "image_id": image_id,
            "labels": labels,
            "role": role,
            "is_default": name == MASTER,  # the guide's examples: default-worker is_default false
            "node_count": node_count,
            "stack_id": str(uuid.uuid4()),
            "status": "CREATE_IN_PROGRESS",
            "status_reason": None,
            "created_at": now,
            "updated_at": now,
            "nodes": [],
        }
        ng["labels"]["kube_tag"] = cluster["labels"]["kube_tag"]
        ng["labels"]["server_group_meta"] = f"k8s_{cluster['uuid']}_{ng['uuid']}"
        cluster["nodegroups"][ng["uuid"]] = ng
        if with_nodes:
            ng["nodes"] = [self._new_node(cluster, ng) for _ in range(node_count)]
        return ng

    def delete_nodegroup(self, ident: str, ng_ident: str, project_id: str) -> None:
        """Delete a Node Group. 400 for ``default-master`` and for the last worker node group
        ("Deleting the last nodegroup is not supported.", as NKS answers)."""
        def run():
            cluster = self._cluster(ident, project_id)
            ng = self._nodegroup(cluster, ng_ident)
            if ng["role"] == "master":
                raise bad_request(f"Deleting the control plane node group ({ng['name']}) is not allowed.")
            if [g for g in cluster["nodegroups"].values() if g["role"] == "worker"] == [ng]:
                raise bad_request("Deleting the last nodegroup is not supported.")
            self._check_idle(cluster, ng, deleting=True)
            self._start(cluster, "NODEGROUP_DELETE", nodegroup=ng, nodegroup_phase="DELETE")
        self.mutate(run)

    def node_action(self, ident: str, ng_ident: str, body: dict, project_id: str, stop: bool) -> dict:
        """Stop a Node Group / Start a Node: ``node_list`` is colon-separated node UUIDs."""
        def plan(_cluster: dict, ng: dict) -> Plan:
            wanted = [u for u in str(body.get("node_list") or "").split(":") if u]
            if not wanted:
                raise bad_request("node_list must list at least one node UUID (colon-separated).")
            known = {n["uuid"] for n in ng["nodes"]}
            unknown = [u for u in wanted if u not in known]
            if unknown:
                raise bad_request(f"node_list: node(s) {', '.join(unknown)} not found in node group {ng['name']}.")
            kind = "NODEGROUP_NODE_ACTION_NODE_STOP" if stop else "NODEGROUP_NODE_ACTION_NODE_START"
            return kind, {"effects": {"node_status": {"uuids": wanted, "status": "SHUTOFF" if stop else "ACTIVE"}}}
        return self._change(ident, project_id, plan, nodegroup=ng_ident)

    def set_autoscale(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """Change Autoscaler Configuration of a Node Group (``ca_*`` labels; min <= max)."""
        quota = self.config.max_nodes_per_nodegroup

        def plan(_cluster: dict, ng: dict) -> Plan:
            changes = rules.check_autoscale(body, quota)
            if not self.config.label_drift:
                changes = {key: rules.to_label(body[key]) for key in changes}
            merged = {**ng["labels"], **changes}
            low, high = int(merged.get("ca_min_node_count") or 1), int(merged.get("ca_max_node_count") or quota)
            if low > high:
                raise bad_request(f"ca_min_node_count {low} must not be greater than ca_max_node_count {high}.")
            return "NODEGROUP_SET_CLUSTER_AUTOSCALER", {"effects": {"nodegroup_labels": changes}}
        return self._change(ident, project_id, plan, nodegroup=ng_ident)

    def upgrade(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """Upgrade a Cluster: ``default-master`` = control plane, else a worker node group."""
        cfg = self.config

        def plan(cluster: dict, ng: dict) -> Plan:
            target = str(body.get("version"))
            master = self._master(cluster)
            is_master = ng is master
            workers = [g for g in cluster["nodegroups"].values() if g["role"] == "worker"]
            self._check_upgrade_addons(cluster, target, is_master)  # store/addons.py
            rules.check_upgrade(target, ng["labels"]["kube_tag"], master["labels"]["kube_tag"], is_master,
                                [g["labels"]["kube_tag"] for g in workers], cfg.supported_versions)
            if not is_master:
                if any(n["status"] == "SHUTOFF" for n in ng["nodes"]):
                    raise bad_request(f"Node group {ng['name']} has stopped nodes; start them before upgrading.")
                rules.check_rolling(body, ng["node_count"], cfg.max_nodes_per_nodegroup)
            effects = {"nodegroup_labels": {"kube_tag": target}}
            if is_master:
                effects["cluster_labels"] = {"kube_tag": target}
            planned = {"effects": effects,
                       "duration_key": "CONTROL_PLANE_UPGRADE" if is_master else "NODEGROUP_UPGRADE"}
            if not is_master:
                planned["fail_reason"] = self._eviction_failure(cluster, ng)
            return "NODEGROUP_UPGRADE", planned
        return self._change(ident, project_id, plan, nodegroup=ng_ident, any_role=True,
                            retry_failed=cfg.guide_2026)

    def _eviction_failure(self, cluster: dict, ng: dict):
        """The task history reason of a worker node group upgrade that cannot drain its nodes: a
        PodDisruptionBudget of the cluster's Kubernetes API allowing no disruption
        (:func:`..kube.objects.blocking_pdbs`; user guide, "Pod eviction cautions"), else ``None``."""
        if not ng["nodes"]:
            return None
        ops = [op for op in self.state["operations"] if op["cluster_uuid"] == cluster["uuid"]]
        blocking = kube_objects.blocking_pdbs(cluster, ops, self.clock())
        if not blocking:
            return None
        return (f"Failed to drain node group {ng['name']}: cannot evict pods: Cannot evict pod as it would violate"
                f" the pod's disruption budget (PodDisruptionBudget {', '.join(blocking)})")

    def update_userscript(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """Change User Script (``labels.user_script_v2``)."""
        def plan(_cluster: dict, _ng: dict) -> Plan:
            return "NODEGROUP_USERSCRIPT_UPDATE", {
                "effects": {"nodegroup_labels": {"user_script_v2": str(body.get("contents"))}}}
        return self._change(ident, project_id, plan, nodegroup=ng_ident)

    def patch_nodegroup(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """``PATCH .../nodegroups/{id}`` by ``type``: ``flavor_id`` (Change Instance Flavor); with the
        2026-03 guide also ``k8s_node_labels``, ``fip_auto_bind``, ``metric_base_autoscale``.
        400 for another type (naming the types of the guide in use)."""
        kinds = {"flavor_id": self.update_flavor}
        if self.config.guide_2026:
            kinds.update(k8s_node_labels=self.set_k8s_node_labels, fip_auto_bind=self.set_fip_auto_bind,
                         metric_base_autoscale=self.set_metric_autoscale)
        handler = kinds.get(str(body.get("type")))
        if handler is None:
            raise bad_request(f"type '{body.get('type')}' is not supported; one of {', '.join(kinds)}.")
        return handler(ident, ng_ident, body, project_id)

    def set_k8s_node_labels(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """Change Kubernetes Label Configuration of a Node Group (2026-03): at most 20 labels, Kubernetes
        key/value rules (:func:`rules.check_k8s_node_labels`); replaces the set (``{}`` clears it).
        Applies to nodes created afterwards; existing nodes keep theirs (user guide)."""
        def plan(_cluster: dict, _ng: dict) -> Plan:
            if not isinstance(body.get("k8s_node_labels"), dict):
                raise bad_request("k8s_node_labels is required: an object of Kubernetes label keys and values.")
            labels = rules.check_k8s_node_labels(body["k8s_node_labels"])
            return "NODEGROUP_UPDATE_K8S_NODE_LABELS", {"effects": {"nodegroup_labels": {
                "k8s_node_labels": json.dumps(labels, separators=(",", ":"))}}}
        return self._change(ident, project_id, plan, nodegroup=ng_ident)

    def set_fip_auto_bind(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """Change Floating IP Auto-assignment Configuration of a Node Group (2026-03): ``fip_bind_subnet``
        must be the cluster's subnet or one of the node group's additional subnets."""
        def plan(cluster: dict, ng: dict) -> Plan:
            if body.get("fip_auto_bind_update_info") is None:
                raise bad_request("fip_auto_bind_update_info is required.")
            changes = rules.check_fip_auto_bind(body["fip_auto_bind_update_info"])
            if changes["fip_auto_bind_enable"] == "True":
                allowed = {str(cluster["fixed_subnet"])} | set(
                    filter(None, str(ng["labels"].get("additional_subnet_id_list") or "").split(":")))
                if changes["fip_bind_subnet"] not in allowed:
                    raise bad_request(f"fip_auto_bind_update_info.fip_bind_subnet {changes['fip_bind_subnet']} must "
                                      "be the cluster's subnet (fixed_subnet) or an additional subnet of the node "
                                      "group.")
            else:
                changes.update(fip_bind_subnet=changes.get("fip_bind_subnet", ""),
                               fip_selector=changes.get("fip_selector", ""))
            return "NODEGROUP_UPDATE_FIP_AUTO_BIND", {"effects": {"nodegroup_labels": changes}}
        return self._change(ident, project_id, plan, nodegroup=ng_ident)

    def set_metric_autoscale(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """Change Metric-Based Autoscaler Configuration of a Node Group (2026-03): ``mba_scale_out`` /
        ``mba_scale_in`` (:func:`rules.check_mba`); at least one of them."""
        quota = self.config.max_nodes_per_nodegroup

        def plan(_cluster: dict, _ng: dict) -> Plan:
            if body.get("mba_scale_out") is None and body.get("mba_scale_in") is None:
                raise bad_request("mba_scale_out or mba_scale_in is required.")
            for key in ("mba_scale_out", "mba_scale_in"):
                if body.get(key) is not None and not isinstance(body[key], dict):
                    raise bad_request(f"{key} must be an object.")
            return "NODEGROUP_SET_METRIC_BASE_AUTOSCALER", {"effects": {"nodegroup_labels": rules.check_mba(
                body, quota)}}
        return self._change(ident, project_id, plan, nodegroup=ng_ident)

    def update_flavor(self, ident: str, ng_ident: str, body: dict, project_id: str) -> dict:
        """Change Instance Flavor (``PATCH`` with ``type: flavor_id``)."""
        cfg = self.config

        def plan(_cluster: dict, ng: dict) -> Plan:
            if body.get("type") != "flavor_id":
                raise bad_request("type must be \"flavor_id\".")
            rules.check_uuid(body.get("flavor_id"), "flavor_id")
            rules.check_flavor(body.get("flavor_id"), cfg)
            rules.check_rolling(body, ng["node_count"], cfg.max_nodes_per_nodegroup)
            return "NODEGROUP_UPDATE_FLAVOR", {"effects": {"nodegroup_fields": {"flavor_id": str(body["flavor_id"])}}}
        return self._change(ident, project_id, plan, nodegroup=ng_ident)
