# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/inventory/nks.py (inventory plugin nhncloud.nks.nks).

``NksClient`` and ``NksApi`` are replaced by fakes that serve clusters shaped like
the guide's List Clusters / Get a Cluster / List Node Groups / Get a Node Group
answers and record every call, so the tests can count requests. The plugin is
loaded through Ansible's plugin loader and parses a real ``*.nks.yml`` file, so
its documented options, environment variables and the constructed/cache
features are exercised as Ansible uses them.
"""

from __future__ import annotations

import json
import os

import pytest

from ansible.utils.collection_loader import AnsibleCollectionConfig

if AnsibleCollectionConfig.collection_finder is None:  # plain pytest; ansible-test installs one
    import ansible_collections
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    _AnsibleCollectionFinder(paths=[os.path.dirname(p) for p in ansible_collections.__path__])._install()

from ansible.errors import AnsibleError, AnsibleParserError  # noqa: E402
from ansible.inventory.data import InventoryData  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.plugins import inventory as inventory_base  # noqa: E402
from ansible.plugins.loader import inventory_loader  # noqa: E402
from ansible.template import Templar  # noqa: E402

from ansible_collections.nhncloud.nks.plugins.inventory import nks  # noqa: E402
from ansible_collections.nhncloud.nks.plugins.module_utils import _client  # noqa: E402
from ansible_collections.nhncloud.nks.plugins.module_utils._client import (  # noqa: E402
    NksApiError, NksAuthError, NksConnectionError)

SIM = "http://127.0.0.1:8787"
PASSWORD = "s3cr3t-api-pass"
TOKEN = "tok-abcdef0123456789"
APPKEY = "appkey-do-not-leak"
ENV_VARS = ("NHN_CLOUD_REGION", "NKS_API_URL", "NHN_CLOUD_IDENTITY_URL", "NHN_CLOUD_TENANT_ID",
            "NHN_CLOUD_USERNAME", "NHN_CLOUD_API_PASSWORD", "NHN_CLOUD_AUTH_TOKEN",
            "NHN_CLOUD_VALIDATE_CERTS", "NHN_CLOUD_HTTP_TIMEOUT", "ANSIBLE_INVENTORY_CACHE")
BASE_CONFIG = {"plugin": "nhncloud.nks.nks", "api_url": SIM, "identity_url": SIM,
               "tenant_id": "t-1", "username": "me@example.com", "api_password": PASSWORD}


def _uuid(n):
    return "%08x-0000-4000-8000-%012x" % (n, n)


class Cloud(object):
    """Clusters per endpoint and the log of calls the fakes received."""

    def __init__(self):
        self.clusters = {}  # api_url -> list of cluster detail dicts
        self.nodegroups = {}  # cluster uuid -> list of node group detail dicts
        self.calls = []
        self.clients = []
        self.fail = {}  # method name -> exception to raise
        self.vanish = set()  # uuids whose Get a Cluster answers 404

    def add(self, name, version="v1.28.3", status="NEED_UPGRADE", api_url=SIM, workers=1,
            worker_status=None, state="CREATE_COMPLETE"):
        n = sum(len(v) for v in self.clusters.values()) + 1
        uuid = _uuid(n)
        labels = {"kube_tag": version, "kube_version_status": status, "availability_zone": "kr-pub-a",
                  "cni_driver": "calico", "certificate_expiry": "2031-08-05T01:48:39+00:00",
                  "boot_volume_appkey": APPKEY, "node_image": "img-1"}
        cluster = {"uuid": uuid, "name": name, "status": state, "status_reason": None,
                   "health_status": "HEALTHY", "flavor_id": "flavor-1", "keypair": "kp",
                   "node_count": workers, "stack_id": "stack", "labels": labels,
                   "api_address": "https://%s-kr1-k8s.example:6443" % uuid[:8],
                   "node_addresses": ["192.168.0.%d" % (10 + i) for i in range(workers)],
                   "fixed_network": "net-1", "fixed_subnet": "subnet-1",
                   "created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00",
                   "project_id": "t-1"}
        self.clusters.setdefault(api_url, []).append(cluster)
        groups = []
        for i in range(workers):
            groups.append({"uuid": _uuid(1000 * n + i), "name": "default-worker" if i == 0 else "ng-%d" % i,
                           "cluster_id": uuid, "role": "worker", "is_default": i == 0,
                           "status": state, "node_count": 1, "min_node_count": 1, "max_node_count": 10,
                           "flavor_id": "flavor-1", "image_id": "img-1",
                           "node_addresses": ["192.168.0.%d" % (10 + i)],
                           "labels": {"kube_tag": version,
                                      "kube_version_status": worker_status or status,
                                      "boot_volume_appkey": APPKEY}})
        self.nodegroups[uuid] = groups
        return cluster

    def count(self, method=None):
        return len([c for c in self.calls if method is None or c[0] == method])


LIST_ONLY = ("api_address", "node_addresses", "fixed_network", "fixed_subnet", "created_at",
             "updated_at", "project_id")


class FakeClient(object):
    """Stands for NksClient: keeps its arguments, "authenticates" unless given a token."""

    def __init__(self, cloud, **kwargs):
        password_auth = kwargs.get("tenant_id") and kwargs.get("username") and kwargs.get("api_password")
        if not kwargs.get("auth_token") and not password_auth:
            raise ValueError("credentials are missing: give auth_token, or tenant_id, username and"
                             " api_password")
        self.kwargs = kwargs
        self.api_url = kwargs.get("api_url")
        self.identity_requests = 0
        self._token = kwargs.get("auth_token")
        cloud.clients.append(self)

    @property
    def token(self):
        if not self._token:
            self.identity_requests += 1
            self._token = TOKEN
        return self._token


class FakeApi(object):
    """Stands for NksApi: answers from a Cloud, logs each call."""

    def __init__(self, cloud, client):
        self.cloud = cloud
        self.client = client

    def _log(self, name, *args):
        self.client.token  # pylint: disable=pointless-statement  # every call needs a token
        self.cloud.calls.append((name, self.client.api_url) + args)
        if name in self.cloud.fail:
            raise self.cloud.fail[name]

    def list_clusters(self):
        self._log("list_clusters")
        out = []
        for cluster in self.cloud.clusters.get(self.client.api_url, []):
            item = dict((k, v) for k, v in cluster.items() if k not in LIST_ONLY)
            item["labels"] = dict(item["labels"])
            out.append(json.loads(json.dumps(item)))
        return out

    def get_cluster(self, cluster_id):
        self._log("get_cluster", cluster_id)
        if cluster_id in self.cloud.vanish:
            return None
        for cluster in self.cloud.clusters.get(self.client.api_url, []):
            if cluster_id in (cluster["uuid"], cluster["name"]):
                return json.loads(json.dumps(cluster))
        return None

    def list_nodegroups(self, cluster_id):
        self._log("list_nodegroups", cluster_id)
        return [dict((k, v) for k, v in ng.items() if k not in ("labels", "node_addresses", "cluster_id"))
                for ng in self.cloud.nodegroups.get(cluster_id, [])]

    def get_nodegroup(self, cluster_id, nodegroup):
        self._log("get_nodegroup", cluster_id, nodegroup)
        for ng in self.cloud.nodegroups.get(cluster_id, []):
            if nodegroup in (ng["uuid"], ng["name"]):
                return json.loads(json.dumps(ng))
        return None


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cloud(monkeypatch):
    world = Cloud()
    monkeypatch.setattr(_client, "NksClient", lambda **kwargs: FakeClient(world, **kwargs))
    monkeypatch.setattr(nks, "NksApi", lambda client: FakeApi(world, client))
    return world


@pytest.fixture
def run(tmp_path):
    """Parse a config (dict) written to ``tmp_path/<name>``; returns ``(inventory, plugin)``."""

    def _run(config, cache=True, name="test.nks.yml"):
        path = tmp_path / name
        path.write_text(json.dumps(config))  # JSON is YAML
        plugin = inventory_loader.get("nhncloud.nks.nks")
        assert plugin.verify_file(str(path))
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=cache)
        try:  # as InventoryManager.parse_source does; without cache=true there is no cache object
            plugin.update_cache_if_changed()
        except AttributeError:
            pass
        return inventory, plugin

    return _run


def hostvars(inventory, host):
    return inventory.get_host(host).get_vars()


def group_hosts(inventory, group):
    return sorted(h.name for h in inventory.groups[group].get_hosts()) if group in inventory.groups else None


# -- verify_file --------------------------------------------------------------------------


@pytest.mark.parametrize("name, ok", [
    ("demo.nks.yml", True), ("demo.nks.yaml", True), ("nks.yml", True), ("nks.yaml", True),
    ("hosts.yml", False), ("demo.nks.yml.bak", False), ("mynks.yml", False), ("demo.hcloud.yml", False),
])
def test_verify_file(tmp_path, name, ok):
    path = tmp_path / name
    path.write_text("plugin: nhncloud.nks.nks\n")
    assert inventory_loader.get("nhncloud.nks.nks").verify_file(str(path)) is ok


def test_verify_file_missing(tmp_path):
    assert not inventory_loader.get("nhncloud.nks.nks").verify_file(str(tmp_path / "gone.nks.yml"))


# -- hosts, variables, groups -------------------------------------------------------------


def test_hosts_vars_and_default_groups(cloud, run):
    old = cloud.add("old", version="v1.27.3", status="NEED_UPGRADE", workers=2)
    cloud.add("new", version="v1.29.3", status="LATEST")
    inventory, dummy = run(BASE_CONFIG)

    assert group_hosts(inventory, "nks") == ["new", "old"]
    assert group_hosts(inventory, "nks_need_upgrade") == ["old"]
    v = hostvars(inventory, "old")
    assert v["ansible_connection"] == "local"
    assert v["ansible_python_interpreter"] == "{{ ansible_playbook_python }}"
    assert v["nks_uuid"] == old["uuid"] and v["nks_name"] == "old"
    assert v["nks_status"] == "CREATE_COMPLETE"
    assert v["nks_kube_version"] == "v1.27.3"
    assert v["nks_kube_version_status"] == "NEED_UPGRADE"
    assert v["nks_api_address"] == old["api_address"]  # only Get a Cluster has it
    assert v["nks_node_addresses"] == ["192.168.0.10", "192.168.0.11"]
    assert v["nks_node_count"] == 2 and isinstance(v["nks_node_count"], int)
    assert v["nks_region"] == "kr1" and v["nks_api_url"] == SIM
    assert v["nks_fixed_subnet"] == "subnet-1" and v["nks_cni_driver"] == "calico"
    assert v["nks_certificate_expiry"] == "2031-08-05T01:48:39+00:00"
    assert [ng["name"] for ng in v["nks_nodegroups"]] == ["default-worker", "ng-1"]
    ng = v["nks_nodegroups"][0]
    assert set(ng) == set(nks.NODEGROUP_FIELDS)
    assert ng["kube_version"] == "v1.27.3" and ng["kube_version_status"] == "NEED_UPGRADE"
    assert ng["node_count"] == 1 and ng["is_default"] is True and ng["role"] == "worker"
    assert ng["node_addresses"] == ["192.168.0.10"]
    assert hostvars(inventory, "new")["nks_kube_version_status"] == "LATEST"


def test_every_documented_variable_is_set(cloud, run):
    cloud.add("one")
    inventory, dummy = run(dict(BASE_CONFIG, cluster_details=False, nodegroups=False))
    v = hostvars(inventory, "one")
    expected = set("nks_" + key for key in nks.CLUSTER_VARS) | {"nks_region", "nks_api_url", "nks_nodegroups"}
    assert expected <= set(v)
    for var in expected:  # the notes of DOCUMENTATION list each one
        assert "C(%s)" % var in nks.DOCUMENTATION


def test_worker_group_behind_puts_cluster_in_need_upgrade(cloud, run):
    cloud.add("cp-upgraded", version="v1.29.3", status="LATEST", worker_status="NEED_UPGRADE")
    cloud.add("all-latest", version="v1.29.3", status="LATEST")
    inventory, dummy = run(BASE_CONFIG)
    assert group_hosts(inventory, "nks_need_upgrade") == ["cp-upgraded"]
    assert hostvars(inventory, "cp-upgraded")["nks_kube_version_status"] == "LATEST"


def test_empty_project_still_has_the_groups(cloud, run):
    inventory, dummy = run(BASE_CONFIG)
    assert group_hosts(inventory, "nks") == []
    assert group_hosts(inventory, "nks_need_upgrade") == []
    assert cloud.count() == 1


def test_keyed_groups_groups_and_compose(cloud, run):
    cloud.add("a", version="v1.27.3", status="NEED_UPGRADE")
    cloud.add("b", version="v1.29.3", status="LATEST")
    cloud.add("c", version="v1.29.3", status="LATEST", state="UPDATE_IN_PROGRESS")
    config = dict(BASE_CONFIG,
                  keyed_groups=[{"key": "nks_kube_version", "prefix": "k8s"},
                                {"key": "nks_status", "prefix": "status"}],
                  groups={"busy": "nks_status.endswith('_IN_PROGRESS')"},
                  compose={"ansible_connection": "'ssh'", "cluster_ref": "nks_name ~ '@' ~ nks_region"})
    inventory, dummy = run(config)
    assert group_hosts(inventory, "k8s_v1_27_3") == ["a"]
    assert group_hosts(inventory, "k8s_v1_29_3") == ["b", "c"]
    assert group_hosts(inventory, "status_CREATE_COMPLETE") == ["a", "b"]
    assert group_hosts(inventory, "status_UPDATE_IN_PROGRESS") == ["c"]
    assert group_hosts(inventory, "busy") == ["c"]
    assert hostvars(inventory, "a")["ansible_connection"] == "ssh"  # compose wins
    assert hostvars(inventory, "a")["cluster_ref"] == "a@kr1"


def test_local_connection_false(cloud, run):
    cloud.add("a")
    inventory, dummy = run(dict(BASE_CONFIG, local_connection=False))
    v = hostvars(inventory, "a")
    assert "ansible_connection" not in v and "ansible_python_interpreter" not in v


def test_hostname_from_uuid(cloud, run):
    a = cloud.add("a")
    inventory, dummy = run(dict(BASE_CONFIG, hostname_from="uuid"))
    assert group_hosts(inventory, "nks") == [a["uuid"]]
    assert hostvars(inventory, a["uuid"])["nks_name"] == "a"


def test_duplicate_names_use_uuids_and_warn(cloud, run, monkeypatch):
    warnings = []
    monkeypatch.setattr(inventory_base.display, "warning", lambda msg, *a, **k: warnings.append(msg))
    first = cloud.add("same")
    second = cloud.add("same")
    cloud.add("other")
    inventory, dummy = run(BASE_CONFIG)
    assert group_hosts(inventory, "nks") == sorted([first["uuid"], second["uuid"], "other"])
    assert len(warnings) == 1 and "same" in warnings[0]


def test_name_filter_globs_and_saves_requests(cloud, run):
    cloud.add("prod-a")
    cloud.add("prod-b")
    cloud.add("dev-a")
    inventory, dummy = run(dict(BASE_CONFIG, name_filter=["prod-*", "x?z"]))
    assert group_hosts(inventory, "nks") == ["prod-a", "prod-b"]
    touched = set(c[2] for c in cloud.calls if len(c) > 2)
    assert len(touched) == 2  # dev-a was never read beyond the list


def test_name_filter_comma_string(cloud, run):
    cloud.add("prod-a")
    cloud.add("dev-a")
    cloud.add("test-a")
    inventory, dummy = run(dict(BASE_CONFIG, name_filter="dev-*,test-*"))
    assert group_hosts(inventory, "nks") == ["dev-a", "test-a"]


# -- request counts ------------------------------------------------------------------------


@pytest.mark.parametrize("options, per_cluster", [
    ({}, lambda g: 1 + 1 + g),
    ({"nodegroup_details": False}, lambda g: 1 + 1),
    ({"cluster_details": False}, lambda g: 1 + g),
    ({"nodegroups": False}, lambda g: 1),
    ({"nodegroups": False, "nodegroup_details": True, "cluster_details": False}, lambda g: 0),
])
def test_request_counts(cloud, run, options, per_cluster):
    for i in range(5):
        cloud.add("c%d" % i, workers=2)
    dummy, plugin = run(dict(BASE_CONFIG, **options))
    assert cloud.count("list_clusters") == 1
    assert cloud.count() == 1 + 5 * per_cluster(2)
    assert plugin.requests == cloud.count()
    assert sum(c.identity_requests for c in cloud.clients) == 1


def test_without_cluster_details(cloud, run):
    cloud.add("a", version="v1.27.3", status="NEED_UPGRADE")
    inventory, dummy = run(dict(BASE_CONFIG, cluster_details=False))
    v = hostvars(inventory, "a")
    assert v["nks_api_address"] is None and v["nks_node_addresses"] == []
    assert v["nks_kube_version"] == "v1.27.3"  # from the list's labels
    assert v["nks_kube_version_status"] == "NEED_UPGRADE"
    assert cloud.count("get_cluster") == 0


def test_list_without_kube_version_status(cloud, run):
    """The guide's List Clusters table has no kube_version_status: without details, unknown."""
    cluster = cloud.add("a", version="v1.27.3", status="NEED_UPGRADE")
    cluster["labels"].pop("kube_version_status")
    inventory, dummy = run(dict(BASE_CONFIG, cluster_details=False, nodegroups=False))
    assert hostvars(inventory, "a")["nks_kube_version_status"] is None
    assert group_hosts(inventory, "nks_need_upgrade") == []


def test_without_nodegroups(cloud, run):
    cloud.add("a")
    inventory, dummy = run(dict(BASE_CONFIG, nodegroups=False))
    assert hostvars(inventory, "a")["nks_nodegroups"] is None
    assert cloud.count("list_nodegroups") == cloud.count("get_nodegroup") == 0


def test_without_nodegroup_details(cloud, run):
    cloud.add("a", workers=2)
    inventory, dummy = run(dict(BASE_CONFIG, nodegroup_details=False))
    groups = hostvars(inventory, "a")["nks_nodegroups"]
    assert [g["name"] for g in groups] == ["default-worker", "ng-1"]
    assert groups[0]["kube_version"] is None and groups[0]["node_count"] == 1
    assert cloud.count("get_nodegroup") == 0


def test_cluster_gone_between_list_and_get_is_skipped(cloud, run):
    gone = cloud.add("gone")
    cloud.add("here")
    cloud.vanish.add(gone["uuid"])
    inventory, dummy = run(BASE_CONFIG)
    assert group_hosts(inventory, "nks") == ["here"]


# -- secrets ---------------------------------------------------------------------------------


def test_no_secret_in_host_variables(cloud, run):
    cloud.add("a", workers=2)
    inventory, dummy = run(BASE_CONFIG)
    dumped = json.dumps(hostvars(inventory, "a"), default=str)
    for secret in (PASSWORD, TOKEN, APPKEY):
        assert secret not in dumped
    assert hostvars(inventory, "a")["nks_labels"]["boot_volume_appkey"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert hostvars(inventory, "a")["nks_labels"]["node_image"] == "img-1"


def test_api_data_is_not_templated(cloud, run):
    cluster = cloud.add("a")
    cluster["labels"]["user_script_v2"] = "echo {{ 7 * 6 }}"
    inventory, dummy = run(BASE_CONFIG)
    templar = Templar(loader=DataLoader(), variables=hostvars(inventory, "a"))
    assert templar.template(nks.trust_as_template("{{ nks_labels.user_script_v2 }}")) == "echo {{ 7 * 6 }}"
    # 2.19 templates to the native 42, earlier versions (no jinja2_native) to "42".
    assert str(templar.template(nks.trust_as_template("{{ 6 * 7 }}"))) == "42"  # the templar does template
    assert templar.template(nks.trust_as_template("{{ nks_kube_version }}")) == "v1.28.3"


# -- connection options ----------------------------------------------------------------------


def test_options_from_environment(cloud, run, monkeypatch):
    monkeypatch.setenv("NKS_API_URL", "http://sim.example:1234/")
    monkeypatch.setenv("NHN_CLOUD_IDENTITY_URL", "http://id.example")
    monkeypatch.setenv("NHN_CLOUD_TENANT_ID", "tenant-env")
    monkeypatch.setenv("NHN_CLOUD_USERNAME", "env@example.com")
    monkeypatch.setenv("NHN_CLOUD_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("NHN_CLOUD_VALIDATE_CERTS", "false")
    monkeypatch.setenv("NHN_CLOUD_HTTP_TIMEOUT", "12.5")
    cloud.add("a", api_url="http://sim.example:1234")
    inventory, dummy = run({"plugin": "nhncloud.nks.nks"})
    kwargs = cloud.clients[0].kwargs
    assert kwargs["api_url"] == "http://sim.example:1234"
    assert kwargs["identity_url"] == "http://id.example"
    assert kwargs["tenant_id"] == "tenant-env" and kwargs["username"] == "env@example.com"
    assert kwargs["api_password"] == PASSWORD
    assert kwargs["validate_certs"] is False and kwargs["timeout"] == 12.5
    assert group_hosts(inventory, "nks") == ["a"]


def test_token_from_environment_and_region(cloud, run, monkeypatch):
    monkeypatch.setenv("NHN_CLOUD_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("NHN_CLOUD_REGION", "kr2")
    cloud.add("a", api_url="https://kr2-api-kubernetes-infrastructure.nhncloudservice.com")
    inventory, dummy = run({"plugin": "nhncloud.nks.nks"})
    kwargs = cloud.clients[0].kwargs
    assert kwargs["api_url"] == "https://kr2-api-kubernetes-infrastructure.nhncloudservice.com"
    assert kwargs["auth_token"] == TOKEN and kwargs["validate_certs"] is True
    assert kwargs["timeout"] == 30.0
    assert hostvars(inventory, "a")["nks_region"] == "kr2"
    assert cloud.clients[0].identity_requests == 0


def test_file_options_win_over_environment(cloud, run, monkeypatch):
    monkeypatch.setenv("NHN_CLOUD_USERNAME", "env@example.com")
    run(BASE_CONFIG)
    assert cloud.clients[0].kwargs["username"] == "me@example.com"


def test_templated_password(cloud, run):
    run(dict(BASE_CONFIG, api_password="{{ 'from' ~ '-template' }}"))
    assert cloud.clients[0].kwargs["api_password"] == "from-template"


def test_regions_share_one_token(cloud, run):
    kr1 = "https://kr1-api-kubernetes-infrastructure.nhncloudservice.com"
    kr3 = "https://kr3-api-kubernetes-infrastructure.nhncloudservice.com"
    cloud.add("in-kr1", api_url=kr1)
    cloud.add("in-kr3", api_url=kr3)
    config = dict(BASE_CONFIG, regions=["kr1", "kr3", "kr1"])
    config.pop("api_url")
    inventory, dummy = run(config)
    assert [c.api_url for c in cloud.clients] == [kr1, kr3]
    assert [c.identity_requests for c in cloud.clients] == [1, 0]
    assert cloud.clients[1].kwargs["auth_token"] == TOKEN
    assert cloud.clients[1].kwargs["api_password"] == PASSWORD  # may still re-authenticate
    assert hostvars(inventory, "in-kr1")["nks_region"] == "kr1"
    assert hostvars(inventory, "in-kr3")["nks_region"] == "kr3"
    assert hostvars(inventory, "in-kr3")["nks_api_url"] == kr3


def test_regions_and_api_url_conflict(cloud, run):
    with pytest.raises(AnsibleParserError, match="regions or api_url"):
        run(dict(BASE_CONFIG, regions=["kr1"]))
    assert cloud.calls == []


def test_missing_credentials(run, monkeypatch):
    with pytest.raises(AnsibleParserError, match="NHN_CLOUD_API_PASSWORD"):
        run({"plugin": "nhncloud.nks.nks", "api_url": SIM, "tenant_id": "t"})


def test_wrong_plugin_name(cloud, run):
    with pytest.raises(AnsibleParserError, match="Incorrect plugin name"):
        run(dict(BASE_CONFIG, plugin="hetzner.hcloud.hcloud"))


# -- errors ----------------------------------------------------------------------------------


def test_api_error_is_reported(cloud, run):
    cloud.add("a")
    cloud.fail["get_cluster"] = NksApiError(500, "boom", "req-1", "GET", SIM + "/v1/clusters/x")
    with pytest.raises(AnsibleError) as err:
        run(BASE_CONFIG)
    assert "HTTP 500: boom" in str(err.value) and "req-1" in str(err.value)


def test_auth_error_has_no_password(cloud, run):
    cloud.fail["list_clusters"] = NksAuthError(401, "The request you have made requires authentication.",
                                               None, "POST", SIM + "/v2.0/tokens")
    with pytest.raises(AnsibleError) as err:
        run(BASE_CONFIG)
    assert "HTTP 401" in str(err.value) and PASSWORD not in str(err.value)


def test_connection_error_is_reported(cloud, run):
    cloud.fail["list_clusters"] = NksConnectionError("GET %s/v1/clusters: refused" % SIM, "GET", SIM)
    with pytest.raises(AnsibleError, match="refused"):
        run(BASE_CONFIG)


# -- cache -----------------------------------------------------------------------------------


def test_cache(cloud, run, tmp_path):
    cloud.add("a", version="v1.27.3", status="NEED_UPGRADE")
    config = dict(BASE_CONFIG, cache=True, cache_plugin="ansible.builtin.jsonfile",
                  cache_connection=str(tmp_path / "cache"), cache_timeout=3600)
    run(config)
    first = cloud.count()
    assert first == 4
    stored = "".join(p.read_text() for p in (tmp_path / "cache").iterdir())
    assert "v1.27.3" in stored and PASSWORD not in stored and TOKEN not in stored and APPKEY not in stored

    cloud.add("b")  # not seen while the cache is used
    inventory, dummy = run(config)
    assert cloud.count() == first
    assert group_hosts(inventory, "nks") == ["a"]
    assert group_hosts(inventory, "nks_need_upgrade") == ["a"]
    assert hostvars(inventory, "a")["ansible_connection"] == "local"

    inventory, dummy = run(config, cache=False)  # --flush-cache / refresh_inventory
    assert cloud.count() > first
    assert group_hosts(inventory, "nks") == ["a", "b"]
    inventory, dummy = run(config)  # the refreshed content was stored
    assert group_hosts(inventory, "nks") == ["a", "b"]


def test_cache_off_always_reads(cloud, run):
    cloud.add("a")
    run(BASE_CONFIG)
    run(BASE_CONFIG)
    assert cloud.count("list_clusters") == 2


# -- helpers -----------------------------------------------------------------------------------


def test_host_names():
    records = [{"nks_name": "a", "nks_uuid": "u1"}, {"nks_name": "b", "nks_uuid": "u2"},
               {"nks_name": "a", "nks_uuid": "u3"}, {"nks_name": None, "nks_uuid": "u4"}]
    assert nks.host_names(records) == (["u1", "b", "u3", "u4"], ["a"])
    assert nks.host_names(records, "uuid") == (["u1", "u2", "u3", "u4"], [])


def test_needs_upgrade():
    assert nks.needs_upgrade({"nks_kube_version_status": "NEED_UPGRADE"})
    assert not nks.needs_upgrade({"nks_kube_version_status": "LATEST", "nks_nodegroups": None})
    assert nks.needs_upgrade({"nks_kube_version_status": "LATEST",
                              "nks_nodegroups": [{"kube_version_status": "LATEST"},
                                                 {"kube_version_status": "NEED_UPGRADE"}]})
    assert not nks.needs_upgrade({})


def test_sources_name_the_environment_never_values(cloud, run, monkeypatch):
    monkeypatch.setenv("NHN_CLOUD_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("NHN_CLOUD_REGION", "kr2")
    config = dict((k, v) for k, v in BASE_CONFIG.items() if k not in ("api_password", "api_url"))
    run(config)
    sources = cloud.clients[0].kwargs["sources"]
    assert sources["api_password"] == "environment variable NHN_CLOUD_API_PASSWORD"
    assert sources["region"] == "environment variable NHN_CLOUD_REGION"
    assert sources["tenant_id"] == "option tenant_id of the inventory source"
    assert "api_url" not in sources
    assert PASSWORD not in str(sources)


def test_credential_failure_message_names_sources(cloud, run):
    cloud.fail["list_clusters"] = NksAuthError(
        401, "The request you have made requires authentication.", method="POST", url=SIM + "/v2.0/tokens",
        hint="Check tenant_id (option tenant_id of the inventory source)")
    with pytest.raises(AnsibleError) as err:
        run(BASE_CONFIG)
    assert "HTTP 401" in str(err.value)
    assert "Check tenant_id (option tenant_id of the inventory source)" in str(err.value)
    assert PASSWORD not in str(err.value)


def test_environment_value_of_the_wrong_type_names_the_variable(cloud, run, monkeypatch):
    """The environment fallback is _client.environment_value's, typed here as the option is."""
    monkeypatch.setenv("NHN_CLOUD_HTTP_TIMEOUT", "soon")
    with pytest.raises(AnsibleError) as err:
        run(BASE_CONFIG)
    assert "NHN_CLOUD_HTTP_TIMEOUT" in str(err.value)
