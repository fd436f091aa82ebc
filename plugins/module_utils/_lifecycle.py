# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The support lifecycle of NKS Kubernetes versions: one table, from the version guide.

Source: the NKS version guide as NHN publishes it in 2026-03
(``nks-docs-2026-03/en-version-guide.md``, "Schedule for Kubernetes Version-Specific
Support"; dates in UTC). Each minor version has two dates: the end of service support
(after which NKS guarantees nothing but upgrades) and the end of service (EOS: no
support at all, not even upgrades; a new cluster and a migration are needed). For v1.32
and earlier (the old policy) both dates are the same day. Dates the guide marks
"(Planned)" are taken as given. A version the guide does not list (older than v1.28,
or newer than v1.33 until the guide lists it) has no date: ``None``.

When NHN publishes a new revision of the version guide, update :data:`SCHEDULE` and
the revision named above. No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

GUIDE_REVISION = "2026-03"
"""The revision of the version guide :data:`SCHEDULE` was copied from."""

WARN_DAYS = 90
"""A cluster within this many days of its version's end of service is warned about (issue 19)."""

SCHEDULE = {
    # minor: (release, end of service support (upgrade support only after it), end of service (EOS))
    (1, 28): ("2024-02", datetime.date(2025, 11, 30), datetime.date(2025, 11, 30)),
    (1, 29): ("2024-05", datetime.date(2026, 2, 28), datetime.date(2026, 2, 28)),
    (1, 30): ("2024-08", datetime.date(2026, 5, 31), datetime.date(2026, 5, 31)),
    (1, 31): ("2025-02", datetime.date(2026, 8, 31), datetime.date(2026, 8, 31)),
    (1, 32): ("2025-05", datetime.date(2027, 2, 28), datetime.date(2027, 2, 28)),
    (1, 33): ("2025-11", datetime.date(2027, 1, 31), datetime.date(2027, 11, 30)),
}
"""Version guide, "Schedule for Kubernetes Version-Specific Support": ``(major, minor)`` ->
``(release month, end of service support, end of service (EOS))``."""


def _minor(kube_version):
    numbers = re.findall(r"\d+", str(kube_version or ""))
    return (int(numbers[0]), int(numbers[1])) if len(numbers) >= 2 else None


def support_dates(kube_version):
    """The guide's dates for a Kubernetes version.

    :param str kube_version: ``vX.Y.Z`` (only ``X.Y`` counts).
    :returns: ``(end of service support, end of service)`` as :class:`datetime.date`, or
        ``(None, None)`` when the guide does not list the version.
    """
    row = SCHEDULE.get(_minor(kube_version))
    return (row[1], row[2]) if row else (None, None)


def today():
    """Today's date in UTC (the guide's dates are UTC): the default clock of :func:`lifecycle`."""
    return datetime.datetime.now(datetime.timezone.utc).date() if hasattr(datetime, "timezone") \
        else datetime.datetime.utcnow().date()


def lifecycle(kube_version, now=None, warn_days=WARN_DAYS):
    """The support lifecycle of a cluster on ``kube_version``.

    :param str kube_version: the control plane's version, ``vX.Y.Z``.
    :param datetime.date now: today (default :func:`today`); tests inject it.
    :param int warn_days: the warning window, in days.
    :returns: ``dict``: ``end_of_support`` and ``end_of_service`` (ISO dates, or ``None`` when
        the guide does not list the version), ``days_to_end_of_service`` (int, negative once
        past, ``None`` when unknown), ``support_phase`` (``supported``, ``upgrade_only``,
        ``end_of_service`` or ``None``) and ``support_ending`` (``True`` when the end of service
        is at most ``warn_days`` days away or past).
    """
    now = now or today()
    support_end, eos = support_dates(kube_version)
    if eos is None:
        return dict(end_of_support=None, end_of_service=None, days_to_end_of_service=None,
                    support_phase=None, support_ending=False)
    days = (eos - now).days
    if now > eos:
        phase = "end_of_service"
    elif now > support_end:
        phase = "upgrade_only"
    else:
        phase = "supported"
    return dict(end_of_support=support_end.isoformat(), end_of_service=eos.isoformat(),
                days_to_end_of_service=days, support_phase=phase, support_ending=days <= warn_days)


def warning(name, kube_version, info):
    """The warning text for a cluster whose version's end of service is near or past, else ``None``.

    :param str name: the cluster's name. :param dict info: :func:`lifecycle`'s result.
    """
    if not info.get("support_ending"):
        return None
    days = info["days_to_end_of_service"]
    when = ("ended %d day(s) ago" % -days) if days < 0 else ("ends in %d day(s)" % days)
    return ("cluster %s runs Kubernetes %s, whose end of service (EOS, NKS version guide %s) is %s: %s; upgrade"
            " it (role nhncloud.nks.upgrade)%s" % (name, kube_version, GUIDE_REVISION, info["end_of_service"], when,
                                                   ", or, past EOS, create a new cluster and migrate" if days < 0
                                                   else ""))
