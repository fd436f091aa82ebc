# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The worker settings of the NKS API guide 2026-03, shared by ``nks_nodegroup`` and ``nks_cluster``.

``node_labels`` (Kubernetes labels of the nodes, label ``k8s_node_labels``), ``floating_ip`` (floating IP
auto-assignment, labels ``fip_*``) and ``metric_autoscale`` (the metric-based autoscaler, labels
``mba_scale_out``/``mba_scale_in``): checked before any request (:func:`validate`), turned into create labels
(:func:`create_labels`), and planned as in-place changes (:func:`plan`: one ``PATCH .../nodegroups/{ng}`` per
setting, types ``k8s_node_labels``, ``fip_auto_bind``, ``metric_base_autoscale``). The planner runs for any
node group, ``default-worker`` included, so both modules make the same requests.

:func:`plan_node_group` plans the rest of a worker node group's in-place changes (autoscaler, resize, Change
Instance Flavor, user script), the one planner of ``nks_nodegroup`` and of ``nks_cluster`` (its
``default-worker``), so both apply the same rules (``num_max_unavailable_nodes`` at most the node count). No
Ansible imports here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from . import _autoscale
from ._engine import Change
from ._labels import (FLOATING_IP_LABELS, autoscale_from_api, METRIC_AUTOSCALE_LABELS, NODEGROUP_CHANGED_BY, floating_ip_to_api, from_labels,
                      metric_autoscale_from_labels, metric_autoscale_to_api, parse_json_label, to_labels)
from ._validation import ValidationError

SETTINGS = tuple(NODEGROUP_CHANGED_BY)
"""The options planned here: ``node_labels``, ``floating_ip``, ``metric_autoscale``."""
MAX_NODE_LABELS = 20
"""User guide "Kubernetes Label Settings": at most 20 labels."""
RESERVED_PREFIXES = ("kubernetes.io", "k8s.io", "magnum.openstack.org")
_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$")
_DNS = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def _given(settings):
    return dict((key, value) for key, value in (settings or {}).items() if value is not None)


def node_label_problem(key, value):
    """What is wrong with one Kubernetes label (user guide, "Label Key"/"Label Value"), or ``None``."""
    prefix, dummy, name = key.rpartition("/")
    if prefix:
        if len(prefix) > 253 or not _DNS.match(prefix):
            return "the prefix %r of key %r must be a DNS subdomain of at most 253 characters" % (prefix, key)
        if any(prefix == p or prefix.endswith("." + p) for p in RESERVED_PREFIXES):
            return "the prefix of key %r is reserved (%s)" % (key, ", ".join(RESERVED_PREFIXES))
    if len(name) > 63 or not _NAME.match(name):
        return ("key %r: the name must have 1 to 63 letters, digits, '-', '_' or '.', and start and end"
                " with a letter or digit" % key)
    if isinstance(value, bool):
        return "the value of %r is a boolean; quote it (%r)" % (key, str(value).lower())
    text = "" if value is None else str(value)
    if text and (len(text) > 63 or not _NAME.match(text)):
        return ("the value %r of %r must be empty or have at most 63 letters, digits, '-', '_' or '.',"
                " starting and ending with a letter or digit" % (text, key))
    return None


def normalize_node_labels(labels):
    """``node_labels`` with every value a string (``None`` -> ``""``); ``None`` stays ``None``."""
    if labels is None:
        return None
    return dict((str(k), "" if v is None else str(v)) for k, v in labels.items())


def validate(params, prefix=""):
    """Check ``node_labels``, ``floating_ip`` and ``metric_autoscale`` before any request.

    :param dict params: the module parameters (keys of :data:`SETTINGS` may be missing or ``None``).
    :param str prefix: prefix of the option names in messages (``""``, or ``"workers[0]."`` for the role).
    :raises ValidationError: naming the option and the rule.
    """
    labels = params.get("node_labels")
    if labels is not None:
        if len(labels) > MAX_NODE_LABELS:
            raise ValidationError(prefix + "node_labels", "at most %d Kubernetes labels (NKS limit), got %d"
                                  % (MAX_NODE_LABELS, len(labels)))
        for key in sorted(labels, key=str):
            problem = node_label_problem(str(key), labels[key])
            if problem:
                raise ValidationError(prefix + "node_labels", problem)
    fip = params.get("floating_ip")
    if fip and fip.get("enabled") and not fip.get("subnet"):
        raise ValidationError(prefix + "floating_ip.subnet", "required when floating_ip.enabled is true: the"
                              " subnet (the cluster's subnet or an additional subnet of the node group) whose"
                              " interface gets the floating IP")
    mba = params.get("metric_autoscale") or {}
    for policy in ("scale_out", "scale_in"):
        settings = mba.get(policy)
        if not settings:
            continue
        name = "%smetric_autoscale.%s" % (prefix, policy)
        # the numeric ranges (node counts, delay, adjustment_count, rules' duration) are
        # _validation.NUMERIC_RANGES', checked for every option before any request
        if settings.get("enabled") and not settings.get("rules"):
            raise ValidationError(name + ".rules", "at least one rule is required when %s.enabled is true"
                                  % name)
    bounds = (mba.get("scale_in") or {}).get("min_node_count"), (mba.get("scale_out") or {}).get("max_node_count")
    if None not in bounds and bounds[0] > bounds[1]:
        raise ValidationError(prefix + "metric_autoscale.scale_in.min_node_count",
                              "must not exceed metric_autoscale.scale_out.max_node_count (%d > %d)" % bounds)


def create_labels(params):
    """Create labels of ``floating_ip`` and ``metric_autoscale`` (``node_labels`` is a row of the label
    tables). :returns: ``dict`` label -> value."""
    labels = {}
    if params.get("floating_ip"):
        labels.update(to_labels(FLOATING_IP_LABELS, _given(params["floating_ip"])))
    if params.get("metric_autoscale"):
        labels.update(to_labels(METRIC_AUTOSCALE_LABELS,
                                dict((k, _given(v)) for k, v in params["metric_autoscale"].items() if v)))
    return labels


def predict(params):
    """The typed settings a create with ``params`` reports (for check mode's prediction)."""
    out = {}
    if params.get("node_labels") is not None:
        out["node_labels"] = normalize_node_labels(params["node_labels"])
    if params.get("floating_ip"):
        out["floating_ip"] = _given(params["floating_ip"])
    if params.get("metric_autoscale"):
        out["metric_autoscale"] = dict((k, _given(v)) for k, v in params["metric_autoscale"].items() if v)
    return out


def current(labels):
    """The typed settings of a node group from its labels: ``node_labels`` (``{}`` when none),
    ``floating_ip`` and ``metric_autoscale`` (keys present only when NKS reports them)."""
    labels = labels or {}
    node_labels = parse_json_label(labels.get("k8s_node_labels"))
    return dict(node_labels=normalize_node_labels(node_labels if isinstance(node_labels, dict) else {}),
                floating_ip=from_labels(FLOATING_IP_LABELS, labels),
                metric_autoscale=metric_autoscale_from_labels(labels))


def _rules(rules):
    return sorted((r.get("metric"), r.get("threshold"), r.get("duration")) for r in rules or [])


def _differs(want, have):
    """The keys given in ``want`` whose value differs from ``have`` (rules compared as sets)."""
    for key, value in _given(want).items():
        if key == "rules":
            if _rules(value) != _rules(have.get(key)):
                return True
        elif key == "rules_operator":
            if str(value).upper() != str(have.get(key) or "").upper():
                return True
        elif have.get(key) != value:
            return True
    return False


def plan(api, cluster_uuid, nodegroup, labels, params):
    """Plan the in-place changes of ``node_labels``, ``floating_ip`` and ``metric_autoscale``.

    ``node_labels`` is the whole set (labels not listed are removed from the configuration); in
    ``floating_ip`` and each policy of ``metric_autoscale`` the keys not given keep their current values,
    and the request carries the merged settings.

    :param api: an ``NksApi``. :param str nodegroup: the node group's name or UUID.
    :param dict labels: the node group's labels (Get a Node Group).
    :param dict params: the module parameters.
    :returns: ``list`` of :class:`~._engine.Change`, in the order node labels, floating IP, metric autoscaler.
    """
    have = current(labels)
    changes = []
    want_labels = normalize_node_labels(params.get("node_labels"))
    if want_labels is not None and want_labels != have["node_labels"]:
        changes.append(Change("node_labels", have["node_labels"], want_labels,
                              lambda o: api.set_node_labels(cluster_uuid, nodegroup, want_labels)))
    fip = params.get("floating_ip")
    if fip is not None and _differs(fip, have["floating_ip"]):
        fip_after = dict(have["floating_ip"], **_given(fip))
        if not fip_after.get("enabled"):
            fip_after = dict((k, v) for k, v in fip_after.items() if k == "enabled" or k in _given(fip))
        fip_body = floating_ip_to_api(fip_after)
        changes.append(Change("floating_ip", have["floating_ip"], fip_after,
                              lambda o: api.set_fip_auto_bind(cluster_uuid, nodegroup, fip_body)))
    mba = params.get("metric_autoscale")
    if mba is not None:
        have_mba, merged, body_policies = have["metric_autoscale"], dict(have["metric_autoscale"]), {}
        for policy in ("scale_out", "scale_in"):
            if mba.get(policy) is not None and _differs(mba[policy], have_mba.get(policy) or {}):
                merged[policy] = dict(have_mba.get(policy) or {}, **_given(mba[policy]))
                body_policies[policy] = merged[policy]
        if body_policies:
            body = metric_autoscale_to_api(body_policies)
            changes.append(Change("metric_autoscale", have_mba, merged,
                                  lambda o: api.set_metric_autoscale(cluster_uuid, nodegroup, body)))
    return changes


def check_rolling(limit, count):
    """The bound of ``num_max_unavailable_nodes`` that depends on the node count (API guide "Change Instance
    Flavor" and "Upgrade a Node Group": at most the number of nodes of the node group).

    :param int limit: ``num_max_unavailable_nodes`` (``None``: not given). :param int count: the node count
        the operation starts from (``0``/``None``: unknown, not checked).
    :raises ValidationError: naming ``num_max_unavailable_nodes``.
    """
    if limit is not None and count and limit > count:
        raise ValidationError("num_max_unavailable_nodes", "must be at most the number of nodes of the node"
                                                           " group (%d), got %d" % (count, limit))


def plan_node_group(api, cluster_uuid, nodegroup, have, params, resource, warn):
    """Plan the autoscaler, resize, flavor and user script changes of one worker node group.

    The one planner of ``nks_nodegroup`` and of ``nks_cluster``'s ``default-worker`` (API guide: "Change
    Cluster Autoscaler Settings", "Resize a Node Group", "Change Instance Flavor", "Change User Script").

    :param api: an ``NksApi``. :param str cluster_uuid: :param str nodegroup: the node group's name or UUID.
    :param dict have: the node group now: ``node_count`` (int), ``flavor_id``, ``user_script`` (str) and
        ``autoscale`` (typed, from its labels).
    :param dict params: the module parameters: ``autoscale``, ``node_count``, ``nodes_to_remove`` (may be
        missing), ``flavor_id``, ``num_buffer_nodes``, ``num_max_unavailable_nodes``, ``user_script``.
    :param str resource: the node group in messages (``node group 'x' of cluster 'y'``).
    :param warn: ``callable(message)``, for options that are ignored.
    :returns: ``(changes, count)``: ``list`` of :class:`~._engine.Change` in the order autoscaler, resize,
        flavor, user script; ``count`` the node count after them (what an upgrade starts from).
    :raises ValidationError: a node count outside the autoscaler's bounds, ``nodes_to_remove`` listing
        more nodes than a shrink removes, ``num_max_unavailable_nodes`` above the node count.
    """
    p = params
    changes = []
    autoscale_after = have.get("autoscale") or {}
    if p.get("autoscale") is not None:
        current = autoscale_from_api(api.get_autoscale(cluster_uuid, nodegroup))
        merged, body = _autoscale.plan(current, p["autoscale"], "autoscale")
        autoscale_after = merged
        if body is not None:
            changes.append(Change("autoscale", current, merged,
                                  lambda o: api.set_autoscale(cluster_uuid, nodegroup, body)))
    resize = _plan_resize(api, cluster_uuid, nodegroup, int(have.get("node_count") or 0), p, autoscale_after,
                          resource, warn)
    if resize is not None:
        changes.append(resize)
    count = resize.after if resize is not None else have.get("node_count")
    want_flavor = p.get("flavor_id")
    if want_flavor and want_flavor != have.get("flavor_id"):
        check_rolling(p.get("num_max_unavailable_nodes"), count)
        changes.append(Change("flavor_id", have.get("flavor_id"), want_flavor,
                              lambda o: api.change_flavor(cluster_uuid, nodegroup, want_flavor,
                                                          p.get("num_buffer_nodes"),
                                                          p.get("num_max_unavailable_nodes"))))
    have_script = have.get("user_script") or ""
    if p.get("user_script") is not None and p["user_script"] != have_script:
        changes.append(Change("user_script", have_script, p["user_script"],
                              lambda o: api.set_userscript(cluster_uuid, nodegroup, p["user_script"])))
    return changes, count


def _plan_resize(api, cluster_uuid, nodegroup, have, params, autoscale_after, resource, warn):
    """The resize :class:`~._engine.Change` (``node_count``, ``nodes_to_remove``) or ``None``."""
    want, remove = params.get("node_count"), params.get("nodes_to_remove")
    if want is None:
        return None  # nodes_to_remove without node_count: warned by nks_nodegroup's validate_input
    if want == have:
        if remove:
            warn("nodes_to_remove ignored: node_count does not shrink %s (it has %d nodes)" % (resource, have))
        return None
    _autoscale.check_node_count(want, autoscale_after, resource)
    if autoscale_after.get("enabled"):
        warn("node_count %d ignored: the autoscaler of %s is on and decides the number of nodes (currently %d)"
             % (want, resource, have))
        return None
    if want > have:
        if remove:
            warn("nodes_to_remove ignored: node_count %d grows %s (it has %d nodes)" % (want, resource, have))
        remove = None
    elif remove and len(set(remove)) > have - want:
        raise ValidationError("nodes_to_remove", "lists %d nodes, but shrinking from %d to %d removes %d"
                              % (len(set(remove)), have, want, have - want))
    if remove:
        return Change("node_count", have, want, lambda o: api.resize(cluster_uuid, nodegroup, want, remove))
    return Change("node_count", have, want, lambda o: api.resize(cluster_uuid, nodegroup, want))
