"""The Kubernetes API of simulated clusters, through real clients: kubectl, the
``kubernetes`` Python client and plain HTTPS with and without client certificates
(issue 13.1, docs/simulator-kubernetes.md).

Timing: the shared simulator runs at --time-scale 0.05, so operations take 0.05-0.15 s and the
API is ready 0.15 s after CREATE_COMPLETE; every wait allows at least 10 s (60x the longest
duration), so a test fails by chance only if the machine stalls for ~10 s inside one wait.
Nothing is random; the readiness test does not race the delay (1000 s, then PATCHed to 0).
"""

from __future__ import annotations

import socket

import pytest
import requests
from conftest import GUIDE_NODEGROUP, cluster_body, unique
from kube_helpers import Kube, wait_for


@pytest.fixture
def kube(sim, tmp_path):
    """A fresh 2-node cluster of the shared simulator, its API ready."""
    cluster = sim.create_cluster(cluster_body(node_count=2))
    client = Kube(sim, cluster["uuid"], tmp_path / "kube")
    client.wait_ready()
    client.cluster = cluster
    return client


def _status(response: requests.Response, code: int, reason: str) -> dict:
    assert response.status_code == code, response.text
    body = response.json()
    assert (body["kind"], body["apiVersion"], body["status"], body["code"], body["reason"]) == \
        ("Status", "v1", "Failure", code, reason)
    return body


# ------------------------------------------------------------------ kubectl
def test_kubectl_get_nodes_wide(sim, kube):
    result = kube.kubectl("get", "nodes", "-o", "wide")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:6] == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP"]
    rows = [line.split() for line in lines[1:]]
    addresses = sim.get(f"/v1/clusters/{kube.cluster['uuid']}").json()["node_addresses"]
    assert len(rows) == 2
    assert {row[1] for row in rows} == {"Ready"} and {row[4] for row in rows} == {"v1.26.3"}
    assert sorted(row[5] for row in rows) == sorted(addresses)


def test_kubectl_version_is_the_control_plane_version(kube):
    result = kube.kubectl("version", "-o", "json")
    assert result.returncode == 0, result.stderr
    import json

    server = json.loads(result.stdout)["serverVersion"]
    assert (server["gitVersion"], server["major"], server["minor"]) == ("v1.26.3", "1", "26")


def test_kubectl_namespaces(kube):
    name = unique("ns")
    assert kube.kubectl("create", "namespace", name).returncode == 0
    listed = kube.kubectl("get", "namespaces", "-o", "name").stdout.split()
    assert f"namespace/{name}" in listed and "namespace/kube-system" in listed
    again = kube.kubectl("create", "namespace", name)
    assert again.returncode != 0 and "AlreadyExists" in again.stderr
    assert kube.kubectl("delete", "namespace", name).returncode == 0
    assert "NotFound" in kube.kubectl("get", "namespace", name).stderr


# ------------------------------------------------------------------ kubernetes Python client
def test_python_client_nodes(sim, kube):
    from kubernetes import client

    nodes = client.CoreV1Api(kube.client()).list_node()
    assert nodes.metadata.resource_version
    worker = sim.get(f"/v1/clusters/{kube.cluster['uuid']}/nodegroups/default-worker").json()
    assert len(nodes.items) == 2
    for node in nodes.items:
        labels = node.metadata.labels
        assert labels["magnum.openstack.org/nodegroup"] == "default-worker"
        assert labels["topology.kubernetes.io/zone"] == "kr2-pub-b"
        assert labels["node.kubernetes.io/instance-type"] == worker["flavor_id"]
        assert node.status.node_info.kubelet_version == "v1.26.3"
        assert [c.status for c in node.status.conditions if c.type == "Ready"] == ["True"]
        assert node.metadata.uid and node.metadata.creation_timestamp
    one = client.CoreV1Api(kube.client()).read_node(nodes.items[0].metadata.name)
    assert one.metadata.uid == nodes.items[0].metadata.uid


def test_python_client_namespaces(kube):
    from kubernetes import client
    from kubernetes.client.rest import ApiException

    v1 = client.CoreV1Api(kube.client())
    name = unique("ns")
    made = v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name, labels={"team": "a"})))
    assert made.metadata.labels == {"team": "a", "kubernetes.io/metadata.name": name}
    assert v1.read_namespace(name).status.phase == "Active"
    assert name in [n.metadata.name for n in v1.list_namespace(label_selector="team=a").items]
    for call, code in ((lambda: v1.read_namespace("missing"), 404), (lambda: v1.delete_namespace("default"), 403),
                       (lambda: v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name))),
                        409)):
        with pytest.raises(ApiException) as caught:
            call()
        assert caught.value.status == code
    patched = v1.patch_namespace(name, {"metadata": {"labels": {"team": None, "tier": "web"}}})
    assert patched.metadata.labels == {"tier": "web", "kubernetes.io/metadata.name": name}
    same = v1.patch_namespace(name, {"metadata": {"labels": {"tier": "web"}}})
    assert same.metadata.resource_version == patched.metadata.resource_version
    v1.delete_namespace(name)
    assert name not in [n.metadata.name for n in v1.list_namespace().items]


def test_dynamic_client_discovery(kube):
    """kubernetes.core k8s_info uses the dynamic client: discovery then list."""
    from kubernetes import dynamic

    nodes = dynamic.DynamicClient(kube.client()).resources.get(api_version="v1", kind="Node")
    assert nodes.namespaced is False
    assert len(nodes.get().items) == 2


def test_python_client_watch(kube):
    from kubernetes import client, watch

    v1 = client.CoreV1Api(kube.client())
    stream = watch.Watch().stream(v1.list_namespace, timeout_seconds=20)
    initial = [next(stream) for _ in range(4)]
    assert {(e["type"], e["object"].metadata.name) for e in initial} == {
        ("ADDED", n) for n in ("default", "kube-system", "kube-public", "kube-node-lease")}
    name = unique("ns")
    v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    added = next(stream)
    v1.patch_namespace(name, {"metadata": {"labels": {"a": "b"}}})
    modified = next(stream)
    v1.delete_namespace(name)
    deleted = next(stream)
    stream.close()
    assert [(e["type"], e["object"].metadata.name) for e in (added, modified, deleted)] == [
        ("ADDED", name), ("MODIFIED", name), ("DELETED", name)]
    assert modified["object"].metadata.labels["a"] == "b"


def test_kubectl_wait_for_ready_nodes(sim, kube):
    uid = kube.cluster["uuid"]
    instance = sim.nodes(uid, "default-worker")[0]["uuid"]
    assert sim.post(f"/v1/clusters/{uid}/nodegroups/default-worker/stop_node",
                    {"node_list": instance}).status_code in (200, 202)
    sim.wait_status(f"/v1/clusters/{uid}/nodegroups/default-worker", "UPDATE_COMPLETE")
    stopped = kube.kubectl("wait", "--for=condition=Ready", "nodes", "--all", "--timeout=1s")
    assert stopped.returncode != 0 and "timed out" in stopped.stderr
    assert sim.post(f"/v1/clusters/{uid}/nodegroups/default-worker/start_node",
                    {"node_list": instance}).status_code in (200, 202)
    started = kube.kubectl("wait", "--for=condition=Ready", "nodes", "--all", "--timeout=60s")
    assert started.returncode == 0, started.stderr
    assert started.stdout.count("condition met") == 2


# ------------------------------------------------------------------ authentication
def test_no_client_certificate_is_401(kube):
    for path in ("/api/v1/nodes", "/version", "/readyz"):
        _status(kube.get(path, cert=None), 401, "Unauthorized")


def test_another_clusters_certificate_is_401(sim, kube, tmp_path):
    other = Kube(sim, sim.create_cluster()["uuid"], tmp_path / "other")
    _status(kube.get("/api/v1/nodes", cert=other.cert), 401, "Unauthorized")
    _status(other.get("/api/v1/nodes", cert=kube.cert), 401, "Unauthorized")
    assert kube.get("/api/v1/nodes").status_code == 200


def test_server_certificate_is_the_clusters(sim, kube, tmp_path):
    other = Kube(sim, sim.create_cluster()["uuid"], tmp_path / "other")
    assert other.server != kube.server
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(kube.server + "/version", cert=kube.cert, verify=other.ca, timeout=10)


# ------------------------------------------------------------------ health, discovery, errors
def test_health_endpoints(kube):
    assert kube.get("/livez").text == "ok" and kube.get("/healthz").text == "ok"
    verbose = kube.get("/readyz?verbose")
    assert verbose.status_code == 200 and verbose.headers["Content-Type"].startswith("text/plain")
    lines = verbose.text.splitlines()
    assert lines[0] == "[+]ping ok" and lines[-1] == "readyz check passed"
    assert all(line.startswith("[+]") for line in lines[:-1]) and "[+]etcd ok" in lines
    assert "[+]etcd excluded: ok" in kube.get("/livez?verbose&exclude=etcd").text.splitlines()
    assert kube.get("/healthz?verbose").text.splitlines()[-1] == "healthz check passed"
    assert kube.get("/readyz/etcd").text == "ok" and kube.get("/readyz/nothing").status_code == 404


def test_discovery_documents(kube):
    api = kube.get("/api", headers={"Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                                              "application/json"})
    assert api.headers["Content-Type"] == "application/json"
    assert api.json()["kind"] == "APIVersions" and api.json()["versions"] == ["v1"]
    resources = {r["name"]: r for r in kube.get("/api/v1").json()["resources"]}
    assert resources["nodes"]["kind"] == "Node" and not resources["nodes"]["namespaced"]
    assert set(resources["namespaces"]["verbs"]) == {"create", "delete", "get", "list", "patch", "watch"}
    groups = kube.get("/apis").json()
    assert groups["kind"] == "APIGroupList" and [g["name"] for g in groups["groups"]] == ["policy"]
    _status(kube.get("/api/v1/pods"), 404, "NotFound")
    _status(kube.get("/api/v1/nodes/missing"), 404, "NotFound")
    _status(kube.request("DELETE", "/api/v1/nodes/x"), 405, "MethodNotAllowed")


def test_lists_and_tables(kube):
    listed = kube.get("/api/v1/nodes").json()
    assert listed["kind"] == "NodeList" and listed["metadata"]["resourceVersion"]
    table = kube.get("/api/v1/namespaces", headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}).json()
    assert table["kind"] == "Table" and [c["name"] for c in table["columnDefinitions"]] == ["Name", "Status", "Age"]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


# ------------------------------------------------------------------ IP access list
def test_ip_access_list_refuses_the_caller(sim, kube):
    uid = kube.cluster["uuid"]

    def acl(enable, action="ALLOW", *cidrs):
        body = {"enable": enable}
        if enable == "true":
            body.update(action=action, ipacl_targets=[{"cidr_address": c} for c in cidrs])
        assert sim.post(f"/v1/clusters/{uid}/api_ep_ipacl", body).status_code in (200, 202)

    acl("true", "ALLOW", "10.0.0.0/8", "192.168.0.0/24")
    refused = _status(kube.get("/api/v1/nodes"), 403, "Forbidden")
    assert "IP access control list" in refused["message"] and "127.0.0.1" in refused["message"]
    assert "(Forbidden)" in kube.kubectl("get", "nodes").stderr  # kubectl hides discovery error messages
    result = kube.kubectl("get", "--raw", "/readyz")
    assert result.returncode != 0 and "check the IP access list" in result.stderr
    acl("true", "ALLOW", "127.0.0.1/32")
    assert kube.get("/api/v1/nodes").status_code == 200
    acl("true", "DENY", "127.0.0.0/8")
    _status(kube.get("/readyz"), 403, "Forbidden")
    acl("false")
    assert kube.get("/readyz").text == "ok"


# ------------------------------------------------------------------ nodes follow the node groups
def _nodes(kube) -> dict:
    return {n["metadata"]["name"]: n for n in kube.get("/api/v1/nodes").json()["items"]}


def _ready(node: dict) -> str:
    return next(c["status"] for c in node["status"]["conditions"] if c["type"] == "Ready")


def test_nodes_follow_resize_stop_start(sim, kube):
    uid = kube.cluster["uuid"]
    assert sim.post(f"/v1/clusters/{uid}/actions/resize",
                    {"nodegroup": "default-worker", "node_count": 3}).status_code == 202
    sim.wait_status(f"/v1/clusters/{uid}/nodegroups/default-worker", "UPDATE_COMPLETE")
    nodes = _nodes(kube)
    assert len(nodes) == 3 and {_ready(n) for n in nodes.values()} == {"True"}
    instance = sim.nodes(uid, "default-worker")[0]["uuid"]
    assert sim.post(f"/v1/clusters/{uid}/nodegroups/default-worker/stop_node",
                    {"node_list": instance}).status_code in (200, 202)
    sim.wait_status(f"/v1/clusters/{uid}/nodegroups/default-worker", "UPDATE_COMPLETE")
    stopped = [n for n in _nodes(kube).values() if n["spec"]["providerID"].endswith(instance)]
    assert len(stopped) == 1 and _ready(stopped[0]) == "Unknown" and stopped[0]["spec"]["unschedulable"]
    assert "NotReady" in kube.kubectl("get", "nodes").stdout
    assert sim.post(f"/v1/clusters/{uid}/nodegroups/default-worker/start_node",
                    {"node_list": instance}).status_code in (200, 202)
    sim.wait_status(f"/v1/clusters/{uid}/nodegroups/default-worker", "UPDATE_COMPLETE")
    assert {_ready(n) for n in _nodes(kube).values()} == {"True"}


def test_nodes_follow_nodegroups_and_upgrades(sim, kube):
    uid = kube.cluster["uuid"]
    body = {**GUIDE_NODEGROUP, "name": "extra", "node_count": 1}
    body["labels"] = {**body["labels"], "availability_zone": "kr2-pub-a"}
    assert sim.post(f"/v1/clusters/{uid}/nodegroups", body).status_code == 202
    sim.wait_status(f"/v1/clusters/{uid}/nodegroups/extra", "CREATE_COMPLETE")
    extra = [n for n in _nodes(kube).values() if n["metadata"]["labels"]["magnum.openstack.org/nodegroup"] == "extra"]
    assert len(extra) == 1 and extra[0]["metadata"]["labels"]["topology.kubernetes.io/zone"] == "kr2-pub-a"
    assert sim.post(f"/v1/clusters/{uid}/nodegroups/default-master/upgrade",
                    {"version": "v1.27.3"}).status_code in (200, 202)
    sim.wait_status(f"/v1/clusters/{uid}", "UPDATE_COMPLETE")
    assert kube.get("/version").json()["gitVersion"] == "v1.27.3"
    assert {n["status"]["nodeInfo"]["kubeletVersion"] for n in _nodes(kube).values()} == {"v1.26.3"}
    assert sim.post(f"/v1/clusters/{uid}/nodegroups/extra/upgrade",
                    {"version": "v1.27.3"}).status_code in (200, 202)
    sim.wait_status(f"/v1/clusters/{uid}/nodegroups/extra", "UPDATE_COMPLETE")
    versions = {n["metadata"]["labels"]["magnum.openstack.org/nodegroup"]: n["status"]["nodeInfo"]["kubeletVersion"]
                for n in _nodes(kube).values()}
    assert versions == {"default-worker": "v1.26.3", "extra": "v1.27.3"}
    assert sim.delete(f"/v1/clusters/{uid}/nodegroups/extra").status_code in (200, 202, 204)
    sim.wait_gone(f"/v1/clusters/{uid}/nodegroups/extra")
    assert len(_nodes(kube)) == 2


# ------------------------------------------------------------------ lifecycle of the endpoint
def test_deleted_cluster_closes_its_endpoint(sim, kube):
    port = int(kube.server.rsplit(":", 1)[1])
    assert sim.delete(f"/v1/clusters/{kube.cluster['uuid']}").status_code in (200, 202, 204)
    sim.wait_gone(f"/v1/clusters/{kube.cluster['uuid']}")

    def refused():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return True
        return False
    wait_for(refused, timeout=30)  # the accept thread sweeps every second


def test_readyz_waits_after_create_complete(own_sim, tmp_path):
    # --kube-ready-delay 20000 x --time-scale 0.05 = 1000 s: the checks below run long before the
    # API would turn ready by itself (no timing dependency), then PATCH /_sim/config makes it ready.
    sim = own_sim("--kube-ready-delay", "20000")
    cluster = sim.create_cluster()
    kube = Kube(sim, cluster["uuid"], tmp_path / "kube")
    starting = kube.get("/readyz")
    assert starting.status_code == 500 and starting.text.endswith("readyz check failed\n")
    assert "[-]informer-sync failed: reason withheld" in starting.text.splitlines()
    assert kube.get("/livez").text == "ok" and kube.get("/version").status_code == 200
    unavailable = _status(kube.get("/api/v1/nodes"), 503, "ServiceUnavailable")
    assert "readyz" in unavailable["message"]
    assert sim.admin("PATCH", "/config", {"kube_ready_delay": 0}).status_code == 200
    assert kube.get("/readyz").text == "ok"
    assert kube.get("/api/v1/nodes").status_code == 200


def test_state_file_restart_keeps_endpoint_and_credentials(own_sim, tmp_path):
    state = str(tmp_path / "state.json")
    first = own_sim("--state-file", state)
    cluster = first.create_cluster()
    kube = Kube(first, cluster["uuid"], tmp_path / "kube")
    kube.wait_ready()
    assert kube.kubectl("create", "namespace", "kept").returncode == 0
    first.kill()
    second = own_sim("--state-file", state)
    address = second.get(f"/v1/clusters/{cluster['uuid']}").json()["api_address"]
    if address != kube.server:
        # Another process took the port while no simulator held it (a connect() picks any free
        # ephemeral port: ~1e-3 for a 2 s gap on a busy machine); the simulator must say so.
        # test_kube_units.py checks the rebinding itself with a gap of milliseconds.
        port = kube.server.rsplit(":", 1)[1]
        assert f"port {port} of cluster {cluster['uuid']} is taken" in (second.workdir / "sim.log").read_text()
        kube = Kube(second, cluster["uuid"], tmp_path / "again")
    assert Kube(second, cluster["uuid"], tmp_path / "again").text == kube.text
    assert kube.get("/api/v1/namespaces/kept").json()["metadata"]["name"] == "kept"
    assert kube.get("/api/v1/nodes").status_code == 200
