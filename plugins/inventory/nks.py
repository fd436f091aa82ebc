# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: nks
short_description: NHN Kubernetes Service (NKS) clusters as inventory hosts
version_added: 0.1.0
description:
  - Adds every NHN Kubernetes Service (NKS) cluster of a project as one inventory host, named after the
    cluster, with its state as host variables prefixed C(nks_).
  - Only read operations of the NKS API v2 are called; the credentials and environment variables are the
    same as those of the modules.
  - Each host gets C(ansible_connection=local) and C(ansible_python_interpreter={{ ansible_playbook_python }}) by
    default (see O(local_connection)), so tasks that target a cluster run the nhncloud.nks modules on the
    controller; use O(compose) to set other values.
  - 'Every host is in the group C(nks). A cluster whose control plane, or one of whose worker node groups,
    runs an older Kubernetes version than the newest NKS supports (C(kube_version_status=NEED_UPGRADE)) is
    also in the group C(nks_need_upgrade).'
  - 'A cluster whose Kubernetes version reaches its end of service (EOS) within 90 days, or has passed it, is
    also in the group C(nks_support_ending) (dates from the NKS version guide 2026-03, see the
    C(support_ending) return value of M(nhncloud.nks.nks_info)).'
  - The configuration file must be named C(nks.yml), C(nks.yaml), or end in C(.nks.yml) or C(.nks.yaml).
  - Credentials, tokens and encrypted volume app keys are never put into host variables or the cache.
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - nhncloud.nks.auth
options:
  plugin:
    description: The name of this plugin; must be V(nhncloud.nks.nks) for the file to be used.
    type: str
    required: true
    choices: [nhncloud.nks.nks]
  regions:
    description:
      - Regions whose clusters are listed, one NKS endpoint each (one token is obtained for all of them).
      - When not set, only the endpoint of O(api_url), or else of O(region), is read.
      - Cannot be combined with O(api_url).
    type: list
    elements: str
    choices: [kr1, kr2, kr3]
  name_filter:
    description:
      - Shell-style patterns (C(*), C(?), C([seq])); only clusters whose name matches one of them are added.
      - When not set, every cluster is added.
      - Filtering happens before the per-cluster requests, so it also saves API calls.
    type: list
    elements: str
  hostname_from:
    description:
      - What names the inventory host of a cluster, its V(name) or its V(uuid).
      - When several clusters listed share a name (in different regions, for example), each of them is
        added under its UUID instead, with a warning.
    type: str
    choices: [name, uuid]
    default: name
  cluster_details:
    description:
      - Read every cluster's detail (Get a Cluster, one request per cluster).
      - The cluster list lacks C(api_address), C(node_addresses), C(fixed_network), C(fixed_subnet),
        C(created_at) and C(updated_at), and the guide does not list C(kube_version_status) among its
        fields; with V(false) these host variables are V(null) unless the list happens to carry them.
    type: bool
    default: true
  nodegroups:
    description:
      - Read each cluster's worker node groups (List Node Groups, one request per cluster) into
        C(nks_nodegroups).
      - With V(false), C(nks_nodegroups) is V(null) and no node group request is sent.
    type: bool
    default: true
  nodegroup_details:
    description:
      - Read every node group's detail (Get a Node Group, one request per node group) for its Kubernetes
        version, C(kube_version_status) and node addresses, which the node group list lacks.
      - Ignored when O(nodegroups=false).
    type: bool
    default: true
  local_connection:
    description:
      - Set C(ansible_connection=local) and C(ansible_python_interpreter={{ ansible_playbook_python }}) on
        every host, so that tasks targeting a cluster run on the controller.
      - O(compose) is applied afterwards and may override both.
    type: bool
    default: true
notes:
  - 'Requests per run: one token request, one List Clusters per endpoint, then for each cluster kept by
    O(name_filter): one Get a Cluster (O(cluster_details)), one List Node Groups (O(nodegroups)) and one Get
    a Node Group per worker node group (O(nodegroup_details)). For N clusters of G worker node groups each
    that is 1 + 1 + N + N + N*G requests with the defaults, and 2 with all three options V(false). With
    O(cache=true), a run served from the cache sends none. Run with C(-vv) to see the count.'
  - The host variables are C(nks_uuid), C(nks_name), C(nks_status), C(nks_status_reason),
    C(nks_health_status), C(nks_kube_version), C(nks_kube_version_status) (V(LATEST) or V(NEED_UPGRADE)),
    C(nks_api_address), C(nks_node_count) (worker nodes), C(nks_node_addresses), C(nks_flavor_id),
    C(nks_keypair), C(nks_fixed_network), C(nks_fixed_subnet), C(nks_availability_zone), C(nks_cni_driver),
    C(nks_certificate_expiry), C(nks_created_at), C(nks_updated_at), C(nks_labels) (the raw labels, secrets
    masked), C(nks_region), C(nks_api_url) (the endpoint the cluster was read from) and C(nks_nodegroups), a
    list of C(name), C(uuid), C(role), C(is_default), C(status), C(node_count), C(min_node_count),
    C(max_node_count), C(flavor_id), C(kube_version), C(kube_version_status) and C(node_addresses). A value
    the API did not give (or that was not read) is V(null).
  - The control plane node group C(default-master) is not listed by NKS and so is not in C(nks_nodegroups).
  - 'Failures (refused credentials, an unreachable endpoint, any other API error) fail the inventory source
    with a message naming the URL and the option or environment variable to check, never a value. An
    inventory plugin cannot end the run itself: Ansible turns a failed source into a warning and carries on
    without its hosts (rc 0, empty groups) unless C(inventory_any_unparsed_is_failed) is set
    (E(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true)). Set it wherever a run against no cluster would be
    wrong (CI, AWX): the run then fails with rc != 0 and the same message.'
  - An unreachable endpoint fails within seconds (3 connection tries, 2 s connect timeout); HTTP 429 and 5xx
    answers are retried with backoff (docs/reliability.md of the repository, "Retry budget").
seealso:
  - module: nhncloud.nks.nks_info
  - module: nhncloud.nks.nks_cluster
"""

EXAMPLES = r"""
# Each example is a separate inventory file; the second and third are shown as comments.
# demo.nks.yml: the clusters of the local simulator (make sim), with the demo credentials.
plugin: nhncloud.nks.nks
api_url: http://127.0.0.1:8787
identity_url: http://127.0.0.1:8787
tenant_id: nks-sim-tenant
username: operator@nks-sim.local
api_password: nks-sim-password

# prod.nks.yml: NHN Cloud, two regions; credentials from NHN_CLOUD_TENANT_ID, NHN_CLOUD_USERNAME and
# NHN_CLOUD_API_PASSWORD. Groups such as k8s_v1_28_3, status_create_complete and region_kr1, plus
# nks and nks_need_upgrade.
# ---
#   plugin: nhncloud.nks.nks
#   regions: [kr1, kr2]
#   name_filter:
#     - "prod-*"
#   keyed_groups:
#     - key: nks_kube_version
#       prefix: k8s
#     - key: nks_status
#       prefix: status
#     - key: nks_region
#       prefix: region
#   groups:
#     # Clusters whose certificate expires within 30 days.
#     cert_expiring: >-
#       nks_certificate_expiry is not none and
#       (nks_certificate_expiry | to_datetime('%Y-%m-%dT%H:%M:%S+00:00') - now(utc=true).replace(tzinfo=None)).days < 30
#   compose:
#     # Modules targeting a cluster can read its UUID from here.
#     cluster_uuid: nks_uuid
#   cache: true
#   cache_plugin: ansible.builtin.jsonfile
#   cache_connection: ~/.cache/nks-inventory
#   cache_timeout: 600
#
# Cheapest listing (two requests whatever the number of clusters): no per-cluster reads.
# ---
#   plugin: nhncloud.nks.nks
#   cluster_details: false
#   nodegroups: false
#
# A playbook then targets the clusters as hosts, e.g. upgrade every cluster that needs it:
#   - hosts: nks_need_upgrade
#     gather_facts: false
#     tasks:
#       - nhncloud.nks.nks_cluster:
#           api_url: "{{ nks_api_url }}"
#           name: "{{ nks_uuid }}"
#           kube_version: v1.29.3
"""

import fnmatch
import os

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

try:  # ansible-core >= 2.19 only templates strings it trusts
    from ansible.template import trust_as_template
except ImportError:  # pragma: no cover - older ansible-core templates every string
    def trust_as_template(value):
        return value

from ansible_collections.nhncloud.nks.plugins.module_utils import _lifecycle
from ansible_collections.nhncloud.nks.plugins.module_utils._api import NksApi
from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    CONNECTION_ENV, DEFAULT_REGION, ENV_OF, HAS_REQUESTS, REQUESTS_IMPORT_ERROR, NksApiError, NksError,
    client_from_options, environment_value, normalize_region, option_sources, region_endpoint)
from ansible_collections.nhncloud.nks.plugins.module_utils._views import (cluster_view,
                                                                          nodegroup_view)

PREFIX = "nks_"
ALL_GROUP = "nks"
NEED_UPGRADE_GROUP = "nks_need_upgrade"
NEED_UPGRADE = "NEED_UPGRADE"
SUPPORT_ENDING_GROUP = "nks_support_ending"

CLUSTER_VARS = ("uuid", "name", "status", "status_reason", "health_status", "kube_version",
                "kube_version_status", "api_address", "node_count", "node_addresses", "flavor_id",
                "keypair", "fixed_network", "fixed_subnet", "availability_zone", "cni_driver",
                "certificate_expiry", "created_at", "updated_at", "labels")
"""Fields of :func:`cluster_view` that become ``nks_<field>`` host variables."""

NODEGROUP_FIELDS = ("name", "uuid", "role", "is_default", "status", "node_count", "min_node_count",
                    "max_node_count", "flavor_id", "kube_version", "kube_version_status",
                    "node_addresses")
"""Fields of :func:`nodegroup_view` kept in each ``nks_nodegroups`` entry."""

CREDENTIAL_OPTIONS = ("tenant_id", "username", "api_password", "auth_token")


def nodegroup_summary(nodegroup):
    """The ``nks_nodegroups`` entry of a node group (list item or detail).

    :returns: ``dict`` with the keys of :data:`NODEGROUP_FIELDS`; ``None`` for what the answer lacked.
    """
    view = nodegroup_view(nodegroup)
    return dict((key, view.get(key)) for key in NODEGROUP_FIELDS)


def cluster_record(cluster, region, api_url, nodegroups=None):
    """The host variables of one cluster (prefixed ``nks_``), secret-free and JSON-serialisable.

    :param dict cluster: the Get a Cluster answer, or the List Clusters item when the detail was not read.
    :param str region: region whose endpoint was read. :param str api_url: that endpoint.
    :param list nodegroups: node group answers (list items or details), or ``None`` when not read.
    :returns: ``dict`` variable name -> value.
    """
    view = cluster_view(cluster)
    record = dict((PREFIX + key, view.get(key)) for key in CLUSTER_VARS)
    record[PREFIX + "region"] = region
    record[PREFIX + "api_url"] = api_url
    record[PREFIX + "nodegroups"] = (None if nodegroups is None
                                     else [nodegroup_summary(ng) for ng in nodegroups])
    return record


def needs_upgrade(record):
    """Whether a cluster belongs in ``nks_need_upgrade``: its control plane or a worker node group is
    ``NEED_UPGRADE``."""
    if record.get(PREFIX + "kube_version_status") == NEED_UPGRADE:
        return True
    return any(ng.get("kube_version_status") == NEED_UPGRADE
               for ng in record.get(PREFIX + "nodegroups") or [])


def support_ending(record, now=None):
    """Whether a cluster belongs in ``nks_support_ending``: its control plane's Kubernetes version
    reaches its end of service within ``_lifecycle.WARN_DAYS`` days of ``now`` (default today, UTC),
    or has passed it (module_utils/_lifecycle.py, from the version guide)."""
    return _lifecycle.lifecycle(record.get(PREFIX + "kube_version"), now)["support_ending"]


def host_names(records, hostname_from="name"):
    """Pick each record's inventory host name.

    :returns: ``(names, duplicates)``: the list of names in record order, and the sorted names that
        several clusters share (those clusters are named by their UUID instead).
    """
    key = PREFIX + ("uuid" if hostname_from == "uuid" else "name")
    counts = {}
    for record in records:
        counts[record.get(key)] = counts.get(record.get(key), 0) + 1
    duplicates = sorted(name for name, count in counts.items() if count > 1 and name is not None)
    names = []
    for record in records:
        name = record.get(key)
        names.append(record[PREFIX + "uuid"] if name in duplicates or not name else name)
    return names, duplicates


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """Inventory plugin ``nhncloud.nks.nks``: one host per NKS cluster."""

    NAME = "nhncloud.nks.nks"

    def __init__(self):
        super(InventoryModule, self).__init__()
        self.requests = 0

    def verify_file(self, path):
        """Accept ``nks.yml``/``nks.yaml`` and ``*.nks.yml``/``*.nks.yaml`` files."""
        if not super(InventoryModule, self).verify_file(path):
            return False
        base = os.path.basename(path)
        return base in ("nks.yml", "nks.yaml") or base.endswith((".nks.yml", ".nks.yaml"))

    # -- options and clients -------------------------------------------------------------

    def _option(self, name):
        """Option ``name`` of the inventory source (a templated credential rendered); a connection option
        not set there falls back to its environment variable (:func:`._client.environment_value`, the one
        reading of them, as every module's argument spec), typed as the option is.

        :raises AnsibleParserError: an environment value of the wrong type, naming the variable.
        """
        value = self.get_option(name)
        if name in CREDENTIAL_OPTIONS and isinstance(value, str) and self.templar.is_template(value):
            value = self.templar.template(value)
        if value is None and name in ENV_OF:
            value = environment_value(name)
            try:
                if value is not None and name == "validate_certs":
                    value = boolean(value, strict=True)
                elif value is not None and name == "http_timeout":
                    value = float(value)
            except (TypeError, ValueError):
                raise AnsibleParserError("nhncloud.nks.nks: environment variable %s is not a %s"
                                         % (ENV_OF[name], "boolean" if name == "validate_certs" else "number"))
        return value

    def _endpoints(self):
        """``[(region, api_url)]`` to read, from O(regions), O(api_url) or O(region)."""
        regions = self.get_option("regions")
        api_url = self._option("api_url")
        if regions and api_url:
            raise AnsibleParserError("nhncloud.nks.nks: set either regions or api_url (NKS_API_URL), not both")
        if regions:
            seen = []
            for region in regions:
                if region not in seen:
                    seen.append(region)
            return [(region, region_endpoint(region)) for region in seen]
        region = normalize_region(self._option("region")) or DEFAULT_REGION  # KR1 as the console writes it
        try:
            return [(region, (api_url or region_endpoint(region)).rstrip("/"))]
        except ValueError as exc:
            raise AnsibleParserError("nhncloud.nks.nks: %s" % exc)

    def _client_options(self):
        """The connection options common to every endpoint (``api_url``/``region`` are per endpoint)."""
        if not HAS_REQUESTS:
            raise AnsibleError("nhncloud.nks.nks needs the python 'requests' library: %s"
                               % REQUESTS_IMPORT_ERROR)
        return dict((option, self._option(option)) for option, dummy in CONNECTION_ENV
                    if option not in ("api_url", "region"))

    def _sources(self):
        """Where each connection option was set (for error messages): the inventory file or
        its environment variable (:func:`._client.option_sources`); never values."""
        given = dict((option, self.get_option(option)) for option, dummy in CONNECTION_ENV)
        sources = option_sources(given, os.environ)
        return dict((option, source + " of the inventory source" if source.startswith("option ") else source)
                    for option, source in sources.items())

    def _api(self, region, api_url, options):
        try:
            client = client_from_options(dict(options, region=region, api_url=api_url), self._sources(),
                                         user_agent="nhncloud.nks-ansible/inventory")
        except ValueError as exc:
            raise AnsibleParserError("nhncloud.nks.nks: %s" % exc)
        return NksApi(client)

    # -- reading -------------------------------------------------------------------------

    def _call(self, method, *args):
        self.requests += 1
        return method(*args)

    def _keep(self, cluster):
        patterns = self.get_option("name_filter")
        if not patterns:
            return True
        name = cluster.get("name") or ""
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)

    def _read_cluster(self, api, region, api_url, item):
        """The record of one listed cluster, or ``None`` when it vanished meanwhile."""
        cluster = item
        uuid = item.get("uuid")
        if self.get_option("cluster_details"):
            cluster = self._call(api.get_cluster, uuid)
            if cluster is None:
                self.display.vvv("nhncloud.nks.nks: cluster %s (%s) is gone, skipped"
                                 % (item.get("name"), uuid))
                return None
        nodegroups = None
        if self.get_option("nodegroups"):
            nodegroups = []
            for listed in self._call(api.list_nodegroups, uuid):
                detail = None
                if self.get_option("nodegroup_details"):
                    detail = self._call(api.get_nodegroup, uuid, listed.get("uuid") or listed.get("name"))
                nodegroups.append(detail or listed)
        return cluster_record(cluster, region, api_url, nodegroups)

    def _fetch(self):
        """Read every endpoint; returns the list of host records.

        One token serves every endpoint: the token the first client obtained is handed to the next
        (which still re-authenticates with the password if it is refused).
        """
        endpoints = self._endpoints()
        options = self._client_options()
        records = []
        identity = 0
        try:
            for region, api_url in endpoints:
                api = self._api(region, api_url, options)
                for item in self._call(api.list_clusters):
                    if not self._keep(item):
                        continue
                    record = self._read_cluster(api, region, api_url, item)
                    if record is not None:
                        records.append(record)
                identity += getattr(api.client, "identity_requests", 0)
                token = getattr(api.client, "token", None)
                if token:
                    options = dict(options, auth_token=token)
        except NksApiError as exc:
            raise AnsibleError("nhncloud.nks.nks: %s%s" % (
                exc.describe(), " (request id %s)" % exc.request_id if exc.request_id else ""))
        except NksError as exc:
            raise AnsibleError("nhncloud.nks.nks: %s" % exc)
        self.display.vv("nhncloud.nks.nks: %d cluster(s) from %d endpoint(s) in %d NKS request(s)"
                        " and %d identity request(s)"
                        % (len(records), len(endpoints), self.requests, identity))
        return records

    # -- inventory -----------------------------------------------------------------------

    def _populate(self, records):
        names, duplicates = host_names(records, self.get_option("hostname_from"))
        if duplicates:
            self.display.warning("nhncloud.nks.nks: several clusters are named %s; they are added under"
                                 " their UUIDs" % ", ".join(duplicates))
        self.inventory.add_group(ALL_GROUP)
        self.inventory.add_group(NEED_UPGRADE_GROUP)
        self.inventory.add_group(SUPPORT_ENDING_GROUP)
        strict = self.get_option("strict")
        local = self.get_option("local_connection")
        for host, record in zip(names, records):
            self.inventory.add_host(host, group=ALL_GROUP)
            if needs_upgrade(record):
                self.inventory.add_host(host, group=NEED_UPGRADE_GROUP)
            if support_ending(record):
                self.inventory.add_host(host, group=SUPPORT_ENDING_GROUP)
            if local:
                self.inventory.set_variable(host, "ansible_connection", "local")
                self.inventory.set_variable(host, "ansible_python_interpreter",
                                            trust_as_template("{{ ansible_playbook_python }}"))
            for key, value in record.items():
                # API data (a user script, say) is never templated.
                self.inventory.set_variable(host, key, wrap_var(value))
            hostvars = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option("compose"), hostvars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, host, strict=strict)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self.templar.available_variables = self._vars
        self._read_config_data(path)

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache")
        records = None
        update_cache = False
        if use_cache and cache:
            try:
                records = self._cache[cache_key]
            except KeyError:
                update_cache = True
        elif use_cache:
            update_cache = True  # --flush-cache or refresh: read afresh, then store
        if records is None:
            self.requests = 0
            records = self._fetch()
        if update_cache:
            self._cache[cache_key] = records
        self._populate(records)
