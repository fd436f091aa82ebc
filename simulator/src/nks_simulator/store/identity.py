"""Identity tokens (NKS_API_NOTES.md "Authentication": ``POST /v2.0/tokens``, ``X-Auth-Token``)."""

from __future__ import annotations

import secrets
import uuid
from typing import Optional

from ..errors import AuthError
from .base import StoreBase


class IdentityMixin(StoreBase):
    """Issue, check and expire the identity tokens kept in ``state["tokens"]`` (by token id).

    A token record: ``id`` (32 hex digits), ``issued_at`` and ``expires`` (epoch seconds),
    ``tenant_id``, ``username``, ``user_id``.
    """

    def issue_token(self, tenant_id: str, username: str, password: str) -> dict:
        """``POST /v2.0/tokens``: check the credentials, store and return a token record.
        Raises :class:`AuthError` (401) for other credentials than the configured ones."""
        cfg = self.config
        if (tenant_id, username, password) != (cfg.tenant_id, cfg.username, cfg.api_password):
            raise AuthError("The request you have made requires authentication.")
        now = self.clock()
        token = {
            "id": secrets.token_hex(16),
            "issued_at": now,
            "expires": now + cfg.token_ttl,
            "tenant_id": tenant_id,
            "username": username,
            "user_id": self.user_id(username),
        }
        with self.lock:
            tokens = self.state["tokens"]
            for key in [k for k, t in tokens.items() if t["expires"] <= now]:
                del tokens[key]
            tokens[token["id"]] = token
            self.save()
        return token

    @staticmethod
    def user_id(username: str) -> str:
        """The stable user id of ``username`` (32 hex digits)."""
        return uuid.uuid5(uuid.NAMESPACE_DNS, username).hex

    def check_token(self, token_id: Optional[str]) -> dict:
        """Return the token record for ``X-Auth-Token`` or raise :class:`AuthError`."""
        with self.lock:
            token = self.state["tokens"].get(token_id or "")
            if token is None or token["expires"] <= self.clock():
                raise AuthError("The request you have made requires authentication.")
            return dict(token)

    def expire_tokens(self) -> int:
        """``POST /_sim/tokens/expire``: every issued token expires now; returns how many there are."""
        with self.lock:
            now = self.clock()
            for token in self.state["tokens"].values():
                token["expires"] = min(token["expires"], now - 0.001)
            self.save()
            return len(self.state["tokens"])
