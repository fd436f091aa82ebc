# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_api.py: one "not found" rule for every read and delete."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._api import NksApi
from ansible_collections.nhncloud.nks.plugins.module_utils._client import NksApiError, NksNotFound


class Always404(object):
    """A client whose every request answers 404."""

    def get(self, path, **kwargs):
        raise NksNotFound(404, "not found")

    def request(self, method, path, *args, **kwargs):
        raise NksNotFound(404, "not found")


@pytest.mark.parametrize("call, absent", [
    (lambda api: api.get_cluster("c"), None),
    (lambda api: api.get_nodegroup("c", "n"), None),
    (lambda api: api.get_event("c", "e"), None),
    (lambda api: api.get_autoscale("c", "n"), None),
    (lambda api: api.get_ipacl("c"), None),
    (lambda api: api.list_nodegroups("c"), []),
    (lambda api: api.list_events("c"), []),
    (lambda api: api.delete_cluster("c"), False),
    (lambda api: api.delete_nodegroup("c", "n"), False),
])
def test_404_is_absence(call, absent):
    assert call(NksApi(Always404())) == absent


def test_other_errors_still_raise():
    class Always500(Always404):
        def get(self, path, **kwargs):
            raise NksApiError(500, "boom")
    with pytest.raises(NksApiError):
        NksApi(Always500()).get_autoscale("c", "n")
