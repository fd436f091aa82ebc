# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the progress file's tail (plugin_utils/progress_action.py): lines appended while
it runs are shown as they come, a last line without newline at the end, the file is private and
removed afterwards."""

from __future__ import annotations

import os
import stat
import time

from ansible_collections.nhncloud.nks.plugins.module_utils._progress import Progress
from ansible_collections.nhncloud.nks.plugins.plugin_utils.progress_action import ProgressTail


def test_tail_shows_lines_while_running():
    shown = []
    with ProgressTail(shown.append, poll=0.05) as tail:
        assert stat.S_IMODE(os.stat(tail.path).st_mode) == 0o600
        Progress(tail.path, interval=1)("cluster 'a'", "CREATE_IN_PROGRESS", 1)
        deadline = time.monotonic() + 10
        while not shown and time.monotonic() < deadline:
            time.sleep(0.05)
        assert shown == ["cluster 'a': CREATE_IN_PROGRESS for 1 s"]  # before the end
        with open(tail.path, "a") as handle:
            handle.write("half a li")
        path = tail.path
    assert shown[-1] == "half a li"
    assert not os.path.exists(path)
