"""The simulated Kubernetes API without a simulator process: objects derived from the
state, the IP access list rule, certificates, the protobuf reader, and a Store whose
listeners close without leaking threads or ports."""

from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest
from conftest import cluster_body

from nks_simulator.config import SimConfig
from nks_simulator.kube import handler, objects, pki, protobuf, tables
from nks_simulator.state import Store


def _cluster(nodes=2, status="ACTIVE") -> dict:
    ng = {"uuid": "ng-1", "name": "pool", "role": "worker", "flavor_id": "m2.c4m8", "created_at": 100.0,
          "updated_at": 200.0, "labels": {"kube_tag": "v1.27.3", "availability_zone": "kr-pub-a"},
          "nodes": [{"uuid": f"n-{i}", "address": f"10.0.0.{i}", "status": status} for i in range(nodes)]}
    master = {**ng, "uuid": "ng-0", "name": "default-master", "role": "master", "nodes": []}
    return {"uuid": "c-1", "name": "demo", "labels": {"kube_tag": "v1.28.3", "os_distro": "Ubuntu",
                                                      "os_version": "22.04"},
            "nodegroups": {"ng-0": master, "ng-1": ng}}


def test_nodes_mirror_the_worker_nodegroups():
    found = objects.nodes(_cluster(), [], now=300.0)
    assert [n["metadata"]["name"] for n in found] == ["demo-pool-node-0", "demo-pool-node-1"]
    node = found[0]
    assert node["metadata"]["labels"]["node.kubernetes.io/instance-type"] == "m2.c4m8"
    assert node["metadata"]["labels"]["topology.kubernetes.io/zone"] == "kr-pub-a"
    assert node["status"]["nodeInfo"]["kubeletVersion"] == "v1.27.3"
    assert node["status"]["addresses"][0] == {"type": "InternalIP", "address": "10.0.0.0"}
    assert [c["status"] for c in node["status"]["conditions"] if c["type"] == "Ready"] == ["True"]


@pytest.mark.parametrize("status, count", [("CREATE_IN_PROGRESS", 0), ("CREATE_FAILED", 0),
                                           ("CREATE_COMPLETE", 2), ("UPDATE_IN_PROGRESS", 2)])
def test_nodes_join_once_their_nodegroup_is_created(status, count):
    cluster = _cluster()
    cluster["nodegroups"]["ng-1"]["status"] = status
    assert len(objects.nodes(cluster, [], now=300.0)) == count


def test_stopped_nodes_are_not_ready():
    node = objects.nodes(_cluster(1, status="SHUTOFF"), [], now=300.0)[0]
    assert [c["status"] for c in node["status"]["conditions"] if c["type"] == "Ready"] == ["Unknown"]
    assert node["spec"]["unschedulable"] is True


@pytest.mark.parametrize("now, replaced", [(100.0, 0), (149.0, 0), (151.0, 1), (199.0, 1)])
def test_rolling_upgrade_replaces_one_node_at_a_time(now, replaced):
    op = {"type": "NODEGROUP_UPGRADE", "nodegroup_uuid": "ng-1", "started_at": 100.0, "finishes_at": 200.0}
    ready = [next(c["status"] for c in n["status"]["conditions"] if c["type"] == "Ready")
             for n in objects.nodes(_cluster(), [op], now)]
    assert ready == ["False" if i == replaced else "True" for i in range(2)]


@pytest.mark.parametrize("acl, address, refused", [
    ({"enable": "false"}, "127.0.0.1", False),
    ({"enable": "true", "action": "ALLOW", "ipacl_targets": [{"cidr_address": "10.0.0.0/8"}]}, "127.0.0.1", True),
    ({"enable": "true", "action": "ALLOW", "ipacl_targets": [{"cidr_address": "127.0.0.1"}]}, "127.0.0.1", False),
    ({"enable": "true", "action": "DENY", "ipacl_targets": [{"cidr_address": "127.0.0.0/8"}]}, "127.0.0.1", True),
    ({"enable": "true", "action": "DENY", "ipacl_targets": [{"cidr_address": "10.0.0.0/8"}]}, "127.0.0.1", False),
])
def test_ip_access_list(acl, address, refused):
    assert handler.acl_refuses(acl, address) is refused


def test_ready_delay_follows_profile_and_time_scale():
    assert handler.ready_delay(SimConfig()) == 3.0
    assert handler.ready_delay(SimConfig(profile="realistic", time_scale=0.5)) == 30.0
    assert handler.ready_delay(SimConfig(kube_ready_delay=10, time_scale=0.1)) == pytest.approx(1.0)
    cluster = {"status": "CREATE_COMPLETE", "created_at": 1.0,
               "events": [{"type": "CLUSTER_CREATE", "state": "SUCCESS", "updated_at": 50.0}]}
    assert handler.ready_at(cluster, SimConfig()) == 53.0
    assert handler.ready_at({**cluster, "status": "CREATE_IN_PROGRESS"}, SimConfig()) is None


def test_client_certificates_are_checked_per_cluster():
    root = pki.new_authority("root", time.time())
    one = pki.new_cluster_pki("one", root, "127.0.0.1", time.time(), 1)
    two = pki.new_cluster_pki("two", root, "127.0.0.1", time.time(), 1)
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    der = x509.load_pem_x509_certificate(one["client_cert"].encode()).public_bytes(Encoding.DER)
    assert pki.issued_by(der, one["ca_cert"], time.time()) == "admin"
    assert pki.issued_by(der, two["ca_cert"], time.time()) is None
    assert pki.issued_by(der, one["ca_cert"], time.time() + 2 * 366 * 86400) is None  # expired


def test_protobuf_namespace_body():
    def field(number, payload):
        return bytes([number << 3 | 2, len(payload)]) + payload
    label = field(11, field(1, b"team") + field(2, b"a"))
    meta = field(1, field(1, b"demo") + label)
    body = protobuf.MAGIC + field(1, field(1, b"v1") + field(2, b"Namespace")) + field(2, meta)
    assert protobuf.namespace(body) == {"apiVersion": "v1", "kind": "Namespace",
                                        "metadata": {"name": "demo", "generateName": "", "labels": {"team": "a"}}}
    with pytest.raises(ValueError):
        protobuf.namespace(b"{}")


@pytest.mark.parametrize("seconds, text", [(5, "5s"), (119, "119s"), (150, "2m30s"), (600, "10m"),
                                           (3 * 3600 + 60, "3h1m"), (10 * 3600, "10h"), (3 * 86400, "3d")])
def test_human_age(seconds, text):
    assert tables.human_age(seconds) == text


def test_readyz_fails_while_starting():
    code, text = tables.health("readyz", False, {})
    assert code == 500 and text.endswith("readyz check failed\n")
    assert tables.health("livez", False, {}) == (200, "ok")


def _kube_threads():
    return [t for t in threading.enumerate() if t.name.startswith("nks-sim-kube")]


def test_store_close_leaves_no_thread_or_port():
    store = Store(SimConfig(time_scale=0.01, kube_ready_delay=0))
    uid = store.create_cluster(cluster_body(), {"tenant_id": "t", "user_id": "u"})["uuid"]
    port = int(store.get_cluster(uid)["api_address"].rsplit(":", 1)[1])
    context = ssl.create_default_context(cadata=store.get_cluster(uid)["kube"]["pki"]["ca_cert"])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
            assert tls.recv(4096).startswith(b"HTTP/1.1 401 ")  # no client certificate
            assert _kube_threads()
            store.close()  # with the keep-alive connection still open
    assert not _kube_threads()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_watch_events_follow_changes():
    from nks_simulator.kube import watch

    def ns(name, rv, phase="Active"):
        return {"metadata": {"name": name, "resourceVersion": str(rv)}, "status": {"phase": phase}}
    known = {}
    assert [e["type"] for e in watch.events(known, [ns("a", 5), ns("b", 9)], since=7)] == ["ADDED"]  # b only
    assert watch.events(known, [ns("a", 5), ns("b", 9)], since=None) == []
    changed = watch.events(known, [ns("a", 6, "Terminating"), ns("c", 10)], since=None)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in changed] == [
        ("MODIFIED", "a"), ("ADDED", "c"), ("DELETED", "b")]
    end = watch.initial_events_end("nodes", "12")
    assert end["type"] == "BOOKMARK" and end["object"]["metadata"]["annotations"] == {
        "k8s.io/initial-events-end": "true"}


def _port(store: Store, uid: str) -> int:
    return int(store.get_cluster(uid)["api_address"].rsplit(":", 1)[1])


def test_restart_rebinds_or_moves_the_port_and_provisions_old_state(tmp_path):
    # Race: another process may take a freed port between close() and the rebind (a few ms).
    # At ~100 connect()s per second over ~28,000 ephemeral ports: 100 x 0.005 / 28,000 = 2e-5
    # per port, three ports: 6e-5 per run.
    state = str(tmp_path / "state.json")
    first = Store(SimConfig(), state)
    kept, moved, old = (first.create_cluster(cluster_body(), {"tenant_id": "t", "user_id": "u"})["uuid"]
                        for _ in range(3))
    first.mutate(lambda: first.state["clusters"][old].pop("kube"))  # as written before kube/ existed
    ports = {uid: _port(first, uid) for uid in (kept, moved)}
    first.close()
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", ports[moved]))
    blocker.listen(1)
    try:
        second = Store(SimConfig(), state)
        try:
            assert _port(second, kept) == ports[kept] and second.kube.port(kept) == ports[kept]
            assert _port(second, moved) != ports[moved] and second.kube.port(moved) == _port(second, moved)
            assert second.get_cluster(old)["kube"]["pki"]["client_cert"] and second.kube.port(old)
        finally:
            second.close()
        third = Store(SimConfig(), state)  # the moves were saved
        assert _port(third, moved) == _port(second, moved)
        third.close()
    finally:
        blocker.close()


def test_ready_delay_flag_and_config_key(tmp_path):
    from nks_simulator import cli

    config_file = tmp_path / "sim.yml"
    config_file.write_text("kube_ready_delay: 7\n")
    parser = cli.build_parser()
    assert cli.make_config(parser.parse_args(["--config", str(config_file)]))[0].kube_ready_delay == 7
    flagged = parser.parse_args(["--config", str(config_file), "--kube-ready-delay", "0.5"])
    assert cli.make_config(flagged)[0].kube_ready_delay == 0.5
    assert cli.make_config(parser.parse_args([]))[0].kube_ready_delay is None
