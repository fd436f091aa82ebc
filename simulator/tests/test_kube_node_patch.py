"""``PATCH /api/v1/nodes/{name}`` of a simulated cluster's Kubernetes API: the labels of a node,
stored on its instance record (docs/simulator-kubernetes.md), through plain HTTPS, kubectl and the
``kubernetes`` Python client (its watch sees the change).

Timing as in test_kube_api.py (shared simulator at --time-scale 0.05, every wait >= 10 s); nothing is random.
"""

from __future__ import annotations

import json

import pytest
from conftest import cluster_body
from kube_helpers import Kube

MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture
def kube(sim, tmp_path):
    """A fresh 2-node cluster of the shared simulator, its API ready."""
    cluster = sim.create_cluster(cluster_body(node_count=2))
    client = Kube(sim, cluster["uuid"], tmp_path / "kube")
    client.wait_ready()
    client.cluster = cluster
    return client


def _names(kube) -> list:
    return [n["metadata"]["name"] for n in kube.get("/api/v1/nodes").json()["items"]]


def _patch(kube, name: str, body: object, headers=MERGE):
    return kube.request("PATCH", f"/api/v1/nodes/{name}", data=json.dumps(body), headers=headers)


def test_merge_patch_sets_and_removes_labels_and_persists(kube):
    first, second = _names(kube)
    before = kube.get(f"/api/v1/nodes/{first}").json()
    answer = _patch(kube, first, {"metadata": {"labels": {"tier": "batch", "example.com/team": "blue"}}})
    assert answer.status_code == 200, answer.text
    node = answer.json()
    assert node["kind"] == "Node" and node["metadata"]["name"] == first
    assert node["metadata"]["labels"]["tier"] == "batch"
    assert node["metadata"]["labels"]["example.com/team"] == "blue"
    assert node["metadata"]["labels"]["magnum.openstack.org/nodegroup"] == "default-worker"
    assert int(node["metadata"]["resourceVersion"]) > int(before["metadata"]["resourceVersion"])
    for _ in range(2):  # kept across reads, by GET of the node and in the list; the other node untouched
        assert kube.get(f"/api/v1/nodes/{first}").json()["metadata"]["labels"] == node["metadata"]["labels"]
        listed = {n["metadata"]["name"]: n for n in kube.get("/api/v1/nodes").json()["items"]}
        assert listed[first]["metadata"]["labels"]["tier"] == "batch"
        assert "tier" not in listed[second]["metadata"]["labels"]
    selected = kube.get("/api/v1/nodes", params={"labelSelector": "tier=batch"}).json()["items"]
    assert [n["metadata"]["name"] for n in selected] == [first]

    removed = _patch(kube, first, {"metadata": {"labels": {"tier": None, "stage": "two"}}})
    assert removed.status_code == 200, removed.text
    labels = kube.get(f"/api/v1/nodes/{first}").json()["metadata"]["labels"]
    assert "tier" not in labels and labels["stage"] == "two" and labels["example.com/team"] == "blue"

    same = _patch(kube, first, {"metadata": {"labels": {"stage": "two"}}})
    assert same.json()["metadata"]["resourceVersion"] == removed.json()["metadata"]["resourceVersion"]


def test_patch_refusals(kube):
    first = _names(kube)[0]
    missing = _patch(kube, "no-such-node", {"metadata": {"labels": {"a": "b"}}})
    assert missing.status_code == 404
    body = missing.json()
    assert (body["kind"], body["reason"], body["message"]) == ("Status", "NotFound", 'nodes "no-such-node" not found')
    derived = _patch(kube, first, {"metadata": {"labels": {"magnum.openstack.org/nodegroup": None}}})
    assert derived.status_code == 422 and derived.json()["reason"] == "Invalid"
    assert _patch(kube, first, {"metadata": {"labels": ["a"]}}).status_code == 400
    assert _patch(kube, first, {"metadata": {"labels": {"a": "b"}}},
                  {"Content-Type": "application/json"}).status_code == 415
    dry = kube.request("PATCH", f"/api/v1/nodes/{first}", params={"dryRun": "All"},
                       data=json.dumps({"metadata": {"labels": {"dry": "run"}}}), headers=MERGE)
    assert dry.status_code == 200 and dry.json()["metadata"]["labels"]["dry"] == "run"
    after = kube.get(f"/api/v1/nodes/{first}").json()["metadata"]["labels"]
    assert "dry" not in after and "magnum.openstack.org/nodegroup" in after


def test_kubectl_label_node(kube):
    first = _names(kube)[0]
    added = kube.kubectl("label", "node", first, "tier=web")
    assert added.returncode == 0, added.stderr
    assert f"node/{first} labeled" in added.stdout
    shown = kube.kubectl("get", "nodes", "-l", "tier=web", "-o", "name")
    assert shown.stdout.split() == [f"node/{first}"]
    clash = kube.kubectl("label", "node", first, "tier=db")
    assert clash.returncode != 0 and "--overwrite" in clash.stderr
    assert kube.kubectl("label", "node", first, "tier=db", "--overwrite").returncode == 0
    assert kube.get(f"/api/v1/nodes/{first}").json()["metadata"]["labels"]["tier"] == "db"
    assert kube.kubectl("label", "node", first, "tier-").returncode == 0
    assert "tier" not in kube.get(f"/api/v1/nodes/{first}").json()["metadata"]["labels"]
    gone = kube.kubectl("label", "node", "no-such-node", "a=b")
    assert gone.returncode != 0 and "NotFound" in gone.stderr


def test_python_client_patch_and_watch(kube):
    from kubernetes import client, watch

    v1 = client.CoreV1Api(kube.client())
    first = _names(kube)[0]
    stream = watch.Watch().stream(v1.list_node, timeout_seconds=20)
    initial = [next(stream) for _ in range(2)]
    assert {e["type"] for e in initial} == {"ADDED"}
    patched = v1.patch_node(first, {"metadata": {"labels": {"zone-group": "a"}}})
    assert patched.metadata.labels["zone-group"] == "a"
    modified = next(stream)
    stream.close()
    assert (modified["type"], modified["object"].metadata.name) == ("MODIFIED", first)
    assert modified["object"].metadata.labels["zone-group"] == "a"


def test_labels_survive_a_restart(own_sim, tmp_path):
    state = str(tmp_path / "state.json")
    first = own_sim("--state-file", state)
    cluster = first.create_cluster()
    kube = Kube(first, cluster["uuid"], tmp_path / "kube")
    kube.wait_ready()
    name = _names(kube)[0]
    assert _patch(kube, name, {"metadata": {"labels": {"kept": "yes"}}}).status_code == 200
    first.kill()
    second = own_sim("--state-file", state)
    again = Kube(second, cluster["uuid"], tmp_path / "again")
    again.wait_ready()
    assert again.get(f"/api/v1/nodes/{name}").json()["metadata"]["labels"]["kept"] == "yes"
