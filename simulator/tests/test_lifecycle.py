"""Asynchronous lifecycle: *_IN_PROGRESS -> *_COMPLETE / *_FAILED, events, fail-next."""

from __future__ import annotations

from conftest import GUIDE_NODEGROUP, cluster_body


def test_cluster_lifecycle_and_events(sim):
    with sim.hold():
        created = sim.create_cluster(wait=False)
        path = f"/v1/clusters/{created['uuid']}"
        first = sim.get(path).json()
        assert first["status"] == "CREATE_IN_PROGRESS"
        assert sim.get(f"{path}/events").json()["events"][0]["state"] == "IN_PROGRESS"
    done = sim.wait_status(path, "CREATE_COMPLETE")
    # 2026-03 guide: FRESH with the structured reason (2025-02: HEALTHY, test_guides.py)
    assert done["health_status"] == "FRESH"
    assert done["health_status_reason"]["cluster"] == {"api_status": "NORMAL", "node_status": "NORMAL"}
    event = sim.get(f"{path}/events").json()["events"][0]
    assert (event["type"], event["state"], event["contents"]) == ("CLUSTER_CREATE", "SUCCESS", None)
    assert sim.delete(path).status_code == 204
    sim.wait_gone(path)
    assert sim.get(f"{path}/events").status_code == 404


def test_cluster_create_failure_via_fail_next(sim):
    rule = {"operation": "CLUSTER_CREATE", "reason": "quota exhausted (simulated)", "count": 1}
    assert sim.admin("POST", "/faults/fail-next", rule).status_code == 200
    created = sim.create_cluster(wait=False)
    path = f"/v1/clusters/{created['uuid']}"
    failed = sim.wait_status(path, "CREATE_FAILED")
    assert failed["status_reason"] == "quota exhausted (simulated)"
    event = sim.get(f"{path}/events").json()["events"][0]
    assert event["state"] == "FAIL" and event["contents"] == "quota exhausted (simulated)"
    assert sim.admin("GET", "/faults/fail-next").json()["fail_next"] == []
    # the next create succeeds; the failed cluster can be deleted
    sim.create_cluster()
    assert sim.delete(path).status_code == 204
    sim.wait_gone(path)


def test_nodegroup_lifecycle_with_failure(sim, cluster):
    path = f"/v1/clusters/{cluster['uuid']}"
    with sim.hold():
        assert sim.post(f"{path}/nodegroups", {**GUIDE_NODEGROUP, "name": "pool-a"}).status_code == 202
        assert sim.get(f"{path}/nodegroups/pool-a").json()["status"] == "CREATE_IN_PROGRESS"
        assert sim.get(path).json()["status"] == "UPDATE_IN_PROGRESS"
    sim.wait_status(f"{path}/nodegroups/pool-a", "CREATE_COMPLETE")
    sim.wait_status(path, "UPDATE_COMPLETE")
    sim.admin("POST", "/faults/fail-next", {"operation": "CLUSTER_RESIZE", "reason": "no capacity"})
    assert sim.post(f"{path}/actions/resize", {"nodegroup": "pool-a", "node_count": 4}).status_code == 202
    ng = sim.wait_status(f"{path}/nodegroups/pool-a", "UPDATE_FAILED")
    assert ng["status_reason"] == "no capacity" and ng["node_count"] == 1
    assert sim.get(path).json()["status"] == "UPDATE_FAILED"
    events = sim.get(f"{path}/events").json()["events"]
    assert [(e["type"], e["state"], e["resource_type"]) for e in events[-2:]] == [
        ("NODEGROUP_CREATE", "SUCCESS", "nodegroup"), ("CLUSTER_RESIZE", "FAIL", "nodegroup")]
    # a FAILED resource accepts only delete (see test_fidelity.py); deleting it heals the cluster
    refused = sim.post(f"{path}/actions/resize", {"nodegroup": "pool-a", "node_count": 2})
    assert refused.status_code == 400 and "only delete" in refused.json()["errors"][0]["detail"]
    assert sim.delete(f"{path}/nodegroups/pool-a").status_code == 204
    sim.wait_gone(f"{path}/nodegroups/pool-a")
    assert sim.wait_status(path, "UPDATE_COMPLETE")["node_count"] == 1


def test_fail_next_unknown_operation_is_400(sim):
    assert sim.admin("POST", "/faults/fail-next", {"operation": "NOPE"}).status_code in (400, 422)


def test_fail_next_from_config_file(own_sim, tmp_path):
    config = tmp_path / "sim.yaml"
    config.write_text("fail_next:\n  - operation: CLUSTER_DELETE\n    reason: stuck volume\n")
    sim = own_sim("--config", str(config))
    created = sim.create_cluster()
    path = f"/v1/clusters/{created['uuid']}"
    assert sim.delete(path).status_code == 204
    assert sim.wait_status(path, "DELETE_FAILED")["status_reason"] == "stuck volume"


def test_realistic_profile_and_time_scale(own_sim):
    sim = own_sim("--profile", "realistic", time_scale="0.0002")  # create 1800 s (30 min) -> 0.36 s
    config = sim.admin("GET", "/config").json()
    assert config["profile"] == "realistic"
    assert abs(config["durations_effective"]["CLUSTER_CREATE"] - 0.36) < 1e-9
    with sim.hold():
        created = sim.create_cluster(cluster_body(), wait=False)
        assert sim.get(f"/v1/clusters/{created['uuid']}").json()["status"] == "CREATE_IN_PROGRESS"
    sim.wait_status(f"/v1/clusters/{created['uuid']}", "CREATE_COMPLETE")
    patched = sim.admin("PATCH", "/config", {"durations": {"CLUSTER_DELETE": 1000}}).json()
    assert abs(patched["durations_effective"]["CLUSTER_DELETE"] - 0.2) < 1e-9
