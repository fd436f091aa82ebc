# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the option ranges (``_validation.NUMERIC_RANGES``: a table test over every
module's argument spec) and of the controller's create lock (``_engine.CreateLock``)."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import threading
import time

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils import _tasks as modules_package
from ansible_collections.nhncloud.nks.plugins.module_utils import _engine
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (CreateLock, Resource, StateMachine,
                                                                           Waiter)
from ansible_collections.nhncloud.nks.plugins.module_utils._fleet import (fleet_argument_spec,
                                                                          phase_argument_spec)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import NksModule, auth_argument_spec
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import (NUMERIC_RANGES, ValidationError,
                                                                               check_ranges, numeric_options)


def module_specs():
    """``(name, argument spec)`` of every module of the collection and of the action plugins that
    validate their own options (``nks_wait``, ``nks_fleet``)."""
    specs = []
    for info in pkgutil.iter_modules(modules_package.__path__):
        module = importlib.import_module("%s.%s" % (modules_package.__name__, info.name))
        for dummy, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, NksModule) and cls is not NksModule and cls.__module__ == module.__name__:
                specs.append((cls.name, cls.full_argument_spec()))
    wait_spec = auth_argument_spec()
    wait_spec.update(fleet_argument_spec())
    specs.append(("nks_wait (action)", wait_spec))
    fleet_spec = auth_argument_spec()
    fleet_spec.update(phase_argument_spec())
    specs.append(("nks_fleet (action)", fleet_spec))
    return specs


SPECS = module_specs()


def test_every_module_is_found():
    names = set(name for name, dummy in SPECS)
    assert {"nks_cluster", "nks_nodegroup", "nks_autoscale", "nks_ipacl", "nks_fleet_upgrade"} <= names, names


@pytest.mark.parametrize("name, spec", SPECS, ids=[name for name, dummy in SPECS])
def test_every_numeric_option_has_a_declared_range(name, spec):
    missing = [path for path, dummy in numeric_options(spec) if path not in NUMERIC_RANGES]
    assert not missing, "%s: numeric options without a range in _validation.NUMERIC_RANGES: %s" % (name, missing)


def test_no_stale_range():
    used = set(path for dummy, spec in SPECS for path, dummy2 in numeric_options(spec))
    assert set(NUMERIC_RANGES) - used == set()


@pytest.mark.parametrize("name, spec", SPECS, ids=[name for name, dummy in SPECS])
def test_each_range_refuses_its_bounds(name, spec):
    """Just outside each bound fails naming the option; the bound itself passes."""
    for path, option in numeric_options(spec):
        minimum, maximum = NUMERIC_RANGES[path]
        for value, ok in ((minimum, True), (minimum - 1, False)) + (
                ((maximum, True), (maximum + 1, False)) if maximum is not None else ()):
            params = nested(path, value)
            if ok:
                check_ranges(spec, params)
            else:
                with pytest.raises(ValidationError) as err:
                    check_ranges(spec, params)
                assert err.value.option == path


def nested(path, value):
    """``{"a": {"b": value}}`` for ``a.b``; a list option's suboption gets a list of one dict."""
    head, dot, rest = path.partition(".")
    if not dot:
        return {head: value}
    return {head: [nested(rest, value)] if head == "extra_volumes" else nested(rest, value)}


@pytest.mark.parametrize("params, option, words", [
    ({"wait_timeout": -5}, "wait_timeout", "must be at least 0, got -5"),
    ({"node_count": 11}, "node_count", "must be between 1 and 10 (at most 10), got 11"),
    ({"node_count": 0}, "node_count", "must be between 1 and 10 (at least 1), got 0"),
    ({"http_timeout": 0.0}, "http_timeout", "at least 0.1"),
])
def test_examples(params, option, words):
    spec = dict(auth_argument_spec(), wait_timeout=dict(type="int"), node_count=dict(type="int"))
    with pytest.raises(ValidationError) as err:
        check_ranges(spec, params)
    assert err.value.option == option and words in str(err.value)


def test_wait_timeout_zero_means_do_not_wait():
    class Res(Resource):
        kind = "cluster"

        def __init__(self):
            self.created = False

        def find(self):
            return None

        def create(self):
            self.created = True
            return {"uuid": "u"}

        def fetch(self, obj):
            return {"uuid": "u", "name": "n", "status": "CREATE_IN_PROGRESS"}

        def view(self, obj):
            return dict(obj)

    machine = StateMachine(Res(), False, True, Waiter(0))
    changed, obj, dummy, after = machine.present()
    assert changed and after["status"] == "CREATE_IN_PROGRESS"


# -- the create lock -------------------------------------------------------------------------------

@pytest.fixture
def lockdir(tmp_path, monkeypatch):
    path = tmp_path / "locks"
    path.mkdir(mode=0o700)
    monkeypatch.setattr(_engine, "lock_directory", lambda: str(path))
    return path


def test_lock_serialises_and_tells_the_second(lockdir):
    order = []
    first_in = threading.Event()

    def first():
        with CreateLock("k") as lock:
            assert lock.held
            order.append("first in")
            first_in.set()
            time.sleep(0.5)
            lock.mark()
            order.append("first out")

    thread = threading.Thread(target=first)
    looked = time.time()
    thread.start()
    first_in.wait(5)
    with CreateLock("k") as lock:
        order.append("second in")
        assert lock.changed_since(looked)
    thread.join()
    assert order == ["first in", "first out", "second in"]


def test_lock_of_other_key_does_not_wait(lockdir):
    with CreateLock("a"):
        started = time.monotonic()
        with CreateLock("b") as other:
            assert other.held
        assert time.monotonic() - started < 0.5


def test_fresh_or_old_lock_file_means_nobody_created_meanwhile(lockdir):
    with CreateLock("k") as lock:
        assert not lock.changed_since(time.time() - 60)  # created just now: fresh
    looked = time.time() + 5
    with CreateLock("k") as lock:
        assert not lock.changed_since(looked)


def test_unsafe_lock_directory_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(_engine.tempfile, "gettempdir", lambda: str(tmp_path))
    path = tmp_path / ("nhncloud.nks-%d" % os.getuid())
    path.mkdir(mode=0o777)
    os.chmod(str(path), 0o777)
    assert _engine.lock_directory() is None
    with CreateLock("k") as lock:
        assert not lock.held  # goes on without a lock


class World(object):
    """What two runs see: the clusters created so far."""

    def __init__(self):
        self.clusters = []
        self.creates = 0
        self.lock = threading.Lock()


class Named(Resource):
    kind = "cluster"

    def __init__(self, world, slow=0.0, found=None):
        self.world = world
        self.slow = slow
        self.found = found

    def describe(self):
        return "cluster 'twin'"

    def find(self):
        if self.found is not None:  # this run looked before the other one created
            found, self.found = self.found, None
            return found[0]
        return self.world.clusters[0] if self.world.clusters else None

    def fetch(self, obj):
        return self.world.clusters[0] if self.world.clusters else None

    def create(self):
        time.sleep(self.slow)
        with self.world.lock:
            self.world.creates += 1
            self.world.clusters.append({"uuid": "u%d" % self.world.creates, "name": "twin",
                                        "status": "CREATE_COMPLETE"})
        return {"uuid": "u%d" % self.world.creates}

    def view(self, obj):
        return dict(obj)


def test_two_runs_create_once(lockdir):
    """Both runs look before either creates; the second waits for the lock, looks again and attaches."""
    world = World()
    results = {}

    def run(name, resource):
        results[name] = StateMachine(resource, False, False, Waiter(60)).present()

    first = threading.Thread(target=run, args=("a", Named(world, slow=0.5, found=[None])))
    first.start()
    time.sleep(0.2)
    run("b", Named(world, found=[None]))
    first.join()
    assert world.creates == 1
    assert results["a"][1]["uuid"] == results["b"][1]["uuid"] == "u1"
