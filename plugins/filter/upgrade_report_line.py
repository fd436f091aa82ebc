# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter ``nhncloud.nks.upgrade_report_line`` (documented in the YAML file beside this one)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def upgrade_report_line(entry):
    """One line of an update run's report for a cluster entry of ``nks_fleet_upgrade``'s RV(clusters):
    ``HOST (CLUSTER): OUTCOME[, REASON]; steps: STEP outcome (N s), ...``."""
    steps = ", ".join("%s %s%s" % (s.get("text"), s.get("outcome"),
                                   " (%s s)" % s["duration"] if s.get("duration") is not None else "")
                      for s in entry.get("steps") or [])
    line = "%s (%s): %s" % (entry.get("host"), entry.get("cluster"), entry.get("outcome"))
    if entry.get("reason"):
        line += ": %s" % entry["reason"]
    return line + ("; steps: %s" % steps if steps else "")


class FilterModule(object):
    """The filter ``nhncloud.nks.upgrade_report_line``."""

    def filters(self):
        return {"upgrade_report_line": upgrade_report_line}
