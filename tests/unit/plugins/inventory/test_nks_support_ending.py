# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the nks_support_ending group rule of plugins/inventory/nks.py."""

from __future__ import annotations

import datetime
import os

import pytest

from ansible.utils.collection_loader import AnsibleCollectionConfig

if AnsibleCollectionConfig.collection_finder is None:  # plain pytest; ansible-test installs one
    import ansible_collections
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    _AnsibleCollectionFinder(paths=[os.path.dirname(p) for p in ansible_collections.__path__])._install()

from ansible_collections.nhncloud.nks.plugins.inventory import nks  # noqa: E402

TODAY = datetime.date(2026, 12, 7)


@pytest.mark.parametrize("version, ending", [
    ("v1.31.4", True),    # EOS 2026-08-31: past
    ("v1.32.3", True),    # EOS 2027-02-28: 83 days
    ("v1.33.4", False),   # EOS 2027-11-30
    ("v1.27.3", False),   # not in the version guide
    (None, False),        # a list answer without a version
])
def test_support_ending(version, ending):
    assert nks.support_ending({"nks_kube_version": version}, TODAY) is ending
    assert nks.SUPPORT_ENDING_GROUP == "nks_support_ending"
    assert "C(nks_support_ending)" in nks.DOCUMENTATION
