# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_labels.py: typed options <-> label strings."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.nhncloud.nks.plugins.module_utils._labels import (
    AUTOSCALE_LABELS,
    CLUSTER_LABELS,
    FIXED_CLUSTER_LABELS,
    NODEGROUP_LABELS,
    autoscale_from_api,
    autoscale_to_api,
    from_labels,
    redact_labels,
    to_bool,
    to_int,
    to_labels,
)

MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
SG1 = "8669cca4-7904-4dc6-b1be-db49661cedb6"
SG2 = "fa69d78d-bd04-4ab0-9ce6-c92a84b899c2"
SUBNET = "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90"


# -- the tables -------------------------------------------------------------

@pytest.mark.parametrize("table", [CLUSTER_LABELS, NODEGROUP_LABELS, AUTOSCALE_LABELS])
def test_tables_have_unique_options_and_labels(table):
    options = [row[0] for row in table]
    labels = [row[1] for row in table]
    assert len(set(options)) == len(options)
    assert len(set(labels)) == len(labels)


def test_guide_label_names():
    labels = dict((opt, label) for opt, label, _kind in CLUSTER_LABELS)
    assert labels["kube_version"] == "kube_tag"
    assert labels["external_subnet_ids"] == "external_subnet_id_list"
    assert labels["master_lb_floating_ip"] == "master_lb_floating_ip_enabled"
    assert labels["user_script"] == "user_script_v2"
    assert FIXED_CLUSTER_LABELS["cert_manager_api"] == "True"


def test_legacy_user_script_label_both_ways():
    """The guide's "user script (old)" label ``user_script`` is the option ``legacy_user_script``; ``user_script``
    stays ``user_script_v2``; neither view nor body mixes them up."""
    options = {"user_script": "#!/bin/sh\necho v2", "legacy_user_script": "#!/bin/sh\necho old"}
    labels = to_labels(CLUSTER_LABELS, options)
    assert labels == {"user_script_v2": "#!/bin/sh\necho v2", "user_script": "#!/bin/sh\necho old"}
    assert from_labels(CLUSTER_LABELS, labels) == options
    assert "legacy_user_script" not in set(row[0] for row in NODEGROUP_LABELS)


def test_nodegroup_table_is_a_subset_without_cluster_only_labels():
    assert set(NODEGROUP_LABELS) <= set(CLUSTER_LABELS)
    options = set(row[0] for row in NODEGROUP_LABELS)
    for cluster_only in ("master_lb_floating_ip", "external_network_id", "pods_network_cidr",
                         "service_cluster_ip_range", "cni_driver"):
        assert cluster_only not in options


# -- to_labels: what the API is sent ---------------------------------------

def test_to_labels_encodes_as_the_guide_example():
    labels = to_labels(CLUSTER_LABELS, {
        "kube_version": "v1.23.3",
        "availability_zone": "kr2-pub-b",
        "boot_volume_size": 20,
        "boot_volume_type": "General HDD",
        "master_lb_floating_ip": True,
        "strict_sg_rules": False,
        "external_subnet_ids": ["59ddc195-76b1-431d-9693-f09880747dc6", "aaaa"],
        "pods_network_subnet": 24,
        "extra_security_groups": [{"target_subnet": SUBNET, "security_group_ids": [SG1, SG2]}],
        "extra_volumes": [{"volume_type": "General HDD", "volume_size": 100, "volume_key_id": None}],
        "node_image": None,
    })
    assert labels == {
        "kube_tag": "v1.23.3",
        "availability_zone": "kr2-pub-b",
        "boot_volume_size": "20",
        "boot_volume_type": "General HDD",
        "master_lb_floating_ip_enabled": "True",
        "strict_sg_rules": "False",
        "external_subnet_id_list": "59ddc195-76b1-431d-9693-f09880747dc6:aaaa",
        "pods_network_subnet": 24,
        "extra_security_groups": [{"target_subnet": SUBNET,
                                   "security_group_ids": SG1 + "," + SG2}],
        "extra_volumes": [{"volume_type": "General HDD", "volume_size": 100}],
    }


def test_to_labels_leaves_out_unset_options():
    assert to_labels(CLUSTER_LABELS, {}) == {}
    assert to_labels(CLUSTER_LABELS, dict((row[0], None) for row in CLUSTER_LABELS)) == {}
    # False and 0 and "" are values, not "unset".
    assert to_labels(AUTOSCALE_LABELS, {"enabled": False, "min_node_count": 0}) == {
        "ca_enable": "False", "ca_min_node_count": "0"}


def test_to_labels_does_not_mutate_options():
    options = {"extra_volumes": [{"volume_type": "SSD", "volume_size": 10, "volume_key_id": None}],
               "extra_security_groups": [{"target_subnet": SUBNET, "security_group_ids": [SG1]}]}
    before = copy.deepcopy(options)
    to_labels(CLUSTER_LABELS, options)
    assert options == before


# -- from_labels: normalising the API's spellings ---------------------------

@pytest.mark.parametrize("spelling", ["True", "true", True, "TRUE", " true ", "1"])
def test_bool_spellings_true(spelling):
    assert to_bool(spelling) is True
    assert from_labels(AUTOSCALE_LABELS, {"ca_enable": spelling}) == {"enabled": True}


@pytest.mark.parametrize("spelling", ["False", "false", False, "0", "no"])
def test_bool_spellings_false(spelling):
    assert to_bool(spelling) is False
    assert from_labels(AUTOSCALE_LABELS, {"ca_enable": spelling}) == {"enabled": False}


@pytest.mark.parametrize("spelling", [None, ""])
def test_bool_unset(spelling):
    assert to_bool(spelling) is None


@pytest.mark.parametrize("spelling", ["10", 10, " 10 ", "+10"])
def test_int_spellings(spelling):
    assert to_int(spelling) == 10
    assert from_labels(AUTOSCALE_LABELS, {"ca_max_node_count": spelling}) == {"max_node_count": 10}
    assert from_labels(CLUSTER_LABELS, {"pods_network_subnet": spelling}) == {"pods_network_subnet": 10}


def test_int_unparsable_stays_text_and_empty_is_none():
    assert to_int(None) is None
    assert to_int("") is None
    assert to_int("ten") == "ten"


def test_equal_whatever_the_spelling():
    # The guide's node group object says "True"/"10"; the autoscale API says true/10.
    label_form = {"ca_enable": "True", "ca_max_node_count": "10", "ca_min_node_count": "2",
                  "ca_scale_down_enable": "true", "ca_scale_down_unneeded_time": "10",
                  "ca_scale_down_util_thresh": "50", "ca_scale_down_delay_after_add": "10"}
    api_form = {"ca_enable": True, "ca_max_node_count": 10, "ca_min_node_count": 2,
                "ca_scale_down_enable": True, "ca_scale_down_unneeded_time": 10,
                "ca_scale_down_util_thresh": 50, "ca_scale_down_delay_after_add": 10,
                "ca_image": "k8s.gcr.io/autoscaling/cluster-autoscaler:v1.19.0",
                "clusterautoscale": "nodegroupfeature"}
    expected = {"enabled": True, "max_node_count": 10, "min_node_count": 2,
                "scale_down_enabled": True, "scale_down_unneeded_time": 10,
                "scale_down_util_thresh": 50, "scale_down_delay_after_add": 10}
    assert autoscale_from_api(label_form) == expected
    assert autoscale_from_api(api_form) == expected


def test_autoscale_to_api_matches_the_guide_keys():
    body = autoscale_to_api({"enabled": True, "min_node_count": 1, "max_node_count": 10,
                             "scale_down_enabled": None})
    assert body == {"ca_enable": "True", "ca_min_node_count": "1", "ca_max_node_count": "10"}


@pytest.mark.parametrize("value, expected", [
    ("a:b:c", ["a", "b", "c"]),
    ("a", ["a"]),
    ("", []),
    (None, []),
    ("a::b:", ["a", "b"]),
    (" a : b ", ["a", "b"]),
    (["a", "b"], ["a", "b"]),
])
def test_colon_lists(value, expected):
    assert from_labels(CLUSTER_LABELS, {"additional_network_id_list": value}) == {
        "additional_network_ids": expected}


def test_extra_security_groups_comma_split():
    labels = {"extra_security_groups": [
        {"target_subnet": SUBNET, "security_group_ids": SG1 + "," + SG2},
        {"target_subnet": "other", "security_group_ids": " %s , " % SG1},
        {"target_subnet": "none", "security_group_ids": ""},
        "not-a-dict",
    ]}
    assert from_labels(NODEGROUP_LABELS, labels) == {"extra_security_groups": [
        {"target_subnet": SUBNET, "security_group_ids": [SG1, SG2]},
        {"target_subnet": "other", "security_group_ids": [SG1]},
        {"target_subnet": "none", "security_group_ids": []},
    ]}


def test_extra_volumes_size_is_typed():
    labels = {"extra_volumes": [{"volume_type": "General HDD", "volume_size": "100",
                                 "volume_mount_path": "/data"}]}
    assert from_labels(CLUSTER_LABELS, labels) == {"extra_volumes": [
        {"volume_type": "General HDD", "volume_size": 100, "volume_mount_path": "/data"}]}


def test_from_labels_leaves_out_absent_labels_and_ignores_unknown():
    assert from_labels(CLUSTER_LABELS, None) == {}
    assert from_labels(CLUSTER_LABELS, {"os_distro": "CentOS", "kube_tag": "v1.23.3"}) == {
        "kube_version": "v1.23.3"}


# -- round trip ---------------------------------------------------------------

_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_ ./", max_size=20)
_ID = st.text(alphabet="abcdef0123456789-", min_size=1, max_size=36).filter(
    lambda s: s.strip() == s)
_KIND_STRATEGIES = {
    "str": _TEXT,
    "int": st.integers(min_value=-10 ** 6, max_value=10 ** 6),
    "int_raw": st.integers(min_value=0, max_value=32),
    "bool": st.booleans(),
    "colon": st.lists(_ID, max_size=4),
    "security_groups": st.lists(st.fixed_dictionaries({
        "target_subnet": _ID, "security_group_ids": st.lists(_ID, max_size=3)}), max_size=3),
    "volumes": st.lists(st.fixed_dictionaries(
        {"volume_type": st.sampled_from(["General HDD", "General SSD"]),
         "volume_size": st.integers(min_value=1, max_value=2000)},
        optional={"volume_key_id": _ID, "volume_appkey": _ID, "volume_mount_path": _TEXT}),
        max_size=3),
    "json": st.dictionaries(_ID, _TEXT, max_size=4),
    # lncs_appkey is left out: it is masked when read back (never returned)
    "control_plane_log": st.fixed_dictionaries(
        {"enabled": st.booleans()},
        optional={"type": st.sampled_from(["lncs", "obs"]), "sgw": _ID,
                  "upload_interval": st.integers(min_value=1, max_value=60), "obs_api_url": _TEXT,
                  "obs_store_as": st.sampled_from(["gzip", "text"])}),
}


def _options(table):
    return st.fixed_dictionaries({}, optional=dict(
        (option, _KIND_STRATEGIES[kind]) for option, _label, kind in table))


@pytest.mark.parametrize("table", [CLUSTER_LABELS, NODEGROUP_LABELS, AUTOSCALE_LABELS],
                         ids=["cluster", "nodegroup", "autoscale"])
def test_round_trip(table):
    @settings(max_examples=80, deadline=None)
    @given(_options(table))
    def check(options):
        labels = to_labels(table, options)
        assert from_labels(table, labels) == options
        # Every label value is what the API takes: strings, except the
        # integer pods_network_subnet and the list-valued labels.
        for option, label, kind in table:
            if label in labels and kind not in ("int_raw", "security_groups", "volumes"):
                assert isinstance(labels[label], str)

    check()


def test_round_trip_of_labels_from_the_api():
    # API -> typed -> API gives the canonical spelling.
    api = {"master_lb_floating_ip_enabled": "true", "boot_volume_size": "20",
           "external_subnet_id_list": "a:b", "pods_network_subnet": "24"}
    typed = from_labels(CLUSTER_LABELS, api)
    assert typed == {"master_lb_floating_ip": True, "boot_volume_size": 20,
                     "external_subnet_ids": ["a", "b"], "pods_network_subnet": 24}
    assert to_labels(CLUSTER_LABELS, typed) == {
        "master_lb_floating_ip_enabled": "True", "boot_volume_size": "20",
        "external_subnet_id_list": "a:b", "pods_network_subnet": 24}


# -- redaction --------------------------------------------------------------

def test_redact_labels_masks_appkeys_without_mutating():
    labels = {
        "boot_volume_appkey": "secret-boot",
        "boot_volume_key_id": "key-1",
        "kube_tag": "v1.27.3",
        "extra_volumes": [
            {"volume_type": "SSD", "volume_size": 10, "volume_appkey": "secret-vol"},
            {"volume_type": "HDD", "volume_size": 20},
            {"volume_type": "HDD", "volume_appkey": ""},
        ],
    }
    original = copy.deepcopy(labels)
    out = redact_labels(labels)
    assert labels == original
    assert out is not labels
    assert out["boot_volume_appkey"] == MASK
    assert out["boot_volume_key_id"] == "key-1"
    assert out["kube_tag"] == "v1.27.3"
    assert out["extra_volumes"][0] == {"volume_type": "SSD", "volume_size": 10, "volume_appkey": MASK}
    assert out["extra_volumes"][1] == {"volume_type": "HDD", "volume_size": 20}
    assert "secret" not in repr(out)
    # Masking the output again changes nothing, and the input still holds its secrets.
    assert redact_labels(out) == out
    assert labels["extra_volumes"][0]["volume_appkey"] == "secret-vol"


@pytest.mark.parametrize("labels", [None, {}, {"kube_tag": "v1.27.3"},
                                    {"boot_volume_appkey": ""},
                                    {"extra_volumes": "not-a-list"}])
def test_redact_labels_without_secrets(labels):
    assert redact_labels(labels) == (labels or {})
