# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that the parts of ``make reliability-short`` (mk/reliability.mk) hold every test once.

Usage: ``python tests/reliability/check_parts.py DIR PART1 ARGS... -- PART2 ARGS... -- ...``

Each part is a list of pytest arguments: a test file (``tests/reliability/test_x.py``) or one
test (``tests/reliability/test_x.py::test_y``, which covers its parametrised cases). The tests
of DIR are collected once (``pytest --collect-only -q``); a test that no part names, or that two
parts name, fails the check, so a new test file cannot silently fall out of ``make test``.
Exit status 0 when every test is in exactly one part, 1 otherwise (the tests listed), 2 when
the collection fails.
"""

from __future__ import annotations

import subprocess
import sys


def covers(argument, node_id):
    """Whether the pytest argument ``argument`` selects the test ``node_id``."""
    if "::" not in argument:
        return node_id.startswith(argument + "::")
    return node_id == argument or node_id.startswith(argument + "[") or node_id.startswith(argument + "::")


def main(argv):
    directory, parts = argv[0], [[]]
    for argument in argv[1:]:
        if argument == "--":
            parts.append([])
        else:
            parts[-1].append(argument)
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", directory],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    node_ids = [line.strip() for line in done.stdout.splitlines() if "::" in line and not line.startswith(" ")]
    if done.returncode != 0 or not node_ids:
        sys.stderr.write(done.stdout)
        sys.stderr.write("reliability parts: collecting %s failed (exit %d)\n" % (directory, done.returncode))
        return 2
    problems = []
    for node_id in node_ids:
        holders = [index + 1 for index, part in enumerate(parts) if any(covers(a, node_id) for a in part)]
        if len(holders) != 1:
            problems.append("%s: in %s" % (node_id, "parts %s" % holders if holders else "no part"))
    unused = [a for part in parts for a in part if not any(covers(a, n) for n in node_ids)]
    problems += ["%s: names no test" % a for a in unused]
    if problems:
        sys.stderr.write("reliability parts (mk/reliability.mk RELIABILITY_PART_*) must hold every test once:\n  %s\n"
                         % "\n  ".join(problems))
        return 1
    print("reliability parts: %d tests in %d parts, each once" % (len(node_ids), len(parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
