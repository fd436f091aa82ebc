# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report (issue 24, item 5): one row per cluster, and the drift of its definition.

Each row: the cluster's status, Kubernetes version, the end of service of that version (``_lifecycle``, NKS
version guide), the certificate expiry (``labels.certificate_expiry``), the health (``health_status`` and
``health_status_reason``), the node counts, and the drift: the options the definition sets (the role's
``cluster_definition`` over ``cluster_defaults``) whose value differs from the cluster's. The drift is ONE
comparison: the cluster is first turned into its own definition (``_export.cluster_definition``, what adoption
writes), then each key the definition sets is compared with it, values in the canonical form of ``_compare``
(lists as sets, booleans by value, versions normalised). Keys the role does not converge (``kubeconfig``,
``wait_timeout``, ``certificate_renewal``, rollout settings, secrets), and ``node_count`` while the autoscaler is
on (the role leaves it to the autoscaler), are not compared. No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from . import _export, _lifecycle
from ._compare import canonical, label_differences
from ._validation import ValidationError, normalize_ip_cidr, normalize_version
from ._views import collapse_targets

NOT_COMPARED = ("name", "kubeconfig", "wait_timeout", "certificate_renewal", "num_buffer_nodes",
                "num_max_unavailable_nodes", "nodes_to_remove", "label_existing_nodes", "boot_volume_appkey",
                "boot_volume_key_id", "labels", "state", "resolve_conflicts")
"""Keys of a definition that are not state of the cluster (or never read back), so never drift."""

CERTIFICATE_WARN_DAYS = 30
"""A certificate expiring within this many days is flagged (renewal invalidates the kubeconfigs)."""


ABSENT_AS = {"node_labels": {}, "user_script": ""}
"""What a cluster has when the export leaves a key out because NKS reports it empty (the modules compare so)."""


def _diff(path, want, have):
    return {"path": path, "definition": want, "cluster": have}


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _targets(targets):
    """IP ACL targets of a definition (dicts or CIDR strings) typed as ``_views.acl_view`` gives them."""
    out = []
    for item in targets or []:
        cidr = item.get("cidr") if isinstance(item, dict) else item
        description = item.get("description") if isinstance(item, dict) else None
        try:
            cidr = normalize_ip_cidr(str(cidr).strip())
        except ValidationError:
            cidr = str(cidr)
        out.append({"cidr": cidr, "description": description or None})
    return collapse_targets(out)[0]


def _compare_ipacl(want, have, out):
    if have is None:
        return
    if not want.get("enabled"):
        if have.get("enabled"):
            out.append(_diff("ipacl.enabled", False, True))
        return
    if not have.get("enabled"):
        out.append(_diff("ipacl.enabled", True, False))
        return
    if want.get("action") and want["action"] != have.get("action"):
        out.append(_diff("ipacl.action", want["action"], have.get("action")))
    if want.get("targets") is None:
        return
    asked, current = _targets(want["targets"]), _targets(have.get("targets"))
    if want.get("purge_targets", True):
        if asked != current:
            out.append(_diff("ipacl.targets", asked, current))
    else:
        by_cidr = dict((t["cidr"], t) for t in current)
        missing = [t for t in asked if by_cidr.get(t["cidr"]) is None
                   or (t["description"] and by_cidr[t["cidr"]]["description"] != t["description"])]
        if missing:
            out.append(_diff("ipacl.targets", missing, current))


def _rules(rules):
    return sorted((r.get("metric"), int(r.get("threshold") or 0), int(r.get("duration") or 0)) for r in rules or [])


def _compare_dict(path, want, have, out):
    """The keys ``want`` sets (not ``None``) against ``have`` (keys it lacks are not compared)."""
    for key, value in sorted((want or {}).items()):
        if value is None or key == "lncs_appkey" or key not in (have or {}):
            continue
        current = have[key]
        name = "%s.%s" % (path, key)
        if isinstance(value, dict):
            _compare_dict(name, value, current if isinstance(current, dict) else {}, out)
        elif key == "rules":
            if _rules(value) != _rules(current):
                out.append(_diff(name, value, current))
        elif key == "rules_operator":
            if _text(value).upper() != _text(current).upper():
                out.append(_diff(name, value, current))
        elif canonical(key, value) != canonical(key, current):
            out.append(_diff(name, value, current))


def _compare_options(path, want, have, out, autoscale_on=False):
    """Every option ``want`` sets against ``have`` (both in definition form)."""
    for key in want:
        value = want[key]
        if key in NOT_COMPARED or key in ("nodegroups", "addons", "ipacl") or value is None:
            continue
        if key == "node_count" and autoscale_on:
            continue
        name = "%s%s" % (path, key)
        if key not in have and key not in ABSENT_AS:
            continue
        current = have.get(key, ABSENT_AS.get(key))
        if key == "node_labels":
            asked = dict((str(k), _text(v)) for k, v in (value or {}).items())
            if asked != dict((str(k), _text(v)) for k, v in (current or {}).items()):
                out.append(_diff(name, value, current))
        elif isinstance(value, dict):
            _compare_dict(name, value, current, out)
        elif key == "kube_version":
            if normalize_version(value) != normalize_version(current):
                out.append(_diff(name, value, current))
        elif canonical(key, value) != canonical(key, current):
            out.append(_diff(name, value, current))


def _compare_nodegroups(want, have, defaults, out):
    current = dict((ng["name"], ng) for ng in have or [])
    for entry in want or []:
        entry = dict(defaults or {}, **entry)
        name = entry.get("name")
        path = "nodegroups[%s]" % name
        if entry.get("state", "present") == "absent":
            if name in current:
                out.append(_diff(path, "absent", "present"))
            continue
        if name not in current:
            out.append(_diff(path, "present", "absent"))
            continue
        autoscale_on = bool((current[name].get("autoscale") or {}).get("enabled"))
        _compare_options(path + ".", entry, current[name], out, autoscale_on)


def _compare_addons(want, have, out):
    current = dict((a["name"], a) for a in have or [])
    for entry in want or []:
        name = entry.get("name")
        path = "addons[%s]" % name
        if entry.get("state", "present") == "absent":
            if name in current:
                out.append(_diff(path, "absent", "installed"))
            continue
        if name not in current:
            out.append(_diff(path, "installed", "absent"))
            continue
        version = entry.get("version")
        if version not in (None, "latest") and current[name].get("version") \
                and version != current[name]["version"]:
            out.append(_diff(path + ".version", version, current[name]["version"]))
        for key, value in sorted((entry.get("options") or {}).items()):
            have_value = (current[name].get("options") or {}).get(key)
            if have_value is not None and _text(value) != _text(have_value):
                out.append(_diff("%s.options.%s" % (path, key), value, have_value))


def drift(definition, exported, nodegroup_defaults=None, cluster_labels=None, addons_read=True):
    """The differences between a definition and a cluster (in definition form).

    :param dict definition: the role's ``cluster_definition`` over ``cluster_defaults``.
    :param dict exported: ``_export.cluster_definition(...)["definition"]`` of the cluster, or ``None`` when it
        does not exist.
    :param dict nodegroup_defaults: the role's ``cluster_nodegroup_defaults``.
    :param dict cluster_labels: the cluster's raw labels (for ``definition.labels``).
    :returns: ``list`` of ``{"path", "definition", "cluster"}`` (path such as ``nodegroups[batch].node_count``).
    """
    if exported is None:
        return [_diff("cluster", "present", "absent")]
    out = []
    autoscale_on = bool((exported.get("autoscale") or {}).get("enabled"))
    _compare_options("", definition, exported, out, autoscale_on)
    for item in label_differences(definition.get("labels"), cluster_labels or {}):
        out.append(_diff(item.option, item.want, item.have))
    if definition.get("nodegroups"):
        _compare_nodegroups(definition["nodegroups"], exported.get("nodegroups") or [], nodegroup_defaults, out)
    if definition.get("addons") and addons_read:
        _compare_addons(definition["addons"], exported.get("addons") or [], out)
    if definition.get("ipacl") is not None:
        _compare_ipacl(definition["ipacl"], exported.get("ipacl"), out)
    return out


def _days_until(iso, now):
    if not iso:
        return None
    try:
        when = datetime.datetime.strptime(str(iso)[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        try:
            when = datetime.datetime.strptime(str(iso)[:10], "%Y-%m-%d")
        except ValueError:
            return None
    return (when.date() - now).days


def health(cluster):
    """``(summary, problems)`` of a cluster's health: ``"OK"`` and ``[]`` when the API and every node group are
    normal; otherwise the problems as ``"key: value"`` texts (``health_status_reason``, guide 2026-03: ``api``,
    ``cluster.api_status``, ``cluster.node_status``, ``nodegroup.node_status.<group>``). ``"unknown"`` when NKS
    reports no health."""
    reason = cluster.get("health_status_reason")
    if not isinstance(reason, dict):
        status = cluster.get("health_status")
        if not status:
            return "unknown", []
        ok = str(status).upper() in ("HEALTHY", "FRESH")
        return ("OK" if ok else str(status)), ([] if ok else ["health_status: %s" % status])
    problems = []
    if reason.get("api") not in (None, "OK"):
        problems.append("api: %s" % reason["api"])
    for key, value in sorted((reason.get("cluster") or {}).items()):
        if value not in (None, "NORMAL"):
            problems.append("%s: %s" % (key, value))
    for group, value in sorted(((reason.get("nodegroup") or {}).get("node_status") or {}).items()):
        if value not in (None, "NORMAL"):
            problems.append("%s: %s" % (group, value))
    return ("OK" if not problems else "; ".join(problems)), problems


def _nodes(cluster, nodegroups):
    """``(total, ready, not_ready, groups)``: counts from ``health_status_reason.nodegroup-stats``
    (``"ready:not ready"`` per group) when NKS reports it, else the node groups' ``node_count``."""
    stats = ((cluster.get("health_status_reason") or {}) if isinstance(cluster.get("health_status_reason"), dict)
             else {}).get("nodegroup-stats") or {}
    groups = []
    ready = not_ready = 0
    known = bool(stats)
    for name in sorted(stats):
        try:
            up, down = (int(n) for n in str(stats[name]).split(":", 1))
        except ValueError:
            known = False
            continue
        ready, not_ready = ready + up, not_ready + down
        groups.append({"name": name, "ready": up, "not_ready": down})
    if not known:
        groups = [{"name": ng.get("name"), "ready": None, "not_ready": None, "node_count": ng.get("node_count")}
                  for ng in nodegroups or [] if ng.get("name") != _export.CONTROL_PLANE]
        ready = not_ready = None
    total = cluster.get("node_count")
    if total is None and groups:
        total = sum(g.get("node_count") or 0 for g in groups)
    return total, ready, not_ready, groups


def cluster_row(host, now=None):
    """One row of the report.

    :param dict host: ``name`` (inventory host or cluster name), ``definition`` (the role's
        ``cluster_definition``, or ``None`` for a cluster outside the inventory), ``defaults``
        (``cluster_defaults``), ``nodegroup_defaults``, ``state`` (``cluster_state``), ``info`` (the
        ``nks_info`` result for the cluster: ``clusters``, ``nodegroups``, ``ipacl``, ``addons``), ``autoscale``
        (``nks_info`` ``autoscale`` answers of its node groups, by UUID), ``catalog`` (``addon_catalog``).
    :param datetime.date now: today (UTC) for the day counts; tests inject it.
    :returns: ``dict``, the row (see docs/fleet-report.md for the keys).
    """
    now = now or _lifecycle.today()
    info = host.get("info") or {}
    cluster = (info.get("clusters") or [None])[0]
    definition = host.get("definition")
    spec = None
    if definition is not None:
        spec = dict(host.get("defaults") or {})
        spec.update(definition)
    name = (cluster or {}).get("name") or (spec or {}).get("name") or host.get("name")
    row = {"name": name, "host": host.get("name"), "in_inventory": definition is not None,
           "state": host.get("state") or "present"}
    if cluster is None:
        row.update(status="ABSENT", exists=False, drift=[] if row["state"] == "absent" or spec is None
                   else [_diff("cluster", "present", "absent")])
        row["drift_count"] = len(row["drift"])
        return row
    life = _lifecycle.lifecycle(cluster.get("kube_version"), now)
    summary, problems = health(cluster)
    total, ready, not_ready, groups = _nodes(cluster, info.get("nodegroups"))
    row.update(
        exists=True, uuid=cluster.get("uuid"), status=cluster.get("status"), status_reason=cluster.get("status_reason"),
        kube_version=cluster.get("kube_version"), kube_version_status=cluster.get("kube_version_status"),
        platform_version=cluster.get("platform_version"), end_of_support=life["end_of_support"],
        end_of_service=life["end_of_service"], days_to_end_of_service=life["days_to_end_of_service"],
        support_phase=life["support_phase"], support_ending=life["support_ending"],
        certificate_expiry=cluster.get("certificate_expiry"),
        certificate_days_left=_days_until(cluster.get("certificate_expiry"), now),
        health_status=cluster.get("health_status"), health=summary, health_problems=problems,
        health_status_reason=cluster.get("health_status_reason"),
        node_count=total, nodes_ready=ready, nodes_not_ready=not_ready, nodegroups=groups,
        nodegroup_count=len([ng for ng in info.get("nodegroups") or [] if ng.get("name") != _export.CONTROL_PLANE])
        or len(groups))
    row["certificate_expiring"] = row["certificate_days_left"] is not None \
        and row["certificate_days_left"] <= CERTIFICATE_WARN_DAYS
    if spec is None or row["state"] == "absent":
        row["drift"] = [_diff("cluster", "absent", "present")] if row["state"] == "absent" else []
        row["drift_compared"] = spec is not None
    else:
        exported = _export.cluster_definition(cluster, nodegroups=info.get("nodegroups"), ipacl=info.get("ipacl"),
                                              addons=info.get("addons"), catalog=None,
                                              autoscale=host.get("autoscale"), kubeconfig=True)["definition"]
        row["drift"] = drift(spec, exported, host.get("nodegroup_defaults"), (cluster or {}).get("labels"),
                             addons_read=info.get("addons") is not None)
        row["drift_compared"] = True
    row["drift_count"] = len(row["drift"])
    return row


def fleet_report(hosts, unmanaged=None, now=None, generated_at=None):
    """The whole report.

    :param list hosts: one :func:`cluster_row` input per inventory host.
    :param list unmanaged: ``nks_info`` cluster views (List Clusters) of the project's clusters that no host
        names; each becomes a row with ``in_inventory`` false and no drift.
    :param datetime.date now: today (UTC). :param str generated_at: the time to print (ISO).
    :returns: ``dict`` with ``generated_at``, ``lifecycle_guide`` (the version guide revision), ``summary``
        (counts) and ``clusters`` (rows sorted by name).
    """
    now = now or _lifecycle.today()
    rows = [cluster_row(host, now) for host in hosts or []]
    names = set(row["name"] for row in rows)
    for cluster in unmanaged or []:
        if cluster.get("name") not in names:
            rows.append(cluster_row({"name": cluster.get("name"), "definition": None,
                                     "info": {"clusters": [cluster]}}, now))
    rows.sort(key=lambda row: row["name"] or "")
    summary = {
        "clusters": len(rows),
        "in_inventory": len([r for r in rows if r["in_inventory"]]),
        "not_in_inventory": len([r for r in rows if not r["in_inventory"]]),
        "missing": len([r for r in rows if not r.get("exists")]),
        "drifted": len([r for r in rows if r.get("drift_count")]),
        "unhealthy": len([r for r in rows if r.get("exists") and r.get("health") not in ("OK", "unknown")]),
        "support_ending": len([r for r in rows if r.get("support_ending")]),
        "certificate_expiring": len([r for r in rows if r.get("certificate_expiring")]),
        "not_complete": len([r for r in rows if r.get("exists") and not str(r.get("status") or "").endswith("_COMPLETE")]),
    }
    return {"generated_at": generated_at or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
            "today": now.isoformat(), "lifecycle_guide": _lifecycle.GUIDE_REVISION,
            "certificate_warn_days": CERTIFICATE_WARN_DAYS, "eos_warn_days": _lifecycle.WARN_DAYS,
            "summary": summary, "clusters": rows}
