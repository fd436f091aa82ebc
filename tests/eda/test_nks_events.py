"""Unit tests of the event source nhncloud.nks.nks_events (extensions/eda/plugins/event_source/nks_events.py).

A fake NKS API (a dict of answers, a request log) stands in for the client; the clock is injected.
Deterministic: nothing is random. Run by `make eda-test` (mk/eda.mk) in .venv-eda.
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import json
import os
import runpy
import stat
import sys
import types

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "nks_events.py")
# As ansible-rulebook loads a source: runpy.run_path (no package).
src = types.SimpleNamespace(**runpy.run_path(SOURCE))
client_mod = src._client  # the collection's module_utils/_client.py, as the source imported it

NOW = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.timezone.utc).timestamp()
DAY = 86400.0


class Clock:
    """An injected ``time.time``."""

    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now


def cluster(name, uuid, kube_tag="v1.33.4", status="CREATE_COMPLETE", api="NORMAL", nodes="NORMAL",
            version_status="LATEST", certificate_expiry="2031-12-01T00:00:00+00:00"):
    return {"uuid": uuid, "name": name, "status": status,
            "labels": {"kube_tag": kube_tag, "kube_version_status": version_status,
                       "certificate_expiry": certificate_expiry},
            "health_status": "FRESH",
            "health_status_reason": {"timestamp": "2026-12-07T11:00:00+00:00",
                                     "cluster": {"api_status": api, "node_status": nodes},
                                     "api": "OK" if api == "NORMAL" else "NOT_OK",
                                     "nodegroup": {"node_status": {"default-worker": nodes}},
                                     "nodegroup-stats": {"default-worker": "2:0"}}}


def task(uuid, kind="NODEGROUP_UPGRADE", state="FAIL", resource_type="nodegroup", contents="drain timed out",
         ident=1):
    return {"id": ident, "uuid": uuid, "type": kind, "state": state, "resource_type": resource_type,
            "resource_uuid": "ng-" + uuid, "resource_name": "default-worker" if resource_type == "nodegroup"
            else "c", "contents": contents if state == "FAIL" else None,
            "created_at": "2026-12-07T10:00:00+00:00", "updated_at": "2026-12-07T10:05:00+00:00"}


class FakeApi:
    """``get(path)`` of an NksClient over ``clusters`` and ``events`` (cluster UUID -> tasks); ``fail``:
    an exception raised by the next ``get`` calls (a count of them)."""

    api_url = "http://fake"

    def __init__(self):
        self.clusters = []
        self.events = {}
        self.supported = {"v1.32.6": True, "v1.33.4": True, "v1.34.1": True, "v1.28.3": False}
        self.log = []
        self.fail = []

    def get(self, path, expect=None):
        self.log.append(path)
        if self.fail:
            raise self.fail.pop(0)
        if path == "/v1/clusters":
            return {"clusters": copy.deepcopy(self.clusters)}
        if path == "/v1/supports":
            return {"supported_k8s": dict(self.supported), "supported_event_type": {}}
        uid = path.split("/")[3]
        return {"events": copy.deepcopy(self.events.get(uid, []))}

    def set(self, uuid, **fields):
        for c in self.clusters:
            if c["uuid"] == uuid:
                for key, value in fields.items():
                    if key in ("api", "nodes"):
                        field = "api_status" if key == "api" else "node_status"
                        c["health_status_reason"]["cluster"][field] = value
                    elif key in ("kube_tag", "kube_version_status", "certificate_expiry"):
                        c["labels"][key] = value
                    else:
                        c[key] = value


def opts(tmp_path, **extra):
    args = {"api_url": "http://fake", "tenant_id": "t", "username": "u", "api_password": "p",
            "state_file": str(tmp_path / "state" / "nks_events.json"), "interval": 1}
    args.update(extra)
    return src.options_from(args, environ={})


def kinds(events):
    return [e["nks"]["type"] for e in events]


@pytest.fixture
def api():
    fake = FakeApi()
    fake.clusters = [cluster("alpha", "u-alpha"), cluster("beta", "u-beta")]
    fake.events = {"u-alpha": [task("old-fail", ident=1)], "u-beta": []}
    return fake


def test_first_poll_primes_then_a_new_failure_is_emitted_once(tmp_path, api):
    poller = src.Poller(opts(tmp_path), api, Clock())
    assert poller.poll() == []  # the failure already in the history is recorded, not emitted
    api.events["u-alpha"].append(task("new-fail", ident=2, contents="node drain timed out: pdb blocks eviction"))
    api.set("u-alpha", status="UPDATE_FAILED")
    events = poller.poll()
    assert kinds(events) == ["nks.nodegroup.operation_failed"]
    event = events[0]
    assert event["meta"] == {"hosts": "alpha"}
    assert event["nks"]["operation"] == "NODEGROUP_UPGRADE"
    assert event["nks"]["reason"] == "node drain timed out: pdb blocks eviction"
    assert event["nks"]["event_uuid"] == "new-fail"
    assert event["nks"]["nodegroup"] == {"uuid": "ng-new-fail", "name": "default-worker"}
    assert event["nks"]["cluster"]["name"] == "alpha" and event["nks"]["cluster"]["status"] == "UPDATE_FAILED"
    assert poller.poll() == []


def test_cluster_operation_failure_and_emit_existing(tmp_path, api):
    api.events["u-beta"] = [task("b1", kind="CLUSTER_CREATE", resource_type="cluster", contents="quota exceeded")]
    events = src.Poller(opts(tmp_path, emit_existing=True), api, Clock()).poll()
    assert sorted(kinds(events)) == ["nks.cluster.operation_failed", "nks.nodegroup.operation_failed"]
    failed = [e for e in events if e["nks"]["type"] == "nks.cluster.operation_failed"][0]
    assert failed["nks"]["reason"] == "quota exceeded" and failed["meta"]["hosts"] == "beta"
    assert "nodegroup" not in failed["nks"]


def test_successes_and_tasks_in_progress_are_not_emitted(tmp_path, api):
    poller = src.Poller(opts(tmp_path), api, Clock())
    poller.poll()
    api.events["u-beta"] = [task("ok", state="SUCCESS"), task("running", state="IN_PROGRESS", ident=2)]
    api.set("u-beta", status="UPDATE_IN_PROGRESS")
    assert poller.poll() == []
    api.events["u-beta"][1] = task("running", state="FAIL", ident=2, contents="boom")  # the running one fails
    api.set("u-beta", status="UPDATE_FAILED")
    assert [e["nks"]["event_uuid"] for e in poller.poll()] == ["running"]


def test_history_read_only_of_changed_clusters(tmp_path, api):
    clock = Clock()
    poller = src.Poller(opts(tmp_path, history_interval=600), api, clock)
    poller.poll()
    assert api.log == ["/v1/clusters", "/v1/clusters/u-alpha/events", "/v1/clusters/u-beta/events"]
    api.log.clear()
    clock.now += 60
    poller.poll()
    assert api.log == ["/v1/clusters"]  # nothing changed: one request for the project
    api.set("u-beta", status="UPDATE_IN_PROGRESS")
    api.log.clear()
    clock.now += 60
    poller.poll()
    assert api.log == ["/v1/clusters", "/v1/clusters/u-beta/events"]
    api.log.clear()
    clock.now += 600  # history_interval: a failed node group task that left the list entry as it was
    api.events["u-alpha"].append(task("silent", ident=3))
    assert kinds(poller.poll()) == ["nks.nodegroup.operation_failed"]
    assert sorted(api.log) == ["/v1/clusters", "/v1/clusters/u-alpha/events", "/v1/clusters/u-beta/events"]


def test_restart_emits_no_duplicate_and_what_happened_meanwhile(tmp_path, api):
    clock = Clock()
    first = src.Poller(opts(tmp_path), api, clock)
    first.poll()
    api.events["u-alpha"].append(task("f2", ident=2))
    api.set("u-alpha", status="UPDATE_FAILED", api="K8S_API_NOT_WORKING")
    assert kinds(first.poll()) == ["nks.nodegroup.operation_failed", "nks.health.api_down"]
    # restart: the same state file, nothing changed -> nothing emitted
    second = src.Poller(opts(tmp_path), api, clock)
    assert second.poll() == []
    # stopped; meanwhile a failure and the API recovered; the restarted source emits both, once
    api.events["u-alpha"].append(task("f3", ident=3, contents="second failure"))
    api.set("u-alpha", api="NORMAL", status="UPDATE_COMPLETE")
    third = src.Poller(opts(tmp_path), api, clock)
    events = third.poll()
    assert kinds(events) == ["nks.nodegroup.operation_failed", "nks.health.api_recovered"]
    assert events[0]["nks"]["event_uuid"] == "f3"
    assert src.Poller(opts(tmp_path), api, clock).poll() == []


def test_state_file_is_atomic_private_and_recovers_from_garbage(tmp_path, api, caplog):
    poller = src.Poller(opts(tmp_path), api, Clock())
    poller.poll()
    path = tmp_path / "state" / "nks_events.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["version"] == 1 and "old-fail" in data["seen"] and data["primed"] is True
    assert [p.name for p in path.parent.iterdir()] == ["nks_events.json"]  # no temporary file left
    path.write_text("{not json")
    fresh = src.Poller(opts(tmp_path), api, Clock())
    assert "starting afresh" in caplog.text
    assert fresh.state["seen"] == {}


def test_api_down_and_recovered(tmp_path, api):
    poller = src.Poller(opts(tmp_path), api, Clock())
    poller.poll()
    api.set("u-beta", api="K8S_API_NOT_WORKING")
    events = poller.poll()
    assert kinds(events) == ["nks.health.api_down"] and events[0]["meta"]["hosts"] == "beta"
    assert events[0]["nks"]["health_status_reason"]["cluster"]["api_status"] == "K8S_API_NOT_WORKING"
    assert poller.poll() == []  # still down: nothing new
    api.set("u-beta", api="NORMAL")
    assert kinds(poller.poll()) == ["nks.health.api_recovered"]
    assert poller.poll() == []


def test_all_nodes_not_ready_and_recovered_any_case(tmp_path, api):
    poller = src.Poller(opts(tmp_path), api, Clock())
    poller.poll()
    api.set("u-alpha", nodes="all_nodes_not_ready")  # the EN guide's spelling
    assert kinds(poller.poll()) == ["nks.health.all_nodes_not_ready"]
    api.set("u-alpha", nodes="NOT_READY_NODE_EXIST")  # some nodes back: no longer "all"
    assert kinds(poller.poll()) == ["nks.health.nodes_recovered"]
    api.set("u-alpha", nodes="NORMAL")
    assert poller.poll() == []


def test_upgrade_available_once_with_the_newest_version(tmp_path, api):
    poller = src.Poller(opts(tmp_path), api, Clock())
    poller.poll()
    api.set("u-alpha", kube_version_status="NEED_UPGRADE")
    events = poller.poll()
    assert kinds(events) == ["nks.upgrade.available"]
    assert events[0]["nks"]["latest_version"] == "v1.34.1"
    assert events[0]["nks"]["cluster"]["kube_version"] == "v1.33.4"
    assert api.log.count("/v1/supports") == 1
    assert poller.poll() == []
    assert api.log.count("/v1/supports") == 1  # an unchanged cluster: no second read
    api.supported["v1.35.0"] = True  # a newer version still: a new event
    api.set("u-alpha", status="UPDATE_COMPLETE")
    assert [e["nks"]["latest_version"] for e in poller.poll()] == ["v1.35.0"]


def test_support_ending_within_the_window(tmp_path, api):
    # v1.30: end of service 2026-05-31 (module_utils/_lifecycle.py); 2026-04-01 is 60 days before
    clock = Clock(datetime.datetime(2026, 4, 1, tzinfo=datetime.timezone.utc).timestamp())
    api.clusters.append(cluster("old", "u-old", kube_tag="v1.30.3"))
    poller = src.Poller(opts(tmp_path, support_days=30), api, clock)
    assert poller.poll() == []  # 60 days > 30
    clock.now += 31 * DAY
    events = poller.poll()
    assert kinds(events) == ["nks.support.ending"]
    assert events[0]["nks"]["end_of_service"] == "2026-05-31" and events[0]["nks"]["days"] == 29
    assert events[0]["meta"]["hosts"] == "old"
    clock.now += DAY
    assert poller.poll() == []  # given once per version and date


def test_certificate_expiring_and_renewed(tmp_path, api):
    clock = Clock()
    poller = src.Poller(opts(tmp_path, certificate_days=30), api, clock)
    poller.poll()
    api.set("u-beta", certificate_expiry="2026-12-27T12:00:00+00:00")  # 20 days away
    events = poller.poll()
    assert kinds(events) == ["nks.certificate.expiring"]
    assert events[0]["nks"]["days"] == 20 and events[0]["nks"]["certificate_expiry"] == "2026-12-27T12:00:00+00:00"
    clock.now += DAY
    assert poller.poll() == []
    api.set("u-beta", certificate_expiry="2031-12-27T12:00:00+00:00")  # renewed
    assert poller.poll() == []


def test_meta_hosts_as_the_inventory_plugin_names_hosts(tmp_path, api):
    api.clusters.append(cluster("alpha", "u-alpha-2"))  # a second "alpha": both named by UUID
    events = src.Poller(opts(tmp_path, emit_existing=True), api, Clock()).poll()
    assert [e["meta"]["hosts"] for e in events] == ["u-alpha"]
    names = src.host_names(api.clusters)
    assert names == {"u-alpha": "u-alpha", "u-beta": "beta", "u-alpha-2": "u-alpha-2"}
    assert src.host_names(api.clusters, "uuid")["u-beta"] == "u-beta"
    inventory = pytest.importorskip("ansible_collections.nhncloud.nks.plugins.inventory.nks")
    records = [{"nks_uuid": c["uuid"], "nks_name": c["name"]} for c in api.clusters]
    for how in ("name", "uuid"):
        expected = inventory.host_names(records, how)[0]
        assert [src.host_names(api.clusters, how)[c["uuid"]] for c in api.clusters] == expected


def test_events_filter_and_name_filter(tmp_path, api):
    poller = src.Poller(opts(tmp_path, events=["nks.health.api_down"], name_filter=["b*"]), api, Clock())
    poller.poll()
    api.set("u-alpha", api="K8S_API_NOT_WORKING")
    api.set("u-beta", api="K8S_API_NOT_WORKING", kube_version_status="NEED_UPGRADE")
    events = poller.poll()
    assert kinds(events) == ["nks.health.api_down"] and events[0]["meta"]["hosts"] == "beta"
    assert all("/u-alpha/" not in path for path in api.log)


def test_options_environment_fallbacks_and_errors():
    env = {"NHN_CLOUD_TENANT_ID": "t", "NHN_CLOUD_USERNAME": "u", "NHN_CLOUD_API_PASSWORD": "secret",
           "NKS_API_URL": "http://127.0.0.1:9", "NHN_CLOUD_VALIDATE_CERTS": "false"}
    o = src.options_from({"interval": "5"}, environ=env)
    assert o["api_password"] == "secret" and o["validate_certs"] is False and o["interval"] == 5.0
    client = src.client_from(o)
    assert client.api_url == "http://127.0.0.1:9"
    with pytest.raises(ValueError, match="interval"):
        src.options_from({"interval": 0}, environ=env)
    with pytest.raises(ValueError, match="unknown events"):
        src.options_from({"events": ["nks.nope"]}, environ=env)
    with pytest.raises(ValueError, match="credentials are missing") as info:
        src.client_from(src.options_from({"api_url": "http://x"}, environ={}))
    assert "secret" not in str(info.value)


def test_source_error_reported_once_and_retried_not_a_crash(tmp_path, api, monkeypatch):
    """main() with an API answering 503, then refusing connections, then recovering: one
    nks.source.error, one nks.source.recovered, then the events; the task never ends by itself."""
    api.fail = [client_mod.NksApiError(503, "Service Unavailable", method="GET", url="http://fake/v1/clusters"),
                client_mod.NksConnectionError("connection refused", method="GET", url="http://fake/v1/clusters"),
                client_mod.NksApiError(500, "Internal Server Error")]
    api.events["u-alpha"].append(task("later", ident=5))
    main_globals = src.main.__globals__
    monkeypatch.setitem(main_globals, "client_from", lambda o: api)

    async def scenario():
        queue = asyncio.Queue()
        args = {"api_url": "http://fake", "tenant_id": "t", "username": "u", "api_password": "p",
                "interval": 0.01, "max_backoff": 0.05, "state_file": str(tmp_path / "s.json"),
                "emit_existing": True}
        runner = asyncio.ensure_future(src.main(queue, args))
        got = []
        deadline = asyncio.get_event_loop().time() + 10
        while len(got) < 4 and asyncio.get_event_loop().time() < deadline:
            try:
                got.append(await asyncio.wait_for(queue.get(), 0.5))
            except asyncio.TimeoutError:
                pass
        await asyncio.sleep(0.1)
        assert not runner.done(), runner
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner
        return got

    got = asyncio.run(scenario())
    assert kinds(got) == ["nks.source.error", "nks.source.recovered", "nks.nodegroup.operation_failed",
                          "nks.nodegroup.operation_failed"]
    assert got[0]["nks"]["status"] == 503 and got[0]["meta"] == {}
    assert got[1]["nks"]["failed_polls"] == 3
    assert sorted(e["nks"]["event_uuid"] for e in got[2:]) == ["later", "old-fail"]


def test_backoff_grows_and_is_capped(tmp_path, api):
    poller = src.Poller(opts(tmp_path, interval=2, max_backoff=10), api, Clock())
    delays = []
    for attempt in range(5):
        assert poller.failures == attempt
        poller.failed(OSError("refused"))
        delays.append(poller.delay())
    assert delays == [4, 8, 10, 10, 10]
    poller.recovered()
    assert poller.delay() == 2
    quiet = src.Poller(opts(tmp_path, events=["nks.health.api_down"]), api, Clock())
    assert quiet.failed(OSError("refused")) is None and quiet.recovered() is None  # not among the events asked


def test_module_utils_loaded_from_the_checkout_without_ansible_collections():
    assert client_mod.__name__.endswith("._client")
    assert os.path.realpath(client_mod.__file__) == os.path.realpath(os.path.join(ROOT, "plugins", "module_utils",
                                                                                  "_client.py"))
    assert "_lifecycle" in src._lifecycle.__name__ and sys.modules[src._lifecycle.__name__] is src._lifecycle
