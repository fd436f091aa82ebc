# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the client's recovery from a lost answer (docs/reliability.md).

A real HTTP server on 127.0.0.1 answers from a script; ``BROKEN`` sends the status
line and headers with a ``Content-Length`` larger than the body, then closes the
connection: the request was carried out, its answer is lost (the simulator's
``drop_rate`` fault).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _client
from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    NksApiError,
    NksClient,
    NksConnectionError,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._retry import RetryPolicy

BROKEN = "BROKEN"


class Script(object):
    def __init__(self):
        self.answers = {}
        self.seen = []

    def answer(self, method, path):
        if path == "/v2.0/tokens":
            return 200, {"access": {"token": {"id": "tok", "expires": "2030-01-01T00:00:00Z"}}}
        self.seen.append((method, path))
        script = self.answers.get((method, path)) or [(404, {})]
        return script.pop(0) if len(script) > 1 else script[0]


def _handler(script):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args):
            pass

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            answer = script.answer(self.command, self.path)
            if answer == BROKEN:
                data = json.dumps({"uuid": "c-1", "padding": "x" * 40}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data) + 64))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            status, body = answer
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

    return Handler


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(_client, "sleep", lambda _s: None)
    script = Script()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    script.url = "http://127.0.0.1:%d" % httpd.server_address[1]
    yield script
    httpd.shutdown()
    httpd.server_close()


def client(script, retries=3):
    return NksClient(api_url=script.url, identity_url=script.url, tenant_id="t", username="u",
                     api_password="p", timeout=5.0,
                     policy=RetryPolicy(attempts=retries + 1, backoff=0.01, backoff_max=0.02))


def test_get_whose_answer_broke_off_is_sent_again(server):
    server.answers[("GET", "/v1/clusters")] = [BROKEN, BROKEN, (200, {"clusters": []})]
    assert client(server).get("/v1/clusters") == {"clusters": []}
    assert server.seen.count(("GET", "/v1/clusters")) == 3


def test_get_broken_every_time_gives_up_after_retries(server):
    server.answers[("GET", "/v1/clusters")] = [BROKEN]
    with pytest.raises(NksConnectionError) as err:
        client(server, retries=2).get("/v1/clusters")
    assert err.value.broken_answer is True
    assert "broke off" in str(err.value)
    assert server.seen.count(("GET", "/v1/clusters")) == 3


def test_unsafe_post_whose_answer_broke_off_is_not_sent_again(server):
    server.answers[("POST", "/v1/clusters")] = [BROKEN, (202, {"uuid": "c-2"})]
    with pytest.raises(NksConnectionError) as err:
        client(server).request("POST", "/v1/clusters", {"name": "x"})
    assert err.value.broken_answer is True
    assert server.seen.count(("POST", "/v1/clusters")) == 1


def test_safe_post_whose_answer_broke_off_is_sent_again(server):
    server.answers[("POST", "/v1/clusters/c-1/api_ep_ipacl")] = [BROKEN, (200, {})]
    assert client(server).request("POST", "/v1/clusters/c-1/api_ep_ipacl", {}, safe=True) == {}
    assert server.seen.count(("POST", "/v1/clusters/c-1/api_ep_ipacl")) == 2


def test_unsafe_post_5xx_raises_at_once_for_the_engine(server):
    server.answers[("POST", "/v1/clusters/c-1/actions/resize")] = [(503, {}), (202, {})]
    with pytest.raises(NksApiError) as err:
        client(server).request("POST", "/v1/clusters/c-1/actions/resize", {})
    assert err.value.status == 503
    assert server.seen.count(("POST", "/v1/clusters/c-1/actions/resize")) == 1


def test_refused_connection_is_not_multiplied_by_the_broken_answer_loop(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    attempts = []
    real = NksClient._send_once

    def counting(self, *args):
        attempts.append(1)
        return real(self, *args)

    monkeypatch.setattr(NksClient, "_send_once", counting)
    c = NksClient(api_url="http://127.0.0.1:9", identity_url="http://127.0.0.1:9",
                  auth_token="tok", timeout=2.0,
                  policy=RetryPolicy(attempts=2, backoff=0.01, backoff_max=0.02))
    with pytest.raises(NksConnectionError) as err:
        c.get("/v1/clusters")
    assert err.value.broken_answer is False
    assert len(attempts) == 1
