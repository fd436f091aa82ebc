"""Request log, fault injection and protocol headers, as one raw ASGI middleware.

For every identity (``POST /v2.0/tokens``) and ``/v1`` request, in order:
added latency (``latency_ms``), an injected error *before* processing
(``error_rate`` / ``error_codes``), the ``OpenStack-API-Version`` check (406,
NKS_API_NOTES.md), the request itself, and optionally a dropped answer
(``drop_rate``: processed, then the connection is cut mid-response).
``/_sim/`` requests are never faulted nor logged. Every response carries
``X-OpenStack-Request-Id``.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
import time
from collections import Counter
from typing import Any, Callable, List, Optional

from starlette.routing import Match

from .errors import keystone_body, magnum_body, new_request_id
from .models import REJECT_UNKNOWN

MIN_VERSION = (1, 1)
MAX_VERSION = (1, 10)
VERSION_RE = re.compile(r"^\s*container-infra\s+(latest|(\d+)\.(\d+))\s*$", re.IGNORECASE)


class RequestLog:
    """The ``/_sim/requests`` log and ``/_sim/stats`` counters."""

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._entries: List[dict] = []
            self._seq = 0
            self._by_route: Counter = Counter()
            self._totals: Counter = Counter()

    def record(self, method: str, path: str, route: str, status: int, kind: str, fault: Optional[str]) -> None:
        with self._lock:
            self._seq += 1
            self._entries.append({"seq": self._seq, "time": time.time(), "method": method, "path": path,
                                  "route": route, "status": status, "kind": kind, "fault": fault})
            self._totals[kind] += 1
            self._by_route[(method, route, status)] += 1

    def since(self, seq: int = 0) -> List[dict]:
        with self._lock:
            return [dict(e) for e in self._entries if e["seq"] > seq]

    def stats(self) -> dict:
        with self._lock:
            return {
                "totals": {k: self._totals.get(k, 0) for k in ("identity", "read", "mutate")},
                "by_route": [{"method": m, "route": r, "status": s, "count": c}
                             for (m, r, s), c in sorted(self._by_route.items(), key=lambda i: (i[0][1], i[0][0], i[0][2]))],
            }


def classify(method: str, path: str) -> Optional[str]:
    """``identity`` / ``read`` / ``mutate`` for logged requests, ``None`` otherwise."""
    if path.rstrip("/") == "/v2.0/tokens":
        return "identity"
    if path == "/v1" or path.startswith("/v1/"):
        return "read" if method in ("GET", "HEAD") else "mutate"
    return None


def parse_version_header(value: Optional[str]) -> Optional[str]:
    """Return the version to announce (``1.x``) or ``None`` when the header is malformed."""
    if value is None or not value.strip():
        return "%d.%d" % MIN_VERSION
    match = VERSION_RE.match(value)
    if not match:
        return None
    if match.group(1).lower() == "latest":
        return "%d.%d" % MAX_VERSION
    wanted = (int(match.group(2)), int(match.group(3)))
    if not MIN_VERSION <= wanted <= MAX_VERSION:
        return None
    return "%d.%d" % wanted


BAD_VERSION = ("Invalid value for OpenStack-API-Version header; expected 'container-infra latest' or "
               "'container-infra 1.N' with N between %d and %d." % (MIN_VERSION[1], MAX_VERSION[1]))
MISSING_VERSION = "The OpenStack-API-Version header is required (e.g. 'container-infra latest')."


def version_required(policy: str, path: str) -> bool:
    """``require_api_version``: ``nodegroups`` (node group paths, as NKS answered 406 on a
    node group list without the header), ``all`` (every ``/v1`` path) or ``none``."""
    return policy == "all" or (policy == "nodegroups" and "/nodegroups" in path)


def version_headers(scope: dict, policy: str) -> tuple:
    """(extra response headers, 406 detail or ``None``) for a ``/v1`` request."""
    headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
    value = headers.get("openstack-api-version")
    announced = parse_version_header(value)
    extra = [(b"openstack-api-minimum-version", b"container-infra %d.%d" % MIN_VERSION),
             (b"openstack-api-maximum-version", b"container-infra %d.%d" % MAX_VERSION),
             (b"vary", b"OpenStack-API-Version")]
    if announced is not None:
        extra.append((b"openstack-api-version", f"container-infra {announced}".encode()))
    if not (value or "").strip() and version_required(policy, scope["path"]):
        return extra, MISSING_VERSION
    return extra, None if announced is not None else BAD_VERSION


def strip_trailing_slash(scope: dict) -> dict:
    """``/v1/clusters/`` is answered as ``/v1/clusters`` (OpenStack clients send both; no redirect)."""
    path = scope["path"]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
        scope = dict(scope, path=path, raw_path=path.encode())
    return scope


class SimMiddleware:
    """Raw ASGI middleware implementing the ``/_sim/`` fault knobs and request log."""

    def __init__(self, app: Any, runtime: Any):
        self.app = app
        self.runtime = runtime

    def _route(self, scope: dict) -> str:
        partial = None
        for route in self.runtime.routes():
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return route.path
            if match == Match.PARTIAL and partial is None:
                partial = route.path
        return partial or scope["path"]

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        """ASGI entry: request id and trailing slash for every HTTP request; faults, protocol
        headers and the log for identity and ``/v1`` requests (:meth:`_logged`)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope = strip_trailing_slash(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        kind = classify(scope["method"], scope["path"])
        extra = [(b"x-openstack-request-id", request_id.encode())]
        if kind is None:
            await self.app(scope, receive, _with_headers(send, extra))
        else:
            await self._logged(scope, receive, send, kind, extra)

    async def _logged(self, scope: dict, receive: Callable, send: Callable, kind: str, extra: list) -> None:
        """One identity or ``/v1`` request: latency, injected error, version check, then the
        request itself (answer dropped or not); logged with the status the client saw."""
        runtime, cfg = self.runtime, self.runtime.config
        route = self._route(scope)
        request_id = scope["state"]["request_id"]

        def record(status: int, fault: Optional[str]) -> None:
            runtime.log.record(scope["method"], scope["path"], route, status, kind, fault)

        fault = None
        if cfg.latency_ms > 0:
            fault = "latency"
            await asyncio.sleep(cfg.latency_ms / 1000.0)
        inject_error, drop, code = runtime.draw_faults()
        version_error = None
        if kind != "identity":
            headers, version_error = version_headers(scope, cfg.require_api_version)
            extra = extra + headers
            REJECT_UNKNOWN.set(cfg.reject_unknown_attributes)
        if inject_error:
            await _send_json(send, code, _injected_body(kind, code, request_id),
                             extra + ([(b"retry-after", b"1")] if code == 429 else []))
            record(code, "error")
        elif version_error is not None:
            await _send_json(send, 406, magnum_body(406, version_error, request_id), extra)
            record(406, fault)
        elif drop:
            messages = await _captured(self.app, scope, receive)
            record(_status(messages), "drop")
            await _send_cut(send, messages, extra)
        else:
            await self._passed(scope, receive, send, extra, record, fault)

    async def _passed(self, scope: dict, receive: Callable, send: Callable, extra: list,
                      record: Callable, fault: Optional[str]) -> None:
        """The request through the app with ``extra`` headers, logged even when the app raises (500)."""
        status_box = {"status": 500}

        async def record_status(message: dict) -> None:
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, _with_headers(record_status, extra))
        finally:
            record(status_box["status"], fault)


def _injected_body(kind: str, code: int, request_id: str) -> dict:
    """The body of an injected error (``error_rate``): Keystone shape for identity, Magnum's otherwise."""
    if kind == "identity":
        return keystone_body(code, "Simulated failure (error_rate).")
    return magnum_body(code, "Simulated failure (error_rate).", request_id)


async def _captured(app: Callable, scope: dict, receive: Callable) -> List[dict]:
    """Run the request through ``app`` and return the ASGI messages it sent, unsent."""
    captured: List[dict] = []

    async def capture(message: dict) -> None:
        captured.append(message)

    await app(scope, receive, capture)
    return captured


def _status(messages: List[dict]) -> int:
    """The status of captured messages (500 when the app sent no start)."""
    return next((m["status"] for m in messages if m["type"] == "http.response.start"), 500)


async def _send_cut(send: Callable, messages: List[dict], extra: list) -> None:
    """``drop_rate``: send half of the captured answer and announce more (``Content-Length`` + 64); the
    server then closes the connection, so the client sees an incomplete answer after the change was made."""
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    start = next((m for m in messages if m["type"] == "http.response.start"), None)
    status = start["status"] if start and start["status"] not in (204, 304) else 200
    hdrs = [(k, v) for k, v in (start or {}).get("headers", []) if k.lower() != b"content-length"]
    hdrs.append((b"content-length", str(len(body) + 64).encode()))
    await send({"type": "http.response.start", "status": status, "headers": hdrs + extra})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})


def _with_headers(send: Callable, extra: list) -> Callable:
    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            message = dict(message)
            existing = {k.lower() for k, _ in message.get("headers", [])}
            message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in existing]
        await send(message)
    return wrapped


async def _send_json(send: Callable, status: int, body: dict, headers: list) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())] + headers})
    await send({"type": "http.response.body", "body": payload})


class FaultDice:
    """Seeded randomness for ``error_rate`` / ``drop_rate`` (reproducible with ``seed``)."""

    def __init__(self, seed: Optional[int]):
        self._lock = threading.Lock()
        self._rng = random.Random(seed)

    def draw(self, error_rate: float, drop_rate: float, codes: List[int]) -> tuple:
        with self._lock:
            inject = error_rate > 0 and self._rng.random() < error_rate
            code = self._rng.choice(codes) if inject else 0
            drop = (not inject) and drop_rate > 0 and self._rng.random() < drop_rate
            return inject, drop, code
