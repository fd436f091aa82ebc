# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_cluster`` does (its options are documented in ``plugins/modules/nks_cluster.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from .. import _autoscale, _worker
from .._api import (
    CONTROL_PLANE, DEFAULT_WORKER)
from .._compare import (
    differences, label_differences, refuse)
from .._drift import behind_definition
from .._engine import (
    Change, Resource, StateMachine, Waiter)
from .._kube import wait_after_converge, wait_for_spec
from .._labels import (
    AUTOSCALE_LABELS, CLUSTER_CHANGED_BY, CLUSTER_LABELS, FIXED_CLUSTER_LABELS, FLOATING_IP_LABELS,
    METRIC_AUTOSCALE_LABELS, control_plane_log_to_api, autoscale_from_api, to_labels)
from .._module import NksModule
from .._upgrade import UpgradeOfFailedMixin
from .._specs import (
    autoscale_spec, control_plane_log_spec, extra_security_groups_spec, extra_volumes_spec,
    worker_settings_spec)
from .._validation import (
    ValidationError, check_cluster_cidrs, check_cni_pod_cidr, check_name, check_pod_subnet, check_range,
    check_supported_version, check_upgrade_step, check_worker_options, is_uuid, normalize_version,
    parse_version, precondition_unmet)
from .._views import cluster_view

REQUIRED_TO_CREATE = ("kube_version", "node_count", "flavor_id", "keypair", "fixed_network",
                      "fixed_subnet", "availability_zone", "node_image", "boot_volume_type",
                      "boot_volume_size")
TOP_LEVEL = ("flavor_id", "keypair", "fixed_network", "fixed_subnet")
# Which planner (NksClusterResource._plan_<operation>) changes an option in place: the label options by the
# label table's column, the others here (default-worker: resize, autoscaler, Change Instance Flavor).
CHANGED_BY = dict(CLUSTER_CHANGED_BY, node_count="default_worker", autoscale="default_worker",
                  flavor_id="default_worker", certificate_renewal="renew_certificate")
IN_PLACE = tuple(CHANGED_BY)
# The order in which the planners run, hence their requests (a CNI change first: it allows new pod networks).
OPERATIONS = ("cni_update", "default_worker", "update_sgw", "upgrade", "renew_certificate", "control_plane_log")
CNI_CHANGE_OPTIONS = ("pods_network_cidr", "pods_network_subnet")
LEGACY_CNI = "flannel"  # the CNI of clusters created before 2023-03-31 (no cni_driver label)
WRITE_ONLY = ("boot_volume_appkey", "boot_volume_key_id")
CNI_REMOVED = ("this NKS follows the API guide 2026-03, which removed Change Cluster CNI (release notes"
               " 2025-05-27; its /v1/supports lists no CLUSTER_CNI_UPDATE task type): the CNI of an existing"
               " cluster is now the calico add-on; use nhncloud.nks.nks_addon name=calico (version, options)"
               " instead, and leave cni_driver to the cluster's creation")
# Options no NKS operation changes on an existing cluster (compared by _compare.differences).
IMMUTABLE = tuple(row[0] for row in CLUSTER_LABELS
                  if row[0] not in IN_PLACE + WRITE_ONLY) + ("keypair", "fixed_network", "fixed_subnet")
WORKER_OPTIONS = ("availability_zone", "node_image", "boot_volume_type", "boot_volume_size",
                  "additional_network_ids", "additional_subnet_ids", "extra_security_groups",
                  "extra_volumes")
IMMUTABLE_ADVICE = ("for the worker options (%s) create another node group with nhncloud.nks.nks_nodegroup;"
                    " otherwise delete and re-create the cluster deliberately" % ", ".join(WORKER_OPTIONS))


def _shown_log(settings):
    """``control_plane_log`` settings for output: ``lncs_appkey`` masked."""
    shown = dict(settings or {})
    if shown.get("lncs_appkey"):
        shown["lncs_appkey"] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    return shown


def check_control_plane_log(settings):
    """The guide's rules of ``control_plane_log`` (Store Logs of Kubernetes Control Plane Components).

    :raises ValidationError: naming the suboption that is missing or out of range.
    """
    if not settings:
        return
    check_range(settings.get("upload_interval"), "control_plane_log.upload_interval", 1, 60)
    if not settings.get("enabled"):
        return
    needed = ["type", "sgw"] + (["lncs_appkey"] if settings.get("type") == "lncs" else []) \
        + (["obs_api_url"] if settings.get("type") == "obs" else [])
    missing = [key for key in needed if not settings.get(key)]
    if missing:
        raise ValidationError("control_plane_log.%s" % missing[0], "required when control_plane_log.enabled"
                              " is true (type %s); missing: %s"
                              % (settings.get("type") or "not set", ", ".join(missing)))


class NksClusterResource(UpgradeOfFailedMixin, Resource):
    """An NKS cluster, found by name or UUID (guide: Cluster)."""

    kind = "cluster"

    def describe(self):
        """The cluster in messages: ``cluster 'x'``."""
        return "cluster %r" % self.params["name"]

    def find(self):
        """The cluster named or identified by ``name`` (List Clusters, Get a Cluster), or ``None``."""
        return self.api.find_cluster(self.params["name"])

    def fetch(self, obj):
        """The cluster read again (Get a Cluster); ``None`` when gone."""
        return self.api.get_cluster(obj["uuid"])

    def view(self, obj):
        """:func:`cluster_view`; for ``state=absent`` also ``nodegroups``, the names of the node
        groups deleted with the cluster (List Node Groups; ``default-master`` is not listed)."""
        view = cluster_view(obj)
        if view is not None and self.params["state"] == "absent":
            view["nodegroups"] = sorted(ng.get("name") for ng in self.api.list_nodegroups(obj["uuid"]))
        return view

    # -- create -------------------------------------------------------------

    def typed_options(self):
        """The typed create options the user set (``None`` = not set)."""
        p = self.params
        opts = dict((row[0], p.get(row[0])) for row in CLUSTER_LABELS)
        if opts["kube_version"] is not None:
            opts["kube_version"] = normalize_version(opts["kube_version"])
        return opts

    def validate_create(self):
        """Check what Create a Cluster requires, before the request.

        :raises ValidationError: naming the first missing or invalid option."""
        p = self.params
        check_name(p["name"], "name")
        missing = [opt for opt in REQUIRED_TO_CREATE if p.get(opt) in (None, "")]
        if missing:
            raise ValidationError(missing[0], "required to create cluster %r; missing: %s"
                                  % (p["name"], ", ".join(missing)))
        _autoscale.check_node_count(p["node_count"], _autoscale.predict_create(p.get("autoscale")),
                                    "default-worker of the new cluster %r" % p["name"])
        check_supported_version(p["kube_version"], self.api.supported_versions(), "kube_version")

    def create_body(self):
        """Request body of Create a Cluster built from the options."""
        p = self.params
        opts = self.typed_options()
        if opts["master_lb_floating_ip"] is None:
            opts["master_lb_floating_ip"] = False
        labels = dict(FIXED_CLUSTER_LABELS)
        labels.update(to_labels(CLUSTER_LABELS, opts))
        labels.update(_autoscale.create_labels(p.get("autoscale")))
        labels.update(_worker.create_labels(p))
        labels.update(p.get("labels") or {})
        body = dict((key, p[key]) for key in TOP_LEVEL)
        body.update(name=p["name"], cluster_template_id="iaas_console",
                    node_count=int(p["node_count"]), labels=labels)
        return body

    def create(self):
        """Create a Cluster (``POST /v1/clusters``) with :meth:`create_body`."""
        return self.api.create_cluster(self.create_body())

    def predict_create(self):
        """What check mode reports for a create: the typed options as the cluster would show them."""
        view = dict((key, value) for key, value in self.typed_options().items() if value is not None)
        view.pop("boot_volume_appkey", None)
        view.update(uuid=None, name=self.params["name"], node_count=self.params["node_count"],
                    status="CREATE_COMPLETE" if self.mod.params["wait"] else "CREATE_IN_PROGRESS",
                    autoscale=_autoscale.predict_create(self.params.get("autoscale")))
        view.update(_worker.predict(self.params))
        if view.get("control_plane_log"):
            view["control_plane_log"] = _shown_log(view["control_plane_log"])
        for key in TOP_LEVEL:
            view[key] = self.params[key]
        return view

    def delete(self, obj):
        """Delete a Cluster (``DELETE /v1/clusters/{id}``), its node groups with it."""
        self.api.delete_cluster(obj["uuid"])

    # -- update ---------------------------------------------------------------

    def plan(self, obj):
        """The changes of the options set, planned by operation (:data:`CHANGED_BY`, in the order of
        :data:`OPERATIONS`), after refusing the differences no operation makes."""
        changes = self.take_planned()  # a new upgrade of a failed one (UpgradeOfFailedMixin.failed)
        if changes is not None:
            return changes
        current = cluster_view(obj)
        wanted = set(CHANGED_BY[option] for option in CHANGED_BY if self.params[option] is not None)
        changes = self._plan_cni_update(obj, current) if "cni_update" in wanted else []
        self._refuse_immutable_changes(current, obj.get("labels") or {},
                                       skip=CNI_CHANGE_OPTIONS if changes else ())
        for operation in OPERATIONS[1:]:
            if operation in wanted:
                changes.extend(getattr(self, "_plan_" + operation)(obj, current))
        return changes

    def _plan_default_worker(self, obj, current):
        """Changes of ``default-worker``: autoscaler, resize, flavor (Change Instance Flavor), user script
        (:func:`._worker.plan_node_group`, the planner of ``nks_nodegroup`` too), then its worker settings."""
        worker = self.api.get_nodegroup(obj["uuid"], DEFAULT_WORKER)
        if worker is None:
            return []
        labels = worker.get("labels") or {}
        have = dict(node_count=int(worker.get("node_count") or 0), flavor_id=worker.get("flavor_id"),
                    user_script=labels.get("user_script_v2") or "", autoscale=autoscale_from_api(labels))
        changes, dummy = _worker.plan_node_group(self.api, obj["uuid"], DEFAULT_WORKER, have, self.params,
                                                 "%s of cluster %r" % (DEFAULT_WORKER, self.params["name"]),
                                                 self.mod.warn)
        changes.extend(_worker.plan(self.api, obj["uuid"], DEFAULT_WORKER, labels, self.params))
        return changes

    def _plan_control_plane_log(self, obj, current):
        """Store Logs of Kubernetes Control Plane Components, when a key given differs (``lncs_appkey`` is
        never returned: it is sent with a change, not compared)."""
        want = dict((k, v) for k, v in self.params["control_plane_log"].items() if v is not None)
        have = current.get("control_plane_log") or {}
        if not have and not want.get("enabled"):
            have = {"enabled": False}  # no label: never stored
        compared = dict((k, v) for k, v in want.items() if k != "lncs_appkey")
        if have.get("enabled") is False and not want.get("enabled"):
            return []
        if all(have.get(k) == v for k, v in compared.items()):
            return []
        body = control_plane_log_to_api(want)
        return [Change("control_plane_log", have, _shown_log(want),
                       lambda o: self.api.set_control_plane_log(o["uuid"], body))]

    def _plan_update_sgw(self, obj, current):
        """Change Service Gateway: both gateways in one request; NKS changes them only on a cluster
        created with a service gateway."""
        p = self.params
        have = (current.get("ncr_sgw") or "", current.get("obs_sgw") or "")
        want = (have[0] if p["ncr_sgw"] is None else p["ncr_sgw"], have[1] if p["obs_sgw"] is None else p["obs_sgw"])
        if want == have:
            return []
        if not any(have):
            raise ValidationError("ncr_sgw" if p["ncr_sgw"] is not None else "obs_sgw",
                                  "NKS changes the service gateways only of a cluster created with one"
                                  " (Change Service Gateway), and cluster %r has none; it cannot get one"
                                  " later" % self.params["name"])
        return [Change("ncr_sgw", have[0], want[0], lambda o: self.api.update_sgw(o["uuid"], want[0], want[1])),
                Change("obs_sgw", have[1], want[1], None)]

    def _plan_cni_update(self, obj, current):
        """Change Cluster CNI, when ``cni_driver`` differs (only flannel -> calico exists).

        A cluster without a ``cni_driver`` label was created before 2023-03-31 (guide: the label
        is "available for clusters created on or after 2023.03.31") and runs Flannel.
        """
        p, labels = self.params, obj.get("labels") or {}
        have = current.get("cni_driver") or (LEGACY_CNI if labels and "cni_driver" not in labels else None)
        if p["cni_driver"] is None or not have or have == p["cni_driver"]:
            return []
        if not self.api.offers_cni_change():
            raise ValidationError("cni_driver", CNI_REMOVED)
        if p["cni_driver"] != "calico":
            raise ValidationError("cni_driver", "NKS changes the CNI of an existing cluster only to calico;"
                                                " the cluster uses %s" % have)
        if not p["pods_network_cidr"]:
            raise ValidationError("pods_network_cidr", "required to change the CNI to calico: the new pod"
                                                       " network (the current one is %s)"
                                  % (current.get("pods_network_cidr") or "not reported by NKS"))
        pod_cidr = check_cni_pod_cidr(p["pods_network_cidr"], current.get("service_cluster_ip_range"),
                                      current.get("pods_network_cidr"), option="pods_network_cidr")
        pod_subnet = check_pod_subnet(p["pods_network_subnet"] or 24, pod_cidr)
        body = {"cni": "calico", "pod_cidr": str(pod_cidr), "pod_subnet": str(pod_subnet)}
        for key in ("num_buffer_nodes", "num_max_unavailable_nodes"):
            if p[key] is not None:
                body[key] = p[key]
        return [Change("cni_driver", have, "calico", lambda o: self.api.update_cni(o["uuid"], body))]

    def _plan_renew_certificate(self, obj, current):
        """Renew Cluster Certificate when it expires within ``renew_before_days``."""
        renewal = self.params["certificate_renewal"]
        expiry = current.get("certificate_expiry")
        if expiry:
            try:
                expires = datetime.datetime.fromisoformat(expiry.replace("Z", "+00:00"))
            except ValueError:
                expires = None
            if expires is not None:
                if expires.tzinfo is None:
                    expires = expires.replace(tzinfo=datetime.timezone.utc)
                left = expires - datetime.datetime.now(datetime.timezone.utc)
                if left > datetime.timedelta(days=renewal["renew_before_days"]):
                    return []
        years = renewal["term_of_validity"]
        return [Change("certificate_expiry", expiry, "renewed for %d years" % years,
                       lambda o: self.api.renew_certificate(o["uuid"], years))]

    def _plan_upgrade(self, obj, current):
        """Upgrade a Cluster (the control plane) one minor version, when every node group is on its version."""
        uuid, have = obj["uuid"], current.get("kube_version")
        want = normalize_version(self.params["kube_version"])
        if behind_definition(self.mod.warn, have, want, self.describe()):
            return []
        if not have or not check_upgrade_step(have, want, "kube_version"):
            return []
        check_supported_version(want, self.api.supported_versions(), "kube_version")
        lagging = []
        for group in self.api.list_nodegroups(uuid):
            detail = self.api.get_nodegroup(uuid, group.get("uuid") or group["name"]) or {}
            version = (detail.get("labels") or {}).get("kube_tag")
            if version and parse_version(version) != parse_version(have):
                lagging.append((group["name"], version))
        if lagging:
            self._lagging(lagging, have, want)
        return [Change("kube_version", have, want, lambda o: self.api.upgrade(o["uuid"], CONTROL_PLANE, want))]

    def _lagging(self, lagging, have, want):
        """Node groups below the control plane block its upgrade. In check mode, when one earlier
        step of each (nhncloud.nks.nks_nodegroup kube_version) brings them to ``have``, this is a
        warning naming those steps, and the upgrade is predicted."""
        rule = ("the control plane can move to %s only when every node group is on %s; upgrade first: %s"
                % (want, have, ", ".join("%s (%s)" % item for item in lagging)))
        if self.mod.check_mode:
            for _name, version in lagging:
                check_upgrade_step(version, have, "kube_version")  # one earlier step must reach it
        precondition_unmet(self.mod.check_mode, self.mod.warn, "kube_version", rule,
                           "; ".join("nhncloud.nks.nks_nodegroup cluster=%s name=%s kube_version=%s"
                                     % (self.params["name"], name, have) for name, _v in lagging))

    def _refuse_immutable_changes(self, current, labels, skip=()):
        """Refuse, listing them all, the options and declared labels no NKS operation changes."""
        want = dict(self.typed_options(), **dict((key, self.params[key]) for key in TOP_LEVEL))
        options = [option for option in IMMUTABLE if option not in skip]
        refuse(differences(want, current, options) + label_differences(self.params["labels"], labels),
               "cluster", IMMUTABLE_ADVICE)


class NksCluster(NksModule):
    """The ``nks_cluster`` module."""

    name = "nks_cluster"

    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait_for=wait_for_spec(),
        kube_version=dict(type="str"),
        node_count=dict(type="int"),
        flavor_id=dict(type="str"),
        keypair=dict(type="str", no_log=False),
        fixed_network=dict(type="str"),
        fixed_subnet=dict(type="str"),
        availability_zone=dict(type="str"),
        node_image=dict(type="str"),
        boot_volume_type=dict(type="str"),
        boot_volume_size=dict(type="int"),
        boot_volume_key_id=dict(type="str", no_log=False),
        boot_volume_appkey=dict(type="str", no_log=True),
        external_network_id=dict(type="str"),
        external_subnet_ids=dict(type="list", elements="str"),
        master_lb_floating_ip=dict(type="bool"),
        strict_sg_rules=dict(type="bool"),
        additional_network_ids=dict(type="list", elements="str"),
        additional_subnet_ids=dict(type="list", elements="str"),
        service_cluster_ip_range=dict(type="str"),
        pods_network_cidr=dict(type="str"),
        pods_network_subnet=dict(type="int"),
        ncr_sgw=dict(type="str"),
        obs_sgw=dict(type="str"),
        cni_driver=dict(type="str", choices=["calico", "calico-ebpf"]),
        autoscale=dict(type="dict", options=autoscale_spec()),
        user_script=dict(type="str"),
        legacy_user_script=dict(type="str"),
        extra_security_groups=dict(type="list", elements="dict", options=extra_security_groups_spec()),
        extra_volumes=dict(type="list", elements="dict", options=extra_volumes_spec()),
        num_buffer_nodes=dict(type="int"),
        num_max_unavailable_nodes=dict(type="int"),
        certificate_renewal=dict(type="dict", options=dict(
            renew_before_days=dict(type="int", required=True),
            term_of_validity=dict(type="int", default=5),
        )),
        labels=dict(type="dict"),
        control_plane_log=dict(type="dict", options=control_plane_log_spec()),
        **worker_settings_spec()
    )

    def validate_input(self):
        """Static checks of the guide's rules, before any request."""
        p = self.params
        if not is_uuid(p["name"]):
            check_name(p["name"], "name")
        check_worker_options(p)
        if p["master_lb_floating_ip"] and not (p["external_network_id"] and p["external_subnet_ids"]):
            raise ValidationError("master_lb_floating_ip", "can be true only when external_network_id"
                                                           " and external_subnet_ids are set")
        check_cluster_cidrs(pods_network_cidr=p["pods_network_cidr"],
                            service_cluster_ip_range=p["service_cluster_ip_range"],
                            pods_network_subnet=p["pods_network_subnet"],
                            kube_version=p["kube_version"])
        if p["certificate_renewal"]:
            check_range(p["certificate_renewal"]["term_of_validity"],
                        "certificate_renewal.term_of_validity", 1, 5)
            check_range(p["certificate_renewal"]["renew_before_days"],
                        "certificate_renewal.renew_before_days", 0)
        _worker.validate(p)
        check_control_plane_log(p["control_plane_log"])
        typed_labels = set(row[1] for row in CLUSTER_LABELS + AUTOSCALE_LABELS + FLOATING_IP_LABELS
                           + METRIC_AUTOSCALE_LABELS) | set(FIXED_CLUSTER_LABELS)
        clash = sorted(set(p["labels"] or {}) & typed_labels)
        if clash:
            raise ValidationError("labels", "must not set %s: use the typed options instead"
                                  % ", ".join(clash))

    def run(self):
        """Converge the cluster to ``state`` (and wait as ``wait_for`` says); returns the module result."""
        p = self.params
        if p["state"] == "present":
            self.validate_input()
        machine = StateMachine(NksClusterResource(self), self.check_mode, p["wait"],
                               Waiter(p["wait_timeout"]))
        outcome = machine.converge(p["state"])
        if p["state"] == "absent":
            deleted = (outcome.before or {}).get("nodegroups", []) if outcome.changed else []
            return outcome.result("cluster", self.diff_mode, deleted_nodegroups=deleted)
        wait_after_converge(self, (outcome.after or {}).get("uuid"))
        return outcome.result("cluster", self.diff_mode)
