# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_autoscale`` does (its options are documented in ``plugins/modules/nks_autoscale.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import _autoscale
from .._api import CONTROL_PLANE, DEFAULT_WORKER
from .._autoscale import SETTINGS
from .._engine import (
    DELETE_CLUSTER, Change, SettingsResource, StateMachine, Waiter, api_status, failed, in_progress)
from .._module import NksModule
from .._specs import autoscale_spec
from .._validation import (
    ValidationError, check_autoscale, check_name, is_uuid, precondition_unmet)
from .._views import autoscale_view


class NksAutoscaleResource(SettingsResource):
    """The autoscaler of one node group: a settings resource that always exists.

    The object passed around is ``uuid`` (cluster), ``nodegroup_uuid``, ``cluster`` and
    ``nodegroup`` (Get a Cluster, Get a Node Group) and, while neither is busy, ``autoscale``,
    the answer of View Autoscaler Configuration of a Node Group. :meth:`status` reads the
    status of whichever of node group and cluster is busy, so the engine attaches to and
    waits for both.
    """

    kind = "autoscaler"

    def describe(self):
        """The node group in messages: ``node group 'x' of cluster 'y'``."""
        return "node group %r of cluster %r" % (self.params["nodegroup"], self.params["cluster"])

    def find(self):
        """The cluster, the node group and its autoscaler. A missing cluster or node group is an error,
        except in check mode, where an earlier task of the run (``nks_cluster``, ``nks_nodegroup``) may
        create it: a warning names that task and the object is a new node group's (no UUID, autoscaler
        off, as a create without ``autoscale`` makes it), so the task predicts from it."""
        p = self.params
        cluster = self.api.find_cluster(p["cluster"])
        if cluster is None:
            precondition_unmet(self.mod.check_mode, self.mod.warn, "cluster",
                               "no cluster is named %r (or has that UUID)" % p["cluster"],
                               "for example nhncloud.nks.nks_cluster name=%s" % p["cluster"])
            return self._predicted(None)
        nodegroup = self.api.get_nodegroup(cluster["uuid"], p["nodegroup"])
        if nodegroup is None:
            names = sorted(g.get("name") for g in self.api.list_nodegroups(cluster["uuid"]))
            precondition_unmet(self.mod.check_mode, self.mod.warn, "nodegroup",
                               "cluster %r has no node group %r; it has: %s"
                               % (cluster.get("name"), p["nodegroup"], ", ".join(names) or "none"),
                               "for example nhncloud.nks.nks_nodegroup cluster=%s name=%s"
                               % (p["cluster"], p["nodegroup"]))
            return self._predicted(cluster)
        return self._wrap(cluster, nodegroup)

    def _predicted(self, cluster):
        """Check mode only: the object of a node group an earlier task would create (see :meth:`find`)."""
        settled = {"status": "CREATE_COMPLETE"}
        return dict(uuid=(cluster or {}).get("uuid"), nodegroup_uuid=None,
                    cluster=cluster if cluster is not None else dict(settled, name=self.params["cluster"]),
                    nodegroup=dict(settled, name=self.params["nodegroup"]),
                    autoscale=_autoscale.create_labels(None))

    def fetch(self, obj):
        """The cluster and node group read again (Get a Cluster, Get a Node Group); ``None`` when gone."""
        cluster = self.api.get_cluster(obj["uuid"])
        nodegroup = self.api.get_nodegroup(obj["uuid"], obj["nodegroup_uuid"]) if cluster else None
        if cluster is None or nodegroup is None:
            return None
        return self._wrap(cluster, nodegroup)

    def _wrap(self, cluster, nodegroup):
        obj = dict(uuid=cluster["uuid"], nodegroup_uuid=nodegroup.get("uuid") or self.params["nodegroup"],
                   cluster=cluster, nodegroup=nodegroup)
        if not self.busy(obj):
            obj["autoscale"] = self.api.get_autoscale(cluster["uuid"], obj["nodegroup_uuid"])
        return obj

    def status(self, obj):
        """Busy while the node group or its cluster runs an operation; failed when either is
        ``*_FAILED`` (NKS then accepts only a delete); otherwise the node group's own status."""
        cluster, nodegroup = obj["cluster"], obj["nodegroup"]
        if (in_progress(cluster) and not in_progress(nodegroup)) or (failed(cluster) and not failed(nodegroup)):
            return api_status(cluster)
        return api_status(nodegroup)

    def view(self, obj):
        """The typed autoscaler settings (:func:`._views.autoscale_view`)."""
        if obj is None:
            return None
        return autoscale_view(obj.get("autoscale"))

    def failed_advice(self, obj):
        """What to do with a failed node group: delete it (or the cluster, for ``default-worker``)."""
        if self.params["nodegroup"] == DEFAULT_WORKER:
            return DELETE_CLUSTER
        return ("delete the node group (nhncloud.nks.nks_nodegroup state=absent) and create it again, or, when"
                " the cluster failed, " + DELETE_CLUSTER)

    def plan(self, obj):
        """The one ``Change`` of the autoscaler settings (Change Cluster Autoscaler Settings), or none."""
        have = self.view(obj)
        merged, body = _autoscale.plan(dict((k, v) for k, v in have.items() if v is not None),
                                       dict((key, self.params[key]) for key in SETTINGS))
        if body is None:
            return []
        changes = [Change(key, have[key], merged[key], None) for key in SETTINGS
                   if self.params[key] is not None and have[key] != merged[key]]
        changes[-1].apply = lambda o: self.api.set_autoscale(o["uuid"], o["nodegroup_uuid"], body)
        return changes


class NksAutoscale(NksModule):
    """The ``nks_autoscale`` module."""

    name = "nks_autoscale"

    argument_spec = dict(
        cluster=dict(type="str", required=True),
        nodegroup=dict(type="str", default="default-worker"),
        **autoscale_spec()
    )

    def validate_input(self):
        """Static checks of the guide's rules, before any request."""
        p = self.params
        if not is_uuid(p["cluster"]):
            check_name(p["cluster"], "cluster")
        if p["nodegroup"] == CONTROL_PLANE:
            raise ValidationError("nodegroup", "%s is the control plane; it has no autoscaler"
                                  % CONTROL_PLANE)
        if not is_uuid(p["nodegroup"]):
            check_name(p["nodegroup"], "nodegroup")
        check_autoscale(dict((key, p[key]) for key in SETTINGS), None)

    def run(self):
        """Converge the autoscaler of one node group; returns the module result (``autoscale``, ``cluster_uuid``)."""
        p = self.params
        self.validate_input()
        resource = NksAutoscaleResource(self)
        machine = StateMachine(resource, self.check_mode, p["wait"], Waiter(p["wait_timeout"]))
        outcome = machine.converge()
        if outcome.changed and not p["wait"] and not self.check_mode:
            outcome.after = dict(outcome.before, **dict((c.name, c.after) for c in machine.changes))
        return outcome.result("autoscale", self.diff_mode, cluster_uuid=outcome.obj["uuid"],
                              nodegroup_uuid=outcome.obj["nodegroup_uuid"])
