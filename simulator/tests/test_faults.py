"""/_sim/ observability and fault knobs (private simulators: they change global state)."""

from __future__ import annotations

import time

import pytest
import requests

from conftest import cluster_body, start_sim


@pytest.fixture(scope="module")
def _fault_sim(tmp_path_factory):
    instance = start_sim(tmp_path_factory.mktemp("faults"), "--seed", "7")
    yield instance
    instance.kill()


@pytest.fixture
def fsim(_fault_sim):
    """A private simulator, reset to a fresh start (state, log, config) before each test."""
    assert _fault_sim.admin("POST", "/reset").status_code == 200
    _fault_sim.token = None
    return _fault_sim


def test_health_and_config(fsim):
    assert fsim.admin("GET", "/health").json() == {"status": "ok"}
    config = fsim.admin("GET", "/config").json()
    for key in ("latency_ms", "error_rate", "error_codes", "drop_rate", "profile", "time_scale", "durations",
                "token_ttl", "max_nodes_per_nodegroup", "seed"):
        assert key in config
    assert fsim.admin("PATCH", "/config", {"error_rate": 2}).status_code == 400


def test_latency_is_measurable(fsim):
    fsim.get("/v1/supports")
    fsim.admin("PATCH", "/config", {"latency_ms": 300})
    start = time.monotonic()
    assert fsim.get("/v1/supports").status_code == 200
    assert time.monotonic() - start >= 0.3
    assert fsim.admin("GET", "/requests").json()["requests"][-1]["fault"] == "latency"
    start = time.monotonic()
    fsim.admin("GET", "/health")  # /_sim is never delayed
    assert time.monotonic() - start < 0.25


def test_error_rate_one_gives_errors_before_processing(fsim):
    fsim.headers()
    fsim.admin("PATCH", "/config", {"error_rate": 1, "error_codes": [429, 503]})
    seen = set()
    for _ in range(12):
        response = fsim.post("/v1/clusters", cluster_body())
        assert response.status_code in (429, 503)
        assert response.json()["errors"][0]["status"] == response.status_code
        if response.status_code == 429:
            assert response.headers["Retry-After"] == "1"
        seen.add(response.status_code)
    assert seen == {429, 503}
    assert fsim.login().status_code in (429, 503)
    fsim.admin("PATCH", "/config", {"error_rate": 0})
    assert fsim.get("/v1/clusters").json()["clusters"] == []  # nothing was processed
    log = fsim.admin("GET", "/requests").json()["requests"]
    assert {e["fault"] for e in log if e["kind"] == "mutate"} == {"error"}


def test_drop_rate_one_processes_then_cuts_the_answer(fsim):
    fsim.headers()
    fsim.admin("PATCH", "/config", {"drop_rate": 1})
    body = cluster_body()
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.post(f"{fsim.base}/v1/clusters", json=body, headers=fsim.headers(), timeout=5)
    fsim.admin("PATCH", "/config", {"drop_rate": 0})
    names = [c["name"] for c in fsim.get("/v1/clusters").json()["clusters"]]
    assert names == [body["name"]]  # the resource WAS created
    entry = [e for e in fsim.admin("GET", "/requests").json()["requests"] if e["kind"] == "mutate"][-1]
    assert (entry["status"], entry["fault"]) == (202, "drop")


def test_request_log_stats_and_clear(fsim):
    fsim.headers()
    created = fsim.create_cluster()
    fsim.get(f"/v1/clusters/{created['uuid']}")
    fsim.get("/v1/clusters/nope")
    log = fsim.admin("GET", "/requests").json()["requests"]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert log[0]["kind"] == "identity" and log[0]["route"] == "/v2.0/tokens"
    assert log[1]["method"] == "POST" and log[1]["kind"] == "mutate" and log[1]["status"] == 202
    missing = log[-1]
    assert missing["path"] == "/v1/clusters/nope" and missing["route"] == "/v1/clusters/{cluster_id}"
    assert missing["status"] == 404 and missing["kind"] == "read" and missing["fault"] is None
    assert isinstance(missing["time"], float)
    assert all(not e["path"].startswith("/_sim") for e in log)
    assert fsim.admin("GET", f"/requests?since={log[-2]['seq']}").json()["requests"] == [missing]
    stats = fsim.admin("GET", "/stats").json()
    assert stats["totals"]["identity"] == 1 and stats["totals"]["mutate"] == 1
    assert stats["totals"]["read"] == len(log) - 2
    # Every logged request is counted once: the counters' sum is the last sequence number
    # (tests/integration/targets/setup_nks/tasks/mark.yml reads it so, not the whole log).
    assert sum(stats["totals"].values()) == log[-1]["seq"]
    assert {"method": "GET", "route": "/v1/clusters/{cluster_id}", "status": 404, "count": 1} in stats["by_route"]
    assert fsim.admin("DELETE", "/requests").status_code == 200
    assert fsim.admin("GET", "/requests").json()["requests"] == []
    assert fsim.admin("GET", "/stats").json()["totals"] == {"identity": 0, "read": 0, "mutate": 0}


def test_reset(fsim):
    fsim.create_cluster()
    fsim.admin("PATCH", "/config", {"latency_ms": 5})
    fsim.admin("POST", "/faults/fail-next", {"operation": "CLUSTER_CREATE"})
    assert fsim.admin("POST", "/reset").status_code == 200
    assert fsim.get("/v1/clusters").status_code == 401  # tokens are gone too
    fsim.token = None
    assert fsim.get("/v1/clusters").json()["clusters"] == []
    assert fsim.admin("GET", "/config").json()["latency_ms"] == 0
    assert fsim.admin("GET", "/faults/fail-next").json()["fail_next"] == []


def test_version_header(fsim):
    ok = fsim.get("/v1/supports")
    assert ok.headers["OpenStack-API-Version"] == "container-infra 1.10"
    assert ok.headers["X-OpenStack-Request-Id"].startswith("req-")
    pinned = fsim.get("/v1/supports", headers={"OpenStack-API-Version": "container-infra 1.3"})
    assert pinned.headers["OpenStack-API-Version"] == "container-infra 1.3"
    missing = requests.get(f"{fsim.base}/v1/supports", headers={"X-Auth-Token": fsim.token}, timeout=5)
    assert missing.status_code == 200 and missing.headers["OpenStack-API-Version"].startswith("container-infra 1.")
    for bad in ("junk", "container-infra 2.0", "compute 1.1"):
        response = fsim.get("/v1/supports", headers={"OpenStack-API-Version": bad})
        assert response.status_code == 406 and response.json()["errors"][0]["status"] == 406


def test_fault_flags_on_the_command_line(own_sim):
    sim = own_sim("--latency-ms", "1", "--error-rate", "0.5", "--error-codes", "500", "--drop-rate", "0.25",
                  "--seed", "3")
    config = sim.admin("GET", "/config").json()
    assert (config["latency_ms"], config["error_rate"], config["error_codes"], config["drop_rate"],
            config["seed"]) == (1, 0.5, [500], 0.25, 3)
