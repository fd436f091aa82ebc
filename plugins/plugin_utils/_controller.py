# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the action plugins that do a module's work on the controller (``nks_wait``,
``nks_fleet``): no module process receives the task's environment there."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os


def task_environment(action):
    """The controller's environment updated with the task's ``environment:`` (templated, the
    innermost block's and the task's own winning), as a module process would see it.

    :param action: the running ``ActionBase`` plugin.
    :returns: ``dict`` variable name -> value (str).
    """
    environ = dict(os.environ)
    task_env = {}
    action._compute_environment_string(task_env)  # pylint: disable=protected-access
    environ.update((str(key), str(value)) for key, value in task_env.items())
    return environ
