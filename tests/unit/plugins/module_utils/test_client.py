# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_client.py against a real HTTP server on 127.0.0.1.

The server runs in a thread, answers from a script and records every request
(method, path, headers, body), so the tests see exactly what went on the wire.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    API_VERSION_HEADER,
    DEFAULT_REGION,
    DEFAULT_TIMEOUT,
    IDENTITY_URL,
    REGIONS,
    NksApiError,
    NksAuthError,
    NksClient,
    NksConflict,
    NksConnectionError,
    NksError,
    NksMalformedAnswer,
    NksNotFound,
    client_from_options,
    option_sources,
    region_endpoint,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._retry import RetryPolicy

PASSWORD = "s3cr3t-API-passw0rd"
TOKEN_PATH = "/v2.0/tokens"
RESET = "RESET"  # scripted answer: drop the connection without answering


def token_body(token="tok-1"):
    return {"access": {"token": {"id": token, "expires": "2026-01-01T12:00:00Z",
                                 "tenant": {"id": "tenant-1"}},
                       "serviceCatalog": [], "user": {"id": "user-1"}}}


def magnum_error(status, detail, request_id=""):
    return {"errors": [{"request_id": request_id, "code": "client", "status": status,
                        "title": "Error", "detail": detail, "links": []}]}


class FakeApi(object):
    """Scripted answers by ``(method, path)``; the last answer of a script repeats."""

    def __init__(self):
        self.requests = []
        self.scripts = {}
        self.tokens = 0
        self.lock = threading.Lock()
        self.on("POST", TOKEN_PATH, lambda: (200, token_body("tok-%d" % self._next_token()), {}))

    def _next_token(self):
        self.tokens += 1
        return self.tokens

    def on(self, method, path, *answers):
        self.scripts[(method, path)] = list(answers)

    def answer(self, method, path):
        with self.lock:
            script = self.scripts.get((method, path))
            if not script:
                return 404, magnum_error(404, "no script for %s %s" % (method, path)), {}
            item = script.pop(0) if len(script) > 1 else script[0]
        return item() if callable(item) else item

    def calls(self, method=None, path=None):
        return [r for r in self.requests
                if (method is None or r["method"] == method) and (path is None or r["path"] == path)]


def _handler(api):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):
            pass

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            api.requests.append({
                "method": self.command, "path": self.path,
                "headers": dict((k.lower(), v) for k, v in self.headers.items()),
                "body": json.loads(raw.decode("utf-8")) if raw else None,
            })
            answer = api.answer(self.command, self.path)
            if answer == RESET:
                # RST instead of an answer: the client sees "connection reset by peer".
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            status, body, headers = answer
            data = b""
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode("utf-8")
            elif body is not None:
                data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if data:
                self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle

    return Handler


@pytest.fixture
def api(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    fake = FakeApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    fake.url = "http://127.0.0.1:%d" % server.server_address[1]
    yield fake
    server.shutdown()
    server.server_close()


def policy(retries=3):
    """Fast backoff for tests: ``retries`` retries (``retries + 1`` attempts)."""
    return RetryPolicy(attempts=retries + 1, backoff=0.01, backoff_max=0.02)


def make_client(api, retries=3, **kwargs):
    args = dict(api_url=api.url, identity_url=api.url, tenant_id="tenant-1",
                username="user@example.com", api_password=PASSWORD, policy=policy(retries), timeout=5.0)
    args.update(kwargs)
    return NksClient(**args)


def assert_no_secret(*things):
    for thing in things:
        assert PASSWORD not in str(thing)
        assert PASSWORD not in repr(thing)
        if isinstance(thing, NksError):
            assert PASSWORD not in repr(vars(thing))


# -- authentication and headers --------------------------------------------

def test_token_request_body_and_headers(api):
    api.on("GET", "/v1/clusters", (200, {"clusters": []}, {}))
    client = make_client(api)
    assert client.get("/v1/clusters") == {"clusters": []}

    token_req, api_req = api.requests
    assert token_req["method"] == "POST"
    assert token_req["path"] == TOKEN_PATH
    assert token_req["body"] == {"auth": {"tenantId": "tenant-1", "passwordCredentials": {
        "username": "user@example.com", "password": PASSWORD}}}
    assert token_req["headers"]["content-type"] == "application/json"
    assert "x-auth-token" not in token_req["headers"]

    assert api_req["method"] == "GET"
    assert api_req["path"] == "/v1/clusters"
    assert api_req["headers"]["x-auth-token"] == "tok-1"
    assert api_req["headers"]["openstack-api-version"] == "container-infra latest"
    assert api_req["headers"]["accept"] == "application/json"
    assert api_req["headers"]["content-type"] == "application/json"
    assert API_VERSION_HEADER == "container-infra latest"
    assert client.token_expires == "2026-01-01T12:00:00Z"
    assert client.identity_requests == 1


def test_token_is_reused(api):
    api.on("GET", "/v1/clusters", (200, {"clusters": []}, {}))
    client = make_client(api)
    client.get("/v1/clusters")
    client.get("/v1/clusters")
    assert len(api.calls("POST", TOKEN_PATH)) == 1
    assert [r["headers"]["x-auth-token"] for r in api.calls("GET")] == ["tok-1", "tok-1"]


def test_given_token_is_used_without_identity(api):
    api.on("GET", "/v1/supports", (200, {"supported_k8s": {}}, {}))
    client = make_client(api, auth_token="given-token", tenant_id=None, username=None,
                         api_password=None)
    client.get("/v1/supports")
    assert api.calls("POST", TOKEN_PATH) == []
    assert api.calls("GET")[0]["headers"]["x-auth-token"] == "given-token"


def test_post_sends_json_body(api):
    api.on("POST", "/v1/clusters", (202, {"uuid": "c-1"}, {}))
    client = make_client(api)
    body = {"name": "demo", "labels": {"kube_tag": "v1.27.3"}, "node_count": 1}
    assert client.request("POST", "/v1/clusters", body) == {"uuid": "c-1"}
    assert api.calls("POST", "/v1/clusters")[0]["body"] == body


def test_empty_answer_is_an_empty_dict(api):
    api.on("DELETE", "/v1/clusters/demo", (204, None, {}))
    assert make_client(api).request("DELETE", "/v1/clusters/demo") == {}


def test_non_json_answer_raises(api):
    api.on("GET", "/v1/clusters", (200, "<html>oops</html>", {}))
    with pytest.raises(NksMalformedAnswer) as err:
        make_client(api).get("/v1/clusters")
    assert "not JSON" in str(err.value)
    assert "<html>oops</html>" in err.value.got


def test_identity_answer_without_token_raises(api):
    api.on("POST", TOKEN_PATH, (200, {"access": {}}, {}))
    with pytest.raises(NksApiError) as err:
        make_client(api).authenticate()
    assert "access.token.id" in str(err.value)


# -- 401: re-authentication --------------------------------------------------

def test_one_reauthentication_on_401_then_success(api):
    api.on("GET", "/v1/clusters",
           (401, {"error": {"code": 401, "title": "Unauthorized", "message": "expired"}}, {}),
           (200, {"clusters": [{"name": "demo"}]}, {}))
    client = make_client(api)
    assert client.get("/v1/clusters") == {"clusters": [{"name": "demo"}]}
    assert len(api.calls("POST", TOKEN_PATH)) == 2
    assert [r["headers"]["x-auth-token"] for r in api.calls("GET")] == ["tok-1", "tok-2"]


def test_second_401_raises_auth_error(api):
    api.on("GET", "/v1/clusters",
           (401, {"error": {"code": 401, "title": "Unauthorized", "message": "token revoked"}}, {}))
    client = make_client(api)
    with pytest.raises(NksAuthError) as err:
        client.get("/v1/clusters")
    assert err.value.status == 401
    assert err.value.detail == "token revoked"
    assert len(api.calls("GET")) == 2
    assert len(api.calls("POST", TOKEN_PATH)) == 2
    assert_no_secret(err.value, client)


def test_unsafe_post_after_reauthentication_not_retried(api):
    api.on("POST", "/v1/clusters", (401, {"error": {"message": "expired"}}, {}),
           (503, magnum_error(503, "busy"), {}), (202, {"uuid": "c-1"}, {}))
    with pytest.raises(NksApiError) as err:
        make_client(api).request("POST", "/v1/clusters", {"name": "demo"})
    assert err.value.status == 503
    assert len(api.calls("POST", "/v1/clusters")) == 2
    assert len(api.calls("POST", TOKEN_PATH)) == 2


def test_401_with_token_only_raises_at_once(api):
    api.on("GET", "/v1/clusters", (401, {"error": {"message": "bad token"}}, {}))
    client = make_client(api, auth_token="old", tenant_id=None, username=None, api_password=None)
    with pytest.raises(NksAuthError):
        client.get("/v1/clusters")
    assert len(api.calls("GET")) == 1
    assert api.calls("POST", TOKEN_PATH) == []


def test_bad_credentials_keystone_body_parsed(api):
    api.on("POST", TOKEN_PATH, (401, {"error": {
        "code": 401, "title": "Unauthorized",
        "message": "The request you have made requires authentication."}}, {}))
    client = make_client(api)
    with pytest.raises(NksAuthError) as err:
        client.get("/v1/clusters")
    assert err.value.status == 401
    assert err.value.detail == "The request you have made requires authentication."
    assert err.value.method == "POST"
    assert err.value.url.endswith(TOKEN_PATH)
    # A refused password is not sent again, and nothing reached the NKS API.
    assert len(api.calls("POST", TOKEN_PATH)) == 1
    assert api.calls("GET") == []
    assert_no_secret(err.value, client)


# -- errors -------------------------------------------------------------------

def test_magnum_error_body_and_request_id_header(api):
    api.on("GET", "/v1/clusters/nope",
           (404, magnum_error(404, "Cluster nope could not be found.", "req-body"),
            {"X-OpenStack-Request-Id": "req-header-1"}))
    with pytest.raises(NksNotFound) as err:
        make_client(api).get("/v1/clusters/nope")
    exc = err.value
    assert exc.status == 404
    assert exc.detail == "Cluster nope could not be found."
    assert exc.request_id == "req-header-1"
    assert exc.method == "GET"
    assert exc.url == api.url + "/v1/clusters/nope"
    assert "HTTP 404" in str(exc)
    assert "Cluster nope could not be found." in str(exc)


def test_request_id_from_the_body(api):
    api.on("POST", "/v1/clusters/demo/nodegroups",
           (409, magnum_error(409, "A node group with name pool already exists.", "req-body-2"), {}))
    with pytest.raises(NksConflict) as err:
        make_client(api).request("POST", "/v1/clusters/demo/nodegroups", {"name": "pool"})
    assert err.value.status == 409
    assert err.value.request_id == "req-body-2"
    assert "already exists" in err.value.detail


def test_empty_request_id_is_none(api):
    api.on("GET", "/v1/clusters/x", (400, magnum_error(400, "bad"), {}))
    with pytest.raises(NksApiError) as err:
        make_client(api).get("/v1/clusters/x")
    assert err.value.request_id is None
    assert err.value.__class__ is NksApiError


@pytest.mark.parametrize("status, cls", [(400, NksApiError), (403, NksApiError), (404, NksNotFound),
                                         (406, NksApiError), (409, NksConflict)])
def test_status_to_exception_class(api, status, cls):
    api.on("GET", "/v1/x", (status, magnum_error(status, "detail %d" % status), {}))
    with pytest.raises(NksApiError) as err:
        make_client(api).get("/v1/x")
    assert err.value.__class__ is cls
    assert err.value.detail == "detail %d" % status
    assert len(api.calls("GET")) == 1  # 4xx is never retried


def test_plain_text_error_body(api):
    api.on("GET", "/v1/x", (400, "plain failure text", {}))
    with pytest.raises(NksApiError) as err:
        make_client(api).get("/v1/x")
    assert err.value.detail == "plain failure text"


# -- retries -------------------------------------------------------------------

@pytest.mark.parametrize("status", [503, 429, 500, 502, 504])
def test_get_retried_then_succeeds(api, status):
    api.on("GET", "/v1/clusters", (status, magnum_error(status, "busy"), {}),
           (status, magnum_error(status, "busy"), {}), (200, {"clusters": []}, {}))
    assert make_client(api).get("/v1/clusters") == {"clusters": []}
    assert len(api.calls("GET")) == 3


def test_get_gives_up_after_retries(api):
    api.on("GET", "/v1/clusters", (503, magnum_error(503, "still busy"), {}))
    with pytest.raises(NksApiError) as err:
        make_client(api, retries=2).get("/v1/clusters")
    assert err.value.status == 503
    assert err.value.detail == "still busy"
    assert len(api.calls("GET")) == 3  # the first try and two retries


def test_unsafe_post_not_retried_on_503(api):
    api.on("POST", "/v1/clusters", (503, magnum_error(503, "busy"), {}), (202, {"uuid": "c-1"}, {}))
    with pytest.raises(NksApiError) as err:
        make_client(api).request("POST", "/v1/clusters", {"name": "demo"})
    assert err.value.status == 503
    assert len(api.calls("POST", "/v1/clusters")) == 1


def test_unsafe_patch_not_retried_on_503(api):
    api.on("PATCH", "/v1/clusters/demo", (503, magnum_error(503, "busy"), {}), (200, {}, {}))
    with pytest.raises(NksApiError):
        make_client(api).request("PATCH", "/v1/clusters/demo", [{"op": "replace"}])
    assert len(api.calls("PATCH")) == 1


def test_safe_post_retried_on_503(api):
    path = "/v1/clusters/demo/nodegroups/default-worker/autoscale"
    api.on("POST", path, (503, magnum_error(503, "busy"), {}), (200, {"uuid": "ng-1"}, {}))
    assert make_client(api).request("POST", path, {"ca_enable": "True"}, safe=True) == {"uuid": "ng-1"}
    assert len(api.calls("POST", path)) == 2


def test_delete_is_retried_by_default(api):
    api.on("DELETE", "/v1/clusters/demo", (503, magnum_error(503, "busy"), {}), (204, None, {}))
    assert make_client(api).request("DELETE", "/v1/clusters/demo") == {}
    assert len(api.calls("DELETE")) == 2


def test_get_connection_reset_is_retried(api):
    api.on("GET", "/v1/clusters", RESET, RESET, (200, {"clusters": []}, {}))
    assert make_client(api).get("/v1/clusters") == {"clusters": []}
    assert len(api.calls("GET")) == 3


def test_unsafe_post_connection_reset_not_retried(api):
    api.on("POST", "/v1/clusters", RESET, (202, {"uuid": "c-1"}, {}))
    client = make_client(api)
    with pytest.raises(NksConnectionError) as err:
        client.request("POST", "/v1/clusters", {"name": "demo"})
    assert err.value.method == "POST"
    assert len(api.calls("POST", "/v1/clusters")) == 1
    assert_no_secret(err.value)


def test_get_connection_reset_gives_up(api):
    api.on("GET", "/v1/clusters", RESET)
    with pytest.raises(NksConnectionError) as err:
        make_client(api, retries=2).get("/v1/clusters")
    assert len(api.calls("GET")) == 3
    assert err.value.url == api.url + "/v1/clusters"


def test_identity_retried_on_503(api):
    api.on("POST", TOKEN_PATH, (503, "busy", {}), (200, token_body("tok-x"), {}))
    api.on("GET", "/v1/clusters", (200, {"clusters": []}, {}))
    make_client(api).get("/v1/clusters")
    assert len(api.calls("POST", TOKEN_PATH)) == 2
    assert api.calls("GET")[0]["headers"]["x-auth-token"] == "tok-x"


def test_unreachable_api_raises_connection_error():
    # A port nobody listens on.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = "http://127.0.0.1:%d" % port
    client = NksClient(api_url=url, identity_url=url, tenant_id="t", username="u",
                       api_password=PASSWORD, policy=policy(1), timeout=2)
    with pytest.raises(NksConnectionError) as err:
        client.get("/v1/clusters")
    assert_no_secret(err.value, client)


# -- construction --------------------------------------------------------------

@pytest.mark.parametrize("region", ["kr1", "kr2", "kr3"])
def test_region_endpoint(region):
    assert region_endpoint(region) == (
        "https://%s-api-kubernetes-infrastructure.nhncloudservice.com" % region)


@pytest.mark.parametrize("region", ["kr4", "", None, "jp1"])
def test_region_endpoint_refuses_unknown(region):
    with pytest.raises(ValueError):
        region_endpoint(region)


def test_client_defaults():
    client = NksClient(region="kr2", auth_token="t")
    assert client.api_url == "https://kr2-api-kubernetes-infrastructure.nhncloudservice.com"
    assert client.identity_url == IDENTITY_URL
    assert IDENTITY_URL == "https://api-identity-infrastructure.nhncloudservice.com"
    assert NksClient(api_url="http://x/", auth_token="t").api_url == "http://x"


@pytest.mark.parametrize("kwargs", [
    {},
    {"tenant_id": "t", "username": "u"},
    {"tenant_id": "t", "api_password": PASSWORD},
    {"username": "u", "api_password": PASSWORD},
    {"auth_token": ""},
])
def test_missing_credentials(kwargs):
    with pytest.raises(ValueError) as err:
        NksClient(api_url="http://127.0.0.1:9", **kwargs)
    assert "credentials" in str(err.value)
    assert_no_secret(err.value)


def test_password_not_in_repr():
    client = NksClient(api_url="http://127.0.0.1:9", tenant_id="t", username="u",
                       api_password=PASSWORD)
    assert_no_secret(client)


# -- retry budget and 429 ------------------------------------------------------

def test_get_survives_nine_faults_in_a_row_with_the_default_budget(api):
    # The CI failure this budget fixes: three 5xx in a row ended a run. Ten attempts
    # (docs/reliability.md) ride out nine.
    api.on("GET", "/v1/clusters", *([(503, magnum_error(503, "busy"), {})] * 9 + [(200, {"clusters": []}, {})]))
    client = make_client(api, policy=RetryPolicy(backoff=0.001, backoff_max=0.002))
    assert client.get("/v1/clusters") == {"clusters": []}
    assert len(api.calls("GET")) == 10


def test_unsafe_post_is_repeated_after_429(api):
    # A 429 was not carried out: even a create is sent again, after Retry-After.
    api.on("POST", "/v1/clusters", (429, magnum_error(429, "slow down"), {"Retry-After": "0"}),
           (429, magnum_error(429, "slow down"), {}), (202, {"uuid": "c-1"}, {}))
    assert make_client(api).request("POST", "/v1/clusters", {"name": "demo"}) == {"uuid": "c-1"}
    assert len(api.calls("POST", "/v1/clusters")) == 3


def test_429_that_outlasts_the_budget_carries_retry_after(api):
    api.on("POST", "/v1/clusters", (429, magnum_error(429, "slow down"), {"Retry-After": "0"}))
    with pytest.raises(NksApiError) as err:
        make_client(api, retries=2).request("POST", "/v1/clusters", {"name": "demo"})
    assert err.value.status == 429
    assert err.value.retry_after == 0.0
    assert len(api.calls("POST", "/v1/clusters")) == 3


# -- errors that say what to check ----------------------------------------------

SOURCES = {"tenant_id": "environment variable NHN_CLOUD_TENANT_ID", "username": "option username",
           "api_password": "environment variable NHN_CLOUD_API_PASSWORD",
           "api_url": "environment variable NKS_API_URL", "auth_token": "option auth_token"}


def test_refused_credentials_name_their_sources_never_values(api):
    api.on("POST", TOKEN_PATH, (401, {"error": {"message": "The request you have made requires authentication."}}, {}))
    client = make_client(api, sources=SOURCES)
    with pytest.raises(NksAuthError) as err:
        client.get("/v1/clusters")
    message = str(err.value)
    assert "requires authentication" in message
    assert "tenant_id (environment variable NHN_CLOUD_TENANT_ID)" in message
    assert "username (option username)" in message
    assert "api_password (environment variable NHN_CLOUD_API_PASSWORD)" in message
    assert "not the console login password" in message
    assert "tenant-1" not in message and "user@example.com" not in message
    assert_no_secret(err.value)


def test_refused_given_token_says_expired_or_revoked(api):
    api.on("GET", "/v1/clusters", (401, {"error": {"message": "token expired"}}, {}))
    client = make_client(api, auth_token="old-token", tenant_id=None, username=None, api_password=None,
                         sources=SOURCES)
    with pytest.raises(NksAuthError) as err:
        client.get("/v1/clusters")
    message = str(err.value)
    assert "auth_token (option auth_token) was refused" in message
    assert "expired" in message and "revoked" in message
    assert "old-token" not in message


def test_fresh_token_refused_says_so(api):
    api.on("GET", "/v1/clusters", (401, {"error": {"message": "no"}}, {}))
    client = make_client(api, sources=SOURCES)
    with pytest.raises(NksAuthError) as err:
        client.get("/v1/clusters")
    assert "A token just issued" in str(err.value)
    assert "api_url, set by environment variable NKS_API_URL" in str(err.value)


def closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return "http://127.0.0.1:%d" % port


@pytest.mark.parametrize("given, expected", [
    ({"api_url": "option api_url"}, "check api_url, set by option api_url"),
    ({"api_url": "environment variable NKS_API_URL"}, "check api_url, set by environment variable NKS_API_URL"),
])
def test_unreachable_api_names_url_and_setting_quickly(given, expected):
    # Timing bound: a refused connection fails at once; the 3 tries sleep at most
    # 0.5 + 1.0 s of backoff (the jitter only shortens it), so 1.5 s in all against a
    # 10 s bound: only a stall of 8.5 s of the test process could fail it.
    import time
    url = closed_port_url()
    client = NksClient(api_url=url, identity_url=url, auth_token="t", sources=given)
    started = time.monotonic()
    with pytest.raises(NksConnectionError) as err:
        client.get("/v1/clusters")
    assert time.monotonic() - started < 10.0
    message = str(err.value)
    assert url + "/v1/clusters" in message
    assert "cannot connect to the NKS API" in message
    assert "Connection refused" in message and "3 tries" in message
    assert expected in message


def test_unreachable_identity_names_identity_url():
    url = closed_port_url()
    client = NksClient(api_url="http://127.0.0.1:1", identity_url=url, tenant_id="t", username="u",
                       api_password=PASSWORD, sources={"identity_url": "environment variable NHN_CLOUD_IDENTITY_URL"})
    with pytest.raises(NksConnectionError) as err:
        client.get("/v1/clusters")
    assert "cannot connect to the NHN Cloud identity API" in str(err.value)
    assert "identity_url, set by environment variable NHN_CLOUD_IDENTITY_URL" in str(err.value)
    assert url + "/v2.0/tokens" in str(err.value)
    assert_no_secret(err.value)


def test_unreachable_region_endpoint_names_region():
    client = NksClient(region="kr2", auth_token="t", sources={"region": "environment variable NHN_CLOUD_REGION"})
    hint = client._endpoint_hint(False)  # pylint: disable=protected-access
    assert "region kr2 (environment variable NHN_CLOUD_REGION)" in hint
    assert "api_url (NKS_API_URL)" in hint


# -- construction in one place ------------------------------------------------------

def test_option_sources_option_wins_over_environment():
    env = {"NKS_API_URL": "http://x", "NHN_CLOUD_REGION": "kr2", "NHN_CLOUD_API_PASSWORD": PASSWORD}
    sources = option_sources({"api_url": "http://y", "region": None}, env)
    assert sources == {"api_url": "option api_url", "region": "environment variable NHN_CLOUD_REGION",
                       "api_password": "environment variable NHN_CLOUD_API_PASSWORD"}
    assert PASSWORD not in str(sources)


def test_client_from_options_applies_the_defaults():
    client = client_from_options({"auth_token": "t", "region": None, "http_timeout": None,
                                  "validate_certs": None})
    assert client.api_url == region_endpoint(DEFAULT_REGION) == region_endpoint("kr1")
    assert client.identity_url == IDENTITY_URL
    assert client.timeout == DEFAULT_TIMEOUT == 30.0
    assert client.session.verify is True
    assert REGIONS == ("kr1", "kr2", "kr3")
    custom = client_from_options({"auth_token": "t", "region": "kr3", "http_timeout": 5.0, "validate_certs": False})
    assert custom.api_url == region_endpoint("kr3") and custom.timeout == 5.0 and custom.session.verify is False


def test_missing_credentials_name_what_is_missing():
    with pytest.raises(ValueError) as err:
        client_from_options({"tenant_id": "t", "api_password": PASSWORD})
    assert "not set: username" in str(err.value)
    assert "NHN_CLOUD_USERNAME" in str(err.value)
    assert_no_secret(err.value)
