# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait for a whole fleet of clusters with one cluster list per poll (``nhncloud.nks.nks_wait``).

Every poll is one List Clusters (``GET /v1/clusters``, NKS API guide "List Clusters"):
it holds the ``status`` and ``status_reason`` of every cluster, and a cluster shows
``UPDATE_IN_PROGRESS`` while any of its node group operations runs, so one answer
tells how far every cluster of the fleet is, whatever the fleet's size.

Each cluster's wait follows the single-cluster :class:`._engine.PollSchedule`
(elapsed time since the fleet wait began, expected duration by status); the fleet
polls at the shortest delay any still-running cluster asks for, so each cluster is
seen settling as soon as a single module would see it. Failures and timeouts carry
the messages of :class:`._engine.NksOperationFailed` and
:class:`._engine.NksWaitTimeout`. No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time

from ._client import NksApiError, NksConnectionError, sleep
from ._engine import (NksOperationFailed, NksWaitTimeout, PollSchedule, expected_seconds,
                      failed, in_progress, is_transient, status_of)
from ._views import cluster_view

RUNNING = "running"
SETTLED = "settled"
FAILED = "failed"
TIMED_OUT = "timed_out"
ABSENT = "absent"
"""Outcomes of one cluster's wait: still running (only in check mode or while waiting),
settled (no operation in progress, not ``*_FAILED``), failed (``*_FAILED``, gone or
ambiguous), timed out, absent (check mode: not found)."""


DEFAULT_WAIT_TIMEOUT = 3600
"""Default ``wait_timeout`` of ``nks_wait`` (s): a cluster create on NHN Cloud takes 25-40 minutes."""


def fleet_argument_spec():
    """The options of ``nhncloud.nks.nks_wait`` (without the connection options), as an
    Ansible argument spec: used by the module and by its action plugin.

    :returns: a new ``dict`` (option -> spec) the caller may change.
    """
    return dict(
        clusters=dict(type="list", elements="str", required=True),
        wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
        progress_interval=dict(type="int", default=30),
        expected_duration=dict(type="int"),
    )


def phase_argument_spec():
    """The options of ``nhncloud.nks.nks_fleet`` (without the connection options); kept for callers of
    this module, see :func:`._fleet_run.fleet_module_spec`. :returns: a new ``dict``."""
    from ._fleet_run import fleet_module_spec  # pylint: disable=import-outside-toplevel
    return fleet_module_spec()


def match(wanted, listing):
    """Find each wanted cluster in a List Clusters answer.

    :param list wanted: cluster names or UUIDs (str).
    :param list listing: cluster dicts of ``GET /v1/clusters``.
    :returns: ``{key: [cluster dicts]}``: the cluster whose UUID is ``key``, else every
        cluster named ``key`` (empty when none, several when the name is not unique).
    """
    by_uuid = dict((c.get("uuid"), c) for c in listing)
    by_name = {}
    for cluster in listing:
        by_name.setdefault(cluster.get("name"), []).append(cluster)
    return dict((key, [by_uuid[key]] if key in by_uuid else by_name.get(key, [])) for key in wanted)


def _describe(key, obj):
    """``cluster 'name'`` for messages (the name when known, else ``key``)."""
    return "cluster %r" % ((obj or {}).get("name") or key)


def _entry(key, outcome, obj, waited, msg=None):
    """One cluster's result: ``key``, ``outcome``, ``failed``, ``msg``, ``status``, ``status_reason``,
    ``uuid``, ``name``, ``waited`` (s) and ``cluster`` (typed view, ``None`` when not found)."""
    obj = obj or {}
    return dict(key=key, outcome=outcome, failed=outcome in (FAILED, TIMED_OUT), msg=msg,
                status=status_of(obj) or None, status_reason=obj.get("status_reason"),
                uuid=obj.get("uuid"), name=obj.get("name"), waited=round(waited, 1),
                cluster=cluster_view(obj) if obj else None)


class FleetWait(object):
    """Wait until every cluster of a fleet settles, polling the cluster list.

    :param list clusters: names or UUIDs of the clusters to wait for (str, duplicates ignored).
    :param float timeout: seconds each cluster may take (``wait_timeout``) before it times out.
    :param float not_found_grace: seconds a cluster may be missing from the list (a create
        just answered) before its wait fails with ``NOT_FOUND``.
    :param PollSchedule schedule: the single-cluster schedule (default ``PollSchedule()``).
    :param float expected: typical duration (s) of the operations waited for, when the caller
        knows it better than the cluster's status does (a node group create shows as the
        cluster's ``UPDATE_IN_PROGRESS``); ``None``: :func:`._engine.expected_seconds` by status.
    :param clock: monotonic clock (s). :param sleeper: ``sleeper(seconds)``.
    :ivar dict results: ``{key: entry}`` of the clusters whose wait ended (see :func:`_entry`).
    :ivar int polls: list requests made. :ivar list errors: transient poll errors (str).
    """

    def __init__(self, clusters, timeout, not_found_grace=30.0, schedule=None, expected=None,
                 clock=time.monotonic, sleeper=sleep):
        self.pending = list(dict.fromkeys(clusters))
        self.timeout = timeout
        self.not_found_grace = not_found_grace
        self.schedule = schedule or PollSchedule()
        self.expected = expected
        self.clock = clock
        self.sleeper = sleeper
        self.start = clock()
        self.results = {}
        self.last = {}
        self.polls = 0
        self.errors = []

    def counts(self):
        """``{"settled": n, "failed": n, "running": n}`` (failed includes timed out)."""
        ended = list(self.results.values())
        return dict(settled=sum(1 for e in ended if not e["failed"]),
                    failed=sum(1 for e in ended if e["failed"]), running=len(self.pending))

    def observe(self, listing, now):
        """Update every pending cluster from one List Clusters answer taken at ``now``.

        :returns: the entries of the clusters whose wait ended with this answer (list).
        """
        waited = now - self.start
        ended = []
        for key, found in match(self.pending, listing).items():
            if len(found) == 1:
                self.last[key] = found[0]
            ended.append(self._judge(key, found, waited))
        return self._end([entry for entry in ended if entry is not None])

    def _end(self, entries):
        """Record ``entries`` as ended, drop them from :attr:`pending`; returns ``entries``."""
        for entry in entries:
            self.results[entry["key"]] = entry
        done = set(entry["key"] for entry in entries)
        self.pending = [key for key in self.pending if key not in done]
        return entries

    def _judge(self, key, found, waited):
        """The entry ending ``key``'s wait, or ``None`` while it goes on."""
        what = _describe(key, found[0] if len(found) == 1 else self.last.get(key))
        if len(found) > 1:
            return _entry(key, FAILED, None, waited, "%d clusters are named %r (%s); give the UUID instead"
                          % (len(found), key, ", ".join(sorted(c.get("uuid") or "?" for c in found))))
        obj = found[0] if found else None
        if obj is None and waited > self.not_found_grace:
            return _entry(key, FAILED, self.last.get(key), waited,
                          str(NksOperationFailed(what, "NOT_FOUND", "it is not in the cluster list")))
        if obj is not None and failed(obj):
            return _entry(key, FAILED, obj, waited,
                          str(NksOperationFailed(what, status_of(obj), obj.get("status_reason"))))
        if obj is not None and not in_progress(obj):
            return _entry(key, SETTLED, obj, waited)
        if waited >= self.timeout:
            return self._timeout(key, obj or self.last.get(key), waited)
        return None

    def delay(self, now):
        """Seconds until the next poll: the shortest delay any pending cluster's single-cluster
        schedule asks for, jittered down by up to 10 %, never past the timeout."""
        waited = now - self.start
        delays = [self.schedule.delay(waited, self.expected or expected_seconds("cluster", self.last.get(key)))
                  for key in self.pending]
        delay = min(delays or [self.schedule.base_delay(waited)]) * random.uniform(0.9, 1.0)
        return max(0.0, min(delay, self.timeout - waited))

    def poll(self, list_clusters):
        """One poll: list the clusters and observe the answer. A transient failure (no answer,
        HTTP 429/5xx) is recorded in :attr:`errors` and changes nothing: the next poll tries again.

        :returns: the entries ended by this poll (list).
        :raises NksApiError: on other API errors (bad credentials, ...).
        """
        self.polls += 1
        try:
            listing = list_clusters()
        except (NksApiError, NksConnectionError) as exc:
            if not is_transient(exc):
                raise
            self.errors.append(str(exc))
            return self.observe_timeouts(self.clock())
        return self.observe(listing, self.clock())

    def observe_timeouts(self, now):
        """End the waits of every pending cluster once the timeout passed (no fresh answer)."""
        waited = now - self.start
        if waited < self.timeout:
            return []
        return self._end([self._timeout(key, self.last.get(key), waited) for key in self.pending])

    @staticmethod
    def _timeout(key, last, waited):
        return _entry(key, TIMED_OUT, last, waited,
                      str(NksWaitTimeout(_describe(key, last), status_of(last) or "UNKNOWN", waited)))

    def run(self, list_clusters, progress=None, interval=30.0):
        """Poll until no cluster is pending.

        :param list_clusters: callable returning the ``GET /v1/clusters`` list.
        :param progress: ``progress(fleet_wait, ended_entries)`` called after the first poll,
            after a poll that ended a wait in failure, at least every ``interval`` seconds
            while clusters are pending, and once at the end.
        :returns: :attr:`results`.
        """
        shown = None
        while True:
            ended = self.poll(list_clusters)
            now = self.clock()
            if progress is not None and (shown is None or now - shown >= interval or not self.pending
                                         or any(entry["failed"] for entry in ended)):
                progress(self, ended)
                shown = now
            if not self.pending:
                return self.results
            self.sleeper(self.delay(now))


def wait_fleet(list_clusters, clusters, timeout, check_mode=False, progress=None, interval=30.0, **kwargs):
    """The result of ``nhncloud.nks.nks_wait``: wait for ``clusters`` (one list per poll).

    In check mode the list is read once and nothing is waited for: each cluster is reported
    as it is (``running``, ``settled``, ``failed`` or ``absent``), and no host fails for it.

    :param list_clusters: callable returning the ``GET /v1/clusters`` list.
    :param list clusters: names or UUIDs. :param float timeout: ``wait_timeout`` (s).
    :param kwargs: passed to :class:`FleetWait` (``clock``, ``sleeper``, ``schedule``, ...).
    :returns: ``dict`` with ``changed`` (always ``False``), ``clusters`` (``{key: entry}``),
        ``settled_clusters`` and ``failed_clusters`` (lists of keys; not ``failed``, which
        Ansible would read as the task's own failure), ``polls``, ``waited`` (s), ``poll_errors``.
    :raises NksApiError, NksConnectionError: when the list cannot be read (not transient).
    """
    fleet = FleetWait(clusters, timeout, **kwargs)
    if not fleet.pending:
        results = {}
    elif check_mode:
        results = _check(fleet, list_clusters())
        fleet.polls = 1
    else:
        results = fleet.run(list_clusters, progress, interval)
    return dict(changed=False, clusters=results,
                settled_clusters=sorted(k for k, e in results.items() if e["outcome"] == SETTLED),
                failed_clusters=sorted(k for k, e in results.items() if e["failed"]),
                polls=fleet.polls, waited=round(fleet.clock() - fleet.start, 1),
                poll_errors=fleet.errors)


def _check(fleet, listing):
    """Check mode: every cluster as one list shows it, no failure."""
    results = {}
    for key, found in match(fleet.pending, listing).items():
        obj = found[0] if len(found) == 1 else None
        outcome = ABSENT if obj is None else RUNNING if in_progress(obj) else \
            FAILED if failed(obj) else SETTLED
        results[key] = dict(_entry(key, outcome, obj, 0.0), failed=False)
    return results


def progress_line(fleet, ended):
    """One progress line (str) for :meth:`FleetWait.run`'s ``progress``, then a line per
    cluster that failed or timed out in ``ended`` (its message)."""
    counts = fleet.counts()
    lines = ["nks_wait: %d/%d clusters settled, %d failed, %d running (%.0f s, %d polls)"
             % (counts["settled"], counts["settled"] + counts["failed"] + counts["running"],
                counts["failed"], counts["running"], fleet.clock() - fleet.start, fleet.polls)]
    lines.extend("nks_wait: %s" % e["msg"] for e in ended if e["failed"])
    return "\n".join(lines)
