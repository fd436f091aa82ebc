# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each ``nhncloud.nks`` module does, runnable from any module process.

CONTRACT (session 5): :func:`run_task` is the one way a module process runs the logic of
another module (``nks_fleet`` runs ``nks_cluster``'s for many clusters in one process).
INTERIM implementation: it still reaches the classes in ``plugins/modules``; the move of
those classes into this package replaces the body, not the signature.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

TASK_NAMES = ("nks_cluster", "nks_nodegroup", "nks_ipacl", "nks_kubeconfig", "nks_autoscale", "nks_addon")
"""The modules whose logic :func:`run_task` runs."""


def task_class(name):
    """The class doing module ``name``'s work (``nks_cluster`` ...). :raises KeyError: unknown name."""
    # INTERIM: to be replaced by imports from this package.
    # pylint: disable=import-outside-toplevel
    from ansible_collections.nhncloud.nks.plugins.modules.nks_cluster import NksCluster
    from ansible_collections.nhncloud.nks.plugins.modules.nks_nodegroup import NksNodegroup
    from ansible_collections.nhncloud.nks.plugins.modules.nks_ipacl import NksIpAcl
    from ansible_collections.nhncloud.nks.plugins.modules.nks_kubeconfig import NksKubeconfig
    from ansible_collections.nhncloud.nks.plugins.modules.nks_autoscale import NksAutoscale
    from ansible_collections.nhncloud.nks.plugins.modules.nks_addon import NksAddon
    return dict(nks_cluster=NksCluster, nks_nodegroup=NksNodegroup, nks_ipacl=NksIpAcl,
                nks_kubeconfig=NksKubeconfig, nks_autoscale=NksAutoscale, nks_addon=NksAddon)[name]


def run_task(name, args, process_module, check_mode=False, diff=False):
    """Run module ``name``'s work for the options ``args`` inside the current module process.

    :param str name: ``nks_cluster``, ``nks_nodegroup``, ``nks_ipacl``, ``nks_kubeconfig``,
        ``nks_autoscale`` or ``nks_addon``.
    :param dict args: the options as a task would give them (unset ones left out); validated here
        with the module's own argument spec (``ArgumentSpecValidator``, same ``module_kwargs``),
        the connection options falling back to this process's environment.
    :param process_module: the ``AnsibleModule`` of the running module process (its file
        helpers and temporary directory are used, e.g. by ``nks_kubeconfig``).
    :param bool check_mode: :param bool diff: as the module would run.
    :returns: the result ``dict`` the module would return: ``changed`` and its return values, or
        ``failed`` and ``msg`` (the same message the module gives: invalid options name the
        option); warnings under ``warnings``; every ``no_log`` value masked. Never raises for a
        failure of the work itself.
    """
    # INTERIM: still the in-process stand-in; replaced by the move of the classes.
    from ansible_collections.nhncloud.nks.plugins.module_utils._module import ModuleFailed  # pylint: disable=import-outside-toplevel
    cls = task_class(name)
    try:
        module = cls.in_process(args, cls.validator(dict(os.environ)), check_mode=check_mode, diff=diff)
    except ModuleFailed as exc:
        return exc.result
    return module.execute()
