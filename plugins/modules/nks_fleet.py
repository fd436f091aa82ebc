#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nks_fleet
short_description: Converge a phase of a whole fleet of NKS clusters from one process on the controller
version_added: 0.1.0
description:
  - 'Runs, for every host of the play (each host is one cluster described by the C(nhncloud.nks.cluster) role''s variables),
    what the role converges with one module task per host, but in ONE task (C(run_once: true)): the action plugin runs the
    modules'' own code in-process on the controller, in threads, so that no module process is started per host.
    C(playbooks/fleet.yml) runs the phases this way (C(roles/cluster/tasks/fleet.yml)).'
  - 'The phases (O(phases)): V(cluster) converges each cluster and its C(default-worker) node group as
    M(nhncloud.nks.nks_cluster) does, without waiting; V(nodegroups) each node group as M(nhncloud.nks.nks_nodegroup)
    does, each but the last of a cluster waited for (a cluster runs one node group operation at a time);
    V(ipacl) the API endpoint IP ACL as M(nhncloud.nks.nks_ipacl) does, without waiting; V(kubeconfig) the kubeconfig
    file as M(nhncloud.nks.nks_kubeconfig) does (its directory is created, mode C(0700), when missing); V(ready) waits
    as O(nhncloud.nks.cluster#role:main:cluster_wait_for) says (the Kubernetes API, and its nodes Ready), sending no
    change. Wait for the clusters changed by a phase with M(nhncloud.nks.nks_wait) (RV(waiting)) before the next one.'
  - Each host's options are validated with the module's own argument spec, and each host's result is the module's
    result; an error fails that host only (its entry in RV(hosts) says why, with the module's message), and the later
    phases leave it out.
  - 'With O(report), run per host (no C(run_once)): the task''s result is that host''s outcome, failed with its message,
    or changed when any phase changed its cluster.'
  - In check mode nothing is sent but reads; a cluster that does not exist yet is reported as created, with what
    would be created with it (RV(hosts.previews)).
  - In diff mode each host's differences are in RV(hosts.diff), and in the host's result with O(report).
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.attributes.ACTIONS
options:
  phases:
    description:
      - The phases to run for every host, in this order. One of O(phases) and O(report) is required.
    type: list
    elements: str
    choices: [cluster, nodegroups, ipacl, kubeconfig, ready]
  hosts:
    description:
      - The hosts (clusters) to converge. Default the keys of O(host_vars) when given, else the play batch
        (C(ansible_play_batch)). Hosts whose C(cluster_state) is not V(present) are left out.
    type: list
    elements: str
  host_vars:
    description:
      - 'Host name to the role''s variables of that host: C(cluster_definition), C(cluster_defaults),
        C(cluster_nodegroup_defaults), C(cluster_kubeconfig_dir), C(cluster_wait_timeout), C(cluster_wait_for),
        C(cluster_state).'
      - 'By default each variable is read from the host''s variables (inventory, facts, extra vars), else the play''s,
        else the role''s defaults.'
    type: dict
  previous:
    description:
      - The registered result of the previous C(nks_fleet) task of the fleet (or its RV(hosts)), which tells each
        host's cluster UUID and whether it failed already.
    type: dict
    default: {}
  waited:
    description:
      - The registered result of the M(nhncloud.nks.nks_wait) task since O(previous); the hosts whose cluster is in its
        RV(nhncloud.nks.nks_wait#module:failed_clusters) fail with its message.
    type: dict
    default: {}
  concurrency:
    description:
      - Most hosts converged at once (threads; each sends its requests in turn). V(0) means no limit.
    type: int
    default: 10
  ready_timeout:
    description:
      - Seconds each cluster may take in the V(ready) phase. Default its C(wait_timeout), else C(cluster_wait_timeout).
    type: int
  report:
    description:
      - One host's entry of RV(hosts) (of the last phase task); the task then reports that host's outcome.
    type: dict
notes:
  - The action plugin runs on the controller, whatever the host's connection; the connection options fall back to their
    environment variables, those of the task's C(environment) over the controller's, as for every module.
  - Not a member of the action group C(group/nhncloud.nks.all) (C(module_defaults) do not reach it); give O(auth_token)
    or the other connection options as task options, or set their environment variables.
  - All hosts share the connection options, so one token (O(auth_token)) serves the whole fleet; each thread uses its own
    HTTP session.
seealso:
  - module: nhncloud.nks.nks_wait
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_kubeconfig
"""

EXAMPLES = r"""
- name: Send every cluster's create or change (one process)
  nhncloud.nks.nks_fleet:
    phases: [cluster]
    concurrency: 10
    auth_token: "{{ nks_auth.auth_token }}"
  run_once: true
  register: fleet_clusters

- name: Wait for them (one cluster list per poll)
  nhncloud.nks.nks_wait:
    clusters: "{{ fleet_clusters.waiting }}"
  run_once: true
  register: fleet_clusters_wait

- name: Node groups, IP ACLs, kubeconfigs and readiness
  nhncloud.nks.nks_fleet:
    phases: [nodegroups, ipacl, kubeconfig, ready]
    previous: "{{ fleet_clusters }}"
    waited: "{{ fleet_clusters_wait }}"
  run_once: true
  register: fleet_rest

- name: Each host's outcome
  nhncloud.nks.nks_fleet:
    report: "{{ fleet_rest.hosts[inventory_hostname] | default({}) }}"
"""

RETURN = r"""
hosts:
  description: Host name to that host's entry (not with O(report)).
  returned: success
  type: dict
  contains:
    name:
      description: The cluster's name.
      type: str
    uuid:
      description: The cluster's UUID, V(null) while it does not exist (check mode).
      type: str
    changed:
      description: Whether this task or an earlier one (O(previous)) changed the cluster.
      type: bool
    failed:
      description: Whether the cluster failed (here, in an earlier task or in its wait).
      type: bool
    msg:
      description: Why it failed, the module's or the wait's message.
      type: str
    results:
      description: Phase to the module's result (a list of results for V(nodegroups)).
      type: dict
    previews:
      description: In check mode, for a cluster that does not exist yet, what would be created with it.
      type: list
      elements: str
    diff:
      description: The modules' differences (diff mode).
      type: list
      elements: dict
  sample: {}
waiting:
  description: UUIDs of the clusters this task sent a change to and that did not fail, for M(nhncloud.nks.nks_wait).
  returned: success
  type: list
  elements: str
  sample: []
failed_hosts:
  description: Hosts whose cluster failed, sorted.
  returned: success
  type: list
  elements: str
  sample: []
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet import PHASE_MODULE_KWARGS, phase_argument_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._module import auth_argument_spec


def main():
    """Without its action plugin this module cannot read the play's hosts: it fails."""
    spec = auth_argument_spec()
    spec.update(phase_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **PHASE_MODULE_KWARGS)
    module.fail_json(msg="nhncloud.nks.nks_fleet runs only through its action plugin, on the controller")


if __name__ == "__main__":
    main()
