"""The store's core: the lock, transactions (:meth:`StoreBase.read`, :meth:`StoreBase.mutate`),
persistence glue and the lookups every operation shares.

:class:`StoreBase` is the last base of :class:`nks_simulator.state.Store`; the other
parts of the store (:mod:`.identity`, :mod:`.operations`, :mod:`.clusters`,
:mod:`.nodegroups`, :mod:`.listing`) rely on what it defines: ``config``
(:class:`~nks_simulator.config.SimConfig`), ``clock`` (epoch seconds), ``lock``
(a re-entrant lock held by every public method), ``state`` (the dict of
:func:`.schema.fresh_state`, its maps tracked by :func:`~nks_simulator.persistence.track`)
and ``db`` (the ``--state-file`` database or None).
"""

from __future__ import annotations

import copy
import threading
from typing import Any, Callable, Optional, Tuple

from ..config import SimConfig
from ..errors import ApiError, bad_request, not_found
from ..persistence import SqliteState, track
from .schema import MASTER, fresh_state, in_progress

#: What a change's ``plan`` returns: the operation type and the keyword arguments of
#: ``Store._start`` (``effects``, ``duration_key``, ...), or None for a synchronous change.
Plan = Optional[Tuple[str, dict]]


class StoreBase:
    """State, lock and clock of the store, its transactions and its lookups."""

    config: SimConfig
    clock: Callable[[], float]
    lock: threading.RLock
    state: dict
    db: Optional[SqliteState]

    # ------------------------------------------------------------------ persistence
    def save(self) -> None:
        """End a change: forget the list views of the clusters it reached, then commit what
        changed to ``state_file`` (one transaction; without a file the change marks are dropped)."""
        self._forget_views(self.state["clusters"].marked())
        if self.db is not None:
            self.db.save(self.state)
        else:
            self.state["clusters"].forget_marks()
            self.state["tokens"].forget_marks()

    def reset(self) -> None:
        """Back to a fresh start (``POST /_sim/reset``)."""
        with self.lock:
            self.state = track(fresh_state(self.config))
            self._forget_views(None)
            if self.db is not None:
                self.db.save(self.state, whole=True)

    def _forget_views(self, uuids: Optional[set]) -> None:
        """Drop cached views of the clusters ``uuids`` (all when None); see :mod:`.listing`."""

    # ------------------------------------------------------------------ transactions
    def read(self, fn: Callable[[dict], Any]) -> Any:
        """Advance, then call ``fn(state)`` under the lock; returns a deep copy."""
        with self.lock:
            if self.advance():
                self.save()
            try:
                return copy.deepcopy(fn(self.state))
            finally:
                self.state["clusters"].forget_marks()  # a read-only lookup changes no row

    def mutate(self, fn: Callable[[], Any]) -> Any:
        """Advance, run ``fn`` under the lock, persist; returns a deep copy of the result."""
        with self.lock:
            self.advance()
            try:
                return copy.deepcopy(fn())
            finally:
                self.save()

    def advance(self) -> bool:
        """Apply the operations that are due (:mod:`.operations`); True when one was."""
        raise NotImplementedError

    def _start(self, cluster: dict, op_type: str, **options: Any) -> dict:
        """Begin an operation (:mod:`.operations`)."""
        raise NotImplementedError

    def _finish_addons(self, cluster: dict, op: dict, ok: bool, ts: float) -> None:
        """The add-on side of a completed operation (:mod:`.addons`)."""

    def _change(self, ident: str, project_id: Optional[str], plan: Callable[[dict, Optional[dict]], Plan],
                nodegroup: Optional[str] = None, any_role: bool = False, reply_cluster: bool = False,
                retry_failed: bool = False) -> dict:
        """One change of an existing cluster or node group, in one :meth:`mutate` transaction.

        Finds the cluster ``ident`` of ``project_id`` and, when ``nodegroup`` is given, its node
        group (a worker unless ``any_role``); refuses them unless idle (:meth:`_check_idle`);
        calls ``plan(cluster, ng)``, which checks the request (raising :class:`ApiError`) and
        returns :data:`Plan`; starts that operation on them.  Returns ``{"uuid": ...}`` of the
        node group when one is named (of the cluster with ``reply_cluster``), else of the cluster.
        ``retry_failed``: ``UPDATE_FAILED`` resources are accepted (a retry the guide allows).
        """
        def run():
            cluster = self._cluster(ident, project_id)
            ng = None
            if nodegroup is not None:
                ng = self._nodegroup(cluster, nodegroup) if any_role else self._worker(cluster, nodegroup)
            self._check_idle(cluster, ng, retry_failed=retry_failed)
            planned = plan(cluster, ng)
            if planned is not None:
                self._start(cluster, planned[0], nodegroup=ng, **planned[1])
            return {"uuid": (cluster if ng is None or reply_cluster else ng)["uuid"]}
        return self.mutate(run)

    # ------------------------------------------------------------------ lookups
    def _cluster(self, ident: str, project_id: Optional[str]) -> dict:
        """The cluster of UUID or name ``ident`` in ``project_id`` (any project when None).
        Raises 404 when missing, 409 when the name is ambiguous."""
        clusters = self.state["clusters"]
        found = clusters.get(ident)
        if found is not None and project_id in (None, found["project_id"]):
            return found
        matches = [c for c in clusters.named(ident) if project_id in (None, c["project_id"])]
        if len(matches) > 1:
            raise ApiError(409, f"Multiple clusters exist with same name '{ident}'. "
                                "Please use the cluster uuid instead.")
        if not matches:
            raise not_found("Cluster", ident)
        return clusters[matches[0]["uuid"]]  # by key: the state file saves the clusters asked for

    @staticmethod
    def _nodegroup(cluster: dict, ident: str) -> dict:
        """The node group of UUID or name ``ident`` in ``cluster``; 404 when missing."""
        ngs = cluster["nodegroups"]
        if ident in ngs:
            return ngs[ident]
        for ng in ngs.values():
            if ng["name"] == ident:
                return ng
        raise not_found("Nodegroup", ident)

    @staticmethod
    def _master(cluster: dict) -> dict:
        """The ``default-master`` node group of ``cluster``."""
        return next(ng for ng in cluster["nodegroups"].values() if ng["role"] == "master")

    @staticmethod
    def _check_idle(cluster: dict, nodegroup: Optional[dict] = None, deleting: bool = False,
                    retry_failed: bool = False) -> None:
        """400 while an operation runs; 400 on a ``*_FAILED`` resource unless ``deleting``
        (NKS_API_NOTES.md: a failed state is terminal; only delete is accepted), or unless
        ``retry_failed`` and the state is ``UPDATE_FAILED`` (2026-03 user guide: renewing the
        certificate again, upgrading a node group again); ``CREATE_FAILED`` stays delete-only."""
        for what, res in (("Cluster", cluster), ("Nodegroup", nodegroup)):
            if res is not None and in_progress(res["status"]):
                raise bad_request(f"{what} {res['uuid']} is in a wrong state ({res['status']}): "
                                  "another operation is in progress.")
            if res is not None and retry_failed and res["status"] == "UPDATE_FAILED":
                continue
            if res is not None and not deleting and str(res["status"]).endswith("_FAILED"):
                raise bad_request(f"{what} {res['uuid']} is in a failed state ({res['status']}): only delete "
                                  f"is accepted; delete the {what.lower()} and create it again.")

    def _worker(self, cluster: dict, ident: str) -> dict:
        """A worker node group of ``cluster`` (:meth:`_nodegroup`); 400 for ``default-master``."""
        ng = self._nodegroup(cluster, ident)
        if ng["role"] == "master":
            raise bad_request(f"This operation is not allowed on the control plane node group {MASTER}.")
        return ng
