# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_ipacl`` does (its options are documented in ``plugins/modules/nks_ipacl.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .._engine import (
    Change, SettingsResource, StateMachine, Waiter, api_status)
from .._module import NksModule
from .._validation import (
    ValidationError, check_name, is_uuid, normalize_ip_cidr, precondition_unmet)
from .._views import (
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
        """The cluster in messages: ``cluster 'x'``."""
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
        """The cluster read again (Get a Cluster) with its IP ACL; ``None`` when gone."""
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
        """The typed IP ACL (:func:`._views.acl_view`)."""
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
        """The one ``Change`` of the IP ACL (Change API Endpoint IP ACL), or none."""
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

    name = "nks_ipacl"

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
        """Converge the IP ACL of the API endpoint; returns the module result (``ipacl``, ``cluster_uuid``)."""
        p = self.params
        given = self.validate_input()
        machine = StateMachine(NksIpAclResource(self, given), self.check_mode, p["wait"],
                               Waiter(p["wait_timeout"]))
        outcome = machine.converge()
        return outcome.result("ipacl", self.diff_mode, cluster_uuid=outcome.obj["uuid"])
