"""Error types and error bodies (NKS_API_NOTES.md, "Status codes and errors")."""

from __future__ import annotations

import uuid
from http import HTTPStatus
from typing import Optional


def new_request_id() -> str:
    """A Magnum/OpenStack style request id, ``req-<uuid>``."""
    return f"req-{uuid.uuid4()}"


class ApiError(Exception):
    """An NKS API error, rendered as a Magnum-style ``{"errors": [...]}`` body."""

    def __init__(self, status: int, detail: str, headers: Optional[dict] = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


class AuthError(Exception):
    """An identity error, rendered as a Keystone-style ``{"error": {...}}`` body."""

    def __init__(self, message: str, status: int = 401):
        super().__init__(message)
        self.status = status
        self.message = message


def magnum_body(status: int, detail: str, request_id: str) -> dict:
    """Magnum error body: ``{"errors": [{request_id, code, status, title, detail, links}]}``."""
    return {
        "errors": [
            {
                "request_id": request_id,
                "code": "client" if status < 500 else "server",
                "status": status,
                "title": HTTPStatus(status).phrase,
                "detail": detail,
                "links": [],
            }
        ]
    }


def keystone_body(status: int, message: str) -> dict:
    """Keystone error body: ``{"error": {"code", "title", "message"}}``."""
    return {"error": {"code": status, "title": HTTPStatus(status).phrase, "message": message}}


def bad_request(detail: str) -> ApiError:
    return ApiError(400, detail)


def not_found(kind: str, ident: str) -> ApiError:
    return ApiError(404, f"{kind} {ident} could not be found.")
