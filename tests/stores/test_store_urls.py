"""Secrets go only to the stores' own hosts, over https (loopback excepted: the
sandbox), and the consent approver never leaves this computer (issue 14, item 8)."""

from __future__ import annotations

import httpx
import pytest

from tiktok_console.core.logs import SecretRedactor
from tiktok_console.stores.oauth import flows
from tiktok_console.stores.oauth.errors import SignInError
from tiktok_console.stores.oauth.headless import consent_approver
from tiktok_console.stores.store_urls import (
    UnsafeStoreUrlError,
    check_shopify_url,
    check_tiktok_url,
)
from tiktok_console.stores.tokens import InMemoryKeyring, TokenStore

SHOP = "harbor-and-pine.myshopify.com"


@pytest.mark.parametrize(
    "url",
    [
        f"https://{SHOP}",
        f"https://{SHOP}/",
        "https://admin.shopify.com",
        "http://127.0.0.1:8123",
        "http://localhost:9000",
        "http://[::1]:9000",
    ],
)
def test_shopify_urls_that_are_allowed(url: str) -> None:
    assert check_shopify_url(url, SHOP) == url


@pytest.mark.parametrize(
    "url",
    [
        f"http://{SHOP}",  # clear text to the real store
        "http://capture.example:8080",
        "https://capture.example",
        "https://other-shop.myshopify.com",
        f"https://{SHOP}.capture.example",
        f"https://user:pw@{SHOP}",
        "ftp://127.0.0.1",
        "http://10.0.0.5",
        "http://127.0.0.1.capture.example",
    ],
)
def test_shopify_urls_that_are_refused(url: str) -> None:
    with pytest.raises(UnsafeStoreUrlError):
        check_shopify_url(url, SHOP)


@pytest.mark.parametrize(
    "url",
    [
        "https://auth.tiktok-shops.com",
        "https://open-api.tiktokglobalshop.com/",
        "http://127.0.0.1:1",
    ],
)
def test_tiktok_urls_that_are_allowed(url: str) -> None:
    assert check_tiktok_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://auth.tiktok-shops.com",
        "https://auth.tiktok-shops.com.capture.example",
        "https://capture.example",
        "http://192.168.1.20:8000",
    ],
)
def test_tiktok_urls_that_are_refused(url: str) -> None:
    with pytest.raises(UnsafeStoreUrlError):
        check_tiktok_url(url)


def test_only_the_demo_extends_the_tiktok_allow_list() -> None:
    assert check_tiktok_url("https://sandbox.example", extra_hosts=["sandbox.example"])
    with pytest.raises(UnsafeStoreUrlError):
        check_tiktok_url("http://sandbox.example", extra_hosts=["sandbox.example"])


def _recording_http() -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer)), sent


def _store() -> TokenStore:
    return TokenStore(InMemoryKeyring(), SecretRedactor(), "p")


async def test_a_client_secret_is_never_sent_to_a_plain_http_host() -> None:
    http, sent = _recording_http()
    with pytest.raises(UnsafeStoreUrlError):
        await flows.connect_shopify_client_credentials(
            http, _store(), shop=SHOP, shop_base_url="http://capture.example:8080",
            client_id="cid", client_secret="shpss_secret",
        )  # fmt: skip
    with pytest.raises(UnsafeStoreUrlError):
        await flows.connect_shopify_custom_app_token(
            http, _store(), shop=SHOP, shop_base_url="https://capture.example",
            access_token="shpat_token",
        )  # fmt: skip
    with pytest.raises(UnsafeStoreUrlError):
        flows.ShopifySignIn(
            http, _store(), shop=SHOP, shop_base_url=f"http://{SHOP}",
            client_id="cid", client_secret="shpss_secret",
        )  # fmt: skip
    with pytest.raises(UnsafeStoreUrlError):
        flows.TikTokSignIn(
            http, _store(), authorize_link="https://services.tiktokshop.com/open/authorize",
            auth_base_url="http://capture.example", api_base_url="https://open-api.tiktokglobalshop.com",
            app_key="key", app_secret="secret",
        )  # fmt: skip
    assert sent == []


async def test_the_consent_approver_follows_a_redirect_only_to_loopback() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": "http://198.51.100.7/callback?code=c"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    approve = consent_approver(http)
    with pytest.raises(SignInError, match="sandbox"):
        await approve("http://127.0.0.1:9/admin/oauth/authorize")
    assert [r.url.host for r in sent] == ["127.0.0.1"]  # the redirect was not followed
    with pytest.raises(SignInError):
        await approve("https://services.tiktokshop.com/open/authorize")
    assert len(sent) == 1  # nor a consent page elsewhere approved
