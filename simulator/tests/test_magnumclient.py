"""Real clients nobody here wrote, against the simulator (issue 11, item 5):
python-magnumclient 5.0.0 and openstacksdk's container_infrastructure_management proxy.

Both authenticate with a token from the simulator's identity endpoint
(``POST /v2.0/tokens``) through keystoneauth1's token-endpoint (``admin_token``) plugin.
"""

from __future__ import annotations

import pytest

magnumclient = pytest.importorskip("magnumclient.v1.client")
exceptions = pytest.importorskip("magnumclient.exceptions")
ksa_session = pytest.importorskip("keystoneauth1.session")
token_endpoint = pytest.importorskip("keystoneauth1.token_endpoint")


def magnum(sim, api_version="latest"):
    """A magnumclient on the simulator's ``/v1`` (what a Magnum catalog entry points at)."""
    token = sim.headers()["X-Auth-Token"]
    session = ksa_session.Session(auth=token_endpoint.Token(f"{sim.base}/v1", token))
    return magnumclient.Client(session=session, endpoint_override=f"{sim.base}/v1", api_version=api_version)


def test_magnumclient_lists_and_gets_clusters(sim, cluster):
    client = magnum(sim)
    listed = {c.uuid: c for c in client.clusters.list()}
    assert listed[cluster["uuid"]].name == cluster["name"]
    assert listed[cluster["uuid"]].status == "CREATE_COMPLETE"
    by_name = client.clusters.get(cluster["name"])
    assert by_name.uuid == cluster["uuid"] and by_name.node_count == 1
    assert by_name.labels["kube_tag"] == cluster["labels"]["kube_tag"]
    detailed = {c.uuid: c for c in client.clusters.list(detail=True)}
    assert detailed[cluster["uuid"]].api_address == cluster["api_address"]


def test_magnumclient_lists_and_gets_nodegroups(sim, cluster):
    client = magnum(sim)
    groups = client.nodegroups.list(cluster["uuid"])
    assert [g.name for g in groups] == ["default-worker"]
    worker = client.nodegroups.get(cluster["uuid"], "default-worker")
    assert worker.uuid == groups[0].uuid and worker.node_count == 1 and worker.role == "worker"
    assert worker.max_node_count is None  # autoscaler off, as in the guide's example
    assert [g.labels["kube_tag"] for g in client.nodegroups.list(cluster["name"], detail=True)] == [
        cluster["labels"]["kube_tag"]]
    with pytest.raises(exceptions.Forbidden):
        client.nodegroups.get(cluster["uuid"], "default-master")


def test_magnumclient_reads_errors(sim, cluster):
    client = magnum(sim)
    with pytest.raises(exceptions.NotFound):
        client.clusters.get("no-such-cluster")
    with pytest.raises(exceptions.BadRequest) as refused:
        client.nodegroups.delete(cluster["uuid"], "default-worker")
    assert refused.value.details == "Deleting the last nodegroup is not supported."  # Magnum "detail"


def test_magnumclient_without_version_header_gets_406_on_nodegroups(sim, cluster):
    client = magnum(sim, api_version=None)  # sends no OpenStack-API-Version header
    assert client.clusters.get(cluster["uuid"]).uuid == cluster["uuid"]
    with pytest.raises(exceptions.NotAcceptable):
        client.nodegroups.list(cluster["uuid"])


def test_openstacksdk_lists_and_gets_clusters(sim, cluster):
    openstack = pytest.importorskip("openstack")
    token = sim.headers()["X-Auth-Token"]
    conn = openstack.connection.Connection(
        auth_type="admin_token", auth={"token": token, "endpoint": f"{sim.base}/v1"},
        container_infrastructure_management_endpoint_override=f"{sim.base}/v1")
    proxy = conn.container_infrastructure_management  # discovers the version at GET /v1
    listed = {c.id: c for c in proxy.clusters()}
    assert listed[cluster["uuid"]].name == cluster["name"]
    got = proxy.get_cluster(cluster["uuid"])
    assert got.status == "CREATE_COMPLETE" and got.labels["kube_tag"] == cluster["labels"]["kube_tag"]
    assert proxy.find_cluster(cluster["name"]).name == cluster["name"]
    # openstacksdk 4.22 has no node group resource: plain REST through the proxy's adapter
    path = f"/clusters/{cluster['uuid']}/nodegroups"
    assert proxy.get(path).status_code == 406  # no OpenStack-API-Version header, as on NKS
    answer = proxy.get(path, headers={"OpenStack-API-Version": "container-infra latest"})
    assert [g["name"] for g in answer.json()["nodegroups"]] == ["default-worker"]


def test_version_documents(sim):
    root = sim.session.get(f"{sim.base}/", timeout=10).json()
    assert root["versions"][0]["id"] == "v1"
    v1 = sim.session.get(f"{sim.base}/v1", timeout=10).json()
    assert (v1["min_version"], v1["max_version"], v1["status"]) == ("1.1", "1.10", "CURRENT")


def test_clients_find_nks_in_the_service_catalog(sim, cluster):
    """keystoneauth1's v2 password plugin against the simulator's identity endpoint; both
    clients find NKS as ``container-infra`` in the token's service catalog (N21)."""
    from keystoneauth1.identity import v2
    from nks_simulator.config import SimConfig

    defaults = SimConfig()  # the simulator's default credentials
    auth = v2.Password(auth_url=f"{sim.base}/v2.0", username=defaults.username,
                       password=defaults.api_password, tenant_id=defaults.tenant_id)
    session = ksa_session.Session(auth=auth)
    client = magnumclient.Client(session=session, api_version="latest", region_name=defaults.region)
    assert cluster["uuid"] in {c.uuid for c in client.clusters.list()}
    openstack = pytest.importorskip("openstack")
    conn = openstack.connection.Connection(session=session, region_name=defaults.region)
    assert cluster["uuid"] in {c.id for c in conn.container_infrastructure_management.clusters()}
