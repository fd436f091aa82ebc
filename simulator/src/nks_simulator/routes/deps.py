"""What every route module shares: the :class:`Runtime` and the FastAPI dependencies.

The runtime hangs on ``app.state.runtime`` (set by :func:`nks_simulator.app.create_app`);
routes reach it with ``Depends(runtime)``, never through a global, so that several apps
can live in one process (tests).
"""

from __future__ import annotations

import json
import time
from typing import Any, Dict, List, Optional

from fastapi import Depends, Header, Request
from fastapi.responses import Response
from starlette.routing import BaseRoute

from ..config import SimConfig
from ..errors import ApiError
from ..faults import FaultDice, RequestLog
from ..state import Store


class Runtime:
    """Everything the routes share: config, store, request log, fault dice.

    :param config: the configuration at start (``/_sim/reset`` goes back to a copy of it).
    :param state_file: ``--state-file`` path (SQLite) or ``None`` for memory only.
    """

    def __init__(self, config: SimConfig, state_file: Optional[str] = None):
        self.startup_config = config.model_copy(deep=True)
        self.config = config
        self.store = Store(config, state_file)
        self.log = RequestLog()
        self.dice = FaultDice(config.seed)
        self.keypairs: Dict[str, dict] = {}
        #: The app's routes, flat (set by ``create_app``): the middleware names requests by them.
        self.route_table: List[BaseRoute] = []

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

    def routes(self) -> List[BaseRoute]:
        """The app's routes, flat (the middleware names a request by its route's path template)."""
        return self.route_table

    def draw_faults(self) -> tuple:
        """``(inject_error, drop, code)`` for one request, from the fault knobs of the config."""
        cfg = self.config
        return self.dice.draw(cfg.error_rate, cfg.drop_rate, cfg.error_codes)

    def set_config(self, config: SimConfig, reseed: bool = False) -> None:
        """Replace the configuration (``PATCH /_sim/config``); ``reseed``: restart the fault dice."""
        self.config = config
        self.store.config = config
        if reseed:
            self.dice = FaultDice(config.seed)

    def reset(self) -> None:
        """``POST /_sim/reset``: the startup configuration, an empty store, log and key pair memory."""
        self.set_config(self.startup_config.model_copy(deep=True), reseed=True)
        self.store.reset()
        self.log.clear()
        self.keypairs.clear()


async def runtime(request: Request) -> Runtime:
    """Dependency: the app's :class:`Runtime` (async: no thread pool hop)."""
    return request.app.state.runtime


def authed(rt: Runtime = Depends(runtime),
           x_auth_token: Optional[str] = Header(None, description="Token ID (tokenId); required"),
           openstack_api_version: Optional[str] = Header(
               None, description="container-infra latest (or container-infra 1.N)")) -> dict:
    """Dependency of every ``/v1`` operation: the token record of ``X-Auth-Token``.

    Raises :class:`~nks_simulator.errors.AuthError` (401, Keystone shape) when it is missing,
    unknown or expired. ``OpenStack-API-Version`` is declared for the documentation only (the
    middleware checks it)."""
    return rt.store.check_token(x_auth_token)


def project(token: dict = Depends(authed)) -> str:
    """Dependency: the project (tenant) id of the caller's token."""
    return token["tenant_id"]


def request_id(request: Request) -> str:
    """The ``X-OpenStack-Request-Id`` the middleware gave this request (``""`` outside it)."""
    return request.scope.get("state", {}).get("request_id", "")


def base_url(request: Request) -> str:
    """The simulator's base URL as the client reached it, without a trailing slash."""
    return str(request.base_url).rstrip("/")


def json_response(payload: Any, status_code: int = 200) -> Response:
    """``payload`` (plain JSON types only) as ``application/json`` bytes, without FastAPI's
    ``jsonable_encoder`` walk: a list of 1,000 clusters encodes several times faster."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status_code, media_type="application/json")


def accepted(model: Any) -> dict:
    """The ``responses`` argument of an operation answered with 202 and a body of ``model``."""
    return {202: {"model": model}}
