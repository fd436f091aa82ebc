# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Waiting options of the modules that start asynchronous NKS operations."""

    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until the operations this task starts have finished (C(*_COMPLETE), or gone for a delete).
      - An operation already running on the resource when the task starts is always waited for
        (the task attaches to it) before anything else is done.
      - An operation that ends in C(*_FAILED) fails the task with the API's C(status_reason).
      - >-
        While the task waits, a progress line is printed at the default verbosity after 30 seconds of a wait and
        then every 30 seconds (so at least once a minute). It names the resource, its status (or what the readiness
        wait of C(wait_for=api|nodes) still misses) and the time waited, then, when known, how long NKS typically
        takes and the time left, for example C(nks_cluster: cluster 'demo': CREATE_IN_PROGRESS for 2 min 30 s)
        followed by C(NKS typically takes 10 min: about 7 min 30 s left) in parentheses.
        Lines hold no option value, so they show with C(no_log) too.
      - >-
        The lines come from the module's action plugin, which runs the module as usual and prints what the module
        appends to a private file (mode 0600) on the controller while it waits; ansible-runner and AWX show them
        as job output. They are unavailable, and the task is silent until it ends as before, when the module runs
        on another host (C(delegate_to) a remote host, a remote C(ansible_connection)), as another user
        (C(become)), or with C(async).
      - >-
        The environment variable E(NKS_PROGRESS_INTERVAL) on the controller (seconds) changes the interval, for
        tests and demonstrations.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait before failing. The operation goes on in NKS; running the task again attaches to it.
      - At least C(0); C(0) does not wait, as O(wait=false). Slow answers count, the whole wait ends by then.
    type: int
    default: 3600
"""
