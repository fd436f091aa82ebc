# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/modules/nks_kubeconfig.py: redaction, file writes, modes.

The NKS API is replaced by a fake ``NksApi`` (find_cluster/get_kubeconfig); the
file side runs for real in pytest's ``tmp_path``. The kubeconfig is the guide's
Get kubeconfig of a Cluster example.
"""

from __future__ import annotations

import json
import os
import stat

import pytest
import yaml

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19 has no ansible.module_utils.testing
    import contextlib

    from unittest import mock

    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose ``args`` to AnsibleModule instances created in this context (as 2.19's helper does)."""
        with mock.patch.object(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}))):
            yield

from ansible_collections.nhncloud.nks.plugins.module_utils import _api
from ansible_collections.nhncloud.nks.plugins.modules import nks_kubeconfig
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.kubeconfig import REDACTED, redact

KEY = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpTRUNSRVRLRVk="
CERT = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNMSUVOVENFUlQ="
CA = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBQ0VSVA=="

# The guide's example, with longer stand-ins for the elided base64 values.
GUIDE_CONFIG = (
    "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: %s\n"
    "    server: https://96742ac4-kr2-k8s.container.cloud.toast.com:6443\n"
    "  name: \"toast-robot-e2e-1-18\"\ncontexts:\n- context:\n    cluster: \"toast-robot-e2e-1-18\"\n"
    "    user: admin\n  name: default\ncurrent-context: default\nkind: Config\npreferences: {}\n"
    "users:\n- name: admin\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n"
) % (CA, CERT, KEY)

# What the module writes: the guide's kubeconfig with its entries named after the cluster.
WRITTEN = (
    "apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n- name: toast-robot-e2e-1-18\n  cluster:\n"
    "    certificate-authority-data: %s\n"
    "    server: https://96742ac4-kr2-k8s.container.cloud.toast.com:6443\n"
    "users:\n- name: toast-robot-e2e-1-18\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n"
    "contexts:\n- name: toast-robot-e2e-1-18\n  context:\n    cluster: toast-robot-e2e-1-18\n"
    "    user: toast-robot-e2e-1-18\ncurrent-context: toast-robot-e2e-1-18\n"
) % (CA, CERT, KEY)

CLUSTER = {"uuid": "388794e6-14dc-48ee-9a4f-9c40df5d97ec", "name": "toast-robot-e2e-1-18",
           "status": "CREATE_COMPLETE"}


# -- redact ---------------------------------------------------------------------------

def test_redact_guide_example():
    out = redact(GUIDE_CONFIG)
    assert KEY not in out and CERT not in out
    assert "client-key-data: %s\n" % REDACTED in out
    assert "client-certificate-data: %s\n" % REDACTED in out
    # public parts stay
    assert CA in out
    assert "server: https://96742ac4-kr2-k8s.container.cloud.toast.com:6443" in out
    assert out.count("\n") == GUIDE_CONFIG.count("\n")


@pytest.mark.parametrize("text, secret", [
    ("    token: abc.def.ghi\n", "abc.def.ghi"),
    ("    token: \"abc def\"\n", "abc def"),
    ("    password: 'p@ss word'\n", "p@ss word"),
    ("        id-token: eyJhbGciOi\n", "eyJhbGciOi"),
    ("        refresh-token: r3fr3sh\n", "r3fr3sh"),
    ("        client-secret: s3cr3t\n", "s3cr3t"),
    ('{"users":[{"user":{"client-key-data":"%s"}}]}' % KEY, KEY),
    ('{"user": {"token": "t0k3nvalue", "username": "u"}}', "t0k3nvalue"),
    ("user: {client-key-data: %s, username: admin}" % KEY, KEY),
])
def test_redact_secret_values(text, secret):
    out = redact(text)
    assert secret not in out
    assert REDACTED in out


def test_redact_keeps_json_valid():
    text = json.dumps({"users": [{"name": "admin", "user": {"client-key-data": KEY, "token": "t0k"}}]})
    out = json.loads(redact(text))
    assert out["users"][0]["user"] == {"client-key-data": REDACTED, "token": REDACTED}
    assert out["users"][0]["name"] == "admin"


@pytest.mark.parametrize("text", [
    "    tokenFile: /var/run/secrets/token\n",
    "    token-file: /var/run/secrets/token\n",
    "  name: token\n",
    "    username: admin\n",
    "    certificate-authority-data: %s\n" % CA,
])
def test_redact_leaves_other_keys(text):
    assert redact(text) == text


def test_redact_empty():
    assert redact("") == ""
    assert redact(None) == ""


# -- the module ---------------------------------------------------------------------------

class FakeApi(object):
    """Stands in for NksApi: one cluster, one kubeconfig, and a record of the calls."""

    calls = []
    config = GUIDE_CONFIG

    def __init__(self, client):
        pass

    def find_cluster(self, name_or_id):
        FakeApi.calls.append(("find_cluster", name_or_id))
        return dict(CLUSTER) if name_or_id in (CLUSTER["uuid"], CLUSTER["name"]) else None

    def get_kubeconfig(self, cluster_id):
        FakeApi.calls.append(("get_kubeconfig", cluster_id))
        return FakeApi.config


@pytest.fixture(autouse=True)
def fake_api(monkeypatch):
    FakeApi.calls = []
    FakeApi.config = GUIDE_CONFIG
    monkeypatch.setattr(_api, "NksApi", FakeApi)
    monkeypatch.setattr("ansible_collections.nhncloud.nks.plugins.module_utils._module.NksApi", FakeApi)
    return FakeApi


def run(capsys, check_mode=False, diff=False, **params):
    args = dict(tenant_id="nks-sim-tenant", username="operator@nks-sim.local", api_password="nks-sim-password",
                api_url="http://127.0.0.1:1", _ansible_check_mode=check_mode, _ansible_diff=diff)
    args.update(params)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            nks_kubeconfig.main()
    return json.loads(capsys.readouterr().out)


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_create_then_idempotent(capsys, tmp_path):
    dest = tmp_path / "config"
    first = run(capsys, cluster="toast-robot-e2e-1-18", dest=str(dest))
    assert first["changed"] is True
    assert first["dest"] == str(dest)
    assert first["cluster"] == {"uuid": CLUSTER["uuid"], "name": CLUSTER["name"]}
    assert "content" not in first and KEY not in json.dumps(first)
    assert dest.read_text() == WRITTEN
    assert mode_of(dest) == 0o600
    assert os.listdir(str(tmp_path)) == ["config"]

    second = run(capsys, cluster=CLUSTER["uuid"], dest=str(dest))
    assert second["changed"] is False


def test_check_mode_new_file(capsys, tmp_path):
    dest = tmp_path / "config"
    result = run(capsys, check_mode=True, diff=True, cluster="toast-robot-e2e-1-18", dest=str(dest))
    assert result["changed"] is True
    assert not dest.exists()
    assert result["diff"][0]["before"] == ""
    assert KEY not in json.dumps(result) and CERT not in json.dumps(result)


def test_content_change_with_diff_and_backup(capsys, tmp_path):
    dest = tmp_path / "config"
    dest.write_text("# stale\n")
    os.chmod(str(dest), 0o600)
    result = run(capsys, diff=True, backup=True, cluster="toast-robot-e2e-1-18", dest=str(dest))
    assert result["changed"] is True
    assert dest.read_text() == WRITTEN
    assert open(result["backup_file"]).read() == "# stale\n"
    assert len(result["diff"]) == 1  # the mode did not change
    assert result["diff"][0]["before"] == "# stale\n"
    assert "client-key-data: %s" % REDACTED in result["diff"][0]["after"]
    assert KEY not in json.dumps(result)


def test_mode_change_only(capsys, tmp_path):
    dest = tmp_path / "config"
    dest.write_text(GUIDE_CONFIG)
    os.chmod(str(dest), 0o644)

    check = run(capsys, check_mode=True, diff=True, cluster=CLUSTER["name"], dest=str(dest))
    assert check["changed"] is True
    assert mode_of(dest) == 0o644
    assert check["diff"][1]["before"]["mode"] == "0644" and check["diff"][1]["after"]["mode"] == "0600"

    result = run(capsys, diff=True, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True
    assert mode_of(dest) == 0o600
    assert result["diff"][1] == dict(check["diff"][1])


def test_content_change_keeps_requested_mode(capsys, tmp_path):
    dest = tmp_path / "config"
    dest.write_text("# stale\n")
    os.chmod(str(dest), 0o640)
    result = run(capsys, diff=True, mode="0640", cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True
    assert mode_of(dest) == 0o640
    # the file went through a 0600 temporary file, yet the mode did not change overall
    assert len(result["diff"]) == 1


def test_mode_none_keeps_existing_mode(capsys, tmp_path):
    dest = tmp_path / "config"
    dest.write_text("# stale\n")
    os.chmod(str(dest), 0o640)
    result = run(capsys, mode=None, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True
    assert mode_of(dest) == 0o640


def test_symlink_dest_writes_the_target(capsys, tmp_path):
    real = tmp_path / "real"
    real.write_text("# stale\n")
    link = tmp_path / "link"
    link.symlink_to(real)
    result = run(capsys, cluster=CLUSTER["name"], dest=str(link))
    assert result["changed"] is True
    assert link.is_symlink()
    assert real.read_text() == WRITTEN


def test_return_content(capsys, tmp_path):
    result = run(capsys, return_content=True, cluster=CLUSTER["name"], dest=str(tmp_path / "c"))
    assert result["content"] == WRITTEN
    assert result["kubeconfig"]["current-context"] == CLUSTER["name"]
    assert result["kubeconfig"]["users"][0]["user"]["client-key-data"] == KEY


def test_unknown_cluster(capsys, tmp_path):
    result = run(capsys, cluster="nope", dest=str(tmp_path / "c"))
    assert result["failed"] is True
    assert result["msg"].startswith("cluster:") and "'nope'" in result["msg"]
    assert not (tmp_path / "c").exists()


def test_empty_kubeconfig_fails(capsys, tmp_path, fake_api):
    fake_api.config = ""
    result = run(capsys, cluster=CLUSTER["name"], dest=str(tmp_path / "c"))
    assert result["failed"] is True
    assert "no kubeconfig" in result["msg"]
    assert not (tmp_path / "c").exists()


def test_missing_directory_fails_before_the_api(capsys, tmp_path, fake_api):
    result = run(capsys, cluster=CLUSTER["name"], dest=str(tmp_path / "missing" / "c"))
    assert result["failed"] is True
    assert result["msg"].startswith("dest:") and str(tmp_path / "missing") in result["msg"]
    assert fake_api.calls == []


def test_present_needs_cluster(capsys, tmp_path):
    result = run(capsys, dest=str(tmp_path / "c"))
    assert result["failed"] is True
    assert "cluster" in result["msg"]


def test_absent(capsys, tmp_path, fake_api):
    dest = tmp_path / "config"
    dest.write_text(GUIDE_CONFIG)

    check = run(capsys, check_mode=True, state="absent", dest=str(dest))
    assert check["changed"] is True and dest.exists()

    result = run(capsys, diff=True, backup=True, state="absent", dest=str(dest))
    assert result["changed"] is True and not dest.exists()
    assert open(result["backup_file"]).read() == GUIDE_CONFIG
    assert KEY not in json.dumps(result)

    again = run(capsys, state="absent", dest=str(dest))
    assert again["changed"] is False
    assert fake_api.calls == []


# -- merge, context, force ------------------------------------------------------------------

OTHER = {
    "apiVersion": "v1", "kind": "Config", "preferences": {"colors": True},
    "clusters": [{"name": "prod", "cluster": {"server": "https://prod.example:6443"}}],
    "users": [{"name": "prod-admin", "user": {"token": "pr0dt0k3n"}}],
    "contexts": [{"name": "prod", "context": {"cluster": "prod", "user": "prod-admin", "namespace": "web"}}],
    "current-context": "prod",
}


def write_yaml(path, doc):
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    os.chmod(str(path), 0o600)


def test_merge_keeps_other_entries_and_is_idempotent(capsys, tmp_path):
    dest = tmp_path / "config"
    write_yaml(dest, OTHER)
    first = run(capsys, diff=True, merge=True, backup=True, cluster=CLUSTER["name"], dest=str(dest))
    assert first["changed"] is True and first["context"] == CLUSTER["name"]
    doc = yaml.safe_load(dest.read_text())
    assert [c["name"] for c in doc["contexts"]] == ["prod", CLUSTER["name"]]
    assert doc["contexts"][0] == OTHER["contexts"][0] and doc["users"][0] == OTHER["users"][0]
    assert doc["current-context"] == "prod"  # an existing current context is kept
    assert doc["preferences"] == {"colors": True}
    assert yaml.safe_load(open(first["backup_file"]).read()) == OTHER
    # neither this cluster's key nor the other cluster's token in the diff
    assert KEY not in json.dumps(first) and "pr0dt0k3n" not in json.dumps(first)
    text = dest.read_text()
    again = run(capsys, merge=True, cluster=CLUSTER["name"], dest=str(dest))
    assert again["changed"] is False and dest.read_text() == text


def test_merge_replaces_own_entries_by_name(capsys, tmp_path, fake_api):
    dest = tmp_path / "config"
    run(capsys, merge=True, cluster=CLUSTER["name"], dest=str(dest), context="robot")
    fake_api.config = GUIDE_CONFIG.replace(KEY, "TkVXS0VZ")  # a renewed key
    result = run(capsys, merge=True, cluster=CLUSTER["name"], dest=str(dest), context="robot")
    assert result["changed"] is True
    doc = yaml.safe_load(dest.read_text())
    assert [u["name"] for u in doc["users"]] == ["robot"]
    assert doc["users"][0]["user"]["client-key-data"] == "TkVXS0VZ"
    assert doc["current-context"] == "robot"


def test_merge_into_a_missing_file(capsys, tmp_path):
    dest = tmp_path / "config"
    result = run(capsys, merge=True, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True and dest.read_text() == WRITTEN
    assert mode_of(dest) == 0o600


def test_merge_check_mode_writes_nothing(capsys, tmp_path):
    dest = tmp_path / "config"
    write_yaml(dest, OTHER)
    before = dest.read_text()
    result = run(capsys, check_mode=True, diff=True, merge=True, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True and dest.read_text() == before
    assert "client-key-data: VALUE_REDACTED" in result["diff"][0]["after"]
    assert "token: VALUE_REDACTED" in result["diff"][0]["after"]


def test_replace_refuses_other_clusters(capsys, tmp_path):
    dest = tmp_path / "config"
    write_yaml(dest, OTHER)
    before = dest.read_text()
    result = run(capsys, cluster=CLUSTER["name"], dest=str(dest))
    assert result["failed"] is True and result["msg"].startswith("dest:")
    assert "cluster prod, context prod, user prod-admin" in result["msg"]
    assert "merge: true" in result["msg"] and "force: true" in result["msg"]
    assert dest.read_text() == before
    forced = run(capsys, force=True, cluster=CLUSTER["name"], dest=str(dest))
    assert forced["changed"] is True and dest.read_text() == WRITTEN


def test_replace_accepts_the_same_clusters_old_kubeconfig(capsys, tmp_path):
    # what NKS returns (context default, user admin) for the same server is not foreign
    dest = tmp_path / "config"
    dest.write_text(GUIDE_CONFIG)
    result = run(capsys, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True and dest.read_text() == WRITTEN


def test_not_a_kubeconfig_needs_force(capsys, tmp_path):
    dest = tmp_path / "config"
    dest.write_text("just some text\n")
    for merge in (False, True):
        result = run(capsys, merge=merge, cluster=CLUSTER["name"], dest=str(dest))
        assert result["failed"] is True and "force: true" in result["msg"]
    assert dest.read_text() == "just some text\n"
    result = run(capsys, force=True, merge=True, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True and dest.read_text() == WRITTEN


def test_context_names_every_entry(capsys, tmp_path):
    dest = tmp_path / "config"
    result = run(capsys, return_content=True, context="dev", cluster=CLUSTER["name"], dest=str(dest))
    doc = yaml.safe_load(dest.read_text())
    assert doc["current-context"] == "dev" and result["context"] == "dev"
    assert doc["contexts"] == [{"name": "dev", "context": {"cluster": "dev", "user": "dev"}}]
    assert [c["name"] for c in doc["clusters"]] == ["dev"] and [u["name"] for u in doc["users"]] == ["dev"]
    assert result["kubeconfig"] == doc
    assert run(capsys, context=" ", cluster=CLUSTER["name"], dest=str(dest))["msg"].startswith("context:")


def test_formatting_alone_is_no_change(capsys, tmp_path):
    dest = tmp_path / "config"
    dest.write_text(json.dumps(yaml.safe_load(WRITTEN)))  # JSON is YAML too
    os.chmod(str(dest), 0o600)
    assert run(capsys, cluster=CLUSTER["name"], dest=str(dest))["changed"] is False


# -- review 2026-11: mode, same-named entries of other clusters, absent, not UTF-8 ------------------

@pytest.mark.parametrize("mode", ["abc", "0999", "17777", "u=rw,go=q", "", "0o600", True])
def test_invalid_mode_fails_before_anything(capsys, tmp_path, fake_api, mode):
    dest = tmp_path / "config"
    dest.write_text("# stale\n")
    os.chmod(str(dest), 0o644)
    result = run(capsys, backup=True, mode=mode, cluster=CLUSTER["name"], dest=str(dest))
    assert result["failed"] is True and result["msg"].startswith("mode:")
    assert "octal" in result["msg"] and "u=rw,go=" in result["msg"]
    assert fake_api.calls == []  # no request
    assert dest.read_text() == "# stale\n" and mode_of(dest) == 0o644
    assert os.listdir(str(tmp_path)) == ["config"]  # no backup, no temporary file


@pytest.mark.parametrize("mode, expected", [("u=rw,g=r,o=", 0o640), ("0640", 0o640), ("640", 0o640),
                                            (0o640, 0o640), ("a-rwx,u+rw", 0o600)])
def test_valid_modes(capsys, tmp_path, mode, expected):
    dest = tmp_path / "config"
    result = run(capsys, mode=mode, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True and mode_of(dest) == expected


def same_name_elsewhere(server="https://1f2e3d4c-kr1-k8s.container.nhncloud.com:6443"):
    """A kubeconfig of another cluster that carries this cluster's name (another region or project)."""
    name = CLUSTER["name"]
    return {"apiVersion": "v1", "kind": "Config", "preferences": {},
            "clusters": [{"name": name, "cluster": {"server": server}}],
            "users": [{"name": name, "user": {"token": "kr1t0k3n"}}],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "current-context": name}


def test_merge_refuses_same_named_entries_of_another_cluster(capsys, tmp_path):
    dest = tmp_path / "config"
    write_yaml(dest, same_name_elsewhere())
    before = dest.read_text()
    result = run(capsys, merge=True, cluster=CLUSTER["name"], dest=str(dest))
    assert result["failed"] is True and result["msg"].startswith("dest:")
    for entry in ("cluster %s (server https://1f2e3d4c-kr1" % CLUSTER["name"], "context %s" % CLUSTER["name"],
                  "user %s" % CLUSTER["name"]):
        assert entry in result["msg"]
    assert "context" in result["msg"] and "force: true" in result["msg"]
    assert "kr1t0k3n" not in result["msg"]
    assert dest.read_text() == before
    # another context name keeps both
    both = run(capsys, merge=True, context="kr2-robot", cluster=CLUSTER["name"], dest=str(dest))
    assert both["changed"] is True
    assert [c["name"] for c in yaml.safe_load(dest.read_text())["clusters"]] == [CLUSTER["name"], "kr2-robot"]
    # force replaces them
    write_yaml(dest, same_name_elsewhere())
    forced = run(capsys, merge=True, force=True, cluster=CLUSTER["name"], dest=str(dest))
    assert forced["changed"] is True and dest.read_text() == WRITTEN


def test_merge_replaces_same_named_entries_of_the_same_server(capsys, tmp_path):
    dest = tmp_path / "config"
    write_yaml(dest, same_name_elsewhere("https://96742ac4-kr2-k8s.container.cloud.toast.com:6443/"))
    result = run(capsys, merge=True, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True and dest.read_text() == WRITTEN


def test_absent_symlink_removes_the_link_not_its_target(capsys, tmp_path):
    real = tmp_path / "real"
    real.write_text(GUIDE_CONFIG)
    link = tmp_path / "link"
    link.symlink_to(real)
    result = run(capsys, diff=True, state="absent", dest=str(link))
    assert result["changed"] is True and result["dest"] == str(link)
    assert not os.path.lexists(str(link)) and real.read_text() == GUIDE_CONFIG
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "gone")
    result = run(capsys, diff=True, backup=True, state="absent", dest=str(dangling))
    assert result["changed"] is True and not os.path.lexists(str(dangling))


def test_absent_in_a_missing_directory_is_no_change(capsys, tmp_path, fake_api):
    result = run(capsys, state="absent", dest=str(tmp_path / "missing" / "config"))
    assert result.get("failed") is not True and result["changed"] is False
    assert fake_api.calls == []


def test_dest_not_utf8_is_not_a_kubeconfig(capsys, tmp_path):
    dest = tmp_path / "config"
    data = b"\xff\xfe\x00k\x00i\x00n\x00d\x00"
    dest.write_bytes(data)
    for merge in (False, True):
        result = run(capsys, merge=merge, cluster=CLUSTER["name"], dest=str(dest))
        assert result["failed"] is True and result["msg"].startswith("dest:")
        assert "not UTF-8" in result["msg"] and "force: true" in result["msg"]
    assert dest.read_bytes() == data
    result = run(capsys, diff=True, force=True, cluster=CLUSTER["name"], dest=str(dest))
    assert result["changed"] is True and dest.read_text() == WRITTEN
    assert result["diff"][0]["before"] == "(not UTF-8 text)\n"
    dest.write_bytes(data)
    result = run(capsys, diff=True, state="absent", dest=str(dest))
    assert result["changed"] is True and result["diff"]["before"] == "(not UTF-8 text)\n"
