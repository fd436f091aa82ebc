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

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.nhncloud.nks.plugins.module_utils._client import CONNECTION_ENV
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet import PHASE_MODULE_KWARGS, phase_argument_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._module import auth_argument_spec
from ansible_collections.nhncloud.nks.plugins.plugin_utils._controller import task_environment
from ansible_collections.nhncloud.nks.plugins.plugin_utils._fleet_phases import FleetRun, waiting
from ansible_collections.nhncloud.nks.plugins.plugin_utils._role import ROLE_VARIABLES, role_spec

display = Display()


def summary_lines(phases, entries, result, previous, check_mode):
    """The lines the task prints at the default verbosity.

    First ``nks_fleet: PHASES: N clusters, M sent a change, F failed``; in check mode, where nothing
    is sent, ``M would change (check mode: nothing sent)`` instead, M counting the clusters whose
    modules predicted a change. Then, in check mode, one line per preview this task added (what a
    new cluster's node groups, IP ACL and kubeconfig would be), ``nks_fleet: HOST: would be created: ...``.

    :param list phases: the task's phases. :param dict entries: host -> entry (``FleetRun.run``).
    :param dict result: the task's result (``waiting``, ``failed_hosts``).
    :param dict previous: host -> entry of the earlier task (its previews are not printed again).
    :returns: list of str.
    """
    if check_mode:
        would = sum(1 for e in entries.values() if e["submitted"] and not e["failed"])
        changes = "%d would change (check mode: nothing sent)" % would
    else:
        changes = "%d sent a change" % len(result["waiting"])
    lines = ["nks_fleet: %s: %d clusters, %s, %d failed"
             % (", ".join(phases), len(entries), changes, len(result["failed_hosts"]))]
    if check_mode:
        for host, entry in entries.items():
            known = len((previous.get(host) or {}).get("previews") or [])
            lines.extend("nks_fleet: %s: %s" % (host, line) for line in entry["previews"][known:])
    return lines


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
        hosts, invalid = self._hosts(params, task_vars, validate="cluster" in params["phases"])
        environ = task_environment(self)
        validators = {}

        def validator(cls):
            if cls not in validators:
                validators[cls] = cls.validator(environ)
            return validators[cls]

        previous = params["previous"].get("hosts", params["previous"])
        run = FleetRun(hosts, previous, params["waited"], connection,
                       validator, check_mode=bool(self._task.check_mode), diff=bool(self._task.diff),
                       ready_timeout=params["ready_timeout"], invalid=invalid)
        entries = run.run(params["phases"], params["concurrency"])
        result.update(changed=any(e["submitted"] for e in entries.values()), hosts=entries, waiting=waiting(entries),
                      failed_hosts=sorted(h for h, e in entries.items() if e["failed"]))
        for line in summary_lines(params["phases"], entries, result, previous, bool(self._task.check_mode)):
            display.display(line)
        return result

    def _hosts(self, params, task_vars, validate):
        """The hosts to converge: those of ``hosts`` (default: the play batch) whose ``cluster_state``
        is ``present``, in that order, their variables from ``host_vars``, else the host's variables
        (inventory, facts, extra vars), else the play's, else the role's defaults.

        :param bool validate: check each host's variables against the role's argument spec
            (entry point ``main``), as including the role would, before any request.
        :returns: ``(hosts, invalid)``: host -> :func:`role_spec`, and host -> message of the hosts
            whose variables the role's argument spec refuses.
        """
        given = params["host_vars"] or {}
        names = params["hosts"] or (list(given) if given else task_vars.get("ansible_play_batch", []))
        hostvars = task_vars.get("hostvars", {})
        role = getattr(self._task, "_role", None)
        options = (role._get_role_argspecs().get("main") or {}).get("options") if role is not None else None
        validator = ArgumentSpecValidator(options) if validate and options else None
        fallback = self._fallbacks(role, set(options or ()))
        hosts, invalid = {}, {}
        for name in names:
            own = given.get(name) or hostvars.get(name) or {}
            variables = dict((key, own[key] if key in own else fallback.get(key)) for key in fallback)
            if variables["cluster_state"] != "present" or not variables["cluster_definition"]:
                continue
            checked = validator.validate(variables, validate_role_argument_spec=True) if validator else None
            if checked is not None and checked.error_messages:
                invalid[name] = "Validation of arguments failed:\n%s" % "\n".join(checked.error_messages)
                hosts[name] = dict(spec=dict(name=name))
            else:
                hosts[name] = role_spec(variables)
        return hosts, invalid

    def _fallbacks(self, role, names):
        """Each role variable (``ROLE_VARIABLES`` and ``names``) from the play, else the role's
        defaults (templated), else ``ROLE_VARIABLES``' default."""
        fallback = dict(ROLE_VARIABLES)
        fallback.update((name, None) for name in names if name not in fallback)
        if role is not None:
            defaults = role.get_default_vars()
            fallback.update(self._templar.template(dict((k, v) for k, v in defaults.items() if k in fallback)))
        play = self._task.get_play() if hasattr(self._task, "get_play") else None
        play_vars = play.get_vars() if play is not None else {}
        fallback.update(self._templar.template(dict((k, v) for k, v in play_vars.items() if k in fallback)))
        return fallback

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
