#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nks_addon
short_description: Install, update or remove an add-on of an NHN Kubernetes Service (NKS) cluster
version_added: 0.1.0
description:
  - Installs an add-on offered by NHN Cloud on a cluster (guide, "Install Add-ons on a Cluster"), changes its
    version or options (guide, "Update Add-ons to a cluster") or removes it (guide, "Remove Add-ons from a
    cluster"). The add-ons NHN Cloud offers, their versions, Kubernetes ranges and option schemas are read
    first (guide, "View a List of Add-ons Offered by NHN Cloud", "View a List of Add-ons Types Offered by NHN
    Cloud").
  - Everything is checked before any request that changes something, naming the option at fault - an add-on
    NHN Cloud does not offer, a version it does not offer or one outside the cluster's Kubernetes version
    (C(k8s_min_version), C(k8s_max_version)), an option not in the add-on's C(option_schemas), a value of the
    wrong type or not among its C(choices), a change of an option the schema marks as not updatable, and the
    removal of an add-on of a mandatory type (CNI and kube-dns, user guide "Add-on types").
  - An add-on whose last install or update failed (C(*_FAILED)) is updated again with the options given
    (user guide, "Add-on Management" - a failed change can be made again, for example with
    O(resolve_conflicts=overwrite)).
  - Add-on management needs the 2026-03 API guide and a cluster with the NKS registry enabled (user guide,
    "Add-on Management"); NKS refuses it otherwise, and the task fails with NKS's answer.
  - A cluster created before add-on management shows its CNI and CoreDNS as not installed; install them with
    this module (with O(resolve_conflicts=preserve) to keep changes made to their resources, user guide
    "Enable Add-on Management") to manage them.
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.wait
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.ACTIONS
options:
  cluster:
    description: Name or UUID of the cluster.
    type: str
    required: true
  name:
    description: Name of the add-on as NHN Cloud offers it, for example V(calico), V(coredns) or V(metrics-server).
    type: str
    required: true
  version:
    description:
      - The add-on version, for example V(v3.28.2-nks1).
      - When not set, an installed add-on keeps its version and a new one gets the newest version offered that
        fits the cluster's Kubernetes version.
      - V(latest) is the newest version offered that fits the cluster's Kubernetes version.
      - A version NHN Cloud does not offer, or one whose Kubernetes range does not include the cluster's
        version, is refused before any request.
    type: str
  options:
    description:
      - Add-on options (its C(option_schemas)), for example C(mode) set to V(vxlan) for V(calico).
      - Options not given are left as they are (on install, NKS applies the schema's defaults).
      - Each option must be in the schema of the version installed or updated to, with a value of its type
        (V(INTEGER), V(STRING), or one of the C(choices) of a V(SELECT)); an option the schema marks as not
        updatable cannot be changed on an installed add-on.
    type: dict
  resolve_conflicts:
    description:
      - What NKS does when a field the add-on manages was changed in the cluster (user guide, "Conflict
        Resolution Options"), sent with every install and update.
      - V(none) fails the install or update on a conflict; V(overwrite) sets the add-on's values; V(preserve)
        keeps the cluster's values where it can.
      - The user guide recommends V(overwrite) when changing versions.
    type: str
    choices: [none, overwrite, preserve]
    default: none
  state:
    description:
      - V(present) installs the add-on or brings it to O(version) and O(options).
      - V(absent) removes it; an add-on of a mandatory type cannot be removed.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Installing, updating and removing put the add-on in an C(*_IN_PROGRESS) status; with O(wait=true) the task
    waits for it to end. An operation already running on the add-on is waited for first.
  - Since the 2026-03 guide, Kubernetes upgrades no longer update CNI and CoreDNS; the role
    C(nhncloud.nks.upgrade) updates the add-ons a new Kubernetes version needs with this module.
seealso:
  - module: nhncloud.nks.nks_info
    description: O(nhncloud.nks.nks_info#module:gather=addons) lists the installed add-ons,
      O(nhncloud.nks.nks_info#module:gather=addon_catalog) the offered ones.
  - module: nhncloud.nks.nks_cluster
"""

EXAMPLES = r"""
- name: Install metrics-server in the newest version that fits the cluster
  nhncloud.nks.nks_addon:
    cluster: test-k8s
    name: metrics-server

- name: Bring calico to the newest version for the cluster's Kubernetes version
  nhncloud.nks.nks_addon:
    cluster: test-k8s
    name: calico
    version: latest
    resolve_conflicts: overwrite

- name: Take over the CoreDNS of a cluster created before add-on management, keeping its changes
  nhncloud.nks.nks_addon:
    cluster: old-cluster
    name: coredns
    resolve_conflicts: preserve

- name: Install calico with the eBPF mode
  nhncloud.nks.nks_addon:
    cluster: test-k8s
    name: calico
    version: v3.28.2-nks1
    options:
      mode: ebpf

- name: Remove an optional add-on
  nhncloud.nks.nks_addon:
    cluster: test-k8s
    name: metrics-server
    state: absent
"""

RETURN = r"""
addon:
  description:
    - The add-on after the task (the prediction in check mode; as it was before when removed).
    - Empty when it is not installed and O(state=absent).
  returned: success
  type: dict
  contains:
    name:
      description: Add-on name.
      type: str
      sample: calico
    type:
      description: Add-on type.
      type: str
      sample: cni
    version:
      description: Add-on version.
      type: str
      sample: v3.28.2-nks1
    options:
      description: Add-on options as NKS reports them.
      type: dict
      sample: {"mode": "vxlan"}
    status:
      description: Add-on status, for example V(CREATE_COMPLETE), V(UPDATE_COMPLETE) or V(UPDATE_FAILED).
      type: str
      sample: UPDATE_COMPLETE
    status_reason:
      description: Why the add-on has its status.
      type: str
      sample: null
    mandatory:
      description: Whether the add-on's type is mandatory (it cannot be removed).
      type: bool
      sample: true
    cluster_uuid:
      description: UUID of the cluster.
      type: str
      sample: 6c1284e2-8ead-46a7-ace9-c19d6eec76b3
    created_at:
      description: When the add-on was installed (UTC).
      type: str
      sample: "2025-04-25T15:11:48+00:00"
    updated_at:
      description: When the add-on last changed (UTC).
      type: str
      sample: "2025-04-25T15:17:16+00:00"
cluster_uuid:
  description: UUID of the cluster.
  returned: success
  type: str
  sample: 6c1284e2-8ead-46a7-ace9-c19d6eec76b3
diff:
  description: The add-on before and after the task (as predicted in check mode), when run with C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The add-on before, as in RV(addon).
      type: dict
    after:
      description: The add-on after, as in RV(addon).
      type: dict
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.addon import NksAddon


def main():
    NksAddon.main()


if __name__ == "__main__":
    main()
