# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_validation.py: the guide's input rules."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    ValidationError,
    available_versions,
    check_autoscale,
    check_cluster_cidrs,
    check_cni_pod_cidr,
    check_name,
    check_pod_subnet,
    check_range,
    check_supported_version,
    check_upgrade_step,
    is_uuid,
    normalize_ip_cidr,
    normalize_version,
    parse_version,
)


# -- names ------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "a",
    "k8s-test",
    "test-k8s",
    "a1",
    "a-b-c-1",
    "a--b",
    "z" * 32,
    "a" * 31 + "z",
    "a" + "-" * 30 + "z",
])
def test_check_name_accepts(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name, reason", [
    ("Demo", "uppercase"),
    ("demO", "uppercase at the end"),
    ("1demo", "leading digit"),
    ("-demo", "leading dash"),
    ("demo-", "trailing dash"),
    ("a" * 33, "33 characters"),
    ("", "empty"),
    (None, "None"),
    ("my_cluster", "underscore"),
    ("my.cluster", "dot"),
    ("my cluster", "space"),
    ("d\u00e9mo", "non-ASCII letter"),
    ("demo\n", "trailing newline"),
    ("deadbeefdeadbeefdeadbeefdeadbeef", "UUID without dashes (32 hex)"),
    ("2b778d83-8b67-45b1-920e-b0c5ad5c2f30", "UUID with dashes"),
])
def test_check_name_refuses(name, reason):
    with pytest.raises(ValidationError) as err:
        check_name(name)
    assert err.value.option == "name", reason
    assert str(err.value).startswith("name: ")


def test_check_name_reports_the_given_option():
    with pytest.raises(ValidationError) as err:
        check_name("Bad", option="nodegroup_name")
    assert err.value.option == "nodegroup_name"
    assert err.value.rule in str(err.value)


def test_validation_error_is_a_value_error():
    assert issubclass(ValidationError, ValueError)


@pytest.mark.parametrize("value, expected", [
    ("2b778d83-8b67-45b1-920e-b0c5ad5c2f30", True),
    ("2B778D83-8B67-45B1-920E-B0C5AD5C2F30", True),
    ("2b778d838b6745b1920eb0c5ad5c2f30", True),
    ("2b778d83-8b67-45b1-920e-b0c5ad5c2f3", False),
    ("k8s-test", False),
    ("", False),
    (None, False),
])
def test_is_uuid(value, expected):
    assert is_uuid(value) is expected


_NAME_TAIL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", max_size=30)
_NAME_END = st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789")


@st.composite
def valid_names(draw):
    first = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    if draw(st.booleans()):
        return first
    return first + draw(_NAME_TAIL) + draw(_NAME_END)


def _uuid_shaped(name):
    # A UUID-shaped name of at most 32 characters can only be 32 hex digits.
    return re.fullmatch(r"[0-9a-f]{32}", name) is not None


@settings(max_examples=150, deadline=None)
@given(valid_names())
def test_property_valid_names_pass(name):
    assert 1 <= len(name) <= 32
    if _uuid_shaped(name):
        with pytest.raises(ValidationError):
            check_name(name)
    else:
        assert check_name(name) == name


@settings(max_examples=150, deadline=None)
@given(valid_names(), st.characters(
    blacklist_characters="abcdefghijklmnopqrstuvwxyz0123456789-",
    blacklist_categories=("Cs",)), st.integers(min_value=0, max_value=32))
def test_property_any_foreign_character_fails(name, char, position):
    position = min(position, len(name))
    bad = name[:position] + char + name[position:]
    with pytest.raises(ValidationError) as err:
        check_name(bad)
    assert err.value.option == "name"


# -- versions ---------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("v1.27.3", (1, 27, 3)),
    ("1.27.3", (1, 27, 3)),
    (" v1.9.10 ", (1, 9, 10)),
])
def test_parse_version(text, expected):
    assert parse_version(text) == expected
    assert normalize_version(text) == "v%d.%d.%d" % expected


@pytest.mark.parametrize("text", ["", None, "v1.27", "latest", "v1.27.3-rc1", "x1.2.3"])
def test_parse_version_refuses(text):
    with pytest.raises(ValidationError) as err:
        parse_version(text, option="kube_version")
    assert err.value.option == "kube_version"


@pytest.mark.parametrize("current, target, expected", [
    ("v1.27.3", "v1.27.3", False),
    ("1.27.3", "v1.27.3", False),
    ("v1.27.3", "v1.28.3", True),
    ("v1.27.3", "v1.28.0", True),
    ("v1.27.9", "v1.28.1", True),
])
def test_check_upgrade_step_allowed(current, target, expected):
    assert check_upgrade_step(current, target) is expected


@pytest.mark.parametrize("current, target, words", [
    ("v1.27.3", "v1.29.3", "one minor"),
    ("v1.27.3", "v1.26.3", "downgrade"),
    ("v1.27.3", "v1.26.9", "downgrade"),
    ("v1.27.3", "v1.27.5", "whole minor"),
    ("v1.27.5", "v1.27.3", "whole minor"),
    ("v1.27.3", "v2.0.0", "one minor"),
    ("v1.27.3", "v2.28.0", "one minor"),
])
def test_check_upgrade_step_refused(current, target, words):
    with pytest.raises(ValidationError) as err:
        check_upgrade_step(current, target, option="kube_version")
    assert err.value.option == "kube_version"
    assert words in err.value.rule


SUPPORTED = {"v1.26.3": "False", "v1.27.3": "True", "v1.28.3": True, "v1.29.3": "true",
             "v1.25.4": False}


def test_check_supported_version_accepts_and_normalises():
    assert check_supported_version("1.27.3", SUPPORTED) == "v1.27.3"
    assert check_supported_version("v1.28.3", SUPPORTED) == "v1.28.3"
    assert check_supported_version("v1.29.3", SUPPORTED) == "v1.29.3"


@pytest.mark.parametrize("version, words", [
    ("v1.26.3", "no longer offered"),
    ("v1.25.4", "no longer offered"),
    ("v1.30.0", "not a Kubernetes version NKS knows"),
])
def test_check_supported_version_refuses(version, words):
    with pytest.raises(ValidationError) as err:
        check_supported_version(version, SUPPORTED, option="kube_version")
    assert err.value.option == "kube_version"
    assert words in err.value.rule
    # The message lists what is available, oldest first.
    assert "v1.27.3, v1.28.3, v1.29.3" in err.value.rule


def test_available_versions_sorted_numerically():
    supported = {"v1.9.1": True, "v1.10.0": "True", "v1.100.2": "true", "v1.2.0": "False",
                 "garbage": True}
    assert available_versions(supported) == ["v1.9.1", "v1.10.0", "v1.100.2"]


# -- cluster CIDRs ----------------------------------------------------------

def _refused(option, **kwargs):
    with pytest.raises(ValidationError) as err:
        check_cluster_cidrs(**kwargs)
    assert err.value.option == option, str(err.value)
    return err.value


def test_cluster_cidrs_defaults_are_fine():
    assert check_cluster_cidrs() is None
    check_cluster_cidrs(kube_version="v1.23.3")
    check_cluster_cidrs(pods_network_subnet=24)


@pytest.mark.parametrize("option", ["pods_network_cidr", "service_cluster_ip_range"])
@pytest.mark.parametrize("cidr, words", [
    ("169.254.0.0/16", "link-local"),
    ("169.254.10.0/24", "link-local"),
    ("169.0.0.0/8", "link-local"),
    ("198.18.0.0/19", "NKS uses internally"),
    ("198.18.16.0/24", "NKS uses internally"),
    ("198.0.0.0/8", "NKS uses internally"),
    ("10.1.0.0/25", "smaller than /24"),
    ("10.1.0.0/26", "smaller than /24"),
    ("10.1.0.0/30", "smaller than /24"),
    ("10.1.0.1/24", "host bits set"),
    ("10.1.0.0/33", "CIDR notation"),
    ("not-a-cidr", "CIDR notation"),
    ("fd00::/64", "IPv4"),
])
def test_cluster_cidr_refused(option, cidr, words):
    err = _refused(option, **{option: cidr})
    if words not in ("host bits set",):
        assert words in err.rule


@pytest.mark.parametrize("cidr", ["10.1.0.0/24", "11.0.0.0/8", "192.168.0.0/16", "198.18.32.0/19",
                                  "169.253.0.0/16"])
def test_cluster_cidr_accepted(cidr):
    # The neighbours of the reserved ranges and a /24 are fine.
    check_cluster_cidrs(pods_network_cidr=cidr)
    check_cluster_cidrs(service_cluster_ip_range=cidr, pods_network_cidr="172.16.0.0/16")


def test_docker_bridge_refused_for_old_versions_only():
    for version in ("v1.23.3", "1.22.0", "v1.17.6"):
        err = _refused("pods_network_cidr", pods_network_cidr="172.17.0.0/16", kube_version=version)
        assert "172.17.0.0/16" in err.rule
        _refused("service_cluster_ip_range", service_cluster_ip_range="172.17.4.0/24",
                 kube_version=version)
    for version in ("v1.24.3", "v1.23.4", "v1.28.3"):
        check_cluster_cidrs(pods_network_cidr="172.17.0.0/16", kube_version=version)
    # Unknown version: the rule cannot apply.
    check_cluster_cidrs(pods_network_cidr="172.17.0.0/16")


def test_pods_and_service_must_not_overlap():
    err = _refused("pods_network_cidr", pods_network_cidr="10.0.0.0/8",
                   service_cluster_ip_range="10.254.0.0/16")
    assert "service_cluster_ip_range" in err.rule
    _refused("pods_network_cidr", pods_network_cidr="10.20.0.0/16",
             service_cluster_ip_range="10.20.0.0/16")
    check_cluster_cidrs(pods_network_cidr="10.20.0.0/16", service_cluster_ip_range="10.21.0.0/16")


def test_defaults_take_part_in_the_overlap_check():
    # Unset service range = 10.254.0.0/16, which 10.0.0.0/8 overlaps.
    with pytest.raises(ValidationError) as err:
        check_cluster_cidrs(pods_network_cidr="10.0.0.0/8")
    assert err.value.option == "pods_network_cidr"
    assert "10.254.0.0/16" in err.value.rule
    # Unset pod network = 10.100.0.0/16; the error names the option the user set.
    err = _refused("service_cluster_ip_range", service_cluster_ip_range="10.100.0.0/24")
    assert "pods_network_cidr 10.100.0.0/16" in err.rule


def test_defaults_are_not_held_to_the_user_rules():
    # 10.100.0.0/16 and 10.254.0.0/16 are the API's own choices: never refused as such.
    check_cluster_cidrs(kube_version="v1.10.0")


def test_fixed_subnet_cidr_overlap():
    # Only fixed_subnet was given: it is the one at fault, not the default pod network.
    err = _refused("fixed_subnet", fixed_subnet_cidr="10.100.5.0/24")
    assert "pods_network_cidr 10.100.0.0/16" in err.rule
    err = _refused("pods_network_cidr", pods_network_cidr="192.168.0.0/16",
                   fixed_subnet_cidr="192.168.1.0/24")
    assert "fixed_subnet" in err.rule
    _refused("service_cluster_ip_range", service_cluster_ip_range="192.168.0.0/16",
             pods_network_cidr="10.100.0.0/16", fixed_subnet_cidr="192.168.1.0/24")
    check_cluster_cidrs(fixed_subnet_cidr="192.168.0.0/24")
    _refused("fixed_subnet", fixed_subnet_cidr="169.254.1.0/24")
    _refused("fixed_subnet", fixed_subnet_cidr="192.168.0.0/25")


def test_pods_network_subnet_checked_against_pods_cidr():
    check_cluster_cidrs(pods_network_cidr="10.100.0.0/22", pods_network_subnet=24)
    err = _refused("pods_network_subnet", pods_network_cidr="10.100.0.0/22", pods_network_subnet=23)
    assert "pods_network_cidr" in err.rule
    # Default pod network (/16): 18..28 by the +2 rule, 20..28 by the range rule.
    check_cluster_cidrs(pods_network_subnet=20)
    _refused("pods_network_subnet", pods_network_subnet=19)
    _refused("pods_network_subnet", pods_network_subnet=29)


# Independent oracle for the property test below.
_RESERVED = [ipaddress.ip_network(u"169.254.0.0/16"), ipaddress.ip_network(u"198.18.0.0/19")]
_DEFAULT_SERVICE = ipaddress.ip_network(u"10.254.0.0/16")


@st.composite
def ipv4_networks(draw):
    prefix = draw(st.integers(min_value=0, max_value=32))
    address = draw(st.integers(min_value=0, max_value=2 ** 32 - 1))
    mask = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF if prefix else 0
    return ipaddress.IPv4Network((address & mask, prefix))


@st.composite
def ipv4_networks_near_reserved(draw):
    base = draw(st.sampled_from(["169.254.0.0", "198.18.0.0", "198.18.31.0", "10.254.0.0",
                                 "198.17.255.0", "198.18.32.0", "169.253.255.0", "169.255.0.0"]))
    prefix = draw(st.integers(min_value=8, max_value=30))
    return ipaddress.ip_network(u"%s/%d" % (base, prefix), strict=False)


@settings(max_examples=200, deadline=None)
@given(st.one_of(ipv4_networks(), ipv4_networks_near_reserved()))
def test_property_pods_network_cidr(net):
    should_fail = (net.prefixlen > 24
                   or any(net.overlaps(r) for r in _RESERVED)
                   or net.overlaps(_DEFAULT_SERVICE))
    if should_fail:
        with pytest.raises(ValidationError) as err:
            check_cluster_cidrs(pods_network_cidr=str(net))
        assert err.value.option == "pods_network_cidr"
    else:
        check_cluster_cidrs(pods_network_cidr=str(net))


# -- pod subnet / CNI -------------------------------------------------------

@pytest.mark.parametrize("size, cidr", [
    (24, "10.100.0.0/22"),
    (24, u"10.100.0.0/16"),
    (20, "10.0.0.0/8"),
    (28, "10.100.0.0/22"),
    ("24", "10.100.0.0/22"),
    (22, "10.100.0.0/20"),
])
def test_check_pod_subnet_accepts(size, cidr):
    assert check_pod_subnet(size, cidr) == int(size)


def test_check_pod_subnet_accepts_a_network_object():
    assert check_pod_subnet(24, ipaddress.ip_network(u"10.100.0.0/22")) == 24


@pytest.mark.parametrize("size, cidr, words", [
    (23, "10.100.0.0/22", "at least 24"),
    (19, "10.0.0.0/8", "between 20 and 28"),
    (29, "10.0.0.0/8", "between 20 and 28"),
    (21, "10.100.0.0/20", "at least 22"),
    ("abc", "10.0.0.0/8", "integer"),
    (None, "10.0.0.0/8", "integer"),
])
def test_check_pod_subnet_refuses(size, cidr, words):
    with pytest.raises(ValidationError) as err:
        check_pod_subnet(size, cidr, option="pod_subnet", cidr_option="pod_cidr")
    assert err.value.option == "pod_subnet"
    assert words in err.value.rule


def test_check_pod_subnet_bad_cidr_names_cidr_option():
    with pytest.raises(ValidationError) as err:
        check_pod_subnet(24, "nonsense", option="pod_subnet", cidr_option="pod_cidr")
    assert err.value.option == "pod_cidr"


def test_check_cni_pod_cidr_accepts():
    net = check_cni_pod_cidr("10.200.0.0/16", service_cluster_ip_range="10.254.0.0/16",
                             current_pods_cidr="10.100.0.0/16",
                             subnet_cidrs=["192.168.0.0/24", "192.168.1.0/24"])
    assert net == ipaddress.ip_network(u"10.200.0.0/16")


@pytest.mark.parametrize("kwargs, words", [
    (dict(pod_cidr="169.254.0.0/16"), "link-local"),
    (dict(pod_cidr="198.18.0.0/24"), "NKS uses internally"),
    (dict(pod_cidr="10.200.0.0/25"), "smaller than /24"),
    (dict(pod_cidr="10.200.0.0/30"), "smaller than /24"),
    (dict(pod_cidr="10.200.0.0/16", service_cluster_ip_range="10.200.0.0/24"), "service network"),
    (dict(pod_cidr="10.100.0.0/16", current_pods_cidr="10.100.0.0/16"), "current pod network"),
    (dict(pod_cidr="192.168.0.0/16", subnet_cidrs=["10.0.0.0/24", "192.168.7.0/24"]),
     "192.168.7.0/24"),
    (dict(pod_cidr="10.200.0.1/16"), "CIDR notation"),
])
def test_check_cni_pod_cidr_refuses(kwargs, words):
    with pytest.raises(ValidationError) as err:
        check_cni_pod_cidr(**kwargs)
    assert err.value.option == "pod_cidr"
    assert words in err.value.rule


def test_check_cni_pod_cidr_ignores_docker_bridge():
    # The BIP rule is not listed for the CNI change.
    check_cni_pod_cidr("172.17.0.0/16")


# -- autoscaler and ranges --------------------------------------------------

def test_check_autoscale_accepts():
    settings_ = {"min_node_count": 1, "max_node_count": 10, "scale_down_util_thresh": 50,
                 "scale_down_unneeded_time": 3, "scale_down_delay_after_add": 1440}
    assert check_autoscale(settings_) is settings_
    assert check_autoscale({"min_node_count": 3, "max_node_count": 3}) is not None
    assert check_autoscale({"min_node_count": None, "max_node_count": 5}) is not None
    assert check_autoscale(None) is None
    assert check_autoscale({}) == {}


@pytest.mark.parametrize("settings_, option", [
    ({"min_node_count": 5, "max_node_count": 4}, "autoscale.min_node_count"),
    ({"min_node_count": 0}, "autoscale.min_node_count"),
    ({"min_node_count": 11}, "autoscale.min_node_count"),
    ({"max_node_count": 0}, "autoscale.max_node_count"),
    ({"max_node_count": 11}, "autoscale.max_node_count"),
    ({"scale_down_util_thresh": 0}, "autoscale.scale_down_util_thresh"),
    ({"scale_down_util_thresh": 101}, "autoscale.scale_down_util_thresh"),
    ({"scale_down_unneeded_time": 0}, "autoscale.scale_down_unneeded_time"),
    ({"scale_down_delay_after_add": 1441}, "autoscale.scale_down_delay_after_add"),
])
def test_check_autoscale_refuses(settings_, option):
    with pytest.raises(ValidationError) as err:
        check_autoscale(settings_)
    assert err.value.option == option


def test_check_autoscale_option_prefix():
    with pytest.raises(ValidationError) as err:
        check_autoscale({"min_node_count": 3, "max_node_count": 2}, option="ng.autoscale")
    assert err.value.option == "ng.autoscale.min_node_count"
    assert "3 > 2" in err.value.rule


@pytest.mark.parametrize("value, lo, hi, words", [
    (0, 1, None, "at least 1"),
    (11, None, 10, "at most 10"),
    (11, 1, 10, "between 1 and 10"),
])
def test_check_range(value, lo, hi, words):
    assert check_range(None, "node_count", lo, hi) is None
    assert check_range(5, "node_count", lo, hi) == 5
    with pytest.raises(ValidationError) as err:
        check_range(value, "node_count", lo, hi)
    assert err.value.option == "node_count"
    assert words in err.value.rule


# -- IP ACL targets ---------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("192.168.0.5", "192.168.0.5/32"),
    (" 192.168.0.5 ", "192.168.0.5/32"),
    ("192.168.0.5/32", "192.168.0.5/32"),
    ("10.10.22.3/24", "10.10.22.3/24"),
    ("10.10.22.0/24", "10.10.22.0/24"),
    ("0.0.0.0/0", "0.0.0.0/0"),
])
def test_normalize_ip_cidr(value, expected):
    assert normalize_ip_cidr(value) == expected


@pytest.mark.parametrize("value", ["2001:db8::1", "2001:db8::/64", "garbage", "300.1.1.1",
                                   "10.0.0.0/33", "", None])
def test_normalize_ip_cidr_refuses(value):
    with pytest.raises(ValidationError) as err:
        normalize_ip_cidr(value, option="targets.cidr")
    assert err.value.option == "targets.cidr"


def test_precondition_unmet_is_an_error_outside_check_mode_and_a_warning_in_it():
    from ansible_collections.nhncloud.nks.plugins.module_utils._validation import precondition_unmet
    warnings = []
    with pytest.raises(ValidationError) as err:
        precondition_unmet(False, warnings.append, "cluster", "no cluster 'x' exists", "nks_cluster name=x")
    assert err.value.option == "cluster" and warnings == []
    precondition_unmet(True, warnings.append, "cluster", "no cluster 'x' exists", "nks_cluster name=x")
    assert warnings == ["cluster: no cluster 'x' exists. Check mode goes on as if an earlier task of this run"
                        " (nks_cluster name=x) had done it; outside check mode this is an error"]
