"""The guide's Cluster operations (``/v1/clusters...``, ``/v1/certificates/{id}``) and Magnum's
``/v1/clusters/detail``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import models as m
from .. import rules, views
from ..errors import ApiError, not_found
from . import addons
from .deps import Runtime, accepted, authed, base_url, json_response, project, runtime

router = APIRouter(tags=["cluster"])


@router.get("/v1/clusters", summary="List Clusters", response_model=None,
            responses={200: {"model": m.ClusterList}})
def list_clusters(request: Request, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Cluster > List Clusters."""
    # json_response: FastAPI's encoder would walk the plain dict again (docs/performance.md).
    sup, base, guide = rt.config.supported_versions, base_url(request), rt.config.api_guide
    return json_response({"clusters": [views.cluster_summary(c, base, sup, guide)
                                       for c in rt.store.list_clusters(project_id)]})


@router.get("/v1/clusters/detail", summary="List Clusters with details (Magnum route)",
            response_model=None, responses={200: {"model": m.ClusterDetailList}})
def list_clusters_detail(request: Request, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Magnum's ``GET /v1/clusters/detail`` (python-magnumclient ``detail=True``); the guide does
    not list it. Items are Get a Cluster bodies."""
    sup, base, guide = rt.config.supported_versions, base_url(request), rt.config.api_guide
    return json_response({"clusters": [views.cluster_detail(c, base, sup, guide)
                                       for c in rt.store.list_clusters(project_id, full=True)]})


@router.get("/v1/clusters/{cluster_id}", summary="Get a Cluster", response_model=None,
            responses={200: {"model": m.Cluster}})
def get_cluster(request: Request, cluster_id: str, project_id: str = Depends(project),
                rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Get a Cluster (by UUID or name; an ambiguous name is 409)."""
    return views.cluster_detail(rt.store.get_cluster(cluster_id, project_id), base_url(request),
                                rt.config.supported_versions, rt.config.api_guide)


def cluster_by_uuid(rt: Runtime, cluster_uuid: str, project_id: str) -> dict:
    """The events paths take ``CLUSTER_UUID`` only (the guide): a name is 404."""
    if not rules.is_dashed_uuid(cluster_uuid):
        raise not_found("Cluster", cluster_uuid)
    return rt.store.get_cluster(cluster_uuid, project_id)


@router.get("/v1/clusters/{cluster_uuid}/events", summary="View Task History List",
            response_model=None, responses={200: {"model": m.EventList}})
def list_events(cluster_uuid: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Cluster > View Task History List (cluster UUID only, a name is 404)."""
    return {"events": [views.event(e) for e in cluster_by_uuid(rt, cluster_uuid, project_id)["events"]]}


@router.get("/v1/clusters/{cluster_uuid}/events/{event_id}", summary="View Task History",
            response_model=None, responses={200: {"model": m.Event}})
def get_event(cluster_uuid: str, event_id: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Cluster > View Task History (one event; cluster UUID only)."""
    for ev in cluster_by_uuid(rt, cluster_uuid, project_id)["events"]:
        if ev["uuid"] == event_id:
            return views.event(ev)
    raise not_found("Event", event_id)


@router.post("/v1/clusters", summary="Create a Cluster", status_code=202, response_model=None,
             responses=accepted(m.UuidResponse))
def create_cluster(body: m.ClusterCreate, token: dict = Depends(authed), rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Create a Cluster. 202 ``{"uuid"}``; status ``CREATE_IN_PROGRESS``."""
    rt.check_keypair(body.keypair)
    return rt.store.create_cluster(addons.create_body(rt, body), token)  # addons: 2026-03 guide only


@router.patch("/v1/clusters/{cluster_id}", summary="Store Logs of Kubernetes Control Plane Components",
              status_code=202, response_model=None, responses=accepted(m.UuidResponse))
def patch_cluster(cluster_id: str, body: m.ClusterPatch, project_id: str = Depends(project),
                  rt: Runtime = Depends(runtime)):
    """Guide 2026-03: Cluster > Store Logs of Kubernetes Control Plane Components (``type:
    control_plane_log``). With the 2025-02 guide the path has no PATCH: 405, as before."""
    if not rt.config.guide_2026:
        raise ApiError(405, "Method Not Allowed", headers={"Allow": "DELETE, GET"})
    return rt.store.set_control_plane_log(cluster_id, body.model_dump(exclude_none=True), project_id)


@router.delete("/v1/clusters/{cluster_id}", summary="Delete a Cluster", status_code=204,
               response_class=Response)
def delete_cluster(cluster_id: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Delete a Cluster. 204; ``DELETE_IN_PROGRESS`` then 404."""
    rt.store.delete_cluster(cluster_id, project_id)
    return Response(status_code=204)


@router.post("/v1/clusters/{cluster_id}/actions/resize", summary="Resize", status_code=202,
             response_model=None, responses=accepted(m.UuidResponse))
def resize(cluster_id: str, body: m.ResizeRequest, project_id: str = Depends(project),
           rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Resize."""
    return rt.store.resize(cluster_id, body.model_dump(), project_id)


@router.get("/v1/clusters/{cluster_id}/config", summary="Get kubeconfig of a Cluster",
            response_model=None, responses={200: {"model": m.KubeconfigResponse}})
def kubeconfig(cluster_id: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Get kubeconfig of a Cluster (400 until the cluster is created)."""
    cluster = rt.store.get_cluster(cluster_id, project_id)
    if cluster["status"] in ("CREATE_IN_PROGRESS", "CREATE_FAILED"):
        raise ApiError(400, f"Cluster {cluster['uuid']} is in a wrong state ({cluster['status']}): "
                            "the kubeconfig is available once the cluster is created.")
    return {"config": views.kubeconfig(cluster)}


@router.post("/v1/clusters/{cluster_id}/actions/cni_update", summary="Change Cluster CNI",
             status_code=202, response_model=None, responses=accepted(m.UuidResponse))
def cni_update(cluster_id: str, body: m.CniUpdateRequest, project_id: str = Depends(project),
               rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Change Cluster CNI."""
    return rt.store.cni_update(cluster_id, body.model_dump(), project_id)


@router.post("/v1/clusters/{cluster_id}/api_ep_ipacl",
             summary="Enforce IP Access Control to Cluster API Endpoints", response_model=None,
             responses={200: {"model": m.UuidResponse}})
def set_ipacl(cluster_id: str, body: m.IpAclRequest, project_id: str = Depends(project),
              rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Enforce IP Access Control to Cluster API Endpoints (synchronous)."""
    data = body.model_dump(exclude_none=True)
    if body.ipacl_targets is not None:
        data["ipacl_targets"] = [t.model_dump(exclude_none=True) for t in body.ipacl_targets]
    return rt.store.set_acl(cluster_id, data, project_id)


@router.get("/v1/clusters/{cluster_id}/api_ep_ipacl",
            summary="Get Cluster API Endpoint IP Access Control", response_model=None,
            responses={200: {"model": m.IpAclResponse}})
def get_ipacl(cluster_id: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Get Cluster API Endpoint IP Access Control."""
    return views.acl(rt.store.get_cluster(cluster_id, project_id))


@router.patch("/v1/certificates/{cluster_id}", summary="Renew Cluster Certificate",
              status_code=202, response_model=None, responses=accepted(m.UuidResponse))
def renew_certificate(cluster_id: str, body: m.CertificateRequest, project_id: str = Depends(project),
                      rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Renew Cluster Certificate."""
    return rt.store.renew_certificate(cluster_id, body.model_dump(), project_id)


@router.post("/v1/clusters/{cluster_id}/actions/update_sgw", summary="Change Service Gateway",
             status_code=202, response_model=None, responses=accepted(m.UuidResponse))
def update_sgw(cluster_id: str, body: m.SgwRequest, project_id: str = Depends(project),
               rt: Runtime = Depends(runtime)):
    """Guide: Cluster > Change Service Gateway."""
    return rt.store.update_sgw(cluster_id, body.model_dump(), project_id)
