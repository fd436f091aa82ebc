# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_kubeconfig`` does (its options are documented in ``plugins/modules/nks_kubeconfig.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import stat

from ansible.module_utils.common.text.converters import to_bytes
from .._kube import (
    KubeconfigError, context_names, dump_kubeconfig, foreign_entries, is_empty, load_kubeconfig, merge_conflicts,
    merge_kubeconfig, own_kubeconfig, remove_entries)
from .._kubefile import (
    DestLock, check_dest, fsync_dir, read_text, write_atomic)
from .._module import NksModule
from .._validation import ValidationError, precondition_unmet

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

    name = "nks_kubeconfig"

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
        """Write (``present``) or remove (``absent``) the cluster's kubeconfig at ``dest``.

        :raises ValidationError: naming ``mode``, ``context`` or ``dest``."""
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
                result["backup_file"] = self.task.backup_local(dest)
            if gone:
                os.unlink(dest)
                fsync_dir(os.path.dirname(os.path.abspath(dest)))
            else:
                write_atomic(dest, to_bytes(after, errors="surrogate_or_strict"), keep_mode=True)
        return result

    def present(self, dest):
        """Get Cluster Kubeconfig (``GET /v1/clusters/{id}/config``) and write it to ``dest`` (merged with
        ``merge``), under the directory's lock."""
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
            self.task.fail("NKS returned no kubeconfig for cluster %r (status %s)"
                           % (cluster.get("name"), cluster.get("status")),
                           cluster=dict(uuid=cluster["uuid"], name=cluster.get("name")))
        try:
            own = own_kubeconfig(load_kubeconfig(raw), self.params["context"] or cluster.get("name"))
        except KubeconfigError as exc:
            self.task.fail("the kubeconfig NKS returned for cluster %r cannot be used: %s"
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
                changed = self.task.set_mode_if_different(dest, mode, changed, diff=mode_diff)
        else:
            if changed:
                if exists and self.params["backup"]:
                    result["backup_file"] = self.task.backup_local(dest)
                self._write(dest, content, keep_mode=exists and mode is None)
            if mode is not None:
                self.task.set_mode_if_different(dest, mode, False)
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
