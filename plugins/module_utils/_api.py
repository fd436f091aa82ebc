# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One method per operation of the NKS API v2 guide.

Each method names the guide section it implements, sends exactly one request
through :class:`~._client.NksClient` and returns the decoded answer. "Not
found" reads return ``None`` instead of raising, so callers can tell "absent"
from "failed". No Ansible here.

Each method also names the shape of the answer it expects (``expect=``, built from
the shapes below with :func:`~._client.an_object` and :func:`~._client.a_list_of`):
the client checks the answer before it is returned, and an answer of another shape
(an empty 200, ``null``, an array, a cluster without ``status``, HTML, truncated
JSON) is a transient fault (:class:`~._client.NksMalformedAnswer`), retried, never
read as data. "Not found" comes only from a 404 or from a well-formed list without
the resource. A new method declares its shape the same way::

    def get_thing(self, cluster_id):
        return self.client.get("/v1/clusters/%s/thing" % _q(cluster_id), expect=an_object(uuid=str))
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

from ._client import NksConflict, NksNotFound, a_list_of, an_object, shorten
from ._validation import is_uuid

CONTROL_PLANE = "default-master"
DEFAULT_WORKER = "default-worker"
DEFAULT_NODEGROUPS = (CONTROL_PLANE, DEFAULT_WORKER)


# The answers the guide documents (only the fields the collection relies on; more are allowed).
CLUSTER = an_object(uuid=str, name=str, status=str)
"""A cluster (Get a Cluster, and each item of List Clusters)."""
CLUSTER_LIST = an_object(clusters=a_list_of(CLUSTER))
"""List Clusters: ``{"clusters": [cluster, ...]}``."""
NODEGROUP = an_object(uuid=str, name=str, status=str)
"""A node group (Get a Node Group, and each item of List Node Groups)."""
NODEGROUP_LIST = an_object(nodegroups=a_list_of(NODEGROUP))
"""List Node Groups: ``{"nodegroups": [node group, ...]}``."""
CREATED = an_object(uuid=str)
"""The answer of a create (Create a Cluster, Create a Node Group): at least ``{"uuid"}``."""
OBJECT = an_object()
"""Any JSON object (answers whose fields the callers read with defaults)."""
EVENT_LIST = an_object(events=a_list_of(an_object(uuid=str)))
"""View Task History List: ``{"events": [{"uuid", ...}, ...]}``."""
KUBECONFIG = an_object(config=str)
"""Get kubeconfig of a Cluster: ``{"config": "<YAML>"}``."""
SUPPORTS = an_object(supported_k8s=dict)
"""See the Supported Kubernetes Versions: ``{"supported_k8s": {...}, ...}``."""


class AmbiguousName(Exception):
    """A name matches several clusters; the message lists their UUIDs."""


def _q(value):
    return quote(str(value), safe="")


def _absent_on_404(absent=None):
    """Decorate a read (or a delete) so that NKS's 404 returns ``absent`` instead of raising
    :class:`NksNotFound`: the one "not found" rule of this module (``None`` for a thing, ``[]``
    for a list, ``False`` for a delete of something already gone)."""
    def decorate(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except NksNotFound:
                return absent() if callable(absent) else absent
        return wrapper
    return decorate


def _task_types(tree):
    """Every task type name of ``supported_event_type``, flat (2026) or by ``cluster_events``/``nodegroup_events``."""
    names = set()
    for key, value in (tree or {}).items():
        if isinstance(value, dict):
            names |= _task_types(value)
        else:
            names.add(key)
    return names


class NksApi(object):
    """The guide's operations over one :class:`NksClient`.

    :param client: an authenticated-on-demand ``NksClient``.
    """

    def __init__(self, client):
        self.client = client
        self._supports = None

    # -- clusters -----------------------------------------------------------

    def list_clusters(self):
        """List Clusters: ``GET /v1/clusters``. Returns a ``list`` of cluster dicts."""
        return self.client.get("/v1/clusters", expect=CLUSTER_LIST)["clusters"]

    @_absent_on_404()
    def get_cluster(self, cluster_id):
        """Get a Cluster: ``GET /v1/clusters/{CLUSTER_ID_OR_NAME}``.

        :returns: the cluster ``dict``, or ``None`` on 404.
        """
        return self.client.get("/v1/clusters/%s" % _q(cluster_id), expect=CLUSTER)

    def find_cluster(self, name_or_id):
        """Find a cluster by UUID or by exact name.

        A UUID is fetched directly; a name is looked up in the cluster list
        (NKS_API_NOTES: names may not be unique), then fetched for full detail.

        :returns: the full cluster ``dict`` or ``None``.
        :raises AmbiguousName: when several clusters carry the name.
        """
        if is_uuid(name_or_id):
            found = self.get_cluster(name_or_id)
            if found is not None:
                return found
        matches = [c for c in self.list_clusters() if c.get("name") == name_or_id]
        if len(matches) > 1:
            raise AmbiguousName("%d clusters are named %r (%s); give the UUID instead"
                                % (len(matches), shorten(name_or_id, 64),
                                   ", ".join(sorted(c.get("uuid", "?") for c in matches))))
        if not matches:
            return None
        return self.get_cluster(matches[0]["uuid"])

    def create_cluster(self, body):
        """Create a Cluster: ``POST /v1/clusters``. Returns ``{"uuid": ...}`` (never retried)."""
        return self.client.request("POST", "/v1/clusters", body, safe=False, expect=CREATED)

    @_absent_on_404(False)
    def delete_cluster(self, cluster_id):
        """Delete a Cluster: ``DELETE /v1/clusters/{CLUSTER_ID_OR_NAME}``.

        :returns: ``True`` when the delete was accepted, ``False`` when the cluster was already gone.
        """
        self.client.request("DELETE", "/v1/clusters/%s" % _q(cluster_id))
        return True

    def resize(self, cluster_id, nodegroup, node_count, nodes_to_remove=None):
        """Resize: ``POST /v1/clusters/{id}/actions/resize``."""
        body = {"nodegroup": nodegroup, "node_count": int(node_count)}
        if nodes_to_remove:
            body["nodes_to_remove"] = list(nodes_to_remove)
        return self.client.request("POST", "/v1/clusters/%s/actions/resize" % _q(cluster_id), body)

    def get_kubeconfig(self, cluster_id):
        """Get kubeconfig of a Cluster: ``GET /v1/clusters/{id}/config``. Returns the YAML text."""
        return self.client.get("/v1/clusters/%s/config" % _q(cluster_id), expect=KUBECONFIG)["config"]

    def update_cni(self, cluster_id, body):
        """Change Cluster CNI: ``POST /v1/clusters/{id}/actions/cni_update``."""
        return self.client.request("POST", "/v1/clusters/%s/actions/cni_update" % _q(cluster_id), body)

    def set_control_plane_log(self, cluster_id, settings):
        """Store Logs of Kubernetes Control Plane Components (guide 2026-03):
        ``PATCH /v1/clusters/{id}`` with ``type: control_plane_log``.

        :param dict settings: the ``control_plane_log`` object (``enable``, ``type``, ``sgw``, ...).
        """
        return self.client.request("PATCH", "/v1/clusters/%s" % _q(cluster_id),
                                   {"type": "control_plane_log", "control_plane_log": dict(settings)})

    def offers_cni_change(self):
        """Whether this NKS still offers Change Cluster CNI: its ``/v1/supports`` lists the task type
        ``CLUSTER_CNI_UPDATE`` (guide 2025-02); the 2026-03 guide removed the operation and the task type
        (release notes 2025-05-27). :returns: ``bool``."""
        return "CLUSTER_CNI_UPDATE" in _task_types(self.supports().get("supported_event_type"))

    @_absent_on_404()
    def get_ipacl(self, cluster_id):
        """Get Cluster API Endpoint IP Access Control: ``GET /v1/clusters/{id}/api_ep_ipacl``; ``None`` on 404."""
        return self.client.get("/v1/clusters/%s/api_ep_ipacl" % _q(cluster_id), expect=OBJECT)

    def set_ipacl(self, cluster_id, body):
        """Enforce IP Access Control to Cluster API Endpoints: ``POST /v1/clusters/{id}/api_ep_ipacl``.

        Setting a whole ACL is idempotent, so the call may be repeated on 5xx.
        """
        return self.client.request("POST", "/v1/clusters/%s/api_ep_ipacl" % _q(cluster_id), body,
                                   safe=True)

    def renew_certificate(self, cluster_id, term_of_validity):
        """Renew Cluster Certificate: ``PATCH /v1/certificates/{id}`` (validity in years, 1..5)."""
        return self.client.request("PATCH", "/v1/certificates/%s" % _q(cluster_id),
                                   {"term_of_validity": int(term_of_validity)})

    def update_sgw(self, cluster_id, ncr_sgw, obs_sgw):
        """Change Service Gateway: ``POST /v1/clusters/{id}/actions/update_sgw``."""
        return self.client.request("POST", "/v1/clusters/%s/actions/update_sgw" % _q(cluster_id),
                                   {"ncr_sgw": ncr_sgw, "obs_sgw": obs_sgw})

    @_absent_on_404(list)
    def list_events(self, cluster_uuid):
        """View Task History List: ``GET /v1/clusters/{CLUSTER_UUID}/events``; ``[]`` on 404."""
        return self.client.get("/v1/clusters/%s/events" % _q(cluster_uuid), expect=EVENT_LIST)["events"]

    @_absent_on_404()
    def get_event(self, cluster_uuid, event_uuid):
        """Task history detail: ``GET /v1/clusters/{CLUSTER_UUID}/events/{EVENT_UUID}``; ``None`` on 404."""
        return self.client.get("/v1/clusters/%s/events/%s" % (_q(cluster_uuid), _q(event_uuid)), expect=OBJECT)

    # -- node groups ----------------------------------------------------------

    @_absent_on_404(list)
    def list_nodegroups(self, cluster_id):
        """List Node Groups: ``GET /v1/clusters/{id}/nodegroups``; ``[]`` when the cluster is gone."""
        return self.client.get("/v1/clusters/%s/nodegroups" % _q(cluster_id), expect=NODEGROUP_LIST)["nodegroups"]

    @_absent_on_404()
    def get_nodegroup(self, cluster_id, nodegroup):
        """Get a Node Group: ``GET /v1/clusters/{id}/nodegroups/{NODEGROUP_ID_OR_NAME}``; ``None`` on 404."""
        return self.client.get("/v1/clusters/%s/nodegroups/%s" % (_q(cluster_id), _q(nodegroup)), expect=NODEGROUP)

    def create_nodegroup(self, cluster_id, body):
        """Create a Node Group: ``POST /v1/clusters/{id}/nodegroups`` (never retried)."""
        return self.client.request("POST", "/v1/clusters/%s/nodegroups" % _q(cluster_id), body,
                                   safe=False, expect=CREATED)

    @_absent_on_404(False)
    def delete_nodegroup(self, cluster_id, nodegroup):
        """Delete a Node Group: ``DELETE .../nodegroups/{ng}``. ``False`` when already gone."""
        self.client.request("DELETE", "/v1/clusters/%s/nodegroups/%s" % (_q(cluster_id), _q(nodegroup)))
        return True

    def node_action(self, cluster_id, nodegroup, action, node_ids):
        """Stop a Node Group / Start a Node: ``POST .../nodegroups/{ng}/{stop_node|start_node}``.

        :param str action: ``stop_node`` or ``start_node``.
        :param list node_ids: node instance UUIDs (sent colon-separated).
        """
        return self.client.request("POST", "/v1/clusters/%s/nodegroups/%s/%s"
                                   % (_q(cluster_id), _q(nodegroup), action),
                                   {"node_list": ":".join(node_ids)})

    @_absent_on_404()
    def get_autoscale(self, cluster_id, nodegroup):
        """View Autoscaler Configuration of a Node Group: ``GET .../nodegroups/{ng}/autoscale``; ``None`` on 404."""
        return self.client.get("/v1/clusters/%s/nodegroups/%s/autoscale" % (_q(cluster_id), _q(nodegroup)),
                               expect=OBJECT)

    def set_autoscale(self, cluster_id, nodegroup, body):
        """Change Autoscaler Configuration of a Node Group: ``POST .../nodegroups/{ng}/autoscale``."""
        return self.client.request("POST", "/v1/clusters/%s/nodegroups/%s/autoscale"
                                   % (_q(cluster_id), _q(nodegroup)), body)

    def upgrade(self, cluster_id, nodegroup, version, num_buffer_nodes=None,
                num_max_unavailable_nodes=None):
        """Upgrade a Cluster: ``POST .../nodegroups/{ng}/upgrade`` (``default-master`` = control plane)."""
        body = {"version": version}
        if num_buffer_nodes is not None:
            body["num_buffer_nodes"] = int(num_buffer_nodes)
        if num_max_unavailable_nodes is not None:
            body["num_max_unavailable_nodes"] = int(num_max_unavailable_nodes)
        return self.client.request("POST", "/v1/clusters/%s/nodegroups/%s/upgrade"
                                   % (_q(cluster_id), _q(nodegroup)), body)

    def set_userscript(self, cluster_id, nodegroup, contents):
        """Change User Script: ``POST .../nodegroups/{ng}/userscript``."""
        return self.client.request("POST", "/v1/clusters/%s/nodegroups/%s/userscript"
                                   % (_q(cluster_id), _q(nodegroup)), {"contents": contents})

    def change_flavor(self, cluster_id, nodegroup, flavor_id, num_buffer_nodes=None,
                      num_max_unavailable_nodes=None):
        """Change Instance Flavor: ``PATCH .../nodegroups/{ng}`` with ``type: flavor_id``."""
        body = {"type": "flavor_id", "flavor_id": flavor_id}
        if num_buffer_nodes is not None:
            body["num_buffer_nodes"] = int(num_buffer_nodes)
        if num_max_unavailable_nodes is not None:
            body["num_max_unavailable_nodes"] = int(num_max_unavailable_nodes)
        return self.client.request("PATCH", "/v1/clusters/%s/nodegroups/%s"
                                   % (_q(cluster_id), _q(nodegroup)), body)

    def _patch_nodegroup(self, cluster_id, nodegroup, body):
        return self.client.request("PATCH", "/v1/clusters/%s/nodegroups/%s"
                                   % (_q(cluster_id), _q(nodegroup)), body)

    def set_node_labels(self, cluster_id, nodegroup, labels):
        """Change Kubernetes Label Configuration of a Node Group (guide 2026-03):
        ``PATCH .../nodegroups/{ng}`` with ``type: k8s_node_labels``.

        :param dict labels: label -> value (at most 20; NKS applies them to nodes created afterwards).
        """
        return self._patch_nodegroup(cluster_id, nodegroup,
                                     {"type": "k8s_node_labels", "k8s_node_labels": dict(labels)})

    def set_fip_auto_bind(self, cluster_id, nodegroup, update_info):
        """Change Floating IP Auto-assignment Configuration of a Node Group (guide 2026-03):
        ``PATCH .../nodegroups/{ng}`` with ``type: fip_auto_bind``.

        :param dict update_info: ``fip_auto_bind_update_info`` (``fip_auto_bind_enable``, ``fip_bind_subnet``,
            ``fip_selector``).
        """
        return self._patch_nodegroup(cluster_id, nodegroup,
                                     {"type": "fip_auto_bind", "fip_auto_bind_update_info": dict(update_info)})

    def set_metric_autoscale(self, cluster_id, nodegroup, policies):
        """Change Metric-Based Autoscaler Configuration of a Node Group (guide 2026-03):
        ``PATCH .../nodegroups/{ng}`` with ``type: metric_base_autoscale``.

        :param dict policies: ``mba_scale_out`` and/or ``mba_scale_in`` objects.
        """
        body = {"type": "metric_base_autoscale"}
        body.update(policies)
        return self._patch_nodegroup(cluster_id, nodegroup, body)

    # -- other ------------------------------------------------------------------

    def supports(self):
        """See the Supported Kubernetes Versions: ``GET /v1/supports`` (cached per client).

        :returns: ``{"supported_k8s": {version: bool}, "supported_event_type": {...}}``.
        """
        if self._supports is None:
            self._supports = self.client.get("/v1/supports", expect=SUPPORTS)
        return self._supports

    def supported_versions(self):
        """``supported_k8s`` of ``/v1/supports``: ``{"v1.27.3": True, ...}``."""
        return self.supports().get("supported_k8s") or {}

    # -- add-ons (2026-03 guide, "Add-on Management") ---------------------------
    # The 2025-02 guide has no add-on API: NKS (and the simulator with that guide)
    # answers 404 on every path below. Reads of a thing return ``None`` on 404 as
    # everywhere in this class; callers tell "no add-on API" from "no such add-on"
    # with :meth:`addon_api_available`.

    def addon_api_available(self):
        """Whether NKS serves add-on management: ``GET /v1/addon_types`` answers (``False`` on 404,
        the 2025-02 guide). One request per client: :meth:`list_addon_types` reuses its answer."""
        return self._addon_types() is not None

    def list_addon_types(self):
        """View a List of Add-ons Types Offered by NHN Cloud: ``GET /v1/addon_types`` (read once per client).

        :returns: ``list`` of ``{"uuid", "name", "mandatory"}``; ``[]`` on 404 (no add-on API).
        """
        return self._addon_types() or []

    def _addon_types(self):
        """The answer's ``addon_types`` (``list``), or ``None`` on 404; asked once per client."""
        if not hasattr(self, "_addon_types_read"):
            try:
                self._addon_types_read = self.client.get("/v1/addon_types").get("addon_types") or []
            except NksNotFound:
                self._addon_types_read = None
        return self._addon_types_read

    @_absent_on_404()
    def get_addon_type(self, type_id):
        """View the Types of Add-ons Offered by NHN Cloud: ``GET /v1/addon_types/{ADDON_TYPE_UUID_OR_NAME}``.

        :returns: ``{"uuid", "name", "mandatory"}``, or ``None`` on 404.
        """
        return self.client.get("/v1/addon_types/%s" % _q(type_id))

    @_absent_on_404(list)
    def list_offered_addons(self):
        """View a List of Add-ons Offered by NHN Cloud: ``GET /v1/addons``.

        :returns: ``list`` of offered add-ons (``uuid``, ``type``, ``name``, ``version``,
            ``option_schemas``, ``k8s_min_version``, ``k8s_max_version``, ``description``);
            one entry per name and version. ``[]`` on 404.
        """
        return self.client.get("/v1/addons").get("addons") or []

    @_absent_on_404()
    def get_offered_addon(self, addon_uuid):
        """View Add-ons Offered by NHN Cloud: ``GET /v1/addons/{ADDON_UUID}``; ``None`` on 404."""
        return self.client.get("/v1/addons/%s" % _q(addon_uuid))

    @_absent_on_404(list)
    def list_cluster_addons(self, cluster_id):
        """View a List of Add-ons Installed on a Cluster: ``GET /v1/clusters/{id}/addons``.

        :returns: ``list`` of installed add-ons (``name``, ``type``, ``version``, ``options``,
            ``status``, ``status_reason``, ...); ``[]`` on 404 (cluster gone, or no add-on API).
        """
        return self.client.get("/v1/clusters/%s/addons" % _q(cluster_id)).get("addons") or []

    @_absent_on_404()
    def get_cluster_addon(self, cluster_id, addon):
        """View Add-ons Installed on a Cluster: ``GET /v1/clusters/{id}/addons/{ADDON_UUID_OR_NAME}``.

        :returns: the installed add-on ``dict``, or ``None`` on 404 (not installed).
        """
        return self.client.get("/v1/clusters/%s/addons/%s" % (_q(cluster_id), _q(addon)))

    def install_addon(self, cluster_id, name, version, resolve_conflicts, options=None):
        """Install Add-ons on a Cluster: ``POST /v1/clusters/{id}/addons``.

        :param str resolve_conflicts: ``none``, ``overwrite`` or ``preserve`` (required by the guide).
        :param dict options: add-on options (user guide "Add-on Management": installed with its
            options); not sent when ``None``.
        :returns: ``{"uuid": cluster UUID}``.
        """
        body = {"name": name, "version": version, "resolve_conflicts": resolve_conflicts}
        if options is not None:
            body["options"] = options
        return self.client.request("POST", "/v1/clusters/%s/addons" % _q(cluster_id), body, safe=False)

    def update_addon(self, cluster_id, addon, version, resolve_conflicts, options=None):
        """Update Add-ons to a cluster: ``PATCH /v1/clusters/{id}/addons/{ADDON_UUID_OR_NAME}``.

        :param dict options: the options to change; not sent when ``None``.
        :returns: ``{"uuid": cluster UUID}``.
        """
        body = {"version": version, "resolve_conflicts": resolve_conflicts}
        if options is not None:
            body["options"] = options
        return self.client.request("PATCH", "/v1/clusters/%s/addons/%s" % (_q(cluster_id), _q(addon)), body)

    @_absent_on_404(False)
    def remove_addon(self, cluster_id, addon):
        """Remove Add-ons from a cluster: ``DELETE /v1/clusters/{id}/addons/{ADDON_UUID_OR_NAME}``.

        :returns: ``True`` when accepted, ``False`` when the add-on was not installed (404).
        """
        self.client.request("DELETE", "/v1/clusters/%s/addons/%s" % (_q(cluster_id), _q(addon)))
        return True


__all__ = ["NksApi", "AmbiguousName", "NksConflict", "CONTROL_PLANE", "DEFAULT_WORKER",
           "DEFAULT_NODEGROUPS"]
