"""The guide's Node Group operations (``/v1/clusters/{cluster_id}/nodegroups...``) and Magnum's
``.../nodegroups/detail``. ``default-master`` is hidden from lists and 403 on its own (it is
reachable only through Upgrade a Cluster, where it means the control plane)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import models as m
from .. import views
from ..errors import ApiError
from .deps import Runtime, accepted, base_url, project, runtime

router = APIRouter(tags=["nodegroup"])
NODEGROUP = "/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}"


def visible_nodegroup(rt: Runtime, cluster_id: str, nodegroup_id: str, project_id: str) -> tuple:
    """``(cluster, node group)``; raises :class:`ApiError` 403 for ``default-master``, 404 when absent."""
    cluster, ng = rt.store.get_nodegroup(cluster_id, nodegroup_id, project_id)
    if ng["role"] == "master":
        raise ApiError(403, f"Access to the control plane node group {ng['name']} is not allowed.")
    return cluster, ng


def detail(request: Request, rt: Runtime, cluster: dict, ng: dict) -> dict:
    """A Get a Node Group body of ``ng`` (of ``cluster``)."""
    cfg = rt.config
    return views.nodegroup_detail(cluster, ng, base_url(request), cfg.supported_versions,
                                  cfg.max_nodes_per_nodegroup, cfg.api_guide)


def workers(cluster: dict) -> list:
    """The node groups a list shows: all but ``default-master``."""
    return [ng for ng in cluster["nodegroups"].values() if ng["role"] != "master"]


@router.get("/v1/clusters/{cluster_id}/nodegroups", summary="List Node Groups",
            response_model=None, responses={200: {"model": m.NodegroupList}})
def list_nodegroups(cluster_id: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Node Group > List Node Groups (``default-master`` is hidden)."""
    cluster = rt.store.get_cluster(cluster_id, project_id)
    quota = rt.config.max_nodes_per_nodegroup
    return {"nodegroups": [views.nodegroup_summary(ng, quota) for ng in workers(cluster)]}


@router.get("/v1/clusters/{cluster_id}/nodegroups/detail",
            summary="List Node Groups with details (Magnum route)", response_model=None,
            responses={200: {"model": m.NodegroupDetailList}})
def list_nodegroups_detail(request: Request, cluster_id: str, project_id: str = Depends(project),
                           rt: Runtime = Depends(runtime)):
    """Magnum's ``GET .../nodegroups/detail`` (python-magnumclient ``detail=True``); the guide does
    not list it. Items are Get a Node Group bodies; ``default-master`` is hidden."""
    cluster = rt.store.get_cluster(cluster_id, project_id)
    return {"nodegroups": [detail(request, rt, cluster, ng) for ng in workers(cluster)]}


@router.get(NODEGROUP, summary="Get a Node Group", response_model=None, responses={200: {"model": m.Nodegroup}})
def get_nodegroup(request: Request, cluster_id: str, nodegroup_id: str, project_id: str = Depends(project),
                  rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Get a Node Group (``default-master`` is 403)."""
    return detail(request, rt, *visible_nodegroup(rt, cluster_id, nodegroup_id, project_id))


@router.post("/v1/clusters/{cluster_id}/nodegroups", summary="Create a Node Group",
             status_code=202, response_model=None, responses=accepted(m.Nodegroup))
def create_nodegroup(request: Request, cluster_id: str, body: m.NodegroupCreate,
                     project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Create a Node Group. 202 with the node group."""
    ng = rt.store.create_nodegroup(cluster_id, body.model_dump(exclude_none=True), project_id)
    return detail(request, rt, rt.store.get_cluster(ng["cluster_id"], project_id), ng)


@router.delete(NODEGROUP, summary="Delete a Node Group", status_code=204, response_class=Response)
def delete_nodegroup(cluster_id: str, nodegroup_id: str, project_id: str = Depends(project),
                     rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Delete a Node Group (default node groups: 400)."""
    rt.store.delete_nodegroup(cluster_id, nodegroup_id, project_id)
    return Response(status_code=204)


@router.post(NODEGROUP + "/stop_node", summary="Stop a Node Group", status_code=202, response_model=None,
             responses=accepted(m.UuidResponse))
def stop_node(cluster_id: str, nodegroup_id: str, body: m.NodeListRequest, project_id: str = Depends(project),
              rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Stop a Node Group (nodes go SHUTOFF)."""
    return rt.store.node_action(cluster_id, nodegroup_id, body.model_dump(), project_id, stop=True)


@router.post(NODEGROUP + "/start_node", summary="Start a Node", status_code=202, response_model=None,
             responses=accepted(m.UuidResponse))
def start_node(cluster_id: str, nodegroup_id: str, body: m.NodeListRequest, project_id: str = Depends(project),
               rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Start a Node (nodes go ACTIVE)."""
    return rt.store.node_action(cluster_id, nodegroup_id, body.model_dump(), project_id, stop=False)


@router.get(NODEGROUP + "/autoscale", summary="View Autoscaler Configuration of a Node Group",
            response_model=None, responses={200: {"model": m.AutoscaleResponse}})
def get_autoscale(cluster_id: str, nodegroup_id: str, project_id: str = Depends(project),
                  rt: Runtime = Depends(runtime)):
    """Guide: Node Group > View Autoscaler Configuration of a Node Group."""
    return views.autoscale(visible_nodegroup(rt, cluster_id, nodegroup_id, project_id)[1],
                           rt.config.autoscale_values)


@router.post(NODEGROUP + "/autoscale", summary="Change Autoscaler Configuration of a Node Group",
             status_code=202, response_model=None, responses=accepted(m.UuidResponse))
def set_autoscale(cluster_id: str, nodegroup_id: str, body: m.AutoscaleRequest,
                  project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Change Autoscaler Configuration of a Node Group."""
    return rt.store.set_autoscale(cluster_id, nodegroup_id, body.model_dump(exclude_none=True), project_id)


@router.post(NODEGROUP + "/upgrade", summary="Upgrade a Cluster", status_code=202, response_model=None,
             responses=accepted(m.UuidResponse))
def upgrade(cluster_id: str, nodegroup_id: str, body: m.UpgradeRequest, project_id: str = Depends(project),
            rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Upgrade a Cluster (``default-master`` = control plane)."""
    return rt.store.upgrade(cluster_id, nodegroup_id, body.model_dump(), project_id)


@router.post(NODEGROUP + "/userscript", summary="Change User Script", status_code=202, response_model=None,
             responses=accepted(m.UuidResponse))
def userscript(cluster_id: str, nodegroup_id: str, body: m.UserscriptRequest,
               project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Change User Script."""
    return rt.store.update_userscript(cluster_id, nodegroup_id, body.model_dump(), project_id)


@router.patch(NODEGROUP, summary="Change Instance Flavor", status_code=202, response_model=None,
              responses=accepted(m.UuidResponse),
              description="Change Instance Flavor (type flavor_id); with the 2026-03 guide also Change Kubernetes "
                          "Label Configuration (k8s_node_labels), Change Floating IP Auto-assignment Configuration "
                          "(fip_auto_bind), Change Metric-Based Autoscaler Configuration (metric_base_autoscale) "
                          "of a Node Group.")
def patch_nodegroup(cluster_id: str, nodegroup_id: str, body: m.NodegroupPatch, project_id: str = Depends(project),
                    rt: Runtime = Depends(runtime)):
    """Guide: Node Group > Change Instance Flavor (``type: flavor_id``); 2026-03 guide also ``type``
    ``k8s_node_labels``, ``fip_auto_bind``, ``metric_base_autoscale``."""
    return rt.store.patch_nodegroup(cluster_id, nodegroup_id, body.model_dump(exclude_none=True), project_id)
