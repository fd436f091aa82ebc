# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument spec shapes shared by the modules that create worker nodes.

``nks_cluster`` (for ``default-worker``) and ``nks_nodegroup`` take the same
``autoscale``, ``extra_security_groups`` and ``extra_volumes`` options; the
shapes live here so that both modules accept exactly the same input. Each
function returns a fresh ``dict`` (AnsibleModule may mutate specs). No Ansible
imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def autoscale_spec():
    """Suboptions of ``autoscale`` (keys of ``_labels.AUTOSCALE_LABELS``)."""
    return dict(
        enabled=dict(type="bool"),
        min_node_count=dict(type="int"),
        max_node_count=dict(type="int"),
        scale_down_enabled=dict(type="bool"),
        scale_down_unneeded_time=dict(type="int"),
        scale_down_util_thresh=dict(type="int"),
        scale_down_delay_after_add=dict(type="int"),
    )


def extra_security_groups_spec():
    """Suboptions of ``extra_security_groups`` (label ``extra_security_groups``)."""
    return dict(
        target_subnet=dict(type="str", required=True),
        security_group_ids=dict(type="list", elements="str", required=True),
    )


def extra_volumes_spec():
    """Suboptions of ``extra_volumes`` (label ``extra_volumes``); ``volume_appkey`` is ``no_log``."""
    return dict(
        volume_type=dict(type="str", required=True),
        volume_size=dict(type="int", required=True),
        volume_key_id=dict(type="str", no_log=False),
        volume_appkey=dict(type="str", no_log=True),
        volume_mount_path=dict(type="str"),
    )
