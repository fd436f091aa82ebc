"""The store's data: the constants of stored resources and the shape of a fresh state.

The state is one JSON-serialisable dict (see :func:`fresh_state`); clusters hold
their node groups, nodes, events and IP ACL.  Timestamps are epoch seconds.
"""

from __future__ import annotations

import datetime
from typing import Optional

from ..config import SimConfig

MASTER = "default-master"
WORKER = "default-worker"
STATE_VERSION = 1

#: Labels documented in the guide's responses that are always present (as strings).
CLUSTER_LABEL_DEFAULTS = {
    "availability_zone": "",
    "node_image": "",
    "external_network_id": "",
    "external_subnet_id_list": "",
    "cert_manager_api": "True",
    "master_lb_floating_ip_enabled": "False",
    "strict_sg_rules": "False",
    "additional_network_id_list": "",
    "additional_subnet_id_list": "",
    "cni_driver": "calico",
    "ncr_sgw": "",
    "obs_sgw": "",
    "clusterautoscale": "nodegroupfeature",
    "etcd_volume_size": "10",
    "flavor_type": "core",
    "hypervisor_type": "qemu",
    "login_username": "centos",
    "os_arch": "amd64",
    "os_distro": "CentOS",
    "os_type": "linux",
    "os_version": "7.8",
    "project_domain": "NORMAL",
}
NODEGROUP_LABEL_KEYS = [
    "availability_zone", "node_image", "boot_volume_type", "boot_volume_size", "boot_volume_key_id",
    "boot_volume_appkey", "external_network_id", "external_subnet_id_list", "cert_manager_api",
    "ca_enable", "ca_max_node_count", "ca_min_node_count", "ca_scale_down_enable",
    "ca_scale_down_unneeded_time", "ca_scale_down_util_thresh", "ca_scale_down_delay_after_add",
    "kube_tag", "user_script", "user_script_v2", "additional_network_id_list",
    "additional_subnet_id_list", "strict_sg_rules", "master_lb_floating_ip_enabled",
]
AUTOSCALE_DEFAULTS = {
    "ca_enable": "False",
    "ca_max_node_count": "10",
    "ca_min_node_count": "1",
    "ca_scale_down_enable": "True",
    "ca_scale_down_unneeded_time": "10",
    "ca_scale_down_util_thresh": "50",
    "ca_scale_down_delay_after_add": "10",
}
CA_IMAGE = "k8s.gcr.io/autoscaling/cluster-autoscaler:v1.19.0"
CNI_DRIVERS = ("calico", "calico-ebpf")
#: Only clusters created before 2023-03-31 run Flannel (seeded via ``POST /_sim/clusters/legacy``).
LEGACY_CNI_DRIVERS = ("flannel", "calico", "calico-ebpf")
LEGACY_BEFORE = datetime.datetime(2023, 3, 31, tzinfo=datetime.timezone.utc).timestamp()
#: "Create a Cluster": UUID-typed labels and colon-separated UUID-list labels.
UUID_LABELS = ("external_network_id", "ncr_sgw", "obs_sgw")
UUID_LIST_LABELS = ("external_subnet_id_list", "additional_network_id_list", "additional_subnet_id_list")


def fresh_state(config: SimConfig) -> dict:
    """An empty store, with the config's fail-next rules armed."""
    return {
        "version": STATE_VERSION,
        "clusters": {},
        "tokens": {},
        "operations": [],
        "fail_next": [rule.model_dump() for rule in config.fail_next],
        "counters": {"event_id": 0, "nodegroup_id": 0},
    }


def in_progress(status: Optional[str]) -> bool:
    """True for a ``*_IN_PROGRESS`` status (an operation runs)."""
    return bool(status) and status.endswith("_IN_PROGRESS")


def iso(epoch: Optional[float]) -> Optional[str]:
    """Guide timestamp format, e.g. ``2021-08-05T01:48:39+00:00``."""
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat(timespec="seconds")


def years_later(epoch: float, years: int) -> str:
    """``labels.certificate_expiry``: ``epoch`` plus ``years`` calendar years, guide format."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).replace(microsecond=0)
    try:
        later = moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        later = moment.replace(year=moment.year + years, day=28)
    return later.isoformat()
