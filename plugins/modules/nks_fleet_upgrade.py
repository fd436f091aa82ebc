#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nks_fleet_upgrade
short_description: Upgrade a stage of a fleet of NKS clusters in one process, with one shared wait
version_added: 0.2.0
description:
  - Runs one stage of an update run (C(playbooks/fleet_upgrade.yml)) in B(one) module process, run once for the
    play (C(run_once=true)); every cluster of O(clusters) is brought to O(kube_version) one minor version at a time,
    each in NKS's order (user guide, "Upgrade Rules"), the add-ons that do not run on the next version first, then
    the control plane (C(default-master)), then the worker node groups one at a time, then the add-ons
    (O(addons)).
  - The role C(nhncloud.nks.upgrade) (C(playbooks/upgrade.yml)) runs it for one cluster per host, so one cluster
    and a fleet are upgraded by the same planner and the same steps (C(plugins/module_utils/_upgrade.py)).
  - 'Pre-flight, before any request, for every cluster: NKS''s rules (the target offered, one minor version at a
    time, the control plane and node groups consistent, no operation running, the NKS registry, each add-on''s
    supported range), and, through the cluster''s own Kubernetes API, nodes not Ready and PodDisruptionBudgets
    allowing no disruption (C(status.disruptionsAllowed) 0) on a cluster whose node groups will be drained (user
    guide, "Pod eviction cautions": NKS then fails the node group upgrade), each named with its namespace and
    selector. A blocked cluster is not touched; it fails the stage unless its host is in O(skip_blocked).'
  - Up to O(max_concurrency) clusters are upgraded at once. Each request is sent as the modules send it
    (M(nhncloud.nks.nks_cluster) and M(nhncloud.nks.nks_nodegroup) with C(kube_version) and C(wait=false),
    M(nhncloud.nks.nks_addon)), then the requests in flight are waited for together, one cluster list per poll
    (M(nhncloud.nks.nks_wait)'s wait); after each control plane or node group step, NKS must report the version and
    the cluster's Kubernetes API (and the node group's nodes, Ready at the version) must answer
    (O(check_nodes)).
  - When more clusters have failed than O(max_failed_clusters) (with O(failed_before)), no further cluster is
    started (those under way finish); RV(stopped) says why. A failure's reason is the newest failed entry of the
    cluster's task history (C(GET /v1/clusters/{uuid}/events)).
  - With O(soak_seconds), the stage's clusters are watched afterwards; a cluster whose Kubernetes API stops
    answering or whose nodes are not Ready in two probes in a row fails.
  - 'Resuming: the plan is made from what NKS reports, so finished steps send nothing and a control plane or node
    group whose upgrade failed (C(UPDATE_FAILED)) is upgraded again, sent as the first attempt was
    (M(nhncloud.nks.nks_cluster) and M(nhncloud.nks.nks_nodegroup) accept a new O(nhncloud.nks.nks_nodegroup#module:kube_version)
    upgrade of an C(UPDATE_FAILED) resource, user guide 2026-03).'
  - In check mode nothing is sent; RV(clusters) holds each cluster's planned steps and its blockers.
  - The action plugin of this module prints progress lines (clusters done, running, failed) at least every
    O(progress_interval) seconds.
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.ACTIONS
options:
  clusters:
    description:
      - The clusters of the stage, in the order to start them.
    type: list
    elements: dict
    required: true
    suboptions:
      host:
        description: The inventory host of the cluster (the key of RV(clusters)).
        type: str
        required: true
      cluster:
        description: The cluster's name or UUID.
        type: str
        required: true
      api_url:
        description: The NKS endpoint of this cluster (default O(api_url)).
        type: str
  stage:
    description: The stage's name, in progress lines and RV(stage).
    type: str
    default: all
  kube_version:
    description: The version to end on, C(vX.Y.Z); unset means the newest version NKS offers.
    type: str
  nodegroup_order:
    description: Worker node groups upgraded first, in this order; the others follow in the order NKS lists them.
    type: list
    elements: str
    default: []
  num_buffer_nodes:
    description: Buffer nodes of each worker node group upgrade (NKS default 1).
    type: int
  num_max_unavailable_nodes:
    description: Nodes unavailable at once in each worker node group upgrade (NKS default 1).
    type: int
  addons:
    description:
      - Which add-ons each step updates after its worker node groups, as the role C(nhncloud.nks.upgrade)'s
        C(upgrade_addons) (the filter C(nhncloud.nks.upgrade_plan)).
    type: str
    choices: [mandatory, all, required, none]
    default: mandatory
  addon_resolve_conflicts:
    description: C(resolve_conflicts) of each add-on update.
    type: str
    choices: [none, overwrite, preserve]
    default: overwrite
  nks_registry:
    description: Whether the clusters' NKS registry is enabled (V(false) blocks them); unset is not checked.
    type: bool
  wait_timeout:
    description: Seconds each step may take.
    type: int
    default: 3600
  check_nodes:
    description:
      - Check the nodes through each cluster's Kubernetes API (pre-flight and after each step); V(false) for a
        controller the clusters' IP ACL keeps out.
    type: bool
    default: true
  check_pdbs:
    description: Block clusters with a PodDisruptionBudget allowing no disruption (pre-flight).
    type: bool
    default: true
  max_concurrency:
    description: Clusters upgraded at once; V(0) means all of the stage.
    type: int
    default: 10
  max_failed_clusters:
    description: Clusters that may fail (in this stage and earlier ones, O(failed_before)) before the run stops.
    type: int
    default: 0
  failed_before:
    description: Clusters that failed in earlier stages of the run.
    type: int
    default: 0
  skip_blocked:
    description: Hosts whose cluster is left out, not failed, when the pre-flight blocks it.
    type: list
    elements: str
    default: []
  soak_seconds:
    description: Seconds the stage's clusters are watched after the stage.
    type: int
    default: 0
  soak_interval:
    description: Seconds between two probes of the soak.
    type: int
    default: 10
  pause_file:
    description:
      - A pause flag. While this file exists, the run starts no further cluster (those under way finish their
        step), and the stage stops with RV(stopped) naming the file and what it says (the rulebook
        C(extensions/eda/rulebooks/pause_update_run_on_failure.yml) raises it when a node group upgrade fails,
        see C(docs/eda.md)). Remove the file and run again to go on.
      - Not set, no flag is checked.
    type: path
  preflight_only:
    description: Only read, plan and check (every stage's clusters at once, before any request); send nothing.
    type: bool
    default: false
  progress_interval:
    description: Seconds between two progress lines (at most).
    type: int
    default: 30
notes:
  - Runs on the controller (C(run_once=true), C(connection=local)); all clusters share the connection options but
    O(clusters[].api_url).
seealso:
  - module: nhncloud.nks.nks_wait
"""

EXAMPLES = r"""
- name: Upgrade the canary stage
  nhncloud.nks.nks_fleet_upgrade:
    stage: canary
    clusters:
      - {host: web-01, cluster: web-01}
      - {host: web-02, cluster: web-02}
    kube_version: v1.29.3
    max_concurrency: 5
    soak_seconds: 600
  run_once: true
  register: canary
"""

RETURN = r"""
stage:
  description: The stage's name.
  returned: always
  type: str
  sample: canary
clusters:
  description: Host to that cluster's report.
  returned: always
  type: dict
  contains:
    cluster: {description: The cluster's name., type: str}
    uuid: {description: The cluster's UUID (null when not found)., type: str}
    outcome:
      description: upgraded, unchanged, failed, blocked, skipped, not_started or planned (check mode, pre-flight).
      type: str
    reason: {description: Why it failed or was blocked., type: str}
    from_version: {description: The control plane's version before., type: str}
    target: {description: The version to end on., type: str}
    plan: {description: The plan as lines of text., type: list, elements: str}
    plan_detail:
      description:
        - The plan as the filter C(nhncloud.nks.upgrade_plan) returns it (C(cluster), C(uuid), C(control_plane),
          C(target), C(nodegroups), C(steps), C(addons), C(errors), C(summary)); null when the cluster was not read.
        - The role C(nhncloud.nks.upgrade) sets its fact C(upgrade_plan) from it.
      type: dict
    blockers: {description: What the pre-flight found., type: list, elements: str}
    warnings: {description: What could not be checked., type: list, elements: str}
    steps:
      description: Each step (C(text), C(kind), C(name), C(version), C(started_at) epoch s, C(duration) s,
        C(outcome) done, failed or planned, C(reason)).
      type: list
      elements: dict
    duration: {description: Seconds the cluster took., type: float}
  sample: {}
failed_hosts:
  description: Hosts whose cluster failed (sorted).
  returned: always
  type: list
  elements: str
  sample: []
blocked_hosts:
  description: Hosts whose cluster the pre-flight blocked and that are not in O(skip_blocked) (sorted).
  returned: always
  type: list
  elements: str
  sample: []
stopped:
  description: Why the run stopped (too many failures), or null.
  returned: always
  type: str
  sample: null
counts:
  description: Outcome to number of clusters.
  returned: always
  type: dict
  sample: {upgraded: 3}
progress:
  description: The progress lines printed.
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.fleet_upgrade import NksFleetUpgrade


def main():
    NksFleetUpgrade.main()


if __name__ == "__main__":
    main()
