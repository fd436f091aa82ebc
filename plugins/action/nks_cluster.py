# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_cluster``: run the module, show the progress of its waits.

The module runs on the target as with Ansible's ``normal`` action; while it waits for NKS, its
progress lines are printed at the default verbosity
(:class:`..plugin_utils.progress_action.ProgressModuleAction`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.nhncloud.nks.plugins.plugin_utils.progress_action import ProgressModuleAction


class ActionModule(ProgressModuleAction):
    """Run ``nks_cluster`` on the target, printing its wait progress meanwhile."""

    module = "nhncloud.nks.nks_cluster"
