# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of the action plugins that run their module and hide a result holding a secret.

A module cannot mark its own result ``no_log`` (Ansible strips the internal key
``_ansible_no_log`` from what a module returns), but an action plugin can: the
result then never reaches the output callbacks, even with ``-v``, while the
registered variable still holds it (for ``module_defaults``, ``kubernetes.core``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase


class CensoredModuleAction(ActionBase):
    """Run the task's module on the target; censor its result when it holds a secret.

    :cvar str module: the module's FQCN, used when the task does not name it resolved.
    :cvar tuple secret_keys: result keys that hold a secret; a result with any of them gets
        ``_ansible_no_log`` set (a failure holds none of them and stays readable).
    """

    _supports_check_mode = True
    module = None
    secret_keys = ()

    def run(self, tmp=None, task_vars=None):
        """Execute the module and return its result, marked ``_ansible_no_log`` when it holds a secret."""
        result = super(CensoredModuleAction, self).run(tmp, task_vars)
        result.update(self._execute_module(module_name=self._task.resolved_action or self.module,
                                           module_args=self._task.args, task_vars=task_vars))
        if any(key in result for key in self.secret_keys):
            result["_ansible_no_log"] = True
        return result
