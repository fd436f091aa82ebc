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

import os
import re
import stat

from ansible.module_utils.common.text.converters import to_bytes
from ansible_collections.nhncloud.nks.plugins.module_utils._kube import (
    KubeconfigError, context_names, dump_kubeconfig, foreign_entries, is_empty, load_kubeconfig, merge_conflicts,
    merge_kubeconfig, own_kubeconfig, remove_entries)
from ansible_collections.nhncloud.nks.plugins.module_utils._kubefile import (
    DestLock, check_dest, fsync_dir, read_text, write_atomic)
from ansible_collections.nhncloud.nks.plugins.module_utils._module import NksModule
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError, precondition_unmet

REDACTED = "VALUE_REDACTED"
SECRET_KEYS = ("client-key-data", "client-certificate-data", "token", "password", "id-token",
               "access-token", "refresh-token", "client-secret")
_OCTAL_MODE_RE = re.compile(r"^[0-7]+$")
_SYMBOLIC_MODE_RE = re.compile(r"^[ugoa]*[-+=](?:[rwxXst]*|[ugo])$")
NOT_UTF8 = "(not UTF-8 text)\n"
"""What :meth:`NksKubeconfig._read` returns for a file that is not UTF-8 text (so not a kubeconfig)."""
# key: value in YAML (block or flow style) or JSON; the value is a quoted string or one plain word.
_SECRET_RE = re.compile(
    r"""(?P<key>(?<![\w-])["']?(?:%s)["']?[ \t]*:[ \t]*)(?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,}\]'"][^\s,}\]]*)"""
    % "|".join(re.escape(k) for k in SECRET_KEYS))


def check_file_mode(mode):
    """Check the ``mode`` option before anything is read or written.

    ``None``; an ``int`` from 0 to 0o7777; octal digits (at most 4 significant, ``'0600'``);
    or ``ansible.builtin.file``'s symbolic form: comma-separated ``[ugoa]*[-+=][rwxXst]*``
    (or one of ``u``, ``g``, ``o`` after the operator), e.g. ``u=rw,go=``.

    :raises ValidationError: naming ``mode`` and this rule.
    """
    if mode is None:
        return
    if isinstance(mode, int) and not isinstance(mode, bool):
        if 0 <= mode <= 0o7777:
            return
    elif isinstance(mode, str):
        if _OCTAL_MODE_RE.match(mode) and int(mode, 8) <= 0o7777:
            return
        if mode and all(_SYMBOLIC_MODE_RE.match(part) for part in mode.split(",")):
            return
    raise ValidationError("mode", "%r is not a file mode: give octal digits from 0 to 7777 (quote them, '0600') or"
                                  " the symbolic form of ansible.builtin.file (u=rw,go=)" % (mode,))


def redact(text):
    """Return the kubeconfig ``text`` with the values of :data:`SECRET_KEYS` replaced by ``VALUE_REDACTED``.

    Quoted values stay quoted, so a JSON kubeconfig stays JSON.
    """
    def _sub(match):
        value = match.group("value")
        quote = value[0] if value[0] in "\"'" else ""
        return match.group("key") + quote + REDACTED + quote

    return _SECRET_RE.sub(_sub, text or "")


class NksKubeconfig(NksModule):
    """Fetch (``GET /v1/clusters/{id}/config``) and write, or remove, one kubeconfig file."""

    waits = False
    argument_spec = dict(
        cluster=dict(type="str"),
        dest=dict(type="path", required=True),
        mode=dict(type="raw", default="0600"),
        backup=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        return_content=dict(type="bool", default=False),
        context=dict(type="str"),
        merge=dict(type="bool", default=False),
        force=dict(type="bool", default=False),
    )
    module_kwargs = dict(required_if=[("state", "present", ["cluster"])])

    def _dest(self):
        """The file to write (a symbolic link resolved) or, with ``state=absent``, the path to
        edit or remove, checked by :func:`check_dest` before any request and any temporary file
        (its warnings are given)."""
        dest, warnings = check_dest(self.params["dest"], follow=self.params["state"] == "present")
        for warning in warnings:
            self.warn(warning)
        return dest

    def run(self):
        check_file_mode(self.params["mode"])
        if self.params["context"] is not None and not self.params["context"].strip():
            raise ValidationError("context", "must not be empty")
        dest = self._dest()
        try:
            if self.params["state"] == "absent":
                return self.absent(dest)
            return self.present(dest)
        except (IOError, OSError) as exc:
            raise ValidationError("dest", "cannot %s %s: %s"
                                  % ("remove" if self.params["state"] == "absent" else "write",
                                     dest, exc))

    def _locked(self, dest):
        """The lock of ``dest``'s directory around read-merge-write (:class:`DestLock`); none in check mode."""
        if self.check_mode:
            return _NoLock()
        return DestLock(dest, warn=self.warn)

    def absent(self, dest):
        """Remove this cluster's entries from ``dest`` (named after ``context``, else ``cluster``),
        and the file only when nothing else is left. Without either, a file of one cluster only
        is removed; a file of several fails. A symbolic link is removed itself."""
        result = dict(changed=False, dest=dest)
        if not os.path.lexists(dest):
            return result
        if os.path.islink(dest):
            result["changed"] = True
            if self.diff_mode:
                result["diff"] = dict(before="", after="", before_header="%s (symbolic link)" % dest,
                                      after_header="%s (absent)" % dest)
            if not self.check_mode:
                os.unlink(dest)
            return result
        name = self.params["context"] or self.params["cluster"]
        with self._locked(dest):
            before = self._read(dest)
            if before is None:
                return result
            try:
                existing = self._parse(before)
            except KubeconfigError as exc:
                if name is not None and not self.params["force"]:
                    raise ValidationError("dest", "%s is %s, so this cluster's entries cannot be told apart; it is"
                                                  " left as it is (force: true removes it)" % (dest, exc))
                existing = None
            if existing is None:
                after_doc, removed = {}, ["the whole file (not a kubeconfig)"]
            elif name is None:
                contexts = context_names(existing)
                if len(contexts) > 1:
                    raise ValidationError("dest", "%s holds the contexts of several clusters (%s): give cluster (its"
                                                  " name) or context, and only that cluster's entries are removed"
                                          % (dest, ", ".join(str(c) for c in contexts)))
                after_doc, removed = {}, ["every entry"]
            else:
                after_doc, removed = remove_entries(existing, name)
                if not removed:
                    return result
            gone = is_empty(after_doc)
            result.update(changed=True, removed=removed)
            after = "" if gone else dump_kubeconfig(after_doc)
            if self.diff_mode:
                result["diff"] = dict(before=redact(before), after=redact(after),
                                      before_header="%s (secret values redacted)" % dest,
                                      after_header=("%s (absent)" if gone else "%s (secret values redacted)")
                                      % dest)
            if self.check_mode:
                return result
            if self.params["backup"]:
                result["backup_file"] = self.module.backup_local(dest)
            if gone:
                os.unlink(dest)
                fsync_dir(os.path.dirname(os.path.abspath(dest)))
            else:
                write_atomic(dest, to_bytes(after, errors="surrogate_or_strict"), keep_mode=True)
        return result

    def present(self, dest):
        name_or_id = self.params["cluster"]
        cluster = self.api.find_cluster(name_or_id)
        if cluster is None:
            # In check mode an earlier nks_cluster task of this run may create it: predict, send nothing.
            precondition_unmet(self.check_mode, self.warn, "cluster",
                               "no NKS cluster is named %r or has that UUID" % name_or_id,
                               "for example nhncloud.nks.nks_cluster name=%s" % name_or_id)
            result = dict(changed=True, dest=dest, context=self.params["context"] or name_or_id,
                          cluster=dict(uuid=None, name=name_or_id))
            if self.diff_mode:
                result["diff"] = dict(before="", after="", before_header=dest,
                                      after_header="%s (this cluster's entries, once the cluster exists)" % dest)
            return result
        raw = self.api.get_kubeconfig(cluster["uuid"])
        if not raw:
            self.module.fail_json(msg="NKS returned no kubeconfig for cluster %r (status %s)"
                                      % (cluster.get("name"), cluster.get("status")),
                                  cluster=dict(uuid=cluster["uuid"], name=cluster.get("name")))
        try:
            own = own_kubeconfig(load_kubeconfig(raw), self.params["context"] or cluster.get("name"))
        except KubeconfigError as exc:
            self.module.fail_json(msg="the kubeconfig NKS returned for cluster %r cannot be used: %s"
                                      % (cluster.get("name"), exc))
        # Read, merge and write under the directory's lock: parallel tasks lose no entry.
        with self._locked(dest):
            before = self._read(dest)
            desired = self._desired(dest, before, own)
            content = dump_kubeconfig(desired)
            result = self._converge(dest, before, desired, content)
        result.update(cluster=dict(uuid=cluster["uuid"], name=cluster.get("name")),
                      context=own["current-context"])
        if self.params["return_content"]:
            result.update(content=dump_kubeconfig(own), kubeconfig=own)
        return result

    def _desired(self, dest, before, own):
        """The kubeconfig to write: ``own`` alone, or merged into ``before`` (``merge``).

        :raises ValidationError: when ``dest`` holds other clusters' entries (``merge=false``)
            or is not a kubeconfig, unless ``force``.
        """
        merge, force = self.params["merge"], self.params["force"]
        try:
            existing = self._parse(before) if before is not None else {}
        except KubeconfigError as exc:
            if force:
                return own
            raise ValidationError("dest", "%s is %s; force: true replaces it" % (dest, exc))
        if merge:
            taken = merge_conflicts(existing, own)
            if taken and not force:
                raise ValidationError("dest", "%s already has entries named %r that belong to another cluster (%s):"
                                              " give another context, or force: true replaces them"
                                      % (dest, own["current-context"], "; ".join(taken)))
            return merge_kubeconfig(existing, own)
        foreign = foreign_entries(existing, own)
        if foreign and not force:
            raise ValidationError("dest", "%s holds entries of other clusters (%s): merge: true adds this cluster"
                                          " to them, force: true replaces them, or choose another dest"
                                  % (dest, ", ".join(foreign)))
        return own

    def _converge(self, dest, before, desired, content):
        """Write ``content`` (the text of ``desired``) when the parsed file differs; set the mode."""
        mode = self.params["mode"]
        exists = before is not None
        try:
            changed = not exists or self._parse(before) != desired
        except KubeconfigError:
            changed = True
        before_mode = stat.S_IMODE(os.stat(dest).st_mode) if exists else None
        mode_diff = {}
        result = dict(dest=dest)
        if self.check_mode:
            if exists and mode is not None:
                # in check mode this only compares (and fills mode_diff)
                changed = self.module.set_mode_if_different(dest, mode, changed, diff=mode_diff)
        else:
            if changed:
                if exists and self.params["backup"]:
                    result["backup_file"] = self.module.backup_local(dest)
                self._write(dest, content, keep_mode=exists and mode is None)
            if mode is not None:
                self.module.set_mode_if_different(dest, mode, False)
            if exists:
                # the replaced file started 0600: compare with the mode the file had before
                mode_diff = self._mode_diff(before_mode, dest)
                changed = changed or bool(mode_diff)
        result["changed"] = changed
        if self.diff_mode:
            diffs = [dict(before=redact(before or ""), after=redact(content if changed or not exists else before),
                          before_header=("%s (secret values redacted)" if exists else "%s (absent)") % dest,
                          after_header="%s (secret values redacted)" % dest)]
            if mode_diff:
                diffs.append(dict(mode_diff, before_header="%s (mode)" % dest, after_header="%s (mode)" % dest))
            result["diff"] = diffs
        return result

    @staticmethod
    def _read(dest):
        """The text of ``dest`` (``None`` when missing); :data:`NOT_UTF8` (this very object) when
        it is not UTF-8 text. Never blocks (:func:`read_text`)."""
        data = read_text(dest)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeError:
            return NOT_UTF8

    @staticmethod
    def _parse(text):
        """:func:`load_kubeconfig` of ``text``, read by :meth:`_read`. :raises KubeconfigError:"""
        if text is NOT_UTF8:
            raise KubeconfigError("not a kubeconfig (not UTF-8 text)")
        return load_kubeconfig(text)

    @staticmethod
    def _mode_diff(before_mode, dest):
        after_mode = stat.S_IMODE(os.stat(dest).st_mode)
        if before_mode is None or before_mode == after_mode:
            return {}
        return dict(before=dict(mode="0%03o" % before_mode), after=dict(mode="0%03o" % after_mode))

    def _write(self, dest, content, keep_mode):
        """Write ``content`` to ``dest`` atomically, through a 0600 file of the same directory
        (:func:`write_atomic`).

        ``AnsibleModule.atomic_move`` is not used: for a new file it widens the mode to
        ``0666 & ~umask`` before the module can narrow it again.
        """
        write_atomic(dest, to_bytes(content, errors="surrogate_or_strict"), keep_mode)


class _NoLock(object):
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None


def main():
    NksKubeconfig()()


if __name__ == "__main__":
    main()
