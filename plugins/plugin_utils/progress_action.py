# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of the action plugins that run their module and show its wait progress meanwhile.

A module process answers once, at its end: it cannot print during a wait of half an hour. The
action plugin of each module that waits (``nks_cluster``, ``nks_nodegroup``, ``nks_autoscale``,
``nks_ipacl``, ``nks_kubeconfig``) runs the real module as Ansible's ``normal`` action does
(``_execute_module``: ``module_defaults``, the action group, ``no_log``, check and diff mode,
``delegate_to``, ``async`` keep working) and, while it runs:

* creates a private file (mode 0600, :func:`tempfile.mkstemp`) on the controller;
* names it to the module through the task's ``environment`` (:data:`._progress.PROGRESS_FILE_ENV`,
  with :data:`._progress.PROGRESS_INTERVAL_ENV` when the controller sets it), added for this
  run only;
* tails it in a thread and prints each line the module's waits append
  (:mod:`..module_utils._progress`) through ``Display.display``: shown at the default verbosity
  by every stdout callback, and by ansible-runner (AWX) as job output, like ``nks_wait``'s lines.

The file is removed when the module has answered. A module running on another host
(``delegate_to`` a remote host, a remote ``ansible_connection``), as another user (``become``)
or in the background (``async``) cannot open it: the task then shows no progress, as before.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile
import threading

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.nhncloud.nks.plugins.module_utils._progress import PROGRESS_FILE_ENV, PROGRESS_INTERVAL_ENV

display = Display()

POLL_SECONDS = 0.5
"""How often the tail thread reads the file (s)."""


class ProgressTail(object):
    """A private file the module appends progress lines to, and a thread printing them.

    Use as a context manager: ``with ProgressTail(show) as tail: ... tail.path ...``; on exit the
    thread stops, the lines not yet printed are printed, and the file is removed.

    :param show: ``callable(line)`` printing one line (without its newline).
    :param float poll: seconds between two reads.
    """

    def __init__(self, show, poll=POLL_SECONDS):
        self.show = show
        self.poll = poll
        self.path = None
        self._file = None
        self._rest = b""
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False

    def start(self):
        """Create the file and start the thread; returns ``self``. :raises OSError: no file could be made."""
        fd, self.path = tempfile.mkstemp(prefix="nks-progress-", suffix=".log")  # mode 0600
        self._file = os.fdopen(fd, "rb")
        self._thread = threading.Thread(target=self._run, name="nks-progress")
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        """Stop the thread, print the lines not printed yet, remove the file."""
        self._stop.set()
        self._thread.join()
        self._read()
        if self._rest:
            self._emit(self._rest)
        self._file.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def _run(self):
        while not self._stop.wait(self.poll):
            self._read()

    def _read(self):
        data = self._file.read()
        if not data:
            return
        lines = (self._rest + data).split(b"\n")
        self._rest = lines.pop()
        for line in lines:
            self._emit(line)

    def _emit(self, line):
        text = line.decode("utf-8", "replace").strip()
        if text:
            self.show(text)


class ProgressModuleAction(ActionBase):
    """Run the task's module on the target, printing the progress of its waits meanwhile.

    :cvar str module: the module's FQCN, used when the task does not name it resolved.
    :cvar tuple secret_keys: result keys that hold a secret; a result with any of them gets
        ``_ansible_no_log`` set (see :mod:`.censored_action`).
    :cvar bool progress: ``False`` for a module that never waits (no file, no thread).
    """

    _supports_check_mode = True
    _supports_async = True
    module = None
    secret_keys = ()
    progress = True

    def run(self, tmp=None, task_vars=None):
        """Execute the module (with a progress file unless ``async`` or :attr:`progress` is false)
        and return its result."""
        result = super(ProgressModuleAction, self).run(tmp, task_vars)
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        tail = None
        if self.progress and not self._task.async_val:
            try:
                tail = ProgressTail(self._show).start()
            except OSError as exc:  # no writable temporary directory: run without progress
                display.vvv("no progress file for this task: %s" % exc)
        try:
            answer = self._module_result(task_vars, wrap_async, tail.path if tail else None)
        finally:
            if tail is not None:
                tail.stop()
        result = merge_hash(result, answer)
        if any(key in result for key in self.secret_keys):
            result["_ansible_no_log"] = True
        return result

    def _module_result(self, task_vars, wrap_async, progress_file=None):
        """``_execute_module``'s result; with ``progress_file``, the task's ``environment`` names
        it (and the controller's :data:`PROGRESS_INTERVAL_ENV`) for this run only."""
        environment = self._task.environment
        if progress_file:
            extra = {PROGRESS_FILE_ENV: progress_file}
            if os.environ.get(PROGRESS_INTERVAL_ENV):
                extra[PROGRESS_INTERVAL_ENV] = os.environ[PROGRESS_INTERVAL_ENV]
            given = environment if isinstance(environment, list) else ([environment] if environment else [])
            self._task.environment = list(given) + [extra]
        try:
            return self._execute_module(module_name=self._task.resolved_action or self.module,
                                        module_args=self._task.args, task_vars=task_vars, wrap_async=wrap_async)
        finally:
            self._task.environment = environment

    def _show(self, line):
        """Print one progress line at the default verbosity, named by the module."""
        name = (self._task.resolved_action or self.module or "").split(".")[-1]
        display.display("%s: %s" % (name, line))
