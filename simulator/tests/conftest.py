"""Fixtures: real ``nks-simulator`` processes on ephemeral ports, talked to over HTTP."""

from __future__ import annotations

import contextlib
import copy
import signal
import time
import uuid
from pathlib import Path
from typing import Callable, Optional

import pytest
import requests

from nks_simulator.config import SimConfig
from nks_simulator.launcher import SimulatorProcess, default_command

#: The simulator's default configuration (its default credentials).
DEFAULTS = SimConfig()

# Fast profile x 0.1: cluster create 0.3 s, others 0.1-0.2 s. Not 0.05: some tests see an operation
# in progress right after starting it (test_nodegroup_create_and_delete, test_nodegroup_lifecycle_with_failure:
# three requests within a node group create); at 0.05 that is 100 ms, which the three requests overran
# in 2 of 4 `make sim-test` runs under a load average of 5-8 on 2 cores; 200 ms halves that exposure.
# The suite's time did not change (about 120 s either way).
TIME_SCALE = "0.1"
SUBNET = "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90"

# The guide's "Create a Cluster" example body, with kube_tag adapted to a supported version.
GUIDE_CLUSTER = {
    "cluster_template_id": "iaas_console",
    "create_timeout": 60,
    "fixed_network": "eb212079-b6ec-430c-ba57-14280a457bcb",
    "fixed_subnet": SUBNET,
    "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f",
    "keypair": "test-keypair",
    "labels": {
        "availability_zone": "kr2-pub-b",
        "boot_volume_size": "20",
        "boot_volume_type": "General HDD",
        "ca_enable": "false",
        "ca_max_node_count": "10",
        "ca_min_node_count": "1",
        "ca_scale_down_delay_after_add": "3",
        "ca_scale_down_enable": "true",
        "ca_scale_down_unneeded_time": "3",
        "ca_scale_down_util_thresh": "50",
        "cert_manager_api": "True",
        "clusterautoscale": "nodegroupfeature",
        "external_network_id": "751b8227-7b45-440a-9349-dbf829d0aba5",
        "external_subnet_id_list": "59ddc195-76b1-431d-9693-f09880747dc6",
        "kube_tag": "v1.26.3",
        "master_lb_floating_ip_enabled": "true",
        "strict_sg_rules": "True",
        "node_image": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc",
        "user_script_v2": "",
        "extra_security_groups": [
            {"target_subnet": SUBNET,
             "security_group_ids": "8669cca4-7904-4dc6-b1be-db49661cedb6,fa69d78d-bd04-4ab0-9ce6-c92a84b899c2"}
        ],
        "extra_volumes": [{"volume_type": "General HDD", "volume_size": 100}],
    },
    "name": "test-k8s",
    "node_count": 1,
}

# The guide's "Create a Node Group" example body.
GUIDE_NODEGROUP = {
    "name": "added-nodegroup",
    "node_count": 1,
    "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f",
    "image_id": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc",
    "labels": {"availability_zone": "kr2-pub-b", "boot_volume_size": "20", "boot_volume_type": "General HDD",
               "ca_enable": "false"},
}


def unique(prefix: str = "c") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def cluster_body(name: Optional[str] = None, **changes) -> dict:
    """The guide's example with a unique name; ``labels__x=v`` changes a label (None deletes)."""
    body = copy.deepcopy(GUIDE_CLUSTER)
    body["name"] = name or unique()
    for key, value in changes.items():
        target, field = (body["labels"], key[8:]) if key.startswith("labels__") else (body, key)
        if value is None:
            target.pop(field, None)
        else:
            target[field] = value
    return body


class Sim(SimulatorProcess):
    """A simulator process (:class:`nks_simulator.launcher.SimulatorProcess`) and an authenticated
    HTTP helper; ``workdir`` holds its port file and log."""

    def __init__(self, workdir: Path, args=()):
        super().__init__(workdir, args)
        self.session = requests.Session()
        self.token: Optional[str] = None

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self.url

    # -------- identity
    def login(self, tenant: Optional[str] = None, username: Optional[str] = None,
              password: Optional[str] = None) -> requests.Response:
        """``POST /v2.0/tokens``; the credentials default to the simulator's defaults (:class:`SimConfig`)."""
        tenant = DEFAULTS.tenant_id if tenant is None else tenant
        username = DEFAULTS.username if username is None else username
        password = DEFAULTS.api_password if password is None else password
        return requests.post(f"{self.base}/v2.0/tokens", json={
            "auth": {"tenantId": tenant, "passwordCredentials": {"username": username, "password": password}}},
            timeout=10)

    def headers(self) -> dict:
        if self.token is None:
            response = self.login()
            response.raise_for_status()
            self.token = response.json()["access"]["token"]["id"]
        return {"X-Auth-Token": self.token, "OpenStack-API-Version": "container-infra latest",
                "Accept": "application/json", "Content-Type": "application/json"}

    # -------- raw calls
    def call(self, method: str, path: str, json=None, **kw) -> requests.Response:
        headers = {**self.headers(), **kw.pop("headers", {})}
        return self.session.request(method, self.base + path, json=json, headers=headers, timeout=15, **kw)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.call("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.call("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    def admin(self, method: str, path: str, json=None) -> requests.Response:
        return requests.request(method, f"{self.base}/_sim{path}", json=json, timeout=10)

    @contextlib.contextmanager
    def hold(self):
        """Operations started inside stay ``*_IN_PROGRESS`` until the block ends (``hold_operations``).

        A test that asserts an operation is in progress must not race the clock: the suite's
        operations last 0.1-0.3 s, and two requests on a loaded machine can take longer.
        """
        assert self.admin("PATCH", "/config", {"hold_operations": True}).status_code == 200
        try:
            yield self
        finally:
            assert self.admin("PATCH", "/config", {"hold_operations": False}).status_code == 200

    # -------- helpers
    def wait(self, path: str, done: Callable[[requests.Response], bool], timeout: float = 10.0) -> requests.Response:
        deadline = time.monotonic() + timeout
        while True:
            response = self.get(path)
            if done(response):
                return response
            if time.monotonic() > deadline:
                raise AssertionError(f"timeout waiting on {path}: {response.status_code} {response.text[:300]}")
            time.sleep(0.03)

    def wait_status(self, path: str, *statuses: str, timeout: float = 10.0) -> dict:
        response = self.wait(path, lambda r: r.status_code == 200 and r.json().get("status") in statuses,
                             timeout)
        return response.json()

    def wait_gone(self, path: str, timeout: float = 10.0) -> None:
        self.wait(path, lambda r: r.status_code == 404, timeout)

    def create_cluster(self, body: Optional[dict] = None, wait: bool = True) -> dict:
        body = body or cluster_body()
        response = self.post("/v1/clusters", body)
        assert response.status_code == 202, response.text
        uid = response.json()["uuid"]
        if wait:
            return self.wait_status(f"/v1/clusters/{uid}", "CREATE_COMPLETE")
        return {"uuid": uid, "name": body["name"]}

    def seed_legacy(self, body: Optional[dict] = None, created_at: str = "2023-01-16T00:00:00+00:00") -> dict:
        """A Flannel cluster created before 2023-03-31 (``POST /_sim/clusters/legacy``), as GET returns it."""
        response = self.admin("POST", "/clusters/legacy", {"cluster": body or cluster_body(),
                                                            "created_at": created_at})
        assert response.status_code == 200, response.text
        return self.get(f"/v1/clusters/{response.json()['uuid']}").json()

    def nodes(self, cluster: str, nodegroup: str) -> list:
        response = self.admin("GET", f"/clusters/{cluster}/nodegroups/{nodegroup}/nodes")
        assert response.status_code == 200, response.text
        return response.json()["nodes"]

    # -------- process
    def kill(self, sig=signal.SIGTERM) -> None:
        """Stop the process with ``sig`` (SIGKILL after 5 s)."""
        self.stop(sig, timeout=5)


_executable = default_command


def start_sim(workdir: Path, *args: str, time_scale: str = TIME_SCALE) -> Sim:
    """Start ``nks-simulator --port 0 --port-file ...`` in ``workdir`` and wait until it answers."""
    return Sim(workdir, ["--time-scale", time_scale, *args]).start()


@pytest.fixture(scope="session")
def sim(tmp_path_factory) -> Sim:
    """The shared simulator of the session."""
    instance = start_sim(tmp_path_factory.mktemp("sim"))
    yield instance
    instance.kill()


@pytest.fixture
def own_sim(tmp_path):
    """A private simulator for tests that change global state; extra CLI args via ``own_sim(...)``."""
    started = []

    def factory(*args: str, **kw) -> Sim:
        instance = start_sim(tmp_path / f"sim{len(started)}", *args, **kw)
        started.append(instance)
        return instance

    yield factory
    for instance in started:
        instance.kill(signal.SIGKILL)


@pytest.fixture
def guide_2025(sim):
    """The shared simulator serving the 2025-02 guide for one test (``api_guide``), then 2026-03 again."""
    assert sim.admin("PATCH", "/config", {"api_guide": "2025-02"}).status_code == 200
    yield sim
    assert sim.admin("PATCH", "/config", {"api_guide": "2026-03"}).status_code == 200


@pytest.fixture
def cluster(sim) -> dict:
    """A fresh CREATE_COMPLETE cluster on the shared simulator."""
    return sim.create_cluster()


#: An IP ACL request body of the guide's shape, for store-level tests.
ACL = {"enable": "true", "action": "ALLOW", "ipacl_targets": [{"cidr_address": "10.1.0.0/16"}]}


class Clock:
    """A virtual clock for an in-process ``Store``: operations finish when the test moves it."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now
