"""Reads: Get a Cluster, Get a Node Group, List Clusters.

Every read advances the store first (:mod:`.operations`) and returns copies or
read-only views: nothing a caller does to an answer reaches the store.

List Clusters is answered from a prebuilt view per cluster (:func:`list_view`: what
the list shows, frozen), built when the list first needs it and forgotten when a
change reaches the cluster (:meth:`ListingMixin._forget_views`, called by
``Store.save`` with the clusters the change asked for by key; see
:class:`~nks_simulator.persistence.TrackedMap`).  A list of 1,000 unchanged
clusters therefore copies nothing.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Mapping, Optional

from .base import StoreBase

#: The node group fields List Clusters shows (views.cluster_summary).
LIST_NODEGROUP_FIELDS = ("uuid", "name", "role", "flavor_id", "node_count", "status")
#: The cluster fields List Clusters does not show (large, or secret).
LIST_HIDDEN_FIELDS = ("events", "secrets", "nodegroups", "kube")


class ListingMixin(StoreBase):
    """The reads of the store that the routes and the clusters' Kubernetes API use."""

    _list_views: Dict[str, Mapping[str, Any]]

    def get_cluster(self, ident: str, project_id: Optional[str] = None) -> dict:
        """Get a Cluster: a deep copy of the cluster of UUID or name ``ident`` (404, 409 as ``_cluster``)."""
        return self.read(lambda s: self._cluster(ident, project_id))

    def get_nodegroup(self, cluster_ident: str, ident: str, project_id: Optional[str] = None) -> tuple:
        """Get a Node Group: deep copies ``(cluster, node group)``; 404 when either is missing."""
        def pick(_):
            cluster = self._cluster(cluster_ident, project_id)
            return cluster, self._nodegroup(cluster, ident)
        return self.read(pick)

    def list_clusters(self, project_id: Optional[str], full: bool = False) -> List[Mapping[str, Any]]:
        """List Clusters: the clusters of ``project_id`` (all when None), in the order of the map, as
        read-only :func:`list_view` dicts (``full``: whole deep copies as dicts, for Magnum's
        ``/v1/clusters/detail``)."""
        with self.lock:
            if self.advance():
                self.save()
            listed = [c for c in self.state["clusters"].values() if project_id in (None, c["project_id"])]
            if full:
                return copy.deepcopy(listed)
            views = self._list_views
            return [views.get(c["uuid"]) or self._build_view(c) for c in listed]

    def _build_view(self, cluster: dict) -> Mapping[str, Any]:
        """Build, remember and return the list view of ``cluster`` (caller holds the lock)."""
        view = self._list_views[cluster["uuid"]] = list_view(cluster)
        return view

    def _forget_views(self, uuids: Optional[set]) -> None:
        """Forget the list views of the clusters ``uuids`` (every view when None)."""
        if uuids is None:
            self._list_views.clear()
            return
        for uid in uuids:
            self._list_views.pop(uid, None)


def list_view(cluster: dict) -> Mapping[str, Any]:
    """What List Clusters shows of ``cluster``, as a read-only mapping: every field but
    :data:`LIST_HIDDEN_FIELDS`, and of each node group :data:`LIST_NODEGROUP_FIELDS`.
    Dicts in it are :class:`FrozenDict` and lists tuples (``json.dumps`` writes both as JSON);
    nothing in it is shared with the store."""
    body = {key: value for key, value in cluster.items() if key not in LIST_HIDDEN_FIELDS}
    body["nodegroups"] = {uid: {key: ng[key] for key in LIST_NODEGROUP_FIELDS}
                          for uid, ng in cluster["nodegroups"].items()}
    return freeze(body)


def list_copy(cluster: dict) -> dict:
    """A mutable copy of :func:`list_view` (plain dicts and lists)."""
    return thaw(list_view(cluster))


class FrozenDict(dict):
    """A read-only dict: every change raises ``TypeError``.  ``json.dumps`` writes it as an object;
    ``dict(frozen)`` and ``copy.deepcopy(frozen)`` give plain, mutable dicts."""

    def _refuse(self, *_args, **_kwargs):
        raise TypeError("a listed cluster is read-only: copy it with dict() or thaw()")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict:
        return dict(self)

    def __deepcopy__(self, memo) -> dict:
        return thaw(self)

    def __reduce__(self):
        return (dict, (thaw(self),))


def freeze(value: Any) -> Any:
    """A read-only deep copy of JSON-shaped ``value``: dicts become :class:`FrozenDict`, lists tuples."""
    if isinstance(value, dict):
        return FrozenDict((key, freeze(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """The inverse of :func:`freeze`: plain dicts and lists."""
    if isinstance(value, dict):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value
