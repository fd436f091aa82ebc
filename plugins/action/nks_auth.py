# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_auth``: run the module, hide its result.

A module cannot mark its own result ``no_log`` (Ansible strips the internal key
``_ansible_no_log`` from what a module returns), but an action plugin can: the
token then never reaches the output callbacks, even with ``-v``, while the
registered variable still holds it for ``module_defaults``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Run ``nks_auth`` on the target and censor its result for the callbacks."""

    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        """Execute the module; a result holding the token gets ``_ansible_no_log`` set."""
        result = super(ActionModule, self).run(tmp, task_vars)
        result.update(self._execute_module(module_name=self._task.resolved_action or "nhncloud.nks.nks_auth",
                                           module_args=self._task.args, task_vars=task_vars))
        if "auth_token" in result:
            # Hide a success (it holds the token); a failure holds no secret and stays readable.
            result["_ansible_no_log"] = True
        return result
