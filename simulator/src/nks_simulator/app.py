"""FastAPI application: identity, the guide's 25 ``/v1`` operations, ``/_sim/`` admin."""

from __future__ import annotations

import datetime
import time
from typing import Any, Dict, Optional

from fastapi import Body, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import models as m
from . import rules, views
from .config import CLUSTER_EVENTS, DURATION_KEYS, NODEGROUP_EVENTS, FailRule, SimConfig
from .errors import ApiError, AuthError, keystone_body, magnum_body, not_found
from .faults import MAX_VERSION, MIN_VERSION, FaultDice, RequestLog, SimMiddleware
from .state import Store

ERRORS = {code: {"model": m.ErrorResponse} for code in (400, 403, 404, 406, 409)}
ERRORS[401] = {"model": m.KeystoneError, "description": "Missing, bad or expired X-Auth-Token (Keystone shape)"}


class Runtime:
    """Everything the routes share: config, store, request log, fault dice."""

    def __init__(self, config: SimConfig, state_file: Optional[str] = None):
        self.startup_config = config.model_copy(deep=True)
        self.config = config
        self.store = Store(config, state_file)
        self.log = RequestLog()
        self.dice = FaultDice(config.seed)
        self.keypairs: Dict[str, dict] = {}
        self.app: Optional[FastAPI] = None

    def check_keypair(self, name: str) -> None:
        """The key pair race of nhn-field-behaviour.md N3: 403 "Unable to find keypair"
        for the first ``keypair_missing_creates`` creates naming ``name``, and for creates
        within ``keypair_missing_seconds`` of the first one naming it. Raises :class:`ApiError`."""
        seen = self.keypairs.setdefault(name, {"first": time.monotonic(), "creates": 0})
        seen["creates"] += 1
        cfg = self.config
        young = time.monotonic() - seen["first"] < cfg.keypair_missing_seconds
        if seen["creates"] <= cfg.keypair_missing_creates or young:
            raise ApiError(403, f"Unable to find keypair {name}.")

    def routes(self):
        return self.app.router.routes if self.app else []

    def draw_faults(self) -> tuple:
        cfg = self.config
        return self.dice.draw(cfg.error_rate, cfg.drop_rate, cfg.error_codes)

    def set_config(self, config: SimConfig, reseed: bool = False) -> None:
        self.config = config
        self.store.config = config
        if reseed:
            self.dice = FaultDice(config.seed)

    def reset(self) -> None:
        self.set_config(self.startup_config.model_copy(deep=True), reseed=True)
        self.store.reset()
        self.log.clear()
        self.keypairs.clear()


def document_errors(app: FastAPI) -> None:
    """Make ``/openapi.json`` document the errors really returned (simulator-vs-guide.md
    O1-O6): Magnum-shaped 400/403/404/406/409 and Keystone-shaped 401 on ``/v1`` only, no
    422 (validation errors are 400), ``X-Auth-Token`` required on ``/v1``."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path, operations in schema["paths"].items():
            v1 = path.startswith("/v1")
            dropped = ["422"] if v1 else ["403", "404", "406", "409", "422"]
            for operation in operations.values():
                for code in dropped + (["400", "401"] if path.startswith("/_sim") else []):
                    operation["responses"].pop(code, None)
                for param in operation.get("parameters", []):
                    if param["name"] == "x-auth-token" and v1:
                        param.update(required=True, schema={"type": "string"})
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        return schema

    app.openapi = openapi


def _request_id(request: Request) -> str:
    return request.scope.get("state", {}).get("request_id", "")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def create_app(config: Optional[SimConfig] = None, state_file: Optional[str] = None) -> FastAPI:
    """Build the simulator app (identity + NKS ``/v1`` + ``/_sim``) around a fresh :class:`Runtime`."""
    runtime = Runtime(config or SimConfig(), state_file)
    app = FastAPI(
        title="NKS API simulator",
        responses=ERRORS,
        redirect_slashes=False,
        version="0.1.0",
        description="Local simulator of the NHN Kubernetes Service (NKS) API v2 and of the "
                    "NHN Cloud identity token API. See docs/simulator.md.",
    )
    app.state.runtime = runtime
    runtime.app = app
    store = runtime.store

    # ------------------------------------------------------------ error handlers
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return JSONResponse(magnum_body(exc.status, exc.detail, _request_id(request)), exc.status, exc.headers)

    @app.exception_handler(AuthError)
    async def _auth_error(request: Request, exc: AuthError):
        return JSONResponse(keystone_body(exc.status, exc.message), exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            problems.append(f"{loc or 'body'}: {err.get('msg')}")
        detail = "Invalid input: " + "; ".join(problems)
        if request.url.path.startswith("/v2.0"):
            return JSONResponse(keystone_body(400, detail), 400)
        return JSONResponse(magnum_body(400, detail, _request_id(request)), 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return JSONResponse(magnum_body(exc.status_code, detail, _request_id(request)), exc.status_code,
                            getattr(exc, "headers", None))

    # ------------------------------------------------------------ identity
    @app.post("/v2.0/tokens", tags=["identity"], response_model=None,
              responses={200: {"model": m.TokenResponse}, 400: {"model": m.KeystoneError},
                         401: {"model": m.KeystoneError}},
              summary="Issue a token (NHN Cloud identity, API v2.0)")
    def issue_token(request: Request, body: m.TokenRequest):
        """NKS_API_NOTES.md "Authentication": password credentials for a tenant."""
        auth = body.auth
        token = store.issue_token(auth.tenantId, auth.passwordCredentials.username, auth.passwordCredentials.password)
        base = _base(request)
        cfg = runtime.config
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        stamp = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(fmt)  # noqa: E731
        return {"access": {
            "token": {"id": token["id"], "expires": stamp(token["expires"]), "issued_at": stamp(token["issued_at"]),
                      "tenant": {"id": token["tenant_id"], "name": token["tenant_id"], "enabled": True,
                                 "description": None, "project_domain": "NORMAL"}},
            "serviceCatalog": [
                {"type": "kubernetes", "name": "kubernetes", "endpoints_links": [],
                 "endpoints": [{"region": cfg.region, "publicURL": base}]},
                {"type": "container-infra", "name": "magnum", "endpoints_links": [],
                 "endpoints": [{"region": cfg.region, "publicURL": f"{base}/v1"}]},
                {"type": "identity", "name": "keystone", "endpoints_links": [],
                 "endpoints": [{"region": cfg.region, "publicURL": f"{base}/v2.0"}]},
            ],
            "user": {"id": token["user_id"], "username": token["username"], "name": token["username"],
                     "roles": [{"name": "_member_"}], "roles_links": []},
            "metadata": {"is_admin": 0, "roles": []},
        }}

    # ------------------------------------------------------------ NKS /v1
    def authed(request: Request,
               x_auth_token: Optional[str] = Header(None, description="Token ID (tokenId); required"),
               openstack_api_version: Optional[str] = Header(
                   None, description="container-infra latest (or container-infra 1.N)")) -> dict:
        return store.check_token(x_auth_token)

    def project(token: dict = Depends(authed)) -> str:
        return token["tenant_id"]

    # -------- version documents (Magnum's; the guide does not list them)
    def version_v1(base: str) -> dict:
        return {"id": "v1", "status": "CURRENT", "min_version": "%d.%d" % MIN_VERSION,
                "max_version": "%d.%d" % MAX_VERSION, "links": [{"href": f"{base}/v1/", "rel": "self"}],
                "media_types": [{"base": "application/json",
                                 "type": "application/vnd.openstack.magnum.v1+json"}]}

    @app.get("/", tags=["other"], summary="API versions (Magnum root; no token needed)")
    def versions(request: Request):
        """Magnum's root document, which version discovery (keystoneauth, openstacksdk) reads."""
        return {"name": "OpenStack Magnum API", "versions": [version_v1(_base(request))]}

    @app.get("/v1", tags=["other"], summary="API version v1 (Magnum; no token needed)")
    def version(request: Request):
        """Magnum's ``/v1`` document: id, status, min/max microversion (1.1..1.10)."""
        return version_v1(_base(request))

    # -------- clusters
    @app.get("/v1/clusters", tags=["cluster"], summary="List Clusters", response_model=None,
            responses={200: {"model": m.ClusterList}})
    def list_clusters(request: Request, project_id: str = Depends(project)):
        """Guide: Cluster > List Clusters."""
        sup = runtime.config.supported_versions
        # JSONResponse: FastAPI would encode the plain dict again (3x slower at 1,000 clusters, docs/performance.md).
        return JSONResponse({"clusters": [views.cluster_summary(c, _base(request), sup)
                                          for c in store.list_clusters(project_id)]})

    @app.get("/v1/clusters/detail", tags=["cluster"], summary="List Clusters with details (Magnum route)",
            response_model=None, responses={200: {"model": m.ClusterDetailList}})
    def list_clusters_detail(request: Request, project_id: str = Depends(project)):
        """Magnum's ``GET /v1/clusters/detail`` (python-magnumclient ``detail=True``); the guide does
        not list it. Items are Get a Cluster bodies."""
        sup = runtime.config.supported_versions
        return {"clusters": [views.cluster_detail(c, _base(request), sup)
                             for c in store.list_clusters(project_id, full=True)]}

    @app.get("/v1/clusters/{cluster_id}", tags=["cluster"], summary="Get a Cluster", response_model=None,
            responses={200: {"model": m.Cluster}})
    def get_cluster(request: Request, cluster_id: str, project_id: str = Depends(project)):
        """Guide: Cluster > Get a Cluster (by UUID or name; an ambiguous name is 409)."""
        return views.cluster_detail(store.get_cluster(cluster_id, project_id), _base(request),
                                    runtime.config.supported_versions)

    def cluster_by_uuid(cluster_uuid: str, project_id: str) -> dict:
        """The events paths take ``CLUSTER_UUID`` only (the guide): a name is 404."""
        if not rules.is_dashed_uuid(cluster_uuid):
            raise not_found("Cluster", cluster_uuid)
        return store.get_cluster(cluster_uuid, project_id)

    @app.get("/v1/clusters/{cluster_uuid}/events", tags=["cluster"], summary="View Task History List",
            response_model=None, responses={200: {"model": m.EventList}})
    def list_events(cluster_uuid: str, project_id: str = Depends(project)):
        """Guide: Cluster > View Task History List (cluster UUID only, a name is 404)."""
        return {"events": [views.event(e) for e in cluster_by_uuid(cluster_uuid, project_id)["events"]]}

    @app.get("/v1/clusters/{cluster_uuid}/events/{event_id}", tags=["cluster"], summary="View Task History",
            response_model=None, responses={200: {"model": m.Event}})
    def get_event(cluster_uuid: str, event_id: str, project_id: str = Depends(project)):
        """Guide: Cluster > View Task History (one event; cluster UUID only)."""
        for ev in cluster_by_uuid(cluster_uuid, project_id)["events"]:
            if ev["uuid"] == event_id:
                return views.event(ev)
        raise not_found("Event", event_id)

    @app.post("/v1/clusters", tags=["cluster"], summary="Create a Cluster", status_code=202, response_model=None,
             responses={202: {"model": m.UuidResponse}})
    def create_cluster(body: m.ClusterCreate, token: dict = Depends(authed)):
        """Guide: Cluster > Create a Cluster. 202 ``{"uuid"}``; status ``CREATE_IN_PROGRESS``."""
        runtime.check_keypair(body.keypair)
        return store.create_cluster(body.model_dump(exclude_none=True), token)

    @app.delete("/v1/clusters/{cluster_id}", tags=["cluster"], summary="Delete a Cluster", status_code=204,
               response_class=Response)
    def delete_cluster(cluster_id: str, project_id: str = Depends(project)):
        """Guide: Cluster > Delete a Cluster. 204; ``DELETE_IN_PROGRESS`` then 404."""
        store.delete_cluster(cluster_id, project_id)
        return Response(status_code=204)

    @app.post("/v1/clusters/{cluster_id}/actions/resize", tags=["cluster"], summary="Resize", status_code=202,
             response_model=None, responses={202: {"model": m.UuidResponse}})
    def resize(cluster_id: str, body: m.ResizeRequest, project_id: str = Depends(project)):
        """Guide: Cluster > Resize."""
        return store.resize(cluster_id, body.model_dump(), project_id)

    @app.get("/v1/clusters/{cluster_id}/config", tags=["cluster"], summary="Get kubeconfig of a Cluster",
            response_model=None, responses={200: {"model": m.KubeconfigResponse}})
    def kubeconfig(cluster_id: str, project_id: str = Depends(project)):
        """Guide: Cluster > Get kubeconfig of a Cluster (400 until the cluster is created)."""
        cluster = store.get_cluster(cluster_id, project_id)
        if cluster["status"] in ("CREATE_IN_PROGRESS", "CREATE_FAILED"):
            raise ApiError(400, f"Cluster {cluster['uuid']} is in a wrong state ({cluster['status']}): "
                                "the kubeconfig is available once the cluster is created.")
        return {"config": views.kubeconfig(cluster)}

    @app.post("/v1/clusters/{cluster_id}/actions/cni_update", tags=["cluster"], summary="Change Cluster CNI",
             status_code=202, response_model=None, responses={202: {"model": m.UuidResponse}})
    def cni_update(cluster_id: str, body: m.CniUpdateRequest, project_id: str = Depends(project)):
        """Guide: Cluster > Change Cluster CNI."""
        return store.cni_update(cluster_id, body.model_dump(), project_id)

    @app.post("/v1/clusters/{cluster_id}/api_ep_ipacl", tags=["cluster"],
             summary="Enforce IP Access Control to Cluster API Endpoints", response_model=None,
             responses={200: {"model": m.UuidResponse}})
    def set_ipacl(cluster_id: str, body: m.IpAclRequest, project_id: str = Depends(project)):
        """Guide: Cluster > Enforce IP Access Control to Cluster API Endpoints (synchronous)."""
        data = body.model_dump(exclude_none=True)
        if body.ipacl_targets is not None:
            data["ipacl_targets"] = [t.model_dump(exclude_none=True) for t in body.ipacl_targets]
        return store.set_acl(cluster_id, data, project_id)

    @app.get("/v1/clusters/{cluster_id}/api_ep_ipacl", tags=["cluster"],
            summary="Get Cluster API Endpoint IP Access Control", response_model=None,
            responses={200: {"model": m.IpAclResponse}})
    def get_ipacl(cluster_id: str, project_id: str = Depends(project)):
        """Guide: Cluster > Get Cluster API Endpoint IP Access Control."""
        return views.acl(store.get_cluster(cluster_id, project_id))

    @app.patch("/v1/certificates/{cluster_id}", tags=["cluster"], summary="Renew Cluster Certificate",
              status_code=202, response_model=None, responses={202: {"model": m.UuidResponse}})
    def renew_certificate(cluster_id: str, body: m.CertificateRequest, project_id: str = Depends(project)):
        """Guide: Cluster > Renew Cluster Certificate."""
        return store.renew_certificate(cluster_id, body.model_dump(), project_id)

    @app.post("/v1/clusters/{cluster_id}/actions/update_sgw", tags=["cluster"], summary="Change Service Gateway",
             status_code=202, response_model=None, responses={202: {"model": m.UuidResponse}})
    def update_sgw(cluster_id: str, body: m.SgwRequest, project_id: str = Depends(project)):
        """Guide: Cluster > Change Service Gateway."""
        return store.update_sgw(cluster_id, body.model_dump(), project_id)

    # -------- node groups
    quota = lambda: runtime.config.max_nodes_per_nodegroup  # noqa: E731

    @app.get("/v1/clusters/{cluster_id}/nodegroups", tags=["nodegroup"], summary="List Node Groups",
            response_model=None, responses={200: {"model": m.NodegroupList}})
    def list_nodegroups(cluster_id: str, project_id: str = Depends(project)):
        """Guide: Node Group > List Node Groups (``default-master`` is hidden)."""
        cluster = store.get_cluster(cluster_id, project_id)
        return {"nodegroups": [views.nodegroup_summary(ng, quota()) for ng in cluster["nodegroups"].values()
                               if ng["role"] != "master"]}

    @app.get("/v1/clusters/{cluster_id}/nodegroups/detail", tags=["nodegroup"],
            summary="List Node Groups with details (Magnum route)", response_model=None,
            responses={200: {"model": m.NodegroupDetailList}})
    def list_nodegroups_detail(request: Request, cluster_id: str, project_id: str = Depends(project)):
        """Magnum's ``GET .../nodegroups/detail`` (python-magnumclient ``detail=True``); the guide does
        not list it. Items are Get a Node Group bodies; ``default-master`` is hidden."""
        cluster = store.get_cluster(cluster_id, project_id)
        sup = runtime.config.supported_versions
        return {"nodegroups": [views.nodegroup_detail(cluster, ng, _base(request), sup, quota())
                               for ng in cluster["nodegroups"].values() if ng["role"] != "master"]}

    def visible_nodegroup(cluster_id: str, nodegroup_id: str, project_id: str) -> tuple:
        cluster, ng = store.get_nodegroup(cluster_id, nodegroup_id, project_id)
        if ng["role"] == "master":
            raise ApiError(403, f"Access to the control plane node group {ng['name']} is not allowed.")
        return cluster, ng

    @app.get("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}", tags=["nodegroup"], summary="Get a Node Group",
            response_model=None, responses={200: {"model": m.Nodegroup}})
    def get_nodegroup(request: Request, cluster_id: str, nodegroup_id: str, project_id: str = Depends(project)):
        """Guide: Node Group > Get a Node Group (``default-master`` is 403)."""
        cluster, ng = visible_nodegroup(cluster_id, nodegroup_id, project_id)
        return views.nodegroup_detail(cluster, ng, _base(request), runtime.config.supported_versions, quota())

    @app.post("/v1/clusters/{cluster_id}/nodegroups", tags=["nodegroup"], summary="Create a Node Group",
             status_code=202, response_model=None, responses={202: {"model": m.Nodegroup}})
    def create_nodegroup(request: Request, cluster_id: str, body: m.NodegroupCreate,
                         project_id: str = Depends(project)):
        """Guide: Node Group > Create a Node Group. 202 with the node group."""
        ng = store.create_nodegroup(cluster_id, body.model_dump(exclude_none=True), project_id)
        cluster = store.get_cluster(ng["cluster_id"], project_id)
        return views.nodegroup_detail(cluster, ng, _base(request), runtime.config.supported_versions, quota())

    @app.delete("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}", tags=["nodegroup"],
               summary="Delete a Node Group", status_code=204, response_class=Response)
    def delete_nodegroup(cluster_id: str, nodegroup_id: str, project_id: str = Depends(project)):
        """Guide: Node Group > Delete a Node Group (default node groups: 400)."""
        store.delete_nodegroup(cluster_id, nodegroup_id, project_id)
        return Response(status_code=204)

    @app.post("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}/stop_node", tags=["nodegroup"],
             summary="Stop a Node Group", status_code=202, response_model=None,
             responses={202: {"model": m.UuidResponse}})
    def stop_node(cluster_id: str, nodegroup_id: str, body: m.NodeListRequest, project_id: str = Depends(project)):
        """Guide: Node Group > Stop a Node Group (nodes go SHUTOFF)."""
        return store.node_action(cluster_id, nodegroup_id, body.model_dump(), project_id, stop=True)

    @app.post("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}/start_node", tags=["nodegroup"],
             summary="Start a Node", status_code=202, response_model=None,
             responses={202: {"model": m.UuidResponse}})
    def start_node(cluster_id: str, nodegroup_id: str, body: m.NodeListRequest, project_id: str = Depends(project)):
        """Guide: Node Group > Start a Node (nodes go ACTIVE)."""
        return store.node_action(cluster_id, nodegroup_id, body.model_dump(), project_id, stop=False)

    @app.get("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}/autoscale", tags=["nodegroup"],
            summary="View Autoscaler Configuration of a Node Group", response_model=None,
            responses={200: {"model": m.AutoscaleResponse}})
    def get_autoscale(cluster_id: str, nodegroup_id: str, project_id: str = Depends(project)):
        """Guide: Node Group > View Autoscaler Configuration of a Node Group."""
        return views.autoscale(visible_nodegroup(cluster_id, nodegroup_id, project_id)[1],
                               runtime.config.autoscale_values)

    @app.post("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}/autoscale", tags=["nodegroup"],
             summary="Change Autoscaler Configuration of a Node Group", status_code=202, response_model=None,
             responses={202: {"model": m.UuidResponse}})
    def set_autoscale(cluster_id: str, nodegroup_id: str, body: m.AutoscaleRequest,
                      project_id: str = Depends(project)):
        """Guide: Node Group > Change Autoscaler Configuration of a Node Group."""
        return store.set_autoscale(cluster_id, nodegroup_id, body.model_dump(exclude_none=True), project_id)

    @app.post("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}/upgrade", tags=["nodegroup"],
             summary="Upgrade a Cluster", status_code=202, response_model=None,
             responses={202: {"model": m.UuidResponse}})
    def upgrade(cluster_id: str, nodegroup_id: str, body: m.UpgradeRequest, project_id: str = Depends(project)):
        """Guide: Node Group > Upgrade a Cluster (``default-master`` = control plane)."""
        return store.upgrade(cluster_id, nodegroup_id, body.model_dump(), project_id)

    @app.post("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}/userscript", tags=["nodegroup"],
             summary="Change User Script", status_code=202, response_model=None,
             responses={202: {"model": m.UuidResponse}})
    def userscript(cluster_id: str, nodegroup_id: str, body: m.UserscriptRequest,
                   project_id: str = Depends(project)):
        """Guide: Node Group > Change User Script."""
        return store.update_userscript(cluster_id, nodegroup_id, body.model_dump(), project_id)

    @app.patch("/v1/clusters/{cluster_id}/nodegroups/{nodegroup_id}", tags=["nodegroup"],
              summary="Change Instance Flavor", status_code=202, response_model=None,
              responses={202: {"model": m.UuidResponse}})
    def update_flavor(cluster_id: str, nodegroup_id: str, body: m.FlavorRequest, project_id: str = Depends(project)):
        """Guide: Node Group > Change Instance Flavor."""
        return store.update_flavor(cluster_id, nodegroup_id, body.model_dump(), project_id)

    # -------- other
    @app.get("/v1/supports", tags=["other"], summary="See the Supported Kubernetes Versions", response_model=None,
            responses={200: {"model": m.SupportsResponse}})
    def supports(token: dict = Depends(authed)):
        """Guide: Other Features > See the Supported Kubernetes Versions."""
        return {"supported_k8s": dict(runtime.config.supported_versions),
                "supported_event_type": {"cluster_events": dict(CLUSTER_EVENTS),
                                         "nodegroup_events": dict(NODEGROUP_EVENTS)}}

    # ------------------------------------------------------------ /_sim admin
    @app.get("/_sim/health", tags=["simulator"], summary="Simulator liveness")
    def health():
        return {"status": "ok"}

    @app.get("/_sim/requests", tags=["simulator"], summary="Request log of identity and /v1 calls")
    def requests_log(since: int = Query(0, ge=0)):
        return {"requests": runtime.log.since(since)}

    @app.delete("/_sim/requests", tags=["simulator"], summary="Clear the request log and counters")
    def clear_requests():
        runtime.log.clear()
        return {"status": "ok"}

    @app.get("/_sim/stats", tags=["simulator"], summary="Request counters")
    def stats():
        return runtime.log.stats()

    @app.post("/_sim/reset", tags=["simulator"], summary="Clear all state back to a fresh start")
    def reset():
        runtime.reset()
        return {"status": "ok"}

    def config_view() -> dict:
        data = runtime.config.model_dump()
        data["fail_next"] = store.read(lambda s: s["fail_next"])
        data["durations_effective"] = {k: runtime.config.duration(k) for k in DURATION_KEYS}
        return data

    @app.get("/_sim/config", tags=["simulator"], summary="Current runtime configuration")
    def get_config():
        return config_view()

    @app.patch("/_sim/config", tags=["simulator"], summary="Change runtime configuration (fault knobs, timing, quotas)")
    def patch_config(patch: Dict[str, Any] = Body(...)):
        rules_in = patch.pop("fail_next", None) or []
        patch.pop("durations_effective", None)
        merged = runtime.config.model_dump()
        if "durations" in patch and isinstance(patch["durations"], dict):
            patch["durations"] = {**merged["durations"], **patch["durations"]}
        merged.update(patch)
        merged["fail_next"] = []
        try:
            new = SimConfig.model_validate(merged)
            fail_rules = [FailRule.model_validate(r) for r in rules_in]
        except Exception as exc:  # pydantic.ValidationError
            raise ApiError(400, f"Invalid simulator configuration: {exc}") from None
        runtime.set_config(new, reseed="seed" in patch)
        for rule in fail_rules:
            store.add_fail_rule(rule.model_dump())
        return config_view()

    @app.post("/_sim/tokens/expire", tags=["simulator"], summary="Expire every issued token now")
    def expire_tokens():
        return {"expired": store.expire_tokens()}

    @app.post("/_sim/faults/fail-next", tags=["simulator"], summary="Make the next operation(s) of a type fail")
    def fail_next(body: m.FailNextRequest):
        try:
            rule = FailRule.model_validate(body.model_dump())
        except Exception as exc:  # pydantic.ValidationError
            raise ApiError(400, str(exc)) from None
        return {"fail_next": store.add_fail_rule(rule.model_dump())}

    @app.get("/_sim/faults/fail-next", tags=["simulator"], summary="Armed fail-next rules")
    def list_fail_next():
        return {"fail_next": store.read(lambda s: s["fail_next"])}

    @app.delete("/_sim/faults/fail-next", tags=["simulator"], summary="Disarm every fail-next rule")
    def clear_fail_next():
        def clear():
            store.state["fail_next"] = []
            return []
        store.mutate(clear)
        return {"fail_next": []}

    @app.post("/_sim/clusters/legacy", tags=["simulator"], summary="Seed a cluster created before 2023-03-31 "
              "(Flannel by default; the only way to get a Flannel cluster)")
    def seed_legacy(body: m.LegacyClusterRequest):
        try:
            created = datetime.datetime.fromisoformat(body.created_at).timestamp()
        except ValueError:
            raise ApiError(400, f"created_at '{body.created_at}' is not an ISO 8601 time.") from None
        try:
            request = m.ClusterCreate.model_validate(body.cluster).model_dump(exclude_none=True)
        except ValidationError as exc:
            raise ApiError(400, f"Invalid input: {exc}") from None
        cfg = runtime.config
        token = {"tenant_id": cfg.tenant_id, "user_id": store.user_id(cfg.username)}
        return store.seed_legacy_cluster(request, token, created)

    @app.get("/_sim/clusters/{cluster_id}/nodegroups/{nodegroup_id}/nodes", tags=["simulator"], summary="Node instances of a node group")
    def nodes(cluster_id: str, nodegroup_id: str):
        _, ng = store.get_nodegroup(cluster_id, nodegroup_id)
        return {"nodes": [dict(n) for n in ng["nodes"]]}

    app.add_middleware(SimMiddleware, runtime=runtime)
    document_errors(app)
    return app
