"""``?watch=true`` on ``nodes`` and ``namespaces``: a stream of watch events.

The stream (HTTP/1.1 chunked, one JSON ``{"type", "object"}`` per line) polls the
store every :data:`POLL_SECONDS` and sends ``ADDED``, ``MODIFIED`` and ``DELETED``
events for the objects that appear, change or disappear (or stop matching the
selectors).  Enough for ``kubectl wait --for=condition=Ready nodes --all`` (a
``sendInitialEvents=true`` watch: every object, then the ``initial-events-end``
bookmark) and ``kubectl get -w``; no other bookmarks, and a ``resourceVersion`` to
resume from only filters the first events (objects whose version is newer).  The stream ends after
``timeoutSeconds`` (at most 1800), when the client goes away, when the cluster is
deleted or when the simulator stops.
"""

from __future__ import annotations

import json
import select
import ssl
import time
from typing import Dict, List, Optional, Tuple

from . import objects

POLL_SECONDS = 0.25
MAX_SECONDS = 1800.0


class Watch:
    """The answer of a watch request, streamed by :func:`stream` instead of sent whole."""

    def __init__(self, resource: str, name: Optional[str], query: Dict[str, List[str]]):
        self.resource = resource
        self.name = name
        self.query = query


def _digest(obj: dict) -> str:
    """What counts as a change: everything but the conditions' heartbeat times."""
    status = dict(obj.get("status", {}))
    if "conditions" in status:
        status["conditions"] = [{k: v for k, v in c.items() if k != "lastHeartbeatTime"}
                                for c in status["conditions"]]
    return json.dumps({**obj, "status": status}, sort_keys=True)


def events(known: Dict[str, Tuple[str, dict]], items: List[dict], since: Optional[int]) -> List[dict]:
    """Watch events turning ``known`` (name -> (digest, object), updated in place) into
    ``items``.  ``since`` (first poll of a watch that resumes from a resourceVersion) marks
    objects not newer than it as already known."""
    found, current = [], {}
    for obj in items:
        name, digest = obj["metadata"]["name"], _digest(obj)
        current[name] = (digest, obj)
        if name not in known:
            newer = since is None or int(obj["metadata"]["resourceVersion"]) > since
            if newer:
                found.append({"type": "ADDED", "object": obj})
        elif known[name][0] != digest:
            found.append({"type": "MODIFIED", "object": obj})
    found += [{"type": "DELETED", "object": obj} for name, (_, obj) in known.items() if name not in current]
    known.clear()
    known.update(current)
    return found


def _client_gone(conn, timeout: float) -> bool:
    readable, _, _ = select.select([conn], [], [], timeout)
    if not readable:
        return False
    try:
        return conn.recv(1) == b""
    except (ssl.SSLWantReadError, BlockingIOError):
        return False
    except OSError:
        return True


def _since(query: Dict[str, List[str]]) -> Optional[int]:
    value = (query.get("resourceVersion") or [""])[0]
    if _flag(query, "sendInitialEvents"):
        return None
    return int(value) if value.isdigit() and value != "0" else None


def _flag(query: Dict[str, List[str]], name: str) -> bool:
    return (query.get(name) or ["false"])[0] in ("true", "1")


def initial_events_end(resource: str, resource_version: str) -> dict:
    """The ``BOOKMARK`` that ends the initial events of a ``sendInitialEvents=true`` watch
    (the "watch list" of client-go, which ``kubectl wait`` uses)."""
    kind = {"nodes": "Node", "namespaces": "Namespace"}[resource]
    return {"type": "BOOKMARK", "object": {"kind": kind, "apiVersion": "v1", "metadata": {
        "resourceVersion": resource_version, "annotations": {"k8s.io/initial-events-end": "true"}}}}


def stream(handler, watch: Watch) -> None:
    """Write the watch stream of ``watch`` to ``handler`` (a ``KubeHandler``) until it ends."""
    from .routes import items_for

    def watch_items(watch: Watch, snapshot: tuple, now: float) -> List[dict]:
        return items_for(watch.resource, watch.name, watch.query, *snapshot, now)

    api, uid = handler.server.api, handler.server.listener.cluster_uuid
    timeout = min(float((watch.query.get("timeoutSeconds") or [MAX_SECONDS])[0]), MAX_SECONDS)
    deadline = time.monotonic() + timeout
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.send_header("Cache-Control", "no-cache, private")
    handler.end_headers()
    known: Dict[str, Tuple[str, dict]] = {}
    since, first = _since(watch.query), True
    try:
        while time.monotonic() < deadline and not api.closed:
            snapshot = api.store.read(lambda s: handler.snapshot(s, uid))
            if snapshot is None:
                break
            now = api.store.clock()
            found = events(known, watch_items(watch, snapshot, now), since)
            if first and _flag(watch.query, "sendInitialEvents") and _flag(watch.query, "allowWatchBookmarks"):
                found.append(initial_events_end(watch.resource, objects.resource_version(now)))
            for event in found:
                data = json.dumps(event).encode() + b"\n"
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            since, first = None, False
            if _client_gone(handler.connection, POLL_SECONDS):
                return
        handler.wfile.write(b"0\r\n\r\n")
    except OSError:
        return
