# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_addons.py: version fit, version choice, option schemas, removal."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _addons
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError

MODE = {"name": "mode", "data_type": "SELECT", "default": "vxlan", "updatable": False, "mandatory": False,
        "choices": ["vxlan", "ebpf"]}
REPLICAS = {"name": "replicas", "data_type": "INTEGER", "default": "2", "updatable": True, "mandatory": False,
            "choices": None}
CATALOG = [
    {"name": "calico", "type": "cni", "version": "v3.30.2-nks2", "k8s_min_version": "v1.30.0",
     "k8s_max_version": None, "option_schemas": [MODE]},
    {"name": "calico", "type": "cni", "version": "v3.28.2-nks1", "k8s_min_version": "v1.26.0",
     "k8s_max_version": "v1.31.99", "option_schemas": [MODE]},
    {"name": "calico", "type": "cni", "version": "v3.28.2-nks2", "k8s_min_version": "v1.26.0",
     "k8s_max_version": "v1.31", "option_schemas": [MODE]},
    {"name": "coredns", "type": "kube-dns", "version": "1.8.4-nks1", "k8s_min_version": "v1.26.0",
     "k8s_max_version": None, "option_schemas": [REPLICAS]},
]
TYPES = [{"name": "cni", "mandatory": True}, {"name": "kube-dns", "mandatory": True},
         {"name": "metrics-server", "mandatory": False}]


def test_version_key_orders_releases_and_nks_builds():
    versions = ["v3.30.2-nks2", "v3.28.2-nks2", "v3.28.2-nks1", "v3.9.0"]
    assert sorted(versions, key=_addons.version_key) == ["v3.9.0", "v3.28.2-nks1", "v3.28.2-nks2", "v3.30.2-nks2"]
    assert _addons.version_key("1.8.4-nks1") == ((1, 8, 4), 1)


def test_version_key_refuses_text_without_numbers():
    with pytest.raises(ValidationError) as err:
        _addons.version_key("newest")
    assert err.value.option == "version"


@pytest.mark.parametrize("kube, fit", [("v1.25.9", False), ("v1.26.0", True), ("v1.31.4", True), ("v1.32.3", False)])
def test_fits_bounds_inclusive(kube, fit):
    assert _addons.fits(CATALOG[1], kube) is fit


def test_fits_short_bound_compares_its_parts():
    assert _addons.fits(CATALOG[2], "v1.31.4")
    assert not _addons.fits(CATALOG[2], "v1.32.0")


def test_fits_open_bounds():
    assert _addons.fits({"k8s_min_version": None, "k8s_max_version": None}, "v1.99.0")


def test_choose_latest_is_newest_that_fits():
    assert _addons.choose(CATALOG, "calico", "latest", None, "v1.29.3")["version"] == "v3.28.2-nks2"
    assert _addons.choose(CATALOG, "calico", "latest", None, "v1.31.4")["version"] == "v3.30.2-nks2"


def test_choose_default_keeps_installed_or_installs_newest_fitting():
    installed = {"name": "calico", "version": "v3.28.2-nks1"}
    assert _addons.choose(CATALOG, "calico", None, installed, "v1.33.4")["version"] == "v3.28.2-nks1"
    assert _addons.choose(CATALOG, "calico", None, None, "v1.33.4")["version"] == "v3.30.2-nks2"


def test_choose_keeps_a_version_no_longer_offered():
    entry = _addons.choose(CATALOG, "calico", None, {"name": "calico", "version": "v3.20.0", "type": "cni"}, "v1.30.3")
    assert entry["version"] == "v3.20.0" and entry["option_schemas"] is None


def test_choose_refuses_version_outside_kubernetes_range():
    with pytest.raises(ValidationError) as err:
        _addons.choose(CATALOG, "calico", "v3.28.2-nks1", None, "v1.32.3")
    assert err.value.option == "version" and "v1.26.0 to v1.31.99" in str(err.value)


def test_choose_refuses_unknown_version_and_name():
    with pytest.raises(ValidationError) as err:
        _addons.choose(CATALOG, "calico", "v9.9.9", None, "v1.30.3")
    assert err.value.option == "version" and "v3.30.2-nks2" in str(err.value)
    with pytest.raises(ValidationError) as err:
        _addons.choose(CATALOG, "cilium", None, None, "v1.30.3")
    assert err.value.option == "name" and "calico, coredns" in str(err.value)


def test_choose_refuses_when_nothing_fits():
    with pytest.raises(ValidationError) as err:
        _addons.choose(CATALOG, "calico", "latest", None, "v1.20.0")
    assert err.value.option == "version"


def test_check_options_types_and_choices():
    assert _addons.check_options("coredns", [REPLICAS], {"replicas": "3"}) == {"replicas": 3}
    assert _addons.check_options("calico", [MODE], {"mode": "ebpf"}) == {"mode": "ebpf"}
    for options, message in (({"replicas": "three"}, "integer"), ({"replicas": True}, "integer")):
        with pytest.raises(ValidationError) as err:
            _addons.check_options("coredns", [REPLICAS], options)
        assert err.value.option == "options.replicas" and message in str(err.value)
    with pytest.raises(ValidationError) as err:
        _addons.check_options("calico", [MODE], {"mode": "bgp"})
    assert err.value.option == "options.mode" and "vxlan, ebpf" in str(err.value)


def test_check_options_refuses_unknown_option():
    with pytest.raises(ValidationError) as err:
        _addons.check_options("calico", [MODE], {"mtu": 1400})
    assert err.value.option == "options.mtu" and "it has: mode" in str(err.value)


def test_check_options_non_updatable_change_refused_same_value_accepted():
    with pytest.raises(ValidationError) as err:
        _addons.check_options("calico", [MODE], {"mode": "ebpf"}, {"mode": "vxlan"})
    assert err.value.option == "options.mode" and "not updatable" in str(err.value)
    # unset on the installed add-on: the schema default counts
    with pytest.raises(ValidationError):
        _addons.check_options("calico", [MODE], {"mode": "ebpf"}, {})
    assert _addons.check_options("calico", [MODE], {"mode": "vxlan"}, {"mode": "vxlan"}) == {"mode": "vxlan"}
    assert _addons.check_options("coredns", [REPLICAS], {"replicas": 4}, {"replicas": "2"}) == {"replicas": 4}


def test_check_options_mandatory_without_default_on_install():
    schema = dict(REPLICAS, mandatory=True, default=None)
    with pytest.raises(ValidationError) as err:
        _addons.check_options("x", [schema], {})
    assert err.value.option == "options"
    assert _addons.check_options("x", [schema], {}, {"replicas": "2"}) == {}


def test_options_changed_compares_as_text():
    assert _addons.options_changed({"replicas": 2}, {"replicas": "2"}, [REPLICAS]) == []
    assert _addons.options_changed({"replicas": 3}, {}, [REPLICAS]) == ["replicas"]
    assert _addons.options_changed({"replicas": 2}, {}, [REPLICAS]) == []


def test_mandatory_removal_refused():
    with pytest.raises(ValidationError) as err:
        _addons.check_removal({"name": "calico", "type": "cni"}, TYPES)
    assert err.value.option == "state" and "cni" in str(err.value)
    _addons.check_removal({"name": "metrics-server", "type": "metrics-server"}, TYPES)


def test_addon_view():
    view = _addons.addon_view({"name": "calico", "type": "cni", "version": "v1", "options": {"mode": "vxlan"},
                               "status": "UPDATE_COMPLETE", "project_id": "p"}, TYPES)
    assert view["mandatory"] is True and view["options"] == {"mode": "vxlan"} and "project_id" not in view
    assert _addons.addon_view(None) is None


def test_upgrade_needs():
    installed = {"name": "calico", "version": "v3.28.2-nks1"}
    assert _addons.upgrade_needs(installed, CATALOG, "v1.31.4") == (None, None)
    assert _addons.upgrade_needs(installed, CATALOG, "v1.32.3") == ("v3.30.2-nks2", None)
    version, error = _addons.upgrade_needs(installed, CATALOG[1:], "v1.32.3")
    assert version is None and "k8s_max_version" in error
    assert _addons.upgrade_needs({"name": "calico", "version": "v0.1"}, CATALOG, "v1.32.3") == (None, None)
