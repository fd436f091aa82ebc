#!/usr/bin/env python
"""Check that every operation in docs/operations.md was exercised against the simulator.

Usage: scripts/check-api-coverage.py SIMULATOR_URL [docs/operations.md]

Reads the table between the ``operations-table`` markers (method, path and body
``type`` of each of the guide's operations: the 37 of the 2026-03 guide and the
removed Change Cluster CNI), reads the simulator's ``GET /_sim/stats``, and
fails (exit 1) unless each operation was answered with a 2xx status at least
once, or unless the simulator served a route the table does not list.
Path parameters are compared by position only ({CLUSTER_ID_OR_NAME} in the
guide is {cluster_id} in the simulator); a trailing ``/`` and a ``$`` before a
parameter (as the guide writes some add-on paths) are ignored.

Two explicit limits, printed on every run:
- the simulator's counters have no body ``type``: operations that share a method
  and path (``PATCH .../nodegroups/{}``) are checked by their route;
- :data:`PENDING_TARGETS`: operations exercised by an integration target that is
  not in this checkout yet are listed as pending instead of failing, only while
  that target's directory is missing.
"""

import json
import os
import re
import sys
import urllib.request

ROW = re.compile(r"^\|\s*(?:\d+|removed)\s*\|[^|]*\|\s*(GET|POST|PATCH|PUT|DELETE)\s*\|\s*`([^`]+)`\s*\|"
                 r"\s*(?:`([^`]*)`)?\s*\|")
EXPECTED_ROWS = 38  # the 37 operations of the 2026-03 guide and the removed Change Cluster CNI

# Operations reached only by an integration target that another branch brings: pending (not failing) while
# tests/integration/targets/<target>/ does not exist. Every entry is reported on each run.
PENDING_TARGETS = {
    "nks_addon": [
        ("GET", "/v1/addon_types/{}"), ("GET", "/v1/addon_types"), ("GET", "/v1/addons/{}"), ("GET", "/v1/addons"),
        ("GET", "/v1/clusters/{}/addons/{}"), ("GET", "/v1/clusters/{}/addons"), ("POST", "/v1/clusters/{}/addons"),
        ("PATCH", "/v1/clusters/{}/addons/{}"), ("DELETE", "/v1/clusters/{}/addons/{}"),
    ],
}
TARGETS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration", "targets")


def template(path):
    """``/v1/clusters/{X}/events`` -> ``/v1/clusters/{}/events`` (``${X}`` too; no trailing ``/``)."""
    path = re.sub(r"\$?\{[^}]*\}", "{}", path)
    return path.rstrip("/") or "/"


def pending_operations():
    """``{(method, path): target}`` of :data:`PENDING_TARGETS` whose target directory is missing."""
    out = {}
    for target, ops in PENDING_TARGETS.items():
        if not os.path.isdir(os.path.join(TARGETS_DIR, target)):
            out.update((op, target) for op in ops)
    return out


def table_operations(doc):
    text = open(doc, encoding="utf-8").read()
    body = text.split("<!-- operations-table: begin -->", 1)[1].split("<!-- operations-table: end -->", 1)[0]
    ops = []
    for line in body.splitlines():
        match = ROW.match(line)
        if match:
            ops.append((match.group(1), template(match.group(2)), match.group(3) or ""))
    return ops


def main(argv):
    url = argv[1].rstrip("/")
    doc = argv[2] if len(argv) > 2 else "docs/operations.md"
    ops = table_operations(doc)
    routes = sorted(set((method, path) for method, path, _type in ops))
    pending = pending_operations()
    with urllib.request.urlopen(url + "/_sim/stats", timeout=30) as answer:
        stats = json.load(answer)
    ok, seen = {}, set()
    for row in stats["by_route"]:
        key = (row["method"], template(row["route"]))
        if key[1].startswith("/v1"):
            seen.add(key)
        if 200 <= int(row["status"]) < 300:
            ok[key] = ok.get(key, 0) + int(row["count"])
    missing = [op for op in routes if op not in ok and op not in pending]
    unlisted = sorted(seen - set(routes))
    print("check-api-coverage: %d operations in %s" % (len(ops), doc))
    for method, path, kind in ops:
        state = ok.get((method, path)) or ("PENDING (target %s not in this checkout)" % pending[(method, path)]
                                           if (method, path) in pending else "NOT EXERCISED")
        print("  %-6s %-62s %-22s %s" % (method, path, kind, state))
    shared = dict((route, [k for m, p, k in ops if (m, p) == route]) for route in routes)
    for route, kinds in sorted(shared.items()):
        if len(kinds) > 1:
            print("check-api-coverage: note: %s is %d operations (type %s), checked by route: the simulator's"
                  " counters have no body type" % (" ".join(route), len(kinds), ", ".join(kinds)))
    for target in sorted(set(pending.values())):
        print("check-api-coverage: note: %d operations pending target %s (PENDING_TARGETS)"
              % (sum(1 for t in pending.values() if t == target), target))
    failed = False
    if len(ops) != EXPECTED_ROWS or len(set(ops)) != EXPECTED_ROWS:
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
        print("check-api-coverage: all %d operations exercised%s"
              % (len(ops), " (%d pending)" % len(pending) if pending else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
