# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_kubeconfig``: run the module, hide a result with keys.

With ``return_content=true`` the result holds the cluster's private key (``content`` and
``kubeconfig``). A module cannot mark its own result ``no_log`` (Ansible strips
``_ansible_no_log`` from what a module returns), an action plugin can: the result never
reaches the output callbacks, even with ``-v``, while the registered variable holds it
for ``kubernetes.core`` modules. As ``nks_auth`` does (plugins/action/nks_auth.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Run ``nks_kubeconfig`` on the target; censor its result when it holds the kubeconfig."""

    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        """Execute the module; a result with ``content`` or ``kubeconfig`` gets ``_ansible_no_log`` set."""
        result = super(ActionModule, self).run(tmp, task_vars)
        result.update(self._execute_module(module_name=self._task.resolved_action or "nhncloud.nks.nks_kubeconfig",
                                           module_args=self._task.args, task_vars=task_vars))
        if "content" in result or "kubeconfig" in result:
            result["_ansible_no_log"] = True
        return result
