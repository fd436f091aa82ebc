#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nks_wait
short_description: Wait for a whole fleet of NKS clusters at once, with one cluster list per poll
version_added: 0.1.0
description:
  - Waits until every cluster of O(clusters) has no operation in progress, polling the cluster list
    (C(GET /v1/clusters), the NKS API guide's "List Clusters") once per poll for the whole fleet, whatever its
    size. A cluster shows C(UPDATE_IN_PROGRESS) while any of its node group operations runs, so this covers node
    group creates, resizes, upgrades and autoscaler changes too.
  - 'Meant for fleets: send every cluster''s change with O(nhncloud.nks.nks_cluster#module:wait=false) (or
    O(nhncloud.nks.nks_nodegroup#module:wait=false), ...), then run this module B(once) (C(run_once: true))
    for the whole fleet. C(playbooks/fleet.yml) does exactly this, phase by phase.'
  - Each cluster's wait ends as soon as a poll shows it settled; the polls follow the schedule of the other
    modules' waits (about one per second at first, sparser later, dense again around an operation's typical end),
    at the shortest delay any cluster still running asks for, so a cluster is seen settling as soon as a single
    module would see it.
  - A cluster that ends in C(*_FAILED), disappears or is still running after O(wait_timeout) does not fail the
    task, which runs once for the fleet (a failure would fail every host). It is listed in RV(failed_clusters),
    and RV(clusters) holds its message (RV(clusters.msg)); fail its own host with it (see the examples).
  - 'While it waits, the action plugin of this module prints the fleet''s progress on the controller (shown at
    the default verbosity, and in C(ansible-runner) and AWX job output): how many clusters have settled, failed,
    are still running, at least every O(progress_interval) seconds, and a line for each cluster that fails.'
  - In check mode the list is read once and nothing is waited for; each cluster is reported as it is (RV(clusters.outcome)
    V(running), V(settled), V(failed) or V(absent)) and none is listed in RV(failed_clusters).
  - The module changes nothing and always reports C(changed=false).
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.INFO
options:
  clusters:
    description:
      - Names or UUIDs of the clusters to wait for. Duplicates are ignored; an empty list sends no request.
      - A name that several clusters carry fails that entry (give the UUID).
    type: list
    elements: str
    required: true
  wait_timeout:
    description:
      - Seconds each cluster may take from the start of this task. A cluster still running then is listed in
        RV(failed_clusters) with a message saying so; its operation goes on in NKS (run the play again to attach to it).
      - The default covers a cluster create, which takes 25 to 40 minutes on NHN Cloud.
    type: int
    default: 3600
  expected_duration:
    description:
      - Typical duration, in seconds, of the operations waited for. Between 0.85 and 1.5 times it, the polls are at
        most 3 seconds apart, as in the single-cluster modules' waits.
      - By default it follows each cluster's status as those modules do (a cluster create about 600 seconds, a delete
        300); set it when the status does not tell, for example V(300) for node group creates, which show as the
        cluster's C(UPDATE_IN_PROGRESS).
    type: int
  progress_interval:
    description:
      - Longest time, in seconds, between two progress lines while clusters are still running.
    type: int
    default: 30
notes:
  - The action plugin runs on the controller, in the Ansible worker of the task, whatever the host's connection.
    The connection options fall back, as for every module, to their environment variables, those of the task's
    C(environment) (and of its blocks and play) over the controller's environment.
  - A cluster that is not in the list yet is waited for up to 30 seconds (a create that was just accepted) before
    its wait fails with C(NOT_FOUND).
seealso:
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_nodegroup
  - module: nhncloud.nks.nks_info
"""

EXAMPLES = r"""
- name: Create a fleet, then wait for it once
  hosts: nks_fleet
  connection: local
  gather_facts: false
  tasks:
    - name: Send each cluster's create, without waiting
      nhncloud.nks.nks_cluster:
        name: "{{ inventory_hostname }}"
        kube_version: v1.28.3
        node_count: 1
        # ... the other create options
        wait: false
      register: submitted
      throttle: 10

    - name: Wait for the whole fleet (one GET /v1/clusters per poll)
      nhncloud.nks.nks_wait:
        clusters: "{{ ansible_play_batch }}"
        wait_timeout: 2700
      run_once: true
      register: fleet

    - name: Fail the clusters that failed or timed out, each on its own host
      ansible.builtin.fail:
        msg: "{{ fleet.clusters[inventory_hostname].msg }}"
      when: inventory_hostname in fleet.failed_clusters
"""

RETURN = r"""
clusters:
  description: One entry per cluster of O(clusters), keyed by the name or UUID given.
  returned: always
  type: dict
  contains:
    outcome:
      description:
        - V(settled) (no operation in progress, not failed), V(failed) (C(*_FAILED), not found, or an ambiguous
          name), V(timed_out); in check mode also V(running) and V(absent).
      type: str
      sample: settled
    failed:
      description: V(true) when the cluster's wait failed or timed out.
      type: bool
      sample: false
    msg:
      description:
        - Why the wait failed, as the single-cluster modules say it (status and C(status_reason), or the timeout
          and what to do); V(null) when it did not fail.
      type: str
      sample: "cluster 'web-01' is CREATE_FAILED: quota exceeded"
    status:
      description: The cluster's last status seen (V(null) when never found).
      type: str
      sample: CREATE_COMPLETE
    status_reason:
      description: The API's C(status_reason).
      type: str
    uuid:
      description: The cluster's UUID (V(null) when never found).
      type: str
    name:
      description: The cluster's name.
      type: str
    waited:
      description: Seconds from the start of the task until this cluster's wait ended.
      type: float
      sample: 42.5
    cluster:
      description: The cluster as M(nhncloud.nks.nks_cluster) returns it (typed view), V(null) when never found.
      type: dict
  sample:
    web-01:
      outcome: settled
      failed: false
      msg: null
      status: CREATE_COMPLETE
      status_reason: Stack CREATE completed successfully
      uuid: 9a3a2c6e-3d47-4c76-a3a8-4a1f0a4c6e7b
      name: web-01
      waited: 612.4
      cluster: {}
settled_clusters:
  description: Keys of RV(clusters) whose wait ended settled, sorted.
  returned: always
  type: list
  elements: str
  sample: [web-01]
failed_clusters:
  description: Keys of RV(clusters) whose wait failed or timed out, sorted (empty in check mode).
  returned: always
  type: list
  elements: str
  sample: []
polls:
  description: Cluster list requests sent (C(GET /v1/clusters)).
  returned: always
  type: int
  sample: 105
waited:
  description: Seconds the task waited in all.
  returned: always
  type: float
  sample: 640.2
poll_errors:
  description: Transient errors of polls (no answer, HTTP 429 or 5xx) that were tried again.
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.wait import NksWaitModule


def main():
    NksWaitModule.main()


if __name__ == "__main__":
    main()
