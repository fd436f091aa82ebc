# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test hook (tests/reliability/test_kubeconfig_kill.py), on PYTHONPATH of the module
process only: when REL_SLOW_REPLACE_MARKER is set, ``os.replace`` first writes that
marker file (the temporary file is complete), then sleeps, so the test can SIGKILL the
module between the write and the rename."""

import os
import time

_MARKER = os.environ.get("REL_SLOW_REPLACE_MARKER")

if _MARKER:
    _real_replace = os.replace

    def _slow_replace(src, dst, *args, **kwargs):
        if str(dst).endswith(".kubeconfig"):
            # Written aside, then renamed: the test must never see the marker empty
            # (it did once, between open() and write()).
            with open(_MARKER + ".part", "w") as handle:
                handle.write(str(src))
            _real_replace(_MARKER + ".part", _MARKER)
            time.sleep(30)
        return _real_replace(src, dst, *args, **kwargs)

    os.replace = _slow_replace
