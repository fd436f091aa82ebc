# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``make bench``: the performance figures of docs/performance.md, measured in one run.

Starts its own NKS API simulators (127.0.0.1, ephemeral ports), runs the
playbooks with ``.venv/bin/ansible-playbook`` and reads the simulator's request
log (``/_sim/requests``) and state. Sections (``--sections``, default all):

``api``       requests by kind and wall time of playbooks/site.yml and
              bench/uri_site.yml (the ansible.builtin.uri baseline), first run
              and re-run, side by side on the fast profile.
``latency``   seconds from an operation's status change (the simulator's event
              ``updated_at``, a float in its state file) to the module's return
              (callback bench_times), for cluster creates of 5 s and 60 s
              (measured) and 600 s (bench/waiter_model.py: the Waiter's code on
              a virtual clock), with polls per operation.
``store``     the simulator: a change and a list at 100, 1,000 and 5,000
              clusters, in memory and with --state-file (bench/sim_store.py).
``fleet``     playbooks/fleet.yml over 1, 10, 100 and 200 clusters (one extra
              node group and an IP ACL each), realistic profile, cluster create
              180 s, node group create 90 s, --forks 20, then a no-op re-run
              (bench/fleet_scale.py).
``overhead``  a no-op nks_info task against an ansible.builtin.uri GET of the
              same cluster, interleaved, medians.

Prints the table and writes it (with the machine, the command and the method) to
``--out`` (default docs/performance.md). ``--quick`` is the smoke variant of
``make bench-smoke``: one repetition, small fleets, short operations; it checks
that the harness works and writes nothing unless ``--out`` is given.
Exit status 1 when a playbook fails (a benchmark of a failing run means nothing).
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
sys.path.insert(0, BENCH)

import fleet_scale  # noqa: E402  pylint: disable=wrong-import-position
import sim_store  # noqa: E402  pylint: disable=wrong-import-position
import waiter_model  # noqa: E402  pylint: disable=wrong-import-position
from nks_simulator.launcher import SimulatorError, SimulatorProcess  # noqa: E402  pylint: disable=wrong-import-position


class BenchError(Exception):
    """A playbook or the simulator failed; the figures would be meaningless."""


# -- simulator -----------------------------------------------------------------


class Simulator(SimulatorProcess):
    """One ``nks-simulator`` on 127.0.0.1 and an ephemeral port, started at once, stopped by :meth:`stop`
    (the simulator package's launcher, :class:`nks_simulator.launcher.SimulatorProcess`).

    :param str workdir: where its port file, log and (optional) state file go.
    :param list args: extra command-line options (``--profile``, ``--duration``, ...).
    :param bool state: persist the state to ``workdir/state.db`` (read by :meth:`state`).
    :raises BenchError: the simulator did not start (the message ends with its log).
    """

    def __init__(self, workdir, args=(), state=False):
        self.state_file = os.path.join(workdir, "state.db") if state else None
        args = list(args) + (["--state-file", self.state_file] if self.state_file else [])
        super(Simulator, self).__init__(workdir, args, command=[os.path.join(VENV_BIN, "nks-simulator")])
        try:
            self.start()
        except SimulatorError as exc:
            raise BenchError(str(exc))

    def call(self, method, path, body=None):
        """Send one admin request; returns the decoded JSON answer."""
        return self.request_json(method, path, body)

    def last_seq(self):
        """Sequence number of the last logged request (0 when none)."""
        requests = self.call("GET", "/_sim/requests")["requests"]
        return requests[-1]["seq"] if requests else 0

    def requests_since(self, seq):
        """Logged requests after ``seq`` (dicts with ``kind``, ``method``, ``path``, ``time``...)."""
        return self.call("GET", "/_sim/requests?since=%d" % seq)["requests"]

    def state(self):
        """The persisted state (``--state-file``), as a dict."""
        from nks_simulator.persistence import load_state  # pylint: disable=import-outside-toplevel
        return load_state(self.state_file)


def kinds(requests):
    """Count requests by kind: ``{"identity": n, "read": n, "mutate": n, "total": n}``."""
    out = {"identity": 0, "read": 0, "mutate": 0}
    for req in requests:
        out[req["kind"]] = out.get(req["kind"], 0) + 1
    out["total"] = len(requests)
    return out


# -- running playbooks -------------------------------------------------------


def _tree_pids(root_pid):
    """``root_pid`` and its descendants, from /proc/*/stat."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _tree_pss_kib(root_pid):
    """Proportional set size (KiB) summed over ``root_pid`` and its descendants (/proc/PID/smaps_rollup):
    pages shared between the forks count once in total, unlike RSS."""
    total = 0
    for pid in _tree_pids(root_pid):
        try:
            with open("/proc/%d/smaps_rollup" % pid) as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


def _tree_rss_kib(root_pid):
    """Resident memory (KiB) summed over ``root_pid`` and its descendants, from /proc/PID/statm."""
    total, page_kib = 0, os.sysconf("SC_PAGE_SIZE") // 1024
    for pid in _tree_pids(root_pid):
        try:
            with open("/proc/%d/statm" % pid) as handle:
                total += int(handle.read().split()[1]) * page_kib
        except (OSError, ValueError, IndexError):
            continue
    return total


class Run(object):
    """The outcome of one ansible-playbook run.

    :ivar float wall: seconds. :ivar float cpu: user+system CPU seconds of the
        process tree. :ivar int peak_rss_kib: highest summed RSS seen (sampled
        every 0.2 s). :ivar list times: the bench_times lines. :ivar str output:
    """

    def __init__(self, wall, cpu, peak_rss_kib, times, output, peak_pss_kib=0):
        self.wall = wall
        self.cpu = cpu
        self.peak_rss_kib = peak_rss_kib
        self.peak_pss_kib = peak_pss_kib
        self.times = times
        self.output = output


def run_playbook(playbook, sim, args=(), env=None, workdir=None, sample_memory=False):
    """Run ``ansible-playbook playbook args`` against ``sim``; returns a :class:`Run`.

    :raises BenchError: when the playbook fails (its output's tail is in the message).
    """
    times_file = tempfile.NamedTemporaryFile(prefix="times-", suffix=".jsonl", dir=workdir, delete=False)
    times_file.close()
    full_env = dict(os.environ)
    full_env.update(sim.env())
    full_env.update({
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
        "ANSIBLE_CALLBACK_PLUGINS": os.path.join(BENCH, "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_times",
        "BENCH_TIMES_FILE": times_file.name,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
    })
    full_env.update(env or {})
    cmd = [os.path.join(VENV_BIN, "ansible-playbook"), playbook] + list(args)
    start = time.time()
    out_file = tempfile.TemporaryFile(dir=workdir)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=out_file, stderr=subprocess.STDOUT)
    peak = [0, 0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            peak[1] = max(peak[1], _tree_pss_kib(proc.pid))
            done.wait(0.5)

    sampler = threading.Thread(target=sample) if sample_memory else None
    if sampler:
        sampler.start()
    # wait4: the CPU time of this playbook's process tree alone (runs may go side by side)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - start
    done.set()
    if sampler:
        sampler.join()
    cpu = usage.ru_utime + usage.ru_stime
    out_file.seek(0)
    output = out_file.read().decode("utf-8", "replace")
    out_file.close()
    with open(times_file.name) as handle:
        times = [json.loads(line) for line in handle if line.strip()]
    os.unlink(times_file.name)
    if proc.returncode != 0:
        raise BenchError("%s failed (rc %d):\n%s" % (" ".join(cmd), proc.returncode, output[-4000:]))
    return Run(wall, cpu, peak[0], times, output, peak[1])


def recap_changed(output):
    """The sum of ``changed=N`` over the PLAY RECAP lines of ``output``."""
    total = 0
    for line in output.splitlines():
        if " changed=" in line and " ok=" in line:
            total += int(line.split(" changed=")[1].split()[0])
    return total


# -- sections --------------------------------------------------------------------


def section_api(work, reps, uri_delay=10):
    """site.yml against uri_site.yml, first run and re-run, ``reps`` times each (fresh simulator state).

    :returns: ``{"site": {...}, "uri": {...}}``, each with ``first``/``rerun`` dicts of
        ``wall`` (median s), ``requests`` (kinds of the last repetition) and ``changed``.
    """
    sim = Simulator(os.path.join(work, "sim-api"), ["--profile", "fast"])
    out = {}
    try:
        plays = (("site", os.path.join(ROOT, "playbooks", "site.yml")),
                 ("uri", os.path.join(BENCH, "uri_site.yml")))
        walls = {(name, phase): [] for name, _path in plays for phase in ("first", "rerun")}
        last = {}
        for rep in range(reps):
            for name, playbook in plays:  # interleaved, so that drift hits both alike
                sim.call("POST", "/_sim/reset")
                kube = os.path.join(work, "kube-%s-%d" % (name, rep))
                args = ["-e", "@" + os.path.join(ROOT, "playbooks", "vars", "demo_cluster.yml"),
                        "-e", json.dumps({"cluster_kubeconfig_dir": kube, "uri_kubeconfig_dir": kube,
                                          "poll_delay": uri_delay})]
                for phase in ("first", "rerun"):
                    seq = sim.last_seq()
                    run = run_playbook(playbook, sim, args, workdir=work)
                    walls[(name, phase)].append(run.wall)
                    last[(name, phase)] = (kinds(sim.requests_since(seq)), recap_changed(run.output))
        for name, _path in plays:
            out[name] = {}
            for phase in ("first", "rerun"):
                requests, changed = last[(name, phase)]
                out[name][phase] = {"wall": statistics.median(walls[(name, phase)]),
                                    "walls": walls[(name, phase)], "requests": requests, "changed": changed}
    finally:
        sim.stop()
    return out


LATENCY_PLAY = """---
- name: Create one cluster per host and time it
  hosts: all
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Obtain a token
      nhncloud.nks.nks_auth:
      register: bench_auth
      no_log: true
    - name: bench create
      nhncloud.nks.nks_cluster:
        auth_token: "{{ bench_auth.auth_token }}"
        name: "{{ inventory_hostname }}"
        kube_version: v1.28.3
        node_count: 1
        flavor_id: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
        keypair: bench-keypair
        fixed_network: eb212079-b6ec-430c-ba57-14280a457bcb
        fixed_subnet: 4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90
        availability_zone: kr2-pub-b
        node_image: f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc
        boot_volume_type: General HDD
        boot_volume_size: 20
"""


def _inventory(path, hosts, group="bench"):
    with open(path, "w") as handle:
        handle.write("[%s]\n" % group)
        for host in hosts:
            handle.write("%s ansible_connection=local\n" % host)
    return path


def measure_latency(work, duration, parallel, tag):
    """Create ``parallel`` clusters at once whose creation takes ``duration`` s; returns per-op figures.

    :returns: dict with ``latencies`` (s, module return minus the event's finish
        time), ``polls`` (GETs of each cluster after its create) and ``p50``/``max``.
    """
    sim = Simulator(os.path.join(work, "sim-lat-%s" % tag),
                    ["--profile", "fast", "--duration", "CLUSTER_CREATE=%s" % duration], state=True)
    try:
        play = os.path.join(work, "latency.yml")
        with open(play, "w") as handle:
            handle.write(LATENCY_PLAY)
        hosts = ["lat-%s-%02d" % (tag, i) for i in range(parallel)]
        inv = _inventory(os.path.join(work, "lat-%s.ini" % tag), hosts)
        seq = sim.last_seq()
        run = run_playbook(play, sim, ["-i", inv, "--forks", str(parallel)], workdir=work)
        requests = sim.requests_since(seq)
        state = sim.state()
    finally:
        sim.stop()
    ends = {t["host"]: t["end"] for t in run.times if t["task"] == "bench create" and t["status"] == "ok"}
    latencies, polls = [], []
    for cluster in state["clusters"].values():
        events = [e for e in cluster["events"] if e["type"] == "CLUSTER_CREATE" and e["state"] == "SUCCESS"]
        if cluster["name"] not in ends or not events:
            raise BenchError("cluster %s: no completed create or no module result" % cluster["name"])
        latencies.append(ends[cluster["name"]] - events[0]["updated_at"])
        paths = ("/v1/clusters/%s" % cluster["uuid"], "/v1/clusters/%s" % cluster["name"])
        polls.append(sum(1 for r in requests if r["method"] == "GET" and r["path"] in paths))
    return {"duration": duration, "n": len(latencies), "p50": statistics.median(latencies),
            "max": max(latencies), "polls": statistics.mean(polls),
            "seconds_per_poll": duration / statistics.mean(polls)}


def section_latency(work, quick):
    """Measured 5 s and 60 s creates, modelled 600 s ones (with and without a known typical duration)."""
    rows = []
    if quick:
        rows.append(dict(measure_latency(work, 5, 2, "5s"), how="measured"))
    else:
        rows.append(dict(measure_latency(work, 5, 10, "5s"), how="measured"))
        rows.append(dict(measure_latency(work, 60, 10, "60s"), how="measured"))
    engine = waiter_model._engine()  # pylint: disable=protected-access
    for duration in (5, 60, 600):
        rows.append(dict(waiter_model.model(duration, engine=engine), how="model", n=400))
    rows.append(dict(waiter_model.model(600, status="UPDATE_IN_PROGRESS", engine=engine), how="model, E unknown",
                     n=400))
    for duration in (5, 60, 600):
        rows.append(dict(waiter_model.model(duration, engine=engine, initial=1.0, factor=1.5, maximum=10.0),
                         how="model, previous backoff", n=400))
    if os.environ.get("BENCH_LONG"):
        rows.append(dict(measure_latency(work, 600, 4, "600s"), how="measured"))
    return rows


OVERHEAD_HEAD = """---
- name: nks_info against uri, the same GET
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Obtain a token
      nhncloud.nks.nks_auth:
      register: bench_auth
      no_log: true
    - name: Create the cluster to read
      nhncloud.nks.nks_cluster:
        auth_token: "{{ bench_auth.auth_token }}"
        name: bench-overhead
        kube_version: v1.28.3
        node_count: 1
        flavor_id: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
        keypair: bench-keypair
        fixed_network: eb212079-b6ec-430c-ba57-14280a457bcb
        fixed_subnet: 4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90
        availability_zone: kr2-pub-b
        node_image: f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc
        boot_volume_type: General HDD
        boot_volume_size: 20
      register: bench_cluster
"""

OVERHEAD_PAIR = """    - name: bench nks_info {i}
      nhncloud.nks.nks_info:
        auth_token: "{{{{ bench_auth.auth_token }}}}"
        cluster: bench-overhead
        gather: [clusters]
    - name: bench uuid nks_info {i}
      nhncloud.nks.nks_info:
        auth_token: "{{{{ bench_auth.auth_token }}}}"
        cluster: "{{{{ bench_cluster.cluster.uuid }}}}"
        gather: [clusters]
    - name: bench uri {i}
      ansible.builtin.uri:
        url: "{{{{ lookup('ansible.builtin.env', 'NKS_API_URL') }}}}/v1/clusters/bench-overhead"
        headers:
          X-Auth-Token: "{{{{ bench_auth.auth_token }}}}"
          OpenStack-API-Version: container-infra latest
"""


def section_overhead(work, reps):
    """``reps`` interleaved pairs of tasks; returns medians (s) and the ratio."""
    sim = Simulator(os.path.join(work, "sim-overhead"), ["--profile", "fast"])
    try:
        play = os.path.join(work, "overhead.yml")
        with open(play, "w") as handle:
            handle.write(OVERHEAD_HEAD)
            for i in range(reps):
                handle.write(OVERHEAD_PAIR.format(i=i))
        run = run_playbook(play, sim, workdir=work)
    finally:
        sim.stop()

    def durations(prefix):
        values = sorted(t["end"] - t["start"] for t in run.times if t["task"].startswith(prefix))
        return {"median": statistics.median(values), "p90": values[int(0.9 * (len(values) - 1))]}

    out = {"reps": reps, "info": durations("bench nks_info"), "uuid": durations("bench uuid nks_info"),
           "uri": durations("bench uri")}
    out["ratio"] = out["uuid"]["median"] / out["uri"]["median"]
    out["ratio_name"] = out["info"]["median"] / out["uri"]["median"]
    return out


# -- report ----------------------------------------------------------------------


def machine():
    """nproc, CPU model, RAM, Python and ansible-core versions, as a dict of strings."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as handle:
            mem_kib = int(handle.readline().split()[1])
        ram = "%.1f GiB" % (mem_kib / 1024.0 / 1024.0)
    except OSError:
        ram = "unknown"
    core = subprocess.run([os.path.join(VENV_BIN, "python"), "-c", "import ansible; print(ansible.__version__)"],
                          capture_output=True, text=True, check=False).stdout.strip()
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": ram, "python": platform.python_version(),
            "ansible-core": core, "os": platform.platform(), "load": "%.1f" % os.getloadavg()[0]}


def check(results):
    """The targets that hold on any machine, as a list of problems (empty when all hold).

    site.yml's and fleet.yml's re-runs send no mutating request and report changed=0;
    each site.yml run sends at most one identity request; the latency figures exist
    and are finite.
    """
    problems = []
    api = results.get("api")
    if api:
        rerun = api["site"]["rerun"]
        if rerun["requests"]["mutate"] or rerun["changed"]:
            problems.append("site.yml re-run: %d mutating requests, changed=%d"
                            % (rerun["requests"]["mutate"], rerun["changed"]))
        for phase in ("first", "rerun"):
            if api["site"][phase]["requests"]["identity"] > 1:
                problems.append("site.yml %s run: %d identity requests"
                                % (phase, api["site"][phase]["requests"]["identity"]))
    for row in (results.get("fleet") or {}).get("rows", []):
        if row["rerun"]["mutate"] or row["rerun"]["changed"]:
            problems.append("fleet.yml re-run of %d clusters: %d mutating requests, changed=%d"
                            % (row["n"], row["rerun"]["mutate"], row["rerun"]["changed"]))
    for row in results.get("latency", []):
        if row["how"] == "measured" and not 0 <= row["max"] < 30:
            problems.append("latency of a %d s create: max %.1f s" % (row["duration"], row["max"]))
    return problems


def _ok(flag):
    return "met" if flag else "**not met**"


def header(results, command, started, elapsed):
    """The first lines of a generated block: when, how long, on what machine."""
    m = results["machine"]
    return ["<!-- Generated by bench/run.py (make bench): edit bench/run.py, not this block. -->",
            "",
            "Measured %s UTC in %.0f s with `%s` on %s CPU(s) %s, %s RAM, Python %s, ansible-core %s (%s);"
            " 1-minute load average %s at the start, %s at the end."
            % (started, elapsed, command, m["nproc"], m["cpu"], m["ram"], m["python"], m["ansible-core"], m["os"],
               m["load"], "%.1f" % os.getloadavg()[0]),
            ""]


def render(results, command, started, elapsed):
    """The markdown of docs/performance.md's figures (the generated part)."""
    lines = header(results, command, started, elapsed)
    api = results.get("api")
    if api:
        s1, u1, s2, u2 = api["site"]["first"], api["uri"]["first"], api["site"]["rerun"], api["uri"]["rerun"]
        lines += ["### 1-2. API efficiency and the hand-written alternative (fast profile, median of %d,"
                  " uri_site.yml polling with delay %s s)" % (len(s1["walls"]), results.get("uri_delay", 10)), "",
                  "| playbook | run | wall (s) | identity | GET | mutating | all requests | changed |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, label in (("site", "playbooks/site.yml"), ("uri", "bench/uri_site.yml")):
            for phase in ("first", "rerun"):
                r = api[name][phase]
                q = r["requests"]
                lines.append("| %s | %s | %.1f | %d | %d | %d | %d | %d |"
                             % (label, phase, r["wall"], q["identity"], q["read"], q["mutate"], q["total"],
                                r["changed"]))
        wall_ratio = s1["wall"] / u1["wall"]
        req_ratio = s1["requests"]["total"] / float(u1["requests"]["total"])
        lines += ["",
                  "| target | figure | |",
                  "| --- | --- | --- |",
                  "| site.yml first run wall time <= 0.8x uri_site.yml | %.2fx (%.1f s / %.1f s) | %s |"
                  % (wall_ratio, s1["wall"], u1["wall"], _ok(wall_ratio <= 0.8)),
                  "| site.yml first run requests <= 0.5x uri_site.yml | %.2fx (%d / %d) | %s |"
                  % (req_ratio, s1["requests"]["total"], u1["requests"]["total"], _ok(req_ratio <= 0.5)),
                  "| re-run: only GETs, changed=0 | %d mutating, changed=%d | %s |"
                  % (s2["requests"]["mutate"], s2["changed"], _ok(s2["requests"]["mutate"] == 0 and s2["changed"] == 0)),
                  "| at most one identity request per play | %d (first), %d (re-run) | %s |"
                  % (s1["requests"]["identity"], s2["requests"]["identity"],
                     _ok(s1["requests"]["identity"] <= 1 and s2["requests"]["identity"] <= 1)),
                  ""]
    lat = results.get("latency")
    if lat:
        lines += ["### 3. Completion detection latency (cluster create)", "",
                  "| operation | how | ops | p50 (s) | max (s) | polls per op | s per poll |",
                  "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
        for r in lat:
            lines.append("| %d s | %s | %d | %.2f | %.2f | %.1f | %.1f |"
                         % (r["duration"], r["how"], r["n"], r["p50"], r["max"], r["polls"], r["seconds_per_poll"]))
        adaptive = [r for r in lat if r["how"] in ("measured", "model")]
        long_rows = [r for r in lat if r["how"] == "model" and r["duration"] == 600]
        lines += ["",
                  "| target | figure | |", "| --- | --- | --- |",
                  "| p50 <= 2 s (5, 60, 600 s) | worst %.2f s | %s |"
                  % (max(r["p50"] for r in adaptive), _ok(max(r["p50"] for r in adaptive) <= 2.0)),
                  "| max <= 10 s | worst %.2f s | %s |"
                  % (max(r["max"] for r in adaptive), _ok(max(r["max"] for r in adaptive) <= 10.0)),
                  "| <= one poll per 5 s over a 10-minute create | %.2f s per poll | %s |"
                  % (long_rows[0]["seconds_per_poll"], _ok(long_rows[0]["seconds_per_poll"] >= 5.0)),
                  ""]
    ovh = results.get("overhead")
    if ovh:
        lines += ["### 5. Module overhead (one GET of one cluster, %d interleaved pairs)" % ovh["reps"], "",
                  "| task | requests | median (s) | p90 (s) |", "| --- | --- | ---: | ---: |",
                  "| ansible.builtin.uri GET /v1/clusters/{name} | 1 GET | %.3f | %.3f |"
                  % (ovh["uri"]["median"], ovh["uri"]["p90"]),
                  "| nhncloud.nks.nks_info cluster=UUID | 1 GET | %.3f | %.3f |"
                  % (ovh["uuid"]["median"], ovh["uuid"]["p90"]),
                  "| nhncloud.nks.nks_info cluster=name | 2 GETs (list, then get: a name may be ambiguous) | %.3f | %.3f |"
                  % (ovh["info"]["median"], ovh["info"]["p90"]),
                  "", "| target | figure | |", "| --- | --- | --- |",
                  "| nks_info <= 1.2x uri (same request) | %.2fx (by name: %.2fx) | %s |"
                  % (ovh["ratio"], ovh["ratio_name"], _ok(ovh["ratio"] <= 1.2)),
                  ""]
    return "\n".join(lines)


def write_report(path, block, name=None):
    """Replace the generated block ``name`` of ``path`` (between its bench markers), or append it.

    ``name`` None is the block of the api, latency and overhead sections; the
    store and fleet sections have their own, so that one section can run alone.
    """
    begin, end = ("<!-- bench:begin -->", "<!-- bench:end -->") if name is None else (
        "<!-- bench:%s:begin -->" % name, "<!-- bench:%s:end -->" % name)
    text = ""
    if os.path.exists(path):
        with open(path) as handle:
            text = handle.read()
    new = "%s\n%s\n%s" % (begin, block, end)
    if begin in text and end in text:
        text = text[:text.index(begin)] + new + text[text.index(end) + len(end):]
    else:
        text = (text.rstrip() + "\n\n" if text else "# Performance\n\n") + new + "\n"
    with open(path, "w") as handle:
        handle.write(text)


def main(argv=None):
    """Parse the options, run the sections, print and write the report; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--sections", default="api,latency,store,fleet,overhead")
    parser.add_argument("--quick", action="store_true", help="smoke run: one repetition, small fleets")
    parser.add_argument("--reps", type=int, default=2, help="repetitions of the api section")
    parser.add_argument("--uri-delay", type=int, default=10, help="delay of the uri baseline's until loops")
    parser.add_argument("--fleet-sizes", default="1,10,100,200")
    parser.add_argument("--fleet-durations", default="CLUSTER_CREATE=180,NODEGROUP_CREATE=90",
                        help="--duration flags of the fleet section's simulators")
    parser.add_argument("--fleet-forks", type=int, default=fleet_scale.FORKS)
    parser.add_argument("--fleet-parallel", action="store_true", help="run the fleet sizes side by side")
    parser.add_argument("--fleet-partial", default=os.path.join(ROOT, ".build", "bench-fleet-partial.json"),
                        help="the fleet section's figures so far, rewritten after each run")
    parser.add_argument("--render-fleet", metavar="JSON",
                        help="write the fleet block from a --fleet-partial file (a stopped run) and exit")
    parser.add_argument("--overhead-reps", type=int, default=30)
    parser.add_argument("--out", default=None,
                        help="markdown file to update (default docs/performance.md, none with --quick)")
    parser.add_argument("--json", default=None, help="also write the raw figures here")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless the figures that do not depend on the machine are right (see check())")
    opts = parser.parse_args(argv)
    if opts.render_fleet:
        with open(opts.render_fleet) as handle:
            fleet = json.load(handle)
        lines = header({"machine": machine()}, "make bench BENCH_SECTIONS=fleet (stopped, partial figures)",
                       time.strftime("%Y-%m-%d %H:%M", time.gmtime()), 0)
        block = "\n".join(lines) + fleet_scale.render_fleet(fleet)
        print(block)
        write_report(opts.out or os.path.join(ROOT, "docs", "performance.md"), block, "fleet")
        return 0
    sections = opts.sections.split(",")
    if opts.quick:
        opts.reps, opts.overhead_reps, opts.uri_delay = 1, 3, 1
        opts.fleet_sizes, opts.fleet_durations = "2", "CLUSTER_CREATE=3,NODEGROUP_CREATE=2"
    out = opts.out if opts.out is not None else (None if opts.quick else os.path.join(ROOT, "docs", "performance.md"))
    command = "make bench" if not opts.quick else "make bench-smoke"
    work = tempfile.mkdtemp(prefix="nks-bench-")
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    t0 = time.time()
    results = {"machine": machine()}
    try:
        if "api" in sections:
            print("bench: api (site.yml vs uri_site.yml, %d repetition(s))" % opts.reps, flush=True)
            results["api"] = section_api(work, opts.reps, opts.uri_delay)
            results["uri_delay"] = opts.uri_delay
        if "latency" in sections:
            print("bench: latency", flush=True)
            results["latency"] = section_latency(work, opts.quick)
        if "fleet" in sections:
            sizes = [int(x) for x in opts.fleet_sizes.split(",")]
            print("bench: fleet %s" % sizes, flush=True)
            durations = dict((pair[0], float(pair[2])) for pair in (x.partition("=") for x in opts.fleet_durations.split(",")))
            results["fleet"] = fleet_scale.section_fleet(sys.modules[__name__], work, sizes, durations,
                                                         opts.fleet_forks, opts.fleet_parallel, opts.fleet_partial)
        if "overhead" in sections:
            print("bench: overhead", flush=True)
            results["overhead"] = section_overhead(work, opts.overhead_reps)
        if "store" in sections:
            print("bench: store (simulator: a change and a list at 100, 1,000, 5,000 clusters)", flush=True)
            results["store"] = sim_store.section_store(work, Simulator, opts.quick)
    except BenchError as exc:
        print("bench: FAILED: %s" % exc, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.time() - t0
    blocks = {}
    if set(sections) & {"api", "latency", "overhead"}:
        blocks[None] = render(results, command, started, elapsed)
    if "fleet" in results:
        blocks["fleet"] = "\n".join(header(results, command, started, elapsed)) + "\n" + fleet_scale.render_fleet(
            results["fleet"])
    if "store" in results:
        blocks["store"] = "\n".join(header(results, command, started, elapsed)) + "\n" + sim_store.render_store(
            results["store"])
    for block in blocks.values():
        print(block)
    problems = check(results) if opts.check else []
    for problem in problems:
        print("bench: CHECK FAILED: %s" % problem, file=sys.stderr)
    if opts.json:
        with open(opts.json, "w") as handle:
            json.dump(results, handle, indent=1, default=str)
    if out:
        for name, block in blocks.items():
            write_report(out, block, name)
        print("bench: wrote %s" % out)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
