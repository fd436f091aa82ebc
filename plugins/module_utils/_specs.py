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


def node_labels_spec():
    """``node_labels``: Kubernetes labels of the nodes (Change Kubernetes Label Configuration, label
    ``k8s_node_labels``); at most 20, checked by ``_worker.validate``."""
    return dict(type="dict")


def floating_ip_spec():
    """Suboptions of ``floating_ip`` (keys of ``_labels.FLOATING_IP_LABELS``: ``fip_*`` labels,
    ``fip_auto_bind_update_info``)."""
    return dict(
        enabled=dict(type="bool", required=True),
        subnet=dict(type="str"),
        selector=dict(type="str"),
    )


def mba_rule_spec():
    """Suboptions of one rule of ``metric_autoscale.scale_out.rules`` / ``scale_in.rules``."""
    return dict(
        metric=dict(type="str", required=True,
                    choices=["GROUP_CPU_USAGE", "GROUP_MEMORY_USAGE", "GROUP_DISK_READ_BYTES",
                             "GROUP_DISK_WRITE_BYTES", "GROUP_NETWORK_SENT_BYTES",
                             "GROUP_NETWORK_RECV_BYTES"]),
        threshold=dict(type="int", required=True),
        duration=dict(type="int", required=True),
    )


def _mba_policy_spec(bound):
    return dict(
        enabled=dict(type="bool", required=True),
        rules_operator=dict(type="str", choices=["AND", "OR"]),
        delay=dict(type="int"),
        adjustment_count=dict(type="int"),
        rules=dict(type="list", elements="dict", options=mba_rule_spec()),
        **{bound: dict(type="int")}
    )


def metric_autoscale_spec():
    """Suboptions of ``metric_autoscale`` (``_labels.METRIC_AUTOSCALE_LABELS``: ``mba_scale_out``,
    ``mba_scale_in``)."""
    return dict(
        scale_out=dict(type="dict", options=_mba_policy_spec("max_node_count")),
        scale_in=dict(type="dict", options=_mba_policy_spec("min_node_count")),
    )


def control_plane_log_spec():
    """Suboptions of ``control_plane_log`` of ``nks_cluster`` (``_labels.CONTROL_PLANE_LOG_KEYS``);
    ``lncs_appkey`` is ``no_log``."""
    return dict(
        enabled=dict(type="bool", required=True),
        type=dict(type="str", choices=["lncs", "obs"]),
        sgw=dict(type="str"),
        upload_interval=dict(type="int"),
        lncs_appkey=dict(type="str", no_log=True),
        obs_api_url=dict(type="str"),
        obs_store_as=dict(type="str", choices=["gzip", "text"]),
    )


def worker_settings_spec():
    """The 2026-03 worker settings both modules take: ``node_labels``, ``floating_ip``,
    ``metric_autoscale`` (argument spec entries, fresh dicts)."""
    return dict(
        node_labels=node_labels_spec(),
        floating_ip=dict(type="dict", options=floating_ip_spec()),
        metric_autoscale=dict(type="dict", options=metric_autoscale_spec()),
    )
