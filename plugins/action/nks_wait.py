# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_wait``: wait for a fleet on the controller, showing progress.

A module can only answer once, at its end; this plugin runs the same wait
(:func:`..module_utils._fleet.wait_fleet`) in the task's worker on the
controller, so that it can print the fleet's progress while it waits through
Ansible's ``Display``: shown at the default verbosity by every stdout callback,
and by ansible-runner (AWX) as job output.

The connection options fall back to the environment as a module's do: the task's
``environment:`` (each entry templated, the task's own over its blocks', over the
controller's environment), since no module process receives it here. ``module_defaults``
of the action group reach the task's options as for any action.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.nhncloud.nks.plugins.module_utils._api import NksApi
from ansible_collections.nhncloud.nks.plugins.module_utils._client import (CONNECTION_ENV, NksApiError, NksError,
                                                                           client_from_options, option_sources)
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet import (fleet_argument_spec, progress_line,
                                                                          wait_fleet)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import auth_argument_spec, environ_fallback
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError, check_ranges

display = Display()


class ActionModule(ActionBase):
    """Run the fleet wait in-process on the controller; never transfers or executes a module."""

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        """Validate the options, wait, and return the module's result (``changed`` false).

        An error reading the list (bad credentials, no such endpoint) fails the task; a
        cluster that fails or times out does not (it is listed in ``failed``).
        """
        result = super(ActionModule, self).run(tmp, task_vars)
        environ = self._environment()
        spec = auth_argument_spec()
        for option, env in CONNECTION_ENV:
            spec[option]["fallback"] = (environ_fallback(environ), [env])
        spec.update(fleet_argument_spec())
        dummy, params = self.validate_argument_spec(argument_spec=spec)
        try:
            check_ranges(spec, params)
            api = NksApi(client_from_options(params, option_sources(self._task.args, environ),
                                             user_agent="nhncloud.nks-ansible/nks_wait"))
            # wait_timeout bounds the whole wait, slow answers included (NksClient.until).
            with api.client.until(time.monotonic() + params["wait_timeout"]):
                result.update(wait_fleet(api.list_clusters, params["clusters"], params["wait_timeout"],
                                         check_mode=bool(self._task.check_mode), progress=self._show,
                                         interval=params["progress_interval"],
                                         expected=params["expected_duration"]))
        except ValidationError as exc:
            result.update(failed=True, msg=str(exc), option=exc.option)
        except ValueError as exc:
            result.update(failed=True, msg=str(exc))
        except NksApiError as exc:
            result.update(failed=True, msg=exc.describe(), status=exc.status, detail=exc.detail,
                          request_id=exc.request_id)
        except NksError as exc:
            result.update(failed=True, msg=str(exc))
        return result

    def _environment(self):
        """The controller's environment updated with the task's ``environment`` (a mapping or a list of
        mappings, the blocks' first and the task's last; each templated with the task's variables).

        :returns: ``dict`` variable name -> value (str).
        """
        environ = dict(os.environ)
        given = self._task.environment
        for entry in given if isinstance(given, list) else [given]:
            entry = self._templar.template(entry) if entry else None
            if isinstance(entry, dict):
                environ.update((str(key), str(value)) for key, value in entry.items() if value is not None)
        return environ

    def _show(self, fleet, ended):
        """Print one progress line (and a line per failed cluster) at the default verbosity."""
        display.display(progress_line(fleet, ended))
