"""The store's records: plain mutable dataclasses, guarded by the store's lock.

Numeric IDs only; ``ids.gid`` turns them into global IDs at the API edge.
Inventory quantities live on ``LevelRec`` by Shopify's quantity names; ``on_hand``
is derived (available + committed + reserved + ...), as Shopify defines it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Quantity names that make up on_hand (Shopify's inventory states).
ON_HAND_PARTS = ("available", "committed", "reserved", "damaged", "safety_stock", "quality_control")
QUANTITY_NAMES = (*ON_HAND_PARTS, "incoming", "on_hand")


@dataclass
class LocationRec:
    id: int
    key: str
    name: str
    city: str
    fulfills_online_orders: bool
    is_active: bool
    created_at: float


@dataclass
class ImageRec:
    id: int
    name: str
    alt: str
    width: int
    height: int


@dataclass
class ProductRec:
    id: int
    handle: str
    title: str
    description_html: str
    vendor: str
    product_type: str
    tags: list[str]
    status: str
    images: list[ImageRec]
    variant_ids: list[int]
    created_at: float
    updated_at: float


@dataclass
class VariantRec:
    id: int
    product_id: int
    sku: str
    options: list[tuple[str, str]]
    price: Decimal
    compare_at_price: Decimal | None
    barcode: str | None
    position: int
    inventory_item_id: int
    inventory_policy: str
    created_at: float
    updated_at: float

    @property
    def title(self) -> str:
        return " / ".join(v for _, v in self.options) or "Default Title"


@dataclass
class InventoryItemRec:
    id: int
    variant_id: int
    weight_value: float | None  # None: no weight set (reads as 0)
    tracked: bool
    created_at: float
    updated_at: float
    weight_unit: str = "GRAMS"  # a WeightUnit, as the weight was written


@dataclass
class LevelRec:
    location_id: int
    item_id: int
    quantities: dict[str, int]
    created_at: float
    updated_at: float

    def quantity(self, name: str) -> int:
        if name == "on_hand":
            return sum(self.quantities.get(part, 0) for part in ON_HAND_PARTS)
        return self.quantities.get(name, 0)


@dataclass
class TaxLineRec:
    title: str
    rate: Decimal
    amount: Decimal


@dataclass
class LineItemRec:
    id: int
    variant_id: int | None
    product_id: int | None
    sku: str
    title: str
    variant_title: str | None
    quantity: int
    price: Decimal
    tax_lines: list[TaxLineRec]
    custom_attributes: list[tuple[str, str | None]]
    requires_shipping: bool
    fulfilled: int = 0
    refunded: int = 0
    cancelled: int = 0
    committed_location_id: int | None = None  # where inventory was committed

    @property
    def current_quantity(self) -> int:
        return self.quantity - self.refunded - self.cancelled

    @property
    def unfulfilled(self) -> int:
        return max(0, self.current_quantity - self.fulfilled)


@dataclass
class ShippingLineRec:
    id: int
    title: str
    code: str | None
    source: str | None
    price: Decimal
    tax_lines: list[TaxLineRec]


@dataclass
class TransactionRec:
    id: int
    kind: str
    status: str
    gateway: str
    amount: Decimal
    test: bool
    created_at: float
    processed_at: float
    parent_id: int | None = None


@dataclass
class OrderRec:
    id: int
    number: int
    email: str | None
    phone: str | None
    tags: list[str]
    note: str | None
    source_name: str
    source_identifier: str | None
    custom_attributes: list[tuple[str, str | None]]
    processed_at: float
    created_at: float
    updated_at: float
    currency: str
    line_items: list[LineItemRec]
    shipping_address: dict[str, Any] | None
    shipping_lines: list[ShippingLineRec]
    transactions: list[TransactionRec]
    financial_status: str
    test: bool
    created_by_api: bool
    taxes_included: bool = False
    cancelled_at: float | None = None
    cancel_reason: str | None = None
    cancel_notified_customer: bool = False  # orderCancel's notifyCustomer
    closed_at: float | None = None
    fulfillment_order_ids: list[int] = field(default_factory=list)
    fulfillment_ids: list[int] = field(default_factory=list)
    refund_ids: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"#{self.number}"


@dataclass
class FulfillmentOrderLineRec:
    id: int
    line_item_id: int
    total_quantity: int
    remaining_quantity: int


@dataclass
class FulfillmentOrderRec:
    id: int
    order_id: int
    location_id: int
    status: str
    lines: list[FulfillmentOrderLineRec]
    created_at: float
    updated_at: float
    fulfillment_ids: list[int] = field(default_factory=list)


@dataclass
class TrackingRec:
    company: str | None
    number: str | None
    url: str | None


@dataclass
class FulfillmentRec:
    id: int
    order_id: int
    sequence: int
    status: str
    tracking: list[TrackingRec]
    lines: list[tuple[int, int]]  # (line item id, quantity)
    location_id: int
    fulfillment_order_ids: list[int]
    created_at: float
    updated_at: float


@dataclass
class RefundLineRec:
    id: int
    line_item_id: int
    quantity: int
    restock_type: str
    location_id: int | None
    restocked: bool
    price: Decimal


@dataclass
class RefundRec:
    id: int
    order_id: int
    note: str | None
    lines: list[RefundLineRec]
    transactions: list[TransactionRec]
    shipping: Decimal
    created_at: float

    @property
    def total(self) -> Decimal:
        return sum((t.amount for t in self.transactions if t.status == "SUCCESS"), Decimal(0))


@dataclass
class AdjustmentChangeRec:
    name: str
    delta: int
    quantity_after: int | None
    item_id: int
    location_id: int
    ledger_document_uri: str | None


@dataclass
class AdjustmentGroupRec:
    id: int
    reason: str
    reference_document_uri: str | None
    changes: list[AdjustmentChangeRec]
    created_at: float


@dataclass
class BulkOperationRec:
    id: int
    query: str
    group_objects: bool
    status: str
    created_at: float
    lines: list[str]
    root_count: int
    runs_until: float
    completed_at: float | None = None
    error_code: str | None = None

    @property
    def file_size(self) -> int:
        return sum(len(line.encode()) + 1 for line in self.lines)
