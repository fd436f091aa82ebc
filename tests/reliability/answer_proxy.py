# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small HTTP proxy in front of the simulator that spoils chosen answers (docs/reliability.md,
"Malformed and slow answers").

It listens on 127.0.0.1 (port chosen by the OS), passes every request to the simulator and its
answer back, except for the requests a :class:`Rule` matches: those get, in place of the
simulator's answer (the request still reaches the simulator, as a real answer lost on its way
back would have), one of

- ``empty``: ``200`` with an empty body; ``null``: ``200`` ``null``; ``array``: ``200`` ``[]``;
- ``nostatus``: the simulator's JSON with every ``status`` key removed (a cluster without status);
- ``emptylist``: ``{"clusters": []}`` / ``{"nodegroups": []}`` (a well-formed but wrong list);
- ``truncated``: the first half of the JSON, ``Content-Length`` matching (truncated JSON);
- ``html``: ``200`` ``text/html`` (a login page or a proxy's error page);
- ``drip``: the simulator's answer, one byte every ``interval`` seconds;
- ``silent``: nothing for ``seconds`` seconds, then the connection is closed;
- ``delay``: the request reaches the simulator only once ``until()`` is true (then 0.5 s later), or after
  ``seconds`` seconds (a slow create).

Used by ``test_answers.py``; stopped by the test (:meth:`AnswerProxy.stop`).
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

MODES = ("empty", "null", "array", "nostatus", "emptylist", "truncated", "html", "drip", "silent", "delay")


class Rule:
    """Spoil the answers of requests ``method`` + ``path`` (a regular expression, matched in full
    against the path without the query) with ``mode``: the first ``count`` matches (``None``: all),
    after ``skip`` matches have passed untouched."""

    def __init__(self, method, path, mode, count=1, skip=0, interval=1.0, seconds=60.0, until=None):
        assert mode in MODES, mode
        self.method = method
        self.path = re.compile(path)
        self.mode = mode
        self.count = count
        self.skip = skip
        self.interval = interval
        self.seconds = seconds
        self.until = until
        self.used = 0

    def take(self, method, path):
        """``True`` when this request is to be spoiled (counts it)."""
        if method != self.method or not self.path.fullmatch(path):
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.count is not None and self.used >= self.count:
            return False
        self.used += 1
        return True


def _strip_status(value):
    if isinstance(value, dict):
        return dict((k, _strip_status(v)) for k, v in value.items() if k != "status")
    if isinstance(value, list):
        return [_strip_status(v) for v in value]
    return value


class AnswerProxy:
    """The proxy. :ivar str url: its base URL. :ivar list log: ``(method, path, mode or None)``."""

    def __init__(self, upstream):
        self.upstream = upstream.rstrip("/")
        self.rules = []
        self.log = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _any(self):
                proxy.handle(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add(self, *rules):
        with self.lock:
            self.rules.extend(rules)

    def spoiled(self, mode=None):
        """The requests whose answer was spoiled (with ``mode``, or any)."""
        return [entry for entry in self.log if entry[2] and (mode is None or entry[2] == mode)]

    # -- one request -----------------------------------------------------------

    def handle(self, handler):
        path = handler.path.split("?", 1)[0]
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        with self.lock:
            rule = next((r for r in self.rules if r.take(handler.command, path)), None)
        self.log.append((handler.command, path, rule.mode if rule else None))
        if rule is not None and rule.mode == "silent":
            time.sleep(rule.seconds)
            handler.close_connection = True
            return
        if rule is not None and rule.mode == "delay":
            end = time.monotonic() + rule.seconds
            while time.monotonic() < end and not (rule.until and rule.until()):
                time.sleep(0.05)
            time.sleep(0.5 if rule.until else 0)
        headers = dict((k, v) for k, v in handler.headers.items()
                       if k.lower() not in ("host", "content-length", "connection", "accept-encoding"))
        upstream = requests.request(handler.command, self.upstream + handler.path, data=body, headers=headers,
                                    timeout=60)
        ctype = upstream.headers.get("Content-Type", "application/json")
        status, content = upstream.status_code, upstream.content
        if rule is not None and rule.mode != "delay":
            status, content, ctype = self._spoil(rule, status, content, ctype)
        if rule is not None and rule.mode == "drip":
            self._send(handler, status, ctype, content, drip=rule.interval)
        else:
            self._send(handler, status, ctype, content)

    @staticmethod
    def _spoil(rule, status, content, ctype):
        mode = rule.mode
        if mode == "empty":
            return 200, b"", "application/json"
        if mode == "null":
            return 200, b"null", "application/json"
        if mode == "array":
            return 200, b"[]", "application/json"
        if mode == "html":
            return 200, b"<html><body><h1>Service temporarily unavailable</h1></body></html>", "text/html"
        if mode == "truncated":
            return status, content[:max(1, len(content) // 2)], ctype
        if mode in ("nostatus", "emptylist"):
            data = json.loads(content or b"{}")
            if mode == "nostatus":
                data = _strip_status(data)
            else:
                data = dict((key, []) for key in data if isinstance(data[key], list)) or {"clusters": []}
            return status, json.dumps(data).encode(), ctype
        return status, content, ctype  # drip: the answer itself, slowly

    @staticmethod
    def _send(handler, status, ctype, content, drip=None):
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", ctype)
            handler.send_header("Content-Length", str(len(content)))
            handler.end_headers()
            if drip is None:
                handler.wfile.write(content)
                return
            handler.wfile.flush()
            for index in range(len(content)):
                handler.wfile.write(content[index:index + 1])
                handler.wfile.flush()
                time.sleep(drip)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True
