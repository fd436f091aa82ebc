"""The simulator's HTTP routes, one :class:`fastapi.APIRouter` per area.

* :mod:`.identity`: the identity token (``POST /v2.0/tokens``), Magnum's version documents
  (``/``, ``/v1``) and See the Supported Kubernetes Versions (``/v1/supports``);
* :mod:`.clusters`: the guide's Cluster operations (``/v1/clusters...``, ``/v1/certificates``);
* :mod:`.nodegroups`: the guide's Node Group operations (``/v1/clusters/{id}/nodegroups...``);
* :mod:`.addons`: the 2026-03 guide's Add-on Management (``/v1/addon_types``, ``/v1/addons``,
  ``/v1/clusters/{id}/addons...``);
* :mod:`.admin`: the simulator's own ``/_sim/`` API (not NKS);
* :mod:`.deps`: what they share: the :class:`~.deps.Runtime` and the FastAPI dependencies.
"""

from __future__ import annotations

from . import addons, admin, clusters, identity, nodegroups

#: In the order they are included (the order of ``/openapi.json``).
ROUTERS = (identity.router, clusters.router, nodegroups.router, addons.router, admin.router)
