"""Replies of the order documents: create, cancel, look up, search, shipments."""

from __future__ import annotations

from tiktok_console.stores.shopify.replies.base import (
    CodedUserError,
    Connection,
    DateTime,
    Nodes,
    Reply,
    ShopifyModel,
    UserError,
)


class CreatedOrder(ShopifyModel):
    """The order ``orderCreate`` made."""

    id: str
    name: str


class OrderCreatePayload(ShopifyModel):
    """``orderCreate``: the order, or why not."""

    order: CreatedOrder | None = None
    user_errors: list[CodedUserError]


class OrderCreate(Reply):
    """``OrderCreate.graphql``."""

    what = "creating an order"
    order_create: OrderCreatePayload


class CancelJob(ShopifyModel):
    """The background job Shopify cancels the order in."""

    id: str
    done: bool


class OrderCancelPayload(ShopifyModel):
    """``orderCancel``: the job, or why not."""

    job: CancelJob | None = None
    order_cancel_user_errors: list[CodedUserError]


class OrderCancel(Reply):
    """``OrderCancel.graphql``."""

    what = "cancelling an order"
    order_cancel: OrderCancelPayload


class FoundOrder(ShopifyModel):
    """An order as the look-up and the search select it."""

    id: str
    name: str
    tags: list[str]
    source_identifier: str | None = None
    cancelled_at: DateTime | None = None


NOT_SHIPPED = frozenset({"CANCELLED", "ERROR", "FAILURE"})  # fulfillments that hold nothing


class OrderShipment(ShopifyModel):
    """A fulfillment of the looked-up order: only whether it stands."""

    id: str
    status: str


class LookedUpOrder(FoundOrder):
    """An order as ``OrderById`` selects it: with its shipments (Shopify will not cancel
    an order that has any)."""

    fulfillments: list[OrderShipment]

    @property
    def shipped(self) -> bool:
        """Any shipment that went or is going out: Shopify refuses ``orderCancel`` then."""
        return any(f.status not in NOT_SHIPPED for f in self.fulfillments)


class OrderById(Reply):
    """``OrderById.graphql``: None when there is no such order."""

    what = "looking up an order"
    order: LookedUpOrder | None


class SearchedOrder(FoundOrder):
    """An order found through the search index."""

    source_name: str | None = None
    created_at: DateTime


class OrdersByQuery(Reply):
    """``OrdersByQuery.graphql``."""

    what = "searching orders"
    orders: Connection[SearchedOrder]


class TrackingInfo(ShopifyModel):
    """A shipment's carrier and tracking number."""

    company: str | None = None
    number: str | None = None
    url: str | None = None


class ShippedVariant(ShopifyModel):
    """The variant of a shipped line (gone when the product was deleted)."""

    id: str


class ShippedLineItem(ShopifyModel):
    """The order line a shipment covers."""

    sku: str | None = None
    variant: ShippedVariant | None = None


class FulfillmentLineItem(ShopifyModel):
    """How many units of a line a shipment covers."""

    quantity: int | None = None
    line_item: ShippedLineItem


class Fulfillment(ShopifyModel):
    """One shipment of an order."""

    id: str
    created_at: DateTime
    updated_at: DateTime
    status: str
    tracking_info: list[TrackingInfo]
    fulfillment_line_items: Nodes[FulfillmentLineItem]


class OrderWithFulfillments(ShopifyModel):
    """An order changed since the cursor, with its shipments."""

    id: str
    updated_at: DateTime
    fulfillments: list[Fulfillment]


class OrderFulfillmentsSince(Reply):
    """``OrderFulfillmentsSince.graphql``."""

    what = "reading shipments"
    orders: Connection[OrderWithFulfillments]


class ShipmentTracking(ShopifyModel):
    """One shipment of an order, with its tracking."""

    id: str
    status: str
    tracking_info: list[TrackingInfo]


class OpenFulfillmentOrder(ShopifyModel):
    """A group of an order's lines to ship from one location."""

    id: str
    status: str


class OrderShipments(ShopifyModel):
    """An order's shipments and fulfillment orders."""

    id: str
    cancelled_at: DateTime | None = None
    fulfillments: list[ShipmentTracking]
    fulfillment_orders: Nodes[OpenFulfillmentOrder]


class OrderShipmentState(Reply):
    """``OrderShipmentState.graphql``: None when there is no such order."""

    what = "reading an order's shipments"
    order: OrderShipments | None


class CreatedFulfillment(ShopifyModel):
    """The shipment ``fulfillmentCreate`` made."""

    id: str
    status: str


class FulfillmentCreatePayload(ShopifyModel):
    """``fulfillmentCreate``: the shipment, or why not."""

    fulfillment: CreatedFulfillment | None = None
    user_errors: list[UserError]


class FulfillmentCreate(Reply):
    """``FulfillmentCreate.graphql``."""

    what = "fulfilling an order"
    fulfillment_create: FulfillmentCreatePayload
