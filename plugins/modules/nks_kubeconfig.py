#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nks_kubeconfig
short_description: Save the kubeconfig of an NHN Kubernetes Service (NKS) cluster to a file
version_added: 0.1.0
description:
  - Get the kubeconfig of an NHN Kubernetes Service (NKS) cluster (Get kubeconfig of a Cluster) and write it to
    a file on the host the module runs on, or remove that file.
  - The file is written atomically (a temporary file in the same directory, private from the start, then
    renamed over O(dest)), so a reader never sees half a kubeconfig and the keys are never readable by others
    while they are written.
  - The task reports a change only when the content or the mode of O(dest) changes.
  - The kubeconfig holds the cluster's admin credentials. The module neither returns nor logs it unless
    O(return_content=true); in diff mode the values of secret keys are replaced by C(VALUE_REDACTED).
  - Reading the kubeconfig changes nothing in NKS.
  - With O(return_content=true) the task's result is hidden from the output, as with C(no_log).
  - The cluster, user and context entries are named after O(context). A O(dest) holding other clusters' entries is
    never replaced silently; use O(merge=true) to add this cluster to it, or O(force=true) to replace it.
author:
  - nhncloud.nks contributors (@nhncloud)
options:
  cluster:
    description:
      - Name or UUID of the cluster.
      - Required when O(state=present).
      - With O(state=absent), the cluster's name names the entries to remove when O(context) is not given
        (the NKS API is not called, so give the name, not the UUID).
      - A name that several clusters carry fails the task; give the UUID then.
      - In check mode, a cluster that does not exist yet (an earlier M(nhncloud.nks.nks_cluster) task of the
        same run would create it) is a warning, and the task predicts a change without any further request.
    type: str
  dest:
    description:
      - Path of the kubeconfig file, for example V(~/.kube/config). A leading C(~) is expanded.
      - With O(state=present), its directory must exist, and when O(dest) is a symbolic link, the file it points to
        is written.
      - These are refused before any request and before any file is written, with a message naming O(dest).
        An empty O(dest). A O(dest) that exists and is not a regular file (a directory, FIFO, device or socket).
        A O(dest) owned by another user than the one the module runs as (C(root) may write another user's file,
        except in a world-writable directory). A world-writable directory of O(dest) gives a warning.
      - With O(state=absent), a symbolic link is removed itself (the file it points to stays), and a O(dest) whose
        directory does not exist is already absent (no change).
    type: path
    required: true
  mode:
    description:
      - Permissions of O(dest), in octal (quote it, V('0600')) or symbolic form (V(u=rw,go=)), as for
        M(ansible.builtin.file).
      - The default keeps the credentials private to the file's owner.
      - With V(null), a new file is created with V(0600) and an existing file keeps its mode.
      - Any other value (say V(abc), or octal digits above V(7777)) fails the task before the NKS API is called
        and before O(dest) is touched.
    type: raw
    default: '0600'
  backup:
    description:
      - Keep a copy of O(dest), with a timestamp in its name, before it is overwritten or removed.
    type: bool
    default: false
  state:
    description:
      - V(present) writes the cluster's kubeconfig to O(dest).
      - V(absent) removes this cluster's cluster, user and context entries (named after O(context), else after
        O(cluster)) from O(dest), with every other context on that cluster entry, and C(current-context) when it
        named a removed context. Every other cluster's entries stay; the file is removed only when no entry is
        left. Without O(context) and O(cluster), a file holding at most one context (or that is not a kubeconfig)
        is removed and a file holding several contexts fails the task. With either, a O(dest) that is not a
        kubeconfig fails the task unless O(force=true). Check and diff mode show what would be removed (secret values redacted).
      - With V(absent), the NKS API is not called (no credentials needed).
    type: str
    choices: [present, absent]
    default: present
  return_content:
    description:
      - Return this cluster's kubeconfig in RV(content) (YAML text) and RV(kubeconfig) (parsed), also with
        O(merge=true) (then only this cluster's entries, with O(context) as current context).
      - RV(kubeconfig) can be given as is to the C(kubeconfig) option of C(kubernetes.core) modules
        (C(kubernetes.core.k8s), C(kubernetes.core.k8s_info), ...).
      - Both hold the cluster's private key. The task's result is then hidden from the output as with C(no_log)
        (also with C(-v)); the registered variable holds it.
    type: bool
    default: false
  context:
    description:
      - Name of this cluster's context in the kubeconfig written, and of its cluster and user entries.
      - NKS names the context C(default) and the user C(admin) for every cluster; the module renames them, so the
        names are unique per cluster and several clusters can share one kubeconfig (O(merge=true)) or be combined
        with C(KUBECONFIG=a:b).
      - Default is the cluster's name.
    type: str
  merge:
    description:
      - V(false) writes O(dest) with this cluster's entries only.
      - V(true) adds this cluster's cluster, user and context entries to O(dest), or replaces the entries of the
        same names, and leaves every other entry as it was (as C(aws eks update-kubeconfig) does).
        C(current-context) is set to O(context) only when O(dest) has none, or names a context that does not exist;
        switch with C(kubectl config use-context).
      - With V(true), an entry of O(context)'s name that belongs to another cluster (a cluster entry with another
        server address, a context on such a cluster entry, or a user that such a context uses) fails the task unless
        O(force=true). This happens with two clusters of the same name (in two regions or two projects);
        give each its own O(context).
    type: bool
    default: false
  force:
    description:
      - With O(merge=false), replace O(dest) even when it holds entries of other clusters, or is not a kubeconfig
        (a file that is not UTF-8 text is not a kubeconfig).
      - With O(merge=true), replace O(dest) when it is not a kubeconfig, and replace the entries of O(context)'s
        name even when they belong to another cluster (see O(merge)).
      - Without it, such a O(dest) fails the task, naming the entries of other clusters, and stays as it was.
      - Entries of the same cluster (the same server address) are never counted as other clusters' entries.
    type: bool
    default: false
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.ACTIONS
notes:
  - In diff mode, the values of C(client-key-data), C(client-certificate-data), C(token), C(password),
    C(id-token), C(access-token), C(refresh-token) and C(client-secret) are replaced by C(VALUE_REDACTED);
    the rest (server address, C(certificate-authority-data), contexts) is shown. When only a redacted value
    changed, the task reports a change that the diff cannot show.
  - The task reports a change only when the kubeconfig written differs in content (parsed, so formatting alone does
    not count) or in mode; running it again changes nothing.
  - Ownership of an existing O(dest) is kept when the module may keep it (running as root); a new file belongs
    to the user the module runs as.
  - Parallel tasks (forks, several C(ansible-playbook) runs, or M(nhncloud.nks.nks_fleet)) may write one O(dest)
    safely, for example every cluster of a fleet merged into V(~/.kube/config) with O(merge=true). Reading,
    merging and replacing O(dest) happen under an exclusive C(flock) lock on O(dest)'s directory, so no task's
    entries are lost. The lock is on the directory, not on a C(<dest>.lock) file, because C(kubectl) takes its
    own lock by creating C(<dest>.lock) and fails while such a file exists. The lock is held only on the host the
    module runs on, and a task waits for it at most 120 seconds.
seealso:
  - module: nhncloud.nks.nks_info
  - module: nhncloud.nks.nks_cluster
"""

EXAMPLES = r"""
- name: Save the kubeconfig of my-cluster for kubectl
  nhncloud.nks.nks_kubeconfig:
    region: kr1
    tenant_id: "{{ nhn_tenant_id }}"
    username: "{{ nhn_username }}"
    api_password: "{{ nhn_api_password }}"
    cluster: my-cluster
    dest: ~/.kube/my-cluster.yaml

- name: Use it
  ansible.builtin.command:
    cmd: kubectl --kubeconfig ~/.kube/my-cluster.yaml get nodes
  changed_when: false

- name: Save it for a group, keeping the previous file
  nhncloud.nks.nks_kubeconfig:
    cluster: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
    dest: /etc/kubernetes/my-cluster.conf
    mode: '0640'
    backup: true
  register: saved

- name: Read the kubeconfig into a variable without logging it
  nhncloud.nks.nks_kubeconfig:
    cluster: my-cluster
    dest: ~/.kube/my-cluster.yaml
    return_content: true
  register: kubeconfig
  no_log: true

- name: Add two clusters to ~/.kube/config, keeping every other entry
  nhncloud.nks.nks_kubeconfig:
    cluster: "{{ item }}"
    dest: ~/.kube/config
    merge: true
    backup: true
  loop: [dev-cluster, prod-cluster]

- name: Use a context
  ansible.builtin.command:
    cmd: kubectl --context prod-cluster get nodes
  changed_when: false

- name: Get the kubeconfig as a dictionary for kubernetes.core
  nhncloud.nks.nks_kubeconfig:
    cluster: my-cluster
    dest: ~/.kube/my-cluster.yaml
    return_content: true
  register: my_kubeconfig
  no_log: true

- name: Create a namespace with it
  kubernetes.core.k8s:
    kubeconfig: "{{ my_kubeconfig.kubeconfig }}"
    api_version: v1
    kind: Namespace
    name: my-app

- name: Remove the file when the cluster is gone
  nhncloud.nks.nks_kubeconfig:
    dest: ~/.kube/my-cluster.yaml
    state: absent

- name: Remove prod-cluster's entries from the shared ~/.kube/config, keeping the others
  nhncloud.nks.nks_kubeconfig:
    cluster: prod-cluster
    dest: ~/.kube/config
    state: absent
"""

RETURN = r"""
dest:
  description: The path of the kubeconfig file, C(~) expanded.
  returned: always
  type: str
  sample: /home/deploy/.kube/my-cluster.yaml
cluster:
  description: The cluster whose kubeconfig was read.
  returned: when O(state=present)
  type: dict
  contains:
    uuid:
      description: Cluster UUID.
      type: str
      sample: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
    name:
      description: Cluster name.
      type: str
      sample: my-cluster
  sample:
    uuid: 388794e6-14dc-48ee-9a4f-9c40df5d97ec
    name: my-cluster
backup_file:
  description: Path of the copy of O(dest) made before it was overwritten or removed.
  returned: when O(backup=true) and a copy was made
  type: str
  sample: /home/deploy/.kube/my-cluster.yaml.12345.2026-01-30@01:42:39~
content:
  description:
    - This cluster's kubeconfig (YAML text), its entries named after O(context). Sensitive; it holds the cluster's
      private key.
  returned: when O(return_content=true) and O(state=present)
  type: str
  sample: "apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n- name: my-cluster\n  cluster: ..."
kubeconfig:
  description:
    - This cluster's kubeconfig, parsed, for the C(kubeconfig) option of C(kubernetes.core) modules. Sensitive.
  returned: when O(return_content=true) and O(state=present)
  type: dict
  sample:
    apiVersion: v1
    kind: Config
    current-context: my-cluster
    clusters: [{name: my-cluster, cluster: {server: "https://2b778d83-kr2-k8s.container.nhncloud.com:6443"}}]
removed:
  description: The entries removed from O(dest) by O(state=absent).
  returned: when O(state=absent) removed something
  type: list
  elements: str
  sample: [cluster my-cluster, context my-cluster, current-context, user my-cluster]
context:
  description: The name of this cluster's context (and cluster and user entries) in O(dest).
  returned: when O(state=present)
  type: str
  sample: my-cluster
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.kubeconfig import NksKubeconfig


def main():
    NksKubeconfig.main()


if __name__ == "__main__":
    main()
