# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The development venv's bytecode cache for zip imports (scripts/dev/nks_zipimport_cache.py, installed
by ``make venv``): what is imported from a zip is the same with and without it, file names and
tracebacks name the archive actually imported from, a damaged cache entry is compiled again, and
``NKS_ZIPIMPORT_CACHE=off`` writes nothing. Real interpreter processes of .venv; deterministic."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

from conftest import VENV_BIN

PROBE = r"""
import json, sys, traceback
sys.path.insert(0, sys.argv[1])
import pkg.mod
try:
    pkg.mod.fail()
except ValueError:
    where = traceback.extract_tb(sys.exc_info()[2])[-1]
print(json.dumps({"hook": type(sys.path_importer_cache[sys.argv[1]]).__name__, "file": pkg.mod.__file__,
                  "co_filename": pkg.mod.fail.__code__.co_filename, "value": pkg.mod.VALUE,
                  "nested": pkg.mod.Thing().method.__code__.co_filename, "tb": [where.filename, where.lineno]}))
"""
SOURCES = {
    "pkg/__init__.py": "",
    "pkg/mod.py": "VALUE = [1, 'two']\r\n\n\nclass Thing:\n    def method(self):\n        return 1\n\n\n"
                  "def fail():\n    raise ValueError('boom')\n",
}


def archive(path):
    with zipfile.ZipFile(str(path), "w") as zf:
        for name, text in SOURCES.items():
            zf.writestr(name, text)
    return str(path)


def probe(zip_path, cache):
    done = subprocess.run([str(VENV_BIN / "python"), "-c", PROBE, zip_path], env=dict(os.environ, NKS_ZIPIMPORT_CACHE=cache),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def entries(cache):
    return sorted(p.name for p in Path(cache).rglob("*") if p.is_file()) if os.path.isdir(cache) else []


def expected(zip_path):
    return {"hook": "CachingZipImporter", "file": zip_path + "/pkg/mod.py", "co_filename": zip_path + "/pkg/mod.py",
            "value": [1, "two"], "nested": zip_path + "/pkg/mod.py", "tb": [zip_path + "/pkg/mod.py", 10]}


def test_cached_code_is_the_compiled_code_of_the_archive_imported_from(tmp_path):
    cache = str(tmp_path / "cache")
    first = archive(tmp_path / "a.zip")
    assert probe(first, cache) == expected(first)
    stored = entries(cache)
    assert len(stored) == 2  # pkg/__init__.py and pkg/mod.py, nothing else (no temporary file left)
    # The same sources in another archive (each AnsiballZ payload has a new path): read from the cache,
    # with the new archive's path everywhere.
    second = archive(tmp_path / "b.zip")
    assert probe(second, cache) == expected(second)
    assert entries(cache) == stored
    # A damaged entry is compiled again and replaced.
    for path in Path(cache).rglob("*"):
        if path.is_file():
            path.write_bytes(b"not marshal data")
    assert probe(second, cache) == expected(second)
    assert all(p.read_bytes() != b"not marshal data" for p in Path(cache).rglob("*") if p.is_file())


def test_off_imports_the_same_with_pythons_own_importer(tmp_path):
    zip_path = archive(tmp_path / "a.zip")
    done = subprocess.run([str(VENV_BIN / "python"), "-c", PROBE, zip_path],
                          env=dict(os.environ, NKS_ZIPIMPORT_CACHE="off"), stdout=subprocess.PIPE, text=True,
                          timeout=60, check=True)
    result = json.loads(done.stdout)
    assert result == dict(expected(zip_path), hook="zipimporter")  # Python's own importer: no cache at all
