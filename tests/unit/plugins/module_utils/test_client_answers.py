# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of answer shapes, deadlines and read timeouts (docs/reliability.md, "Malformed and
slow answers"): a real HTTP server on 127.0.0.1 answers from a script, including answers NKS
never gives (empty, ``null``, arrays, truncated JSON, HTML, drip-fed, silence)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _client
from ansible_collections.nhncloud.nks.plugins.module_utils._api import CLUSTER, CLUSTER_LIST, NksApi
from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    NksClient,
    NksConnectionError,
    NksMalformedAnswer,
    a_list_of,
    an_object,
    client_from_options,
    normalize_region,
    shorten,
    shorten_words,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._retry import RetryPolicy

GOOD_CLUSTER = {"uuid": "2b778d83-8b67-45b1-920e-b0c5ad5c2f30", "name": "demo", "status": "CREATE_COMPLETE"}
GOOD_LIST = json.dumps({"clusters": [GOOD_CLUSTER]}).encode()


class Script(object):
    """Answers by path; each item ``(status, body bytes, options)``; the last one repeats."""

    def __init__(self):
        self.items = {}
        self.hits = {}
        self.lock = threading.Lock()

    def on(self, path, *answers):
        self.items[path] = list(answers)

    def next(self, path):
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            script = self.items[path]
            return script.pop(0) if len(script) > 1 else script[0]


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(_client, "sleep", lambda seconds: None)
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            status, body, opts = script.next(self.path)
            if opts.get("silent"):
                time.sleep(opts["silent"])
                self.close_connection = True
                return
            self.send_response(status)
            self.send_header("Content-Type", opts.get("type", "application/json"))
            self.send_header("Content-Length", str(opts.get("length", len(body))))
            self.end_headers()
            try:
                if opts.get("drip"):
                    for index in range(len(body)):
                        self.wfile.write(body[index:index + 1])
                        self.wfile.flush()
                        time.sleep(opts["drip"])
                else:
                    self.wfile.write(body)
                if opts.get("length"):
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    script.url = "http://127.0.0.1:%d" % httpd.server_address[1]
    yield script
    httpd.shutdown()
    httpd.server_close()


def client(script, attempts=4, timeout=5.0):
    return NksClient(api_url=script.url, auth_token="t", timeout=timeout,
                     policy=RetryPolicy(attempts=attempts, backoff=0.01, backoff_max=0.02))


# -- shapes ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, problem", [
    ({"clusters": [GOOD_CLUSTER]}, None),
    ({"clusters": [dict(GOOD_CLUSTER, extra=1)], "more": True}, None),
    ({"clusters": []}, None),
    (None, "the answer is null, not an object"),
    ([], "the answer is a list, not an object"),
    ({}, "the answer has no clusters"),
    ({"clusters": None}, "the answer.clusters is null, not a list"),
    ({"clusters": [None]}, "the answer.clusters[0] is null, not an object"),
    ({"clusters": [{"uuid": "u", "name": "n"}]}, "the answer.clusters[0] has no status"),
    ({"clusters": [dict(GOOD_CLUSTER, status=None)]}, "the answer.clusters[0].status is null, not text"),
    ({"clusters": [dict(GOOD_CLUSTER, status=3)]}, "the answer.clusters[0].status is a number, not text"),
])
def test_cluster_list_shape(value, problem):
    assert CLUSTER_LIST.problem(value) == problem


def test_shape_text_says_what_is_expected():
    assert CLUSTER.text == "an object with name (text), status (text), uuid (text)"
    assert a_list_of(int).text == "a list of a number"
    assert an_object(n=int).problem({"n": True}) == "the answer.n is true/false, not a number"


# -- malformed answers are transient: retried, then a clear error ----------------------------------

@pytest.mark.parametrize("body, opts, got", [
    (b"", {}, "an empty body"),
    (b"null", {}, "null"),
    (b"[]", {}, "[]"),
    (b'{"clusters": [{"uuid": "u", "name": "n"}]}', {}, "has no status"),
    (GOOD_LIST[:len(GOOD_LIST) // 2], {}, "not JSON"),
    (b"<html><body>Bad gateway</body></html>", {"type": "text/html"}, "<html>"),
])
def test_malformed_answer_is_retried_then_named(server, body, opts, got):
    server.on("/v1/clusters", (200, body, opts))
    with pytest.raises(NksMalformedAnswer) as err:
        NksApi(client(server)).list_clusters()
    message = str(err.value)
    assert "GET %s/v1/clusters" % server.url in message
    assert "not what the NKS API guide documents" in message
    assert got in message
    assert "expected an object with clusters" in message
    assert server.hits["/v1/clusters"] == 4  # the whole budget of the policy
    assert isinstance(err.value, NksConnectionError) and err.value.broken_answer


@pytest.mark.parametrize("body", [b"", b"null", b"[]", b'{"clusters": [{"uuid": "u"}]}', b'{"clus'])
def test_one_malformed_answer_then_the_real_one(server, body):
    server.on("/v1/clusters", (200, body, {}), (200, GOOD_LIST, {}))
    assert NksApi(client(server)).list_clusters() == [GOOD_CLUSTER]
    assert server.hits["/v1/clusters"] == 2


def test_cluster_without_status_is_not_a_cluster(server):
    path = "/v1/clusters/%s" % GOOD_CLUSTER["uuid"]
    server.on(path, (200, b'{"uuid": "x", "name": "demo"}', {}), (200, json.dumps(GOOD_CLUSTER).encode(), {}))
    assert NksApi(client(server)).get_cluster(GOOD_CLUSTER["uuid"]) == GOOD_CLUSTER


def test_long_answer_is_shortened_in_the_message(server):
    server.on("/v1/clusters", (200, b"<html>" + b"x" * 50000 + b"</html>", {"type": "text/html"}))
    with pytest.raises(NksMalformedAnswer) as err:
        NksApi(client(server, attempts=1)).list_clusters()
    assert len(str(err.value)) < 700
    assert "(50013 characters)" in str(err.value)


def test_answer_without_expectation_is_still_any_json(server):
    server.on("/v1/x", (200, b"", {}))
    assert client(server).get("/v1/x") == {}


# -- deadlines and read timeouts -------------------------------------------------------------------

def test_drip_fed_answer_is_cut_at_the_read_timeout(server):
    server.on("/v1/clusters", (200, GOOD_LIST, {"drip": 0.05}))
    started = time.monotonic()
    with pytest.raises(NksConnectionError) as err:
        NksApi(client(server, timeout=1.0)).list_clusters()
    assert time.monotonic() - started < 4.0  # 1 s of reading, one try: a slow answer is not re-sent
    assert "read timeout" in str(err.value) and "still arriving" in str(err.value)
    assert server.hits["/v1/clusters"] == 1


def test_deadline_caps_the_read_timeout(server):
    server.on("/v1/clusters", (200, GOOD_LIST, {"silent": 6}))
    api_client = client(server, timeout=30.0)
    started = time.monotonic()
    with api_client.until(time.monotonic() + 1.5):
        with pytest.raises(NksConnectionError) as err:
            NksApi(api_client).list_clusters()
    assert time.monotonic() - started < 4.0
    assert "read timeout" in str(err.value)
    assert "time left of wait_timeout" in str(err.value)
    assert api_client.deadline is None


def test_silent_endpoint_says_read_timeout_not_cannot_connect(server):
    server.on("/v1/clusters", (200, GOOD_LIST, {"silent": 5}))
    started = time.monotonic()
    with pytest.raises(NksConnectionError) as err:
        NksApi(client(server, timeout=1.0)).list_clusters()
    elapsed = time.monotonic() - started
    assert "read timeout" in str(err.value) and "cannot connect" not in str(err.value)
    assert "http_timeout" in str(err.value)
    assert elapsed < 3.0, elapsed  # one read timeout, not three


def test_nested_deadlines_keep_the_earlier():
    api_client = NksClient(api_url="http://127.0.0.1:9", auth_token="t")
    with api_client.until(100.0):
        with api_client.until(200.0):
            assert api_client.deadline == 100.0
        with api_client.until(50.0):
            assert api_client.deadline == 50.0
        assert api_client.deadline == 100.0
    assert api_client.deadline is None


# -- regions and long text -------------------------------------------------------------------------

@pytest.mark.parametrize("given, region", [("KR1", "kr1"), ("Kr2", "kr2"), (" kr3 ", "kr3"), (None, "kr1")])
def test_region_any_case(given, region):
    made = client_from_options({"region": given, "auth_token": "t"})
    assert made.region == region
    assert made.api_url == "https://%s-api-kubernetes-infrastructure.nhncloudservice.com" % region


def test_unknown_region_refused_even_with_api_url():
    with pytest.raises(ValueError) as err:
        client_from_options({"region": "jp1", "api_url": "http://127.0.0.1:9", "auth_token": "t"})
    assert "region must be one of kr1, kr2, kr3" in str(err.value)


def test_normalize_region():
    assert normalize_region("KR1") == "kr1"
    assert normalize_region(None) is None


def test_shorten():
    assert shorten("abc") == "abc"
    long_name = "a" * 5000
    assert shorten(long_name, 10) == "aaaaaaaaaa... (5000 characters)"
    text = shorten_words("cluster '%s' not found" % long_name)
    assert len(text) < 200 and text.startswith("cluster 'aaa") and text.endswith("not found")
    assert shorten_words("short words stay") == "short words stay"
