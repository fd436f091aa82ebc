# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Long waits show progress at the default verbosity (issue 22 item 4).

``ansible-playbook`` (no ``-v``) against a simulator whose operations last long enough: the
modules' action plugins print their waits' progress lines (plugins/plugin_utils/progress_action.py,
plugins/module_utils/_progress.py) WHILE the module runs. The lines come every
``NKS_PROGRESS_INTERVAL`` seconds of a wait (30 by default; :data:`INTERVAL` here so the test
stays short) and name the resource, its status, the time waited and NKS's typical duration.
Durations are fixed (time scale 1, ``--duration``) so the waits' lengths do not depend on load.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time

import pytest
from conftest import ANSIBLE_PLAYBOOK, PASSWORD, ROOT, VENV_BIN, playbook_env

SITE = ROOT / "playbooks" / "site.yml"
SITE_VARS = ROOT / "playbooks" / "vars" / "demo_cluster.yml"
INTERVAL = 4
# The waits poll at most every 10 s (module_utils/_engine.py PollSchedule, _kube.py backoff):
# two lines of one wait are INTERVAL to INTERVAL + 10 s apart (plus one request).
MAX_GAP = INTERVAL + 10 + 2
LINE = re.compile(r"^(nks_\w+): (.+?): (\S.*?) for (\d+ min(?: \d+ s)?|\d+ s)(?: \((.*)\))?$")


def run_streaming(sim, args, env):
    """Run ``ansible-playbook`` with ``args``; returns ``(rc, [(seconds since start, line), ...])``,
    each line stamped when it arrived, so that lines printed only at the task's end are told
    apart from lines printed while it runs."""
    start = time.monotonic()
    process = subprocess.Popen([str(ANSIBLE_PLAYBOOK)] + list(args), env=playbook_env(sim, env), cwd=str(ROOT),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines = []
    try:
        for line in process.stdout:
            lines.append((time.monotonic() - start, line.rstrip("\n")))
        rc = process.wait(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return rc, lines


def progress(lines, module=None):
    """The progress lines: ``(arrival, module, resource, status, elapsed s, rest)``."""
    found = []
    for arrived, text in lines:
        match = LINE.match(text)
        if match and (module is None or match.group(1) == module):
            numbers = [int(n) for n in re.findall(r"\d+", match.group(4))]
            elapsed = numbers[0] * 60 + sum(numbers[1:]) if "min" in match.group(4) else numbers[0]
            found.append((arrived, match.group(1), match.group(2), match.group(3), elapsed, match.group(5)))
    return found


def waits(found):
    """Split progress lines into waits (a wait's elapsed times only grow)."""
    groups = []
    for entry in found:
        if groups and groups[-1][-1][1:3] == entry[1:3] and groups[-1][-1][4] < entry[4]:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def result_line(lines, task):
    """Arrival time of the first result line (``ok:``/``changed:``) after the ``TASK [task]`` banner."""
    seen = False
    for arrived, text in lines:
        if text.startswith("TASK [") and task in text:
            seen = True
        elif seen and re.match(r"^(ok|changed|failed|fatal): ", text):
            return arrived
    raise AssertionError("no result of task %r" % task)


def check_spacing(found):
    """Each wait's first line after INTERVAL..MAX_GAP s, the next ones INTERVAL..MAX_GAP s apart
    (by the module's clock, so the load of the machine does not matter). That they are shown while
    the task runs is checked against the task's result line (:func:`result_line`)."""
    for wait in waits(found):
        assert INTERVAL <= wait[0][4] <= MAX_GAP, wait
        for before, after in zip(wait, wait[1:]):
            assert INTERVAL <= after[4] - before[4] <= MAX_GAP, (before, after)


def test_site_shows_progress(make_simulator, tmp_path):
    """playbooks/site.yml (the role): the cluster's create, its readiness wait and the node
    group's create print progress lines at the default verbosity, each wait at least every
    MAX_GAP s, before the task's own result."""
    sim = make_simulator(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=14", "--duration",
                                                "NODEGROUP_CREATE=10", "--kube-ready-delay", "9"])
    extra = {"cluster_kubeconfig_dir": str(tmp_path)}
    rc, lines = run_streaming(sim, [str(SITE), "-e", "@%s" % SITE_VARS, "-e", json.dumps(extra)],
                              {"NKS_PROGRESS_INTERVAL": str(INTERVAL), "NHN_CLOUD_REGION": "kr2"})
    output = "\n".join(text for dummy, text in lines)
    assert rc == 0, output[-6000:]
    found = progress(lines)
    assert found, output[-6000:]
    check_spacing(found)

    created = [e for e in found if e[1] == "nks_cluster" and e[2] == "cluster 'test-k8s'"]
    assert created and all(e[3] == "CREATE_IN_PROGRESS" for e in created), found
    # NKS's typical cluster create: 10 min; the time left counts down.
    assert all(re.match(r"NKS typically takes 10 min: about \d+ min( \d+ s)? left$", e[5]) for e in created), created
    ready = [e for e in found if e[1] == "nks_cluster" and e[2] == "the Kubernetes API of cluster 'test-k8s'"]
    assert ready, found
    group = [e for e in found if e[1] == "nks_nodegroup" and e[2].startswith("node group 'batch' of cluster '")]
    assert group and group[0][3] == "CREATE_IN_PROGRESS", found
    assert "NKS typically takes 5 min" in group[0][5]
    # Shown while the task runs, not with its result.
    assert created[0][0] < result_line(lines, "Converge the cluster") - 3, (created, lines)
    assert PASSWORD not in output


PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Create the cluster with the module, no_log
      nhncloud.nks.nks_cluster:
        name: progress-k8s
        api_password: "%(password)s"
        kube_version: v1.28.3
        node_count: 1
        flavor_id: 6ef27f21-c774-4c0e-84ff-7dd4a762571f
        keypair: test-keypair
        fixed_network: eb212079-b6ec-430c-ba57-14280a457bcb
        fixed_subnet: 4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90
        availability_zone: kr2-pub-b
        node_image: f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc
        boot_volume_type: General HDD
        boot_volume_size: 20
        external_network_id: 751b8227-7b45-440a-9349-dbf829d0aba5
        external_subnet_ids: [59ddc195-76b1-431d-9693-f09880747dc6]
        wait_for: status
      no_log: true
      register: created

    - name: Delete it, delegated to localhost
      nhncloud.nks.nks_cluster:
        name: progress-k8s
        state: absent
      delegate_to: localhost
"""


def test_module_shows_progress_without_secrets(make_simulator, tmp_path):
    """A single module task with ``no_log``: progress lines (resource, status, times) and no secret;
    a task delegated to localhost shows them too."""
    sim = make_simulator(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=10", "--duration",
                                                "CLUSTER_DELETE=10"])
    playbook = tmp_path / "module.yml"
    playbook.write_text(PLAY % {"password": PASSWORD})
    rc, lines = run_streaming(sim, [str(playbook)], {"NKS_PROGRESS_INTERVAL": str(INTERVAL),
                                                     "NHN_CLOUD_REGION": "kr2"})
    output = "\n".join(text for dummy, text in lines)
    assert rc == 0, output[-6000:]
    assert PASSWORD not in output
    found = progress(lines, "nks_cluster")
    check_spacing(found)
    statuses = [e[3] for e in found if e[2] == "cluster 'progress-k8s'"]
    assert "CREATE_IN_PROGRESS" in statuses and "DELETE_IN_PROGRESS" in statuses, found
    # Shown while the task runs: the first line comes seconds before the task's result.
    assert found[0][0] < result_line(lines, "Create the cluster with the module") - 3, (found, lines)
    # Only resource, status and times: every line matches the pattern.
    for dummy, text in lines:
        if text.startswith("nks_cluster: "):
            assert LINE.match(text), text


def test_runner_job_output_shows_progress(make_simulator, tmp_path):
    """ansible-runner (what AWX runs jobs with): the lines are job output (``verbose`` events of the
    job's stdout), while the task runs."""
    ansible_runner = pytest.importorskip("ansible_runner")
    sim = make_simulator(time_scale=1.0, extra=["--duration", "CLUSTER_CREATE=10", "--duration",
                                                "CLUSTER_DELETE=10"])
    data = tmp_path / "runner"
    (data / "project").mkdir(parents=True)
    (data / "project" / "module.yml").write_text(PLAY % {"password": PASSWORD})
    env = playbook_env(sim, {"NKS_PROGRESS_INTERVAL": str(INTERVAL), "NHN_CLOUD_REGION": "kr2",
                             "PATH": "%s:%s" % (VENV_BIN, os.environ.get("PATH", ""))})
    run = ansible_runner.run(private_data_dir=str(data), playbook="module.yml", envvars=env, quiet=True,
                             settings={"suppress_ansible_output": True})
    stdout = (data / "artifacts").glob("*/stdout")
    output = "\n".join(path.read_text() for path in stdout)
    assert run.rc == 0, output[-6000:]
    events = list(run.events)
    shown = [e for e in events if e.get("event") == "verbose" and LINE.match(e.get("stdout", "").strip())]
    assert len(shown) >= 2, output[-6000:]
    created = [e for e in events if e.get("event") == "runner_on_ok"
               and e.get("event_data", {}).get("task") == "Create the cluster with the module, no_log"]
    assert created and shown[0]["counter"] < created[0]["counter"], "progress shown only after the task ended"
    assert {LINE.match(e["stdout"].strip()).group(3) for e in shown} >= {"CREATE_IN_PROGRESS", "DELETE_IN_PROGRESS"}
    assert PASSWORD not in output
