# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible glue shared by every module: common options, the client, errors.

A module subclasses :class:`NksModule`, declares ``argument_spec`` (its own
options; the common ones are added here) and implements :meth:`NksModule.run`.
``main()`` is ``MyModule().__call__()``. Every exception of the client or of the
validators is turned into one ``fail_json`` here, so modules carry no
``try``/``except`` of their own.

:meth:`NksModule.in_process` builds the same module on the controller, without a
module process (``nhncloud.nks.nks_fleet`` runs a phase of a whole fleet that way,
one thread per cluster): the options are validated by Ansible's
``ArgumentSpecValidator`` with the same argument spec and ``module_kwargs``, the
connection options fall back to a given environment, and
:meth:`NksModule.execute` returns the result ``dict`` (a failure as
``failed``/``msg`` with the same message) with every ``no_log`` value masked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import traceback

from ansible.module_utils.basic import AnsibleModule, _load_params, env_fallback, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import AnsibleFallbackNotFound, UnsupportedError

from ._api import AmbiguousName, NksApi
from ._client import (CONNECTION_ENV, HAS_REQUESTS, REQUESTS_IMPORT_ERROR, NksApiError,
                      NksConnectionError, NksError, client_from_options, option_sources, shorten_words)
from ._engine import NksOperationFailed, NksWaitTimeout
from ._validation import ValidationError, check_ranges

DEFAULT_WAIT_TIMEOUT = 1800


def auth_argument_spec():
    """The connection options of every module (doc fragment ``nhncloud.nks.auth``).

    ``region`` has no ``choices`` here: the client accepts ``kr1``/``kr2``/``kr3`` in any case
    (``KR1`` as NHN's console writes it, :func:`._client.normalize_region`) and refuses any
    other region with a message naming ``region`` before any request.
    """
    types = dict(region="str", api_password="str", auth_token="str", validate_certs="bool",
                 http_timeout="float")
    spec = {}
    for option, env in CONNECTION_ENV:
        spec[option] = dict(type=types.get(option, "str"), fallback=(env_fallback, [env]))
    spec["api_password"]["no_log"] = True
    spec["auth_token"]["no_log"] = True
    return spec


def wait_argument_spec():
    """The waiting options of mutating modules (doc fragment ``nhncloud.nks.wait``)."""
    return dict(
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
    )


def environ_fallback(environ):
    """An argument spec ``fallback`` strategy like Ansible's ``env_fallback``, reading ``environ``.

    :param dict environ: variable name -> value (str).
    :returns: a callable taking variable names; it returns the value of the first one set,
        or raises ``AnsibleFallbackNotFound``.
    """
    def lookup(*names):
        for name in names:
            if name in environ:
                return environ[name]
        raise AnsibleFallbackNotFound
    return lookup


class ModuleFailed(Exception):
    """Raised by :class:`InProcessModule.fail_json`: ``result`` is what the module process
    would have answered (``failed``, ``msg`` and the other keys given)."""

    def __init__(self, result):
        super(ModuleFailed, self).__init__(result.get("msg"))
        self.result = result


class InProcessModule(AnsibleModule):
    """The part of ``AnsibleModule`` a module uses while it runs, without a module process.

    No arguments are read from stdin and nothing exits: :meth:`fail_json` raises
    :class:`ModuleFailed`, :meth:`warn` collects the warnings in ``_warnings``. The file
    helpers (``set_mode_if_different``, ``backup_local``) are ``AnsibleModule``'s own.

    :param str name: the module's name (``nhncloud.nks.nks_cluster``), for messages.
    :param dict params: the validated options. :param bool check_mode: :param bool diff:
    :param set no_log_values: the secrets to mask in what the module returns.
    """

    def __init__(self, name, params, check_mode=False, diff=False, no_log_values=()):
        # pylint: disable=super-init-not-called
        # AnsibleModule.__init__ reads the arguments of a module process (stdin), not wanted here.
        self._name = name
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.no_log = False
        self.no_log_values = set(no_log_values)
        self._warnings = []
        self.cleanup_files = []
        self._selinux_enabled = None
        self._selinux_mls_enabled = None
        self._selinux_initial_context = None
        self._tmpdir = None

    def warn(self, warning):
        """Collect a warning (returned under ``warnings``)."""
        self._warnings.append(warning)

    def fail_json(self, msg, **kwargs):
        """:raises ModuleFailed: with ``kwargs``, ``msg`` and ``failed``."""
        raise ModuleFailed(dict(kwargs, msg=msg, failed=True))

    def exit_json(self, **kwargs):
        """Not used in-process: :meth:`NksModule.execute` returns the result."""
        raise NotImplementedError("exit_json is not used in-process")


class NksModule(object):
    """Base of every ``nhncloud.nks`` module.

    Subclasses set :attr:`argument_spec` (module options), optionally
    :attr:`module_kwargs` (``mutually_exclusive``, ``required_if``, ...),
    :attr:`waits` (add ``wait``/``wait_timeout``) and implement :meth:`run`,
    which returns the result ``dict`` (``changed`` included).
    """

    argument_spec = {}
    module_kwargs = {}
    waits = True
    supports_check_mode = True

    def __init__(self, module=None, given=None):
        """:param module: an :class:`InProcessModule` (see :meth:`in_process`); ``None``: the
            ``AnsibleModule`` of this module process. :param dict given: the options as given
            (for :func:`option_sources`); ``None``: read from the module's arguments."""
        if module is None:
            module = AnsibleModule(argument_spec=self.full_argument_spec(),
                                   supports_check_mode=self.supports_check_mode, **self.module_kwargs)
        self.module = module
        self._given = given
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.diff_mode = self.module._diff
        self._api = None
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"),
                                  exception=str(REQUESTS_IMPORT_ERROR))

    @classmethod
    def full_argument_spec(cls):
        """The module's whole argument spec: connection options, ``wait`` options, its own."""
        spec = auth_argument_spec()
        if cls.waits:
            spec.update(wait_argument_spec())
        spec.update(cls.argument_spec)
        return spec

    @classmethod
    def validator(cls, environ):
        """An ``ArgumentSpecValidator`` of the module's options (same ``module_kwargs``), the
        connection options falling back to ``environ`` (dict) instead of ``os.environ``."""
        spec = cls.full_argument_spec()
        for option, env in CONNECTION_ENV:
            spec[option] = dict(spec[option], fallback=(environ_fallback(environ), [env]))
        return ArgumentSpecValidator(spec, **cls.module_kwargs)

    @classmethod
    def in_process(cls, args, validator, check_mode=False, diff=False):
        """The module with options ``args`` (dict), to :meth:`execute` without a module process.

        :param validator: :meth:`validator` of this class (built once, used for many hosts).
        :raises ModuleFailed: when the options are invalid, with the message ``AnsibleModule``
            gives (it names the option: unsupported, missing, wrong type, exclusive ...).
        """
        name = "nhncloud.nks." + cls.__module__.rsplit(".", 1)[-1]
        checked = validator.validate(dict(args))
        secrets = checked._no_log_values  # pylint: disable=protected-access
        if checked.error_messages:
            msg = checked.errors.msg
            if isinstance(checked.errors[0], UnsupportedError):
                msg = "Unsupported parameters for (%s) module: %s" % (name, msg)
            raise ModuleFailed(remove_values(dict(failed=True, msg=msg), secrets))
        module = InProcessModule(name, checked.validated_parameters, check_mode, diff, secrets)
        return cls(module, given=dict(args))

    def check_ranges(self):
        """Check every numeric option against its range (``_validation.NUMERIC_RANGES``: ``wait_timeout``
        at least 0, ``node_count`` 1..10, ...) before :meth:`run` sends any request.

        :raises ValidationError: naming the option and its range.
        """
        check_ranges(self.full_argument_spec(), self.params)

    def execute(self):
        """Run in-process (after :meth:`in_process`): the result ``dict`` the module process would
        answer, ``failed`` and ``msg`` on an error, warnings under ``warnings``, every
        ``no_log`` value masked (``********``)."""
        try:
            self.check_ranges()
            result = self.run()
        except ModuleFailed as exc:
            result = exc.result
        except Exception as exc:  # pylint: disable=broad-except
            result = dict(self.failure(exc), failed=True)
        if self.module._warnings:  # pylint: disable=protected-access
            result["warnings"] = list(self.module._warnings)  # pylint: disable=protected-access
        return remove_values(result, self.module.no_log_values)

    def client(self, **overrides):
        """A new :class:`NksClient` from the connection options (``overrides`` replace some).

        :raises ValidationError: missing credentials or a bad region, naming the options
            and environment variables to set.
        """
        options = dict((option, self.params.get(option)) for option, dummy in CONNECTION_ENV)
        options.update(overrides)
        given = self._given
        if given is None:
            try:
                given = _load_params()
            except Exception:  # pylint: disable=broad-except
                given = {}
        try:
            return client_from_options(options, option_sources(given, os.environ),
                                       user_agent="nhncloud.nks-ansible/%s" % self.module._name)
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
        self.module.warn(message)

    def run(self):  # pragma: no cover - abstract
        """Do the module's work; return the result ``dict``."""
        raise NotImplementedError

    def failure(self, exc):
        """The ``fail_json`` arguments (``msg`` and details) for an exception of :meth:`run`; a very
        long word of the message (a name of thousands of characters) is shortened."""
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
                        % (self.module._name, type(exc).__name__, exc),
                    exception=traceback.format_exc())

    def __call__(self):
        """Run the module and exit; every error becomes one clear ``fail_json``."""
        try:
            self.check_ranges()
            result = self.run()
        except Exception as exc:  # pylint: disable=broad-except
            self.module.fail_json(**self.failure(exc))
        self.module.exit_json(**result)
