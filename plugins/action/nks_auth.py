# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_auth``: run the module, hide its result.

A success holds the token (``auth_token``): the result never reaches the output callbacks,
even with ``-v``, while the registered variable still holds it for ``module_defaults``
(:class:`..plugin_utils.censored_action.CensoredModuleAction`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.nhncloud.nks.plugins.plugin_utils.censored_action import CensoredModuleAction


class ActionModule(CensoredModuleAction):
    """Run ``nks_auth`` on the target and censor a result holding the token."""

    module = "nhncloud.nks.nks_auth"
    secret_keys = ("auth_token",)
    progress = False  # it never waits
