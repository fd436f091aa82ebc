# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress of a module's long waits, for its action plugin to show while the module runs.

A module process cannot print while it runs: Ansible reads its JSON answer once, at its end.
The collection's action plugins (:mod:`..plugin_utils.progress_action`) therefore create a
private file (mode 0600) on the controller and name it to the module in the module's
environment, :data:`PROGRESS_FILE_ENV`; the module's waits
(:class:`._engine.Waiter`, :func:`._kube.wait_until_usable`) append one line
(:func:`progress_line`) at most every :data:`DEFAULT_INTERVAL` seconds of a wait (the first
after that long), and the action plugin prints each line through Ansible's ``Display``.

A line holds only the resource's kind and name, its status (or what the readiness wait still
misses), the seconds waited and NKS's typical duration: never an option's value. Without the
variable, or when the file cannot be opened (a module running on another host, or as another
user through ``become``), nothing is written and the wait is unchanged.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

PROGRESS_FILE_ENV = "NKS_PROGRESS_FILE"
"""Environment variable naming the file the action plugin tails (set by the action plugin)."""

PROGRESS_INTERVAL_ENV = "NKS_PROGRESS_INTERVAL"
"""Environment variable (seconds, a positive number) overriding :data:`DEFAULT_INTERVAL`; the
action plugins pass the controller's value on. Meant for tests and slow demos."""

MAX_STATUS = 100
"""Characters of a status kept in a line (a readiness wait's problem can be long)."""

DEFAULT_INTERVAL = 30.0
"""Seconds of a wait before its first line, and between two lines. The waits poll at most
every 10 s, so a line comes at least every 40 s (plus one request)."""


def duration(seconds):
    """``"45 s"``, ``"2 min 5 s"`` or ``"10 min"`` for a number of seconds (rounded)."""
    seconds = int(round(max(0.0, seconds)))
    if seconds < 60:
        return "%d s" % seconds
    minutes, seconds = divmod(seconds, 60)
    return "%d min %d s" % (minutes, seconds) if seconds else "%d min" % minutes


def progress_line(resource, status, elapsed, expected=None):
    """One progress line, e.g. ``cluster 'demo': CREATE_IN_PROGRESS for 2 min 30 s (NKS typically
    takes 10 min: about 7 min 30 s left)``.

    :param str resource: as in the modules' errors, ``cluster 'demo'``.
    :param str status: the resource's status (``CREATE_IN_PROGRESS``) or what a readiness wait
        still misses (cut to :data:`MAX_STATUS` characters, on one line).
    :param float elapsed: seconds waited so far.
    :param float expected: NKS's typical duration of the operation (s,
        :func:`._engine.expected_seconds`), or ``None`` when unknown.
    :returns: str, one line.
    """
    status = " ".join(str(status or "NOT_FOUND").split())
    if len(status) > MAX_STATUS:
        status = status[:MAX_STATUS - 3].rstrip() + "..."
    line = "%s: %s for %s" % (resource, status, duration(elapsed))
    if expected:
        if elapsed < expected:
            line += " (NKS typically takes %s: about %s left)" % (duration(expected), duration(expected - elapsed))
        else:
            line += " (NKS typically takes %s: longer than usual)" % duration(expected)
    return line


class Progress(object):
    """Appends :func:`progress_line` lines to a file, at most one per ``interval`` of a wait.

    Call it at each poll of a wait: ``progress(resource, status, elapsed, expected)``. A line is
    written once ``elapsed`` reaches ``interval``, then each time another ``interval`` passed; an
    ``elapsed`` smaller than the last one starts a new wait.

    :param str path: the file (must exist: it is never created here).
    :param float interval: seconds (> 0).
    """

    def __init__(self, path, interval=DEFAULT_INTERVAL):
        self.path = path
        self.interval = interval
        self._due = interval
        self._seen = 0.0

    def __call__(self, resource, status, elapsed, expected=None):
        if elapsed < self._seen:
            self._due = self.interval
        self._seen = elapsed
        if elapsed < self._due:
            return
        self._due = elapsed + self.interval
        self.write(progress_line(resource, status, elapsed, expected))

    def write(self, line):
        """Append ``line`` (and a newline) to the file; do nothing when it cannot be opened or written."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)  # no O_CREAT: only the action plugin's file
        except OSError:
            return
        try:
            os.write(fd, (line.replace("\n", " ") + "\n").encode("utf-8", "replace"))
        except OSError:
            pass
        finally:
            os.close(fd)


def from_environment(environ=None):
    """The :class:`Progress` the module's environment asks for, or ``None``.

    :param dict environ: default ``os.environ``; reads :data:`PROGRESS_FILE_ENV` and
        :data:`PROGRESS_INTERVAL_ENV` (an invalid or non-positive interval means the default).
    """
    environ = os.environ if environ is None else environ
    path = environ.get(PROGRESS_FILE_ENV)
    if not path:
        return None
    try:
        interval = float(environ.get(PROGRESS_INTERVAL_ENV) or DEFAULT_INTERVAL)
    except ValueError:
        interval = DEFAULT_INTERVAL
    return Progress(path, interval if interval > 0 else DEFAULT_INTERVAL)


def report(progress, resource, status, elapsed, expected=None):
    """Call ``progress`` (a :class:`Progress` or any callable of the same signature) unless it is ``None``."""
    if progress is not None:
        progress(resource, status, elapsed, expected)
