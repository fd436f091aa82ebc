# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_kube.py.

Kubeconfig documents: pure functions. Readiness: against a local fake Kubernetes
API (HTTPS on 127.0.0.1, port 0, a CA made here with ``cryptography``, client
certificates required), with the NKS API replaced by a fake ``NksApi``. No test
depends on timing: the waits run with a fake clock and sleeper.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import os
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from ansible_collections.nhncloud.nks.plugins.module_utils import _kube  # noqa: E402
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import NksWaitTimeout  # noqa: E402
from ansible_collections.nhncloud.nks.plugins.module_utils._kube import (  # noqa: E402
    ACL_HINT, KubeconfigError, KubeSession, KubeWaitTimeout, foreign_entries, group_problem,
    load_kubeconfig, merge_conflicts, merge_kubeconfig, node_group_of, own_kubeconfig, wait_until_usable)

NKS_DOC = {
    "apiVersion": "v1", "kind": "Config", "preferences": {},
    "clusters": [{"name": "demo", "cluster": {"server": "https://10.0.0.1:6443", "certificate-authority-data": "Q0E="}}],
    "users": [{"name": "admin", "user": {"client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ"}}],
    "contexts": [{"name": "default", "context": {"cluster": "demo", "user": "admin"}}],
    "current-context": "default",
}


# -- kubeconfig documents ------------------------------------------------------------------

def test_own_kubeconfig_renames_every_entry():
    own = own_kubeconfig(NKS_DOC, "demo-ctx")
    assert own["current-context"] == "demo-ctx"
    assert own["contexts"] == [{"name": "demo-ctx", "context": {"cluster": "demo-ctx", "user": "demo-ctx"}}]
    assert own["clusters"][0] == {"name": "demo-ctx", "cluster": NKS_DOC["clusters"][0]["cluster"]}
    assert own["users"][0] == {"name": "demo-ctx", "user": NKS_DOC["users"][0]["user"]}
    assert NKS_DOC["contexts"][0]["name"] == "default"  # the input is not modified


def test_own_kubeconfig_needs_one_cluster_and_one_user():
    with pytest.raises(KubeconfigError, match="2 clusters"):
        own_kubeconfig(dict(NKS_DOC, clusters=NKS_DOC["clusters"] * 2), "x")


@pytest.mark.parametrize("text, expected", [("", {}), ("# nothing\n", {}), ("kind: Config\n", {"kind": "Config"})])
def test_load_kubeconfig(text, expected):
    assert load_kubeconfig(text) == expected


@pytest.mark.parametrize("text", ["just text\n", "- a\n- b\n", "a: [\n"])
def test_load_kubeconfig_refuses_non_mappings(text):
    with pytest.raises(KubeconfigError):
        load_kubeconfig(text)


def test_merge_then_merge_again_is_stable():
    one, two = own_kubeconfig(NKS_DOC, "one"), own_kubeconfig(NKS_DOC, "two")
    merged = merge_kubeconfig(merge_kubeconfig({}, one), two)
    assert [c["name"] for c in merged["contexts"]] == ["one", "two"]
    assert merged["current-context"] == "one"
    assert merge_kubeconfig(merge_kubeconfig(merged, one), two) == merged


def test_merge_sets_a_dangling_current_context():
    merged = merge_kubeconfig({"current-context": "gone", "contexts": []}, own_kubeconfig(NKS_DOC, "one"))
    assert merged["current-context"] == "one"


def test_foreign_entries():
    own = own_kubeconfig(NKS_DOC, "demo")
    assert foreign_entries(NKS_DOC, own) == []  # NKS's own kubeconfig of the same cluster
    assert foreign_entries(own, own) == []
    other = {"clusters": [{"name": "prod", "cluster": {"server": "https://prod:6443"}}],
             "users": [{"name": "admin", "user": {}}, {"name": "orphan", "user": {}}],
             "contexts": [{"name": "default", "context": {"cluster": "prod", "user": "admin"}}]}
    assert foreign_entries(other, own) == ["cluster prod", "context default", "user admin", "user orphan"]


def test_merge_conflicts_same_name_other_server():
    own = own_kubeconfig(NKS_DOC, "demo")
    assert merge_conflicts({}, own) == [] and merge_conflicts(own, own) == []
    kr1 = own_kubeconfig({"clusters": [{"name": "demo", "cluster": {"server": "https://10.9.9.9:6443"}}],
                          "users": [{"name": "admin", "user": {}}]}, "demo")
    assert merge_conflicts(kr1, own) == ["cluster demo (server https://10.9.9.9:6443)",
                                         "context demo (cluster demo)",
                                         "user demo (used by another cluster's context)"]
    # the same server (a trailing slash aside) is this cluster: replaced without a word
    same = own_kubeconfig({"clusters": [{"name": "x", "cluster": {"server": "https://10.0.0.1:6443/"}}],
                           "users": [{"name": "admin", "user": {}}]}, "demo")
    assert merge_conflicts(same, own) == []


def test_merge_conflicts_context_or_user_of_another_cluster():
    own = own_kubeconfig(NKS_DOC, "demo")
    doc = {"clusters": [{"name": "prod", "cluster": {"server": "https://prod:6443"}}],
           "users": [{"name": "demo", "user": {}}, {"name": "other", "user": {}}],
           "contexts": [{"name": "demo", "context": {"cluster": "prod", "user": "other"}},
                        {"name": "prod", "context": {"cluster": "prod", "user": "demo"}}]}
    assert merge_conflicts(doc, own) == ["context demo (cluster prod)",
                                         "user demo (used by another cluster's context)"]
    # entries of other names are no conflict: merge_kubeconfig keeps them
    doc["contexts"] = [{"name": "prod", "context": {"cluster": "prod", "user": "other"}}]
    assert merge_conflicts(doc, own) == []


# -- node groups ------------------------------------------------------------------------------

def node(name, ready=True, version="v1.28.3", group=None):
    labels = {"magnum.openstack.org/nodegroup": group} if group else {}
    return {"metadata": {"name": name, "labels": labels},
            "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
                       "nodeInfo": {"kubeletVersion": version}}}


def test_node_group_of_label_then_name():
    assert node_group_of(node("x", group="pool-a"), "demo") == "pool-a"
    assert node_group_of(node("demo-default-worker-node-0"), "demo") == "default-worker"
    assert node_group_of(node("elsewhere"), "demo") is None


GROUP = dict(name="g", node_count=2, kube_version="v1.28.3", autoscale_min=None)


@pytest.mark.parametrize("nodes, ok", [
    ([("a", True, "v1.28.3"), ("b", True, "v1.28.3")], True),
    ([("a", True, "v1.28.3")], False),                                              # one missing
    ([("a", True, "v1.28.3"), ("b", False, "v1.28.3")], False),                     # one NotReady
    ([("a", True, "v1.28.3"), ("b", True, "v1.27.3")], False),                      # one not upgraded
    ([("a", True, "v1.28.3"), ("b", True, "v1.28.3"), ("c", True, "v1.28.3")], False),  # one too many
])
def test_group_problem_exact_count(nodes, ok):
    assert (group_problem(GROUP, nodes) is None) is ok


@pytest.mark.parametrize("nodes, ok", [
    ([("a", True, "v1.28.3")], True),
    ([("a", True, "v1.28.3"), ("b", True, "v1.28.3"), ("c", False, "v1.28.3")], True),  # scaling up
    ([], False),
    ([("a", True, "v1.28.3"), ("b", True, "v1.27.3")], False),                      # another version
])
def test_group_problem_with_autoscaler(nodes, ok):
    assert (group_problem(dict(GROUP, autoscale_min=1), nodes) is None) is ok


def test_group_problem_says_what_is_missing():
    text = group_problem(GROUP, [("a", True, "v1.28.3"), ("b", False, "v1.27.3")])
    assert text == "node group g: 1 of 2 nodes Ready at v1.28.3, 2 nodes seen (b NotReady)"


# -- a fake Kubernetes API ------------------------------------------------------------------

def _cert(subject, issuer_key, issuer, key, ca=False, san=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(obj):
    if hasattr(obj, "private_bytes"):
        return obj.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                 serialization.NoEncryption())
    return obj.public_bytes(serialization.Encoding.PEM)


class FakeKube(object):
    """HTTPS server with its own CA; ``state`` says how /readyz and /api/v1/nodes answer."""

    def __init__(self, tmp_path):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-ca")])
        ca = _cert("fake-ca", ca_key, ca_name, ca_key, ca=True)
        server_key = ec.generate_private_key(ec.SECP256R1())
        server = _cert("apiserver", ca_key, ca_name, server_key,
                       san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
        self.client_key = ec.generate_private_key(ec.SECP256R1())
        self.client = _cert("admin", ca_key, ca_name, self.client_key)
        (tmp_path / "ca.pem").write_bytes(_pem(ca))
        (tmp_path / "server.pem").write_bytes(_pem(server) + _pem(server_key))
        self.ca_pem = _pem(ca)
        self.state = {"readyz": 200, "nodes": [], "status": None}
        self.requests = []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(tmp_path / "server.pem"))
        context.load_verify_locations(str(tmp_path / "ca.pem"))
        context.verify_mode = ssl.CERT_OPTIONAL
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.requests.append(self.path)
                status, body = fake.answer(self.path, self.connection.getpeercert())
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
        return Handler

    def answer(self, path, peer):
        if self.state["status"]:
            return self.state["status"], b"forbidden"
        if not peer:
            return 401, b"Unauthorized"
        if path == "/readyz":
            return self.state["readyz"], b"ok" if self.state["readyz"] == 200 else b"[-]etcd failed"
        if path == "/api/v1/nodes":
            return 200, {"kind": "NodeList", "items": self.state["nodes"]}
        return 404, b"not found"

    def kubeconfig(self, with_client=True):
        user = {}
        if with_client:
            user = {"client-certificate-data": base64.b64encode(_pem(self.client)).decode(),
                    "client-key-data": base64.b64encode(_pem(self.client_key)).decode()}
        return {"apiVersion": "v1", "kind": "Config",
                "clusters": [{"name": "demo", "cluster": {
                    "server": "https://127.0.0.1:%d" % self.httpd.server_address[1],
                    "certificate-authority-data": base64.b64encode(self.ca_pem).decode()}}],
                "users": [{"name": "admin", "user": user}],
                "contexts": [{"name": "default", "context": {"cluster": "demo", "user": "admin"}}],
                "current-context": "default"}

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_kube(tmp_path):
    fake = FakeKube(tmp_path)
    yield fake
    fake.close()


class FakeApi(object):
    """NksApi stand-in: one cluster ``demo`` with node groups ``groups`` (name -> view fields)."""

    def __init__(self, kubeconfig, groups, acl=None):
        self.kubeconfig = kubeconfig
        self.groups = groups
        self.acl = acl  # the answer of Get Cluster API Endpoint IP Access Control (None: off)
        self.acl_reads = 0

    def get_ipacl(self, uuid):
        self.acl_reads += 1
        return self.acl

    def get_cluster(self, uuid):
        return {"uuid": uuid, "name": "demo"}

    def get_kubeconfig(self, uuid):
        return yaml.safe_dump(self.kubeconfig)

    def list_nodegroups(self, uuid):
        return [{"name": name} for name in ["default-master"] + sorted(self.groups)]

    def get_nodegroup(self, uuid, name):
        if name == "default-master":
            return {"name": name, "role": "master", "node_count": 1, "labels": {"kube_tag": "v1.28.3"}}
        return dict(self.groups[name], name=name)


class Clock(object):
    """Fake monotonic clock; ``sleep`` advances it and runs ``on_sleep`` (the world moves on)."""

    def __init__(self, on_sleep=None):
        self.now = 0.0
        self.sleeps = []
        self.on_sleep = on_sleep

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(len(self.sleeps))


def wait(monkeypatch, fake, groups=None, wait_for="api", timeout=60, nodegroup=None, on_sleep=None, kubeconfig=None,
         acl=None, warn=None):
    clock = Clock(on_sleep)
    monkeypatch.setattr(_kube, "sleep", clock.sleep)
    api = FakeApi(kubeconfig or fake.kubeconfig(), groups or {}, acl)
    clock.returned = wait_until_usable(api, "uuid-1", wait_for, timeout, nodegroup=nodegroup, clock=clock, warn=warn)
    clock.api = api
    return clock


def test_session_files_are_private_and_removed(fake_kube):
    with KubeSession(own_kubeconfig(fake_kube.kubeconfig(), "demo")) as kube:
        tmpdir = kube.tmpdir
        assert oct(os.stat(tmpdir).st_mode & 0o777) == "0o700"
        assert sorted(os.listdir(tmpdir)) == ["ca.crt", "client.crt", "client.key"]
        assert all(os.stat(os.path.join(tmpdir, f)).st_mode & 0o077 == 0 for f in os.listdir(tmpdir))
        response, problem, hint = kube.get("/readyz")
        assert response.status_code == 200 and problem is None
    assert not os.path.exists(tmpdir)


def test_api_ready_at_once(monkeypatch, fake_kube):
    clock = wait(monkeypatch, fake_kube)
    assert clock.sleeps == [] and fake_kube.requests == ["/readyz"]


def test_api_becomes_ready(monkeypatch, fake_kube):
    fake_kube.state["readyz"] = 500

    def later(count):
        if count == 3:
            fake_kube.state["readyz"] = 200
    clock = wait(monkeypatch, fake_kube, on_sleep=later)
    assert len(clock.sleeps) == 3 and fake_kube.requests == ["/readyz"] * 4


def test_api_not_ready_times_out(monkeypatch, fake_kube):
    fake_kube.state["readyz"] = 500
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, timeout=30)
    assert isinstance(info.value, NksWaitTimeout)
    assert "/readyz answered HTTP 500: [-]etcd failed" in str(info.value) and "raise wait_timeout" in str(info.value)
    assert info.value.waited == 30


def test_forbidden_names_the_acl(monkeypatch, fake_kube):
    fake_kube.state["status"] = 403
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, timeout=10)
    assert ACL_HINT in str(info.value) and "nks_ipacl" in str(info.value)


def test_refused_connection_names_the_acl(monkeypatch, fake_kube):
    config = fake_kube.kubeconfig()
    fake_kube.close()  # nothing listens on the port any more
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, timeout=10, kubeconfig=config)
    assert "cannot connect" in str(info.value) and "IP access list" in str(info.value)


def test_without_client_certificate_401(monkeypatch, fake_kube):
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, timeout=5, kubeconfig=fake_kube.kubeconfig(with_client=False))
    assert "HTTP 401" in str(info.value) and "client certificate" in str(info.value)


def test_key_never_in_messages(monkeypatch, fake_kube):
    fake_kube.state["readyz"] = 500
    config = fake_kube.kubeconfig()
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, timeout=5, kubeconfig=config)
    assert config["users"][0]["user"]["client-key-data"] not in str(info.value)


def test_nodes_wait_for_count_and_version(monkeypatch, fake_kube):
    groups = {"default-worker": {"node_count": 2, "labels": {"kube_tag": "v1.28.3"}},
              "pool": {"node_count": 1, "labels": {"kube_tag": "v1.28.3", "ca_enable": "true",
                                                   "ca_min_node_count": "1", "ca_max_node_count": "5"}}}
    fake_kube.state["nodes"] = [node("demo-default-worker-node-0"), node("demo-default-worker-node-1", ready=False),
                                node("x", group="pool"), node("y", group="pool", ready=False)]

    def later(count):
        if count == 2:
            fake_kube.state["nodes"][1] = node("demo-default-worker-node-1")
    clock = wait(monkeypatch, fake_kube, groups=groups, wait_for="nodes", on_sleep=later)
    assert len(clock.sleeps) == 2
    assert fake_kube.requests[-2:] == ["/readyz", "/api/v1/nodes"]


def test_nodes_timeout_says_which_group(monkeypatch, fake_kube):
    groups = {"default-worker": {"node_count": 1, "labels": {"kube_tag": "v1.28.3"}},
              "pool": {"node_count": 2, "labels": {"kube_tag": "v1.28.3"}}}
    fake_kube.state["nodes"] = [node("demo-default-worker-node-0"), node("demo-pool-node-0", version="v1.27.3")]
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, groups=groups, wait_for="nodes", timeout=20, nodegroup="pool")
    message = str(info.value)
    assert "node group 'pool'" in message
    assert "node group pool: 0 of 2 nodes Ready at v1.28.3, 1 nodes seen (demo-pool-node-0 v1.27.3)" in message
    assert "default-worker" not in message.split("usable:")[1]


def test_forbidden_for_a_minute_ends_the_wait_early(monkeypatch, fake_kube):
    fake_kube.state["status"] = 403
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, timeout=1800)
    assert 60 <= info.value.waited < 80
    assert "nks_ipacl" in str(info.value)


def test_forbidden_then_allowed(monkeypatch, fake_kube):
    fake_kube.state["status"] = 403

    def later(count):
        if count == 4:
            fake_kube.state["status"] = None  # the ACL change reached the endpoint
    clock = wait(monkeypatch, fake_kube, timeout=1800, on_sleep=later)
    assert len(clock.sleeps) == 4


class FakeModule(object):
    """What wait_after_converge reads of an NksModule."""

    def __init__(self, check_mode=False, **params):
        self.params = dict(dict(wait=True, wait_for="nodes", wait_timeout=30, state="present"), **params)
        self.check_mode = check_mode
        self.api = object()
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


@pytest.mark.parametrize("check_mode, params", [
    (False, dict(wait_for="status")), (False, dict(wait=False)), (True, {}), (False, dict(state="absent")),
])
def test_wait_after_converge_skips(monkeypatch, check_mode, params):
    calls = []
    monkeypatch.setattr(_kube, "wait_until_usable", lambda *args, **kwargs: calls.append(args))
    _kube.wait_after_converge(FakeModule(check_mode, **params), "uuid-1")
    assert calls == []


def test_wait_after_converge_after_a_stop_waits_for_the_api(monkeypatch):
    calls = []
    monkeypatch.setattr(_kube, "wait_until_usable", lambda *args, **kwargs: calls.append((args, kwargs)))
    mod = FakeModule(node_action="stop")
    _kube.wait_after_converge(mod, "uuid-1", "pool")
    assert calls == [((mod.api, "uuid-1", "api", 30, "pool"), dict(warn=mod.warn))]
    assert "API only" in mod.warnings[0]


def test_unreachable_for_a_minute_ends_the_wait_early(monkeypatch, fake_kube):
    config = fake_kube.kubeconfig()
    server = config["clusters"][0]["cluster"]["server"]
    # Connections are refused, as by an access list that rejects them. The fake clock makes the
    # 60 s grace take ~10 real connection attempts (~0.1 s); the test fails by chance only if another
    # process binds this very port meanwhile: at most ~1 ephemeral bind in that time among ~28000
    # ports, so about 1/28000 = 4e-5 < 1e-4 per run.
    fake_kube.close()
    with pytest.raises(KubeWaitTimeout) as info:
        wait(monkeypatch, fake_kube, timeout=1800, kubeconfig=config)
    assert 60 <= info.value.waited < 80
    message = str(info.value)
    assert "cannot reach the cluster's Kubernetes API at %s for " % server in message
    assert "nks_ipacl" in message and "that this controller can reach the address" in message


def test_unreachable_then_reachable(monkeypatch, fake_kube):
    config = fake_kube.kubeconfig()
    answers = iter([(None, "no answer from x: timed out", ACL_HINT)] * 5)
    real_get = _kube.KubeSession.get

    def get(self, path):
        return next(answers, None) or real_get(self, path)
    monkeypatch.setattr(_kube.KubeSession, "get", get)
    clock = wait(monkeypatch, fake_kube, timeout=1800, kubeconfig=config)
    assert len(clock.sleeps) == 5 and clock.now < 60


# -- an IP access list that keeps this controller out (issue 22 item 3) -------------------

ACL_ON = {"enable": "true", "action": "ALLOW",
          "ipacl_targets": [{"cidr_address": "10.0.0.0/8", "description": "office"}]}


def test_forbidden_with_the_acl_on_is_not_verifiable(monkeypatch, fake_kube):
    """A re-run after the ACL was set: no timeout, no 60 s wait; a warning naming the ACL."""
    fake_kube.state["status"] = 403
    warnings = []
    clock = wait(monkeypatch, fake_kube, timeout=1800, acl=ACL_ON, warn=warnings.append)
    assert clock.sleeps == [] and clock.api.acl_reads == 1
    assert warnings == [clock.returned]
    assert "not verifiable" in warnings[0] and "ALLOW 10.0.0.0/8" in warnings[0] and "nks_ipacl" in warnings[0]
    assert "HTTP 403" in warnings[0]


def test_forbidden_with_the_acl_off_still_times_out(monkeypatch, fake_kube):
    fake_kube.state["status"] = 403
    with pytest.raises(KubeWaitTimeout):
        wait(monkeypatch, fake_kube, timeout=1800, acl={"enable": "false"})


def test_usable_api_does_not_read_the_acl(monkeypatch, fake_kube):
    clock = wait(monkeypatch, fake_kube, acl=ACL_ON)
    assert clock.returned is None and clock.api.acl_reads == 0


def test_nodes_wait_follows_a_resize(monkeypatch, fake_kube):
    """Someone shrinks the node group from 2 to 1 during the wait: the wait reads the new count."""
    groups = {"default-worker": {"node_count": 2, "labels": {"kube_tag": "v1.28.3"}}}
    fake_kube.state["nodes"] = [node("demo-default-worker-node-0"), node("demo-default-worker-node-1", ready=False)]

    def later(count):
        if count == 1:
            groups["default-worker"]["node_count"] = 1
            fake_kube.state["nodes"] = fake_kube.state["nodes"][:1]
    clock = wait(monkeypatch, fake_kube, groups=groups, wait_for="nodes", timeout=30, on_sleep=later)
    assert len(clock.sleeps) == 1 and clock.returned is None


def test_nodes_wait_follows_a_growth(monkeypatch, fake_kube):
    """The autoscaler adds a node (1 -> 2) during the wait: the wait waits for the second one."""
    groups = {"default-worker": {"node_count": 1, "labels": {"kube_tag": "v1.28.3"}}}
    fake_kube.state["nodes"] = [node("demo-default-worker-node-0", ready=False)]

    def later(count):
        if count == 1:
            groups["default-worker"]["node_count"] = 2
            fake_kube.state["nodes"] = [node("demo-default-worker-node-0"),
                                        node("demo-default-worker-node-1", ready=False)]
        if count == 3:
            fake_kube.state["nodes"][1] = node("demo-default-worker-node-1")
    clock = wait(monkeypatch, fake_kube, groups=groups, wait_for="nodes", timeout=60, on_sleep=later)
    assert len(clock.sleeps) == 3


# -- state=absent on a shared kubeconfig (issue 22 item 2) ---------------------------------

def _shared():
    doc = merge_kubeconfig({}, own_kubeconfig(NKS_DOC, "dev"))
    other = dict(NKS_DOC, clusters=[{"name": "x", "cluster": {"server": "https://10.9.9.9:6443"}}])
    return merge_kubeconfig(doc, own_kubeconfig(other, "prod"))


def test_remove_entries_keeps_the_other_clusters():
    doc = _shared()
    assert doc["current-context"] == "dev"
    after, removed = _kube.remove_entries(doc, "dev")
    assert removed == ["cluster dev", "context dev", "current-context", "user dev"]
    assert [c["name"] for c in after["clusters"]] == ["prod"]
    assert [c["name"] for c in after["contexts"]] == ["prod"]
    assert [u["name"] for u in after["users"]] == ["prod"]
    assert "current-context" not in after
    assert not _kube.is_empty(after)
    assert doc["current-context"] == "dev"  # not modified


def test_remove_entries_keeps_current_context_of_another_cluster():
    after, removed = _kube.remove_entries(_shared(), "prod")
    assert after["current-context"] == "dev" and "current-context" not in removed


def test_remove_entries_of_the_last_cluster_leaves_nothing():
    after, removed = _kube.remove_entries(merge_kubeconfig({}, own_kubeconfig(NKS_DOC, "dev")), "dev")
    assert _kube.is_empty(after) and removed


def test_remove_entries_of_an_unknown_name_removes_nothing():
    after, removed = _kube.remove_entries(_shared(), "nope")
    assert removed == [] and after == _shared()


def test_remove_entries_keeps_a_user_another_context_uses():
    doc = _shared()
    doc["contexts"].append({"name": "prod-as-dev", "context": {"cluster": "prod", "user": "dev"}})
    after, removed = _kube.remove_entries(doc, "dev")
    assert "user dev" not in removed and [u["name"] for u in after["users"]] == ["dev", "prod"]
