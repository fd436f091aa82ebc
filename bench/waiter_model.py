# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Replay the collection's Waiter against a modelled operation on a virtual clock.

The same ``Waiter`` code the modules run, with a clock that moves only when the
Waiter sleeps or a poll (GET) costs time. An operation of ``duration`` seconds
starts ``offset`` seconds before the wait begins (the create's POST); a poll at
virtual time ``t`` sees it finished when ``t >= duration``.

``model(duration, resource, status, runs, rtt)`` returns a dict: latency p50 and
max (s from the status change to the Waiter returning, the last poll's cost
included), polls per operation (mean), and the mean seconds between polls.
Used by bench/run.py for the 600-second case (which would take 10 real minutes
per run) and to check the real 5 s / 60 s measurements against the model.
"""

from __future__ import absolute_import, division, print_function

import os
import random
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def _engine():
    """Import plugins/module_utils/_engine.py from this checkout (no collection path needed)."""
    import importlib.util
    import types
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins", "module_utils")
    pkg = types.ModuleType("nksmu")
    pkg.__path__ = [root]
    sys.modules["nksmu"] = pkg
    for name in ("_client", "_engine"):
        spec = importlib.util.spec_from_file_location("nksmu." + name, os.path.join(root, name + ".py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules["nksmu." + name] = mod
        spec.loader.exec_module(mod)
    return sys.modules["nksmu._engine"]


class _Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def model(duration, resource="cluster 'bench'", status="CREATE_IN_PROGRESS", runs=400, rtt=0.01,
          spread=0.05, seed=1, engine=None, **waiter_kwargs):
    """Run ``runs`` waits on operations of about ``duration`` s; returns the figures (see module doc).

    Each run's real duration is drawn uniformly within ``duration * (1 +- spread)``:
    NKS operations are "about" so long, and a fixed duration would measure one
    phase of the poll schedule only.
    """
    engine = engine or _engine()
    random.seed(seed)
    nominal = duration
    latencies, polls, per_poll = [], [], []
    for _run in range(runs):
        duration = nominal * random.uniform(1 - spread, 1 + spread)
        clock = _Clock()

        def fetch():
            clock.now += rtt
            done = clock.now >= duration
            return {"status": "CREATE_COMPLETE" if done else status}

        waiter = engine.Waiter(3600, clock=clock, sleeper=clock.sleep, **waiter_kwargs)
        waiter.until_settled(fetch, resource)
        latencies.append(clock.now - duration)
        polls.append(waiter.polls + 1)
        per_poll.append(clock.now / (waiter.polls + 1))
    return {
        "duration": nominal,
        "p50": statistics.median(latencies),
        "max": max(latencies),
        "polls": statistics.mean(polls),
        "seconds_per_poll": statistics.mean(per_poll),
    }


def main():
    for duration in (5, 60, 300, 600):
        for label, kwargs in (("adaptive", {}),
                              ("adaptive, E unknown", {"status": "UPDATE_IN_PROGRESS"}),
                              ("old backoff 1x1.5..10", {"initial": 1.0, "factor": 1.5, "maximum": 10.0})):
            r = model(duration, **kwargs)
            print("%5ds %-24s p50 %5.2f  max %5.2f  polls %6.1f  s/poll %5.2f"
                  % (duration, label, r["p50"], r["max"], r["polls"], r["seconds_per_poll"]))


if __name__ == "__main__":
    main()
