"""Identity: POST /v2.0/tokens, 401 shapes, token expiry."""

from __future__ import annotations

import re
import time

import requests


def test_token_shape(sim):
    response = sim.login()
    assert response.status_code == 200
    access = response.json()["access"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", access["token"]["expires"])
    assert access["token"]["tenant"]["id"] == "nks-sim-tenant"
    assert access["user"]["name"] == "operator@nks-sim.local"
    kube = [s for s in access["serviceCatalog"] if s["type"] == "kubernetes"][0]
    assert kube["endpoints"][0]["publicURL"] == sim.base and kube["endpoints"][0]["region"]


def test_wrong_credentials_401(sim):
    for args in (("nks-sim-tenant", "operator@nks-sim.local", "wrong"), ("other", "operator@nks-sim.local", "nks-sim-password"),
                 ("nks-sim-tenant", "x@nks.local", "nks-sim-password")):
        response = sim.login(*args)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == 401 and response.json()["error"]["title"] == "Unauthorized"


def test_malformed_token_request_400(sim):
    response = requests.post(f"{sim.base}/v2.0/tokens", json={"auth": {}}, timeout=5)
    assert response.status_code == 400 and "error" in response.json()


def test_unknown_token_401_on_every_nks_call(sim):
    for path in ("/v1/clusters", "/v1/supports"):
        response = requests.get(sim.base + path, headers={"X-Auth-Token": "nope"}, timeout=5)
        assert response.status_code == 401 and response.json()["error"]["code"] == 401
    assert requests.get(sim.base + "/v1/clusters", timeout=5).status_code == 401


def test_short_ttl_expires(own_sim):
    sim = own_sim("--token-ttl", "0.5")
    assert sim.get("/v1/clusters").status_code == 200
    time.sleep(0.6)
    assert sim.get("/v1/clusters").status_code == 401
    sim.token = None
    assert sim.get("/v1/clusters").status_code == 200


def test_sim_tokens_expire(own_sim):
    sim = own_sim("--tenant-id", "t1", "--username", "u@x", "--api-password", "pw")
    assert sim.login().status_code == 401
    token = sim.login("t1", "u@x", "pw").json()["access"]["token"]["id"]
    headers = {"X-Auth-Token": token}
    assert requests.get(sim.base + "/v1/clusters", headers=headers, timeout=5).status_code == 200
    assert sim.admin("POST", "/tokens/expire").status_code == 200
    assert requests.get(sim.base + "/v1/clusters", headers=headers, timeout=5).status_code == 401
