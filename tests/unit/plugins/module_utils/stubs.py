# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stub API and module the planners' unit tests share (test_module_plans, test_worker_settings,
test_upgrade_of_failed): reads answered from fixed objects, every other call recorded, nothing sent."""

from __future__ import annotations


class StubApi(object):
    """Answers reads from fixed objects and records every other call in ``sent`` as
    ``(method name, args...)``.

    :param dict cluster: what Get a Cluster answers; :param nodegroups: node group dicts (``name``,
        ``uuid``, ...); :param dict autoscale: what Get a Node Group's autoscaler answers (default ``{}``).
    """

    def __init__(self, cluster, nodegroups=(), autoscale=None):
        self.cluster = cluster
        self.nodegroups = dict((ng["name"], ng) for ng in nodegroups)
        self.autoscale = autoscale or {}
        self.sent = []

    def find_cluster(self, _name):
        return self.cluster

    def get_cluster(self, _uuid):
        return self.cluster

    def get_nodegroup(self, _cluster, name):
        return self.nodegroups.get(name) or next(
            (ng for ng in self.nodegroups.values() if ng.get("uuid") == name), None)

    def list_nodegroups(self, _cluster):
        return [dict(name=ng["name"], uuid=ng["uuid"], role="worker") for ng in self.nodegroups.values()]

    def get_autoscale(self, _cluster, _ng):
        return self.autoscale

    def supported_versions(self):
        return {"v1.27.3": True, "v1.28.3": True}

    def __getattr__(self, name):  # every mutating call
        return lambda *args: self.sent.append((name,) + args)


class StubModule(object):
    """What a module's resource reads of ``NksModule``: ``api``, ``params`` (every option of
    ``module_class.argument_spec``, ``None`` unless given; ``state=present``, ``wait=WAIT``,
    ``wait_timeout=60``), ``check_mode``, ``warn`` (kept in ``warnings``)."""

    check_mode = False
    WAIT = True

    def __init__(self, module_class, api, **params):
        self.api = api
        self.params = dict((key, None) for key in module_class.argument_spec)
        self.params.update(state="present", wait=self.WAIT, wait_timeout=60)
        self.params.update(params)
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)
