# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_engine.py with a fake resource and a fake clock.

Nothing here sleeps: the fake clock's ``sleep`` only moves its time forward.
"""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    NksApiError,
    NksConnectionError,
    backoff_delays,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (
    Change,
    NksOperationFailed,
    NksWaitTimeout,
    Resource,
    StateMachine,
    Waiter,
    diff_result,
    failed,
    in_progress,
    status_of,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError


class FakeClock(object):
    """``clock`` and ``sleeper`` for :class:`Waiter`: time moves only when slept."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def nks_obj(status, **extra):
    data = {"uuid": "c-1", "name": "demo", "status": status, "node_count": 1}
    data.update(extra)
    return data


class Script(object):
    """A fetch function answering a scripted list; the last answer repeats."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, *_args):
        self.calls += 1
        if len(self.answers) > 1:
            return self.answers.pop(0)
        return self.answers[0]


def waiter(clock, timeout=600.0, **kwargs):
    kwargs.setdefault("initial", 1.0)
    kwargs.setdefault("factor", 2.0)
    kwargs.setdefault("maximum", 8.0)
    kwargs.setdefault("not_found_grace", 30.0)
    return Waiter(timeout, clock=clock, sleeper=clock.sleep, **kwargs)


# -- status helpers ---------------------------------------------------------

@pytest.mark.parametrize("status, running, bad", [
    ("CREATE_IN_PROGRESS", True, False),
    ("UPDATE_IN_PROGRESS", True, False),
    ("DELETE_IN_PROGRESS", True, False),
    ("CREATE_COMPLETE", False, False),
    ("UPDATE_FAILED", False, True),
    ("ROLLBACK_FAILED", False, True),
    ("", False, False),
])
def test_status_helpers(status, running, bad):
    assert in_progress({"status": status}) is running
    assert failed({"status": status}) is bad


def test_status_of_tolerates_none():
    assert status_of(None) == ""
    assert status_of({"status": None}) == ""
    assert not in_progress(None)


def test_diff_result():
    assert diff_result(None, {"a": 1}) == {"before": {}, "after": {"a": 1}}
    assert diff_result({"a": 1}, None) == {"before": {"a": 1}, "after": {}}


# -- backoff ------------------------------------------------------------------

def test_backoff_delays_grow_and_are_capped():
    delays = backoff_delays(1.0, 2.0, 10.0)
    got = [next(delays) for dummy in range(8)]
    expected = [1, 2, 4, 8, 10, 10, 10, 10]
    for value, nominal in zip(got, expected):
        assert 0.9 * nominal <= value <= nominal
    assert max(got) <= 10.0


# -- Waiter.until_settled ---------------------------------------------------

def test_until_settled_returns_on_complete():
    clock = FakeClock()
    fetch = Script(nks_obj("CREATE_IN_PROGRESS"), nks_obj("CREATE_IN_PROGRESS"), nks_obj("CREATE_COMPLETE"))
    w = waiter(clock)
    assert w.until_settled(fetch, "cluster 'demo'") == nks_obj("CREATE_COMPLETE")
    assert fetch.calls == 3
    assert len(clock.sleeps) == 2 == w.polls


def test_until_settled_returns_at_once_when_settled():
    clock = FakeClock()
    fetch = Script(nks_obj("UPDATE_COMPLETE"))
    assert waiter(clock).until_settled(fetch, "cluster 'demo'")["status"] == "UPDATE_COMPLETE"
    assert fetch.calls == 1
    assert clock.sleeps == []


def test_until_settled_raises_on_failed_with_reason():
    clock = FakeClock()
    fetch = Script(nks_obj("UPDATE_IN_PROGRESS"),
                   nks_obj("UPDATE_FAILED", status_reason="Quota exceeded for instances"))
    with pytest.raises(NksOperationFailed) as err:
        waiter(clock).until_settled(fetch, "cluster 'demo'")
    assert err.value.status == "UPDATE_FAILED"
    assert err.value.reason == "Quota exceeded for instances"
    assert err.value.resource == "cluster 'demo'"
    assert "Quota exceeded for instances" in str(err.value)
    assert "cluster 'demo' is UPDATE_FAILED" in str(err.value)


def test_until_settled_failed_without_reason():
    with pytest.raises(NksOperationFailed) as err:
        waiter(FakeClock()).until_settled(Script(nks_obj("CREATE_FAILED")), "cluster 'demo'")
    assert "no status_reason given" in str(err.value)


def test_until_settled_times_out_naming_resource_status_and_time():
    clock = FakeClock()
    fetch = Script(nks_obj("UPDATE_IN_PROGRESS"))
    start = clock.now
    with pytest.raises(NksWaitTimeout) as err:
        waiter(clock, timeout=60.0).until_settled(fetch, "node group 'pool-1'")
    message = str(err.value)
    assert "node group 'pool-1'" in message
    assert "UPDATE_IN_PROGRESS" in message
    assert "60 s" in message
    assert err.value.resource == "node group 'pool-1'"
    assert err.value.status == "UPDATE_IN_PROGRESS"
    assert err.value.waited == pytest.approx(60.0, abs=0.1)
    # It never sleeps past the timeout.
    assert clock.now - start == pytest.approx(60.0)


def test_until_settled_tolerates_404_within_grace():
    clock = FakeClock()
    fetch = Script(None, None, nks_obj("CREATE_IN_PROGRESS"), nks_obj("CREATE_COMPLETE"))
    result = waiter(clock, not_found_grace=30.0).until_settled(fetch, "cluster 'demo'")
    assert result["status"] == "CREATE_COMPLETE"
    assert clock.now - 1000.0 < 30.0


def test_until_settled_404_beyond_grace_fails():
    clock = FakeClock()
    with pytest.raises(NksOperationFailed) as err:
        waiter(clock, not_found_grace=30.0).until_settled(Script(None), "cluster 'demo'")
    assert err.value.status == "NOT_FOUND"
    assert clock.now - 1000.0 > 30.0
    assert "disappeared" in str(err.value)


def test_until_settled_404_times_out_when_timeout_shorter_than_grace():
    clock = FakeClock()
    with pytest.raises(NksWaitTimeout) as err:
        waiter(clock, timeout=5.0, not_found_grace=30.0).until_settled(Script(None), "cluster 'x'")
    assert err.value.status == "NOT_FOUND"


def test_waiter_delays_grow_and_are_capped():
    clock = FakeClock()
    fetch = Script(*([nks_obj("UPDATE_IN_PROGRESS")] * 9 + [nks_obj("UPDATE_COMPLETE")]))
    waiter(clock, initial=1.0, factor=2.0, maximum=5.0).until_settled(fetch, "cluster 'demo'")
    nominal = [1, 2, 4, 5, 5, 5, 5, 5, 5]
    assert len(clock.sleeps) == len(nominal)
    for value, expected in zip(clock.sleeps, nominal):
        assert 0.9 * expected <= value <= expected
    assert clock.sleeps[2] > clock.sleeps[1] > clock.sleeps[0]


# -- Waiter.until_gone ------------------------------------------------------

def test_until_gone():
    clock = FakeClock()
    fetch = Script(nks_obj("DELETE_IN_PROGRESS"), nks_obj("DELETE_IN_PROGRESS"), None)
    assert waiter(clock).until_gone(fetch, "cluster 'demo'") is None
    assert fetch.calls == 3
    assert len(clock.sleeps) == 2


def test_until_gone_raises_on_delete_failed():
    fetch = Script(nks_obj("DELETE_IN_PROGRESS"), nks_obj("DELETE_FAILED", status_reason="stack busy"))
    with pytest.raises(NksOperationFailed) as err:
        waiter(FakeClock()).until_gone(fetch, "cluster 'demo'")
    assert err.value.status == "DELETE_FAILED"
    assert err.value.reason == "stack busy"


def test_until_gone_times_out():
    clock = FakeClock()
    with pytest.raises(NksWaitTimeout) as err:
        waiter(clock, timeout=30.0).until_gone(Script(nks_obj("DELETE_IN_PROGRESS")), "cluster 'demo'")
    assert "DELETE_IN_PROGRESS" in str(err.value)
    assert "cluster 'demo'" in str(err.value)


# -- a fake resource --------------------------------------------------------

class FakeResource(Resource):
    """An in-memory resource that records every call, in order, in ``events``.

    ``current`` is what the API holds (``None`` = absent). Writes only change
    ``current``; ``after_create`` / ``after_delete`` script what the next reads show.
    """

    kind = "cluster"

    def __init__(self, current=None, reads=None, plan=None, create_effects=None,
                 after_create=None, fail_validation=False):
        self.current = current
        self.reads = list(reads or [])
        self._plan = plan or []
        self.create_effects = list(create_effects or [])
        self.after_create = after_create
        self.fail_validation = fail_validation
        self.events = []
        self.planned_with = None

    def count(self, name):
        return sum(1 for event in self.events if event == name)

    def describe(self):
        return "cluster 'demo'"

    def _read(self):
        if self.reads:
            self.current = self.reads.pop(0)
        return self.current

    def find(self):
        self.events.append("find")
        return self._read()

    def fetch(self, obj):
        self.events.append("fetch")
        return self._read()

    def view(self, obj):
        if obj is None:
            return None
        return {"name": obj["name"], "status": obj["status"], "node_count": obj["node_count"]}

    def validate_create(self):
        self.events.append("validate")
        if self.fail_validation:
            raise ValidationError("name", "bad")

    def create(self):
        self.events.append("create")
        # Each effect: (exception to raise or None, did the create happen?).
        exc, happened = self.create_effects.pop(0) if self.create_effects else (None, True)
        if happened:
            self.current = self.after_create
        if exc is not None:
            raise exc
        return {"uuid": "c-1"}

    def predict_create(self):
        self.events.append("predict")
        return {"name": "demo", "status": "CREATE_COMPLETE", "node_count": 3}

    def plan(self, obj):
        self.events.append("plan")
        self.planned_with = obj
        return self._plan

    def delete(self, obj):
        self.events.append("delete")
        self.current = nks_obj("DELETE_IN_PROGRESS")
        self.reads = [nks_obj("DELETE_IN_PROGRESS"), None]


def machine(resource, check_mode=False, wait=True, create_attempts=3):
    clock = FakeClock()
    sm = StateMachine(resource, check_mode=check_mode, wait=wait,
                      waiter=waiter(clock, timeout=600.0),
                      create_attempts=create_attempts, sleeper=clock.sleep)
    sm.clock = clock
    return sm


MUTATIONS = ("create", "delete", "apply")


# -- present: create ----------------------------------------------------------

def test_present_creates_when_absent_and_waits():
    res = FakeResource(current=None, after_create=nks_obj("CREATE_IN_PROGRESS"),
                       reads=[None, nks_obj("CREATE_IN_PROGRESS"), nks_obj("CREATE_IN_PROGRESS"),
                              nks_obj("CREATE_COMPLETE")])
    changed, result, before, after = machine(res).present()
    assert changed is True
    assert result["status"] == "CREATE_COMPLETE"
    assert before is None
    assert after == {"name": "demo", "status": "CREATE_COMPLETE", "node_count": 1}
    assert res.count("create") == 1
    assert res.events.index("validate") < res.events.index("create")


def test_present_create_without_wait_does_not_poll():
    res = FakeResource(current=None, after_create=nks_obj("CREATE_IN_PROGRESS"),
                       reads=[None, nks_obj("CREATE_IN_PROGRESS")])
    sm = machine(res, wait=False)
    changed, result, _before, after = sm.present()
    assert changed is True
    assert result["status"] == "CREATE_IN_PROGRESS"
    assert after["status"] == "CREATE_IN_PROGRESS"
    assert sm.clock.sleeps == []


def test_present_check_mode_predicts_and_sends_nothing():
    res = FakeResource(current=None)
    changed, result, before, after = machine(res, check_mode=True).present()
    assert (changed, result, before) == (True, None, None)
    assert after == {"name": "demo", "status": "CREATE_COMPLETE", "node_count": 3}
    assert all(res.count(m) == 0 for m in MUTATIONS)
    assert "validate" in res.events  # check mode still refuses bad input


def test_present_validation_error_before_any_request():
    res = FakeResource(current=None, fail_validation=True)
    with pytest.raises(ValidationError):
        machine(res).present()
    assert res.count("create") == 0


def test_present_existing_create_failed_raises():
    res = FakeResource(current=nks_obj("CREATE_FAILED", status_reason="no quota"))
    with pytest.raises(NksOperationFailed) as err:
        machine(res).present()
    assert "no quota" in str(err.value)
    assert "state=absent" in str(err.value)
    assert all(res.count(m) == 0 for m in MUTATIONS)


@pytest.mark.parametrize("status", ["UPDATE_FAILED", "DELETE_FAILED", "RESUME_FAILED"])
def test_present_any_failed_status_says_what_to_do_before_any_request(status):
    res = FakeResource(current=nks_obj(status, status_reason="heat stack failed"))
    with pytest.raises(NksOperationFailed) as err:
        machine(res, check_mode=True).present()
    assert "heat stack failed" in str(err.value)
    assert "only a delete" in str(err.value)
    assert "create it again" in str(err.value)
    assert err.value.status == status
    assert all(res.count(m) == 0 for m in MUTATIONS)


def test_absent_deletes_a_failed_resource():
    res = FakeResource(current=nks_obj("UPDATE_FAILED"))
    changed, _before = machine(res, wait=False).absent()
    assert changed is True
    assert res.count("delete") == 1


# -- present: lost and refused creates -------------------------------------

def test_create_recovers_a_lost_answer_without_duplicate():
    created = nks_obj("CREATE_IN_PROGRESS")
    res = FakeResource(current=None, after_create=created,
                       create_effects=[(NksConnectionError("reset", "POST", "/v1/clusters"), True)])
    res.reads = [None]  # the first find: absent; afterwards, what create left behind
    sm = machine(res, wait=False)
    changed, result, _b, _a = sm.present()
    assert changed is True
    assert result["uuid"] == "c-1"
    assert res.count("create") == 1
    # Looked up again (after a pause) before deciding.
    assert res.events == ["find", "validate", "create", "find"]
    assert len(sm.clock.sleeps) == 1


def test_create_retries_when_the_resource_does_not_exist():
    res = FakeResource(current=None, after_create=nks_obj("CREATE_IN_PROGRESS"),
                       create_effects=[(NksConnectionError("timeout"), False), (None, True)])
    sm = machine(res, wait=False)
    changed, result, _b, _a = sm.present()
    assert changed is True
    assert result["status"] == "CREATE_IN_PROGRESS"
    assert res.count("create") == 2


@pytest.mark.parametrize("attempts", [1, 3, 5])
def test_create_gives_up_after_create_attempts(attempts):
    res = FakeResource(current=None,
                       create_effects=[(NksConnectionError("down"), False)] * 10)
    sm = machine(res, create_attempts=attempts)
    with pytest.raises(NksConnectionError):
        sm.present()
    assert res.count("create") == attempts
    assert len(sm.clock.sleeps) == attempts - 1


def test_create_retries_on_503_and_429():
    res = FakeResource(current=None, after_create=nks_obj("CREATE_COMPLETE"),
                       create_effects=[(NksApiError(503, "busy"), False),
                                       (NksApiError(429, "slow down"), False), (None, True)])
    changed, result, _b, _a = machine(res).present()
    assert changed is True
    assert res.count("create") == 3


@pytest.mark.parametrize("status", [400, 403, 409])
def test_create_not_retried_on_client_errors(status):
    res = FakeResource(current=None, create_effects=[(NksApiError(status, "no"), False)])
    with pytest.raises(NksApiError) as err:
        machine(res).present()
    assert err.value.status == status
    assert res.count("create") == 1


# -- present: update -------------------------------------------------------

class Recorder(object):
    def __init__(self, resource, name, after_reads):
        self.resource = resource
        self.name = name
        self.after_reads = after_reads
        self.seen = None

    def __call__(self, obj):
        self.resource.events.append("apply")
        self.resource.events.append("apply:" + self.name)
        self.seen = obj
        self.resource.reads = list(self.after_reads)


def test_present_no_change_reports_unchanged():
    current = nks_obj("CREATE_COMPLETE")
    res = FakeResource(current=current, plan=[])
    changed, result, before, after = machine(res).present()
    assert changed is False
    assert result is current
    assert before == after == {"name": "demo", "status": "CREATE_COMPLETE", "node_count": 1}
    assert all(res.count(m) == 0 for m in MUTATIONS)


def test_present_applies_changes_in_order_and_waits_between():
    res = FakeResource(current=nks_obj("UPDATE_COMPLETE", node_count=1))
    first = Recorder(res, "node_count", [nks_obj("UPDATE_IN_PROGRESS", node_count=1),
                                         nks_obj("UPDATE_COMPLETE", node_count=3)])
    second = Recorder(res, "kube_version", [nks_obj("UPDATE_IN_PROGRESS", node_count=3),
                                            nks_obj("UPDATE_COMPLETE", node_count=3)])
    res._plan = [Change("node_count", 1, 3, first), Change("kube_version", "v1.27.3", "v1.28.3",
                                                           second)]
    sm = machine(res)
    changed, result, before, after = sm.present()
    assert changed is True
    assert before["node_count"] == 1
    assert after["node_count"] == 3
    assert result["status"] == "UPDATE_COMPLETE"
    applies = [e for e in res.events if e.startswith("apply:")]
    assert applies == ["apply:node_count", "apply:kube_version"]
    # Between the two changes the engine waited for the first to settle...
    between = res.events[res.events.index("apply:node_count"):res.events.index("apply:kube_version")]
    assert between.count("fetch") == 2
    # ... and the second change was applied to the settled object.
    assert second.seen["status"] == "UPDATE_COMPLETE"
    assert len(sm.clock.sleeps) == 2


def test_present_without_wait_still_waits_between_changes_not_after_last():
    res = FakeResource(current=nks_obj("UPDATE_COMPLETE"))
    first = Recorder(res, "a", [nks_obj("UPDATE_IN_PROGRESS"), nks_obj("UPDATE_COMPLETE")])
    second = Recorder(res, "b", [nks_obj("UPDATE_IN_PROGRESS"), nks_obj("UPDATE_COMPLETE")])
    res._plan = [Change("a", 1, 2, first), Change("b", 1, 2, second)]
    sm = machine(res, wait=False)
    changed, result, _before, _after = sm.present()
    assert changed is True
    assert second.seen["status"] == "UPDATE_COMPLETE"
    # After the last change: one fetch, no waiting.
    assert res.events[res.events.index("apply:b") + 1:] == ["fetch"]
    assert result["status"] == "UPDATE_IN_PROGRESS"
    assert len(sm.clock.sleeps) == 1


def test_present_change_that_does_not_wait():
    res = FakeResource(current=nks_obj("CREATE_COMPLETE"))
    change = Recorder(res, "acl", [nks_obj("CREATE_COMPLETE")])
    res._plan = [Change("acl", [], ["10.0.0.0/24"], change, waits=False)]
    sm = machine(res)
    changed, _r, _b, _a = sm.present()
    assert changed is True
    assert sm.clock.sleeps == []


def test_present_check_mode_predicts_changes_and_sends_nothing():
    res = FakeResource(current=nks_obj("CREATE_COMPLETE", node_count=1))
    apply_ = Recorder(res, "node_count", [])
    res._plan = [Change("node_count", 1, 5, apply_)]
    changed, result, before, after = machine(res, check_mode=True).present()
    assert changed is True
    assert before["node_count"] == 1
    assert after["node_count"] == 5
    assert result["node_count"] == 1
    assert all(res.count(m) == 0 for m in MUTATIONS)


def test_present_attaches_to_an_operation_in_progress_before_planning():
    res = FakeResource(reads=[nks_obj("UPDATE_IN_PROGRESS", node_count=1),
                              nks_obj("UPDATE_IN_PROGRESS", node_count=1),
                              nks_obj("UPDATE_COMPLETE", node_count=2)], plan=[])
    sm = machine(res)
    changed, result, before, _after = sm.present()
    assert changed is False
    assert res.planned_with["status"] == "UPDATE_COMPLETE"
    assert before["node_count"] == 2
    assert res.events == ["find", "fetch", "fetch", "plan"]
    # The object found in progress is not read again at once: sleep, read, sleep, read.
    assert len(sm.clock.sleeps) == 2


def test_present_attach_reports_a_failed_operation():
    res = FakeResource(reads=[nks_obj("UPDATE_IN_PROGRESS"),
                              nks_obj("UPDATE_FAILED", status_reason="upgrade failed")])
    with pytest.raises(NksOperationFailed) as err:
        machine(res).present()
    assert err.value.reason == "upgrade failed"
    assert "plan" not in res.events


def test_present_while_a_delete_runs_waits_for_it_then_creates():
    res = FakeResource(reads=[nks_obj("DELETE_IN_PROGRESS"), nks_obj("DELETE_IN_PROGRESS"), None],
                       after_create=nks_obj("CREATE_COMPLETE"))
    changed, result, before, _after = machine(res).present()
    assert changed is True
    assert before is None
    assert result["status"] == "CREATE_COMPLETE"
    assert res.count("create") == 1


# -- absent -------------------------------------------------------------------

def test_absent_deletes_and_waits():
    res = FakeResource(current=nks_obj("CREATE_COMPLETE"))
    sm = machine(res)
    changed, before = sm.absent()
    assert changed is True
    assert before["status"] == "CREATE_COMPLETE"
    assert res.count("delete") == 1
    # Waited until a fetch answered 404.
    assert res.events[-1] == "fetch"
    assert res.current is None


def test_absent_without_wait_does_not_poll():
    res = FakeResource(current=nks_obj("CREATE_COMPLETE"))
    sm = machine(res, wait=False)
    assert sm.absent()[0] is True
    assert res.count("delete") == 1
    assert res.count("fetch") == 0


def test_absent_when_absent_is_unchanged():
    res = FakeResource(current=None)
    assert machine(res).absent() == (False, None)
    assert res.count("delete") == 0


def test_absent_check_mode_sends_nothing():
    res = FakeResource(current=nks_obj("CREATE_COMPLETE"))
    changed, before = machine(res, check_mode=True).absent()
    assert changed is True
    assert before["name"] == "demo"
    assert all(res.count(m) == 0 for m in MUTATIONS)


def test_absent_attaches_to_delete_in_progress():
    res = FakeResource(reads=[nks_obj("DELETE_IN_PROGRESS"), nks_obj("DELETE_IN_PROGRESS"), None])
    sm = machine(res)
    changed, before = sm.absent()
    assert changed is False
    assert before["status"] == "DELETE_IN_PROGRESS"
    assert res.count("delete") == 0
    assert res.count("fetch") == 2


def test_absent_waits_for_a_running_operation_then_deletes():
    res = FakeResource(reads=[nks_obj("UPDATE_IN_PROGRESS"), nks_obj("UPDATE_IN_PROGRESS"),
                              nks_obj("UPDATE_COMPLETE")])
    changed, _before = machine(res).absent()
    assert changed is True
    assert res.count("delete") == 1
    assert res.events.index("delete") > res.events.index("fetch")


def test_absent_deletes_after_a_failed_operation():
    res = FakeResource(reads=[nks_obj("UPDATE_IN_PROGRESS"),
                              nks_obj("UPDATE_FAILED", status_reason="x"),
                              nks_obj("UPDATE_FAILED", status_reason="x")])
    changed, _before = machine(res).absent()
    assert changed is True
    assert res.count("delete") == 1


def test_absent_delete_failed_raises():
    res = FakeResource(current=nks_obj("CREATE_COMPLETE"))

    def delete(obj):
        res.events.append("delete")
        res.reads = [nks_obj("DELETE_IN_PROGRESS"), nks_obj("DELETE_FAILED", status_reason="pv in use")]

    res.delete = delete
    with pytest.raises(NksOperationFailed) as err:
        machine(res).absent()
    assert err.value.reason == "pv in use"


def test_change_repr():
    assert repr(Change("node_count", 1, 3, None)) == "Change(node_count: 1 -> 3)"


# -- converge: one entry point, one result shape ---------------------------------

def test_converge_present_and_absent_give_one_shape():
    from ansible_collections.nhncloud.nks.plugins.module_utils._engine import Outcome
    res = FakeResource(current=nks_obj("CREATE_COMPLETE"))
    outcome = machine(res).converge("present")
    assert isinstance(outcome, Outcome)
    assert outcome.changed is False and outcome.obj["uuid"] == "c-1"
    result = outcome.result("cluster", True)
    assert result["cluster"] == outcome.after
    assert result["diff"] == {"before": outcome.before, "after": outcome.after}
    gone = machine(FakeResource(current=nks_obj("CREATE_COMPLETE")), wait=False).converge("absent")
    result = gone.result("cluster", False, extra=1)
    assert gone.changed is True and gone.after is None
    assert result["cluster"] == gone.before and result["extra"] == 1 and "diff" not in result
    assert gone.diff["after"] == {}


def test_converge_absent_of_nothing_shows_an_empty_dict():
    outcome = machine(FakeResource(current=None)).converge("absent")
    expected = {"changed": False, "nodegroup": {}, "diff": {"before": {}, "after": {}}}
    assert outcome.result("nodegroup", True) == expected


# -- Resource.status: the one hook through which the engine reads a status ----------------

class ParentBusyResource(FakeResource):
    """Objects without a ``status`` of their own: the hook reads the ``parent`` they carry (as the
    IP ACL and the autoscaler read their cluster), and the engine must never write a status in."""

    def status(self, obj):
        return obj["parent"]["status"], obj["parent"].get("status_reason")

    def view(self, obj):
        return None if obj is None else {"parent": obj["parent"]["status"], "value": obj["value"]}


def settings(parent_status, value=1, reason=None):
    return {"uuid": "c-1", "parent": {"status": parent_status, "status_reason": reason}, "value": value}


def test_default_status_reads_the_object():
    res = FakeResource()
    assert res.status(nks_obj("UPDATE_IN_PROGRESS", status_reason="r")) == ("UPDATE_IN_PROGRESS", "r")
    assert res.busy(nks_obj("CREATE_IN_PROGRESS")) and not res.busy(nks_obj("CREATE_COMPLETE"))
    assert res.failed(nks_obj("UPDATE_FAILED")) and not res.failed(nks_obj("UPDATE_COMPLETE"))


def test_present_attaches_through_the_status_hook_and_keeps_objects_as_read():
    reads = [settings("UPDATE_IN_PROGRESS"), settings("UPDATE_IN_PROGRESS"), settings("UPDATE_COMPLETE")]
    res = ParentBusyResource(reads=list(reads))
    changed, obj, before, after = machine(res).present()
    assert changed is False
    assert obj == settings("UPDATE_COMPLETE")  # nothing written into the object: no "status" key
    assert "status" not in obj
    assert res.count("fetch") == 2 and res.count("plan") == 1


def test_failed_status_from_the_hook_fails_before_any_request():
    res = ParentBusyResource(current=settings("UPDATE_FAILED", reason="heat"), plan=[])
    with pytest.raises(NksOperationFailed) as err:
        machine(res).present()
    assert err.value.status == "UPDATE_FAILED" and err.value.reason == "heat"
    assert res.count("plan") == 0


def test_a_poll_failure_keeps_waiting_without_rewriting_the_object():
    """A transient poll error stands in the last object, still busy; the next poll ends the wait."""
    res = ParentBusyResource(current=settings("UPDATE_IN_PROGRESS"))
    answers = [NksConnectionError("reset"), settings("UPDATE_COMPLETE", value=2)]

    def fetch(obj):
        res.events.append("fetch")
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    res.fetch = fetch
    sm = machine(res)
    changed, obj, _before, after = sm.present()
    assert obj == settings("UPDATE_COMPLETE", value=2) and after["value"] == 2
    assert res.count("fetch") == 2 and len(sm.recoveries) == 1
