"""Shopify sign-in: the authorize URL, the callback checks, and the token grants.

Covers README B1: authorization-code grant (with ``expiring=1`` offline tokens
and their rotating refresh tokens), the refresh grant, the client-credentials
grant of new custom apps, and the pasted ``shpat_`` token of legacy custom apps.

Real shops live at ``https://<shop>.myshopify.com``; the sandbox has no such DNS,
so every call takes ``shop_base_url`` separately from the ``shop`` domain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from tiktok_console.stores.errors import AuthExpiredError, RequestRejectedError
from tiktok_console.stores.oauth.errors import CallbackRejectedError, SignInError
from tiktok_console.stores.oauth.http import request_json
from tiktok_console.stores.oauth.loopback import state_matches
from tiktok_console.stores.tokens import StoredTokens

STORE = "shopify"
API_VERSION = "2026-10"
HMAC_TOLERANCE_SECONDS = 90.0  # shopify-app-js HMAC_TIMESTAMP_PERMITTED_CLOCK_TOLERANCE_SEC
DEFAULT_SCOPES = (
    "read_products",
    "write_products",
    "read_orders",
    "write_orders",
    "read_inventory",
    "write_inventory",
    "read_locations",
    "read_fulfillments",
    "write_merchant_managed_fulfillment_orders",
    "read_returns",
)

_SHOP_DOMAIN = re.compile(
    r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*\.(?:myshopify\.com|shopify\.com|myshopify\.io|shop\.dev)$"
)
# Assumption: legacy custom-app tokens are shpat_ + 32 hex digits, as every one seen in the wild.
_CUSTOM_APP_TOKEN = re.compile(r"^shpat_[0-9a-fA-F]{32}$")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")

ParamValue = str | Sequence[str]


# HMAC ----------------------------------------------------------------------


def _js_encode(value: str) -> str:
    """``URLSearchParams`` encoding with spaces as ``%20`` (shopify-app-js's rule)."""
    return "".join(
        ch if ch in _UNRESERVED else "".join(f"%{byte:02X}" for byte in ch.encode()) for ch in value
    )


def _signed_items(params: Mapping[str, ParamValue]) -> list[tuple[str, ParamValue]]:
    return sorted((k, v) for k, v in params.items() if k not in ("hmac", "signature"))


def _message_js(params: Mapping[str, ParamValue]) -> str:
    pairs = []
    for key, value in _signed_items(params):
        # Assumption: a repeated key is serialized as repeated pairs, as URLSearchParams does.
        for item in [value] if isinstance(value, str) else value:
            pairs.append(f"{_js_encode(key)}={_js_encode(item)}")
    return "&".join(pairs)


def _message_legacy(params: Mapping[str, ParamValue]) -> str:
    """shopify_python_api's rule: escape only ``%``, ``&`` (and ``=`` in keys); lists as JSON."""

    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("&", "%26")

    pairs = []
    for key, value in _signed_items(params):
        name = escape(key.removesuffix("[]")).replace("=", "%3D")
        if isinstance(value, str):
            pairs.append(f"{name}={escape(value)}")
        else:
            pairs.append(f"{name}={escape(json.dumps(list(value)))}")
    return "&".join(pairs)


def _digest(message: str, secret: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def callback_hmac(params: Mapping[str, ParamValue], client_secret: str) -> str:
    """The hex HMAC Shopify puts in a callback's ``hmac`` (JS encoding rule)."""
    return _digest(_message_js(params), client_secret)


def hmac_valid(params: Mapping[str, ParamValue], client_secret: str) -> bool:
    """Whether the callback's ``hmac`` was made with ``client_secret`` (no freshness rule).

    The JS rule is Shopify's current library's; the Python library's older rule
    is also accepted because the two differ only for reserved characters and
    which one Shopify's servers use is not documented (README D7). Both are
    HMACs under the app secret, so neither can be forged without it.
    """
    received = params.get("hmac")
    if not isinstance(received, str) or not received:
        return False
    candidates = (_message_js(params), _message_legacy(params))
    # Evaluate both so the time taken does not say which rule matched.
    results = [hmac.compare_digest(_digest(m, client_secret), received.lower()) for m in candidates]
    return any(results)


# Authorize and callback ------------------------------------------------------


def valid_shop_domain(shop: str) -> bool:
    """Whether ``shop`` is a shop domain such as ``harbor-and-pine.myshopify.com``."""
    return bool(_SHOP_DOMAIN.fullmatch(shop))


def authorize_url(
    shop_base_url: str, client_id: str, scopes: Sequence[str], redirect_uri: str, state: str
) -> str:
    """The consent page to open in the browser (offline access)."""
    query = {
        "client_id": client_id,
        "scope": ",".join(scopes),
        "redirect_uri": redirect_uri,
        "state": state,
        "grant_options[]": "",  # empty: an offline token, for background sync
    }
    return f"{shop_base_url.rstrip('/')}/admin/oauth/authorize?{urlencode(query)}"


class ShopifyCallback(BaseModel):
    """What a checked callback carries."""

    model_config = ConfigDict(frozen=True)

    code: str
    shop: str
    timestamp: int
    host: str | None = None


def validate_callback(
    params: Mapping[str, str],
    client_secret: str,
    expected_state: str,
    now: datetime,
    tolerance: float = HMAC_TOLERANCE_SECONDS,
    expected_shop: str | None = None,
) -> ShopifyCallback:
    """Check a redirect's state, HMAC, freshness and shop; raise naming what failed.

    Raises:
        CallbackRejectedError: ``check`` is ``state``, ``hmac``, ``timestamp``,
            ``shop`` or ``code``.
    """
    if not state_matches(params.get("state"), expected_state):
        raise _rejected("state", "it does not belong to the sign-in the console started")
    if not hmac_valid(params, client_secret):
        raise _rejected("hmac", "its signature is not Shopify's for this app")
    try:
        timestamp = int(params.get("timestamp", ""))
    except ValueError:
        raise _rejected("timestamp", "it carries no valid time") from None
    if abs(now.timestamp() - timestamp) > tolerance:
        raise _rejected(
            "timestamp",
            "it is too old or from the future (check this computer's clock)",
            f"timestamp {timestamp}, now {now.timestamp():.0f}, tolerance {tolerance:.0f} s",
        )
    shop = params.get("shop", "")
    if not valid_shop_domain(shop) or (expected_shop is not None and shop != expected_shop):
        raise _rejected("shop", f"it names the shop {shop!r}, not the one being connected")
    code = params.get("code", "")
    if not code:
        raise _rejected("code", "it carries no authorization code")
    return ShopifyCallback(code=code, shop=shop, timestamp=timestamp, host=params.get("host"))


def _rejected(check: str, why: str, detail: str = "") -> CallbackRejectedError:
    return CallbackRejectedError(
        check, f"The Shopify sign-in answer was refused: {why}.", detail or f"failed: {check}"
    )


# Token grants -----------------------------------------------------------------


class ShopifyTokenResponse(BaseModel):
    """The body of ``/admin/oauth/access_token`` for every grant."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    access_token: str
    scope: str = ""
    expires_in: int | None = None
    refresh_token: str | None = None
    refresh_token_expires_in: int | None = None

    def stored(self, now: datetime) -> StoredTokens:
        """The keyring form, with lifetimes turned into aware UTC expiries from ``now``."""

        def at(seconds: int | None) -> datetime | None:
            return None if seconds is None else now + timedelta(seconds=seconds)

        return StoredTokens(
            access_token=self.access_token,
            access_expires_at=at(self.expires_in),
            refresh_token=self.refresh_token,
            refresh_expires_at=at(self.refresh_token_expires_in),
        )


async def _grant(
    http: httpx.AsyncClient, shop_base_url: str, fields: dict[str, str], grant: str
) -> ShopifyTokenResponse:
    url = f"{shop_base_url.rstrip('/')}/admin/oauth/access_token"
    status, body = await request_json(http, STORE, "POST", url, json=fields)
    if status == 200:
        try:
            return ShopifyTokenResponse.model_validate(body)
        except ValidationError as invalid:
            raise SignInError(
                "Shopify answered the sign-in with something the console cannot read.",
                f"{grant}: {invalid.error_count()} validation errors",
            ) from None
    error = str(body.get("error", "")) if isinstance(body, dict) else ""
    description = str(body.get("error_description", "")) if isinstance(body, dict) else ""
    detail = f"{grant}: HTTP {status} {error}: {description}"
    if error == "invalid_client":
        raise SignInError(
            "Shopify did not accept the app's client ID or client secret. "
            "Check them on the Accounts page.",
            detail,
        )
    if grant == "refresh_token" and status in (400, 401):
        raise AuthExpiredError(STORE, detail)
    if grant == "authorization_code" and status == 400:
        raise SignInError(
            "Shopify did not accept the sign-in code: it expired or was already used. "
            "Start the sign-in again.",
            detail,
        )
    raise RequestRejectedError(STORE, error or str(status), description or "refused", detail)


async def exchange_code(
    http: httpx.AsyncClient,
    shop_base_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    expiring: bool = True,
) -> ShopifyTokenResponse:
    """Trade the callback's code for an offline token (expiring, with a refresh token)."""
    fields = {
        "client_id": client_id,
        "client_secret": client_secret,
        "code": code,
        "expiring": "1" if expiring else "0",
    }
    return await _grant(http, shop_base_url, fields, "authorization_code")


async def refresh(
    http: httpx.AsyncClient,
    shop_base_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
) -> ShopifyTokenResponse:
    """Rotate an expiring offline token; the returned refresh token replaces the old one.

    Raises:
        AuthExpiredError: the refresh token is no longer accepted (reconnect).
    """
    fields = {
        "client_id": client_id,
        "client_secret": client_secret,
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
    }
    return await _grant(http, shop_base_url, fields, "refresh_token")


async def client_credentials(
    http: httpx.AsyncClient, shop_base_url: str, client_id: str, client_secret: str
) -> ShopifyTokenResponse:
    """A token for a custom app of the merchant's own (client-credentials grant)."""
    fields = {
        "client_id": client_id,
        "client_secret": client_secret,
        "grant_type": "client_credentials",
    }
    return await _grant(http, shop_base_url, fields, "client_credentials")


# Admin API checks ---------------------------------------------------------------


async def admin_query(
    http: httpx.AsyncClient,
    shop_base_url: str,
    access_token: str,
    query: str,
    api_version: str = API_VERSION,
) -> dict[str, Any]:
    """Run one small Admin GraphQL query during sign-in; returns ``data``.

    Raises:
        AuthExpiredError: the token is not accepted (HTTP 401/403).
        RequestRejectedError: GraphQL errors.
    """
    url = f"{shop_base_url.rstrip('/')}/admin/api/{api_version}/graphql.json"
    headers = {"X-Shopify-Access-Token": access_token}
    status, body = await request_json(
        http, STORE, "POST", url, json={"query": query}, headers=headers
    )
    if status in (401, 403):
        raise AuthExpiredError(STORE, f"HTTP {status} on the sign-in check")
    errors = body.get("errors") if isinstance(body, dict) else "not an object"
    data = body.get("data") if isinstance(body, dict) else None
    if status != 200 or errors or not isinstance(data, dict):
        raise RequestRejectedError(STORE, str(status), "the sign-in check failed", str(errors))
    return data


async def shop_name(http: httpx.AsyncClient, shop_base_url: str, access_token: str) -> str:
    """The shop's name: the cheapest proof that a token works."""
    data = await admin_query(http, shop_base_url, access_token, "{ shop { name } }")
    return str(data["shop"]["name"])


async def shop_country(http: httpx.AsyncClient, shop_base_url: str, access_token: str) -> str:
    """The shop's country code (``US``, ``GB``...), from its billing address."""
    query = "{ shop { billingAddress { countryCodeV2 } } }"
    data = await admin_query(http, shop_base_url, access_token, query)
    return str(data["shop"]["billingAddress"]["countryCodeV2"])


async def validate_custom_app_token(
    http: httpx.AsyncClient, shop_base_url: str, access_token: str
) -> str:
    """Check a pasted legacy custom-app token (``shpat_…``); returns the shop's name.

    Raises:
        SignInError: the text is not such a token, or Shopify does not accept it.
    """
    token = access_token.strip()
    if not _CUSTOM_APP_TOKEN.fullmatch(token):
        raise SignInError(
            "That is not a Shopify Admin API access token: it starts with shpat_ followed by "
            "32 letters and digits (Apps > Develop apps > API credentials)."
        )
    try:
        return await shop_name(http, shop_base_url, token)
    except AuthExpiredError as error:
        raise SignInError(
            "Shopify did not accept this access token for this store. Check that it was "
            "copied whole and that the app is still installed.",
            error.detail,
        ) from None
