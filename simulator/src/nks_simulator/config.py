"""Simulator configuration: defaults, timing profiles, YAML loading.

Everything the simulator can be told (CLI flags, the ``--config`` YAML file,
``PATCH /_sim/config``) ends up in one :class:`SimConfig` object.
"""

from __future__ import annotations

from typing import Dict, List, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .region_catalogue import DEFAULT_FLAVORS

#: ``/v1/supports`` example of the Korean guide ("지원되는 Kubernetes 버전 및 작업 종류 보기").
DEFAULT_SUPPORTED_VERSIONS: Dict[str, bool] = {
    "v1.17.6": False,
    "v1.18.19": False,
    "v1.19.13": False,
    "v1.20.12": False,
    "v1.21.6": False,
    "v1.22.3": False,
    "v1.23.3": False,
    "v1.24.3": False,
    "v1.25.4": False,
    "v1.26.3": True,
    "v1.27.3": True,
    "v1.28.3": True,
    "v1.29.3": True,
}

#: Event (task) types of ``/v1/supports`` plus the simulator's additions.
CLUSTER_EVENTS: Dict[str, str] = {
    "CLUSTER_CREATE": "Create a cluster",
    "CLUSTER_DELETE": "Delete a cluster",
    "CLUSTER_HANDOVER": "Cluster OWNER change",
    "CLUSTER_CNI_UPDATE": "Change CNI",
    # Add-on Management (2026-03 guide, /v1/supports example)
    "CLUSTER_INSTALL_ADDON": "Install Addon",
    "CLUSTER_UNINSTALL_ADDON": "Uninstall Addon",
    "CLUSTER_UPDATE_ADDON": "Update Addon",
    # simulator additions: the guide has no event type for these operations
    "CLUSTER_CERTIFICATE_RENEW": "Renew cluster certificate (simulator addition)",
    "CLUSTER_SGW_UPDATE": "Change service gateway (simulator addition)",
    # 2026-03 guide ("api_guide: 2026-03" only)
    "CLUSTER_UPDATE_CONTROL_PLANE_LOG": "Update control plane log collection",
}
NODEGROUP_EVENTS: Dict[str, str] = {
    "NODEGROUP_CREATE": "Node group creation",
    "NODEGROUP_DELETE": "Delete a node group",
    "CLUSTER_RESIZE": "Resize the cluster",
    "NODEGROUP_UPDATE_FLAVOR": "Change instance type",
    "NODEGROUP_UPGRADE": "Upgrade a node group",
    "NODEGROUP_USERSCRIPT_UPDATE": "Change userscript",
    "NODEGROUP_SET_CLUSTER_AUTOSCALER": "Change Auto Scaler settings",
    "NODEGROUP_NODE_ACTION_NODE_START": "Start worker node",
    "NODEGROUP_NODE_ACTION_NODE_STOP": "Stop worker node",
    # 2026-03 guide ("api_guide: 2026-03" only)
    "NODEGROUP_SET_METRIC_BASE_AUTOSCALER": "Change metric-based autoscaler settings",
    "NODEGROUP_UPDATE_FIP_AUTO_BIND": "Change node group floating IP auto-assignment settings",
    "NODEGROUP_UPDATE_K8S_NODE_LABELS": "Update node group Kubernetes label settings",
}
EVENT_TYPES = {**CLUSTER_EVENTS, **NODEGROUP_EVENTS}
#: Event types the 2026-03 guide adds (not listed by ``/v1/supports`` in 2025-02 mode).
EVENTS_2026 = ("CLUSTER_UPDATE_CONTROL_PLANE_LOG", "NODEGROUP_SET_METRIC_BASE_AUTOSCALER",
               "NODEGROUP_UPDATE_FIP_AUTO_BIND", "NODEGROUP_UPDATE_K8S_NODE_LABELS")

#: ``supported_event_type`` of ``/v1/supports`` in the 2026-03 guide (a flat map, en-public-api.md
#: "See the Supported Kubernetes Versions and Task Types"); ``CLUSTER_CNI_UPDATE`` is gone.
SUPPORTED_EVENTS_2026: Dict[str, str] = {
    "CLUSTER_CREATE": "Create a cluster",
    "CLUSTER_DELETE": "Delete a cluster",
    "CLUSTER_HANDOVER": "Cluster OWNER change",
    "CLUSTER_UPDATE_VM_AUTH_KEY": "Update key pair",
    "NODEGROUP_CREATE": "Create a node group",
    "NODEGROUP_DELETE": "Delete a node group",
    "CLUSTER_RESIZE": "Resize a cluster",
    "NODEGROUP_SCALE_OUT": "Scale out nodes",
    "NODEGROUP_SCALE_IN": "Scale in nodes",
    "NODEGROUP_UPDATE_FLAVOR": "Change instance type",
    "NODEGROUP_UPGRADE": "Node group upgrade",
    "NODEGROUP_USERSCRIPT_UPDATE": "Change userscript",
    "NODEGROUP_SET_CLUSTER_AUTOSCALER": "Change cluster autoscaler settings",
    "NODEGROUP_SET_METRIC_BASE_AUTOSCALER": "Change metric-based autoscaler settings",
    "NODEGROUP_METRIC_BASE_AUTOSCALER_SCALE_OUT": "Scale out nodes with threshold-based autoscaler",
    "NODEGROUP_METRIC_BASE_AUTOSCALER_SCALE_IN": "Scale in nodes with threshold-based autoscaler",
    "CLUSTER_API_EP_IPACL_UPDATE": "Cluster API endpoint IP access control change",
    "NODEGROUP_NODE_ACTION_START_NODE": "Start worker node",
    "NODEGROUP_NODE_ACTION_STOP_NODE": "Stop worker node",
    "CLUSTER_UPDATE_SGW": "Update Cluster Service Gateway",
    "CLUSTER_ROTATE_CERTIFICATE": "Rotate cluster certificate",
    "CLUSTER_UPDATE_NKS_REGISTRY": "Activate NKS registry",
    "NODEGROUP_UPDATE_EXTRA_VOLUME": "Update extra block storage",
    "NODEGROUP_UPDATE_EXTRA_SECURITY_GROUP": "Update Extra security groups",
    "CLUSTER_UPDATE_K8S_ARGS": "Update to Kubernetes component options",
    "CLUSTER_UPDATE_OIDC_ARGS": "Update OIDC settings",
    "NODEGROUP_UPDATE_K8S_NODE_LABELS": "Update node group Kubernetes label settings",
    "CLUSTER_INSTALL_ADDON": "Install Addon",
    "CLUSTER_UNINSTALL_ADDON": "Uninstall Addon",
    "CLUSTER_UPDATE_ADDON": "Update Addon",
    "CLUSTER_UPDATE_CONTROL_PLANE_LOG": "Update control plane log collection",
    "NODEGROUP_UPDATE_FIP_AUTO_BIND": "Change node group floating IP auto-assignment settings",
    "K8S_API_NOT_WORKING": "Stop kube-apiserver",
    "ALL_NODES_NOT_READY": "All nodes stopped",
    "AUTO_HEALING": "Auto healing",
}

#: Duration keys: every event type plus ``CONTROL_PLANE_UPGRADE`` (upgrade of ``default-master``).
DURATION_KEYS = sorted(set(EVENT_TYPES) - {"CLUSTER_HANDOVER"} | {"CONTROL_PLANE_UPGRADE"})

#: Seconds per operation, before ``time_scale``.
PROFILES: Dict[str, Dict[str, float]] = {
    "fast": {
        "CLUSTER_CREATE": 3,
        "CLUSTER_DELETE": 2,
        "CLUSTER_CNI_UPDATE": 2,
        "CLUSTER_CERTIFICATE_RENEW": 1,
        "CLUSTER_SGW_UPDATE": 1,
        "CLUSTER_INSTALL_ADDON": 2,
        "CLUSTER_UPDATE_ADDON": 2,
        "CLUSTER_UNINSTALL_ADDON": 1,
        "NODEGROUP_CREATE": 2,
        "NODEGROUP_DELETE": 2,
        "CLUSTER_RESIZE": 2,
        "NODEGROUP_UPDATE_FLAVOR": 2,
        "NODEGROUP_UPGRADE": 2,
        "CONTROL_PLANE_UPGRADE": 2,
        "NODEGROUP_USERSCRIPT_UPDATE": 1,
        "NODEGROUP_SET_CLUSTER_AUTOSCALER": 1,
        "NODEGROUP_NODE_ACTION_NODE_START": 1,
        "NODEGROUP_NODE_ACTION_NODE_STOP": 1,
        "CLUSTER_UPDATE_CONTROL_PLANE_LOG": 1,
        "NODEGROUP_SET_METRIC_BASE_AUTOSCALER": 1,
        "NODEGROUP_UPDATE_FIP_AUTO_BIND": 1,
        "NODEGROUP_UPDATE_K8S_NODE_LABELS": 1,
    },
    # Cluster create 30 min: users report 25-40 min (nhn-field-behaviour.md N1); the guide
    # says ~10. NKS_API_NOTES.md "Lifecycle": delete ~5 min, node group
    # create/delete ~5 min, control plane upgrade 8-10 min; the rest are estimates.
    "realistic": {
        "CLUSTER_CREATE": 1800,
        "CLUSTER_DELETE": 300,
        "CLUSTER_CNI_UPDATE": 600,
        "CLUSTER_CERTIFICATE_RENEW": 120,
        "CLUSTER_SGW_UPDATE": 120,
        # add-ons: estimates (a server-side apply of a few manifests and their rollout)
        "CLUSTER_INSTALL_ADDON": 120,
        "CLUSTER_UPDATE_ADDON": 180,
        "CLUSTER_UNINSTALL_ADDON": 60,
        "NODEGROUP_CREATE": 300,
        "NODEGROUP_DELETE": 300,
        "CLUSTER_RESIZE": 240,
        "NODEGROUP_UPDATE_FLAVOR": 420,
        "NODEGROUP_UPGRADE": 420,
        "CONTROL_PLANE_UPGRADE": 540,
        "NODEGROUP_USERSCRIPT_UPDATE": 300,
        "NODEGROUP_SET_CLUSTER_AUTOSCALER": 60,
        "NODEGROUP_NODE_ACTION_NODE_START": 90,
        "NODEGROUP_NODE_ACTION_NODE_STOP": 90,
        "CLUSTER_UPDATE_CONTROL_PLANE_LOG": 120,
        "NODEGROUP_SET_METRIC_BASE_AUTOSCALER": 60,
        "NODEGROUP_UPDATE_FIP_AUTO_BIND": 60,
        "NODEGROUP_UPDATE_K8S_NODE_LABELS": 60,
    },
}

DEFAULT_SUBNETS: Dict[str, str] = {"4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90": "192.168.0.0/24"}


class FailRule(BaseModel):
    """A pending fail-next rule: the next ``count`` operations of type ``operation`` fail."""

    operation: str = Field(description="Event type, e.g. CLUSTER_CREATE")
    reason: str = Field("Simulated failure", description="status_reason / event contents")
    count: int = Field(1, ge=1)

    @field_validator("operation")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"unknown operation {value!r}; one of {sorted(EVENT_TYPES)}")
        return value


class SimConfig(BaseModel):
    """All runtime settings of the simulator (see docs/simulator.md)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    api_guide: str = Field("2026-03", pattern="^(2025-02|2026-03)$",
                           description="the NKS API guide served: 2026-03 (NHN's current guide: node labels, "
                                       "floating IP auto-assignment, metric-based autoscaler, control plane "
                                       "logs, add-ons; no CNI change) or 2025-02 (the guide before those; "
                                       "older regions, government sites); docs/simulator.md")
    tenant_id: str = "nks-sim-tenant"
    username: str = "operator@nks-sim.local"
    api_password: str = "nks-sim-password"
    region: str = Field("KR2", description="region in the service catalog; its availability zones are "
                                          "accepted (KR1, KR2, KR3; docs/simulator.md)")
    availability_zones: Optional[List[str]] = Field(None, description="the availability zones accepted; "
                                                    "default: those of region")
    flavors: Optional[List[str]] = Field(default_factory=lambda: list(DEFAULT_FLAVORS),
                                         description="the flavor UUIDs accepted (null: any UUID)")
    token_ttl: float = Field(43200.0, gt=0, description="token lifetime in seconds")
    profile: str = Field("fast", pattern="^(fast|realistic)$")
    time_scale: float = Field(1.0, gt=0)
    durations: Dict[str, float] = Field(default_factory=dict, description="per event type overrides (seconds)")
    max_nodes_per_nodegroup: int = Field(10, ge=1)
    supported_versions: Dict[str, bool] = Field(default_factory=lambda: dict(DEFAULT_SUPPORTED_VERSIONS))
    subnets: Dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_SUBNETS))
    default_subnet_cidr: str = "192.168.0.0/24"
    allow_duplicate_cluster_names: bool = False
    certificate_validity_years: int = Field(5, ge=1, le=5)
    kube_ready_delay: Optional[float] = Field(None, ge=0, description="seconds from CREATE_COMPLETE until the "
                                              "cluster's Kubernetes API /readyz is ok, before time_scale "
                                              "(default: 3 fast, 60 realistic); docs/simulator-kubernetes.md")
    latency_ms: float = Field(0.0, ge=0)
    error_rate: float = Field(0.0, ge=0, le=1)
    error_codes: List[int] = Field(default_factory=lambda: [429, 500, 502, 503])
    drop_rate: float = Field(0.0, ge=0, le=1)
    seed: Optional[int] = None
    fail_next: List[FailRule] = Field(default_factory=list)
    label_drift: bool = Field(True, description="store labels as NKS does: boolean strings re-cased "
                                                "(True/False), *_id_list colon lists reordered")
    autoscale_values: str = Field("json", pattern="^(json|string)$",
                                  description="autoscaler GET: JSON booleans/integers as the guide's example "
                                              "(json) or strings as its table (string)")
    reject_unknown_attributes: bool = Field(False, description="400 for unknown top-level request attributes "
                                                               "(Magnum behaviour)")
    require_api_version: str = Field("nodegroups", pattern="^(nodegroups|all|none)$",
                                     description="406 when OpenStack-API-Version is missing: on node group "
                                                 "paths (as NKS answered), on every /v1 path, or never")
    hold_operations: bool = Field(False, description="operations stay *_IN_PROGRESS while true (for tests that "
                                                     "observe an operation in progress); set back to false, "
                                                     "those whose time has passed complete at the next request")
    keypair_missing_creates: int = Field(0, ge=0, description="the first N cluster creates naming a key pair "
                                                             "get 403 'Unable to find keypair <name>'")
    nks_registry_new_clusters: bool = Field(True, description="new clusters have the NKS registry enabled; "
                                            "false: add-on operations and upgrades of new clusters are refused "
                                            "(docs/simulator.md \"Add-ons\")")
    keypair_missing_seconds: float = Field(0.0, ge=0, description="cluster creates within S seconds of the first "
                                                                  "one naming a key pair get that 403")

    @field_validator("durations")
    @classmethod
    def _duration_keys(cls, value: Dict[str, float]) -> Dict[str, float]:
        for key, seconds in value.items():
            if key not in DURATION_KEYS:
                raise ValueError(f"unknown duration key {key!r}; one of {DURATION_KEYS}")
            if seconds < 0:
                raise ValueError(f"duration {key} must be >= 0")
        return value

    @field_validator("error_codes")
    @classmethod
    def _codes(cls, value: List[int]) -> List[int]:
        if not value or any(not 400 <= c <= 599 for c in value):
            raise ValueError("error_codes must be a non-empty list of 4xx/5xx codes")
        return value

    @property
    def guide_2026(self) -> bool:
        """True when the 2026-03 guide is served (``api_guide``)."""
        return self.api_guide == "2026-03"

    def duration(self, key: str) -> float:
        """Seconds an operation of duration key ``key`` takes, after ``time_scale``."""
        base = self.durations.get(key, PROFILES[self.profile].get(key, 1.0))
        return float(base) * self.time_scale


def load_yaml_config(path: str) -> dict:
    """Read a ``--config`` YAML file; keys are :class:`SimConfig` fields plus
    ``host``, ``port``, ``state_file``, ``log_level`` (used by the CLI only)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: top level must be a mapping")
    return data


def parse_supported_versions(text: str) -> Dict[str, bool]:
    """Parse ``v1.30.3=true,v1.17.6=false`` (a bare version means true)."""
    result: Dict[str, bool] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        version, _, flag = item.partition("=")
        flag = flag.strip().lower() or "true"
        if flag not in ("true", "false"):
            raise ValueError(f"bad supported version entry {item!r}")
        result[version.strip()] = flag == "true"
    return result
