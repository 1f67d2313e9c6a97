"""The simulated Shopify store: its records, its search indexes and its processes.

``ShopifyStore`` holds the state (under one re-entrant lock) and the small
helpers every operation needs; the operations themselves live in
``inventory_ops``, ``order_ops``, ``fulfillment_ops``, ``refund_ops`` and
``bulk_ops``; the simulated warehouse and other-channel sales in ``processes``;
seeding from the shared catalog in ``seeding``.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from ..catalog import Catalog
from ..clock import SandboxClock
from .ids import IdAllocator
from .records import (
    AdjustmentGroupRec,
    BulkOperationRec,
    FulfillmentOrderRec,
    FulfillmentRec,
    InventoryItemRec,
    LevelRec,
    LocationRec,
    OrderRec,
    ProductRec,
    RefundRec,
    VariantRec,
)
from .search import Doc, SearchIndex

PLANS = ("standard", "advanced", "plus", "enterprise")


class ShopifyStore:
    """One Shopify shop. Build it with :meth:`from_catalog`.

    Knobs (plain attributes, change them at run time): ``fulfillment_delay`` (simulated
    seconds before the warehouse ships an order), ``split_share`` (share of orders shipped
    in two parts), ``web_sales_per_minute`` (other-channel sales), ``bulk_seconds_per_object``.
    """

    def __init__(
        self,
        clock: SandboxClock,
        *,
        shop_domain: str,
        shop_name: str,
        currency: str,
        country: str,
        plan: str,
        dev_store: bool,
        index_lag_seconds: float,
        seed: int,
    ) -> None:
        if plan not in PLANS:
            raise ValueError(f"unknown plan {plan!r}; choose one of {PLANS}")
        self.lock = threading.RLock()
        self.clock = clock
        self.shop_domain = shop_domain
        self.shop_name = shop_name
        self.currency = currency
        self.country = country
        self.plan = plan
        self.dev_store = dev_store
        self.seed = seed
        self.rng = random.Random(seed)
        self.ids = IdAllocator()
        self.created_at = clock.now() - 400 * 86400
        self.fulfillment_delay = 600.0
        self.split_share = 0.25
        self.web_sales_per_minute = 0.2
        self.bulk_seconds_per_object = 0.0
        self.last_tick = clock.now()
        self.next_web_sale: float | None = None
        self.web_sales: list[tuple[float, int, int, int]] = []  # (time, item, location, units)
        # Every change of a level: (time, item, location, available after), for tests.
        self.inventory_history: list[tuple[float, int, int, int]] = []
        self.locations: dict[int, LocationRec] = {}
        self.products: dict[int, ProductRec] = {}
        self.variants: dict[int, VariantRec] = {}
        self.items: dict[int, InventoryItemRec] = {}
        self.levels: dict[tuple[int, int], LevelRec] = {}  # (item id, location id)
        self.orders: dict[int, OrderRec] = {}
        self.fulfillment_orders: dict[int, FulfillmentOrderRec] = {}
        self.fulfillments: dict[int, FulfillmentRec] = {}
        self.refunds: dict[int, RefundRec] = {}
        self.adjustment_groups: dict[int, AdjustmentGroupRec] = {}
        self.bulk_operations: dict[int, BulkOperationRec] = {}
        self.idempotency: dict[tuple[str, str], Any] = {}
        self.order_create_times: list[float] = []
        self.next_order_number = 1001
        self.product_index = SearchIndex(index_lag_seconds)
        self.variant_index = SearchIndex(index_lag_seconds)
        self.item_index = SearchIndex(index_lag_seconds)
        self.order_index = SearchIndex(index_lag_seconds)

    @classmethod
    def from_catalog(
        cls,
        catalog: Catalog,
        clock: SandboxClock,
        *,
        shop_domain: str = "harbor-and-pine.myshopify.com",
        plan: str = "standard",
        dev_store: bool = False,
        index_lag_seconds: float = 2.0,
        seed: int = 7,
    ) -> ShopifyStore:
        """A store holding every catalog product, with stock at every catalog location."""
        from .seeding import seed_store

        store = cls(
            clock,
            shop_domain=shop_domain,
            shop_name=catalog.shop_name,
            currency=catalog.currency,
            country=catalog.region,
            plan=plan,
            dev_store=dev_store,
            index_lag_seconds=index_lag_seconds,
            seed=seed,
        )
        seed_store(store, catalog)
        return store

    # -- time and processes -------------------------------------------------

    def now(self) -> float:
        """The store's time (the sandbox clock)."""
        return self.clock.now()

    def tick(self) -> None:
        """Advance the warehouse, other-channel sales and bulk operations to the clock."""
        from .processes import run_processes

        with self.lock:
            run_processes(self, self.now())

    def snapshot(self) -> dict[str, Any]:
        """A JSON-serialisable summary for the sandbox's control endpoint."""
        from .snapshot import build_snapshot

        with self.lock:
            return build_snapshot(self)

    # -- helpers for operations ---------------------------------------------

    def online_location(self) -> LocationRec:
        """The first active location that fulfills online orders."""
        for location in self.locations.values():
            if location.is_active and location.fulfills_online_orders:
                return location
        return next(iter(self.locations.values()))

    def level(self, item_id: int, location_id: int) -> LevelRec | None:
        """The inventory level of an item at a location, if it is stocked there."""
        return self.levels.get((item_id, location_id))

    def item_levels(self, item_id: int) -> list[LevelRec]:
        """Every level of an item, in location order."""
        found = (self.levels.get((item_id, loc)) for loc in self.locations)
        return [level for level in found if level is not None]

    def variant_for_item(self, item_id: int) -> VariantRec:
        """The variant owning an inventory item."""
        return self.variants[self.items[item_id].variant_id]

    def touch_inventory(self, level: LevelRec, now: float) -> None:
        """Mark an inventory level (and its item and variant) as changed."""
        level.updated_at = now
        self.inventory_history.append(
            (now, level.item_id, level.location_id, level.quantity("available"))
        )
        item = self.items[level.item_id]
        item.updated_at = now
        variant = self.variants[item.variant_id]
        self.touch_variant(variant, now)

    def touch_variant(self, variant: VariantRec, now: float) -> None:
        """Mark a variant changed and reindex it (and its product's update time)."""
        variant.updated_at = now
        product = self.products[variant.product_id]
        product.updated_at = now
        self.variant_index.put(variant.id, self.variant_doc(variant), now)
        self.item_index.put(variant.inventory_item_id, self.item_doc(variant), now)
        self.product_index.put(product.id, self.product_doc(product), now)

    def touch_order(self, order: OrderRec, now: float) -> None:
        """Mark an order changed and queue its new search document."""
        order.updated_at = now
        self.order_index.put(order.id, self.order_doc(order), now)

    def product_doc(self, product: ProductRec) -> Doc:
        skus = [self.variants[v].sku for v in product.variant_ids]
        return {
            "text": product.title,
            "title": product.title,
            "handle": product.handle,
            "tag": list(product.tags),
            "status": product.status,
            "vendor": product.vendor,
            "product_type": product.product_type,
            "sku": skus,
            "id": str(product.id),
            "updated_at": product.updated_at,
            "created_at": product.created_at,
        }

    def variant_doc(self, variant: VariantRec) -> Doc:
        product = self.products[variant.product_id]
        return {
            "text": f"{product.title} {variant.title}",
            "title": variant.title,
            "sku": variant.sku,
            "barcode": variant.barcode,
            "product_id": str(product.id),
            "id": str(variant.id),
            "tag": list(product.tags),
            "product_status": product.status,
            "updated_at": variant.updated_at,
            "created_at": variant.created_at,
        }

    def item_doc(self, variant: VariantRec) -> Doc:
        item = self.items[variant.inventory_item_id]
        return {
            "sku": variant.sku,
            "id": str(item.id),
            "updated_at": item.updated_at,
            "created_at": item.created_at,
        }

    def order_doc(self, order: OrderRec) -> Doc:
        from .order_views import fulfillment_status_filter, order_financial_status

        return {
            "text": order.name,
            "name": [order.name, str(order.number)],
            "tag": list(order.tags),
            "source_identifier": order.source_identifier,
            "source_name": order.source_name,
            "email": order.email,
            "sku": [line.sku for line in order.line_items],
            "id": str(order.id),
            "status": self.order_status_filter(order),
            "financial_status": order_financial_status(self, order).lower(),
            "fulfillment_status": fulfillment_status_filter(order),
            "updated_at": order.updated_at,
            "created_at": order.created_at,
            "processed_at": order.processed_at,
        }

    @staticmethod
    def order_status_filter(order: OrderRec) -> str:
        """The ``status:`` search value: open, closed or cancelled."""
        if order.cancelled_at is not None:
            return "cancelled"
        return "closed" if order.closed_at is not None else "open"
