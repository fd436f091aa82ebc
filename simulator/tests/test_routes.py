"""The HTTP layer as a whole: the documented operations, and the List Clusters answers, in process."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from asgi_client import fast_app_and_headers, request
from conftest import GUIDE_NODEGROUP, cluster_body
from fastapi.encoders import jsonable_encoder

from nks_simulator import views
from nks_simulator.app import create_app
from nks_simulator.config import SimConfig

#: (method, path, summary, tags, operationId, response codes, parameter names) of every operation, as
#: ``/openapi.json`` documented them before the routes were split into modules (generated from main).
OPERATIONS = Path(__file__).with_name("openapi_operations.json")


def operations(schema: dict) -> list:
    """The rows of :data:`OPERATIONS` for an OpenAPI document, sorted by path then method."""
    rows = [{"method": method.upper(), "path": path, "summary": op.get("summary"), "tags": op.get("tags", []),
             "operationId": op.get("operationId"), "responses": sorted(op["responses"]),
             "parameters": sorted(p["name"] for p in op.get("parameters", []))}
            for path, ops in schema["paths"].items() for method, op in ops.items()]
    return sorted(rows, key=lambda row: (row["path"], row["method"]))


def test_openapi_documents_the_same_operations():
    app = create_app(SimConfig())
    status, _, body = request(app, "GET", "/openapi.json")
    assert status == 200
    want = json.loads(OPERATIONS.read_text())
    got = operations(json.loads(body))
    assert [(r["method"], r["path"]) for r in got] == [(r["method"], r["path"]) for r in want]
    assert got == want


@pytest.fixture(scope="module")
def filled():
    """An in-process app with three clusters (one with an extra node group) and a client's headers."""
    app, headers = fast_app_and_headers()
    uuids = []
    for _ in range(3):
        status, _, body = request(app, "POST", "/v1/clusters", cluster_body(), headers)
        assert status == 202, body
        uuids.append(json.loads(body)["uuid"])
    status, _, body = request(app, "POST", f"/v1/clusters/{uuids[0]}/nodegroups", GUIDE_NODEGROUP, headers)
    assert status == 202, body
    # Settled (no operation in progress), so that nothing changes between two reads of the store. The
    # operations take at most 10 s x time scale 0.001 = 10 ms; the 10 s limit is a 1,000x margin.
    deadline = time.monotonic() + 10
    while any(c["status"].endswith("IN_PROGRESS") or
              any(ng["status"].endswith("IN_PROGRESS") for ng in c["nodegroups"].values())
              for c in app.state.runtime.store.list_clusters(None)):
        assert time.monotonic() < deadline, "operations did not complete"
        time.sleep(0.01)
    return app, headers


@pytest.mark.parametrize("path, view, full", [("/v1/clusters", views.cluster_summary, False),
                                              ("/v1/clusters/detail", views.cluster_detail, True)])
def test_cluster_lists_answer_what_fastapi_would_encode(filled, path, view, full):
    """The lists skip FastAPI's encoder; the JSON is the same as the encoded views, with the usual headers."""
    app, headers = filled
    status, answer_headers, body = request(app, "GET", path, headers=headers)
    assert status == 200 and answer_headers["content-type"] == "application/json"
    assert answer_headers["x-openstack-request-id"].startswith("req-")
    assert int(answer_headers["content-length"]) == len(body)
    runtime = app.state.runtime
    project = runtime.config.tenant_id
    want = {"clusters": [view(c, "http://testserver", runtime.config.supported_versions, runtime.config.api_guide)
                         for c in runtime.store.list_clusters(project, full=full)]}
    got = json.loads(body)
    assert len(got["clusters"]) == 3
    assert got == json.loads(json.dumps(jsonable_encoder(want)))
