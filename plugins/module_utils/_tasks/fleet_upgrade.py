# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_fleet_upgrade`` does (its options are documented in
``plugins/modules/nks_fleet_upgrade.py``): one stage of an update run, or the one cluster of the role
``nhncloud.nks.upgrade`` (``roles/upgrade/tasks/main.yml``), with :func:`.._upgrade.run_stage`.

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`), with a :class:`.._module.TaskContext`.
Every request of a step goes through :func:`.runner.run_task` (``nks_cluster``, ``nks_nodegroup``,
``nks_addon``) in this process, with one token for the whole stage.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .._api import NksApi
from .._module import NksModule
from .._progress import from_environment
from .._upgrade import ADDON_POLICIES, run_stage
from .runner import run_task

ARGUMENT_SPEC = dict(
    clusters=dict(type="list", elements="dict", required=True, options=dict(
        host=dict(type="str", required=True), cluster=dict(type="str", required=True),
        api_url=dict(type="str"))),
    stage=dict(type="str", default="all"),
    kube_version=dict(type="str"),
    nodegroup_order=dict(type="list", elements="str", default=[]),
    num_buffer_nodes=dict(type="int"),
    num_max_unavailable_nodes=dict(type="int"),
    addons=dict(type="str", choices=list(ADDON_POLICIES), default="mandatory"),
    addon_resolve_conflicts=dict(type="str", choices=["none", "overwrite", "preserve"], default="overwrite"),
    nks_registry=dict(type="bool"),
    wait_timeout=dict(type="int", default=3600),
    check_nodes=dict(type="bool", default=True),
    check_pdbs=dict(type="bool", default=True),
    max_concurrency=dict(type="int", default=10),
    max_failed_clusters=dict(type="int", default=0),
    failed_before=dict(type="int", default=0),
    skip_blocked=dict(type="list", elements="str", default=[]),
    soak_seconds=dict(type="int", default=0),
    soak_interval=dict(type="int", default=10),
    pause_file=dict(type="path"),
    preflight_only=dict(type="bool", default=False),
    progress_interval=dict(type="int", default=30),
)
"""The module's own options (the connection options are ``_module.auth_argument_spec()``); their
ranges are rows of ``_validation.NUMERIC_RANGES``."""


class NksFleetUpgrade(NksModule):
    """Upgrade the clusters of one stage (:func:`.._upgrade.run_stage`): pre-flight, the steps of each
    cluster in NKS's order, the shared wait, the soak; progress lines to the action plugin's file."""

    name = "nks_fleet_upgrade"
    waits = False
    argument_spec = ARGUMENT_SPEC

    def run(self):
        """Run the stage; returns the module result (see RETURN of ``nks_fleet_upgrade``).

        :raises ValidationError: bad connection options (before any request).
        :raises _client.NksApiError: a read of the pre-flight that NKS refused.
        """
        progress = from_environment()
        tokens = []

        def make_api(endpoint):
            """A client for ``endpoint`` (``None``: ``api_url``); the first one obtains the token
            (one identity request for the whole stage, none with ``auth_token``), the others reuse it."""
            overrides = {}
            if endpoint:
                overrides["api_url"] = endpoint
            if tokens:
                overrides["auth_token"] = tokens[0]
            api = NksApi(self.client(**overrides))
            token = api.client.token
            if not tokens:
                tokens.append(token)
            return api, token

        def send(name, args):
            return run_task(name, args, self.task.process_module, check_mode=self.check_mode)

        return run_stage(self.params, make_api, send, check_mode=self.check_mode,
                         say=progress.write if progress is not None else None,
                         progress_interval=self.params["progress_interval"])
