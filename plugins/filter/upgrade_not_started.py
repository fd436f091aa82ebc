# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter ``nhncloud.nks.upgrade_not_started`` (documented in the YAML file beside this one)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def upgrade_not_started(hosts, reason=None):
    """``{host: entry}`` with outcome ``not_started`` for the hosts of a stage the run did not touch."""
    return dict((h, dict(host=h, cluster=h, outcome="not_started", reason=reason or None, steps=[]))
                for h in hosts or [])


class FilterModule(object):
    """The filter ``nhncloud.nks.upgrade_not_started``."""

    def filters(self):
        return {"upgrade_not_started": upgrade_not_started}
