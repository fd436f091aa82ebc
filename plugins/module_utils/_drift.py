# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A cluster or node group newer than its definition (issue 22, item 7).

After an upgrade (``upgrade.yml``, the console, another tool), the definition's ``kube_version`` is older than
what runs. NKS cannot downgrade, and refusing the whole task for it would block every later run until the
definition is edited: the module warns, naming the variable to update, sends no downgrade and goes on with
the other options. No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ._validation import normalize_version, parse_version

BEHIND = ("%s runs Kubernetes %s, newer than kube_version %s of its definition: NKS cannot downgrade, so"
          " kube_version is left alone (no request); update kube_version of the definition to %s (for the"
          " cluster role: the variable that sets %s)")


def behind_definition(warn, have, want, resource, variable="kube_version"):
    """Warn and return ``True`` when ``want`` is older than ``have`` (a downgrade): the caller then plans
    nothing for ``kube_version``.

    :param warn: the module's ``warn``. :param str have: the running version. :param str want: the asked one.
    :param str resource: ``"cluster 'x'"`` / ``"node group 'y' of cluster 'x'"``.
    :returns: ``bool``; ``False`` for equal or newer (the caller's upgrade rules apply).
    """
    if not have or not want or parse_version(want) >= parse_version(have):
        return False
    warn(BEHIND % (resource, normalize_version(have), normalize_version(want), normalize_version(have), variable))
    return True
