#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nks_nodegroup
short_description: Create, update and delete worker node groups of NHN Kubernetes Service (NKS) clusters
version_added: 0.1.0
description:
  - Creates a worker node group in an NKS cluster, changes what NKS can change in place, stops and
    starts its nodes on request, and deletes it.
  - The node group is found by O(name) (a name or a node group UUID) in the cluster O(cluster).
  - On an existing node group, a different O(node_count) resizes it (ignored with a warning while its
    autoscaler is on), a different O(flavor_id) changes the instance flavor of its nodes (a rolling
    replacement), a different O(user_script) changes its user script, a different O(autoscale) changes
    its autoscaler, and a O(kube_version) one minor version above the current one upgrades it (never above
    the control plane). Any other difference (O(availability_zone), O(image_id), boot volume, additional
    networks, extra security groups or volumes) is an error listing the fields; the module never deletes
    and re-creates a node group by itself.
  - Options that are not set are left alone on an existing node group; in O(autoscale), keys not given keep
    their current values.
  - NKS accepts only a delete on a node group or cluster in a C(*_FAILED) status; O(state=present) then fails
    before any change, saying so, and O(state=absent) still deletes the node group.
  - C(default-worker), created with the cluster, is managed like any other node group. C(default-master), the
    control plane, cannot be managed here; use M(nhncloud.nks.nks_cluster).
  - Node group operations keep the cluster busy too (C(UPDATE_IN_PROGRESS)). Before it changes anything the
    module waits for an operation already running on the node group or the cluster; with O(wait=true) it
    returns when both the node group and the cluster have settled, so that the next task on the same cluster
    can start at once.
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.wait
  - nhncloud.nks.wait_for
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.ACTIONS
  - nhncloud.nks.worker
options:
  cluster:
    description:
      - Name or UUID of the cluster the node group belongs to.
      - For O(state=present) the cluster must exist; in check mode a missing cluster is a warning (an earlier
        task of the same run may create it) and the task predicts the node group's creation.
      - For O(state=absent), a cluster that does not exist (any more) means there is nothing to delete
        (C(changed=false)).
    type: str
    required: true
  name:
    description:
      - Name of the node group; or, to manage an existing node group, its UUID.
      - Lowercase letters, digits and V(-); starts with a letter, ends with a letter or digit; at most 32 characters.
      - V(default-master) (the control plane) is refused.
    type: str
    required: true
  state:
    description:
      - V(present) creates the node group or brings it to the options given; V(absent) deletes it and waits
        until it is gone.
      - V(absent) is refused, before any request, for the last worker node group of a cluster (NKS answers
        C(Deleting the last nodegroup is not supported.)); delete the cluster instead. C(default-worker) can be
        deleted like any node group while another worker node group exists.
    type: str
    choices: [present, absent]
    default: present
  flavor_id:
    description:
      - UUID of the instance flavor of the nodes. Required to create.
      - On an existing node group, a different value changes the flavor (NKS replaces the nodes one by one,
        see O(num_buffer_nodes) and O(num_max_unavailable_nodes)).
    type: str
  image_id:
    description: UUID of the base image of the nodes. Required to create; cannot change afterwards.
    type: str
  node_count:
    description:
      - Number of nodes. When creating and not set, V(1).
      - On an existing node group, a different value resizes it, unless its autoscaler is on (then the value
        is ignored with a warning, the autoscaler decides).
      - At least 1; the upper bound (10 by default) is a quota NKS enforces.
      - With the autoscaler on, a value outside O(autoscale.min_node_count)..O(autoscale.max_node_count) is
        refused before any request, for a new node group as for an existing one.
    type: int
  nodes_to_remove:
    description:
      - Node instance UUIDs to remove when O(node_count) shrinks the node group. NKS picks the nodes at random
        when not set.
      - At most as many as the node group shrinks by. Ignored with a warning when the node group does not shrink.
    type: list
    elements: str
  availability_zone:
    description: Availability zone of the nodes, for example V(kr2-pub-b). Required to create; cannot change afterwards.
    type: str
  boot_volume_key_id:
    description: Symmetric key ID for an encrypted boot volume (create only).
    type: str
  boot_volume_appkey:
    description: Appkey of the symmetric key for an encrypted boot volume (create only). Never returned.
    type: str
  autoscale:
    description:
      - Autoscaler of the node group. Keys not set are left to NKS (or to the current configuration).
      - When creating and O(autoscale.enabled) is not set, the autoscaler is off.
      - On an existing node group, a difference is applied through the autoscaler API.
    type: dict
  user_script:
    description: User script run on the nodes. On an existing node group, a different script is applied.
    type: str
  kube_version:
    description:
      - Kubernetes version of the node group, for example V(v1.28.3).
      - A new node group always gets the control plane's version; a different value is refused.
      - On an existing node group, a version one minor above the current one upgrades it. It can never go
        above the control plane (upgrade that first with M(nhncloud.nks.nks_cluster)), must be offered by NKS,
        and larger steps are refused.
      - A version older than the current one (the node group was upgraded after its definition was written) is
        a warning naming O(kube_version) to update; nothing is downgraded and the other options still apply.
      - In check mode, a version one minor above the control plane is a warning instead (an earlier task of
        the same run may upgrade the control plane) and the upgrade is predicted.
      - NKS refuses to upgrade a node group with stopped nodes.
    type: str
  num_buffer_nodes:
    description:
      - Buffer nodes NKS adds while it replaces nodes for a O(flavor_id) change or a O(kube_version) upgrade.
      - At least 0; NKS uses 1 when not set. The upper bound is the node quota minus the current node count.
    type: int
  num_max_unavailable_nodes:
    description:
      - Nodes that may be unavailable at once during a O(flavor_id) change or a O(kube_version) upgrade.
      - At least 1 and at most the number of nodes; NKS uses 1 when not set.
    type: int
  additional_network_ids:
    description: UUIDs of additional VPC networks for the nodes (create only).
    type: list
    elements: str
  additional_subnet_ids:
    description: UUIDs of additional VPC subnets for the nodes (create only).
    type: list
    elements: str
  extra_security_groups:
    description:
      - Additional security groups of the nodes, by subnet (create only).
      - A difference on an existing node group is refused only when NKS reports the node group's
        security groups (Get a Node Group does not list them in the guide).
    type: list
    elements: dict
  extra_volumes:
    description:
      - Additional block storage volumes of the nodes (create only).
      - A difference on an existing node group is refused only when NKS reports the node group's
        volumes (Get a Node Group does not list them in the guide).
    type: list
    elements: dict
  label_existing_nodes:
    description:
      - Also put O(node_labels) on the node group's existing nodes, through the cluster's Kubernetes API
        (its kubeconfig from NKS; a merge patch of each node's labels that differs, labels dropped from
        O(node_labels) are removed). NKS itself labels only nodes created afterwards.
      - The controller must reach the cluster's API endpoint (IP access control). Check mode reads the nodes
        and predicts. RV(labelled_nodes) names the nodes labelled.
    type: bool
    default: false
    version_added: 0.1.0
  node_action:
    description:
      - Stop or start the nodes listed in O(node_ids) (guide operations "Stop a Node Group" and "Start a Node").
      - This is an action, not a state. It is sent every time the task runs and the task always reports
        C(changed); in check mode nothing is sent and the task predicts C(changed).
      - Runs after the node group has been created or brought to the other options. Not with O(state=absent).
    type: str
    choices: [stop, start]
  node_ids:
    description: Node instance UUIDs for O(node_action). Required with O(node_action).
    type: list
    elements: str
notes:
  - NKS has no API to read the node instance UUIDs that O(nodes_to_remove) and O(node_ids) take; find them in the
    NHN Cloud console or the Compute API.
seealso:
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_info
"""

EXAMPLES = r"""
- name: Create a node group (the guide's example)
  nhncloud.nks.nks_nodegroup:
    cluster: test-k8s
    name: added-nodegroup
    node_count: 1
    flavor_id: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
    image_id: f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc
    availability_zone: kr2-pub-b
    boot_volume_type: General HDD
    boot_volume_size: 20

- name: Grow it to 3 nodes
  nhncloud.nks.nks_nodegroup:
    cluster: test-k8s
    name: added-nodegroup
    node_count: 3

- name: Shrink it to 1 node, choosing the nodes that go
  nhncloud.nks.nks_nodegroup:
    cluster: test-k8s
    name: added-nodegroup
    node_count: 1
    nodes_to_remove:
      - 593e4aee-697f-4808-aa5b-d3c8703795ff
      - ce2e2d2a-ddf5-41da-a338-72e7f5237088

- name: Change the flavor, one node at a time with one buffer node
  nhncloud.nks.nks_nodegroup:
    cluster: test-k8s
    name: added-nodegroup
    flavor_id: 1d0d6983-8e9d-44dc-810e-d7689afa372c
    num_buffer_nodes: 1
    num_max_unavailable_nodes: 1

- name: Let the autoscaler decide between 1 and 5 nodes
  nhncloud.nks.nks_nodegroup:
    cluster: test-k8s
    name: added-nodegroup
    autoscale:
      enabled: true
      min_node_count: 1
      max_node_count: 5

- name: Upgrade the control plane, then the node groups
  block:
    - name: Control plane first
      nhncloud.nks.nks_cluster:
        name: test-k8s
        kube_version: v1.29.3
    - name: Then each worker node group
      nhncloud.nks.nks_nodegroup:
        cluster: test-k8s
        name: "{{ item }}"
        kube_version: v1.29.3
      loop: [default-worker, added-nodegroup]

- name: Stop two nodes (runs every time)
  nhncloud.nks.nks_nodegroup:
    cluster: test-k8s
    name: added-nodegroup
    node_action: stop
    node_ids:
      - bdaa560c-7a30-4249-9438-2df27fa1e9d3
      - 68ff49ee-4111-4212-8e9e-88835cb0ebaa

- name: Delete the node group
  nhncloud.nks.nks_nodegroup:
    cluster: test-k8s
    name: added-nodegroup
    state: absent
"""

RETURN = r"""
nodegroup:
  description:
    - The node group after the task (the prediction in check mode), in the module's option names and types.
    - For O(state=absent), the node group as it was before deletion (empty when it did not exist).
  returned: always
  type: dict
  contains:
    uuid:
      description: Node group UUID (V(null) in check mode before creation).
      type: str
      sample: a3366f2f-a1f3-45ef-8390-10536e8060ff
    name:
      description: Node group name.
      type: str
      sample: added-nodegroup
    cluster_id:
      description: UUID of the cluster.
      type: str
      sample: 96742ac4-02e7-4b1d-a242-02876c0bd3f8
    status:
      description: Node group status, for example V(CREATE_COMPLETE) or V(UPDATE_COMPLETE).
      type: str
      sample: CREATE_COMPLETE
    status_reason:
      description: Why the node group has its status (may be V(null)).
      type: str
    role:
      description: Node group role (V(worker)).
      type: str
      sample: worker
    is_default:
      description: The API's C(is_default) flag, as NKS reports it (its examples show V(false) for C(default-worker)).
      type: bool
    flavor_id:
      description: Flavor UUID of the nodes.
      type: str
    image_id:
      description: Base image UUID of the nodes.
      type: str
    node_count:
      description: Number of nodes.
      type: int
      sample: 1
    min_node_count:
      description: Smallest node count NKS allows for the node group.
      type: int
    max_node_count:
      description: Largest node count NKS allows for the node group.
      type: int
    node_addresses:
      description: IP addresses of the nodes.
      type: list
      elements: str
    kube_version:
      description: Kubernetes version of the node group.
      type: str
      sample: v1.28.3
    kube_version_status:
      description: V(LATEST), or V(NEED_UPGRADE) when NKS offers a newer version.
      type: str
    availability_zone:
      description: Availability zone of the nodes.
      type: str
    boot_volume_type:
      description: Block storage type of the boot volumes.
      type: str
    boot_volume_size:
      description: Boot volume size in GB.
      type: int
    user_script:
      description: User script of the nodes.
      type: str
    additional_network_ids:
      description: Additional VPC network UUIDs.
      type: list
      elements: str
    additional_subnet_ids:
      description: Additional VPC subnet UUIDs.
      type: list
      elements: str
    autoscale:
      description: Autoscaler settings, in the keys of O(autoscale).
      type: dict
    node_labels:
      description: Kubernetes labels NKS puts on new nodes (V({}) when none).
      type: dict
    floating_ip:
      description: Floating IP auto-assignment, in the keys of O(floating_ip) (empty when NKS reports none).
      type: dict
    metric_autoscale:
      description: Metric-based autoscaler, in the keys of O(metric_autoscale) (empty when NKS reports none).
      type: dict
    platform_version:
      description: NKS platform version of the node group (guide 2026-03; V(null) when not reported).
      type: str
    labels:
      description: The node group's labels as the API gives them (appkeys masked).
      type: dict
labelled_nodes:
  description: With O(label_existing_nodes), the existing nodes whose labels were changed (would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: [test-k8s-added-nodegroup-node-0]
diff:
  description: Before and after the task, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The node group before (empty when it did not exist).
      type: dict
    after:
      description: The node group after, or as predicted in check mode (empty when deleted).
      type: dict
"""

import difflib

from ansible_collections.nhncloud.nks.plugins.module_utils import _autoscale, _worker
from ansible_collections.nhncloud.nks.plugins.module_utils._drift import behind_definition
from ansible_collections.nhncloud.nks.plugins.module_utils._kube_nodes import label_existing_nodes
from ansible_collections.nhncloud.nks.plugins.module_utils._api import (
    CONTROL_PLANE, DEFAULT_NODEGROUPS, DEFAULT_WORKER)
from ansible_collections.nhncloud.nks.plugins.module_utils._compare import differences, refuse
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (
    DELETE_CLUSTER, Change, NksOperationFailed, Resource, StateMachine, Waiter, api_status, failed,
    in_progress, raise_failed, status_of)
from ansible_collections.nhncloud.nks.plugins.module_utils._kube import wait_after_converge, wait_for_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._labels import (
    NODEGROUP_LABELS, autoscale_from_api, to_labels)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import NksModule
from ansible_collections.nhncloud.nks.plugins.module_utils._specs import (
    autoscale_spec, extra_security_groups_spec, extra_volumes_spec, worker_settings_spec)
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    ValidationError, check_name, check_supported_version, check_upgrade_step, check_worker_options,
    is_uuid, normalize_version, parse_version, precondition_unmet)
from ansible_collections.nhncloud.nks.plugins.module_utils._views import nodegroup_view

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
        return "cluster %r" % self.name

    def failed_advice(self, obj):
        return DELETE_CLUSTER


class NksNodegroupResource(Resource):
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
        ng = self.api.get_nodegroup(self.cluster_uuid, obj.get("uuid") or self.params["name"])
        if ng is None or in_progress(ng) or failed(ng):
            return ng  # its own status decides: the cluster need not be read
        return _WithCluster(ng, self._get_cluster())

    def view(self, obj):
        return nodegroup_view(obj)

    def control_plane_version(self):
        """Kubernetes version of the control plane (cluster ``labels.kube_tag``); ``None`` when unknown."""
        return (self.cluster.get("labels") or {}).get("kube_tag")

    # -- create ---------------------------------------------------------------

    def typed_options(self):
        """The typed label options the user set (``None`` = not set)."""
        return dict((row[0], self.params.get(row[0])) for row in CREATE_LABELS)

    def validate_create(self):
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
        self.wait_cluster_idle()
        return self.api.create_nodegroup(self.cluster_uuid, self.create_body())

    def predict_create(self):
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
        current = self.view(obj)
        self._refuse_immutable_changes(current)
        changes = []
        autoscale_change, autoscale_on = self._plan_autoscale(obj, current)
        self._autoscale_after = self._autoscale_merged
        if autoscale_change is not None:
            changes.append(autoscale_change)
        resize = self._plan_resize(current, autoscale_on)
        if resize is not None:
            changes.append(resize)
        count_then = resize.after if resize is not None else current["node_count"]
        for change in (self._plan_flavor(current, count_then), self._plan_user_script(current),
                       self._plan_upgrade(current, count_then)):
            if change is not None:
                changes.append(change)
        changes.extend(_worker.plan(self.api, self.cluster_uuid, obj["uuid"], obj.get("labels"), self.params))
        return changes

    def _plan_autoscale(self, obj, current):
        """The autoscaler Change (or ``None``) and whether the autoscaler will be on."""
        p = self.params
        self._autoscale_merged = current["autoscale"]
        if p["autoscale"] is None:
            return None, current["autoscale"].get("enabled")
        have = autoscale_from_api(self.api.get_autoscale(self.cluster_uuid, obj["uuid"]))
        merged, body = _autoscale.plan(have, p["autoscale"], "autoscale")
        self._autoscale_merged = merged
        if body is None:
            return None, merged.get("enabled")
        change = Change("autoscale", have, merged,
                        lambda o: self.api.set_autoscale(self.cluster_uuid, o["uuid"], body))
        return change, merged.get("enabled")

    def _plan_resize(self, current, autoscale_on):
        p = self.params
        want, remove = p["node_count"], p["nodes_to_remove"]
        have = current["node_count"] or 0
        if want is None:
            return None  # nodes_to_remove without node_count: warned in validate_input
        if want != have:
            _autoscale.check_node_count(want, self._autoscale_after, self.describe())
        if want == have:
            if remove:
                self.mod.warn("nodes_to_remove ignored: node_count does not shrink %s (it has %d"
                              " nodes)" % (self.describe(), have))
            return None
        if autoscale_on:
            self.mod.warn("node_count %d ignored: the autoscaler of %s is on and decides the number"
                          " of nodes (currently %d)" % (want, self.describe(), have))
            return None
        if want > have:
            if remove:
                self.mod.warn("nodes_to_remove ignored: node_count %d grows %s (it has %d nodes)"
                              % (want, self.describe(), have))
            remove = None
        elif remove and len(set(remove)) > have - want:
            raise ValidationError("nodes_to_remove", "lists %d nodes, but shrinking from %d to %d"
                                                     " removes %d" % (len(set(remove)), have, want,
                                                                      have - want))
        return Change("node_count", have, want,
                      lambda o: self.api.resize(self.cluster_uuid, o["uuid"], want, remove))

    def _check_rolling(self, count):
        """Bounds of num_max_unavailable_nodes that depend on the node count (guide)."""
        limit = self.params["num_max_unavailable_nodes"]
        if limit is not None and count and limit > count:
            raise ValidationError("num_max_unavailable_nodes", "must be at most the number of nodes"
                                                               " of the node group (%d), got %d"
                                  % (count, limit))

    def _plan_flavor(self, current, count):
        p = self.params
        if p["flavor_id"] is None or p["flavor_id"] == current.get("flavor_id"):
            return None
        self._check_rolling(count)
        return Change("flavor_id", current.get("flavor_id"), p["flavor_id"],
                      lambda o: self.api.change_flavor(self.cluster_uuid, o["uuid"], p["flavor_id"],
                                                       p["num_buffer_nodes"],
                                                       p["num_max_unavailable_nodes"]))

    def _plan_user_script(self, current):
        p = self.params
        have = current.get("user_script") or ""
        if p["user_script"] is None or p["user_script"] == have:
            return None
        return Change("user_script", have, p["user_script"],
                      lambda o: self.api.set_userscript(self.cluster_uuid, o["uuid"], p["user_script"]))

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
        self._check_rolling(count)
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


def main():
    NksNodegroup()()


if __name__ == "__main__":
    main()
