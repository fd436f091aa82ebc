"""Operations: the pending operations of the guide that take time, and their completion.

Every operation is recorded in ``state["operations"]`` as ``{type, cluster_uuid,
nodegroup_uuid, event_uuid, started_at, finishes_at, fail_reason, cluster_phase,
nodegroup_phase, all_nodegroups, effects}`` (times in epoch seconds); every public
method of the store first *advances* it to "now" (:meth:`OperationsMixin.advance`),
applying the completions that are due: their effects on success, ``*_COMPLETE`` or
``*_FAILED`` statuses and the event's state.  Failures are armed by fail-next rules
(``state["fail_next"]``, docs/simulator.md "Making an operation fail").
"""

from __future__ import annotations

import copy
import json
import ipaddress
import random
import uuid
from typing import List, Optional

from .base import StoreBase


class OperationsMixin(StoreBase):
    """Start, advance and finish operations; node instances; armed failures."""

    def advance(self) -> bool:
        """Apply every operation whose ``finishes_at`` has passed (caller holds the lock).

        Nothing completes while the runtime setting ``hold_operations`` is true."""
        if self.config.hold_operations:
            return False
        now = self.clock()
        ops = self.state["operations"]
        due = sorted((op for op in ops if op["finishes_at"] <= now), key=lambda op: op["finishes_at"])
        if not due:
            return False
        self.state["operations"] = [op for op in ops if op["finishes_at"] > now]
        for op in due:
            self._finish(op)
        return True

    def _finish(self, op: dict) -> None:
        cluster = self.state["clusters"].get(op["cluster_uuid"])
        if cluster is None:
            return
        ok = op["fail_reason"] is None
        ts = op["finishes_at"]
        for event in cluster["events"]:
            if event["uuid"] == op["event_uuid"]:
                event.update(state="SUCCESS" if ok else "FAIL", contents=None if ok else op["fail_reason"],
                             updated_at=ts)
        ngs = cluster["nodegroups"]
        targets = list(ngs.values()) if op["all_nodegroups"] else [ngs[op["nodegroup_uuid"]]] if op.get(
            "nodegroup_uuid") in ngs else []
        if ok:
            self._apply_effects(cluster, targets, op["effects"])
        self._finish_addons(cluster, op, ok, ts)  # store/addons.py
        if op["cluster_phase"] == "DELETE" and ok:
            del self.state["clusters"][cluster["uuid"]]
            self.state["operations"] = [o for o in self.state["operations"] if o["cluster_uuid"] != cluster["uuid"]]
            return
        suffix = "COMPLETE" if ok else "FAILED"
        for ng in targets:
            if op["nodegroup_phase"] == "DELETE" and ok:
                del ngs[ng["uuid"]]
                continue
            ng["status"] = f"{op['nodegroup_phase']}_{suffix}"
            ng["status_reason"] = (f"Stack {op['nodegroup_phase']} completed successfully" if ok
                                   else op["fail_reason"])
            ng["updated_at"] = ts
        if op["cluster_phase"]:
            cluster["status"] = f"{op['cluster_phase']}_{suffix}"
            cluster["status_reason"] = None if ok else op["fail_reason"]
            cluster["updated_at"] = ts

    def _apply_effects(self, cluster: dict, targets: List[dict], effects: dict) -> None:
        cluster["labels"].update(effects.get("cluster_labels", {}))
        cluster.update(effects.get("cluster_fields", {}))
        for ng in targets:
            ng["labels"].update(effects.get("nodegroup_labels", {}))
            ng.update(effects.get("nodegroup_fields", {}))
            if "node_status" in effects:
                wanted = set(effects["node_status"]["uuids"])
                for node in ng["nodes"]:
                    if node["uuid"] in wanted:
                        node["status"] = effects["node_status"]["status"]
            if "resize" in effects:
                self._resize_nodes(cluster, ng, effects["resize"]["node_count"], effects["resize"]["remove"])

    def _resize_nodes(self, cluster: dict, ng: dict, count: int, remove: List[str]) -> None:
        nodes = [n for n in ng["nodes"] if n["uuid"] not in set(remove)]
        while len(nodes) > count:  # "chosen at random" (Resize, KO guide)
            nodes.pop(random.randrange(len(nodes)))
        while len(nodes) < count:
            nodes.append(self._new_node(cluster, ng))
        ng["nodes"] = nodes
        ng["node_count"] = count

    def _new_node(self, cluster: dict, ng: Optional[dict] = None) -> dict:
        """A new node instance of ``cluster`` (in ``ng``): next free address of the fixed subnet,
        ``ACTIVE``; it records the node group's Kubernetes labels of that moment (``k8s_labels``,
        label ``k8s_node_labels``, 2026-03 guide): later changes reach only nodes created after them."""
        net = ipaddress.ip_network(cluster["fixed_cidr"])
        used = {n["address"] for g in cluster["nodegroups"].values() for n in g["nodes"]}
        hosts = max(1, net.num_addresses - 2)
        for _ in range(hosts):
            index = cluster["ip_next"]
            cluster["ip_next"] = index + 1
            address = str(net.network_address + 1 + (index % hosts))
            if address not in used:
                break
        node = {"uuid": str(uuid.uuid4()), "address": address, "status": "ACTIVE"}
        k8s_labels = (ng or {}).get("labels", {}).get("k8s_node_labels")
        if k8s_labels:
            try:
                node["k8s_labels"] = json.loads(k8s_labels) if isinstance(k8s_labels, str) else dict(k8s_labels)
            except ValueError:
                pass
        return node

    def _take_fail(self, op_type: str) -> Optional[str]:
        for rule in self.state["fail_next"]:
            if rule["operation"] == op_type and rule["count"] > 0:
                rule["count"] -= 1
                reason = rule["reason"]
                self.state["fail_next"] = [r for r in self.state["fail_next"] if r["count"] > 0]
                return reason
        return None

    def _start(self, cluster: dict, op_type: str, *, nodegroup: Optional[dict] = None,
               cluster_phase: Optional[str] = "UPDATE", nodegroup_phase: str = "UPDATE",
               all_nodegroups: bool = False, effects: Optional[dict] = None,
               duration_key: Optional[str] = None, fail_reason: Optional[str] = None) -> dict:
        """Begin an operation: statuses go ``*_IN_PROGRESS`` and an event is recorded. ``fail_reason``
        (a node group upgrade blocked by a PodDisruptionBudget) makes it fail, else an armed fail-next rule may."""
        now = self.clock()
        counters = self.state["counters"]
        counters["event_id"] += 1
        resource = nodegroup if nodegroup is not None and not all_nodegroups else cluster
        event = {
            "id": counters["event_id"],
            "uuid": str(uuid.uuid4()),
            "project_id": cluster["project_id"],
            "cluster_uuid": cluster["uuid"],
            "cluster_name": cluster["name"],
            "resource_uuid": resource["uuid"],
            "resource_name": resource["name"],
            "resource_type": "cluster" if resource is cluster else "nodegroup",
            "type": op_type,
            "state": "IN_PROGRESS",
            "contents": None,
            "created_at": now,
            "updated_at": now,
        }
        cluster["events"].append(event)
        op = {
            "type": op_type,
            "cluster_uuid": cluster["uuid"],
            "nodegroup_uuid": nodegroup["uuid"] if nodegroup is not None else None,
            "event_uuid": event["uuid"],
            "started_at": now,
            "finishes_at": now + self.config.duration(duration_key or op_type),
            "fail_reason": fail_reason or self._take_fail(op_type),
            "cluster_phase": cluster_phase,
            "nodegroup_phase": nodegroup_phase,
            "all_nodegroups": all_nodegroups,
            "effects": effects or {},
        }
        self.state["operations"].append(op)
        if cluster_phase:
            cluster.update(status=f"{cluster_phase}_IN_PROGRESS", status_reason=None, updated_at=now)
        targets = list(cluster["nodegroups"].values()) if all_nodegroups else [nodegroup] if nodegroup else []
        for ng in targets:
            ng.update(status=f"{nodegroup_phase}_IN_PROGRESS", status_reason=None, updated_at=now)
        return op

    def add_fail_rule(self, rule: dict) -> List[dict]:
        """``POST /_sim/faults/fail-next``: arm a failure for the next operation(s)."""
        with self.lock:
            self.state["fail_next"].append(rule)
            self.save()
            return copy.deepcopy(self.state["fail_next"])
