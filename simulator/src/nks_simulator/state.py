"""The simulator's store: resources, lazy lifecycle, persistence.

State is one JSON-serialisable dict (:func:`fresh_state`).  Every operation of the guide
that takes time is recorded as a pending *operation* ``{type, started_at, finishes_at,
fail_reason, ...}``; every public method first *advances* the store to "now",
applying the completions that are due.  Behaviour therefore depends only on
timestamps, and a restart from ``--state-file`` simply carries on.

:class:`Store` is a facade composed of one part per responsibility, in
``nks_simulator/store/``:

* :mod:`.store.base`: lock, transactions (``read``, ``mutate``), persistence glue
  (``save``, ``reset``; the database is :mod:`nks_simulator.persistence`), lookups;
* :mod:`.store.identity`: tokens (``issue_token``, ``check_token``, ``expire_tokens``);
* :mod:`.store.clusters` and :mod:`.store.nodegroups`: the guide's operations that
  change clusters and node groups (``create_cluster``, ``resize``, ``upgrade``, ...);
* :mod:`.store.operations`: pending operations, their completion and effects, armed
  failures (``advance``, ``add_fail_rule``);
* :mod:`.store.listing`: reads (``get_cluster``, ``get_nodegroup``, ``list_clusters``);
* :mod:`.store.schema`: the stored resources' constants and :func:`fresh_state`.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Optional

from .config import SimConfig
from .kube import KubeAPI
from .persistence import SqliteState, track
from .store.addons import AddonsMixin
from .store.clusters import ClustersMixin
from .store.identity import IdentityMixin
from .store.listing import LIST_NODEGROUP_FIELDS, ListingMixin, list_copy
from .store.nodegroups import NodegroupsMixin
from .store.operations import OperationsMixin
from .store.schema import (AUTOSCALE_DEFAULTS, CA_IMAGE, CLUSTER_LABEL_DEFAULTS, CNI_DRIVERS, LEGACY_BEFORE,
                           LEGACY_CNI_DRIVERS, MASTER, NODEGROUP_LABEL_KEYS, STATE_VERSION, UUID_LABELS,
                           UUID_LIST_LABELS, WORKER, fresh_state, in_progress, iso, years_later)

__all__ = ["Store", "fresh_state", "in_progress", "iso", "years_later", "list_copy", "LIST_NODEGROUP_FIELDS",
           "MASTER", "WORKER", "STATE_VERSION", "CLUSTER_LABEL_DEFAULTS", "NODEGROUP_LABEL_KEYS",
           "AUTOSCALE_DEFAULTS", "CA_IMAGE", "CNI_DRIVERS", "LEGACY_CNI_DRIVERS", "LEGACY_BEFORE", "UUID_LABELS",
           "UUID_LIST_LABELS"]


class Store(IdentityMixin, AddonsMixin, ClustersMixin, NodegroupsMixin, ListingMixin, OperationsMixin):
    """Thread-safe store of clusters, node groups, nodes, events, ACLs, tokens and
    pending operations, optionally persisted to the SQLite file ``state_file``
    (one row per resource, see :mod:`nks_simulator.persistence`).

    :param config: the simulator's configuration (durations, quotas, credentials).
    :param state_file: the ``--state-file`` path, or None to keep the state in memory.
    :param clock: the time in epoch seconds (tests pass a fake one).
    """

    def __init__(self, config: SimConfig, state_file: Optional[str] = None,
                 clock: Callable[[], float] = time.time):
        self.config = config
        self._list_views = {}  # uuid -> the cluster's List Clusters view (store/listing.py)
        self.state_file = state_file
        self.clock = clock
        self.lock = threading.RLock()
        self.db = SqliteState(state_file) if state_file else None
        loaded = self.db.load() if self.db is not None else None
        self.state = loaded or track(fresh_state(config))  # clusters by name: state["clusters"].named()
        if self.db is not None and loaded is None:
            self.db.save(self.state, whole=True)  # a new file: the fresh state
        self.kube = KubeAPI(self)  # the clusters' Kubernetes API endpoints (kube/, docs/simulator-kubernetes.md)
        if self.kube.restore(self.state["clusters"], clock(), config.certificate_validity_years) \
                and self.db is not None:
            # restore() may rewrite clusters while iterating them (new ports, certificates): save them all.
            self.db.save(self.state, whole=True)

    def close(self) -> None:
        """Stop the clusters' Kubernetes API listeners and threads, then close the state file."""
        self.kube.close()
        if self.db is not None:
            self.db.close()
