# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The 2026-03 guide's settings in the modules: node labels, floating IP auto-assignment, the metric-based
autoscaler, control plane logs, the CNI change refused where the guide removed it, and issue 22 items 7, 9, 10
(on a stub API: what would be sent, before anything is sent)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _worker
from ansible_collections.nhncloud.nks.plugins.module_utils._api import NksApi
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import Waiter
from ansible_collections.nhncloud.nks.plugins.module_utils._kube_nodes import node_patch, plan_nodes
from ansible_collections.nhncloud.nks.plugins.module_utils._labels import (
    CLUSTER_LABELS, NODEGROUP_LABELS, from_labels, redact_labels, to_labels)
from ansible_collections.nhncloud.nks.plugins.module_utils import _specs
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError, check_ranges
from ansible_collections.nhncloud.nks.plugins.module_utils._views import cluster_view, nodegroup_view
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.cluster import NksCluster, NksClusterResource
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.nodegroup import NksNodegroup, NksNodegroupResource
from ansible_collections.nhncloud.nks.tests.unit.plugins.module_utils import stubs

SUBNET = "7f3237f6-ce05-4e9c-bce8-bbaabd22e83a"
SCALE_OUT = {"enabled": True, "max_node_count": 6, "rules_operator": "OR", "delay": 10, "adjustment_count": 2,
             "rules": [{"metric": "GROUP_CPU_USAGE", "threshold": 80, "duration": 2}]}


class StubApi(stubs.StubApi):
    """The shared stub, also answering Get Supported Versions (``supports``) and whether the guide offers
    the CNI change (``offers_cni_change``, as :class:`NksApi` decides it)."""

    def __init__(self, cluster, nodegroups=(), supports=None):
        super(StubApi, self).__init__(cluster, nodegroups)
        self._supports = supports or {"supported_k8s": {"v1.27.3": True, "v1.28.3": True},
                                      "supported_event_type": {"CLUSTER_CREATE": "Create a cluster"}}

    def supports(self):
        return self._supports

    def supported_versions(self):
        return self._supports["supported_k8s"]

    def offers_cni_change(self):
        return NksApi.offers_cni_change(self)


StubModule = stubs.StubModule


def cluster(**labels):
    base = {"kube_tag": "v1.27.3", "availability_zone": "kr2-pub-b", "ca_enable": "False", "cni_driver": "flannel"}
    base.update(labels)
    return {"uuid": "c-1", "name": "demo", "status": "CREATE_COMPLETE", "flavor_id": "f-1", "labels": base}


def worker(name="default-worker", uuid="ng-1", **labels):
    base = {"ca_enable": "False", "kube_tag": "v1.27.3"}
    base.update(labels)
    return {"uuid": uuid, "name": name, "status": "CREATE_COMPLETE", "flavor_id": "f-1", "node_count": 1,
            "labels": base}


def apply_all(changes, obj):
    for change in changes:
        if change.apply is not None:
            change.apply(obj)


def nodegroup(api, **params):
    mod = StubModule(NksNodegroup, api, cluster="demo", **params)
    return mod, NksNodegroupResource(mod, Waiter(60))


# -- labels and validation -------------------------------------------------------------------------------


def test_create_labels_as_json_strings_and_fip_labels():
    params = dict(node_labels={"node_type": "production"}, floating_ip={"enabled": True, "subnet": SUBNET,
                                                                        "selector": None},
                  metric_autoscale={"scale_out": SCALE_OUT, "scale_in": None})
    labels = to_labels(NODEGROUP_LABELS, params)
    labels.update(_worker.create_labels(params))
    assert json.loads(labels["k8s_node_labels"]) == {"node_type": "production"}
    assert labels["fip_auto_bind_enable"] == "True" and labels["fip_bind_subnet"] == SUBNET
    assert "fip_selector" not in labels and "mba_scale_in" not in labels
    out = json.loads(labels["mba_scale_out"])
    assert out["enable"] == "True" and out["max_node_count"] == 6 and out["rules"][0]["metric"] == "GROUP_CPU_USAGE"


@pytest.mark.parametrize("value", [{"a": "b"}, '{"a": "b"}'])
def test_node_labels_read_back_from_an_object_or_its_json(value):
    view = nodegroup_view(worker(k8s_node_labels=value))
    assert view["node_labels"] == {"a": "b"}


@pytest.mark.parametrize("labels, rule", [
    (dict(("k%d" % i, "v") for i in range(21)), "at most 20"),
    ({"kubernetes.io/role": "x"}, "reserved"),
    ({"-bad": "x"}, "1 to 63"),
    ({"ok": "bad value"}, "must be empty or"),
    ({"ok": True}, "quote it"),
    ({"Example.COM/x": "y"}, "DNS subdomain"),
])
def test_bad_node_labels_are_refused_naming_the_option(labels, rule):
    with pytest.raises(ValidationError) as err:
        _worker.validate({"node_labels": labels})
    assert err.value.option == "node_labels" and rule in str(err.value)


def test_good_node_labels_pass():
    _worker.validate({"node_labels": dict(("example.com/k%d" % i, "v-%d" % i) for i in range(20))})
    _worker.validate({"node_labels": {"empty": ""}})


@pytest.mark.parametrize("params, option", [
    ({"floating_ip": {"enabled": True}}, "floating_ip.subnet"),
    ({"metric_autoscale": {"scale_out": {"enabled": True}}}, "metric_autoscale.scale_out.rules"),
    ({"metric_autoscale": {"scale_out": dict(SCALE_OUT, max_node_count=2),
                           "scale_in": {"enabled": False, "min_node_count": 3}}},
     "metric_autoscale.scale_in.min_node_count"),
])
def test_bad_worker_settings_name_the_option(params, option):
    with pytest.raises(ValidationError) as err:
        _worker.validate(params)
    assert err.value.option == option


@pytest.mark.parametrize("params, option", [
    ({"metric_autoscale": {"scale_out": dict(SCALE_OUT, delay=61)}}, "metric_autoscale.scale_out.delay"),
    ({"metric_autoscale": {"scale_in": {"enabled": False, "adjustment_count": 0}}},
     "metric_autoscale.scale_in.adjustment_count"),
    ({"metric_autoscale": {"scale_out": dict(SCALE_OUT, rules=[{"metric": "GROUP_CPU_USAGE", "threshold": 1,
                                                                "duration": 1}])}},
     "metric_autoscale.scale_out.rules.duration"),
    ({"control_plane_log": {"enabled": True, "type": "obs", "upload_interval": 61}}, "control_plane_log.upload_interval"),
])
def test_worker_settings_out_of_range_name_the_option(params, option):
    """The guide's ranges of the new settings are rows of _validation.NUMERIC_RANGES (one place)."""
    spec = dict(_specs.worker_settings_spec(), control_plane_log=dict(type="dict", options=_specs.control_plane_log_spec()))
    with pytest.raises(ValidationError) as err:
        check_ranges(spec, params)
    assert err.value.option == option


def test_control_plane_log_appkey_is_masked_in_labels_and_views():
    labels = to_labels(CLUSTER_LABELS, {"control_plane_log": {"enabled": True, "type": "lncs", "sgw": "s",
                                                              "lncs_appkey": "secret"}})
    assert json.loads(labels["control_plane_log"])["lncs_appkey"] == "secret"  # sent to NKS
    assert "secret" not in json.dumps(redact_labels(labels))
    view = cluster_view({"uuid": "c", "labels": labels})
    assert view["control_plane_log"]["lncs_appkey"] != "secret" and view["control_plane_log"]["enabled"] is True
    assert from_labels(CLUSTER_LABELS, {"control_plane_log": "False"})["control_plane_log"] == {"enabled": False}


def test_views_carry_platform_version_and_health():
    obj = cluster(platform_version="1.202511.0", kube_version_status="NEED_UPGRADE")
    obj.update(health_status="HEALTHY", health_status_reason={"api": "OK"})
    view = cluster_view(obj)
    assert view["platform_version"] == "1.202511.0" and view["kube_version_status"] == "NEED_UPGRADE"
    assert view["health_status"] == "HEALTHY" and view["health_status_reason"] == {"api": "OK"}
    assert nodegroup_view(worker(platform_version="1.2"))["platform_version"] == "1.2"


# -- planners: node group and default-worker ---------------------------------------------------------


def test_node_group_in_place_changes_are_one_patch_each_and_idempotent():
    ng = worker("batch", "ng-2", k8s_node_labels='{"a": "1"}', fip_auto_bind_enable="False")
    api = StubApi(cluster(), [worker(), ng])
    mod, res = nodegroup(api, name="batch", node_labels={"a": "1", "b": 2},
                         floating_ip={"enabled": True, "subnet": SUBNET, "selector": None},
                         metric_autoscale={"scale_out": SCALE_OUT, "scale_in": None})
    changes = res.plan(ng)
    assert [c.name for c in changes] == ["node_labels", "floating_ip", "metric_autoscale"]
    apply_all(changes, ng)
    assert api.sent[0] == ("set_node_labels", "c-1", "ng-2", {"a": "1", "b": "2"})
    assert api.sent[1] == ("set_fip_auto_bind", "c-1", "ng-2",
                           {"fip_auto_bind_enable": True, "fip_bind_subnet": SUBNET})
    assert api.sent[2][0] == "set_metric_autoscale" and api.sent[2][3]["mba_scale_out"]["enable"] == "True"
    # NKS reports what was set: nothing more to do
    done = worker("batch", "ng-2", k8s_node_labels={"a": "1", "b": "2"}, fip_auto_bind_enable="True",
                  fip_bind_subnet=SUBNET, mba_scale_out=json.dumps(dict(
                      enable="True", max_node_count=6, rules_operator="or", delay=10, adjustment_count=2,
                      rules=[{"metric": "GROUP_CPU_USAGE", "threshold": "80", "duration": 2}])))
    assert res.plan(done) == []


def test_default_worker_settings_through_nks_cluster_use_the_same_planner():
    api = StubApi(cluster(), [worker()])
    mod = StubModule(NksCluster, api, name="demo", node_labels={"x": "y"})
    changes = NksClusterResource(mod).plan(api.cluster)
    apply_all(changes, api.cluster)
    assert api.sent == [("set_node_labels", "c-1", "default-worker", {"x": "y"})]


def test_control_plane_log_change_and_no_change():
    api = StubApi(cluster(), [worker()])
    want = {"enabled": True, "type": "obs", "sgw": "s-1", "obs_api_url": "https://x/c/p", "upload_interval": None,
            "lncs_appkey": None, "obs_store_as": "gzip"}
    mod = StubModule(NksCluster, api, name="demo", control_plane_log=want)
    changes = NksClusterResource(mod).plan(api.cluster)
    apply_all(changes, api.cluster)
    assert api.sent == [("set_control_plane_log", "c-1", {"enable": True, "type": "obs", "sgw": "s-1",
                                                          "obs_api_url": "https://x/c/p", "obs_store_as": "gzip"})]
    stored = cluster(control_plane_log=json.dumps({"enable": True, "type": "obs", "sgw": "s-1",
                                                   "obs_api_url": "https://x/c/p", "obs_store_as": "gzip",
                                                   "upload_interval": 10}))
    api2 = StubApi(stored, [worker()])
    assert NksClusterResource(StubModule(NksCluster, api2, name="demo", control_plane_log=want)).plan(stored) == []
    off = StubModule(NksCluster, StubApi(cluster(), [worker()]), name="demo",
                     control_plane_log={"enabled": False})
    assert NksClusterResource(off).plan(cluster()) == []


# -- the CNI change: removed by the 2026-03 guide -------------------------------------------------------


def test_cni_change_refused_on_a_2026_nks_pointing_to_the_addon():
    api = StubApi(cluster(), [worker()])
    mod = StubModule(NksCluster, api, name="demo", cni_driver="calico", pods_network_cidr="10.200.0.0/16")
    with pytest.raises(ValidationError) as err:
        NksClusterResource(mod).plan(api.cluster)
    assert err.value.option == "cni_driver" and "nhncloud.nks.nks_addon name=calico" in str(err.value)
    assert api.sent == []


def test_cni_change_kept_on_a_2025_nks():
    supports = {"supported_k8s": {"v1.27.3": True},
                "supported_event_type": {"cluster_events": {"CLUSTER_CNI_UPDATE": "Change CNI"}}}
    api = StubApi(cluster(), [worker()], supports=supports)
    mod = StubModule(NksCluster, api, name="demo", cni_driver="calico", pods_network_cidr="10.200.0.0/16")
    changes = NksClusterResource(mod).plan(api.cluster)
    assert [c.name for c in changes] == ["cni_driver"]


# -- issue 22 -----------------------------------------------------------------------------------------


def test_new_node_group_node_count_above_autoscaler_max_is_refused_before_any_request():
    api = StubApi(cluster(), [worker()])
    mod, res = nodegroup(api, name="batch", node_count=5, flavor_id="f", image_id="i",
                         availability_zone="kr2-pub-b", boot_volume_type="General HDD", boot_volume_size=20,
                         autoscale={"enabled": True, "max_node_count": 3})
    with pytest.raises(ValidationError) as err:
        res.validate_create()
    assert err.value.option == "node_count" and "autoscale.max_node_count 3" in str(err.value)
    assert api.sent == []


def test_existing_node_group_node_count_below_autoscaler_min_is_refused_the_same_way():
    ng = worker("batch", "ng-2", ca_enable="True", ca_min_node_count="2", ca_max_node_count="5")
    ng["node_count"] = 2
    api = StubApi(cluster(), [worker(), ng])
    mod, res = nodegroup(api, name="batch", node_count=1)
    with pytest.raises(ValidationError) as err:
        res.plan(ng)
    assert err.value.option == "node_count" and "autoscale.min_node_count 2" in str(err.value)
    mod2, res2 = nodegroup(api, name="batch", node_count=3)  # inside the bounds: the autoscaler decides
    assert res2.plan(ng) == [] and "ignored" in mod2.warnings[0]


def test_new_cluster_node_count_outside_autoscaler_is_refused():
    api = StubApi(None)
    mod = StubModule(NksCluster, api, name="demo", kube_version="v1.27.3", node_count=4, flavor_id="f",
                     keypair="k", fixed_network="n", fixed_subnet="s", availability_zone="kr2-pub-b",
                     node_image="i", boot_volume_type="General HDD", boot_volume_size=20,
                     autoscale={"enabled": True, "min_node_count": 1, "max_node_count": 3})
    with pytest.raises(ValidationError) as err:
        NksClusterResource(mod).validate_create()
    assert err.value.option == "node_count"


def test_mistyped_node_group_name_lists_the_existing_ones():
    api = StubApi(cluster(), [worker(), worker("batch", "ng-2")])
    mod, res = nodegroup(api, name="bacth", node_count=3)
    with pytest.raises(ValidationError) as err:
        res.validate_create()
    assert "default-worker, batch" in str(err.value) or "batch, default-worker" in str(err.value)
    assert "did you mean 'batch'" in str(err.value)


def test_definition_older_than_the_node_group_warns_and_goes_on():
    ng = worker("batch", "ng-2", kube_tag="v1.28.3")
    api = StubApi(cluster(kube_tag="v1.28.3"), [worker(), ng])
    mod, res = nodegroup(api, name="batch", kube_version="v1.27.3", node_labels={"a": "b"})
    changes = res.plan(ng)
    assert [c.name for c in changes] == ["node_labels"]
    assert "update kube_version of the definition to v1.28.3" in mod.warnings[0]


def test_definition_older_than_the_cluster_warns_and_goes_on():
    api = StubApi(cluster(kube_tag="v1.28.3"), [worker(kube_tag="v1.28.3")])
    mod = StubModule(NksCluster, api, name="demo", kube_version="v1.27.3")
    assert NksClusterResource(mod).plan(api.cluster) == []
    assert "newer than kube_version v1.27.3" in mod.warnings[0]


# -- existing nodes -----------------------------------------------------------------------------------


def test_node_patch_adds_changes_and_removes_only_dropped_labels():
    assert node_patch({"a": "1", "keep": "x", "old": "y"}, {"a": "2", "b": "3"}, ["old"]) == \
        {"a": "2", "b": "3", "old": None}
    assert node_patch({"a": "1"}, {"a": "1"}) == {}


def test_plan_nodes_only_the_node_group_nodes():
    nodes = [{"metadata": {"name": "demo-batch-node-0", "labels": {}}},
             {"metadata": {"name": "demo-default-worker-node-0", "labels": {}}},
             {"metadata": {"name": "demo-batch-node-1", "labels": {"a": "1"}}}]
    assert plan_nodes(nodes, "demo", "batch", {"a": "1"}) == [("demo-batch-node-0", {"a": "1"})]


def test_label_existing_nodes_patches_only_what_differs_through_a_kubernetes_api():
    """A loopback HTTP server stands for the cluster's Kubernetes API: GET /api/v1/nodes, then one merge
    patch per node of the node group that differs; check mode only reads."""
    import http.server
    import threading

    from ansible_collections.nhncloud.nks.plugins.module_utils._kube_nodes import label_existing_nodes

    nodes = {"demo-batch-node-0": {"tier": "old", "gone": "x"}, "demo-batch-node-1": {"tier": "web"},
             "demo-default-worker-node-0": {}}
    patches = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, body):
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802
            self._send({"items": [{"metadata": {"name": n, "labels": dict(l)}} for n, l in nodes.items()]})

        def do_PATCH(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            patches.append((self.path, self.headers["Content-Type"], body))
            self._send({})

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        kubeconfig = json.dumps({"apiVersion": "v1", "clusters": [{"name": "c", "cluster": {
            "server": "http://127.0.0.1:%d" % server.server_port}}], "users": [{"name": "u", "user": {"token": "t"}}],
            "contexts": [{"name": "default", "context": {"cluster": "c", "user": "u"}}], "current-context": "default"})

        class Api(object):
            def get_kubeconfig(self, _uuid):
                return kubeconfig

        want = {"tier": "web"}
        assert label_existing_nodes(Api(), "c-1", "demo", "batch", want, {"gone": "x", "tier": "old"},
                                    check_mode=True) == ["demo-batch-node-0"]
        assert patches == []
        assert label_existing_nodes(Api(), "c-1", "demo", "batch", want, {"gone": "x", "tier": "old"}) == \
            ["demo-batch-node-0"]
        assert patches == [("/api/v1/nodes/demo-batch-node-0", "application/merge-patch+json",
                            {"metadata": {"labels": {"tier": "web", "gone": None}}})]
    finally:
        server.shutdown()
        server.server_close()
