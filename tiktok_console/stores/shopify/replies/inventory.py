"""Replies of the stock documents: levels, changes, compare-and-set, locations."""

from __future__ import annotations

from tiktok_console.stores.shopify.replies.base import (
    CodedUserError,
    Connection,
    DateTime,
    Nodes,
    Reply,
    ShopifyModel,
)


class Quantity(ShopifyModel):
    """One named quantity (``available``, ``on_hand``...) of a level."""

    name: str
    quantity: int


class LocationRef(ShopifyModel):
    """A location, by id."""

    id: str


class LevelAt(ShopifyModel):
    """An item's quantities at one location."""

    location: LocationRef
    quantities: list[Quantity]

    def named(self, name: str) -> int:
        """The quantity called ``name`` (0 when not selected)."""
        return next((q.quantity for q in self.quantities if q.name == name), 0)


class ItemLevels(ShopifyModel):
    """An inventory item with its levels per location."""

    id: str
    inventory_levels: Nodes[LevelAt]


class ChangedVariant(ShopifyModel):
    """A variant whose stock may have changed."""

    id: str
    updated_at: DateTime | None = None
    inventory_item: ItemLevels | None = None


class InventoryChanges(Reply):
    """``InventoryChanges.graphql``."""

    what = "reading stock changes"
    product_variants: Connection[ChangedVariant]


class LevelQuantities(ShopifyModel):
    """One item's quantities at the asked location."""

    quantities: list[Quantity]


class ItemAtLocation(ShopifyModel):
    """An item and its level at one location (None: not stocked there)."""

    id: str
    inventory_level: LevelQuantities | None = None


class InventoryLevel(Reply):
    """``InventoryLevel.graphql``: None when there is no such item."""

    what = "reading stock"
    inventory_item: ItemAtLocation | None


class QuantityChange(ShopifyModel):
    """One change an adjustment made."""

    name: str
    delta: int
    quantity_after_change: int | None = None


class AdjustmentGroup(ShopifyModel):
    """What a quantity set changed."""

    reason: str
    changes: list[QuantityChange]


class InventorySetQuantitiesPayload(ShopifyModel):
    """``inventorySetQuantities``: the changes, or why not."""

    inventory_adjustment_group: AdjustmentGroup | None = None
    user_errors: list[CodedUserError]


class InventorySetQuantities(Reply):
    """``InventorySetQuantities.graphql``."""

    what = "setting stock"
    inventory_set_quantities: InventorySetQuantitiesPayload


class Location(ShopifyModel):
    """A place stock is kept."""

    id: str
    name: str
    is_active: bool = True
    fulfills_online_orders: bool = True


class Locations(Reply):
    """``Locations.graphql``."""

    what = "reading locations"
    locations: Connection[Location]


class StockedVariant(ShopifyModel):
    """A variant with its stock per location."""

    id: str
    sku: str | None = None
    inventory_item: ItemLevels | None = None


class VariantInventory(Reply):
    """``VariantInventory.graphql``."""

    what = "reading stock"
    product_variants: Connection[StockedVariant]
