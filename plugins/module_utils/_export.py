# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adoption: the ``cluster_definition`` of an existing cluster (issue 24, item 4).

One implementation turns what ``nks_info`` reads about a cluster (Get a Cluster, List/Get Node Groups, View
Autoscaler Configuration of each node group, Get Cluster API Endpoint IP Access Control, View a List of Add-ons
Installed on a Cluster and the add-on catalogue) into the variable of the role ``nhncloud.nks.cluster`` that the
role converges to with no change: every value is what the modules compare with (the typed views of
``_views``, which read the NKS label strings through ``_labels``), in the role's option names. The filter
``nhncloud.nks.cluster_definition`` (playbook ``nhncloud.nks.adopt``) and the fleet report's drift
(``_report``) both use it. What cannot be written without a secret NKS never returns (an encrypted volume's
appkey, the Log & Crash Search appkey of ``control_plane_log``) is left out and named in the notes.
No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ._labels import CLUSTER_LABELS, SECRET

DEFAULT_WORKER = "default-worker"
CONTROL_PLANE = "default-master"
CNI_CHOICES = ("calico", "calico-ebpf")
"""``cni_driver`` values the role accepts (a Flannel cluster from before 2023-03-31 keeps its CNI)."""

TOP_LEVEL = ("keypair", "fixed_network", "fixed_subnet")
"""Create options of the cluster that are fields of Get a Cluster, not labels."""

CLUSTER_FROM_WORKER = ("user_script", "node_labels", "floating_ip", "metric_autoscale")
"""Options of the cluster that ``nks_cluster`` compares with ``default-worker`` (its labels), not the cluster."""

CLUSTER_SKIPPED = ("kube_version", "boot_volume_appkey", "user_script", "node_labels", "control_plane_log",
                   "extra_volumes", "cni_driver")
"""Rows of :data:`._labels.CLUSTER_LABELS` handled apart (or never written: ``boot_volume_appkey``)."""

NODEGROUP_OPTIONS = ("flavor_id", "image_id", "node_count", "availability_zone", "boot_volume_type",
                     "boot_volume_size", "boot_volume_key_id", "additional_network_ids", "additional_subnet_ids",
                     "extra_security_groups", "kube_version")
"""Options of a ``nodegroups`` entry read as they are from the node group's typed view (``_views.nodegroup_view``)."""

AUTOSCALE_KEYS = ("enabled", "min_node_count", "max_node_count", "scale_down_enabled", "scale_down_unneeded_time",
                  "scale_down_util_thresh", "scale_down_delay_after_add")

KUBECONFIG_OFF = {"enabled": False}
"""The ``kubeconfig`` of an adopted cluster: no file is written by the first run (it would be a change)."""


def _set(value):
    """Whether a read value says something (``None``, ``""``, ``[]`` and ``{}`` do not)."""
    return value not in (None, "", [], {})


def _autoscale(settings):
    """The ``autoscale`` entry: the keys NKS reported, in the option's order; ``None`` when none."""
    out = dict((key, (settings or {}).get(key)) for key in AUTOSCALE_KEYS if (settings or {}).get(key) is not None)
    return out or None


def _floating_ip(settings):
    return dict(settings) if settings and settings.get("enabled") is not None else None


def _metric_autoscale(settings):
    """``metric_autoscale`` with the policies NKS reports with their ``enabled`` flag (the role requires it)."""
    out = {}
    for policy in ("scale_out", "scale_in"):
        value = (settings or {}).get(policy)
        if value and value.get("enabled") is not None:
            out[policy] = dict((k, v) for k, v in value.items() if v is not None)
    return out or None


def _volumes(volumes, where, notes):
    """``extra_volumes`` without the masked appkeys (a note names each volume left with its key ID only)."""
    out = []
    for volume in volumes or []:
        item = dict((k, v) for k, v in volume.items() if v not in (None, "") and k != "volume_appkey")
        if volume.get("volume_appkey"):
            notes.append("%s: extra_volumes %s: volume_appkey is never returned by NKS; add it to re-create"
                         % (where, volume.get("volume_type")))
        out.append(item)
    return out


def _worker_settings(definition, view):
    """The settings NKS keeps in a worker node group's labels: user script, Kubernetes node labels, floating IP
    auto-assignment, metric-based autoscaler (``_worker.current``), added to ``definition`` when set."""
    if _set(view.get("user_script")):
        definition["user_script"] = view["user_script"]
    if _set(view.get("node_labels")):
        definition["node_labels"] = dict(view["node_labels"])
    fip = _floating_ip(view.get("floating_ip"))
    if fip:
        definition["floating_ip"] = fip
    mba = _metric_autoscale(view.get("metric_autoscale"))
    if mba:
        definition["metric_autoscale"] = mba


def _by_nodegroup(autoscale, nodegroup):
    """The View Autoscaler Configuration answer (``nks_info`` ``autoscale``) of ``nodegroup``, matched by the
    ``nodegroup`` key (the node group's UUID, or its name, as asked): give one cluster's answers, or answers
    asked by UUID. ``None`` when not read."""
    for settings in autoscale or []:
        if settings and settings.get("nodegroup") in (nodegroup.get("uuid"), nodegroup.get("name")):
            return settings
    return None


def _control_plane_log(view, where, notes):
    settings = view.get("control_plane_log")
    if not isinstance(settings, dict) or settings.get("enabled") is None:
        return None
    if settings.get("enabled") and (settings.get("type") == "lncs" or settings.get("lncs_appkey")):
        notes.append("%s: control_plane_log left out: it stores to Log & Crash Search, whose appkey NKS never"
                     " returns (add control_plane_log with lncs_appkey to manage it)" % where)
        return None
    return dict((k, v) for k, v in settings.items() if v not in (None, "") and v != SECRET)


def nodegroup_definition(view, autoscale=None, notes=None):
    """One ``cluster_definition.nodegroups`` entry from a node group's typed view.

    :param dict view: ``nks_info`` ``nodegroups[]`` (Get a Node Group, typed by ``_views.nodegroup_view``).
    :param dict autoscale: View Autoscaler Configuration of the node group (typed); ``None``: the ``ca_*``
        labels of the view are used.
    :param list notes: appended with what was left out.
    :returns: ``dict`` with the options of ``nhncloud.nks.nks_nodegroup`` that NKS reports.
    """
    notes = [] if notes is None else notes
    where = "node group %s" % view.get("name")
    entry = {"name": view.get("name")}
    for option in NODEGROUP_OPTIONS:
        if _set(view.get(option)):
            entry[option] = view[option]
    if _set(view.get("extra_volumes")):
        entry["extra_volumes"] = _volumes(view["extra_volumes"], where, notes)
    _worker_settings(entry, view)
    settings = _autoscale(autoscale if autoscale is not None else view.get("autoscale"))
    if settings:
        entry["autoscale"] = settings
    return entry


def ipacl_definition(view):
    """``cluster_definition.ipacl`` from the typed ACL (``_views.acl_view``): off is ``{enabled: false}``;
    on, the action and every target (``description`` only when set). ``None`` when not read."""
    if not view:
        return None
    if not view.get("enabled"):
        return {"enabled": False}
    targets = []
    for target in view.get("targets") or []:
        item = {"cidr": target.get("cidr")}
        if target.get("description"):
            item["description"] = target["description"]
        targets.append(item)
    return {"enabled": True, "action": view.get("action"), "targets": targets}


def addons_definition(addons, catalog=None, notes=None):
    """``cluster_definition.addons`` from the installed add-ons (``nks_info`` ``addons``).

    Each add-on with its installed ``version`` and ``options`` when NHN Cloud still offers that version; an
    add-on whose version is no longer offered is listed by name only (``nks_addon`` keeps the installed
    version then), with a note.

    :param list addons: the installed add-ons (typed views). :param dict catalog: ``nks_info``
        ``addon_catalog``; ``None``: every version counts as offered.
    :returns: ``list`` of ``dict`` sorted by name.
    """
    notes = [] if notes is None else notes
    offered = None
    if catalog and catalog.get("available", True):
        offered = set((a.get("name"), a.get("version")) for a in catalog.get("addons") or [])
    out = []
    for addon in sorted(addons or [], key=lambda a: a.get("name") or ""):
        entry = {"name": addon.get("name")}
        if offered is None or (addon.get("name"), addon.get("version")) in offered:
            entry["version"] = addon.get("version")
            if addon.get("options"):
                entry["options"] = dict(addon["options"])
        else:
            notes.append("add-on %s: the installed version %s is no longer offered: listed without version (kept"
                         " as installed)" % (addon.get("name"), addon.get("version")))
        out.append(entry)
    return out


def cluster_definition(cluster, nodegroups=None, ipacl=None, addons=None, catalog=None, autoscale=None,
                       kubeconfig=False):
    """The ``cluster_definition`` the role ``nhncloud.nks.cluster`` converges to with no change.

    :param dict cluster: ``nks_info`` ``clusters[0]`` read with ``cluster`` set (Get a Cluster, typed by
        ``_views.cluster_view``).
    :param list nodegroups: ``nks_info`` ``nodegroups`` (every node group in detail, ``default-worker`` too).
    :param dict ipacl: ``nks_info`` ``ipacl`` (``None``/``{}``: not read, left out).
    :param list addons: ``nks_info`` ``addons`` (``None``: not read, left out).
    :param dict catalog: ``nks_info`` ``addon_catalog`` (which installed versions are still offered).
    :param list autoscale: ``nks_info`` ``autoscale`` answers (each with ``nodegroup``, the UUID or name asked:
        by UUID when they are several clusters'); a node group without one (or ``None``) is read from its
        ``ca_*`` labels.
    :param bool kubeconfig: ``False`` writes ``kubeconfig: {enabled: false}`` (a first run writes no file, so
        it changes nothing); ``True`` leaves ``kubeconfig`` to the role's default (the file is written).
    :returns: ``dict`` with ``definition`` (the variable, keys in the role's order), ``notes`` (``list`` of
        ``str``: what was left out or needs a look) and ``uuid`` (the cluster's).
    :raises ValueError: when ``cluster`` has no name.
    """
    if not cluster or not cluster.get("name"):
        raise ValueError("cluster_definition needs a cluster read by nhncloud.nks.nks_info (clusters[0])")
    notes = []
    where = "cluster %s" % cluster["name"]
    groups = [ng for ng in nodegroups or [] if ng.get("name") != CONTROL_PLANE]
    worker = next((ng for ng in groups if ng.get("name") == DEFAULT_WORKER), None)
    status = cluster.get("status") or ""
    if status and not status.endswith("_COMPLETE"):
        notes.append("%s is %s%s: exported as NKS reports it now" % (
            where, status, " (%s)" % cluster["status_reason"] if cluster.get("status_reason") else ""))
    definition = {"name": cluster["name"]}
    if _set(cluster.get("kube_version")):
        definition["kube_version"] = cluster["kube_version"]
    count = (worker or {}).get("node_count")
    if count is None and worker is None:
        notes.append("%s: no default-worker node group read: node_count, flavor_id and the worker settings"
                     " are left out" % where)
    elif count is not None:
        definition["node_count"] = count
    flavor = (worker or {}).get("flavor_id") or (cluster.get("flavor_id") if worker is None else None)
    if flavor:
        definition["flavor_id"] = flavor
    for key in TOP_LEVEL:
        if _set(cluster.get(key)):
            definition[key] = cluster[key]
    for option, _label, _kind in CLUSTER_LABELS:
        if option in CLUSTER_SKIPPED or not _set(cluster.get(option)):
            continue
        definition[option] = cluster[option]
    if _set(cluster.get("cni_driver")):
        if cluster["cni_driver"] in CNI_CHOICES:
            definition["cni_driver"] = cluster["cni_driver"]
        else:
            notes.append("%s: cni_driver %s left out (the role takes %s; the CNI of an existing cluster is"
                         " left alone)" % (where, cluster["cni_driver"], ", ".join(CNI_CHOICES)))
    if _set(cluster.get("extra_volumes")):
        definition["extra_volumes"] = _volumes(cluster["extra_volumes"], where, notes)
    log = _control_plane_log(cluster, where, notes)
    if log:
        definition["control_plane_log"] = log
    if worker is not None:
        _worker_settings(definition, worker)
        settings = _autoscale(_by_nodegroup(autoscale, worker) or worker.get("autoscale"))
    else:
        settings = _autoscale(cluster.get("autoscale"))
    if settings:
        definition["autoscale"] = settings
    extra = [ng for ng in groups if ng.get("name") != DEFAULT_WORKER]
    if extra:
        definition["nodegroups"] = [
            nodegroup_definition(ng, _by_nodegroup(autoscale, ng), notes)
            for ng in extra]
    if addons:
        definition["addons"] = addons_definition(addons, catalog, notes)
    acl = ipacl_definition(ipacl)
    if acl is not None:
        definition["ipacl"] = acl
    if not kubeconfig:
        definition["kubeconfig"] = dict(KUBECONFIG_OFF)
    return {"definition": definition, "notes": notes, "uuid": cluster.get("uuid")}
