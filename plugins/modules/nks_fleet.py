#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nks_fleet
short_description: Converge a whole fleet of NKS clusters in one module process
version_added: 0.1.0
description:
  - 'Converges, for every member of the fleet (each host of the play is one cluster, planned from the
    C(nhncloud.nks.cluster) role''s variables by the filter C(nhncloud.nks.cluster_role_spec)), what the role converges
    with one module task per host, but in ONE task (C(run_once: true)) and ONE module process: each member''s tasks
    run the modules'' own logic, in threads (at most O(concurrency) members at once), without a module process per host.
    C(playbooks/fleet.yml) converges a fleet this way (C(roles/cluster/tasks/fleet.yml)).'
  - 'The phases (O(phases)), each for every member before the next: V(cluster) converges each cluster and its
    C(default-worker) node group as M(nhncloud.nks.nks_cluster) does; V(nodegroups) each node group as
    M(nhncloud.nks.nks_nodegroup) does (each but the last of a cluster waited for by its task); V(addons) each add-on as
    M(nhncloud.nks.nks_addon) does; V(ipacl) the API endpoint IP ACL as M(nhncloud.nks.nks_ipacl) does; V(kubeconfig) the
    kubeconfig file as M(nhncloud.nks.nks_kubeconfig) does (its directory is created, mode C(0700), when missing);
    V(ready) waits as O(nhncloud.nks.cluster#role:main:cluster_wait_for) says, sending no change.'
  - After the V(cluster), V(nodegroups) and V(ipacl) phases the clusters that phase changed are waited for with ONE cluster
    list per poll per connection (endpoint and project), as M(nhncloud.nks.nks_wait) waits, every connection at once.
  - 'Members may name different endpoints, regions, projects and credentials (O(members[].connection): what Ansible
    resolved for each host, C(module_defaults) and inventory variables included); a member''s unset connection options
    are this task''s own. Each connection without O(auth_token) obtains one token for all its tasks.'
  - An error fails that member only (its entry in RV(hosts) says why, with the module's message), and the later phases
    leave it out.
  - 'With O(member), run per host: the task records the host''s member (its O(member.plan) and the connection options
    set for this host, as the task received them) in RV(member), sending nothing; its action plugin does it on the
    controller without a module process.'
  - 'With O(report), run per host: the task''s result is that host''s outcome, failed with its message, or changed when
    any phase changed its cluster.'
  - In check mode nothing is sent but reads; a cluster that does not exist yet is reported as created, with what would be
    created with it (RV(hosts.previews)).
  - In diff mode each member's differences are in RV(hosts.diff), and in the host's result with O(report).
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.attributes.ACTIONS
options:
  phases:
    description:
      - The phases to run for every member, in this order. One of O(phases), O(member) and O(report) is required.
    type: list
    elements: str
    choices: [cluster, nodegroups, addons, ipacl, kubeconfig, ready]
  members:
    description:
      - The fleet's members, usually the RV(member) recorded by each host of the play
        (C(ansible_play_batch | map('extract', hostvars, 'cluster__fleet_member') | map(attribute='member'))).
    type: list
    elements: dict
    default: []
    suboptions:
      host:
        description: The host (inventory name) of the member.
        type: str
        required: true
      plan:
        description: The plan of its cluster, as the filter C(nhncloud.nks.cluster_role_spec) returns it.
        type: dict
        required: true
      connection:
        description:
          - The connection options of the member (the options of the doc fragment C(nhncloud.nks.auth)); unset ones are
            this task's.
        type: dict
        suboptions:
          region:
            description: As O(region).
            type: str
          api_url:
            description: As O(api_url).
            type: str
          identity_url:
            description: As O(identity_url).
            type: str
          tenant_id:
            description: As O(tenant_id).
            type: str
          username:
            description: As O(username).
            type: str
          api_password:
            description: As O(api_password).
            type: str
          auth_token:
            description: As O(auth_token).
            type: str
          validate_certs:
            description: As O(validate_certs).
            type: bool
          http_timeout:
            description: As O(http_timeout) (checked by each task as that option is).
            type: raw
  member:
    description:
      - Record this host's member (RV(member)) instead of converging anything.
    type: dict
    suboptions:
      host:
        description: The host (C(inventory_hostname)).
        type: str
        required: true
      plan:
        description: The plan of its cluster (filter C(nhncloud.nks.cluster_role_spec)).
        type: dict
        required: true
  previous:
    description:
      - RV(hosts) of an earlier C(nks_fleet) task of the same fleet (or its whole result), which tells each member's
        cluster UUID and whether it failed already (to split the phases over several tasks).
    type: dict
    default: {}
  concurrency:
    description:
      - Most members converged at once (threads; each sends its requests in turn).
    type: int
    default: 10
  wait_timeout:
    description:
      - Seconds the fleet wait after a phase gives each cluster. Default the longest C(wait_timeout) of the members of
        that connection.
    type: int
  ready_timeout:
    description:
      - Seconds each cluster may take in the V(ready) phase. Default its C(wait_timeout).
    type: int
  progress_interval:
    description:
      - Longest time (s) between two progress lines of a fleet wait.
    type: int
    default: 30
  report:
    description:
      - One host's entry of RV(hosts) (of the last phase task); the task then reports that host's outcome.
    type: dict
notes:
  - 'A member of the action group C(group/nhncloud.nks.all): C(module_defaults) reach it, for the O(member) step of each
    host (its connection) and for the phase task.'
  - The progress of the fleet waits is printed while the module runs (its action plugin tails a private file).
seealso:
  - module: nhncloud.nks.nks_wait
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_kubeconfig
"""

EXAMPLES = r"""
- name: Record each host's member (its plan and connection options)
  nhncloud.nks.nks_fleet:
    member:
      host: "{{ inventory_hostname }}"
      plan: "{{ {'cluster_definition': cluster_definition} | nhncloud.nks.cluster_role_spec }}"
  register: fleet_member
  no_log: true

- name: Converge every cluster, phase by phase (one process)
  nhncloud.nks.nks_fleet:
    phases: [cluster, nodegroups, addons, ipacl, kubeconfig, ready]
    members: "{{ ansible_play_batch | map('extract', hostvars, 'fleet_member') | map(attribute='member') | list }}"
    concurrency: 10
  run_once: true
  register: fleet

- name: Each host's outcome
  nhncloud.nks.nks_fleet:
    report: "{{ fleet.hosts[inventory_hostname] | default({}) }}"
"""

RETURN = r"""
member:
  description: With O(member), the host's member (C(host), C(plan), C(connection)), for O(members).
  returned: with O(member)
  type: dict
  sample: {}
hosts:
  description: Host name to that member's entry (with O(phases)).
  returned: with O(phases)
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
      description: Phase to the module's result (a list of results for V(nodegroups) and V(addons)).
      type: dict
    previews:
      description: In check mode, for a cluster that does not exist yet, what would be created with it.
      type: list
      elements: str
    diff:
      description: The modules' differences (diff mode).
      type: list
      elements: dict
    submitted:
      description: Whether this task sent a change for the cluster (check mode, would send).
      type: bool
  sample: {}
waiting:
  description: UUIDs of the clusters this task sent a change to and that did not fail.
  returned: with O(phases)
  type: list
  elements: str
  sample: []
failed_hosts:
  description: Hosts whose cluster failed, sorted.
  returned: with O(phases)
  type: list
  elements: str
  sample: []
polls:
  description: Cluster list requests of the fleet waits, per connection (its endpoint, and project when given).
  returned: with O(phases)
  type: dict
  sample: {"https://kr1-api-kubernetes-infrastructure.nhncloudservice.com": 12}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.nhncloud.nks.plugins.module_utils._client import CONNECTION_ENV
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet_run import (FLEET_MODULE_KWARGS, FleetRun,
                                                                              fleet_module_spec, member_of, report,
                                                                              waiting)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import auth_argument_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._progress import from_environment
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError, check_ranges


def main():
    """Record a member, report one, or converge the members' phases (see DOCUMENTATION)."""
    spec = auth_argument_spec()
    spec.update(fleet_module_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **FLEET_MODULE_KWARGS)
    p = module.params
    try:
        check_ranges(dict((k, v) for k, v in spec.items() if k != "members"), p)
    except ValidationError as exc:
        module.fail_json(msg=str(exc), option=exc.option)
    if p["member"]:
        module.exit_json(changed=False, member=member_of(p["member"], p))
    if p["report"] is not None:
        result = report(p["report"])
        if result.get("failed"):
            module.fail_json(**result)
        module.exit_json(**result)
    progress = from_environment()
    defaults = dict((option, p[option]) for option, dummy in CONNECTION_ENV)
    run = FleetRun(p["members"], defaults, module, previous=p["previous"].get("hosts", p["previous"]),
                   check_mode=module.check_mode, diff=module._diff, concurrency=p["concurrency"],
                   wait_timeout=p["wait_timeout"], ready_timeout=p["ready_timeout"],
                   progress=progress.write if progress is not None else None, interval=p["progress_interval"])
    entries = run.run(p["phases"])
    module.exit_json(changed=any(e["submitted"] for e in entries.values()), hosts=entries, waiting=waiting(entries),
                     failed_hosts=sorted(h for h, e in entries.items() if e["failed"]), polls=run.polls)


if __name__ == "__main__":
    main()
