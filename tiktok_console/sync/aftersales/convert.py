"""TikTok's after-sales models as the domain's views (``ReturnView``, ``CancellationView``).

The one place the wire's names meet the domain's: a version move of the
TikTok client changes this file and ``tiktok_calls``, nothing else.
"""

from __future__ import annotations

from tiktok_console.domain.aftersales import (
    PARCEL_SENT_STATUSES,
    Arbitration,
    CancellationView,
    RefundAmount,
    RequestLine,
    ReturnType,
    ReturnView,
    SellerAction,
)
from tiktok_console.domain.money import Money
from tiktok_console.stores.tiktok.models.returns import (
    Cancellation,
    NextAction,
    RequestLineItem,
    Return,
)
from tiktok_console.stores.tiktok.models.returns import RefundAmount as WireRefund


def return_view(item: Return) -> ReturnView:
    """A pulled return as the domain sees it."""
    seen = {item.return_status}
    if item.return_tracking_number:
        # A return parcel with tracking was sent back: a pull may skip that status.
        seen |= PARCEL_SENT_STATUSES
    return ReturnView(
        order_id=item.order_id, status=item.return_status, role=item.role,
        reason_text=item.return_reason_text, created_at=item.create_time,
        updated_at=item.update_time, next_actions=_actions(item.seller_next_action_response),
        lines=tuple(_line(line) for line in item.return_line_items),
        refund=_refund(item.refund_amount), return_id=item.return_id,
        return_type=_return_type(item.return_type),
        arbitration=_arbitration(item.arbitration_status),
        can_buyer_keep_item=item.can_buyer_keep_item,
        tracking_number=item.return_tracking_number, statuses_seen=frozenset(seen),
    )  # fmt: skip


def cancellation_view(item: Cancellation) -> CancellationView:
    """A pulled cancellation as the domain sees it."""
    return CancellationView(
        order_id=item.order_id, status=item.cancel_status, role=item.role,
        reason_text=item.cancel_reason_text, created_at=item.create_time,
        updated_at=item.update_time, next_actions=_actions(item.seller_next_action_response),
        lines=tuple(_line(line) for line in item.cancel_line_items),
        refund=_refund(item.refund_amount), cancel_id=item.cancel_id,
        cancel_type=item.cancel_type,
    )  # fmt: skip


def _actions(actions: list[NextAction]) -> tuple[SellerAction, ...]:
    # An action without a deadline asks nothing TikTok will decide alone.
    return tuple(SellerAction(a.action, a.deadline) for a in actions if a.deadline)


def _line(line: RequestLineItem) -> RequestLine:
    return RequestLine(
        order_line_item_id=line.order_line_item_id, sku_id=line.sku_id,
        seller_sku=line.seller_sku, product_name=line.product_name,
        refund=_refund(line.refund_amount),
    )  # fmt: skip


def _refund(amount: WireRefund | None) -> RefundAmount | None:
    if amount is None:
        return None
    total = amount.refund_total
    zero = Money.zero(total.currency)
    return RefundAmount(
        total=total,
        subtotal=amount.refund_subtotal or total,
        shipping=amount.refund_shipping_fee or zero,
        tax=amount.refund_tax or zero,
    )


def _return_type(value: str) -> ReturnType:
    try:
        return ReturnType(value)
    except ValueError:
        return ReturnType.REFUND  # an unknown type moves money but no goods


def _arbitration(value: str) -> Arbitration:
    try:
        return Arbitration(value)
    except ValueError:
        return Arbitration.NONE
