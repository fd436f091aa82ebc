# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the shapes ``nks_ipacl`` accepts for ``targets`` entries (``target_entry``): a pure function, no API."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.ipacl import target_entry


@pytest.mark.parametrize("item, expected", [
    ("10.0.0.0/8", {"cidr": "10.0.0.0/8", "description": None}),
    (" 192.168.0.5 ", {"cidr": "192.168.0.5/32", "description": None}),
    ({"cidr": "192.168.0.5"}, {"cidr": "192.168.0.5/32", "description": None}),
    ({"cidr": "10.10.22.3/24", "description": "Your Friends"}, {"cidr": "10.10.22.3/24", "description": "Your Friends"}),
    ({"cidr": "10.0.0.0/8", "description": ""}, {"cidr": "10.0.0.0/8", "description": None}),
    ({"cidr": "10.0.0.0/8", "description": 42}, {"cidr": "10.0.0.0/8", "description": "42"}),
])
def test_target_entry_accepts_strings_and_dicts(item, expected):
    assert target_entry(item) == expected


@pytest.mark.parametrize("item, option, rule", [
    (42, "targets", "each entry must be a CIDR string"),
    (["10.0.0.0/8"], "targets", "each entry must be a CIDR string"),
    ({"addr": "10.0.0.0/8"}, "targets", "unknown key(s) addr"),
    ({"description": "office"}, "targets", "an entry has no cidr"),
    ({"cidr": None}, "targets", "an entry has no cidr"),
    ({"cidr": 10}, "targets.cidr", "must be an IPv4 address or CIDR"),
    ("10.0.0.0/33", "targets.cidr", "must be an IPv4 address or CIDR"),
    ("2001:db8::/32", "targets.cidr", "must be an IPv4 address or CIDR"),
])
def test_target_entry_names_the_option_and_the_shape(item, option, rule):
    with pytest.raises(ValidationError) as raised:
        target_entry(item)
    assert str(raised.value).startswith(option + ":"), str(raised.value)
    assert rule in str(raised.value)
