"""TikTok Shop seller authorization: the authorize link, the code and refresh grants, shops.

README A2: the seller approves on the page behind the Partner Center link; the
browser comes back with ``code`` and ``state``; the code (single use, 30
minutes) is traded at the auth host for tokens whose ``*_expire_in`` fields are
absolute Unix timestamps, not durations. ``/authorization/202309/shops`` then
says which shops the token may act on, with the ``cipher`` each shop call needs.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tiktok_console.stores.errors import AuthExpiredError, RequestRejectedError
from tiktok_console.stores.oauth.errors import (
    CallbackRejectedError,
    CodeAlreadyUsedError,
    SignInDeniedError,
    SignInError,
)
from tiktok_console.stores.oauth.http import request_json, request_json_dated
from tiktok_console.stores.oauth.loopback import state_matches
from tiktok_console.stores.tiktok.signing import sign
from tiktok_console.stores.tokens import StoredTokens

STORE = "tiktok"
SHOPS_PATH = "/authorization/202309/shops"
# Auth-host codes (README is silent; as the real host answers, see the sandbox's notes):
_NO_AUTH_RECORD = 36004005  # unknown, used or expired code / refresh token
_REFRESH_EXPIRED = 36004001
_BAD_APP_OR_PARAMS = 36009004
# Open API codes (README A4): expired token, invalid x-tts-access-token, invalid sign.
_TOKEN_REFUSED = (105002, 101000)
_INVALID_SIGN = 106001


def authorize_url(authorize_link: str, state: str, redirect_uri: str) -> str:
    """The Partner Center authorize link with our ``state`` and ``redirect_uri`` set."""
    parts = urlsplit(authorize_link.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("state", "redirect_uri")
    ]
    query += [("state", state), ("redirect_uri", redirect_uri)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def validate_callback(params: Mapping[str, str], expected_state: str) -> str:
    """Check a redirect; returns the auth code.

    Raises:
        CallbackRejectedError: wrong ``state`` or no code (keep waiting).
        SignInDeniedError: the seller declined (``error=auth_denied``).
    """
    if not state_matches(params.get("state"), expected_state):
        raise CallbackRejectedError(
            "state",
            "The TikTok Shop sign-in answer was refused: it does not belong to the "
            "sign-in the console started.",
        )
    if params.get("error"):
        raise SignInDeniedError(
            "The TikTok Shop sign-in was declined on TikTok's page. Start it again and "
            "choose Approve to connect the shop.",
            f"error={params.get('error')}",
        )
    code = params.get("code", "")
    if not code or code == "null":
        raise CallbackRejectedError(
            "code", "The TikTok Shop sign-in answer was refused: it carries no code."
        )
    return code


class TikTokTokens(BaseModel):
    """``data`` of ``/api/v2/token/get`` and ``/refresh``; expiries are Unix timestamps.

    The expiries are instants on TikTok's clock. ``server_now`` is that clock when the
    grant was issued (the reply's ``Date`` header), so the lifetime left can be carried
    over to our own clock however far apart the two are.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    access_token: str
    access_token_expire_in: int
    refresh_token: str
    refresh_token_expire_in: int
    open_id: str
    seller_name: str = ""
    seller_base_region: str = ""
    user_type: int = 0
    granted_scopes: list[str] = Field(default_factory=list)
    server_now: datetime | None = Field(default=None, exclude=True)

    @property
    def access_expires_at(self) -> datetime:
        """When the access token stops working, on TikTok's clock (aware UTC)."""
        return datetime.fromtimestamp(self.access_token_expire_in, UTC)

    @property
    def refresh_expires_at(self) -> datetime:
        """When the seller's grant ends, on TikTok's clock (aware UTC)."""
        return datetime.fromtimestamp(self.refresh_token_expire_in, UTC)

    def stored(self, received_at: datetime | None = None) -> StoredTokens:
        """The keyring form, its expiries on the clock that read ``received_at``.

        Each expiry becomes ``received_at`` plus the lifetime it had left when TikTok
        issued it (expiry minus ``server_now``). Without either instant the expiries
        are kept as TikTok gave them (the two clocks are taken to agree).
        """
        shift = (
            timedelta(0)
            if received_at is None or self.server_now is None
            else received_at - self.server_now
        )
        return StoredTokens(
            access_token=self.access_token,
            access_expires_at=self.access_expires_at + shift,
            refresh_token=self.refresh_token,
            refresh_expires_at=self.refresh_expires_at + shift,
        )


class TikTokShopInfo(BaseModel):
    """One authorized shop of ``/authorization/202309/shops``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    name: str
    region: str
    cipher: str
    code: str = ""
    seller_type: str = ""


def _envelope_data(body: Any, what: str) -> tuple[int, str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("code"), int):
        raise SignInError(
            "TikTok Shop answered with something the console cannot read.", f"{what}: no envelope"
        )
    return body["code"], str(body.get("message", "")), body.get("data")


async def _token_call(
    http: httpx.AsyncClient, auth_base_url: str, path: str, params: dict[str, str], what: str
) -> TikTokTokens:
    url = f"{auth_base_url.rstrip('/')}{path}"
    _, body, server_now = await request_json_dated(http, STORE, "GET", url, params=params)
    code, message, data = _envelope_data(body, what)
    detail = f"{what}: code {code}: {message}"
    if code == 0:
        try:
            return TikTokTokens.model_validate(data).model_copy(update={"server_now": server_now})
        except ValidationError as invalid:
            raise SignInError(
                "TikTok Shop answered the sign-in with something the console cannot read.",
                f"{what}: {invalid.error_count()} validation errors",
            ) from None
    if code == _BAD_APP_OR_PARAMS:
        raise SignInError(
            "TikTok Shop did not accept the app key or app secret. Check them on the "
            "Accounts page.",
            detail,
        )
    if what == "refresh" and code in (_NO_AUTH_RECORD, _REFRESH_EXPIRED):
        raise AuthExpiredError(STORE, detail)
    if what == "token/get" and code == _NO_AUTH_RECORD:
        raise SignInError(
            "TikTok Shop did not accept the sign-in code: it expired or was already used. "
            "Start the sign-in again.",
            detail,
        )
    raise RequestRejectedError(STORE, str(code), message or "refused", detail)


async def exchange_code(
    http: httpx.AsyncClient, auth_base_url: str, app_key: str, app_secret: str, auth_code: str
) -> TikTokTokens:
    """Trade an auth code for tokens (``GET /api/v2/token/get``, no signature)."""
    params = {
        "app_key": app_key,
        "app_secret": app_secret,
        "auth_code": auth_code,
        "grant_type": "authorized_code",  # TikTok's literal spelling
    }
    return await _token_call(http, auth_base_url, "/api/v2/token/get", params, "token/get")


async def refresh(
    http: httpx.AsyncClient, auth_base_url: str, app_key: str, app_secret: str, refresh_token: str
) -> TikTokTokens:
    """New tokens from the refresh token; store the returned refresh token (it rotates).

    Raises:
        AuthExpiredError: the seller's grant ended or the token is unknown (reconnect).
    """
    params = {
        "app_key": app_key,
        "app_secret": app_secret,
        "refresh_token": refresh_token,
        "grant_type": "refresh_token",
    }
    return await _token_call(http, auth_base_url, "/api/v2/token/refresh", params, "refresh")


class TikTokCodeExchanger:
    """Exchanges each auth code at most once, even before TikTok would refuse a replay.

    A code arriving twice means a replayed redirect or a double click; either
    way the second one must not start another exchange.
    """

    def __init__(
        self, http: httpx.AsyncClient, auth_base_url: str, app_key: str, app_secret: str
    ) -> None:
        self._http = http
        self._auth_base_url = auth_base_url
        self._app_key = app_key
        self._app_secret = app_secret
        self.exchanged: set[str] = set()

    async def exchange(self, auth_code: str) -> TikTokTokens:
        """Tokens for ``auth_code``; raises ``CodeAlreadyUsedError`` the second time."""
        if auth_code in self.exchanged:
            raise CodeAlreadyUsedError("auth code offered twice to this sign-in")
        self.exchanged.add(auth_code)
        return await exchange_code(
            self._http, self._auth_base_url, self._app_key, self._app_secret, auth_code
        )


async def fetch_shops(
    http: httpx.AsyncClient,
    api_base_url: str,
    app_key: str,
    app_secret: str,
    access_token: str,
) -> list[TikTokShopInfo]:
    """The shops this token may act on (signed; no ``shop_cipher``, per README A3).

    The ``timestamp`` is the wall clock's: TikTok checks it against its own.
    """
    query = {"app_key": app_key, "timestamp": str(int(time.time()))}
    query["sign"] = sign(app_secret, SHOPS_PATH, query)
    url = f"{api_base_url.rstrip('/')}{SHOPS_PATH}"
    headers = {"x-tts-access-token": access_token, "content-type": "application/json"}
    status, body = await request_json(http, STORE, "GET", url, params=query, headers=headers)
    code, message, data = _envelope_data(body, "shops")
    if code in _TOKEN_REFUSED or (status == 401 and code != _INVALID_SIGN):
        raise AuthExpiredError(STORE, f"shops: HTTP {status} code {code}: {message}")
    if code != 0 or not isinstance(data, dict):
        raise RequestRejectedError(STORE, str(code), message or "refused", f"shops: HTTP {status}")
    try:
        return [TikTokShopInfo.model_validate(shop) for shop in data.get("shops") or []]
    except ValidationError as invalid:
        raise SignInError(
            "TikTok Shop listed the authorized shops in a form the console cannot read.",
            f"shops: {invalid.error_count()} validation errors",
        ) from None
