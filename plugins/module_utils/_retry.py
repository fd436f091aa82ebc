# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one retry policy of the collection: budgets, backoff, ``Retry-After``.

The HTTP client (:mod:`._client`) builds its urllib3 ``Retry`` and its lost-answer loop
from a :class:`RetryPolicy`; the engine (:mod:`._engine`) recovers lost or refused
creates, actions and deletes with the same policy through :class:`Attempts`. The
budgets and their arithmetic are in docs/reliability.md ("Retry budget"): at 20 %
independent faults a request or an operation fails by chance with probability
``0.2 ** attempts`` (1.0e-7 with the default 10 attempts).

No Ansible imports here; private to the collection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random

RETRY_STATUSES = (429, 500, 502, 503, 504)
"""Statuses after which a request may be sent again: refused for now (429, 503) or
failed in the server (500, 502, 504). NKS_API_NOTES: Errors."""

THROTTLED = 429
"""Too Many Requests: the request was not carried out, whatever its method."""

KEYPAIR_RACE = "unable to find keypair"
"""Detail of NKS's HTTP 403 to a create that names a key pair created moments
before (docs/reliability.md; field report N3): not carried out, passes in seconds."""


def retry_after_seconds(value):
    """``Retry-After`` in seconds (the delta-seconds form), or ``None``.

    :param str value: the header's value, or ``None``.
    :returns: ``float`` >= 0, or ``None`` for a missing or HTTP-date value.
    """
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def is_keypair_race(exc):
    """``True`` for NKS's 403 "Unable to find keypair ..." (``exc`` an ``NksApiError``)."""
    return getattr(exc, "status", None) == 403 and KEYPAIR_RACE in (getattr(exc, "detail", "") or "").lower()


class RetryPolicy(object):
    """How often and how long to retry, for every request kind (docs/reliability.md).

    :param int attempts: tries of one request, create, action or delete on 429/5xx, a
        lost answer or "busy" (first try included). 10: ``0.2 ** 10 = 1.0e-7``.
    :param float backoff: first backoff (s); it doubles per retry (full jitter in
        ``[d/2, d]``), capped at ``backoff_max`` (s).
    :param float retry_after_max: longest ``Retry-After`` (s) honoured; a server asking
        for more is waited on this long.
    :param int connect_attempts: tries when the endpoint refuses or does not answer the
        connection (or resets it before answering): few, so that a wrong URL fails fast.
    :param float connect_timeout: seconds to establish one connection (at most the
        request timeout). 3 tries * 2 s + backoff < 8 s for an unreachable endpoint.
    :param tuple keypair_delays: waits (s) before each new try of a create refused with
        the key pair 403; its length is the number of retries.
    """

    def __init__(self, attempts=10, backoff=0.5, backoff_max=8.0, retry_after_max=30.0,
                 connect_attempts=3, connect_timeout=2.0, keypair_delays=(10.0, 20.0, 30.0, 30.0)):
        self.attempts = attempts
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.connect_attempts = connect_attempts
        self.connect_timeout = connect_timeout
        self.keypair_delays = tuple(keypair_delays)

    def delay(self, retry):
        """Jittered backoff (s) before retry number ``retry`` (1 for the first retry)."""
        base = min(self.backoff_max, self.backoff * 2 ** max(0, retry - 1))
        return random.uniform(base / 2.0, base) if base > 0 else 0.0

    def wait(self, retry, retry_after=None):
        """Seconds before retry ``retry``: ``Retry-After`` (capped) when the server gave
        one, else :meth:`delay`."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_max)
        return self.delay(retry)

    def timeouts(self, timeout):
        """``(connect, read)`` timeouts (s) for ``requests`` from the request timeout."""
        return (min(timeout, self.connect_timeout), timeout)

    def urllib3_retry(self, methods, retry_class):
        """The urllib3 ``Retry`` of one client adapter.

        :param frozenset methods: methods repeated on 5xx and broken connections; 429
            is repeated for every method (see :class:`JitterRetry`).
        :param retry_class: :class:`JitterRetry` (passed in so this module imports
            without urllib3).
        """
        retries = self.attempts - 1
        connect = self.connect_attempts - 1
        return retry_class(
            total=None, connect=connect, read=connect, status=retries, other=0,
            allowed_methods=methods, status_forcelist=RETRY_STATUSES,
            backoff_factor=self.backoff, backoff_max=self.backoff_max,
            respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
            policy=self)

    def start(self, sleeper, attempts=None):
        """The retry state of one operation (:class:`Attempts`)."""
        return Attempts(self, self.attempts if attempts is None else attempts, sleeper)


class Attempts(object):
    """Retries left for one operation; :meth:`pause` sleeps before the next try.

    :param RetryPolicy policy: :param int limit: tries in all (first included).
    :param sleeper: ``callable(seconds)``.
    :ivar int tries: failed tries so far. :ivar float slept: seconds slept.
    """

    def __init__(self, policy, limit, sleeper):
        self.policy = policy
        self.limit = limit
        self.sleeper = sleeper
        self.tries = 0
        self.keypair_tries = 0
        self.slept = 0.0

    def pause(self, exc):
        """After a failed try: sleep and return ``True`` when another try is allowed.

        A key pair 403 (:func:`is_keypair_race`) follows ``keypair_delays``; anything
        else counts against ``limit``, waiting ``Retry-After`` (capped) when the error
        carries one, else the jittered backoff.
        """
        if is_keypair_race(exc):
            delays = self.policy.keypair_delays
            if self.keypair_tries >= len(delays):
                return False
            seconds = delays[self.keypair_tries]
            self.keypair_tries += 1
        else:
            self.tries += 1
            if self.tries >= self.limit:
                return False
            seconds = self.policy.wait(self.tries, getattr(exc, "retry_after", None))
        self.slept += seconds
        self.sleeper(seconds)
        return True


DEFAULT_POLICY = RetryPolicy()
"""The policy every client and state machine uses unless given another."""
