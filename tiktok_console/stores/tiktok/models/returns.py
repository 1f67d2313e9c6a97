"""Returns, refunds and cancellations: what the deadlines view and refund sync read.

Every request carries what the seller must do next and by when
(``seller_next_action_response``); refunds carry their amounts with a currency.
Decisions (approve/reject) are bodies the console sends on the merchant's click.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from tiktok_console.stores.tiktok.models.common import (
    Amount,
    IdStr,
    Image,
    MoneyObject,
    OptionalTime,
    Priced,
    TikTokModel,
    UnixTime,
)

RETURN_STATUSES = frozenset(
    {
        "RETURN_OR_REFUND_REQUEST_PENDING",
        "REFUND_OR_RETURN_REQUEST_REJECT",
        "AWAITING_BUYER_SHIP",
        "BUYER_SHIPPED_ITEM",
        "REJECT_RECEIVE_PACKAGE",
        "RETURN_OR_REFUND_REQUEST_SUCCESS",
        "RETURN_OR_REFUND_REQUEST_CANCEL",
        "RETURN_OR_REFUND_REQUEST_COMPLETE",
        "REPLACEMENT_REQUEST_PENDING",
        "REPLACEMENT_REQUEST_REJECT",
        "REPLACEMENT_REQUEST_REFUND_SUCCESS",
        "REPLACEMENT_REQUEST_CANCEL",
        "REPLACEMENT_REQUEST_COMPLETE",
        "AWAITING_BUYER_RESPONSE",
    }
)
CANCEL_STATUSES = frozenset(
    {
        "CANCELLATION_REQUEST_PENDING",
        "CANCELLATION_REQUEST_SUCCESS",
        "CANCELLATION_REQUEST_CANCEL",
        "CANCELLATION_REQUEST_COMPLETE",
    }
)
RETURN_TYPES = frozenset({"REFUND", "RETURN_AND_REFUND", "REPLACEMENT"})
APPROVE_DECISIONS = frozenset(
    {
        "APPROVE_REFUND",
        "APPROVE_RETURN",
        "APPROVE_RECEIVED_PACKAGE",
        "APPROVE_REPLACEMENT",
        "ISSUE_REPLACEMENT_REFUND",
        "OFFER_PARTIAL_REFUND",
    }
)
REJECT_DECISIONS = frozenset(
    {"REJECT_REFUND", "REJECT_RETURN", "REJECT_RECEIVED_PACKAGE", "REJECT_REPLACEMENT"}
)
# What a pending action asks of the seller -> the approve decision that answers it.
DECISION_FOR_ACTION = {
    "SELLER_RESPOND_REFUND": "APPROVE_REFUND",
    "SELLER_RESPOND_RETURN": "APPROVE_RETURN",
    "SELLER_RESPOND_RECEIVE_PACKAGE": "APPROVE_RECEIVED_PACKAGE",
    "SELLER_RESPOND_REPLACEMENT": "APPROVE_REPLACEMENT",
}
# Search Cancellations 202602 names the buyer's request to cancel this way
# (202309: SELLER_RESPOND_CANCEL); both mean "accept or refuse the cancellation".
CANCEL_ACTIONS = frozenset({"SELLER_RESPOND_BUYER_CANCEL", "SELLER_RESPOND_CANCEL"})
PARTIAL_REFUND_OFFER = "OFFER_PARTIAL_REFUND_AFTER_RECEIVING_PKG"


class RefundAmount(Priced):
    """How much is (or would be) refunded, and of what."""

    refund_total: Amount
    refund_subtotal: Amount | None = None
    refund_shipping_fee: Amount | None = None
    refund_tax: Amount | None = None
    retail_delivery_fee: Amount | None = None
    buyer_service_fee: Amount | None = None


class NextAction(TikTokModel):
    """What the seller must do, and the deadline after which TikTok decides alone."""

    action: str
    deadline: OptionalTime = None


class RequestLineItem(TikTokModel):
    """An order line a return or cancellation covers."""

    order_line_item_id: IdStr
    sku_id: IdStr = ""
    seller_sku: str = ""
    sku_name: str = ""
    product_name: str = ""
    refund_amount: RefundAmount | None = None
    product_image: Image | None = None


class ReturnLineItem(RequestLineItem):
    """A line of a return."""

    return_line_item_id: IdStr = ""


class CancelLineItem(RequestLineItem):
    """A line of a cancellation."""

    cancel_line_item_id: IdStr = ""


class DiscountAmount(Priced):
    """Discounts taken back by a return."""

    product_platform_discount: Amount | None = None
    product_seller_discount: Amount | None = None
    shipping_fee_platform_discount: Amount | None = None
    shipping_fee_seller_discount: Amount | None = None


class ReturnShippingFee(Priced):
    """Who paid the return shipping."""

    buyer_paid_return_shipping_fee: Amount | None = None
    platform_paid_return_shipping_fee: Amount | None = None
    seller_paid_return_shipping_fee: Amount | None = None


class _AfterSale(TikTokModel):
    order_id: IdStr
    role: str = ""
    create_time: UnixTime
    update_time: UnixTime
    seller_next_action_response: list[NextAction] = Field(default_factory=list)
    refund_amount: RefundAmount | None = None

    @property
    def deadline(self) -> datetime | None:
        """The earliest deadline of what the seller must do next, if anything."""
        times = [a.deadline for a in self.seller_next_action_response if a.deadline]
        return min(times) if times else None


class Return(_AfterSale):
    """A return, refund-only or replacement request."""

    return_id: IdStr
    return_type: str = ""
    return_status: str = ""
    return_reason: str = ""
    return_reason_text: str = ""
    arbitration_status: str = ""
    can_buyer_keep_item: bool = False
    shipment_type: str = ""
    handover_method: str = ""
    return_method: str = ""
    return_tracking_number: str = ""
    return_provider_name: str = ""
    return_provider_id: str = ""
    return_line_items: list[ReturnLineItem] = Field(default_factory=list)
    discount_amount: list[DiscountAmount] = Field(default_factory=list)
    shipping_fee_amount: list[ReturnShippingFee] = Field(default_factory=list)
    partial_refund: MoneyObject | None = None
    seller_proposed_return_type: str = ""
    buyer_rejected_partial_refund: bool = False
    is_quick_refund: bool = False  # 202602: the seller cannot refuse the received package


class Cancellation(_AfterSale):
    """A cancellation request (from the buyer, the seller or the system)."""

    cancel_id: IdStr
    cancel_type: str = ""
    cancel_status: str = ""
    cancel_reason: str = ""
    cancel_reason_text: str = ""
    cancel_line_items: list[CancelLineItem] = Field(default_factory=list)
    should_replenish_stock: bool = False  # 202602


class ReturnPage(TikTokModel):
    """One page of Search Returns."""

    return_orders: list[Return] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class CancellationPage(TikTokModel):
    """One page of Search Cancellations."""

    cancellations: list[Cancellation] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class RejectReason(TikTokModel):
    """A reason the seller may give to reject (``name`` goes in the request)."""

    name: str
    text: str = ""


class RejectReasonList(TikTokModel):
    """Get Reject Reasons."""

    reasons: list[RejectReason] = Field(default_factory=list)


class SearchReturnsRequest(TikTokModel):
    """Body of Search Returns (filters)."""

    return_ids: list[str] | None = None
    order_ids: list[str] | None = None
    return_types: list[str] | None = None
    return_status: list[str] | None = None
    arbitration_status: list[str] | None = None
    create_time_ge: UnixTime | None = None
    create_time_lt: UnixTime | None = None
    update_time_ge: UnixTime | None = None
    update_time_lt: UnixTime | None = None
    locale: str | None = None


class SearchCancellationsRequest(TikTokModel):
    """Body of Search Cancellations (filters)."""

    cancel_ids: list[str] | None = None
    order_ids: list[str] | None = None
    cancel_types: list[str] | None = None
    cancel_status: list[str] | None = None
    create_time_ge: UnixTime | None = None
    create_time_lt: UnixTime | None = None
    update_time_ge: UnixTime | None = None
    update_time_lt: UnixTime | None = None
    locale: str | None = None


class ApproveReturnRequest(TikTokModel):
    """Body of Approve Return."""

    decision: str
    buyer_keep_item: bool | None = None
    partial_refund: MoneyObject | None = None


class EvidenceImage(TikTokModel):
    """An uploaded image offered as evidence with a rejection."""

    image_id: str
    mime_type: str | None = None
    height: int | None = None
    width: int | None = None


class PartialRefundAmount(TikTokModel):
    """What the seller offers instead of the full refund (a decimal string > 0)."""

    partial_refund_total: str
    currency: str


class RejectRequest(TikTokModel):
    """Body of Reject Return / Reject Cancellation (``decision`` for returns only)."""

    reject_reason: str
    decision: str | None = None
    comment: str | None = None
    images: list[EvidenceImage] | None = None
    # Reject Return 202606, with decision OFFER_PARTIAL_REFUND_AFTER_RECEIVING_PKG.
    partial_refund_amount: PartialRefundAmount | None = None


class SkuQuantity(TikTokModel):
    """A SKU and a count, as cancel/return requests name them."""

    sku_id: IdStr
    quantity: int


class CancelLine(TikTokModel):
    """An order line to cancel (Cancel Order 202602)."""

    order_line_item_id: str
    sub_order_line_item_id: str | None = None


class CreateCancellationRequest(TikTokModel):
    """Body of Cancel Order (the seller cancels).

    202602 takes the lines as ``order_line_list``; ``order_line_item_ids`` is the
    legacy form, never sent together with it.
    """

    order_id: str
    cancel_reason: str
    order_line_item_ids: list[str] | None = None
    order_line_list: list[CancelLine] | None = None
    skus: list[SkuQuantity] | None = None


class CreatedCancellation(TikTokModel):
    """Cancel Order's answer."""

    cancel_id: IdStr
    cancel_status: str = ""


class CreateReturnRequest(TikTokModel):
    """Body of Create Return."""

    order_id: str
    return_type: str
    return_reason: str
    order_line_item_ids: list[str] | None = None
    skus: list[SkuQuantity] | None = None
    currency: str | None = None
    refund_total: str | None = None
    shipment_type: str | None = None
    handover_method: str | None = None


class CreatedReturn(TikTokModel):
    """Create Return's answer."""

    return_id: IdStr
    return_status: str = ""


class CalculateRefundRequest(TikTokModel):
    """Body of Calculate Refund."""

    order_id: str
    request_type: str
    reason_name: str | None = None
    order_line_item_ids: list[str] | None = None
    skus: list[SkuQuantity] | None = None
    shipment_type: str | None = None
    handover_method: str | None = None


class RefundCalculation(TikTokModel):
    """Calculate Refund's answer."""

    order_refund_amount: RefundAmount


class LineEligibility(TikTokModel):
    """Whether lines may get an after-sale request of one type."""

    eligible: bool = False
    request_type: str = ""
    ineligible_code: int = 0
    ineligible_reason: str = ""
    order_line_items_ids: list[IdStr] = Field(default_factory=list)
    # 202602: the reason names a request of this type may give.
    available_reason_names: list[str] = Field(default_factory=list)


class SkuEligibility(TikTokModel):
    """The after-sale eligibility of one SKU's lines."""

    sku_id: IdStr
    line_item_eligibility: list[LineEligibility] = Field(default_factory=list)


class AftersaleEligibility(TikTokModel):
    """Get Aftersale Eligibility."""

    sku_eligibility: list[SkuEligibility] = Field(default_factory=list)


class ReturnRecord(TikTokModel):
    """One event in a return's history."""

    event: str = ""
    role: str = ""
    description: str = ""
    note: str = ""
    reason_text: str = ""
    create_time: OptionalTime = None


class ReturnRecords(TikTokModel):
    """Get Return Records."""

    records: list[ReturnRecord] = Field(default_factory=list)
