# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible glue shared by every module: common options, the client, errors.

A module subclasses :class:`NksModule`, declares ``argument_spec`` (its own
options; the common ones are added here) and implements :meth:`NksModule.run`.
``main()`` is ``MyModule().__call__()``. Every exception of the client or of the
validators is turned into one ``fail_json`` here, so modules carry no
``try``/``except`` of their own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import traceback

from ansible.module_utils.basic import AnsibleModule, _load_params, env_fallback, missing_required_lib

from ._api import AmbiguousName, NksApi
from ._client import (CONNECTION_ENV, HAS_REQUESTS, REGIONS, REQUESTS_IMPORT_ERROR, NksApiError,
                      NksConnectionError, NksError, client_from_options, option_sources)
from ._engine import NksOperationFailed, NksWaitTimeout
from ._validation import ValidationError

DEFAULT_WAIT_TIMEOUT = 1800


def auth_argument_spec():
    """The connection options of every module (doc fragment ``nhncloud.nks.auth``)."""
    types = dict(region="str", api_password="str", auth_token="str", validate_certs="bool",
                 http_timeout="float")
    spec = {}
    for option, env in CONNECTION_ENV:
        spec[option] = dict(type=types.get(option, "str"), fallback=(env_fallback, [env]))
    spec["region"]["choices"] = list(REGIONS)
    spec["api_password"]["no_log"] = True
    spec["auth_token"]["no_log"] = True
    return spec


def wait_argument_spec():
    """The waiting options of mutating modules (doc fragment ``nhncloud.nks.wait``)."""
    return dict(
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
    )


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

    def __init__(self):
        spec = auth_argument_spec()
        if self.waits:
            spec.update(wait_argument_spec())
        spec.update(self.argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=self.supports_check_mode,
                                    **self.module_kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.diff_mode = self.module._diff
        self._api = None
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"),
                                  exception=str(REQUESTS_IMPORT_ERROR))

    def client(self, **overrides):
        """A new :class:`NksClient` from the connection options (``overrides`` replace some).

        :raises ValidationError: missing credentials or a bad region, naming the options
            and environment variables to set.
        """
        options = dict((option, self.params.get(option)) for option, dummy in CONNECTION_ENV)
        options.update(overrides)
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

    def __call__(self):
        """Run the module and exit; every error becomes one clear ``fail_json``."""
        try:
            result = self.run()
        except ValidationError as exc:
            self.module.fail_json(msg=str(exc), option=exc.option)
        except AmbiguousName as exc:
            self.module.fail_json(msg=str(exc))
        except NksWaitTimeout as exc:
            self.module.fail_json(msg=str(exc), resource=exc.resource, status=exc.status,
                                  waited=exc.waited)
        except NksOperationFailed as exc:
            self.module.fail_json(msg=str(exc), resource=exc.resource, status=exc.status,
                                  status_reason=exc.reason)
        except NksApiError as exc:
            self.module.fail_json(msg=exc.describe(), status=exc.status, detail=exc.detail,
                                  request_id=exc.request_id)
        except NksConnectionError as exc:
            self.module.fail_json(msg=str(exc))
        except NksError as exc:
            self.module.fail_json(msg=str(exc), exception=traceback.format_exc())
        except Exception as exc:  # pylint: disable=broad-except
            self.module.fail_json(msg="%s failed unexpectedly: %s: %s (please report this)"
                                      % (self.module._name, type(exc).__name__, exc),
                                  exception=traceback.format_exc())
        self.module.exit_json(**result)
