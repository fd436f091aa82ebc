#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of runme.sh against the simulator (NKS_SIM_URL and NHN_CLOUD_* as scripts/with-simulator.sh sets them).

    python sim.py pdb-create CLUSTER NAME     a PodDisruptionBudget default/NAME (maxUnavailable 0, app=NAME)
                                              in the cluster's Kubernetes API, through its kubeconfig
    python sim.py pdb-delete CLUSTER NAME     delete it
    python sim.py api-down CLUSTER            the cluster's Kubernetes API answers 503 (POST /_sim/clusters/{id}/health);
                                              exit 3 when the simulator has no such knob
    python sim.py upgrades SINCE              JSON {cluster name: number of accepted upgrade requests} since SINCE
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request

import requests
import yaml


def _call(method, path, token=None, body=None):
    request = urllib.request.Request(os.environ["NKS_SIM_URL"] + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
        request.add_header("OpenStack-API-Version", "container-infra latest")
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def _token():
    body = {"auth": {"tenantId": os.environ["NHN_CLOUD_TENANT_ID"],
                     "passwordCredentials": {"username": os.environ["NHN_CLOUD_USERNAME"],
                                             "password": os.environ["NHN_CLOUD_API_PASSWORD"]}}}
    return _call("POST", "/v2.0/tokens", body=body)["access"]["token"]["id"]


def _uuids(token):
    return dict((c["name"], c["uuid"]) for c in _call("GET", "/v1/clusters", token)["clusters"])


def _kube(token, name, method, path, body=None):
    uuid = _uuids(token)[name]
    doc = yaml.safe_load(_call("GET", "/v1/clusters/%s/config" % uuid, token)["config"])
    cluster, user = doc["clusters"][0]["cluster"], doc["users"][0]["user"]
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for key, data in (("ca", cluster["certificate-authority-data"]), ("crt", user["client-certificate-data"]),
                          ("key", user["client-key-data"])):
            files[key] = os.path.join(tmp, key)
            with open(files[key], "wb") as handle:
                handle.write(base64.b64decode(data))
        answer = requests.request(method, cluster["server"] + path, json=body, verify=files["ca"],
                                  cert=(files["crt"], files["key"]), timeout=30)
    if answer.status_code >= 300:
        sys.exit("%s %s: %s %s" % (method, path, answer.status_code, answer.text))


def main(argv):
    command = argv[1]
    if command == "upgrades":
        log = _call("GET", "/_sim/requests?since=%d" % int(argv[2]))["requests"]
        names = dict((v, k) for k, v in _uuids(_token()).items())
        counts = {}
        for entry in log:
            if entry["method"] == "POST" and entry["path"].endswith("/upgrade") and entry.get("status") in (200, 202):
                uuid = entry["path"].split("/")[3]
                counts[names.get(uuid, uuid)] = counts.get(names.get(uuid, uuid), 0) + 1
        print(json.dumps(counts, sort_keys=True))
        return
    token = _token()
    name = argv[2]
    if command == "pdb-create":
        body = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": argv[3]},
                "spec": {"maxUnavailable": 0, "selector": {"matchLabels": {"app": argv[3]}}}}
        _kube(token, name, "POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", body)
    elif command == "pdb-delete":
        _kube(token, name, "DELETE", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/" + argv[3])
    elif command == "api-down":
        try:
            _call("POST", "/_sim/clusters/%s/health" % _uuids(token)[name], body={"kube_api": "503"})
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 405):
                sys.exit(3)
            raise
    else:
        sys.exit("unknown command %s" % command)


if __name__ == "__main__":
    main(sys.argv)
