# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_fleet``: run the module, show its progress, summarise.

With ``phases`` the module runs as Ansible's ``normal`` action runs it (``_execute_module``:
``module_defaults`` of the action group, ``no_log``, check and diff mode, ``delegate_to``), the
fleet waits' progress lines printed meanwhile
(:class:`..plugin_utils.progress_action.ProgressModuleAction`), then one summary line.

The two per-host steps need no module process, so this plugin answers them itself, from the
task's options as Ansible resolved them for the host (``module_defaults`` included) and validated
with the module's argument spec: ``member`` (the host's plan and its connection options; the
result is censored when it holds a secret, the registered variable keeps it) and ``report``
(the host's outcome).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.nhncloud.nks.plugins.module_utils._fleet_run import (FLEET_MODULE_KWARGS, fleet_module_spec,
                                                                              member_of, report)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import auth_argument_spec
from ansible_collections.nhncloud.nks.plugins.plugin_utils.progress_action import ProgressModuleAction

display = Display()

SECRETS = ("api_password", "auth_token")
"""Connection options holding a secret."""


def summary_lines(phases, entries, result, previous, check_mode):
    """The lines the task prints at the default verbosity.

    First ``nks_fleet: PHASES: N clusters, M sent a change, F failed``; in check mode, where nothing
    is sent, ``M would change (check mode: nothing sent)`` instead, M counting the clusters whose
    modules predicted a change. Then, in check mode, one line per preview this task added (what a
    new cluster's node groups, IP ACL and kubeconfig would be), ``nks_fleet: HOST: would be created: ...``.

    :param list phases: the task's phases. :param dict entries: host -> entry (the module's ``hosts``).
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


class ActionModule(ProgressModuleAction):
    """Run ``nks_fleet`` (its phases) as a module; record or report one host on the controller."""

    module = "nhncloud.nks.nks_fleet"
    _supports_async = False
    _supports_diff = True

    def run(self, tmp=None, task_vars=None):
        """``member`` and ``report``: answer from the validated options; ``phases``: run the module."""
        args = self._task.args
        if args.get("member") is None and args.get("report") is None:
            result = super(ActionModule, self).run(tmp, task_vars)
            if not result.get("failed") and "hosts" in result:
                previous = args.get("previous") or {}
                for line in summary_lines(args.get("phases") or [], result["hosts"], result,
                                          previous.get("hosts", previous), bool(self._task.check_mode)):
                    display.display(line)
            return result
        result = ActionBase.run(self, tmp, task_vars)  # pylint: disable=bad-super-call  # no module here
        spec = auth_argument_spec()
        for option in spec.values():
            option.pop("fallback", None)  # only what was set for this host; the module applies the environment
        spec.update(fleet_module_spec())
        dummy, params = self.validate_argument_spec(argument_spec=spec, **FLEET_MODULE_KWARGS)
        if params["member"] is not None:
            result.update(changed=False, member=member_of(params["member"], params))
            if any(result["member"]["connection"].get(key) for key in SECRETS):
                result["_ansible_no_log"] = True
            return result
        result.update(report(params["report"]))
        return result

    def _show(self, line):
        """Print one progress line: a fleet wait's as ``nks_wait`` prints it, any other named by the module."""
        display.display(line if line.startswith("nks_wait: ") else "nks_fleet: %s" % line)
