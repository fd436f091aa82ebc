# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Callback of bench/run.py: when each task started and returned, per host.

Not part of the collection's content (bench/ only). Enabled by bench/run.py with
``ANSIBLE_CALLBACK_PLUGINS=bench/callback_plugins ANSIBLE_CALLBACKS_ENABLED=bench_times``;
appends one JSON line per result to the file named by ``BENCH_TIMES_FILE``:
``{"host", "task", "start", "end", "status", "item"}`` (epoch seconds, controller clock).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_times
type: aggregate
short_description: record task start and end times per host (bench/run.py)
description:
  - Appends one JSON line per task result to the file named by the environment variable E(BENCH_TIMES_FILE).
author:
  - nhncloud.nks contributors (@nhncloud)
requirements:
  - the environment variable E(BENCH_TIMES_FILE)
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Write ``{"host", "task", "start", "end", "status", "item"}`` lines to ``$BENCH_TIMES_FILE``."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._path = os.environ.get("BENCH_TIMES_FILE")
        self._starts = {}

    def _write(self, result, status):
        if not self._path:
            return
        host = result._host.get_name()
        task = result._task
        key = (host, task._uuid)
        now = time.time()
        item = result._result.get("item") if isinstance(result._result, dict) else None
        line = {"host": host, "task": task.get_name(), "start": self._starts.get(key, now), "end": now,
                "status": status, "item": item if isinstance(item, (str, int, float)) else None}
        if item is not None:
            self._starts[key] = now  # the next item starts when this one ends
        with open(self._path, "a") as handle:
            handle.write(json.dumps(line) + "\n")

    def v2_runner_on_start(self, host, task):
        """Remember when ``task`` started on ``host``."""
        self._starts[(host.get_name(), task._uuid)] = time.time()

    def v2_runner_on_ok(self, result):
        """Record a success."""
        self._write(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        """Record a failure."""
        self._write(result, "failed")

    def v2_runner_item_on_ok(self, result):
        """Record one loop item."""
        self._write(result, "ok")
