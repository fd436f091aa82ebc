# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check after the add-on updates of a step of the role ``nhncloud.nks.upgrade``
(2026-03 guide: View a List of Add-ons Installed on a Cluster)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: upgrade_addons_off
short_description: Which planned add-on updates of the role nhncloud.nks.upgrade are not done
version_added: 0.1.0
author: nhncloud.nks contributors
description:
- Compares the installed add-ons (RV(nhncloud.nks.nks_info#module:addons)) with the add-on updates of a step of the
  plan (C(addons_before) or C(addons_after) of the filter C(nhncloud.nks.upgrade_plan)) and lists those not done, as
  C(name version status) texts (or C(name not installed)).
- An update is done when the add-on is on the planned version and its status ends in C(_COMPLETE).
positional: updates
options:
  _input:
    description: The installed add-ons.
    type: list
    elements: dict
    required: true
  updates:
    description: The planned updates (C(name), C(version)).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Check the add-on updates of a step
  ansible.builtin.assert:
    that: (info.addons | nhncloud.nks.upgrade_addons_off(step.addons_after)) == []
"""

RETURN = r"""
_value:
  description: C(name version status) texts; empty when every planned update is done.
  type: list
  elements: str
"""


def upgrade_addons_off(addons, updates):
    """``"name version status"`` of each planned add-on update not done: the add-on is missing, on
    another version, or not ``*_COMPLETE`` (empty when all are).

    :param list addons: RV(nks_info.addons) read after the updates.
    :param list updates: ``addons_before`` or ``addons_after`` of a step.
    """
    by_name = dict((a.get("name"), a) for a in addons or [])
    off = []
    for update in updates or []:
        have = by_name.get(update["name"])
        if have is None:
            off.append("%s not installed" % update["name"])
        elif have.get("version") != update["version"] or not str(have.get("status") or "").endswith("_COMPLETE"):
            off.append("%s %s %s" % (update["name"], have.get("version"), have.get("status")))
    return off


class FilterModule(object):
    """The filter ``nhncloud.nks.upgrade_addons_off``."""

    def filters(self):
        return {"upgrade_addons_off": upgrade_addons_off}
