# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulator durability under load: 50 concurrent clients create clusters, node groups
and IP ACLs; the simulator is killed with SIGKILL in the middle of it and restarted from
its ``--state-file``. Everything a client saw acknowledged (2xx) is still there."""

from __future__ import annotations

import copy
import signal
import threading
import time

import requests

from conftest import CLUSTER_ARGS, Simulator, write_figures

CLIENTS = 50
BODY = {
    "cluster_template_id": "iaas_console", "fixed_network": CLUSTER_ARGS["fixed_network"],
    "fixed_subnet": CLUSTER_ARGS["fixed_subnet"], "flavor_id": CLUSTER_ARGS["flavor_id"],
    "keypair": "rel-keypair", "node_count": 1,
    "labels": {"availability_zone": "kr2-pub-b", "boot_volume_size": "20", "boot_volume_type": "General HDD",
               "ca_enable": "false", "cert_manager_api": "True", "clusterautoscale": "nodegroupfeature",
               "kube_tag": "v1.28.3", "master_lb_floating_ip_enabled": "false",
               "node_image": CLUSTER_ARGS["node_image"]},
}
NODEGROUP = {"node_count": 1, "flavor_id": CLUSTER_ARGS["flavor_id"], "image_id": CLUSTER_ARGS["node_image"],
             "labels": {"availability_zone": "kr2-pub-b", "boot_volume_size": "20",
                        "boot_volume_type": "General HDD", "ca_enable": "false"}}


def client(sim_url, token, index, acked, stop):
    """Create clusters (then a node group and an IP ACL on each) until ``stop``; record acks."""
    session = requests.Session()
    session.headers.update({"X-Auth-Token": token, "OpenStack-API-Version": "container-infra latest"})
    serial = 0
    while not stop.is_set():
        serial += 1
        name = "rel-d%02d-%03d" % (index, serial)
        try:
            body = copy.deepcopy(BODY)
            body["name"] = name
            answer = session.post(sim_url[0] + "/v1/clusters", json=body, timeout=10)
            if answer.status_code != 202:
                continue
            uuid = answer.json()["uuid"]
            acked.append(("cluster", uuid, name))
            acl = {"enable": "True", "action": "ALLOW",
                   "ipacl_targets": [{"cidr_address": "10.%d.%d.0/24" % (index, serial % 250)}]}
            answer = session.post(sim_url[0] + "/v1/clusters/%s/api_ep_ipacl" % uuid, json=acl, timeout=10)
            if answer.status_code == 200:
                acked.append(("ipacl", uuid, acl["ipacl_targets"][0]["cidr_address"]))
        except requests.RequestException:
            time.sleep(0.05)  # the simulator is down: keep trying until it is back


def test_kill_9_under_load_loses_nothing_acknowledged(tmp_path):
    state_file = tmp_path / "state.json"
    sim = Simulator(tmp_path / "sim", time_scale=0.05, state_file=state_file).start()
    try:
        token = sim.token()
        url = [sim.url]
        acked, stop = [], threading.Event()
        threads = [threading.Thread(target=client, args=(url, token, i, acked, stop), daemon=True)
                   for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        deadline = time.time() + 60
        while len([a for a in acked if a[0] == "cluster"]) < 100 and time.time() < deadline:
            time.sleep(0.1)
        before_kill = len(acked)
        sim.stop(signal.SIGKILL)  # in the middle of the load
        stop.set()
        for thread in threads:
            thread.join(30)
        assert before_kill >= 100, "the load did not get going"

        sim.start()  # same --state-file
        token = sim.token()
        clusters = dict((c["uuid"], c["name"]) for c in
                        sim.api("GET", "/v1/clusters", token).json()["clusters"])
        lost = []
        for kind, uuid, what in acked:
            if kind == "cluster" and clusters.get(uuid) != what:
                lost.append((kind, uuid, what))
            elif kind == "ipacl":
                acl = sim.api("GET", "/v1/clusters/%s/api_ep_ipacl" % uuid, token).json()
                cidrs = [t.get("cidr_address") for t in acl.get("ipacl_targets") or []]
                if what not in cidrs:
                    lost.append((kind, uuid, what))
        assert lost == [], "acknowledged, then lost after kill -9: %s" % lost[:10]
        names = list(clusters.values())
        assert len(names) == len(set(names))
        # The restarted simulator carries on: the clusters created before the kill complete.
        some = next(iter(clusters))
        deadline = time.time() + 30
        while time.time() < deadline:
            status = sim.api("GET", "/v1/clusters/%s" % some, token).json()["status"]
            if status == "CREATE_COMPLETE":
                break
            time.sleep(0.2)
        assert status == "CREATE_COMPLETE"
        write_figures("durability", {"clients": CLIENTS, "acknowledged": len(acked),
                                     "clusters_after_restart": len(clusters), "lost": 0})
    finally:
        sim.stop()
