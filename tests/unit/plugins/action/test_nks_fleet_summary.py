# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the lines the ``nks_fleet`` action prints (``summary_lines``): what check mode would change, and
the previews of new clusters at the default verbosity."""

from __future__ import annotations

from ansible_collections.nhncloud.nks.plugins.action.nks_fleet import summary_lines


def _entry(submitted=False, failed=False, previews=()):
    return dict(submitted=submitted, failed=failed, previews=list(previews))


def test_summary_check_mode_says_what_would_change_and_prints_new_previews():
    entries = {"a": _entry(True, previews=["would be created: node group batch (1 nodes)"]),
               "b": _entry(True, previews=["old preview", "would be created: kubeconfig k (mode 0600)"]),
               "c": _entry(False)}
    previous = {"b": {"previews": ["old preview"]}}
    lines = summary_lines(["cluster"], entries, {"waiting": [], "failed_hosts": []}, previous, True)
    assert lines == ["nks_fleet: cluster: 3 clusters, 2 would change (check mode: nothing sent), 0 failed",
                     "nks_fleet: a: would be created: node group batch (1 nodes)",
                     "nks_fleet: b: would be created: kubeconfig k (mode 0600)"]


def test_summary_real_run_counts_the_changes_sent():
    entries = {"a": _entry(True), "b": _entry(True, failed=True)}
    lines = summary_lines(["nodegroups"], entries, {"waiting": ["uuid-a"], "failed_hosts": ["b"]}, {}, False)
    assert lines == ["nks_fleet: nodegroups: 2 clusters, 1 sent a change, 1 failed"]
