# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The worker node options ``nks_cluster`` (for ``default-worker``) and ``nks_nodegroup`` share.

Their argument specs come from ``plugins/module_utils/_specs.py``; this fragment documents them once.
A module that describes an option in its own words keeps its ``description`` (Ansible merges a
fragment's option under the module's, key by key), the suboptions come from here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Worker node options of ``nks_cluster`` and ``nks_nodegroup`` (``nhncloud.nks.worker``)."""

    DOCUMENTATION = r"""
options:
  boot_volume_type:
    description: Block storage type of the node boot volumes, for example V(General HDD). Required to create.
    type: str
  boot_volume_size:
    description: Size of the node boot volumes in GB. Required to create.
    type: int
  extra_security_groups:
    type: list
    elements: dict
    suboptions:
      target_subnet:
        description: UUID of the subnet the security groups apply to.
        type: str
        required: true
      security_group_ids:
        description: UUIDs of the security groups.
        type: list
        elements: str
        required: true
  extra_volumes:
    type: list
    elements: dict
    suboptions:
      volume_type:
        description: Block storage type.
        type: str
        required: true
      volume_size:
        description: Size in GB.
        type: int
        required: true
      volume_key_id:
        description: Symmetric key ID for an encrypted volume.
        type: str
      volume_appkey:
        description: Appkey of the symmetric key. Never returned.
        type: str
      volume_mount_path:
        description: Where the volume is mounted.
        type: str
  autoscale:
    type: dict
    suboptions:
      enabled:
        description: Turn the autoscaler on or off.
        type: bool
      min_node_count:
        description: Fewest nodes (1 to 10).
        type: int
      max_node_count:
        description: Most nodes (1 to 10, at least O(autoscale.min_node_count)).
        type: int
      scale_down_enabled:
        description: Allow the autoscaler to remove nodes.
        type: bool
      scale_down_unneeded_time:
        description: Minutes a node must be unneeded before it is removed.
        type: int
      scale_down_util_thresh:
        description: Utilisation (percent) under which a node counts as unneeded.
        type: int
      scale_down_delay_after_add:
        description: Minutes after a scale-up before scale-down is considered again.
        type: int
  node_labels:
    description:
      - Kubernetes labels of the nodes (guide 2026-03, "Change Kubernetes Label Configuration of a Node
        Group"; create label C(k8s_node_labels)). At most 20; keys and values follow the user guide's
        "Kubernetes Label Settings" (prefixes C(kubernetes.io), C(k8s.io), C(magnum.openstack.org) are
        reserved). Checked before any request.
      - The whole set. On an existing node group, a different set replaces the configuration.
      - NKS puts the labels only on nodes it creates afterwards (M(nhncloud.nks.nks_nodegroup) can label the
        existing nodes too, see O(nhncloud.nks.nks_nodegroup#module:label_existing_nodes)).
      - Values are strings; quote V(true)/V(false) and numbers in YAML.
    type: dict
    version_added: 0.1.0
  floating_ip:
    description:
      - Floating IP auto-assignment of the nodes (guide 2026-03, "Change Floating IP Auto-assignment
        Configuration of a Node Group", type C(fip_auto_bind); create labels C(fip_auto_bind_enable),
        C(fip_bind_subnet), C(fip_selector)). NKS assigns floating IPs created beforehand to nodes it creates
        afterwards; existing nodes keep theirs.
      - On an existing node group, keys not given keep their current values.
    type: dict
    version_added: 0.1.0
    suboptions:
      enabled:
        description: Assign floating IPs to new nodes.
        type: bool
        required: true
      subnet:
        description:
          - UUID of the subnet whose interface gets the floating IP (the cluster's subnet or an additional
            subnet of the node group). Required when O(floating_ip.enabled=true).
        type: str
      selector:
        description: Identifier selecting the floating IPs to assign; all floating IPs when not set.
        type: str
  metric_autoscale:
    description:
      - Metric-based autoscaler (guide 2026-03, "Change Metric-Based Autoscaler Configuration of a Node Group",
        type C(metric_base_autoscale); create labels C(mba_scale_out), C(mba_scale_in)), based on Cloud
        Monitoring metrics. Scale-out and scale-in are set independently.
      - On an existing node group, a policy not given is left alone; in a policy, keys not given keep their
        current values.
    type: dict
    version_added: 0.1.0
    suboptions:
      scale_out:
        description: Scale-out policy.
        type: dict
        suboptions:
          enabled: {description: Turn scale-out on or off., type: bool, required: true}
          max_node_count: {description: Most nodes (1 to 10)., type: int}
          rules_operator: {description: How the rules combine., type: str, choices: [AND, OR]}
          delay: {description: Minutes to wait after a scaling before the next (1 to 60)., type: int}
          adjustment_count: {description: Nodes added at a time (1 to 10)., type: int}
          rules:
            description: Rules; at least one when enabled.
            type: list
            elements: dict
            suboptions:
              metric:
                description: The metric.
                type: str
                required: true
                choices: [GROUP_CPU_USAGE, GROUP_MEMORY_USAGE, GROUP_DISK_READ_BYTES, GROUP_DISK_WRITE_BYTES,
                          GROUP_NETWORK_SENT_BYTES, GROUP_NETWORK_RECV_BYTES]
              threshold: {description: Threshold of the metric., type: int, required: true}
              duration: {description: Minutes the condition must last (2 to 60)., type: int, required: true}
      scale_in:
        description: Scale-in policy.
        type: dict
        suboptions:
          enabled: {description: Turn scale-in on or off., type: bool, required: true}
          min_node_count: {description: Fewest nodes (1 to 10)., type: int}
          rules_operator: {description: How the rules combine., type: str, choices: [AND, OR]}
          delay: {description: Minutes to wait after a scaling before the next (1 to 60)., type: int}
          adjustment_count: {description: Nodes removed at a time (1 to 10)., type: int}
          rules:
            description: Rules; at least one when enabled.
            type: list
            elements: dict
            suboptions:
              metric:
                description: The metric.
                type: str
                required: true
                choices: [GROUP_CPU_USAGE, GROUP_MEMORY_USAGE, GROUP_DISK_READ_BYTES, GROUP_DISK_WRITE_BYTES,
                          GROUP_NETWORK_SENT_BYTES, GROUP_NETWORK_RECV_BYTES]
              threshold: {description: Threshold of the metric., type: int, required: true}
              duration: {description: Minutes the condition must last (2 to 60)., type: int, required: true}
"""
