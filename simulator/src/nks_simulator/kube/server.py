"""TLS listeners of the simulated clusters' Kubernetes API (one per cluster).

One selector thread accepts on every cluster's listening socket (127.0.0.1, an
ephemeral port kept in the cluster's state); each accepted connection gets a
thread that does the TLS handshake and serves HTTP/1.1 keep-alive requests with
:class:`~nks_simulator.kube.handler.KubeHandler`.  Client certificates are
requested and verified against the simulator's root (each cluster CA is
cross-certified by it), and the handler then checks that the certificate was
issued by *this* cluster's CA, so another cluster's certificate gets a 401
``Status`` like the real kube-apiserver's authenticator gives.
"""

from __future__ import annotations

import logging
import os
import resource
import secrets
import selectors
import socket
import struct
import ssl
import tempfile
import threading
import time
from typing import Dict, List, Optional, Set

from . import objects, pki

LOG = logging.getLogger("nks_simulator.kube")
#: Seconds between sweeps that close the listeners of deleted clusters.
SWEEP_SECONDS = 1.0
#: Seconds a TLS handshake may take (the idle keep-alive timeout is ``KubeHandler.timeout``).
HANDSHAKE_TIMEOUT = 10.0


class Listener:
    """A cluster's listening socket; its TLS context is made on the first connection."""

    def __init__(self, cluster_uuid: str, sock: socket.socket, material: dict):
        self.cluster_uuid = cluster_uuid
        self.sock = sock
        self.material = material
        self.context: Optional[ssl.SSLContext] = None
        self.port = sock.getsockname()[1]


def _bind(host: str, port: int) -> socket.socket:
    """A listening, non-blocking TCP socket on ``host:port`` (``port`` 0 = ephemeral)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _raise_open_files_limit() -> None:
    """Every cluster holds a listening socket: raise the soft open-files limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass


def _context(material: dict, roots: List[str]) -> ssl.SSLContext:
    """Server TLS context: the cluster's server certificate; client certificates requested
    (``CERT_OPTIONAL``) and verified against the simulator roots."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    fd, path = tempfile.mkstemp(prefix="nks-sim-kube-", suffix=".pem")
    try:
        with os.fdopen(fd, "w") as handle:  # mkstemp: mode 0600, removed right after loading
            handle.write(material["server_cert"] + material["server_key"])
        context.load_cert_chain(path)
    finally:
        os.unlink(path)
    context.verify_mode = ssl.CERT_OPTIONAL
    context.load_verify_locations(cadata="".join(roots))
    return context


class KubeAPI:
    """The Kubernetes API endpoints of every cluster of a :class:`~nks_simulator.state.Store`.

    ``provision`` gives a new cluster its port, certificates and namespaces (stored in the
    cluster as ``api_address`` and ``kube``); ``restore`` rebinds the stored ports after a
    restart (a taken port is replaced by a new one and ``api_address`` follows); ``close``
    stops every listener and connection thread.  Threads start with the first listener.
    """

    def __init__(self, store, host: str = "127.0.0.1"):
        self.store = store
        self.host = host
        self._lock = threading.Lock()
        self._listeners: Dict[str, Listener] = {}
        self._roots: List[str] = []
        self._root: Optional[dict] = None
        self._connections: Set[socket.socket] = set()
        self._workers: Set[threading.Thread] = set()
        self._thread: Optional[threading.Thread] = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._closed = False

    # ------------------------------------------------------------------ provisioning
    def _root_authority(self) -> dict:
        if self._root is None:
            self._root = pki.new_authority(f"nks-simulator-root-{secrets.token_hex(8)}", time.time())
            self._add_root(self._root["ca_cert"])
        return self._root

    def _add_root(self, pem: str) -> None:
        with self._lock:
            if pem in self._roots:
                return
            self._roots.append(pem)
            for listener in self._listeners.values():
                if listener.context is not None:
                    listener.context.load_verify_locations(cadata=pem)

    def provision(self, cluster_uuid: str, now: float, years: int) -> dict:
        """Fields of a new cluster: ``{"api_address": "https://127.0.0.1:<port>", "kube": record}``
        where ``record`` holds ``port``, ``pki`` (PEM strings, see :func:`pki.new_cluster_pki`)
        and ``namespaces``.  The listener serves from now on.  Raises ``OSError`` if no port
        can be bound."""
        sock = _bind(self.host, 0)
        material = pki.new_cluster_pki(cluster_uuid, self._root_authority(), self.host, now, years)
        record = {"port": sock.getsockname()[1], "pki": material, "namespaces": objects.initial_namespaces(now)}
        self._serve(cluster_uuid, sock, material)
        return {"api_address": f"https://{self.host}:{record['port']}", "kube": record}

    def restore(self, clusters: Dict[str, dict], now: float, years: int) -> bool:
        """Serve the stored clusters again (after loading a state file); clusters without a
        ``kube`` record (older state) are provisioned.  Returns whether a cluster changed
        (new record or new port), i.e. whether the state should be saved."""
        uids = list(clusters)  # then by key: a tracking state map saves the clusters it hands out
        for uid in uids:
            if "kube" in clusters[uid]:
                self._add_root(clusters[uid]["kube"]["pki"]["root_cert"])
        changed = False
        for uid in uids:
            cluster = clusters[uid]
            record = cluster.get("kube")
            if record is None:
                cluster.update(self.provision(cluster["uuid"], now, years))
                changed = True
                continue
            try:
                sock = _bind(self.host, record["port"])
            except OSError:
                LOG.warning("port %s of cluster %s is taken; its API moves to a new port",
                            record["port"], cluster["uuid"])
                sock = _bind(self.host, 0)
                record["port"] = sock.getsockname()[1]
                cluster["api_address"] = f"https://{self.host}:{record['port']}"
                changed = True
            self._serve(cluster["uuid"], sock, record["pki"])
        return changed

    def _serve(self, cluster_uuid: str, sock: socket.socket, material: dict) -> None:
        self._root_authority()  # every listener trusts at least this process's root
        listener = Listener(cluster_uuid, sock, material)
        with self._lock:
            if self._closed:
                sock.close()
                return
            self._listeners[cluster_uuid] = listener
            # epoll/poll registration is safe while the accept loop waits in select()
            self._selector.register(sock, selectors.EVENT_READ, listener)
            if self._thread is None:
                _raise_open_files_limit()
                self._thread = threading.Thread(target=self._loop, name="nks-sim-kube-accept", daemon=True)
                self._thread.start()

    def _context(self, listener: Listener) -> ssl.SSLContext:
        with self._lock:
            if listener.context is None:
                listener.context = _context(listener.material, self._roots)
            return listener.context

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (watch streams end then)."""
        return self._closed

    def port(self, cluster_uuid: str) -> Optional[int]:
        """The port a cluster's API listens on, or ``None``."""
        with self._lock:
            listener = self._listeners.get(cluster_uuid)
            return listener.port if listener else None

    # ------------------------------------------------------------------ accept loop
    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def _loop(self) -> None:
        last_sweep = time.monotonic()
        while not self._closed:
            for key, _ in self._selector.select(timeout=SWEEP_SECONDS):
                if key.data is None:
                    self._wake_r.recv(4096)
                elif not self._closed:
                    self._accept(key.data)
            if time.monotonic() - last_sweep >= SWEEP_SECONDS:
                last_sweep = time.monotonic()
                self._sweep()

    def _sweep(self) -> None:
        """Close the listeners of clusters that are no longer in the state (deleted, reset)."""
        with self.store.lock:
            alive = set(self.store.state["clusters"])
        with self._lock:
            gone = [self._listeners.pop(uid) for uid in list(self._listeners) if uid not in alive]
            for listener in gone:
                self._selector.unregister(listener.sock)
                listener.sock.close()

    def _refusing(self, cluster_uuid: str) -> bool:
        """Whether the cluster's API refuses connections (the knob ``kube_api: refuse``,
        docs/simulator.md "Health and time")."""
        with self.store.lock:
            cluster = dict.get(self.store.state["clusters"], cluster_uuid)  # not a tracked lookup
            return bool(cluster) and cluster.get("sim_kube_api") == "refuse"

    def _accept(self, listener: Listener) -> None:
        try:
            conn, address = listener.sock.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        except OSError:
            return
        if self._refusing(listener.cluster_uuid):
            # a reset (RST) rather than an answer: clients see "connection reset" / "refused"
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
            return
        worker = threading.Thread(target=self._connection, args=(listener, conn, address),
                                  name=f"nks-sim-kube-{listener.port}", daemon=True)
        with self._lock:
            if self._closed:
                conn.close()
                return
            self._connections.add(conn)
            self._workers.add(worker)
        worker.start()

    def _connection(self, listener: Listener, conn: socket.socket, address: tuple) -> None:
        from .handler import KubeHandler

        try:
            conn.setblocking(True)
            conn.settimeout(HANDSHAKE_TIMEOUT)
            tls = self._context(listener).wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError) as exc:
            LOG.debug("TLS handshake with %s failed: %s", address, exc)
            self._forget(conn)
            conn.close()
            return
        with self._lock:
            self._connections.discard(conn)
            self._connections.add(tls)
        try:
            KubeHandler(tls, address, _Server(self, listener))
        except (OSError, ssl.SSLError) as exc:
            LOG.debug("connection from %s ended: %s", address, exc)
        except Exception:  # a malformed request must not leave a traceback per thread
            LOG.warning("connection from %s failed", address, exc_info=True)
        finally:
            self._forget(tls)
            try:
                tls.close()
            except OSError:
                pass

    def _forget(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)
            self._workers.discard(threading.current_thread())

    # ------------------------------------------------------------------ shutdown
    def close(self, timeout: float = 5.0) -> None:
        """Stop accepting, close every listener and open connection, join the threads."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            listeners = list(self._listeners.values())
            self._listeners.clear()
            connections = list(self._connections)
            workers = list(self._workers)
            thread = self._thread
        self._wake()
        if thread is not None:
            thread.join(timeout)
        for listener in listeners:
            listener.sock.close()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for worker in workers:
            worker.join(timeout)
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()


class _Server:
    """What :class:`KubeHandler` sees as ``self.server``."""

    def __init__(self, api: KubeAPI, listener: Listener):
        self.api = api
        self.listener = listener
