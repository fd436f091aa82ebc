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
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait before failing. The operation goes on in NKS; running the task again attaches to it.
      - At least C(0); C(0) does not wait, as O(wait=false). Slow answers count, the whole wait ends by then.
    type: int
    default: 1800
"""
