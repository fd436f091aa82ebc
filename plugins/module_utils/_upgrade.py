# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade rule of NKS, in one place: the planner of one cluster's upgrade and its steps.

Used by the module ``nhncloud.nks.nks_fleet_upgrade`` (``_tasks/fleet_upgrade.py``), which runs
both the update runs of a fleet (``roles/upgrade/tasks/fleet.yml``) and the role
``nhncloud.nks.upgrade`` for one cluster (``roles/upgrade/tasks/main.yml``): one planner
(:func:`plan`, also the filter ``nhncloud.nks.upgrade_plan``) and one step order (:func:`actions`).
A step left ``UPDATE_FAILED`` is sent again as the first attempt was
(:func:`upgrade_of_failed_accepted`, the rule ``nks_cluster`` and ``nks_nodegroup`` apply).

Guide: "Upgrade a Cluster" (one minor version per step, control plane first, then every
worker node group) and "See the Supported Kubernetes Versions"; the user guide's "Upgrade
Rules" of 2026-03 are checked before any request: the control plane and every worker node
group on the same version (a group one minor version behind, left by an interrupted upgrade,
is brought up first), no operation running, the NKS registry enabled (when told: the API has
no read for it), and, with the add-on API (2026-03 guide; ``addon_catalog.available``), each
installed add-on's ``k8s_min_version``/``k8s_max_version`` against every step's version
(``module_utils/_addons.py``). CNI and CoreDNS are no longer upgraded with Kubernetes (user
guide, "Add-on Management"), so each step also lists the add-on updates it needs:
``addons_before`` (an installed version that does not run on the step's version, updated
first to one that runs on both versions, or NKS refuses the control plane upgrade) and
``addons_after`` (after the worker node groups: the add-ons of the policy, to the newest
version offered for the step's version). No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import _addons
from ._validation import ValidationError, available_versions, check_upgrade_step, parse_version

BUSY = " is %s: an operation is running; run the role again when it has ended."
FIX = "fix the layout by hand."


def _version(text):
    """``(major, minor, patch)`` of ``vX.Y.Z``, or None for anything else (the ``v`` is required)."""
    text = str(text or "")
    try:
        return parse_version(text) if text.startswith("v") else None
    except ValidationError:
        return None


def _busy_errors(cluster, groups):
    """Errors for the cluster and node groups with an operation running (``*_IN_PROGRESS``)."""
    errors = []
    if str(cluster.get("status") or "").endswith("_IN_PROGRESS"):
        errors.append("the cluster" + BUSY % cluster["status"])
    for group in groups:
        if str(group.get("status") or "").endswith("_IN_PROGRESS"):
            errors.append("node group " + group["name"] + BUSY % group["status"])
    return errors


def _behind(cp, groups):
    """``(groups one minor version behind the control plane, errors)`` for the worker node groups."""
    behind, errors = [], []
    for group in groups:
        name, version = group["name"], group.get("kube_version")
        if _version(version) is None:
            errors.append("node group %s has no Kubernetes version NKS reports in the form vX.Y.Z." % name)
        elif _version(version) > _version(cp):
            errors.append("worker node group %s is on %s, above the control plane (%s): NKS does not allow this and"
                          " no interrupted upgrade leaves it; %s" % (name, version, cp, FIX))
        elif _version(version) != _version(cp):
            try:
                check_upgrade_step(version, cp)
                behind.append(group)
            except ValidationError:
                errors.append("worker node group %s is on %s, neither the control plane version (%s) nor the minor"
                              " version before it: no interrupted upgrade leaves this; %s" % (name, version, cp, FIX))
    versions = _unique(group["kube_version"] for group in behind)
    if len(versions) > 1:
        errors.append("the worker node groups behind the control plane (%s) are on different versions (%s): no"
                      " interrupted upgrade leaves this; %s" % (cp, ", ".join(versions), FIX))
    return behind, errors


def _path(cp, target, offered):
    """``(versions of the control plane steps from cp to target, errors)``."""
    cpk, tk = _version(cp), _version(target)
    if tk < cpk:
        return [], ["the target %s is below the control plane version %s: NKS does not downgrade." % (target, cp)]
    if tk == cpk:
        return [], []
    if target not in offered:
        return [], ["the target %s is not offered by NKS (offered: %s)." % (target, ", ".join(offered))]
    if tk[0] != cpk[0] or tk[1] == cpk[1]:
        return [], ["NKS upgrades one minor version at a time: %s is not reachable from %s." % (target, cp)]
    path, errors = [], []
    for minor in range(cpk[1] + 1, tk[1] + 1):
        here = [v for v in offered if _version(v)[:2] == (cpk[0], minor)]
        if minor == tk[1]:
            path.append(target)
        elif here:
            path.append(here[-1])
        else:
            errors.append("NKS offers no v%d.%d version, so %s cannot be reached from %s one minor version at a time"
                          " (offered: %s)." % (cpk[0], minor, target, cp, ", ".join(offered)))
    if errors:
        return [], errors
    for before, after in zip([cp] + path, path):
        check_upgrade_step(before, after)  # one minor version per step, by construction
    return path, []


def _unique(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


ADDON_POLICIES = ("mandatory", "all", "required", "none")


def _addon_steps(steps, cp, installed, catalog, mandatory, policy):
    """Add ``addons_before``/``addons_after`` to each step (in place); returns the errors.

    Walks the steps with the add-ons' versions as each step leaves them: an add-on whose version does
    not run on the step's version (``k8s_min_version``/``k8s_max_version`` of its offered entry) is
    updated before the control plane to the newest offered version that runs on both the version before
    and the step's; after the worker node groups, the add-ons of ``policy`` go to the newest offered
    version for the step's version when it is newer.
    """
    errors = []
    current = dict((a["name"], a.get("version")) for a in installed)
    types = dict((a["name"], a.get("type")) for a in installed)
    before_version = cp
    for step in steps:
        version = step["version"]
        step["addons_before"], step["addons_after"] = [], []
        for name in sorted(current):
            have = current[name]
            entry = [a for a in _addons.offered_versions(catalog, name) if a.get("version") == have]
            if not entry or _addons.fits(entry[0], version):
                continue
            both = [a for a in _addons.offered_versions(catalog, name)
                    if _addons.fits(a, version) and _addons.fits(a, before_version)]
            if not both or policy == "none":
                fix = ("NHN Cloud offers no version of it for both %s and %s" % (before_version, version) if not both
                       else "the role updates no add-on (upgrade_addons: none): update it first to %s"
                       % both[-1]["version"])
                errors.append("add-on %s %s does not run on Kubernetes %s (it runs on %s): %s."
                              % (name, have, version, _addons.k8s_range(entry[0]), fix))
                continue
            step["addons_before"].append({"name": name, "from": have, "version": both[-1]["version"]})
            current[name] = both[-1]["version"]
        for name in sorted(current):
            wanted = policy == "all" or (policy == "mandatory" and types.get(name) in mandatory)
            if not wanted:
                continue
            newest = _addons.newest_fitting(catalog, name, version)
            if newest is not None and _addons.version_key(newest["version"]) > _addons.version_key(current[name]):
                step["addons_after"].append({"name": name, "from": current[name], "version": newest["version"]})
                current[name] = newest["version"]
        before_version = version
    return errors


def _addon_text(updates):
    return ", ".join("%s %s -> %s" % (u["name"], u["from"], u["version"]) for u in updates)


def _summary(cluster, cp, target, groups, steps, errors, resuming):
    """The plan as lines of text (what the role shows, and what check mode prints)."""
    layout = ", ".join("%s %s" % (g["name"], g.get("kube_version") or "") for g in groups) or "none"
    lines = ["cluster %s: control plane %s, worker node groups %s" % (cluster.get("name"), cp or "unknown", layout)]
    if errors:
        return lines + ["refused: " + " ".join(errors)]
    if not steps:
        return lines + ["at %s: nothing to upgrade" % target]
    lines.append("to %s in %d step(s)%s" % (target, len(steps), ", resuming an interrupted upgrade" if resuming else ""))
    for number, step in enumerate(steps, 1):
        head = "control plane to %s, then " % step["version"] if step["control_plane"] else ""
        if step.get("addons_before"):
            head = "add-ons %s, then %s" % (_addon_text(step["addons_before"]), head)
        tail = ", then add-ons %s" % _addon_text(step["addons_after"]) if step.get("addons_after") else ""
        lines.append("step %d: %sworker node groups %s to %s%s"
                     % (number, head, ", ".join(step["nodegroups"]), step["version"], tail))
    return lines


def _plan_steps(cp, target, groups, order, offered):
    """``(steps, errors, groups behind)`` once the versions are well formed and nothing runs."""
    names = [g["name"] for g in groups]
    ordered = _unique(n for n in order or [] if n in names) + [n for n in names if n not in (order or [])]
    behind, errors = _behind(cp, groups)
    if behind and cp not in offered:
        errors.append("worker node groups %s must be brought to the control plane version %s, which NKS no longer"
                      " offers (offered: %s)." % (", ".join(g["name"] for g in behind), cp, ", ".join(offered)))
    path, path_errors = _path(cp, target, offered)
    errors += path_errors
    if errors:
        return [], errors, behind
    behind_names = [g["name"] for g in behind]
    steps = [{"version": cp, "control_plane": False,
              "nodegroups": [n for n in ordered if n in behind_names]}] if behind else []
    steps += [{"version": version, "control_plane": True, "nodegroups": ordered} for version in path]
    return steps, [], behind


def plan(info, details, target=None, order=None, addons="mandatory", nks_registry=None):
    """The upgrade plan of one cluster (see DOCUMENTATION and RETURN above).

    :param dict info: nks_info's result with ``clusters`` (one) and ``supported_versions.available``;
        with ``addons`` and ``addon_catalog`` (2026-03 guide) the add-on steps are planned too.
    :param list details: results of nks_info per worker node group (``nodegroups``: one in detail).
    :param str target: the version to end on (None or empty: the newest offered).
    :param list order: node group names to upgrade first.
    :param str addons: the add-on policy (:data:`ADDON_POLICIES`).
    :param bool nks_registry: whether the NKS registry is enabled (``None``: unknown, not checked).
    :returns: dict with cluster, uuid, control_plane, target, nodegroups, steps, addons, errors, summary.
    """
    cluster = info["clusters"][0]
    groups = [r["nodegroups"][0] for r in details if r.get("nodegroups")]
    supported = (info.get("supported_versions") or {}).get("available") or []
    offered = [v for v in available_versions(dict((v, True) for v in supported)) if _version(v)]
    cp = cluster.get("kube_version") or ""
    target = target or (offered[-1] if offered else "")
    errors = []
    if _version(cp) is None:
        errors.append("the control plane version %s is not of the form vX.Y.Z." % (cp or "unknown"))
    if _version(target) is None:
        errors.append("the target version %s is not of the form vX.Y.Z." % (target or "(none: NKS offers no version)"))
    errors += _busy_errors(cluster, groups)
    if addons not in ADDON_POLICIES:
        errors.append("upgrade_addons must be one of %s, not %r." % (", ".join(ADDON_POLICIES), addons))
    if nks_registry is False:
        errors.append("the cluster's NKS registry is not enabled: NKS does not upgrade such clusters (user guide,"
                      " \"Upgrade Rules\"); enable it in the console first.")
    catalog = info.get("addon_catalog") or {}
    installed = info.get("addons") if catalog.get("available") else None
    steps, behind = [], []
    if not errors:
        steps, errors, behind = _plan_steps(cp, target, groups, order, offered)
    if not errors and installed is not None:
        installed = [a for a in installed if a.get("cluster_uuid") in (None, cluster.get("uuid"))]
        errors = _addon_steps(steps, cp, installed, catalog.get("addons") or [],
                              catalog.get("mandatory_types") or [], addons)
        if errors:
            steps = []
    return {"cluster": cluster.get("name"), "uuid": cluster.get("uuid"), "control_plane": cp, "target": target,
            "nodegroups": [dict((k, g[k]) for k in ("name", "kube_version", "status") if k in g) for g in groups],
            "addons": None if installed is None else [dict((k, a.get(k)) for k in ("name", "type", "version"))
                                                      for a in installed],
            "steps": steps, "errors": errors,
            "summary": _summary(cluster, cp, target, groups, steps, errors, bool(behind))}


# -- a new upgrade of what an upgrade left failed ------------------------------------------------

RETRYABLE_STATUS = "UPDATE_FAILED"
"""The status in which NKS accepts a new upgrade (user guide 2026-03: a node group whose upgrade failed
is upgraded again; NKS accepts nothing but a delete in any other ``*_FAILED`` status)."""


def upgrade_of_failed_accepted(status, changes):
    """Whether ``nks_cluster`` / ``nks_nodegroup`` may send ``changes`` to a control plane or node group in
    ``status``: only a Kubernetes version upgrade (Upgrade a Cluster, ``POST .../nodegroups/{ng}/upgrade``)
    of one left ``UPDATE_FAILED`` (:data:`RETRYABLE_STATUS`, user guide 2026-03, "Upgrade Rules"); any
    other change of a ``*_FAILED`` resource is refused before any request, as before.

    :param str status: the resource's status (``UPDATE_FAILED``, ``CREATE_FAILED``, ...).
    :param list changes: the names of the changes planned (``_engine.Change.name``), e.g. ``["kube_version"]``.
    :returns: bool, ``True`` only for ``UPDATE_FAILED`` and a non-empty list of ``kube_version`` alone.
    """
    changes = list(changes or [])
    return str(status or "") == RETRYABLE_STATUS and bool(changes) and all(c == "kube_version" for c in changes)


def planned_upgrade_of_failed(resource, obj):
    """The changes ``resource.plan(obj)`` plans for a ``*_FAILED`` control plane or node group when they
    are an upgrade NKS accepts (:func:`upgrade_of_failed_accepted`), else ``None`` (the module then
    refuses as for any ``*_FAILED`` resource: NKS accepts only a delete).

    :param resource: an ``_engine.Resource`` of ``nks_cluster`` or ``nks_nodegroup`` (``params``,
        ``status(obj)``, ``plan(obj)``); only reads are sent. :param dict obj: what it found.
    :returns: list of ``_engine.Change`` or ``None``; a plan that raises ``ValidationError`` is ``None``.
    """
    if resource.params.get("kube_version") is None or resource.params.get("state", "present") != "present":
        return None
    if str(resource.status(obj)[0] or "") != RETRYABLE_STATUS:
        return None
    try:
        changes = resource.plan(obj)
    except ValidationError:
        return None
    return changes if upgrade_of_failed_accepted(RETRYABLE_STATUS, [c.name for c in changes]) else None


class UpgradeOfFailedMixin(object):
    """What ``nks_cluster``'s and ``nks_nodegroup``'s ``_engine.Resource`` classes share about a control
    plane or node group left ``UPDATE_FAILED``: :meth:`failed` lets a new Kubernetes version upgrade of it
    through (:func:`planned_upgrade_of_failed`), and keeps that plan for the resource's ``plan`` to
    return (:meth:`take_planned`), so that it is planned once. Put before ``Resource`` in the bases.
    """

    _planned = None

    def failed(self, obj):
        """``*_FAILED`` (``Resource.failed``), except for a new Kubernetes version upgrade of one left
        ``UPDATE_FAILED``, which NKS accepts (user guide 2026-03); its plan is kept for :meth:`take_planned`."""
        if not super(UpgradeOfFailedMixin, self).failed(obj):
            return False
        self._planned = planned_upgrade_of_failed(self, obj)
        return self._planned is None

    def take_planned(self):
        """The changes :meth:`failed` planned, once (later calls return ``None``): a list of
        ``_engine.Change``, or ``None`` when nothing was kept."""
        changes, self._planned = self._planned, None
        return changes


# -- the steps of a plan, in NKS's order ----------------------------------------------------------

CONTROL_PLANE = "control_plane"
NODEGROUP = "nodegroup"
ADDON = "addon"
STEP_KINDS = (CONTROL_PLANE, NODEGROUP, ADDON)


def actions(upgrade):
    """The steps of a :func:`plan` as one ordered list, each one request: the add-ons that do not
    run on the step's version (``addons_before``), the control plane, each worker node group in
    order, then the add-ons of the policy (``addons_after``); then the next minor version.

    :param dict upgrade: a :func:`plan` without errors.
    :returns: list of dicts ``kind`` (:data:`STEP_KINDS`), ``name`` (node group or add-on name,
        ``default-master`` for the control plane), ``version`` (the Kubernetes version for the
        control plane and node groups, the add-on version for add-ons), ``kube_version`` (the
        step's Kubernetes version) and ``text`` (one line, e.g. ``node group pool-a to v1.29.3``).
    """
    out = []
    for step in upgrade.get("steps") or []:
        version = step["version"]
        for addon in step.get("addons_before") or []:
            out.append(_action(ADDON, addon["name"], addon["version"], version,
                               "add-on %s %s -> %s" % (addon["name"], addon["from"], addon["version"])))
        if step["control_plane"]:
            out.append(_action(CONTROL_PLANE, "default-master", version, version, "control plane to %s" % version))
        for name in step["nodegroups"]:
            out.append(_action(NODEGROUP, name, version, version, "node group %s to %s" % (name, version)))
        for addon in step.get("addons_after") or []:
            out.append(_action(ADDON, addon["name"], addon["version"], version,
                               "add-on %s %s -> %s" % (addon["name"], addon["from"], addon["version"])))
    return out


def _action(kind, name, version, kube_version, text):
    return dict(kind=kind, name=name, version=version, kube_version=kube_version, text=text)


def task_args(action, cluster_uuid, settings, connection):
    """``(module name, options)`` sending ``action`` through ``_tasks.runner.run_task`` without waiting:
    ``nks_cluster`` with ``kube_version`` (control plane), ``nks_nodegroup`` with ``kube_version``
    (a worker node group), ``nks_addon`` with ``version`` (an add-on, waited for: add-on updates
    take seconds and do not show in the cluster list).

    :param dict settings: ``num_buffer_nodes``, ``num_max_unavailable_nodes``, ``resolve_conflicts``,
        ``wait_timeout`` (None: the module's default).
    :param dict connection: the connection options (unset ones left out).
    """
    args = dict(connection)
    if action["kind"] == CONTROL_PLANE:
        args.update(name=cluster_uuid, kube_version=action["version"], wait=False)
        return "nks_cluster", args
    if action["kind"] == NODEGROUP:
        args.update(cluster=cluster_uuid, name=action["name"], kube_version=action["version"], wait=False)
        for key in ("num_buffer_nodes", "num_max_unavailable_nodes"):
            if settings.get(key) is not None:
                args[key] = settings[key]
        return "nks_nodegroup", args
    args.update(cluster=cluster_uuid, name=action["name"], version=action["version"], wait=True,
                resolve_conflicts=settings.get("resolve_conflicts") or "overwrite")
    if settings.get("wait_timeout") is not None:
        args["wait_timeout"] = settings["wait_timeout"]
    return "nks_addon", args


# -- reading a cluster as the planner takes it ----------------------------------------------------

def read_shared(api):
    """What every cluster of one endpoint shares: the offered versions (``/v1/supports``) and the
    add-on catalog (2026-03 guide; ``available`` false without the add-on API).

    :param api: an ``_api.NksApi``. :returns: dict ``supported_versions``, ``addon_catalog``, ``types``.
    """
    # pylint: disable=import-outside-toplevel
    from ._views import supports_view
    shared = dict(supported_versions=supports_view(api.supports()))
    if api.addon_api_available():
        types = api.list_addon_types()
        offered = sorted(api.list_offered_addons(),
                         key=lambda a: (a.get("name") or "", _addons.version_key(a.get("version") or "0")))
        shared.update(types=types, addon_catalog=dict(available=True, types=types,
                                                      mandatory_types=_addons.mandatory_types(types),
                                                      addons=offered))
    else:
        shared.update(types=None, addon_catalog=dict(available=False, types=[], mandatory_types=[], addons=[]))
    return shared


def read_cluster(api, key, shared):
    """One cluster as :func:`plan` takes it: ``(info, details)`` in the shapes of ``nks_info``'s result
    (``clusters``, ``supported_versions``, ``addons``, ``addon_catalog``) and of its loop over the
    worker node groups; ``(None, None)`` when NKS has no such cluster.

    :param str key: the cluster's name or UUID. :param dict shared: :func:`read_shared`.
    :raises _api.AmbiguousName: several clusters carry the name.
    """
    # pylint: disable=import-outside-toplevel
    from ._views import cluster_view, nodegroup_view
    cluster = api.find_cluster(key)
    if cluster is None:
        return None, None
    uuid = cluster["uuid"]
    info = dict(clusters=[cluster_view(cluster)], supported_versions=shared["supported_versions"],
                addon_catalog=shared["addon_catalog"])
    if shared["addon_catalog"]["available"]:
        info["addons"] = [dict(_addons.addon_view(a, shared["types"]), cluster_uuid=uuid)
                          for a in api.list_cluster_addons(uuid)]
    details = []
    for group in api.list_nodegroups(uuid):
        if group.get("name") == "default-master" or group.get("role") == "master":
            continue
        full = api.get_nodegroup(uuid, group.get("uuid") or group["name"]) or group
        view = nodegroup_view(full)
        if view.get("name") == "default-master" or view.get("role") == "master":
            continue
        details.append(dict(nodegroups=[view]))
    return info, details


def failure_reason(api, cluster_uuid, since=None):
    """The reason of the newest failed task of the cluster's task history (``GET /v1/clusters/{uuid}/events``,
    API guide "Task history"): ``"TYPE: contents"``, or ``None`` when no task failed (after ``since``,
    an ISO time or epoch seconds as NKS gives them, when given). Never raises: ``None`` when unread."""
    try:
        events = api.list_events(cluster_uuid) or []
    except Exception:  # pylint: disable=broad-except
        return None
    failed = [e for e in events if str(e.get("state") or "").upper() in ("FAIL", "FAILED")]
    if since is not None:
        failed = [e for e in failed if _later(e.get("updated_at") or e.get("created_at"), since)]
    if not failed:
        return None
    event = sorted(failed, key=lambda e: (str(e.get("updated_at") or e.get("created_at") or ""), e.get("id") or 0))[-1]
    return "%s: %s" % (event.get("type") or "task", event.get("contents") or "failed, no reason given")


def _later(value, since):
    try:
        return float(value) >= float(since)
    except (TypeError, ValueError):
        return str(value or "") >= str(since)


# -- pre-flight: the Kubernetes side --------------------------------------------------------------

def _selector_text(selector):
    """``app=db,tier in (a,b)`` of a label selector (``matchLabels``/``matchExpressions``)."""
    selector = selector or {}
    parts = ["%s=%s" % (k, v) for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        values = ",".join(expr.get("values") or [])
        parts.append("%s %s (%s)" % (expr.get("key"), str(expr.get("operator") or "").lower(), values)
                     if values else "%s %s" % (expr.get("key"), str(expr.get("operator") or "").lower()))
    return ",".join(parts) or "everything"


def pdb_blockers(pdbs):
    """The PodDisruptionBudgets that allow no disruption (``status.disruptionsAllowed`` 0, user guide
    "Pod eviction cautions": NKS fails the node group upgrade when a pod cannot be evicted).

    :param list pdbs: ``items`` of ``GET /apis/policy/v1/poddisruptionbudgets``.
    :returns: list of str, ``PodDisruptionBudget NAMESPACE/NAME (selector SELECTOR) allows no
        disruption (N healthy, M desired)``.
    """
    out = []
    for pdb in pdbs or []:
        meta, spec, status = pdb.get("metadata") or {}, pdb.get("spec") or {}, pdb.get("status") or {}
        if status.get("disruptionsAllowed", 1) != 0:
            continue
        healthy, desired = status.get("currentHealthy"), status.get("desiredHealthy")
        counts = " (%s healthy, %s desired)" % (healthy, desired) if healthy is not None else ""
        out.append("PodDisruptionBudget %s/%s (selector %s) allows no disruption%s: NKS cannot evict its pods"
                   " and fails the node group upgrade (user guide, \"Pod eviction cautions\")"
                   % (meta.get("namespace"), meta.get("name"), _selector_text(spec.get("selector")), counts))
    return out


def kube_preflight(api, cluster_uuid, name, check_nodes=True):
    """What the cluster's Kubernetes API says before an upgrade: PodDisruptionBudgets allowing no
    disruption (:func:`pdb_blockers`) and nodes not Ready (NKS does not upgrade node groups with stopped
    nodes). Read-only, with the cluster's own kubeconfig (Get kubeconfig of a Cluster).

    :returns: ``(blockers, warnings)``: lists of str. An API that cannot be read is a warning, not a
        blocker (a controller outside the cluster's IP ACL cannot look).
    """
    # pylint: disable=import-outside-toplevel
    from ._kube import KubeSession, load_kubeconfig, node_state, own_kubeconfig
    blockers, warnings = [], []
    try:
        doc = own_kubeconfig(load_kubeconfig(api.get_kubeconfig(cluster_uuid)), name)
        with KubeSession(doc) as kube:
            response, problem, dummy = kube.get("/apis/policy/v1/poddisruptionbudgets")
            if response is not None and response.status_code == 200:
                blockers.extend(pdb_blockers(response.json().get("items")))
            elif response is not None and response.status_code != 404:
                warnings.append("PodDisruptionBudgets not readable: HTTP %s" % response.status_code)
            elif problem:
                warnings.append("PodDisruptionBudgets not readable: %s" % problem)
            if check_nodes:
                response, problem, dummy = kube.get("/api/v1/nodes")
                if response is not None and response.status_code == 200:
                    down = [n for n, ready, v in (node_state(i) for i in response.json().get("items") or []) if not ready]
                    if down:
                        blockers.append("nodes not Ready (NKS does not upgrade node groups with stopped nodes:"
                                        " start them first): %s" % ", ".join(sorted(down)[:10]))
                elif problem:
                    warnings.append("nodes not readable: %s" % problem)
    except Exception as exc:  # pylint: disable=broad-except
        warnings.append("the Kubernetes API was not checked: %s" % exc)
    return blockers, warnings


def kube_problem(api, cluster_uuid, name):
    """One soak probe: what keeps the cluster's Kubernetes API or its nodes from being usable
    (``/readyz``, then every worker node Ready at its group's count and version), or ``None``."""
    # pylint: disable=import-outside-toplevel
    from ._kube import KubeSession, check_once, expected_groups, load_kubeconfig, own_kubeconfig
    try:
        doc = own_kubeconfig(load_kubeconfig(api.get_kubeconfig(cluster_uuid)), name)
        groups = expected_groups(api, cluster_uuid)
        with KubeSession(doc, timeout=5.0) as kube:
            problem, dummy = check_once(kube, groups, name)
        return problem
    except Exception as exc:  # pylint: disable=broad-except
        return str(exc)


# -- an update run: one stage of clusters, one process ---------------------------------------------

UPGRADED, UNCHANGED, FAILED, BLOCKED, SKIPPED, NOT_STARTED, PLANNED = (
    "upgraded", "unchanged", "failed", "blocked", "skipped", "not_started", "planned")
"""Outcomes of a cluster in a stage: upgraded (every step done), unchanged (at the target already:
nothing sent), failed (a step failed or timed out, or the soak saw it unusable), blocked (pre-flight
refused it; nothing sent), skipped (blocked and listed in ``skip_blocked``), not_started (the run
stopped before it), planned (check mode, or pre-flight only: the steps it would run)."""


def _now():
    return time.time()


def _quiet(*args):
    """A progress callback printing nothing (the run prints its own lines)."""


class ClusterRun(object):
    """One cluster of a stage: its plan, its steps and what happened to them.

    :ivar str host: the inventory host. :ivar str key: the cluster's name or UUID as given.
    :ivar api: its ``NksApi``. :ivar dict plan: :func:`plan`'s answer (``None`` until read).
    :ivar list todo: :func:`actions` not yet done. :ivar list steps: the report of each step
        (``text``, ``kind``, ``name``, ``version``, ``started_at``, ``duration`` s, ``outcome``, ``reason``).
    """

    def __init__(self, host, key, api, endpoint):
        self.host, self.key, self.api, self.endpoint = host, key, api, endpoint
        self.uuid = None
        self.name = key
        self.plan = None
        self.todo = []
        self.steps = []
        self.blockers = []
        self.warnings = []
        self.outcome = None
        self.reason = None
        self.started = None
        self.duration = None
        self.current = None
        self.failed_targets = set()

    def report(self):
        """The cluster's entry of the report (JSON-ready dict)."""
        plan = self.plan or {}
        return dict(host=self.host, cluster=self.name, uuid=self.uuid, outcome=self.outcome, reason=self.reason,
                    from_version=plan.get("control_plane"), target=plan.get("target"),
                    plan=plan.get("summary") or [], plan_detail=self.plan, blockers=self.blockers, warnings=self.warnings,
                    steps=self.steps, duration=self.duration)


class UpdateRun(object):
    """Upgrade the clusters of one stage: each in NKS's order, up to ``max_concurrency`` at once, every
    request sent through ``send`` without waiting, the requests in flight waited for together (one
    cluster list per poll and endpoint: ``wait``), then each cluster's Kubernetes API checked.

    :param list clusters: :class:`ClusterRun` objects, in the order to start them.
    :param dict settings: ``target``, ``order``, ``addons``, ``nks_registry``, ``num_buffer_nodes``,
        ``num_max_unavailable_nodes``, ``resolve_conflicts``, ``wait_timeout`` (s), ``check_nodes``,
        ``check_pdbs``, ``max_concurrency`` (0: all), ``max_failed`` (clusters that may fail, this
        stage and earlier ones together, before the run stops), ``failed_before``, ``skip_blocked``
        (hosts), ``soak_seconds``, ``soak_interval``.
    :param send: ``send(cluster_run, module_name, args)`` -> the module result (``_tasks.runner.run_task``).
    :param wait: ``wait(api, uuids, timeout)`` -> ``_fleet.wait_fleet``'s result.
    :param connection: ``connection(cluster_run)`` -> the connection options of its requests.
    :param say: ``say(line)`` writes a progress line. :param bool check_mode: send nothing.
    """

    def __init__(self, clusters, settings, send, wait, connection, say=None, check_mode=False,
                 clock=time.monotonic, sleeper=time.sleep):
        self.clusters = clusters
        self.settings = settings
        self.send = send
        self.wait = wait
        self.connection = connection
        self.say = say or (lambda line: None)
        self.check_mode = check_mode
        self.clock = clock
        self.sleeper = sleeper
        self.stopped = None
        self.lock = threading.Lock()
        self.shared = {}

    # -- helpers
    def _pool(self, func, items):
        """``func(item)`` for each item, in threads (at most ``max_concurrency``, at most 256)."""
        items = list(items)
        if not items:
            return []
        width = min(len(items), self.settings.get("max_concurrency") or len(items), 256)
        with ThreadPoolExecutor(max_workers=max(1, width)) as pool:
            return list(pool.map(func, items))

    def counts(self):
        """``{outcome: n}`` of the stage's clusters (``running`` for those under way)."""
        out = {}
        for run in self.clusters:
            key = run.outcome or ("running" if run.started else "waiting")
            out[key] = out.get(key, 0) + 1
        return out

    def status_line(self, stage):
        """``stage canary: 3/10 clusters done, 2 running, 1 failed, 4 waiting (80 s)``."""
        counts = self.counts()
        done = sum(counts.get(k, 0) for k in (UPGRADED, UNCHANGED, SKIPPED, PLANNED))
        return ("stage %s: %d/%d clusters done, %d running, %d failed, %d waiting"
                % (stage, done, len(self.clusters), counts.get("running", 0),
                   counts.get(FAILED, 0) + counts.get(BLOCKED, 0), counts.get("waiting", 0)
                   + counts.get(NOT_STARTED, 0)))

    def paused(self):
        """The reason to start no further cluster when the pause flag (setting ``pause_file``) exists, else
        ``None``: ``paused: the pause flag FILE is raised (WHAT IT SAYS)``, the file's ``cluster`` and
        ``reason`` when it is the JSON the EDA rulebook writes (``playbooks/eda_pause_update_run.yml``)."""
        path = self.settings.get("pause_file")
        if not path or not os.path.exists(path):
            return None
        said = ""
        try:
            with open(path) as handle:
                flag = json.load(handle)
            said = ", ".join("%s: %s" % (k, flag[k]) for k in ("cluster", "nodegroup", "reason") if flag.get(k))
        except (OSError, ValueError, AttributeError):
            pass
        return ("paused: the pause flag %s is raised%s; clusters not started are left as they are (remove the"
                " file and run again to go on)" % (path, " (%s)" % said if said else ""))

    def failed_total(self):
        return self.settings.get("failed_before", 0) + sum(1 for r in self.clusters if r.outcome == FAILED)

    # -- pre-flight
    def preflight(self):
        """Read and plan every cluster, and check its Kubernetes side; nothing is sent.

        Sets each cluster's ``plan``, ``todo``, ``blockers`` and, when blocked, ``outcome``
        (:data:`BLOCKED`, or :data:`SKIPPED` when listed in ``skip_blocked``); a cluster at the
        target already is :data:`UNCHANGED`.
        """
        s = self.settings
        for run in self.clusters:
            if run.endpoint not in self.shared:
                self.shared[run.endpoint] = read_shared(run.api)

        def one(run):
            try:
                info, details = read_cluster(run.api, run.key, self.shared[run.endpoint])
            except Exception as exc:  # pylint: disable=broad-except
                run.blockers.append("cannot read cluster %s: %s" % (run.key, exc))
                return
            if info is None:
                run.blockers.append("NKS has no cluster %s" % run.key)
                return
            run.uuid, run.name = info["clusters"][0]["uuid"], info["clusters"][0]["name"]
            run.failed_targets = set(d["nodegroups"][0]["name"] for d in details
                                     if str(d["nodegroups"][0].get("status") or "").endswith("_FAILED"))
            if str(info["clusters"][0].get("status") or "").endswith("_FAILED"):
                run.failed_targets.add("default-master")
            run.plan = plan(info, details, target=s.get("target"), order=s.get("order"),
                            addons=s.get("addons") or "mandatory", nks_registry=s.get("nks_registry"))
            run.blockers.extend(run.plan["errors"])
            run.todo = actions(run.plan) if not run.plan["errors"] else []
            if run.todo and not run.blockers and (s.get("check_pdbs", True) or s.get("check_nodes", True)):
                drained = any(a["kind"] == NODEGROUP for a in run.todo)
                blockers, warnings = kube_preflight(run.api, run.uuid, run.name, check_nodes=s.get("check_nodes", True))
                if not drained or not s.get("check_pdbs", True):
                    blockers = [b for b in blockers if not b.startswith("PodDisruptionBudget")]
                run.blockers.extend(blockers)
                run.warnings.extend(warnings)

        self._pool(one, self.clusters)
        for run in self.clusters:
            if run.blockers:
                run.outcome = SKIPPED if run.host in (s.get("skip_blocked") or []) else BLOCKED
                run.reason = "; ".join(run.blockers)
            elif not run.todo:
                run.outcome = UNCHANGED
            elif self.check_mode:
                run.outcome = PLANNED
                run.steps = [dict(a, outcome="planned") for a in run.todo]
        return [r for r in self.clusters if r.outcome == BLOCKED]

    # -- the run
    def run(self, stage="all"):
        """Upgrade the stage's clusters (after :meth:`preflight`); returns ``self.stopped`` (the reason the
        run stopped, or ``None``)."""
        queue = [r for r in self.clusters if r.outcome is None]
        active = []
        while queue or active:
            if self.stopped is None and queue and self.paused():
                self.stopped = self.paused()
                self.say("stage %s: %s" % (stage, self.stopped))
                for run in queue:
                    run.outcome = NOT_STARTED
                queue = []
            if self.stopped is None:
                width = self.settings.get("max_concurrency") or len(queue) + len(active)
                while queue and len(active) < width:
                    run = queue.pop(0)
                    run.started = _now()
                    active.append(run)
            if not active:
                break
            self._wave(active)
            for run in list(active):
                if run.outcome is not None or not run.todo:
                    if run.outcome is None:
                        run.outcome = UPGRADED
                    run.duration = round(_now() - run.started, 1)
                    active.remove(run)
            if self.stopped is None and self.failed_total() > self.settings.get("max_failed", 0):
                failed = [r.name for r in self.clusters if r.outcome == FAILED]
                self.stopped = ("%d cluster(s) failed (%s), more than upgrade_max_failed_clusters=%d: the run"
                                " stopped; clusters not started are left as they are"
                                % (self.failed_total(), ", ".join(failed), self.settings.get("max_failed", 0)))
                self.say("stage %s: %s" % (stage, self.stopped))
                # clusters under way finish their steps (a cluster is not left half way); none starts
                for run in queue:
                    run.outcome = NOT_STARTED
                queue = []
        for run in self.clusters:
            if run.outcome is None:
                run.outcome = NOT_STARTED
        return self.stopped

    def _wave(self, active):
        """The next step of every active cluster: send, wait together, check."""
        def submit(run):
            action = run.todo[0]
            run.current = dict(action, started_at=_now(), outcome=None, reason=None)
            if action["kind"] != ADDON and action["name"] in run.failed_targets:
                # a new upgrade of a control plane or node group left UPDATE_FAILED: the modules accept it
                # (:func:`upgrade_of_failed_accepted`), so it goes the same way as a first attempt
                run.failed_targets.discard(action["name"])
                run.current["retry"] = True
            name, args = task_args(action, run.uuid, self.settings, self.connection(run))
            result = self.send(run, name, args)
            if result.get("failed"):
                return self._fail(run, result.get("msg") or "the request failed")
            if action["kind"] == ADDON:
                return self._done(run)
            return run

        waiting = [r for r in self._pool(submit, active) if r is not None]
        by_endpoint = {}
        for run in waiting:
            by_endpoint.setdefault(run.endpoint, []).append(run)
        for runs in by_endpoint.values():
            result = self.wait(runs[0].api, [r.uuid for r in runs], self.settings.get("wait_timeout") or 3600)
            for run in runs:
                entry = (result.get("clusters") or {}).get(run.uuid) or {}
                if entry.get("failed"):
                    # a wait that timed out says so (the upgrade goes on in NKS); a failure, the task history's why
                    reason = (entry.get("msg") if entry.get("outcome") == "timed_out"
                              else failure_reason(run.api, run.uuid) or entry.get("msg"))
                    self._fail(run, reason)
        checked = [r for r in waiting if r.outcome is None]
        self._pool(self._check, checked)

    def _check(self, run):
        """After a control plane or node group step: NKS shows the version, and the Kubernetes API and
        nodes are usable (``_kube.wait_until_usable``)."""
        # pylint: disable=import-outside-toplevel
        from ._kube import wait_until_usable
        action = run.current
        try:
            if action["kind"] == CONTROL_PLANE:
                got = (run.api.get_cluster(run.uuid) or {}).get("labels", {}).get("kube_tag")
            else:
                got = ((run.api.get_nodegroup(run.uuid, action["name"]) or {}).get("labels") or {}).get("kube_tag")
            if got != action["version"]:
                return self._fail(run, "%s: NKS reports %s after the upgrade" % (action["text"], got))
            if self.settings.get("check_nodes", True):
                wait_until_usable(run.api, run.uuid, "nodes" if action["kind"] == NODEGROUP else "api",
                                  self.settings.get("wait_timeout") or 3600,
                                  nodegroup=action["name"] if action["kind"] == NODEGROUP else None,
                                  warn=run.warnings.append, progress=_quiet)
        except Exception as exc:  # pylint: disable=broad-except
            return self._fail(run, "%s: %s" % (action["text"], exc))
        return self._done(run)

    def _done(self, run):
        step = run.current
        step.update(outcome="done", duration=round(_now() - step["started_at"], 1))
        run.steps.append(step)
        run.todo.pop(0)
        run.current = None
        return None

    def _fail(self, run, reason):
        step = run.current
        step.update(outcome="failed", reason=reason, duration=round(_now() - step["started_at"], 1))
        run.steps.append(step)
        run.current = None
        run.outcome = FAILED
        run.reason = "%s: %s" % (step["text"], reason)
        self.say("cluster %s failed: %s" % (run.name, run.reason))
        return None

    # -- soak
    def soak(self, stage, seconds, interval=10.0):
        """Watch the stage's upgraded clusters for ``seconds``: their Kubernetes API must answer and their
        nodes stay Ready (:func:`kube_problem`); a problem seen twice in a row fails the cluster."""
        watched = [r for r in self.clusters if r.outcome in (UPGRADED, UNCHANGED)]
        if not watched or seconds <= 0:
            return
        self.say("stage %s: soak of %d cluster(s) for %d s" % (stage, len(watched), seconds))
        end = self.clock() + seconds
        seen = {}
        while watched:
            problems = self._pool(lambda r: kube_problem(r.api, r.uuid, r.name), watched)
            for run, problem in zip(list(watched), problems):
                if problem is None:
                    seen.pop(run.host, None)
                    continue
                seen[run.host] = seen.get(run.host, 0) + 1
                if seen[run.host] >= 2:
                    run.outcome, run.reason = FAILED, "soak: %s" % problem
                    run.steps.append(dict(kind="soak", name=stage, text="soak", outcome="failed", reason=problem))
                    self.say("cluster %s failed the soak: %s" % (run.name, problem))
                    watched.remove(run)
            left = end - self.clock()
            if left <= 0:
                break
            self.sleeper(min(interval, left))


def run_stage(params, make_api, send, check_mode=False, say=None, progress_interval=30.0):
    """One stage of an update run, as ``nhncloud.nks.nks_fleet_upgrade`` runs it: pre-flight, then (unless
    check mode, ``preflight_only`` or a blocked cluster) :meth:`UpdateRun.run` and the soak.

    :param dict params: the module's validated options (see its DOCUMENTATION).
    :param make_api: ``make_api(api_url or None)`` -> ``(NksApi, auth_token)``; called once per endpoint.
    :param send: ``send(module name, args)`` -> the module's result (``_tasks.runner.run_task``).
    :param say: ``say(line)`` writes a progress line.
    :returns: the module's result dict (``changed``, ``stage``, ``clusters``, ``failed_hosts``,
        ``blocked_hosts``, ``stopped``, ``counts``, ``progress``).
    """
    # pylint: disable=import-outside-toplevel
    from ._fleet import wait_fleet
    p = params
    lines = []
    lock = threading.Lock()

    def write(line):
        with lock:
            lines.append(line)
        if say is not None:
            say(line)

    apis = {}

    def api_for(endpoint):
        """A client of its own for each cluster (its thread; a ``requests`` session is not shared between
        threads), all with the endpoint's one token."""
        api, token = make_api(endpoint)
        apis.setdefault(endpoint, (api, token))
        return api

    runs = [ClusterRun(c["host"], c["cluster"], api_for(c.get("api_url")), c.get("api_url")) for c in p["clusters"]]
    settings = dict(target=p.get("kube_version"), order=p.get("nodegroup_order"), addons=p.get("addons"),
                    nks_registry=p.get("nks_registry"), num_buffer_nodes=p.get("num_buffer_nodes"),
                    num_max_unavailable_nodes=p.get("num_max_unavailable_nodes"),
                    resolve_conflicts=p.get("addon_resolve_conflicts"), wait_timeout=p.get("wait_timeout"),
                    check_nodes=p.get("check_nodes", True), check_pdbs=p.get("check_pdbs", True),
                    max_concurrency=p.get("max_concurrency"), max_failed=p.get("max_failed_clusters") or 0,
                    failed_before=p.get("failed_before") or 0, skip_blocked=p.get("skip_blocked") or [],
                    pause_file=p.get("pause_file"))

    def connection(run):
        token = apis[run.endpoint][1]
        args = dict((k, p[k]) for k in CONNECTION_OPTIONS if p.get(k) is not None)
        args.update(auth_token=token)
        if run.endpoint:
            args["api_url"] = run.endpoint
        return args

    update = UpdateRun(runs, settings, lambda run, name, args: send(name, args),
                       lambda api, uuids, timeout: wait_fleet(api.list_clusters, uuids, timeout),
                       connection, say=write, check_mode=check_mode or p.get("preflight_only"))
    stage = p.get("stage") or "all"
    write("stage %s: pre-flight of %d cluster(s)" % (stage, len(runs)))
    update.preflight()
    blocked = sorted(r.host for r in runs if r.outcome == BLOCKED)
    for run in runs:
        if run.blockers:
            write("stage %s: cluster %s %s: %s" % (stage, run.name, run.outcome, run.reason))
    going = not check_mode and not p.get("preflight_only")
    if going and blocked:
        # blocked now although the run's pre-flight passed (changed meanwhile): such a cluster fails, counted
        # against max_failed_clusters, and the others go on
        for run in runs:
            if run.outcome == BLOCKED:
                run.outcome, run.reason = FAILED, "blocked: %s" % run.reason
        if update.failed_total() > settings["max_failed"]:
            update.stopped = ("%d cluster(s) failed, more than upgrade_max_failed_clusters=%d: the run stopped"
                              % (update.failed_total(), settings["max_failed"]))
            for run in runs:
                if run.outcome is None:
                    run.outcome = NOT_STARTED
        blocked = []
    if going and update.stopped is None:
        ticker = threading.Event()

        def tick():
            while not ticker.wait(max(1.0, progress_interval)):
                write(update.status_line(stage))
        thread = threading.Thread(target=tick, name="nks-fleet-upgrade-progress")
        thread.daemon = True
        thread.start()
        try:
            update.run(stage)
            if update.stopped is None:
                update.soak(stage, p.get("soak_seconds") or 0, p.get("soak_interval") or 10)
        finally:
            ticker.set()
            thread.join()
    write(update.status_line(stage))
    sent = any(s.get("outcome") in ("done", "failed") and s.get("kind") in STEP_KINDS for r in runs for s in r.steps)
    planned = any(r.outcome == PLANNED for r in runs)
    return dict(changed=sent or (bool(check_mode) and planned), stage=stage,
                clusters=dict((r.host, r.report()) for r in runs),
                failed_hosts=sorted(r.host for r in runs if r.outcome == FAILED),
                blocked_hosts=blocked, stopped=update.stopped, counts=update.counts(), progress=lines)


CONNECTION_OPTIONS = ("region", "api_url", "identity_url", "tenant_id", "username", "api_password", "auth_token",
                      "validate_certs", "http_timeout")
"""The connection options passed on to each request's module (``_client.CONNECTION_ENV``)."""
