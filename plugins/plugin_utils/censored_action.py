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

from ansible_collections.nhncloud.nks.plugins.plugin_utils.progress_action import ProgressModuleAction


class CensoredModuleAction(ProgressModuleAction):
    """Run the task's module on the target; censor its result when it holds a secret.

    The module runs as :class:`.progress_action.ProgressModuleAction` runs it (its waits' progress
    shown meanwhile), but never with ``async``: ``async_status`` would return the secret uncensored.

    :cvar str module: the module's FQCN, used when the task does not name it resolved.
    :cvar tuple secret_keys: result keys that hold a secret; a result with any of them gets
        ``_ansible_no_log`` set (a failure holds none of them and stays readable).
    """

    _supports_async = False
