# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phases of ``nhncloud.nks.nks_fleet``: converge every cluster of a fleet from one process.

Each host of the play is one cluster, described by the ``nhncloud.nks.cluster`` role's
variables (:data:`._role.ROLE_VARIABLES`). A phase converges, for every host, what the role's
single-cluster task list (``roles/cluster/tasks/present.yml``) converges with one module
task, by running THE SAME module class in-process (:meth:`._module.NksModule.in_process`):

* ``cluster``: :class:`NksCluster` (NKS API guide "Create Cluster", "Change Cluster ..."),
  without waiting;
* ``nodegroups``: :class:`NksNodegroup` for each node group ("Create Node Group" ...), each
  but the last waited for (a cluster runs one node group operation at a time);
* ``ipacl``: :class:`NksIpAcl` ("Change API Endpoint IP ACL"), without waiting;
* ``kubeconfig``: the directory (0700 when missing) and :class:`NksKubeconfig` ("Get Cluster
  Kubeconfig");
* ``ready``: :class:`NksCluster` with only the name, waiting as ``cluster_wait_for`` says
  (the Kubernetes API and its nodes, ``module_utils/_kube.py``); it sends no change.

Hosts run in a thread pool (at most ``concurrency`` at once), each module instance with its
own client and session; a host whose cluster failed (here or in a fleet wait) is skipped by
the later phases and keeps the message. No Ansible controller imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.nhncloud.nks.plugins.module_utils._module import ModuleFailed
from ansible_collections.nhncloud.nks.plugins.modules.nks_cluster import NksCluster
from ansible_collections.nhncloud.nks.plugins.modules.nks_ipacl import NksIpAcl
from ansible_collections.nhncloud.nks.plugins.modules.nks_kubeconfig import NksKubeconfig
from ansible_collections.nhncloud.nks.plugins.modules.nks_nodegroup import NksNodegroup


NOT_PASSED = frozenset(("state", "cluster", "wait", "wait_for", "node_action", "node_ids", "nodegroups",
                        "ipacl", "kubeconfig", "addons"))
"""Keys of a definition never passed to a module as they are (the phase sets them; ``addons`` is converged by the
role's ``tasks/addons.yml`` only, not by a fleet phase yet)."""


def _options(values, **fixed):
    """The module options of ``values`` (unset and phase-owned ones left out), with ``fixed`` over
    them; a key no module takes stays, so that the module's validation names it."""
    options = dict((k, v) for k, v in values.items() if k not in NOT_PASSED and v is not None)
    options.update(fixed)
    return options


class FleetRun(object):
    """One ``nks_fleet`` task: some phases for every host.

    :param dict hosts: host -> :func:`._role.role_spec` of the host.
    :param dict previous: host -> entry of an earlier ``nks_fleet`` task (``uuid``, ``failed``, ...).
    :param dict waited: the result of the ``nks_wait`` task since then (``clusters``, ``failed_clusters``).
    :param dict connection: the connection options for every module (``auth_token`` ...).
    :param validators: ``validators(cls)`` -> the ``ArgumentSpecValidator`` of a module class.
    :param bool check_mode: :param bool diff: :param int ready_timeout: ``wait_timeout`` of the
        ``ready`` phase (``None``: each cluster's ``wait_timeout``).
    :param dict invalid: host -> message of the hosts whose variables are invalid (they fail).
    """

    def __init__(self, hosts, previous, waited, connection, validators, check_mode=False, diff=False,
                 ready_timeout=None, invalid=None):
        self.hosts = hosts
        self.previous = previous or {}
        self.waited = waited or {}
        self.connection = connection
        self.validators = validators
        self.check_mode = check_mode
        self.diff = diff
        self.ready_timeout = ready_timeout
        self.invalid = invalid or {}

    def run(self, phases, concurrency):
        """Run ``phases`` for every host, at most ``concurrency`` hosts at once (0: all).

        :returns: ``dict`` host -> entry: ``name``, ``uuid`` (``None`` until the cluster exists),
            ``changed`` (this task or an earlier one), ``failed``, ``msg`` (why it failed),
            ``results`` (phase -> the module's result; a list for ``nodegroups``), ``previews``
            (check mode, a new cluster: what would be created), ``diff`` (list).
        """
        names = list(self.hosts)  # the play's order: with concurrency 1, one host after the other
        entries = dict((host, self._entry(host)) for host in names)
        workers = max(1, min(concurrency or len(names), len(names) or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for host in names:
                pool.submit(self._host, entries[host], phases)
        return entries

    def _entry(self, host):
        """The host's entry carried from the earlier task, failed when its fleet wait failed."""
        before = self.previous.get(host) or {}
        entry = dict(name=self.hosts[host]["spec"].get("name"), uuid=before.get("uuid"),
                     changed=bool(before.get("changed")), failed=bool(before.get("failed")),
                     msg=before.get("msg"), results=dict(before.get("results") or {}),
                     previews=list(before.get("previews") or []), diff=list(before.get("diff") or []),
                     submitted=False, host=host)
        waited = (self.waited.get("clusters") or {}).get(entry["uuid"] or "")
        if not entry["failed"] and waited and entry["uuid"] in (self.waited.get("failed_clusters") or ()):
            entry.update(failed=True, msg=waited.get("msg"))
        if host in self.invalid:
            entry.update(failed=True, msg=self.invalid[host])
        return entry

    def _host(self, entry, phases):
        """Run ``phases`` for one host; stop at its first failure."""
        for phase in phases:
            if entry["failed"]:
                return
            try:
                getattr(self, "_" + phase)(entry, self.hosts[entry["host"]])
            except Exception as exc:  # pylint: disable=broad-except
                entry.update(failed=True, msg="nks_fleet %s phase failed unexpectedly: %s: %s (please report this)"
                             % (phase, type(exc).__name__, exc))

    def _module(self, cls, options, entry, phase):
        """Run module ``cls`` in-process with ``options``; record its result under ``phase``.

        :returns: the result ``dict`` (``failed`` when the module failed: the entry fails too).
        """
        try:
            module = cls.in_process(dict(self.connection, **options), self.validators(cls),
                                    self.check_mode, self.diff)
            result = module.execute()
        except ModuleFailed as exc:
            result = exc.result
        result.pop("exception", None)
        if isinstance(entry["results"].get(phase), list):
            entry["results"][phase].append(result)
        else:
            entry["results"][phase] = result
        if result.get("failed"):
            entry.update(failed=True, msg=result.get("msg"))
        elif result.get("changed"):
            entry.update(changed=True, submitted=True)
        diff = result.get("diff")
        if diff:
            entry["diff"].extend(diff if isinstance(diff, list) else [diff])
        return result

    def _cluster(self, entry, host):
        spec = host["spec"]
        options = _options(spec, state="present", wait=False, wait_for=host["cluster_wait_for"],
                           wait_timeout=spec.get("wait_timeout") or host["cluster_wait_timeout"])
        result = self._module(NksCluster, options, entry, "cluster")
        entry["uuid"] = (result.get("cluster") or {}).get("uuid")
        if not result.get("failed") and entry["uuid"] is None and self.check_mode:
            entry["previews"].extend(self._previews(host))

    def _nodegroups(self, entry, host):
        if entry["uuid"] is None:
            return
        groups = host["spec"].get("nodegroups") or []
        entry["results"]["nodegroups"] = []
        for index, group in enumerate(groups):
            ng = dict(host["cluster_nodegroup_defaults"] or {}, **group)
            options = _options(ng, cluster=entry["uuid"], wait=index < len(groups) - 1,
                               wait_for=host["cluster_wait_for"],
                               wait_timeout=ng.get("wait_timeout") or host["cluster_wait_timeout"])
            if ng.get("state"):
                options["state"] = ng["state"]
            if self._module(NksNodegroup, options, entry, "nodegroups").get("failed"):
                return

    def _ipacl(self, entry, host):
        ipacl = host["spec"].get("ipacl")
        if entry["uuid"] is None or ipacl is None:
            return
        options = _options(ipacl, cluster=entry["uuid"], wait=False,
                           wait_timeout=host["spec"].get("wait_timeout") or host["cluster_wait_timeout"])
        self._module(NksIpAcl, options, entry, "ipacl")

    def _kubeconfig(self, entry, host):
        kubeconfig = host["kubeconfig"]
        if entry["uuid"] is None or not kubeconfig["enabled"]:
            return
        directory = os.path.dirname(os.path.expandvars(os.path.expanduser(kubeconfig["dest"])))
        if directory and not os.path.exists(directory):
            entry.update(changed=True)
            if self.check_mode:
                entry["previews"].append("would be created: directory %s (mode 0700)" % directory)
                return
            os.makedirs(directory, 0o700, exist_ok=True)
        options = dict(cluster=entry["uuid"], dest=kubeconfig["dest"], mode=kubeconfig["mode"],
                       backup=kubeconfig["backup"])
        self._module(NksKubeconfig, options, entry, "kubeconfig")

    def _ready(self, entry, host):
        if entry["uuid"] is None:
            return
        spec = host["spec"]
        timeout = self.ready_timeout or spec.get("wait_timeout") or host["cluster_wait_timeout"]
        # by UUID: one GET of the cluster, not the cluster list per host
        self._module(NksCluster, dict(name=entry["uuid"], wait_for=host["cluster_wait_for"], wait_timeout=timeout),
                     entry, "ready")

    @staticmethod
    def _previews(host):
        """Check mode, a new cluster: what would be created with it (the role's "Preview" tasks)."""
        spec, previews = host["spec"], []
        for group in spec.get("nodegroups") or []:
            ng = dict(host["cluster_nodegroup_defaults"] or {}, **group)
            if (ng.get("state") or "present") == "present":
                previews.append("would be created: node group %s (%s nodes)" % (ng["name"], ng.get("node_count", "?")))
        ipacl = spec.get("ipacl")
        if ipacl and ipacl.get("enabled"):
            previews.append("would be created: IP ACL %s %s" % (ipacl.get("action") or "", ", ".join(
                t.get("cidr", "") if isinstance(t, dict) else str(t) for t in ipacl.get("targets") or [])))
        if host["kubeconfig"]["enabled"]:
            previews.append("would be created: kubeconfig %s (mode %s)" % (host["kubeconfig"]["dest"],
                                                                           host["kubeconfig"]["mode"]))
        return previews


def waiting(entries):
    """UUIDs of the clusters this task sent a change to (for ``nks_wait``), sorted."""
    return sorted(e["uuid"] for e in entries.values() if e["submitted"] and not e["failed"] and e["uuid"])
