"""The sandbox Shopify server: OAuth, the Admin GraphQL endpoint, images and bulk files.

``create_app(store, authority, limits)`` returns a Starlette app serving
``/admin/oauth/authorize``, ``/admin/oauth/access_token``,
``/admin/api/{version}/graphql.json``, ``/images/{name}`` and ``/bulk/{id}.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .context import RequestContext
from .executor import execute_request
from .images import png_for
from .limits import CostBucket, ShopifyLimits
from .oauth import ShopifyAuthority
from .oauth_routes import make_access_token, make_authorize
from .store import ShopifyStore
from .versions import SUPPORTED_VERSIONS

__all__ = ["ShopifyAuthority", "ShopifyLimits", "create_app"]

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"  # noqa: S105


def _graphql_endpoint(
    store: ShopifyStore, authority: ShopifyAuthority, limits: ShopifyLimits
) -> Callable[[Request], Awaitable[Response]]:
    bucket = CostBucket(limits)

    async def graphql(request: Request) -> Response:
        version = request.path_params["version"]
        if version not in SUPPORTED_VERSIONS:
            return JSONResponse({"errors": "Not Found"}, status_code=404)
        if authority.authenticate(request.headers.get("x-shopify-access-token")) is None:
            return JSONResponse({"errors": INVALID_TOKEN}, status_code=401)
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return JSONResponse(
                {"errors": {"query": "Required parameter missing or invalid"}}, status_code=400
            )
        variables = body.get("variables") if isinstance(body.get("variables"), dict) else None
        base_url = str(request.base_url).rstrip("/")
        context = RequestContext(store, version, base_url)
        answer = execute_request(
            context,
            body["query"],
            variables,
            body.get("operationName"),
            bucket,
            limits,
            f"{authority.client_id}:{store.shop_domain}",
        )
        return JSONResponse(answer)

    return graphql


def _image(request: Request) -> Response:
    name = request.path_params["name"]
    if not name.endswith(".png"):
        return PlainTextResponse("Not Found", status_code=404)
    return Response(png_for(name), media_type="image/png")


def _bulk_file(store: ShopifyStore) -> Callable[[Request], Awaitable[Response]]:
    async def bulk(request: Request) -> Response:
        from .bulk_ops import refresh_bulk

        with store.lock:
            operation = store.bulk_operations.get(int(request.path_params["id"]))
            if operation is not None:
                refresh_bulk(operation, store.now())
            if operation is None or operation.status != "COMPLETED":
                return PlainTextResponse("Not Found", status_code=404)
            text = "".join(line + "\n" for line in operation.lines)
        return Response(text, media_type="application/jsonl")

    return bulk


def create_app(
    store: ShopifyStore, authority: ShopifyAuthority, limits: ShopifyLimits
) -> Starlette:
    """The Starlette app of the sandbox Shopify store."""
    authorize = make_authorize(store, authority)
    return Starlette(
        routes=[
            Route("/admin/oauth/authorize", authorize, methods=["GET", "POST"]),
            Route("/admin/oauth/access_token", make_access_token(authority), methods=["POST"]),
            Route(
                "/admin/api/{version}/graphql.json",
                _graphql_endpoint(store, authority, limits),
                methods=["POST"],
            ),
            Route("/images/{name}", _image),
            Route("/bulk/{id:int}.jsonl", _bulk_file(store)),
        ]
    )
