#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nks_info
short_description: Gather information about NHN Kubernetes Service (NKS) clusters
version_added: 0.1.0
description:
  - Read clusters, node groups, the task history (events), autoscaler settings, the API endpoint IP access
    control list and the supported Kubernetes versions of NHN Kubernetes Service (NKS) on NHN Cloud.
  - Only read operations of the NKS API v2 are called. The module never changes anything and always reports
    C(changed=false).
  - When nothing matches (an unknown cluster, node group or event), the lists it returns are empty and the
    task does not fail.
  - Secrets never appear in what is returned (encrypted volume app keys are masked). Use
    M(nhncloud.nks.nks_kubeconfig) to get a cluster's kubeconfig.
author:
  - nhncloud.nks contributors (@nhncloud)
options:
  cluster:
    description:
      - Name or UUID of the cluster to read.
      - When not set, RV(clusters) lists every cluster of the project and only V(clusters) and
        V(supported_versions) may be gathered.
      - A name that several clusters carry fails the task; give the UUID then.
    type: str
  nodegroup:
    description:
      - Name or UUID of one node group of O(cluster).
      - With V(nodegroups) in O(gather), RV(nodegroups) holds just that node group, in full detail.
      - With V(autoscale) in O(gather), RV(autoscale) is read for that node group instead of
        V(default-worker).
    type: str
  event:
    description:
      - UUID of one task history entry (event) of O(cluster).
      - With V(events) in O(gather), RV(events) holds just that event.
    type: str
  gather:
    description:
      - What to read.
      - V(clusters) lists every cluster, or reads O(cluster) in full detail.
      - V(nodegroups) lists the node groups of O(cluster), or reads O(nodegroup) in full detail.
      - V(events) lists the task history of O(cluster), or reads O(event).
      - V(autoscale) reads the autoscaler settings of O(nodegroup), or of V(default-worker).
      - V(ipacl) reads the IP access control list of the API endpoint of O(cluster).
      - V(supported_versions) reads the Kubernetes versions and the task types NKS supports.
      - V(addons) lists the add-ons installed on O(cluster), or on every cluster when O(cluster) is not set
        (2026-03 guide, "View a List of Add-ons Installed on a Cluster").
      - V(addon_catalog) reads the add-on types and the add-ons NHN Cloud offers (2026-03 guide, "View a List of
        Add-ons Types Offered by NHN Cloud", "View a List of Add-ons Offered by NHN Cloud").
      - With the 2025-02 guide (no add-on API, NKS answers 404), V(addons) is empty and V(addon_catalog) says
        RV(addon_catalog.available=false).
      - V(nodegroups), V(events), V(autoscale) and V(ipacl) need O(cluster).
      - When not set, V(clusters), plus V(nodegroups) when O(nodegroup) is set and V(events) when O(event) is set.
    type: list
    elements: str
    choices: [clusters, nodegroups, events, autoscale, ipacl, supported_versions, addons, addon_catalog]
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.INFO
notes:
  - The node group list (List Node Groups) has no labels, so no Kubernetes version and no autoscaler
    settings; RV(nodegroups) therefore reads each listed node group in full detail (Get a Node Group, one
    request per node group). The control plane node group V(default-master) is not listed by NKS.
  - Likewise RV(clusters) is the list answer (List Clusters) when O(cluster) is not set, and the full detail
    (Get a Cluster) when it is.
  - Each cluster in RV(clusters) carries the support lifecycle of its Kubernetes version from the NKS version
    guide (2026-03, "Schedule for Kubernetes Version-Specific Support", UTC dates). When the end of service
    (EOS) of a cluster's version is 90 days away or less, or past, the module warns, naming the cluster and
    the date.
seealso:
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_kubeconfig
"""

EXAMPLES = r"""
- name: List every cluster of the project
  nhncloud.nks.nks_info:
    region: kr1
    tenant_id: "{{ nhn_tenant_id }}"
    username: "{{ nhn_username }}"
    api_password: "{{ nhn_api_password }}"
  register: all_clusters

- name: Show their names and statuses
  ansible.builtin.debug:
    msg: "{{ all_clusters.clusters | items2dict(key_name='name', value_name='status') }}"

- name: Read everything about one cluster
  nhncloud.nks.nks_info:
    cluster: my-cluster
    gather: [clusters, nodegroups, events, autoscale, ipacl]
  register: my_cluster

- name: Fail when the cluster does not exist
  ansible.builtin.assert:
    that: my_cluster.clusters | length == 1
    fail_msg: my-cluster does not exist

- name: Read one node group in full detail, with its autoscaler settings
  nhncloud.nks.nks_info:
    cluster: my-cluster
    nodegroup: gpu-workers
    gather: [nodegroups, autoscale]
  register: gpu_workers

- name: Read one task history entry
  nhncloud.nks.nks_info:
    cluster: my-cluster
    event: 868f218a-9446-4500-b6b3-8c1a95e3d7c3
  register: one_event

- name: Pick the newest Kubernetes version NKS offers
  nhncloud.nks.nks_info:
    gather: [supported_versions]
  register: nks_supports

- name: Show it
  ansible.builtin.debug:
    msg: "Newest version: {{ nks_supports.supported_versions.available | last }}"

- name: List the add-ons installed on a cluster and those NHN Cloud offers
  nhncloud.nks.nks_info:
    cluster: my-cluster
    gather: [addons, addon_catalog]
  register: addons

- name: Show the add-ons and their versions
  ansible.builtin.debug:
    msg: "{{ addons.addons | items2dict(key_name='name', value_name='version') }}"

- name: List the clusters whose Kubernetes version reaches its end of service within 90 days
  nhncloud.nks.nks_info:
  register: all_clusters

- name: Show them with the date
  ansible.builtin.debug:
    msg: "{{ all_clusters.clusters | selectattr('support_ending') | items2dict(key_name='name', value_name='end_of_service') }}"

- name: Set the connection options once for the whole group of modules
  module_defaults:
    group/nhncloud.nks.all:
      region: kr2
      tenant_id: "{{ nhn_tenant_id }}"
      username: "{{ nhn_username }}"
      api_password: "{{ nhn_api_password }}"
  block:
    - name: Read the IP access control list of the API endpoint
      nhncloud.nks.nks_info:
        cluster: my-cluster
        gather: [ipacl]
      register: acl
"""

RETURN = r"""
clusters:
  description:
    - The clusters read, as typed views (the create options read back from the labels, with their
      option names and types).
    - Every cluster of the project when O(cluster) is not set; a list answer has fewer fields, missing ones are
      V(null).
    - One cluster in full detail when O(cluster) is set; empty when it does not exist.
  returned: when V(clusters) is gathered
  type: list
  elements: dict
  contains:
    uuid:
      description: Cluster UUID.
      type: str
      sample: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
    name:
      description: Cluster name.
      type: str
      sample: my-cluster
    status:
      description: Cluster status, for example V(CREATE_COMPLETE) or V(UPDATE_IN_PROGRESS).
      type: str
      sample: CREATE_COMPLETE
    status_reason:
      description: Why the cluster has its status (set on failures).
      type: str
      sample: null
    kube_version:
      description: Kubernetes version of the control plane (label C(kube_tag)).
      type: str
      sample: v1.28.3
    kube_version_status:
      description: V(LATEST), or V(NEED_UPGRADE) when a newer version is offered.
      type: str
      sample: LATEST
    node_count:
      description: Number of worker nodes of all node groups.
      type: int
      sample: 3
    node_addresses:
      description: IP addresses of the worker nodes.
      type: list
      elements: str
      sample: ["192.168.0.9", "192.168.0.10"]
    api_address:
      description: URL of the Kubernetes API endpoint.
      type: str
      sample: https://388794e6-kr1-k8s.container.nhncloud.com:6443
    flavor_id:
      description: Instance type UUID of the default worker node group.
      type: str
      sample: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
    fixed_network:
      description: VPC network UUID.
      type: str
      sample: eb212079-b6ec-430c-ba57-14280a457bcb
    fixed_subnet:
      description: VPC subnet UUID.
      type: str
      sample: 4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90
    autoscale:
      description: Autoscaler settings of the default worker node group, typed (see RV(autoscale)).
      type: dict
      sample: {"enabled": false, "min_node_count": 1, "max_node_count": 10}
    certificate_expiry:
      description: Expiry time of the cluster certificates, when the API tells.
      type: str
      sample: "2029-01-30T01:42:39+00:00"
    labels:
      description: The raw labels, secrets masked.
      type: dict
      sample: {"kube_tag": "v1.28.3", "cni_driver": "calico"}
    end_of_support:
      description:
        - End of service support of the cluster's Kubernetes version (NKS version guide 2026-03, UTC), an ISO date;
          after it NKS supports only upgrades.
        - V(null) when the guide does not list the version (or the list answer has no version).
      type: str
      sample: "2027-01-31"
    end_of_service:
      description: End of service (EOS) of the cluster's Kubernetes version, an ISO date; V(null) when unknown.
      type: str
      sample: "2027-11-30"
    days_to_end_of_service:
      description: Days from today (UTC) to RV(clusters[].end_of_service), negative once past; V(null) when unknown.
      type: int
      sample: 358
    support_phase:
      description: V(supported), V(upgrade_only) (after the end of service support) or V(end_of_service); V(null)
        when unknown.
      type: str
      sample: supported
    support_ending:
      description: Whether the end of service is 90 days away or less, or past (the module then warns).
      type: bool
      sample: false
  sample:
    - uuid: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
      name: my-cluster
      status: CREATE_COMPLETE
      status_reason: null
      kube_version: v1.28.3
      kube_version_status: LATEST
      node_count: 1
      node_addresses: ["192.168.0.9"]
      availability_zone: kr-pub-a
      master_lb_floating_ip: true
      external_subnet_ids: ["59ddc195-76b1-431d-9693-f09880747dc6"]
      cni_driver: calico
      autoscale: {"enabled": false, "min_node_count": 1, "max_node_count": 10}
nodegroups:
  description:
    - The node groups of O(cluster), each in full detail (Get a Node Group), as typed views.
    - Just O(nodegroup) when it is set, or an empty list when it does not exist.
    - Empty when O(cluster) does not exist.
  returned: when V(nodegroups) is gathered
  type: list
  elements: dict
  contains:
    uuid:
      description: Node group UUID.
      type: str
      sample: 1d9a6e4d-0a8b-4bd0-a3a4-8c1d3c6b0c57
    name:
      description: Node group name.
      type: str
      sample: default-worker
    status:
      description: Node group status.
      type: str
      sample: CREATE_COMPLETE
    node_count:
      description: Number of nodes.
      type: int
      sample: 1
    min_node_count:
      description: Lower bound of the node count.
      type: int
      sample: 1
    max_node_count:
      description: Upper bound of the node count.
      type: int
      sample: 10
    flavor_id:
      description: Instance type UUID.
      type: str
      sample: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
    image_id:
      description: Base image UUID.
      type: str
      sample: f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc
    role:
      description: V(worker) (V(master) for the control plane).
      type: str
      sample: worker
    is_default:
      description: The API's C(is_default) flag, as NKS reports it (its examples show V(false) for C(default-worker)).
      type: bool
      sample: false
    kube_version:
      description: Kubernetes version of the node group.
      type: str
      sample: v1.28.3
    kube_version_status:
      description: V(LATEST), or V(NEED_UPGRADE) when a newer version is offered.
      type: str
      sample: LATEST
    autoscale:
      description: Autoscaler settings read from the node group's C(ca_*) labels, typed (keys as in RV(autoscale)).
      type: dict
      sample: {"enabled": false, "min_node_count": 1, "max_node_count": 10, "scale_down_enabled": true,
               "scale_down_unneeded_time": 3, "scale_down_util_thresh": 50, "scale_down_delay_after_add": 3}
  sample:
    - uuid: 1d9a6e4d-0a8b-4bd0-a3a4-8c1d3c6b0c57
      name: default-worker
      cluster_id: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
      status: CREATE_COMPLETE
      status_reason: null
      node_count: 1
      min_node_count: 1
      max_node_count: 10
      role: worker
      is_default: false
      flavor_id: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
      image_id: f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc
      availability_zone: kr2-pub-b
      boot_volume_type: General HDD
      boot_volume_size: 20
      kube_version: v1.28.3
      kube_version_status: LATEST
      autoscale: {"enabled": false, "min_node_count": 1, "max_node_count": 10, "scale_down_enabled": true,
                  "scale_down_unneeded_time": 3, "scale_down_util_thresh": 50, "scale_down_delay_after_add": 3}
events:
  description:
    - The task history of O(cluster), as the API gives it (View Task History List).
    - Just the event O(event) when it is set, or an empty list when it does not exist.
    - Empty when O(cluster) does not exist.
  returned: when V(events) is gathered
  type: list
  elements: dict
  contains:
    uuid:
      description: Task UUID.
      type: str
      sample: 868f218a-9446-4500-b6b3-8c1a95e3d7c3
    type:
      description: Task type (see RV(supported_versions.event_types)).
      type: str
      sample: CLUSTER_CREATE
    state:
      description: V(SUCCESS), V(FAIL) or V(IN_PROGRESS).
      type: str
      sample: SUCCESS
    resource_type:
      description: V(cluster) or V(nodegroup).
      type: str
      sample: cluster
    resource_name:
      description: Name of the cluster or node group the task worked on.
      type: str
      sample: my-cluster
    contents:
      description: Task progress or failure message; V(null) on success.
      type: str
      sample: null
    created_at:
      description: Task start time (UTC).
      type: str
      sample: "2024-01-30T01:31:06+00:00"
    updated_at:
      description: Task end time (UTC).
      type: str
      sample: "2024-01-30T01:42:39+00:00"
  sample:
    - id: 3683
      uuid: 868f218a-9446-4500-b6b3-8c1a95e3d7c3
      cluster_uuid: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
      cluster_name: my-cluster
      resource_uuid: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
      resource_name: my-cluster
      resource_type: cluster
      type: CLUSTER_CREATE
      state: SUCCESS
      contents: null
      created_at: "2024-01-30T01:31:06+00:00"
      updated_at: "2024-01-30T01:42:39+00:00"
autoscale:
  description:
    - Autoscaler settings of O(nodegroup), or of V(default-worker) when O(nodegroup) is not set, typed.
    - Empty when the cluster or the node group does not exist.
  returned: when V(autoscale) is gathered
  type: dict
  contains:
    nodegroup:
      description: The node group the settings belong to, as asked (name or UUID).
      type: str
      sample: default-worker
    enabled:
      description: Whether the autoscaler is on.
      type: bool
      sample: true
    min_node_count:
      description: Fewest nodes the autoscaler keeps.
      type: int
      sample: 1
    max_node_count:
      description: Most nodes the autoscaler adds.
      type: int
      sample: 10
    scale_down_enabled:
      description: Whether the autoscaler removes nodes.
      type: bool
      sample: true
    scale_down_unneeded_time:
      description: Minutes a node stays unneeded before it is removed.
      type: int
      sample: 10
    scale_down_util_thresh:
      description: Utilisation (percent) below which a node is unneeded.
      type: int
      sample: 50
    scale_down_delay_after_add:
      description: Minutes after a scale-up before scale-down resumes.
      type: int
      sample: 10
  sample:
    nodegroup: default-worker
    enabled: true
    min_node_count: 2
    max_node_count: 10
    scale_down_enabled: true
    scale_down_unneeded_time: 10
    scale_down_util_thresh: 50
    scale_down_delay_after_add: 10
ipacl:
  description:
    - The IP access control list of the API endpoint of O(cluster).
    - Empty when the cluster does not exist.
  returned: when V(ipacl) is gathered
  type: dict
  contains:
    enabled:
      description: Whether IP access control is applied to the API endpoint.
      type: bool
      sample: true
    action:
      description: V(ALLOW) or V(DENY); V(null) when access control is off.
      type: str
      sample: ALLOW
    targets:
      description:
        - The addresses the action applies to, in CIDR notation (a single address as V(/32)), sorted by address,
          then prefix length; each CIDR once. Empty when access control is off.
        - The same view as RV(nhncloud.nks.nks_ipacl#module:ipacl).
      type: list
      elements: dict
      contains:
        cidr:
          description: An IP address or a CIDR range.
          type: str
          sample: 10.10.22.0/24
        description:
          description: Description of the entry, V(null) when none.
          type: str
          sample: office
  sample:
    enabled: true
    action: ALLOW
    targets:
      - cidr: 10.10.22.0/24
        description: office
      - cidr: 192.168.0.5/32
        description: null
addons:
  description:
    - The add-ons installed on O(cluster), or on every cluster when it is not set (View a List of Add-ons
      Installed on a Cluster), as in RV(nhncloud.nks.nks_addon#module:addon), with the cluster's name.
    - Empty when the cluster does not exist, or NKS has no add-on API.
  returned: when V(addons) is gathered
  type: list
  elements: dict
  contains:
    name:
      description: Add-on name.
      type: str
      sample: calico
    type:
      description: Add-on type.
      type: str
      sample: cni
    version:
      description: Add-on version.
      type: str
      sample: v3.28.2-nks1
    options:
      description: Add-on options.
      type: dict
      sample: {"mode": "vxlan"}
    status:
      description: Add-on status.
      type: str
      sample: UPDATE_COMPLETE
    status_reason:
      description: Why the add-on has its status.
      type: str
      sample: null
    mandatory:
      description: Whether its type is mandatory (cannot be removed).
      type: bool
      sample: true
    cluster_uuid:
      description: UUID of the cluster.
      type: str
      sample: 6c1284e2-8ead-46a7-ace9-c19d6eec76b3
    cluster_name:
      description: Name of the cluster.
      type: str
      sample: my-cluster
    created_at:
      description: When it was installed (UTC).
      type: str
      sample: "2025-04-25T15:11:48+00:00"
    updated_at:
      description: When it last changed (UTC).
      type: str
      sample: "2025-04-25T15:17:16+00:00"
addon_catalog:
  description: The add-on types and add-ons NHN Cloud offers.
  returned: when V(addon_catalog) is gathered
  type: dict
  contains:
    available:
      description: Whether NKS has the add-on API (V(false) with the 2025-02 guide, which answers 404).
      type: bool
      sample: true
    types:
      description: The add-on types (C(uuid), C(name), C(mandatory)).
      type: list
      elements: dict
      sample: [{"uuid": "123e4567-e89b-12d3-a456-426614174001", "name": "cni", "mandatory": true}]
    mandatory_types:
      description: Names of the mandatory types.
      type: list
      elements: str
      sample: [cni, kube-dns]
    addons:
      description:
        - The offered add-ons as the API gives them (C(uuid), C(type), C(name), C(version), C(option_schemas),
          C(k8s_min_version), C(k8s_max_version), C(description)), oldest version of each name first.
        - With O(cluster), each also has C(fits_cluster), whether it runs on the cluster's Kubernetes version.
      type: list
      elements: dict
      sample:
        - uuid: 23454567-1234-12d3-a456-426614174005
          type: kube-dns
          name: coredns
          version: 1.8.4-nks1
          option_schemas: []
          k8s_min_version: v1.26.0
          k8s_max_version: null
          fits_cluster: true
supported_versions:
  description: Kubernetes versions and task types NKS supports (See the Supported Kubernetes Versions).
  returned: when V(supported_versions) is gathered
  type: dict
  contains:
    supported_k8s:
      description: Every version NKS knows, and whether it is offered for new clusters and upgrades.
      type: dict
      sample: {"v1.25.4": false, "v1.26.3": true, "v1.27.3": true}
    available:
      description: The versions offered, oldest first.
      type: list
      elements: str
      sample: ["v1.26.3", "v1.27.3", "v1.28.3", "v1.29.3"]
    event_types:
      description: Task types by kind (C(cluster_events), C(nodegroup_events)), with their descriptions.
      type: dict
      sample:
        cluster_events:
          CLUSTER_CREATE: Create a cluster
        nodegroup_events:
          CLUSTER_RESIZE: Resize the cluster
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.info import NksInfo


def main():
    NksInfo.main()


if __name__ == "__main__":
    main()
