#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that the role nhncloud.nks.cluster's argument spec restates the modules' options exactly.

``roles/cluster/meta/argument_specs.yml`` documents, under ``cluster_definition``, the options of
``nks_cluster`` and, under its sections ``nodegroups``, ``ipacl``, ``kubeconfig`` and ``addons``,
those of ``nks_nodegroup``, ``nks_ipacl``, ``nks_kubeconfig`` and ``nks_addon`` (role documentation
needs the text there). This script compares every option with the module's argument spec (the one
definition: ``module_utils/_tasks``, :func:`task_class`): names, ``type``, ``elements``, ``choices``,
``no_log``, ``required`` of sub-options and defaults where the role restates one; the entry points
``main`` and ``fleet`` must have the same options. Run by ``tests/unit/plugins/test_role_cluster_spec.py``
(``make units``, ``make test``).

Usage: scripts/role-argspec.py [--role roles/cluster]   exit 0 when they agree, else 1 and one line per difference.
With ``--list SECTION`` it prints the module options a section must state (a skeleton to fill in for a new option).
"""

from __future__ import absolute_import, division, print_function

import argparse
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _importable():
    """Make ``ansible_collections.nhncloud.nks`` importable: the checkout's ``.build/collections`` link
    (``make venv``), or the ``ansible_collections`` tree this collection sits in."""
    try:
        import ansible_collections.nhncloud.nks.plugins  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
        return
    except ImportError:
        pass
    above = os.path.dirname(os.path.dirname(os.path.dirname(ROOT)))
    for path in (os.path.join(ROOT, ".build", "collections"), above):
        if os.path.isdir(os.path.join(path, "ansible_collections")):
            sys.path.insert(0, path)
            return


# (key under cluster_definition, module, module options the role does not take (and why), role-only keys)
SECTIONS = [
    # state: the role's cluster_state; wait: the plan decides; wait_for: the role's cluster_wait_for.
    (None, "nks_cluster", {"state", "wait", "wait_for"}, {"nodegroups", "ipacl", "kubeconfig", "addons"}),
    # cluster: the role's own cluster; node_action/node_ids: day-2 node operations, not a build;
    # wait_for: the role's cluster_wait_for.
    ("nodegroups", "nks_nodegroup", {"cluster", "wait", "wait_for", "node_action", "node_ids"}, set()),
    # wait_timeout: the cluster's (cluster_definition.wait_timeout).
    ("ipacl", "nks_ipacl", {"cluster", "wait", "wait_timeout"}, set()),
    # state: the role's cluster_state; return_content: the role never returns the keys; force: the role's file is
    # its own per cluster.
    ("kubeconfig", "nks_kubeconfig", {"cluster", "state", "return_content", "force"}, {"enabled"}),
    # cluster: the role's own cluster; wait, wait_timeout: the cluster's.
    ("addons", "nks_addon", {"cluster", "wait", "wait_timeout"}, set()),
]


def module_options(name):
    """A module's own options (``wait``/``wait_timeout`` included when it waits; the connection options are
    not role input), from the one definition of its work (:func:`..module_utils._tasks.task_class`)."""
    # pylint: disable=import-outside-toplevel
    from ansible_collections.nhncloud.nks.plugins.module_utils._module import wait_argument_spec
    from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.runner import task_class
    cls = task_class(name)
    spec = dict(wait_argument_spec()) if cls.waits else {}
    spec.update(cls.argument_spec)
    return spec


def role_specs(role):
    """``argument_specs`` of the role (dict)."""
    with open(os.path.join(role, "meta", "argument_specs.yml")) as handle:
        return yaml.safe_load(handle)["argument_specs"]


def role_options(specs, key, entry="main"):
    """The options of ``cluster_definition`` (key None) or of one of its sections."""
    options = specs[entry]["options"]["cluster_definition"]["options"]
    return options if key is None else options[key]["options"]


def compare(role, module, path):
    """Differences between a role option and a module option (through sub-options), as strings."""
    diffs = []
    for attr, default in (("type", "str"), ("elements", None), ("choices", None), ("no_log", False)):
        if role.get(attr, default) != module.get(attr, default):
            diffs.append("%s: %s is %r in the role, %r in the module"
                         % (path, attr, role.get(attr, default), module.get(attr, default)))
    if "default" in role and role["default"] != module.get("default"):
        diffs.append("%s: default %r in the role, %r in the module" % (path, role["default"], module.get("default")))
    sub_role, sub_module = role.get("options") or {}, module.get("options") or {}
    for name in sorted(set(sub_role) | set(sub_module)):
        sub = "%s.%s" % (path, name)
        if name not in sub_module or name not in sub_role:
            diffs.append("%s: only in the %s" % (sub, "role" if name in sub_role else "module"))
            continue
        if bool(sub_role[name].get("required")) != bool(sub_module[name].get("required")):
            diffs.append("%s: required differs" % sub)
        diffs.extend(compare(sub_role[name], sub_module[name], sub))
    return diffs


def check(role):
    """Every difference between the role's argument spec and the modules' (list of str; empty: they agree)."""
    specs = role_specs(role)
    diffs = []
    if specs.get("fleet", {}).get("options") != specs["main"]["options"]:
        diffs.append("entry points main and fleet differ in their options")
    for key, module, skipped, role_only in SECTIONS:
        prefix = "cluster_definition" + ("." + key if key else "")
        ours, theirs = role_options(specs, key), module_options(module)
        diffs.extend("%s: lacks option %s of %s" % (prefix, name, module) for name in sorted(set(theirs) - set(ours) - skipped))
        diffs.extend("%s: option %s is no option of %s" % (prefix, name, module)
                     for name in sorted(set(ours) - set(theirs) - role_only))
        for name in sorted(set(ours) & set(theirs)):
            diffs.extend(compare(ours[name], theirs[name], "%s.%s" % (prefix, name)))
    return diffs


def skeleton(key):
    """The module options section ``key`` must state, as YAML (type, elements, choices, no_log, default)."""
    section = [s for s in SECTIONS if (s[0] or "cluster") == key][0]
    out = {}
    for name, option in sorted(module_options(section[1]).items()):
        if name not in section[2]:
            kept = ("type", "elements", "choices", "no_log", "default", "required")
            out[name] = dict((k, v) for k, v in option.items() if k in kept)
    return yaml.safe_dump(out, default_flow_style=False, sort_keys=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--role", default=os.path.join(ROOT, "roles", "cluster"))
    parser.add_argument("--list", metavar="SECTION", help="cluster, nodegroups, ipacl, kubeconfig or addons")
    args = parser.parse_args(argv)
    _importable()
    if args.list:
        sys.stdout.write(skeleton(args.list))
        return 0
    diffs = check(args.role)
    for line in diffs:
        print("role-argspec: %s" % line)
    if not diffs:
        print("role-argspec: roles/cluster/meta/argument_specs.yml states the modules' options")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
