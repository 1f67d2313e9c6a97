"""Where an after-sales request stands, in a few words a merchant filters by.

TikTok has eighteen return statuses and four cancellation statuses, several
meaning the same thing to the merchant (who must act now? is the money back?).
``stage_of`` folds them, with the pending action and any dispute, into one
``Stage`` for the Deadlines and returns views.
"""

from __future__ import annotations

from enum import StrEnum

from tiktok_console.domain.aftersales import CancellationView, ReturnView


class Stage(StrEnum):
    """A request's stage, as the merchant sees it."""

    AWAITING_SELLER = "awaiting_seller"  # TikTok waits for you, until a deadline
    AWAITING_BUYER = "awaiting_buyer"  # the buyer must ship the parcel or answer
    PARCEL_RETURNING = "parcel_returning"  # the buyer shipped it back
    IN_DISPUTE = "in_dispute"  # the platform arbitrates
    PENDING = "pending"  # TikTok is processing
    REFUNDED = "refunded"  # the buyer has (or is getting) the money back
    REJECTED = "rejected"  # refused; no refund
    WITHDRAWN = "withdrawn"  # the buyer cancelled the request
    COMPLETED = "completed"  # a replacement or exchange was sent
    CLOSED = "closed"  # ended without a refund: rejected or withdrawn, TikTok does not say


_AWAITING_BUYER = frozenset({"AWAITING_BUYER_SHIP", "AWAITING_BUYER_RESPONSE"})
_REJECTED = frozenset(
    {"REFUND_OR_RETURN_REQUEST_REJECT", "REPLACEMENT_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE"}
)
_WITHDRAWN = frozenset(
    {"RETURN_OR_REFUND_REQUEST_CANCEL", "REPLACEMENT_REQUEST_CANCEL", "EXCHANGE_REQUEST_CANCEL"}
)
_COMPLETED = frozenset({"REPLACEMENT_REQUEST_COMPLETE", "EXCHANGE_REQUEST_COMPLETE"})


def stage_of(request: ReturnView | CancellationView) -> Stage:
    """The stage of a return or cancellation request."""
    if isinstance(request, CancellationView):
        return _cancellation_stage(request)
    if request.in_dispute:
        return Stage.IN_DISPUTE
    if request.awaiting_seller:
        return Stage.AWAITING_SELLER
    if request.refunded:
        return Stage.REFUNDED
    for statuses, stage in (
        (_AWAITING_BUYER, Stage.AWAITING_BUYER),
        (_REJECTED, Stage.REJECTED),
        (_WITHDRAWN, Stage.WITHDRAWN),
        (_COMPLETED, Stage.COMPLETED),
    ):
        if request.status in statuses:
            return stage
    if request.status == "BUYER_SHIPPED_ITEM":
        return Stage.PARCEL_RETURNING
    return Stage.PENDING


def _cancellation_stage(request: CancellationView) -> Stage:
    if request.awaiting_seller:
        return Stage.AWAITING_SELLER
    if request.refunded:
        return Stage.REFUNDED
    if request.status == "CANCELLATION_REQUEST_CANCEL":
        return Stage.CLOSED
    return Stage.PENDING
