# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of ``nhncloud.nks.nks_kubeconfig``: run the module, hide a result with keys.

With ``return_content=true`` the result holds the cluster's private key (``content`` and
``kubeconfig``): it never reaches the output callbacks, even with ``-v``, while the registered
variable holds it for ``kubernetes.core`` modules
(:class:`..plugin_utils.censored_action.CensoredModuleAction`, as for ``nks_auth``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.nhncloud.nks.plugins.plugin_utils.censored_action import CensoredModuleAction


class ActionModule(CensoredModuleAction):
    """Run ``nks_kubeconfig`` on the target; censor its result when it holds the kubeconfig."""

    module = "nhncloud.nks.nks_kubeconfig"
    secret_keys = ("content", "kubeconfig")
    progress = False  # it never waits for NKS (NksKubeconfig.waits); set True should it ever wait
