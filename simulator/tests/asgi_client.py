"""A minimal in-process ASGI client (no httpx): one request through the whole app, middleware included."""

from __future__ import annotations

import asyncio
import json
from typing import Optional, Tuple


async def _call(app, method: str, path: str, headers: dict, body: bytes) -> Tuple[int, dict, bytes]:
    path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 12345),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    sent = {"done": False}
    out = {"status": 0, "headers": {}, "body": b""}

    async def receive() -> dict:
        if sent["done"]:
            return {"type": "http.disconnect"}
        sent["done"] = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return out["status"], out["headers"], out["body"]


def request(app, method: str, path: str, json_body: Optional[dict] = None,
            headers: Optional[dict] = None) -> Tuple[int, dict, bytes]:
    """Send one request to the ASGI ``app``; returns (status, lower-case headers, body bytes)."""
    all_headers = {"host": "testserver", **(headers or {})}
    body = b""
    if json_body is not None:
        body = json.dumps(json_body).encode()
        all_headers["content-type"] = "application/json"
    all_headers["content-length"] = str(len(body))
    return asyncio.run(_call(app, method, path, all_headers, body))


def fast_app_and_headers():
    """A fresh app (fast profile, time scale 0.001: operations complete within milliseconds) and the
    headers of a client holding a token for its default credentials."""
    from nks_simulator.app import create_app
    from nks_simulator.config import SimConfig

    config = SimConfig(profile="fast", time_scale=0.001)
    app = create_app(config)
    status, _, body = request(app, "POST", "/v2.0/tokens", {"auth": {
        "tenantId": config.tenant_id,
        "passwordCredentials": {"username": config.username, "password": config.api_password}}})
    assert status == 200, body
    return app, {"x-auth-token": json.loads(body)["access"]["token"]["id"],
                 "openstack-api-version": "container-infra latest"}
