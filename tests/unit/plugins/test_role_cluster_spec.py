# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role nhncloud.nks.cluster restates module options in ``meta/argument_specs.yml``, and its tasks pass them as
task parameters or, a whole section at once, as the task's ``module_defaults`` (``tasks/present.yml``). These tests
fail when either drifts from the modules' ``argument_spec``
(option names, types, list elements, choices, ``required`` of suboptions, ``no_log``, and defaults where the
role restates one), so an option added to, renamed in or retyped in a module must be carried into the role.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest
import yaml

from ansible_collections.nhncloud.nks.plugins.module_utils._module import wait_argument_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.cluster import NksCluster
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.ipacl import NksIpAcl
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.kubeconfig import NksKubeconfig
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.nodegroup import NksNodegroup

ROLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "roles", "cluster")

# (key under cluster_definition, module class, module options the role does not take (and why),
#  role-only keys)
SECTIONS = [
    # state: the role's cluster_state; wait: the role always waits; wait_for: the role's cluster_wait_for.
    # addons: converged by nhncloud.nks.nks_addon after the cluster (a list of its options).
    (None, NksCluster, {"state", "wait", "wait_for"}, {"nodegroups", "ipacl", "kubeconfig", "addons"}),
    # cluster: the role's own cluster; node_action/node_ids: day-2 node operations, not a build;
    # wait_for: the role's cluster_wait_for.
    ("nodegroups", NksNodegroup, {"cluster", "wait", "wait_for", "node_action", "node_ids"}, set()),
    # wait_timeout: the cluster's (cluster_definition.wait_timeout).
    ("ipacl", NksIpAcl, {"cluster", "wait", "wait_timeout"}, set()),
    # state: the role's cluster_state; return_content: the role never returns the keys; merge/context/force:
    # the role writes a file of its own per cluster (<cluster_kubeconfig_dir>/<name>.kubeconfig), with entries
    # named after the cluster; merging into a shared kubeconfig is nks_kubeconfig's job.
    ("kubeconfig", NksKubeconfig, {"cluster", "state", "return_content", "merge", "context", "force"}, {"enabled"}),
]

# task file -> module -> (the variable the task reads options from, the cluster_definition key it covers)
TASK_SOURCES = {
    "nhncloud.nks.nks_cluster": ("cluster__spec", None),
    "nhncloud.nks.nks_nodegroup": ("cluster__ng", "nodegroups"),
    "nhncloud.nks.nks_ipacl": ("cluster__spec.ipacl", "ipacl"),
    "nhncloud.nks.nks_kubeconfig": ("cluster__kubeconfig", "kubeconfig"),
}
MODULES = {"nhncloud.nks.nks_cluster": NksCluster, "nhncloud.nks.nks_nodegroup": NksNodegroup,
           "nhncloud.nks.nks_ipacl": NksIpAcl, "nhncloud.nks.nks_kubeconfig": NksKubeconfig}


def _load(path):
    with open(os.path.join(ROLE, path)) as handle:
        return yaml.safe_load(handle)


def _role_options(key):
    """The options of ``cluster_definition`` (key None) or of one of its keys, from meta/argument_specs.yml."""
    options = _load("meta/argument_specs.yml")["argument_specs"]["main"]["options"]["cluster_definition"]["options"]
    return options if key is None else options[key]["options"]


def _module_options(cls):
    """The module's own options plus wait/wait_timeout when it waits (connection options are not role input)."""
    spec = dict(wait_argument_spec()) if cls.waits else {}
    spec.update(cls.argument_spec)
    return spec


def _compare(role, module, path):
    """Differences between a role option and a module option (recursively through suboptions), as strings."""
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
        diffs.extend(_compare(sub_role[name], sub_module[name], sub))
    return diffs


@pytest.mark.parametrize("key, cls, skipped, role_only", SECTIONS, ids=[s[0] or "cluster" for s in SECTIONS])
def test_argument_specs_match_the_module(key, cls, skipped, role_only):
    """meta/argument_specs.yml states every option of the module with the module's type, choices and defaults."""
    role, module = _role_options(key), _module_options(cls)
    prefix = "cluster_definition" + ("." + key if key else "")
    missing = sorted(set(module) - set(role) - skipped)
    unknown = sorted(set(role) - set(module) - role_only)
    assert not missing, "%s lacks module options %s" % (prefix, missing)
    assert not unknown, "%s has options no module takes: %s" % (prefix, unknown)
    diffs = []
    for name in sorted(set(role) & set(module)):
        diffs.extend(_compare(role[name], module[name], "%s.%s" % (prefix, name)))
    assert not diffs, "\n".join(diffs)


def _module_tasks():
    """``(file, task name, module, parameters)`` of every nhncloud.nks task of the role."""
    for name in sorted(os.listdir(os.path.join(ROLE, "tasks"))):
        for task in _load("tasks/" + name) or []:
            for module in MODULES:
                if module in task:
                    yield name, task.get("name"), module, task[module] or {}


# The one form in which a task passes a whole section of the role's input to its module (module_defaults of the
# task): the section itself, or the section without some keys (the role's own, which no module takes).
SPLAT = re.compile(r"^\{\{ *(?P<source>[\w.]+)(?: \| dict2items \| rejectattr\('key', 'in', \[(?P<rejected>[^\]]*)\]\)"
                   r" \| items2dict)? *\}\}$")


def _splats():
    """``(file, task name, module, source variable, rejected keys)`` of every task whose ``module_defaults``
    pass a section of the role's input to its module; a ``module_defaults`` in another form is an error."""
    for name in sorted(os.listdir(os.path.join(ROLE, "tasks"))):
        for task in _load("tasks/" + name) or []:
            for module, value in (task.get("module_defaults") or {}).items():
                match = SPLAT.match(str(value))
                assert module in MODULES and match, "%s, %r: module_defaults %s: %r is not the form %s" % (
                    name, task.get("name"), module, value, SPLAT.pattern)
                rejected = set(re.findall(r"'(\w+)'", match.group("rejected") or ""))
                yield name, task.get("name"), module, match.group("source"), rejected


def test_module_defaults_pass_a_whole_section_and_leave_out_only_role_keys():
    """A task passing a section wholesale reads its own module's section and leaves out only role-only keys."""
    errors = []
    for name, title, module, source, rejected in _splats():
        if source != TASK_SOURCES[module][0]:
            errors.append("%s, %r: %s reads %s, not %s" % (name, title, module, source, TASK_SOURCES[module][0]))
        section = [s for s in SECTIONS if s[0] == TASK_SOURCES[module][1]][0]
        dropped = sorted(rejected - section[3])
        if dropped:
            errors.append("%s, %r: leaves out %s, options of %s" % (name, title, dropped, module))
    assert not errors, "\n".join(errors)


def test_task_parameters_are_module_options_read_from_the_same_name():
    """Each parameter is an option of its module, and reads the role option of the same name (no typo)."""
    errors = []
    for name, title, module, params in _module_tasks():
        options = _module_options(MODULES[module])
        source = re.escape(TASK_SOURCES[module][0])
        for param, value in params.items():
            if param not in options:
                errors.append("%s, %r: %s takes no option %s" % (name, title, module, param))
            read = re.match(r"^\{\{ *%s\.(\w+)\b" % source, str(value))
            if read and read.group(1) != param:
                errors.append("%s, %r: %s reads %s" % (name, title, param, read.group(0)))
    assert not errors, "\n".join(errors)


def test_tasks_pass_every_role_option():
    """Every option of meta/argument_specs.yml reaches a task of tasks/present.yml (none is silently dropped)."""
    passed = {}
    for name, _title, module, params in _module_tasks():
        if name == "present.yml":
            passed.setdefault(TASK_SOURCES[module][1], set()).update(params)
    for name, _title, module, _source, rejected in _splats():
        if name == "present.yml":
            key = TASK_SOURCES[module][1]
            passed.setdefault(key, set()).update(set(_role_options(key)) - rejected)
    errors = []
    for key, _cls, _skipped, role_only in SECTIONS:
        dropped = sorted(set(_role_options(key)) - role_only - passed.get(key, set()))
        if dropped:
            errors.append("cluster_definition%s: %s never passed to a module" % ("." + key if key else "", dropped))
    assert not errors, "\n".join(errors)
