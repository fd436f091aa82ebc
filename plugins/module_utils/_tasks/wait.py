# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_wait`` does (its options are documented in ``plugins/modules/nks_wait.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .._fleet import fleet_argument_spec, wait_fleet
from .._module import NksModule


class NksWaitModule(NksModule):
    """``nks_wait`` without its action plugin: the same wait, no live progress."""

    name = "nks_wait"

    waits = False
    argument_spec = fleet_argument_spec()

    def run(self):
        """Wait for the clusters (see :func:`._fleet.wait_fleet`); returns its result."""
        p = self.params
        return wait_fleet(self.api.list_clusters, p["clusters"], p["wait_timeout"],
                          check_mode=self.check_mode, expected=p["expected_duration"])
