"""Routes of a simulated cluster's Kubernetes API: path -> answer.

Served: ``/version``, ``/livez``, ``/readyz``, ``/healthz`` (``?verbose``, ``?exclude``,
one check by name), discovery (``/api``, ``/api/v1``, ``/apis``), ``nodes`` (list,
get, watch; patch of labels), ``namespaces`` (list, get, watch, create, delete; patch of labels and annotations)
and ``policy/v1`` ``poddisruptionbudgets`` (list, get, create, delete; :func:`pdb_route`).
Anything else is a 404 ``Status``; a known path with another method is a 405 ``Status``.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Dict, List, Optional

import yaml

from . import objects, protobuf, tables
from .watch import Watch

HEALTH = re.compile(r"^/(livez|readyz|healthz)(?:/(.+))?$")
ITEM = re.compile(r"^/api/v1/(nodes|namespaces)(?:/([^/]+))?$")
PDB = re.compile(r"^/apis/policy/v1(?:/namespaces/([^/]+))?/poddisruptionbudgets(?:/([^/]+))?$")
PROTOBUF = "application/vnd.kubernetes.protobuf"
PATCH_TYPES = ("application/merge-patch+json", "application/strategic-merge-patch+json",
               "application/apply-patch+yaml")
KINDS = {"nodes": "Node", "namespaces": "Namespace"}


def route(handler, method: str, path: str, query: Dict[str, List[str]], raw: bytes, cluster: dict,
          operations: list, now: float, ready: bool):
    """The ``(status, body, headers)`` answer of one authenticated, admitted request."""
    health = HEALTH.match(path)
    if health:
        if method != "GET":
            return _not_allowed(method)
        code, text = tables.health(health.group(1), ready, query, health.group(2) or "")
        return code, text, {}
    static = {"/version": lambda: objects.version_info(cluster),
              "/api": lambda: objects.api_versions(cluster["api_address"].split("//", 1)[1]),
              "/api/v1": objects.api_resources, "/apis": objects.api_groups_served,
              "/apis/policy/v1": objects.policy_resources}
    if path in static:
        return (200, static[path](), {}) if method == "GET" else _not_allowed(method)
    pdb = PDB.match(path)
    if pdb:
        return pdb_route(handler, method, pdb.group(1), pdb.group(2), query, raw, cluster, operations, now)
    item = ITEM.match(path)
    if not item:
        return 404, objects.status(404, "NotFound", "the server could not find the requested resource"), {}
    resource, name = item.group(1), item.group(2)
    if method == "GET" and "watch" in query and query["watch"][0] not in ("0", "false"):
        return 200, Watch(resource, name, query), {}
    if method == "GET":
        return _get(handler, resource, name, query, cluster, operations, now)
    if resource == "namespaces" and method == "POST" and name is None:
        return _create_namespace(handler, raw, cluster, query, now)
    if resource == "namespaces" and method == "DELETE" and name is not None:
        return _delete_namespace(handler, name, cluster, query)
    if resource == "namespaces" and method == "PATCH" and name is not None:
        return _patch_namespace(handler, name, raw, cluster, query)
    if resource == "nodes" and method == "PATCH" and name is not None:
        return _patch_node(handler, name, raw, cluster, query)
    return _not_allowed(method)


def _not_allowed(method: str):
    return 405, objects.status(405, "MethodNotAllowed",
                               f"the server does not allow this method on the requested resource ({method})"), {}


def _items(resource: str, cluster: dict, operations: list, now: float) -> List[dict]:
    if resource == "nodes":
        return objects.nodes(cluster, operations, now)
    stored = cluster["kube"]["namespaces"]
    return [objects.namespace(cluster, name, stored[name]) for name in sorted(stored)]


def items_for(resource: str, name: Optional[str], query, cluster: dict, operations: list, now: float) -> List[dict]:
    """The objects a GET (or watch) of ``resource`` (one ``name``, or the selectors of
    ``query``) finds."""
    items = _items(resource, cluster, operations, now)
    if name is not None:
        return [i for i in items if i["metadata"]["name"] == name]
    return select(items, query)


def _get(handler, resource: str, name, query, cluster: dict, operations: list, now: float):
    items = items_for(resource, name, query, cluster, operations, now)
    if name is not None and not items:
        return 404, objects.not_found(resource, name), {}
    version = objects.resource_version(now)
    if tables.wants_table(handler.headers.get("Accept")):
        include = (query.get("includeObject") or ["Metadata"])[0]
        return 200, tables.table(resource, items, version, now, include), {}
    if name is not None:
        return 200, items[0], {}
    return 200, objects.object_list(KINDS[resource], items, now), {}


def _selector(text: str) -> Callable[[Dict[str, str]], bool]:
    """An equality-based selector (``a=b,c!=d,e,!f``) as a predicate on a label map."""
    terms = []
    for term in filter(None, (t.strip() for t in text.split(","))):
        if "!=" in term:
            key, value = term.split("!=", 1)
            terms.append(lambda m, k=key.strip(), v=value.strip(): m.get(k) != v)
        elif "=" in term:
            key, value = term.split("=", 1)
            terms.append(lambda m, k=key.strip(), v=value.strip().lstrip("="): m.get(k) == v)
        elif term.startswith("!"):
            terms.append(lambda m, k=term[1:].strip(): k not in m)
        else:
            terms.append(lambda m, k=term: k in m)
    return lambda labels: all(term(labels) for term in terms)


def select(items: List[dict], query: Dict[str, List[str]]) -> List[dict]:
    """Apply ``labelSelector`` and ``fieldSelector`` (``metadata.name`` only) to ``items``."""
    labels = _selector(query.get("labelSelector", [""])[0])
    fields = _selector(query.get("fieldSelector", [""])[0])
    return [i for i in items if labels(i["metadata"].get("labels", {}))
            and fields({"metadata.name": i["metadata"]["name"]})]


def _read_body(handler, raw: bytes, patch: bool):
    """``(error answer or None, decoded body)``; JSON, the protobuf Namespace of ``kubectl
    create``, and for PATCH the merge, strategic merge and apply (YAML) patch types."""
    kind = (handler.headers.get("Content-Type") or "application/json").split(";")[0].strip()
    accepted = PATCH_TYPES if patch else ("application/json", PROTOBUF)
    if kind not in accepted:
        return (415, objects.status(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                                    f"format - accepted media types include: {', '.join(accepted)}"), {}), None
    try:
        if kind == PROTOBUF:
            return None, protobuf.namespace(raw)
        if kind == "application/apply-patch+yaml":
            return None, yaml.safe_load(raw.decode() or "null")
        return None, json.loads(raw.decode() or "null")
    except (ValueError, UnicodeDecodeError, yaml.YAMLError):
        return (400, objects.status(400, "BadRequest", f"the body is not a valid {kind} document"), {}), None


def _write_namespace(handler, cluster: dict, query, change):
    """Run ``change(stored, now)`` on the cluster's stored namespaces under the store's lock and persist.

    ``change`` returns ``(code, answer, name, record)``; ``record`` (not None) is stored as
    ``name`` unless the request is a dry run (``?dryRun=All``). Returns ``(code, answer, {})``.
    """
    uid = cluster["uuid"]
    dry_run = bool(query.get("dryRun"))
    store = handler.server.api.store

    def run():
        stored = store.state["clusters"][uid]["kube"]["namespaces"]
        code, answer, name, record = change(stored, store.clock())
        if record is not None and not dry_run:
            stored[name] = record
        return code, answer

    code, answer = store.mutate(run)
    return code, answer, {}


def _create_namespace(handler, raw: bytes, cluster: dict, query, now: float):
    error, body = _read_body(handler, raw, patch=False)
    if error:
        return error

    def change(stored, clock_now):
        problem, name, fields = objects.check_new_namespace(body, stored)
        if problem:
            return problem["code"], problem, None, None
        record = {"created": clock_now, **fields}
        return 201, objects.namespace(cluster, name, record), name, record

    return _write_namespace(handler, cluster, query, change)


def _patch_namespace(handler, name: str, raw: bytes, cluster: dict, query):
    error, patch = _read_body(handler, raw, patch=True)
    if error:
        return error

    def change(stored, clock_now):
        if name not in stored:
            return 404, objects.not_found("namespaces", name), None, None
        problem, record = objects.patch_namespace(stored[name], patch, clock_now)
        if problem:
            return problem["code"], problem, None, None
        return 200, objects.namespace(cluster, name, record), name, record

    return _write_namespace(handler, cluster, query, change)


def _delete_namespace(handler, name: str, cluster: dict, query):
    uid = cluster["uuid"]
    dry_run = bool(query.get("dryRun"))

    def run():
        stored = handler.server.api.store.state["clusters"][uid]["kube"]["namespaces"]
        if name not in stored:
            return 404, objects.not_found("namespaces", name)
        if name in objects.PROTECTED_NAMESPACES:
            return 403, objects.status(403, "Forbidden", f'namespaces "{name}" is forbidden: this namespace may '
                                                         "not be deleted", {"name": name, "kind": "namespaces"})
        record = stored[name] if dry_run else stored.pop(name)
        return 200, objects.namespace(cluster, name, record, phase="Terminating")

    code, answer = handler.server.api.store.mutate(run)
    return code, answer, {}


def _patch_node(handler, name: str, raw: bytes, cluster: dict, query):
    """``PATCH /api/v1/nodes/{name}``: the node's labels (:func:`objects.patch_node_labels`) stored on
    its instance record in the store (``?dryRun=All`` answers without storing); answers the Node."""
    error, patch = _read_body(handler, raw, patch=True)
    if error:
        return error
    uid = cluster["uuid"]
    dry_run = bool(query.get("dryRun"))
    store = handler.server.api.store

    def run():
        now = store.clock()
        live = store.state["clusters"][uid]
        found = objects.find_node(live, name)
        if found is None:
            return 404, objects.not_found("nodes", name)
        ng, index = found
        problem, record = objects.patch_node_labels(live, ng, index, patch, now)
        if problem:
            return problem["code"], problem
        nodes = list(ng["nodes"])
        nodes[index] = record
        if not dry_run:
            ng["nodes"] = nodes
        ops = [op for op in store.state["operations"] if op["cluster_uuid"] == uid]
        view = dict(ng, nodes=nodes)
        return 200, objects.node(live, view, index, objects.replacing_index(view, ops, now), now)

    code, answer = store.mutate(run)
    return code, answer, {}


# ------------------------------------------------------------------ PodDisruptionBudgets (policy/v1)
def pdb_route(handler, method: str, namespace: Optional[str], name: Optional[str], query, raw: bytes,
              cluster: dict, operations: list, now: float):
    """``/apis/policy/v1[/namespaces/{ns}]/poddisruptionbudgets[/{name}]``: list (all namespaces or one),
    get, create (POST to a namespace), delete; stored in ``cluster["kube"]["pdbs"]`` as ``ns/name``;
    ``status`` computed on each read (:func:`objects.pdb`)."""
    stored = cluster["kube"].get("pdbs") or {}
    if method == "GET":
        if name is not None and namespace is None:
            return 404, objects.status(404, "NotFound", "the server could not find the requested resource"), {}
        items = [objects.pdb(cluster, stored[k], operations, now) for k in sorted(stored)
                 if namespace is None or stored[k]["namespace"] == namespace]
        if name is not None:
            items = [i for i in items if i["metadata"]["name"] == name]
            if not items:
                return 404, objects.status(404, "NotFound", f'poddisruptionbudgets.policy "{name}" not found',
                                           {"name": name, "group": "policy", "kind": "poddisruptionbudgets"}), {}
        else:
            items = select(items, query)
        if tables.wants_table(handler.headers.get("Accept")):
            include = (query.get("includeObject") or ["Metadata"])[0]
            return 200, tables.table("poddisruptionbudgets", items, objects.resource_version(now), now, include), {}
        if name is not None:
            return 200, items[0], {}
        answer = objects.object_list("PodDisruptionBudget", items, now)
        answer["apiVersion"] = "policy/v1"
        return 200, answer, {}
    if method == "POST" and namespace is not None and name is None:
        return _create_pdb(handler, raw, namespace, cluster, query)
    if method == "DELETE" and namespace is not None and name is not None:
        return _delete_pdb(handler, namespace, name, cluster, query)
    return _not_allowed(method)


def _create_pdb(handler, raw: bytes, namespace: str, cluster: dict, query):
    error, body = _read_body(handler, raw, patch=False)
    if error:
        return error
    uid = cluster["uuid"]
    dry_run = bool(query.get("dryRun"))
    store = handler.server.api.store

    def run():
        live = store.state["clusters"][uid]
        pdbs = live["kube"].setdefault("pdbs", {})
        problem, record = objects.check_new_pdb(body, namespace, pdbs, live["kube"]["namespaces"])
        if problem:
            return problem["code"], problem
        record["created"] = store.clock()
        if not dry_run:
            pdbs[f"{namespace}/{record['name']}"] = record
        ops = [op for op in store.state["operations"] if op["cluster_uuid"] == uid]
        return 201, objects.pdb(live, record, ops, store.clock())

    code, answer = store.mutate(run)
    return code, answer, {}


def _delete_pdb(handler, namespace: str, name: str, cluster: dict, query):
    uid = cluster["uuid"]
    dry_run = bool(query.get("dryRun"))
    store = handler.server.api.store

    def run():
        live = store.state["clusters"][uid]
        pdbs = live["kube"].setdefault("pdbs", {})
        key = f"{namespace}/{name}"
        if key not in pdbs:
            return 404, objects.status(404, "NotFound", f'poddisruptionbudgets.policy "{name}" not found',
                                       {"name": name, "group": "policy", "kind": "poddisruptionbudgets"})
        record = pdbs[key] if dry_run else pdbs.pop(key)
        ops = [op for op in store.state["operations"] if op["cluster_uuid"] == uid]
        return 200, objects.pdb(live, record, ops, store.clock())

    code, answer = store.mutate(run)
    return code, answer, {}
