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
  - 'Resuming: the plan is made from what NKS reports, so finished steps send nothing and a node group whose
    upgrade failed (C(UPDATE_FAILED)) is upgraded again.'
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

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.nhncloud.nks.plugins.module_utils._api import NksApi
from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    CONNECTION_ENV, HAS_REQUESTS, NksApiError, NksError, client_from_options, option_sources)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import auth_argument_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._progress import from_environment
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.runner import run_task
from ansible_collections.nhncloud.nks.plugins.module_utils._upgrade import run_stage
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    NUMERIC_RANGES, ValidationError, check_range, check_ranges)

RANGES = {"max_concurrency": (0, None), "max_failed_clusters": (0, None), "failed_before": (0, None),
          "soak_seconds": (0, None), "soak_interval": (1, None), "progress_interval": (1, None)}
"""``(minimum, maximum)`` of this module's own numeric options (``None``: no bound)."""

ARGUMENT_SPEC = dict(
    clusters=dict(type="list", elements="dict", required=True, options=dict(
        host=dict(type="str", required=True), cluster=dict(type="str", required=True),
        api_url=dict(type="str"))),
    stage=dict(type="str", default="all"),
    kube_version=dict(type="str"),
    nodegroup_order=dict(type="list", elements="str", default=[]),
    num_buffer_nodes=dict(type="int"),
    num_max_unavailable_nodes=dict(type="int"),
    addons=dict(type="str", choices=["mandatory", "all", "required", "none"], default="mandatory"),
    addon_resolve_conflicts=dict(type="str", choices=["none", "overwrite", "preserve"], default="overwrite"),
    nks_registry=dict(type="bool"),
    wait_timeout=dict(type="int", default=3600),
    check_nodes=dict(type="bool", default=True),
    check_pdbs=dict(type="bool", default=True),
    max_concurrency=dict(type="int", default=10),
    max_failed_clusters=dict(type="int", default=0),
    failed_before=dict(type="int", default=0),
    skip_blocked=dict(type="list", elements="str", default=[]),
    soak_seconds=dict(type="int", default=0),
    soak_interval=dict(type="int", default=10),
    pause_file=dict(type="path"),
    preflight_only=dict(type="bool", default=False),
    progress_interval=dict(type="int", default=30),
)
"""The module's own options (the connection options are ``_module.auth_argument_spec()``)."""


def check_all_ranges(spec, params):
    """``_validation.NUMERIC_RANGES`` for the options it lists, :data:`RANGES` for the others.

    :raises ValidationError: naming the option and its range."""
    spec = dict(spec)
    for name in RANGES:
        if name not in NUMERIC_RANGES:
            spec.pop(name, None)
            if params.get(name) is not None:
                check_range(params[name], name, *RANGES[name])
    check_ranges(spec, params)


def main():
    """Run one stage (``_upgrade.run_stage``): one token for the run, each request through
    ``_tasks.runner.run_task`` in this process, progress lines to the action plugin's file."""
    spec = auth_argument_spec()
    spec.update(ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"))
    p = module.params
    progress = from_environment()
    options = dict((o, p.get(o)) for o, dummy in CONNECTION_ENV)
    sources = option_sources(dict((k, v) for k, v in p.items() if v is not None), os.environ)
    user_agent = "nhncloud.nks-ansible/nks_fleet_upgrade"
    tokens = {}

    def make_api(endpoint):
        given = dict(options, api_url=endpoint or options.get("api_url"))
        if tokens:
            given["auth_token"] = list(tokens.values())[0]
        api = NksApi(client_from_options(given, sources, user_agent=user_agent))
        token = api.client.token  # one identity request for the whole run
        tokens.setdefault("token", token)
        return api, token

    try:
        check_all_ranges(spec, p)
        result = run_stage(p, make_api, lambda name, args: run_task(name, args, module, check_mode=module.check_mode),
                           check_mode=module.check_mode, say=progress.write if progress is not None else None,
                           progress_interval=p["progress_interval"])
    except ValidationError as exc:
        module.fail_json(msg=str(exc), option=exc.option)
    except NksApiError as exc:
        module.fail_json(msg=exc.describe(), status=exc.status, detail=exc.detail, request_id=exc.request_id)
    except (NksError, ValueError) as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
