"""HTTP handler of a simulated cluster's Kubernetes API: read the request, check the
IP access list and the client certificate, call the route, write JSON or text.

Every request reads the cluster from the simulator's store (nodes are derived from
its node groups on each request; namespaces are stored in ``cluster["kube"]``).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Dict, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

from . import objects, pki, watch
from .routes import route

LOG = logging.getLogger("nks_simulator.kube")
#: Ready delay (seconds, before ``time_scale``) per profile when ``kube_ready_delay`` is unset.
READY_DELAY = {"fast": 3.0, "realistic": 60.0}
#: Paths served before the API is ready (everything else answers 503 until ``/readyz`` is ok).
ALWAYS_SERVED = re.compile(r"^/(version|livez|readyz|healthz)(/.*)?$")

Response = Tuple[int, object, Dict[str, str]]


def ready_delay(config) -> float:
    """Seconds after ``CREATE_COMPLETE`` before ``/readyz`` answers ok: ``kube_ready_delay``
    (or the profile's default: 3 s fast, 60 s realistic) times ``time_scale``."""
    base = getattr(config, "kube_ready_delay", None)
    if base is None:
        base = READY_DELAY.get(config.profile, READY_DELAY["fast"])
    return float(base) * config.time_scale


def ready_at(cluster: dict, config) -> Optional[float]:
    """When the cluster's API becomes ready (epoch seconds), or ``None`` while it is not
    created (``CREATE_IN_PROGRESS``, ``CREATE_FAILED``)."""
    if cluster["status"] in ("CREATE_IN_PROGRESS", "CREATE_FAILED"):
        return None
    created = [e["updated_at"] for e in cluster.get("events", [])
               if e["type"] == "CLUSTER_CREATE" and e["state"] == "SUCCESS"]
    return (max(created) if created else cluster["created_at"]) + ready_delay(config)


def acl_refuses(acl: dict, address: str) -> bool:
    """Whether the cluster's IP access control list (Enforce IP Access Control to Cluster
    API Endpoints) refuses ``address``: ``ALLOW`` lists the only admitted CIDRs, ``DENY``
    the refused ones; ``enable: false`` admits everyone."""
    if str(acl.get("enable")).lower() != "true":
        return False
    try:
        caller = ipaddress.ip_address(address)
        listed = any(caller in ipaddress.ip_network(str(t.get("cidr_address")), strict=False)
                     for t in acl.get("ipacl_targets") or [])
    except ValueError:
        return True
    return not listed if str(acl.get("action")).upper() == "ALLOW" else listed


class KubeHandler(BaseHTTPRequestHandler):
    """One connection to a cluster's API (HTTP/1.1, keep-alive)."""

    protocol_version = "HTTP/1.1"
    server_version = "nks-simulator-kube-apiserver"
    timeout = 30.0

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        LOG.debug("%s %s", self.client_address[0], format % args)

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch("PATCH")

    # ------------------------------------------------------------------ plumbing
    def _dispatch(self, method: str) -> None:
        api, uid = self.server.api, self.server.listener.cluster_uuid
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        snapshot = api.store.read(lambda s: self.snapshot(s, uid))
        if snapshot is None:  # the cluster is gone: like a deleted load balancer, no answer
            self.close_connection = True
            return
        cluster, operations = snapshot
        config, now = api.store.config, api.store.clock()
        try:
            code, body, headers = self._answer(method, raw, cluster, operations, config, now)
        except Exception:  # a bug must not kill the connection thread silently
            LOG.exception("kube API handler failed")
            code, body, headers = 500, objects.status(500, "InternalError", "internal error"), {}
        if isinstance(body, watch.Watch):
            watch.stream(self, body)
            return
        self._send(code, body, headers)

    @staticmethod
    def snapshot(state: dict, uid: str):
        """``(cluster, its pending operations)`` from the store's state, or ``None`` if gone."""
        cluster = state["clusters"].get(uid)
        if cluster is None:
            return None
        ops = [op for op in state["operations"] if op["cluster_uuid"] == uid]
        return cluster, ops

    def _send(self, code: int, body: object, headers: Dict[str, str]) -> None:
        if isinstance(body, str):
            data, kind = body.encode(), "text/plain; charset=utf-8"
        else:
            data, kind = json.dumps(body).encode(), "application/json"
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Audit-Id", str(uuid.uuid4()))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _answer(self, method: str, raw: bytes, cluster: dict, operations: list, config, now: float) -> Response:
        if acl_refuses(cluster.get("acl", {}), self.client_address[0]):
            message = (f"address {self.client_address[0]} is not allowed by the IP access control list of the "
                       "cluster's API endpoint (check the IP access list: nks_ipacl)")
            # The Python client shows the message; kubectl shows it (and the Warning header) for
            # `get --raw`, but only "Error from server (Forbidden): unknown" when discovery is refused.
            return 403, objects.status(403, "Forbidden", message), {"Warning": f'299 - "{message}"'}
        cert = self.connection.getpeercert(binary_form=True)
        if not cert or pki.issued_by(cert, cluster["kube"]["pki"]["ca_cert"], now) is None:
            return 401, objects.status(401, "Unauthorized", "Unauthorized"), {}
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        path = url.path.rstrip("/") or "/"
        if cluster.get("sim_kube_api"):  # the knob kube_api 503 (docs/simulator.md "Health and time")
            return 503, objects.status(503, "ServiceUnavailable", "the API server is not answering: etcd cluster "
                                                                  "is unavailable or misconfigured"), {}
        ready = ready_at(cluster, config)
        is_ready = ready is not None and now >= ready
        if not is_ready and not ALWAYS_SERVED.match(path):
            return 503, objects.status(503, "ServiceUnavailable", "the API server is starting: /readyz is not ok "
                                                                  "yet"), {"Retry-After": "1"}
        return route(self, method, path, query, raw, cluster, operations, now, is_ready)
