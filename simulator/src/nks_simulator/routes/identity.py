"""Identity and discovery: the NHN Cloud token API, Magnum's version documents and the
supported Kubernetes versions."""

from __future__ import annotations

import datetime

from fastapi import APIRouter, Depends, Request

from .. import models as m
from .. import views
from ..faults import MAX_VERSION, MIN_VERSION
from .deps import Runtime, authed, base_url, runtime

router = APIRouter()


def _stamp(epoch: float) -> str:
    """The identity API's time format, ``2026-11-30T09:00:00Z`` (UTC)."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _catalog(base: str, region: str) -> list:
    """The service catalog of a token: NKS as ``kubernetes`` and ``container-infra``, and identity."""
    def entry(kind: str, name: str, url: str) -> dict:
        return {"type": kind, "name": name, "endpoints_links": [],
                "endpoints": [{"region": region, "publicURL": url}]}
    return [entry("kubernetes", "kubernetes", base), entry("container-infra", "magnum", f"{base}/v1"),
            entry("identity", "keystone", f"{base}/v2.0")]


@router.post("/v2.0/tokens", tags=["identity"], response_model=None,
             responses={200: {"model": m.TokenResponse}, 400: {"model": m.KeystoneError},
                        401: {"model": m.KeystoneError}},
             summary="Issue a token (NHN Cloud identity, API v2.0)")
def issue_token(request: Request, body: m.TokenRequest, rt: Runtime = Depends(runtime)):
    """NKS_API_NOTES.md "Authentication": password credentials for a tenant."""
    auth = body.auth
    token = rt.store.issue_token(auth.tenantId, auth.passwordCredentials.username,
                                 auth.passwordCredentials.password)
    return {"access": {
        "token": {"id": token["id"], "expires": _stamp(token["expires"]), "issued_at": _stamp(token["issued_at"]),
                  "tenant": {"id": token["tenant_id"], "name": token["tenant_id"], "enabled": True,
                             "description": None, "project_domain": "NORMAL"}},
        "serviceCatalog": _catalog(base_url(request), rt.config.region),
        "user": {"id": token["user_id"], "username": token["username"], "name": token["username"],
                 "roles": [{"name": "_member_"}], "roles_links": []},
        "metadata": {"is_admin": 0, "roles": []},
    }}


def version_v1(base: str) -> dict:
    """Magnum's v1 version document (the guide does not list it): min/max microversion 1.1..1.10."""
    return {"id": "v1", "status": "CURRENT", "min_version": "%d.%d" % MIN_VERSION,
            "max_version": "%d.%d" % MAX_VERSION, "links": [{"href": f"{base}/v1/", "rel": "self"}],
            "media_types": [{"base": "application/json",
                             "type": "application/vnd.openstack.magnum.v1+json"}]}


@router.get("/", tags=["other"], summary="API versions (Magnum root; no token needed)")
def versions(request: Request):
    """Magnum's root document, which version discovery (keystoneauth, openstacksdk) reads."""
    return {"name": "OpenStack Magnum API", "versions": [version_v1(base_url(request))]}


@router.get("/v1", tags=["other"], summary="API version v1 (Magnum; no token needed)")
def version(request: Request):
    """Magnum's ``/v1`` document: id, status, min/max microversion (1.1..1.10)."""
    return version_v1(base_url(request))


@router.get("/v1/supports", tags=["other"], summary="See the Supported Kubernetes Versions", response_model=None,
            responses={200: {"model": m.SupportsResponse}})
def supports(token: dict = Depends(authed), rt: Runtime = Depends(runtime)):
    """Guide: Other Features > See the Supported Kubernetes Versions (and Task Types, 2026-03)."""
    return views.supports(rt.config)
