"""The seller-facing authorization page and the token endpoints (auth host).

Serves what ``services.tiktokshop.com/open/authorize`` and
``auth.tiktok-shops.com/api/v2/token/*`` do for a real app (README A2): an
HTML page where the seller approves or rejects, a redirect to the app's
loopback listener with ``code`` and ``state``, and the code/refresh exchanges.

Error codes chosen (README is silent; values seen from the real auth host in
EcomPHP's issue tracker): unknown, used or expired ``auth_code`` or refresh
token -> 36004005 "can not find related auth record"; expired refresh token
-> 36004001 "rt has expired"; wrong app_key/app_secret or grant_type ->
36009004.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tiktok_console.sandbox.tiktok.auth import Grant, TikTokAuthority
from tiktok_console.sandbox.tiktok.envelope import envelope, error_body
from tiktok_console.sandbox.tiktok.shop import TikTokShop

_LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def create_auth_app(shop: TikTokShop, authority: TikTokAuthority) -> Starlette:
    """The auth host: authorize page plus ``/api/v2/token/get`` and ``/refresh``."""

    async def authorize(request: Request) -> Response:
        problem, redirect = _check_authorize(request, authority)
        if problem:
            return HTMLResponse(_page("Authorization failed", html.escape(problem)), 400)
        assert redirect is not None
        state = request.query_params.get("state", "")
        if request.method == "GET":
            return HTMLResponse(_approval_page(shop, authority, str(request.url)))
        form = await request.form()
        if form.get("approve") == "1":
            query = {"code": authority.issue_code(), "state": state}
        else:
            query = {"code": "null", "error": "auth_denied", "state": state}
        return RedirectResponse(f"{redirect}?{urlencode(query)}", status_code=302)

    async def token_get(request: Request) -> Response:
        q = request.query_params
        bad = _check_app(q.get("app_key"), q.get("app_secret"), authority)
        if bad or q.get("grant_type") != "authorized_code":
            return _json(error_body(36009004, bad or "grant_type must be authorized_code"))
        grant = authority.redeem_code(q.get("auth_code", ""))
        if grant is None:
            return _json(error_body(36004005, "can not find related auth record"))
        return _json(envelope(_grant_data(grant, shop, authority)))

    async def token_refresh(request: Request) -> Response:
        q = request.query_params
        bad = _check_app(q.get("app_key"), q.get("app_secret"), authority)
        if bad or q.get("grant_type") != "refresh_token":
            return _json(error_body(36009004, bad or "grant_type must be refresh_token"))
        token = q.get("refresh_token", "")
        grant = authority.refresh(token)
        if grant is None:
            code, msg = (
                (36004001, "rt has expired")
                if authority.is_expired_refresh(token)
                else (36004005, "can not find related auth record")
            )
            return _json(error_body(code, msg))
        return _json(envelope(_grant_data(grant, shop, authority)))

    return Starlette(
        routes=[
            Route("/open/authorize", authorize, methods=["GET", "POST"]),
            Route("/api/v2/token/get", token_get, methods=["GET"]),
            Route("/api/v2/token/refresh", token_refresh, methods=["GET"]),
        ]
    )


def _check_authorize(request: Request, authority: TikTokAuthority) -> tuple[str, str | None]:
    """Returns (problem, redirect_uri); problem is empty when the link is valid."""
    q = request.query_params
    if q.get("service_id") != authority.service_id:
        return "Unknown service_id: this link does not belong to a published app.", None
    redirect = q.get("redirect_uri") or authority.redirect_uri
    if not redirect:
        return "The app has no redirect URL.", None
    parts = urlsplit(redirect)
    # Assumption: the sandbox stands in for a registered redirect URL and
    # accepts any loopback http listener (the desktop app's one-shot server).
    if parts.scheme != "http" or parts.hostname not in _LOOPBACK_HOSTS:
        return "redirect_uri must be a loopback http URL (127.0.0.1 or localhost).", None
    return "", redirect


def _check_app(app_key: str | None, app_secret: str | None, authority: TikTokAuthority) -> str:
    if app_key != authority.app_key:
        return "Invalid app_key."
    if app_secret != authority.app_secret:
        return "Invalid app_secret."
    return ""


def _grant_data(grant: Grant, shop: TikTokShop, authority: TikTokAuthority) -> dict[str, Any]:
    return {
        "access_token": grant.access_token,
        "access_token_expire_in": grant.access_expires,
        "refresh_token": grant.refresh_token,
        "refresh_token_expire_in": grant.refresh_expires,
        "open_id": grant.open_id,
        "seller_name": shop.name,
        "seller_base_region": shop.region,
        "user_type": 0,
        "granted_scopes": list(grant.scopes),
    }


def _json(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body)


def _approval_page(shop: TikTokShop, authority: TikTokAuthority, action: str) -> str:
    body = f"""
<p>The app <strong>{html.escape(authority.service_id)}</strong> asks to manage
<strong>{html.escape(shop.name)}</strong> ({html.escape(shop.region)}): products,
orders, fulfillment, returns and finance.</p>
<form method="post" action="{html.escape(action)}">
  <button type="submit" name="approve" value="1">Approve</button>
  <button type="submit" name="approve" value="0">Reject</button>
</form>"""
    return _page("Authorize app", body)


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>TikTok Shop sandbox: {title}</h1>{body}</body></html>"
    )
