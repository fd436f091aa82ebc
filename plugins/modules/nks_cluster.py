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
    change, saying so, and O(state=absent) deletes it. Except a new O(kube_version) upgrade, and nothing else,
    of a cluster left C(UPDATE_FAILED) by an upgrade, which NKS accepts (user guide 2026-03) and the module sends.
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

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.cluster import NksCluster


def main():
    NksCluster.main()


if __name__ == "__main__":
    main()
