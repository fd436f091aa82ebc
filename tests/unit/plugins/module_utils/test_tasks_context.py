# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task context (``_module.TaskContext``) and ``_tasks.runner.run_task``: a module's work run inside
another module's process (``nks_fleet``), without a stand-in ``AnsibleModule``.

Validation uses the module's own spec and ``module_kwargs`` through Ansible's public
``ArgumentSpecValidator`` (errors name the option as ``AnsibleModule`` does), the connection
options fall back to ``os.environ``, the result is what ``run()`` returns, failures carry the
module's message, warnings are collected and every ``no_log`` value is masked.
"""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks import runner as _tasks
from ansible_collections.nhncloud.nks.plugins.module_utils._client import environment_value
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import DEFAULT_WAIT_TIMEOUT
from ansible_collections.nhncloud.nks.plugins.module_utils._module import (NksModule, TaskContext,
                                                                           no_log_values, wait_argument_spec)
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.cluster import NksCluster
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError

ENV = {"NHN_CLOUD_TENANT_ID": "tenant-1", "NHN_CLOUD_USERNAME": "user@example.com",
       "NHN_CLOUD_API_PASSWORD": "pw-from-env-4711"}
HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    """The module process's environment: the connection variables of ENV, no other."""
    for name in list(os.environ):
        if name.startswith(("NHN_CLOUD_", "NKS_API_URL")):
            monkeypatch.delenv(name)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


class Echo(NksModule):
    """Returns its options (a module that leaks them, to test the masking) or fails as asked."""

    name = "nks_echo"
    argument_spec = dict(name=dict(type="str", required=True), secret=dict(type="str", no_log=True),
                         count=dict(type="int"), fail=dict(type="str"),
                         nested=dict(type="dict", options=dict(key=dict(type="str", no_log=True))))
    module_kwargs = dict(mutually_exclusive=[("count", "fail")])

    def run(self):
        if self.params["fail"] == "validation":
            raise ValidationError("count", "must be at least 1")
        if self.params["fail"] == "fail":
            self.task.fail("no kubeconfig for %s" % self.params["name"], cluster="c1")
        if self.params["fail"] == "bug":
            raise KeyError("uuid")
        self.warn("warned about %s" % self.params["secret"])
        return dict(changed=True, params=dict(self.params), check_mode=self.check_mode, diff=self.diff_mode)


@pytest.mark.parametrize("args, named", [
    (dict(), "name"),                                  # required
    (dict(name="a", cuont=2), "cuont"),                # unsupported
    (dict(name="a", count="two"), "count"),            # type
    (dict(name="a", count=1, fail="x"), "count|fail"),  # mutually exclusive (module_kwargs)
])
def test_validation_errors_name_the_option(args, named):
    result = Echo.perform(args)
    assert result["failed"] is True
    assert named in result["msg"]


def test_unsupported_message_is_the_modules():
    result = _tasks.run_task("nks_cluster", dict(name="web", node_cout=2), None)
    assert result["failed"] is True
    assert result["msg"].startswith("Unsupported parameters for (nhncloud.nks.nks_cluster) module: node_cout")


def test_result_fallbacks_modes_warnings_and_masking():
    result = Echo.perform(dict(name="web", secret="s3cr3t-value", auth_token="tok-123456",
                               nested=dict(key="nested-key-99")), check_mode=True, diff=True)
    assert result["changed"] is True and result["check_mode"] is True and result["diff"] is True
    params = result["params"]
    assert params["tenant_id"] == "tenant-1"               # environment fallback: os.environ
    assert params["wait_timeout"] == DEFAULT_WAIT_TIMEOUT
    # no_log values masked everywhere, as AnsibleModule.exit_json masks them
    assert params["api_password"] == params["auth_token"] == params["secret"] == HIDDEN
    assert params["nested"]["key"] == HIDDEN
    assert result["warnings"] == ["warned about ********"]
    assert "s3cr3t-value" not in repr(result) and "pw-from-env-4711" not in repr(result)


def test_options_win_over_the_environment():
    result = Echo.perform(dict(name="web", tenant_id="tenant-given"))
    assert result["params"]["tenant_id"] == "tenant-given"


def test_validation_error_message_masks_secrets():
    result = Echo.perform(dict(name="pw-from-env-4711", count="x"))
    assert result["failed"] is True
    assert "pw-from-env-4711" not in repr(result)


@pytest.mark.parametrize("fail, expected", [
    ("validation", dict(msg="count: must be at least 1", option="count")),
    ("fail", dict(msg="no kubeconfig for web", cluster="c1")),
])
def test_failures_carry_the_modules_message(fail, expected):
    result = Echo.perform(dict(name="web", fail=fail))
    assert result["failed"] is True
    assert dict((k, result[k]) for k in expected) == expected


def test_unexpected_error_is_reported_not_raised():
    result = Echo.perform(dict(name="web", fail="bug"))
    assert result["failed"] is True
    assert result["msg"].startswith("nhncloud.nks.nks_echo failed unexpectedly: KeyError")


def test_module_kwargs_of_a_real_module():
    """nks_nodegroup's required_together (node_action with node_ids) applies through run_task too."""
    result = _tasks.run_task("nks_nodegroup", dict(cluster="c", name="ng", node_action="stop"), None)
    assert result["failed"] is True
    assert "node_action" in result["msg"] and "node_ids" in result["msg"]


def test_a_range_is_checked_before_any_request():
    result = _tasks.run_task("nks_cluster", dict(name="web", wait_timeout=-1), None)
    assert result["failed"] is True and result["option"] == "wait_timeout"


def test_unknown_task_name():
    with pytest.raises(KeyError):
        _tasks.run_task("nks_nothing", {}, None)
    assert set(_tasks.TASK_NAMES) == set(_tasks.task_class(name).name for name in _tasks.TASK_NAMES)


def test_client_uses_the_given_options_and_names_their_sources():
    task = TaskContext.validate("nhncloud.nks.nks_cluster", NksCluster.validator(),
                                dict(name="web", auth_token="tok-1", api_url="http://127.0.0.1:9"))
    client = NksCluster(task).client()
    assert client.sources.get("auth_token") == "option auth_token"
    assert client.sources.get("tenant_id") == "environment variable NHN_CLOUD_TENANT_ID"


def test_check_mode_of_a_real_module_changes_no_file(tmp_path):
    """nks_kubeconfig state=absent on a symbolic link: check mode says changed and leaves it."""
    target = tmp_path / "real"
    target.write_text("x")
    link = tmp_path / "config"
    link.symlink_to(target)
    args = dict(dest=str(link), state="absent", auth_token="tok-1", api_url="http://127.0.0.1:9")
    result = _tasks.run_task("nks_kubeconfig", args, None, check_mode=True)
    assert result["changed"] is True and os.path.islink(str(link))
    result = _tasks.run_task("nks_kubeconfig", args, None)
    assert result["changed"] is True and not os.path.lexists(str(link)) and target.exists()


# -- the file helpers without a process module -----------------------------------------


def context(check_mode=False):
    return TaskContext("nhncloud.nks.nks_echo", {}, check_mode=check_mode)


@pytest.mark.parametrize("check_mode", [False, True])
def test_set_mode_if_different(tmp_path, check_mode):
    path = tmp_path / "f"
    path.write_text("x")
    os.chmod(str(path), 0o644)
    diff = {}
    assert context(check_mode).set_mode_if_different(str(path), "0600", False, diff=diff) is True
    assert diff == {"before": {"mode": "0644"}, "after": {"mode": "0600"}}
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == (0o644 if check_mode else 0o600)
    if not check_mode:
        assert context().set_mode_if_different(str(path), 0o600, False) is False


def test_symbolic_mode_needs_a_process_module(tmp_path):
    path = tmp_path / "f"
    path.write_text("x")
    with pytest.raises(ValidationError) as caught:
        context().set_mode_if_different(str(path), "u=rw,go=", False)
    assert caught.value.option == "mode"


def test_backup_local(tmp_path):
    path = tmp_path / "f"
    path.write_text("old")
    backup = context().backup_local(str(path))
    assert backup.startswith(str(path) + ".") and backup.endswith("~")
    assert open(backup).read() == "old"


def test_no_log_values_of_sub_options():
    spec = dict(a=dict(no_log=True), b=dict(type="list", elements="dict", options=dict(c=dict(no_log=True))))
    assert no_log_values(spec, dict(a="x1", b=[dict(c="y2"), dict(c=None)], d="z")) == {"x1", "y2"}


def test_environment_value_reads_one_table(monkeypatch):
    monkeypatch.setenv("NHN_CLOUD_REGION", "")
    assert environment_value("region") is None                     # empty is unset
    assert environment_value("tenant_id") == "tenant-1"
    assert environment_value("NHN_CLOUD_TENANT_ID", {"NHN_CLOUD_TENANT_ID": "t2"}) == "t2"


def test_one_wait_default():
    """The wait fragment and nks_wait's documentation state DEFAULT_WAIT_TIMEOUT."""
    import yaml
    from ansible_collections.nhncloud.nks.plugins.doc_fragments.wait import ModuleDocFragment
    assert wait_argument_spec()["wait_timeout"]["default"] == DEFAULT_WAIT_TIMEOUT
    assert yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]["wait_timeout"]["default"] == DEFAULT_WAIT_TIMEOUT
    here = os.path.dirname(os.path.abspath(__file__))
    for module in ("nks_wait", "nks_cluster"):
        path = os.path.join(here, "..", "..", "..", "..", "plugins", "modules", module + ".py")
        text = open(path).read()
        doc = yaml.safe_load(text.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])
        assert doc["options"]["wait_timeout"]["default"] == DEFAULT_WAIT_TIMEOUT, module


class ProcessModule(object):
    """The file helpers of the running module process, recorded."""

    def __init__(self, check_mode):
        self.check_mode = check_mode
        self.calls = []
        self.tmpdir = "/tmp/process-tmp"

    def set_mode_if_different(self, path, mode, changed, diff=None):
        self.calls.append(("set_mode_if_different", path, mode))
        return True

    def backup_local(self, path):
        self.calls.append(("backup_local", path))
        return path + ".bak"


def test_file_helpers_are_the_process_modules(tmp_path):
    module = ProcessModule(check_mode=False)
    task = TaskContext("nhncloud.nks.nks_echo", {}, process_module=module)
    assert task.set_mode_if_different("/x", "u=rw,go=", False) is True
    assert task.backup_local("/x") == "/x.bak" and task.tmpdir == "/tmp/process-tmp"
    assert module.calls == [("set_mode_if_different", "/x", "u=rw,go="), ("backup_local", "/x")]


def test_check_mode_of_the_task_wins_over_the_process_module(tmp_path):
    """A task in check mode inside a process that is not never changes a mode through the process module."""
    path = tmp_path / "f"
    path.write_text("x")
    os.chmod(str(path), 0o644)
    module = ProcessModule(check_mode=False)
    task = TaskContext("nhncloud.nks.nks_echo", {}, check_mode=True, process_module=module)
    assert task.set_mode_if_different(str(path), "0600", False) is True
    assert module.calls == [] and stat.S_IMODE(os.stat(str(path)).st_mode) == 0o644
