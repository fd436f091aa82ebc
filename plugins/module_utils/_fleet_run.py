# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The work of ``nhncloud.nks.nks_fleet``: converge every cluster of a fleet in ONE module process.

Each member of the fleet is one host of the play: its cluster's plan
(:func:`._cluster_plan.cluster_plan`, the plan the role's single-cluster tasks run) and its
connection options (``api_url``, ``region``, credentials: resolved by Ansible for that host,
``module_defaults`` and inventory variables included). A phase runs, for every member, the
module tasks of its plan section through :func:`._tasks.runner.run_task` (the modules' own logic),
in threads (at most ``concurrency`` members at once), without waiting; then the fleet wait
(:func:`._fleet.wait_fleet`) polls ONE cluster list per connection (endpoint and project)
for the clusters the phase changed, all connections at once. The phases, in the role's order
(``roles/cluster/tasks/present.yml``):

* ``cluster``: ``nks_cluster`` ("Create Cluster", "Change Cluster ..."), then the fleet wait;
* ``nodegroups``: ``nks_nodegroup`` for each node group, each but the last waited for by its
  task (a cluster runs one node group operation at a time), then the fleet wait;
* ``addons``: ``nks_addon`` for each add-on (each task waits for its add-on);
* ``ipacl``: ``nks_ipacl`` ("Change API Endpoint IP ACL"), then the fleet wait;
* ``kubeconfig``: the directory (0700 when missing) and ``nks_kubeconfig``;
* ``ready``: ``nks_cluster`` with only the UUID, waiting as ``cluster_wait_for`` says; no change.

A member whose cluster failed (a task, or its wait) is left out of the later phases and keeps
the message. Each connection obtains its token once (one identity request per connection) when
no ``auth_token`` is given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ._api import NksApi
from ._client import CONNECTION_ENV, NksApiError, NksError, client_from_options, option_sources
from ._fleet import DEFAULT_WAIT_TIMEOUT, progress_line, wait_fleet
from ._tasks.runner import run_task

PHASES = ("cluster", "nodegroups", "addons", "ipacl", "kubeconfig", "ready")
"""The phases of ``nks_fleet``, in the order the role converges them."""

WAITED_PHASES = dict(cluster=None, nodegroups=300, ipacl=None)
"""Phases followed by the fleet wait, with the typical duration (s) of what is waited for when the
clusters' status does not tell it (a node group create shows only as ``UPDATE_IN_PROGRESS``)."""

USER_AGENT = "nhncloud.nks-ansible/nks_fleet"


class Connection(object):
    """One endpoint and project of the fleet: the connection options of its members, one client
    for its cluster lists, one token for all its tasks.

    :param dict options: the connection options (``CONNECTION_ENV`` names; unset ones ``None``).
    """

    def __init__(self, options):
        self.options = dict(options)
        self._lock = threading.Lock()
        self._token_lock = threading.Lock()
        self._token = None
        self._api = None
        self.label = "%s%s" % (options.get("api_url") or "region %s" % (options.get("region") or "kr1"),
                               " (project %s)" % options["tenant_id"] if options.get("tenant_id") else "")

    @property
    def api(self):
        """The :class:`NksApi` of this connection (built once; ``ValueError`` for bad options)."""
        with self._lock:
            if self._api is None:
                self._api = NksApi(client_from_options(self.options, option_sources(self.options, os.environ),
                                                       user_agent=USER_AGENT))
            return self._api

    def task_options(self):
        """The connection options every task of this connection gets: a token obtained once when none
        is given and credentials are (a failure is left to the first task, which names the options)."""
        options = dict((k, v) for k, v in self.options.items() if v is not None)
        if not options.get("auth_token") and options.get("api_password"):
            with self._token_lock:
                if self._token is None:
                    try:
                        self._token = self.api.client.token
                    except (NksError, ValueError):
                        self._token = ""
            if self._token:
                options["auth_token"] = self._token
        return options


def connection_key(options):
    """A hashable key of connection options (members with the same options share a connection)."""
    return tuple(sorted((k, str(v)) for k, v in options.items() if v is not None))


class FleetRun(object):
    """One ``nks_fleet`` task.

    :param list members: ``dict(host=, plan=, connection=)`` per host (``connection``: the host's
        connection options, over ``defaults``).
    :param dict defaults: the task's own connection options (unset ones ``None``).
    :param process_module: the ``AnsibleModule`` of the running module process.
    :param dict previous: host -> entry of an earlier ``nks_fleet`` task (``uuid``, ``failed``, ...).
    :param bool check_mode: :param bool diff: as the module runs.
    :param int concurrency: most members converged at once (0: all).
    :param int wait_timeout: seconds the fleet wait gives each cluster per phase (``None``: each
        cluster's own ``wait_timeout``, the longest of the connection's).
    :param int ready_timeout: ``wait_timeout`` of the ``ready`` phase (``None``: each cluster's).
    :param progress: ``progress(line)`` writing one progress line, or ``None``.
    :param float interval: seconds between two progress lines of a fleet wait.
    """

    def __init__(self, members, defaults, process_module, previous=None, check_mode=False, diff=False,
                 concurrency=10, wait_timeout=None, ready_timeout=None, progress=None, interval=30.0):
        self.members = members
        self.process_module = process_module
        self.check_mode = check_mode
        self.diff = diff
        self.concurrency = concurrency
        self.wait_timeout = wait_timeout
        self.ready_timeout = ready_timeout
        self.progress = progress
        self.interval = interval
        self.previous = previous or {}
        self.connections = {}
        self.member_connection = {}
        for member in members:
            options = dict((option, defaults.get(option)) for option, dummy in CONNECTION_ENV)
            options.update((k, v) for k, v in (member.get("connection") or {}).items() if v is not None)
            key = connection_key(options)
            if key not in self.connections:
                self.connections[key] = Connection(options)
            self.member_connection[member["host"]] = self.connections[key]
        self.entries = dict((m["host"], self._entry(m)) for m in members)
        self.polls = {}

    def _entry(self, member):
        before = self.previous.get(member["host"]) or {}
        return dict(host=member["host"], name=member["plan"].get("name"), uuid=before.get("uuid"),
                    changed=bool(before.get("changed")), failed=bool(before.get("failed")), msg=before.get("msg"),
                    results=dict(before.get("results") or {}), previews=list(before.get("previews") or []),
                    diff=list(before.get("diff") or []), submitted=False)

    def run(self, phases):
        """Run ``phases`` (in :data:`PHASES` order) for every member, each phase for all before the next.

        :returns: ``dict`` host -> entry: ``name``, ``uuid`` (``None`` until the cluster exists),
            ``changed``, ``failed``, ``msg``, ``results`` (phase -> the module's result, a list for
            ``nodegroups`` and ``addons``), ``previews`` (check mode, a new cluster), ``diff`` (list),
            ``submitted`` (a change was sent by this task).
        """
        for phase in [p for p in PHASES if p in phases]:
            changed = self._phase(phase)
            if phase in WAITED_PHASES and changed and not self.check_mode:
                self._wait(phase, changed)
        return self.entries

    def _phase(self, phase):
        """Run one phase for every member that did not fail; returns the hosts it sent a change for."""
        members = [m for m in self.members if not self.entries[m["host"]]["failed"]]
        sent = []
        lock = threading.Lock()

        def one(member):
            entry = self.entries[member["host"]]
            before = entry["submitted"]
            entry["submitted"] = False
            try:
                getattr(self, "_" + phase)(entry, member)
            except Exception as exc:  # pylint: disable=broad-except
                entry.update(failed=True, msg="nks_fleet %s phase failed unexpectedly: %s: %s (please report this)"
                             % (phase, type(exc).__name__, exc))
            if entry["submitted"]:
                with lock:
                    sent.append(member["host"])
            entry["submitted"] = before or entry["submitted"]

        if members:
            workers = max(1, min(self.concurrency or len(members), len(members)))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(one, members))
        return sent

    def _wait(self, phase, hosts):
        """The fleet wait after ``phase``: one cluster list per poll per connection, all connections at once."""
        by_connection = {}
        for host in hosts:
            entry = self.entries[host]
            if entry["uuid"] and not entry["failed"]:
                by_connection.setdefault(self.member_connection[host], []).append(host)

        def wait(connection, members):
            timeout = self.wait_timeout or max(
                m["plan"].get("wait_timeout") or DEFAULT_WAIT_TIMEOUT for m in self.members if m["host"] in members)
            uuids = [self.entries[h]["uuid"] for h in members]
            show = None
            if self.progress is not None:
                where = " [%s]" % connection.label if len(by_connection) > 1 else ""

                def show(fleet, ended):
                    for line in progress_line(fleet, ended).split("\n"):
                        self.progress(line + where)
            try:
                with connection.api.client.until(time.monotonic() + timeout):
                    result = wait_fleet(connection.api.list_clusters, uuids, timeout, progress=show,
                                        interval=self.interval, expected=WAITED_PHASES[phase])
            except (NksApiError, NksError, ValueError) as exc:
                msg = exc.describe() if isinstance(exc, NksApiError) else str(exc)
                for host in members:
                    self.entries[host].update(failed=True, msg="the fleet wait after the %s phase failed: %s" % (phase, msg))
                return
            self.polls[connection.label] = self.polls.get(connection.label, 0) + result["polls"]
            for host in members:
                waited = result["clusters"].get(self.entries[host]["uuid"]) or {}
                if waited.get("failed"):
                    self.entries[host].update(failed=True, msg=waited.get("msg"))

        if by_connection:
            with ThreadPoolExecutor(max_workers=len(by_connection)) as pool:
                list(pool.map(lambda item: wait(*item), by_connection.items()))

    def _task(self, entry, member, name, options, phase, many=False):
        """Run module ``name``'s work for ``member``; record its result under ``phase``."""
        args = dict(self.member_connection[member["host"]].task_options())
        args.update(options)
        result = run_task(name, args, self.process_module, check_mode=self.check_mode, diff=self.diff)
        result.pop("exception", None)
        if many:
            entry["results"].setdefault(phase, []).append(result)
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

    def _cluster(self, entry, member):
        plan = member["plan"]
        result = self._task(entry, member, "nks_cluster", dict(plan["cluster"], wait=False), "cluster")
        entry["uuid"] = (result.get("cluster") or {}).get("uuid")
        if not result.get("failed") and entry["uuid"] is None and self.check_mode:
            entry["previews"].extend(plan.get("previews") or [])

    def _nodegroups(self, entry, member):
        if entry["uuid"] is None:
            return
        groups = member["plan"].get("nodegroups") or []
        entry["results"]["nodegroups"] = []
        for index, group in enumerate(groups):
            options = dict(group, cluster=entry["uuid"], wait=index < len(groups) - 1)
            if self._task(entry, member, "nks_nodegroup", options, "nodegroups", many=True).get("failed"):
                return

    def _addons(self, entry, member):
        if entry["uuid"] is None:
            return
        addons = member["plan"].get("addons") or []
        if addons:
            entry["results"]["addons"] = []
        for addon in addons:
            if self._task(entry, member, "nks_addon", dict(addon, cluster=entry["uuid"]), "addons", many=True).get("failed"):
                return

    def _ipacl(self, entry, member):
        ipacl = member["plan"].get("ipacl")
        if entry["uuid"] is None or ipacl is None:
            return
        self._task(entry, member, "nks_ipacl", dict(ipacl, cluster=entry["uuid"], wait=False), "ipacl")

    def _kubeconfig(self, entry, member):
        options = member["plan"].get("kubeconfig_file")
        if entry["uuid"] is None or not options:
            return
        directory = os.path.dirname(os.path.expandvars(os.path.expanduser(options["dest"])))
        if directory and not os.path.exists(directory):
            entry.update(changed=True)
            if self.check_mode:
                entry["previews"].append("would be created: directory %s (mode 0700)" % directory)
                return
            os.makedirs(directory, 0o700, exist_ok=True)
        self._task(entry, member, "nks_kubeconfig", dict(options, cluster=entry["uuid"]), "kubeconfig")

    def _ready(self, entry, member):
        if entry["uuid"] is None:
            return
        plan = member["plan"]
        timeout = self.ready_timeout or plan.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT
        # by UUID: one GET of the cluster, not the cluster list per host
        self._task(entry, member, "nks_cluster", dict(name=entry["uuid"], wait_for=plan.get("wait_for") or "nodes",
                                                      wait_timeout=timeout), "ready")


def waiting(entries):
    """UUIDs of the clusters this task sent a change to and that did not fail (for ``nks_wait``), sorted."""
    return sorted(e["uuid"] for e in entries.values() if e["submitted"] and not e["failed"] and e["uuid"])


def member_connection_spec():
    """The sub-options of a member's ``connection`` (the connection options, secrets ``no_log``)."""
    # http_timeout: "raw" here, checked (a float, its range) by each task's own validation.
    types = dict(validate_certs="bool", http_timeout="raw")
    spec = dict((option, dict(type=types.get(option, "str"))) for option, dummy in CONNECTION_ENV)
    spec["api_password"]["no_log"] = True
    spec["auth_token"]["no_log"] = True
    return spec


def fleet_module_spec():
    """The options of ``nhncloud.nks.nks_fleet`` without the connection options, as an Ansible
    argument spec (module and action plugin). :returns: a new ``dict``."""
    member = dict(host=dict(type="str", required=True), plan=dict(type="dict", required=True),
                  connection=dict(type="dict", options=member_connection_spec()))
    return dict(
        phases=dict(type="list", elements="str", choices=list(PHASES)),
        members=dict(type="list", elements="dict", options=member, default=[]),
        member=dict(type="dict", options=dict(host=dict(type="str", required=True),
                                              plan=dict(type="dict", required=True))),
        previous=dict(type="dict", default={}),
        concurrency=dict(type="int", default=10),
        wait_timeout=dict(type="int"),
        ready_timeout=dict(type="int"),
        progress_interval=dict(type="int", default=30),
        report=dict(type="dict"),
    )


FLEET_MODULE_KWARGS = dict(mutually_exclusive=[("phases", "member", "report")],
                           required_one_of=[("phases", "member", "report")])
"""The ``module_kwargs`` of ``nhncloud.nks.nks_fleet``."""


def report(entry):
    """One host's result from its entry (``nks_fleet``'s ``report``): failed with its message, else
    changed or not, with the cluster's UUID, the modules' results, the previews and the diff."""
    if entry.get("failed"):
        return dict(changed=False, failed=True, msg=entry.get("msg"))
    result = dict(changed=bool(entry.get("changed")), cluster=entry.get("uuid"), results=entry.get("results", {}))
    if entry.get("previews"):
        result["msg"] = entry["previews"]
    if entry.get("diff"):
        result["diff"] = entry["diff"]
    return result


def member_of(member, options):
    """The member a host records (``nks_fleet``'s ``member``): its ``host``, ``plan`` and the connection
    options set for it (``options``: the task's options; unset ones left out)."""
    connection = dict((option, options.get(option)) for option, dummy in CONNECTION_ENV
                      if options.get(option) is not None)
    return dict(host=member["host"], plan=member["plan"], connection=connection)
