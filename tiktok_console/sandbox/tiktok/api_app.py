"""The signed TikTok Shop Open API: gateway checks, then the endpoint handlers.

Every request goes through the same gate, in this order: route (path,
version, method), common parameters (app_key, timestamp window, sign over
the raw body), access token, shop_cipher, rate limit. Handlers then run
under the shop's lock after the shop has caught up with the clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tiktok_console.sandbox.tiktok import (
    routes_aftersales,
    routes_aftersales_requests,
    routes_decisions,
    routes_finance,
    routes_fulfillment,
    routes_logistics,
    routes_orders,
    routes_products,
    routes_seller_cancel,
    routes_shops,
    routes_tracking,
)
from tiktok_console.sandbox.tiktok.auth import TikTokAuthority, TokenCheck
from tiktok_console.sandbox.tiktok.envelope import envelope, error_body
from tiktok_console.sandbox.tiktok.errors import (
    AUTH_PARAMS,
    EXPIRED_TOKEN,
    INVALID_SIGN,
    MISSING_CIPHER,
    TOKEN_SHOP_MISMATCH,
    TOO_MANY_REQUESTS,
    ApiError,
)
from tiktok_console.sandbox.tiktok.ratelimit import RateLimiter, TikTokLimits
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint, parse_json_body, resolve
from tiktok_console.sandbox.tiktok.shop import TikTokShop
from tiktok_console.sandbox.tiktok.signing import verify_sign

__all__ = ["TikTokLimits", "create_api_app"]

# README A3: the timestamp must lie within [now - 5 min, now + 30 s]. TikTok checks it
# against its own wall clock, not against the sandbox clock that tests move by days:
# a client signs with the real time whatever day the simulated world has reached.
PAST_WINDOW = 300
FUTURE_WINDOW = 30
_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


def all_endpoints() -> list[Endpoint]:
    """Every endpoint the sandbox serves."""
    return [
        *routes_shops.ENDPOINTS,
        *routes_products.ENDPOINTS,
        *routes_logistics.ENDPOINTS,
        *routes_orders.ENDPOINTS,
        *routes_fulfillment.ENDPOINTS,
        *routes_aftersales.ENDPOINTS,
        *routes_decisions.ENDPOINTS,
        *routes_aftersales_requests.ENDPOINTS,
        *routes_seller_cancel.ENDPOINTS,
        *routes_finance.ENDPOINTS,
        *routes_tracking.ENDPOINTS,
    ]


def create_api_app(
    shop: TikTokShop,
    authority: TikTokAuthority,
    limits: TikTokLimits,
    wall_clock: Callable[[], float] = time.time,
) -> Starlette:
    """The Open API host (``open-api.tiktokglobalshop.com`` in production).

    Args:
        wall_clock: the real time the ``timestamp`` window is checked against.
    """
    endpoints = all_endpoints()
    limiter = RateLimiter(limits, authority.clock)

    async def handle(request: Request) -> Response:
        try:
            raw = await request.body()
            endpoint, params = resolve(endpoints, request.method, request.url.path)
            _check_gateway(request, raw, endpoint, shop, authority, limiter, wall_clock)
            call = await _make_call(request, raw, endpoint, params, shop)
            with shop.lock:
                shop.tick()
                data = endpoint.handler(call)
        except ApiError as error:
            return JSONResponse(
                error_body(error.code, error.message, error.data), error.http_status
            )
        return JSONResponse(envelope(data))

    return Starlette(routes=[Route("/{path:path}", handle, methods=_METHODS)])


def _check_gateway(
    request: Request,
    raw: bytes,
    endpoint: Endpoint,
    shop: TikTokShop,
    authority: TikTokAuthority,
    limiter: RateLimiter,
    wall_clock: Callable[[], float],
) -> None:
    query = dict(request.query_params)
    if query.get("app_key") != authority.app_key:
        raise ApiError(AUTH_PARAMS, "Invalid credentials. The 'app_key' is invalid.")
    _check_timestamp(query.get("timestamp"), int(wall_clock()))
    sign = query.get("sign")
    if not sign:
        raise ApiError(AUTH_PARAMS, "Invalid credentials. The 'sign' query parameter is missing.")
    signed_body = b"" if endpoint.multipart else raw
    if not verify_sign(authority.app_secret, request.url.path, query, signed_body, sign):
        raise ApiError(
            INVALID_SIGN, "Invalid credentials. The 'sign' query parameter is invalid.", 401
        )
    _check_token(request.headers.get("x-tts-access-token"), authority)
    _check_cipher(query.get("shop_cipher"), endpoint, shop)
    key = (authority.app_key, shop.shop_id, endpoint.key)
    if not limiter.allow(key):
        raise ApiError(TOO_MANY_REQUESTS, "Too many requests. Please retry later.", 429)
    _check_content_type(request, raw, endpoint)


def _check_timestamp(raw: str | None, now: int) -> None:
    try:
        stamp = int(raw or "")
    except ValueError:
        raise ApiError(AUTH_PARAMS, "The 'timestamp' query parameter is invalid.") from None
    if stamp < 0 or stamp < now - PAST_WINDOW or stamp > now + FUTURE_WINDOW:
        raise ApiError(AUTH_PARAMS, "The 'timestamp' is outside the allowed window.")


def _check_token(token: str | None, authority: TikTokAuthority) -> None:
    if not token:
        raise ApiError(AUTH_PARAMS, "Invalid credentials. The 'x-tts-access-token' is missing.")
    state = authority.check_access(token)
    if state is TokenCheck.UNKNOWN:
        raise ApiError(TOKEN_SHOP_MISMATCH, "The 'x-tts-access-token' is invalid.")
    if state is TokenCheck.EXPIRED:
        raise ApiError(EXPIRED_TOKEN, "Expired credentials. Please refresh the access token.")


def _check_cipher(cipher: str | None, endpoint: Endpoint, shop: TikTokShop) -> None:
    if not endpoint.shop_scoped:
        if cipher is not None:
            raise ApiError(AUTH_PARAMS, "Unexpected identifier: shop_cipher is not allowed here.")
        return
    if not cipher:
        raise ApiError(MISSING_CIPHER, "The 'shop_cipher' query parameter is missing.")
    if cipher != shop.cipher:
        raise ApiError(TOKEN_SHOP_MISMATCH, "The shop_cipher does not match the access token.")


def _check_content_type(request: Request, raw: bytes, endpoint: Endpoint) -> None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if endpoint.multipart:
        if kind != "multipart/form-data":
            raise ApiError(36009023, "Content-Type must be multipart/form-data.")
    elif raw.strip() and kind != "application/json":
        raise ApiError(36009022, "Content-Type must be application/json.")


async def _make_call(
    request: Request, raw: bytes, endpoint: Endpoint, params: dict[str, str], shop: TikTokShop
) -> Call:
    form: dict[str, Any] = {}
    body: dict[str, Any] = {}
    if endpoint.multipart:
        parsed = await request.form()
        for name, value in parsed.multi_items():
            form[name] = await value.read() if hasattr(value, "read") else value
    else:
        body = parse_json_body(raw)
    version = request.url.path.strip("/").split("/")[1]
    return Call(shop, dict(request.query_params), body, params, form, version)
