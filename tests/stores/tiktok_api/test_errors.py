"""Bad replies become typed store errors, never pydantic tracebacks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.stores.tiktok_api.conftest import post_control, transport_for
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.sandbox.serving import BackgroundServers
from tiktok_console.stores.errors import StoreUnavailableError
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.transport import TikTokApiConfig, TikTokTransport


async def test_malformed_bodies_are_store_unavailable(sandbox: SandboxRunner) -> None:
    api = TikTokShopApi(transport_for(sandbox, retry=RetryPolicy(attempts=2, initial=0.01)))
    await api.use_first_shop()
    post_control(sandbox, "/faults", {"tiktok": {"error_rate": 1.0, "malformed": 1.0}})
    with pytest.raises(StoreUnavailableError):
        await api.get_orders(["1"])
    with pytest.raises(StoreUnavailableError):
        [o async for o in api.search_orders()]
    await api.transport.aclose()


async def _wrong_shape(request: Request) -> JSONResponse:
    # A well-formed envelope whose order lacks every required field.
    body = {"code": 0, "message": "Success", "request_id": "x", "data": {"orders": [{"id": 5}]}}
    return JSONResponse(body)


@pytest.fixture
def wrong_shape_store() -> Iterator[str]:
    app = Starlette(routes=[Route("/{path:path}", _wrong_shape, methods=["GET", "POST"])])
    with BackgroundServers({"store": app}) as servers:
        yield servers.urls["store"]


async def test_a_reply_that_does_not_fit_the_model_names_the_endpoint(
    wrong_shape_store: str,
) -> None:
    async def never(grant: TokenGrant) -> TokenGrant:
        raise AssertionError

    token = RefreshingToken(TokenGrant("token", None), never, persist=lambda g: None)
    config = TikTokApiConfig(app_key="key", api_base_url=wrong_shape_store)
    api = TikTokShopApi(TikTokTransport(config, "secret", token, shop_cipher="cipher"))
    with pytest.raises(StoreUnavailableError) as raised:
        await api.get_orders(["5"])
    assert "GET /order/202507/orders" in raised.value.detail
    assert "status" in raised.value.detail  # names a missing field
    assert isinstance(raised.value.__cause__, ValidationError)
    assert raised.value.store == "tiktok"
    await api.transport.aclose()
