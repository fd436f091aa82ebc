"""Durable state of the simulator (``--state-file``): SQLite, one row per resource.

The store keeps its state as one JSON-shaped dict in memory (see
:mod:`nks_simulator.state`); this module persists it so that the cost of a
change does not grow with the number of resources:

* table ``resources(kind, key, body)``: one row per cluster (with its node
  groups, nodes, events and IP ACL), per identity token and per pending
  operation, plus ``meta`` rows (``version``, ``counters``, ``fail_next``);
* a save writes only the rows that changed, in one transaction: the clusters
  reached through the ``state["clusters"]`` mapping since the last save (a
  :class:`TrackedMap` records the keys it was asked for), the operations added
  or removed (an operation is never changed once started), and the tokens and
  ``meta`` rows whose JSON differs from the last saved one;
* the database is in WAL mode with ``synchronous=NORMAL``: a transaction is
  written to the WAL file (a ``write()`` into the operating system) before the
  API answers, so ``kill -9`` of the simulator loses nothing acknowledged; a
  power failure or kernel crash may lose the last transactions (``FULL`` would
  add an ``fsync`` per change).

An old ``--state-file`` in the JSON format of earlier versions is migrated on
start: its content is imported into a new SQLite file that replaces it
atomically, and the JSON is kept next to it as ``PATH.json-backup``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from typing import Any, Dict, Iterable, List, Optional, Set

SQLITE_MAGIC = b"SQLite format 3\x00"
META_KEYS = ("version", "fail_next", "counters")
SCHEMA = ("CREATE TABLE IF NOT EXISTS resources ("
          "kind TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")


class TrackedMap(dict):
    """A dict that records which keys were asked for, set or deleted since the last save,
    and indexes its values by their ``"name"`` (names never change once created).

    ``get``, ``[]``, ``setdefault``, ``pop`` and ``popitem`` mark their key; so do
    assignment, ``update`` and deletion.  Iteration (``values()``, ``items()``) marks
    every key only when ``iterate_marks`` is true: the clusters map leaves it false
    so that a scan does not mark the whole fleet, and the store reaches a cluster it
    changes through ``[]`` or ``get`` (``Store._cluster`` does).  :meth:`named` finds
    the values of one name without scanning.
    """

    def __init__(self, data: Optional[Dict[str, Any]] = None, iterate_marks: bool = False):
        super().__init__()
        self.dirty: Set[str] = set()
        self.everything = False
        self.iterate_marks = iterate_marks
        self._names: Dict[str, List[str]] = {}
        self.update(data or {})

    def __getitem__(self, key):
        self.dirty.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.dirty.add(key)
        return super().get(key, default)

    def __setitem__(self, key, value):
        self.dirty.add(key)
        if super().__contains__(key):
            self._unindex(key)
        super().__setitem__(key, value)
        if isinstance(value, dict) and "name" in value:
            self._names.setdefault(value["name"], []).append(key)

    def __delitem__(self, key):
        self.dirty.add(key)
        self._unindex(key)
        super().__delitem__(key)

    def _unindex(self, key) -> None:
        value = super().get(key)
        if isinstance(value, dict) and value.get("name") in self._names:
            keys = self._names[value["name"]]
            keys.remove(key)
            if not keys:
                del self._names[value["name"]]

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def pop(self, key, *default):
        if super().__contains__(key):
            value = self[key]
            del self[key]
            return value
        return super().pop(key, *default)

    def popitem(self):
        key = next(reversed(list(super().keys())))
        return key, self.pop(key)

    def setdefault(self, key, default=None):
        if not super().__contains__(key):
            self[key] = default
        return self[key]

    def clear(self):
        self.everything = True
        self.dirty.update(super().keys())
        self._names.clear()
        super().clear()

    def named(self, name: str) -> List[Any]:
        """The values whose ``"name"`` is ``name``, in insertion order (no key is marked)."""
        return [super(TrackedMap, self).__getitem__(key) for key in self._names.get(name, ())]

    def values(self):
        self.everything = self.everything or self.iterate_marks
        return super().values()

    def items(self):
        self.everything = self.everything or self.iterate_marks
        return super().items()

    def take_dirty(self) -> Iterable[str]:
        """The marked keys (all keys, and the ones deleted, after a marking iteration); clears the marks."""
        keys = self.marked()
        self.dirty.clear()
        self.everything = False
        return keys

    def marked(self) -> Set[str]:
        """The marked keys (all keys after a marking iteration), without clearing the marks."""
        return set(self.dirty) | (set(super().keys()) if self.everything else set())

    def forget_marks(self) -> None:
        """Drop the marks (after a read-only lookup)."""
        self.dirty.clear()
        self.everything = False

    def __deepcopy__(self, memo):
        import copy  # pylint: disable=import-outside-toplevel
        return {key: copy.deepcopy(value, memo) for key, value in super().items()}

    def __reduce__(self):
        return (dict, (dict(super().items()),))


def is_sqlite(path: str) -> bool:
    """True when ``path`` starts with the SQLite header (False for JSON or a missing file)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except FileNotFoundError:
        return False


class SqliteState:
    """The ``--state-file`` database: load the whole state at start, save the changed rows.

    :param path: the state file; created when missing, migrated when it holds JSON.
    Raises ``sqlite3.DatabaseError`` for a file that is neither SQLite nor JSON.
    """

    def __init__(self, path: str):
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        if os.path.exists(path) and os.path.getsize(path) and not is_sqlite(path):
            self._migrate_json()
        self.conn = self._connect(path)
        self._ops: Set[str] = set()
        self._cache: Dict[tuple, str] = {}

    @staticmethod
    def _connect(path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(SCHEMA)
        return conn

    def _migrate_json(self) -> None:
        """Import a JSON state file into SQLite; the JSON stays as ``PATH.json-backup``."""
        with open(self.path, encoding="utf-8") as handle:
            state = json.load(handle)
        tmp = self.path + ".migrating"
        for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        conn = self._connect(tmp)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO resources VALUES (?, ?, ?)", _rows(state))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copy2(self.path, self.path + ".json-backup")
        os.replace(tmp, self.path)

    def load(self) -> Optional[dict]:
        """The saved state (maps tracked, see :class:`TrackedMap`), or None when the file is empty."""
        rows = self.conn.execute("SELECT kind, key, body FROM resources").fetchall()
        if not rows:
            return None
        for kind, key, body in rows:
            if kind in ("meta", "token"):
                self._cache[(kind, key)] = body
            elif kind == "operation":
                self._ops.add(key)
        state = _from_rows(rows)
        track(state)
        return state

    def save(self, state: dict, whole: bool = False) -> None:
        """Write what changed since the last save, in one transaction.

        With ``whole`` (a fresh or reset state), or when the maps of ``state`` are
        not :class:`TrackedMap`, every row is replaced and the maps become tracked.
        """
        whole = whole or not (isinstance(state.get("clusters"), TrackedMap)
                              and isinstance(state.get("tokens"), TrackedMap))
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if whole:
                conn.execute("DELETE FROM resources")
                self._ops.clear()
                self._cache.clear()
                track(state)
                state["clusters"].everything = state["tokens"].everything = True
            self._save_map(conn, "cluster", state["clusters"], compare=False)
            self._save_map(conn, "token", state["tokens"], compare=True)
            self._save_operations(conn, state["operations"])
            for key in META_KEYS:
                self._upsert(conn, "meta", key, state.get(key), compare=True)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _save_map(self, conn: sqlite3.Connection, kind: str, mapping: TrackedMap, compare: bool) -> None:
        for key in mapping.take_dirty():
            if dict.__contains__(mapping, key):
                self._upsert(conn, kind, key, dict.__getitem__(mapping, key), compare)
            else:
                conn.execute("DELETE FROM resources WHERE kind = ? AND key = ?", (kind, key))
                self._cache.pop((kind, key), None)

    def _save_operations(self, conn: sqlite3.Connection, operations: list) -> None:
        current = {op["event_uuid"]: op for op in operations}
        for key in self._ops - current.keys():
            conn.execute("DELETE FROM resources WHERE kind = 'operation' AND key = ?", (key,))
        for key in current.keys() - self._ops:
            self._upsert(conn, "operation", key, current[key], compare=False)
        self._ops = set(current)

    def _upsert(self, conn: sqlite3.Connection, kind: str, key: str, value: Any, compare: bool) -> None:
        body = _dump(value)
        if compare:
            if self._cache.get((kind, key)) == body:
                return
            self._cache[(kind, key)] = body
        conn.execute("INSERT OR REPLACE INTO resources VALUES (?, ?, ?)", (kind, key, body))

    def close(self) -> None:
        """Close the database (the WAL is checkpointed when the last connection closes)."""
        self.conn.close()


def track(state: dict) -> dict:
    """Make ``state["clusters"]`` and ``state["tokens"]`` :class:`TrackedMap` (in place); returns ``state``."""
    if not isinstance(state.get("clusters"), TrackedMap):
        state["clusters"] = TrackedMap(state.get("clusters"))
    if not isinstance(state.get("tokens"), TrackedMap):
        state["tokens"] = TrackedMap(state.get("tokens"), iterate_marks=True)
    return state


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _rows(state: dict):
    """Every row of ``state``: (kind, key, JSON body)."""
    for key in META_KEYS:
        yield "meta", key, _dump(state.get(key))
    for key, cluster in (state.get("clusters") or {}).items():
        yield "cluster", key, _dump(cluster)
    for key, token in (state.get("tokens") or {}).items():
        yield "token", key, _dump(token)
    for op in state.get("operations") or []:
        yield "operation", op["event_uuid"], _dump(op)


def _from_rows(rows) -> dict:
    """The state dict of (kind, key, JSON body) rows; operations in the order they started."""
    state: Dict[str, Any] = {"clusters": {}, "tokens": {}, "operations": []}
    plural = {"cluster": "clusters", "token": "tokens"}
    for kind, key, body in rows:
        if kind == "meta":
            state[key] = json.loads(body)
        elif kind == "operation":
            state["operations"].append(json.loads(body))
        else:
            state[plural[kind]][key] = json.loads(body)
    state["operations"].sort(key=lambda op: (op["started_at"], op["finishes_at"]))
    return state


def load_state(path: str) -> Optional[dict]:
    """Read a state file (SQLite or old JSON) as one plain dict, without changing it (tests, benchmarks)."""
    if not is_sqlite(path):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _from_rows(conn.execute("SELECT kind, key, body FROM resources").fetchall())
    finally:
        conn.close()


def write_state(path: str, state: dict) -> None:
    """Replace the whole content of the state file ``path`` with ``state`` (tests that fabricate a layout).

    Run it while no simulator uses ``path``; the file becomes SQLite whatever it held.
    """
    if os.path.exists(path) and not is_sqlite(path):
        os.unlink(path)
    database = SqliteState(path)
    try:
        database.save(json.loads(json.dumps(state)))
    finally:
        database.close()
