# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_info`` does (its options are documented in ``plugins/modules/nks_info.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import _addons, _lifecycle
from .._module import NksModule
from .._api import DEFAULT_WORKER
from .._validation import ValidationError
from .._views import (
    acl_view, autoscale_view, cluster_view, event_view, nodegroup_view, supports_view)

GATHER_CHOICES = ["clusters", "nodegroups", "events", "autoscale", "ipacl", "supported_versions", "addons",
                  "addon_catalog"]
NEEDS_CLUSTER = ("nodegroups", "events", "autoscale", "ipacl")


class NksInfo(NksModule):
    """Read-only: every gather kind is one or two GETs."""

    name = "nks_info"

    waits = False
    argument_spec = dict(
        cluster=dict(type="str"),
        nodegroup=dict(type="str"),
        event=dict(type="str"),
        gather=dict(type="list", elements="str", choices=GATHER_CHOICES),
    )
    module_kwargs = dict(required_by=dict(nodegroup="cluster", event="cluster"))

    def _gather(self):
        gather = self.params["gather"]
        if gather is None:
            gather = ["clusters"]
            if self.params["nodegroup"]:
                gather.append("nodegroups")
            if self.params["event"]:
                gather.append("events")
        if not self.params["cluster"]:
            missing = [kind for kind in gather if kind in NEEDS_CLUSTER]
            if missing:
                raise ValidationError("gather", "gathering %s needs the option cluster" % ", ".join(missing))
        return gather

    def run(self):
        """Read what ``gather`` asks for (GETs only); returns the module result (``changed`` false)."""
        gather = self._gather()
        result = dict(changed=False)
        if "supported_versions" in gather:
            result["supported_versions"] = supports_view(self.api.supports())
        if not self.params["cluster"]:
            clusters = self.api.list_clusters() if ("clusters" in gather or "addons" in gather) else []
            if "clusters" in gather:
                result["clusters"] = [self._lifecycle(cluster_view(c)) for c in clusters]
            if "addons" in gather:
                result["addons"] = self._addons(clusters)
            if "addon_catalog" in gather:
                result["addon_catalog"] = self._catalog(None)
            return result
        if any(kind in gather for kind in ("clusters", "addons", "addon_catalog") + NEEDS_CLUSTER):
            result.update(self._gather_cluster(gather, self.api.find_cluster(self.params["cluster"])))
        return result

    def _lifecycle(self, view, now=None):
        """``view`` with the support lifecycle of its Kubernetes version (``_lifecycle.lifecycle``), warning
        when its end of service is near or past."""
        info = _lifecycle.lifecycle(view.get("kube_version"), now)
        view.update(info)
        message = _lifecycle.warning(view.get("name"), view.get("kube_version"), info)
        if message:
            self.warn(message)
        return view

    def _addons(self, clusters):
        """Installed add-ons of ``clusters`` (API dicts), each view with ``cluster_name``."""
        if not clusters or not self.api.addon_api_available():
            return []
        types = self.api.list_addon_types()
        views = []
        for cluster in clusters:
            for addon in self.api.list_cluster_addons(cluster["uuid"]):
                views.append(dict(_addons.addon_view(addon, types), cluster_uuid=cluster["uuid"],
                                  cluster_name=cluster.get("name")))
        return views

    def _catalog(self, cluster):
        """``addon_catalog``: the types and offered add-ons; with ``cluster``, whether each fits it."""
        if not self.api.addon_api_available():
            return dict(available=False, types=[], mandatory_types=[], addons=[])
        types = self.api.list_addon_types()
        offered = sorted(self.api.list_offered_addons(),
                         key=lambda a: (a.get("name") or "", _addons.version_key(a.get("version") or "0")))
        if cluster is not None:
            kube = (cluster.get("labels") or {}).get("kube_tag") or ""
            offered = [dict(a, fits_cluster=_addons.fits(a, kube)) for a in offered]
        return dict(available=True, types=types, mandatory_types=_addons.mandatory_types(types), addons=offered)

    def _gather_cluster(self, gather, cluster):
        """What ``gather`` asks about one cluster (``None`` when it does not exist: empty answers)."""
        p, api, uuid = self.params, self.api, cluster["uuid"] if cluster else None
        result = {}
        if "clusters" in gather:
            result["clusters"] = [self._lifecycle(cluster_view(cluster))] if cluster else []
        if "addons" in gather:
            result["addons"] = self._addons([cluster] if cluster else [])
        if "addon_catalog" in gather:
            result["addon_catalog"] = self._catalog(cluster)
        if "nodegroups" in gather:
            result["nodegroups"] = self._listed(uuid, p["nodegroup"], api.get_nodegroup, self._nodegroups,
                                                nodegroup_view)
        if "events" in gather:
            result["events"] = self._listed(uuid, p["event"], api.get_event, api.list_events, event_view)
        if "autoscale" in gather:
            target = p["nodegroup"] or DEFAULT_WORKER
            settings = api.get_autoscale(uuid, target) if cluster else None
            result["autoscale"] = dict(autoscale_view(settings), nodegroup=target) if settings is not None else {}
        if "ipacl" in gather:
            acl = api.get_ipacl(uuid) if cluster else None
            result["ipacl"] = acl_view(acl) if acl is not None else {}
        return result

    @staticmethod
    def _listed(uuid, one, get_one, get_all, view):
        """``[view(get_one(uuid, one))]`` (``[]`` when missing) when ``one`` is given, else the views of
        ``get_all(uuid)``; ``[]`` without a cluster (``uuid`` ``None``)."""
        if uuid is None:
            return []
        if one:
            found = get_one(uuid, one)
            return [view(found)] if found else []
        return [view(item) for item in get_all(uuid)]

    def _nodegroups(self, uuid):
        """Every node group in detail: the list answer has no labels (no kube_version, no autoscaler)."""
        return [self.api.get_nodegroup(uuid, ng.get("uuid") or ng["name"]) or ng
                for ng in self.api.list_nodegroups(uuid)]
