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

from pathlib import Path

import pytest

from conftest import (FULL, HERE, ROOT, TokenRevoker, fault_counts, normalised_state, recap,
                      run_playbook, state_differences, write_figures)

RUNS = 10 if FULL else 3
FLEET = 10 if FULL else 3
FLEET_RUNS = 10 if FULL else 2
UPGRADE_RUNS = 10 if FULL else 1
ERROR_RATE = 0.15   # 429/500/502/503 before processing
DROP_RATE = 0.05    # processed, then the answer is lost
TIME_SCALE = 0.2
CONVERGE = HERE / "playbooks" / "converge.yml"
UPGRADE = HERE / "playbooks" / "upgrade.yml"
SITE = ROOT / "playbooks" / "site.yml"
SITE_VARS = ROOT / "playbooks" / "vars" / "demo_cluster.yml"


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
    entries = sim.requests_log()
    counts = fault_counts(entries)
    return {"runs": len(runs), "requests": len(entries), "faults_error": counts["error"],
            "faults_drop": counts["drop"], "token_revocations": revocations}


def test_site_converges_under_faults(make_simulator, tmp_path):
    if not SITE.exists():
        pytest.skip("playbooks/site.yml is missing")
    extra = {"nks_kubeconfig_dest": str(tmp_path / "site.kubeconfig")}
    args = ["-e", "@%s" % SITE_VARS]
    reference = make_simulator("reference", time_scale=TIME_SCALE)
    done = run_playbook(reference, SITE, extra, args=args)
    assert done.returncode == 0, done.stdout[-4000:]

    sim = make_simulator("faulty", time_scale=TIME_SCALE, extra=["--allow-duplicate-cluster-names"])
    figures = faulty_runs(sim, [(SITE, extra, None, args)] * RUNS, tmp_path, "site")
    figures.update(check_no_duplicates(sim))
    assert state_differences(normalised_state(sim), normalised_state(reference)) == []
    assert figures["faults_error"] + figures["faults_drop"] > 0
    write_figures("site%s" % ("-full" if FULL else ""), figures)


def test_fleet_converges_under_faults(make_simulator, tmp_path):
    hosts = ["rel-c%02d" % (i + 1) for i in range(FLEET)]
    inv = inventory(tmp_path, hosts)
    base = {"rel_kubeconfig_dir": str(tmp_path)}
    phases = ["ab"[i % 2] for i in range(FLEET_RUNS)]

    reference = make_simulator("reference", time_scale=TIME_SCALE)
    for phase in ["a", phases[-1]] if phases[-1] == "b" else ["a"]:
        done = run_playbook(reference, CONVERGE, dict(base, rel_phase=phase), inventory=inv,
                            args=["--forks", "10"])
        assert done.returncode == 0, done.stdout[-4000:]

    sim = make_simulator("faulty", time_scale=TIME_SCALE, extra=["--allow-duplicate-cluster-names"])
    runs = [(CONVERGE, dict(base, rel_phase=phase), inv, ["--forks", "10"]) for phase in phases]
    figures = faulty_runs(sim, runs, tmp_path, "fleet")
    figures.update(check_no_duplicates(sim))
    figures["fleet_size"] = FLEET
    assert figures["clusters"] == FLEET
    assert state_differences(normalised_state(sim), normalised_state(reference)) == []
    assert figures["faults_error"] + figures["faults_drop"] > 0
    write_figures("fleet%s" % ("-full" if FULL else ""), figures)


def test_upgrade_converges_under_faults(make_simulator, tmp_path):
    base = {"rel_kubeconfig_dir": str(tmp_path)}
    reference = make_simulator("reference", time_scale=TIME_SCALE)
    ref_inv = inventory(tmp_path, ["rel-up01"], "reference.ini")
    for playbook in (CONVERGE, UPGRADE):
        done = run_playbook(reference, playbook, base, inventory=ref_inv)
        assert done.returncode == 0, done.stdout[-4000:]
    expected = normalised_state(reference)["rel-up01"]
    expected.pop("name")

    sim = make_simulator("faulty", time_scale=TIME_SCALE, extra=["--allow-duplicate-cluster-names"])
    runs = []
    for index in range(UPGRADE_RUNS):
        # Each run builds one more cluster and upgrades all of them (the earlier ones: no change).
        inv = inventory(tmp_path, ["rel-up%02d" % (i + 1) for i in range(index + 1)], "up%d.ini" % index)
        runs += [(CONVERGE, base, inv, ["--forks", "10"]), (UPGRADE, base, inv, ["--forks", "10"])]
    figures = faulty_runs(sim, runs, tmp_path, "upgrade")
    figures.update(check_no_duplicates(sim))
    state = normalised_state(sim)
    assert len(state) == UPGRADE_RUNS
    for name, cluster in state.items():
        cluster.pop("name")
        assert cluster == expected, name
        assert cluster["labels"]["kube_tag"] == "v1.29.3"
    write_figures("upgrade%s" % ("-full" if FULL else ""), figures)
