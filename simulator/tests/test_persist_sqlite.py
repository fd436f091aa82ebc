"""The SQLite ``--state-file``: restart keeps everything, a change writes a few rows, kill -9 loses nothing acked."""

from __future__ import annotations

import copy
import json
import signal

import pytest
from conftest import ACL, GUIDE_NODEGROUP, Clock, cluster_body, start_sim
from nks_simulator.config import SimConfig
from nks_simulator.errors import ApiError
from nks_simulator.persistence import TrackedMap, is_sqlite, load_state, write_state
from nks_simulator.state import Store, fresh_state


def plain(store: Store) -> dict:
    return json.loads(json.dumps(store.state))


def new_store(path, clock):
    return Store(SimConfig(), str(path), clock=clock)


def exercise(store: Store, clock: Clock) -> None:
    """Every kind of change, reaching clusters by name and by UUID, with completions in between."""
    token = store.issue_token(*(getattr(store.config, k) for k in ("tenant_id", "username", "api_password")))
    project = token["tenant_id"]
    names = [f"persist-{i}" for i in range(4)]
    uuids = [store.create_cluster(cluster_body(name), token)["uuid"] for name in names]
    clock.now += 3600  # every create completes (read-side advance)
    assert {c["status"] for c in store.list_clusters(project)} == {"CREATE_COMPLETE"}
    store.set_acl(names[0], ACL, project)
    store.create_nodegroup(names[1], copy.deepcopy(GUIDE_NODEGROUP), project)
    store.resize(uuids[2], {"nodegroup": "default-worker", "node_count": 2}, project)
    store.add_fail_rule({"operation": "CLUSTER_DELETE", "count": 1, "reason": "injected"})
    store.delete_cluster(names[3], project)
    clock.now += 3600
    store.get_cluster(names[0], project)  # advance: the node group, resize and failed delete finish
    store.set_autoscale(names[1], GUIDE_NODEGROUP["name"], {"ca_enable": True, "ca_max_node_count": 3}, project)
    store.delete_cluster(uuids[2], project)  # in progress at the restart
    store.expire_tokens()


def test_restart_keeps_everything(tmp_path):
    clock = Clock()
    store = new_store(tmp_path / "state.db", clock)
    exercise(store, clock)
    before = plain(store)
    assert before["operations"] and before["fail_next"] == [] and len(before["clusters"]) == 4
    store.close()  # frees the clusters' Kubernetes API ports, which the next store binds again
    again = new_store(tmp_path / "state.db", clock)
    assert plain(again) == before
    clock.now += 3600
    again.get_cluster(before["clusters"].popitem()[0])  # finishes the pending delete
    again.close()
    third = new_store(tmp_path / "state.db", clock)
    assert plain(third)["clusters"].keys() == plain(again)["clusters"].keys()
    third.close()


def test_a_change_writes_rows_of_its_own_cluster_only(tmp_path):
    clock = Clock()
    store = new_store(tmp_path / "state.db", clock)
    token = store.issue_token(store.config.tenant_id, store.config.username, store.config.api_password)
    for i in range(60):
        store.create_cluster(cluster_body(f"many-{i}"), token)
    clock.now += 3600
    store.list_clusters(None)  # all 60 creates complete: 60 cluster rows and 60 operation rows change
    for name in ("many-7", "many-59"):
        store.get_cluster(name)
        before = store.db.conn.total_changes
        store.set_acl(name, ACL, token["tenant_id"])
        assert store.db.conn.total_changes - before == 1  # one cluster row, whatever the fleet's size
    before = store.db.conn.total_changes
    store.resize("many-3", {"nodegroup": "default-worker", "node_count": 2}, token["tenant_id"])
    assert store.db.conn.total_changes - before == 3  # the cluster, its operation, the event counter


def test_reset_rewrites_the_file(tmp_path):
    clock = Clock()
    store = new_store(tmp_path / "state.db", clock)
    exercise(store, clock)
    store.reset()
    assert plain(new_store(tmp_path / "state.db", clock)) == plain(store) == json.loads(
        json.dumps(fresh_state(store.config)))


def test_old_json_state_file_is_migrated(tmp_path):
    clock = Clock()
    path = tmp_path / "state.json"
    store = new_store(tmp_path / "state.db", clock)
    exercise(store, clock)
    old = plain(store)
    store.close()  # frees the clusters' Kubernetes API ports for the next store
    path.write_text(json.dumps(old))  # the format of earlier versions: the whole state as JSON
    migrated = new_store(path, clock)
    assert plain(migrated) == old
    assert is_sqlite(str(path)) and json.loads((tmp_path / "state.json.json-backup").read_text()) == old
    assert load_state(str(path)) == old


def test_kill_9_right_after_acknowledged_writes(tmp_path):
    state = tmp_path / "state.db"
    sim = start_sim(tmp_path / "a", "--state-file", str(state))
    try:
        created = sim.create_cluster()
        name = created["name"]
        assert sim.post(f"/v1/clusters/{name}/api_ep_ipacl", ACL).status_code == 200
        answer = sim.post(f"/v1/clusters/{name}/nodegroups", GUIDE_NODEGROUP)
        assert answer.status_code == 202, answer.text
    finally:
        sim.kill(signal.SIGKILL)  # at once: no shutdown, no checkpoint
    again = start_sim(tmp_path / "b", "--state-file", str(state))
    try:
        assert again.get(f"/v1/clusters/{name}/api_ep_ipacl").json()["ipacl_targets"] == ACL["ipacl_targets"]
        path = f"/v1/clusters/{created['uuid']}/nodegroups/{GUIDE_NODEGROUP['name']}"
        assert again.wait_status(path, "CREATE_COMPLETE")["node_count"] == GUIDE_NODEGROUP["node_count"]
    finally:
        again.kill(signal.SIGKILL)


def test_write_state_replaces_the_content(tmp_path):
    clock = Clock()
    store = new_store(tmp_path / "state.db", clock)
    exercise(store, clock)
    store.close()  # frees the clusters' Kubernetes API ports for the next store
    edited = load_state(str(tmp_path / "state.db"))
    edited["clusters"].popitem()
    edited["counters"]["event_id"] += 100
    write_state(str(tmp_path / "state.db"), edited)
    assert plain(new_store(tmp_path / "state.db", clock)) == edited


def test_tracked_map_marks_and_names():
    clusters = TrackedMap({"u1": {"name": "a"}, "u2": {"name": "b"}})
    clusters["u3"] = {"name": "a"}
    assert [c for c in clusters.named("a")] == [{"name": "a"}, {"name": "a"}] and clusters.named("z") == []
    del clusters["u1"]
    assert clusters.pop("u2") == {"name": "b"} and clusters.named("b") == []
    assert clusters.take_dirty() == {"u1", "u2", "u3"} and clusters.take_dirty() == set()
    list(clusters.values())  # a scan marks nothing in the clusters map
    assert clusters.take_dirty() == set()
    clusters.setdefault("u4", {"name": "c"})
    clusters.clear()
    assert clusters.named("a") == [] and clusters.take_dirty() == {"u3", "u4"}
    tokens = TrackedMap({"t": {}}, iterate_marks=True)
    list(tokens.items())
    assert tokens.take_dirty() == {"t"}


def test_duplicate_names_are_found_after_a_restart(tmp_path):
    clock = Clock()
    store = new_store(tmp_path / "state.db", clock)
    token = store.issue_token(store.config.tenant_id, store.config.username, store.config.api_password)
    store.create_cluster(cluster_body("twice"), token)
    again = new_store(tmp_path / "state.db", clock)
    with pytest.raises(ApiError) as caught:
        again.create_cluster(cluster_body("twice"), token)
    assert caught.value.status == 409
    assert again.get_cluster("twice")["name"] == "twice"
