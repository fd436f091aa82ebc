# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kubeconfig file on the controller: which ``dest`` may be written, a lock around
read-merge-write, reading without hanging, atomic replace.

Used by ``nks_kubeconfig`` (and through it by ``nks_fleet``'s kubeconfig phase, one thread per
cluster). No Ansible here; errors are :class:`ValidationError` naming ``dest``.

Locking: an exclusive ``flock(2)`` on the directory of the file (opened read-only), held from
reading the file to renaming the new one over it. A lock on the directory leaves nothing
behind: a lock file ``<dest>.lock`` would not do, because ``kubectl`` (client-go) takes its own
lock by creating ``<dest>.lock`` exclusively and fails while such a file exists. ``flock``
locks belong to an open file description, so they exclude each other across processes (forks
of ``ansible-playbook``) and across threads of one process alike.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import pwd
import stat
import tempfile
import time

try:
    import fcntl

    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not POSIX
    HAS_FCNTL = False

from ._validation import ValidationError

LOCK_TIMEOUT = 120.0
"""Seconds to wait for another task's write of the same directory's kubeconfig."""

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def file_kind(mode):
    """``"a FIFO (named pipe)"``, ``"a directory"``, ... for an ``st_mode`` that is not a
    regular file; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _user(uid):
    try:
        return "%s (uid %d)" % (pwd.getpwuid(uid).pw_name, uid)
    except KeyError:
        return "uid %d" % uid


def check_dest(dest, follow=True):
    """Refuse a ``dest`` that must not be written, before any request and any temporary file.

    :param str dest: the path (``~`` expanded). :param bool follow: resolve a symbolic link
        (``state=present`` writes the file it points to).
    :returns: ``(path, warnings)``: the path to read and write (a link resolved when ``follow``)
        and the warnings (a world-writable directory).
    :raises ValidationError: naming ``dest`` when it is empty, exists and is not a regular file
        (directory, FIFO, device, socket), belongs to another user than the one the module runs
        as (root may write another user's file, except in a world-writable directory), or (when
        ``follow``) its directory does not exist; without ``follow`` a missing directory means
        the file is already absent.
    """
    if dest is None or not str(dest).strip():
        raise ValidationError("dest", "must not be empty: give the path of the kubeconfig file")
    path = os.path.realpath(dest) if follow and os.path.islink(dest) else dest
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        if not follow:  # state=absent: already absent
            return path, []
        raise ValidationError("dest", "the directory %s of %s does not exist" % (parent, dest))
    warnings = []
    shared_dir = bool(stat.S_IMODE(os.stat(parent).st_mode) & stat.S_IWOTH)
    if shared_dir:
        warnings.append("dest: the directory %s of %s is writable by every user: another user can read the"
                        " kubeconfig's keys or put a file there first; prefer a private directory such as"
                        " ~/.kube" % (parent, dest))
    try:
        info = os.stat(path) if follow else os.lstat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return path, warnings
        raise ValidationError("dest", "cannot read %s: %s" % (dest, exc))
    if follow or not stat.S_ISLNK(info.st_mode):
        kind = file_kind(info.st_mode)
        if kind:
            raise ValidationError("dest", "%s is %s, not a regular file; give the path of a kubeconfig file"
                                  % (dest, kind))
        euid = os.geteuid()
        if info.st_uid != euid and (euid != 0 or shared_dir):
            raise ValidationError("dest", "%s belongs to %s, not to %s who runs this task: that user could read"
                                          " the cluster's keys; remove it or choose another dest"
                                  % (dest, _user(info.st_uid), _user(euid)))
    return path, warnings


class DestLock(object):
    """Exclusive lock of the directory of ``path`` (see the module docstring), as a context manager.

    :param str path: the kubeconfig file. :param float timeout: seconds to wait for the lock.
    :param warn: callable taking a warning text (when the directory cannot be locked: the write
        goes on without the lock). :raises ValidationError: naming ``dest`` after ``timeout``.
    """

    def __init__(self, path, timeout=LOCK_TIMEOUT, warn=None, clock=time.monotonic):
        self.directory = os.path.dirname(os.path.abspath(path))
        self.path, self.timeout, self.warn, self.clock = path, timeout, warn, clock
        self.fd = None

    def __enter__(self):
        if not HAS_FCNTL:  # pragma: no cover
            return self
        try:
            self.fd = os.open(self.directory, os.O_RDONLY)
        except OSError as exc:
            if self.warn:
                self.warn("dest: cannot lock the directory %s (%s): parallel writes of %s may lose entries"
                          % (self.directory, exc.strerror, self.path))
            return self
        deadline = self.clock() + self.timeout
        delay = 0.01
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except (IOError, OSError) as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    self._close()
                    if self.warn:
                        self.warn("dest: cannot lock the directory %s (%s): parallel writes of %s may lose"
                                  " entries" % (self.directory, exc, self.path))
                    return self
            if self.clock() >= deadline:
                self._close()
                raise ValidationError("dest", "another task kept the directory %s of %s locked for %.0f s"
                                              " (a kubeconfig being written); try again"
                                      % (self.directory, self.path, self.timeout))
            time.sleep(delay)
            delay = min(delay * 2, 0.2)

    def _close(self):
        if self.fd is not None:
            os.close(self.fd)  # closing the last descriptor releases the lock
            self.fd = None

    def __exit__(self, *exc_info):
        self._close()


def read_text(path):
    """The bytes of the regular file ``path``, or ``None`` when it does not exist.

    Opened without blocking and checked after opening (``fstat``): a FIFO or device put in
    place after :func:`check_dest` is refused, never read from (a FIFO would hang).

    :raises ValidationError: naming ``dest`` when it is not a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise
    with os.fdopen(fd, "rb") as handle:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind:
            raise ValidationError("dest", "%s is %s, not a regular file" % (path, kind))
        return handle.read()


def write_atomic(path, data, keep_mode):
    """Write ``data`` (bytes) to ``path`` atomically: a 0600 temporary file in the same
    directory, flushed and fsynced, renamed over ``path``, then the directory fsynced.

    An existing file's owner and group are kept when allowed (root); with ``keep_mode`` its
    mode too. The temporary file is removed on any failure.
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        old = os.stat(path)
    except OSError:
        old = None
    fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            try:
                os.chown(tmp, old.st_uid, old.st_gid)
            except OSError:
                pass
            if keep_mode:
                os.chmod(tmp, stat.S_IMODE(old.st_mode))
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    fsync_dir(directory)


def fsync_dir(directory):
    """fsync ``directory`` (a rename or unlink in it survives a crash); errors are ignored."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
