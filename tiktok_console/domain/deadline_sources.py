"""Where deadlines come from: a return, a cancellation, a dispute, an order, a sign-in.

Each function turns one domain view into the ``Deadline`` items it carries,
with the action and what happens at zero in the merchant's words and the
money at stake, so the Deadlines page, the CLI and the notifications all say
the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from tiktok_console.domain.aftersales import (
    RESPOND_TO_PACKAGE,
    CancellationView,
    DisputeView,
    ReturnType,
    ReturnView,
    SellerAction,
)
from tiktok_console.domain.deadlines import Deadline, DeadlineKind, one_per_kind
from tiktok_console.domain.money import Money

_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
AUTO_CANCEL = "AUTO_CANCEL"
SHIP_BY = "SHIP_BY"
REAUTHORIZE = "REAUTHORIZE"
SHIP_ACTION = "Ship the order"


@dataclass(frozen=True)
class OrderDueTimes:
    """The deadlines a TikTok order itself carries (absent ones are None).

    Attributes:
        order_id: the TikTok order.
        ship_by: ``shipping_due_time`` / ``rts_sla_time``: hand the parcel over by.
        auto_cancel_at: ``cancel_order_sla_time``: TikTok cancels an unshipped order.
        collection_due: ``collection_due_time``: the carrier must have collected.
        delivery_due: ``delivery_due_time``: the buyer must have received.
    """

    order_id: str
    ship_by: datetime | None = None
    auto_cancel_at: datetime | None = None
    collection_due: datetime | None = None
    delivery_due: datetime | None = None


@lru_cache(maxsize=4096)  # a queue repeats the same few prices thousands of times
def money_words(amount: Money) -> str:
    """``$24.90``, ``£7.00``, or ``1200 IDR`` where no symbol is commonly known."""
    symbol = _SYMBOLS.get(amount.currency)
    return f"{symbol}{amount.to_wire()}" if symbol else f"{amount.to_wire()} {amount.currency}"


def return_deadlines(view: ReturnView) -> list[Deadline]:
    """The clocks a return runs: answer the request, confirm the parcel, answer a dispute."""
    amount = view.refund.total if view.refund else None
    return return_items(
        view.order_id, view.return_id, view.return_type, view.in_dispute, view.next_actions, amount
    )


def return_items(
    order_id: str,
    return_id: str,
    return_type: ReturnType,
    in_dispute: bool,
    steps: Iterable[SellerAction],
    amount: Money | None,
) -> list[Deadline]:
    """``return_deadlines`` from a return's bare facts (what a stored row holds)."""
    items = []
    for step in steps:
        if in_dispute:
            kind, action, at_zero = _dispute_words()
        elif step.action == RESPOND_TO_PACKAGE:
            kind = DeadlineKind.RECEIVE_PACKAGE
            action = "Confirm the returned parcel (or reject it)"
            at_zero = "confirms the parcel for you" + _refunding(amount)
        else:
            kind = DeadlineKind.RETURN_RESPONSE
            action, at_zero = _return_words(return_type, amount)
        items.append(_item(kind, order_id, return_id, step, action, at_zero, amount))
    return one_per_kind(items)  # a disputed return's steps are one dispute clock


def cancellation_deadlines(view: CancellationView) -> list[Deadline]:
    """The clock of a buyer's cancellation request awaiting the seller."""
    amount = view.refund.total if view.refund else None
    return cancellation_items(view.order_id, view.cancel_id, view.next_actions, amount)


def cancellation_items(
    order_id: str, cancel_id: str, steps: Iterable[SellerAction], amount: Money | None
) -> list[Deadline]:
    """``cancellation_deadlines`` from a request's bare facts (what a stored row holds)."""
    action = "Approve or reject the cancellation (shipping the order rejects it)"
    at_zero = "cancels the order" + _refunding(amount)
    return one_per_kind(
        _item(
            DeadlineKind.CANCELLATION_RESPONSE, order_id, cancel_id, step, action, at_zero, amount
        )
        for step in steps
    )


def dispute_deadlines(view: DisputeView) -> list[Deadline]:
    """A dispute's clock, only when TikTok asks the seller something by a date."""
    if not view.open or view.deadline is None:
        return []
    kind, action, at_zero = _dispute_words()
    return [
        Deadline(
            kind, view.order_id, view.return_id, view.deadline, action, at_zero, view.amount,
            "ARBITRATION",
        )
    ]  # fmt: skip


def order_deadlines(times: OrderDueTimes, amount: Money | None = None) -> list[Deadline]:
    """An unshipped order's one clock: ship it, by the ship-by time or TikTok's auto-cancel.

    Both clocks ask the same thing (ship the order), so the order is one row:
    at the auto-cancel when it comes first or at the same time (TikTok sets them
    equal for many orders; cancelling is the worse outcome), else at the ship-by
    time, saying that TikTok cancels the order later.
    """
    ship_by, auto_cancel = times.ship_by, times.auto_cancel_at
    if auto_cancel is not None and (ship_by is None or auto_cancel <= ship_by):
        at_zero = "cancels the order" + _refunding(amount)
        return [
            Deadline(
                DeadlineKind.SHIP_BY, times.order_id, None, auto_cancel,
                SHIP_ACTION, at_zero, amount, AUTO_CANCEL,
            )
        ]  # fmt: skip
    if ship_by is None:
        return []
    at_zero = "counts the order late against the shop"
    if auto_cancel is not None:
        at_zero += f", and cancels it {_span(auto_cancel - ship_by)} later"
    return [
        Deadline(
            DeadlineKind.SHIP_BY, times.order_id, None, ship_by, SHIP_ACTION, at_zero,
            amount, SHIP_BY,
        )
    ]  # fmt: skip


def _span(span: timedelta) -> str:
    """``3 days``, ``5 h``, ``40 min``: how much later the second clock runs out."""
    minutes = int(span.total_seconds() // 60)
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)} days"
    if minutes >= 60:
        return f"{minutes // 60} h"
    return f"{max(minutes, 1)} min"


def reauthorize_deadline(store: str, expires_at: datetime) -> Deadline:
    """A store sign-in that ends: sync with that store stops until the merchant signs in."""
    name = {"tiktok": "TikTok Shop", "shopify": "Shopify"}.get(store, store)
    return Deadline(
        DeadlineKind.REAUTHORIZE, "", None, expires_at, f"Sign in to {name} again",
        f"stops syncing with {name} until you sign in", None, f"{REAUTHORIZE}:{store}",
    )  # fmt: skip


def _return_words(kind: ReturnType, amount: Money | None) -> tuple[str, str]:
    if kind is ReturnType.REFUND:
        if amount is None:
            return "Approve or reject the refund", "auto-approves the refund"
        return "Approve or reject the refund", f"auto-approves a {money_words(amount)} refund"
    if kind is ReturnType.RETURN_AND_REFUND:
        return "Approve or reject the return", "auto-approves the return" + _refunding(amount)
    return "Approve or reject the replacement", "auto-approves a replacement"


def _dispute_words() -> tuple[DeadlineKind, str, str]:
    return (
        DeadlineKind.DISPUTE_RESPONSE,
        "Send TikTok your evidence",
        "decides the dispute without your evidence",
    )


def _refunding(amount: Money | None) -> str:
    return f" and refunds {money_words(amount)}" if amount is not None else ""


def _item(
    kind: DeadlineKind,
    order_id: str,
    request_id: str,
    step: SellerAction,
    action: str,
    at_zero: str,
    amount: Money | None,
) -> Deadline:
    return Deadline(kind, order_id, request_id, step.deadline, action, at_zero, amount, step.action)
