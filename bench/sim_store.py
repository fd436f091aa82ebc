# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``make bench`` section ``store``: what a change and a list cost the simulator as its fleet grows.

Two simulators run side by side, one in memory and one with ``--state-file``
(SQLite, see simulator/src/nks_simulator/persistence.py). Both are filled to
100, 1,000 and 5,000 clusters (creates that complete at once: fast profile,
time scale 0.001); at each size, interleaved between the two, the benchmark
times over HTTP (one keep-alive session, the client's wall time per request):

* a change: ``POST /v1/clusters/{uuid}/api_ep_ipacl`` (applied synchronously;
  one cluster of the fleet, a different one each time) and a cluster create;
* a list: ``GET /v1/clusters`` of the whole fleet.

Medians are reported; the ratios 5,000 / 100 are computed within the run.

In-process, without HTTP (:func:`list_in_process`): the store's part of ``GET
/v1/clusters`` at 1,000 clusters, ``Store.list_clusters`` + ``views.cluster_summary``
+ ``json.dumps``, median of 10; ``python bench/sim_store.py [SIZE]`` prints it alone.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import statistics
import sys
import time

import requests

CLUSTER = {
    "cluster_template_id": "iaas_console", "create_timeout": 60, "keypair": "bench-keypair",
    "fixed_network": "eb212079-b6ec-430c-ba57-14280a457bcb",
    "fixed_subnet": "4fdf5b80-3d35-43f5-a5c1-010a3b6c8e90",
    "flavor_id": "6ef27f21-c774-4c0e-84ff-7dd4a762571f", "node_count": 1,
    "labels": {"availability_zone": "kr2-pub-b", "boot_volume_size": "20", "boot_volume_type": "General HDD",
               "cert_manager_api": "True", "kube_tag": "v1.28.3", "master_lb_floating_ip_enabled": "False",
               "node_image": "f462a2a5-ba24-46d6-b7a1-9a9febcd3cfc", "ca_enable": "false",
               "ca_max_node_count": "10", "ca_min_node_count": "1", "ca_scale_down_delay_after_add": "10",
               "ca_scale_down_enable": "true", "ca_scale_down_unneeded_time": "10",
               "ca_scale_down_util_thresh": "50", "clusterautoscale": "nodegroupfeature",
               "strict_sg_rules": "False", "user_script_v2": ""},
}
SIZES = (100, 1000, 5000)


class Client(object):
    """An authenticated keep-alive session against one simulator; ``timed`` returns (seconds, response)."""

    def __init__(self, sim):
        self.url = sim.url
        self.session = requests.Session()
        env = sim.env()
        answer = self.session.post(self.url + "/v2.0/tokens", json={"auth": {
            "tenantId": env["NHN_CLOUD_TENANT_ID"],
            "passwordCredentials": {"username": env["NHN_CLOUD_USERNAME"],
                                    "password": env["NHN_CLOUD_API_PASSWORD"]}}}, timeout=30)
        answer.raise_for_status()
        self.session.headers["X-Auth-Token"] = answer.json()["access"]["token"]["id"]
        self.uuids = []

    def timed(self, method, path, body=None):
        start = time.perf_counter()
        answer = self.session.request(method, self.url + path, json=body, timeout=120)
        elapsed = time.perf_counter() - start
        if answer.status_code >= 300:
            raise RuntimeError("%s %s: %d %s" % (method, path, answer.status_code, answer.text[:300]))
        return elapsed, answer

    def create(self, name):
        body = dict(CLUSTER, name=name)
        elapsed, answer = self.timed("POST", "/v1/clusters", body)
        self.uuids.append(answer.json()["uuid"])
        return elapsed

    def fill(self, size):
        while len(self.uuids) < size:
            self.create("store-%05d" % len(self.uuids))

    def change(self, index):
        uuid = self.uuids[(index * 7919) % len(self.uuids)]
        acl = {"enable": "true", "action": "ALLOW",
               "ipacl_targets": [{"cidr_address": "10.%d.%d.0/24" % (index // 250 % 250, index % 250)}]}
        return self.timed("POST", "/v1/clusters/%s/api_ep_ipacl" % uuid, acl)[0]


def measure(clients, size, changes, lists):
    """At ``size`` clusters: median seconds of a change, a create and a list for each client, interleaved."""
    samples = {label: {"change": [], "create": [], "list": []} for label in clients}
    for label, client in clients.items():
        client.fill(size)
    for i in range(changes):
        for label, client in clients.items():
            samples[label]["change"].append(client.change(size + i))
    for i in range(max(3, changes // 10)):
        for label, client in clients.items():
            samples[label]["create"].append(client.create("store-extra-%d-%d" % (size, i)))
    for dummy in range(lists):
        for label, client in clients.items():
            samples[label]["list"].append(client.timed("GET", "/v1/clusters")[0])
    return dict((label, dict((what, statistics.median(values)) for what, values in kinds.items()))
                for label, kinds in samples.items())


def list_in_process(size, repeats=10):
    """Seconds (medians of ``repeats``) of List Clusters at ``size`` clusters in-process, without HTTP:
    ``{"store": Store.list_clusters, "views": views.cluster_summary of each, "json": json.dumps,
    "total": the three}``. The clusters are created and completed with a fake clock."""
    from nks_simulator import models, views  # pylint: disable=import-outside-toplevel
    from nks_simulator.config import SimConfig  # pylint: disable=import-outside-toplevel
    from nks_simulator.state import Store  # pylint: disable=import-outside-toplevel
    now = [2.0e9]
    config = SimConfig()
    store = Store(config, clock=lambda: now[0])
    try:
        token = store.issue_token(config.tenant_id, config.username, config.api_password)
        for index in range(size):
            body = models.ClusterCreate.model_validate(dict(CLUSTER, name="store-%05d" % index))
            store.create_cluster(body.model_dump(exclude_none=True), token)
        now[0] += 3600.0  # every create completes
        samples = {"store": [], "views": [], "json": [], "total": []}
        for dummy in range(repeats):
            start = time.perf_counter()
            listed = store.list_clusters(config.tenant_id)
            viewed = time.perf_counter()
            body = {"clusters": [views.cluster_summary(c, "http://127.0.0.1:1", config.supported_versions)
                                 for c in listed]}
            dumped = time.perf_counter()
            json.dumps(body)
            end = time.perf_counter()
            for key, value in (("store", viewed - start), ("views", dumped - viewed), ("json", end - dumped),
                               ("total", end - start)):
                samples[key].append(value)
        return dict((key, statistics.median(values)) for key, values in samples.items())
    finally:
        store.close()


def section_store(work, simulator_class, quick=False):
    """The figures of the ``store`` section: ``{"sizes": [...], "rows": {size: {variant: medians}}}``."""
    sizes = (20, 60) if quick else SIZES
    args = ["--profile", "fast", "--time-scale", "0.001"]
    sims = {"memory": simulator_class(os.path.join(work, "sim-store-mem"), args),
            "state-file": simulator_class(os.path.join(work, "sim-store-db"), args, state=True)}
    try:
        clients = dict((label, Client(sim)) for label, sim in sims.items())
        rows = {}
        for size in sizes:
            print("bench: store at %d clusters" % size, flush=True)
            rows[size] = measure(clients, size, 20 if quick else 100, 3 if quick else 9)
    finally:
        for sim in sims.values():
            sim.stop()
    in_process_size = 60 if quick else 1000
    print("bench: store list in-process at %d clusters" % in_process_size, flush=True)
    return {"sizes": list(sizes), "rows": rows,
            "in_process": dict(list_in_process(in_process_size), size=in_process_size)}


def render_store(store):
    """Markdown table and targets of the ``store`` section."""
    sizes, rows = store["sizes"], store["rows"]
    lines = ["### Simulator: cost of a change and of a list as the fleet grows", "",
             "| clusters | state | change: set IP ACL (ms) | change: create (ms) | GET /v1/clusters (ms) |",
             "| ---: | --- | ---: | ---: | ---: |"]
    for size in sizes:
        for label in ("memory", "state-file"):
            row = rows[size][label]
            lines.append("| %d | %s | %.1f | %.1f | %.1f |"
                         % (size, label, row["change"] * 1e3, row["create"] * 1e3, row["list"] * 1e3))
    small, large = rows[sizes[0]]["state-file"], rows[sizes[-1]]["state-file"]
    ratio = large["change"] / small["change"]
    ratio_create = large["create"] / small["create"]
    list_1000 = rows.get(1000, {}).get("state-file", {}).get("list")
    lines += ["", "| target | figure | |", "| --- | --- | --- |",
              "| with --state-file, a change at %d clusters <= 2x one at %d | IP ACL %.2fx, create %.2fx | %s |"
              % (sizes[-1], sizes[0], ratio, ratio_create, "met" if max(ratio, ratio_create) <= 2 else "**not met**")]
    if list_1000 is not None:
        lines.append("| GET /v1/clusters of 1,000 clusters < 100 ms | %.0f ms | %s |"
                     % (list_1000 * 1e3, "met" if list_1000 < 0.1 else "**not met**"))
    inner = store.get("in_process")
    if inner:
        lines += ["", "In-process at %d clusters, without HTTP (median of 10): `Store.list_clusters` %.1f ms, "
                  "`views.cluster_summary` %.1f ms, `json.dumps` %.1f ms, total %.1f ms."
                  % (inner["size"], inner["store"] * 1e3, inner["views"] * 1e3, inner["json"] * 1e3,
                     inner["total"] * 1e3)]
    return "\n".join(lines + [""])


if __name__ == "__main__":
    FIGURES = list_in_process(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(" ".join("%s %.1f ms" % (key, value * 1e3) for key, value in FIGURES.items()))
