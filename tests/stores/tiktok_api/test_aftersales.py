"""Returns and cancellations: searches match the shop; decisions apply once per key."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stores.tiktok_api.conftest import advance_until, collect
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.returns import (
    DECISION_FOR_ACTION,
    PARTIAL_REFUND_OFFER,
    ApproveReturnRequest,
    RejectRequest,
    SearchReturnsRequest,
)

HOUR = 3600


def _requests(sandbox: SandboxRunner, kind: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.world.tiktok.snapshot()["returns"] if r["kind"] == kind]


def _pending(kind: str, status: str, count: int = 1) -> Any:
    def found(snapshot: dict[str, Any]) -> list[str] | None:
        ids = [
            r["id"]
            for r in snapshot["returns"]
            if r["kind"] == kind and r["status"] == status and r["deadline"]
        ]
        return ids if len(ids) >= count else None

    return found


async def test_searches_return_every_request_of_the_shop(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    returns = await collect(api.search_returns(page_size=10))
    cancellations = await collect(api.search_cancellations(page_size=10))
    assert sorted(r.return_id for r in returns) == sorted(
        r["id"] for r in _requests(sandbox, "return")
    )
    assert sorted(c.cancel_id for c in cancellations) == sorted(
        r["id"] for r in _requests(sandbox, "cancel")
    )
    assert all(
        r.refund_amount is not None and r.refund_amount.refund_total.currency == "USD"
        for r in returns
    )
    one = returns[0]
    only = await collect(api.search_returns(SearchReturnsRequest(order_ids=[one.order_id])))
    assert {r.order_id for r in only} == {one.order_id}


async def test_approving_twice_with_one_key_applies_once(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    (return_id, *_) = advance_until(
        sandbox, _pending("return", "RETURN_OR_REFUND_REQUEST_PENDING"), step=HOUR, limit=72
    )
    (pending,) = await collect(api.search_returns(SearchReturnsRequest(return_ids=[return_id])))
    assert pending.deadline is not None
    decision = DECISION_FOR_ACTION[pending.seller_next_action_response[0].action]
    request = ApproveReturnRequest(decision=decision)
    await api.approve_return(return_id, request, idempotency_key=f"approve-{return_id}")
    status = next(r["status"] for r in _requests(sandbox, "return") if r["id"] == return_id)
    assert status != "RETURN_OR_REFUND_REQUEST_PENDING"
    await api.approve_return(return_id, request, idempotency_key=f"approve-{return_id}")
    assert next(r["status"] for r in _requests(sandbox, "return") if r["id"] == return_id) == status
    with pytest.raises(RequestRejectedError):  # a new key is a new decision: nothing to decide
        await api.approve_return(return_id, request, idempotency_key="another-key")


async def test_rejecting_a_return_takes_a_reason_decision_eligibility_offers(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    (return_id, *_) = advance_until(
        sandbox, _pending("return", "RETURN_OR_REFUND_REQUEST_PENDING"), step=HOUR, limit=72
    )
    (pending,) = await collect(api.search_returns(SearchReturnsRequest(return_ids=[return_id])))
    action = pending.seller_next_action_response[0].action
    decision = DECISION_FOR_ACTION[action].replace("APPROVE_", "REJECT_")
    verdict = (await api.decision_eligibility(return_id, (decision,))).verdict(decision)
    assert verdict is not None and verdict.eligible
    offered = {r.name for r in verdict.available_reject_reasons}
    assert offered and all(r.text for r in verdict.available_reject_reasons)
    # The listed Get Reject Reasons list is no source for Reject Return 202606.
    stale = next(r.name for r in await api.reject_reasons(return_id) if r.name not in offered)
    with pytest.raises(RequestRejectedError) as refused:
        await api.reject_return(
            return_id,
            RejectRequest(decision=decision, reject_reason=stale),
            idempotency_key=f"stale-{return_id}",
        )
    assert refused.value.code == "25001016"
    assert f"the reason {stale} is not one TikTok offers" in refused.value.message
    assert "Get Decision Eligibility" in refused.value.detail
    assert next(r["status"] for r in _requests(sandbox, "return") if r["id"] == return_id) == (
        "RETURN_OR_REFUND_REQUEST_PENDING"
    )
    reason = verdict.available_reject_reasons[0].name
    request = RejectRequest(decision=decision, reject_reason=reason, comment="Agreed.")
    await api.reject_return(return_id, request, idempotency_key=f"reject-{return_id}")
    status = next(r["status"] for r in _requests(sandbox, "return") if r["id"] == return_id)
    assert status == "REFUND_OR_RETURN_REQUEST_REJECT"
    after = (await api.decision_eligibility(return_id, (decision,))).verdict(decision)
    assert after is not None and not after.eligible and after.ineligible_code


async def test_review_decision_reads_every_line_of_a_return(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    (return_id, *_) = advance_until(
        sandbox, _pending("return", "RETURN_OR_REFUND_REQUEST_PENDING"), step=HOUR, limit=72
    )
    (shop,) = await api.authorized_shops()
    review = await api.review_decision(shop.id, return_id)
    (pending,) = await collect(api.search_returns(SearchReturnsRequest(return_ids=[return_id])))
    assert [li.return_line_item_id for li in review.line_items] == [
        li.return_line_item_id for li in pending.return_line_items
    ]
    offer = review.line_items[0].decisions
    partial = next(d for d in offer if d.decision == PARTIAL_REFUND_OFFER)
    assert not partial.eligible  # nothing came back yet
    assert partial.partial_refund_amount_range is None and review.errors == []


async def test_a_key_longer_than_255_characters_is_refused_before_sending(
    api: TikTokShopApi,
) -> None:
    with pytest.raises(ValueError):
        await api.approve_cancellation("1", "k" * 256)
    with pytest.raises(ValueError):
        await api.approve_cancellation("1", "")


class TestCancellations:
    @pytest.fixture
    def sandbox_options(self) -> WorldOptions:
        # Buyers only ask to cancel new orders: let orders arrive.
        return WorldOptions(
            seed=11,
            products=12,
            orders=20,
            clock_start=1_770_000_000.0,
            orders_per_minute=1.0,
            unlisted_share=0.15,  # the catalog share this world was drawn with
        )

    async def test_approve_and_reject_cancellations(
        self, api: TikTokShopApi, sandbox: SandboxRunner
    ) -> None:
        first, second = advance_until(
            sandbox,
            _pending("cancel", "CANCELLATION_REQUEST_PENDING", count=2),
            step=HOUR // 4,
            limit=48,
        )[:2]
        sandbox.world.tiktok.set_order_rate(0)
        await api.approve_cancellation(first, idempotency_key=f"approve-{first}")
        reason = (await api.reject_reasons(second))[0].name
        await api.reject_cancellation(
            second, RejectRequest(reject_reason=reason), idempotency_key=f"reject-{second}"
        )
        statuses = {r["id"]: r["status"] for r in _requests(sandbox, "cancel")}
        assert statuses[first] == "CANCELLATION_REQUEST_SUCCESS"
        assert statuses[second] == "CANCELLATION_REQUEST_CANCEL"
        cancelled = next(r["order_id"] for r in _requests(sandbox, "cancel") if r["id"] == first)
        assert (await api.get_orders([cancelled]))[0].status == "CANCELLED"


async def test_the_seller_cancels_with_a_reason_eligibility_offers(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    snapshot = sandbox.world.tiktok.snapshot()
    waiting = {r["order_id"] for r in snapshot["returns"] if r["deadline"]}
    order = next(
        o
        for o in snapshot["orders"]
        if o["status"] == "AWAITING_SHIPMENT"
        and o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and o["id"] not in waiting
    )
    eligibility = await api.aftersale_eligibility(order["id"], ("CANCEL",))
    lines = [e for s in eligibility.sku_eligibility for e in s.line_item_eligibility]
    assert lines and all(e.request_type == "CANCEL" and e.eligible for e in lines)
    reason = lines[0].available_reason_names[0]
    with pytest.raises(RequestRejectedError):
        await api.cancel_order(order["id"], "not-a-reason")
    created = await api.cancel_order(order["id"], reason)
    assert created.cancel_status == "CANCELLATION_REQUEST_SUCCESS"
    assert (await api.get_orders([order["id"]]))[0].status == "CANCELLED"
    mine = [c async for c in api.search_cancellations() if c.cancel_id == created.cancel_id]
    assert mine and mine[0].role == "SELLER"


async def test_return_records_begin_with_the_buyers_request(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    returned = _requests(sandbox, "return")[0]
    records = await api.return_records(returned["id"])
    assert records and records[0].role == "BUYER" and records[0].create_time is not None
    times = [r.create_time for r in records if r.create_time]
    assert times == sorted(times)
    assert records[-1].event == returned["status"]
