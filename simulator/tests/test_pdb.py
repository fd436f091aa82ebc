"""PodDisruptionBudgets (``policy/v1``) of a simulated cluster's Kubernetes API, and the node group
upgrade they block (user guide, "Pod eviction cautions"; docs/simulator.md, "PodDisruptionBudgets"):
plain HTTPS, kubectl (create -f, get, delete) and the ``kubernetes`` Python client.

Shared simulator at --time-scale 0.05 (conftest.py), every wait >= 10 s; nothing is random.
"""

from __future__ import annotations

import json

import pytest
from conftest import cluster_body
from kube_helpers import KUBECTL, Kube

PDBS = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"


def _pdb(name, **spec):
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name},
            "spec": dict(spec, selector={"matchLabels": {"app": name}})}


@pytest.fixture
def kube(sim, tmp_path):
    """A fresh 2-node cluster of the shared simulator, its API ready."""
    cluster = sim.create_cluster(cluster_body(node_count=2))
    client = Kube(sim, cluster["uuid"], tmp_path / "kube")
    client.wait_ready()
    client.cluster = cluster
    return client


def _create(kube, body, namespace="default"):
    return kube.request("POST", f"/apis/policy/v1/namespaces/{namespace}/poddisruptionbudgets",
                        data=json.dumps(body), headers={"Content-Type": "application/json"})


def test_discovery_serves_policy_v1(kube):
    groups = kube.get("/apis").json()["groups"]
    assert [g["name"] for g in groups] == ["policy"]
    resources = kube.get("/apis/policy/v1").json()["resources"]
    assert resources[0]["name"] == "poddisruptionbudgets" and resources[0]["namespaced"]


def test_create_list_get_delete_and_status(kube):
    answer = _create(kube, _pdb("db", maxUnavailable=0))
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"]["disruptionsAllowed"] == 0
    assert _create(kube, _pdb("web", minAvailable=1)).status_code == 201
    assert _create(kube, _pdb("half", maxUnavailable="50%")).status_code == 201
    assert _create(kube, _pdb("db", maxUnavailable=0)).status_code == 409
    assert _create(kube, _pdb("both", maxUnavailable=0, minAvailable=1)).status_code == 422
    assert _create(kube, _pdb("x", maxUnavailable=0), namespace="missing").status_code == 404
    listed = {p["metadata"]["name"]: p for p in kube.get(PDBS).json()["items"]}
    # 2 worker nodes, each taken to hold one healthy pod of every PDB
    assert {n: p["status"]["disruptionsAllowed"] for n, p in listed.items()} == {"db": 0, "web": 1, "half": 1}
    assert listed["web"]["status"]["currentHealthy"] == 2 and listed["web"]["status"]["desiredHealthy"] == 1
    everywhere = kube.get("/apis/policy/v1/poddisruptionbudgets").json()
    assert everywhere["kind"] == "PodDisruptionBudgetList" and len(everywhere["items"]) == 3
    one = kube.get(f"{PDBS}/db").json()
    assert one["metadata"]["namespace"] == "default" and one["spec"]["selector"] == {"matchLabels": {"app": "db"}}
    assert kube.request("DELETE", f"{PDBS}/db").status_code == 200
    assert kube.get(f"{PDBS}/db").status_code == 404
    assert kube.request("DELETE", f"{PDBS}/db").status_code == 404


@pytest.mark.skipif(not KUBECTL, reason="kubectl is not installed")
def test_kubectl_create_get_delete(kube, tmp_path):
    manifest = tmp_path / "pdb.json"
    manifest.write_text(json.dumps(_pdb("kdb", maxUnavailable=0)))
    created = kube.kubectl("create", "--validate=false", "-f", str(manifest))  # no /openapi served
    assert created.returncode == 0, created.stderr
    shown = kube.kubectl("get", "pdb", "-n", "default")
    assert shown.returncode == 0, shown.stderr
    assert "ALLOWED DISRUPTIONS" in shown.stdout and "kdb" in shown.stdout
    as_json = kube.kubectl("get", "pdb", "kdb", "-o", "json")
    assert json.loads(as_json.stdout)["status"]["disruptionsAllowed"] == 0
    deleted = kube.kubectl("delete", "pdb", "kdb")
    assert deleted.returncode == 0, deleted.stderr
    assert "kdb" not in kube.kubectl("get", "pdb", "-A").stdout


def test_python_client_lists_pdbs(kube):
    pytest.importorskip("kubernetes")
    from kubernetes import client

    assert _create(kube, _pdb("py", minAvailable="100%")).status_code == 201
    api = client.PolicyV1Api(kube.client())
    found = api.list_namespaced_pod_disruption_budget("default").items
    assert [(p.metadata.name, p.status.disruptions_allowed) for p in found] == [("py", 0)]


def test_blocking_pdb_fails_the_node_group_upgrade_then_retry(sim, kube):
    path = f"/v1/clusters/{kube.cluster['uuid']}"
    version = kube.cluster["labels"]["kube_tag"]
    major, minor, dummy = version.lstrip("v").split(".")
    offered = sorted(v for v, ok in sim.get("/v1/supports").json()["supported_k8s"].items()
                     if v.startswith("v%s.%d." % (major, int(minor) + 1)))
    target = offered[-1]
    assert _create(kube, _pdb("db", maxUnavailable=0)).status_code == 201
    assert sim.post(f"{path}/nodegroups/default-master/upgrade", {"version": target}).status_code == 202
    sim.wait_status(path, "UPDATE_COMPLETE", timeout=30)  # the control plane drains nothing
    assert sim.post(f"{path}/nodegroups/default-worker/upgrade", {"version": target}).status_code == 202
    worker = sim.wait_status(f"{path}/nodegroups/default-worker", "UPDATE_FAILED", timeout=30)
    assert worker["labels"]["kube_tag"] == version
    event = sim.get(f"{path}/events").json()["events"][-1]
    assert event["type"] == "NODEGROUP_UPGRADE" and event["state"] == "FAIL"
    assert "disruption budget" in event["contents"] and "default/db" in event["contents"]
    # the cause removed, NKS accepts a new upgrade of the UPDATE_FAILED node group
    assert kube.request("DELETE", f"{PDBS}/db").status_code == 200
    assert sim.post(f"{path}/nodegroups/default-worker/upgrade", {"version": target}).status_code == 202
    worker = sim.wait_status(f"{path}/nodegroups/default-worker", "UPDATE_COMPLETE", timeout=30)
    assert worker["labels"]["kube_tag"] == target
