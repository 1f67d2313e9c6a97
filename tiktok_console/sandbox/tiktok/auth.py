"""Seller authorization state: auth codes, access tokens and refresh tokens.

Lifetimes follow README A2: auth codes live 30 minutes and work once; access
tokens live 7 days; refresh tokens live as long as the seller's grant. Every
expiry is reported as an absolute Unix timestamp, as TikTok does.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from enum import Enum

from tiktok_console.sandbox.clock import SandboxClock

AUTH_CODE_TTL = 30 * 60
DEFAULT_SCOPES = (
    "seller.authorization.info",
    "seller.shop.info",
    "seller.product.basic",
    "seller.product.write",
    "seller.order.info",
    "seller.fulfillment.basic",
    "seller.logistics",
    "seller.return_refund.basic",
    "seller.finance.info",
)


class TokenCheck(Enum):
    """Outcome of checking an access token."""

    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"


@dataclass
class Grant:
    """One seller authorization: the tokens currently valid for it."""

    access_token: str
    access_expires: int
    refresh_token: str
    refresh_expires: int
    open_id: str
    scopes: tuple[str, ...] = field(default=DEFAULT_SCOPES)


class TikTokAuthority:
    """Issues and checks codes and tokens for one app on one shop.

    Args:
        app_key: the app's key (public).
        app_secret: the app's secret (signs requests, exchanges codes).
        service_id: the app's service id, used by the authorize link.
        clock: the sandbox clock.
        access_ttl: access-token lifetime in seconds (TikTok: 7 days).
        refresh_ttl: refresh-token lifetime (the seller's grant duration).
        redirect_uri: the app's registered redirect URL, used when the
            authorize link carries none.
    """

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        service_id: str,
        clock: SandboxClock,
        *,
        access_ttl: int = 7 * 86400,
        refresh_ttl: int = 365 * 86400,
        redirect_uri: str | None = None,
    ) -> None:
        self.app_key = app_key
        self.app_secret = app_secret
        self.service_id = service_id
        self.clock = clock
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.redirect_uri = redirect_uri
        self._lock = threading.Lock()
        self._codes: dict[str, int] = {}  # code -> expiry
        self._by_access: dict[str, Grant] = {}
        self._by_refresh: dict[str, Grant] = {}
        digest = int(hashlib.sha256(app_key.encode()).hexdigest(), 16)
        self._open_id = "7010736057" + format(digest % 10**9, "09d")

    # Tokens and codes are secrets, not simulation: they come from the OS
    # generator so that they cannot be guessed, and the seeded world stays
    # deterministic without them.
    def issue_code(self) -> str:
        """A fresh auth code, as the authorize page hands to the redirect."""
        code = "ROW_" + secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = self.clock.now_int() + AUTH_CODE_TTL
        return code

    def redeem_code(self, code: str) -> Grant | None:
        """Exchange a code for a new grant; ``None`` if unknown, used or expired."""
        with self._lock:
            expiry = self._codes.pop(code, None)  # single use, even if expired
            if expiry is None or self.clock.now_int() > expiry:
                return None
            return self._new_grant(refresh_expires=None)

    def refresh(self, refresh_token: str) -> Grant | None:
        """Rotate tokens; the grant's end (refresh expiry) does not move.

        Assumption: refreshing issues a new access token and a new refresh
        token and retires the old pair (README A2 says to store the newest).
        """
        with self._lock:
            old = self._by_refresh.get(refresh_token)
            if old is None or self.clock.now_int() > old.refresh_expires:
                return None
            del self._by_refresh[refresh_token]
            self._by_access.pop(old.access_token, None)
            return self._new_grant(refresh_expires=old.refresh_expires)

    def is_expired_refresh(self, refresh_token: str) -> bool:
        """Whether ``refresh_token`` is known but past its end."""
        with self._lock:
            grant = self._by_refresh.get(refresh_token)
        return grant is not None and self.clock.now_int() > grant.refresh_expires

    def issue_token(self) -> Grant:
        """Shortcut for tests and demo mode: a grant without the browser step."""
        with self._lock:
            return self._new_grant(refresh_expires=None)

    def check_access(self, token: str) -> TokenCheck:
        """Whether ``token`` is a live access token of this app."""
        with self._lock:
            grant = self._by_access.get(token)
        if grant is None:
            return TokenCheck.UNKNOWN
        if self.clock.now_int() >= grant.access_expires:
            return TokenCheck.EXPIRED
        return TokenCheck.VALID

    def _new_grant(self, refresh_expires: int | None) -> Grant:
        now = self.clock.now_int()
        grant = Grant(
            access_token="TTP_" + secrets.token_urlsafe(32),
            access_expires=now + self.access_ttl,
            refresh_token="TTP_" + secrets.token_urlsafe(32),
            refresh_expires=refresh_expires or now + self.refresh_ttl,
            open_id=self._open_id,
        )
        self._by_access[grant.access_token] = grant
        self._by_refresh[grant.refresh_token] = grant
        return grant
