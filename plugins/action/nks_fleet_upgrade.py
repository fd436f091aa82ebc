# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_fleet_upgrade``: run the module, show its progress lines.

The module runs as with Ansible's ``normal`` action (``module_defaults``, the action group,
``no_log``, check mode); its progress lines (stage, clusters done / running / failed) are printed
at the default verbosity while it runs (:class:`..plugin_utils.progress_action.ProgressModuleAction`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.nhncloud.nks.plugins.plugin_utils.progress_action import ProgressModuleAction


class ActionModule(ProgressModuleAction):
    """Run ``nks_fleet_upgrade`` on the controller, printing its progress meanwhile."""

    module = "nhncloud.nks.nks_fleet_upgrade"
