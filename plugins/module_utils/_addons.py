# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Add-on rules of the 2026-03 guide, shared by ``nks_addon``, ``nks_info`` and the upgrade planner.

Guide (``en-public-api.md``, "Add-on Management"): the offered add-ons (View a List
of Add-ons Offered by NHN Cloud) carry ``k8s_min_version``/``k8s_max_version`` (the
Kubernetes versions they run on, ``null`` for no bound) and ``option_schemas``
(``name``, ``data_type`` ``STRING``/``INTEGER``/``SELECT``, ``default``,
``updatable``, ``mandatory``, ``choices``); the add-on types (View a List of
Add-ons Types) say which types are ``mandatory`` (user guide, "Add-on types": CNI
and kube-dns, which cannot be removed). Everything here is pure: the callers read
the catalog, these functions decide, and every refusal is a
:class:`~._validation.ValidationError` naming the option, raised before any
mutating request. No Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ._validation import ValidationError

RESOLVE_CONFLICTS = ("none", "overwrite", "preserve")
"""The guide's conflict options of Install and Update (``resolve_conflicts``)."""

_NUMBERS = re.compile(r"\d+")


def version_key(version):
    """Sort key of an add-on or Kubernetes version string.

    ``v3.28.2-nks1`` -> ``((3, 28, 2), 1)``; ``1.8.4-nks2`` -> ``((1, 8, 4), 2)``;
    ``v1.30.3`` -> ``((1, 30, 3), 0)``. The leading ``v`` is optional; the ``-nksN``
    suffix (NHN's build of the same upstream release) orders builds of one release.

    :param str version: the version text.
    :returns: a tuple, comparable with other results of this function.
    :raises ValidationError: (option ``version``) when it has no number at all.
    """
    text = str(version or "").strip()
    release, _sep, build = text.lstrip("vV").partition("-")
    numbers = tuple(int(n) for n in _NUMBERS.findall(release))
    if not numbers:
        raise ValidationError("version", "%r is not a version (expected for example v3.28.2-nks1)" % version)
    build_numbers = _NUMBERS.findall(build)
    return numbers, int(build_numbers[-1]) if build_numbers else 0


def _k8s(version):
    return tuple(int(n) for n in _NUMBERS.findall(str(version or "")))


def fits(offered, kube_version):
    """Whether an offered add-on runs on Kubernetes ``kube_version``.

    ``k8s_min_version <= kube_version <= k8s_max_version``; a missing (``null``) bound
    is open. A bound with fewer parts (``v1.32``) is compared on that many parts, so
    ``v1.32.3`` fits a maximum of ``v1.32``.

    :param dict offered: an entry of View a List of Add-ons Offered by NHN Cloud.
    :param str kube_version: ``vX.Y.Z``.
    :returns: ``bool``.
    """
    kube = _k8s(kube_version)
    low, high = _k8s(offered.get("k8s_min_version")), _k8s(offered.get("k8s_max_version"))
    if low and kube[:len(low)] < low:
        return False
    if high and kube[:len(high)] > high:
        return False
    return True


def k8s_range(offered):
    """``"v1.26.0 to v1.32.99"``-style text of an offered add-on's Kubernetes range (for messages)."""
    return "%s to %s" % (offered.get("k8s_min_version") or "any", offered.get("k8s_max_version") or "any")


def offered_versions(catalog, name):
    """The offered entries of add-on ``name``, oldest version first.

    :param list catalog: View a List of Add-ons Offered by NHN Cloud (``addons``).
    :param str name: add-on name, e.g. ``calico``.
    :returns: ``list`` of dicts (empty when NHN Cloud offers no add-on of that name).
    """
    return sorted((a for a in catalog or [] if a.get("name") == name), key=lambda a: version_key(a.get("version")))


def newest_fitting(catalog, name, kube_version):
    """The newest offered entry of ``name`` that fits ``kube_version``, or ``None``."""
    fitting = [a for a in offered_versions(catalog, name) if fits(a, kube_version)]
    return fitting[-1] if fitting else None


def choose(catalog, name, requested, installed, kube_version):
    """The offered entry a task wants: what ``nks_addon`` option ``version`` means.

    - ``None``: keep the installed version (``installed`` given); when installing, the
      newest offered version that fits the cluster.
    - ``latest``: the newest offered version that fits the cluster.
    - anything else: that version, which must be offered and fit the cluster.

    :param list catalog: the offered add-ons.
    :param str name: add-on name. :param str requested: the ``version`` option.
    :param dict installed: the installed add-on (View Add-ons Installed on a Cluster), or ``None``.
    :param str kube_version: the control plane's Kubernetes version (``vX.Y.Z``).
    :returns: the offered entry (``dict``); when keeping an installed version NHN Cloud no
        longer offers, a stand-in ``{"name", "version", "type", "option_schemas": None}``.
    :raises ValidationError: ``name`` when nothing of that name is offered; ``version`` when the
        version is not offered, or is outside the cluster's Kubernetes range, or none fits.
    """
    entries = offered_versions(catalog, name)
    if not entries:
        offered = sorted(set(a.get("name") for a in catalog or [] if a.get("name")))
        raise ValidationError("name", "NHN Cloud offers no add-on %r (offered: %s)"
                              % (name, ", ".join(offered) or "none"))
    if requested is None and installed is not None:
        for entry in entries:
            if entry.get("version") == installed.get("version"):
                return entry
        return {"name": name, "version": installed.get("version"), "type": installed.get("type"),
                "option_schemas": None}
    if requested in (None, "latest"):
        entry = newest_fitting(catalog, name, kube_version)
        if entry is None:
            raise ValidationError("version", "no offered version of add-on %s fits the cluster's Kubernetes version"
                                  " %s (offered: %s)" % (name, kube_version, ", ".join(
                                      "%s for %s" % (a.get("version"), k8s_range(a)) for a in entries)))
        return entry
    for entry in entries:
        if entry.get("version") == requested:
            if not fits(entry, kube_version):
                raise ValidationError("version", "add-on %s %s runs on Kubernetes %s, not on the cluster's %s"
                                      % (name, requested, k8s_range(entry), kube_version))
            return entry
    raise ValidationError("version", "NHN Cloud offers no version %r of add-on %s (offered: %s)"
                          % (requested, name, ", ".join(a.get("version") for a in entries)))


def _as_text(value):
    """Option values compared as NKS stores them (the schema's ``default`` is a String)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def normalize(schema, key, value):
    """Check one option value against its schema and return it typed for the request.

    :param dict schema: an ``option_schemas`` entry. :param str key: the option (for errors).
    :returns: ``int`` for ``INTEGER``, ``str`` otherwise.
    :raises ValidationError: ``options.KEY`` on a wrong type or a value not in ``choices``.
    """
    option = "options.%s" % key
    data_type = str(schema.get("data_type") or "STRING").upper()
    if data_type == "INTEGER":
        if isinstance(value, bool):
            raise ValidationError(option, "must be an integer, not %r" % value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise ValidationError(option, "must be an integer, not %r" % value)
    if isinstance(value, (dict, list)) or value is None:
        raise ValidationError(option, "must be a string, not %r" % (value,))
    text = _as_text(value)
    choices = schema.get("choices") or []
    if data_type == "SELECT" and choices and text not in [str(c) for c in choices]:
        raise ValidationError(option, "must be one of %s, not %r" % (", ".join(str(c) for c in choices), text))
    return text


def check_options(name, schemas, options, installed_options=None):
    """Check the ``options`` a task gives against the add-on's ``option_schemas``.

    :param str name: add-on name (for messages).
    :param list schemas: ``option_schemas`` of the offered version the task installs or updates to.
    :param dict options: the task's ``options`` (``None``: none given).
    :param dict installed_options: the installed add-on's ``options`` when updating, ``None`` when
        installing. A non-updatable option may not change (an option the installed add-on does not
        show counts at its schema ``default``).
    :returns: ``dict`` of the options typed for the request.
    :raises ValidationError: ``options.KEY`` for an option not in the schema, a wrong type, a value
        not in ``choices``, a change of a non-updatable option; ``options`` for a mandatory option
        without default missing from an install.
    """
    by_name = dict((s.get("name"), s) for s in schemas or [])
    typed = {}
    for key, value in sorted((options or {}).items()):
        if key not in by_name:
            raise ValidationError("options.%s" % key, "add-on %s has no option %r (it has: %s)"
                                  % (name, key, ", ".join(sorted(by_name)) or "none"))
        typed[key] = normalize(by_name[key], key, value)
    if installed_options is not None:
        for key, value in sorted(typed.items()):
            schema = by_name[key]
            current = installed_options.get(key, schema.get("default"))
            if not schema.get("updatable", True) and current is not None and _as_text(current) != _as_text(value):
                raise ValidationError("options.%s" % key, "option %s of add-on %s cannot be changed once installed"
                                      " (not updatable in its option_schemas): it is %r, asked %r; remove and"
                                      " install the add-on again to change it" % (key, name, current, value))
    else:
        missing = [s.get("name") for s in schemas or []
                   if s.get("mandatory") and s.get("default") in (None, "") and s.get("name") not in typed]
        if missing:
            raise ValidationError("options", "add-on %s needs the option(s) %s" % (name, ", ".join(missing)))
    return typed


def options_changed(typed, installed_options, schemas):
    """The keys of ``typed`` whose value differs from the installed one (schema default when unset)."""
    by_name = dict((s.get("name"), s) for s in schemas or [])
    changed = []
    for key, value in sorted(typed.items()):
        current = (installed_options or {}).get(key, (by_name.get(key) or {}).get("default"))
        if current is None or _as_text(current) != _as_text(value):
            changed.append(key)
    return changed


def mandatory_types(types):
    """Names of the mandatory add-on types (View a List of Add-ons Types: ``mandatory`` true)."""
    return sorted(t.get("name") for t in types or [] if t.get("mandatory"))


def check_removal(installed, types):
    """Refuse the removal of an add-on of a mandatory type (user guide: "required types cannot be removed").

    :param dict installed: the installed add-on (its ``type``). :param list types: the add-on types.
    :raises ValidationError: ``state`` naming the type.
    """
    if installed.get("type") in mandatory_types(types):
        raise ValidationError("state", "add-on %s is of the mandatory type %s, which NKS does not remove; install"
                              " another add-on of that type instead, or update it"
                              % (installed.get("name"), installed.get("type")))


def addon_view(installed, types=None):
    """Typed view of an installed add-on (View Add-ons Installed on a Cluster).

    :returns: ``dict`` with ``name``, ``type``, ``version``, ``options`` (dict), ``status``,
        ``status_reason``, ``cluster_uuid``, ``mandatory`` (bool, when ``types`` is given, else
        ``None``), ``created_at``, ``updated_at``; ``None`` for ``None``.
    """
    if installed is None:
        return None
    view = dict((key, installed.get(key)) for key in ("name", "type", "version", "status", "status_reason",
                                                      "cluster_uuid", "created_at", "updated_at"))
    view["options"] = dict(installed.get("options") or {})
    view["mandatory"] = (installed.get("type") in mandatory_types(types)) if types is not None else None
    return view


def upgrade_needs(installed, catalog, target):
    """What an installed add-on needs for Kubernetes ``target`` (the upgrade planner's add-on check).

    :param dict installed: the installed add-on (``name``, ``version``).
    :param list catalog: the offered add-ons.
    :param str target: the Kubernetes version to reach.
    :returns: ``(version, error)``: ``(None, None)`` when the installed version fits ``target``
        (per the offered entry of that version; a version no longer offered is kept when no offered
        entry says otherwise); ``(newer version, None)`` when an offered version fits; ``(None,
        message)`` when nothing offered fits.
    """
    name, version = installed.get("name"), installed.get("version")
    current = [a for a in offered_versions(catalog, name) if a.get("version") == version]
    if not current or fits(current[0], target):
        return None, None
    entry = newest_fitting(catalog, name, target)
    if entry is None:
        return None, ("add-on %s %s runs on Kubernetes %s (k8s_max_version), not on %s, and NHN Cloud offers no"
                      " version of it for %s" % (name, version, k8s_range(current[0]), target, target))
    return entry.get("version"), None
