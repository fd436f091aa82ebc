# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the wait progress lines (module_utils/_progress.py) and the Waiter's hook:
what a line says, when a wait writes one (virtual clock), and that a missing file or no
variable changes nothing."""

from __future__ import annotations

import os
import re

from ansible_collections.nhncloud.nks.plugins.module_utils._engine import Waiter
from ansible_collections.nhncloud.nks.plugins.module_utils._progress import (
    DEFAULT_INTERVAL,
    PROGRESS_FILE_ENV,
    PROGRESS_INTERVAL_ENV,
    Progress,
    duration,
    from_environment,
    progress_line,
)


def test_duration():
    assert [duration(s) for s in (0, 4.6, 59.4, 60, 150, 600, 1805)] == \
        ["0 s", "5 s", "59 s", "1 min", "2 min 30 s", "10 min", "30 min 5 s"]


def test_line_with_typical_duration():
    assert progress_line("cluster 'demo'", "CREATE_IN_PROGRESS", 150.2, 600.0) == \
        "cluster 'demo': CREATE_IN_PROGRESS for 2 min 30 s (NKS typically takes 10 min: about 7 min 30 s left)"
    assert progress_line("cluster 'demo'", "CREATE_IN_PROGRESS", 700, 600.0) == \
        "cluster 'demo': CREATE_IN_PROGRESS for 11 min 40 s (NKS typically takes 10 min: longer than usual)"


def test_line_without_typical_duration_one_line_and_short():
    assert progress_line("cluster 'demo'", "UPDATE_IN_PROGRESS", 31) == "cluster 'demo': UPDATE_IN_PROGRESS for 31 s"
    assert progress_line("cluster 'demo'", "", 31) == "cluster 'demo': NOT_FOUND for 31 s"
    line = progress_line("the Kubernetes API of cluster 'demo'", "answered 500:\n" + "x" * 500, 40)
    assert "\n" not in line and line.endswith("... for 40 s") and len(line) < 200


def seconds(line):
    """The time waited that a line states (s)."""
    match = re.search(r" for (?:(\d+) min)? ?(?:(\d+) s)?(?: \(|$)", line)
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


class Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_waiter_reports_every_interval(tmp_path):
    """A 10-minute create: the first line after 30 s, then one each 30 to 40 s, none after it settled."""
    path = tmp_path / "progress"
    path.write_text("")
    clock = Clock()

    def fetch():
        return {"status": "CREATE_IN_PROGRESS" if clock.now < 600 else "CREATE_COMPLETE"}

    waiter = Waiter(1800, clock=clock, sleeper=clock.sleep, progress=Progress(str(path)))
    assert waiter.until_settled(fetch, "cluster 'demo'", kind="cluster")["status"] == "CREATE_COMPLETE"
    lines = path.read_text().splitlines()
    assert len(lines) >= 15
    times = [seconds(line) for line in lines]
    assert DEFAULT_INTERVAL <= times[0] <= DEFAULT_INTERVAL + 10
    assert all(DEFAULT_INTERVAL <= b - a <= DEFAULT_INTERVAL + 10 for a, b in zip(times, times[1:])), times
    assert times[-1] <= 600
    assert all(line.startswith("cluster 'demo': CREATE_IN_PROGRESS for ") and "NKS typically takes 10 min" in line
               for line in lines)


def test_a_new_wait_starts_over(tmp_path):
    path = tmp_path / "progress"
    path.write_text("")
    progress = Progress(str(path), interval=10)
    for elapsed in (3, 9, 11, 15, 22, 2, 9, 12):
        progress("node group 'a' of cluster 'c'", "CREATE_IN_PROGRESS", elapsed)
    assert [line.split(" for ")[1] for line in path.read_text().splitlines()] == ["11 s", "22 s", "12 s"]


def test_no_file_no_line_no_error(tmp_path):
    """The module never creates the file (a module on another host, or as another user)."""
    path = tmp_path / "missing"
    Progress(str(path), interval=1)("cluster 'x'", "CREATE_IN_PROGRESS", 5)
    assert not path.exists()


def test_from_environment(tmp_path):
    assert from_environment({}) is None
    assert from_environment({PROGRESS_FILE_ENV: ""}) is None
    progress = from_environment({PROGRESS_FILE_ENV: "/p"})
    assert (progress.path, progress.interval) == ("/p", DEFAULT_INTERVAL)
    assert from_environment({PROGRESS_FILE_ENV: "/p", PROGRESS_INTERVAL_ENV: "4"}).interval == 4.0
    for bad in ("x", "0", "-3"):
        assert from_environment({PROGRESS_FILE_ENV: "/p", PROGRESS_INTERVAL_ENV: bad}).interval == DEFAULT_INTERVAL


def test_waiter_default_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(PROGRESS_FILE_ENV, raising=False)
    assert Waiter(10).progress is None
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(tmp_path / "p"))
    assert Waiter(10).progress.path == str(tmp_path / "p")
    assert os.environ[PROGRESS_FILE_ENV]
