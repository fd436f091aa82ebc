# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the Waiter's default poll schedule (PollSchedule, expected_seconds).

The targets of docs/performance.md, on a virtual clock: a status change is seen
within seconds, and a 10-minute cluster create costs at most one poll per 5 s.
"""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._engine import (
    PollSchedule,
    Waiter,
    expected_seconds,
)


class Clock(object):
    """Virtual time: moves when slept and when a poll costs ``rtt``."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def wait_for(duration, status="CREATE_IN_PROGRESS", resource="cluster 'x'", rtt=0.02, **kwargs):
    """Wait on an operation ending at ``duration``; returns (latency, polls, clock)."""
    clock = Clock()

    def fetch():
        clock.now += rtt
        return {"status": "CREATE_COMPLETE" if clock.now >= duration else status}

    waiter = Waiter(3600, clock=clock, sleeper=clock.sleep, **kwargs)
    waiter.until_settled(fetch, resource)
    return clock.now - duration, waiter.polls + 1, clock


def test_base_delay_interpolates_and_holds_the_last_point():
    s = PollSchedule(points=((0, 1.0), (10, 3.0), (20, 10.0)))
    assert s.base_delay(0) == 1.0
    assert s.base_delay(5) == pytest.approx(2.0)
    assert s.base_delay(15) == pytest.approx(6.5)
    assert s.base_delay(1000) == 10.0


def test_window_near_expected_end_is_dense():
    s = PollSchedule()
    assert s.delay(400) == 10.0
    assert s.delay(400, expected=600) == 10.0
    assert s.delay(550, expected=600) == 3.0
    assert s.delay(899, expected=600) == 3.0
    assert s.delay(901, expected=600) == 10.0
    # The sleep before the window stops at its start.
    assert s.delay(505, expected=600) == pytest.approx(5.0)


@pytest.mark.parametrize("resource, status, expected", [
    ("cluster 'a'", "CREATE_IN_PROGRESS", 600.0),
    ("cluster 'a'", "DELETE_IN_PROGRESS", 300.0),
    ("node group 'b' of cluster 'a'", "CREATE_IN_PROGRESS", 300.0),
    ("cluster 'a'", "UPDATE_IN_PROGRESS", None),
])
def test_expected_seconds(resource, status, expected):
    assert expected_seconds(resource, {"status": status}) == expected


@pytest.mark.parametrize("duration", [5, 60, 600])
def test_completion_is_seen_quickly(duration):
    for _run in range(50):
        latency, _polls, _clock = wait_for(duration)
        assert latency <= 3.5


def test_ten_minute_create_polls_at_most_once_per_five_seconds():
    for _run in range(50):
        _latency, polls, clock = wait_for(600)
        assert clock.now / polls >= 5.0


def test_unknown_duration_never_waits_more_than_ten_seconds():
    latency, polls, clock = wait_for(450, status="UPDATE_IN_PROGRESS")
    assert max(clock.sleeps) <= 10.0
    assert latency <= 10.1
    assert clock.now / polls >= 5.0


def test_explicit_backoff_arguments_keep_the_exponential_backoff():
    _latency, _polls, clock = wait_for(100, initial=1.0, factor=2.0, maximum=8.0)
    assert max(clock.sleeps) <= 8.0
    assert clock.sleeps[0] <= 1.0
    assert clock.sleeps[2] >= 3.6


def test_an_object_in_progress_at_hand_saves_the_first_read():
    clock = Clock()
    reads = []

    def fetch():
        reads.append(clock.now)
        return {"status": "CREATE_COMPLETE" if clock.now >= 3 else "CREATE_IN_PROGRESS"}

    Waiter(60, clock=clock, sleeper=clock.sleep).until_settled(fetch, "cluster 'x'",
                                                               current={"status": "CREATE_IN_PROGRESS"})
    assert reads and reads[0] > 0  # slept before the first read


def test_a_settled_object_at_hand_is_read_again():
    clock = Clock()
    answers = iter([{"status": "UPDATE_IN_PROGRESS"}, {"status": "UPDATE_COMPLETE"}])
    result = Waiter(60, clock=clock, sleeper=clock.sleep).until_settled(
        lambda: next(answers), "cluster 'x'", current={"status": "CREATE_COMPLETE"})
    assert result == {"status": "UPDATE_COMPLETE"}
