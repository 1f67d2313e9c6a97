"""A JSON-serialisable summary of the store for the sandbox's control endpoint and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ids import gid
from .money import iso

if TYPE_CHECKING:
    from .store import ShopifyStore


def build_snapshot(store: ShopifyStore) -> dict[str, Any]:
    """Counts, every order's state and every variant's stock per location."""
    locations = {loc.id: loc.name for loc in store.locations.values()}
    return {
        "shop": store.shop_domain,
        "plan": store.plan,
        "dev_store": store.dev_store,
        "counts": {
            "locations": len(store.locations),
            "products": len(store.products),
            "variants": len(store.variants),
            "orders": len(store.orders),
            "fulfillments": len(store.fulfillments),
            "refunds": len(store.refunds),
            "bulk_operations": len(store.bulk_operations),
            "web_sales": len(store.web_sales),
        },
        "orders": [_order(store, o) for o in store.orders.values()],
        "variants": [
            {
                "id": gid("ProductVariant", v.id),
                "sku": v.sku,
                "updatedAt": iso(v.updated_at),
                "available": {
                    locations[level.location_id]: level.quantity("available")
                    for level in store.item_levels(v.inventory_item_id)
                },
            }
            for v in store.variants.values()
        ],
    }


def _order(store: ShopifyStore, order: Any) -> dict[str, Any]:
    return {
        "id": gid("Order", order.id),
        "name": order.name,
        "tags": list(order.tags),
        "sourceIdentifier": order.source_identifier,
        "email": order.email,
        "cancelled": order.cancelled_at is not None,
        "cancelNotifiedCustomer": order.cancel_notified_customer,
        "refunds": len(order.refund_ids),
        "refundNotes": [store.refunds[r].note for r in order.refund_ids],
        "createdAt": iso(order.created_at),
        "lineItems": [
            {"id": gid("LineItem", li.id), "sku": li.sku, "quantity": li.quantity}
            for li in order.line_items
        ],
        "fulfillments": [
            {
                "id": gid("Fulfillment", f.id),
                "createdAt": f.created_at,
                "tracking": [
                    {"company": t.company, "number": t.number, "url": t.url} for t in f.tracking
                ],
                "lines": [{"lineItemId": gid("LineItem", li), "quantity": q} for li, q in f.lines],
            }
            for f in (store.fulfillments[i] for i in order.fulfillment_ids)
        ],
    }
