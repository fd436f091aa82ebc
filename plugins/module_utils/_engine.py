# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one engine every mutating module runs on.

``find -> desired -> plan (diff) -> check mode ? predict : apply -> wait -> result + diff``

A module describes its resource with a :class:`Resource` subclass (how to find,
view, create, delete it, and which in-place :class:`Change` objects its options
call for); :class:`StateMachine` does the rest the same way for every module:
attaching to operations already running, recovering a create whose answer was
lost, check mode, diff mode and waiting. No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import hashlib
import os
import random
import stat
import tempfile
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: creates are not serialised
    fcntl = None

from ._client import NksApiError, NksConflict, NksConnectionError, backoff_delays, sleep
from ._progress import from_environment as progress_from_environment, report as report_progress
from ._retry import DEFAULT_POLICY, RETRY_STATUSES, is_keypair_race

_BUSY_WORDS = ("wrong state", "in_progress", "in progress")

DEFAULT_WAIT_TIMEOUT = 3600
"""Seconds a module waits for an operation by default (option ``wait_timeout``, doc fragments
``nhncloud.nks.wait`` and ``nks_wait``'s): the one default of every wait in the collection. A
cluster create takes 25 to 40 minutes on NHN Cloud (60 minutes is the create timeout of NHN's
Terraform provider); a node group upgrade replaces its nodes one batch at a time."""


def is_transient(exc):
    """``True`` for an error after which the request may be tried again: no answer, an answer
    lost after the request was carried out (:class:`NksConnectionError`), or HTTP 429/5xx."""
    if isinstance(exc, NksConnectionError):
        return True
    return isinstance(exc, NksApiError) and exc.status in RETRY_STATUSES


def is_busy(exc):
    """``True`` for NKS's HTTP 400 "... is in a wrong state (..._IN_PROGRESS)": an operation
    runs on the resource (maybe the one whose answer was lost)."""
    if not isinstance(exc, NksApiError) or exc.status != 400:
        return False
    detail = (exc.detail or "").lower()
    return any(word in detail for word in _BUSY_WORDS)


class NksWaitTimeout(Exception):
    """``wait_timeout`` passed before the resource settled.

    :ivar str resource: e.g. ``cluster 'demo'``. :ivar str status: last status seen.
    :ivar float waited: seconds waited.
    """

    def __init__(self, resource, status, waited):
        self.resource = resource
        self.status = status
        self.waited = round(waited, 1)
        super(NksWaitTimeout, self).__init__(
            "timed out after %.0f s waiting for %s; last status %s. The operation goes on in NKS:"
            " run again (the module attaches to it) or raise wait_timeout"
            % (waited, resource, status))


class NksOperationFailed(Exception):
    """The resource ended in a ``*_FAILED`` status.

    :ivar str resource: :ivar str status: :ivar str reason: the API's ``status_reason``.
    :ivar str advice: what to do now (``None`` when nothing needs saying).
    """

    def __init__(self, resource, status, reason, advice=None):
        self.resource = resource
        self.status = status
        self.reason = reason
        self.advice = advice
        message = "%s is %s: %s" % (resource, status, reason or "no status_reason given")
        if advice:
            message += ". NKS accepts only a delete in this status: %s" % advice
        super(NksOperationFailed, self).__init__(message)


def status_of(obj):
    """The ``status`` of an API object, ``""`` when absent."""
    return (obj or {}).get("status") or ""


def api_status(obj):
    """``(status, status_reason)`` of an API object as NKS gives them (``""``/``None`` when absent):
    the default of :meth:`Resource.status`, and what :class:`Waiter` reads unless told otherwise."""
    return status_of(obj), (obj or {}).get("status_reason")


def in_progress(obj):
    """``True`` while an operation runs on the object (``*_IN_PROGRESS``)."""
    return status_of(obj).endswith("_IN_PROGRESS")


def failed(obj):
    """``True`` when the object's last operation failed (``*_FAILED``)."""
    return status_of(obj).endswith("_FAILED")


def is_busy_status(status):
    """``True`` for a ``(status, status_reason)`` pair of an operation running (``*_IN_PROGRESS``)."""
    return (status[0] or "").endswith("_IN_PROGRESS")


def is_failed_status(status):
    """``True`` for a ``(status, status_reason)`` pair of a failed operation (``*_FAILED``)."""
    return (status[0] or "").endswith("_FAILED")


EXPECTED_SECONDS = {
    ("cluster", "CREATE_IN_PROGRESS"): 600.0,
    ("cluster", "DELETE_IN_PROGRESS"): 300.0,
    ("node group", "CREATE_IN_PROGRESS"): 300.0,
    ("node group", "DELETE_IN_PROGRESS"): 300.0,
}
"""Typical duration (s) of an operation on NHN Cloud, by (resource kind, status):
cluster create ~10 min, delete ~5 min, node group create/delete ~5 min each
(NKS_API_NOTES: Lifecycle). ``UPDATE_IN_PROGRESS`` is left out: it covers
operations from about 1 minute (autoscaler) to 10 (upgrade), so no single
figure helps."""


def expected_seconds(resource, obj, kind=None, status=None):
    """The typical duration of the operation running on ``obj``, or ``None``.

    :param str resource: as in errors, ``cluster 'x'`` or ``node group 'y' of cluster 'x'``;
        read only when ``kind`` is not given (callers outside the engine).
    :param dict obj: the API object (its ``status`` says which operation runs).
    :param str kind: the :attr:`Resource.kind` (``cluster``, ``node group``, ...): what the
        engine passes, so timing follows the declared kind, not the wording of a message.
    :param str status: the status that says which operation runs (what :meth:`Resource.status`
        gave); default ``obj["status"]``.
    :returns: seconds (float) from :data:`EXPECTED_SECONDS`, or ``None`` when unknown.
    """
    if kind is None:
        kind = "node group" if str(resource).startswith("node group") else "cluster"
    return EXPECTED_SECONDS.get((kind, status_of(obj) if status is None else status))


class PollSchedule(object):
    """When to poll next: often at first, sparser later, often again near the expected end.

    The delay after ``t`` seconds of waiting is interpolated linearly between
    ``points`` (``(t, delay)`` pairs; the last delay holds afterwards): by default
    1 s at the start, 2.5 s at 10 s, 3 s at one minute, 10 s from two minutes on.
    Short operations (settings changes, the simulator's fast profile) are seen
    within a second or two; a long one costs one poll per 10 s. When the
    operation's typical duration ``E`` is known (:func:`expected_seconds`), the
    delay is at most ``near`` between ``window[0] * E`` and ``window[1] * E``,
    where NKS usually finishes. Over a 10-minute cluster create this is about 105
    polls (one per 5.7 s); docs/performance.md has the measurements. Each delay
    is jittered down by up to 10 % so that many waiters do not poll in step.

    :param tuple points: ``((seconds waited, delay in seconds), ...)``, ascending.
    :param float near: longest delay inside the expected-end window (s).
    :param tuple window: the window, as fractions of ``E``.
    """

    def __init__(self, points=((0.0, 1.0), (10.0, 2.5), (60.0, 3.0), (120.0, 10.0)), near=3.0,
                 window=(0.85, 1.5)):
        self.points = tuple(points)
        self.near = near
        self.window = window

    def base_delay(self, elapsed):
        """The delay (s) after ``elapsed`` seconds, from :attr:`points` alone."""
        points = self.points
        if elapsed <= points[0][0]:
            return points[0][1]
        for (t0, d0), (t1, d1) in zip(points, points[1:]):
            if elapsed <= t1:
                return d0 + (d1 - d0) * (elapsed - t0) / (t1 - t0)
        return points[-1][1]

    def delay(self, elapsed, expected=None):
        """Seconds to sleep after ``elapsed`` seconds of waiting (before jitter).

        :param float elapsed: seconds since the wait began.
        :param float expected: typical duration of the operation (s), or ``None``.
        """
        delay = self.base_delay(elapsed)
        if expected:
            start, end = self.window[0] * expected, self.window[1] * expected
            if start <= elapsed <= end:
                delay = min(delay, self.near)
            elif elapsed < start < elapsed + delay:
                # Do not sleep past the start of the window.
                delay = max(self.points[0][1], start - elapsed)
        return delay

    def delays(self, clock, start, expected=None):
        """Yield jittered delays forever, each computed from ``clock() - start``."""
        while True:
            yield self.delay(clock() - start, expected) * random.uniform(0.9, 1.0)


class Waiter(object):
    """Poll a resource until it settles.

    By default the delays follow :class:`PollSchedule` (dense at first, capped
    at 10 s, dense again near the operation's typical end). Passing ``initial``,
    ``factor`` or ``maximum`` selects the plain capped exponential backoff
    instead (``initial * factor ** n``, at most ``maximum``).

    :param float timeout: seconds before :class:`NksWaitTimeout`.
    :param float initial: first delay (s). :param float maximum: longest delay (s).
    :param float not_found_grace: seconds a freshly created resource may still
        answer 404 (NKS_API_NOTES: "right after a 202 create a GET can briefly 404").
    :param PollSchedule schedule: the adaptive schedule (default ``PollSchedule()``).
    :param progress: ``callable(resource, status, elapsed, expected)`` called before each sleep
        (:class:`._progress.Progress`); default: what the module's environment asks for
        (:func:`._progress.from_environment`), usually nothing.
    :ivar int polls: sleeps so far (one per poll after the first read).
    """

    def __init__(self, timeout, initial=None, factor=None, maximum=None, not_found_grace=30.0,
                 clock=time.monotonic, sleeper=sleep, schedule=None, progress=None):
        self.timeout = timeout
        self.backoff = None
        if initial is not None or factor is not None or maximum is not None:
            self.backoff = (1.0 if initial is None else initial, 1.5 if factor is None else factor,
                            10.0 if maximum is None else maximum)
        self.schedule = schedule or PollSchedule()
        self.not_found_grace = not_found_grace
        self.clock = clock
        self.sleeper = sleeper
        self.polls = 0
        self.progress = progress if progress is not None else progress_from_environment()
        self.expected = None

    def _delays(self, start, resource, obj, kind, status):
        self.expected = None
        if self.backoff:
            return backoff_delays(*self.backoff)
        self.expected = expected_seconds(resource, obj, kind, status(obj)[0])
        return self.schedule.delays(self.clock, start, self.expected)

    def until_settled(self, fetch, resource, current=None, kind=None, status=api_status):
        """Wait until ``fetch()`` shows no operation in progress.

        :param fetch: callable returning the API object, or ``None`` on 404.
        :param str resource: name used in errors, e.g. ``cluster 'demo'``.
        :param dict current: the object as just read, if the caller has it. When it
            shows an operation in progress the first ``fetch()`` is skipped (one GET
            less per wait); otherwise it may predate a change, and is read again.
        :param str kind: the resource's :attr:`Resource.kind`, for the poll timing.
        :param status: ``callable(obj) -> (status, status_reason)``, how to read an object's status
            (:meth:`Resource.status`); default :func:`api_status`.
        :returns: the settled object (``*_COMPLETE`` or another final status).
        :raises NksOperationFailed: on ``*_FAILED`` (with ``status_reason``).
        :raises NksWaitTimeout: when the timeout passes first.
        """
        start = self.clock()
        obj = current if current is not None and is_busy_status(status(current)) else fetch()
        delays = self._delays(start, resource, obj, kind, status)
        while True:
            state, reason = status(obj) if obj is not None else ("", None)
            if obj is None:
                if self.clock() - start > self.not_found_grace:
                    raise NksOperationFailed(resource, "NOT_FOUND", "it disappeared while waiting")
            elif is_failed_status((state, reason)):
                raise NksOperationFailed(resource, state, reason)
            elif not is_busy_status((state, reason)):
                return obj
            self._pause(start, resource, state, delays)
            obj = fetch()

    def until_gone(self, fetch, resource, kind=None, status=api_status):
        """Wait until ``fetch()`` returns ``None`` (404): a delete finished.

        :param status: as for :meth:`until_settled`.
        :raises NksOperationFailed: on ``DELETE_FAILED``. :raises NksWaitTimeout:
        """
        start = self.clock()
        obj = fetch()
        delays = self._delays(start, resource, obj, kind, status)
        while obj is not None:
            state, reason = status(obj)
            if is_failed_status((state, reason)):
                raise NksOperationFailed(resource, state, reason)
            self._pause(start, resource, state, delays)
            obj = fetch()
        return None

    def _pause(self, start, resource, state, delays):
        elapsed = self.clock() - start
        if elapsed >= self.timeout:
            raise NksWaitTimeout(resource, state or "NOT_FOUND", elapsed)
        report_progress(self.progress, resource, state, elapsed, self.expected)
        self.polls += 1
        self.sleeper(min(next(delays), max(0.0, self.timeout - elapsed)))


def lock_directory():
    """The per-user directory of the controller's lock files: ``<tmp>/nhncloud.nks-<uid>`` (mode
    0700, created when missing). ``None`` when it cannot be used safely (not ours, a symlink,
    group/world-writable, not creatable): callers then go on without a lock."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = os.path.join(tempfile.gettempdir(), "nhncloud.nks-%d" % uid)
    try:
        os.mkdir(path, 0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            return None
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid or info.st_mode & 0o022:
        return None
    return path


class CreateLock(object):
    """An exclusive ``fcntl`` lock on the controller, one per resource to create (docs/reliability.md,
    "Concurrent runs"): two runs creating the same cluster name in the same project and endpoint
    take turns, and the second finds the first's cluster instead of creating a duplicate (NKS
    may allow duplicate names). Released when the ``with`` block ends or the process dies.

    :param key: what identifies the resource (endpoint, project, kind, name), hashed into the
        lock file's name (no name or secret appears in it).
    :param directory: where the lock file lives (default :func:`lock_directory`); without one,
        or without ``fcntl``, the lock does nothing.
    :ivar bool held: the lock is held.
    """

    def __init__(self, key, directory=None):
        self.directory = directory if directory is not None else lock_directory()
        digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32]
        self.path = os.path.join(self.directory, "create-%s.lock" % digest) if self.directory else None
        self.fd = None
        self.held = False
        self.fresh = False

    def __enter__(self):
        if self.path is None or fcntl is None:
            return self
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)
        try:
            try:
                self.fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o600)
                self.fresh = True
            except OSError as exc:
                if exc.errno != errno.EEXIST:
                    raise
                self.fd = os.open(self.path, flags)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            self.held = True
        except OSError:
            self._close()
        return self

    def changed_since(self, when):
        """``True`` when a create under this lock finished at or after ``when`` (``time.time()``)."""
        if not self.held or self.fresh:
            return False
        try:
            return os.fstat(self.fd).st_mtime >= when
        except OSError:
            return True

    def mark(self):
        """Record that a create under this lock was sent (sets the lock file's time)."""
        if self.held:
            try:
                os.utime(self.path, None)
            except OSError:
                pass

    def __exit__(self, *exc_info):
        self._close()
        return False

    def _close(self):
        if self.fd is not None:
            try:
                os.close(self.fd)  # releases the flock
            except OSError:
                pass
        self.fd = None
        self.held = False


class Change(object):
    """One in-place change a module will make.

    :param str name: the option that calls for it, e.g. ``node_count``.
    :param before: current typed value. :param after: desired typed value.
    :param apply: callable sending the API request(s); ``None`` when another
        ``Change`` of the same plan sends the request that makes this one too
        (one request sets several options: each option still gets its own
        ``Change``, so check mode and diff mode predict every field).
    :param bool waits: the request starts an asynchronous operation to wait for.
    """

    def __init__(self, name, before, after, apply, waits=True):
        self.name = name
        self.before = before
        self.after = after
        self.apply = apply
        self.waits = waits

    def __repr__(self):
        return "Change(%s: %r -> %r)" % (self.name, self.before, self.after)


class Resource(object):
    """What a module tells the engine about its resource. Override what applies.

    Objects passed around are the API's own dicts; :meth:`view` turns one into
    the typed, secret-free dict that modules return and diff.

    :cvar str kind: what the resource is, ``cluster`` or ``node group`` (the keys of
        :data:`EXPECTED_SECONDS`, which time the polls) or another word for settings
        resources (``autoscaler``, ``ipacl``).
    """

    kind = "resource"

    def __init__(self, mod):
        """:param mod: the module (an ``NksModule``): its ``api`` (``_api.NksApi``) and ``params``
        (dict of option values) are kept as :attr:`mod`, :attr:`api` and :attr:`params`."""
        self.mod = mod
        self.api = mod.api
        self.params = mod.params

    def describe(self):
        """Name used in messages, e.g. ``cluster 'demo'``."""
        return self.kind

    def find(self):
        """Return the API object, or ``None`` when it does not exist."""
        raise NotImplementedError

    def fetch(self, obj):
        """Re-read ``obj`` (by UUID); ``None`` on 404. Defaults to :meth:`find`."""
        return self.find()

    def view(self, obj):
        """Typed result ``dict`` of an API object (``None`` for ``None``)."""
        raise NotImplementedError

    def validate_create(self):
        """Check options for a create; raise ``ValidationError`` before any request."""

    def create(self):
        """Send the create request; return the API's answer (with ``uuid``)."""
        raise NotImplementedError

    def predict_create(self):
        """Typed view the create would produce (check mode)."""
        raise NotImplementedError

    def plan(self, obj):
        """List the :class:`Change` objects ``obj`` needs; raise ``ValidationError`` for
        differences that cannot be made in place."""
        return []

    def delete(self, obj):
        """Send the delete request."""
        raise NotImplementedError

    def failed_advice(self, obj):
        """What to do about ``obj`` found in a ``*_FAILED`` status (NKS then accepts only a delete)."""
        return "delete it (state=absent) and create it again"

    def status(self, obj):
        """The ``(status, status_reason)`` the engine acts on for ``obj``: the one hook through which
        :class:`StateMachine` and :class:`Waiter` read a status (NKS_API_NOTES: Lifecycle).

        ``*_IN_PROGRESS`` means an operation runs: the engine waits for it (attaches) before sending
        anything; ``*_FAILED`` fails the task (:meth:`failed_advice`); ``DELETE_IN_PROGRESS`` means a
        delete runs; anything else is settled. The default reads the object's own ``status`` and
        ``status_reason`` (:func:`api_status`). A resource whose object has no status of its own (an IP
        ACL, an autoscaler: their cluster's or node group's counts) or also depends on another object (a
        node group on its cluster) overrides this; it never writes a status into an object.

        :param dict obj: an object :meth:`find` or :meth:`fetch` returned (not ``None``).
        :returns: ``(str, str or None)``.
        """
        return api_status(obj)

    def busy(self, obj):
        """``True`` while :meth:`status` says an operation runs on ``obj`` (``*_IN_PROGRESS``)."""
        return is_busy_status(self.status(obj))

    def failed(self, obj):
        """``True`` when :meth:`status` says the last operation on ``obj`` failed (``*_FAILED``)."""
        return is_failed_status(self.status(obj))


DELETE_CLUSTER = "delete the cluster (nhncloud.nks.nks_cluster state=absent) and create it again"
"""What to do about a ``*_FAILED`` cluster: NKS accepts nothing else (:meth:`Resource.failed_advice`)."""


class SettingsResource(Resource):
    """The settings of a cluster or node group (IP ACL, autoscaler): they always exist while their
    cluster does, so :meth:`find` never returns ``None`` (it raises ``ValidationError`` when the
    cluster is missing) and nothing is ever created or deleted; only :meth:`plan` changes them.
    A failed cluster calls for deleting it (:data:`DELETE_CLUSTER`)."""

    def create(self):  # pragma: no cover - find() never returns None
        raise AssertionError("%s is never created" % self.kind)

    def failed_advice(self, obj):
        return DELETE_CLUSTER


class StateMachine(object):
    """Run a :class:`Resource` to ``present`` or ``absent``.

    :param resource: the module's :class:`Resource`.
    :param bool check_mode: predict, send nothing that changes anything.
    :param bool wait: wait for operations this run starts.
    :param waiter: a :class:`Waiter` (its timeout is ``wait_timeout``).
    :param int create_attempts: how often a create is tried when its answer
        was lost or refused with 429/5xx; before each new try the resource is
        looked up by name, so a create that did happen is never repeated. A key
        pair 403 is retried on its own schedule (``RetryPolicy.keypair_delays``).
    :param int action_attempts: how often an in-place change or a delete is sent
        when its answer was lost, refused with 429/5xx or refused because an
        operation runs; before each new try the resource is re-read and the
        change re-planned, so an action that took is never sent again.
        Both default to ``DEFAULT_POLICY.attempts`` (docs/reliability.md, "Retry budget").
    """

    def __init__(self, resource, check_mode, wait, waiter, create_attempts=DEFAULT_POLICY.attempts,
                 sleeper=sleep, action_attempts=DEFAULT_POLICY.attempts):
        self.resource = resource
        self.check_mode = check_mode
        self.wait = wait
        self.waiter = waiter
        self.create_attempts = create_attempts
        self.action_attempts = action_attempts
        self.sleeper = sleeper
        self.changes = []
        self.recoveries = []
        self.looked_at = None
        if waiter is not None and getattr(waiter, "timeout", None) == 0:
            self.wait = False  # wait_timeout 0: do not wait

    def _status(self, obj):
        """:meth:`Resource.status`, or the status of an :class:`_Unread` stand-in."""
        if isinstance(obj, _Unread):
            return obj.state
        return self.resource.status(obj)

    def _busy(self, obj):
        return obj is not None and is_busy_status(self._status(obj))

    def _fetch_tolerant(self, last):
        """``fetch`` for waiting. ``last`` is a one-item list holding the last object seen.

        A transient failure of one poll (:func:`is_transient`) does not end the wait: the poll
        answers the last object as an :class:`_Unread` stand-in, still in progress (the waiter
        polls on until its timeout), because what the API holds now is unknown.
        """
        try:
            fresh = self.resource.fetch(last[0])
        except (NksApiError, NksConnectionError) as exc:
            if not is_transient(exc):
                raise
            self.recoveries.append("poll: %s" % exc)
            state = self._status(last[0])
            return _Unread(last[0], state if is_busy_status(state) else ("UNKNOWN_IN_PROGRESS", state[1]))
        if fresh is not None:
            last[0] = fresh
        return fresh

    def _settle(self, obj):
        """Wait for the operation on ``obj``; when it fails, the error says what to do next."""
        last = [obj]
        try:
            with self._deadline():
                return self.waiter.until_settled(lambda: self._fetch_tolerant(last), self.resource.describe(),
                                                 current=obj, kind=self.resource.kind, status=self._status)
        except NksOperationFailed as exc:
            if exc.advice or not exc.status.endswith("_FAILED"):
                raise
            raise NksOperationFailed(exc.resource, exc.status, exc.reason,
                                     self.resource.failed_advice(last[0]))

    def _until_gone(self, obj):
        res = self.resource
        with self._deadline():
            self.waiter.until_gone(lambda: res.fetch(obj), res.describe(), kind=res.kind, status=self._status)

    def _client(self):
        return getattr(getattr(self.resource, "api", None), "client", None)

    def _deadline(self):
        """While waiting, the client's requests end by the wait's deadline (``wait_timeout`` from
        now): a slow or drip-fed answer cannot hold the wait past it."""
        client = self._client()
        timeout = getattr(self.waiter, "timeout", None)
        if client is None or not hasattr(client, "until") or timeout is None:
            return _NoDeadline()
        return client.until(time.monotonic() + max(0.0, timeout))

    def _create_lock(self):
        """The :class:`CreateLock` of this resource: endpoint, project, kind and name."""
        client = self._client()
        key = ("create", getattr(client, "api_url", None), getattr(client, "tenant_id", None),
               self.resource.kind, self.resource.describe())
        return CreateLock(key)

    def present(self):
        """Converge to ``present``.

        :returns: ``(changed, obj_or_none, before_view, after_view)``; in check
            mode ``obj`` is the current object (or ``None``) and ``after_view``
            the prediction.
        """
        res = self.resource
        self.looked_at = time.time()
        obj = res.find()
        if obj is not None and self._status(obj)[0] == "DELETE_IN_PROGRESS":
            # A delete is running: let it finish, then create anew.
            self._until_gone(obj)
            obj = None
        elif self._busy(obj):
            obj = self._settle(obj)  # attach to the running operation
        if obj is None:
            res.validate_create()
            if self.check_mode:
                return True, None, None, res.predict_create()
            obj = self._create()
            if self.wait:
                obj = self._settle(obj)
            return True, obj, None, res.view(obj)
        if res.failed(obj):
            raise_failed(res, obj)  # NKS accepts only a delete now: say so before any request
        before = res.view(obj)
        self.changes = res.plan(obj)
        if not self.changes:
            return False, obj, before, before
        if self.check_mode:
            after = dict(before)
            for change in self.changes:
                after[change.name] = change.after
            return True, obj, before, after
        requests = [change for change in self.changes if change.apply is not None]
        for index, change in enumerate(requests):
            last = index == len(requests) - 1
            obj, sent = self._apply(change, obj, last)
            if not sent:
                continue  # it took already (its answer was lost), and has settled
            if change.waits and (self.wait or not last):
                obj = self._settle(obj)
            else:
                obj = res.fetch(obj) or obj
        return True, obj, before, res.view(obj)

    def absent(self):
        """Converge to ``absent``.

        :returns: ``(changed, before_view)``.
        """
        res = self.resource
        obj = res.find()
        if obj is None:
            return False, None
        before = res.view(obj)
        if self._status(obj)[0] == "DELETE_IN_PROGRESS":
            if self.wait and not self.check_mode:
                self._until_gone(obj)
            return False, before
        if self.check_mode:
            return True, before
        if self._busy(obj):
            obj = self._settle_any(obj)
            if obj is None:
                return False, before
        self._delete(obj)
        if self.wait:
            self._until_gone(obj)
        return True, before

    def converge(self, state="present"):
        """Converge to ``state``: the one entry point of every module's ``run()``.

        :param str state: ``present`` or ``absent``.
        :returns: :class:`Outcome` (``changed``, ``obj``, ``before``, ``after``; ``diff``).
        """
        if state == "absent":
            changed, before = self.absent()
            return Outcome(changed, None, before, None)
        changed, obj, before, after = self.present()
        return Outcome(changed, obj, before, after)

    def _settle_any(self, obj):
        """Wait for a running operation before deleting; a failure is fine here."""
        try:
            return self._settle(obj)
        except NksOperationFailed:
            return self.resource.fetch(obj)

    def _apply(self, change, obj, last):
        """Send ``change`` and recover when its answer was lost or refused for now.

        On no answer, a lost answer, 429/5xx or 400 "in a wrong state" the resource is
        re-read: an operation running on it (ours, whose answer was lost, or somebody
        else's) is waited for, then the plan is made again from the fresh object. When
        the change is no longer needed it took; otherwise it is sent again (the fresh
        plan's request), at most ``action_attempts`` times in all, with the policy's backoff.

        :returns: ``(obj, sent)``: ``sent`` is ``False`` when the change turned out to
            have taken and ``obj`` is then the settled object.
        :raises NksApiError, NksConnectionError: when the attempts run out, or on an
            error that says the request was refused (other 4xx).
        """
        res = self.resource
        attempts = DEFAULT_POLICY.start(self.sleeper, self.action_attempts)
        while True:
            try:
                change.apply(obj)
                return obj, True
            except (NksApiError, NksConnectionError) as exc:
                if not (is_transient(exc) or is_busy(exc)) or not attempts.pause(exc):
                    raise
                self.recoveries.append("%s: %s" % (change.name, exc))
                error = exc
            fresh = res.fetch(obj)
            if fresh is None:
                raise error
            if self._busy(fresh):
                if last and not self.wait:
                    return fresh, False  # it runs (most likely ours): wait=false does not wait
                # Most likely ours: its *_FAILED end fails the task (NksOperationFailed), as
                # it would have had the answer arrived; it is not sent again.
                fresh = self._settle(fresh)
            obj = fresh
            again = [c for c in res.plan(obj) if c.name == change.name]
            if not again:
                return obj, False  # it took
            if again[0].apply is not None:
                change.apply = again[0].apply

    def _delete(self, obj):
        """Send the delete, recovering like :meth:`_apply`: after a lost or refused answer the
        resource is re-read; gone or ``DELETE_IN_PROGRESS`` means the delete took.

        :returns: ``True``.
        :raises NksApiError, NksConnectionError: when the attempts run out, or on a refusal.
        """
        res = self.resource
        attempts = DEFAULT_POLICY.start(self.sleeper, self.action_attempts)
        while True:
            try:
                res.delete(obj)
                return True
            except (NksApiError, NksConnectionError) as exc:
                if not (is_transient(exc) or is_busy(exc)) or not attempts.pause(exc):
                    raise
                self.recoveries.append("delete: %s" % exc)
            fresh = res.fetch(obj)
            if fresh is None:
                return True  # gone: the delete whose answer was lost went through
            state = self._status(fresh)[0]
            if state == "DELETE_IN_PROGRESS":
                return True
            if is_busy_status((state, None)):
                fresh = self._settle_any(fresh)
                if fresh is None:
                    return True
            obj = fresh

    def _create(self):
        """Create, recovering from a lost or refused answer without duplicates.

        Creates of the same resource (endpoint, project, kind, name) are serialised on the
        controller (:class:`CreateLock`): a run that waited for the lock looks the resource up
        again and attaches to what the other run created.

        A 409 (another process created a resource of that name meanwhile) attaches to
        the one found by name; a 400 "in a wrong state" (the parent is busy) is tried again;
        a 403 "Unable to find keypair" (a key pair created moments before) is tried again
        after the policy's ``keypair_delays`` (docs/reliability.md).
        """
        with self._create_lock() as lock:
            if lock.changed_since(self.looked_at if self.looked_at is not None else time.time()):
                # Another run on this controller created something of this name after we looked.
                found = self.resource.find()
                if found is not None:
                    self.recoveries.append("create: created meanwhile by another run, found by name")
                    return found
            try:
                return self._create_unlocked()
            finally:
                lock.mark()

    def _create_unlocked(self):
        res = self.resource
        attempts = DEFAULT_POLICY.start(self.sleeper, self.create_attempts)
        while True:
            try:
                answer = res.create()
            except NksConflict:
                found = res.find()
                if found is not None:
                    self.recoveries.append("create: 409, found by name")
                    return found
                raise
            except (NksApiError, NksConnectionError) as exc:
                retryable = is_transient(exc) or is_busy(exc) or is_keypair_race(exc)
                if not (retryable and attempts.pause(exc)):
                    if is_keypair_race(exc) and attempts.keypair_tries:
                        raise exc.with_hint("Still refused after %d tries over %.0f s: check that the key pair"
                                            " named by keypair exists in this region and project."
                                            % (attempts.keypair_tries + 1, attempts.slept))
                    raise
                self.recoveries.append("create: %s" % exc)
            else:
                return self._created(answer)
            # The request may or may not have been carried out: look before trying again.
            found = res.find()
            if found is not None:
                return found

    def _created(self, answer):
        """Object to wait on after a create answered ``answer``: the resource read again, or, while
        NKS does not show it yet (a GET can briefly 404 after a create), the answer itself, which
        has no status: a new resource is ``CREATE_IN_PROGRESS`` (NKS_API_NOTES: Lifecycle)."""
        obj = dict(answer or {})
        fetched = self.resource.fetch(obj)
        if fetched is not None:
            return fetched
        state = api_status(obj) if status_of(obj) else ("CREATE_IN_PROGRESS", None)
        # With wait=false the stand-in is what the result shows: with the status the engine read.
        return _Unread(dict(obj, status=state[0]), state)


class _NoDeadline(object):
    """A ``with`` block that sets no deadline."""

    def __enter__(self):
        return None

    def __exit__(self, *exc_info):
        return False


class _Unread(dict):
    """A stand-in for an object the engine could not read: a copy of the last one seen, whose
    status is :attr:`state` (``(status, status_reason)``, read by :meth:`StateMachine._status`)."""

    def __init__(self, seen, state):
        super(_Unread, self).__init__(seen or {})
        self.state = state


class Outcome(object):
    """What :meth:`StateMachine.converge` did, in one shape for every module.

    :ivar bool changed: :ivar dict obj: the API object afterwards (``None`` for absent, or
        before a create in check mode). :ivar dict before: typed view before (``None`` when
        absent). :ivar dict after: typed view after, or the prediction in check mode
        (``None`` when deleted).
    """

    def __init__(self, changed, obj, before, after):
        self.changed = changed
        self.obj = obj
        self.before = before
        self.after = after

    @property
    def diff(self):
        """The ``diff`` return value (:func:`diff_result`) of the current ``before``/``after``."""
        return diff_result(self.before, self.after)

    def result(self, key, diff_mode, **extra):
        """The module result: ``changed``, ``key`` (``after``, or ``before`` when deleted, else
        ``{}``), ``extra`` and, in diff mode, ``diff``."""
        shown = self.after if self.after is not None else self.before
        result = dict(changed=self.changed, **extra)
        result[key] = shown if shown is not None else {}
        if diff_mode:
            result["diff"] = self.diff
        return result


def raise_failed(resource, obj):
    """Raise :class:`NksOperationFailed` for an object found in a ``*_FAILED`` status.

    NKS accepts nothing but a delete on a ``*_FAILED`` cluster or node group
    (NKS_API_NOTES: errors), so the message says so and what to do
    (:meth:`Resource.failed_advice`), before any request that NKS would refuse.
    """
    status, reason = resource.status(obj)
    raise NksOperationFailed(resource.describe(), status, reason, resource.failed_advice(obj))


def diff_result(before, after):
    """The ``diff`` return value: ``{"before": ..., "after": ...}`` (``{}`` for absent)."""
    return {"before": before or {}, "after": after or {}}
