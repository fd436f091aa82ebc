"""The guide's Add-on Management operations (API guide 2026-03): add-on types, offered add-ons,
the add-ons installed on a cluster and their install, update and removal.

The guide writes the collection paths with a trailing slash (``GET /v1/addon_types/``,
``POST /v1/clusters/{id}/addons/``); both spellings are served.  When the simulator runs the
2025-02 guide (``api_guide``), every path here answers 404 as an unknown path does.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from .. import addon_catalogue as catalogue
from .. import models as m
from ..errors import ApiError, not_found
from ..store.schema import iso
from .deps import Runtime, accepted, project, runtime

CLUSTER_ADDONS = "/v1/clusters/{cluster_id}/addons"


def guide_2026(rt: Runtime) -> None:
    """404 (as an unknown path) unless the simulator runs the 2026-03 guide."""
    if getattr(rt.config, "api_guide", "2026-03") < "2026-03":
        raise ApiError(404, "Not Found")


async def only_2026(rt: Runtime = Depends(runtime)) -> None:
    """Router dependency, before authentication: :func:`guide_2026`."""
    guide_2026(rt)


router = APIRouter(tags=["addon"], dependencies=[Depends(only_2026)])


def create_body(rt: Runtime, body: m.ClusterCreate) -> dict:
    """Create a Cluster's request as a dict.  With the 2025-02 guide, whose API has no ``addons``,
    the field is an unknown attribute: dropped, or 400 with ``reject_unknown_attributes``."""
    data = body.model_dump(exclude_none=True)
    if "addons" in data and getattr(rt.config, "api_guide", "2026-03") < "2026-03":
        if rt.config.reject_unknown_attributes:
            raise ApiError(400, "Invalid input: body: Value error, Unknown attribute(s): addons")
        data.pop("addons")
    return data


def installed_view(cluster: dict, record: dict) -> dict:
    """View Add-ons Installed on a Cluster: the stored ``record`` of ``cluster``, guide shape."""
    return {"uuid": record["uuid"], "project_id": cluster["project_id"], "cluster_uuid": cluster["uuid"],
            "cluster_name": cluster["name"], "type": record["type"], "version": record["version"],
            "options": dict(record["options"]), "name": record["name"], "status": record["status"],
            "status_reason": record["status_reason"], "scope": record["scope"],
            "target_uuid": record["target_uuid"], "created_at": iso(record["created_at"]),
            "updated_at": iso(record["updated_at"])}


@router.get("/v1/addon_types/", summary="View a List of Add-ons Types Offered by NHN Cloud", response_model=None,
            responses={200: {"model": m.AddonTypeList}})
@router.get("/v1/addon_types", include_in_schema=False)
def list_addon_types(_project: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > View a List of Add-ons Types Offered by NHN Cloud."""
    return {"addon_types": [dict(t) for t in catalogue.ADDON_TYPES]}


@router.get("/v1/addon_types/{addon_type}", summary="View the Types of Add-ons Offered by NHN Cloud",
            response_model=None, responses={200: {"model": m.AddonType}})
def get_addon_type(addon_type: str, _project: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > View the Types of Add-ons Offered by NHN Cloud (UUID or name)."""
    found = catalogue.addon_type(addon_type)
    if found is None:
        raise not_found("Addon type", addon_type)
    return dict(found)


@router.get("/v1/addons/", summary="View a List of Add-ons Offered by NHN Cloud", response_model=None,
            responses={200: {"model": m.OfferedAddonList}})
@router.get("/v1/addons", include_in_schema=False)
def list_offered(_project: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > View a List of Add-ons Offered by NHN Cloud."""
    return {"addons": [dict(a) for a in catalogue.ADDONS]}


@router.get("/v1/addons/{addon_uuid}", summary="View Add-ons Offered by NHN Cloud", response_model=None,
            responses={200: {"model": m.OfferedAddon}})
def get_offered(addon_uuid: str, _project: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > View Add-ons Offered by NHN Cloud (by UUID only, as the guide)."""
    found = catalogue.offered(addon_uuid)
    if found is None:
        raise not_found("Addon", addon_uuid)
    return dict(found)


@router.get(CLUSTER_ADDONS + "/", summary="View a List of Add-ons Installed on a Cluster", response_model=None,
            responses={200: {"model": m.InstalledAddonList}})
@router.get(CLUSTER_ADDONS, include_in_schema=False)
def list_installed(cluster_id: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > View a List of Add-ons Installed on a Cluster."""
    cluster, records = rt.store.list_addons(cluster_id, project_id)
    return {"addons": [installed_view(cluster, r) for r in records]}


@router.get(CLUSTER_ADDONS + "/{addon_id}", summary="View Add-ons Installed on a Cluster", response_model=None,
            responses={200: {"model": m.InstalledAddon}})
def get_installed(cluster_id: str, addon_id: str, project_id: str = Depends(project),
                  rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > View Add-ons Installed on a Cluster (add-on UUID or name; 404 when
    not installed)."""
    cluster, record = rt.store.get_addon(cluster_id, addon_id, project_id)
    return installed_view(cluster, record)


@router.post(CLUSTER_ADDONS + "/", summary="Install Add-ons on a Cluster", status_code=202, response_model=None,
             responses=accepted(m.UuidResponse))
@router.post(CLUSTER_ADDONS, status_code=202, include_in_schema=False)
def install(cluster_id: str, body: m.AddonInstall, project_id: str = Depends(project),
            rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > Install Add-ons on a Cluster. 202 ``{"uuid": cluster UUID}``."""
    return rt.store.install_addon(cluster_id, body.model_dump(exclude_none=True), project_id)


@router.patch(CLUSTER_ADDONS + "/{addon_id}", summary="Update Add-ons to a cluster", status_code=202,
              response_model=None, responses=accepted(m.UuidResponse))
def update(cluster_id: str, addon_id: str, body: m.AddonUpdate, project_id: str = Depends(project),
           rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > Update Add-ons to a cluster. 202 ``{"uuid": cluster UUID}``."""
    return rt.store.update_addon(cluster_id, addon_id, body.model_dump(exclude_none=True), project_id)


@router.delete(CLUSTER_ADDONS + "/{addon_id}", summary="Remove Add-ons from a cluster", status_code=202,
               response_model=None, responses=accepted(m.UuidResponse))
def remove(cluster_id: str, addon_id: str, project_id: str = Depends(project), rt: Runtime = Depends(runtime)):
    """Guide: Add-on Management > Remove Add-ons from a cluster. 202 ``{"uuid": cluster UUID}``."""
    return rt.store.remove_addon(cluster_id, addon_id, project_id)

