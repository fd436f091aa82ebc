# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade planner of the role ``nhncloud.nks.upgrade``.

Guide: "Upgrade a Cluster" (one minor version per step, control plane first,
then every worker node group) and "See the Supported Kubernetes Versions".
Versions are parsed and compared with ``module_utils/_validation.py``.
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
positional: details, target, order
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
    steps: {description: "C(version), C(control_plane) (bool), C(nodegroups) (names, in order) of each step.",
            type: list}
    errors: {description: Why the role refuses to start; empty when it may., type: list}
    summary: {description: The plan as lines of text., type: list}
"""

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
        lines.append("step %d: %sworker node groups %s to %s"
                     % (number, head, ", ".join(step["nodegroups"]), step["version"]))
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


def upgrade_plan(info, details, target=None, order=None):
    """The upgrade plan of one cluster (see DOCUMENTATION and RETURN above).

    :param dict info: nks_info's result with ``clusters`` (one) and ``supported_versions.available``.
    :param list details: results of nks_info per worker node group (``nodegroups``: one in detail).
    :param str target: the version to end on (None or empty: the newest offered).
    :param list order: node group names to upgrade first.
    :returns: dict with cluster, uuid, control_plane, target, nodegroups, steps, errors, summary.
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
    steps, behind = [], []
    if not errors:
        steps, errors, behind = _plan_steps(cp, target, groups, order, offered)
    return {"cluster": cluster.get("name"), "uuid": cluster.get("uuid"), "control_plane": cp, "target": target,
            "nodegroups": [dict((k, g[k]) for k in ("name", "kube_version", "status") if k in g) for g in groups],
            "steps": steps, "errors": errors,
            "summary": _summary(cluster, cp, target, groups, steps, errors, bool(behind))}


class FilterModule(object):
    """The filter ``nhncloud.nks.upgrade_plan``."""

    def filters(self):
        return {"upgrade_plan": upgrade_plan}
