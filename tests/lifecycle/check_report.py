#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Checks of tests/lifecycle/report-test.sh on the fleet report's JSON and on the DOMs Chromium dumped.

Usage: check_report.py WORK_DIR CLUSTERS. WORK_DIR holds fleet-report.json, dom.html (the page after its script
ran) and dom-KEY-DIR.html (the page opened with #sort=KEY:DIR). Exits 1 naming the first failed check.
"""

from __future__ import annotations

import json
import os
import sys
from html.parser import HTMLParser

DRIFT = {"fleet-02": ["node_count"], "fleet-05": ["ipacl.targets"]}
EOS = {"v1.26": None, "v1.27": None, "v1.28": "2025-11-30", "v1.29": "2026-02-28"}


class Rows(HTMLParser):
    """The ``tr.cluster`` rows (their ``data-name``), and the attributes of ``body`` and ``table#clusters``."""

    def __init__(self):
        super().__init__()
        self.names, self.body, self.table = [], {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "cluster" in (attrs.get("class") or "").split():
            self.names.append(attrs.get("data-name"))
        elif tag == "body":
            self.body = attrs
        elif tag == "table" and attrs.get("id") == "clusters":
            self.table = attrs


def parse(path):
    rows = Rows()
    with open(path, encoding="utf-8") as handle:
        rows.feed(handle.read())
    return rows


def expected(rows, key, direction):
    """The order the page's script gives: stable, from the name order, empty values last."""
    def value(row):
        if key == "kube_version":
            return tuple(int(n) for n in row["kube_version"].lstrip("v").split(".")[:3])
        return row.get(key)
    ordered = sorted(rows, key=lambda r: r["name"])
    present = [r for r in ordered if value(r) not in (None, "")]
    empty = [r for r in ordered if value(r) in (None, "")]
    present = sorted(present, key=value, reverse=direction == "desc")
    return [r["name"] for r in present + empty]


def fail(message):
    print("check_report: FAILED: %s" % message, file=sys.stderr)
    sys.exit(1)


def main(work, count):
    with open(os.path.join(work, "fleet-report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    rows = report["clusters"]
    if len(rows) != count or report["summary"]["clusters"] != count:
        fail("the JSON has %d clusters, expected %d" % (len(rows), count))
    for row in rows:
        if not row["in_inventory"] or not row["exists"] or not row["status"].endswith("_COMPLETE"):
            fail("%s: in_inventory %s, exists %s, status %s"
                 % (row["name"], row["in_inventory"], row["exists"], row["status"]))
        paths = [d["path"] for d in row["drift"]]
        if paths != DRIFT.get(row["name"], []):
            fail("%s: drift %s, expected %s" % (row["name"], row["drift"], DRIFT.get(row["name"], [])))
        minor = ".".join(row["kube_version"].split(".")[:2])
        if row["end_of_service"] != EOS[minor]:
            fail("%s: end_of_service %s for %s, expected %s" % (row["name"], row["end_of_service"], minor, EOS[minor]))
        if not row["certificate_expiry"] or row["certificate_days_left"] is None:
            fail("%s: no certificate expiry" % row["name"])
        if row["health"] != "OK" or not row["node_count"] or row["nodes_not_ready"] != 0:
            fail("%s: health %s, nodes %s, not ready %s" % (row["name"], row["health"], row["node_count"],
                                                            row["nodes_not_ready"]))
    if report["summary"]["drifted"] != len(DRIFT):
        fail("summary.drifted is %s, expected %d" % (report["summary"]["drifted"], len(DRIFT)))
    drift = dict((r["name"], r["drift"]) for r in rows)
    if drift["fleet-02"][0]["definition"] != 3 or drift["fleet-02"][0]["cluster"] != 1:
        fail("fleet-02: node_count drift %s, expected 3 in the definition, 1 in NKS" % drift["fleet-02"])
    print("check_report: JSON: %d clusters, drift of %s only, end-of-service dates, certificate expiry, health, nodes"
          % (count, ", ".join(sorted(DRIFT))))

    dom = parse(os.path.join(work, "dom.html"))
    if dom.body.get("data-ready") != "true":
        fail("the page's script did not run (body data-ready=%r)" % dom.body.get("data-ready"))
    if len(dom.names) != count or dom.body.get("data-rows") != str(count):
        fail("the DOM has %d cluster rows (data-rows %s), expected %d" % (len(dom.names), dom.body.get("data-rows"), count))
    if dom.names != sorted(dom.names):
        fail("the rows are not in name order at load: %s" % dom.names)
    for name in sorted(os.listdir(work)):
        if not name.startswith("dom-"):
            continue
        key, direction = name[len("dom-"):-len(".html")].rsplit("-", 1)
        sorted_dom = parse(os.path.join(work, name))
        if sorted_dom.table.get("data-sort-key") != key or sorted_dom.table.get("data-sort-dir") != direction:
            fail("%s: the table says it is sorted by %s %s" % (name, sorted_dom.table.get("data-sort-key"),
                                                               sorted_dom.table.get("data-sort-dir")))
        want = expected(rows, key, direction)
        if sorted_dom.names != want:
            fail("%s: rows %s, expected %s" % (name, sorted_dom.names, want))
        print("check_report: DOM sorted by %s %s: %d rows in the expected order (first %s)"
              % (key, direction, len(want), want[0]))
    print("check_report: DOM: %d cluster rows after the page's script ran" % count)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
