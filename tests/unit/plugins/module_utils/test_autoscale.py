# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_autoscale.py: the one autoscaler planner."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._autoscale import (
    SETTINGS, create_labels, plan, predict_create)
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError

HAVE = {"enabled": True, "min_node_count": 1, "max_node_count": 3, "scale_down_enabled": True,
        "scale_down_unneeded_time": 10, "scale_down_util_thresh": 50, "scale_down_delay_after_add": 10}
OTHER = {"enabled": False, "min_node_count": 2, "max_node_count": 2, "scale_down_enabled": False,
         "scale_down_unneeded_time": 20, "scale_down_util_thresh": 60, "scale_down_delay_after_add": 30}


@pytest.mark.parametrize("key", SETTINGS)
def test_each_key_alone_is_merged_and_always_sends_ca_enable(key):
    merged, body = plan(HAVE, {key: OTHER[key]}, "autoscale")
    assert merged == dict(HAVE, **{key: OTHER[key]})
    assert body["ca_enable"] == ("False" if key == "enabled" else "True")
    sent = dict((k, v) for k, v in body.items() if k != "ca_enable")
    assert len(sent) == (0 if key == "enabled" else 1)


def test_max_alone_on_a_disabled_autoscaler_keeps_it_disabled():
    merged, body = plan(dict(HAVE, enabled=False), {"max_node_count": 5, "min_node_count": None})
    assert body == {"ca_enable": "False", "ca_max_node_count": "5"}
    assert merged["max_node_count"] == 5


def test_same_values_plan_nothing():
    assert plan(HAVE, {"max_node_count": 3, "enabled": True, "min_node_count": None}) == (HAVE, None)


def test_none_values_are_not_set():
    assert plan(HAVE, dict((key, None) for key in SETTINGS)) == (HAVE, None)
    assert plan(HAVE, None) == (HAVE, None)


@pytest.mark.parametrize("want, prefix, option", [
    ({"min_node_count": 5}, "autoscale", "autoscale.min_node_count"),
    ({"max_node_count": 0}, None, "max_node_count"),
])
def test_min_above_max_after_the_merge_blames_the_key_given(want, prefix, option):
    with pytest.raises(ValidationError) as err:
        plan(HAVE, want, prefix)
    assert err.value.option == option
    assert "current" in str(err.value)


def test_unknown_current_values_do_not_block():
    merged, body = plan({}, {"max_node_count": 4})
    assert body == {"ca_enable": "False", "ca_max_node_count": "4"}
    assert merged == {"max_node_count": 4}


def test_create_always_carries_ca_enable():
    assert create_labels(None) == {"ca_enable": "False"}
    assert create_labels({"enabled": True, "max_node_count": 4, "min_node_count": None}) == {
        "ca_enable": "True", "ca_max_node_count": "4"}
    assert predict_create({"max_node_count": 4}) == {"enabled": False, "max_node_count": 4}
