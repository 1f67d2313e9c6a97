"""HTTP endpoints of Shopify's OAuth: the consent page and the token endpoint.

Errors of ``/admin/oauth/access_token`` (assumption, shaped as Shopify answers
a bad code): HTTP 400 ``{"error", "error_description"}`` with ``invalid_request``
for a missing parameter or a bad code (Shopify's wording for codes),
``invalid_client`` for wrong app credentials, ``invalid_grant`` for a bad refresh
token and ``unsupported_grant_type`` for other grants.
"""

from __future__ import annotations

import base64
import html
import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from .oauth import ShopifyAuthority, oauth_hmac
from .store import ShopifyStore

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def _error_page(title: str, detail: str, status: int = 400) -> HTMLResponse:
    title, detail = html.escape(title), html.escape(detail)
    body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{detail}</p>"
    return HTMLResponse(body, status_code=status)


def _loopback(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS


def host_param(shop_domain: str) -> str:
    """Shopify's ``host``: base64 of ``admin.shopify.com/store/<name>`` (padding kept)."""
    name = shop_domain.split(".")[0]
    return base64.b64encode(f"admin.shopify.com/store/{name}".encode()).decode()


def _consent_page(store: ShopifyStore, request: Request, scopes: list[str]) -> HTMLResponse:
    action = html.escape(
        str(request.url.path) + ("?" + request.url.query if request.url.query else "")
    )
    items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes)
    body = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Install app – {html.escape(store.shop_name)}</title></head>
<body>
<h1>{html.escape(store.shop_name)}</h1>
<p>{html.escape(store.shop_domain)}</p>
<p>The app <strong>TikTok Console</strong> wants to:</p>
<ul>{items}</ul>
<form method="post" action="{action}">
<input type="hidden" name="approve" value="1">
<button type="submit">Install app</button>
</form>
</body></html>"""
    return HTMLResponse(body)


def make_authorize(store: ShopifyStore, authority: ShopifyAuthority) -> Any:
    async def authorize(request: Request) -> Response:
        query = request.query_params
        if query.get("client_id") != authority.client_id:
            return _error_page(
                "Oauth error invalid_request",
                "The client_id is not valid: the app could not be found.",
            )
        redirect_uri = query.get("redirect_uri", "")
        if not _loopback(redirect_uri):
            return _error_page(
                "Oauth error invalid_request", "The redirect_uri is not whitelisted."
            )
        scopes = [s for s in query.get("scope", "").split(",") if s]
        if request.method == "GET":
            return _consent_page(store, request, scopes)
        form = await request.form()
        if form.get("approve") != "1":
            return _error_page("Installation cancelled", "The app was not installed.")
        params = {
            "code": authority.issue_code(",".join(scopes)),
            "host": host_param(store.shop_domain),
            "shop": store.shop_domain,
            "state": query.get("state", ""),
            # Shopify's own (wall) time, whatever day the simulated world is on.
            "timestamp": str(int(time.time())),
        }
        params["hmac"] = oauth_hmac(params, authority.client_secret)
        separator = "&" if urlsplit(redirect_uri).query else "?"
        return RedirectResponse(redirect_uri + separator + urlencode(params), status_code=302)

    return authorize


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


async def _fields(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            return {}
        return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    form = await request.form()
    fields = {k: str(v) for k, v in form.items()}
    fields.update({k: v for k, v in request.query_params.items() if k not in fields})
    return fields


def make_access_token(authority: ShopifyAuthority) -> Any:
    async def access_token(request: Request) -> Response:
        fields = await _fields(request)
        if not fields.get("client_id") or not fields.get("client_secret"):
            return _oauth_error("invalid_request", "Missing client_id or client_secret.")
        if not authority.check_client(fields.get("client_id"), fields.get("client_secret")):
            return _oauth_error(
                "invalid_client", "Client authentication failed: unknown client or wrong secret."
            )
        grant = fields.get("grant_type")
        if grant is None or grant == "authorization_code":
            if not fields.get("code"):
                return _oauth_error("invalid_request", "Missing code.")
            expiring = fields.get("expiring") in ("1", "true", "True")
            response = authority.redeem_code(fields["code"], expiring=expiring)
            if response is None:
                return _oauth_error(
                    "invalid_request", "The authorization code was not found or was already used"
                )
            return JSONResponse(response)
        if grant == "refresh_token":
            response = authority.refresh(fields.get("refresh_token", ""))
            if response is None:
                return _oauth_error(
                    "invalid_grant",
                    "The refresh token is invalid, expired or was already replaced.",
                )
            return JSONResponse(response)
        if grant == "client_credentials":
            return JSONResponse(authority.client_credentials())
        return _oauth_error("unsupported_grant_type", f"The grant type {grant!r} is not supported.")

    return access_token
