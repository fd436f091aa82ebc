# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one autoscaler planner of ``nks_cluster``, ``nks_nodegroup`` and ``nks_autoscale``.

Guide sections: "Change Autoscaler Configuration of a Node Group" (``POST
.../nodegroups/{ng}/autoscale``: ``ca_enable`` is required in every request, the
other keys are optional) and "Create a Cluster" / "Create a Node Group" (the
``ca_*`` labels, ``ca_enable`` required). A partial request such as
``autoscale: {max_node_count: 5}`` is merged with the current settings, checked
(``min_node_count <= max_node_count``) and always carries ``ca_enable``.
No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ._labels import AUTOSCALE_LABELS, autoscale_to_api
from ._validation import ValidationError

SETTINGS = tuple(row[0] for row in AUTOSCALE_LABELS)
"""The typed autoscaler keys: ``enabled``, ``min_node_count``, ... (the ``autoscale`` suboptions)."""


def given(settings):
    """The keys the user set: ``settings`` without ``None`` values (``{}`` for ``None``)."""
    return dict((key, value) for key, value in (settings or {}).items() if value is not None)


def create_labels(settings):
    """``ca_*`` labels of a create request: the keys given, ``ca_enable`` ``"False"`` when not set.

    :param dict settings: the typed ``autoscale`` option (may be ``None``).
    :returns: ``dict`` label -> string, always with ``ca_enable``.
    """
    want = given(settings)
    want.setdefault("enabled", False)
    return autoscale_to_api(want)


def predict_create(settings):
    """Typed settings a create with ``settings`` reports (``enabled`` ``False`` when not set)."""
    want = given(settings)
    want.setdefault("enabled", False)
    return want


def _option_name(prefix, key):
    return "%s.%s" % (prefix, key) if prefix else key


def check_merged(merged, want, prefix=None):
    """Check ``min_node_count <= max_node_count`` on the settings after a change.

    :param dict merged: the current settings with ``want`` applied.
    :param dict want: the keys the user gave (the one to blame is among them).
    :param str prefix: ``"autoscale"`` for a dict option, ``None`` for top-level options.
    :raises ValidationError: naming the option given, with the current value of the other.
    """
    low, high = merged.get("min_node_count"), merged.get("max_node_count")
    if not (isinstance(low, int) and isinstance(high, int)) or low <= high:
        return
    blamed = "min_node_count" if "min_node_count" in want else "max_node_count"
    other = "max_node_count" if blamed == "min_node_count" else "min_node_count"
    source = "asked" if other in want else "current"
    raise ValidationError(_option_name(prefix, blamed),
                          "min_node_count must not exceed max_node_count (%s > %s; %s is %s)"
                          % (low, high, "the %s %s" % (source, other), merged[other]))


def plan(have, settings, prefix=None):
    """Plan a change of the autoscaler from the current settings ``have``.

    :param dict have: typed current settings (``autoscale_from_api`` of View Autoscaler
        Configuration, or of the ``ca_*`` labels); missing keys are unknown.
    :param dict settings: the typed settings asked for; ``None`` values are not set.
    :param str prefix: how the options are named in errors (``"autoscale"`` or ``None``).
    :returns: ``(merged, body)``: the typed settings after the change, and the request body
        (label strings, always with ``ca_enable``), or ``None`` when nothing differs.
    :raises ValidationError: when the settings after the change have min above max.
    """
    have = dict((key, value) for key, value in (have or {}).items() if key in SETTINGS)
    want = given(settings)
    merged = dict(have, **want)
    check_merged(merged, want, prefix)
    if all(have.get(key) == value for key, value in want.items()):
        return merged, None
    body = dict(want)
    body["enabled"] = bool(merged.get("enabled"))  # ca_enable: required by every change
    return merged, autoscale_to_api(body)


def check_node_count(node_count, settings, resource):
    """A ``node_count`` outside the bounds of an autoscaler that is on is refused, for a new and an existing
    cluster or node group alike (issue 22, item 9): NKS would create the nodes and the autoscaler would undo it.

    :param int node_count: the asked ``node_count`` (``None``: nothing to check).
    :param dict settings: the autoscaler settings after the task (typed; ``enabled``, ``min_node_count``,
        ``max_node_count``; missing bounds are not checked).
    :param str resource: ``"new node group 'x'"`` or similar, for the message.
    :raises ValidationError: naming ``node_count``, the bound and the fix.
    """
    settings = settings or {}
    if node_count is None or not settings.get("enabled"):
        return
    low, high = settings.get("min_node_count"), settings.get("max_node_count")
    if isinstance(high, int) and node_count > high:
        raise ValidationError("node_count", "%d is above autoscale.max_node_count %d of %s: raise"
                                            " autoscale.max_node_count or lower node_count"
                              % (node_count, high, resource))
    if isinstance(low, int) and node_count < low:
        raise ValidationError("node_count", "%d is below autoscale.min_node_count %d of %s: lower"
                                            " autoscale.min_node_count or raise node_count"
                              % (node_count, low, resource))
