# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each ``nhncloud.nks`` module does, runnable from any module process (``_tasks/__init__.py`` stays
empty: ansible-test sanity ``empty-init`` of ansible-core 2.16).

One file per module holds its work (``cluster.py``: :class:`.cluster.NksCluster` and its
``Resource`` ...); ``plugins/modules/<name>.py`` keeps only the documentation and a ``main()``
calling ``NksX.main()``. Nothing under ``plugins/`` imports ``plugins/modules``.

CONTRACT (session 5): :func:`run_task` is the one way a module process runs the logic of
another module (``nks_fleet`` runs ``nks_cluster``'s for many clusters in one process).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .addon import NksAddon
from .autoscale import NksAutoscale
from .cluster import NksCluster
from .ipacl import NksIpAcl
from .kubeconfig import NksKubeconfig
from .nodegroup import NksNodegroup

TASK_NAMES = ("nks_cluster", "nks_nodegroup", "nks_ipacl", "nks_kubeconfig", "nks_autoscale", "nks_addon")
"""The modules whose logic :func:`run_task` runs."""

_CLASSES = dict((cls.name, cls) for cls in (NksCluster, NksNodegroup, NksIpAcl, NksKubeconfig, NksAutoscale,
                                            NksAddon))


def task_class(name):
    """The class doing module ``name``'s work (``nks_cluster`` ...): a :class:`.._module.NksModule`.

    :raises KeyError: unknown name (not in :data:`TASK_NAMES`).
    """
    return _CLASSES[name]


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
    :raises KeyError: unknown ``name``.
    """
    return task_class(name).perform(args, process_module, check_mode=check_mode, diff=diff)
