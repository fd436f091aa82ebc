#!/usr/bin/env python
"""Check that every operation in docs/operations.md was exercised against the simulator.

Usage: scripts/check-api-coverage.py SIMULATOR_URL [docs/operations.md]

Reads the table between the ``operations-table`` markers (method and path of
each of the guide's operations), reads the simulator's ``GET /_sim/stats``, and
fails (exit 1) unless each operation was answered with a 2xx status at least
once, or unless the simulator served an operation the table does not list.
Path parameters are compared by position only ({CLUSTER_ID_OR_NAME} in the
guide is {cluster_id} in the simulator).
"""

import json
import re
import sys
import urllib.request

ROW = re.compile(r"^\|\s*\d+\s*\|[^|]*\|\s*(GET|POST|PATCH|PUT|DELETE)\s*\|\s*`([^`]+)`\s*\|")


def template(path):
    """``/v1/clusters/{X}/events`` -> ``/v1/clusters/{}/events``."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def table_operations(doc):
    text = open(doc, encoding="utf-8").read()
    body = text.split("<!-- operations-table: begin -->", 1)[1].split("<!-- operations-table: end -->", 1)[0]
    ops = []
    for line in body.splitlines():
        match = ROW.match(line)
        if match:
            ops.append((match.group(1), template(match.group(2))))
    return ops


def main(argv):
    url = argv[1].rstrip("/")
    doc = argv[2] if len(argv) > 2 else "docs/operations.md"
    ops = table_operations(doc)
    with urllib.request.urlopen(url + "/_sim/stats", timeout=30) as answer:
        stats = json.load(answer)
    ok, seen = {}, set()
    for row in stats["by_route"]:
        key = (row["method"], template(row["route"]))
        if key[1].startswith("/v1"):
            seen.add(key)
        if 200 <= int(row["status"]) < 300:
            ok[key] = ok.get(key, 0) + int(row["count"])
    missing = [op for op in ops if op not in ok]
    unlisted = sorted(seen - set(ops))
    print("check-api-coverage: %d operations in %s" % (len(ops), doc))
    for method, path in ops:
        print("  %-6s %-62s %s" % (method, path, ok.get((method, path), "NOT EXERCISED")))
    failed = False
    if len(ops) != 25 or len(set(ops)) != 25:
        print("check-api-coverage: FAILED: the table must list the guide's 25 operations once each")
        failed = True
    if missing:
        print("check-api-coverage: FAILED: never answered 2xx: %s" % ", ".join(" ".join(op) for op in missing))
        failed = True
    if unlisted:
        print("check-api-coverage: FAILED: served but not in the table: %s" % ", ".join(" ".join(op) for op in unlisted))
        failed = True
    if not failed:
        print("check-api-coverage: all %d operations exercised" % len(ops))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
