# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role nhncloud.nks.cluster restates module options in ``meta/argument_specs.yml`` (checked against the modules'
argument specs by ``scripts/role-argspec.py``), plans every module task with ONE planner
(``module_utils/_cluster_plan.py``, used by ``tasks/present.yml`` through the filter ``cluster_role_spec`` and by
``nks_fleet``), and its tasks pass the plan's sections as their modules' options. These tests fail when a module
option is missing from the role, when the plan drops a role option, or when a task passes anything else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import subprocess
import sys

import pytest
import yaml

from ansible_collections.nhncloud.nks.plugins.module_utils._cluster_plan import cluster_plan

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")
ROLE = os.path.join(ROOT, "roles", "cluster")
SCRIPT = os.path.join(ROOT, "scripts", "role-argspec.py")


def _load(path):
    with open(os.path.join(ROLE, path)) as handle:
        return yaml.safe_load(handle)


def _script():
    """scripts/role-argspec.py as a module."""
    import importlib.util  # pylint: disable=import-outside-toplevel
    spec = importlib.util.spec_from_file_location("role_argspec", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_role_argument_spec_states_the_modules_options():
    """scripts/role-argspec.py finds no difference (and exits 0 as make test runs it)."""
    diffs = _script().check(ROLE)
    assert not diffs, "\n".join(diffs)


def test_the_script_runs_and_exits_zero():
    done = subprocess.run([sys.executable, SCRIPT, "--role", ROLE], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _every_option(options):
    """A value for every option of a role spec section (a list option: one entry of its sub-options)."""
    values = {}
    for name, option in options.items():
        sub = option.get("options")
        if option.get("type") == "list" and sub:
            values[name] = [_every_option(sub)]
        elif sub:
            values[name] = _every_option(sub)
        elif option.get("type") == "bool":
            values[name] = True
        elif option.get("type") in ("int", "float"):
            values[name] = 1
        elif option.get("choices"):
            values[name] = option["choices"][0]
        else:
            values[name] = "x-%s" % name
    return values


# plan section -> (cluster_definition key, the plan's list/dict of module options)
PLAN_SECTIONS = [(None, "cluster"), ("nodegroups", "nodegroups"), ("ipacl", "ipacl"), ("kubeconfig", "kubeconfig_file"),
                 ("addons", "addons")]


@pytest.mark.parametrize("key, section", PLAN_SECTIONS, ids=[s[1] for s in PLAN_SECTIONS])
def test_the_plan_passes_every_role_option(key, section):
    """Every option of a section of meta/argument_specs.yml reaches the plan's options of its module (none dropped)."""
    script = _script()
    role = script.role_options(script.role_specs(ROLE), None)
    definition = _every_option(role)
    definition["kubeconfig"]["enabled"] = True
    plan = cluster_plan(dict(cluster_definition=definition))
    planned = plan[section][0] if isinstance(plan[section], list) else plan[section]
    options = script.role_options(script.role_specs(ROLE), key)
    role_only = [s[3] for s in script.SECTIONS if s[0] == key][0]
    dropped = sorted(set(options) - set(role_only) - set(planned))
    assert not dropped, "cluster_definition%s: %s never passed to a module" % ("." + key if key else "", dropped)


SOURCES = {"nhncloud.nks.nks_cluster": "cluster__role.cluster", "nhncloud.nks.nks_nodegroup": "item",
           "nhncloud.nks.nks_ipacl": "cluster__role.ipacl", "nhncloud.nks.nks_kubeconfig": "cluster__role.kubeconfig_file",
           "nhncloud.nks.nks_addon": "item"}
LOOPS = {"nhncloud.nks.nks_nodegroup": "cluster__role.nodegroups", "nhncloud.nks.nks_addon": "cluster__role.addons"}
# the only parameters a converging task sets itself: the cluster's UUID, and the name (for the task's output)
OWN = {"cluster", "name"}


@pytest.mark.parametrize("path", ["tasks/present.yml", "tasks/addons.yml"])
def test_present_tasks_pass_their_plan_section(path):
    """Each converging task passes its module's plan section whole (module_defaults), nothing hand-written."""
    errors, seen = [], set()
    for task in _load(path):
        for module, source in SOURCES.items():
            if module not in task:
                continue
            seen.add(module)
            defaults = (task.get("module_defaults") or {}).get(module)
            if not re.match(r"^\{\{ *%s *\}\}$" % re.escape(source), str(defaults)):
                errors.append("%r: module_defaults %r, not {{ %s }}" % (task.get("name"), defaults, source))
            extra = sorted(set(task[module] or {}) - OWN)
            if extra:
                errors.append("%r: sets %s itself" % (task.get("name"), extra))
            if module in LOOPS and LOOPS[module] not in str(task.get("loop")):
                errors.append("%r: loops over %r, not %s" % (task.get("name"), task.get("loop"), LOOPS[module]))
    assert seen, path
    assert not errors, "\n".join(errors)


def test_the_fleet_records_the_plan_of_the_same_filter():
    """tasks/fleet.yml records each host's plan with the filter present.yml's plan comes from."""
    fleet = _load("tasks/fleet.yml")
    main = _load("tasks/main.yml")
    member = [t for t in fleet if "member" in (t.get("nhncloud.nks.nks_fleet") or {})][0]
    assert "nhncloud.nks.cluster_role_spec" in member["nhncloud.nks.nks_fleet"]["member"]["plan"]
    assert "nhncloud.nks.cluster_role_spec" in main[0]["vars"]["cluster__role"]
    for name in ("cluster_definition", "cluster_defaults", "cluster_nodegroup_defaults", "cluster_kubeconfig_dir",
                 "cluster_wait_timeout", "cluster_wait_for", "cluster_state"):
        assert "'%s': %s" % (name, name) in member["nhncloud.nks.nks_fleet"]["member"]["plan"], name
        assert "'%s': %s" % (name, name) in main[0]["vars"]["cluster__role"], name
