# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event source ``nhncloud.nks.nks_events``: NKS fleet events for Event-Driven Ansible (docs/eda.md).

A scraper (ansible-rulebook's "polling" pattern): once per ``interval`` it reads List Clusters of the
project, reads View Task History List (``GET /v1/clusters/{uuid}/events``, 2026-03 guide) only of the
clusters whose list entry changed, and puts normalised events on the queue, each once: a state file
remembers the task UUIDs seen, the health conditions and the warnings already given, across restarts.
"""

from __future__ import absolute_import, division, print_function

import asyncio
import datetime
import importlib.util
import json
import logging
import os
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional, Tuple

DOCUMENTATION = r"""
---
short_description: Events of NHN Kubernetes Service (NKS) clusters, by polling the NKS API.
description:
  - An ansible-rulebook event source plugin that polls the NKS API of one project (one region or
    O(api_url)) and emits normalised events about its clusters.
  - Once per O(interval) it sends one List Clusters request for the whole project. It reads a
    cluster's task history (View Task History List) only when the cluster's list entry changed since the
    last poll, or every O(history_interval) seconds.
  - "Event types (C(event.nks.type)): V(nks.cluster.operation_failed) and V(nks.nodegroup.operation_failed)
    (a task of the task history ended C(FAIL); C(event.nks.reason) is its C(contents)),
    V(nks.health.api_down) and V(nks.health.api_recovered) (C(health_status_reason.cluster.api_status)
    C(K8S_API_NOT_WORKING)), V(nks.health.all_nodes_not_ready) and V(nks.health.nodes_recovered)
    (C(health_status_reason.cluster.node_status) C(ALL_NODES_NOT_READY)), V(nks.upgrade.available)
    (C(labels.kube_version_status) C(NEED_UPGRADE)), V(nks.support.ending) (the version's end of service,
    from the NKS version guide, within O(support_days) days or past) and V(nks.certificate.expiring)
    (C(labels.certificate_expiry) within O(certificate_days) days or past), and V(nks.source.error) and
    V(nks.source.recovered) when the API cannot be read and can again (O(report_errors))."
  - Every event carries C(meta.hosts), the name of the cluster's host in the inventory plugin
    C(nhncloud.nks.nks) (the cluster's name, or its UUID with O(hostname_from=uuid) or when several
    clusters share the name), so that a rule's C(run_playbook) or C(run_job_template) targets that cluster.
  - Each event is emitted once. The task UUIDs seen, the health conditions and the warnings given are
    kept in O(state_file) (JSON, replaced atomically), so a restarted source emits no duplicate and
    emits what changed while it was stopped. On the first poll of a new state file the clusters' past
    tasks are recorded without events (O(emit_existing)).
  - An API error (5xx, a refused connection, rejected credentials) never stops the source; it is logged,
    reported once as a V(nks.source.error) event, and the poll is retried with a growing delay (up to
    O(max_backoff) seconds). Each request is tried 3 times (429/5xx, lost answers) before a poll counts as failed.
  - The connection options are those of the collection's modules, with the same environment variables
    (doc fragment C(nhncloud.nks.auth)); the EDA credential type C(NHN Cloud NKS (EDA)) of
    C(extensions/eda/plugins/event_source/credential_types/nhncloud_nks/) sets them (docs/awx.md).
options:
  region:
    description: NHN Cloud region (kr1, kr2, kr3; any case). Environment variable E(NHN_CLOUD_REGION).
    type: str
    default: kr1
  api_url:
    description: NKS API base URL instead of the region's endpoint (the NKS simulator). E(NKS_API_URL).
    type: str
  identity_url:
    description: Identity API base URL. E(NHN_CLOUD_IDENTITY_URL).
    type: str
  tenant_id:
    description: Tenant (project) ID. E(NHN_CLOUD_TENANT_ID).
    type: str
  username:
    description: NHN Cloud ID (e-mail) or IAM member ID. E(NHN_CLOUD_USERNAME).
    type: str
  api_password:
    description: The API password. E(NHN_CLOUD_API_PASSWORD).
    type: str
  auth_token:
    description: An issued token, instead of the password. E(NHN_CLOUD_AUTH_TOKEN).
    type: str
  validate_certs:
    description: Verify TLS certificates. E(NHN_CLOUD_VALIDATE_CERTS).
    type: bool
    default: true
  http_timeout:
    description: Seconds per HTTP request. E(NHN_CLOUD_HTTP_TIMEOUT).
    type: float
    default: 30
  interval:
    description: Seconds between two polls (one List Clusters each).
    type: float
    default: 60
  history_interval:
    description:
      - Seconds after which every cluster's task history is read even when its list entry did not change
        (a failed node group task may leave the cluster's entry as it was). V(0) never.
    type: float
    default: 900
  state_file:
    description:
      - JSON file that keeps what was emitted across restarts (created with its directory; mode 0600).
      - Without it the source de-duplicates in memory only, and a restart emits the current conditions again.
    type: path
  name_filter:
    description: Shell-style patterns; only clusters whose name matches one of them are watched.
    type: list
    elements: str
  hostname_from:
    description: What names a cluster in C(meta.hosts), as the inventory plugin's option of that name.
    type: str
    choices: [name, uuid]
    default: name
  certificate_days:
    description: Emit V(nks.certificate.expiring) when C(labels.certificate_expiry) is this many days away or less.
    type: int
    default: 30
  support_days:
    description: Emit V(nks.support.ending) when the version's end of service is this many days away or less.
    type: int
    default: 90
  events:
    description: The event types to emit (all when not set), e.g. V(nks.nodegroup.operation_failed).
    type: list
    elements: str
  emit_existing:
    description: On the first poll of a new state file, emit the failed tasks already in the task history too.
    type: bool
    default: false
  report_errors:
    description: Emit V(nks.source.error) when the API cannot be read (once per outage) and V(nks.source.recovered).
    type: bool
    default: true
  max_backoff:
    description: Longest delay, in seconds, between polls while the API cannot be read.
    type: float
    default: 300
notes:
  - Requests per poll, for N clusters of which C changed; one List Clusters, plus one View Task History
    List per changed cluster, plus one See the Supported Kubernetes Versions when a cluster is
    C(NEED_UPGRADE) and changed (to name the newest version), plus the token request when the token expires.
  - The health events need C(health_status_reason) in the List Clusters answer (the 2026-03 guide).
"""

EXAMPLES = r"""
- name: React to NKS events
  hosts: all
  sources:
    - nhncloud.nks.nks_events:
        region: kr1
        interval: 60
        state_file: /var/lib/eda/nks_events.json
        certificate_days: 30
  rules:
    - name: A node group upgrade failed
      condition: event.nks.type == "nks.nodegroup.operation_failed" and event.nks.operation == "NODEGROUP_UPGRADE"
      action:
        run_playbook:
          name: nhncloud.nks.eda_pause_update_run
"""

LOG = logging.getLogger("nhncloud.nks.nks_events")

EVENT_TYPES = (
    "nks.cluster.operation_failed", "nks.nodegroup.operation_failed",
    "nks.health.api_down", "nks.health.api_recovered",
    "nks.health.all_nodes_not_ready", "nks.health.nodes_recovered",
    "nks.upgrade.available", "nks.support.ending", "nks.certificate.expiring",
    "nks.source.error", "nks.source.recovered",
)
"""Every ``event.nks.type`` the source emits (docs/eda.md, "Events")."""

STATE_VERSION = 1
CONNECTION_OPTIONS = ("region", "api_url", "identity_url", "tenant_id", "username", "api_password",
                      "auth_token", "validate_certs", "http_timeout")
DEFAULTS = dict(interval=60.0, history_interval=900.0, state_file=None, name_filter=None, hostname_from="name",
                certificate_days=30, support_days=90, events=None, emit_existing=False, report_errors=True,
                max_backoff=300.0)
KEEP_SEEN_SECONDS = 90 * 86400
"""Task UUIDs are forgotten this long after they were seen (the state file stays small)."""


# --------------------------------------------------------------------------------------------
# The collection's module_utils (read-only import): the HTTP client and the support lifecycle.

def _collection_root() -> str:
    """The collection's root: ``extensions/eda/plugins/event_source/`` is four levels below it.
    Not resolved: when the collection is reached through a symbolic link, the link's path is kept."""
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))


def _module_utils():
    """``(_client, _lifecycle, _retry)`` of ``nhncloud.nks``: from ``ansible_collections`` when importable
    (the collection installed in a collections path on ``sys.path``), otherwise loaded from this
    file's own collection (ansible-rulebook runs a source with ``runpy.run_path``, outside any package).

    :raises ImportError: when neither works.
    """
    try:
        from ansible_collections.nhncloud.nks.plugins.module_utils import _client, _lifecycle, _retry
        return _client, _lifecycle, _retry
    except ImportError:
        pass
    package = "_nhncloud_nks_eda_module_utils"
    if package not in sys.modules:
        directory = os.path.join(_collection_root(), "plugins", "module_utils")
        spec = importlib.util.spec_from_loader(package, loader=None, is_package=True)
        module = importlib.util.module_from_spec(spec)
        module.__path__ = [directory]
        sys.modules[package] = module
    return tuple(importlib.import_module(package + "." + name) for name in ("_client", "_lifecycle", "_retry"))


_client, _lifecycle, _retry = _module_utils()

POLICY = _retry.RetryPolicy(attempts=3, backoff=0.5, backoff_max=2.0)
"""The client's retries per request (the modules' policy tries 10 times): a poll that fails ends within a few
seconds, is reported, and the next poll tries again (:meth:`Poller.delay`)."""


# --------------------------------------------------------------------------------------------
# Options

def options_from(args: Dict[str, Any], environ=None) -> Dict[str, Any]:
    """The source's settings: ``args`` (the rulebook's source arguments) over :data:`DEFAULTS`, and the
    connection options with the modules' environment fallbacks (``_client.CONNECTION_ENV``).

    :returns: ``dict`` with every key of :data:`DEFAULTS` and of :data:`CONNECTION_OPTIONS`.
    :raises ValueError: on a bad value (the message names the argument, never a secret).
    """
    environ = os.environ if environ is None else environ
    opts = dict(DEFAULTS)
    opts.update({k: v for k, v in (args or {}).items() if v is not None and v != ""})
    for option, env in _client.CONNECTION_ENV:
        if opts.get(option) in (None, "") and environ.get(env):
            opts[option] = environ[env]
    for option in CONNECTION_OPTIONS:
        opts.setdefault(option, None)
    if isinstance(opts["validate_certs"], str):
        opts["validate_certs"] = opts["validate_certs"].strip().lower() not in ("0", "false", "no", "off")
    for key in ("interval", "history_interval", "max_backoff", "http_timeout"):
        if opts.get(key) is not None:
            try:
                opts[key] = float(opts[key])
            except (TypeError, ValueError):
                raise ValueError("nks_events: %s must be a number of seconds" % key)
    for key in ("certificate_days", "support_days"):
        try:
            opts[key] = int(opts[key])
        except (TypeError, ValueError):
            raise ValueError("nks_events: %s must be an integer number of days" % key)
    if opts["interval"] <= 0:
        raise ValueError("nks_events: interval must be > 0")
    if opts["hostname_from"] not in ("name", "uuid"):
        raise ValueError("nks_events: hostname_from must be name or uuid")
    unknown = sorted(set(opts["events"] or ()) - set(EVENT_TYPES))
    if unknown:
        raise ValueError("nks_events: unknown events %s; known: %s" % (", ".join(unknown), ", ".join(EVENT_TYPES)))
    return opts


def client_from(opts: Dict[str, Any]):
    """The :class:`_client.NksClient` of the source (``_client.client_from_options``).

    :raises ValueError: missing credentials or an unknown region."""
    given = {k: opts.get(k) for k in CONNECTION_OPTIONS}
    sources = _client.option_sources(given, {})
    return _client.client_from_options(given, sources=sources, user_agent="nhncloud.nks-eda-nks_events",
                                       policy=POLICY)


# --------------------------------------------------------------------------------------------
# State (de-duplication across restarts)

def new_state() -> Dict[str, Any]:
    """An empty state: ``seen`` (task UUID -> epoch seen), ``clusters`` (UUID -> ``{fingerprint,
    api_down, nodes_not_ready, history_at}``), ``given`` (warning key -> epoch), ``primed`` (bool)."""
    return {"version": STATE_VERSION, "seen": {}, "clusters": {}, "given": {}, "primed": False}


def load_state(path: Optional[str]) -> Dict[str, Any]:
    """The state of ``path``; a new state when there is no file, or an unreadable one (logged)."""
    if not path or not os.path.exists(path):
        return new_state()
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a state file of version %d" % STATE_VERSION)
        state = new_state()
        state.update({k: data[k] for k in state if k in data})
        return state
    except (OSError, ValueError) as exc:
        LOG.warning("nks_events: state file %s unreadable (%s): starting afresh", path, exc)
        return new_state()


def save_state(path: Optional[str], state: Dict[str, Any]) -> None:
    """Write ``state`` to ``path`` atomically (a temporary file in the same directory, then
    ``os.replace``), mode 0600; nothing without a path."""
    if not path:
        return
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".nks_events.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(state, out, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------------------------
# Reading the answers

def host_names(clusters: List[dict], hostname_from: str = "name") -> Dict[str, str]:
    """Cluster UUID -> inventory host name, as ``host_names`` of the inventory plugin
    ``nhncloud.nks.nks`` (plugins/inventory/nks.py): the name (or the UUID with ``hostname_from=uuid``);
    a cluster whose name several listed clusters share, or that has none, is named by its UUID."""
    key = "uuid" if hostname_from == "uuid" else "name"
    counts: Dict[Any, int] = {}
    for cluster in clusters:
        counts[cluster.get(key)] = counts.get(cluster.get(key), 0) + 1
    names = {}
    for cluster in clusters:
        name = cluster.get(key)
        names[cluster["uuid"]] = cluster["uuid"] if not name or counts[name] > 1 else name
    return names


def fingerprint(cluster: dict) -> str:
    """What a List Clusters entry says, as a string: two polls with the same fingerprint saw no change."""
    return json.dumps(cluster, sort_keys=True, default=str)


def health(cluster: dict) -> Tuple[bool, bool]:
    """``(api_down, all_nodes_not_ready)`` of a List Clusters entry (2026-03 guide ``health_status_reason``:
    ``cluster.api_status`` ``K8S_API_NOT_WORKING``, ``cluster.node_status`` ``ALL_NODES_NOT_READY``, in any
    case). Both ``False`` when the answer has no such object (the 2025-02 list, a cluster being created)."""
    reason = cluster.get("health_status_reason")
    if not isinstance(reason, dict) or not isinstance(reason.get("cluster"), dict):
        return False, False
    api = str(reason["cluster"].get("api_status") or "").upper()
    nodes = str(reason["cluster"].get("node_status") or "").upper()
    return api == "K8S_API_NOT_WORKING", nodes == "ALL_NODES_NOT_READY"


def parse_time(text: Any) -> Optional[datetime.datetime]:
    """An ISO 8601 time of the API (``2026-12-07T10:00:00+00:00``, ``...Z``) as an aware datetime
    (UTC when it has no offset); ``None`` when unparsable."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def newest_version(supported: Dict[str, Any]) -> Optional[str]:
    """The newest version ``supported_k8s`` of See the Supported Kubernetes Versions offers (creatable), or None."""
    def key(version):
        return tuple(int(p) for p in "".join(c if c.isdigit() else " " for c in version).split())
    offered = [v for v, ok in (supported or {}).items() if ok is True or str(ok).lower() == "true"]
    return max(offered, key=key) if offered else None


# --------------------------------------------------------------------------------------------
# The poller

class Poller:
    """One source's polling state: ``poll()`` reads the API once and returns the events to emit.

    :param dict opts: :func:`options_from`'s result. :param client: an ``NksClient`` (tests pass a fake
    one with ``get(path)``). :param clock: ``time.time`` (tests inject one)."""

    def __init__(self, opts: Dict[str, Any], client, clock=time.time):
        self.opts = opts
        self.client = client
        self.clock = clock
        self.state = load_state(opts.get("state_file"))
        self.failing = False
        self.failures = 0

    # -- the emitted event -------------------------------------------------------------
    def _event(self, kind: str, cluster: dict, host: str, **fields: Any) -> Dict[str, Any]:
        labels = cluster.get("labels") or {}
        body = {"type": kind, "cluster": {"uuid": cluster.get("uuid"), "name": cluster.get("name"),
                                          "status": cluster.get("status"),
                                          "kube_version": labels.get("kube_tag")},
                "time": datetime.datetime.fromtimestamp(self.clock(), datetime.timezone.utc).isoformat()}
        body.update(fields)
        return {"nks": body, "meta": {"hosts": host}}

    def _wanted(self, kind: str) -> bool:
        return not self.opts.get("events") or kind in self.opts["events"]

    def _once(self, key: str) -> bool:
        """True the first time ``key`` (a warning) is given; remembered in the state."""
        if key in self.state["given"]:
            return False
        self.state["given"][key] = self.clock()
        return True

    # -- one poll ---------------------------------------------------------------------
    def poll(self) -> List[Dict[str, Any]]:
        """Read the API once; the events to emit, in order. Saves the state.

        :raises _client.NksError, ValueError, OSError: when the API cannot be read (the caller reports
            and retries: :func:`run`)."""
        listed = self.client.get("/v1/clusters").get("clusters") or []
        patterns = self.opts.get("name_filter")
        if patterns:
            import fnmatch
            listed = [c for c in listed if any(fnmatch.fnmatchcase(str(c.get("name")), p) for p in patterns)]
        hosts = host_names(listed, self.opts.get("hostname_from", "name"))
        now = self.clock()
        first = not self.state["primed"]
        events: List[Dict[str, Any]] = []
        latest = None
        known = self.state["clusters"]
        for cluster in listed:
            uid, host = cluster["uuid"], hosts[cluster["uuid"]]
            record = known.get(uid)
            new_cluster = record is None
            record = record or {"fingerprint": None, "api_down": False, "nodes_not_ready": False, "history_at": 0}
            changed = record["fingerprint"] != fingerprint(cluster)
            due = self.opts.get("history_interval") and now - record.get("history_at", 0) >= \
                self.opts["history_interval"]
            if changed or due:
                events += self._history(cluster, host, prime=first and not self.opts.get("emit_existing"))
                record["history_at"] = now
            record["fingerprint"] = fingerprint(cluster)
            events += self._health(cluster, host, record, new_cluster)
            labels = cluster.get("labels") or {}
            if (changed or due) and str(labels.get("kube_version_status") or "").upper() == "NEED_UPGRADE" \
                    and self._wanted("nks.upgrade.available"):
                if latest is None:
                    latest = self._latest()
                key = "upgrade|%s|%s|%s" % (uid, labels.get("kube_tag"), latest)
                if self._once(key):
                    events.append(self._event("nks.upgrade.available", cluster, host,
                                              latest_version=latest or None))
            events += self._lifecycle(cluster, host, now)
            known[uid] = record
        listed_ids = set(c["uuid"] for c in listed)
        for uid in [u for u in known if u not in listed_ids]:
            del known[uid]  # deleted (or filtered out): its next appearance starts afresh
        self._forget_old(now)
        self.state["primed"] = True
        save_state(self.opts.get("state_file"), self.state)
        return events

    def _latest(self) -> str:
        try:
            return newest_version(self.client.get("/v1/supports").get("supported_k8s")) or ""
        except _client.NksError as exc:
            LOG.warning("nks_events: See the Supported Kubernetes Versions failed: %s", exc)
            return ""

    def _history(self, cluster: dict, host: str, prime: bool) -> List[Dict[str, Any]]:
        """The failed tasks of the cluster not seen yet (all recorded as seen; none emitted when ``prime``)."""
        answer = self.client.get("/v1/clusters/%s/events" % cluster["uuid"])
        out = []
        for task in sorted(answer.get("events") or [], key=lambda t: (t.get("id") or 0, str(t.get("created_at")))):
            uid = task.get("uuid")
            if not uid or task.get("state") == "IN_PROGRESS" or uid in self.state["seen"]:
                continue
            self.state["seen"][uid] = self.clock()
            if prime or task.get("state") != "FAIL":
                continue
            nodegroup = task.get("resource_type") == "nodegroup"
            kind = "nks.nodegroup.operation_failed" if nodegroup else "nks.cluster.operation_failed"
            if not self._wanted(kind):
                continue
            extra = {"nodegroup": {"uuid": task.get("resource_uuid"), "name": task.get("resource_name")}} \
                if nodegroup else {}
            out.append(self._event(kind, cluster, host, operation=task.get("type"), reason=task.get("contents"),
                                   event_uuid=uid, started_at=task.get("created_at"),
                                   ended_at=task.get("updated_at"), **extra))
        return out

    def _health(self, cluster: dict, host: str, record: dict, new_cluster: bool) -> List[Dict[str, Any]]:
        api_down, nodes_down = health(cluster)
        out = []
        reason = cluster.get("health_status_reason")
        for flag, now_bad, bad, good in (("api_down", api_down, "nks.health.api_down", "nks.health.api_recovered"),
                                         ("nodes_not_ready", nodes_down, "nks.health.all_nodes_not_ready",
                                          "nks.health.nodes_recovered")):
            was_bad = bool(record.get(flag))
            record[flag] = now_bad
            if now_bad == was_bad:
                continue
            kind = bad if now_bad else good
            if self._wanted(kind):
                out.append(self._event(kind, cluster, host, health_status_reason=reason))
        return out

    def _lifecycle(self, cluster: dict, host: str, now: float) -> List[Dict[str, Any]]:
        out = []
        labels = cluster.get("labels") or {}
        today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
        version = labels.get("kube_tag")
        if version and self._wanted("nks.support.ending"):
            info = _lifecycle.lifecycle(version, today, self.opts["support_days"])
            key = "support|%s|%s|%s" % (cluster["uuid"], version, info["end_of_service"])
            if info["support_ending"] and self._once(key):
                out.append(self._event("nks.support.ending", cluster, host, end_of_service=info["end_of_service"],
                                       end_of_support=info["end_of_support"],
                                       days=info["days_to_end_of_service"], support_phase=info["support_phase"],
                                       guide_revision=_lifecycle.GUIDE_REVISION))
        expiry = parse_time(labels.get("certificate_expiry"))
        if expiry is not None and self._wanted("nks.certificate.expiring"):
            days = int((expiry.timestamp() - now) // 86400)
            if days <= self.opts["certificate_days"] and self._once("certificate|%s|%s" % (
                    cluster["uuid"], labels.get("certificate_expiry"))):
                out.append(self._event("nks.certificate.expiring", cluster, host,
                                       certificate_expiry=labels.get("certificate_expiry"), days=days))
        return out

    def _forget_old(self, now: float) -> None:
        """Forget task UUIDs seen more than :data:`KEEP_SEEN_SECONDS` ago (warnings are kept: their keys
        name the version or the certificate date they were given for)."""
        self.state["seen"] = {k: t for k, t in self.state["seen"].items() if now - t < KEEP_SEEN_SECONDS}

    # -- errors ------------------------------------------------------------------------
    def failed(self, exc: BaseException) -> Optional[Dict[str, Any]]:
        """Note a failed poll: logs it; the ``nks.source.error`` event to emit (the first failure of an
        outage, with ``report_errors``), else ``None``."""
        self.failures += 1
        LOG.warning("nks_events: polling the NKS API failed (%d in a row): %s", self.failures, exc)
        if self.failing:
            return None
        self.failing = True
        if not self.opts.get("report_errors") or not self._wanted("nks.source.error"):
            return None
        return {"nks": {"type": "nks.source.error", "error": _client.shorten(str(exc), 500),
                        "error_type": type(exc).__name__, "status": getattr(exc, "status", None),
                        "time": datetime.datetime.fromtimestamp(self.clock(), datetime.timezone.utc).isoformat()},
                "meta": {}}

    def recovered(self) -> Optional[Dict[str, Any]]:
        """Note a successful poll; the ``nks.source.recovered`` event after an outage, else ``None``."""
        was, failures = self.failing, self.failures
        self.failing, self.failures = False, 0
        if not was or not self.opts.get("report_errors") or not self._wanted("nks.source.recovered"):
            return None
        return {"nks": {"type": "nks.source.recovered", "failed_polls": failures,
                        "time": datetime.datetime.fromtimestamp(self.clock(), datetime.timezone.utc).isoformat()},
                "meta": {}}

    def delay(self) -> float:
        """Seconds until the next poll: ``interval``, doubled per failed poll in a row up to ``max_backoff``."""
        interval = self.opts["interval"]
        if not self.failures:
            return interval
        return min(max(interval, self.opts["max_backoff"]), interval * (2 ** min(self.failures, 16)))


RETRIED = (OSError, ValueError, KeyError, TypeError, AttributeError)
"""Besides ``_client.NksError``: what a poll may raise that is retried (a malformed answer, a full disk)."""

CAUGHT = (_client.NksError,) + RETRIED
"""Every error a poll reports and retries (``_client.NksError`` and :data:`RETRIED`)."""


async def run(queue: asyncio.Queue, poller: Poller) -> None:
    """Poll forever: each poll in a worker thread (the client is blocking), its events put on ``queue``."""
    while True:
        try:
            events = await asyncio.to_thread(poller.poll)
            note = poller.recovered()
            if note:
                events.insert(0, note)
        except asyncio.CancelledError:
            raise
        except CAUGHT as exc:  # never a crash: report, back off, retry
            note = poller.failed(exc)
            events = [note] if note else []
        for event in events:
            await queue.put(event)
            await asyncio.sleep(0)
        await asyncio.sleep(poller.delay())


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """Entry point of ansible-rulebook: poll the NKS API until cancelled (docs/eda.md).

    :raises ValueError: on bad arguments or missing credentials (before the first poll)."""
    opts = options_from(args)
    poller = Poller(opts, client_from(opts))
    LOG.info("nks_events: polling %s every %s s (state file %s)", poller.client.api_url, opts["interval"],
             opts.get("state_file") or "none")
    try:
        await run(queue, poller)
    except asyncio.CancelledError:
        LOG.info("nks_events: stopped")
        raise


if __name__ == "__main__":
    # MockQueue: run the source alone and print its events (ansible-rulebook docs/sources.rst).

    class MockQueue(asyncio.Queue):
        """Prints what the source puts."""

        async def put(self, item):  # pylint: disable=invalid-overridden-method
            print(json.dumps(item, sort_keys=True))

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(MockQueue(), {"interval": float(os.environ.get("NKS_EVENTS_INTERVAL", "10")),
                                   "state_file": os.environ.get("NKS_EVENTS_STATE_FILE")}))
