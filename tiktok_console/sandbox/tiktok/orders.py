"""Orders of the sandbox shop: the data each order holds and its money.

An order is one buyer checkout. Line items are one per unit (TikTok has no
quantity field): two units of a SKU are two line items with distinct ids.
Buyer data is masked the way TikTok masks it for apps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tiktok_console.sandbox.tiktok.logistics import DeliveryOption

FINAL_STATUSES = ("COMPLETED", "CANCELLED")


@dataclass
class Buyer:
    """The recipient; only the masked forms go on the wire."""

    user_id: str
    first_name: str
    last_name: str
    phone: str  # 10 digits
    email: str  # relay address
    street: str
    city: str
    state: str
    postal_code: str


@dataclass
class LineItem:
    """One unit of one SKU."""

    id: str
    sku_id: str
    product_id: str
    seller_sku: str
    product_name: str
    sku_name: str
    original_price: Decimal
    seller_discount: Decimal
    platform_discount: Decimal
    tax: Decimal
    tax_rate: Decimal
    is_gift: bool = False
    package_id: str = ""
    package_status: str = "TO_FULFILL"
    display_status: str = "UNPAID"
    tracking_number: str = ""
    provider_id: str = ""
    provider_name: str = ""
    cancel_reason: str = ""
    cancel_user: str = ""
    refunded: bool = False

    @property
    def sale_price(self) -> Decimal:
        """What the buyer paid for the unit before tax."""
        return self.original_price - self.seller_discount - self.platform_discount


@dataclass
class Package:
    """A shipment of some of an order's line items."""

    id: str
    order_id: str
    line_item_ids: list[str]
    status: str  # PROCESSING | FULFILLING | COMPLETED | CANCELLED
    create_time: int
    update_time: int
    provider_id: str = ""
    provider_name: str = ""
    tracking_number: str = ""
    tracking_updates: int = 0


@dataclass
class Fate:
    """What the buyer will do, drawn when the order is created (keeps runs deterministic)."""

    pay_after: int
    cancel_unpaid_after: int | None = None
    cancel_on_hold_after: int | None = None
    cancel_request_after: int | None = None
    transit_seconds: int = 3 * 86400
    return_after: int | None = None
    return_type: str = "REFUND"
    auto_ship_after: int | None = None
    seller_rejects_return: bool = False


@dataclass
class Order:
    """One TikTok order and everything the API reports about it."""

    id: str
    status: str
    create_time: int
    update_time: int
    buyer: Buyer
    line_items: list[LineItem]
    option: DeliveryOption
    warehouse_id: str
    fulfillment_type: str
    fate: Fate
    currency: str
    shipping_fee: Decimal
    shipping_seller_discount: Decimal
    shipping_platform_discount: Decimal
    is_sample: bool = False
    buyer_message: str = ""
    affiliate: bool = False
    partial_refund: Decimal = Decimal(0)  # money refunded without units (partial-refund offers)
    paid_time: int = 0
    rts_sla_time: int = 0
    tts_sla_time: int = 0
    shipping_due_time: int = 0
    cancel_order_sla_time: int = 0
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    cancel_time: int = 0
    request_cancel_time: int = 0
    is_buyer_request_cancel: bool = False
    rts_time: int = 0
    delivery_time: int = 0
    collection_time: int = 0
    packages: list[str] = field(default_factory=list)
    tracking_number: str = ""
    provider_id: str = ""
    provider_name: str = ""

    @property
    def shipping_type(self) -> str:
        """TIKTOK when TikTok arranges the carrier, SELLER otherwise."""
        return "TIKTOK" if self.option.tiktok_shipped else "SELLER"

    def line(self, line_id: str) -> LineItem | None:
        """The line item with ``line_id``."""
        return next((li for li in self.line_items if li.id == line_id), None)

    def touch(self, when: int, status: str | None = None) -> None:
        """Record a change at ``when``; TikTok bumps update_time on every change."""
        if status is not None:
            self.status = status
            for li in self.line_items:
                if li.display_status not in ("CANCELLED",):
                    li.display_status = status if status != "ON_HOLD" else "AWAITING_SHIPMENT"
        self.update_time = max(self.update_time, when)


@dataclass(frozen=True)
class Payment:
    """The order's money, all Decimal; the wire shows strings."""

    original_total_product_price: Decimal
    seller_discount: Decimal
    platform_discount: Decimal
    sub_total: Decimal
    original_shipping_fee: Decimal
    shipping_fee_seller_discount: Decimal
    shipping_fee_platform_discount: Decimal
    shipping_fee: Decimal
    product_tax: Decimal
    shipping_fee_tax: Decimal
    tax: Decimal
    total_amount: Decimal


def payment_of(order: Order) -> Payment:
    """Totals per TikTok's formulas (sub_total and total_amount docs)."""
    items = order.line_items
    original = sum((li.original_price for li in items), Decimal(0))
    seller = sum((li.seller_discount for li in items), Decimal(0))
    platform = sum((li.platform_discount for li in items), Decimal(0))
    sub_total = original - seller - platform
    shipping = (
        order.shipping_fee - order.shipping_seller_discount - order.shipping_platform_discount
    )
    product_tax = sum((li.tax for li in items), Decimal(0))
    shipping_tax = Decimal(0)  # Assumption: shipping is untaxed in the sandbox's states.
    tax = product_tax + shipping_tax
    return Payment(
        original,
        seller,
        platform,
        sub_total,
        order.shipping_fee,
        order.shipping_seller_discount,
        order.shipping_platform_discount,
        shipping,
        product_tax,
        shipping_tax,
        tax,
        sub_total + shipping + tax,
    )
