"""A journaled write ends complete, failed or unconfirmed, the same way for every store write.

Each outcome is produced against the sandbox over HTTP: a real Shopify
``orderCreate``, with the sandbox's fault knobs making the bad days.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.stores.conftest import shopify_client_credentials
from tiktok_console.domain.order_mapping import order_id_tag, tagged_order_id
from tiktok_console.profile import Profile
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.storage.intents import DONE, FAILED, PENDING, intent
from tiktok_console.stores.errors import AuthExpiredError, RequestRejectedError
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.shopify.replies import OrderCreate, reject_user_errors
from tiktok_console.stores.shopify.replies.orders import CreatedOrder
from tiktok_console.stores.shopify.transport import ShopifyApiConfig, ShopifyTransport
from tiktok_console.sync.journal import WriteOutcome, journaled

KIND = "shopify.orderCreate"
CLIENT_TIMEOUT = 1.0  # seconds; the sandbox holds a "timeout" request longer


def _transport(sandbox: SandboxRunner, token: str | None = None) -> ShopifyTransport:
    info = sandbox.info()

    async def refresh(grant: TokenGrant) -> TokenGrant:
        if token is not None:  # a sign-in the shop no longer accepts stays refused
            return TokenGrant(token, None)
        again = await asyncio.to_thread(shopify_client_credentials, info)
        return TokenGrant(again["access_token"], None)

    issued = token or shopify_client_credentials(info)["access_token"]
    config = ShopifyApiConfig(
        base_url=info.shopify.url,
        timeout=CLIENT_TIMEOUT,
        retry=RetryPolicy(attempts=3, initial=0.01, maximum=0.05),
    )
    return ShopifyTransport(config, RefreshingToken(TokenGrant(issued, None), refresh, print))


@pytest.fixture
async def shopify(sandbox: SandboxRunner, profile: Profile) -> AsyncIterator[ShopifyTransport]:
    transport = _transport(sandbox)
    yield transport
    await transport.aclose()


def _variables(tiktok_order_id: str, variant_id: str) -> dict[str, object]:
    return {
        "order": {
            "currency": "USD",
            "tags": [order_id_tag(tiktok_order_id)],
            "lineItems": [{"variantId": variant_id, "quantity": 1}],
        }
    }


def _a_variant(sandbox: SandboxRunner) -> str:
    return str(sandbox.world.shopify.snapshot()["variants"][0]["id"])


def _in_shopify(sandbox: SandboxRunner, tiktok_order_id: str) -> int:
    orders = sandbox.world.shopify.snapshot()["orders"]
    return sum(tagged_order_id(order["tags"]) == tiktok_order_id for order in orders)


async def _faults(sandbox: SandboxRunner, **knobs: float) -> None:
    url = f"{sandbox.info().control_url}/faults"
    reply = await asyncio.to_thread(httpx.post, url, json={"shopify": knobs})
    reply.raise_for_status()


async def _create(
    shopify: ShopifyTransport, order_id: str, variant_id: str
) -> tuple[WriteOutcome, list[str]]:
    """Journal one order create; returns its outcome and what ``settle``/``refused`` saw."""
    seen: list[str] = []

    async def call() -> CreatedOrder:
        reply = await shopify.execute(
            OrderCreate, _variables(order_id, variant_id), safe_to_repeat=False
        )
        reject_user_errors(reply.order_create.user_errors)
        assert reply.order_create.order is not None
        return reply.order_create.order

    def settle(order: CreatedOrder) -> dict[str, str]:
        seen.append(f"created {order.name}")
        return {"id": order.id}

    def refused(error: RequestRejectedError) -> None:
        seen.append(f"refused {error.store_message}")

    written = await journaled(
        KIND, f"{KIND}:{order_id}", call, settle=settle, refused=refused, subject=order_id
    )
    return written.outcome, seen


async def test_an_answered_write_is_complete(
    sandbox: SandboxRunner, shopify: ShopifyTransport
) -> None:
    outcome, seen = await _create(shopify, "J-1", _a_variant(sandbox))
    recorded = intent(f"{KIND}:J-1")
    assert outcome is WriteOutcome.COMPLETE and recorded is not None and recorded.status == DONE
    assert recorded.result["id"].startswith("gid://shopify/Order/")
    assert seen == [f"created {sandbox.world.shopify.snapshot()['orders'][-1]['name']}"]
    assert _in_shopify(sandbox, "J-1") == 1


async def test_a_validation_error_fails_the_write(
    sandbox: SandboxRunner, shopify: ShopifyTransport
) -> None:
    outcome, seen = await _create(shopify, "J-2", "gid://shopify/ProductVariant/999999999")
    recorded = intent(f"{KIND}:J-2")
    assert outcome is WriteOutcome.FAILED and recorded is not None and recorded.status == FAILED
    assert recorded.refused  # only the merchant's Retry sends it again
    assert len(seen) == 1 and "Variant does not exist" in seen[0]
    assert _in_shopify(sandbox, "J-2") == 0


async def test_an_expired_sign_in_fails_the_write_and_reaches_the_engine(
    sandbox: SandboxRunner, profile: Profile
) -> None:
    shopify = _transport(sandbox, token="shpat_revoked")
    with pytest.raises(AuthExpiredError):
        await _create(shopify, "J-3", _a_variant(sandbox))
    await shopify.aclose()
    recorded = intent(f"{KIND}:J-3")
    assert recorded is not None and recorded.status == FAILED  # failed, not unconfirmed
    assert not recorded.refused  # sent again once the store is reconnected
    assert _in_shopify(sandbox, "J-3") == 0


async def test_a_timeout_after_sending_leaves_the_write_unconfirmed(
    sandbox: SandboxRunner, shopify: ShopifyTransport
) -> None:
    await _faults(sandbox, error_rate=1, timeout=1, processed_share=1, timeout_seconds=3)
    outcome, seen = await _create(shopify, "J-4", _a_variant(sandbox))
    await _faults(sandbox, error_rate=0)
    recorded = intent(f"{KIND}:J-4")
    assert outcome is WriteOutcome.UNCONFIRMED and seen == []
    assert recorded is not None and recorded.status == PENDING  # the store is asked first
    assert _in_shopify(sandbox, "J-4") == 1  # it did happen, once: no blind resend


async def test_a_5xx_leaves_the_write_unconfirmed(
    sandbox: SandboxRunner, shopify: ShopifyTransport
) -> None:
    await _faults(sandbox, error_rate=1, http_5xx=1)
    outcome, seen = await _create(shopify, "J-5", _a_variant(sandbox))
    await _faults(sandbox, error_rate=0)
    recorded = intent(f"{KIND}:J-5")
    assert outcome is WriteOutcome.UNCONFIRMED and seen == []
    assert recorded is not None and recorded.status == PENDING
    assert shopify.stats.requests == 1  # a write without a key is never sent twice
