"""A return is rejected with a reason TikTok offers for it now (Get Decision Eligibility),
over HTTP against the sandbox: Reject Return 202606 refuses a reason from the listed Get
Reject Reasons list that the return's decision does not offer, and the merchant reads why.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.sync.conftest import START, Connected
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.sync.aftersales import decisions
from tiktok_console.sync.aftersales.decisions import Decision, Kind, decide
from tiktok_console.sync.aftersales.tiktok_calls import AftersalesCalls
from tiktok_console.sync.sessions import tiktok_session

REJECTED = {
    "REFUND_OR_RETURN_REQUEST_REJECT",
    "REPLACEMENT_REQUEST_REJECT",
    "REJECT_RECEIVE_PACKAGE",
}


@pytest.fixture
def world_options() -> WorldOptions:
    """A shop with a history, so returns await the seller from the start."""
    return WorldOptions(
        seed=5, products=15, orders=600, orders_per_minute=0, clock_start=START,
        shopify_plan="plus", unlisted_share=0.15,
    )  # fmt: skip


def _api(connected: Connected) -> TikTokShopApi:
    account = load_accounts()["tiktok"]
    clocks = connected.options.clocks
    return TikTokShopApi(tiktok_session(account, connected.token_store, connected.http, clocks))


def _tiktok_returns(connected: Connected) -> dict[str, Any]:
    shop = connected.sandbox.world.tiktok
    with shop.lock:
        return {r.id: r for r in shop.aftersales.requests.values() if r.kind == "return"}


async def _two_waiting(connected: Connected) -> list[str]:
    """Two returns awaiting the seller, stored by the after-sales job."""
    world = connected.sandbox.world
    world.shopify.web_sales_per_minute = 0
    for _ in range(4):
        results = await connected.engine.run_until_caught_up(["aftersales"])
        assert not any(results.values()), results
        waiting = [
            i for i, r in _tiktok_returns(connected).items()
            if r.action and r.arbitration_status != "IN_PROGRESS"
        ]  # fmt: skip
        if len(waiting) >= 2:
            return waiting[:2]
        world.advance(6 * 3600)
    raise AssertionError("the world made too few returns awaiting the seller")


async def test_a_return_takes_an_offered_reason_and_refuses_a_listed_one(
    connected: Connected,
) -> None:
    stale_id, fresh_id = await _two_waiting(connected)
    api = _api(connected)
    calls = AftersalesCalls(api)
    offered = await decisions.reject_reasons(calls, Kind.RETURN, stale_id)
    assert offered and all(r.code and r.text for r in offered)
    codes = {r.code for r in offered}
    listed = [r.name for r in await api.reject_reasons(stale_id)]  # Get Reject Reasons 202309
    stale = next(name for name in listed if name not in codes)

    before = _tiktok_returns(connected)[stale_id].status
    refused = await decide(calls, Decision(Kind.RETURN, stale_id, approve=False, reason=stale))
    assert not refused.complete and refused.error is not None
    # The merchant reads which reason TikTok did not take, and what to do.
    assert f"the reason {stale} is not one TikTok offers for this return now" in (
        refused.error.message
    )
    assert "pick one of the reasons listed" in refused.error.message
    assert _tiktok_returns(connected)[stale_id].status == before  # nothing changed on TikTok

    reasons = await decisions.reject_reasons(calls, Kind.RETURN, fresh_id)
    accepted = Decision(Kind.RETURN, fresh_id, approve=False, reason=reasons[0].code)
    assert (await decide(calls, accepted)).complete
    assert _tiktok_returns(connected)[fresh_id].status in REJECTED
