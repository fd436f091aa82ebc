# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade planner of the role ``nhncloud.nks.upgrade``.

Guide: "Upgrade a Cluster" (one minor version per step, control plane first,
then every worker node group) and "See the Supported Kubernetes Versions".
Versions are parsed and compared with ``module_utils/_validation.py``.

The user guide's "Upgrade Rules" of 2026-03 are checked before any request: the
control plane and every worker node group on the same version (a group one minor
version behind, left by an interrupted upgrade, is brought up first, as before),
the NKS registry enabled (when the role is told: the API has no read for it), and,
when NKS has the add-on API (2026-03 guide; ``addon_catalog.available``), each
installed add-on's ``k8s_min_version``/``k8s_max_version`` against every step's
version (``module_utils/_addons.py``). CNI and CoreDNS are no longer upgraded with
Kubernetes (user guide, "Add-on Management"), so each step also lists the add-on
updates it needs: ``addons_before`` (an installed version that does not run on the
step's version, updated first to one that runs on both versions, or NKS refuses the
control plane upgrade) and ``addons_after`` (after the worker node groups: the add-ons
of the policy, to the newest version offered for the step's version).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: upgrade_plan
short_description: Plan the upgrade of an NKS cluster one minor version at a time
version_added: 0.1.0
author: nhncloud.nks contributors
description:
  - Turns what the role M(nhncloud.nks.nks_info) read (the cluster, the versions NKS offers, its worker node
    groups) into the steps of the upgrade, or the reasons to refuse it.
  - A worker node group one minor version behind the control plane (an interrupted upgrade) is brought to the
    control plane's version first; then each step upgrades the control plane, then the worker node groups.
  - Between the control plane's minor version and the target's, each step goes to the newest patch release NKS
    offers of the next minor version; the last step goes to the target.
positional: details, target, order, addons, nks_registry
options:
  _input:
    description: The result of M(nhncloud.nks.nks_info) with O(nhncloud.nks.nks_info#module:gather) V(clusters) and
      V(supported_versions) for one cluster.
    type: dict
    required: true
  details:
    description: The C(results) of a loop of M(nhncloud.nks.nks_info) over the worker node groups (each with
      C(nodegroups), a list of one node group in detail).
    type: list
    elements: dict
    required: true
  target:
    description: The version to end on; empty or null means the newest version NKS offers.
    type: str
  order:
    description: Worker node groups to upgrade first, in this order; the others follow in the order read.
    type: list
    elements: str
    default: []
  addons:
    description:
      - Which installed add-ons each step updates after its worker node groups (when C(_input) has
        C(addons) and C(addon_catalog) with C(available=true); otherwise no add-on step is planned).
      - V(mandatory) (the add-ons of the mandatory types, CNI and kube-dns, which Kubernetes upgrades used to
        bring along), V(all), or V(required) (only those whose version does not run on the new Kubernetes
        version). An add-on whose version does not run on the step's version is always updated, before the
        control plane.
      - V(none) plans no add-on update; an installed add-on that does not run on a step's version then refuses
        the plan.
    type: str
    default: mandatory
    choices: [mandatory, all, required, none]
  nks_registry:
    description:
      - Whether the cluster's NKS registry is enabled (the API has no read for it). V(false) refuses the plan
        (user guide, "Upgrade Rules"); null does not check (NKS refuses the first request, changing nothing).
    type: bool
"""

EXAMPLES = r"""
- name: Plan
  ansible.builtin.set_fact:
    upgrade_plan: "{{ info | nhncloud.nks.upgrade_plan(details.results, target='v1.29.3', order=['extra']) }}"
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    cluster: {description: The cluster's name., type: str}
    uuid: {description: The cluster's UUID., type: str}
    control_plane: {description: The control plane's version now., type: str}
    target: {description: The version to end on., type: str}
    nodegroups: {description: "C(name), C(kube_version), C(status) of each worker node group.", type: list}
    steps: {description: "C(version), C(control_plane) (bool), C(nodegroups) (names, in order) of each step; with the
            add-on API also C(addons_before) and C(addons_after), lists of C(name), C(from), C(version).",
            type: list}
    addons: {description: "C(name), C(type), C(version) of each installed add-on; null without the add-on API.",
             type: list}
    errors: {description: Why the role refuses to start; empty when it may., type: list}
    summary: {description: The plan as lines of text., type: list}
"""

from ansible_collections.nhncloud.nks.plugins.module_utils import _addons
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    ValidationError, available_versions, check_upgrade_step, parse_version)

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


def upgrade_plan(info, details, target=None, order=None, addons="mandatory", nks_registry=None):
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


class FilterModule(object):
    """The filter ``nhncloud.nks.upgrade_plan``."""

    def filters(self):
        return {"upgrade_plan": upgrade_plan}
