#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nks_cluster
short_description: Create, update and delete NHN Kubernetes Service (NKS) clusters
version_added: 0.1.0
description:
  - Creates an NKS cluster with its C(default-worker) node group, changes what NKS can change in
    place, and deletes it.
  - The cluster is found by O(name), which may also be a cluster UUID. When several clusters carry
    the name, the task fails and lists their UUIDs.
  - On an existing cluster, a different O(node_count) resizes C(default-worker) (ignored with a
    warning while its autoscaler is on), a different O(autoscale) changes the autoscaler of
    C(default-worker) (keys not given keep their current values), a different O(flavor_id) changes the
    instance flavor of C(default-worker) (NKS replaces its nodes one by one, see O(num_buffer_nodes) and
    O(num_max_unavailable_nodes)), a different O(user_script) changes its user script, O(ncr_sgw)/O(obs_sgw)
    change the service gateways, and a O(kube_version) one minor version above the current one
    upgrades the control plane, O(cni_driver=calico) changes the CNI of a flannel cluster, and
    O(certificate_renewal) renews the certificate when it is about to expire.
  - Any other difference is an error listing the fields. The module never deletes and re-creates a cluster by itself.
  - In check mode, a control plane upgrade while node groups are one minor version behind is a warning naming the
    node group upgrades an earlier task of the same run would make, and the upgrade is predicted; outside check
    mode it is an error.
  - Options that are not set are left alone on an existing cluster. Of the cluster's labels only those
    given (typed options or O(labels)) are compared, by value; labels NKS adds are ignored.
  - NKS accepts only a delete on a cluster in a C(*_FAILED) status; O(state=present) then fails before any
    change, saying so, and O(state=absent) deletes it.
  - O(state=absent) deletes the cluster's node groups with it; the result, the diff and check mode list them
    (RV(deleted_nodegroups)).
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
  name:
    description:
      - Name of the cluster; or, to manage an existing cluster, its UUID.
      - Lowercase letters, digits and V(-); starts with a letter, ends with a letter or digit; at most 32 characters.
    type: str
    required: true
  state:
    description:
      - V(present) creates the cluster or brings it to the options given; V(absent) deletes it, with all its
        node groups, and waits until it is gone.
    type: str
    choices: [present, absent]
    default: present
  wait_timeout:
    description:
      - Seconds to wait before failing. The operation goes on in NKS; running the task again attaches to it.
      - The default covers a cluster create, which takes 25 to 40 minutes on NHN Cloud (60 minutes, the
        create timeout of NHN's Terraform provider).
    type: int
    default: 3600
  kube_version:
    description:
      - Kubernetes version of the control plane, for example V(v1.28.3). Required to create.
      - Must be offered by NKS (see M(nhncloud.nks.nks_info) with O(nhncloud.nks.nks_info#module:gather=supported_versions)).
      - On an existing cluster, a version one minor above the current one upgrades the control plane; every
        worker node group must be on the current version first. Larger steps are refused.
      - A version older than the current one (the cluster was upgraded after its definition was written) is a
        warning naming O(kube_version) to update; nothing is downgraded and the other options still apply.
    type: str
  node_count:
    description:
      - Number of nodes of the C(default-worker) node group. Required to create.
      - On an existing cluster, a different value resizes C(default-worker), unless its autoscaler is on.
      - With the autoscaler on, a value outside O(autoscale.min_node_count)..O(autoscale.max_node_count) is
        refused before any request, for a new cluster as for an existing one.
      - At least 1; the upper bound (10 by default) is a quota NKS enforces.
    type: int
  flavor_id:
    description:
      - UUID of the instance flavor of the C(default-worker) nodes. Required to create.
      - On an existing cluster, a different value changes the flavor of C(default-worker) in place (guide,
        "Change Instance Flavor"; NKS replaces the nodes one by one, see O(num_buffer_nodes) and
        O(num_max_unavailable_nodes)).
    type: str
  keypair:
    description: Name of the key pair applied to the C(default-worker) nodes. Required to create.
    type: str
  fixed_network:
    description: UUID of the VPC network. Required to create.
    type: str
  fixed_subnet:
    description: UUID of the VPC subnet. Required to create. Its CIDR must not overlap O(pods_network_cidr) or O(service_cluster_ip_range).
    type: str
  availability_zone:
    description: Availability zone of the C(default-worker) nodes, for example V(kr2-pub-b). Required to create.
    type: str
  node_image:
    description: UUID of the base image of the C(default-worker) nodes. Required to create.
    type: str
  boot_volume_key_id:
    description: Symmetric key ID for an encrypted boot volume.
    type: str
  boot_volume_appkey:
    description: Appkey of the symmetric key for an encrypted boot volume. Never returned.
    type: str
  external_network_id:
    description: UUID of the VPC network attached to the internet gateway. Needed when the subnet's router is attached to one.
    type: str
  external_subnet_ids:
    description: UUIDs of the subnets attached to the internet gateway.
    type: list
    elements: str
  master_lb_floating_ip:
    description:
      - Give the Kubernetes API endpoint a public address.
      - V(true) only together with O(external_network_id) and O(external_subnet_ids).
      - When creating and not set, V(false).
    type: bool
  strict_sg_rules:
    description: Create only the required security rules in the worker node security group.
    type: bool
  additional_network_ids:
    description: UUIDs of additional VPC networks for the C(default-worker) nodes.
    type: list
    elements: str
  additional_subnet_ids:
    description: UUIDs of additional VPC subnets for the C(default-worker) nodes.
    type: list
    elements: str
  service_cluster_ip_range:
    description:
      - Kubernetes service network (ClusterIP range) in CIDR notation. NKS uses V(10.254.0.0/16) when not set.
      - Must not overlap 169.254.0.0/16, 198.18.0.0/19, the pod network or the VPC subnet; prefix at most /24;
        for v1.23.3 and older, must not overlap 172.17.0.0/16.
    type: str
  pods_network_cidr:
    description:
      - Pod network in CIDR notation. NKS uses V(10.100.0.0/16) when not set. Same rules as O(service_cluster_ip_range).
    type: str
  pods_network_subnet:
    description:
      - Size (prefix length) of each node's pod subnet, 20 to 28, and at least the prefix of O(pods_network_cidr) plus 2.
    type: int
  ncr_sgw:
    description:
      - UUID of the NCR service gateway (in the cluster's VPC). Changed in place on an existing cluster together with
        O(obs_sgw), but only on a cluster created with a service gateway (NKS refuses it otherwise).
    type: str
  obs_sgw:
    description:
      - UUID of the OBS service gateway (in the cluster's VPC). Changed in place on an existing cluster together with
        O(ncr_sgw), but only on a cluster created with a service gateway (NKS refuses it otherwise).
    type: str
  cni_driver:
    description:
      - Container network interface of a new cluster.
      - On an existing cluster (one created with flannel), V(calico) changes the CNI to Calico-VXLAN; the new pod
        network is O(pods_network_cidr) (required then; it must not overlap the current pod network, the service
        network or the VPC subnet) with pod subnets of O(pods_network_subnet) (default 24). See also
        O(num_buffer_nodes) and O(num_max_unavailable_nodes).
      - NKS removed Change Cluster CNI (release notes 2025-05-27; API guide 2026-03); the CNI is now the
        C(calico) add-on (M(nhncloud.nks.nks_addon) O(nhncloud.nks.nks_addon#module:name=calico)). The module
        asks NKS which guide it follows (C(GET /v1/supports); a 2025 NKS lists the task type
        C(CLUSTER_CNI_UPDATE)) and, on an NKS without it, refuses a CNI change before any mutating request,
        pointing to the add-on. Sites that still follow the 2025 guide keep the change.
    type: str
    choices: [calico, calico-ebpf]
  control_plane_log:
    description:
      - Store the logs of the Kubernetes control plane components in Log & Crash Search (V(lncs)) or Object
        Storage (V(obs)) (guide 2026-03, "Store Logs of Kubernetes Control Plane Components", C(PATCH
        /v1/clusters/{id}) type C(control_plane_log); create label C(control_plane_log)).
      - On an existing cluster, a difference (O(control_plane_log.lncs_appkey) aside, which NKS never returns)
        is applied in place.
    type: dict
    version_added: 0.1.0
    suboptions:
      enabled:
        description: Store the logs.
        type: bool
        required: true
      type:
        description: Where to; required when O(control_plane_log.enabled=true).
        type: str
        choices: [lncs, obs]
      sgw:
        description: UUID of the service gateway of that service (in the cluster's VPC); required when enabled.
        type: str
      upload_interval:
        description: Minutes between deliveries (1 to 60; NKS uses 10).
        type: int
      lncs_appkey:
        description: Appkey of Log & Crash Search (same project); required for V(lncs). Never returned.
        type: str
      obs_api_url:
        description: Full path of the Object Storage container and path; required for V(obs).
        type: str
      obs_store_as:
        description: File format in Object Storage.
        type: str
        choices: [gzip, text]
  autoscale:
    description:
      - Autoscaler of the C(default-worker) node group. Keys not set are left to NKS.
      - When creating and O(autoscale.enabled) is not set, V(false) (the autoscaler is off).
      - On an existing cluster, a difference is applied through the autoscaler API; keys not given keep
        their current values (one key alone, for example O(autoscale.max_node_count), is enough).
    type: dict
  node_labels:
    description:
      - Kubernetes labels of the C(default-worker) nodes; on an existing cluster a different set is applied to
        C(default-worker). To label its existing nodes too, use M(nhncloud.nks.nks_nodegroup)
        O(nhncloud.nks.nks_nodegroup#module:label_existing_nodes) with V(default-worker).
  floating_ip:
    description:
      - Floating IP auto-assignment of C(default-worker); on an existing cluster applied to C(default-worker).
  metric_autoscale:
    description:
      - Metric-based autoscaler of C(default-worker); on an existing cluster applied to C(default-worker).
  user_script:
    description: User script run on the C(default-worker) nodes. On an existing cluster, a different script is applied to C(default-worker).
    type: str
  legacy_user_script:
    description:
      - User script of the C(default-worker) nodes in the older label C(user_script) of Create a Cluster (the guide's
        "user script (old)"); prefer O(user_script) (label C(user_script_v2)).
      - Create only. NKS has no operation that changes it, so a different value on an existing cluster is an error.
    type: str
  extra_security_groups:
    description: Additional security groups of the C(default-worker) nodes, by subnet.
    type: list
    elements: dict
  extra_volumes:
    description: Additional block storage volumes of the C(default-worker) nodes.
    type: list
    elements: dict
  num_buffer_nodes:
    description:
      - Buffer nodes NKS adds while it changes the CNI (O(cni_driver), to each worker node group) or the flavor
        of C(default-worker) (O(flavor_id)); at least 0. NKS default 1.
    type: int
  num_max_unavailable_nodes:
    description:
      - Nodes that may be unavailable at once while NKS changes the CNI (O(cni_driver)) or the flavor of
        C(default-worker) (O(flavor_id)); at least 1. NKS default 1.
    type: int
  certificate_renewal:
    description:
      - Renew the cluster certificate when it expires within O(certificate_renewal.renew_before_days) days.
      - Idempotent by the expiry date. Once renewed, the certificate no longer expires within the window.
    type: dict
    suboptions:
      renew_before_days:
        description: Renew when fewer than this many days are left before C(certificate_expiry).
        type: int
        required: true
      term_of_validity:
        description: Validity of the renewed certificate in years, 1 to 5.
        type: int
        default: 5
  labels:
    description:
      - Extra labels sent as they are when creating, for labels the guide adds later.
      - Must not repeat a label that one of the typed options above sets.
      - On an existing cluster, a label whose value differs is an error (labels cannot change in place).
        Values are compared as NKS stores them - V(True) equals V(true), and C(*_list) values (colon-separated)
        are sets.
    type: dict
notes:
  - The C(default-master) (control plane) and C(default-worker) node groups are created with the cluster.
    Use M(nhncloud.nks.nks_nodegroup) for other node groups and to upgrade worker node groups.
seealso:
  - module: nhncloud.nks.nks_info
  - module: nhncloud.nks.nks_kubeconfig
"""

EXAMPLES = r"""
- name: Create a cluster (the guide's example)
  nhncloud.nks.nks_cluster:
    name: test-k8s
    kube_version: v1.28.3
    node_count: 1
    flavor_id: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
    keypair: test-keypair
    fixed_network: eb212079-b6ec-430c-ba57-14280a457bcb
    fixed_subnet: 4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90
    availability_zone: kr2-pub-b
    node_image: f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc
    boot_volume_type: General HDD
    boot_volume_size: 20
    external_network_id: 751b8227-7b45-440a-9349-dbf829d0aba5
    external_subnet_ids:
      - 59ddc195-76b1-431d-9693-f09880747dc6
    master_lb_floating_ip: true
    strict_sg_rules: true
    autoscale:
      enabled: false
      min_node_count: 1
      max_node_count: 10

- name: Resize the default worker node group to 3 nodes
  nhncloud.nks.nks_cluster:
    name: test-k8s
    node_count: 3

- name: Upgrade the control plane by one minor version
  nhncloud.nks.nks_cluster:
    name: test-k8s
    kube_version: v1.29.3

- name: Change a flannel cluster's CNI to calico
  nhncloud.nks.nks_cluster:
    name: old-k8s
    cni_driver: calico
    pods_network_cidr: 10.200.0.0/16
    pods_network_subnet: 24
    num_buffer_nodes: 1
    num_max_unavailable_nodes: 1

- name: Renew the certificate for 5 years when less than 30 days are left
  nhncloud.nks.nks_cluster:
    name: test-k8s
    certificate_renewal:
      renew_before_days: 30
      term_of_validity: 5

- name: Delete the cluster
  nhncloud.nks.nks_cluster:
    name: test-k8s
    state: absent
"""

RETURN = r"""
cluster:
  description:
    - The cluster after the task (the prediction in check mode), in the module's option names and types.
    - For O(state=absent), the cluster as it was before deletion.
  returned: when the cluster exists or was predicted
  type: dict
  contains:
    uuid:
      description: Cluster UUID (V(null) in check mode before creation).
      type: str
      sample: 2b778d83-8b67-45b1-920e-b0c5ad5c2f30
    name:
      description: Cluster name.
      type: str
      sample: test-k8s
    status:
      description: Cluster status, for example V(CREATE_COMPLETE) or V(UPDATE_IN_PROGRESS).
      type: str
      sample: CREATE_COMPLETE
    status_reason:
      description: Why the cluster has its status (often V(null)).
      type: str
    kube_version:
      description: Kubernetes version of the control plane.
      type: str
      sample: v1.28.3
    kube_version_status:
      description: V(LATEST), or V(NEED_UPGRADE) when NKS offers a newer version.
      type: str
      sample: LATEST
    node_count:
      description: Number of worker nodes of all node groups.
      type: int
      sample: 1
    api_address:
      description: Kubernetes API endpoint.
      type: str
      sample: https://2b778d83-kr2-k8s.container.nhncloud.com:6443
    node_addresses:
      description: Worker node IP addresses.
      type: list
      elements: str
    flavor_id:
      description: Flavor UUID of the C(default-worker) nodes.
      type: str
    keypair:
      description: Key pair of the C(default-worker) nodes.
      type: str
    fixed_network:
      description: VPC network UUID.
      type: str
    fixed_subnet:
      description: VPC subnet UUID.
      type: str
    availability_zone:
      description: Availability zone of C(default-worker).
      type: str
    master_lb_floating_ip:
      description: Whether the API endpoint has a public address.
      type: bool
    legacy_user_script:
      description: The older user script label C(user_script), when the cluster has it.
      type: str
      returned: when NKS reports the label
    autoscale:
      description: Autoscaler settings of C(default-worker) as recorded in the cluster labels.
      type: dict
    node_labels:
      description: Kubernetes labels of C(default-worker) as recorded in the cluster labels at create (V({}) when none).
      type: dict
    floating_ip:
      description: Floating IP auto-assignment of C(default-worker) as recorded in the cluster labels.
      type: dict
    metric_autoscale:
      description: Metric-based autoscaler of C(default-worker) as recorded in the cluster labels.
      type: dict
    control_plane_log:
      description: Control plane log storage, in the keys of O(control_plane_log) (C(lncs_appkey) masked).
      type: dict
      returned: when NKS reports it
    platform_version:
      description: NKS platform version (guide 2026-03; V(null) when not reported).
      type: str
    health_status:
      description: Validity of NKS's Kubernetes API and node status information (for example V(FRESH), V(STALE), V(ROTTEN)).
      type: str
    health_status_reason:
      description: Details of RV(cluster.health_status) (Kubernetes API and node status per node group), as NKS gives them.
      type: dict
    certificate_expiry:
      description: When the cluster certificate expires.
      type: str
    labels:
      description: The cluster's labels as the API gives them (appkeys masked).
      type: dict
    nodegroups:
      description: For O(state=absent), the names of the node groups that go with the cluster.
      type: list
      elements: str
      returned: when O(state=absent)
deleted_nodegroups:
  description:
    - For O(state=absent), the names of the node groups deleted with the cluster (also in check mode, and in
      RV(cluster.nodegroups) and the diff's C(before)). Empty when nothing was deleted.
  returned: when O(state=absent)
  type: list
  elements: str
  sample: [default-worker, web]
diff:
  description: Before and after the task, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The cluster before (empty when it did not exist); for O(state=absent) with C(nodegroups).
      type: dict
    after:
      description: The cluster after, or as predicted in check mode (empty when deleted).
      type: dict
"""

import datetime

from ansible_collections.nhncloud.nks.plugins.module_utils import _autoscale, _worker
from ansible_collections.nhncloud.nks.plugins.module_utils._api import (
    CONTROL_PLANE, DEFAULT_WORKER)
from ansible_collections.nhncloud.nks.plugins.module_utils._compare import (
    differences, label_differences, refuse)
from ansible_collections.nhncloud.nks.plugins.module_utils._drift import behind_definition
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (
    Change, Resource, StateMachine, Waiter)
from ansible_collections.nhncloud.nks.plugins.module_utils._kube import wait_after_converge, wait_for_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._labels import (
    AUTOSCALE_LABELS, CLUSTER_CHANGED_BY, CLUSTER_LABELS, FIXED_CLUSTER_LABELS, FLOATING_IP_LABELS,
    METRIC_AUTOSCALE_LABELS, control_plane_log_to_api, autoscale_from_api, to_labels)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import NksModule
from ansible_collections.nhncloud.nks.plugins.module_utils._specs import (
    autoscale_spec, control_plane_log_spec, extra_security_groups_spec, extra_volumes_spec,
    worker_settings_spec)
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    ValidationError, check_cluster_cidrs, check_cni_pod_cidr, check_name, check_pod_subnet, check_range,
    check_supported_version, check_upgrade_step, check_worker_options, is_uuid, normalize_version,
    parse_version, precondition_unmet)
from ansible_collections.nhncloud.nks.plugins.module_utils._views import cluster_view

REQUIRED_TO_CREATE = ("kube_version", "node_count", "flavor_id", "keypair", "fixed_network",
                      "fixed_subnet", "availability_zone", "node_image", "boot_volume_type",
                      "boot_volume_size")
TOP_LEVEL = ("flavor_id", "keypair", "fixed_network", "fixed_subnet")
# Which planner (NksClusterResource._plan_<operation>) changes an option in place: the label options by the
# label table's column, the others here (default-worker: resize, autoscaler, Change Instance Flavor).
CHANGED_BY = dict(CLUSTER_CHANGED_BY, node_count="default_worker", autoscale="default_worker",
                  flavor_id="default_worker", certificate_renewal="renew_certificate")
IN_PLACE = tuple(CHANGED_BY)
# The order in which the planners run, hence their requests (a CNI change first: it allows new pod networks).
OPERATIONS = ("cni_update", "default_worker", "update_sgw", "upgrade", "renew_certificate", "control_plane_log")
CNI_CHANGE_OPTIONS = ("pods_network_cidr", "pods_network_subnet")
LEGACY_CNI = "flannel"  # the CNI of clusters created before 2023-03-31 (no cni_driver label)
WRITE_ONLY = ("boot_volume_appkey", "boot_volume_key_id")
CNI_REMOVED = ("this NKS follows the API guide 2026-03, which removed Change Cluster CNI (release notes"
               " 2025-05-27; its /v1/supports lists no CLUSTER_CNI_UPDATE task type): the CNI of an existing"
               " cluster is now the calico add-on; use nhncloud.nks.nks_addon name=calico (version, options)"
               " instead, and leave cni_driver to the cluster's creation")
# Options no NKS operation changes on an existing cluster (compared by _compare.differences).
IMMUTABLE = tuple(row[0] for row in CLUSTER_LABELS
                  if row[0] not in IN_PLACE + WRITE_ONLY) + ("keypair", "fixed_network", "fixed_subnet")
WORKER_OPTIONS = ("availability_zone", "node_image", "boot_volume_type", "boot_volume_size",
                  "additional_network_ids", "additional_subnet_ids", "extra_security_groups",
                  "extra_volumes")
IMMUTABLE_ADVICE = ("for the worker options (%s) create another node group with nhncloud.nks.nks_nodegroup;"
                    " otherwise delete and re-create the cluster deliberately" % ", ".join(WORKER_OPTIONS))


def _shown_log(settings):
    """``control_plane_log`` settings for output: ``lncs_appkey`` masked."""
    shown = dict(settings or {})
    if shown.get("lncs_appkey"):
        shown["lncs_appkey"] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    return shown


def check_control_plane_log(settings):
    """The guide's rules of ``control_plane_log`` (Store Logs of Kubernetes Control Plane Components).

    :raises ValidationError: naming the suboption that is missing or out of range.
    """
    if not settings:
        return
    check_range(settings.get("upload_interval"), "control_plane_log.upload_interval", 1, 60)
    if not settings.get("enabled"):
        return
    needed = ["type", "sgw"] + (["lncs_appkey"] if settings.get("type") == "lncs" else []) \
        + (["obs_api_url"] if settings.get("type") == "obs" else [])
    missing = [key for key in needed if not settings.get(key)]
    if missing:
        raise ValidationError("control_plane_log.%s" % missing[0], "required when control_plane_log.enabled"
                              " is true (type %s); missing: %s"
                              % (settings.get("type") or "not set", ", ".join(missing)))


class NksClusterResource(Resource):
    """An NKS cluster, found by name or UUID (guide: Cluster)."""

    kind = "cluster"

    def describe(self):
        return "cluster %r" % self.params["name"]

    def find(self):
        return self.api.find_cluster(self.params["name"])

    def fetch(self, obj):
        return self.api.get_cluster(obj["uuid"])

    def view(self, obj):
        """:func:`cluster_view`; for ``state=absent`` also ``nodegroups``, the names of the node
        groups deleted with the cluster (List Node Groups; ``default-master`` is not listed)."""
        view = cluster_view(obj)
        if view is not None and self.params["state"] == "absent":
            view["nodegroups"] = sorted(ng.get("name") for ng in self.api.list_nodegroups(obj["uuid"]))
        return view

    # -- create -------------------------------------------------------------

    def typed_options(self):
        """The typed create options the user set (``None`` = not set)."""
        p = self.params
        opts = dict((row[0], p.get(row[0])) for row in CLUSTER_LABELS)
        if opts["kube_version"] is not None:
            opts["kube_version"] = normalize_version(opts["kube_version"])
        return opts

    def validate_create(self):
        p = self.params
        check_name(p["name"], "name")
        missing = [opt for opt in REQUIRED_TO_CREATE if p.get(opt) in (None, "")]
        if missing:
            raise ValidationError(missing[0], "required to create cluster %r; missing: %s"
                                  % (p["name"], ", ".join(missing)))
        _autoscale.check_node_count(p["node_count"], _autoscale.predict_create(p.get("autoscale")),
                                    "default-worker of the new cluster %r" % p["name"])
        check_supported_version(p["kube_version"], self.api.supported_versions(), "kube_version")

    def create_body(self):
        """Request body of Create a Cluster built from the options."""
        p = self.params
        opts = self.typed_options()
        if opts["master_lb_floating_ip"] is None:
            opts["master_lb_floating_ip"] = False
        labels = dict(FIXED_CLUSTER_LABELS)
        labels.update(to_labels(CLUSTER_LABELS, opts))
        labels.update(_autoscale.create_labels(p.get("autoscale")))
        labels.update(_worker.create_labels(p))
        labels.update(p.get("labels") or {})
        body = dict((key, p[key]) for key in TOP_LEVEL)
        body.update(name=p["name"], cluster_template_id="iaas_console",
                    node_count=int(p["node_count"]), labels=labels)
        return body

    def create(self):
        return self.api.create_cluster(self.create_body())

    def predict_create(self):
        view = dict((key, value) for key, value in self.typed_options().items() if value is not None)
        view.pop("boot_volume_appkey", None)
        view.update(uuid=None, name=self.params["name"], node_count=self.params["node_count"],
                    status="CREATE_COMPLETE" if self.mod.params["wait"] else "CREATE_IN_PROGRESS",
                    autoscale=_autoscale.predict_create(self.params.get("autoscale")))
        view.update(_worker.predict(self.params))
        if view.get("control_plane_log"):
            view["control_plane_log"] = _shown_log(view["control_plane_log"])
        for key in TOP_LEVEL:
            view[key] = self.params[key]
        return view

    def delete(self, obj):
        self.api.delete_cluster(obj["uuid"])

    # -- update ---------------------------------------------------------------

    def plan(self, obj):
        """The changes of the options set, planned by operation (:data:`CHANGED_BY`, in the order of
        :data:`OPERATIONS`), after refusing the differences no operation makes."""
        current = cluster_view(obj)
        wanted = set(CHANGED_BY[option] for option in CHANGED_BY if self.params[option] is not None)
        changes = self._plan_cni_update(obj, current) if "cni_update" in wanted else []
        self._refuse_immutable_changes(current, obj.get("labels") or {},
                                       skip=CNI_CHANGE_OPTIONS if changes else ())
        for operation in OPERATIONS[1:]:
            if operation in wanted:
                changes.extend(getattr(self, "_plan_" + operation)(obj, current))
        return changes

    def _plan_default_worker(self, obj, current):
        """Changes of ``default-worker``: autoscaler, resize, flavor (Change Instance Flavor), user script."""
        worker = self.api.get_nodegroup(obj["uuid"], DEFAULT_WORKER)
        if worker is None:
            return []
        p, uuid = self.params, obj["uuid"]
        changes = []
        merged_autoscale = autoscale_from_api(worker.get("labels") or {})
        autoscale_on = merged_autoscale.get("enabled")
        if p["autoscale"] is not None:
            have = autoscale_from_api(self.api.get_autoscale(uuid, DEFAULT_WORKER))
            merged, body = _autoscale.plan(have, p["autoscale"], "autoscale")
            if body is not None:
                changes.append(Change("autoscale", have, merged,
                                      lambda o: self.api.set_autoscale(o["uuid"], DEFAULT_WORKER, body)))
            autoscale_on, merged_autoscale = merged.get("enabled"), merged
        have_count = int(worker.get("node_count") or 0)
        if p["node_count"] is not None and have_count != p["node_count"]:
            _autoscale.check_node_count(p["node_count"], merged_autoscale, "%s of cluster %r"
                                        % (DEFAULT_WORKER, p["name"]))
            if autoscale_on:
                self.mod.warn("node_count %d ignored: the autoscaler of %s is on and decides the"
                              " number of nodes (currently %d)" % (p["node_count"], DEFAULT_WORKER, have_count))
            else:
                changes.append(Change("node_count", have_count, p["node_count"],
                                      lambda o: self.api.resize(o["uuid"], DEFAULT_WORKER, p["node_count"])))
        if p["flavor_id"] and worker.get("flavor_id") and worker["flavor_id"] != p["flavor_id"]:
            changes.append(Change("flavor_id", worker["flavor_id"], p["flavor_id"],
                                  lambda o: self.api.change_flavor(o["uuid"], DEFAULT_WORKER, p["flavor_id"],
                                                                   p["num_buffer_nodes"],
                                                                   p["num_max_unavailable_nodes"])))
        have_script = (worker.get("labels") or {}).get("user_script_v2") or ""
        if p["user_script"] is not None and have_script != p["user_script"]:
            changes.append(Change("user_script", have_script, p["user_script"],
                                  lambda o: self.api.set_userscript(o["uuid"], DEFAULT_WORKER, p["user_script"])))
        changes.extend(_worker.plan(self.api, uuid, DEFAULT_WORKER, worker.get("labels"), p))
        return changes

    def _plan_control_plane_log(self, obj, current):
        """Store Logs of Kubernetes Control Plane Components, when a key given differs (``lncs_appkey`` is
        never returned: it is sent with a change, not compared)."""
        want = dict((k, v) for k, v in self.params["control_plane_log"].items() if v is not None)
        have = current.get("control_plane_log") or {}
        if not have and not want.get("enabled"):
            have = {"enabled": False}  # no label: never stored
        compared = dict((k, v) for k, v in want.items() if k != "lncs_appkey")
        if have.get("enabled") is False and not want.get("enabled"):
            return []
        if all(have.get(k) == v for k, v in compared.items()):
            return []
        body = control_plane_log_to_api(want)
        return [Change("control_plane_log", have, _shown_log(want),
                       lambda o: self.api.set_control_plane_log(o["uuid"], body))]

    def _plan_update_sgw(self, obj, current):
        """Change Service Gateway: both gateways in one request; NKS changes them only on a cluster
        created with a service gateway."""
        p = self.params
        have = (current.get("ncr_sgw") or "", current.get("obs_sgw") or "")
        want = (have[0] if p["ncr_sgw"] is None else p["ncr_sgw"], have[1] if p["obs_sgw"] is None else p["obs_sgw"])
        if want == have:
            return []
        if not any(have):
            raise ValidationError("ncr_sgw" if p["ncr_sgw"] is not None else "obs_sgw",
                                  "NKS changes the service gateways only of a cluster created with one"
                                  " (Change Service Gateway), and cluster %r has none; it cannot get one"
                                  " later" % self.params["name"])
        return [Change("ncr_sgw", have[0], want[0], lambda o: self.api.update_sgw(o["uuid"], want[0], want[1])),
                Change("obs_sgw", have[1], want[1], None)]

    def _plan_cni_update(self, obj, current):
        """Change Cluster CNI, when ``cni_driver`` differs (only flannel -> calico exists).

        A cluster without a ``cni_driver`` label was created before 2023-03-31 (guide: the label
        is "available for clusters created on or after 2023.03.31") and runs Flannel.
        """
        p, labels = self.params, obj.get("labels") or {}
        have = current.get("cni_driver") or (LEGACY_CNI if labels and "cni_driver" not in labels else None)
        if p["cni_driver"] is None or not have or have == p["cni_driver"]:
            return []
        if not self.api.offers_cni_change():
            raise ValidationError("cni_driver", CNI_REMOVED)
        if p["cni_driver"] != "calico":
            raise ValidationError("cni_driver", "NKS changes the CNI of an existing cluster only to calico;"
                                                " the cluster uses %s" % have)
        if not p["pods_network_cidr"]:
            raise ValidationError("pods_network_cidr", "required to change the CNI to calico: the new pod"
                                                       " network (the current one is %s)"
                                  % (current.get("pods_network_cidr") or "not reported by NKS"))
        pod_cidr = check_cni_pod_cidr(p["pods_network_cidr"], current.get("service_cluster_ip_range"),
                                      current.get("pods_network_cidr"), option="pods_network_cidr")
        pod_subnet = check_pod_subnet(p["pods_network_subnet"] or 24, pod_cidr)
        body = {"cni": "calico", "pod_cidr": str(pod_cidr), "pod_subnet": str(pod_subnet)}
        for key in ("num_buffer_nodes", "num_max_unavailable_nodes"):
            if p[key] is not None:
                body[key] = p[key]
        return [Change("cni_driver", have, "calico", lambda o: self.api.update_cni(o["uuid"], body))]

    def _plan_renew_certificate(self, obj, current):
        """Renew Cluster Certificate when it expires within ``renew_before_days``."""
        renewal = self.params["certificate_renewal"]
        expiry = current.get("certificate_expiry")
        if expiry:
            try:
                expires = datetime.datetime.fromisoformat(expiry.replace("Z", "+00:00"))
            except ValueError:
                expires = None
            if expires is not None:
                if expires.tzinfo is None:
                    expires = expires.replace(tzinfo=datetime.timezone.utc)
                left = expires - datetime.datetime.now(datetime.timezone.utc)
                if left > datetime.timedelta(days=renewal["renew_before_days"]):
                    return []
        years = renewal["term_of_validity"]
        return [Change("certificate_expiry", expiry, "renewed for %d years" % years,
                       lambda o: self.api.renew_certificate(o["uuid"], years))]

    def _plan_upgrade(self, obj, current):
        """Upgrade a Cluster (the control plane) one minor version, when every node group is on its version."""
        uuid, have = obj["uuid"], current.get("kube_version")
        want = normalize_version(self.params["kube_version"])
        if behind_definition(self.mod.warn, have, want, self.describe()):
            return []
        if not have or not check_upgrade_step(have, want, "kube_version"):
            return []
        check_supported_version(want, self.api.supported_versions(), "kube_version")
        lagging = []
        for group in self.api.list_nodegroups(uuid):
            detail = self.api.get_nodegroup(uuid, group.get("uuid") or group["name"]) or {}
            version = (detail.get("labels") or {}).get("kube_tag")
            if version and parse_version(version) != parse_version(have):
                lagging.append((group["name"], version))
        if lagging:
            self._lagging(lagging, have, want)
        return [Change("kube_version", have, want, lambda o: self.api.upgrade(o["uuid"], CONTROL_PLANE, want))]

    def _lagging(self, lagging, have, want):
        """Node groups below the control plane block its upgrade. In check mode, when one earlier
        step of each (nhncloud.nks.nks_nodegroup kube_version) brings them to ``have``, this is a
        warning naming those steps, and the upgrade is predicted."""
        rule = ("the control plane can move to %s only when every node group is on %s; upgrade first: %s"
                % (want, have, ", ".join("%s (%s)" % item for item in lagging)))
        if self.mod.check_mode:
            for _name, version in lagging:
                check_upgrade_step(version, have, "kube_version")  # one earlier step must reach it
        precondition_unmet(self.mod.check_mode, self.mod.warn, "kube_version", rule,
                           "; ".join("nhncloud.nks.nks_nodegroup cluster=%s name=%s kube_version=%s"
                                     % (self.params["name"], name, have) for name, _v in lagging))

    def _refuse_immutable_changes(self, current, labels, skip=()):
        """Refuse, listing them all, the options and declared labels no NKS operation changes."""
        want = dict(self.typed_options(), **dict((key, self.params[key]) for key in TOP_LEVEL))
        options = [option for option in IMMUTABLE if option not in skip]
        refuse(differences(want, current, options) + label_differences(self.params["labels"], labels),
               "cluster", IMMUTABLE_ADVICE)


class NksCluster(NksModule):
    """The ``nks_cluster`` module."""

    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait_for=wait_for_spec(),
        wait_timeout=dict(type="int", default=3600),
        kube_version=dict(type="str"),
        node_count=dict(type="int"),
        flavor_id=dict(type="str"),
        keypair=dict(type="str", no_log=False),
        fixed_network=dict(type="str"),
        fixed_subnet=dict(type="str"),
        availability_zone=dict(type="str"),
        node_image=dict(type="str"),
        boot_volume_type=dict(type="str"),
        boot_volume_size=dict(type="int"),
        boot_volume_key_id=dict(type="str", no_log=False),
        boot_volume_appkey=dict(type="str", no_log=True),
        external_network_id=dict(type="str"),
        external_subnet_ids=dict(type="list", elements="str"),
        master_lb_floating_ip=dict(type="bool"),
        strict_sg_rules=dict(type="bool"),
        additional_network_ids=dict(type="list", elements="str"),
        additional_subnet_ids=dict(type="list", elements="str"),
        service_cluster_ip_range=dict(type="str"),
        pods_network_cidr=dict(type="str"),
        pods_network_subnet=dict(type="int"),
        ncr_sgw=dict(type="str"),
        obs_sgw=dict(type="str"),
        cni_driver=dict(type="str", choices=["calico", "calico-ebpf"]),
        autoscale=dict(type="dict", options=autoscale_spec()),
        user_script=dict(type="str"),
        legacy_user_script=dict(type="str"),
        extra_security_groups=dict(type="list", elements="dict", options=extra_security_groups_spec()),
        extra_volumes=dict(type="list", elements="dict", options=extra_volumes_spec()),
        num_buffer_nodes=dict(type="int"),
        num_max_unavailable_nodes=dict(type="int"),
        certificate_renewal=dict(type="dict", options=dict(
            renew_before_days=dict(type="int", required=True),
            term_of_validity=dict(type="int", default=5),
        )),
        labels=dict(type="dict"),
        control_plane_log=dict(type="dict", options=control_plane_log_spec()),
        **worker_settings_spec()
    )

    def validate_input(self):
        """Static checks of the guide's rules, before any request."""
        p = self.params
        if not is_uuid(p["name"]):
            check_name(p["name"], "name")
        check_worker_options(p)
        if p["master_lb_floating_ip"] and not (p["external_network_id"] and p["external_subnet_ids"]):
            raise ValidationError("master_lb_floating_ip", "can be true only when external_network_id"
                                                           " and external_subnet_ids are set")
        check_cluster_cidrs(pods_network_cidr=p["pods_network_cidr"],
                            service_cluster_ip_range=p["service_cluster_ip_range"],
                            pods_network_subnet=p["pods_network_subnet"],
                            kube_version=p["kube_version"])
        if p["certificate_renewal"]:
            check_range(p["certificate_renewal"]["term_of_validity"],
                        "certificate_renewal.term_of_validity", 1, 5)
            check_range(p["certificate_renewal"]["renew_before_days"],
                        "certificate_renewal.renew_before_days", 0)
        _worker.validate(p)
        check_control_plane_log(p["control_plane_log"])
        typed_labels = set(row[1] for row in CLUSTER_LABELS + AUTOSCALE_LABELS + FLOATING_IP_LABELS
                           + METRIC_AUTOSCALE_LABELS) | set(FIXED_CLUSTER_LABELS)
        clash = sorted(set(p["labels"] or {}) & typed_labels)
        if clash:
            raise ValidationError("labels", "must not set %s: use the typed options instead"
                                  % ", ".join(clash))

    def run(self):
        p = self.params
        if p["state"] == "present":
            self.validate_input()
        machine = StateMachine(NksClusterResource(self), self.check_mode, p["wait"],
                               Waiter(p["wait_timeout"]))
        outcome = machine.converge(p["state"])
        if p["state"] == "absent":
            deleted = (outcome.before or {}).get("nodegroups", []) if outcome.changed else []
            return outcome.result("cluster", self.diff_mode, deleted_nodegroups=deleted)
        wait_after_converge(self, (outcome.after or {}).get("uuid"))
        return outcome.result("cluster", self.diff_mode)


def main():
    NksCluster()()


if __name__ == "__main__":
    main()
