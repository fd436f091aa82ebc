# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""More property-based tests of the guide's name and CIDR rules (docs/reliability.md).

test_validation.py generates valid names and breaks them with one foreign character,
and checks pods_network_cidr alone. Here every validator is compared with an
independent oracle written from the guide over arbitrary inputs: names of any
length from an alphabet that includes the near misses (uppercase, ``_``, ``.``),
service_cluster_ip_range, both CIDRs together, and pods_network_subnet against its
pod network.
"""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (
    ValidationError,
    check_cluster_cidrs,
    check_name,
    normalize_ip_cidr,
)

# Guide: starts with a lowercase letter, then lowercase letters, digits and '-', ends
# with a letter or digit, 1..32 characters; NKS_API_NOTES: not UUID-shaped.
NAME_ORACLE = re.compile(r"^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$")
RESERVED = [ipaddress.ip_network(u"169.254.0.0/16"), ipaddress.ip_network(u"198.18.0.0/19")]
DEFAULT_PODS = ipaddress.ip_network(u"10.100.0.0/16")
DEFAULT_SERVICE = ipaddress.ip_network(u"10.254.0.0/16")


def name_ok(name):
    return bool(NAME_ORACLE.match(name)) and not re.fullmatch(r"[0-9a-f]{32}", name)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcxyz019-_.A", min_size=0, max_size=40))
def test_property_name_matches_the_guide(name):
    if name_ok(name):
        assert check_name(name) == name
    else:
        with pytest.raises(ValidationError) as err:
            check_name(name, "nodegroup")
        assert err.value.option == "nodegroup"
        assert "Traceback" not in str(err.value)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=30, max_value=40), st.sampled_from("abc019-"))
def test_property_length_limit(length, filler):
    name = "a" + filler * (length - 2) + "z"
    assert len(name) == length
    if length <= 32:
        assert check_name(name) == name
    else:
        with pytest.raises(ValidationError):
            check_name(name)


@st.composite
def networks(draw):
    base = draw(st.sampled_from(["10.0.0.0", "10.100.0.0", "10.254.0.0", "10.96.0.0", "172.16.0.0",
                                 "169.254.0.0", "198.18.0.0", "198.18.31.0", "198.17.0.0",
                                 "192.168.0.0", "100.64.0.0", "0.0.0.0"]))
    prefix = draw(st.integers(min_value=4, max_value=28))
    return ipaddress.ip_network(u"%s/%d" % (base, prefix), strict=False)


def cidr_ok(net, other):
    return (net.prefixlen <= 24 and not any(net.overlaps(r) for r in RESERVED)
            and not net.overlaps(other))


@settings(max_examples=150, deadline=None)
@given(networks())
def test_property_service_cluster_ip_range(net):
    if cidr_ok(net, DEFAULT_PODS):
        check_cluster_cidrs(service_cluster_ip_range=str(net))
    else:
        with pytest.raises(ValidationError) as err:
            check_cluster_cidrs(service_cluster_ip_range=str(net))
        assert err.value.option == "service_cluster_ip_range"


@settings(max_examples=150, deadline=None)
@given(networks(), networks())
def test_property_both_cidrs(pods, service):
    def own_ok(net):
        return net.prefixlen <= 24 and not any(net.overlaps(r) for r in RESERVED)

    ok = own_ok(pods) and own_ok(service) and not pods.overlaps(service)
    if ok:
        check_cluster_cidrs(pods_network_cidr=str(pods), service_cluster_ip_range=str(service))
    else:
        with pytest.raises(ValidationError) as err:
            check_cluster_cidrs(pods_network_cidr=str(pods), service_cluster_ip_range=str(service))
        expected = "pods_network_cidr" if not own_ok(pods) else (
            "service_cluster_ip_range" if not own_ok(service) else None)
        if expected:
            assert err.value.option == expected
        else:
            assert err.value.option in ("pods_network_cidr", "service_cluster_ip_range")
            assert "overlap" in str(err.value)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=8, max_value=24), st.integers(min_value=0, max_value=40))
def test_property_pods_network_subnet(prefix, size):
    pods = ipaddress.ip_network(u"10.0.0.0/%d" % prefix)
    if pods.overlaps(DEFAULT_SERVICE):
        return  # another rule; covered above
    ok = 20 <= size <= 28 and size >= prefix + 2
    if ok:
        check_cluster_cidrs(pods_network_cidr=str(pods), pods_network_subnet=size)
    else:
        with pytest.raises(ValidationError) as err:
            check_cluster_cidrs(pods_network_cidr=str(pods), pods_network_subnet=size)
        assert err.value.option == "pods_network_subnet"


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2 ** 32 - 1), st.one_of(st.none(), st.integers(min_value=0, max_value=40)))
def test_property_ipacl_target(address, prefix):
    ip = str(ipaddress.IPv4Address(address))
    text = ip if prefix is None else "%s/%d" % (ip, prefix)
    if prefix is not None and prefix > 32:
        with pytest.raises(ValidationError) as err:
            normalize_ip_cidr(text)
        assert err.value.option == "targets.cidr"
    else:
        got = normalize_ip_cidr(text)
        assert got == (ip + "/32" if prefix is None else text)
