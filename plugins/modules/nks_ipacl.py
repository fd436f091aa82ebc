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

from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (
    Change, SettingsResource, StateMachine, Waiter, api_status)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import NksModule
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    ValidationError, check_name, is_uuid, normalize_ip_cidr, precondition_unmet)
from ansible_collections.nhncloud.nks.plugins.module_utils._views import (
    ACL_OFF, acl_view, collapse_targets)

FIELDS = ("enabled", "action", "targets")


def acl_body(want):
    """Body of Enforce IP Access Control to Cluster API Endpoints for a typed ACL."""
    if not want["enabled"]:
        return {"enable": "False"}
    targets = []
    for target in want["targets"]:
        item = {"cidr_address": target["cidr"]}
        if target["description"]:
            item["description"] = target["description"]
        targets.append(item)
    return {"enable": "True", "action": want["action"], "ipacl_targets": targets}


TARGET_SHAPE = "a CIDR string such as 10.0.0.0/8, or a dict {cidr: 10.0.0.0/8, description: office}"


def target_entry(item):
    """One entry of the ``targets`` option, typed: ``{"cidr": "a.b.c.d/n", "description": str or None}``.

    :param item: a dict with ``cidr`` (required) and ``description`` (optional), or a CIDR string.
    :raises ValidationError: naming ``targets`` and the expected shape for anything else (an unknown
        key, a missing ``cidr``, a number ...), or ``targets.cidr`` for a CIDR that is not IPv4.
    """
    if isinstance(item, str):
        return {"cidr": normalize_ip_cidr(item.strip(), "targets.cidr"), "description": None}
    if not isinstance(item, dict):
        raise ValidationError("targets", "each entry must be %s, got %r" % (TARGET_SHAPE, item))
    unknown = sorted(set(item) - {"cidr", "description"})
    if unknown:
        raise ValidationError("targets", "unknown key(s) %s in %r; each entry must be %s"
                              % (", ".join(map(str, unknown)), item, TARGET_SHAPE))
    if item.get("cidr") in (None, ""):
        raise ValidationError("targets", "an entry has no cidr: %r; each entry must be %s" % (item, TARGET_SHAPE))
    if not isinstance(item["cidr"], str):
        raise ValidationError("targets.cidr", "must be an IPv4 address or CIDR, got %r" % (item["cidr"],))
    description = item.get("description")
    if description is not None and not isinstance(description, str):
        description = str(description)
    return {"cidr": normalize_ip_cidr(item["cidr"], "targets.cidr"), "description": description or None}


class NksIpAclResource(SettingsResource):
    """The API endpoint ACL of a cluster: a settings resource that always exists.

    The object passed around is ``uuid`` and ``cluster`` (Get a Cluster: :meth:`status` reads
    its status, so the engine attaches to and waits for its operations) plus ``acl``, the
    answer of Get Cluster API Endpoint IP Access Control.
    """

    kind = "ipacl"

    def __init__(self, mod, given):
        super(NksIpAclResource, self).__init__(mod)
        self.given = given

    def describe(self):
        return "cluster %r" % self.params["cluster"]

    def find(self):
        """The cluster and its ACL. A missing cluster is an error, except in check mode, where an
        earlier task of the run may create it: a warning names that task and the object is a new
        cluster's (no UUID, IP access control off), so the task predicts from it."""
        name = self.params["cluster"]
        cluster = self.api.find_cluster(name)
        if cluster is None:
            precondition_unmet(self.mod.check_mode, self.mod.warn, "cluster",
                               "no cluster is named %r (or has that UUID)" % name,
                               "for example nhncloud.nks.nks_cluster name=%s" % name)
            return dict(uuid=None, cluster={"name": name, "status": "CREATE_COMPLETE"}, acl=None)
        return self._wrap(cluster)

    def fetch(self, obj):
        cluster = self.api.get_cluster(obj["uuid"])
        return self._wrap(cluster) if cluster is not None else None

    def _wrap(self, cluster):
        return dict(uuid=cluster["uuid"], cluster=cluster,
                    acl=self.api.get_ipacl(cluster["uuid"]))

    def status(self, obj):
        """The cluster's: only a running operation (to wait for) and a failed cluster (NKS accepts
        nothing but a delete then) matter, NKS sets an ACL at once."""
        return api_status(obj["cluster"])

    def view(self, obj):
        return acl_view(obj.get("acl")) if obj is not None else None

    def desired(self, have):
        """The ACL the options ask for, given the current one ``have``."""
        p = self.params
        if not p["enabled"]:
            return dict(ACL_OFF)
        if self.given is None:
            targets = have["targets"]
        elif p["purge_targets"]:
            targets = self.given
        else:
            targets = collapse_targets(have["targets"] + self.given)[0]
        if not targets:
            raise ValidationError("targets", "NKS needs at least one target to enforce IP access"
                                             " control, and none is set or given")
        return {"enabled": True, "action": p["action"], "targets": targets}

    def plan(self, obj):
        have = self.view(obj)
        want = self.desired(have)
        if not want["enabled"] and not have["enabled"]:
            return []
        changes = [Change(key, have[key], want[key], None) for key in FIELDS if have[key] != want[key]]
        if changes:
            body = acl_body(want)
            changes[-1].apply = lambda o: self.api.set_ipacl(o["uuid"], body)
        return changes


class NksIpAcl(NksModule):
    """The ``nks_ipacl`` module."""

    argument_spec = dict(
        cluster=dict(type="str", required=True),
        enabled=dict(type="bool", required=True),
        action=dict(type="str", choices=["ALLOW", "DENY"]),
        # raw: an entry is a dict (cidr, description) or a CIDR string; checked in validate_input
        targets=dict(type="list", elements="raw"),
        purge_targets=dict(type="bool", default=True),
    )

    def validate_input(self):
        """Static checks, before any request; returns the given targets as a set (or ``None``)."""
        p = self.params
        if not is_uuid(p["cluster"]):
            check_name(p["cluster"], "cluster")
        if not p["enabled"]:
            ignored = [key for key in ("action", "targets") if p[key] is not None]
            if ignored:
                self.warn("%s ignored: enabled is false, and NKS ignores every other setting then"
                          % " and ".join(ignored))
            return None
        if p["action"] is None:
            raise ValidationError("action", "required when enabled is true (ALLOW or DENY)")
        if p["targets"] is None:
            return None
        targets = [target_entry(item) for item in p["targets"]]
        if not targets and p["purge_targets"]:
            raise ValidationError("targets", "NKS needs at least one target to enforce IP access"
                                             " control; to turn it off, set enabled to false")
        targets, dups = collapse_targets(targets)
        if dups:
            self.warn("targets: %s given more than once; kept one entry each (the last one with a"
                      " description)" % ", ".join(dups))
        if p["action"] == "ALLOW" and any(t["cidr"].endswith("/0") for t in targets):
            self.warn("targets: an ALLOW of %s lets every address reach the API endpoint, as if IP access"
                      " control were off; list only the addresses that need it"
                      % ", ".join(t["cidr"] for t in targets if t["cidr"].endswith("/0")))
        return targets

    def run(self):
        p = self.params
        given = self.validate_input()
        machine = StateMachine(NksIpAclResource(self, given), self.check_mode, p["wait"],
                               Waiter(p["wait_timeout"]))
        outcome = machine.converge()
        return outcome.result("ipacl", self.diff_mode, cluster_uuid=outcome.obj["uuid"])


def main():
    NksIpAcl()()


if __name__ == "__main__":
    main()
