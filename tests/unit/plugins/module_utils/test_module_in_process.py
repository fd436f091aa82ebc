# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``NksModule.in_process``: a module run without a module process (``nks_fleet``).

Validation uses the module's own spec and ``module_kwargs`` (errors name the option as
``AnsibleModule`` does), the connection options fall back to the given environment, the
result is what ``run()`` returns, failures carry the module's message, and every
``no_log`` value (password, token, boot_volume_appkey) is masked.
"""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._module import ModuleFailed, NksModule
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError
from ansible_collections.nhncloud.nks.plugins.modules.nks_cluster import NksCluster
from ansible_collections.nhncloud.nks.plugins.modules.nks_nodegroup import NksNodegroup

ENV = {"NHN_CLOUD_TENANT_ID": "tenant-1", "NHN_CLOUD_USERNAME": "user@example.com",
       "NHN_CLOUD_API_PASSWORD": "pw-from-env-4711"}


class Echo(NksModule):
    """Returns its options (a module that leaks them, to test the masking) or fails as asked."""

    argument_spec = dict(name=dict(type="str", required=True), secret=dict(type="str", no_log=True),
                         count=dict(type="int"), fail=dict(type="str"))
    module_kwargs = dict(mutually_exclusive=[("count", "fail")])

    def run(self):
        if self.params["fail"] == "validation":
            raise ValidationError("count", "must be at least 1")
        if self.params["fail"] == "fail_json":
            self.module.fail_json(msg="no kubeconfig for %s" % self.params["name"], cluster="c1")
        if self.params["fail"] == "bug":
            raise KeyError("uuid")
        self.warn("warned about %s" % self.params["secret"])
        return dict(changed=True, params=dict(self.params), check_mode=self.check_mode, diff=self.diff_mode)


def run(args, **kwargs):
    module = Echo.in_process(args, Echo.validator(ENV), **kwargs)
    return module.execute()


@pytest.mark.parametrize("args, named", [
    (dict(), "name"),                                  # required
    (dict(name="a", cuont=2), "cuont"),                # unsupported
    (dict(name="a", count="two"), "count"),            # type
    (dict(name="a", count=1, fail="x"), "count|fail"),  # mutually exclusive (module_kwargs)
])
def test_validation_errors_name_the_option(args, named):
    with pytest.raises(ModuleFailed) as caught:
        Echo.in_process(args, Echo.validator(ENV))
    assert caught.value.result["failed"] is True
    assert named in caught.value.result["msg"]


def test_unsupported_message_is_the_modules():
    with pytest.raises(ModuleFailed) as caught:
        NksCluster.in_process(dict(name="web", node_cout=2), NksCluster.validator(ENV))
    assert caught.value.result["msg"].startswith("Unsupported parameters for (nhncloud.nks.nks_cluster) module: node_cout")


def test_result_fallbacks_modes_and_masking():
    result = run(dict(name="web", secret="s3cr3t-value", auth_token="tok-123456"), check_mode=True, diff=True)
    assert result["changed"] is True and result["check_mode"] is True and result["diff"] is True
    params = result["params"]
    assert params["tenant_id"] == "tenant-1"               # environment fallback, not os.environ
    # no_log values masked everywhere, as AnsibleModule.exit_json masks them
    hidden = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert params["api_password"] == params["auth_token"] == params["secret"] == hidden
    assert result["warnings"] == ["warned about ********"]
    assert "s3cr3t-value" not in repr(result) and "pw-from-env-4711" not in repr(result)


def test_validation_error_message_masks_secrets():
    with pytest.raises(ModuleFailed) as caught:
        Echo.in_process(dict(name="pw-from-env-4711", count="x"), Echo.validator(ENV))
    assert "pw-from-env-4711" not in repr(caught.value.result)


@pytest.mark.parametrize("fail, expected", [
    ("validation", dict(msg="count: must be at least 1", option="count")),
    ("fail_json", dict(msg="no kubeconfig for web", cluster="c1")),
])
def test_failures_carry_the_modules_message(fail, expected):
    result = run(dict(name="web", fail=fail))
    assert result["failed"] is True
    assert dict((k, result[k]) for k in expected) == expected


def test_unexpected_error_is_reported_not_raised():
    result = run(dict(name="web", fail="bug"))
    assert result["failed"] is True
    assert result["msg"].startswith("nhncloud.nks.test_module_in_process failed unexpectedly: KeyError")


def test_module_kwargs_of_a_real_module():
    """nks_nodegroup's required_together (node_action with node_ids) applies in-process too."""
    with pytest.raises(ModuleFailed) as caught:
        NksNodegroup.in_process(dict(cluster="c", name="ng", node_action="stop"), NksNodegroup.validator(ENV))
    assert "node_action" in caught.value.result["msg"] and "node_ids" in caught.value.result["msg"]


def test_client_uses_the_given_options_not_the_process_arguments():
    module = NksCluster.in_process(dict(name="web", auth_token="tok-1", api_url="http://127.0.0.1:9"),
                                   NksCluster.validator({}))
    client = module.client()
    assert client.sources.get("auth_token") == "option auth_token"
