# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``make bench`` section ``fleet``: playbooks/fleet.yml over 1, 10, 100 and 200 clusters.

Each fleet has its own simulator on the realistic profile with a cluster
create of 180 s and a node group create of 90 s (``--duration``); each
cluster has one extra node group and an IP ACL. fleet.yml runs with
``--forks 20``, then once more (the no-op re-run). Per run: wall time (and its
ratio to the one-cluster fleet), GETs per minute while the fleet waits (the
GETs between the first mutating request and the end of the run, per minute),
identity and mutating requests (the simulator's request log), CPU seconds of
the ansible-playbook process tree per cluster (``wait4``), and its peak memory
sampled every 0.5 s: the sum of PSS over the tree (shared pages counted once)
and the sum of RSS (each fork's shared pages counted again).

``--fleet-parallel`` runs the fleets side by side (one simulator each) so that
the section fits in about 8 minutes instead of about 25; the figures then
share the machine, as they share it with other work anyway.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import threading

SIZES = (1, 10, 100, 200)
FORKS = 20
CLUSTER = {"kube_version": "v1.28.3", "node_count": 1,
           "nodegroups": [{"name": "extra", "node_count": 1}],
           "ipacl": {"enabled": True, "action": "ALLOW",
                     # 127.0.0.1: the controller, which waits for the nodes through the Kubernetes API.
                     "targets": [{"cidr": "192.168.0.0/24"}, {"cidr": "127.0.0.1/32"}]}}


def fleet_inventory(work, root, n, tag):
    """An inventory of ``n`` clusters over the fleet defaults of playbooks/inventories/fleet/group_vars."""
    inv_dir = os.path.join(work, "fleet-%s-%d" % (tag, n))
    os.makedirs(os.path.join(inv_dir, "group_vars"), exist_ok=True)
    shutil.copy(os.path.join(root, "playbooks", "inventories", "fleet", "group_vars", "all.yml"),
                os.path.join(inv_dir, "group_vars", "all.yml"))
    hosts = {}
    for i in range(n):
        name = "fleet-%s-%03d" % (tag, i)
        hosts[name] = {"cluster_definition": dict(CLUSTER, name=name)}
    with open(os.path.join(inv_dir, "hosts.yml"), "w") as handle:
        json.dump({"nks_fleet": {"hosts": hosts}}, handle)  # JSON is YAML
    return inv_dir


def request_figures(requests, times):
    """Identity, GET and mutating counts; GETs per minute while the fleet waits.

    The waits are the fleet-wide tasks that wait: ``Converge every cluster of the fleet ...``
    (nks_fleet sends each phase, then waits in the same process: one cluster list per poll) and any
    ``Wait for ...`` task (nks_wait), times from the bench_times callback; GETs per minute = the GETs
    sent during them / their total duration in minutes (None when nothing was waited for at least a
    second: a no-op re-run).
    """
    counts = {"identity": 0, "read": 0, "mutate": 0}
    for req in requests:
        counts[req["kind"]] = counts.get(req["kind"], 0) + 1
    # a role task is named "<role> : <name>"
    windows = [(t["start"], t["end"]) for t in times
               if t["task"].split(" : ")[-1].startswith(("Wait for", "Converge every cluster of the fleet"))]
    seconds = sum(end - start for start, end in windows)
    gets = sum(1 for r in requests if r["kind"] == "read" and any(a <= r["time"] <= b for a, b in windows))
    counts["wait_seconds"] = seconds
    counts["gets_per_minute"] = gets * 60.0 / seconds if seconds >= 1 else None
    return counts


def run_fleet(bench, work, n, durations, forks, out):
    """Converge a fleet of ``n`` on a fresh simulator, then re-run; fills ``out`` (``{"first": {...},
    "rerun": {...}}``) as each run ends, and calls ``out["save"]()`` then."""
    args = ["--profile", "realistic"] + [a for key, seconds in sorted(durations.items())
                                         for a in ("--duration", "%s=%s" % (key, seconds))]
    sim = bench.Simulator(os.path.join(work, "sim-fleet-%d" % n), args)
    out.update(n=n, forks=forks)
    try:
        inv = fleet_inventory(work, bench.ROOT, n, "n%d" % n)
        extra = json.dumps({"cluster_kubeconfig_dir": os.path.join(work, "kube-fleet-%d" % n)})
        for phase in ("first", "rerun"):
            seq = sim.last_seq()
            run = bench.run_playbook(os.path.join(bench.ROOT, "playbooks", "fleet.yml"), sim,
                                     ["-i", inv, "--forks", str(forks), "-e", extra],
                                     workdir=work, sample_memory=True)
            out[phase] = dict(request_figures(sim.requests_since(seq), run.times), wall=run.wall, cpu=run.cpu,
                              cpu_per_cluster=run.cpu / n, pss_mib=run.peak_pss_kib / 1024.0,
                              rss_mib=run.peak_rss_kib / 1024.0, changed=bench.recap_changed(run.output))
            print("bench: fleet of %d, %s run: %.0f s" % (n, phase, run.wall), flush=True)
            out["save"]()
    finally:
        sim.stop()


def section_fleet(bench, work, sizes=SIZES, durations=None, forks=FORKS, parallel=False, partial=None):
    """Every fleet size, one after the other or side by side; returns the rows in the order of ``sizes``.

    ``partial``: a JSON file rewritten after every run with the figures so far (``--render-fleet``
    turns it into the report when the section was stopped before its end).
    """
    durations = durations or {"CLUSTER_CREATE": 180, "NODEGROUP_CREATE": 90}
    rows, errors, lock = dict((n, {}) for n in sizes), [], threading.Lock()

    def save():
        if partial:
            with lock, open(partial, "w") as handle:
                json.dump({"durations": durations, "parallel": parallel,
                           "rows": [dict((k, v) for k, v in rows[n].items() if k != "save") for n in sizes]},
                          handle, indent=1)

    def one(n):
        rows[n]["save"] = save
        try:
            run_fleet(bench, work, n, durations, forks, rows[n])
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)
        finally:
            rows[n].pop("save", None)

    if parallel:
        threads = [threading.Thread(target=one, args=(n,)) for n in sizes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for n in sizes:
            one(n)
    if errors:
        raise errors[0]
    return {"durations": durations, "parallel": parallel, "rows": [rows[n] for n in sizes]}


NOT_RUN = {"wall": float("nan"), "gets_per_minute": float("nan"), "identity": -1, "read": -1, "mutate": -1,
           "cpu_per_cluster": float("nan"), "pss_mib": float("nan"), "rss_mib": float("nan"), "changed": -1}


def _num(value):
    return "-" if value is None else "%.1f" % value


def _ok(flag):
    return "met" if flag else "**not met**"


def render_fleet(fleet):
    """Markdown tables and targets of the ``fleet`` section."""
    rows = [dict({"first": NOT_RUN, "rerun": NOT_RUN}, **r) for r in fleet["rows"] if r.get("n")]
    one = next((r for r in rows if r["n"] == 1), rows[0])
    d = fleet["durations"]
    lines = ["### Fleet scale: playbooks/fleet.yml, realistic profile, cluster create %s s, node group create %s s,"
             " --forks %d%s" % (d.get("CLUSTER_CREATE"), d.get("NODEGROUP_CREATE"), rows[0]["forks"],
                                ", fleets run side by side" if fleet["parallel"] else ""), "",
             "| clusters | run | wall (s) | x one cluster | waiting (s) | GETs/min waiting | identity | GET |"
             " mutating | CPU s per cluster | peak PSS (MiB) | peak RSS sum (MiB) | changed |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        for phase in ("first", "rerun"):
            f = r[phase]
            lines.append("| %d | %s | %.0f | %.2f | %.0f | %s | %d | %d | %d | %.2f | %.0f | %.0f | %d |"
                         % (r["n"], phase, f["wall"], f["wall"] / one[phase]["wall"], f.get("wait_seconds", 0),
                            _num(f["gets_per_minute"]), f["identity"], f["read"], f["mutate"], f["cpu_per_cluster"],
                            f["pss_mib"], f["rss_mib"], f["changed"]))
    return "\n".join(lines + [""] + _targets(rows, one))


def _targets(rows, one):
    by_n = dict((r["n"], r) for r in rows)
    big = by_n.get(200) or rows[-1]
    ten = by_n.get(10) or rows[min(1, len(rows) - 1)]
    ratio = big["first"]["wall"] / one["first"]["wall"]
    gets = (big["first"]["gets_per_minute"] or float("nan")) / (ten["first"]["gets_per_minute"] or float("nan"))
    rerun = big["rerun"]
    return ["| target | figure | |", "| --- | --- | --- |",
            "| %d clusters <= 1.3x the wall time of one | %.2fx | %s |" % (big["n"], ratio, _ok(ratio <= 1.3)),
            "| GETs/min while waiting within 2x between %d and %d clusters | %.2fx (%s / %s) | %s |"
            % (ten["n"], big["n"], gets, _num(big["first"]["gets_per_minute"]), _num(ten["first"]["gets_per_minute"]),
               _ok(0.5 <= gets <= 2)),
            "| peak controller memory at %d clusters <= 2 GiB | PSS %.0f MiB (RSS sum %.0f MiB) | %s |"
            % (big["n"], big["first"]["pss_mib"], big["first"]["rss_mib"], _ok(big["first"]["pss_mib"] <= 2048)),
            "| no-op re-run of %d: no mutating request, <= 2 CPU s per cluster | %d mutating, %.2f CPU s | %s |"
            % (big["n"], rerun["mutate"], rerun["cpu_per_cluster"],
               _ok(rerun["mutate"] == 0 and rerun["cpu_per_cluster"] <= 2)), ""]
