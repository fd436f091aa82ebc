# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults: playbooks converge while 20 % of the requests fail or lose their answer
and every token is revoked once per run in the middle of a wait.

The faulty simulator accepts duplicate cluster names, so a create sent twice would
leave two clusters instead of a 409: duplicates are counted, not prevented. Each
final state is compared with that of a fault-free run of the same playbooks.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import (FULL, HERE, ROOT, TokenRevoker, fault_counts, normalised_state, recap,
                      run_playbook, state_differences, write_figures)

# Odds that a fault test fails by chance (docs/reliability.md, "Odds of the randomised tests").
# Every request draws its fault independently: 15 % error before processing (429, 500, 502, 503
# in equal parts) and 5 % lost answer after processing. The retry budget is 10 attempts
# (plugins/module_utils/_retry.py). A request the run cannot do without fails by chance only:
#  - a safe request (GET, DELETE, identity, IP ACL): 10 errors in a row in one urllib3 call,
#    0.15 ** 10 = 5.8e-9 (times 1.06 for the later calls, each of which starts after a lost
#    answer, p = 0.05 / 0.85 = 0.059), or 10 lost answers in a row, 0.059 ** 10 = 5e-13:
#    6.2e-9 in all;
#  - a create or an action (POST/PATCH the client does not repeat): the client repeats a 429
#    itself; each engine try fails with a 5xx with p = 0.1125 / (1 - 0.0375) = 0.117; a lost
#    answer is found by the lookup (a safe GET). 10 tries: 0.117 ** 10 = 4.8e-10, plus at most
#    10 lookups failing, 6.2e-8: below 7e-8;
#  - a poll while waiting: a failed poll does not end the wait (0).
# A short CI run sends at most ~2,000 requests across the three tests (counted 2026-12-07: site
# 3 runs 113, bound 150; fleet 2 runs 188 + upgrade 327, bound 600; converge.yml ~53 per run for
# at most 22 runs, bound 1,230), at most ~200 of them creates or actions:
# 2,000 * 6.2e-9 + 200 * 7e-8 = 2.6e-5 < 1e-4 per CI run. The tests run in parts at once
# (mk/reliability.mk); a request's fault does not depend on when it is sent.
# (With 20 % of errors alone, the budget's own bound, 0.2 ** 10 = 1.0e-7 per request.)
# The in-place test also needs >= 1 fault on an engine-only action: each run after the first
# sends 4 (two resizes, user script, autoscaler), so none in 21 runs has p = 0.8 ** 84 = 7.5e-9.
RUNS = 10 if FULL else 3           # site.yml
FLEET = 10 if FULL else 3          # clusters of fleet.yml / upgrade.yml
FLEET_RUNS = 10 if FULL else 2
UPGRADE_RUNS = 10 if FULL else 1
ACTION_FLEET = 10 if FULL else 1   # clusters of converge.yml
ACTION_RUNS = 10 if FULL else 2
ERROR_RATE = 0.15   # 429/500/502/503 before processing
DROP_RATE = 0.05    # processed, then the answer is lost
TIME_SCALE = 0.1
CONVERGE = HERE / "playbooks" / "converge.yml"
FLEET_PLAYBOOK = ROOT / "playbooks" / "fleet.yml"
UPGRADE_PLAYBOOK = ROOT / "playbooks" / "upgrade.yml"
FLEET_INVENTORY = ROOT / "playbooks" / "inventories" / "fleet"
# In the order of the inventory; the short variant takes the first FLEET.
FLEET_HOSTS = ["web-prod-01", "web-prod-02", "api-prod-01", "api-prod-02", "web-stg-01", "api-stg-01",
               "batch-stg-01", "web-dev-01", "api-dev-01", "sandbox-01"]
SITE = ROOT / "playbooks" / "site.yml"
SITE_VARS = ROOT / "playbooks" / "vars" / "demo_cluster.yml"


def reference_runs(make_simulator, runs):
    """Start the fault-free reference runs in a thread, on a simulator of their own, while the test
    goes on with its faulty runs (they share nothing: another simulator, another kubeconfig
    directory). ``runs`` = list of (playbook, vars, inventory, args). Returns ``(simulator,
    future)``; ``future.result()`` raises when a run failed."""
    reference = make_simulator("reference", time_scale=TIME_SCALE)

    def run_all():
        for playbook, extra_vars, inv, args in runs:
            done = run_playbook(reference, playbook, extra_vars, inventory=inv, args=args)
            assert done.returncode == 0, done.stdout[-4000:]

    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(run_all)
    pool.shutdown(wait=False)
    return reference, future


def inventory(tmp_path, hosts, name="hosts.ini"):
    path = Path(tmp_path) / name
    path.write_text("".join("%s\n" % host for host in hosts))
    return path


def check_no_duplicates(sim, since=0):
    """No cluster name twice; every create that NKS carried out (2xx, answer lost or not)
    made a distinct resource: creates carried out == resources that exist."""
    token = sim.token()
    clusters = sim.api("GET", "/v1/clusters", token).json()["clusters"]
    names = [c["name"] for c in clusters]
    assert len(names) == len(set(names)), "duplicate clusters: %s" % sorted(names)
    groups = 0
    for cluster in clusters:
        listed = sim.api("GET", "/v1/clusters/%s/nodegroups" % cluster["uuid"], token).json()["nodegroups"]
        ng_names = [g["name"] for g in listed]
        assert len(ng_names) == len(set(ng_names))
        groups += len([n for n in ng_names if not n.startswith("default-")])
    log = sim.requests_log(since)
    cluster_creates = [e for e in log if e["method"] == "POST" and e["route"] == "/v1/clusters"
                       and e["status"] < 300]
    group_creates = [e for e in log if e["method"] == "POST" and e["route"].endswith("/nodegroups")
                     and e["status"] < 300]
    assert len(cluster_creates) == len(clusters), cluster_creates
    assert len(group_creates) == groups, group_creates
    return {"clusters": len(clusters), "nodegroups": groups, "duplicates": 0}


def faulty_runs(sim, runs, tmp_path, name):
    """Run ``runs`` playbook invocations (``runs`` = list of (playbook, vars, inventory)) with
    faults on and one token revocation each; every run must succeed."""
    log = Path(tmp_path) / ("%s.log" % name)
    revocations = 0
    first = sim.last_seq()
    for index, (playbook, extra_vars, inv, args) in enumerate(runs):
        sim.faults(error_rate=ERROR_RATE, drop_rate=DROP_RATE)
        revoker = TokenRevoker(sim, sim.last_seq())
        revoker.start()
        try:
            done = run_playbook(sim, playbook, extra_vars, inventory=inv, args=args, log=log)
        finally:
            revoker.stop()
            sim.faults(0.0, 0.0)
        assert done.returncode == 0, "run %d of %s failed:\n%s" % (index + 1, name, done.stdout[-6000:])
        assert "Traceback" not in done.stdout
        assert all(r["failed"] == 0 for r in recap(done.stdout).values())
        revocations += 1 if revoker.expired is not None else 0
    entries = sim.requests_log(first)
    counts = fault_counts(entries)
    return {"runs": len(runs), "requests": len(entries), "faults_error": counts["error"],
            "faults_drop": counts["drop"], "token_revocations": revocations}


def test_site_converges_under_faults(make_simulator, tmp_path):
    if not SITE.exists():
        pytest.skip("playbooks/site.yml is missing")
    extra = {"nks_kubeconfig_dest": str(tmp_path / "site.kubeconfig")}
    args = ["-e", "@%s" % SITE_VARS]
    reference, referenced = reference_runs(
        make_simulator, [(SITE, {"nks_kubeconfig_dest": str(tmp_path / "reference.kubeconfig")}, None, args)])

    sim = make_simulator("faulty", time_scale=TIME_SCALE, extra=["--allow-duplicate-cluster-names"])
    figures = faulty_runs(sim, [(SITE, extra, None, args)] * RUNS, tmp_path, "site")
    figures.update(check_no_duplicates(sim))
    referenced.result()
    assert state_differences(normalised_state(sim), normalised_state(reference)) == []
    assert figures["faults_error"] + figures["faults_drop"] > 0
    write_figures("site%s" % ("-full" if FULL else ""), figures)


def test_fleet_and_upgrade_converge_under_faults(make_simulator, tmp_path):
    """playbooks/fleet.yml (the example inventory, FLEET clusters), then playbooks/upgrade.yml."""
    if not (FLEET_PLAYBOOK.exists() and UPGRADE_PLAYBOOK.exists() and FLEET_INVENTORY.exists()):
        pytest.skip("playbooks/fleet.yml, upgrade.yml or inventories/fleet is missing")
    limit = ["--limit", ",".join(FLEET_HOSTS[:FLEET]), "--forks", "10"]
    fleet = (FLEET_PLAYBOOK, {"cluster_kubeconfig_dir": str(tmp_path)}, FLEET_INVENTORY, limit)
    # RELIABILITY_UPGRADE_ARGS: extra upgrade.yml arguments, e.g. "-e upgrade_serial=1".
    upgrade = (UPGRADE_PLAYBOOK, {"upgrade_kube_version": "v1.29.3"}, FLEET_INVENTORY,
               limit + ["-e", "upgrade_hosts=nks_fleet"] + os.environ.get("RELIABILITY_UPGRADE_ARGS", "").split())

    (tmp_path / "reference").mkdir()
    reference, referenced = reference_runs(
        make_simulator, [(FLEET_PLAYBOOK, {"cluster_kubeconfig_dir": str(tmp_path / "reference")}, FLEET_INVENTORY,
                          limit), upgrade])

    sim = make_simulator("faulty", time_scale=TIME_SCALE, extra=["--allow-duplicate-cluster-names"])
    figures = {"fleet": faulty_runs(sim, [fleet] * FLEET_RUNS, tmp_path, "fleet")}
    since = sim.last_seq()
    figures["upgrade"] = faulty_runs(sim, [upgrade] * UPGRADE_RUNS, tmp_path, "upgrade")
    figures.update(check_no_duplicates(sim))
    figures["fleet_size"] = FLEET
    assert figures["clusters"] == FLEET
    upgrades = [e for e in sim.requests_log(since) if e["route"].endswith("/upgrade") and e["status"] < 300]
    assert upgrades, "upgrade.yml upgraded nothing"
    referenced.result()
    assert state_differences(normalised_state(sim), normalised_state(reference)) == []
    write_figures("fleet-upgrade%s" % ("-full" if FULL else ""), figures)


NON_SAFE_ACTIONS = ("/actions/resize", "/actions/cni_update", "/actions/update_sgw", "/upgrade", "/autoscale",
                    "/userscript")


def non_safe_action_faults(entries):
    """Action requests the client does not repeat itself (POST/PATCH actions) that got a fault."""
    return [e for e in entries if e["kind"] == "mutate" and e["fault"] in ("error", "drop")
            and (e["route"].endswith(NON_SAFE_ACTIONS) or e["method"] == "PATCH")]


def test_in_place_changes_converge_under_faults(make_simulator, tmp_path):
    """converge.yml alternates two desired states: every run resizes, changes the user script,
    the autoscaler and the IP ACL of every cluster (actions, not creates). Runs go on (at most
    20 more) until at least 2 faults have hit actions that only the engine recovers; at least
    one must have, so the test always exercises that path (faults are random: a run of 4+8 once
    saw a single one)."""
    hosts = ["rel-c%02d" % (i + 1) for i in range(ACTION_FLEET)]
    inv = inventory(tmp_path, hosts)
    base = {"rel_kubeconfig_dir": str(tmp_path)}

    (tmp_path / "reference").mkdir()
    reference_base = {"rel_kubeconfig_dir": str(tmp_path / "reference")}
    # The reference's phase a runs meanwhile; phase b after the faulty runs, when they ended on b.
    reference, referenced = reference_runs(
        make_simulator, [(CONVERGE, dict(reference_base, rel_phase="a"), inv, ["--forks", "10"])])
    sim = make_simulator("faulty", time_scale=TIME_SCALE, extra=["--allow-duplicate-cluster-names"])
    phases, totals = [], {"runs": 0, "requests": 0, "faults_error": 0, "faults_drop": 0, "token_revocations": 0}
    while len(phases) < ACTION_RUNS or (len(non_safe_action_faults(sim.requests_log())) < 2
                                        and len(phases) < ACTION_RUNS + 20):
        phase = "ab"[len(phases) % 2]
        phases.append(phase)
        run = faulty_runs(sim, [(CONVERGE, dict(base, rel_phase=phase), inv, ["--forks", "10"])], tmp_path,
                          "actions")
        for key in totals:
            totals[key] += run[key]
    figures = dict(totals)
    figures.update(check_no_duplicates(sim))
    assert figures["clusters"] == ACTION_FLEET
    entries = sim.requests_log()
    figures["action_faults_recovered_by_the_engine"] = len(non_safe_action_faults(entries))
    assert figures["action_faults_recovered_by_the_engine"] >= 1

    referenced.result()
    if phases[-1] == "b":
        done = run_playbook(reference, CONVERGE, dict(reference_base, rel_phase="b"), inventory=inv,
                            args=["--forks", "10"])
        assert done.returncode == 0, done.stdout[-4000:]
    assert state_differences(normalised_state(sim), normalised_state(reference)) == []
    write_figures("actions%s" % ("-full" if FULL else ""), figures)
