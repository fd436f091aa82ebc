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
"""
