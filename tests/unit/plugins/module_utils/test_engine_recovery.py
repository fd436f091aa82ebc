# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the engine's recovery of mutating steps (docs/reliability.md).

An in-memory API: ``FakeApi.objects`` is what NKS holds; an action either
happens or not, and its answer is delivered, refused or lost, as scripted.
"""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    NksApiError,
    NksConflict,
    NksConnectionError,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (
    Change,
    NksWaitTimeout,
    Resource,
    StateMachine,
    Waiter,
    is_busy,
    is_transient,
)


class Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


LOST = "lost"          # carried out, answer lost
REFUSED_503 = "503"    # not carried out
BUSY = "busy"          # 400 in a wrong state, not carried out
OK = "ok"


def lost():
    return NksConnectionError("POST x: the answer broke off", "POST", "x")


class Counter(Resource):
    """A cluster whose ``node_count`` is changed by an asynchronous resize."""

    kind = "cluster"

    def __init__(self, outcomes, node_count=1, want=3, progress_polls=1, fetch_errors=()):
        self.obj = {"uuid": "c-1", "name": "x", "status": "CREATE_COMPLETE", "node_count": node_count}
        self.outcomes = list(outcomes)
        self.want = want
        self.sent = 0
        self.progress_polls = progress_polls
        self.pending = None
        self.fetch_errors = list(fetch_errors)
        self.plans = 0

    def describe(self):
        return "cluster 'x'"

    def find(self):
        return dict(self.obj)

    def fetch(self, obj):
        if self.fetch_errors:
            raise self.fetch_errors.pop(0)
        if self.pending is not None:
            if self.pending > 0:
                self.pending -= 1
            else:
                self.obj.update(status="UPDATE_COMPLETE", node_count=self.want)
                self.pending = None
        return dict(self.obj)

    def view(self, obj):
        return {"node_count": obj["node_count"], "status": obj["status"]}

    def resize(self, _obj):
        self.sent += 1
        outcome = self.outcomes.pop(0) if self.outcomes else OK
        if outcome == REFUSED_503:
            raise NksApiError(503, "Service Unavailable", method="POST", url="x")
        if outcome == BUSY:
            raise NksApiError(400, "Cluster c-1 is in a wrong state (UPDATE_IN_PROGRESS): retry later",
                              method="POST", url="x")
        self.obj["status"] = "UPDATE_IN_PROGRESS"
        self.pending = self.progress_polls
        if outcome == LOST:
            raise lost()

    def plan(self, obj):
        self.plans += 1
        if obj["node_count"] == self.want:
            return []
        return [Change("node_count", obj["node_count"], self.want, self.resize)]

    def delete(self, obj):
        self.sent += 1
        outcome = self.outcomes.pop(0) if self.outcomes else OK
        if outcome == REFUSED_503:
            raise NksApiError(503, "Service Unavailable", method="DELETE", url="x")
        self.obj["status"] = "DELETE_IN_PROGRESS"
        if outcome == LOST:
            raise lost()


def machine(res, wait=True, timeout=600.0, attempts=4):
    clock = Clock()
    waiter = Waiter(timeout, clock=clock, sleeper=clock.sleep)
    return StateMachine(res, False, wait, waiter, sleeper=clock.sleep, action_attempts=attempts)


def test_classification():
    assert is_transient(lost())
    assert is_transient(NksApiError(429, "slow down"))
    assert is_transient(NksApiError(502, "bad gateway"))
    assert not is_transient(NksApiError(400, "bad"))
    assert is_busy(NksApiError(400, "Cluster x is in a wrong state (UPDATE_IN_PROGRESS)"))
    assert not is_busy(NksApiError(400, "node_count must be 1..10"))
    assert not is_busy(NksApiError(409, "in a wrong state"))


def test_lost_answer_of_an_action_that_took_is_not_sent_again():
    res = Counter([LOST])
    changed, obj, before, after = machine(res).present()
    assert changed is True
    assert res.sent == 1
    assert obj["node_count"] == 3 and obj["status"] == "UPDATE_COMPLETE"
    assert after == {"node_count": 3, "status": "UPDATE_COMPLETE"}


def test_action_refused_with_503_is_sent_again_after_a_re_read():
    res = Counter([REFUSED_503, REFUSED_503])
    sm = machine(res)
    changed, obj, _b, _a = sm.present()
    assert changed is True
    assert res.sent == 3
    assert obj["node_count"] == 3
    assert len(sm.recoveries) == 2


def test_busy_answer_after_lost_answer_attaches():
    # First try: lost but carried out; the engine re-reads, sees it running, waits, and
    # the re-plan shows nothing left to do.
    res = Counter([LOST, BUSY], progress_polls=3)
    changed, obj, _b, _a = machine(res).present()
    assert res.sent == 1
    assert obj["node_count"] == 3


def test_busy_because_of_another_operation_waits_then_sends():
    res = Counter([BUSY])
    res.obj["status"] = "UPDATE_COMPLETE"
    changed, obj, _b, _a = machine(res).present()
    assert res.sent == 2
    assert obj["node_count"] == 3


def test_attempts_are_bounded():
    res = Counter([REFUSED_503] * 10)
    with pytest.raises(NksApiError) as err:
        machine(res, attempts=3).present()
    assert err.value.status == 503
    assert res.sent == 3


def test_client_error_is_not_retried():
    res = Counter([])

    def refuse(_obj):
        res.sent += 1
        raise NksApiError(400, "node_count must be at most 10")
    res.resize = refuse
    with pytest.raises(NksApiError):
        machine(res).present()
    assert res.sent == 1


def test_lost_answer_without_wait_returns_the_running_operation():
    res = Counter([LOST], progress_polls=5)
    changed, obj, _b, _a = machine(res, wait=False).present()
    assert changed is True
    assert res.sent == 1
    assert obj["status"] == "UPDATE_IN_PROGRESS"


def test_a_failed_poll_does_not_end_the_wait():
    res = Counter([OK], progress_polls=2)
    res.fetch_errors = []
    sm = machine(res)
    original = res.fetch
    errors = [NksApiError(502, "Bad Gateway"), lost()]

    def flaky(obj):
        if errors and res.pending is not None:
            raise errors.pop(0)
        return original(obj)
    res.fetch = flaky
    changed, obj, _b, _a = sm.present()
    assert obj["node_count"] == 3
    assert not errors
    assert any(r.startswith("poll:") for r in sm.recoveries)


def test_failed_polls_until_the_timeout_name_the_resource():
    res = Counter([OK], progress_polls=1000)
    sm = machine(res, timeout=60.0)
    original = res.fetch

    def flaky(obj):
        if res.pending is not None:
            raise lost()
        return original(obj)
    res.fetch = flaky
    with pytest.raises(NksWaitTimeout) as err:
        sm.present()
    assert "cluster 'x'" in str(err.value)
    assert "IN_PROGRESS" in err.value.status


def test_delete_whose_answer_was_lost_is_not_sent_again():
    res = Counter([LOST])
    gone = {"n": 0}
    original = res.fetch

    def fetch(obj):
        if res.obj["status"] == "DELETE_IN_PROGRESS":
            gone["n"] += 1
            return None if gone["n"] > 2 else dict(res.obj)
        return original(obj)
    res.fetch = fetch
    changed, _before = machine(res).absent()
    assert changed is True
    assert res.sent == 1


def test_delete_refused_with_503_is_sent_again():
    res = Counter([REFUSED_503])
    res.fetch = lambda obj: None if res.obj["status"] == "DELETE_IN_PROGRESS" else dict(res.obj)
    changed, _before = machine(res).absent()
    assert changed is True
    assert res.sent == 2


class Creatable(Counter):
    def __init__(self, create_outcome):
        super(Creatable, self).__init__([])
        self.exists = False
        self.create_outcome = create_outcome
        self.creates = 0

    def find(self):
        return dict(self.obj) if self.exists else None

    def validate_create(self):
        pass

    def create(self):
        self.creates += 1
        if self.create_outcome == "409":
            self.exists = True  # another process created it
            raise NksConflict(409, "A cluster with name 'x' already exists")
        self.exists = True
        self.obj["status"] = "CREATE_COMPLETE"
        return {"uuid": "c-1"}


def test_create_conflict_attaches_to_the_one_found_by_name():
    res = Creatable("409")
    changed, obj, _b, after = machine(res).present()
    assert changed is True
    assert res.creates == 1
    assert obj["uuid"] == "c-1"


def test_create_conflict_with_nothing_found_raises():
    res = Creatable("409")
    res.find = lambda: None
    with pytest.raises(NksConflict):
        machine(res).present()


def test_lost_answer_of_an_operation_that_then_fails_is_reported_not_resent():
    from ansible_collections.nhncloud.nks.plugins.module_utils._engine import NksOperationFailed

    res = Counter([LOST], progress_polls=1)
    original = res.fetch

    def fetch(obj):
        got = original(obj)
        if got["status"] == "UPDATE_COMPLETE":
            res.obj.update(status="UPDATE_FAILED", node_count=1, status_reason="quota exceeded")
            return dict(res.obj)
        return got
    res.fetch = fetch
    with pytest.raises(NksOperationFailed) as err:
        machine(res).present()
    assert "quota exceeded" in str(err.value)
    assert res.sent == 1


# -- the retry budget and the key pair race (docs/reliability.md, "Retry budget") --

KEYPAIR_403 = "Unable to find keypair demo-key"


class Creator(Resource):
    """A cluster that does not exist yet; each create answers as scripted. ``carried``
    outcomes create it (answer lost), the others do not."""

    kind = "cluster"

    def __init__(self, outcomes):
        self.outcomes = list(outcomes)
        self.obj = None
        self.events = []

    def describe(self):
        return "cluster 'x'"

    def find(self):
        self.events.append("find")
        return dict(self.obj) if self.obj else None

    def fetch(self, obj):
        return self.find()

    def view(self, obj):
        return obj and {"status": obj["status"]}

    def create(self):
        self.events.append("create")
        outcome = self.outcomes.pop(0) if self.outcomes else OK
        if isinstance(outcome, Exception):
            _raise(outcome)
        self.obj = {"uuid": "c-1", "name": "x", "status": "CREATE_COMPLETE"}
        if outcome == LOST:
            raise lost()
        return {"uuid": "c-1"}


def _raise(exc):
    raise exc


def create_machine(res):
    clock = Clock()
    sm = StateMachine(res, False, True, Waiter(600.0, clock=clock, sleeper=clock.sleep), sleeper=clock.sleep)
    sm.sleeps = []
    sm.sleeper = lambda s: (sm.sleeps.append(s), clock.sleep(s))
    return sm


def test_default_budget_rides_out_nine_refused_creates():
    # The CI failure: three 500s in a row ended nks_cluster. Ten attempts now, each
    # after a lookup; 0.2 ** 10 = 1.0e-7 at 20 % faults.
    res = Creator([NksApiError(500, "Internal Server Error")] * 9)
    sm = create_machine(res)
    changed, obj, _b, _a = sm.present()
    assert changed and obj["uuid"] == "c-1"
    assert res.events.count("create") == 10
    # Never sent again without a lookup first.
    creates = [i for i, e in enumerate(res.events) if e == "create"]
    assert all(res.events[i + 1] == "find" for i in creates[:-1])
    assert len(sm.sleeps) == 9 and max(sm.sleeps) <= 8.0


def test_engine_honours_retry_after():
    res = Creator([NksApiError(429, "Too Many Requests", retry_after=7.0), OK])
    sm = create_machine(res)
    sm.present()
    assert sm.sleeps == [7.0]


def test_keypair_race_is_retried_on_its_schedule():
    res = Creator([NksApiError(403, KEYPAIR_403)] * 3)
    sm = create_machine(res)
    changed, obj, _b, _a = sm.present()
    assert changed and obj["uuid"] == "c-1"
    assert sm.sleeps == [10.0, 20.0, 30.0]
    assert res.events.count("create") == 4
    assert res.events.count("find") >= 4  # looked up before every new try


def test_keypair_race_gives_up_after_the_schedule_with_a_hint():
    res = Creator([NksApiError(403, KEYPAIR_403, method="POST", url="/v1/clusters")] * 10)
    sm = create_machine(res)
    with pytest.raises(NksApiError) as err:
        sm.present()
    assert sm.sleeps == [10.0, 20.0, 30.0, 30.0]  # 90 s in all, then 5 tries are enough
    assert res.events.count("create") == 5
    assert err.value.status == 403
    assert "Still refused after 5 tries over 90 s" in str(err.value)
    assert "keypair" in str(err.value)


def test_other_403_is_not_retried():
    res = Creator([NksApiError(403, "Policy doesn't allow container:cluster:create")])
    sm = create_machine(res)
    with pytest.raises(NksApiError):
        sm.present()
    assert res.events.count("create") == 1 and sm.sleeps == []


def test_default_action_budget_is_the_policy():
    res = Counter([REFUSED_503] * 9)
    clock = Clock()
    sm = StateMachine(res, False, True, Waiter(600.0, clock=clock, sleeper=clock.sleep), sleeper=clock.sleep)
    sm.present()
    assert res.sent == 10
