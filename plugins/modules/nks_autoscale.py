#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nks_autoscale
short_description: Configure the autoscaler of an NHN Kubernetes Service (NKS) node group
version_added: 0.1.0
description:
  - Reads the autoscaler settings of a worker node group (guide, "View Autoscaler Configuration of a
    Node Group") and changes those that differ from the options given (guide, "Change Autoscaler
    Configuration of a Node Group").
  - Options that are not set are left as they are. Values are compared after normalisation, so the
    API's V("True"), V(true), V("10") and V(10) all compare equal to the typed options.
  - NKS requires the enable flag in every change; when O(enabled) is not set, the current value is sent.
  - In check mode, a cluster or node group that does not exist yet is a warning instead of an error (an earlier
    task of the same run, M(nhncloud.nks.nks_cluster) or M(nhncloud.nks.nks_nodegroup), may create it); the task
    then predicts from the settings of a node group created without autoscaler settings (autoscaler off) and sends
    nothing.
  - A change puts the node group and the cluster in C(UPDATE_IN_PROGRESS); with O(wait=true) the task
    waits until both have settled. An operation already running on either is waited for first.
  - O(min_node_count) must not exceed O(max_node_count); when only one of them is set, it is checked
    against the current value of the other before any change is sent.
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.wait
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.ACTIONS
options:
  cluster:
    description: Name or UUID of the cluster.
    type: str
    required: true
  nodegroup:
    description:
      - Name or UUID of the worker node group.
      - The control plane node group C(default-master) has no autoscaler.
    type: str
    default: default-worker
  enabled:
    description: Turn the autoscaler on or off.
    type: bool
  min_node_count:
    description: Fewest nodes the autoscaler keeps, 1 to 10.
    type: int
  max_node_count:
    description:
      - Most nodes the autoscaler creates, 1 to 10 (the upper bound is a quota NKS enforces).
      - At least O(min_node_count).
    type: int
  scale_down_enabled:
    description: Allow the autoscaler to remove nodes.
    type: bool
  scale_down_unneeded_time:
    description: Minutes a node must stay unneeded before it is removed, 1 to 1440.
    type: int
  scale_down_util_thresh:
    description: Resource utilisation, in percent (1 to 100), under which a node counts as unneeded.
    type: int
  scale_down_delay_after_add:
    description: Minutes after a scale-up before scale-down is considered again, 1 to 1440.
    type: int
notes:
  - The same settings of C(default-worker) can be given to M(nhncloud.nks.nks_cluster) as its
    O(nhncloud.nks.nks_cluster#module:autoscale) option; use one module or the other for a node group.
  - While the autoscaler is on, it decides the number of nodes of the node group.
seealso:
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_nodegroup
"""

EXAMPLES = r"""
- name: Turn on the autoscaler of default-worker (the guide's example values)
  nhncloud.nks.nks_autoscale:
    cluster: test-k8s
    enabled: true
    min_node_count: 1
    max_node_count: 10
    scale_down_enabled: true
    scale_down_unneeded_time: 20
    scale_down_util_thresh: 40
    scale_down_delay_after_add: 30

- name: Raise only the maximum of another node group, leaving the rest alone
  nhncloud.nks.nks_autoscale:
    cluster: test-k8s
    nodegroup: gpu-workers
    max_node_count: 6

- name: Turn the autoscaler off
  nhncloud.nks.nks_autoscale:
    cluster: test-k8s
    enabled: false
"""

RETURN = r"""
autoscale:
  description:
    - The autoscaler settings after the task (the prediction in check mode), in the module's option names and types.
    - With O(wait=false), the settings read before the change with the requested ones applied (NKS applies them
      when the node group update finishes).
    - A key is V(null) when NKS gives no value for it.
  returned: success
  type: dict
  contains:
    enabled:
      description: Whether the autoscaler is on.
      type: bool
      sample: true
    min_node_count:
      description: Fewest nodes.
      type: int
      sample: 1
    max_node_count:
      description: Most nodes.
      type: int
      sample: 10
    scale_down_enabled:
      description: Whether the autoscaler may remove nodes.
      type: bool
      sample: true
    scale_down_unneeded_time:
      description: Minutes a node must stay unneeded before removal.
      type: int
      sample: 20
    scale_down_util_thresh:
      description: Utilisation threshold in percent.
      type: int
      sample: 40
    scale_down_delay_after_add:
      description: Minutes after a scale-up before scale-down.
      type: int
      sample: 30
cluster_uuid:
  description: UUID of the cluster.
  returned: success
  type: str
  sample: 2b778d83-8b67-45b1-920e-b0c5ad5c2f30
nodegroup_uuid:
  description: UUID of the node group.
  returned: success
  type: str
  sample: 018b06c5-1293-4081-8242-167a1cb9f262
diff:
  description: The settings before and after the task (as predicted in check mode), when run with C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The settings before, as in RV(autoscale).
      type: dict
    after:
      description: The settings after, as in RV(autoscale).
      type: dict
"""

from ansible_collections.nhncloud.nks.plugins.module_utils import _autoscale
from ansible_collections.nhncloud.nks.plugins.module_utils._api import CONTROL_PLANE, DEFAULT_WORKER
from ansible_collections.nhncloud.nks.plugins.module_utils._autoscale import SETTINGS
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (
    DELETE_CLUSTER, Change, SettingsResource, StateMachine, Waiter, api_status, failed, in_progress)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import NksModule
from ansible_collections.nhncloud.nks.plugins.module_utils._specs import autoscale_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    ValidationError, check_autoscale, check_name, is_uuid, precondition_unmet)
from ansible_collections.nhncloud.nks.plugins.module_utils._views import autoscale_view


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
        if obj is None:
            return None
        return autoscale_view(obj.get("autoscale"))

    def failed_advice(self, obj):
        if self.params["nodegroup"] == DEFAULT_WORKER:
            return DELETE_CLUSTER
        return ("delete the node group (nhncloud.nks.nks_nodegroup state=absent) and create it again, or, when"
                " the cluster failed, " + DELETE_CLUSTER)

    def plan(self, obj):
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
        p = self.params
        self.validate_input()
        resource = NksAutoscaleResource(self)
        machine = StateMachine(resource, self.check_mode, p["wait"], Waiter(p["wait_timeout"]))
        outcome = machine.converge()
        if outcome.changed and not p["wait"] and not self.check_mode:
            outcome.after = dict(outcome.before, **dict((c.name, c.after) for c in machine.changes))
        return outcome.result("autoscale", self.diff_mode, cluster_uuid=outcome.obj["uuid"],
                              nodegroup_uuid=outcome.obj["nodegroup_uuid"])


def main():
    NksAutoscale()()


if __name__ == "__main__":
    main()
