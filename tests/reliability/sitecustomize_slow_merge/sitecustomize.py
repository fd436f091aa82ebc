# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test hook (tests/reliability/test_kubeconfig_safety.py), on PYTHONPATH of the module
processes only: when REL_SLOW_MERGE_SECONDS is set, ``os.replace`` onto a file named
``shared.kubeconfig`` sleeps that long first. Every parallel writer has then read the file
before the first one replaces it, so a read-merge-write without a lock loses entries for
certain; with the lock the writers take turns (each sleep inside the lock)."""

import os
import time

_DELAY = os.environ.get("REL_SLOW_MERGE_SECONDS")

if _DELAY:
    _real_replace = os.replace

    def _slow_replace(src, dst, *args, **kwargs):
        if str(dst).endswith("shared.kubeconfig"):
            time.sleep(float(_DELAY))
        return _real_replace(src, dst, *args, **kwargs)

    os.replace = _slow_replace
