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

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.autoscale import NksAutoscale


def main():
    NksAutoscale.main()


if __name__ == "__main__":
    main()
