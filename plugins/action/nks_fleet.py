# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_fleet``: converge phases of a whole fleet in one process.

Run once for the play (``run_once: true``), it reads each host's cluster from the
``nhncloud.nks.cluster`` role's variables and runs the collection's module classes
in-process on the controller, in threads (:mod:`..plugin_utils._fleet_phases`):
no module process per host. Run per host with ``report``, it turns that host's entry
into the host's own result (changed, or failed with the module's message).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.nhncloud.nks.plugins.module_utils._client import CONNECTION_ENV
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet import PHASE_MODULE_KWARGS, phase_argument_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._module import auth_argument_spec
from ansible_collections.nhncloud.nks.plugins.plugin_utils._controller import task_environment
from ansible_collections.nhncloud.nks.plugins.plugin_utils._fleet_phases import (ROLE_VARIABLES, FleetRun,
                                                                                 role_spec, waiting)

display = Display()


class ActionModule(ActionBase):
    """Converge phases of every host's cluster on the controller; never executes a module process."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_diff = True

    def run(self, tmp=None, task_vars=None):
        """Validate the options, then run the phases (or, with ``report``, report one host)."""
        result = super(ActionModule, self).run(tmp, task_vars)
        spec = auth_argument_spec()
        for option in spec:
            spec[option].pop("fallback", None)  # each module applies the task environment itself
        spec.update(phase_argument_spec())
        dummy, params = self.validate_argument_spec(argument_spec=spec, **PHASE_MODULE_KWARGS)
        if params["report"] is not None:
            result.update(self._report(params["report"]))
            return result
        connection = dict((option, params[option]) for option, dummy in CONNECTION_ENV if params[option] is not None)
        hosts = self._hosts(params, task_vars)
        environ = task_environment(self)
        validators = {}

        def validator(cls):
            if cls not in validators:
                validators[cls] = cls.validator(environ)
            return validators[cls]

        run = FleetRun(hosts, params["previous"].get("hosts", params["previous"]), params["waited"], connection,
                       validator, check_mode=bool(self._task.check_mode), diff=bool(self._task.diff),
                       ready_timeout=params["ready_timeout"])
        entries = run.run(params["phases"], params["concurrency"])
        result.update(changed=any(e["submitted"] for e in entries.values()), hosts=entries, waiting=waiting(entries),
                      failed_hosts=sorted(h for h, e in entries.items() if e["failed"]))
        display.display("nks_fleet: %s: %d clusters, %d sent a change, %d failed"
                        % (", ".join(params["phases"]), len(entries), len(result["waiting"]),
                           len(result["failed_hosts"])))
        return result

    def _hosts(self, params, task_vars):
        """host -> :func:`role_spec`: the hosts of ``hosts`` (default: the play batch) whose
        ``cluster_state`` is ``present``, their variables from ``host_vars``, else the host's
        variables (inventory, facts, extra vars), else the play's, else the role's defaults."""
        given = params["host_vars"] or {}
        names = params["hosts"] or (list(given) if given else task_vars.get("ansible_play_batch", []))
        hostvars = task_vars.get("hostvars", {})
        fallback = dict(ROLE_VARIABLES)
        role = getattr(self._task, "_role", None)
        if role is not None:
            fallback.update(self._templar.template(role.get_default_vars()))
        play_vars = self._task.get_play().get_vars() if self._task.get_play() else {}
        fallback.update(self._templar.template(dict((k, v) for k, v in play_vars.items() if k in ROLE_VARIABLES)))
        hosts = {}
        for name in names:
            own = given.get(name) or hostvars.get(name) or {}
            variables = dict((key, own[key] if key in own else fallback[key]) for key in ROLE_VARIABLES)
            if variables["cluster_definition"] and variables["cluster_state"] == "present":
                hosts[name] = role_spec(variables)
        return hosts

    @staticmethod
    def _report(entry):
        """One host's result from its entry: failed with its message, else changed or not."""
        if entry.get("failed"):
            return dict(changed=False, failed=True, msg=entry.get("msg"))
        result = dict(changed=bool(entry.get("changed")), cluster=entry.get("uuid"), results=entry.get("results", {}))
        if entry.get("previews"):
            result["msg"] = entry["previews"]
        if entry.get("diff"):
            result["diff"] = entry["diff"]
        return result
