"""Conformance with the guides' own examples (docs/simulator.md, "Conformance with the guides' examples").

``guide_examples/<guide>-<lang>.json`` hold every JSON request and response example of the NKS API
guides (2026-03 and 2025-02, English and Korean), written by ``scripts/extract-guide-examples.py``.
For each guide, a simulator serving it (``api_guide``) must

* accept every request example (202/200/204), with the IDs of a simulated cluster, node group, node
  and subnet put in place of the guide's (and a unique name where the guide's would clash);
* answer every response example's operation with the example's keys and JSON types: a missing key or
  another type fails; keys the simulator adds are printed (``-s`` shows them), they do not fail.

Inside objects whose keys are data, not fields (:data:`DATA_KEYED`: versions, node names, add-on
options...), only the object's type is compared.  Add-on operations (paths with ``/addon``) are
served by the add-on part of the simulator like every other operation. The examples that are not JSON
(:data:`NOT_JSON`) have no shape to check: a test pins their list, so a new revision of a guide that breaks
an example fails until it is looked at.
"""

from __future__ import annotations

import copy
import json
import re
import time
import uuid
from pathlib import Path

import pytest

from asgi_client import request
from conftest import cluster_body
from nks_simulator.app import create_app
from nks_simulator.config import DEFAULT_SUPPORTED_VERSIONS, SimConfig

FIXTURES = sorted(Path(__file__).with_name("guide_examples").glob("*.json"))
#: Keys whose value is an object keyed by data (versions, node or node group names, label keys, ...).
DATA_KEYED = {"health_status_reason", "supported_k8s", "k8s_node_labels", "options", "option_schemas",
              "nodegroup-stats", "node_status"}
#: Every version the examples use, supported (an example's upgrade and create must be accepted).
VERSIONS = {**{v: True for v in DEFAULT_SUPPORTED_VERSIONS},
            **{v: True for v in ("v1.30.3", "v1.31.4", "v1.32.3")}}
ADDON = re.compile(r"/addon")
#: The Kubernetes version of a create example that names add-ons (see fill_body).
ADDON_KUBE_TAG = "v1.28.3"
#: An add-on that is not of a mandatory type, installed before the Remove example runs.
REMOVABLE = {"name": "metrics_server", "version": "v0.4.4-nks2", "resolve_conflicts": "none"}


def load(path: Path) -> list:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(data["guide"], data["lang"], example) for example in data["examples"]]


ALL_EXAMPLES = [item for path in FIXTURES for item in load(path)]
EXAMPLES = [item for item in ALL_EXAMPLES if "error" not in item[2]]
"""The examples checked against the simulator: every one that is JSON."""

NOT_JSON = {
    # The English 2026-03 guide's response example of "Store Logs of Kubernetes Control Plane Components" is a
    # stray sentence ("See the Supported Kubernetes Versions"), not JSON; the Korean one is JSON and is checked.
    "2026-03-en:PATCH /v1/clusters/{CLUSTER_ID_OR_NAME}:response",
}
"""The examples that are not JSON in the guides (no shape to check), by guide, operation and kind."""


def example_id(item) -> str:
    guide, lang, ex = item
    return f"{guide}-{lang}:{ex['method']} {ex['path']}:{ex['kind']}{ex['index']}@{ex['line']}"


# ---------------------------------------------------------------- simulators and their resources
@pytest.fixture(scope="module")
def apps():
    """One in-process simulator per guide (fast profile, time scale 0.001) and a client's headers."""
    made = {}
    for guide in ("2025-02", "2026-03"):
        config = SimConfig(profile="fast", time_scale=0.001, api_guide=guide, supported_versions=dict(VERSIONS))
        app = create_app(config)
        status, _, body = call(app, {}, "POST", "/v2.0/tokens", {"auth": {
            "tenantId": config.tenant_id,
            "passwordCredentials": {"username": config.username, "password": config.api_password}}})
        assert status == 200, body
        made[guide] = (app, {"x-auth-token": body["access"]["token"]["id"],
                             "openstack-api-version": "container-infra latest"})
    yield made
    for app, _ in made.values():
        app.state.runtime.store.close()  # the clusters' Kubernetes API servers and their threads


def call(app, headers: dict, method: str, path: str, body=None):
    """``(status, headers, JSON body or None)`` of one request to ``app``."""
    status, answer_headers, raw = request(app, method, path, body, headers)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw
    return status, answer_headers, parsed


def settle(app, headers: dict, cluster_uuid: str) -> dict:
    """Wait (at most 10 s; operations take milliseconds here) until the cluster has no operation running."""
    deadline = time.monotonic() + 10
    while True:
        status, _, body = call(app, headers, "GET", f"/v1/clusters/{cluster_uuid}")
        assert status == 200, body
        if not body["status"].endswith("IN_PROGRESS"):
            return body
        assert time.monotonic() < deadline, f"cluster {cluster_uuid} stays {body['status']}"
        time.sleep(0.005)


def new_cluster(app, headers: dict, kube_tag: str = "v1.28.3", legacy: bool = False) -> dict:
    """A created cluster (3 default-worker nodes, service gateways set) and its IDs:
    ``{uuid, subnet, worker, nodes, event}``."""
    body = cluster_body(node_count=3, labels__kube_tag=kube_tag, labels__ncr_sgw=str(uuid.uuid4()),
                        labels__obs_sgw=str(uuid.uuid4()))
    if legacy:
        status, _, answer = call(app, headers, "POST", "/_sim/clusters/legacy", {"cluster": body})
    else:
        status, _, answer = call(app, headers, "POST", "/v1/clusters", body)
    assert status in (200, 202), answer
    uid = answer["uuid"]
    settle(app, headers, uid)
    _, _, ngs = call(app, headers, "GET", f"/v1/clusters/{uid}/nodegroups")
    worker = next(ng["uuid"] for ng in ngs["nodegroups"] if ng["name"] == "default-worker")
    store = app.state.runtime.store
    cluster = store.get_cluster(uid)
    nodes = [n["uuid"] for n in cluster["nodegroups"][worker]["nodes"]]
    _, _, events = call(app, headers, "GET", f"/v1/clusters/{uid}/events")
    return {"uuid": uid, "subnet": cluster["fixed_subnet"], "worker": worker, "nodes": nodes,
            "event": events["events"][0]["uuid"] if events["events"] else str(uuid.uuid4())}


def previous_version(target: str) -> str:
    """The newest supported version one minor below ``target`` (an upgrade example's starting point)."""
    major, minor = (int(x) for x in target.lstrip("v").split(".")[:2])
    return max((v for v in VERSIONS if v.startswith(f"v{major}.{minor - 1}.")),
               key=lambda v: int(v.split(".")[2]))


def fill_path(path: str, ids: dict, body) -> str:
    """The example's path with the simulated IDs in place of its ``{PLACEHOLDERS}``."""
    path = path.replace("${", "{")
    upgrade = path.endswith("/upgrade")
    for name, value in (("CLUSTER_ID_OR_NAME", ids["uuid"]), ("CLUSTER_UUID", ids["uuid"]),
                        ("NODEGROUP_ID_OR_NAME", "default-master" if upgrade else ids["worker"]),
                        ("EVENT_UUID", ids["event"])):
        path = path.replace("{" + name + "}", value)
    for name, value in ids.get("addon", {}).items():
        path = path.replace("{" + name + "}", value)
    return path


def fill_body(ex: dict, ids: dict):
    """The example's request body with the simulated node and subnet IDs and a unique name."""
    body = copy.deepcopy(ex["body"])
    if not isinstance(body, dict):
        return body
    if ex["method"] == "POST" and ex["path"] in ("/v1/clusters", "/v1/clusters/{CLUSTER_ID_OR_NAME}/nodegroups"):
        body["name"] = f"{body.get('name', 'x')[:12]}-{uuid.uuid4().hex[:8]}"
    if ex["path"] == "/v1/clusters" and body.get("addons") and isinstance(body.get("labels"), dict):
        # the 2026 example installs calico v3.28.2-nks1 (Kubernetes >= v1.26) on a v1.23.3 cluster: the
        # guide contradicts itself; the cluster gets a version its add-ons accept
        body["labels"]["kube_tag"] = ADDON_KUBE_TAG
    if "nodes_to_remove" in body:
        body["nodes_to_remove"] = ids["nodes"][:len(body["nodes_to_remove"])]
    if "node_list" in body:
        body["node_list"] = ":".join(ids["nodes"][:len(str(body["node_list"]).split(":"))])
    info = body.get("fip_auto_bind_update_info")
    if isinstance(info, dict) and info.get("fip_bind_subnet"):
        info["fip_bind_subnet"] = ids["subnet"]
    return body


def setup_for(app, headers: dict, ex: dict) -> dict:
    """A fresh cluster fit for the example: a Flannel (legacy) one for Change Cluster CNI, one a minor
    version below the target for Upgrade a Cluster; add-on IDs from the add-on lists when served."""
    path = ex["path"]
    if path.endswith("/actions/cni_update"):
        return new_cluster(app, headers, legacy=True)
    body = ex.get("body") if ex["kind"] == "request" else None
    if path.endswith("/upgrade") and isinstance(body, dict) and body.get("version"):
        return new_cluster(app, headers, kube_tag=previous_version(body["version"]))
    ids = new_cluster(app, headers)
    if ADDON.search(path) and path.startswith("/v1/clusters/"):
        if ex["method"] == "POST":  # install: a cluster whose add-ons are not under management yet
            status, _, answer = call(app, {}, "PATCH", f"/_sim/clusters/{ids['uuid']}/addon_settings",
                                     {"clear_addons": True})
            assert status == 200, answer
        if ex["method"] == "DELETE":  # remove: an add-on of a type that is not mandatory
            status, _, answer = call(app, headers, "POST", f"/v1/clusters/{ids['uuid']}/addons", REMOVABLE)
            assert 200 <= status < 300, answer
            settle(app, headers, ids["uuid"])
    if ADDON.search(path):
        ids["addon"] = addon_ids(app, headers, ids)
        if ex["method"] == "DELETE":
            ids["addon"]["ADDON_UUID_OR_NAME"] = REMOVABLE["name"]
    return ids


def addon_ids(app, headers: dict, ids: dict) -> dict:
    """IDs for the add-on placeholders: the first add-on type, offered add-on and installed add-on."""
    found = {}
    status, _, types = call(app, headers, "GET", "/v1/addon_types")
    if status == 200:
        first = (types.get("addon_types") or [{}])[0] if isinstance(types, dict) else {}
        found["ADDON_TYPE_UUID_OR_NAME"] = str(first.get("uuid") or first.get("name") or "cni")
    status, _, offered = call(app, headers, "GET", "/v1/addons")
    if status == 200:
        first = (offered.get("addons") or [{}])[0] if isinstance(offered, dict) else {}
        found["ADDON_UUID"] = str(first.get("uuid") or "")
    status, _, installed = call(app, headers, "GET", f"/v1/clusters/{ids['uuid']}/addons")
    if status == 200:
        items = installed.get("addons") or [] if isinstance(installed, dict) else []
        coredns = [a for a in items if a.get("name") == "coredns"] or items or [{}]
        found["ADDON_UUID_OR_NAME"] = str(coredns[0].get("name") or "coredns")
    return found


# ---------------------------------------------------------------- shape comparison
def json_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}[type(value)]


def compare(want, got, where: str, missing: list, mismatched: list, extra: list) -> None:
    """Walk the example ``want`` beside the answer ``got``: keys of ``want`` missing from ``got`` go to
    ``missing``, different JSON types (``null`` matches anything) to ``mismatched``, keys only in
    ``got`` to ``extra``. A list example's items, merged, are compared with every answered item (a key
    that only some of the example's items have is optional)."""
    kind_want, kind_got = json_type(want), json_type(got)
    if "null" in (kind_want, kind_got):
        return
    if kind_want != kind_got:
        mismatched.append(f"{where or '.'}: {kind_want} in the guide, {kind_got} answered")
        return
    if kind_want == "object":
        if where.rsplit(".", 1)[-1] in DATA_KEYED:
            return
        for key, value in want.items():
            if key not in got:
                missing.append(f"{where}.{key}".lstrip("."))
            else:
                compare(value, got[key], f"{where}.{key}", missing, mismatched, extra)
        extra.extend(f"{where}.{key}".lstrip(".") for key in got if key not in want)
    elif kind_want == "array" and want:
        model, optional = want[0], set()
        if all(isinstance(item, dict) for item in want):  # a key only some items have is optional
            model = {key: value for item in reversed(want) for key, value in item.items()}
            optional = set(model) - set.intersection(*(set(item) for item in want))
        for i, item in enumerate(got):
            found = []
            compare(model, item, f"{where}[{i}]", found, mismatched, extra)
            prefix = f"{where}[{i}].".lstrip(".")
            missing.extend(m for m in found if m[len(prefix):] not in optional)


def check_shape(want, got, label: str) -> None:
    missing, mismatched, extra = [], [], []
    compare(want, got, "", missing, mismatched, extra)
    if extra:
        print(f"\n{label}: keys the simulator adds: {', '.join(sorted(set(extra)))}")
    assert not missing and not mismatched, (
        f"{label}: missing keys {missing}; other types {mismatched}\nanswer: {json.dumps(got)[:2000]}")


# ---------------------------------------------------------------- the test
def preceding_request(guide: str, lang: str, ex: dict):
    """The request example of the same operation just before response example ``ex`` (the one it answers)."""
    before = [e for g, la, e in EXAMPLES if (g, la) == (guide, lang) and e["kind"] == "request"
              and (e["method"], e["path"]) == (ex["method"], ex["path"]) and e["line"] < ex["line"]
              and "body" in e]
    return before[-1] if before else None


@pytest.mark.parametrize("item", EXAMPLES, ids=[example_id(item) for item in EXAMPLES])
def test_guide_example(apps, item):
    guide, lang, ex = item
    label = example_id(item)
    app, headers = apps[guide]
    sent = ex if ex["kind"] == "request" else preceding_request(guide, lang, ex)
    ids = setup_for(app, headers, sent or ex)
    if ex["kind"] == "response" and ex["method"] == "GET" and ex["path"].endswith("/api_ep_ipacl") \
            and str(ex["body"].get("enable")).lower() == "true":
        acl = next(e for g, la, e in EXAMPLES if (g, la) == (guide, lang) and e["kind"] == "request"
                   and e["path"].endswith("/api_ep_ipacl"))
        assert call(app, headers, "POST", fill_path(acl["path"], ids, None), acl["body"])[0] == 200
    path = fill_path(ex["path"], ids, None)
    body = fill_body(sent, ids) if sent is not None else None
    status, _, answer = call(app, headers, ex["method"], path, body)
    assert 200 <= status < 300, f"{label}: {ex['method']} {path} answered {status}: {answer}"
    if ex["kind"] == "response":
        check_shape(ex["body"], answer, label)


def test_examples_not_json_are_known():
    """Every example that does not parse is one of :data:`NOT_JSON` (and each of those still does not)."""
    broken = {f"{g}-{la}:{e['method']} {e['path']}:{e['kind']}" for g, la, e in ALL_EXAMPLES if "error" in e}
    assert broken == NOT_JSON
