# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster's own Kubernetes API: kubeconfig documents and readiness probes.

Two concerns shared by ``nks_kubeconfig``, ``nks_cluster`` and ``nks_nodegroup``:

* kubeconfig documents (the answer of the guide's "Get kubeconfig of a Cluster",
  ``GET /v1/clusters/{id}/config``): parse, rename NKS's fixed entry names
  (context ``default``, user ``admin``) to names unique per cluster, merge into a
  kubeconfig holding other clusters, and tell the entries of other clusters apart;
* readiness (``wait_for: api|nodes``): ``GET /readyz`` and ``GET /api/v1/nodes``
  through the cluster's own client certificate, as the Kubernetes API health
  endpoints page describes (seed 004: HTTP 200 means ready), until the API is ready
  and the nodes are ``Ready`` at the expected count and kubelet version.

The client key is written only to a private temporary directory (0700, files
0600) that is removed afterwards; it never appears in messages. No Ansible here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy
import os
import shutil
import tempfile
import time

try:
    import yaml

    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    HAS_YAML = False

try:
    import requests

    HAS_REQUESTS = True
except ImportError:  # pragma: no cover
    HAS_REQUESTS = False

from ._api import CONTROL_PLANE
from ._client import NksError, backoff_delays, sleep
from ._progress import from_environment as progress_from_environment, report as report_progress
from ._engine import NksWaitTimeout
from ._views import acl_view, nodegroup_view

SECTIONS = ("clusters", "users", "contexts")
NODEGROUP_LABELS = ("magnum.openstack.org/nodegroup", "nhncloud.com/nodegroup", "nks.nhncloud.com/nodegroup")
"""Node labels that name a node's node group, first found wins; without one, the node name
``<cluster>-<nodegroup>-node-<n>`` (NKS's naming) is used."""
ACL_HINT = ("check the IP access list of the cluster (nks_ipacl): it may not allow this controller's"
            " address")


FORBIDDEN = "answered HTTP 403"
UNREACHABLE = ("cannot connect to ", "no answer from ")
"""How :meth:`KubeSession.get` begins a problem when no HTTP answer came (refused, reset, timed out)."""
FORBIDDEN_GRACE = 60.0
"""Seconds of uninterrupted HTTP 403, or of uninterrupted :data:`UNREACHABLE` connections, after
which a wait gives up before ``wait_timeout``: an IP access list that refuses or drops the
controller does not change by itself (a change being applied takes less)."""
UNREACHABLE_HINT = ("check the IP access list (nks_ipacl) and that this controller can reach the address")


class KubeconfigError(NksError):
    """A kubeconfig cannot be parsed or does not have the shape NKS gives."""


class KubeWaitTimeout(NksWaitTimeout):
    """The Kubernetes API or the nodes were not ready in time (an ``NksWaitTimeout``, so
    modules report it as they report any timeout: ``msg``, ``resource``, ``status``, ``waited``).

    :ivar str resource: e.g. ``the Kubernetes API of cluster 'demo'``.
    :ivar str status: what was not ready (a sentence). :ivar str hint: its likely cause.
    :ivar float waited: seconds waited.
    """

    def __init__(self, resource, missing, hint, waited):
        super(KubeWaitTimeout, self).__init__(resource, missing, waited)
        self.hint = hint
        message = "timed out after %.0f s waiting until %s is usable: %s" % (waited, resource, missing)
        if hint:
            message += ". Likely cause: %s" % hint
        self.args = (message,)


# -- kubeconfig documents --------------------------------------------------------------


def load_kubeconfig(text):
    """Parse kubeconfig YAML ``text``; empty text or a comment-only file gives ``{}``.

    :raises KubeconfigError: when it is not YAML or not a mapping.
    """
    if not HAS_YAML:  # pragma: no cover
        raise KubeconfigError("the python 'PyYAML' library is required")
    try:
        doc = yaml.safe_load(text or "")
    except yaml.YAMLError as exc:
        raise KubeconfigError("not YAML: %s" % str(exc).splitlines()[0])
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise KubeconfigError("not a kubeconfig (a %s, not a mapping)" % type(doc).__name__)
    return doc


def dump_kubeconfig(doc):
    """The YAML text of a kubeconfig ``doc`` (block style, keys in their order)."""
    return yaml.safe_dump(doc, default_flow_style=False, sort_keys=False)


def _entries(doc, section):
    return [item for item in (doc.get(section) or []) if isinstance(item, dict)]


def own_kubeconfig(doc, name):
    """This cluster's kubeconfig with its cluster, user and context all named ``name``.

    :param dict doc: the kubeconfig NKS returned (one cluster, one user; NKS names the
        context ``default`` and the user ``admin`` for every cluster).
    :param str name: the context name (unique per cluster in the kubeconfigs written).
    :returns: a new ``dict`` with ``current-context: name``.
    :raises KubeconfigError: when ``doc`` does not hold exactly one cluster and one user.
    """
    clusters, users = _entries(doc, "clusters"), _entries(doc, "users")
    if len(clusters) != 1 or len(users) != 1:
        raise KubeconfigError("NKS returned a kubeconfig with %d clusters and %d users, expected one of each"
                              % (len(clusters), len(users)))
    context = {"cluster": name, "user": name}
    for item in _entries(doc, "contexts"):
        if item.get("name") == doc.get("current-context") and (item.get("context") or {}).get("namespace"):
            context["namespace"] = item["context"]["namespace"]
    return {"apiVersion": doc.get("apiVersion") or "v1", "kind": "Config",
            "preferences": doc.get("preferences") or {},
            "clusters": [{"name": name, "cluster": copy.deepcopy(clusters[0].get("cluster") or {})}],
            "users": [{"name": name, "user": copy.deepcopy(users[0].get("user") or {})}],
            "contexts": [{"name": name, "context": context}],
            "current-context": name}


def foreign_entries(doc, own):
    """The entries of ``doc`` that belong to other clusters than ``own``'s.

    An entry is this cluster's when it carries ``own``'s name, or is a cluster entry with
    ``own``'s server address, a context on such a cluster, or a user only such contexts use
    (so a kubeconfig NKS wrote for the same cluster, ``default``/``admin``, is not foreign).

    :returns: sorted ``["cluster prod", "context prod", "user prod-admin", ...]``.
    """
    name = own["current-context"]
    server = own["clusters"][0]["cluster"].get("server")
    mine = set(c.get("name") for c in _entries(doc, "clusters")
               if c.get("name") == name or (server and (c.get("cluster") or {}).get("server") == server))
    mine.add(name)
    found, users_mine, users_foreign = [], set([name]), set()
    for item in _entries(doc, "contexts"):
        ctx = item.get("context") or {}
        ours = item.get("name") == name or ctx.get("cluster") in mine
        (users_mine if ours else users_foreign).add(ctx.get("user"))
        if not ours:
            found.append("context %s" % item.get("name"))
    found += ["cluster %s" % c.get("name") for c in _entries(doc, "clusters") if c.get("name") not in mine]
    found += ["user %s" % u.get("name") for u in _entries(doc, "users")
              if u.get("name") != name and (u.get("name") in users_foreign or u.get("name") not in users_mine)]
    return sorted(found)


def _server(cluster_entry):
    server = (cluster_entry.get("cluster") or {}).get("server")
    return server.rstrip("/") if isinstance(server, str) else server


def merge_conflicts(doc, own):
    """The entries of ``doc`` that :func:`merge_kubeconfig` would replace although they are
    another cluster's: the cluster entry of ``own``'s name with another server address, the
    context of that name on a cluster entry with another server, the user of that name that
    a context on such a cluster uses. (Two clusters of the same name in two regions or
    projects would otherwise overwrite each other.)

    :param dict doc: the kubeconfig merged into. :param dict own: see :func:`own_kubeconfig`.
    :returns: sorted ``["cluster demo (server https://...)", "context demo (cluster demo)", ...]``;
        ``[]`` when the merge replaces only this cluster's entries.
    """
    name = own["current-context"]
    server = _server(own["clusters"][0])
    servers = dict((c.get("name"), _server(c)) for c in _entries(doc, "clusters"))
    other = set(cluster for cluster, address in servers.items() if address != server)
    found = ["cluster %s (server %s)" % (name, servers[name])] if name in other else []
    users = set()
    for item in _entries(doc, "contexts"):
        ctx = item.get("context") or {}
        if ctx.get("cluster") in other:
            users.add(ctx.get("user"))
            if item.get("name") == name:
                found.append("context %s (cluster %s)" % (name, ctx.get("cluster")))
    if name in users and any(u.get("name") == name for u in _entries(doc, "users")):
        found.append("user %s (used by another cluster's context)" % name)
    return sorted(found)


def merge_kubeconfig(doc, own):
    """``doc`` with ``own``'s cluster, user and context added or replaced by name.

    Every other entry stays as it was, in its place (check :func:`merge_conflicts` first:
    entries are replaced by name, whatever cluster they belong to). ``current-context`` is set to
    ``own``'s only when ``doc`` has none or names a context that does not exist, so that
    merging several clusters again and again changes nothing.

    :returns: a new ``dict``; ``doc`` is not modified.
    """
    merged = copy.deepcopy(doc) if doc else {}
    merged.setdefault("apiVersion", "v1")
    merged.setdefault("kind", "Config")
    merged.setdefault("preferences", {})
    for section in SECTIONS:
        entry = copy.deepcopy(own[section][0])
        items = list(merged.get(section) or [])
        for index, item in enumerate(items):
            if isinstance(item, dict) and item.get("name") == entry["name"]:
                items[index] = entry
                break
        else:
            items.append(entry)
        merged[section] = items
    names = set(item.get("name") for item in _entries(merged, "contexts"))
    if merged.get("current-context") not in names:
        merged["current-context"] = own["current-context"]
    return merged


def remove_entries(doc, name):
    """``doc`` without the entries of the cluster whose context is ``name`` (``state=absent``).

    Removed: the context ``name`` and every context on the cluster entry ``name``, the cluster
    entry ``name``, and the user ``name`` unless a context that stays uses it;
    ``current-context`` when it named a removed context. Every other entry stays, in its place.

    :returns: ``(new doc, removed)``: a new ``dict`` and the sorted descriptions of the removed
        entries (``["cluster demo", "context demo", "user demo"]``); ``doc`` is not modified.
    """
    new = copy.deepcopy(doc) if doc else {}
    removed = []
    contexts = []
    for item in _entries(new, "contexts"):
        ctx = item.get("context") or {}
        if item.get("name") == name or ctx.get("cluster") == name:
            removed.append("context %s" % item.get("name"))
        else:
            contexts.append(item)
    used = set((item.get("context") or {}).get("user") for item in contexts)
    sections = dict(contexts=contexts)
    sections["clusters"] = [c for c in _entries(new, "clusters") if c.get("name") != name]
    removed += ["cluster %s" % c.get("name") for c in _entries(new, "clusters") if c.get("name") == name]
    sections["users"] = [u for u in _entries(new, "users") if u.get("name") != name or name in used]
    removed += ["user %s" % u.get("name") for u in _entries(new, "users") if u.get("name") == name and name not in used]
    for section in SECTIONS:
        if section in new or sections[section]:
            kept = [item for item in (new.get(section) or []) if not isinstance(item, dict)]
            new[section] = sections[section] + kept
    gone = set(entry.split(" ", 1)[1] for entry in removed if entry.startswith("context "))
    if new.get("current-context") in gone:
        del new["current-context"]
        removed.append("current-context")
    return new, sorted(removed)


def is_empty(doc):
    """``True`` when the kubeconfig ``doc`` holds no cluster, user or context entry."""
    return not any(doc.get(section) for section in SECTIONS)


def context_names(doc):
    """The names of the contexts of ``doc``, in their order."""
    return [item.get("name") for item in _entries(doc, "contexts")]


# -- the cluster's Kubernetes API --------------------------------------------------------

WAIT_FOR_CHOICES = ("status", "api", "nodes")


def wait_for_spec():
    """Argument spec of the ``wait_for`` option (doc fragment ``nhncloud.nks.wait_for``)."""
    return dict(type="str", choices=list(WAIT_FOR_CHOICES), default="status")


def _b64_file(directory, name, data):
    path = os.path.join(directory, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(base64.b64decode(data))
    return path


class KubeSession(object):
    """A ``requests`` session to the API of the current context of a kubeconfig ``doc``.

    Use it as a context manager: on entry the CA, client certificate and key
    (``*-data`` fields, base64 PEM) are written to a new private temporary directory
    (0700, files 0600), removed again on exit. A ``token`` is sent as a bearer token.

    :param dict doc: a kubeconfig with one cluster and one user (see :func:`own_kubeconfig`).
    :param float timeout: seconds per request (connect and read).
    :raises KubeconfigError: on entry, when the kubeconfig lacks a server or its data is not base64.
    """

    def __init__(self, doc, timeout=10.0):
        self.cluster = (_entries(doc, "clusters") or [{}])[0].get("cluster") or {}
        self.user = (_entries(doc, "users") or [{}])[0].get("user") or {}
        self.server = (self.cluster.get("server") or "").rstrip("/")
        self.timeout = timeout
        self.tmpdir = None
        self.session = None

    def __enter__(self):
        if not self.server:
            raise KubeconfigError("the kubeconfig names no server")
        self.tmpdir = tempfile.mkdtemp(prefix="nks-kube-")  # mkdtemp: mode 0700
        session = requests.Session()
        try:
            if self.cluster.get("insecure-skip-tls-verify"):
                session.verify = False
            elif self.cluster.get("certificate-authority-data"):
                session.verify = _b64_file(self.tmpdir, "ca.crt", self.cluster["certificate-authority-data"])
            if self.user.get("client-certificate-data") and self.user.get("client-key-data"):
                session.cert = (_b64_file(self.tmpdir, "client.crt", self.user["client-certificate-data"]),
                                _b64_file(self.tmpdir, "client.key", self.user["client-key-data"]))
            if self.user.get("token"):
                session.headers["Authorization"] = "Bearer %s" % self.user["token"]
        except (TypeError, ValueError):
            self.__exit__(None, None, None)
            raise KubeconfigError("the kubeconfig's certificate data is not base64")
        session.headers["Accept"] = "application/json"
        self.session = session
        return self

    def __exit__(self, *exc_info):
        if self.session is not None:
            self.session.close()
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def get(self, path):
        """``GET server + path``. Returns ``(response, None, None)``, or ``(None, problem, hint)``
        when no HTTP answer came (refused, reset, TLS failure, timeout, unknown host)."""
        url = self.server + path
        try:
            # verify per request: REQUESTS_CA_BUNDLE would override the session's own
            return self.session.get(url, timeout=self.timeout, verify=self.session.verify), None, None
        except requests.exceptions.SSLError as exc:
            return None, "TLS with %s failed: %s" % (self.server, _short(exc)), _tls_hint(exc)
        except requests.exceptions.Timeout as exc:
            return None, "no answer from %s: %s" % (self.server, _short(exc)), ACL_HINT
        except requests.exceptions.ConnectionError as exc:
            return None, "cannot connect to %s: %s" % (self.server, _short(exc)), _connection_hint(exc)


def _short(exc):
    """The innermost reason of a ``requests`` error, in one line."""
    text = str(exc)
    for marker in ("Caused by ", "] "):
        if marker in text:
            text = text.rsplit(marker, 1)[-1]
    return text.strip(" ()'\"")[:300]


def _tls_hint(exc):
    text = str(exc).lower()
    if "verify failed" in text or "hostname" in text:
        return ("the API's certificate does not match the kubeconfig's certificate authority"
                " (renewed certificate? the kubeconfig is read again on each run)")
    return ACL_HINT  # a handshake broken off by the endpoint


def _connection_hint(exc):
    text = str(exc).lower()
    if "resolve" in text or "name or service" in text or "nodename" in text:
        return ("the API address does not resolve from this controller (a cluster without a public"
                " endpoint is reachable only from its VPC)")
    return ACL_HINT


def _answer_problem(response, what):
    """``(problem, hint)`` for an HTTP error answer to ``what``, ``(None, None)`` for 2xx."""
    if response.status_code < 300:
        return None, None
    try:
        body = response.json().get("message")  # a Kubernetes Status object
    except (ValueError, AttributeError):
        body = None
    body = (body or response.text or "").strip().replace("\n", " ")[:300]
    problem = "%s answered HTTP %s: %s" % (what, response.status_code, body)
    if response.status_code == 401:
        return problem, ("the API refused the kubeconfig's client certificate (another cluster's,"
                         " or the cluster certificate was renewed)")
    if response.status_code == 403:
        return problem, ACL_HINT
    return problem, ("the API server is not ready yet: NKS reports a cluster complete before its API"
                     " server answers; raise wait_timeout if it stays so")


# -- what "usable" means -------------------------------------------------------------------


def _version(value):
    text = str(value or "").strip()
    return text if text.startswith("v") or not text else "v" + text


def node_group_of(node, cluster_name=None):
    """The node group a Kubernetes node belongs to: a label of :data:`NODEGROUP_LABELS`,
    else the ``<nodegroup>`` of its name ``<cluster>-<nodegroup>-node-<n>``, else ``None``."""
    meta = node.get("metadata") or {}
    labels = meta.get("labels") or {}
    for label in NODEGROUP_LABELS:
        if labels.get(label):
            return labels[label]
    name = meta.get("name") or ""
    prefix = "%s-" % cluster_name if cluster_name else ""
    if name.startswith(prefix) and "-node-" in name:
        return name[len(prefix):].rsplit("-node-", 1)[0]
    return None


def node_state(node):
    """``(name, ready, kubelet version)`` of a Kubernetes node object."""
    status = node.get("status") or {}
    ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                for c in status.get("conditions") or [] if isinstance(c, dict))
    version = (status.get("nodeInfo") or {}).get("kubeletVersion")
    return (node.get("metadata") or {}).get("name"), ready, _version(version)


def group_problem(group, nodes):
    """What keeps node group ``group`` from being usable, or ``None``.

    :param dict group: ``name``, ``node_count``, ``kube_version`` and ``autoscale_min``
        (``None`` when the autoscaler is off) of the node group, as NKS reports it.
    :param list nodes: ``(name, ready, version)`` of the Kubernetes nodes of the group.
    :returns: ``None`` when every one of ``node_count`` nodes is Ready at ``kube_version``;
        with the autoscaler on, when at least ``autoscale_min`` (at least 1) nodes are Ready at
        ``kube_version`` and no node of the group runs another version. Else a sentence.
    """
    want = _version(group["kube_version"])
    good = [name for name, ready, version in nodes if ready and (not want or version == want)]
    off = ["%s %s" % (name, ("NotReady" if not ready else version))
           for name, ready, version in nodes if not ready or (want and version != want)]
    if group.get("autoscale_min") is not None:
        need = max(1, group["autoscale_min"])
        stale = [name for name, ready, version in nodes if want and version != want]
        if len(good) >= need and not stale:
            return None
        expect = "at least %d (autoscaler on)" % need
    else:
        if len(good) == group["node_count"] == len(nodes):
            return None
        expect = "%d" % group["node_count"]
    return ("node group %s: %d of %s nodes Ready at %s, %d nodes seen%s"
            % (group["name"], len(good), expect, want or "any version", len(nodes),
               " (%s)" % ", ".join(sorted(off)[:10]) if off else ""))


def check_once(kube, groups, cluster_name):
    """One probe: ``/readyz``, then (when ``groups``) ``/api/v1/nodes``.

    :returns: ``(problem, hint)``; ``(None, None)`` when usable.
    """
    response, problem, hint = kube.get("/readyz")
    if response is not None:
        problem, hint = _answer_problem(response, "/readyz")
    if problem or not groups:
        return problem, hint
    response, problem, hint = kube.get("/api/v1/nodes")
    if response is not None:
        problem, hint = _answer_problem(response, "/api/v1/nodes")
    if problem:
        return problem, hint
    try:
        items = response.json().get("items") or []
    except (ValueError, AttributeError):
        return "/api/v1/nodes answered no node list", None
    problems = [group_problem(g, [node_state(n) for n in items if node_group_of(n, cluster_name) == g["name"]])
                for g in groups]
    problems = [p for p in problems if p]
    if problems:
        return "; ".join(problems), ("nodes join the cluster a while after NKS reports the node group"
                                     " complete; raise wait_timeout if they stay so")
    return None, None


def expected_groups(api, cluster_uuid, nodegroup=None):
    """The worker node groups to check, as :func:`group_problem` takes them (from NKS).

    :param api: an ``NksApi``. :param str nodegroup: one node group, or ``None`` for every
        worker node group of the cluster (``default-master`` is the control plane: skipped).
    """
    names = [nodegroup] if nodegroup else [ng.get("name") or ng.get("uuid") for ng in api.list_nodegroups(cluster_uuid)]
    groups = []
    for name in names:
        view = nodegroup_view(api.get_nodegroup(cluster_uuid, name))
        if not view or view.get("name") == CONTROL_PLANE or view.get("role") == "master":
            continue
        autoscale = view.get("autoscale") or {}
        groups.append(dict(name=view["name"], node_count=view.get("node_count") or 0,
                           kube_version=view.get("kube_version"),
                           autoscale_min=(autoscale.get("min_node_count") or 1) if autoscale.get("enabled") else None))
    return groups


def acl_in_force(api, cluster_uuid):
    """The cluster's IP access control list (:func:`acl_view`) when it is on, else ``None``
    (also when it cannot be read: the caller then goes on as without a list)."""
    try:
        view = acl_view(api.get_ipacl(cluster_uuid))
    except NksError:
        return None
    return view if view.get("enabled") else None


def describe_acl(view):
    """``"ALLOW 10.0.0.0/8, 192.168.0.0/16"`` of an :func:`acl_view`."""
    cidrs = ", ".join(t.get("cidr") or "?" for t in view.get("targets") or []) or "no address"
    return "%s %s" % (view.get("action") or "?", cidrs)


def not_verifiable(resource, view, problem):
    """The warning when an IP access list keeps this controller out of the cluster's API."""
    return ("readiness of %s is not verifiable from this controller: the cluster's IP access control list"
            " (nks_ipacl: %s) keeps it out (%s). NKS reports the cluster usable; readiness is verified before"
            " the list is applied, so a run that changes the list waits first. Add this controller's address"
            " to the list to verify it on every run" % (resource, describe_acl(view), problem))


def wait_until_usable(api, cluster_uuid, wait_for, timeout, nodegroup=None, clock=time.monotonic, warn=None,
                      progress=None):
    """Wait until the cluster's Kubernetes API is ready (``wait_for=api``) and, for
    ``wait_for=nodes``, the nodes of ``nodegroup`` (or of every worker node group) are Ready
    at the expected count and version (:func:`group_problem`). Polls every 2 s, growing to 10 s.
    The node groups (their ``node_count``, autoscaler and version) are read from NKS again at
    each poll, so a resize made meanwhile (the autoscaler, the console) is followed.
    An HTTP 403 while the cluster's IP access control list is on (:func:`acl_in_force`) ends the
    wait at once without an error: readiness cannot be verified from this controller, which the
    list keeps out; ``warn`` gets :func:`not_verifiable` and the same text is returned.
    An API that answers HTTP 403 (an IP access list refusing this controller), or that cannot be
    reached at all (connections refused, reset or timed out: an access list dropping them),
    without a break for :data:`FORBIDDEN_GRACE` seconds ends the wait early: that does not pass
    by itself. The wait has the whole ``timeout``, after the NKS status wait of the module.

    The credentials are the cluster's own, from Get kubeconfig of a Cluster.

    :param float timeout: seconds. :param warn: callable taking a warning text, or ``None``.
    :param progress: as :class:`._engine.Waiter`'s (default: from the module's environment).
    :returns: ``None`` when usable; the :func:`not_verifiable` text when an IP access list keeps
        this controller out.
    :raises KubeWaitTimeout: with what is missing and its likely cause.
    :raises KubeconfigError: when the kubeconfig cannot be used.
    """
    cluster = api.get_cluster(cluster_uuid) or {}
    name = cluster.get("name") or cluster_uuid
    follow = wait_for == "nodes"
    groups = expected_groups(api, cluster_uuid, nodegroup) if follow else []
    doc = own_kubeconfig(load_kubeconfig(api.get_kubeconfig(cluster_uuid)), name)
    resource = "the Kubernetes API of cluster '%s'" % name
    if nodegroup:
        resource += " (node group '%s')" % nodegroup
    start = clock()
    streak = (None, None)  # (kind of lasting problem, since when)
    delays = backoff_delays(2.0, 1.5, 10.0)
    acl_checked, polls = False, 0
    progress = progress if progress is not None else progress_from_environment()
    with KubeSession(doc) as kube:
        while True:
            if follow and polls:
                groups = expected_groups(api, cluster_uuid, nodegroup)  # follow the present
            polls += 1
            problem, hint = check_once(kube, groups, name)
            if problem is None:
                return None
            if FORBIDDEN in problem and not acl_checked:
                acl_checked = True
                acl = acl_in_force(api, cluster_uuid)
                if acl is not None:
                    message = not_verifiable(resource, acl, problem)
                    if warn is not None:
                        warn(message)
                    return message
            now = clock()
            kind = _lasting_kind(problem)
            streak = streak if kind == streak[0] else (kind, now)
            elapsed = now - start
            if kind and now - streak[1] >= FORBIDDEN_GRACE:
                if kind == "unreachable":
                    problem, hint = ("cannot reach the cluster's Kubernetes API at %s for %.0f s (%s)"
                                     % (kube.server, now - streak[1], problem)), \
                        (UNREACHABLE_HINT if hint == ACL_HINT else hint)  # else: a name that does not resolve
                raise KubeWaitTimeout(resource, problem, hint, elapsed)
            if elapsed >= timeout:
                raise KubeWaitTimeout(resource, problem, hint, elapsed)
            report_progress(progress, resource, problem, elapsed)
            sleep(min(next(delays), max(0.0, timeout - elapsed)))


def _lasting_kind(problem):
    """``"forbidden"`` (HTTP 403), ``"unreachable"`` (no HTTP answer) or ``None``: the problems
    that end a wait after :data:`FORBIDDEN_GRACE` seconds without a break."""
    if FORBIDDEN in problem:
        return "forbidden"
    if problem.startswith(UNREACHABLE):
        return "unreachable"
    return None


def wait_after_converge(mod, cluster_uuid, nodegroup=None):
    """What ``nks_cluster`` and ``nks_nodegroup`` call once the module converged: wait as
    ``mod.params['wait_for']`` says, unless ``status`` (the default), ``wait=false``, check
    mode or ``state=absent``. After ``node_action=stop`` the stopped nodes cannot be Ready:
    ``nodes`` then waits for the API only (with a warning). :param mod: the ``NksModule``."""
    p = mod.params
    wait_for = p.get("wait_for") or "status"
    if wait_for == "status" or not p.get("wait") or mod.check_mode or p.get("state") == "absent" \
            or not cluster_uuid:
        return
    if wait_for == "nodes" and p.get("node_action") == "stop":
        mod.warn("wait_for=nodes waits for the Kubernetes API only after node_action=stop: stopped nodes are"
                 " not Ready")
        wait_for = "api"
    return wait_until_usable(mod.api, cluster_uuid, wait_for, p["wait_timeout"], nodegroup, warn=mod.warn)
