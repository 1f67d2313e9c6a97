"""Packages and shipping: what fulfillment sync pushes (tracking) and reads back.

A seller-shipped order is marked shipped with the tracking number and the
shipping provider chosen for its delivery option; a typo is fixed with
Update Shipping Info. Package search and detail show what TikTok recorded.
"""

from __future__ import annotations

from pydantic import Field

from tiktok_console.stores.tiktok.models.common import (
    Address,
    IdStr,
    OptionalTime,
    TikTokModel,
    UnixTime,
    WireDecimal,
)

PACKAGE_STATUSES = frozenset({"PROCESSING", "FULFILLING", "COMPLETED", "CANCELLED"})
HANDOVER_METHODS = frozenset({"PICKUP", "DROP_OFF"})


class MarkShippedRequest(TikTokModel):
    """Body of Mark Package As Shipped (leave out line ids to ship the whole order)."""

    tracking_number: str
    shipping_provider_id: str
    order_line_item_ids: list[str] | None = None


class ShippingInfoUpdate(TikTokModel):
    """Body of Update Shipping Info / Update Package Shipping Info."""

    tracking_number: str
    shipping_provider_id: str


class ShippingInfo(TikTokModel):
    """One tracking number and its carrier (202610 bodies hold a list of these)."""

    tracking_number: str
    shipping_provider_id: str
    note: str | None = None


class OrderLine(TikTokModel):
    """An order line to ship (``sub_item_id`` only inside virtual bundles)."""

    order_line_id: str
    sub_item_id: str | None = None


class MarkShipped202610Request(TikTokModel):
    """Body of Mark Package As Shipped 202610 (leave out lines to ship the whole order).

    One ``shipping_info_list`` entry: more are for allow-listed sellers only.
    """

    order_line_list: list[OrderLine] | None = None
    shipping_info_list: list[ShippingInfo]


class PackageShippingInfoUpdate(TikTokModel):
    """Body of Update Package Shipping Info 202610."""

    shipping_info_list: list[ShippingInfo]


class Message(TikTokModel):
    """A remark TikTok attaches to a successful write."""

    message: str = ""


class MarkShippedResult(TikTokModel):
    """The package that was shipped, and any warning about the provider."""

    order_id: IdStr
    package_id: IdStr
    order_line_item_ids: list[IdStr] = Field(default_factory=list)
    warning: Message | None = None


class PackageSku(TikTokModel):
    """A SKU in a package, with its count (packages do carry quantities)."""

    id: IdStr
    name: str = ""
    quantity: int = 1
    image_url: str = ""


class PackageOrder(TikTokModel):
    """An order in a package (several when combined)."""

    id: IdStr
    skus: list[PackageSku] = Field(default_factory=list)


class PackageSummary(TikTokModel):
    """A package as Search Package lists it."""

    id: IdStr
    status: str = ""
    create_time: OptionalTime = None
    update_time: OptionalTime = None
    order_line_item_ids: list[IdStr] = Field(default_factory=list)
    orders: list[PackageOrder] = Field(default_factory=list)
    shipping_provider_id: IdStr = ""
    shipping_provider_name: str = ""
    tracking_number: str = ""


class PackagePage(TikTokModel):
    """One page of Search Package."""

    packages: list[PackageSummary] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class PackageWeight(TikTokModel):
    """A package's weight as TikTok records it."""

    value: WireDecimal
    unit: str = ""


class PackageDimension(TikTokModel):
    """A package's box size."""

    length: WireDecimal
    width: WireDecimal
    height: WireDecimal
    unit: str = ""


class TimeSlot(TikTokModel):
    """A pickup window (both zero when none was booked)."""

    start_time: OptionalTime = None
    end_time: OptionalTime = None


class PackageDetail(TikTokModel):
    """Get Package Detail."""

    package_id: IdStr
    package_status: str = ""
    create_time: OptionalTime = None
    update_time: OptionalTime = None
    order_line_item_ids: list[IdStr] = Field(default_factory=list)
    orders: list[PackageOrder] = Field(default_factory=list)
    shipping_type: str = ""
    shipping_provider_id: IdStr = ""
    shipping_provider_name: str = ""
    tracking_number: str = ""
    delivery_option_id: IdStr = ""
    delivery_option_name: str = ""
    handover_method: str = ""
    has_multi_skus: bool = False
    split_and_combine_tag: str = ""
    pickup_slot: TimeSlot | None = None
    weight: PackageWeight | None = None
    dimension: PackageDimension | None = None
    recipient_address: Address = Field(default_factory=Address)
    sender_address: Address = Field(default_factory=Address)


class SearchPackagesRequest(TikTokModel):
    """Body of Search Package (filters; paging goes in the query)."""

    package_status: str | None = None
    create_time_ge: UnixTime | None = None
    create_time_lt: UnixTime | None = None
    update_time_ge: UnixTime | None = None
    update_time_lt: UnixTime | None = None


class TrackingEvent(TikTokModel):
    """One step of a parcel's journey (``update_time_millis`` is in milliseconds)."""

    description: str = ""
    update_time_millis: UnixTime


class OrderTracking(TikTokModel):
    """Get Tracking."""

    tracking: list[TrackingEvent] = Field(default_factory=list)


class SelfShipment(TikTokModel):
    """The seller's own carrier and tracking number."""

    tracking_number: str = ""
    shipping_provider_id: IdStr = ""


class ShipPackageRequest(TikTokModel):
    """Body of Ship Package (one entry of Batch Ship Packages carries an ``id`` too)."""

    id: IdStr | None = None
    handover_method: str | None = None
    pickup_slot: TimeSlot | None = None
    self_shipment: SelfShipment | None = None


class BatchShipRequest(TikTokModel):
    """Body of Batch Ship Packages."""

    packages: list[ShipPackageRequest] = Field(default_factory=list)
