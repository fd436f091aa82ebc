# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What converging one cluster of the role ``nhncloud.nks.cluster`` means: the ONE planner.

:func:`cluster_plan` turns the role's variables of one host into the options of every module
task that converges its cluster, in the role's order (NKS API guide: "Create Cluster", "Create
Node Group", add-on management (2026-03), "Change API Endpoint IP ACL", "Get Cluster
Kubeconfig"). Both paths use it:

* the role's single-cluster task list (``roles/cluster/tasks/present.yml``), through the filter
  ``nhncloud.nks.cluster_role_spec``: each task passes its section of the plan as the module's
  options;
* ``nhncloud.nks.nks_fleet`` (``module_utils/_fleet_run.py``): the same sections, for every
  host of the play, through :func:`._tasks.runner.run_task`.

A section never holds ``cluster`` (the UUID is known only once the cluster exists) nor ``wait``
(each path decides whether a task waits itself or the fleet wait does). No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

ROLE_VARIABLES = dict(cluster_definition=None, cluster_defaults={}, cluster_nodegroup_defaults={},
                      cluster_kubeconfig_dir="~/.kube", cluster_wait_timeout=3600, cluster_wait_for="nodes",
                      cluster_state="present")
"""The role variables the plan reads, with the role's defaults (``roles/cluster/defaults/main.yml``)."""

ROLE_KEYS = frozenset(("nodegroups", "ipacl", "kubeconfig", "addons"))
"""Keys of ``cluster_definition`` that are sections of their own, not ``nks_cluster`` options."""

IPACL_KEYS = ("enabled", "action", "targets", "purge_targets")
ADDON_KEYS = ("name", "version", "options", "resolve_conflicts", "state")
KUBECONFIG_DEFAULTS = dict(enabled=True, mode="0600", backup=False, merge=False)


def _given(values):
    """``values`` without its unset (``None``) entries."""
    return dict((key, value) for key, value in (values or {}).items() if value is not None)


def cluster_plan(variables):
    """The plan of one host's cluster.

    :param dict variables: the role's variables of the host (:data:`ROLE_VARIABLES`; missing
        ones take the role's defaults).
    :returns: ``dict`` with

        * ``name`` (str), ``spec`` (``cluster_definition`` over ``cluster_defaults``),
          ``kubeconfig`` (the kubeconfig section with its defaults: ``enabled``, ``mode``,
          ``backup``, ``merge``, ``dest`` = ``cluster_kubeconfig_dir/NAME.kubeconfig`` when unset),
          ``state``, ``wait_for``, ``wait_timeout`` (s);
        * ``cluster``: the ``nks_cluster`` options (``state`` present, ``wait_for``,
          ``wait_timeout``, every other given key of the spec);
        * ``nodegroups``: list of ``nks_nodegroup`` options (each entry over
          ``cluster_nodegroup_defaults``, with ``wait_for`` and ``wait_timeout``);
        * ``addons``: list of ``nks_addon`` options (with ``wait_timeout``);
        * ``ipacl``: the ``nks_ipacl`` options, or ``None`` when the spec has no ``ipacl``;
        * ``kubeconfig_file``: the ``nks_kubeconfig`` options, or ``None`` when disabled;
        * ``previews``: what check mode reports as created with a cluster that does not exist
          yet (list of str, the role's "Preview" tasks' messages).
    """
    values = dict(ROLE_VARIABLES)
    values.update(_given(variables))
    spec = dict(values["cluster_defaults"] or {})
    spec.update(values["cluster_definition"] or {})
    name = spec.get("name")
    timeout = spec.get("wait_timeout") or values["cluster_wait_timeout"]
    wait_for = values["cluster_wait_for"]
    kubeconfig = dict(KUBECONFIG_DEFAULTS)
    kubeconfig.update(_given(spec.get("kubeconfig")))
    if not kubeconfig.get("dest"):
        kubeconfig["dest"] = "%s/%s.kubeconfig" % (values["cluster_kubeconfig_dir"], name)

    cluster = _given(dict((k, v) for k, v in spec.items() if k not in ROLE_KEYS))
    cluster.update(state="present", wait_for=wait_for, wait_timeout=timeout)
    nodegroups = []
    for entry in spec.get("nodegroups") or []:
        group = dict(values["cluster_nodegroup_defaults"] or {})
        group.update(entry)
        group = _given(group)
        group.update(wait_for=wait_for, wait_timeout=group.get("wait_timeout") or values["cluster_wait_timeout"])
        nodegroups.append(group)
    addons = []
    for entry in spec.get("addons") or []:
        addon = _given(dict((k, entry.get(k)) for k in ADDON_KEYS))
        addon["wait_timeout"] = timeout
        addons.append(addon)
    ipacl = None
    if spec.get("ipacl") is not None:
        ipacl = _given(dict((k, spec["ipacl"].get(k)) for k in IPACL_KEYS))
        ipacl["wait_timeout"] = timeout
    kubeconfig_file = None
    if kubeconfig["enabled"]:
        kubeconfig_file = _given(dict((k, kubeconfig.get(k)) for k in ("dest", "mode", "backup", "merge", "context")))
    return dict(name=name, spec=spec, kubeconfig=kubeconfig, state=values["cluster_state"], wait_for=wait_for,
                wait_timeout=timeout, cluster=cluster, nodegroups=nodegroups, addons=addons, ipacl=ipacl,
                kubeconfig_file=kubeconfig_file, previews=previews(nodegroups, addons, ipacl, kubeconfig))


def previews(nodegroups, addons, ipacl, kubeconfig):
    """Check mode, a cluster that does not exist yet: what would be created with it (list of str)."""
    lines = []
    for group in nodegroups:
        if group.get("state", "present") == "present":
            lines.append("would be created: node group %s (%s nodes)" % (group.get("name"), group.get("node_count", "?")))
    for addon in addons:
        if addon.get("state", "present") == "present":
            lines.append("would be installed: add-on %s %s" % (addon.get("name"), addon.get("version", "(offered default)")))
    if ipacl and ipacl.get("enabled"):
        lines.append("would be created: IP ACL %s %s" % (ipacl.get("action") or "", ", ".join(
            t.get("cidr", "") if isinstance(t, dict) else str(t) for t in ipacl.get("targets") or [])))
    if kubeconfig.get("enabled"):
        lines.append("would be created: kubeconfig %s (mode %s)" % (kubeconfig["dest"], kubeconfig["mode"]))
    return lines
