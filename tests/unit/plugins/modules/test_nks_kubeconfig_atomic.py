# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nks_kubeconfig writes atomically: a write interrupted between the temporary file and
the rename leaves the old file intact and no temporary file behind; the temporary file
is private (0600) from the start (docs/reliability.md)."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks import kubeconfig as nks_kubeconfig
from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.kubeconfig import NksKubeconfig

OLD = "apiVersion: v1\nkind: Config\nusers:\n- name: old\n  user: {client-key-data: T0xE}\n"
NEW = "apiVersion: v1\nkind: Config\nusers:\n- name: new\n  user: {client-key-data: TkVX}\n" + "x" * 65536


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_interrupted_before_rename_keeps_the_old_file(tmp_path, monkeypatch, error):
    dest = tmp_path / "config"
    dest.write_text(OLD)
    os.chmod(str(dest), 0o600)
    seen = {}

    def interrupted(src, dst):
        seen["tmp"] = src
        seen["tmp_mode"] = stat.S_IMODE(os.stat(src).st_mode)
        with open(src) as handle:
            seen["tmp_content"] = handle.read()
        raise error

    monkeypatch.setattr(nks_kubeconfig.os, "replace", interrupted)
    with pytest.raises(type(error)):
        NksKubeconfig._write(None, str(dest), NEW, False)
    assert dest.read_text() == OLD
    assert seen["tmp_content"] == NEW  # the new content was complete before the rename
    assert seen["tmp_mode"] == 0o600
    assert not os.path.exists(seen["tmp"])
    assert sorted(os.listdir(str(tmp_path))) == ["config"]


def test_new_file_is_private_from_the_start(tmp_path, monkeypatch):
    dest = tmp_path / "config"
    modes = []
    real = os.replace

    def spy(src, dst):
        modes.append(stat.S_IMODE(os.stat(src).st_mode))
        return real(src, dst)

    monkeypatch.setattr(nks_kubeconfig.os, "replace", spy)
    old_umask = os.umask(0)
    try:
        NksKubeconfig._write(None, str(dest), NEW, False)
    finally:
        os.umask(old_umask)
    assert modes == [0o600]
    assert dest.read_text() == NEW
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o600
