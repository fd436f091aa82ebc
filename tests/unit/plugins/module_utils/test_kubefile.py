# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/_kubefile.py: which ``dest`` is refused, the directory
lock, reading without hanging, atomic replace. Deterministic: no test depends on timing
except the lock timeout, which is waited for while the lock is certainly held."""

from __future__ import annotations

import os
import socket
import stat
import threading

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._kubefile import (
    DestLock, check_dest, read_text, write_atomic)
from ansible_collections.nhncloud.nks.plugins.module_utils._validation import ValidationError

NOBODY = 65534


@pytest.mark.parametrize("dest", ["", "   ", None])
def test_empty_dest_is_refused(dest):
    with pytest.raises(ValidationError) as info:
        check_dest(dest)
    assert info.value.option == "dest" and "must not be empty" in str(info.value)


def test_fifo_directory_socket_and_device_are_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(str(fifo))
    sock_path = tmp_path / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for path, kind in ((fifo, "a FIFO"), (tmp_path, "a directory"), (sock_path, "a socket"),
                           ("/dev/null", "a character device")):
            for follow in (True, False):
                with pytest.raises(ValidationError) as info:
                    check_dest(str(path), follow=follow)
                assert info.value.option == "dest" and kind in str(info.value) and str(path) in str(info.value)
    finally:
        sock.close()


def test_a_link_to_a_fifo_is_refused_when_followed(tmp_path):
    os.mkfifo(str(tmp_path / "fifo"))
    os.symlink(str(tmp_path / "fifo"), str(tmp_path / "link"))
    with pytest.raises(ValidationError):
        check_dest(str(tmp_path / "link"))
    assert check_dest(str(tmp_path / "link"), follow=False)[0] == str(tmp_path / "link")  # absent removes the link


def test_missing_directory_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="does not exist"):
        check_dest(str(tmp_path / "nope" / "config"))


def test_regular_and_missing_files_pass(tmp_path):
    (tmp_path / "config").write_text("")
    assert check_dest(str(tmp_path / "config")) == (str(tmp_path / "config"), [])
    assert check_dest(str(tmp_path / "new")) == (str(tmp_path / "new"), [])


def test_world_writable_directory_warns(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(str(shared), 0o1777)
    path, warnings = check_dest(str(shared / "config"))
    assert len(warnings) == 1 and "writable by every user" in warnings[0] and str(shared) in warnings[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_another_users_file_in_a_world_writable_directory_is_refused_even_for_root(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(str(shared), 0o1777)
    planted = shared / "config"
    planted.write_text("")
    os.chown(str(planted), NOBODY, NOBODY)
    with pytest.raises(ValidationError) as info:
        check_dest(str(planted))
    assert "belongs to" in str(info.value) and "uid %d" % NOBODY in str(info.value)
    private = tmp_path / "private"
    private.mkdir()
    os.chown(str(private), NOBODY, NOBODY)
    (private / "config").write_text("")
    os.chown(str(private / "config"), NOBODY, NOBODY)
    assert check_dest(str(private / "config"))[0] == str(private / "config")  # root provisioning a user's file


def _refusal_as_a_user(path):
    """``check_dest(path)``'s refusal message for a user who is not root (``None``: accepted). Run as
    root (CI), it is checked in a child process that became user ``nobody``."""
    if os.geteuid() != 0:
        try:
            check_dest(path)
        except ValidationError as exc:
            return str(exc)
        return None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: nobody, then the check; its answer through the pipe
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            try:
                check_dest(path)
                answer = b""
            except ValidationError as exc:
                answer = str(exc).encode() or b"?"
            os.write(write, answer)
        finally:
            os._exit(0)  # pylint: disable=protected-access
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    return answer or None


def test_another_users_file_is_refused(tmp_path):
    """A user's run refuses a ``dest`` that belongs to somebody else (here root's /etc/hostname)."""
    refusal = _refusal_as_a_user("/etc/hostname" if os.path.exists("/etc/hostname") else "/etc/passwd")
    assert refusal is not None and "belongs to" in refusal


def test_read_text_never_reads_a_fifo(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(str(fifo))
    with pytest.raises(ValidationError, match="FIFO"):
        read_text(str(fifo))  # opened non-blocking: would hang otherwise
    assert read_text(str(tmp_path / "missing")) is None


def test_write_atomic_private_and_no_temporary_file(tmp_path):
    dest = tmp_path / "config"
    write_atomic(str(dest), b"a: 1\n", keep_mode=False)
    assert dest.read_bytes() == b"a: 1\n" and stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o600
    os.chmod(str(dest), 0o640)
    write_atomic(str(dest), b"a: 2\n", keep_mode=True)
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o640
    assert sorted(os.listdir(str(tmp_path))) == ["config"]


def test_lock_excludes_another_holder_and_times_out(tmp_path):
    dest = str(tmp_path / "config")
    held, release = threading.Event(), threading.Event()

    def holder():
        with DestLock(dest):
            held.set()
            release.wait(30)
    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(30)
        with pytest.raises(ValidationError) as info:
            with DestLock(dest, timeout=0.3):
                pass  # pragma: no cover - the lock is held by the thread
        assert "locked" in str(info.value) and dest in str(info.value)
    finally:
        release.set()
        thread.join(30)
    with DestLock(dest, timeout=5):
        pass  # released with its holder
    assert os.listdir(str(tmp_path)) == []  # nothing left behind (kubectl's config.lock stays free)
