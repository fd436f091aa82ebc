"""Durability: --state-file survives kill -9; operations in progress carry on."""

from __future__ import annotations

import signal

from conftest import start_sim
from nks_simulator.persistence import load_state


def test_kill_9_and_restart(tmp_path):
    state = tmp_path / "state.json"
    # Both simulators hold operations in progress (hold_operations), so the resize is still running at the
    # kill and after the restart however slowly the machine starts them; released, it completes.
    held = tmp_path / "held.yaml"
    held.write_text("hold_operations: true\n")
    args = ("--state-file", str(state), "--duration", "CLUSTER_RESIZE=100")
    sim = start_sim(tmp_path / "a", *args)
    try:
        created = sim.create_cluster()
        other = sim.create_cluster()
        assert sim.admin("PATCH", "/config", {"hold_operations": True}).status_code == 200
        path = f"/v1/clusters/{created['uuid']}"
        sim.post(f"/v1/clusters/{created['uuid']}/api_ep_ipacl",
                 {"enable": "true", "action": "DENY", "ipacl_targets": [{"cidr_address": "10.0.0.0/8"}]})
        assert sim.post(f"{path}/actions/resize", {"nodegroup": "default-worker", "node_count": 3}).status_code == 202
        token = sim.token
        nodes = sim.nodes(created["uuid"], "default-worker")
        assert load_state(str(state))["clusters"][created["uuid"]]["status"] == "UPDATE_IN_PROGRESS"
    finally:
        sim.kill(signal.SIGKILL)
    again = start_sim(tmp_path / "b", *args, "--config", str(held))
    try:
        again.token = token  # tokens survive too
        assert again.get(path).json()["status"] == "UPDATE_IN_PROGRESS"
        assert again.get(f"/v1/clusters/{other['uuid']}").json()["status"] == "CREATE_COMPLETE"
        assert again.get(f"{path}/api_ep_ipacl").json()["action"] == "DENY"
        assert again.admin("PATCH", "/config", {"hold_operations": False}).status_code == 200
        # 100 s x 0.1 = 10 s from the resize's start
        done = again.wait_status(path, "UPDATE_COMPLETE", timeout=30)
        assert done["node_count"] == 3
        assert [n["uuid"] for n in again.nodes(created["uuid"], "default-worker")][:1] == [nodes[0]["uuid"]]
        events = again.get(f"{path}/events").json()["events"]
        assert [(e["type"], e["state"]) for e in events] == [("CLUSTER_CREATE", "SUCCESS"),
                                                             ("CLUSTER_RESIZE", "SUCCESS")]
    finally:
        again.kill(signal.SIGKILL)
