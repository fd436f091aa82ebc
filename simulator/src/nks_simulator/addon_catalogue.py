"""The add-on catalogue: the add-on types and the add-ons NHN Cloud offers (API guide 2026-03,
"Add-on Management"), as data.

* :data:`ADDON_TYPES`: View a List of Add-ons Types Offered by NHN Cloud; ``cni`` and ``kube-dns``
  are mandatory (user guide "Add-on types": Required O); the UUIDs of ``cni`` and ``kube-dns`` are
  the guide's example values, the others are the simulator's.
* :data:`ADDONS`: View a List of Add-ons Offered by NHN Cloud, one entry per (name, version): the
  versions of the user guide's "Add-on list" up to the release notes of 2026-03-10 (calico
  v3.30.2-nks2, coredns 1.8.4-nks2, metrics_server v0.4.4-nks2, cinder_csi_plugin v1.27.102-nks3,
  snapshot_controller v4.1.1-nks2, nfs_csi_plugin v1.0.1-nks2).  Names are spelled as the release
  notes spell them (``metrics_server``, ``cinder_csi_plugin``...; ``calico`` and ``coredns`` as the
  guide's examples); types as the user guide's type table.  ``calico v3.28.2-nks1`` and ``coredns
  1.8.4-nks1`` are the guide's examples (UUIDs, option schema, ``k8s_min_version`` v1.26.0); the
  ``k8s_min_version`` of calico v3.30.x (v1.29.0) follows the release notes (v3.30.2 arrived with
  the platform version compatible with v1.29-v1.33); every ``k8s_max_version`` is null as in the
  guide's examples.
* :data:`DEFAULT_ADDONS`: what a new cluster gets when its create request names no ``addons``.
"""

from __future__ import annotations

from typing import Dict, List, Optional

#: ``{uuid, name, mandatory}``, in the user guide's order.
ADDON_TYPES: List[dict] = [
    {"uuid": "123e4567-e89b-12d3-a456-426614174001", "name": "cni", "mandatory": True},
    {"uuid": "123e4567-e89b-12d3-a456-426614174003", "name": "kube-dns", "mandatory": True},
    {"uuid": "123e4567-e89b-12d3-a456-426614174004", "name": "cinder-csi-plugin", "mandatory": False},
    {"uuid": "123e4567-e89b-12d3-a456-426614174005", "name": "metrics-server", "mandatory": False},
    {"uuid": "123e4567-e89b-12d3-a456-426614174006", "name": "snapshot-controller", "mandatory": False},
    {"uuid": "123e4567-e89b-12d3-a456-426614174007", "name": "nfs-csi-plugin", "mandatory": False},
]

_CALICO_OPTIONS = [{"name": "mode", "data_type": "SELECT", "default": "vxlan", "updatable": False,
                    "mandatory": False, "choices": ["vxlan", "ebpf"]}]
_DESCRIPTIONS = {
    "calico": "Calico is a CNI plugin for Kubernetes that provides networking and network security.",
    "coredns": "CoreDNS is the default DNS server for Kubernetes clusters.",
    "cinder_csi_plugin": "The Cinder CSI Plugin is a CSI driver that allows you to provision and manage block "
                         "storage in NHN Cloud.",
    "metrics_server": "Metrics Server is a Kubernetes component that collects resource usage metrics from nodes "
                      "and pods for autoscaling and monitoring.",
    "snapshot_controller": "The Snapshot Controller is a Kubernetes component that manages the lifecycle of volume "
                           "snapshots, including creating, deleting, and linking PVCs.",
    "nfs_csi_plugin": "The NFS CSI Plugin is a CSI driver that allows you to provision and manage NFS on NHN "
                      "Cloud.",
}
_TYPES = {"calico": "cni", "coredns": "kube-dns", "cinder_csi_plugin": "cinder-csi-plugin",
          "metrics_server": "metrics-server", "snapshot_controller": "snapshot-controller",
          "nfs_csi_plugin": "nfs-csi-plugin"}


def _addon(uuid_tail: str, name: str, version: str, k8s_min: str = "v1.26.0", k8s_max: Optional[str] = None,
           options: Optional[list] = None) -> dict:
    return {"uuid": f"23454567-1234-12d3-a456-4266141740{uuid_tail}", "type": _TYPES[name], "version": version,
            "name": name, "option_schemas": list(options or []), "k8s_min_version": k8s_min,
            "k8s_max_version": k8s_max, "description": _DESCRIPTIONS[name]}


#: The offered add-ons, oldest version first within each name.
ADDONS: List[dict] = [
    _addon("01", "calico", "v3.28.2-nks1", options=_CALICO_OPTIONS),
    _addon("02", "calico", "v3.28.2-nks2", options=_CALICO_OPTIONS),
    _addon("03", "calico", "v3.30.2-nks1", k8s_min="v1.29.0", options=_CALICO_OPTIONS),
    _addon("04", "calico", "v3.30.2-nks2", k8s_min="v1.29.0", options=_CALICO_OPTIONS),
    _addon("05", "coredns", "1.8.4-nks1"),
    _addon("06", "coredns", "1.8.4-nks2"),
    _addon("11", "cinder_csi_plugin", "v1.27.101-nks1"),
    _addon("12", "cinder_csi_plugin", "v1.27.101-nks2"),
    _addon("13", "cinder_csi_plugin", "v1.27.102-nks1"),
    _addon("14", "cinder_csi_plugin", "v1.27.102-nks2"),
    _addon("15", "cinder_csi_plugin", "v1.27.102-nks3"),
    _addon("21", "metrics_server", "v0.4.4-nks1"),
    _addon("22", "metrics_server", "v0.4.4-nks2"),
    _addon("31", "snapshot_controller", "v4.1.1-nks1"),
    _addon("32", "snapshot_controller", "v4.1.1-nks2"),
    _addon("41", "nfs_csi_plugin", "v1.0.1-nks1"),
    _addon("42", "nfs_csi_plugin", "v1.0.1-nks2"),
]

#: A new cluster's add-ons when its create request has no ``addons``: the mandatory types'
#: add-ons (calico with its default mode, coredns), each at its newest version the cluster's
#: Kubernetes version supports.
DEFAULT_ADDONS: List[str] = ["calico", "coredns"]


def addon_type(ident: str) -> Optional[dict]:
    """The add-on type of UUID or name ``ident``, or None."""
    return next((t for t in ADDON_TYPES if ident in (t["uuid"], t["name"])), None)


def offered(uuid: str) -> Optional[dict]:
    """The offered add-on of UUID ``uuid``, or None."""
    return next((a for a in ADDONS if a["uuid"] == uuid), None)


def versions_of(name: str) -> List[dict]:
    """The offered versions of the add-on ``name``, oldest first (empty when unknown)."""
    return [a for a in ADDONS if a["name"] == name]


def find(name: str, version: str) -> Optional[dict]:
    """The offered add-on ``name`` at ``version``, or None."""
    return next((a for a in ADDONS if a["name"] == name and a["version"] == version), None)


def is_mandatory(type_name: str) -> bool:
    """True when the add-on type ``type_name`` is mandatory (cannot be removed)."""
    found = addon_type(type_name)
    return bool(found and found["mandatory"])


def defaults(options: List[dict]) -> Dict[str, str]:
    """The default options of an option schema list (``{name: default}``)."""
    return {o["name"]: o["default"] for o in options if o.get("default") is not None}
