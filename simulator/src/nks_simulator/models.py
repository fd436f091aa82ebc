"""Pydantic models of the guide's request and response bodies (used for
validation of required fields and for ``/openapi.json``).

Request fields marked ``O`` (required) in the guide are required here; the
guide's String fields also accept JSON numbers/booleans, because its own
examples send them (``"ca_enable": true``, ``"node_count": 1``).
"""

from __future__ import annotations

import contextvars
from typing import Annotated, Any, Dict, List, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

#: An integer, or a string of digits (the guide types these labels "String").
IntLike = Union[StrictInt, Annotated[str, Field(pattern=r"^\s*[0-9]*\s*$")]]
#: A JSON boolean, or "True"/"False" in any case.
BoolLike = Union[StrictBool, Annotated[str, Field(pattern=r"^(?i:\s*(true|false)\s*)$")]]

#: Set per request by the middleware from ``SimConfig.reject_unknown_attributes``.
REJECT_UNKNOWN: contextvars.ContextVar = contextvars.ContextVar("reject_unknown", default=False)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Body(_Open):
    """A ``/v1`` request body: unknown top-level attributes are kept, or refused with 400
    when ``reject_unknown_attributes`` is on (Magnum answers "Unknown attribute")."""

    @model_validator(mode="after")
    def _no_unknown(self):
        if REJECT_UNKNOWN.get() and self.model_extra:
            raise ValueError(f"Unknown attribute(s): {', '.join(sorted(self.model_extra))}")
        return self


# ---------------------------------------------------------------- identity
class PasswordCredentials(_Open):
    username: str
    password: str


class AuthBody(_Open):
    tenantId: str
    passwordCredentials: PasswordCredentials


class TokenRequest(_Open):
    """Body of ``POST /v2.0/tokens`` (NKS_API_NOTES.md "Authentication")."""

    auth: AuthBody


class TokenResponse(_Open):
    access: Dict[str, Any]


# ---------------------------------------------------------------- clusters
class _AutoscaleFields(_Open):
    """The optional autoscaler settings (``ca_*``) of Create a Cluster / Create a Node Group labels and
    of Change Autoscaler Configuration."""

    ca_max_node_count: Optional[IntLike] = None
    ca_min_node_count: Optional[IntLike] = None
    ca_scale_down_enable: Optional[BoolLike] = None
    ca_scale_down_unneeded_time: Optional[IntLike] = None
    ca_scale_down_util_thresh: Optional[IntLike] = None
    ca_scale_down_delay_after_add: Optional[IntLike] = None


class _CreateLabels(_AutoscaleFields):
    """The labels Create a Cluster and Create a Node Group both take."""

    availability_zone: str
    boot_volume_type: str
    boot_volume_key_id: Optional[str] = None
    boot_volume_appkey: Optional[str] = None
    boot_volume_size: IntLike
    user_script: Optional[str] = None
    user_script_v2: Optional[str] = None
    ca_enable: BoolLike
    additional_network_id_list: Optional[str] = None
    additional_subnet_id_list: Optional[str] = None


class ClusterCreateLabels(_CreateLabels):
    """Create a Cluster: ``labels`` (request)."""

    node_image: str
    cert_manager_api: BoolLike = Field(description='Must be "True"')
    kube_tag: str
    master_lb_floating_ip_enabled: BoolLike
    external_network_id: Optional[str] = None
    external_subnet_id_list: Optional[str] = None
    strict_sg_rules: Optional[BoolLike] = None
    ncr_sgw: Optional[str] = None
    obs_sgw: Optional[str] = None
    cni_driver: Optional[str] = Field(None, description="calico (default) or calico-ebpf")
    service_cluster_ip_range: Optional[str] = None
    pods_network_cidr: Optional[str] = None
    pods_network_subnet: Optional[IntLike] = None
    extra_security_groups: Optional[List[Dict[str, Any]]] = None
    extra_volumes: Optional[List[Dict[str, Any]]] = None


class CreateAddon(_Open):
    """Create a Cluster: an entry of ``addons`` (2026-03 guide)."""

    name: str
    version: str
    options: Optional[Dict[str, Any]] = None


class ClusterCreate(_Body):
    """Create a Cluster (request)."""

    name: str
    cluster_template_id: str = Field(description='Must be "iaas_console"')
    keypair: str
    node_count: IntLike
    labels: ClusterCreateLabels
    flavor_id: str
    fixed_network: str
    fixed_subnet: str
    create_timeout: Optional[int] = None
    addons: Optional[List[CreateAddon]] = Field(None, description="2026-03 guide: add-ons to install "
                                                "(default: calico and coredns)")


class UuidResponse(BaseModel):
    uuid: str


class Link(BaseModel):
    href: str
    rel: str


class ClusterLabels(_Open):
    kube_tag: str
    availability_zone: str
    node_image: str
    external_network_id: str
    external_subnet_id_list: str
    cert_manager_api: str
    master_lb_floating_ip_enabled: str
    strict_sg_rules: str
    additional_network_id_list: str
    additional_subnet_id_list: str
    cni_driver: str
    service_cluster_ip_range: str
    pods_network_cidr: str
    pods_network_subnet: str
    ncr_sgw: str
    obs_sgw: str
    term_of_validity: str
    certificate_expiry: str
    kube_version_status: str


class ClusterSummary(_Open):
    uuid: str
    name: str
    flavor_id: Optional[str]
    keypair: Optional[str]
    node_count: int
    stack_id: str
    status: str
    labels: ClusterLabels
    links: List[Link]


class ClusterList(BaseModel):
    """List Clusters (response)."""

    clusters: List[ClusterSummary]


class Cluster(ClusterSummary):
    """Get a Cluster (response)."""

    status_reason: Optional[str]
    api_address: str
    project_id: str
    fixed_network: Optional[str]
    fixed_subnet: Optional[str]
    node_addresses: List[str]
    created_at: str
    updated_at: str


class ClusterDetailList(BaseModel):
    """Magnum's List Clusters with details (``/v1/clusters/detail``)."""

    clusters: List[Cluster]


class ResizeRequest(_Body):
    """Resize (request)."""

    nodegroup: str
    node_count: StrictInt
    nodes_to_remove: Optional[List[str]] = None


class KubeconfigResponse(BaseModel):
    """Get kubeconfig of a Cluster (response)."""

    config: str


class CniUpdateRequest(_Body):
    """Change Cluster CNI (request). ``pod_subnet`` defaults to 24."""

    cni: str
    pod_cidr: str
    pod_subnet: Optional[IntLike] = None
    num_buffer_nodes: Optional[StrictInt] = None
    num_max_unavailable_nodes: Optional[StrictInt] = None


class IpAclTarget(_Open):
    cidr_address: str
    description: Optional[str] = None


class IpAclRequest(_Body):
    """Enforce IP Access Control to Cluster API Endpoints (request). With ``enable``
    false, ``action`` and ``ipacl_targets`` are ignored (KO guide), whatever they hold."""

    enable: BoolLike
    action: Optional[str] = None
    ipacl_targets: Optional[List[IpAclTarget]] = None

    @model_validator(mode="before")
    @classmethod
    def _ignore_when_disabled(cls, data: Any) -> Any:
        if isinstance(data, dict) and str(data.get("enable")).strip().lower() == "false":
            return {k: v for k, v in data.items() if k not in ("action", "ipacl_targets")}
        return data


class IpAclResponse(_Open):
    """Get Cluster API Endpoint IP Access Control (response)."""

    cluster_uuid: str
    enable: str
    action: Optional[str] = None
    ipacl_targets: Optional[List[IpAclTarget]] = None


class CertificateRequest(_Body):
    """Renew Cluster Certificate (request): years, 1..5."""

    term_of_validity: StrictInt


class SgwRequest(_Body):
    """Change Service Gateway (request)."""

    ncr_sgw: str
    obs_sgw: str


class Event(_Open):
    id: int
    uuid: str
    project_id: str
    cluster_uuid: str
    cluster_name: str
    resource_uuid: str
    resource_name: str
    resource_type: str
    type: str
    state: str
    contents: Optional[str]
    created_at: str
    updated_at: str


class EventList(BaseModel):
    """View Task History List (response)."""

    events: List[Event]


# ---------------------------------------------------------------- node groups
class NodegroupCreateLabels(_CreateLabels):
    """Create a Node Group: ``labels`` (request); the same as :class:`_CreateLabels`."""


class NodegroupCreate(_Body):
    """Create a Node Group (request)."""

    name: str
    flavor_id: str
    image_id: str
    labels: NodegroupCreateLabels
    node_count: Optional[IntLike] = 1


class NodegroupSummary(_Open):
    uuid: str
    name: str
    flavor_id: Optional[str]
    image_id: Optional[str]
    max_node_count: Optional[int] = Field(description="null while the autoscaler is off")
    min_node_count: int
    node_count: int
    role: str
    stack_id: str
    status: str


class NodegroupList(BaseModel):
    """List Node Groups (response); ``default-master`` is hidden."""

    nodegroups: List[NodegroupSummary]


class Nodegroup(NodegroupSummary):
    """Get a Node Group / Create a Node Group (response)."""

    cluster_id: str
    labels: Dict[str, Any]
    node_addresses: List[str]
    project_id: str
    status_reason: Optional[str]
    created_at: str
    updated_at: str


class NodegroupDetailList(BaseModel):
    """Magnum's List Node Groups with details (``.../nodegroups/detail``)."""

    nodegroups: List[Nodegroup]


class NodeListRequest(_Body):
    """Stop a Node Group / Start a Node (request): colon-separated node UUIDs."""

    node_list: str


class AutoscaleRequest(_Body, _AutoscaleFields):
    """Change Autoscaler Configuration of a Node Group (request)."""

    ca_enable: BoolLike


class AutoscaleResponse(_Open):
    """View Autoscaler Configuration of a Node Group (response): JSON booleans and integers
    as the guide's example (default), or strings as its table (``autoscale_values: string``)."""

    ca_enable: BoolLike
    ca_max_node_count: IntLike
    ca_min_node_count: IntLike
    ca_scale_down_enable: BoolLike
    ca_scale_down_unneeded_time: IntLike
    ca_scale_down_util_thresh: IntLike
    ca_scale_down_delay_after_add: IntLike


class UpgradeRequest(_Body):
    """Upgrade a Cluster (request)."""

    version: str
    num_buffer_nodes: Optional[StrictInt] = None
    num_max_unavailable_nodes: Optional[StrictInt] = None


class UserscriptRequest(_Body):
    """Change User Script (request)."""

    contents: str


class FlavorRequest(_Body):
    """Change Instance Flavor (request)."""

    type: str = Field(description='Must be "flavor_id"')
    flavor_id: str
    num_buffer_nodes: Optional[StrictInt] = None
    num_max_unavailable_nodes: Optional[StrictInt] = None


class NodegroupPatch(_Body):
    """``PATCH .../nodegroups/{id}``: Change Instance Flavor (``type: flavor_id``) and, with the 2026-03
    guide, Change Kubernetes Label / Floating IP Auto-assignment / Metric-Based Autoscaler Configuration
    of a Node Group (``type`` ``k8s_node_labels`` / ``fip_auto_bind`` / ``metric_base_autoscale``)."""

    type: str = Field(description="flavor_id, k8s_node_labels, fip_auto_bind or metric_base_autoscale")
    flavor_id: Optional[str] = None
    num_buffer_nodes: Optional[StrictInt] = None
    num_max_unavailable_nodes: Optional[StrictInt] = None
    k8s_node_labels: Optional[Dict[str, Any]] = Field(None, description="at most 20 Kubernetes labels")
    fip_auto_bind_update_info: Optional[Dict[str, Any]] = None
    mba_scale_out: Optional[Dict[str, Any]] = None
    mba_scale_in: Optional[Dict[str, Any]] = None


class ClusterPatch(_Body):
    """``PATCH /v1/clusters/{id}`` (2026-03 guide): Store Logs of Kubernetes Control Plane Components."""

    type: str = Field(description='Must be "control_plane_log"')
    control_plane_log: Optional[Dict[str, Any]] = None


class SupportsResponse(BaseModel):
    """See the Supported Kubernetes Versions (and Task Types) (response): ``supported_event_type`` is
    ``{cluster_events: {...}, nodegroup_events: {...}}`` (2025-02) or a flat map (2026-03)."""

    supported_k8s: Dict[str, bool]
    supported_event_type: Dict[str, Union[str, Dict[str, str]]]


class ErrorItem(BaseModel):
    request_id: str
    code: str
    status: int
    title: str
    detail: str
    links: List[Any]


class ErrorResponse(BaseModel):
    """Magnum-style error body."""

    errors: List[ErrorItem]


class KeystoneErrorItem(BaseModel):
    code: int
    title: str
    message: str


class KeystoneError(BaseModel):
    """Keystone-style error body (identity errors and every 401)."""

    error: KeystoneErrorItem


# ---------------------------------------------------------------- simulator admin
class LegacyClusterRequest(BaseModel):
    """``POST /_sim/clusters/legacy``: a Create a Cluster body (``labels.cni_driver`` may be
    ``flannel``, the default) and the creation time, before 2023-03-31."""

    cluster: Dict[str, Any]
    created_at: str = Field("2023-01-16T00:00:00+00:00", description="ISO 8601, before 2023-03-31")
    nks_registry: bool = Field(True, description="the cluster's NKS registry is enabled (add-on management "
                                                 "and upgrades need it)")


class FailNextRequest(BaseModel):
    """``POST /_sim/faults/fail-next``."""

    operation: str
    reason: str = "Simulated failure"
    count: int = Field(1, ge=1)


# ---------------------------------------------------------------- add-ons (2026-03 guide)
class AddonType(BaseModel):
    """View the Types of Add-ons Offered by NHN Cloud (response)."""

    uuid: str
    name: str
    mandatory: bool


class AddonTypeList(BaseModel):
    addon_types: List[AddonType]


class OptionSchema(BaseModel):
    name: str
    data_type: str = Field(description="STRING, INTEGER or SELECT")
    default: Optional[str] = None
    updatable: bool
    mandatory: bool
    choices: Optional[List[str]] = None


class OfferedAddon(BaseModel):
    """View Add-ons Offered by NHN Cloud (response)."""

    uuid: str
    type: str
    version: str
    name: str
    option_schemas: List[OptionSchema]
    k8s_min_version: Optional[str]
    k8s_max_version: Optional[str]
    description: str


class OfferedAddonList(BaseModel):
    addons: List[OfferedAddon]


class InstalledAddon(BaseModel):
    """View Add-ons Installed on a Cluster (response)."""

    uuid: str
    project_id: str
    cluster_uuid: str
    cluster_name: str
    type: str
    version: str
    options: Dict[str, Any]
    name: str
    status: str
    status_reason: Optional[str]
    scope: str
    target_uuid: str
    created_at: str
    updated_at: Optional[str]


class InstalledAddonList(BaseModel):
    addons: List[InstalledAddon]


class AddonInstall(_Body):
    """Install Add-ons on a Cluster (request); ``options`` as in Create a Cluster's ``addons``."""

    name: str
    version: str
    resolve_conflicts: str = Field(description="none, overwrite or preserve")
    options: Optional[Dict[str, Any]] = None


class AddonUpdate(_Body):
    """Update Add-ons to a cluster (request); ``options`` as in Create a Cluster's ``addons``."""

    version: str
    resolve_conflicts: str = Field(description="none, overwrite or preserve")
    options: Optional[Dict[str, Any]] = None


class AddonSettings(BaseModel):
    """``PATCH /_sim/clusters/{id}/addon_settings`` (simulator knob)."""

    nks_registry: Optional[bool] = Field(None, description="enable/disable the cluster's NKS registry")
    clear_addons: bool = Field(False, description="forget the installed add-ons (a cluster from before "
                                                  "add-on management)")
