"""TikTok after-sales requests as the console reasons about them: returns, cancellations, disputes.

The TikTok client parses Search Returns / Search Cancellations; the after-sales
job turns each into one of these frozen views. Everything that decides what a
request means for the merchant (is TikTok waiting on the seller and until when,
is the refund done, did the parcel come back) works on them alone, so those
rules are tested without a store and replayed over stored payloads.

TikTok has no separate dispute API: a dispute is a rejected return the buyer
escalated to the platform (``arbitration_status``); ``DisputeView`` names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tiktok_console.domain.money import Money


class ReturnType(StrEnum):
    """What the buyer asked for after delivery."""

    REFUND = "REFUND"  # refund only: the buyer keeps the item
    RETURN_AND_REFUND = "RETURN_AND_REFUND"
    REPLACEMENT = "REPLACEMENT"
    EXCHANGE = "EXCHANGE"


class Arbitration(StrEnum):
    """Where a dispute stands with the platform ("" when there is none)."""

    NONE = ""
    IN_PROGRESS = "IN_PROGRESS"
    SUPPORT_BUYER = "SUPPORT_BUYER"
    SUPPORT_SELLER = "SUPPORT_SELLER"
    CLOSED = "CLOSED"


# TikTok's next-action codes, by what the seller is asked to do. The cancel action
# is spelled SELLER_RESPOND_CANCEL in 202309 and SELLER_RESPOND_BUYER_CANCEL in 202602.
RESPOND_TO_REQUEST = frozenset(
    {"SELLER_RESPOND_REFUND", "SELLER_RESPOND_RETURN", "SELLER_RESPOND_REPLACEMENT"}
)
RESPOND_TO_PACKAGE = "SELLER_RESPOND_RECEIVE_PACKAGE"
RESPOND_TO_CANCEL = frozenset({"SELLER_RESPOND_CANCEL", "SELLER_RESPOND_BUYER_CANCEL"})

# The money has reached (or is on its way to) the buyer: a Shopify refund is due.
REFUNDED_RETURN_STATUSES = frozenset(
    {
        "RETURN_OR_REFUND_REQUEST_SUCCESS",
        "RETURN_OR_REFUND_REQUEST_COMPLETE",
        "REPLACEMENT_REQUEST_REFUND_SUCCESS",
        "EXCHANGE_REQUEST_REFUND_SUCCESS",
    }
)
REFUNDED_CANCEL_STATUSES = frozenset(
    {"CANCELLATION_REQUEST_SUCCESS", "CANCELLATION_REQUEST_COMPLETE"}
)
# Nothing more will happen to the request.
CLOSED_RETURN_STATUSES = frozenset(
    {
        "RETURN_OR_REFUND_REQUEST_COMPLETE",
        "RETURN_OR_REFUND_REQUEST_CANCEL",
        "REPLACEMENT_REQUEST_COMPLETE",
        "REPLACEMENT_REQUEST_CANCEL",
        "REPLACEMENT_REQUEST_REJECT",
        "EXCHANGE_REQUEST_COMPLETE",
        "EXCHANGE_REQUEST_CANCEL",
    }
)
CLOSED_CANCEL_STATUSES = frozenset({"CANCELLATION_REQUEST_CANCEL", "CANCELLATION_REQUEST_COMPLETE"})
# The buyer sent the parcel back: seen on the way to a refund, it means goods came back.
PARCEL_SENT_STATUSES = frozenset({"BUYER_SHIPPED_ITEM"})
PARCEL_REFUSED_STATUS = "REJECT_RECEIVE_PACKAGE"


@dataclass(frozen=True)
class SellerAction:
    """What TikTok waits for from the seller, and when it decides alone.

    Attributes:
        action: TikTok's code (``SELLER_RESPOND_REFUND``, ``SELLER_RESPOND_RECEIVE_PACKAGE``...).
        deadline: exactly TikTok's deadline (aware UTC).
    """

    action: str
    deadline: datetime

    def __post_init__(self) -> None:
        if self.deadline.tzinfo is None:
            raise ValueError("a deadline must be timezone-aware")


@dataclass(frozen=True)
class RefundAmount:
    """How much TikTok refunds, and of what (all in one currency).

    Attributes:
        total: ``refund_total``: what the buyer gets back.
        subtotal: ``refund_subtotal``: the goods.
        shipping: ``refund_shipping_fee``: the shipping the buyer paid.
        tax: ``refund_tax``.
    """

    total: Money
    subtotal: Money
    shipping: Money
    tax: Money

    @classmethod
    def only_total(cls, total: Money) -> RefundAmount:
        """A refund whose parts TikTok did not itemise."""
        zero = Money.zero(total.currency)
        return cls(total, total, zero, zero)


@dataclass(frozen=True)
class RequestLine:
    """One order line (one unit, as TikTok counts) a request covers.

    Attributes:
        order_line_item_id: the TikTok order line item.
        sku_id: the TikTok SKU, which names the Shopify line it became.
        seller_sku: the seller's SKU, for people.
        product_name: the product title, for people.
        refund: what TikTok refunds for this line, when it says.
    """

    order_line_item_id: str
    sku_id: str
    seller_sku: str = ""
    product_name: str = ""
    refund: RefundAmount | None = None


@dataclass(frozen=True)
class _Request:
    order_id: str
    status: str
    role: str
    reason_text: str
    created_at: datetime
    updated_at: datetime
    next_actions: tuple[SellerAction, ...]
    lines: tuple[RequestLine, ...]
    refund: RefundAmount | None

    @property
    def awaiting_seller(self) -> bool:
        """TikTok waits for the seller (and will decide alone at the deadline)."""
        return bool(self.next_actions)

    @property
    def next_deadline(self) -> datetime | None:
        """The earliest deadline the seller faces, if any."""
        return min((a.deadline for a in self.next_actions), default=None)


@dataclass(frozen=True)
class ReturnView(_Request):
    """A return, refund-only, replacement or exchange request.

    Attributes:
        return_id: TikTok's return id (the Shopify refund's idempotency key).
        return_type: what the buyer asked for.
        arbitration: the dispute's state, if the buyer escalated.
        can_buyer_keep_item: TikTok lets the buyer keep the goods.
        is_quick_refund: refunded before the parcel arrives (202602).
        tracking_number: the return parcel's tracking, "" before it ships.
        statuses_seen: every status this return has been seen in, this one included:
            a completed return only says the parcel came back through its history.
    """

    return_id: str = ""
    return_type: ReturnType = ReturnType.REFUND
    arbitration: Arbitration = Arbitration.NONE
    can_buyer_keep_item: bool = False
    is_quick_refund: bool = False
    tracking_number: str = ""
    statuses_seen: frozenset[str] = frozenset()

    @property
    def refund_only(self) -> bool:
        """The buyer keeps the goods: nothing comes back to stock."""
        return self.return_type is ReturnType.REFUND or self.can_buyer_keep_item

    @property
    def refunded(self) -> bool:
        """TikTok has refunded (or is refunding) the buyer."""
        return self.status in REFUNDED_RETURN_STATUSES

    @property
    def closed(self) -> bool:
        """Nothing more will happen to this return."""
        return self.status in CLOSED_RETURN_STATUSES

    @property
    def parcel_received(self) -> bool:
        """TikTok confirms the goods came back to the seller, accepted.

        The buyer shipped them (``BUYER_SHIPPED_ITEM`` seen), the seller did not
        refuse the package, and the return went on to its refund. A refused
        parcel (wrong or damaged goods) is not stock, even if arbitration refunds.
        """
        return (
            not self.refund_only
            and self.refunded
            and bool(self.statuses_seen & PARCEL_SENT_STATUSES)
            and PARCEL_REFUSED_STATUS not in self.statuses_seen
        )

    @property
    def in_dispute(self) -> bool:
        """The platform is arbitrating between buyer and seller."""
        return self.arbitration is Arbitration.IN_PROGRESS


@dataclass(frozen=True)
class CancellationView(_Request):
    """A cancellation request (buyer, seller, system or operator).

    Attributes:
        cancel_id: TikTok's cancellation id (the Shopify refund's idempotency key).
        cancel_type: ``BUYER_CANCEL`` (asks the seller) or ``CANCEL``.
        should_replenish_stock: TikTok's word on restocking (202602), None if unsaid.
    """

    cancel_id: str = ""
    cancel_type: str = ""
    should_replenish_stock: bool | None = None

    @property
    def refunded(self) -> bool:
        """The cancellation went through and the buyer is refunded."""
        return self.status in REFUNDED_CANCEL_STATUSES

    @property
    def closed(self) -> bool:
        """Nothing more will happen to this request."""
        return self.status in CLOSED_CANCEL_STATUSES


@dataclass(frozen=True)
class DisputeView:
    """A return the buyer escalated to TikTok after the seller refused it.

    Attributes:
        return_id: the disputed return.
        order_id: its TikTok order.
        arbitration: where the platform's decision stands.
        amount: what the buyer claims back, when known.
        deadline: when TikTok wants the seller's answer, only if it asks one
            (the API carries no evidence deadline otherwise).
    """

    return_id: str
    order_id: str
    arbitration: Arbitration
    amount: Money | None
    deadline: datetime | None

    @property
    def open(self) -> bool:
        """The platform has not decided yet."""
        return self.arbitration is Arbitration.IN_PROGRESS


def dispute_of(view: ReturnView) -> DisputeView | None:
    """The dispute a return carries, or None when the buyer never escalated."""
    if view.arbitration is Arbitration.NONE:
        return None
    return DisputeView(
        return_id=view.return_id,
        order_id=view.order_id,
        arbitration=view.arbitration,
        amount=view.refund.total if view.refund else None,
        deadline=view.next_deadline if view.in_dispute else None,
    )


def merge_statuses(seen: Iterable[str], status: str) -> frozenset[str]:
    """The history kept for a request once ``status`` is seen too."""
    return frozenset(seen) | {status}
