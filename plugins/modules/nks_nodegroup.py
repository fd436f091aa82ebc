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
    before any change, saying so, and O(state=absent) still deletes the node group. Except a new
    O(kube_version) upgrade, and nothing else, of a node group left C(UPDATE_FAILED) by an upgrade, which NKS
    accepts (user guide 2026-03) and the module sends.
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

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.nodegroup import NksNodegroup


def main():
    NksNodegroup.main()


if __name__ == "__main__":
    main()
