# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side checks of the NKS API v2 guide's input rules.

Every check raises :class:`ValidationError` naming the option and the rule, so
that bad input fails before any request is sent. Pure functions, no Ansible
and no HTTP: unit tested in ``tests/unit/plugins/module_utils/``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

NAME_MAX_LENGTH = 32
_NAME_RE = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?\Z")  # \Z: "$" accepts a trailing newline
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")

LINK_LOCAL = ipaddress.ip_network(u"169.254.0.0/16")
NKS_INTERNAL = ipaddress.ip_network(u"198.18.0.0/19")
DOCKER_BIP = ipaddress.ip_network(u"172.17.0.0/16")
BIP_LAST_VERSION = (1, 23, 3)
MAX_CIDR_PREFIX = 24
POD_SUBNET_MIN, POD_SUBNET_MAX = 20, 28
DEFAULT_SERVICE_CIDR = u"10.254.0.0/16"
DEFAULT_PODS_CIDR = u"10.100.0.0/16"


class ValidationError(ValueError):
    """An option breaks a rule of the guide.

    :ivar str option: the module option at fault (e.g. ``pods_network_subnet``).
    :ivar str rule: what the rule says.
    """

    def __init__(self, option, rule):
        self.option = option
        self.rule = rule
        super(ValidationError, self).__init__("%s: %s" % (option, rule))


def is_uuid(value):
    """Return ``True`` when ``value`` looks like a UUID (with or without dashes)."""
    return bool(_UUID_RE.match(value or ""))


def check_name(value, option="name"):
    """Check a cluster or node group name (guide: Create a Cluster; NKS_API_NOTES: Rules).

    Lowercase letters, digits and ``-``; starts with a letter; ends with a letter
    or a digit; at most 32 characters; not shaped like a UUID.

    :raises ValidationError: when the name breaks a rule.
    """
    if not value:
        raise ValidationError(option, "must not be empty")
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError(option, "must be at most %d characters, %s has %d"
                              % (NAME_MAX_LENGTH, _short_repr(value), len(value)))
    if is_uuid(value):
        raise ValidationError(option, "must not be shaped like a UUID: %r" % value)
    if not _NAME_RE.match(value):
        raise ValidationError(option, "may hold only lowercase letters, digits and '-', must start"
                                      " with a letter and end with a letter or digit: %s" % _short_repr(value))
    return value


def parse_version(value, option="kube_version"):
    """Parse ``v1.27.3`` (the ``v`` optional) into ``(1, 27, 3)``.

    :raises ValidationError: when the text is not a Kubernetes version.
    """
    match = _VERSION_RE.match(str(value or "").strip())
    if not match:
        raise ValidationError(option, "must be a Kubernetes version like v1.27.3, got %r" % (value,))
    return tuple(int(part) for part in match.groups())


def normalize_version(value, option="kube_version"):
    """Return the version in the API's spelling, ``v1.27.3``."""
    return "v%d.%d.%d" % parse_version(value, option)


def check_supported_version(value, supported, option="kube_version"):
    """Check that ``value`` is offered for new work by ``GET /v1/supports``.

    :param dict supported: ``supported_k8s`` of ``/v1/supports``: version -> bool.
    :raises ValidationError: when the version is unknown or no longer offered.
    """
    version = normalize_version(value, option)
    if version not in supported:
        raise ValidationError(option, "%s is not a Kubernetes version NKS knows; supported: %s"
                              % (version, ", ".join(available_versions(supported))))
    if not _truthy(supported[version]):
        raise ValidationError(option, "%s is no longer offered by NKS; supported: %s"
                              % (version, ", ".join(available_versions(supported))))
    return version


def available_versions(supported):
    """Return the versions marked available in ``supported_k8s``, oldest first."""
    return sorted((v for v, ok in supported.items() if _truthy(ok) and _VERSION_RE.match(v)),
                  key=parse_version)


def check_upgrade_step(current, target, option="kube_version"):
    """Check a control plane or node group upgrade (guide: Upgrade a Cluster).

    One minor version per step, no downgrade, no same-version "upgrade".

    :returns: ``True`` when ``target`` is one minor above ``current``, ``False``
        when both are equal (nothing to do).
    :raises ValidationError: for a downgrade or a jump of more than one minor.
    """
    cur, tgt = parse_version(current, option), parse_version(target, option)
    if cur[:2] == tgt[:2]:
        if cur != tgt:
            raise ValidationError(option, "cannot move from %s to %s: NKS upgrades whole minor"
                                          " versions only" % (normalize_version(current),
                                                              normalize_version(target)))
        return False
    if tgt < cur:
        raise ValidationError(option, "downgrades are not possible: %s is older than the current %s"
                              % (normalize_version(target), normalize_version(current)))
    if tgt[0] != cur[0] or tgt[1] != cur[1] + 1:
        raise ValidationError(option, "upgrade one minor version per step: from %s the next step is"
                                      " v%d.%d.x, not %s" % (normalize_version(current), cur[0],
                                                             cur[1] + 1, normalize_version(target)))
    return True


def parse_network(value, option):
    """Parse an IPv4 network in CIDR notation; host bits must be zero.

    :raises ValidationError: when ``value`` is not such a network.
    """
    try:
        net = ipaddress.ip_network(u"%s" % value, strict=True)
    except ValueError as exc:
        raise ValidationError(option, "must be an IPv4 network in CIDR notation such as"
                                      " 10.100.0.0/16: %s" % exc)
    if net.version != 4:
        raise ValidationError(option, "must be an IPv4 network, got %s" % value)
    return net


def check_cluster_cidrs(pods_network_cidr=None, service_cluster_ip_range=None,
                        pods_network_subnet=None, kube_version=None, fixed_subnet_cidr=None):
    """Check the CIDR rules of "Create a Cluster" (guide: fixed_subnet, pods_network_cidr,
    service_cluster_ip_range and pods_network_subnet input rules).

    Unset CIDRs take the API's defaults (``10.100.0.0/16``, ``10.254.0.0/16``).
    ``fixed_subnet`` is given to the API as a UUID, so its CIDR is checked only
    when the caller knows it (``fixed_subnet_cidr``).

    :raises ValidationError: naming the first option that breaks a rule.
    """
    nets, given = [], set()
    for option, value, default in (("pods_network_cidr", pods_network_cidr, DEFAULT_PODS_CIDR),
                                   ("service_cluster_ip_range", service_cluster_ip_range,
                                    DEFAULT_SERVICE_CIDR),
                                   ("fixed_subnet", fixed_subnet_cidr, None)):
        if value is None and default is None:
            continue
        net = parse_network(value if value is not None else default, option)
        if value is not None:
            _check_cidr_common(net, option, kube_version)
            given.add(option)
        nets.append((option, net))
    for i, (opt_a, net_a) in enumerate(nets):
        for opt_b, net_b in nets[i + 1:]:
            if net_a.overlaps(net_b):
                if opt_a not in given:  # blame the option the user set, not a default
                    (opt_a, net_a), (opt_b, net_b) = (opt_b, net_b), (opt_a, net_a)
                raise ValidationError(opt_a, "%s overlaps %s %s; the pod network, the service network"
                                             " and the VPC subnet must not overlap"
                                      % (net_a, opt_b, net_b))
    if pods_network_subnet is not None:
        pods = dict(nets)["pods_network_cidr"]
        check_pod_subnet(pods_network_subnet, pods, "pods_network_subnet", "pods_network_cidr")


def check_pod_subnet(size, pod_cidr, option="pods_network_subnet", cidr_option="pods_network_cidr"):
    """Check a pod subnet size: 20..28, and at least the pod CIDR's prefix + 2.

    :param int size: the subnet prefix length.
    :param pod_cidr: the pod network (``ipaddress.IPv4Network`` or text).
    :raises ValidationError: when the size breaks a rule.
    """
    try:
        size = int(size)
    except (TypeError, ValueError):
        raise ValidationError(option, "must be an integer between %d and %d, got %r"
                              % (POD_SUBNET_MIN, POD_SUBNET_MAX, size))
    if not POD_SUBNET_MIN <= size <= POD_SUBNET_MAX:
        raise ValidationError(option, "must be between %d and %d (inclusive), got %d"
                              % (POD_SUBNET_MIN, POD_SUBNET_MAX, size))
    if not isinstance(pod_cidr, ipaddress.IPv4Network):
        pod_cidr = parse_network(pod_cidr, cidr_option)
    if size < pod_cidr.prefixlen + 2:
        raise ValidationError(option, "must be at least 2 greater than the prefix of %s %s (so at"
                                      " least %d), got %d" % (cidr_option, pod_cidr,
                                                              pod_cidr.prefixlen + 2, size))
    return size


def check_cni_pod_cidr(pod_cidr, service_cluster_ip_range=None, current_pods_cidr=None,
                       subnet_cidrs=(), option="pod_cidr"):
    """Check ``pod_cidr`` of "Change Cluster CNI" (guide: pod_cidr input rules).

    :raises ValidationError: when the CIDR breaks a rule.
    """
    net = parse_network(pod_cidr, option)
    _check_cidr_common(net, option, None)
    for what, other in (("the cluster's service network", service_cluster_ip_range),
                        ("the cluster's current pod network", current_pods_cidr)):
        if other and net.overlaps(parse_network(other, option)):
            raise ValidationError(option, "%s overlaps %s %s" % (net, what, other))
    for other in subnet_cidrs or ():
        if net.overlaps(parse_network(other, option)):
            raise ValidationError(option, "%s overlaps the cluster's subnet %s" % (net, other))
    return net


def _check_cidr_common(net, option, kube_version):
    if net.prefixlen > MAX_CIDR_PREFIX:
        raise ValidationError(option, "a block smaller than /%d is not allowed (prefix at most %d),"
                                      " got %s" % (MAX_CIDR_PREFIX, MAX_CIDR_PREFIX, net))
    for reserved, what in ((LINK_LOCAL, "the link-local range"),
                           (NKS_INTERNAL, "the range NKS uses internally")):
        if net.overlaps(reserved):
            raise ValidationError(option, "%s overlaps %s %s" % (net, what, reserved))
    if kube_version and parse_version(kube_version) <= BIP_LAST_VERSION and net.overlaps(DOCKER_BIP):
        raise ValidationError(option, "%s overlaps the docker bridge %s, not allowed for clusters of"
                                      " v1.23.3 or older" % (net, DOCKER_BIP))


def check_range(value, option, minimum=None, maximum=None):
    """Check ``minimum <= value <= maximum`` (either bound may be ``None``).

    :raises ValidationError: when out of bounds.
    """
    if value is None:
        return value
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if maximum is None:
            rule = "must be at least %s" % minimum
        elif minimum is None:
            rule = "must be at most %s" % maximum
        elif value < minimum:
            rule = "must be between %s and %s (at least %s)" % (minimum, maximum, minimum)
        else:
            rule = "must be between %s and %s (at most %s)" % (minimum, maximum, maximum)
        raise ValidationError(option, "%s, got %s" % (rule, value))
    return value


def check_autoscale(settings, option="autoscale"):
    """Check autoscaler settings (guide: Change Autoscaler Configuration; notes: max 1..10).

    :param dict settings: typed keys ``min_node_count``, ``max_node_count``,
        ``scale_down_util_thresh`` (percent), times in minutes; ``None`` = unset.
    :param str option: the dict option holding the settings; ``None`` when the
        keys are options of their own (``nks_autoscale``).
    :raises ValidationError: naming ``option.key`` (``key`` when ``option`` is ``None``).
    """
    if not settings:
        return settings

    def name(key):
        return "%s.%s" % (option, key) if option else key

    lo, hi = settings.get("min_node_count"), settings.get("max_node_count")
    check_range(lo, name("min_node_count"), 1, 10)
    check_range(hi, name("max_node_count"), 1, 10)
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError(name("min_node_count"), "must not exceed max_node_count"
                                                      " (%s > %s)" % (lo, hi))
    check_range(settings.get("scale_down_util_thresh"), name("scale_down_util_thresh"), 1, 100)
    for key in ("scale_down_unneeded_time", "scale_down_delay_after_add"):
        check_range(settings.get(key), name(key), 1, 1440)
    return settings


def check_worker_options(params):
    """The guide's static rules for the worker options ``nks_cluster`` (its ``default-worker``) and
    ``nks_nodegroup`` share, before any request: ``kube_version`` format, ``node_count`` and
    ``boot_volume_size`` at least 1, ``num_buffer_nodes`` at least 0 and ``num_max_unavailable_nodes``
    at least 1 (Change Instance Flavor, Upgrade a Cluster), and the ``autoscale`` settings.

    :param dict params: the module's options (``None`` = not set, not checked).
    :raises ValidationError: naming the first option that breaks a rule.
    """
    if params["kube_version"] is not None:
        normalize_version(params["kube_version"], "kube_version")
    check_range(params["node_count"], "node_count", 1)
    check_range(params["boot_volume_size"], "boot_volume_size", 1)
    check_range(params["num_buffer_nodes"], "num_buffer_nodes", 0)
    check_range(params["num_max_unavailable_nodes"], "num_max_unavailable_nodes", 1)
    check_autoscale(params["autoscale"], "autoscale")


def precondition_unmet(check_mode, warn, option, rule, earlier):
    """A precondition that an earlier task of the same run could satisfy is not met yet.

    Outside check mode this is an error. In check mode nothing of the earlier task has
    happened, so the precondition is a warning naming that task, and the caller goes on to
    predict its change (issue: previews of hand-written sequences).

    :param bool check_mode: :param warn: callable taking the warning text.
    :param str option: the option at fault. :param str rule: what is not met.
    :param str earlier: the task(s) that would satisfy it, for example
        ``nhncloud.nks.nks_cluster name=x``.
    :raises ValidationError: outside check mode.
    """
    if not check_mode:
        raise ValidationError(option, rule)
    warn("%s: %s. Check mode goes on as if an earlier task of this run (%s) had done it; outside check"
         " mode this is an error" % (option, rule, earlier))


def normalize_ip_cidr(value, option="targets.cidr"):
    """Normalise an IP ACL target: a bare IP becomes ``/32``; host bits are kept as given.

    ``192.168.0.5`` -> ``192.168.0.5/32``; ``10.10.22.3/24`` stays ``10.10.22.3/24``
    (the guide's own example keeps host bits).

    :raises ValidationError: when ``value`` is not an IPv4 address or CIDR.
    """
    try:
        iface = ipaddress.ip_interface(u"%s" % str(value).strip())
    except ValueError:
        raise ValidationError(option, "must be an IPv4 address or CIDR, got %r" % (value,))
    if iface.version != 4:
        raise ValidationError(option, "must be an IPv4 address or CIDR, got %r" % (value,))
    return "%s/%d" % (iface.ip, iface.network.prefixlen)


NAME_ECHO_LENGTH = 64
"""Longest part of a name echoed in a message (a longer one is cut, its length given)."""


def _short_repr(value, limit=NAME_ECHO_LENGTH):
    """``repr(value)``, or for a long value its first ``limit`` characters, ``...`` and its length."""
    if len(value) <= limit:
        return repr(value)
    return "%r... (%d characters)" % (value[:limit], len(value))


def _truthy(value):
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


NODE_COUNT_MAX = 10
"""Most nodes of one node group: NKS's default quota (NKS_API_NOTES: Rules, "Resize node_count 1..10").
A larger ``node_count`` is refused before any request instead of being sent to the API."""

NUMERIC_RANGES = {
    # connection and waiting (every module)
    "http_timeout": (0.1, None),
    "wait_timeout": (0, None),
    # nks_cluster / nks_nodegroup worker options (guide: Create a Cluster, Create a Node Group, Resize)
    "node_count": (1, NODE_COUNT_MAX),
    "boot_volume_size": (1, None),
    "pods_network_subnet": (POD_SUBNET_MIN, POD_SUBNET_MAX),
    "num_buffer_nodes": (0, None),
    "num_max_unavailable_nodes": (1, None),
    "extra_volumes.volume_size": (1, None),
    # certificate renewal (Renew Cluster Certificate: validity 1..5 years)
    "certificate_renewal.renew_before_days": (0, None),
    "certificate_renewal.term_of_validity": (1, 5),
    # autoscaler (Change Autoscaler Configuration), as a dict option and as nks_autoscale's own options
    "autoscale.min_node_count": (1, NODE_COUNT_MAX),
    "autoscale.max_node_count": (1, NODE_COUNT_MAX),
    "autoscale.scale_down_unneeded_time": (1, 1440),
    "autoscale.scale_down_util_thresh": (1, 100),
    "autoscale.scale_down_delay_after_add": (1, 1440),
    "min_node_count": (1, NODE_COUNT_MAX),
    "max_node_count": (1, NODE_COUNT_MAX),
    "scale_down_unneeded_time": (1, 1440),
    "scale_down_util_thresh": (1, 100),
    "scale_down_delay_after_add": (1, 1440),
    # metric-based autoscaler (Change Metric-Based Autoscaler Configuration of a Node Group, 2026-03 guide)
    "metric_autoscale.scale_out.max_node_count": (1, NODE_COUNT_MAX),
    "metric_autoscale.scale_out.delay": (1, 60),
    "metric_autoscale.scale_out.adjustment_count": (1, 10),
    "metric_autoscale.scale_out.rules.threshold": (0, None),
    "metric_autoscale.scale_out.rules.duration": (2, 60),
    "metric_autoscale.scale_in.min_node_count": (1, NODE_COUNT_MAX),
    "metric_autoscale.scale_in.delay": (1, 60),
    "metric_autoscale.scale_in.adjustment_count": (1, 10),
    "metric_autoscale.scale_in.rules.threshold": (0, None),
    "metric_autoscale.scale_in.rules.duration": (2, 60),
    # control plane logs (Store Logs of Kubernetes Control Plane Components: 1..60 minutes)
    "control_plane_log.upload_interval": (1, 60),
    # nks_wait / nks_fleet
    "progress_interval": (1, None),
    "expected_duration": (1, None),
    "concurrency": (1, None),
    "ready_timeout": (0, None),
    # nks_fleet_upgrade (update runs, the role nhncloud.nks.upgrade): clusters at once (0: all of the stage),
    # failures allowed, the soak's seconds
    "max_concurrency": (0, None),
    "max_failed_clusters": (0, None),
    "failed_before": (0, None),
    "soak_seconds": (0, None),
    "soak_interval": (1, None),
}
"""The range of every numeric (``int``/``float``) option of every module, by option path
(``autoscale.max_node_count`` for a suboption): ``(minimum, maximum)``, ``None`` = unbounded.
:func:`check_ranges` applies it before any request; a unit test walks every module's argument
spec and fails on a numeric option missing here. A new numeric option gets its line here."""

NUMERIC_TYPES = ("int", "float")


def numeric_options(spec, prefix=""):
    """``[(path, option_spec)]`` for every ``int``/``float`` option of an argument spec,
    suboptions included (``autoscale.max_node_count``)."""
    found = []
    for name, option in sorted((spec or {}).items()):
        path = prefix + name
        if option.get("type") in NUMERIC_TYPES:
            found.append((path, option))
        if option.get("options"):
            found.extend(numeric_options(option["options"], path + "."))
    return found


def check_ranges(spec, params, prefix=""):
    """Check every numeric option of ``params`` against :data:`NUMERIC_RANGES`.

    :param dict spec: the argument spec the options were validated with.
    :param dict params: the validated options (``None`` = not set).
    :raises ValidationError: naming the option (``autoscale.max_node_count``) and its range.
    :raises KeyError: a numeric option without a declared range (a bug, found by the unit test).
    """
    for name, option in (spec or {}).items():
        path = prefix + name
        value = (params or {}).get(name)
        if value is None:
            continue
        if option.get("type") in NUMERIC_TYPES:
            minimum, maximum = NUMERIC_RANGES[path]
            check_range(value, path, minimum, maximum)
        if option.get("options"):
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    check_ranges(option["options"], item, path + ".")
