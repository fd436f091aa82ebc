"""Add-on Management (API guide 2026-03): the catalogue, the add-ons installed on a cluster, install,
update, remove, their rules, statuses and events, the NKS registry and the 2025-02 guide.

In process (:mod:`asgi_client`), on a virtual clock: operations complete only when a test moves it,
so every in-progress state is observed deterministically."""

from __future__ import annotations

import json
import time

import pytest
from asgi_client import request
from conftest import Clock, cluster_body

from nks_simulator import addon_catalogue as catalogue
from nks_simulator.app import create_app
from nks_simulator.config import SimConfig
from nks_simulator.errors import ApiError
from nks_simulator.state import Store
from nks_simulator.store.addons import check_options

GUIDE_CALICO = {
    "uuid": "23454567-1234-12d3-a456-426614174001", "type": "cni", "version": "v3.28.2-nks1", "name": "calico",
    "option_schemas": [{"name": "mode", "data_type": "SELECT", "default": "vxlan", "updatable": False,
                        "mandatory": False, "choices": ["vxlan", "ebpf"]}],
    "k8s_min_version": "v1.26.0", "k8s_max_version": None,
    "description": "Calico is a CNI plugin for Kubernetes that provides networking and network security."}
GUIDE_COREDNS = {
    "uuid": "23454567-1234-12d3-a456-426614174005", "type": "kube-dns", "version": "1.8.4-nks1", "name": "coredns",
    "option_schemas": [], "k8s_min_version": "v1.26.0", "k8s_max_version": None,
    "description": "CoreDNS is the default DNS server for Kubernetes clusters."}
#: The keys of the guide's View Add-ons Installed on a Cluster example.
INSTALLED_KEYS = {"uuid", "project_id", "cluster_uuid", "cluster_name", "type", "version", "options", "name",
                  "status", "status_reason", "scope", "target_uuid", "created_at", "updated_at"}
LATER = 3600  # seconds: more than any operation of the fast profile


class Api:
    """An in-process simulator on a virtual clock, and an authenticated client."""

    def __init__(self, **config):
        self.app = create_app(SimConfig(profile="fast", **config))
        self.runtime = self.app.state.runtime
        self.clock = Clock()
        self.clock.now = time.time()
        self.runtime.store.clock = self.clock
        cfg = self.runtime.config
        status, body = self.call("POST", "/v2.0/tokens", {"auth": {"tenantId": cfg.tenant_id, "passwordCredentials": {
            "username": cfg.username, "password": cfg.api_password}}}, auth=False)
        assert status == 200, body
        self.headers = {"x-auth-token": body["access"]["token"]["id"],
                        "openstack-api-version": "container-infra latest"}

    def call(self, method: str, path: str, body=None, auth: bool = True) -> tuple:
        status, _, raw = request(self.app, method, path, body, self.headers if auth else {})
        return status, (json.loads(raw) if raw else None)

    def later(self, seconds: float = LATER) -> None:
        self.clock.now += seconds

    def cluster(self, body=None, settle: bool = True) -> str:
        status, answer = self.call("POST", "/v1/clusters", body or cluster_body())
        assert status == 202, answer
        if settle:
            self.later()
            assert self.call("GET", f"/v1/clusters/{answer['uuid']}")[1]["status"] == "CREATE_COMPLETE"
        return answer["uuid"]

    def addons(self, cid: str) -> dict:
        status, body = self.call("GET", f"/v1/clusters/{cid}/addons/")
        assert status == 200, body
        return {a["name"]: a for a in body["addons"]}

    def events(self, cid: str) -> list:
        return [(e["type"], e["state"], e["contents"]) for e in self.call("GET", f"/v1/clusters/{cid}/events")[1][
            "events"]]


def detail(answer: dict) -> str:
    """The ``detail`` of a Magnum error body (asserting its shape)."""
    (error,) = answer["errors"]
    assert set(error) == {"request_id", "code", "status", "title", "detail", "links"}
    return error["detail"]


@pytest.fixture
def api():
    sim = Api()
    yield sim
    sim.runtime.store.close()


# ---------------------------------------------------------------- the catalogue
@pytest.mark.parametrize("path", ["/v1/addon_types/", "/v1/addon_types"])
def test_addon_types(api, path):
    status, body = api.call("GET", path)
    assert status == 200
    types = body["addon_types"]
    assert types[:2] == [{"uuid": "123e4567-e89b-12d3-a456-426614174001", "name": "cni", "mandatory": True},
                         {"uuid": "123e4567-e89b-12d3-a456-426614174003", "name": "kube-dns", "mandatory": True}]
    assert {t["name"]: t["mandatory"] for t in types[2:]} == {
        "cinder-csi-plugin": False, "metrics-server": False, "snapshot-controller": False, "nfs-csi-plugin": False}
    assert len({t["uuid"] for t in types}) == len(types)
    for ident in ("kube-dns", "123e4567-e89b-12d3-a456-426614174003"):
        assert api.call("GET", f"/v1/addon_types/{ident}") == (200, types[1])
    status, body = api.call("GET", "/v1/addon_types/no-such-type")
    assert status == 404 and detail(body) == "Addon type no-such-type could not be found."


@pytest.mark.parametrize("path", ["/v1/addons/", "/v1/addons"])
def test_offered_addons(api, path):
    status, body = api.call("GET", path)
    assert status == 200
    offered = body["addons"]
    assert GUIDE_CALICO in offered and GUIDE_COREDNS in offered  # the guide's examples, verbatim
    versions = {(a["name"], a["version"]) for a in offered}
    for current in [("calico", "v3.30.2-nks2"), ("coredns", "1.8.4-nks2"), ("metrics_server", "v0.4.4-nks2"),
                    ("cinder_csi_plugin", "v1.27.102-nks3"), ("snapshot_controller", "v4.1.1-nks2"),
                    ("nfs_csi_plugin", "v1.0.1-nks2")]:  # release notes, 2026-03-10
        assert current in versions
    types = {t["name"] for t in api.call("GET", "/v1/addon_types/")[1]["addon_types"]}
    for addon in offered:
        assert set(addon) == set(GUIDE_CALICO) and addon["type"] in types
        for schema in addon["option_schemas"]:
            assert {"name", "data_type", "default", "updatable", "mandatory", "choices"} <= set(schema)
    assert len({a["uuid"] for a in offered}) == len(offered)
    assert api.call("GET", f"/v1/addons/{GUIDE_CALICO['uuid']}") == (200, GUIDE_CALICO)
    status, body = api.call("GET", "/v1/addons/00000000-0000-0000-0000-000000000000")
    assert status == 404 and "could not be found" in detail(body)


def test_catalogue_needs_a_token(api):
    for path in ("/v1/addon_types/", "/v1/addons/"):
        status, body = api.call("GET", path, auth=False)
        assert status == 401 and "error" in body


# ---------------------------------------------------------------- a new cluster's add-ons
def test_a_new_cluster_has_the_default_addons_installing_with_it(api):
    cid = api.cluster(settle=False)
    creating = api.addons(cid)
    assert sorted(creating) == ["calico", "coredns"]
    assert {a["status"] for a in creating.values()} == {"INSTALL_IN_PROGRESS"}
    api.later()
    installed = api.addons(cid)
    calico = installed["calico"]
    assert set(calico) == INSTALLED_KEYS
    # the newest versions v1.26.3 supports (calico v3.30.x needs v1.29.0)
    assert (calico["type"], calico["version"], calico["options"]) == ("cni", "v3.28.2-nks2", {"mode": "vxlan"})
    assert (installed["coredns"]["type"], installed["coredns"]["version"]) == ("kube-dns", "1.8.4-nks2")
    assert calico["status"] == "INSTALL_COMPLETE" and calico["status_reason"] is None
    assert calico["scope"] == "cluster" and calico["cluster_uuid"] == calico["target_uuid"] == cid
    assert calico["project_id"] == api.runtime.config.tenant_id
    assert calico["created_at"].endswith("+00:00")
    # one add-on by name or by its (installed) UUID
    for ident in ("calico", calico["uuid"]):
        assert api.call("GET", f"/v1/clusters/{cid}/addons/{ident}") == (200, calico)
    status, body = api.call("GET", f"/v1/clusters/{cid}/addons/metrics_server")
    assert status == 404 and detail(body) == "Addon metrics_server could not be found."
    assert api.call("GET", "/v1/clusters/no-such-cluster/addons/")[0] == 404


def test_a_failed_create_fails_its_addons(api):
    api.call("POST", "/_sim/faults/fail-next", {"operation": "CLUSTER_CREATE", "reason": "no capacity"})
    cid = api.cluster(settle=False)
    api.later()
    assert {a["status"] for a in api.addons(cid).values()} == {"INSTALL_FAILED"}


def test_calico_ebpf_and_newer_kubernetes(api):
    ebpf = api.cluster(cluster_body(labels__cni_driver="calico-ebpf"))
    assert api.addons(ebpf)["calico"]["options"] == {"mode": "ebpf"}
    api.runtime.config.supported_versions = {**api.runtime.config.supported_versions, "v1.30.3": True}
    newer = api.cluster(cluster_body(labels__kube_tag="v1.30.3"))
    assert api.addons(newer)["calico"]["version"] == "v3.30.2-nks2"


def test_create_with_addons(api):
    body = cluster_body(addons=[{"name": "calico", "version": "v3.28.2-nks1", "options": {"mode": "ebpf"}},
                                {"name": "metrics_server", "version": "v0.4.4-nks1"}])
    cid = api.cluster(body)
    installed = api.addons(cid)
    assert {n: (a["version"], a["options"]) for n, a in installed.items()} == {
        "calico": ("v3.28.2-nks1", {"mode": "ebpf"}), "metrics_server": ("v0.4.4-nks1", {}),
        "coredns": ("1.8.4-nks2", {})}  # the mandatory type not named: its default


@pytest.mark.parametrize("addons, message", [
    ([{"name": "flannel", "version": "v1"}], "Addon 'flannel' is not offered"),
    ([{"name": "calico", "version": "v9.9.9"}], "Version 'v9.9.9' of addon calico is not offered"),
    ([{"name": "calico", "version": "v3.28.2-nks1", "options": {"mtu": "1450"}}], "Unknown option(s) mtu"),
    ([{"name": "calico", "version": "v3.28.2-nks1", "options": {"mode": "ipip"}}], "must be one of vxlan, ebpf"),
    ([{"name": "calico", "version": "v3.30.2-nks2"}], "requires Kubernetes v1.29.0 or later"),
    ([{"name": "coredns", "version": "1.8.4-nks1"}, {"name": "coredns", "version": "1.8.4-nks2"}],
     "more than one addon of type kube-dns"),
    ([{"name": "coredns"}], "addons.0.version: Field required"),
])
def test_create_with_bad_addons_is_refused(api, addons, message):
    status, body = api.call("POST", "/v1/clusters", cluster_body(addons=addons))
    assert status == 400 and message in detail(body)
    assert api.call("GET", "/v1/clusters")[1]["clusters"] == []


# ---------------------------------------------------------------- install, update, remove
@pytest.mark.parametrize("path", ["addons/", "addons"])
def test_install(api, path):
    cid = api.cluster()
    status, body = api.call("POST", f"/v1/clusters/{cid}/{path}",
                            {"name": "metrics_server", "version": "v0.4.4-nks2", "resolve_conflicts": "overwrite"})
    assert (status, body) == (202, {"uuid": cid})
    installing = api.addons(cid)["metrics_server"]
    assert (installing["status"], installing["type"], installing["options"]) == (
        "INSTALL_IN_PROGRESS", "metrics-server", {})
    assert api.events(cid)[-1] == ("CLUSTER_INSTALL_ADDON", "IN_PROGRESS", None)
    assert api.call("GET", f"/v1/clusters/{cid}")[1]["status"] == "CREATE_COMPLETE"  # the cluster's own status
    api.later()
    assert api.addons(cid)["metrics_server"]["status"] == "INSTALL_COMPLETE"
    event = api.call("GET", f"/v1/clusters/{cid}/events")[1]["events"][-1]
    assert (event["type"], event["state"], event["resource_type"], event["resource_uuid"]) == (
        "CLUSTER_INSTALL_ADDON", "SUCCESS", "cluster", cid)


@pytest.mark.parametrize("body, message", [
    ({"version": "v0.4.4-nks2", "resolve_conflicts": "none"}, "name: Field required"),
    ({"name": "metrics_server", "resolve_conflicts": "none"}, "version: Field required"),
    ({"name": "metrics_server", "version": "v0.4.4-nks2"}, "resolve_conflicts: Field required"),
    ({"name": "metrics_server", "version": "v0.4.4-nks2", "resolve_conflicts": "merge"},
     "resolve_conflicts must be one of none, overwrite, preserve"),
    ({"name": "grafana", "version": "v1", "resolve_conflicts": "none"}, "Addon 'grafana' is not offered"),
    ({"name": "metrics_server", "version": "v0.5.0", "resolve_conflicts": "none"}, "is not offered (offered: "
                                                                                   "v0.4.4-nks1, v0.4.4-nks2)"),
    ({"name": "metrics_server", "version": "v0.4.4-nks2", "resolve_conflicts": "none", "options": {"x": "1"}},
     "Unknown option(s) x"),
])
def test_install_rules(api, body, message):
    cid = api.cluster()
    status, answer = api.call("POST", f"/v1/clusters/{cid}/addons/", body)
    assert status == 400 and message in detail(answer)
    assert "metrics_server" not in api.addons(cid)


def test_install_of_an_installed_type_is_a_conflict(api):
    cid = api.cluster()
    status, body = api.call("POST", f"/v1/clusters/{cid}/addons/",
                            {"name": "coredns", "version": "1.8.4-nks1", "resolve_conflicts": "none"})
    assert status == 409 and "Addon coredns of type kube-dns is already installed" in detail(body)


def test_update(api):
    cid = api.cluster(cluster_body(addons=[{"name": "coredns", "version": "1.8.4-nks1"}]))
    before = api.addons(cid)["coredns"]
    status, body = api.call("PATCH", f"/v1/clusters/{cid}/addons/coredns",
                            {"version": "1.8.4-nks2", "resolve_conflicts": "none"})
    assert (status, body) == (202, {"uuid": cid})
    updating = api.addons(cid)["coredns"]
    assert (updating["status"], updating["version"]) == ("UPDATE_IN_PROGRESS", "1.8.4-nks1")  # not yet
    status, body = api.call("PATCH", f"/v1/clusters/{cid}/addons/coredns",
                            {"version": "1.8.4-nks2", "resolve_conflicts": "none"})
    assert status == 400 and "another operation is in progress" in detail(body)
    api.later()
    updated = api.addons(cid)["coredns"]
    assert (updated["status"], updated["version"], updated["uuid"]) == ("UPDATE_COMPLETE", "1.8.4-nks2",
                                                                         before["uuid"])
    assert api.events(cid)[-1] == ("CLUSTER_UPDATE_ADDON", "SUCCESS", None)
    # by installed UUID too; a downgrade is an update like any other
    status, _ = api.call("PATCH", f"/v1/clusters/{cid}/addons/{before['uuid']}",
                         {"version": "1.8.4-nks1", "resolve_conflicts": "overwrite"})
    assert status == 202


def test_update_rules(api):
    cid = api.cluster()
    path = f"/v1/clusters/{cid}/addons"
    status, body = api.call("PATCH", f"{path}/metrics_server", {"version": "v0.4.4-nks2", "resolve_conflicts": "none"})
    assert status == 404 and detail(body) == "Addon metrics_server could not be found."
    for change, message in [
            ({"options": {"mode": "ebpf"}}, "Option mode of addon calico is not updatable"),
            ({"options": {"mode": 7}}, "must be one of vxlan, ebpf"),
            ({"options": {"mtu": "1450"}}, "Unknown option(s) mtu"),
            ({"version": "v3.30.2-nks1"}, "requires Kubernetes v1.29.0 or later; the cluster runs v1.26.3"),
            ({"version": "v3.0"}, "is not offered"),
            ({"resolve_conflicts": None}, "resolve_conflicts: "),
            ({"version": None}, "version: ")]:
        request_body = {"version": "v3.28.2-nks1", "resolve_conflicts": "preserve", **change}
        status, body = api.call("PATCH", f"{path}/calico", {k: v for k, v in request_body.items() if v is not None})
        assert status == 400 and message in detail(body), (change, body)
    # the same value of a non-updatable option is no change
    status, _ = api.call("PATCH", f"{path}/calico", {"version": "v3.28.2-nks1", "resolve_conflicts": "none",
                                                     "options": {"mode": "vxlan"}})
    assert status == 202
    api.later()
    assert api.addons(cid)["calico"]["version"] == "v3.28.2-nks1"


def test_failed_update_keeps_the_version(api):
    cid = api.cluster()
    api.call("POST", "/_sim/faults/fail-next", {"operation": "CLUSTER_UPDATE_ADDON", "reason": "conflict on "
                                                "Deployment/coredns .spec.template.spec.containers[0].image"})
    assert api.call("PATCH", f"/v1/clusters/{cid}/addons/coredns",
                    {"version": "1.8.4-nks1", "resolve_conflicts": "none"})[0] == 202
    api.later()
    coredns = api.addons(cid)["coredns"]
    assert (coredns["status"], coredns["version"]) == ("UPDATE_FAILED", "1.8.4-nks2")
    assert coredns["status_reason"].startswith("conflict on Deployment/coredns")
    assert api.events(cid)[-1][:2] == ("CLUSTER_UPDATE_ADDON", "FAIL")
    # a failed add-on can be updated again
    assert api.call("PATCH", f"/v1/clusters/{cid}/addons/coredns",
                    {"version": "1.8.4-nks1", "resolve_conflicts": "overwrite"})[0] == 202
    api.later()
    assert api.addons(cid)["coredns"]["status"] == "UPDATE_COMPLETE"


def test_remove(api):
    cid = api.cluster(cluster_body(addons=[{"name": "nfs_csi_plugin", "version": "v1.0.1-nks2"}]))
    path = f"/v1/clusters/{cid}/addons/nfs_csi_plugin"
    assert api.call("DELETE", path) == (202, {"uuid": cid})
    assert api.call("GET", path)[1]["status"] == "UNINSTALL_IN_PROGRESS"
    assert api.events(cid)[-1] == ("CLUSTER_UNINSTALL_ADDON", "IN_PROGRESS", None)
    assert api.call("DELETE", path)[0] == 400  # in progress
    api.later()
    assert api.call("GET", path)[0] == 404
    assert api.events(cid)[-1] == ("CLUSTER_UNINSTALL_ADDON", "SUCCESS", None)
    status, body = api.call("DELETE", path)
    assert status == 404 and detail(body) == "Addon nfs_csi_plugin could not be found."
    for mandatory, kind in (("calico", "cni"), ("coredns", "kube-dns")):
        status, body = api.call("DELETE", f"/v1/clusters/{cid}/addons/{mandatory}")
        assert status == 400 and detail(body) == (f"Addon {mandatory} is of the mandatory type {kind} and cannot "
                                                  "be removed.")
    # removed, it can be installed again
    assert api.call("POST", f"/v1/clusters/{cid}/addons/", {"name": "nfs_csi_plugin", "version": "v1.0.1-nks1",
                                                            "resolve_conflicts": "none"})[0] == 202


def test_failed_remove_keeps_the_addon(api):
    cid = api.cluster(cluster_body(addons=[{"name": "snapshot_controller", "version": "v4.1.1-nks2"}]))
    api.call("POST", "/_sim/faults/fail-next", {"operation": "CLUSTER_UNINSTALL_ADDON", "reason": "timeout"})
    api.call("DELETE", f"/v1/clusters/{cid}/addons/snapshot_controller")
    api.later()
    removed = api.addons(cid)["snapshot_controller"]
    assert (removed["status"], removed["status_reason"]) == ("UNINSTALL_FAILED", "timeout")


def test_addon_operations_on_a_busy_cluster_are_refused(api):
    install = {"name": "metrics_server", "version": "v0.4.4-nks2", "resolve_conflicts": "none"}
    creating = api.cluster(settle=False)
    status, body = api.call("POST", f"/v1/clusters/{creating}/addons/", install)
    assert status == 400 and "CREATE_IN_PROGRESS" in detail(body)
    api.later()
    assert api.call("POST", f"/v1/clusters/{creating}/actions/resize",
                    {"nodegroup": "default-worker", "node_count": 2})[0] == 202
    for method, path, body in [("POST", "addons/", install), ("DELETE", "addons/metrics_server", None),
                               ("PATCH", "addons/coredns", {"version": "1.8.4-nks2", "resolve_conflicts": "none"})]:
        status, answer = api.call(method, f"/v1/clusters/{creating}/{path}", body)
        assert status == 400 and "UPDATE_IN_PROGRESS" in detail(answer)
    api.later()
    assert api.call("POST", f"/v1/clusters/{creating}/addons/", install)[0] == 202


# ---------------------------------------------------------------- NKS registry, legacy clusters, upgrades
def test_without_the_nks_registry_addon_management_and_upgrades_are_refused():
    api = Api(nks_registry_new_clusters=False)
    try:
        cid = api.cluster()
        assert sorted(api.addons(cid)) == ["calico", "coredns"]  # reads still answer
        for method, path, body in [
                ("POST", "addons/", {"name": "metrics_server", "version": "v0.4.4-nks2", "resolve_conflicts": "none"}),
                ("PATCH", "addons/coredns", {"version": "1.8.4-nks1", "resolve_conflicts": "none"}),
                ("DELETE", "addons/coredns", None)]:
            status, answer = api.call(method, f"/v1/clusters/{cid}/{path}", body)
            assert status == 400 and "the NKS registry is not enabled" in detail(answer), answer
        status, answer = api.call("POST", f"/v1/clusters/{cid}/nodegroups/default-master/upgrade",
                                  {"version": "v1.27.3"})
        assert status == 400 and detail(answer) == (f"Cluster {cid} cannot be upgraded: the NKS registry is not "
                                                    "enabled.")
        # the knob enables it
        status, body = api.call("PATCH", f"/_sim/clusters/{cid}/addon_settings", {"nks_registry": True})
        assert status == 200 and body["nks_registry"] is True
        assert api.call("POST", f"/v1/clusters/{cid}/nodegroups/default-master/upgrade",
                        {"version": "v1.27.3"})[0] == 202
    finally:
        api.runtime.store.close()


def test_a_legacy_cluster_shows_no_addon_until_installed_with_preserve(api):
    status, body = api.call("POST", "/_sim/clusters/legacy", {"cluster": cluster_body(labels__cni_driver="calico")})
    assert status == 200, body
    cid = body["uuid"]
    assert api.addons(cid) == {}
    for name, version in (("calico", "v3.28.2-nks1"), ("coredns", "1.8.4-nks1")):
        assert api.call("POST", f"/v1/clusters/{cid}/addons/", {"name": name, "version": version,
                                                                "resolve_conflicts": "preserve"})[0] == 202
    api.later()
    assert {n: a["status"] for n, a in api.addons(cid).items()} == {"calico": "INSTALL_COMPLETE",
                                                                     "coredns": "INSTALL_COMPLETE"}
    # a legacy cluster without the NKS registry
    status, body = api.call("POST", "/_sim/clusters/legacy", {"cluster": cluster_body(), "nks_registry": False})
    status, answer = api.call("POST", f"/v1/clusters/{body['uuid']}/addons/",
                              {"name": "coredns", "version": "1.8.4-nks1", "resolve_conflicts": "preserve"})
    assert status == 400 and "NKS registry" in detail(answer)


def test_clear_addons_knob(api):
    cid = api.cluster()
    status, body = api.call("PATCH", f"/_sim/clusters/{cid}/addon_settings", {"clear_addons": True})
    assert (status, body) == (200, {"uuid": cid, "nks_registry": True, "addons": []})
    assert api.addons(cid) == {}
    assert api.call("PATCH", "/_sim/clusters/nope/addon_settings", {"nks_registry": False})[0] == 404


def test_kubernetes_range_of_installed_addons(api, monkeypatch):
    """``k8s_max_version``: an install above it is refused; so is a control-plane upgrade beyond it."""
    cid = api.cluster(cluster_body(addons=[{"name": "metrics_server", "version": "v0.4.4-nks1"}]))
    monkeypatch.setitem(catalogue.find("metrics_server", "v0.4.4-nks1"), "k8s_max_version", "v1.26.99")
    assert api.call("GET", "/v1/addons/23454567-1234-12d3-a456-426614174021")[1]["k8s_max_version"] == "v1.26.99"
    status, body = api.call("POST", f"/v1/clusters/{cid}/nodegroups/default-master/upgrade", {"version": "v1.27.3"})
    assert status == 400 and detail(body) == ("Cannot upgrade to v1.27.3: addon metrics_server v0.4.4-nks1 supports "
                                              "Kubernetes up to v1.26.99; update the addon first.")
    assert api.call("PATCH", f"/v1/clusters/{cid}/addons/metrics_server",
                    {"version": "v0.4.4-nks2", "resolve_conflicts": "overwrite"})[0] == 202
    api.later()
    assert api.call("POST", f"/v1/clusters/{cid}/nodegroups/default-master/upgrade", {"version": "v1.27.3"})[0] == 202
    api.later()
    status, body = api.call("PATCH", f"/v1/clusters/{cid}/addons/metrics_server",
                            {"version": "v0.4.4-nks1", "resolve_conflicts": "none"})
    assert status == 400 and "supports Kubernetes up to v1.26.99; the cluster runs v1.27.3" in detail(body)


# ---------------------------------------------------------------- the 2025-02 guide
@pytest.fixture
def api_2025(monkeypatch):
    if "api_guide" in SimConfig.model_fields:
        sim = Api(api_guide="2025-02")
    else:  # before the guide switch exists (branch sim-guide2026): what getattr() will read
        monkeypatch.setattr(SimConfig, "api_guide", "2025-02", raising=False)
        sim = Api()
    yield sim
    sim.runtime.store.close()


def test_the_2025_guide_has_no_addon_management(api_2025):
    api = api_2025
    cid = api.cluster(cluster_body(addons=[{"name": "metrics_server", "version": "v0.4.4-nks2"}]))  # ignored
    for method, path in [("GET", "/v1/addon_types/"), ("GET", "/v1/addon_types/cni"), ("GET", "/v1/addons/"),
                         ("GET", f"/v1/addons/{GUIDE_CALICO['uuid']}"), ("GET", f"/v1/clusters/{cid}/addons/"),
                         ("GET", f"/v1/clusters/{cid}/addons/calico"), ("POST", f"/v1/clusters/{cid}/addons/"),
                         ("PATCH", f"/v1/clusters/{cid}/addons/calico"),
                         ("DELETE", f"/v1/clusters/{cid}/addons/calico")]:
        status, body = api.call(method, path, {} if method in ("POST", "PATCH") else None)
        assert (status, detail(body)) == (404, "Not Found"), (method, path)
    assert "metrics_server" not in {a["name"] for a in api.runtime.store.list_addons(cid, None)[1]}
    api.runtime.config.reject_unknown_attributes = True
    status, body = api.call("POST", "/v1/clusters", cluster_body(addons=[{"name": "coredns", "version": "1.8.4-nks1"}]))
    assert status == 400 and "Unknown attribute(s): addons" in detail(body)


# ---------------------------------------------------------------- pure rules and persistence
SCHEMA_ADDON = {"name": "demo", "version": "v1", "option_schemas": [
    {"name": "replicas", "data_type": "INTEGER", "default": "2", "updatable": True, "mandatory": False,
     "choices": None},
    {"name": "domain", "data_type": "STRING", "default": None, "updatable": False, "mandatory": True,
     "choices": None},
    {"name": "mode", "data_type": "SELECT", "default": "a", "updatable": True, "mandatory": False,
     "choices": ["a", "b"]}]}


def test_option_schemas():
    assert check_options(SCHEMA_ADDON, {"domain": "x.local"}) == {"replicas": "2", "domain": "x.local", "mode": "a"}
    assert check_options(SCHEMA_ADDON, {"domain": "d", "replicas": 3, "mode": "b"})["replicas"] == 3
    current = {"replicas": "2", "domain": "d", "mode": "a"}
    assert check_options(SCHEMA_ADDON, {"replicas": "5"}, current) == {"replicas": "5", "domain": "d", "mode": "a"}
    assert check_options(SCHEMA_ADDON, {"domain": "d"}, current) == current
    for given, now, message in [
            ({}, None, "Option domain of addon demo is mandatory."),
            ({"domain": "d", "replicas": "two"}, None, "must be an integer"),
            ({"domain": "d", "replicas": True}, None, "must be an integer"),
            ({"domain": 5}, None, "must be a string"),
            ({"domain": "d", "mode": "c"}, None, "must be one of a, b"),
            ({"domain": "e"}, current, "Option domain of addon demo is not updatable"),
            ({"other": "1", "domain": "d"}, None, "Unknown option(s) other"),
            (["domain"], None, "options must be an object.")]:
        with pytest.raises(ApiError) as raised:
            check_options(SCHEMA_ADDON, given, now)
        assert raised.value.status == 400 and message in raised.value.detail


def test_addons_survive_a_restart(tmp_path):
    clock, path = Clock(), str(tmp_path / "state.db")
    token = {"tenant_id": "t", "user_id": "u"}
    first = Store(SimConfig(), path, clock=clock)
    cid = first.create_cluster(cluster_body(), token)["uuid"]
    clock.now += LATER
    first.install_addon(cid, {"name": "metrics_server", "version": "v0.4.4-nks2", "resolve_conflicts": "none"}, "t")
    first.close()
    second = Store(SimConfig(), path, clock=clock)
    try:
        assert second.get_addon(cid, "metrics_server", "t")[1]["status"] == "INSTALL_IN_PROGRESS"
        clock.now += LATER
        assert {r["name"]: r["status"] for r in second.list_addons(cid, "t")[1]} == {
            "calico": "INSTALL_COMPLETE", "coredns": "INSTALL_COMPLETE", "metrics_server": "INSTALL_COMPLETE"}
    finally:
        second.close()
