"""Shopify app credentials: authorization codes, access tokens, refresh tokens, HMAC.

Token shapes (assumption, from tokens seen in the wild): offline OAuth tokens
``shpua_`` + 32 hex, client-credentials tokens ``shpat_`` + 32 hex, refresh tokens
``shprt_`` + 32 hex. Codes expire after 10 minutes (assumption) and are single-use.
Refresh tokens are replaced on every use; since 2026-08-28 the previous one stays
valid until the access token issued with its replacement is first used.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field

from ..clock import SandboxClock

CODE_TTL = 600.0
DEFAULT_SCOPES = (
    "read_products,write_products,read_orders,write_orders,read_inventory,write_inventory,"
    "read_locations,read_fulfillments,write_fulfillments,read_merchant_managed_fulfillment_orders,"
    "write_merchant_managed_fulfillment_orders,read_returns"
)
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")


def js_encode(value: str) -> str:
    """Encode like JavaScript's ``URLSearchParams`` with spaces as ``%20`` (Shopify's JS rule)."""
    return "".join(
        ch if ch in _UNRESERVED else "".join(f"%{b:02X}" for b in ch.encode()) for ch in value
    )


def oauth_hmac(params: dict[str, str], secret: str) -> str:
    """Hex HMAC-SHA256 of the sorted ``key=value`` pairs (``hmac``/``signature`` excluded)."""
    message = "&".join(
        f"{js_encode(k)}={js_encode(v)}"
        for k, v in sorted(params.items())
        if k not in ("hmac", "signature")
    )
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


@dataclass
class AccessToken:
    token: str
    scope: str
    expires_at: float | None
    used: bool = False


@dataclass
class RefreshToken:
    token: str
    scope: str
    expires_at: float
    # Access tokens issued from this token's replacements; first use of one retires this token.
    successors: set[str] = field(default_factory=set)
    retired: bool = False


@dataclass
class AuthCode:
    code: str
    scope: str
    expires_at: float
    used: bool = False


class ShopifyAuthority:
    """One app's credentials and every grant it has issued on the sandbox shop."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        clock: SandboxClock,
        *,
        expiring_ttl: float = 3600,
        client_credentials_ttl: float = 86400,
        refresh_ttl: float = 30 * 86400,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock
        self.expiring_ttl = expiring_ttl
        self.client_credentials_ttl = client_credentials_ttl
        self.refresh_ttl = refresh_ttl
        self._lock = threading.Lock()
        self._codes: dict[str, AuthCode] = {}
        self._tokens: dict[str, AccessToken] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._offline: dict[str, str] = {}  # scope -> the shop's non-expiring token

    def issue_code(self, scope: str) -> str:
        """A fresh authorization code for the granted scopes."""
        code = secrets.token_hex(16)
        with self._lock:
            self._codes[code] = AuthCode(code, scope, self.clock.now() + CODE_TTL)
        return code

    def check_client(self, client_id: str | None, client_secret: str | None) -> bool:
        """Whether the app credentials are this app's."""
        return client_id == self.client_id and hmac.compare_digest(
            client_secret or "", self.client_secret
        )

    def redeem_code(self, code: str, *, expiring: bool) -> dict[str, object] | None:
        """Exchange a code for a token response; None when unknown, used or expired."""
        with self._lock:
            record = self._codes.get(code)
            if record is None or record.used or record.expires_at < self.clock.now():
                return None
            record.used = True
            if not expiring:
                # Authorizing again returns the same non-expiring offline token.
                token = self._offline.get(record.scope) or self._new_access(
                    "shpua_", record.scope, None
                )
                self._offline[record.scope] = token
                return {"access_token": token, "scope": record.scope}
            return self._expiring_pair(record.scope)

    def refresh(self, refresh_token: str) -> dict[str, object] | None:
        """Rotate a refresh token; None when unknown, retired or expired."""
        with self._lock:
            record = self._refresh.get(refresh_token)
            if record is None or record.retired or record.expires_at < self.clock.now():
                return None
            response = self._expiring_pair(record.scope)
            record.successors.add(str(response["access_token"]))
            return response

    def client_credentials(self) -> dict[str, object]:
        """A client-credentials grant."""
        with self._lock:
            ttl = self.client_credentials_ttl
            token = self._new_access("shpat_", DEFAULT_SCOPES, self.clock.now() + ttl)
            return {"access_token": token, "scope": DEFAULT_SCOPES, "expires_in": int(ttl)}

    def authenticate(self, token: str | None) -> AccessToken | None:
        """The valid access token named by a request, marking it used; None otherwise."""
        if not token:
            return None
        with self._lock:
            record = self._tokens.get(token)
            if record is None:
                return None
            if record.expires_at is not None and record.expires_at <= self.clock.now():
                return None
            if not record.used:
                record.used = True
                for refresh in self._refresh.values():
                    if token in refresh.successors:
                        refresh.retired = True
            return record

    def _new_access(self, prefix: str, scope: str, expires_at: float | None) -> str:
        token = prefix + secrets.token_hex(16)
        self._tokens[token] = AccessToken(token, scope, expires_at)
        return token

    def _expiring_pair(self, scope: str) -> dict[str, object]:
        now = self.clock.now()
        access = self._new_access("shpua_", scope, now + self.expiring_ttl)
        refresh = "shprt_" + secrets.token_hex(16)
        self._refresh[refresh] = RefreshToken(refresh, scope, now + self.refresh_ttl)
        return {
            "access_token": access,
            "scope": scope,
            "expires_in": int(self.expiring_ttl),
            "refresh_token": refresh,
            "refresh_token_expires_in": int(self.refresh_ttl),
        }
