# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible glue shared by every module: common options, the task context, errors.

A module's work is a subclass of :class:`NksModule` in ``module_utils/_tasks/`` (one file per
module): it declares ``argument_spec`` (its own options; the common ones are added here) and
implements :meth:`NksModule.run`. It reads everything about the run it is part of from a
:class:`TaskContext` (options, check and diff mode, warnings, secrets to mask, file helpers),
so the same class runs in two ways:

* the module's own process: ``plugins/modules/nks_x.py``'s ``main()`` is ``NksX.main()``, which
  builds the ``AnsibleModule`` and the context from it (:meth:`TaskContext.from_module`);
* inside another module's process (``nks_fleet`` converging many clusters):
  :func:`._tasks.runner.run_task` validates the options with Ansible's public ``ArgumentSpecValidator``
  (the module's full spec and ``module_kwargs``, the connection options falling back to
  ``os.environ``, the environment of that module process) and runs :meth:`NksModule.perform`.

Every exception of the client or of the validators becomes one failure here (``failed``/``msg``
naming the option), so the task classes carry no ``try``/``except`` of their own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import stat
import tempfile
import time
import traceback

from ansible.module_utils.basic import AnsibleModule, _load_params, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import AnsibleFallbackNotFound, UnsupportedError

from ._api import AmbiguousName, NksApi
from ._client import (CONNECTION_ENV, HAS_REQUESTS, REQUESTS_IMPORT_ERROR, NksApiError,
                      NksConnectionError, NksError, client_from_options, environment_value,
                      option_sources, shorten_words)
from ._engine import DEFAULT_WAIT_TIMEOUT, NksOperationFailed, NksWaitTimeout
from ._validation import ValidationError, check_ranges

__all__ = ("DEFAULT_WAIT_TIMEOUT", "NksModule", "TaskContext", "TaskFailed", "auth_argument_spec",
           "environ_fallback", "wait_argument_spec")

COLLECTION = "nhncloud.nks"


def environ_fallback(environ=None):
    """The argument spec ``fallback`` strategy of the connection options: the one place (with
    :func:`._client.environment_value`) where they fall back to their environment variables
    (:data:`._client.CONNECTION_ENV`, doc fragment ``nhncloud.nks.auth``).

    :param dict environ: variable name -> value (str); ``None``: ``os.environ`` as it is when the
        options are validated (a module process: the task's environment).
    :returns: a callable taking variable names; it returns the value of the first one set, or
        raises ``AnsibleFallbackNotFound`` (Ansible's contract for ``fallback``).
    """
    def lookup(*names):
        for name in names:
            value = environment_value(name, environ)
            if value is not None:
                return value
        raise AnsibleFallbackNotFound
    return lookup


def auth_argument_spec(environ=None):
    """The connection options of every module (doc fragment ``nhncloud.nks.auth``), each falling
    back to its environment variable in ``environ`` (:func:`environ_fallback`; default ``os.environ``).

    ``region`` has no ``choices`` here: the client accepts ``kr1``/``kr2``/``kr3`` in any case
    (``KR1`` as NHN's console writes it, :func:`._client.normalize_region`) and refuses any
    other region with a message naming ``region`` before any request.
    """
    types = dict(region="str", api_password="str", auth_token="str", validate_certs="bool",
                 http_timeout="float")
    lookup = environ_fallback(environ)
    spec = {}
    for option, env in CONNECTION_ENV:
        spec[option] = dict(type=types.get(option, "str"), fallback=(lookup, [env]))
    spec["api_password"]["no_log"] = True
    spec["auth_token"]["no_log"] = True
    return spec


def wait_argument_spec():
    """The waiting options of mutating modules (doc fragment ``nhncloud.nks.wait``); ``wait_timeout``
    defaults to :data:`._engine.DEFAULT_WAIT_TIMEOUT` seconds."""
    return dict(
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
    )


def no_log_values(spec, params):
    """The values of ``params`` to mask: those of every ``no_log`` option of ``spec``, sub-options
    included (what ``AnsibleModule`` masks in its result).

    :param dict spec: an argument spec. :param dict params: options (validated or as given).
    :returns: ``set`` of str (empty strings left out).
    """
    found = set()

    def leaves(value):
        if isinstance(value, dict):
            for item in value.values():
                leaves(item)
        elif isinstance(value, (list, tuple, set)):
            for item in value:
                leaves(item)
        elif value is not None and str(value):
            found.add(str(value))

    for option, entry in (spec or {}).items():
        value = (params or {}).get(option) if isinstance(params, dict) else None
        if value is None:
            continue
        if entry.get("no_log"):
            leaves(value)
        elif entry.get("options"):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    found.update(no_log_values(entry["options"], item))
    return found


class TaskFailed(Exception):
    """The work of a module failed with ``msg`` (and details): what ``fail_json`` would say.

    Raised by :meth:`TaskContext.fail` and by :meth:`TaskContext.validate` (invalid options);
    :ivar dict result: ``failed`` (true), ``msg`` and the details, as the module would answer.
    """

    def __init__(self, msg, **details):
        super(TaskFailed, self).__init__(msg)
        self.result = dict(details, msg=msg, failed=True)


class TaskContext(object):
    """What a module's work needs of the run it is part of (no ``AnsibleModule`` stand-in).

    :param str name: the module's FQCN (``nhncloud.nks.nks_cluster``), for messages and the
        User-Agent.
    :param dict params: the validated options (fallbacks and defaults applied).
    :param bool check_mode: :param bool diff: the modes to run in.
    :param set no_log_values: the secrets to mask in what the work returns (:meth:`finish`).
    :param dict given: the options as given (before the environment fallbacks), for
        :func:`._client.option_sources` (whether a value came from an option or a variable).
    :param process_module: the ``AnsibleModule`` of the running module process, or ``None``
        (the deprecated controller path): :meth:`set_mode_if_different`, :meth:`backup_local` and
        :attr:`tmpdir` use it when given, plain ``os`` calls otherwise.
    :ivar list warnings: the warnings given so far (:meth:`warn`).
    """

    def __init__(self, name, params, check_mode=False, diff=False, no_log_values=(), given=None,
                 process_module=None):
        self.name = name
        self.params = params
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.no_log_values = set(no_log_values)
        self.given = dict(given or {})
        self.process_module = process_module
        self.warnings = []

    @classmethod
    def from_module(cls, module, name):
        """The context of a module's own process, from its ``AnsibleModule`` ``module``.

        ``module._diff`` is how the Ansible module developer guide reads diff mode. The options as
        given are the module's arguments (``_load_params``: this process has no others).
        """
        try:
            given = _load_params()
        except Exception:  # pylint: disable=broad-except
            given = {}
        return cls(name, module.params, module.check_mode, module._diff,  # pylint: disable=protected-access
                   module.no_log_values, given, module)

    @classmethod
    def validate(cls, name, validator, args, process_module=None, check_mode=False, diff=False):
        """The context of a run of module ``name`` with options ``args``, validated by ``validator``.

        :param validator: an ``ArgumentSpecValidator`` of the module's full argument spec
            (:meth:`NksModule.validator`). :param dict args: the options as a task gives them.
        :raises TaskFailed: the options are invalid, with the message ``AnsibleModule`` gives
            (it names the option: unsupported, missing, wrong type, mutually exclusive ...),
            every ``no_log`` value masked.
        """
        args = dict(args or {})
        checked = validator.validate(args)
        params = checked.validated_parameters
        secrets = no_log_values(validator.argument_spec, dict(args, **params))
        if checked.error_messages:
            msg = checked.errors.msg
            if isinstance(checked.errors[0], UnsupportedError):
                msg = "Unsupported parameters for (%s) module: %s" % (name, msg)
            raise TaskFailed(remove_values(msg, secrets))
        return cls(name, params, check_mode, diff, secrets, args, process_module)

    def warn(self, message):
        """Give a warning (the task result's ``warnings``)."""
        self.warnings.append(message)

    @staticmethod
    def fail(msg, **details):
        """:raises TaskFailed: the work fails with ``msg`` and ``details`` (keys of the result)."""
        raise TaskFailed(msg, **details)

    def finish(self, result):
        """``result`` as :func:`._tasks.runner.run_task` returns it: the warnings under ``warnings``,
        every ``no_log`` value masked (as ``AnsibleModule.exit_json`` masks them)."""
        result = dict(result)
        if self.warnings:
            result["warnings"] = list(result.get("warnings") or []) + list(self.warnings)
        return remove_values(result, self.no_log_values)

    def _delegates(self):
        """``True`` when the process module's own file helpers behave as this run must (same check mode)."""
        module = self.process_module
        return module is not None and bool(getattr(module, "check_mode", False)) == self.check_mode

    def set_mode_if_different(self, path, mode, changed, diff=None):
        """Set the permissions of ``path`` to ``mode`` (unless in check mode), like
        ``AnsibleModule.set_mode_if_different``.

        :param mode: an octal ``int``/``str`` (``0600``), or a symbolic mode (``u=rw,go=``, which
            needs a process module). :param bool changed: returned when nothing differs.
        :param dict diff: filled with ``before``/``after`` ``mode`` when they differ.
        :returns: ``True`` when the mode differs (and was set), else ``changed``.
        :raises ValidationError: a symbolic ``mode`` without a process module (option ``mode``).
        """
        if self._delegates():
            return self.process_module.set_mode_if_different(path, mode, changed, diff=diff)
        if mode is None:
            return changed
        if isinstance(mode, int):
            wanted = mode
        else:
            try:
                wanted = int(str(mode), 8)
            except ValueError:
                raise ValidationError("mode", "a symbolic mode (%s) needs the module process; give an octal mode"
                                      " such as 0600" % (mode,))
        current = stat.S_IMODE(os.lstat(path).st_mode)
        if current == wanted:
            return changed
        if diff is not None:
            diff.setdefault("before", {})["mode"] = "0%03o" % current
            diff.setdefault("after", {})["mode"] = "0%03o" % wanted
        if not self.check_mode:
            os.chmod(path, wanted)
        return True

    def backup_local(self, path):
        """Copy ``path`` next to itself (``<path>.<pid>.<YYYY-mm-dd@HH:MM:SS>~``, as
        ``AnsibleModule.backup_local`` names it) and return the copy's path."""
        if self.process_module is not None:
            return self.process_module.backup_local(path)
        backup = "%s.%s.%s~" % (path, os.getpid(), time.strftime("%Y-%m-%d@%H:%M:%S", time.localtime()))
        shutil.copy2(path, backup)
        return backup

    @property
    def tmpdir(self):
        """A temporary directory of the run: the process module's, else the system's."""
        if self.process_module is not None:
            return self.process_module.tmpdir
        return tempfile.gettempdir()


class NksModule(object):
    """Base of every ``nhncloud.nks`` module's work (``module_utils/_tasks/*.py``).

    Subclasses set :attr:`name` (``nks_cluster``), :attr:`argument_spec` (module options),
    optionally :attr:`module_kwargs` (``mutually_exclusive``, ``required_if``, ...),
    :attr:`waits` (add ``wait``/``wait_timeout``) and implement :meth:`run`, which returns the
    result ``dict`` (``changed`` included) and raises on failure.

    :param TaskContext task: the run: :attr:`params`, :attr:`check_mode`, :attr:`diff_mode` and
        :meth:`warn` are its.
    """

    name = None
    argument_spec = {}
    module_kwargs = {}
    waits = True
    supports_check_mode = True

    def __init__(self, task):
        self.task = task
        self.params = task.params
        self.check_mode = task.check_mode
        self.diff_mode = task.diff
        self._api = None

    @classmethod
    def fqcn(cls):
        """The module's name as tasks write it: ``nhncloud.nks.<name>``."""
        return "%s.%s" % (COLLECTION, cls.name)

    @classmethod
    def full_argument_spec(cls, environ=None):
        """The module's whole argument spec: connection options (falling back to ``environ``, default
        ``os.environ``), ``wait`` options, its own."""
        spec = auth_argument_spec(environ)
        if cls.waits:
            spec.update(wait_argument_spec())
        spec.update(cls.argument_spec)
        return spec

    @classmethod
    def validator(cls, environ=None):
        """Ansible's ``ArgumentSpecValidator`` of the module's options (same ``module_kwargs``), the
        connection options falling back to ``environ`` (dict; default ``os.environ``)."""
        return ArgumentSpecValidator(cls.full_argument_spec(environ), **cls.module_kwargs)

    @classmethod
    def main(cls):
        """The module process's entry point (``main()`` of ``plugins/modules/<name>.py``): run and exit."""
        module = AnsibleModule(argument_spec=cls.full_argument_spec(),
                               supports_check_mode=cls.supports_check_mode, **cls.module_kwargs)
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
        task = TaskContext.from_module(module, cls.fqcn())
        result = cls(task).outcome()
        for warning in task.warnings:
            module.warn(warning)
        if result.pop("failed", False):
            module.fail_json(**result)
        module.exit_json(**result)

    @classmethod
    def perform(cls, args, process_module=None, check_mode=False, diff=False, validator=None):
        """Run the module's work for the options ``args`` inside the current process
        (:func:`._tasks.runner.run_task`).

        :param validator: default :meth:`validator` (environment: ``os.environ``).
        :returns: the result ``dict`` (see :func:`._tasks.runner.run_task`); never raises for a failure.
        """
        if not HAS_REQUESTS:
            return dict(failed=True, msg=missing_required_lib("requests"))
        try:
            task = TaskContext.validate(cls.fqcn(), validator or cls.validator(), args, process_module,
                                        check_mode, diff)
        except TaskFailed as exc:
            return exc.result
        return task.finish(cls(task).outcome())

    def outcome(self):
        """Check the ranges, :meth:`run`, and turn an exception into the failure ``dict``
        (``failed``, ``msg`` and details, :meth:`failure`)."""
        try:
            self.check_ranges()
            return self.run()
        except TaskFailed as exc:
            result = dict(exc.result)
        except Exception as exc:  # pylint: disable=broad-except
            result = dict(self.failure(exc), failed=True)
        result["msg"] = shorten_words(result.get("msg") or "")
        return result

    def check_ranges(self):
        """Check every numeric option against its range (``_validation.NUMERIC_RANGES``: ``wait_timeout``
        at least 0, ``node_count`` 1..10, ...) before :meth:`run` sends any request.

        :raises ValidationError: naming the option and its range.
        """
        check_ranges(self.full_argument_spec(), self.params)

    def client(self, **overrides):
        """A new :class:`NksClient` from the connection options (``overrides`` replace some).

        :raises ValidationError: missing credentials or a bad region, naming the options
            and environment variables to set.
        """
        options = dict((option, self.params.get(option)) for option, dummy in CONNECTION_ENV)
        options.update(overrides)
        try:
            return client_from_options(options, option_sources(self.task.given, os.environ),
                                       user_agent="nhncloud.nks-ansible/%s" % self.task.name)
        except ValueError as exc:
            raise ValidationError("api_password" if "credentials" in str(exc) else "region", str(exc))

    @property
    def api(self):
        """The :class:`NksApi` built from the connection options (created on first use)."""
        if self._api is None:
            self._api = NksApi(self.client())
        return self._api

    def warn(self, message):
        """Add a warning to the task result."""
        self.task.warn(message)

    def run(self):  # pragma: no cover - abstract
        """Do the module's work; return the result ``dict``."""
        raise NotImplementedError

    def failure(self, exc):
        """The failure (``msg`` and details) for an exception of :meth:`run`; a very long word of
        the message (a name of thousands of characters) is shortened."""
        result = self._failure(exc)
        result["msg"] = shorten_words(result["msg"])
        return result

    def _failure(self, exc):
        if isinstance(exc, ValidationError):
            return dict(msg=str(exc), option=exc.option)
        if isinstance(exc, NksWaitTimeout):
            return dict(msg=str(exc), resource=exc.resource, status=exc.status, waited=exc.waited)
        if isinstance(exc, NksOperationFailed):
            return dict(msg=str(exc), resource=exc.resource, status=exc.status, status_reason=exc.reason)
        if isinstance(exc, NksApiError):
            return dict(msg=exc.describe(), status=exc.status, detail=exc.detail, request_id=exc.request_id)
        if isinstance(exc, (AmbiguousName, NksConnectionError)):
            return dict(msg=str(exc))
        if isinstance(exc, NksError):
            return dict(msg=str(exc), exception=traceback.format_exc())
        return dict(msg="%s failed unexpectedly: %s: %s (please report this)"
                        % (self.task.name, type(exc).__name__, exc),
                    exception=traceback.format_exc())
