# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one comparison of what a user asked for with what NKS reports.

NKS answers labels as it stores them: it adds labels of its own, returns
``*_id_list`` values (colon-separated UUIDs) in another order and boolean strings
in another case (nhn-field-behaviour.md, N6). So values are compared in a
canonical form (:func:`canonical`), only for the options and labels the user
declared, and a difference that no guide operation can make is reported by
:func:`refuse` with every offending option; the first one is carried as data
(``ValidationError.option``), never parsed back out of the message.
No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from collections import namedtuple

from ._labels import to_bool
from ._validation import ValidationError, normalize_version

Difference = namedtuple("Difference", ["option", "have", "want"])
"""One option whose current value ``have`` differs from the asked value ``want``."""

_DICT_LISTS = ("extra_security_groups", "extra_volumes")
_SECRET_KEYS = ("volume_appkey",)
_BOOL_WORDS = ("true", "false")


def _canonical_item(item):
    item = dict((k, v) for k, v in item.items() if v not in (None, "") and k not in _SECRET_KEYS)
    if "security_group_ids" in item:
        item["security_group_ids"] = sorted(item["security_group_ids"])
    return json.dumps(item, sort_keys=True)


def canonical(option, value):
    """Comparable form of a typed option value.

    Lists are sets (sorted, duplicates dropped), lists of dicts are compared without
    ``None``/empty keys and secrets, booleans by value, ``kube_version`` normalised.

    :param str option: the module option (``kube_version`` is normalised).
    :param value: the typed value; ``None`` stays ``None``.
    """
    if value is None:
        return None
    if option in _DICT_LISTS:
        return sorted(set(_canonical_item(item) for item in value if isinstance(item, dict)))
    if isinstance(value, (list, tuple)):
        return sorted(set(str(item).strip() for item in value if str(item).strip()))
    if isinstance(value, bool):
        return value
    if option == "kube_version":
        return normalize_version(value)
    return value


def label_value(key, value):
    """Comparable form of a raw label value: ``*_list`` values (colon-separated) as sets,
    ``"True"``/``"true"``/``true`` as booleans, numbers and text as stripped strings."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)):
        return canonical(key, value)
    text = str(value).strip()
    if text.lower() in _BOOL_WORDS:
        return to_bool(text)
    if key.endswith("_list"):
        return canonical(key, text.split(":"))
    return text


def differences(want, have, options):
    """The options of ``options`` set in ``want`` whose value differs from ``have``.

    An option the API does not report (``None``, or ``""`` for a scalar) is not compared:
    the guide does not list every label in every answer.

    :param dict want: typed values asked for (``None`` = not set).
    :param dict have: typed current values (a view of the API object).
    :param options: the option names to compare, in the order to report them.
    :returns: ``list`` of :class:`Difference`.
    """
    out = []
    for option in options:
        asked, current = want.get(option), have.get(option)
        if asked is None or current is None or (current == "" and not isinstance(asked, list)):
            continue
        if canonical(option, asked) != canonical(option, current):
            out.append(Difference(option, current, asked))
    return out


def label_differences(want, have, prefix="labels"):
    """The labels declared in ``want`` whose value differs from ``have`` (by :func:`label_value`).

    Labels NKS added (absent from ``want``) and labels it does not report are ignored.

    :returns: ``list`` of :class:`Difference` named ``labels.<key>``.
    """
    out = []
    for key, asked in sorted((want or {}).items()):
        have_labels = have or {}
        if key in have_labels and label_value(key, asked) != label_value(key, have_labels[key]):
            out.append(Difference("%s.%s" % (prefix, key), have_labels[key], asked))
    return out


def _shown(value):
    """A value for a message: secret keys of list items (``volume_appkey``) masked."""
    if isinstance(value, (list, tuple)):
        return [dict((k, "********" if k in _SECRET_KEYS else v) for k, v in item.items())
                if isinstance(item, dict) else item for item in value]
    return value


def refuse(diffs, resource, advice):
    """Raise one :class:`ValidationError` listing every difference that cannot be made in place.

    :param list diffs: :class:`Difference` items; nothing happens when empty.
    :param str resource: ``cluster`` or ``node group``.
    :param str advice: what the user can do instead.
    :raises ValidationError: with ``option`` = the first difference's option.
    """
    if not diffs:
        return
    listed = "; ".join("%s (is %s, asked %s)" % (d.option, _shown(d.have), _shown(d.want)) for d in diffs)
    raise ValidationError(diffs[0].option, "cannot be changed on an existing %s (no NKS operation"
                                           " changes it; %s): %s" % (resource, advice, listed))
