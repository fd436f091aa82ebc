# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_compare.py: label drift and immutable fields."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._compare import (
    Difference, canonical, differences, label_differences, label_value, refuse)
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError


@pytest.mark.parametrize("asked, answered", [
    ("True", "true"), ("true", "TRUE"), (True, "True"), (False, "false"),
    ("a:b:c", "c:a:b"), ("10", "10"), ("10", 10),
])
def test_label_values_equal_whatever_the_spelling(asked, answered):
    key = "external_subnet_id_list" if ":" in str(asked) else "some_label"
    assert label_value(key, asked) == label_value(key, answered)


def test_label_values_that_differ():
    assert label_value("x", "True") != label_value("x", "False")
    assert label_value("a_id_list", "a:b") != label_value("a_id_list", "a:c")
    assert label_value("x", "10") != label_value("x", "11")


def test_only_declared_labels_are_compared():
    have = {"kube_tag": "v1.28.3", "server_added": "1", "external_subnet_id_list": "b:a",
            "strict_sg_rules": "true"}
    want = {"external_subnet_id_list": "a:b", "strict_sg_rules": "True", "not_reported": "x"}
    assert label_differences(want, have) == []
    assert label_differences({"strict_sg_rules": "False"}, have) == [
        Difference("labels.strict_sg_rules", "true", "False")]


@pytest.mark.parametrize("option, a, b", [
    ("external_subnet_ids", ["a", "b"], ["b", "a", "a"]),
    ("kube_version", "1.28.3", "v1.28.3"),
    ("extra_security_groups", [{"target_subnet": "s", "security_group_ids": ["1", "2"]}],
     [{"target_subnet": "s", "security_group_ids": ["2", "1"]}]),
    ("extra_volumes", [{"volume_type": "t", "volume_size": 1, "volume_appkey": "secret",
                        "volume_key_id": None}],
     [{"volume_type": "t", "volume_size": 1, "volume_key_id": ""}]),
])
def test_canonical_forms_equal(option, a, b):
    assert canonical(option, a) == canonical(option, b)


def test_differences_skip_unset_and_unreported():
    want = {"image_id": "i-2", "availability_zone": None, "boot_volume_size": 20,
            "additional_network_ids": ["n-1"]}
    have = {"image_id": "i-1", "availability_zone": "kr2-pub-a", "boot_volume_size": None,
            "additional_network_ids": []}
    assert differences(want, have, ("image_id", "availability_zone", "boot_volume_size",
                                    "additional_network_ids")) == [
        Difference("image_id", "i-1", "i-2"), Difference("additional_network_ids", [], ["n-1"])]


def test_refuse_carries_the_first_option_and_lists_all():
    with pytest.raises(ValidationError) as err:
        refuse([Difference("node_image", "a", "b"), Difference("keypair", "k", "l")], "cluster",
               "create another one")
    assert err.value.option == "node_image"
    assert "node_image (is a, asked b); keypair (is k, asked l)" in str(err.value)
    assert "create another one" in str(err.value)
    refuse([], "cluster", "x")  # nothing to refuse


def test_refuse_masks_the_appkey_of_extra_volumes():
    have = [{"volume_size": 20, "volume_type": "General HDD", "volume_appkey": "appkey-secret-1"}]
    want = [{"volume_size": 30, "volume_type": "General HDD", "volume_appkey": "appkey-secret-2"}]
    with pytest.raises(ValidationError) as err:
        refuse([Difference("extra_volumes", have, want)], "cluster", "create another one")
    assert "appkey-secret" not in str(err.value)
    assert "'volume_size': 30" in str(err.value) and "********" in str(err.value)
