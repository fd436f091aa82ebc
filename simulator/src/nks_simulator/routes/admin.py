"""The simulator's own ``/_sim/`` API (not NKS): health, request log and counters, reset,
runtime configuration, token expiry, fail-next faults, legacy clusters and node instances,
a cluster's health (Kubernetes API down, nodes NotReady) and time passing.
Never logged nor faulted by the middleware; no token needed (docs/simulator.md)."""

from __future__ import annotations

import datetime
from typing import Any, Dict, Optional

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, Field, ValidationError

from .. import models as m
from ..config import DURATION_KEYS, FailRule, SimConfig
from ..errors import ApiError
from ..store.clusters import health_knobs
from .deps import Runtime, runtime

router = APIRouter(tags=["simulator"])
OK = {"status": "ok"}


@router.get("/_sim/health", summary="Simulator liveness")
def health():
    """Always ``{"status": "ok"}`` while the process serves (the launchers wait for it)."""
    return dict(OK)


@router.get("/_sim/requests", summary="Request log of identity and /v1 calls")
def requests_log(since: int = Query(0, ge=0), rt: Runtime = Depends(runtime)):
    """The request log after sequence number ``since``:
    ``{"requests": [{seq, time, method, path, route, status, kind, fault}]}``."""
    return {"requests": rt.log.since(since)}


@router.delete("/_sim/requests", summary="Clear the request log and counters")
def clear_requests(rt: Runtime = Depends(runtime)):
    """Empty the request log and the counters."""
    rt.log.clear()
    return dict(OK)


@router.get("/_sim/stats", summary="Request counters")
def stats(rt: Runtime = Depends(runtime)):
    """Counters: ``totals`` by kind (identity, read, mutate) and ``by_route`` (method, route, status, count)."""
    return rt.log.stats()


@router.post("/_sim/reset", summary="Clear all state back to a fresh start")
def reset(rt: Runtime = Depends(runtime)):
    """Back to the startup configuration with no clusters, tokens, log or fail-next rules."""
    rt.reset()
    return dict(OK)


def config_view(rt: Runtime) -> dict:
    """``GET /_sim/config``: the configuration, the armed fail-next rules and the effective durations."""
    data = rt.config.model_dump()
    data["fail_next"] = rt.store.read(lambda s: s["fail_next"])
    data["durations_effective"] = {k: rt.config.duration(k) for k in DURATION_KEYS}
    return data


def merged_config(current: SimConfig, patch: Dict[str, Any]) -> SimConfig:
    """``current`` with ``patch`` applied (``durations`` merged key by key); raises pydantic's
    ``ValidationError`` when the result is not a valid :class:`SimConfig`."""
    merged = current.model_dump()
    if "durations" in patch and isinstance(patch["durations"], dict):
        patch["durations"] = {**merged["durations"], **patch["durations"]}
    merged.update(patch)
    merged["fail_next"] = []
    return SimConfig.model_validate(merged)


@router.get("/_sim/config", summary="Current runtime configuration")
def get_config(rt: Runtime = Depends(runtime)):
    """The runtime configuration (:func:`config_view`)."""
    return config_view(rt)


@router.patch("/_sim/config", summary="Change runtime configuration (fault knobs, timing, quotas)")
def patch_config(patch: Dict[str, Any] = Body(...), rt: Runtime = Depends(runtime)):
    """Merge ``patch`` into the configuration (400 when the result is invalid); ``fail_next`` rules are armed."""
    rules_in = patch.pop("fail_next", None) or []
    patch.pop("durations_effective", None)
    try:
        new = merged_config(rt.config, patch)
        fail_rules = [FailRule.model_validate(r) for r in rules_in]
    except Exception as exc:  # pydantic.ValidationError
        raise ApiError(400, f"Invalid simulator configuration: {exc}") from None
    rt.set_config(new, reseed="seed" in patch)
    for rule in fail_rules:
        rt.store.add_fail_rule(rule.model_dump())
    return config_view(rt)


@router.post("/_sim/tokens/expire", summary="Expire every issued token now")
def expire_tokens(rt: Runtime = Depends(runtime)):
    """Expire every issued token: ``{"expired": n}``; the next ``/v1`` call with one is 401."""
    return {"expired": rt.store.expire_tokens()}


@router.post("/_sim/faults/fail-next", summary="Make the next operation(s) of a type fail")
def fail_next(body: m.FailNextRequest, rt: Runtime = Depends(runtime)):
    """Arm a rule: the next ``count`` operations of type ``operation`` (e.g. CLUSTER_CREATE) fail; 400 for an unknown type."""
    try:
        rule = FailRule.model_validate(body.model_dump())
    except Exception as exc:  # pydantic.ValidationError
        raise ApiError(400, str(exc)) from None
    return {"fail_next": rt.store.add_fail_rule(rule.model_dump())}


@router.get("/_sim/faults/fail-next", summary="Armed fail-next rules")
def list_fail_next(rt: Runtime = Depends(runtime)):
    """The armed fail-next rules."""
    return {"fail_next": rt.store.read(lambda s: s["fail_next"])}


@router.delete("/_sim/faults/fail-next", summary="Disarm every fail-next rule")
def clear_fail_next(rt: Runtime = Depends(runtime)):
    """Disarm every fail-next rule."""
    def clear():
        rt.store.state["fail_next"] = []
        return []
    rt.store.mutate(clear)
    return {"fail_next": []}


@router.post("/_sim/clusters/legacy", summary="Seed a cluster created before 2023-03-31 "
             "(Flannel by default; the only way to get a Flannel cluster)")
def seed_legacy(body: m.LegacyClusterRequest, rt: Runtime = Depends(runtime)):
    """Seed a cluster created at ``created_at`` (before 2023-03-31: Flannel); 400 for a bad time or body."""
    try:
        created = datetime.datetime.fromisoformat(body.created_at).timestamp()
    except ValueError:
        raise ApiError(400, f"created_at '{body.created_at}' is not an ISO 8601 time.") from None
    try:
        request = m.ClusterCreate.model_validate(body.cluster).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise ApiError(400, f"Invalid input: {exc}") from None
    cfg = rt.config
    token = {"tenant_id": cfg.tenant_id, "user_id": rt.store.user_id(cfg.username)}
    return rt.store.seed_legacy_cluster(request, token, created, nks_registry=body.nks_registry)


@router.patch("/_sim/clusters/{cluster_id}/addon_settings",
              summary="Enable/disable a cluster's NKS registry; forget its installed add-ons")
def addon_settings(cluster_id: str, body: m.AddonSettings, rt: Runtime = Depends(runtime)):
    """docs/simulator.md "Add-ons": ``nks_registry`` false makes add-on operations and upgrades of the
    cluster 400; ``clear_addons`` makes it a cluster from before add-on management (none installed)."""
    return rt.store.set_addon_knobs(cluster_id, body.model_dump())


@router.get("/_sim/clusters/{cluster_id}/nodegroups/{nodegroup_id}/nodes", summary="Node instances of a node group")
def nodes(cluster_id: str, nodegroup_id: str, rt: Runtime = Depends(runtime)):
    """The node instances of a node group (``default-master`` included), as the store holds them."""
    _, ng = rt.store.get_nodegroup(cluster_id, nodegroup_id)
    return {"nodes": [dict(n) for n in ng["nodes"]]}


class HealthKnobs(BaseModel):
    """``POST /_sim/clusters/{id}/health`` (docs/simulator.md "Health and time")."""

    kube_api: Optional[str] = Field(None, description="working, 503 (every path of the cluster's Kubernetes API "
                                                      "answers 503) or refuse (connections are reset); "
                                                      "health_status_reason K8S_API_NOT_WORKING unless working")
    nodes_ready: Optional[bool] = Field(None, description="false: every worker node NotReady (kube Node Ready "
                                                          "Unknown; health_status_reason ALL_NODES_NOT_READY); "
                                                          "true: Ready again")


class TimeAdvance(BaseModel):
    """``POST /_sim/time/advance`` (docs/simulator.md "Health and time")."""

    seconds: float = Field(0.0, ge=0, description="seconds that pass")
    days: float = Field(0.0, ge=0, description="days that pass (added to seconds)")


@router.post("/_sim/clusters/{cluster_id}/health", summary="Make a cluster's Kubernetes API stop answering or "
             "its nodes NotReady, and recover")
def set_health(cluster_id: str, body: HealthKnobs, rt: Runtime = Depends(runtime)):
    """Set the health knobs of the cluster (UUID or name): ``{"uuid", "kube_api", "nodes_ready"}``;
    404 for an unknown cluster, 400 for a bad ``kube_api``."""
    return rt.store.set_health(cluster_id, kube_api=body.kube_api, nodes_ready=body.nodes_ready)


@router.get("/_sim/clusters/{cluster_id}/health", summary="The health knobs of a cluster")
def get_health(cluster_id: str, rt: Runtime = Depends(runtime)):
    """``{"uuid", "kube_api", "nodes_ready"}`` of the cluster (UUID or name); 404 for an unknown cluster."""
    return rt.store.read(lambda s: health_knobs(rt.store._cluster(cluster_id, None)))  # pylint: disable=protected-access


@router.post("/_sim/time/advance", summary="Let time pass for what the simulator stores")
def advance_time(body: TimeAdvance, rt: Runtime = Depends(runtime)):
    """Every stored time moves ``seconds + days * 86400`` into the past, as seen from the real clock
    (``certificate_expiry``, task history, pending operations; not the tokens): ``{"advanced_seconds", "clusters"}``."""
    return rt.store.advance_time(body.seconds + body.days * 86400.0)
