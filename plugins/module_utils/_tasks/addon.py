# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_addon`` does (its options are documented in ``plugins/modules/nks_addon.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import _addons
from .._engine import Change, Resource, StateMachine, Waiter
from .._module import NksModule
from .._validation import (
    ValidationError, check_name, is_uuid)


class NksAddonResource(Resource):
    """One add-on of one cluster (View Add-ons Installed on a Cluster).

    Objects passed around are the API's installed add-on dicts; the cluster, the offered
    add-ons and the add-on types are read once, on the first :meth:`find`. An add-on found
    ``*_FAILED`` is not refused (:meth:`failed`): NKS accepts a new update, which :meth:`plan`
    sends; a failure of the operation this task starts still fails the task.
    """

    kind = "add-on"

    def __init__(self, mod):
        super(NksAddonResource, self).__init__(mod)
        self.cluster = None
        self.catalog = None
        self._offered = {}  # offered add-on UUID -> View Add-ons Offered by NHN Cloud
        self.types = None
        self._create_entry = None
        self._create_options = None

    def describe(self):
        """The add-on in messages: ``add-on 'x' of cluster 'y'``."""
        return "add-on %r of cluster %r" % (self.params["name"], self.params["cluster"])

    def _load(self):
        if self.cluster is not None:
            return
        p = self.params
        cluster = self.api.find_cluster(p["cluster"])
        if cluster is None:
            raise ValidationError("cluster", "no cluster is named %r (or has that UUID)" % p["cluster"])
        if not self.api.addon_api_available():
            raise ValidationError("name", "this NKS has no add-on management (GET /v1/addon_types answers 404:"
                                          " the 2025-02 API guide); nothing was changed")
        self.cluster = cluster
        self.catalog = self.api.list_offered_addons()
        self.types = self.api.list_addon_types()

    @property
    def kube_version(self):
        """The control plane's Kubernetes version (label ``kube_tag``)."""
        return (self.cluster.get("labels") or {}).get("kube_tag") or self.cluster.get("coe_version") or ""

    def find(self):
        """The installed add-on (View an Add-on of a Cluster), or ``None``."""
        self._load()
        found = self.api.get_cluster_addon(self.cluster["uuid"], self.params["name"])
        if found is not None and self.params["state"] == "absent":
            # the add-on's own type, read as it is now (View the Types of Add-ons Offered by NHN Cloud)
            own = self.api.get_addon_type(found.get("type")) if found.get("type") else None
            _addons.check_removal(found, [own] if own else self.types)
        return found

    def fetch(self, obj):
        """The add-on read again (View an Add-on of a Cluster); ``None`` when gone."""
        return self.api.get_cluster_addon(self.cluster["uuid"], self.params["name"])

    def view(self, obj):
        """The typed view of an installed add-on (:func:`._addons.addon_view`)."""
        return _addons.addon_view(obj, self.types)

    def failed(self, obj):
        """``False``: an add-on has no ``*_FAILED`` status that only a delete could leave."""
        return False

    def failed_advice(self, obj):
        """``None``: nothing beyond the status reason needs saying."""
        return None

    def _entry(self, installed):
        """The offered add-on to converge to (:func:`_addons.choose`), its option schemas read from the
        offered add-on itself (View Add-ons Offered by NHN Cloud), which the list also carries."""
        p = self.params
        entry = _addons.choose(self.catalog, p["name"], p["version"], installed, self.kube_version)
        if entry.get("uuid") and entry.get("option_schemas") is not None:
            offered = self._offered.get(entry["uuid"])
            if offered is None:
                offered = self._offered[entry["uuid"]] = self.api.get_offered_addon(entry["uuid"]) or entry
            entry = dict(entry, option_schemas=offered.get("option_schemas", entry.get("option_schemas")))
        return entry

    def validate_create(self):
        """Check the add-on's ``options`` against the offered version's option schemas before the install.

        :raises ValidationError: naming the option."""
        entry = self._entry(None)
        self._create_options = _addons.check_options(self.params["name"], entry.get("option_schemas"),
                                                     self.params["options"], None)
        self._create_entry = entry

    def create(self):
        """Install the add-on (Install an Add-on on a Cluster)."""
        p = self.params
        return self.api.install_addon(self.cluster["uuid"], p["name"], self._create_entry["version"],
                                      p["resolve_conflicts"], self._create_options or None)

    def predict_create(self):
        """What check mode reports for an install: the offered version with its default options."""
        entry = self._create_entry
        options = dict((s.get("name"), s.get("default")) for s in entry.get("option_schemas") or []
                       if s.get("default") is not None)
        options.update(self._create_options)
        return dict(name=self.params["name"], type=entry.get("type"), version=entry.get("version"),
                    options=options, status=None, status_reason=None, cluster_uuid=self.cluster["uuid"],
                    mandatory=entry.get("type") in _addons.mandatory_types(self.types),
                    created_at=None, updated_at=None)

    def plan(self, obj):
        """The version and options changes of an installed add-on (Update an Add-on of a Cluster)."""
        p = self.params
        entry = self._entry(obj)
        schemas = entry.get("option_schemas")
        if schemas is None:  # an installed version no longer offered: check against the newest schema
            offered = _addons.offered_versions(self.catalog, p["name"])
            schemas = offered[-1].get("option_schemas") if offered else []
        have = obj.get("options") or {}
        typed = _addons.check_options(p["name"], schemas, p["options"], have)
        changed = _addons.options_changed(typed, have, schemas)
        changes = []
        if entry.get("version") != obj.get("version"):
            changes.append(Change("version", obj.get("version"), entry.get("version"), None))
        if changed:
            changes.append(Change("options", dict(have), dict(have, **dict((k, typed[k]) for k in changed)), None))
        if not changes and str(obj.get("status") or "").endswith("_FAILED"):
            changes.append(Change("status", obj.get("status"), "UPDATE_COMPLETE", None))
        if changes:
            version = entry.get("version")
            changes[-1].apply = lambda o: self.api.update_addon(self.cluster["uuid"], p["name"], version,
                                                                p["resolve_conflicts"], typed or None)
        return changes

    def delete(self, obj):
        """Remove the add-on (Remove an Add-on from a Cluster)."""
        return self.api.remove_addon(self.cluster["uuid"], self.params["name"])


class NksAddon(NksModule):
    """The ``nks_addon`` module."""

    name = "nks_addon"

    argument_spec = dict(
        cluster=dict(type="str", required=True),
        name=dict(type="str", required=True),
        version=dict(type="str"),
        options=dict(type="dict"),
        resolve_conflicts=dict(type="str", choices=list(_addons.RESOLVE_CONFLICTS), default="none"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )

    def validate_input(self):
        """Static checks, before any request."""
        p = self.params
        if not is_uuid(p["cluster"]):
            check_name(p["cluster"], "cluster")
        if not p["name"]:
            raise ValidationError("name", "must not be empty")
        if p["version"] not in (None, "latest"):
            _addons.version_key(p["version"])
        if p["state"] == "absent":
            ignored = [key for key in ("version", "options") if p[key] is not None]
            if ignored:
                self.warn("%s ignored: state is absent" % " and ".join(ignored))

    def run(self):
        """Converge the add-on to ``state``; returns the module result (``addon``, ``cluster_uuid``)."""
        p = self.params
        self.validate_input()
        resource = NksAddonResource(self)
        machine = StateMachine(resource, self.check_mode, p["wait"], Waiter(p["wait_timeout"]))
        outcome = machine.converge(p["state"])
        return outcome.result("addon", self.diff_mode, cluster_uuid=resource.cluster["uuid"])
