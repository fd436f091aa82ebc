# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bytecode cache for modules imported from zip archives, for the development venv (.venv).

Every Ansible module runs as a new Python process that imports ``ansible.module_utils`` and the
collection's ``module_utils`` from the AnsiballZ payload, a zip archive. Python's ``zipimport``
finds no ``.pyc`` there and compiles every source again, in every module process: measured with
py-spy on a playbook of nks_info tasks, 54 % of a module process's CPU time was ``compile()``.
(``zipimport`` of Python 3.11 even compiles each source twice: ``find_spec`` calls
``get_filename``, which compiles to find the file name.) ``make test`` runs thousands of module
processes on a 2-core machine and is CPU-bound.

:class:`CachingZipImporter` is ``zipimport.zipimporter`` with two changes: :meth:`get_filename` answers
without compiling, and :meth:`get_code` keeps
the code object of each source it compiles in a cache directory, keyed by the SHA-256 of the
Python bytecode magic number and the source, and loads it from there the next time. The code
object is the one ``compile()`` returns, with the archive's path as file name (rewritten to the
archive actually imported from), so modules, tracebacks and results are the same; only the
compile is saved. Nothing else of the import system changes, and no Ansible code is touched.

``make venv`` installs this file into .venv's site-packages with a ``.pth`` line that calls
:func:`install` at interpreter start. The cache is ``$NKS_ZIPIMPORT_CACHE`` (default
``<venv>/.zipimport-cache``, mode 0700; files written whole, then renamed into place);
``NKS_ZIPIMPORT_CACHE=off`` turns it off. Any error of the cache falls back to a plain compile.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
import types
import zipimport

ENV = "NKS_ZIPIMPORT_CACHE"


def _cache_dir():
    value = os.environ.get(ENV, "")
    if value == "off":
        return None
    return value or os.path.join(sys.prefix, ".zipimport-cache")


def _with_filename(code, filename):
    """``code`` and every code object nested in it with ``co_filename`` = ``filename``."""
    consts = tuple(_with_filename(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


class CachingZipImporter(zipimport.zipimporter):
    """``zipimport.zipimporter`` whose :meth:`get_code` caches compiled sources (see the module's text)."""

    _last = (None, None)

    def _source(self, fullname):
        """``(archive-relative path, bytes)`` of ``fullname``'s source (``pkg/__init__.py`` or
        ``pkg/mod.py``), or ``None`` when the archive holds bytecode for it or no source. The import
        system asks :meth:`get_filename`, then :meth:`get_code`: the last answer is kept for the second."""
        if self._last[0] == fullname:
            return self._last[1]
        found = self._read_source(fullname)
        self._last = (fullname, found)
        return found

    def _read_source(self, fullname):
        base = self.prefix + fullname.rpartition(".")[2]
        for relative, bytecode in ((base + "/__init__.pyc", True), (base + "/__init__.py", False),
                                   (base + ".pyc", True), (base + ".py", False)):
            try:
                data = self.get_data(self.archive + "/" + relative)
            except OSError:
                continue
            return None if bytecode else (relative, data)
        return None

    def get_filename(self, fullname):
        """The path of ``fullname``'s source in the archive. ``zipimport`` compiles the source to
        answer this (Python 3.11: ``find_spec`` asks for it, then ``get_code`` compiles again)."""
        found = self._source(fullname)
        if found is None:
            return super().get_filename(fullname)
        return self.archive + "/" + found[0]

    def get_code(self, fullname):
        """The code object of ``fullname``: from the cache when its source was compiled before,
        else compiled (as ``zipimport`` does) and stored."""
        cache = _cache_dir()
        found = self._source(fullname) if cache else None
        if found is None:
            return super().get_code(fullname)
        filename = self.archive + "/" + found[0]
        source = found[1]
        key = hashlib.sha256(importlib.util.MAGIC_NUMBER + b"\0" + source).hexdigest()
        path = os.path.join(cache, key[:2], key)
        try:
            with open(path, "rb") as stream:
                return _with_filename(marshal.loads(stream.read()), filename)
        except (OSError, EOFError, ValueError, TypeError):
            pass
        code = compile(source.replace(b"\r\n", b"\n").replace(b"\r", b"\n") + b"\n", filename, "exec",
                       dont_inherit=True)
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
            with os.fdopen(fd, "wb") as stream:
                stream.write(marshal.dumps(code))
            os.replace(temporary, path)
        except OSError:
            pass
        return code


def install():
    """Put :class:`CachingZipImporter` in place of ``zipimport.zipimporter`` in ``sys.path_hooks``
    (once); does nothing when the cache is off."""
    if _cache_dir() is None or CachingZipImporter in sys.path_hooks:
        return
    if zipimport.zipimporter in sys.path_hooks:
        sys.path_hooks.remove(zipimport.zipimporter)
    sys.path_hooks.insert(0, CachingZipImporter)
    sys.path_importer_cache.clear()
