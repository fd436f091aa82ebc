"""Add-on management (API guide 2026-03 "Add-on Management"): the add-ons installed on a cluster.

A cluster holds its installed add-ons in ``cluster["addons"]`` (``{uuid: record}``, the record
shaped as View Add-ons Installed on a Cluster less ``project_id``/``cluster_*``) and whether the
NKS registry is enabled in ``cluster["nks_registry"]`` (absent: enabled).  Install, update and
remove are operations (:mod:`.operations`) of the event types ``CLUSTER_INSTALL_ADDON``,
``CLUSTER_UPDATE_ADDON`` and ``CLUSTER_UNINSTALL_ADDON`` (``/v1/supports``); they change the
add-on's status, never the cluster's (docs/simulator.md "Add-ons").  The offered add-ons are
:mod:`nks_simulator.addon_catalogue`.
"""

from __future__ import annotations

import uuid
from typing import Dict, List, Optional

from .. import addon_catalogue as catalogue
from .. import rules
from ..errors import ApiError, bad_request, not_found
from .base import StoreBase
from .schema import in_progress

RESOLVE_CONFLICTS = ("none", "overwrite", "preserve")
#: Operation type -> (in-progress status prefix, status after success or None when removed).
_PHASES = {"CLUSTER_INSTALL_ADDON": "INSTALL", "CLUSTER_UPDATE_ADDON": "UPDATE",
           "CLUSTER_UNINSTALL_ADDON": "UNINSTALL"}


def check_k8s_range(addon: dict, kube_tag: str) -> None:
    """400 unless ``kube_tag`` lies within the add-on's ``k8s_min_version``..``k8s_max_version``
    (both inclusive, null = unbounded)."""
    current = rules.parse_version(kube_tag)
    low, high = addon.get("k8s_min_version"), addon.get("k8s_max_version")
    if low and current < rules.parse_version(low):
        raise bad_request(f"Addon {addon['name']} {addon['version']} requires Kubernetes {low} or later; "
                          f"the cluster runs {kube_tag}.")
    if high and current > rules.parse_version(high):
        raise bad_request(f"Addon {addon['name']} {addon['version']} supports Kubernetes up to {high}; "
                          f"the cluster runs {kube_tag}.")


def check_options(addon: dict, given: Optional[dict], current: Optional[dict] = None) -> Dict[str, object]:
    """The options of ``addon`` after a request giving ``given`` (None: none given).

    On install (``current`` None) the defaults fill what is not given; on update the current
    options are kept and a non-updatable option may not change.  400 for an unknown option, a
    value of the wrong type (``STRING``: a string, ``INTEGER``: an integer or a string of
    digits, ``SELECT``: one of ``choices``), a mandatory option without value."""
    schemas = {o["name"]: o for o in addon["option_schemas"]}
    if given is not None and not isinstance(given, dict):
        raise bad_request("options must be an object.")
    given = dict(given or {})
    unknown = sorted(set(given) - set(schemas))
    if unknown:
        raise bad_request(f"Unknown option(s) {', '.join(unknown)} for addon {addon['name']} {addon['version']}"
                          f" (options: {', '.join(sorted(schemas)) or 'none'}).")
    result = dict(catalogue.defaults(addon["option_schemas"])) if current is None else {
        k: v for k, v in current.items() if k in schemas}
    for name, value in given.items():
        schema = schemas[name]
        kind = schema["data_type"]
        if kind == "SELECT":
            if not isinstance(value, str) or value not in schema.get("choices", []):
                raise bad_request(f"Option {name} of addon {addon['name']} must be one of "
                                  f"{', '.join(schema.get('choices', []))} (got {value!r}).")
        elif kind == "INTEGER":
            if isinstance(value, bool) or not (isinstance(value, int) or (
                    isinstance(value, str) and value.strip().lstrip("-").isdigit())):
                raise bad_request(f"Option {name} of addon {addon['name']} must be an integer (got {value!r}).")
        elif not isinstance(value, str):
            raise bad_request(f"Option {name} of addon {addon['name']} must be a string (got {value!r}).")
        if current is not None and not schema.get("updatable", False) and name in current \
                and str(current[name]) != str(value):
            raise bad_request(f"Option {name} of addon {addon['name']} is not updatable "
                              f"(current {current[name]!r}, requested {value!r}).")
        result[name] = value
    for name, schema in schemas.items():
        if schema.get("mandatory") and result.get(name) in (None, ""):
            raise bad_request(f"Option {name} of addon {addon['name']} is mandatory.")
    return result


def _offered(name: str, version: str) -> dict:
    """The offered add-on ``name`` at ``version``; 400 when not offered."""
    if not isinstance(name, str) or not catalogue.versions_of(name):
        raise bad_request(f"Addon '{name}' is not offered by NHN Cloud (offered: "
                          f"{', '.join(sorted({a['name'] for a in catalogue.ADDONS}))}).")
    found = catalogue.find(name, str(version))
    if found is None:
        raise bad_request(f"Version '{version}' of addon {name} is not offered (offered: "
                          f"{', '.join(a['version'] for a in catalogue.versions_of(name))}).")
    return found


def _resolve_conflicts(body: dict) -> str:
    value = body.get("resolve_conflicts")
    if value not in RESOLVE_CONFLICTS:
        raise bad_request(f"resolve_conflicts must be one of none, overwrite, preserve (got {value!r}).")
    return value


def plan_create_addons(requested: Optional[List[dict]], kube_tag: str, cni_driver: str) -> List[dict]:
    """The add-ons a new cluster gets: those ``requested`` (Create a Cluster ``addons``: name,
    version, options), checked as an install is, plus the newest version supported by
    ``kube_tag`` of each default add-on (calico, coredns) whose type is not requested; calico's
    default ``mode`` follows ``labels.cni_driver`` (``calico-ebpf``: ebpf).  Returns
    ``[{"addon": offered, "options": {...}}]``; 400 for a bad entry or two of one type."""
    planned, types = [], set()
    for item in requested or []:
        if not isinstance(item, dict) or not item.get("name") or not item.get("version"):
            raise bad_request("addons: every entry needs a name and a version.")
        addon = _offered(item["name"], item["version"])
        if addon["type"] in types:
            raise bad_request(f"addons: more than one addon of type {addon['type']}.")
        check_k8s_range(addon, kube_tag)
        given = dict(item.get("options") or {})
        if addon["name"] == "calico" and "mode" not in given and cni_driver == "calico-ebpf":
            given["mode"] = "ebpf"
        planned.append({"addon": addon, "options": check_options(addon, given)})
        types.add(addon["type"])
    for name in catalogue.DEFAULT_ADDONS:
        candidates = catalogue.versions_of(name)
        if candidates[0]["type"] in types:
            continue
        fitting = [a for a in candidates if _fits(a, kube_tag)]
        if not fitting:
            continue
        addon = fitting[-1]
        given = {"mode": "ebpf"} if name == "calico" and cni_driver == "calico-ebpf" else {}
        planned.append({"addon": addon, "options": check_options(addon, given)})
    return planned


def _fits(addon: dict, kube_tag: str) -> bool:
    try:
        check_k8s_range(addon, kube_tag)
    except ApiError:
        return False
    return True


def new_record(cluster: dict, addon: dict, options: dict, status: str, now: float) -> dict:
    """A stored installed add-on (``cluster["addons"][uuid]``)."""
    return {"uuid": str(uuid.uuid4()), "type": addon["type"], "name": addon["name"], "version": addon["version"],
            "options": dict(options), "status": status, "status_reason": None, "scope": "cluster",
            "target_uuid": cluster["uuid"], "created_at": now, "updated_at": now}


class AddonsMixin(StoreBase):
    """The add-on operations of the store (``Store.install_addon``, ``Store.update_addon``, ...)."""

    # ------------------------------------------------------------------ reads
    def list_addons(self, ident: str, project_id: str) -> tuple:
        """View a List of Add-ons Installed on a Cluster: ``(cluster, [records])``."""
        def run(_state):
            cluster = self._cluster(ident, project_id)
            return cluster, list(cluster.get("addons", {}).values())
        return self.read(run)

    def get_addon(self, ident: str, addon_ident: str, project_id: str) -> tuple:
        """View Add-ons Installed on a Cluster: ``(cluster, record)``; 404 when not installed."""
        def run(_state):
            cluster = self._cluster(ident, project_id)
            return cluster, self._installed(cluster, addon_ident)
        return self.read(run)

    @staticmethod
    def _installed(cluster: dict, ident: str) -> dict:
        """The installed add-on of UUID or name ``ident``; 404 when the cluster has none."""
        addons = cluster.get("addons", {})
        if ident in addons:
            return addons[ident]
        for record in addons.values():
            if record["name"] == ident:
                return record
        raise not_found("Addon", ident)

    # ------------------------------------------------------------------ changes
    def _addon_change(self, ident: str, project_id: str, fn) -> dict:
        """One add-on change in a transaction: the cluster (404/409), idle (400), its NKS
        registry enabled (400), then ``fn(cluster)``; returns ``{"uuid": cluster uuid}``."""
        def run():
            cluster = self._cluster(ident, project_id)
            self._check_idle(cluster)
            if not cluster.get("nks_registry", True):
                raise bad_request(f"Add-on management is not available for cluster {cluster['uuid']}: "
                                  "the NKS registry is not enabled.")
            cluster.setdefault("addons", {})
            fn(cluster)
            return {"uuid": cluster["uuid"]}
        return self.mutate(run)

    def _start_addon(self, cluster: dict, op_type: str, record: dict, effects: dict) -> None:
        op = self._start(cluster, op_type, cluster_phase=None, effects=effects)
        op["addon"] = record["uuid"]
        record.update(status=f"{_PHASES[op_type]}_IN_PROGRESS", status_reason=None, updated_at=op["started_at"])

    @staticmethod
    def _check_addon_idle(record: dict) -> None:
        if in_progress(record["status"]):
            raise bad_request(f"Addon {record['name']} is in a wrong state ({record['status']}): another "
                              "operation is in progress.")

    def install_addon(self, ident: str, body: dict, project_id: str) -> dict:
        """Install Add-ons on a Cluster: ``name``, ``version``, ``resolve_conflicts``, optional
        ``options``.  409 when an add-on of that type is installed; 400 for a bad request."""
        def fn(cluster: dict) -> None:
            _resolve_conflicts(body)
            addon = _offered(body.get("name"), body.get("version"))
            for record in cluster["addons"].values():
                if record["type"] == addon["type"]:
                    raise ApiError(409, f"Addon {record['name']} of type {addon['type']} is already installed on "
                                        f"cluster {cluster['uuid']}: update it instead.")
            check_k8s_range(addon, cluster["labels"]["kube_tag"])
            options = check_options(addon, body.get("options"))
            record = new_record(cluster, addon, options, "INSTALL_IN_PROGRESS", self.clock())
            cluster["addons"][record["uuid"]] = record
            self._start_addon(cluster, "CLUSTER_INSTALL_ADDON", record, {})
        return self._addon_change(ident, project_id, fn)

    def update_addon(self, ident: str, addon_ident: str, body: dict, project_id: str) -> dict:
        """Update Add-ons to a Cluster: ``version``, ``resolve_conflicts``, optional ``options``
        (a non-updatable option may not change).  404 when not installed."""
        def fn(cluster: dict) -> None:
            record = self._installed(cluster, addon_ident)
            self._check_addon_idle(record)
            _resolve_conflicts(body)
            addon = _offered(record["name"], body.get("version"))
            check_k8s_range(addon, cluster["labels"]["kube_tag"])
            options = check_options(addon, body.get("options"), record["options"])
            self._start_addon(cluster, "CLUSTER_UPDATE_ADDON", record,
                              {"addon": {"version": addon["version"], "options": options}})
        return self._addon_change(ident, project_id, fn)

    def remove_addon(self, ident: str, addon_ident: str, project_id: str) -> dict:
        """Remove Add-ons from a Cluster; 400 for a mandatory type, 404 when not installed."""
        def fn(cluster: dict) -> None:
            record = self._installed(cluster, addon_ident)
            if catalogue.is_mandatory(record["type"]):
                raise bad_request(f"Addon {record['name']} is of the mandatory type {record['type']} and cannot "
                                  "be removed.")
            self._check_addon_idle(record)
            self._start_addon(cluster, "CLUSTER_UNINSTALL_ADDON", record, {})
        return self._addon_change(ident, project_id, fn)

    # ------------------------------------------------------------------ completion and hooks
    def _finish_addons(self, cluster: dict, op: dict, ok: bool, ts: float) -> None:
        """Called by :meth:`OperationsMixin._finish` for every completed operation: an add-on
        operation sets its add-on's status (and applies the update, or removes it); the end of
        ``CLUSTER_CREATE`` completes the add-ons installed with the cluster."""
        addons = cluster.get("addons", {})
        if op["type"] == "CLUSTER_CREATE":
            for record in addons.values():
                if record["status"] == "INSTALL_IN_PROGRESS":
                    record.update(status="INSTALL_COMPLETE" if ok else "INSTALL_FAILED",
                                  status_reason=None if ok else op["fail_reason"], updated_at=ts)
            return
        record = addons.get(op.get("addon") or "")
        if record is None or op["type"] not in _PHASES:
            return
        phase = _PHASES[op["type"]]
        if ok and phase == "UNINSTALL":
            del addons[record["uuid"]]
            return
        if ok:
            record.update(op["effects"].get("addon", {}))
        record.update(status=f"{phase}_{'COMPLETE' if ok else 'FAILED'}",
                      status_reason=None if ok else op["fail_reason"], updated_at=ts)

    def _seed_addons(self, cluster: dict, planned: List[dict], now: float) -> None:
        """A new cluster's add-ons (:func:`plan_create_addons`), installing with the cluster;
        its NKS registry enabled as ``nks_registry_new_clusters`` says."""
        cluster["nks_registry"] = bool(getattr(self.config, "nks_registry_new_clusters", True))
        cluster["addons"] = {}
        for item in planned:
            record = new_record(cluster, item["addon"], item["options"], "INSTALL_IN_PROGRESS", now)
            cluster["addons"][record["uuid"]] = record

    def _check_upgrade_addons(self, cluster: dict, target: str, is_master: bool) -> None:
        """Upgrade a Cluster: 400 without the NKS registry (user guide "Upgrade Rules"); for the
        control plane, 400 when ``target`` exceeds an installed add-on's ``k8s_max_version``
        (docs/simulator.md "Add-ons": update the add-on first)."""
        if not cluster.get("nks_registry", True):
            raise bad_request(f"Cluster {cluster['uuid']} cannot be upgraded: the NKS registry is not enabled.")
        if not is_master:
            return
        for record in cluster.get("addons", {}).values():
            addon = catalogue.find(record["name"], record["version"])
            high = addon and addon.get("k8s_max_version")
            if high and rules.parse_version(target) > rules.parse_version(high):
                raise bad_request(f"Cannot upgrade to {target}: addon {record['name']} {record['version']} "
                                  f"supports Kubernetes up to {high}; update the addon first.")

    def set_addon_knobs(self, ident: str, body: dict) -> dict:
        """``PATCH /_sim/clusters/{id}/addon_settings``: ``nks_registry`` (bool) enables or disables the
        cluster's NKS registry; ``clear_addons`` true forgets its installed add-ons (a cluster from
        before add-on management).  Returns ``{"uuid", "nks_registry", "addons"}``."""
        def run():
            cluster = self._cluster(ident, None)
            if body.get("nks_registry") is not None:
                cluster["nks_registry"] = bool(body["nks_registry"])
            if body.get("clear_addons"):
                cluster["addons"] = {}
                self.state["operations"] = [op for op in self.state["operations"]
                                            if not (op["cluster_uuid"] == cluster["uuid"] and op.get("addon"))]
            return {"uuid": cluster["uuid"], "nks_registry": cluster.get("nks_registry", True),
                    "addons": sorted(r["name"] for r in cluster.get("addons", {}).values())}
        return self.mutate(run)
