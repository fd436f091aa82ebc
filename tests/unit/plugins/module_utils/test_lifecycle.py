# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_lifecycle.py: the version guide's dates and the 90-day window."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _lifecycle

D = datetime.date


def test_guide_dates():
    # en-version-guide.md, "Schedule for Kubernetes Version-Specific Support" (2026-03)
    assert _lifecycle.support_dates("v1.33.4") == (D(2027, 1, 31), D(2027, 11, 30))
    assert _lifecycle.support_dates("v1.32.3") == (D(2027, 2, 28), D(2027, 2, 28))
    assert _lifecycle.support_dates("v1.31.4") == (D(2026, 8, 31), D(2026, 8, 31))
    assert _lifecycle.support_dates("v1.28.3") == (D(2025, 11, 30), D(2025, 11, 30))
    assert _lifecycle.support_dates("v1.27.3") == (None, None)
    assert _lifecycle.support_dates(None) == (None, None)


@pytest.mark.parametrize("today, days, ending", [
    (D(2026, 11, 29), 91, False),
    (D(2026, 11, 30), 90, True),
    (D(2027, 2, 28), 0, True),
    (D(2027, 3, 1), -1, True),
])
def test_ninety_day_window(today, days, ending):
    info = _lifecycle.lifecycle("v1.32.3", today)
    assert info["days_to_end_of_service"] == days
    assert info["support_ending"] is ending
    assert info["end_of_service"] == "2027-02-28"


@pytest.mark.parametrize("today, phase", [
    (D(2026, 12, 7), "supported"), (D(2027, 2, 1), "upgrade_only"), (D(2027, 12, 1), "end_of_service")])
def test_phase_of_new_policy(today, phase):
    assert _lifecycle.lifecycle("v1.33.4", today)["support_phase"] == phase


def test_unknown_version_never_warns():
    info = _lifecycle.lifecycle("v1.99.0", D(2026, 12, 7))
    assert info == dict(end_of_support=None, end_of_service=None, days_to_end_of_service=None,
                        support_phase=None, support_ending=False)
    assert _lifecycle.warning("c", "v1.99.0", info) is None


def test_warning_text():
    near = _lifecycle.warning("demo", "v1.32.3", _lifecycle.lifecycle("v1.32.3", D(2026, 12, 7)))
    assert "demo" in near and "2027-02-28" in near and "ends in 83 day(s)" in near
    past = _lifecycle.warning("old", "v1.31.4", _lifecycle.lifecycle("v1.31.4", D(2026, 12, 7)))
    assert "ended 98 day(s) ago" in past and "migrate" in past


def test_today_is_a_date():
    assert isinstance(_lifecycle.today(), D)
