"""List Clusters from prebuilt views (store/listing.py): read-only, detached, and never stale."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import ACL, GUIDE_NODEGROUP, Clock, cluster_body
from nks_simulator import views
from nks_simulator.config import SimConfig
from nks_simulator.state import Store, list_copy
from nks_simulator.store.listing import LIST_HIDDEN_FIELDS, LIST_NODEGROUP_FIELDS, thaw


@pytest.fixture(params=["memory", "state-file"])
def store(request, tmp_path):
    """A store in memory or with a state file (the two ways ``Store.save`` ends a change)."""
    clock = Clock()
    path = str(tmp_path / "state.db") if request.param == "state-file" else None
    made = Store(SimConfig(), path, clock=clock)
    made.test_clock = clock
    yield made
    made.close()


def token_of(store: Store) -> dict:
    return store.issue_token(*(getattr(store.config, k) for k in ("tenant_id", "username", "api_password")))


def fresh_views(store: Store) -> list:
    """What the list must show, built from the state itself (no cache)."""
    expected = []
    for cluster in copy.deepcopy(store.state["clusters"]).values():
        body = {k: v for k, v in cluster.items() if k not in LIST_HIDDEN_FIELDS}
        body["nodegroups"] = {uid: {k: ng[k] for k in LIST_NODEGROUP_FIELDS}
                              for uid, ng in cluster["nodegroups"].items()}
        expected.append(body)
    return expected


def test_list_follows_every_change(store):
    """After each kind of change, and after completions, the listed views equal views built afresh."""
    token, clock = token_of(store), store.test_clock
    project = token["tenant_id"]
    names = [f"list-{i}" for i in range(4)]
    steps = [lambda name=name: store.create_cluster(cluster_body(name), token) for name in names]
    steps += [
        lambda: clock.__setattr__("now", clock.now + 3600),  # every create completes
        lambda: store.set_acl(names[0], ACL, project),
        lambda: store.create_nodegroup(names[1], copy.deepcopy(GUIDE_NODEGROUP), project),
        lambda: store.resize(names[2], {"nodegroup": "default-worker", "node_count": 3}, project),
        lambda: store.renew_certificate(names[3], {"term_of_validity": 3}, project),
        lambda: clock.__setattr__("now", clock.now + 3600),
        lambda: store.set_autoscale(names[1], GUIDE_NODEGROUP["name"], {"ca_enable": True}, project),
        lambda: store.delete_cluster(names[2], project),
        lambda: clock.__setattr__("now", clock.now + 3600),
    ]
    seen = []
    for step in steps:
        step()
        listed = store.list_clusters(None)
        assert [thaw(view) for view in listed] == fresh_views(store)
        seen.append([(v["status"], v["labels"].get("term_of_validity")) for v in listed])
    assert len(store.list_clusters(project)) == 3  # the deleted cluster is gone from the list
    assert seen[4] == [("CREATE_COMPLETE", "5")] * 4 and seen[-1][2] == ("UPDATE_COMPLETE", "3")


def test_unchanged_clusters_are_not_copied_again(store):
    """A list reuses the view of a cluster no change reached; a change rebuilds only its own."""
    token = token_of(store)
    project = token["tenant_id"]
    for name in ("reuse-a", "reuse-b"):
        store.create_cluster(cluster_body(name), token)
    store.test_clock.now += 3600
    first = store.list_clusters(project)
    store.get_cluster("reuse-a", project)  # a read changes nothing
    store.set_acl("reuse-b", ACL, project)
    second = store.list_clusters(project)
    assert second[0] is first[0]
    assert second[1] is not first[1] and second[1]["acl"]["enable"] == "true"


def test_listed_views_are_read_only_and_detached(store):
    """Nothing a caller does to a listed cluster reaches the store or the next list."""
    token = token_of(store)
    store.create_cluster(cluster_body("frozen", labels__extra_volumes=[{"size": 10}]), token)
    view = store.list_clusters(None)[0]
    with pytest.raises(TypeError):
        view["status"] = "HACKED"
    with pytest.raises(TypeError):
        view["labels"]["kube_tag"] = "v0.0.0"
    with pytest.raises(TypeError):
        next(iter(view["nodegroups"].values()))["node_count"] = 99
    with pytest.raises((TypeError, AttributeError)):
        view["labels"]["extra_volumes"][0]["size"] = 1
    mutable = list_copy(store.state["clusters"][view["uuid"]])
    mutable["labels"]["kube_tag"] = "v0.0.0"
    copied = copy.deepcopy(view)
    copied["labels"]["extra_volumes"][0]["size"] = 1
    assert type(copied["labels"]) is dict and view["labels"]["extra_volumes"][0]["size"] == 10
    assert store.get_cluster("frozen")["labels"]["kube_tag"] != "v0.0.0"
    assert thaw(store.list_clusters(None)[0]) == fresh_views(store)[0]


def test_reset_forgets_the_views(store):
    store.create_cluster(cluster_body("gone"), token_of(store))
    assert len(store.list_clusters(None)) == 1
    store.reset()
    assert store.list_clusters(None) == [] and store._list_views == {}


def test_listed_views_serialise_as_the_list_answer(store):
    """The route JSON-encodes the summaries of listed views: nested labels come out as JSON objects and arrays."""
    store.create_cluster(cluster_body("json", labels__extra_volumes=[{"size": 10, "tags": ["a"]}]), token_of(store))
    listed = store.list_clusters(None)
    summary = views.cluster_summary(listed[0], "http://127.0.0.1:1", store.config.supported_versions)
    assert json.loads(json.dumps({"clusters": [summary]}))["clusters"][0]["labels"]["extra_volumes"] == [
        {"size": 10, "tags": ["a"]}]
    assert json.loads(json.dumps(listed)) == fresh_views(store)
