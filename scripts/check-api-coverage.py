#!/usr/bin/env python
"""Check that every operation in docs/operations.md was exercised against the simulator.

Usage: scripts/check-api-coverage.py SIMULATOR_URL [docs/operations.md] [--targets T1,T2,... --unchecked U1,U2,...]

Reads the table between the ``operations-table`` markers (method, path and body
``type`` of each of the guide's operations: the 37 of the 2026-03 guide and the
removed Change Cluster CNI), reads the simulator's ``GET /_sim/stats``, and
fails (exit 1) unless each operation was answered with a 2xx status at least
once, or unless the simulator served a route the table does not list.
Path parameters are compared by position only ({CLUSTER_ID_OR_NAME} in the
guide is {cluster_id} in the simulator); a trailing ``/`` and a ``$`` before a
parameter (as the guide writes some add-on paths) are ignored.

With ``--targets`` (the integration targets that ran against this simulator: ``make integration-1a`` and
``integration-1b`` each run a part of them, side by side, on a simulator of their own), only the rows whose last
column names one of those targets are checked, and each of them must have been answered by this simulator: a row
is checked by every part that runs one of its targets. ``--unchecked`` names the targets that run without this
check (``integration-2``'s): a row whose targets are all among them fails, so that no row falls between the parts.
The routes served that the table does not list fail in every part.

One explicit limit, printed on every run: the simulator's counters have no body
``type``, so operations that share a method and path (``PATCH .../nodegroups/{}``)
are checked by their route.
"""

import json
import re
import sys
import urllib.request

ROW = re.compile(r"^\|\s*(?:\d+|removed)\s*\|[^|]*\|\s*(GET|POST|PATCH|PUT|DELETE)\s*\|\s*`([^`]+)`\s*\|"
                 r"\s*(?:`([^`]*)`)?\s*\|.*\|\s*([^|]*?)\s*\|\s*$")
TARGET = re.compile(r"^[a-z0-9_]+")
EXPECTED_ROWS = 38  # the 37 operations of the 2026-03 guide and the removed Change Cluster CNI


def template(path):
    """``/v1/clusters/{X}/events`` -> ``/v1/clusters/{}/events`` (``${X}`` too; no trailing ``/``)."""
    path = re.sub(r"\$?\{[^}]*\}", "{}", path)
    return path.rstrip("/") or "/"


def row_targets(cell):
    """``["nks_info", "nks_cluster"]`` of a last column ``nks_info, nks_cluster (a note)``."""
    out = []
    for part in cell.split(","):
        match = TARGET.match(part.strip())
        if match:
            out.append(match.group(0))
    return out


def table_operations(doc):
    """``[(method, path template, body type)]`` of the table's rows, in order."""
    return [op for op, _targets in table_rows(doc)]


def table_rows(doc):
    """``[((method, path template, body type), [target, ...])]`` of the table's rows, in order."""
    text = open(doc, encoding="utf-8").read()
    body = text.split("<!-- operations-table: begin -->", 1)[1].split("<!-- operations-table: end -->", 1)[0]
    ops = []
    for line in body.splitlines():
        match = ROW.match(line)
        if match:
            ops.append(((match.group(1), template(match.group(2)), match.group(3) or ""), row_targets(match.group(4))))
    return ops


def _option(argv, name):
    """The comma-separated list after ``name`` in ``argv`` (removed from it), or None."""
    if name not in argv:
        return None
    at = argv.index(name)
    value = argv[at + 1] if at + 1 < len(argv) else ""
    del argv[at:at + 2]
    return [item for item in value.split(",") if item]


def main(argv):
    argv = list(argv)
    targets = _option(argv, "--targets")
    unchecked = set(_option(argv, "--unchecked") or [])
    url = argv[1].rstrip("/")
    doc = argv[2] if len(argv) > 2 else "docs/operations.md"
    rows = table_rows(doc)
    ops = [op for op, _targets in rows]
    homeless = []
    if targets is not None:
        homeless = [op for op, names in rows if not set(names) - unchecked]
        ops = [op for op, names in rows if set(names) & set(targets)]
        print("check-api-coverage: the %d of %d rows whose target is one of %s" % (len(ops), len(rows), ", ".join(targets)))
    routes = sorted(set((method, path) for method, path, _type in ops))
    all_routes = set((method, path) for (method, path, _type), _targets in rows)
    with urllib.request.urlopen(url + "/_sim/stats", timeout=30) as answer:
        stats = json.load(answer)
    ok, seen = {}, set()
    for row in stats["by_route"]:
        key = (row["method"], template(row["route"]))
        if key[1].startswith("/v1"):
            seen.add(key)
        if 200 <= int(row["status"]) < 300:
            ok[key] = ok.get(key, 0) + int(row["count"])
    missing = [op for op in routes if op not in ok]
    unlisted = sorted(seen - all_routes)
    print("check-api-coverage: %d operations in %s" % (len(ops), doc))
    for method, path, kind in ops:
        state = ok.get((method, path)) or "NOT EXERCISED"
        print("  %-6s %-62s %-22s %s" % (method, path, kind, state))
    shared = dict((route, [k for m, p, k in ops if (m, p) == route]) for route in routes)
    for route, kinds in sorted(shared.items()):
        if len(kinds) > 1:
            print("check-api-coverage: note: %s is %d operations (type %s), checked by route: the simulator's"
                  " counters have no body type" % (" ".join(route), len(kinds), ", ".join(kinds)))
    failed = False
    if homeless:
        print("check-api-coverage: FAILED: no target that checks coverage performs %s (last column)"
              % ", ".join(" ".join(op[:2]) for op in homeless))
        failed = True
    if len(rows) != EXPECTED_ROWS or len(set(op for op, _targets in rows)) != EXPECTED_ROWS:
        print("check-api-coverage: FAILED: the table must list the guide's %d operations once each"
              % EXPECTED_ROWS)
        failed = True
    if missing:
        print("check-api-coverage: FAILED: never answered 2xx: %s" % ", ".join(" ".join(op) for op in missing))
        failed = True
    if unlisted:
        print("check-api-coverage: FAILED: served but not in the table: %s" % ", ".join(" ".join(op) for op in unlisted))
        failed = True
    if not failed:
        print("check-api-coverage: all %d operations checked here exercised" % len(ops))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
