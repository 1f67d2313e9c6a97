"""Orders as Get Order List / Get Order Detail send them, and the search filters.

TikTok sends one line item per unit (there is no quantity field), so
``group_lines`` turns lines into (SKU, count) groups before an order is
created in Shopify. Statuses are kept as sent; ``ORDER_STATUSES`` lists the
documented ones.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from pydantic import Field

from tiktok_console.domain.money import Money, total
from tiktok_console.stores.tiktok.models.common import (
    Address,
    Amount,
    IdStr,
    OptionalTime,
    Priced,
    TikTokModel,
    UnixTime,
    WireDecimal,
)

ORDER_STATUSES = frozenset(
    {
        "UNPAID",
        "ON_HOLD",
        "AWAITING_SHIPMENT",
        "PARTIALLY_SHIPPING",
        "AWAITING_COLLECTION",
        "IN_TRANSIT",
        "DELIVERED",
        "COMPLETED",
        "CANCELLED",
    }
)
LINE_PACKAGE_STATUSES = frozenset(
    {"TO_FULFILL", "PROCESSING", "FULFILLING", "COMPLETED", "CANCELLED"}
)
FULFILLMENT_TYPES = frozenset({"FULFILLMENT_BY_SELLER", "FULFILLMENT_BY_TIKTOK"})


class OrderPayment(Priced):
    """What the buyer paid and who funded which discount, in the order's currency."""

    total_amount: Amount
    sub_total: Amount | None = None
    shipping_fee: Amount | None = None
    seller_discount: Amount | None = None
    platform_discount: Amount | None = None
    original_total_product_price: Amount | None = None
    original_shipping_fee: Amount | None = None
    shipping_fee_seller_discount: Amount | None = None
    shipping_fee_platform_discount: Amount | None = None
    tax: Amount | None = None
    product_tax: Amount | None = None
    shipping_fee_tax: Amount | None = None
    retail_delivery_fee: Amount | None = None
    buyer_service_fee: Amount | None = None


class ItemTax(TikTokModel):
    """One tax on a line."""

    tax_type: str = ""
    tax_amount: WireDecimal = Decimal(0)
    tax_rate: WireDecimal = Decimal(0)


class CombinedListingSku(TikTokModel):
    """A SKU inside a virtual bundle line."""

    sku_id: IdStr = ""
    product_id: IdStr = ""
    seller_sku: str = ""
    sku_count: int = 1


class OrderLineItem(Priced):
    """One unit of one SKU in an order."""

    id: IdStr
    sku_id: IdStr
    product_id: IdStr = ""
    seller_sku: str = ""
    product_name: str = ""
    sku_name: str = ""
    sku_image: str = ""
    sku_type: str = ""
    original_price: Amount
    sale_price: Amount
    seller_discount: Amount | None = None
    platform_discount: Amount | None = None
    display_status: str = ""
    package_id: IdStr = ""
    package_status: str = ""
    tracking_number: str = ""
    shipping_provider_id: IdStr = ""
    shipping_provider_name: str = ""
    is_gift: bool = False
    cancel_reason: str = ""
    cancel_user: str = ""
    item_tax: list[ItemTax] = Field(default_factory=list)
    combined_listing_skus: list[CombinedListingSku] = Field(default_factory=list)


class PackageRef(TikTokModel):
    """A package of the order."""

    id: IdStr


class Order(TikTokModel):
    """One order (the same object in search results and detail)."""

    id: IdStr
    status: str
    create_time: UnixTime
    update_time: UnixTime
    paid_time: OptionalTime = None
    user_id: IdStr = ""
    buyer_email: str = ""
    buyer_message: str = ""
    seller_note: str = ""
    is_cod: bool = False
    is_on_hold_order: bool = False
    is_sample_order: bool = False
    is_replacement_order: bool = False
    is_buyer_request_cancel: bool = False
    fulfillment_type: str = ""
    shipping_type: str = ""
    delivery_option_id: IdStr = ""
    delivery_option_name: str = ""
    shipping_provider: str = ""
    shipping_provider_id: IdStr = ""
    tracking_number: str = ""
    warehouse_id: IdStr = ""
    rts_sla_time: OptionalTime = None
    tts_sla_time: OptionalTime = None
    shipping_due_time: OptionalTime = None
    collection_due_time: OptionalTime = None
    delivery_due_time: OptionalTime = None
    cancel_order_sla_time: OptionalTime = None
    rts_time: OptionalTime = None
    collection_time: OptionalTime = None
    delivery_time: OptionalTime = None
    cancel_time: OptionalTime = None
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    split_or_combine_tag: str = ""
    packages: list[PackageRef] = Field(default_factory=list)
    payment: OrderPayment
    recipient_address: Address = Field(default_factory=Address)
    line_items: list[OrderLineItem] = Field(default_factory=list)

    @property
    def currency(self) -> str:
        """The order's currency."""
        return self.payment.currency

    def grouped_lines(self) -> list[SkuGroup]:
        """The line items grouped by SKU, with counts (see ``group_lines``)."""
        return group_lines(self.line_items)


class OrderPage(TikTokModel):
    """One page of Get Order List."""

    orders: list[Order] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class OrderList(TikTokModel):
    """Get Order Detail: the orders asked for."""

    orders: list[Order] = Field(default_factory=list)


@dataclass(frozen=True)
class SkuGroup:
    """All the lines of one SKU in an order: what becomes one Shopify line.

    Attributes:
        sku_id: TikTok's SKU id.
        seller_sku: the seller SKU (what mapping matches first).
        quantity: how many units (lines) there are.
        lines: the lines themselves, in order.
    """

    sku_id: str
    seller_sku: str
    quantity: int
    lines: tuple[OrderLineItem, ...]

    @property
    def sale_total(self) -> Money:
        """What the buyer paid for these units before order-level discounts."""
        return total([line.sale_price for line in self.lines], self.lines[0].currency)

    @property
    def line_ids(self) -> list[str]:
        """The order line item ids (to name when shipping)."""
        return [line.id for line in self.lines]


def group_lines(lines: list[OrderLineItem]) -> list[SkuGroup]:
    """Group per-unit line items by ``sku_id``, keeping first-seen order."""
    groups: OrderedDict[str, list[OrderLineItem]] = OrderedDict()
    for line in lines:
        groups.setdefault(line.sku_id, []).append(line)
    return [
        SkuGroup(sku_id, members[0].seller_sku, len(members), tuple(members))
        for sku_id, members in groups.items()
    ]


class SearchOrdersRequest(TikTokModel):
    """Body of Get Order List (filters; paging goes in the query)."""

    order_status: str | None = None
    create_time_ge: UnixTime | None = None
    create_time_lt: UnixTime | None = None
    update_time_ge: UnixTime | None = None
    update_time_lt: UnixTime | None = None
    shipping_type: str | None = None
    buyer_user_id: str | None = None
    is_buyer_request_cancel: bool | None = None
    warehouse_ids: list[str] | None = None
