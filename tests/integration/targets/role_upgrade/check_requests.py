# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Assertions of the upgrade acceptance test on the simulator's request log and state.

Usage (NKS_SIM_URL and the NHN_CLOUD_* credentials in the environment, as
scripts/with-simulator.sh sets them):

    python check_requests.py mark
        print the sequence number of the last logged request
    python check_requests.py fail-next OPERATION REASON
        make the next operation of that event type fail (POST /_sim/faults/fail-next)
    python check_requests.py config JSON
        change the simulator's runtime configuration (PATCH /_sim/config)
    python check_requests.py check SINCE EXPECT_JSON
        check the requests logged after SINCE against EXPECT_JSON, a dict of:
          "mutations": "none"        no mutating request at all
          "upgrades": {cluster name: [node group names]}
                                     the exact order of the Upgrade a Cluster
                                     requests (POST .../nodegroups/{ng}/upgrade)
                                     per cluster, each answered 202; a cluster
                                     listed with [] got none
          "only_upgrades": true      no mutating request but those upgrades (and
                                     the add-on updates of "addon_updates")
          "addon_updates": {cluster name: [add-on names]}
                                     the exact order of the Update Add-ons
                                     requests (PATCH .../addons/{name}), each
                                     answered 202 (or 200)
          "addons_valid": [cluster names]
                                     every add-on installed on the cluster is at
                                     an offered version whose Kubernetes range
                                     holds the control plane's version, settled
                                     (*_COMPLETE), and every mandatory add-on type
                                     is installed
          "identity": N              exactly N token requests (POST /v2.0/tokens)
          "final": {cluster name: version}
                                     the control plane and every worker node
                                     group of the cluster are on the version now

The log does not hold request bodies; the versions of the steps follow from the
order: the simulator refuses (400) anything but a one-minor step, a worker above
the control plane, and a control plane step before every worker caught up, so
N accepted control plane upgrades between the start and "final" versions are N
one-minor steps. Exit code 1 with the differences on stderr when a check fails.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import urllib.request


def _call(method, path, token=None, body=None):
    """One JSON request to the simulator; returns the decoded answer (None when empty)."""
    url = os.environ["NKS_SIM_URL"] + path
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
        request.add_header("OpenStack-API-Version", "container-infra latest")
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def _token():
    """A token for the credentials in NHN_CLOUD_TENANT_ID/USERNAME/API_PASSWORD."""
    body = {"auth": {"tenantId": os.environ["NHN_CLOUD_TENANT_ID"],
                     "passwordCredentials": {"username": os.environ["NHN_CLOUD_USERNAME"],
                                             "password": os.environ["NHN_CLOUD_API_PASSWORD"]}}}
    return _call("POST", "/v2.0/tokens", body=body)["access"]["token"]["id"]


def _log(since):
    return _call("GET", "/_sim/requests?since=%d" % since)["requests"]


def _names(token):
    """{cluster uuid or name: (cluster name, {node group uuid or name: node group name})}."""
    result = {}
    for cluster in _call("GET", "/v1/clusters", token)["clusters"]:
        groups = {"default-master": "default-master"}
        for group in _call("GET", "/v1/clusters/%s/nodegroups" % cluster["uuid"], token)["nodegroups"]:
            groups[group["uuid"]] = groups[group["name"]] = group["name"]
        result[cluster["uuid"]] = result[cluster["name"]] = (cluster["name"], groups)
    return result


def _version(text):
    return tuple(int(n) for n in text.lstrip("v").split("-")[0].split("."))


def _addons_invalid(token, cluster):
    """What is wrong with the add-ons of ``cluster`` for its control plane's version (empty when nothing)."""
    kube = _version(_call("GET", "/v1/clusters/%s" % cluster, token)["labels"]["kube_tag"])
    offered = dict(((a["name"], a["version"]), a) for a in _call("GET", "/v1/addons", token)["addons"])
    mandatory = set(t["name"] for t in _call("GET", "/v1/addon_types", token)["addon_types"] if t["mandatory"])
    installed = _call("GET", "/v1/clusters/%s/addons" % cluster, token)["addons"]
    errors = []
    for addon in installed:
        entry = offered.get((addon["name"], addon["version"]))
        low = entry and entry.get("k8s_min_version")
        high = entry and entry.get("k8s_max_version")
        if entry is None or (low and kube < _version(low)) or (high and kube > _version(high)):
            errors.append("%s: add-on %s %s does not run on %s" % (cluster, addon["name"], addon["version"], kube))
        if not addon["status"].endswith("_COMPLETE"):
            errors.append("%s: add-on %s is %s" % (cluster, addon["name"], addon["status"]))
    missing = mandatory - set(a["type"] for a in installed)
    if missing:
        errors.append("%s: no add-on of the mandatory type(s) %s" % (cluster, ", ".join(sorted(missing))))
    return errors


def check(since, expect):
    """Return the list of failed expectations (empty when all hold)."""
    errors = []
    entries = _log(since)
    mutations = [e for e in entries if e["kind"] == "mutate"]
    if expect.get("mutations") == "none" and mutations:
        errors.append("mutating requests: %s" % ["%s %s" % (e["method"], e["path"]) for e in mutations])
    identity = [e for e in entries if e["kind"] == "identity"]
    if "identity" in expect and len(identity) != expect["identity"]:
        errors.append("%d token requests, expected %d" % (len(identity), expect["identity"]))
    token = _token()
    names = _names(token)
    upgrades, addon_updates = {}, {}
    for entry in mutations:
        parts = entry["path"].strip("/").split("/")
        if len(parts) == 6 and parts[:2] == ["v1", "clusters"] and parts[3] == "nodegroups" and parts[5] == "upgrade":
            cluster, groups = names.get(parts[2], (parts[2], {}))
            upgrades.setdefault(cluster, []).append(groups.get(parts[4], parts[4]))
            if entry["status"] != 202:
                errors.append("%s %s answered %s" % (entry["method"], entry["path"], entry["status"]))
        elif (len(parts) == 5 and parts[:2] == ["v1", "clusters"] and parts[3] == "addons"
              and entry["method"] == "PATCH" and "addon_updates" in expect):
            addon_updates.setdefault(names.get(parts[2], (parts[2], {}))[0], []).append(parts[4])
            if entry["status"] not in (200, 202):
                errors.append("%s %s answered %s" % (entry["method"], entry["path"], entry["status"]))
        elif expect.get("only_upgrades"):
            errors.append("unexpected mutating request %s %s" % (entry["method"], entry["path"]))
    for cluster, order in sorted(expect.get("upgrades", {}).items()):
        if upgrades.get(cluster, []) != order:
            errors.append("upgrade requests of %s: %s, expected %s" % (cluster, upgrades.get(cluster, []), order))
    for cluster, order in sorted(expect.get("addon_updates", {}).items()):
        if addon_updates.get(cluster, []) != order:
            errors.append("add-on updates of %s: %s, expected %s" % (cluster, addon_updates.get(cluster, []), order))
    for cluster in expect.get("addons_valid", []):
        errors += _addons_invalid(token, names[cluster][0])
    for cluster, version in sorted(expect.get("final", {}).items()):
        detail = _call("GET", "/v1/clusters/%s" % names[cluster][0], token)
        found = {"default-master": detail["labels"]["kube_tag"]}
        for group in _call("GET", "/v1/clusters/%s/nodegroups" % detail["uuid"], token)["nodegroups"]:
            one = _call("GET", "/v1/clusters/%s/nodegroups/%s" % (detail["uuid"], group["uuid"]), token)
            found[group["name"]] = one["labels"]["kube_tag"]
        if set(found.values()) != {version}:
            errors.append("%s is not all on %s: %s" % (cluster, version, found))
    return errors


def main(argv):
    """Command line entry point; see the module docstring."""
    if len(argv) == 2 and argv[1] == "mark":
        print(max([e["seq"] for e in _log(0)] or [0]))
        return 0
    if len(argv) == 4 and argv[1] == "fail-next":
        _call("POST", "/_sim/faults/fail-next", body={"operation": argv[2], "reason": argv[3], "count": 1})
        return 0
    if len(argv) == 3 and argv[1] == "config":
        _call("PATCH", "/_sim/config", body=json.loads(argv[2]))
        return 0
    if len(argv) == 4 and argv[1] == "check":
        errors = check(int(argv[2]), json.loads(argv[3]))
        for error in errors:
            print("check_requests: %s" % error, file=sys.stderr)
        return 1 if errors else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
