"""Store-client fixtures: a running sandbox and a TikTok shop authorized over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tiktok_console.sandbox.runner import SandboxInfo, SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions

START = 1_770_000_000.0  # a fixed start keeps every world the same


@pytest.fixture
def sandbox_options() -> WorldOptions:
    """Override in a test module to shape the world."""
    # The catalog share these tests' world was drawn with (the default is now 0.3).
    return WorldOptions(
        seed=11, products=12, orders=60, clock_start=START, orders_per_minute=0,
        unlisted_share=0.15,
    )  # fmt: skip


@pytest.fixture
def sandbox(sandbox_options: WorldOptions) -> Iterator[SandboxRunner]:
    with running_sandbox(sandbox_options) as runner:
        yield runner


@dataclass(frozen=True)
class TikTokGrant:
    """Tokens as the sandbox's token host returned them."""

    access_token: str
    access_expires: datetime
    refresh_token: str
    refresh_expires: datetime


def authorize_tiktok(info: SandboxInfo) -> TikTokGrant:
    """Approve on the consent page (the POST a click sends) and exchange the code."""
    tiktok = info.tiktok
    redirect = "http://127.0.0.1:9/callback"
    link = f"{tiktok.authorize_url}&{urlencode({'state': 's1', 'redirect_uri': redirect})}"
    approve = httpx.post(link, data={"approve": "1"}, follow_redirects=False)
    assert approve.status_code == 302, approve.text
    code = parse_qs(urlsplit(approve.headers["location"]).query)["code"][0]
    reply = httpx.get(
        f"{tiktok.auth_url}/api/v2/token/get",
        params={
            "app_key": tiktok.app_key,
            "app_secret": tiktok.app_secret,
            "auth_code": code,
            "grant_type": "authorized_code",
        },
    ).json()
    assert reply["code"] == 0, reply
    return _grant(reply["data"])


def refresh_tiktok(info: SandboxInfo, refresh_token: str) -> TikTokGrant:
    """The token host's refresh grant."""
    tiktok = info.tiktok
    reply = httpx.get(
        f"{tiktok.auth_url}/api/v2/token/refresh",
        params={
            "app_key": tiktok.app_key,
            "app_secret": tiktok.app_secret,
            "refresh_token": refresh_token,
            "grant_type": "refresh_token",
        },
    ).json()
    assert reply["code"] == 0, reply
    return _grant(reply["data"])


def _grant(data: dict) -> TikTokGrant:
    return TikTokGrant(
        access_token=data["access_token"],
        access_expires=datetime.fromtimestamp(data["access_token_expire_in"], UTC),
        refresh_token=data["refresh_token"],
        refresh_expires=datetime.fromtimestamp(data["refresh_token_expire_in"], UTC),
    )


def shopify_client_credentials(info: SandboxInfo) -> dict:
    """A token from the client-credentials grant (a Dev Dashboard custom app)."""
    response = httpx.post(
        f"{info.shopify.url}/admin/oauth/access_token",
        json={
            "client_id": info.shopify.client_id,
            "client_secret": info.shopify.client_secret,
            "grant_type": "client_credentials",
        },
    )
    assert response.status_code == 200, response.text
    return response.json()
