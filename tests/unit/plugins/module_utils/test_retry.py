# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_retry.py: the one retry policy (docs/reliability.md,
"Retry budget"). Delays are checked against their bounds, never timed: no test here
depends on chance or on the clock."""

from __future__ import annotations

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._client import (
    JitterRetry,
    NksApiError,
    NksConnectionError,
)
from ansible_collections.nhncloud.nks.plugins.module_utils._retry import (
    DEFAULT_POLICY,
    RetryPolicy,
    is_keypair_race,
    retry_after_seconds,
)

KEYPAIR_403 = "Unable to find keypair demo-key"


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def test_default_budget_meets_the_target_at_20_percent_faults():
    # One request, create, action or delete fails by chance only when every attempt
    # meets a fault: 0.2 ** 10 = 1.02e-7, below 1e-4 per operation with a margin of
    # 1000 (an operation of up to ~100 such requests stays below 1e-5).
    assert DEFAULT_POLICY.attempts == 10
    assert 0.2 ** DEFAULT_POLICY.attempts < 1.1e-7
    # Brief on a dead endpoint: 3 connection tries of at most 2 s each, plus backoff.
    worst = (DEFAULT_POLICY.connect_attempts * DEFAULT_POLICY.connect_timeout
             + sum(DEFAULT_POLICY.backoff * 2 ** (n - 1) for n in range(1, DEFAULT_POLICY.connect_attempts)))
    assert worst < 8.0
    # The key pair schedule: bounded, about as long as the field report's 90 s.
    assert sum(DEFAULT_POLICY.keypair_delays) == 90.0


@pytest.mark.parametrize("retry", range(1, 15))
def test_backoff_is_jittered_within_half_to_full_and_capped(retry):
    policy = RetryPolicy(backoff=0.5, backoff_max=8.0)
    base = min(8.0, 0.5 * 2 ** (retry - 1))
    for dummy in range(50):
        assert base / 2 <= policy.delay(retry) <= base


def test_retry_after_is_honoured_and_capped():
    policy = RetryPolicy(retry_after_max=30.0)
    assert policy.wait(3, retry_after=7.0) == 7.0
    assert policy.wait(1, retry_after=600.0) == 30.0
    assert policy.wait(1, retry_after=0.0) == 0.0
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") is None


def test_timeouts_split_connect_and_read():
    assert RetryPolicy(connect_timeout=2.0).timeouts(30.0) == (2.0, 30.0)
    assert RetryPolicy(connect_timeout=2.0).timeouts(1.0) == (1.0, 1.0)


def test_attempts_count_the_budget_and_sleep_between():
    sleeps = Sleeps()
    attempts = RetryPolicy(attempts=4, backoff=1.0, backoff_max=2.0).start(sleeps)
    error = NksApiError(503, "busy")
    assert [attempts.pause(error) for dummy in range(5)] == [True, True, True, False, False]
    assert len(sleeps) == 3
    assert 0.5 <= sleeps[0] <= 1.0 and all(1.0 <= s <= 2.0 for s in sleeps[1:])


def test_attempts_wait_retry_after_of_the_error():
    sleeps = Sleeps()
    attempts = RetryPolicy(retry_after_max=30.0).start(sleeps)
    assert attempts.pause(NksApiError(429, "slow down", retry_after=7.0))
    assert attempts.pause(NksApiError(429, "slow down", retry_after=300.0))
    assert sleeps == [7.0, 30.0]


def test_keypair_race_follows_its_own_schedule():
    sleeps = Sleeps()
    policy = RetryPolicy(attempts=2, keypair_delays=(10.0, 20.0, 30.0))
    attempts = policy.start(sleeps)
    race = NksApiError(403, KEYPAIR_403)
    assert [attempts.pause(race) for dummy in range(4)] == [True, True, True, False]
    assert sleeps == [10.0, 20.0, 30.0]
    # The transient budget is untouched by the key pair retries.
    assert attempts.pause(NksConnectionError("reset")) is True
    assert attempts.pause(NksConnectionError("reset")) is False


@pytest.mark.parametrize("exc, expected", [
    (NksApiError(403, KEYPAIR_403), True),
    (NksApiError(403, "unable to find KEYPAIR x"), True),
    (NksApiError(403, "You are not allowed"), False),
    (NksApiError(400, KEYPAIR_403), False),
    (NksConnectionError("reset"), False),
])
def test_keypair_race_classification(exc, expected):
    assert is_keypair_race(exc) is expected


class _Response(object):
    def __init__(self, retry_after):
        self.headers = {"Retry-After": retry_after}

    def get_redirect_location(self):
        return None


def test_urllib3_retry_is_built_from_the_policy():
    policy = RetryPolicy(attempts=6, connect_attempts=3, backoff=0.5, backoff_max=8.0, retry_after_max=30.0)
    retry = policy.urllib3_retry(frozenset(["GET"]), JitterRetry)
    assert (retry.status, retry.connect, retry.read, retry.other) == (5, 2, 2, 0)
    assert retry.respect_retry_after_header is True
    # 429 is repeated for POST too (not carried out); a 503 of a POST is left to the engine.
    assert retry.is_retry("POST", 429) is True
    assert retry.is_retry("POST", 503) is False
    assert retry.is_retry("GET", 503) is True
    assert retry.is_retry("GET", 400) is False
    # Retry-After is capped; the policy survives urllib3's copies.
    assert retry.get_retry_after(_Response("600")) == 30.0
    assert retry.get_retry_after(_Response("2")) == 2.0
    assert retry.new(status=1).policy is policy
    assert retry.get_backoff_time() == 0
