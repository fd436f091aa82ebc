#!/usr/bin/env python
"""The rulebook test of `make eda-test` (mk/eda.mk): the real ansible-rulebook runs the event source
nhncloud.nks.nks_events against the NKS simulator, with tests/eda/rulebooks/nks_events_test.yml.

Run inside scripts/with-simulator.sh (NKS_SIM_URL and the credentials in the environment), with the
Python of .venv-eda (ansible-rulebook, ansible-core). Steps:

1. a cluster eda-a (v1.33.4, certificates valid 1 year), the inventory file of the plugin nhncloud.nks.nks;
2. ansible-rulebook starts (the source primes its state file);
3. each event is provoked once with the simulator's knobs (docs/simulator.md "Health and time"):
   API down and recovered, all nodes NotReady and recovered, a newer version, a node group upgrade
   failing, a cluster create failing, a cluster on a version near its end of service, 340 days passing
   (certificates within 30 days); after each, the test waits for its rule's line in the record file;
4. ansible-rulebook stops; every (event type, host) was recorded exactly once;
5. ansible-rulebook starts again on the same state file: after several polls nothing new is recorded;
   the NKS API answers 503 for a while (one nks.source.error, one nks.source.recovered, ansible-rulebook
   still running); the API of eda-b goes down: exactly one new line; it stops;
6. the playbooks of the example rulebooks run as their rules run them: the pause flag is raised, eda-b's
   certificate is renewed and its kubeconfig written, a diagnostics report of eda-b (API down) is written.

Exit status 0 when every check passed; the record file, the state file and ansible-rulebook's logs
stay in EDA_WORK (default .build/eda). Deterministic; about 2 min.
"""

from __future__ import annotations

import collections
import datetime
import json
import os
import runpy
import shutil
import signal
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "eda")
WORK = os.path.abspath(os.environ.get("EDA_WORK", os.path.join(ROOT, ".build", "eda")))
SIM = os.environ["NKS_SIM_URL"].rstrip("/")
BIN = os.path.dirname(sys.executable)
COLLECTIONS = os.environ.get("EDA_COLLECTIONS", os.path.join(ROOT, ".build", "collections"))
SUBNET = "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90"
RECORD = os.path.join(WORK, "record.txt")
STATE = os.path.join(WORK, "nks_events.json")
WAIT = float(os.environ.get("EDA_WAIT", "45"))
LIFECYCLE = runpy.run_path(os.path.join(ROOT, "plugins", "module_utils", "_lifecycle.py"))

SESSION = requests.Session()


def log(message: str) -> None:
    print("[eda-test %s] %s" % (time.strftime("%H:%M:%S"), message), flush=True)


def token() -> str:
    body = {"auth": {"tenantId": os.environ["NHN_CLOUD_TENANT_ID"],
                     "passwordCredentials": {"username": os.environ["NHN_CLOUD_USERNAME"],
                                             "password": os.environ["NHN_CLOUD_API_PASSWORD"]}}}
    answer = SESSION.post(SIM + "/v2.0/tokens", json=body, timeout=10)
    answer.raise_for_status()
    return answer.json()["access"]["token"]["id"]


def api(method: str, path: str, body=None, ok=(200, 201, 202, 204)) -> dict:
    headers = {"X-Auth-Token": TOKEN, "OpenStack-API-Version": "container-infra latest"}
    answer = SESSION.request(method, SIM + path, json=body, headers=headers, timeout=10)
    assert answer.status_code in ok, "%s %s: %s %s" % (method, path, answer.status_code, answer.text)
    return answer.json() if answer.content else {}


def admin(method: str, path: str, body=None) -> dict:
    answer = SESSION.request(method, SIM + "/_sim" + path, json=body, timeout=10)
    assert answer.status_code == 200, "%s %s: %s" % (method, path, answer.text)
    return answer.json()


def cluster_body(name: str, kube_tag: str) -> dict:
    return {"cluster_template_id": "iaas_console", "create_timeout": 60, "keypair": "eda-keypair",
            "fixed_network": "eb212079-b6ec-430c-ba57-14280a457bcb", "fixed_subnet": SUBNET,
            "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f", "name": name, "node_count": 2,
            "labels": {"availability_zone": "kr2-pub-b", "boot_volume_size": "20", "boot_volume_type": "General HDD",
                       "ca_enable": "false", "cert_manager_api": "True", "clusterautoscale": "nodegroupfeature",
                       "external_network_id": "751b8227-7b45-440a-9349-dbf829d0aba5",
                       "external_subnet_id_list": "59ddc195-76b1-431d-9693-f09880747dc6", "kube_tag": kube_tag,
                       "master_lb_floating_ip_enabled": "true", "node_image": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc"}}


def until(what: str, predicate, timeout: float = WAIT, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def cluster(name: str) -> dict:
    found = [c for c in api("GET", "/v1/clusters")["clusters"] if c["name"] == name]
    return found[0] if found else {}


def wait_status(name: str, *statuses: str) -> dict:
    return until("%s in %s" % (name, statuses), lambda: cluster(name) if cluster(name).get("status") in statuses
                 else None)


def records() -> list:
    if not os.path.exists(RECORD):
        return []
    with open(RECORD, encoding="utf-8") as handle:
        return [line.split() for line in handle if line.strip()]


def recorded(kind: str, host: str) -> int:
    return sum(1 for r in records() if r[0] == kind and r[1] == host)


def expect(kind: str, host: str) -> None:
    """Wait for the rule's line of (kind, host); EXPECTED counts it."""
    EXPECTED[(kind, host)] += 1
    until("rule of %s for %s" % (kind, host), lambda: recorded(kind, host) >= EXPECTED[(kind, host)])
    log("rule fired: %s %s" % (kind, host))


class Rulebook:
    """ansible-rulebook with the test rulebook, its output in WORK/rulebook-<n>.log."""

    count = 0

    def __init__(self):
        Rulebook.count += 1
        self.log_path = os.path.join(WORK, "rulebook-%d.log" % Rulebook.count)
        env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""),
                   ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCAL_TEMP=os.path.join(WORK, "tmp"),
                   ANSIBLE_HOME=os.path.join(WORK, "ansible-home"), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_INVENTORY_ENABLED="nhncloud.nks.nks", PYTHONUNBUFFERED="1")
        cmd = [os.path.join(BIN, "ansible-rulebook"), "-r", os.path.join(HERE, "rulebooks", "nks_events_test.yml"),
               "-i", INVENTORY, "--vars", VARS, "-v"]
        self.out = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, cwd=WORK, env=env, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log("ansible-rulebook started (pid %d, log %s)" % (self.proc.pid, self.log_path))

    def alive(self) -> None:
        assert self.proc.poll() is None, "ansible-rulebook exited (%s): see %s" % (self.proc.returncode, self.log_path)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.out.close()
        log("ansible-rulebook stopped (%s)" % self.proc.returncode)


def printed(book: "Rulebook", kind: str) -> int:
    """How many events of ``kind`` the rulebook's print_event rules printed (its log)."""
    book.out.flush()
    with open(book.log_path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    return text.count("'type': '%s'" % kind) + text.count('"type": "%s"' % kind)  # pprint or JSON


def state() -> dict:
    try:
        with open(STATE, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def wait_polls(count: int) -> None:
    """Wait until the source has saved its state ``count`` more times (one save per poll)."""
    start = os.stat(STATE).st_mtime_ns if os.path.exists(STATE) else 0
    seen = [start]

    def moved():
        now = os.stat(STATE).st_mtime_ns if os.path.exists(STATE) else 0
        if now != seen[-1]:
            seen.append(now)
        return len(seen) > count
    until("%d polls of the source" % count, moved, interval=0.05)


def run() -> None:
    global TOKEN, INVENTORY, VARS  # pylint: disable=global-statement
    os.makedirs(WORK, exist_ok=True)
    for path in (RECORD, STATE, os.path.join(WORK, "update-run.pause")):
        if os.path.exists(path):
            os.unlink(path)
    for folder in ("diagnostics", "kubeconfigs"):
        shutil.rmtree(os.path.join(WORK, folder), ignore_errors=True)
    TOKEN = token()
    admin("PATCH", "/config", {"certificate_validity_years": 1,
                               "supported_versions": {"v1.32.6": True, "v1.33.4": True}})
    api("POST", "/v1/clusters", cluster_body("eda-a", "v1.33.4"))
    wait_status("eda-a", "CREATE_COMPLETE")
    INVENTORY = os.path.join(WORK, "eda.nks.yml")
    with open(INVENTORY, "w", encoding="utf-8") as handle:
        handle.write("plugin: nhncloud.nks.nks\nnodegroup_details: false\n")
    VARS = os.path.join(WORK, "vars.yml")
    with open(VARS, "w", encoding="utf-8") as handle:
        json.dump({"eda_state_file": STATE, "eda_record": RECORD,
                   "eda_record_playbook": os.path.join(HERE, "playbooks", "record.yml")}, handle)

    started = time.monotonic()
    book = Rulebook()
    try:
        until("the source's first poll", lambda: state().get("primed"), timeout=60)
        book.alive()
        uid = cluster("eda-a")["uuid"]
        # support ending / certificates of eda-a at the start: only if the guide's dates say so today
        today = datetime.datetime.now(datetime.timezone.utc).date()
        if LIFECYCLE["lifecycle"]("v1.33.4", today, 90)["support_ending"]:
            expect("nks.support.ending", "eda-a")

        log("API of eda-a stops answering")
        admin("POST", "/clusters/%s/health" % uid, {"kube_api": "503"})
        expect("nks.health.api_down", "eda-a")
        admin("POST", "/clusters/%s/health" % uid, {"kube_api": "working"})
        expect("nks.health.api_recovered", "eda-a")

        log("nodes of eda-a go NotReady")
        admin("POST", "/clusters/%s/health" % uid, {"nodes_ready": False})
        expect("nks.health.all_nodes_not_ready", "eda-a")
        admin("POST", "/clusters/%s/health" % uid, {"nodes_ready": True})
        expect("nks.health.nodes_recovered", "eda-a")

        log("a newer Kubernetes version")
        admin("PATCH", "/config", {"supported_versions": {"v1.32.6": True, "v1.33.4": True, "v1.34.1": True}})
        expect("nks.upgrade.available", "eda-a")

        log("control plane upgrade, then a node group upgrade that fails")
        api("POST", "/v1/clusters/%s/nodegroups/default-master/upgrade" % uid, {"version": "v1.34.1"})
        wait_status("eda-a", "UPDATE_COMPLETE")
        admin("POST", "/faults/fail-next", {
            "operation": "NODEGROUP_UPGRADE", "count": 1,
            "reason": "Failed to drain node: PodDisruptionBudget allows no disruption"})
        api("POST", "/v1/clusters/%s/nodegroups/default-worker/upgrade" % uid,
            {"version": "v1.34.1", "num_buffer_nodes": 1, "num_max_unavailable_nodes": 1})
        expect("nks.nodegroup.operation_failed", "eda-a")

        log("a cluster create that fails")
        admin("POST", "/faults/fail-next", {"operation": "CLUSTER_CREATE", "count": 1, "reason": "Quota exceeded"})
        api("POST", "/v1/clusters", cluster_body("eda-c", "v1.33.4"))
        expect("nks.cluster.operation_failed", "eda-c")
        expect("nks.upgrade.available", "eda-c")  # v1.33.4 while v1.34.1 is offered

        log("a cluster on a version whose end of service is near")
        api("POST", "/v1/clusters", cluster_body("eda-b", "v1.32.6"))
        wait_status("eda-b", "CREATE_COMPLETE")
        expect("nks.upgrade.available", "eda-b")
        if LIFECYCLE["lifecycle"]("v1.32.6", today, 90)["support_ending"]:
            expect("nks.support.ending", "eda-b")
        if LIFECYCLE["lifecycle"]("v1.33.4", today, 90)["support_ending"]:
            expect("nks.support.ending", "eda-c")

        log("340 days pass: the certificates (1 year) expire within 30 days")
        admin("POST", "/time/advance", {"days": 340})
        for name in ("eda-a", "eda-b", "eda-c"):
            if cluster(name).get("labels", {}).get("certificate_expiry"):
                expect("nks.certificate.expiring", name)
        wait_polls(4)  # a few more polls: nothing else may fire
        book.alive()
    finally:
        book.stop()
    first_run = time.monotonic() - started
    check_counts("first run")

    log("restart on the same state file: no duplicate")
    before = len(records())
    book = Rulebook()
    try:
        wait_polls(6)
        book.alive()
        assert len(records()) == before, "the restarted source emitted again: %s" % records()[before:]
        # eda-a is UPDATE_FAILED (its node group upgrade failed): NKS shows no fresh health of a failed
        # cluster (health_status STALE), so the API of eda-b (CREATE_COMPLETE) stops answering
        log("the NKS API answers 503 to every request for a while: reported once, not a crash")
        admin("PATCH", "/config", {"error_rate": 1.0, "error_codes": [503]})
        until("nks.source.error in the rulebook's output", lambda: printed(book, "nks.source.error") >= 1)
        time.sleep(2)
        admin("PATCH", "/config", {"error_rate": 0.0})
        until("nks.source.recovered in the rulebook's output", lambda: printed(book, "nks.source.recovered") >= 1)
        book.alive()
        admin("POST", "/clusters/%s/health" % cluster("eda-b")["uuid"], {"kube_api": "refuse"})
        expect("nks.health.api_down", "eda-b")
        wait_polls(4)
        assert printed(book, "nks.source.error") == 1 and printed(book, "nks.source.recovered") == 1
    finally:
        book.stop()
    check_counts("after the restart")
    example_playbooks()
    log("OK: %d rules fired once each (%.0f s for the first run); no duplicate after the restart"
        % (sum(EXPECTED.values()), first_run))


def playbook(name: str, limit: str, extra: dict) -> None:
    """ansible-playbook nhncloud.nks.<name> on the inventory plugin's host ``limit``, the event as
    ansible-rulebook passes it (``ansible_eda.event``)."""
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_LOCAL_TEMP=os.path.join(WORK, "tmp"), ANSIBLE_HOME=os.path.join(WORK, "ansible-home"),
               ANSIBLE_NOCOLOR="1", HOME=WORK)
    extra_file = os.path.join(WORK, "%s-vars.json" % name)
    with open(extra_file, "w", encoding="utf-8") as handle:
        json.dump(extra, handle)
    out = os.path.join(WORK, "%s.log" % name)
    with open(out, "w", encoding="utf-8") as handle:
        rc = subprocess.call([os.path.join(BIN, "ansible-playbook"), "nhncloud.nks." + name, "-i", INVENTORY,
                              "--limit", limit, "-e", "@" + extra_file], cwd=WORK, env=env, stdout=handle,
                             stderr=subprocess.STDOUT, timeout=180)
    assert rc == 0, "nhncloud.nks.%s failed (%d): see %s" % (name, rc, out)
    log("playbook nhncloud.nks.%s: ok" % name)


def example_playbooks() -> None:
    """The playbooks of the example rulebooks (extensions/eda/rulebooks), run as their rules run them."""
    event = {"nks": {"type": "nks.nodegroup.operation_failed", "operation": "NODEGROUP_UPGRADE",
                     "reason": "Failed to drain node", "cluster": {"name": "eda-a", "uuid": cluster("eda-a")["uuid"]},
                     "nodegroup": {"name": "default-worker"}}, "meta": {"hosts": "eda-a"}}
    flag = os.path.join(WORK, "update-run.pause")
    playbook("eda_pause_update_run", "eda-a", {"ansible_eda": {"event": event}, "nks_update_pause_file": flag})
    with open(flag, encoding="utf-8") as handle:
        raised = json.load(handle)
    assert raised["paused"] is True and raised["cluster"] == "eda-a" and raised["nodegroup"] == "default-worker", raised

    before = cluster("eda-b")["labels"]["certificate_expiry"]
    kubeconfigs = os.path.join(WORK, "kubeconfigs")
    playbook("eda_renew_certificate", "eda-b", {"ansible_eda": {"event": {"nks": {"type": "nks.certificate.expiring"}}},
                                                "eda_kubeconfig_dir": kubeconfigs})
    after = wait_status("eda-b", "UPDATE_COMPLETE", "CREATE_COMPLETE")["labels"]["certificate_expiry"]
    assert after > before, "certificate_expiry %s -> %s: not renewed" % (before, after)
    assert os.path.getsize(os.path.join(kubeconfigs, "eda-b.yaml")) > 0

    reports = os.path.join(WORK, "diagnostics")
    playbook("eda_api_diagnostics", "eda-b", {"ansible_eda": {"event": {"nks": {"type": "nks.health.api_down"}}},
                                              "eda_diagnostics_dir": reports})
    written = [os.path.join(reports, f) for f in os.listdir(reports) if f.startswith("eda-b-")]
    assert len(written) == 1, written
    with open(written[0], encoding="utf-8") as handle:
        report = json.load(handle)
    assert report["nks_cluster"]["health_status_reason"]["cluster"]["api_status"] == "K8S_API_NOT_WORKING", report
    assert report["readyz"]["rc"] != 0 and report["recent_tasks"], report["readyz"]


def check_counts(when: str) -> None:
    got = collections.Counter((r[0], r[1]) for r in records())
    assert got == EXPECTED, "%s: recorded %s, expected %s" % (when, dict(got), dict(EXPECTED))
    uuids = [r[-1] for r in records()]
    assert len(uuids) == len(set(uuids)), "an event was recorded twice: %s" % records()


EXPECTED: "collections.Counter" = collections.Counter()
TOKEN = INVENTORY = VARS = ""

if __name__ == "__main__":
    try:
        run()
    except AssertionError as exc:
        log("FAILED: %s" % exc)
        try:  # the simulator's last requests, for the diagnosis
            for request in admin("GET", "/requests")["requests"][-15:]:
                log("simulator request: %s" % json.dumps(request, sort_keys=True))
        except Exception as more:  # pylint: disable=broad-except
            log("(no request log: %s)" % more)
        sys.exit(1)
