# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the shapes ``nks_ipacl`` accepts for ``targets`` entries (``target_entry``) and of the
lines ``nks_fleet`` prints (``summary_lines``): pure functions, no API."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.action.nks_fleet import summary_lines
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError
from ansible_collections.nhncloud.nks.plugins.modules.nks_ipacl import target_entry


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


def _entry(submitted=False, failed=False, previews=()):
    return dict(submitted=submitted, failed=failed, previews=list(previews))


def test_summary_check_mode_says_what_would_change_and_prints_new_previews():
    entries = {"a": _entry(True, previews=["would be created: node group batch (1 nodes)"]),
               "b": _entry(True, previews=["old preview", "would be created: kubeconfig k (mode 0600)"]),
               "c": _entry(False)}
    previous = {"b": {"previews": ["old preview"]}}
    lines = summary_lines(["cluster"], entries, {"waiting": [], "failed_hosts": []}, previous, True)
    assert lines == ["nks_fleet: cluster: 3 clusters, 2 would change (check mode: nothing sent), 0 failed",
                     "nks_fleet: a: would be created: node group batch (1 nodes)",
                     "nks_fleet: b: would be created: kubeconfig k (mode 0600)"]


def test_summary_real_run_counts_the_changes_sent():
    entries = {"a": _entry(True), "b": _entry(True, failed=True)}
    lines = summary_lines(["nodegroups"], entries, {"waiting": ["uuid-a"], "failed_hosts": ["b"]}, {}, False)
    assert lines == ["nks_fleet: nodegroups: 2 clusters, 1 sent a change, 1 failed"]
