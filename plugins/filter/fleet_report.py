# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data of the fleet report (playbook ``nhncloud.nks.fleet_report``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: fleet_report
short_description: The data of the NKS fleet report, one row per cluster with the drift of its definition
version_added: 0.1.0
author: nhncloud.nks contributors
description:
- 'One row per cluster of a fleet inventory (and per cluster of the project no host names): status, Kubernetes
  version, the end of service of that version (NKS version guide), certificate expiry, health
  (C(health_status_reason)), node counts, and the drift between the host''s C(cluster_definition) (over
  C(cluster_defaults)) and the cluster.'
- The drift compares every option the definition sets with the cluster turned into its own definition (the same
  code as the filter P(nhncloud.nks.cluster_definition#filter)), values in a canonical form (lists as sets,
  booleans by value). Not compared - the role does not converge them - C(kubeconfig), C(wait_timeout),
  C(certificate_renewal), the rollout settings, secrets, and C(node_count) while the autoscaler is on.
- The playbook C(nhncloud.nks.fleet_report) writes it as JSON and as a self-contained HTML page.
options:
  _input:
    description:
      - One entry per inventory host, each with C(name) (the host), C(definition) (C(cluster_definition)),
        C(defaults) (C(cluster_defaults)), C(nodegroup_defaults) (C(cluster_nodegroup_defaults)), C(state)
        (C(cluster_state)), C(info) (the M(nhncloud.nks.nks_info) result for its cluster, O(nhncloud.nks.nks_info#module:gather)
        V(clusters), V(nodegroups), V(ipacl), V(addons)) and C(autoscale) (RV(nhncloud.nks.nks_info#module:autoscale)
        answers of its node groups, read by UUID).
    type: list
    elements: dict
    required: true
  unmanaged:
    description:
      - RV(nhncloud.nks.nks_info#module:clusters) of the whole project (List Clusters); those no host names are
        added as rows that are not in the inventory.
    type: list
    elements: dict
  today:
    description:
      - The date (UTC, C(YYYY-MM-DD)) the day counts are taken from; default today.
    type: str
"""

EXAMPLES = r"""
- name: Write the report data
  ansible.builtin.copy:
    dest: fleet-report.json
    content: "{{ report_hosts | nhncloud.nks.fleet_report(unmanaged=project.clusters) | to_nice_json }}"
    mode: "0644"
"""

RETURN = r"""
_value:
  description:
    - 'C(generated_at), C(today), C(lifecycle_guide) (revision of the NKS version guide), C(summary) (counts:
      C(clusters), C(in_inventory), C(not_in_inventory), C(missing), C(drifted), C(unhealthy), C(support_ending),
      C(certificate_expiring), C(not_complete)) and C(clusters) (the rows, by name; docs/fleet-report.md lists their keys).'
  type: dict
"""

import datetime

from ansible.errors import AnsibleFilterError

from ansible_collections.nhncloud.nks.plugins.module_utils._report import fleet_report as _fleet_report


def fleet_report(hosts, unmanaged=None, today=None):
    """:func:`._report.fleet_report` of the hosts' data.

    :raises AnsibleFilterError: when ``hosts`` is not a list, or ``today`` is not a date.
    """
    if not isinstance(hosts, list):
        raise AnsibleFilterError("fleet_report: the input must be a list of hosts' data, got %s" % type(hosts).__name__)
    now = None
    if today:
        try:
            now = datetime.datetime.strptime(str(today), "%Y-%m-%d").date()
        except ValueError:
            raise AnsibleFilterError("fleet_report: today must be a date YYYY-MM-DD, got %r" % (today,))
    return _fleet_report([h for h in hosts if h], unmanaged=unmanaged, now=now)


class FilterModule(object):
    """The filter ``nhncloud.nks.fleet_report``."""

    def filters(self):
        return {"fleet_report": fleet_report}
