"""The health and time knobs of the simulator (docs/simulator.md "Health and time"): a cluster's
Kubernetes API stops answering (503 or refused connections) and recovers, its worker nodes go
NotReady and recover (kube Node conditions and ``health_status_reason``), and time passes
(``certificate_expiry``, task history and pending operations move into the past).

Shared simulator at --time-scale 0.05 as test_kube_api.py; nothing is random.
"""

from __future__ import annotations

import datetime

import pytest
import requests
from conftest import cluster_body
from kube_helpers import Kube


@pytest.fixture
def kube(sim, tmp_path):
    """A fresh 2-node cluster of the shared simulator, its API ready."""
    cluster = sim.create_cluster(cluster_body(node_count=2))
    client = Kube(sim, cluster["uuid"], tmp_path / "kube")
    client.wait_ready()
    client.cluster = cluster
    return client


def _reason(sim, uuid: str, listed: bool = False) -> dict:
    if listed:
        items = [c for c in sim.get("/v1/clusters").json()["clusters"] if c["uuid"] == uuid]
        return items[0]["health_status_reason"]
    return sim.get(f"/v1/clusters/{uuid}").json()["health_status_reason"]


def _ready(kube) -> list:
    return [[c["status"] for c in n["status"]["conditions"] if c["type"] == "Ready"][0]
            for n in kube.get("/api/v1/nodes").json()["items"]]


def test_kube_api_503_and_recovery(sim, kube):
    uuid = kube.cluster["uuid"]
    answer = sim.admin("POST", f"/clusters/{uuid}/health", {"kube_api": "503"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"uuid": uuid, "kube_api": "503", "nodes_ready": True}
    for listed in (False, True):
        reason = _reason(sim, uuid, listed)
        assert reason["cluster"]["api_status"] == "K8S_API_NOT_WORKING" and reason["api"] == "NOT_OK"
    assert kube.get("/api/v1/nodes").status_code == 503
    assert kube.get("/readyz").status_code == 503
    assert sim.admin("GET", f"/clusters/{uuid}/health").json()["kube_api"] == "503"

    sim.admin("POST", f"/clusters/{uuid}/health", {"kube_api": "working"})
    for listed in (False, True):
        reason = _reason(sim, uuid, listed)
        assert reason["cluster"]["api_status"] == "NORMAL" and reason["api"] == "OK"
    assert kube.get("/api/v1/nodes").status_code == 200


def test_kube_api_refuses_connections(sim, kube):
    uuid = kube.cluster["uuid"]
    sim.admin("POST", f"/clusters/{uuid}/health", {"kube_api": "refuse"})
    with pytest.raises(requests.ConnectionError):
        kube.get("/readyz")
    assert _reason(sim, uuid)["cluster"]["api_status"] == "K8S_API_NOT_WORKING"
    sim.admin("POST", f"/clusters/{uuid}/health", {"kube_api": "working"})
    assert kube.get("/readyz").text == "ok"


def test_nodes_not_ready_and_recovery(sim, kube):
    uuid = kube.cluster["uuid"]
    assert _ready(kube) == ["True", "True"]
    sim.admin("POST", f"/clusters/{uuid}/health", {"nodes_ready": False})
    assert _ready(kube) == ["Unknown", "Unknown"]
    for listed in (False, True):
        reason = _reason(sim, uuid, listed)
        assert reason["cluster"]["node_status"] == "ALL_NODES_NOT_READY"
        assert reason["nodegroup"]["node_status"]["default-worker"] == "ALL_NODES_NOT_READY"
        assert reason["nodegroup-stats"]["default-worker"] == "0:2"
    sim.admin("POST", f"/clusters/{uuid}/health", {"nodes_ready": True})
    assert _ready(kube) == ["True", "True"]
    assert _reason(sim, uuid)["cluster"]["node_status"] == "NORMAL"


def test_bad_knob_values(sim, kube):
    assert sim.admin("POST", f"/clusters/{kube.cluster['uuid']}/health", {"kube_api": "down"}).status_code == 400
    assert sim.admin("POST", "/clusters/no-such-cluster/health", {"nodes_ready": False}).status_code == 404
    assert sim.admin("POST", "/time/advance", {"days": -1}).status_code in (400, 422)


def test_time_passes(sim, kube):
    uuid = kube.cluster["uuid"]
    before = sim.get(f"/v1/clusters/{uuid}").json()
    events = sim.get(f"/v1/clusters/{uuid}/events").json()["events"]
    answer = sim.admin("POST", "/time/advance", {"days": 10, "seconds": 60})
    assert answer.status_code == 200, answer.text
    assert answer.json()["advanced_seconds"] == 10 * 86400 + 60
    after = sim.get(f"/v1/clusters/{uuid}").json()
    expiry = datetime.datetime.fromisoformat
    moved = expiry(before["labels"]["certificate_expiry"]) - expiry(after["labels"]["certificate_expiry"])
    assert moved == datetime.timedelta(days=10, seconds=60)
    assert expiry(before["created_at"]) - expiry(after["created_at"]) == datetime.timedelta(days=10, seconds=60)
    moved_events = sim.get(f"/v1/clusters/{uuid}/events").json()["events"]
    assert [e["uuid"] for e in moved_events] == [e["uuid"] for e in events]
    assert expiry(events[0]["created_at"]) - expiry(moved_events[0]["created_at"]) == datetime.timedelta(days=10,
                                                                                                       seconds=60)
    assert kube.get("/readyz").text == "ok"  # the API certificates are not re-dated


def test_time_completes_a_pending_operation(sim, kube):
    uuid = kube.cluster["uuid"]
    assert sim.admin("PATCH", "/config", {"durations": {"CLUSTER_RESIZE": 100000}}).status_code == 200
    try:
        answer = sim.post(f"/v1/clusters/{uuid}/actions/resize",
                          json={"nodegroup": "default-worker", "node_count": 3})
        assert answer.status_code == 202, answer.text
        assert sim.get(f"/v1/clusters/{uuid}").json()["status"] == "UPDATE_IN_PROGRESS"
        sim.admin("POST", "/time/advance", {"days": 1})  # 100000 s x time scale 0.05 = 5000 s
        assert sim.get(f"/v1/clusters/{uuid}").json()["status"] == "UPDATE_COMPLETE"
    finally:
        sim.admin("PATCH", "/config", {"durations": {"CLUSTER_RESIZE": 2}})
