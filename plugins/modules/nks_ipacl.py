#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nks_ipacl
short_description: Control which IP addresses may reach the API endpoint of an NHN Kubernetes Service (NKS) cluster
version_added: 0.1.0
description:
  - Reads the IP access control (ACL) of a cluster's Kubernetes API endpoint (guide, "Get Cluster API
    Endpoint IP Access Control") and sets it when it differs from the options given (guide, "Enforce IP
    Access Control to Cluster API Endpoints").
  - O(targets) is a set. Order does not matter; a bare IP address equals the same address with V(/32);
    entries with the same CIDR collapse into one (see O(targets)).
  - In check mode, a cluster that does not exist yet is a warning instead of an error (an earlier task of the
    same run, for example M(nhncloud.nks.nks_cluster), may create it); the task then predicts the ACL from that of
    a new cluster (IP access control off) and sends nothing.
  - NKS applies an ACL at once. The cluster must have no other operation running; one that is running
    is waited for first, and after the change the ACL is read back (waiting again if the cluster shows
    an operation in progress). NKS accepts nothing but a delete on a cluster in a C(*_FAILED) status, so the
    task then fails before any change, saying so.
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.wait
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.ACTIONS
options:
  cluster:
    description: Name or UUID of the cluster.
    type: str
    required: true
  enabled:
    description:
      - V(true) enforces the ACL described by O(action) and O(targets).
      - V(false) turns IP access control off. NKS ignores every other setting then, so O(action) and
        O(targets) given with V(false) are ignored with a warning. Nothing is sent when it is already off.
    type: bool
    required: true
  action:
    description:
      - V(ALLOW) lets only the O(targets) reach the API endpoint; V(DENY) refuses them.
      - Required when O(enabled=true).
    type: str
    choices: [ALLOW, DENY]
  targets:
    description:
      - IP addresses and ranges the O(action) applies to.
      - Each entry is a dict with the keys C(cidr) (required) and C(description) (optional), or a string,
        the CIDR alone (the string V(10.0.0.0/8) is the same as an entry whose C(cidr) is V(10.0.0.0/8)). Any
        other shape fails, naming O(targets) and the shape expected, before any request.
      - C(cidr) is an IPv4 address (the same as V(/32)) or an IPv4 range in CIDR notation, for example
        V(10.10.22.0/24). Host bits are kept as given, as NKS keeps them (V(10.10.22.3/24) and
        V(10.10.22.0/24) are different targets).
      - C(description) says what the target is, for example V(office). An entry without one has no description
        (with O(purge_targets=true), a description set before is removed).
      - With O(purge_targets=true) (the default), this is the whole list; with O(purge_targets=false)
        these targets are added to those already set, and a target already set takes the description given here.
      - When not set, the targets already set are kept. Turning the ACL on needs at least one target.
      - When several entries have the same CIDR, one is kept, the last one with a description (or the last
        one when none has a description), with a warning.
      - With O(action=ALLOW), a V(/0) range such as V(0.0.0.0/0) lets every address in, as if the ACL were off;
        the task warns.
    type: list
    elements: raw
  purge_targets:
    description:
      - V(true) makes O(targets) the whole list, removing targets not in it.
      - V(false) adds O(targets) to those already set.
    type: bool
    default: true
notes:
  - Targets are sent in CIDR notation (a bare IP address as V(/32)).
seealso:
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_info
"""

EXAMPLES = r"""
- name: Let only the office and one host reach the API endpoint (the guide's example)
  nhncloud.nks.nks_ipacl:
    cluster: test-k8s
    enabled: true
    action: ALLOW
    targets:
      - cidr: 192.168.0.5
      - cidr: 10.10.22.3/24
        description: Your Friends

- name: The same targets as strings (no descriptions)
  nhncloud.nks.nks_ipacl:
    cluster: test-k8s
    enabled: true
    action: ALLOW
    targets: [192.168.0.5, 10.10.22.3/24]

- name: Add one more address, keeping those already allowed
  nhncloud.nks.nks_ipacl:
    cluster: test-k8s
    enabled: true
    action: ALLOW
    purge_targets: false
    targets:
      - cidr: 203.0.113.7
        description: CI runner

- name: Turn IP access control off
  nhncloud.nks.nks_ipacl:
    cluster: test-k8s
    enabled: false
"""

RETURN = r"""
ipacl:
  description:
    - The ACL after the task (the prediction in check mode).
    - When the ACL is off, RV(ipacl.action) is V(null) and RV(ipacl.targets) empty (NKS ignores them).
  returned: success
  type: dict
  contains:
    enabled:
      description: Whether IP access control is enforced.
      type: bool
      sample: true
    action:
      description: V(ALLOW) or V(DENY).
      type: str
      sample: ALLOW
    targets:
      description: The targets, sorted by address, then prefix length; each CIDR once.
      type: list
      elements: dict
      contains:
        cidr:
          description: The target in CIDR notation (a single address as V(/32)).
          type: str
          sample: 192.168.0.5/32
        description:
          description: Description of the target, V(null) when it has none.
          type: str
          sample: Your Friends
cluster_uuid:
  description: UUID of the cluster.
  returned: success
  type: str
  sample: 8be87215-9db7-45ed-a03c-38e6db939915
diff:
  description: The ACL before and after the task (as predicted in check mode), when run with C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The ACL before, as in RV(ipacl).
      type: dict
    after:
      description: The ACL after, as in RV(ipacl).
      type: dict
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.ipacl import NksIpAcl


def main():
    NksIpAcl.main()


if __name__ == "__main__":
    main()
