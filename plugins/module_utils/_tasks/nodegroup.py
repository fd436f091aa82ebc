# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_nodegroup`` does (its options are documented in ``plugins/modules/nks_nodegroup.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib

from .. import _autoscale, _worker
from .._drift import behind_definition
from .._kube_nodes import label_existing_nodes
from .._api import (
    CONTROL_PLANE, DEFAULT_NODEGROUPS, DEFAULT_WORKER)
from .._compare import differences, refuse
from .._engine import (
    DELETE_CLUSTER, Change, NksOperationFailed, Resource, StateMachine, Waiter, api_status, failed,
    in_progress, raise_failed, status_of)
from .._kube import wait_after_converge, wait_for_spec
from .._labels import (
    NODEGROUP_LABELS, to_labels)
from .._module import NksModule
from .._upgrade import UpgradeOfFailedMixin
from .._specs import (
    autoscale_spec, extra_security_groups_spec, extra_volumes_spec, worker_settings_spec)
from .._validation import (
    ValidationError, check_name, check_supported_version, check_upgrade_step, check_worker_options,
    is_uuid, normalize_version, parse_version, precondition_unmet)
from .._views import nodegroup_view

REQUIRED_TO_CREATE = ("flavor_id", "image_id", "availability_zone", "boot_volume_type",
                      "boot_volume_size")
# Create a Node Group: labels of the request. kube_tag is not an input: a new
# node group gets the control plane's version.
CREATE_LABELS = tuple(row for row in NODEGROUP_LABELS if row[0] != "kube_version")
# Fields no API changes in place; a difference is refused (see _refuse_immutable_changes).
IMMUTABLE = ("image_id", "availability_zone", "boot_volume_type", "boot_volume_size",
             "additional_network_ids", "additional_subnet_ids", "extra_security_groups",
             "extra_volumes")
IMMUTABLE_ADVICE = "create another node group and delete this one deliberately"
NODE_ACTIONS = {"stop": "stop_node", "start": "start_node"}
LAST_NODEGROUP = ("absent is not possible for %s: it is the last worker node group of cluster %r, and NKS"
                  " refuses to delete the last node group (HTTP 400 \"Deleting the last nodegroup is not"
                  " supported.\"); delete the cluster instead (nhncloud.nks.nks_cluster state=absent),"
                  " which deletes its node groups with it")


class _WithCluster(dict):
    """A node group as Get a Node Group answered, with :attr:`cluster`, the cluster as read with it
    (see :meth:`NksNodegroupResource.status`)."""

    def __init__(self, nodegroup, cluster):
        super(_WithCluster, self).__init__(nodegroup)
        self.cluster = cluster


class _FailedCluster(Resource):
    """The cluster of a node group, for the message about a ``*_FAILED`` cluster."""

    def __init__(self, name):
        self.name = name

    def describe(self):
        """The cluster in messages: ``cluster 'x'``."""
        return "cluster %r" % self.name

    def failed_advice(self, obj):
        """Delete the cluster: NKS accepts nothing else on a failed cluster."""
        return DELETE_CLUSTER


class NksNodegroupResource(UpgradeOfFailedMixin, Resource):
    """A worker node group of an NKS cluster, found by name or UUID (guide: Node Group).

    :param mod: the :class:`NksNodegroup` module.
    :param waiter: the :class:`Waiter` of the run, also used to wait for the cluster.
    """

    kind = "node group"

    def __init__(self, mod, waiter):
        super(NksNodegroupResource, self).__init__(mod)
        self.waiter = waiter
        self._cluster = None

    def describe(self):
        """The node group in messages: ``node group 'x' of cluster 'y'``."""
        return "node group %r of cluster %r" % (self.params["name"], self.params["cluster"])

    # -- the cluster --------------------------------------------------------

    @property
    def cluster(self):
        """The cluster (Get a Cluster), looked up once; ``{}`` when it does not exist (see :meth:`find`)."""
        if self._cluster is None:
            self._cluster = self.api.find_cluster(self.params["cluster"]) or {}
        return self._cluster

    @property
    def cluster_uuid(self):
        """The UUID of the node group's cluster (``None`` when there is no such cluster)."""
        return self.cluster.get("uuid")

    def _missing_cluster(self):
        """No cluster: ``state=absent`` has nothing to do; ``present`` is an error, except in check
        mode, where an earlier task of the same run may create the cluster (a warning names it)."""
        p = self.params
        message = "no cluster %r exists; give the name or UUID of an existing cluster" % p["cluster"]
        if p["state"] != "absent":
            precondition_unmet(self.mod.check_mode, self.mod.warn, "cluster", message,
                               "for example nhncloud.nks.nks_cluster name=%s" % p["cluster"])
        return None

    def _refuse_delete(self, ng):
        """Explain, before any request, the delete NKS refuses: the last worker node group."""
        workers = [g for g in self.api.list_nodegroups(self.cluster_uuid)
                   if g.get("name") != CONTROL_PLANE and g.get("role", "worker") == "worker"]
        if len(workers) <= 1:
            raise ValidationError("state", LAST_NODEGROUP % (ng.get("name"), self.cluster.get("name")))

    def failed_advice(self, obj):
        """What to do with a failed node group: delete it (or the cluster, for ``default-worker``)."""
        if obj.get("name") == DEFAULT_WORKER:
            return DELETE_CLUSTER
        return "delete the node group (state=absent) and create it again"

    def _get_cluster(self):
        return self.api.get_cluster(self.cluster_uuid)

    def wait_cluster_idle(self):
        """Attach to an operation running on the cluster before sending a request of ours.

        A ``*_FAILED`` end of somebody else's operation does not stop us: NKS decides whether it
        accepts the request.
        """
        cluster = self._get_cluster()
        if cluster is not None and in_progress(cluster):
            try:
                cluster = self.waiter.until_settled(self._get_cluster,
                                                    "cluster %r" % self.params["cluster"], kind="cluster")
            except NksOperationFailed:
                cluster = None
        if cluster is not None:
            self._cluster = cluster

    def wait_cluster_settled(self):
        """Wait until the cluster has settled after an operation of ours (``*_FAILED`` raises)."""
        self._cluster = self.waiter.until_settled(self._get_cluster,
                                                  "cluster %r" % self.params["cluster"], kind="cluster")

    def status(self, obj):
        """The node group's own status, or the cluster's while the node group has settled and the
        cluster (read with it, :class:`_WithCluster`) is busy.

        Node group operations keep the cluster ``UPDATE_IN_PROGRESS`` too, and NKS refuses a new
        operation while the cluster is busy: the engine then waits (attaches) on the node group
        until the cluster has settled as well. :meth:`view` shows the node group's own status.
        """
        cluster = getattr(obj, "cluster", None)
        if in_progress(obj) or failed(obj) or not in_progress(cluster):
            return api_status(obj)
        return status_of(cluster), "waiting for its cluster (%s)" % status_of(cluster)

    # -- the node group -------------------------------------------------------

    def find(self):
        """The node group (List Node Groups, Get a Node Group), or ``None``; a missing cluster fails
        (or, in check mode, is predicted)."""
        cluster = self.cluster
        if not cluster:
            return self._missing_cluster()
        ng = self.api.get_nodegroup(cluster["uuid"], self.params["name"])
        if self.params["state"] == "absent":
            if ng is not None and status_of(ng) != "DELETE_IN_PROGRESS":
                self._refuse_delete(ng)
        elif failed(cluster) and not failed(ng):
            # NKS accepts nothing but a delete on a *_FAILED cluster.
            raise_failed(_FailedCluster(self.params["cluster"]), cluster)
        return _WithCluster(ng, cluster) if ng is not None else None

    def fetch(self, obj):
        """The node group read again (Get a Node Group); ``None`` when gone."""
        ng = self.api.get_nodegroup(self.cluster_uuid, obj.get("uuid") or self.params["name"])
        if ng is None or in_progress(ng) or failed(ng):
            return ng  # its own status decides: the cluster need not be read
        return _WithCluster(ng, self._get_cluster())

    def view(self, obj):
        """The typed node group (:func:`._views.nodegroup_view`)."""
        return nodegroup_view(obj)

    def control_plane_version(self):
        """Kubernetes version of the control plane (cluster ``labels.kube_tag``); ``None`` when unknown."""
        return (self.cluster.get("labels") or {}).get("kube_tag")

    # -- create ---------------------------------------------------------------

    def typed_options(self):
        """The typed label options the user set (``None`` = not set)."""
        return dict((row[0], self.params.get(row[0])) for row in CREATE_LABELS)

    def validate_create(self):
        """Check what Create a Node Group requires, before the request.

        :raises ValidationError: naming the first missing or invalid option."""
        p = self.params
        if p["name"] in DEFAULT_NODEGROUPS:
            raise ValidationError("name", "%s is created with the cluster and cannot be created on its"
                                          " own" % p["name"])
        if is_uuid(p["name"]):
            raise ValidationError("name", "no node group with UUID %s in cluster %r; to create a node"
                                          " group, give its name" % (p["name"], p["cluster"]))
        check_name(p["name"], "name")
        missing = [opt for opt in REQUIRED_TO_CREATE if p.get(opt) in (None, "")]
        if missing:
            raise ValidationError(missing[0], "required to create node group %r; missing: %s%s"
                                  % (p["name"], ", ".join(missing), self._existing_hint()))
        _autoscale.check_node_count(p["node_count"] or 1, _autoscale.predict_create(p.get("autoscale")),
                                    "the new node group %r" % p["name"])
        if p["kube_version"] is not None:
            want, have = normalize_version(p["kube_version"]), self.control_plane_version()
            if have and parse_version(want) != parse_version(have):
                raise ValidationError("kube_version", "a new node group gets the control plane's"
                                                      " version %s, not %s" % (have, want))

    def _existing_hint(self):
        """``"; cluster 'x' has the node groups a, b (did you mean 'b'?)"``: a create refused for missing
        options is often a mistyped name of an existing node group (issue 22, item 10)."""
        names = sorted(g.get("name") for g in self.api.list_nodegroups(self.cluster_uuid)
                       if g.get("name") and g.get("name") != CONTROL_PLANE)
        if not names:
            return ""
        close = difflib.get_close_matches(self.params["name"], names, n=1, cutoff=0.6)
        return ("; no node group %r exists in cluster %r, which has %s%s" % (
            self.params["name"], self.params["cluster"], ", ".join(names),
            " (did you mean %r? to change it, give name: %s)" % (close[0], close[0]) if close else ""))

    def create_body(self):
        """Request body of Create a Node Group built from the options."""
        p = self.params
        labels = to_labels(CREATE_LABELS, self.typed_options())
        labels.update(_autoscale.create_labels(p.get("autoscale")))  # labels.ca_enable is required
        labels.update(_worker.create_labels(p))
        return dict(name=p["name"], flavor_id=p["flavor_id"], image_id=p["image_id"],
                    node_count=int(p["node_count"] or 1), labels=labels)

    def create(self):
        """Create a Node Group (``POST /v1/clusters/{id}/nodegroups``), once the cluster is idle."""
        self.wait_cluster_idle()
        return self.api.create_nodegroup(self.cluster_uuid, self.create_body())

    def predict_create(self):
        """What check mode reports for a create: the typed options as the node group would show them."""
        p = self.params
        view = dict((key, value) for key, value in self.typed_options().items() if value is not None)
        view.pop("boot_volume_appkey", None)
        version = self.control_plane_version()
        if version is None and p["kube_version"] is not None:
            version = normalize_version(p["kube_version"])  # check mode, the cluster comes earlier
        view.update(uuid=None, name=p["name"], cluster_id=self.cluster_uuid, role="worker",
                    is_default=False, flavor_id=p["flavor_id"], image_id=p["image_id"],
                    node_count=p["node_count"] or 1, kube_version=version,
                    status="CREATE_COMPLETE" if p["wait"] else "CREATE_IN_PROGRESS",
                    autoscale=_autoscale.predict_create(p.get("autoscale")))
        view.update(_worker.predict(p))
        return view

    # -- update ---------------------------------------------------------------

    def plan(self, obj):
        """The in-place changes: autoscaler, resize, flavor, user script (:func:`._worker.plan_node_group`),
        upgrade (Upgrade a Node Group), worker settings (:func:`._worker.plan`)."""
        changes = self.take_planned()  # a new upgrade of a failed one (UpgradeOfFailedMixin.failed)
        if changes is not None:
            return changes
        current = self.view(obj)
        self._refuse_immutable_changes(current)
        changes, count_then = _worker.plan_node_group(self.api, self.cluster_uuid, obj["uuid"], current, self.params,
                                                      self.describe(), self.mod.warn)
        upgrade = self._plan_upgrade(current, count_then)
        if upgrade is not None:
            changes.append(upgrade)
        changes.extend(_worker.plan(self.api, self.cluster_uuid, obj["uuid"], obj.get("labels"), self.params))
        return changes

    def _plan_upgrade(self, current, count):
        p = self.params
        if p["kube_version"] is None:
            return None
        want, have = normalize_version(p["kube_version"]), current.get("kube_version")
        if not have or parse_version(want) == parse_version(have):
            return None
        if behind_definition(self.mod.warn, have, want, self.describe()):
            return None
        self._cluster = self._get_cluster() or self._cluster  # the control plane may just have moved
        self._check_control_plane(want)
        check_upgrade_step(have, want, "kube_version")
        check_supported_version(want, self.api.supported_versions(), "kube_version")
        _worker.check_rolling(p["num_max_unavailable_nodes"], count)
        return Change("kube_version", have, want,
                      lambda o: self.api.upgrade(self.cluster_uuid, o["uuid"], want,
                                                 p["num_buffer_nodes"], p["num_max_unavailable_nodes"]))

    def _check_control_plane(self, want):
        """A node group can never be newer than the control plane. In check mode, when an earlier task
        of the run could upgrade the control plane to ``want`` (one minor step), this is a warning."""
        control_plane = self.control_plane_version()
        if not control_plane or parse_version(want) <= parse_version(control_plane):
            return
        rule = ("%s is above the control plane's version %s: a node group can never be newer than the"
                " control plane; upgrade the control plane first (nhncloud.nks.nks_cluster kube_version)"
                % (want, control_plane))
        if self.mod.check_mode:
            check_upgrade_step(control_plane, want, "kube_version")  # one earlier step must reach it
        precondition_unmet(self.mod.check_mode, self.mod.warn, "kube_version", rule,
                           "nhncloud.nks.nks_cluster name=%s kube_version=%s" % (self.params["cluster"], want))

    def _refuse_immutable_changes(self, current):
        """Refuse, listing them all, the options no NKS operation changes on a node group."""
        refuse(differences(self.params, current, IMMUTABLE), "node group", IMMUTABLE_ADVICE)

    # -- delete and node actions ----------------------------------------------

    def delete(self, obj):
        """Delete a Node Group, once the cluster is idle."""
        self.wait_cluster_idle()
        self.api.delete_nodegroup(self.cluster_uuid, obj["uuid"])

    def node_action(self, obj, wait):
        """Stop or start the nodes ``node_ids`` (an action: sent every time).

        Waits first for operations running on the node group or the cluster, then, with ``wait``,
        until both have settled. :returns: the node group afterwards.
        """
        p = self.params
        obj = self.waiter.until_settled(lambda: self.fetch(obj), self.describe(), kind=self.kind,
                                        status=self.status)
        self.api.node_action(self.cluster_uuid, obj["uuid"], NODE_ACTIONS[p["node_action"]],
                             p["node_ids"])
        if wait:
            return self.waiter.until_settled(lambda: self.fetch(obj), self.describe(), kind=self.kind,
                                             status=self.status)
        return self.fetch(obj) or obj


class NksNodegroup(NksModule):
    """The ``nks_nodegroup`` module."""

    name = "nks_nodegroup"

    argument_spec = dict(
        cluster=dict(type="str", required=True),
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait_for=wait_for_spec(),
        flavor_id=dict(type="str"),
        image_id=dict(type="str"),
        node_count=dict(type="int"),
        nodes_to_remove=dict(type="list", elements="str"),
        availability_zone=dict(type="str"),
        boot_volume_type=dict(type="str"),
        boot_volume_size=dict(type="int"),
        boot_volume_key_id=dict(type="str", no_log=False),
        boot_volume_appkey=dict(type="str", no_log=True),
        autoscale=dict(type="dict", options=autoscale_spec()),
        user_script=dict(type="str"),
        kube_version=dict(type="str"),
        num_buffer_nodes=dict(type="int"),
        num_max_unavailable_nodes=dict(type="int"),
        additional_network_ids=dict(type="list", elements="str"),
        additional_subnet_ids=dict(type="list", elements="str"),
        extra_security_groups=dict(type="list", elements="dict", options=extra_security_groups_spec()),
        extra_volumes=dict(type="list", elements="dict", options=extra_volumes_spec()),
        node_action=dict(type="str", choices=["stop", "start"]),
        node_ids=dict(type="list", elements="str"),
        label_existing_nodes=dict(type="bool", default=False),
        **worker_settings_spec()
    )
    module_kwargs = dict(required_together=[("node_action", "node_ids")])

    def validate_input(self):
        """Static checks of the guide's rules, before any request."""
        p = self.params
        if p["name"] == CONTROL_PLANE:
            raise ValidationError("name", "%s is the control plane and cannot be managed as a node"
                                          " group; use nhncloud.nks.nks_cluster (for example its"
                                          " kube_version)" % CONTROL_PLANE)
        if p["state"] == "absent" and p["node_action"]:
            raise ValidationError("node_action", "cannot be combined with state=absent")
        if not is_uuid(p["name"]):
            check_name(p["name"], "name")
        check_worker_options(p)
        _worker.validate(p)
        if p["label_existing_nodes"] and p["node_labels"] is None:
            raise ValidationError("label_existing_nodes", "needs node_labels: the labels to put on the"
                                                          " existing nodes")
        for option in ("nodes_to_remove", "node_ids"):
            if p[option] is not None and any(not str(item).strip() for item in p[option]):
                raise ValidationError(option, "must list node instance UUIDs, not empty strings")
        if p["node_action"] and not p["node_ids"]:
            raise ValidationError("node_ids", "must list at least one node instance UUID for"
                                              " node_action=%s" % p["node_action"])
        if p["nodes_to_remove"] and p["node_count"] is None:
            self.warn("nodes_to_remove ignored: it applies only when node_count shrinks the node group")

    def run(self):
        """Converge the node group to ``state`` (or run ``node_action``); returns the module result."""
        p = self.params
        self.validate_input()
        waiter = Waiter(p["wait_timeout"])
        resource = NksNodegroupResource(self, waiter)
        machine = StateMachine(resource, self.check_mode, p["wait"], waiter)
        outcome = machine.converge(p["state"])
        if p["state"] == "absent" and outcome.changed and p["wait"] and not self.check_mode:
            resource.wait_cluster_settled()
        if p["node_action"]:
            outcome.changed = True
            if not self.check_mode:
                outcome.after = resource.view(resource.node_action(outcome.obj, p["wait"]))
        wait_after_converge(self, (outcome.after or {}).get("cluster_id"), p["name"])
        labelled = []
        if p["label_existing_nodes"] and p["state"] == "present" and resource.cluster_uuid:
            labelled = label_existing_nodes(self.api, resource.cluster_uuid, resource.cluster.get("name"),
                                            (outcome.after or {}).get("name") or p["name"],
                                            _worker.normalize_node_labels(p["node_labels"]),
                                            (outcome.before or {}).get("node_labels"), self.check_mode)
            outcome.changed = outcome.changed or bool(labelled)
        return outcome.result("nodegroup", self.diff_mode, labelled_nodes=labelled)
