"""Builders of after-sales views for the domain tests (TikTok-shaped values, no store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tiktok_console.domain.aftersales import (
    Arbitration,
    CancellationView,
    RefundAmount,
    RequestLine,
    ReturnType,
    ReturnView,
    SellerAction,
)
from tiktok_console.domain.money import Money

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def refund(total: str, shipping: str = "0", tax: str = "0") -> RefundAmount:
    goods = usd(total) - usd(shipping)
    return RefundAmount(usd(total), goods - usd(tax), usd(shipping), usd(tax))


def a_return(
    *,
    return_type: ReturnType = ReturnType.RETURN_AND_REFUND,
    status: str = "RETURN_OR_REFUND_REQUEST_COMPLETE",
    seen: tuple[str, ...] = (),
    lines: tuple[RequestLine, ...] = (RequestLine("L1", "SKU-A"),),
    amount: RefundAmount | None = None,
    actions: tuple[SellerAction, ...] = (),
    arbitration: Arbitration = Arbitration.NONE,
    keep: bool = False,
) -> ReturnView:
    return ReturnView(
        order_id="576000000000000001", status=status, role="BUYER", reason_text="Wrong size",
        created_at=T0, updated_at=T0 + timedelta(hours=1), next_actions=actions, lines=lines,
        refund=amount if amount is not None else refund("24.90"), return_id="4035000000000001",
        return_type=return_type, arbitration=arbitration, can_buyer_keep_item=keep,
        statuses_seen=frozenset({*seen, status}),
    )  # fmt: skip


def a_cancellation(
    *,
    status: str = "CANCELLATION_REQUEST_COMPLETE",
    lines: tuple[RequestLine, ...] = (RequestLine("L1", "SKU-A"),),
    amount: RefundAmount | None = None,
    actions: tuple[SellerAction, ...] = (),
    replenish: bool | None = None,
) -> CancellationView:
    return CancellationView(
        order_id="576000000000000002", status=status, role="BUYER", reason_text="Mistake",
        created_at=T0, updated_at=T0, next_actions=actions, lines=lines,
        refund=amount if amount is not None else refund("24.90"), cancel_id="4036000000000001",
        cancel_type="BUYER_CANCEL", should_replenish_stock=replenish,
    )  # fmt: skip
