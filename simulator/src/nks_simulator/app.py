"""FastAPI application: identity, the guide's 25 ``/v1`` operations, ``/_sim/`` admin.

The routes live in :mod:`nks_simulator.routes` (one router per area); this module assembles
them with the error handlers, the middleware (:class:`~nks_simulator.faults.SimMiddleware`)
and the OpenAPI document.
"""

from __future__ import annotations

from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import models as m
from .config import SimConfig
from .errors import ApiError, AuthError, keystone_body, magnum_body
from .faults import SimMiddleware
from .routes import ROUTERS
from .routes.deps import Runtime, request_id

__all__ = ["ERRORS", "Runtime", "create_app", "document_errors"]

ERRORS = {code: {"model": m.ErrorResponse} for code in (400, 403, 404, 406, 409)}
ERRORS[401] = {"model": m.KeystoneError, "description": "Missing, bad or expired X-Auth-Token (Keystone shape)"}


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


async def api_error(request: Request, exc: ApiError) -> JSONResponse:
    """An NKS error: Magnum body, the error's status and headers (e.g. ``Retry-After``)."""
    return JSONResponse(magnum_body(exc.status, exc.detail, request_id(request)), exc.status, exc.headers)


async def auth_error(request: Request, exc: AuthError) -> JSONResponse:
    """An identity error: Keystone body."""
    return JSONResponse(keystone_body(exc.status, exc.message), exc.status)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A request that does not parse: 400 (not FastAPI's 422), Keystone body on ``/v2.0``, Magnum's elsewhere."""
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        problems.append(f"{loc or 'body'}: {err.get('msg')}")
    detail = "Invalid input: " + "; ".join(problems)
    if request.url.path.startswith("/v2.0"):
        return JSONResponse(keystone_body(400, detail), 400)
    return JSONResponse(magnum_body(400, detail, request_id(request)), 400)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Starlette's errors (unknown path 404, wrong method 405) in the Magnum shape."""
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return JSONResponse(magnum_body(exc.status_code, detail, request_id(request)), exc.status_code,
                        getattr(exc, "headers", None))


HANDLERS = ((ApiError, api_error), (AuthError, auth_error), (RequestValidationError, validation_error),
            (StarletteHTTPException, http_error))


def create_app(config: Optional[SimConfig] = None, state_file: Optional[str] = None) -> FastAPI:
    """Build the simulator app (identity + NKS ``/v1`` + ``/_sim``) around a fresh :class:`Runtime`.

    :param config: the simulator's configuration (default: :class:`SimConfig` defaults).
    :param state_file: ``--state-file`` (SQLite) to load and persist the state, or ``None``.
    :returns: the app; its runtime is ``app.state.runtime`` (close ``runtime.store`` when done).
    """
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
    for exc_class, handler in HANDLERS:
        app.add_exception_handler(exc_class, handler)
    for router in ROUTERS:
        app.include_router(router)
        runtime.route_table.extend(router.routes)
    app.add_middleware(SimMiddleware, runtime=runtime)
    document_errors(app)
    return app
