"""CLI help, and 50 concurrent clients."""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import _executable, cluster_body

FLAGS = ["--host", "--port", "--port-file", "--config", "--state-file", "--profile", "--time-scale", "--duration",
         "--tenant-id", "--username", "--api-password", "--token-ttl", "--max-nodes-per-nodegroup",
         "--supported-versions", "--allow-duplicate-cluster-names", "--latency-ms", "--error-rate",
         "--error-codes", "--drop-rate", "--seed", "--log-level"]


def test_help_lists_every_flag():
    out = subprocess.run(_executable() + ["--help"], capture_output=True, text=True, timeout=20)
    assert out.returncode == 0
    documented = set(re.findall(r"(--[a-z-]+)", out.stdout))
    assert set(FLAGS) <= documented


def test_bad_config_exits_2(tmp_path):
    out = subprocess.run(_executable() + ["--error-rate", "3"], capture_output=True, text=True, timeout=20)
    assert out.returncode == 2 and "error" in out.stderr


def test_max_nodes_quota_flag(own_sim):
    sim = own_sim("--max-nodes-per-nodegroup", "20")
    assert sim.post("/v1/clusters", cluster_body(node_count=15)).status_code == 202
    assert sim.post("/v1/clusters", cluster_body(node_count=21)).status_code == 400


def test_fifty_concurrent_clients(sim):
    headers = sim.headers()

    def client(i: int):
        session = requests.Session()
        body = cluster_body(name=f"conc-{i}-{sim.port}")
        created = session.post(f"{sim.base}/v1/clusters", json=body, headers=headers, timeout=30)
        assert created.status_code == 202, created.text
        uid = created.json()["uuid"]
        for _ in range(2):
            got = session.get(f"{sim.base}/v1/clusters/{uid}", headers=headers, timeout=30)
            assert got.status_code == 200, got.text
        listed = session.get(f"{sim.base}/v1/clusters", headers=headers, timeout=30)
        assert listed.status_code == 200 and uid in [c["uuid"] for c in listed.json()["clusters"]]
        return uid

    with ThreadPoolExecutor(max_workers=50) as pool:
        uids = list(pool.map(client, range(50)))
    assert len(set(uids)) == 50
    present = {c["uuid"] for c in sim.get("/v1/clusters").json()["clusters"]}
    assert set(uids) <= present
    assert sys.version_info >= (3, 9)
