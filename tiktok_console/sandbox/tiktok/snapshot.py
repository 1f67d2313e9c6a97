"""A JSON-serialisable picture of the whole shop, for tests and demo tooling.

Tests compare what the app synced against this; it is also where the
planted finance discrepancies are listed so a test can check the app finds
every one of them.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from tiktok_console.sandbox.tiktok import finance_wire

if TYPE_CHECKING:
    from tiktok_console.sandbox.tiktok.shop import TikTokShop


def snapshot(shop: TikTokShop) -> dict[str, Any]:
    """Everything a test may want to check, as plain JSON types."""
    orders = list(shop.book.orders.values())
    return {
        "time": shop.clock.now_int(),
        "shop": {
            "id": shop.shop_id,
            "name": shop.name,
            "region": shop.region,
            "cipher": shop.cipher,
            "code": shop.code,
            "seller_type": shop.seller_type,
        },
        "counts": {
            "orders_by_status": dict(Counter(o.status for o in orders)),
            "products_by_status": dict(Counter(p.status for p in shop.products.products)),
        },
        "orders": [
            {
                "id": o.id,
                "status": o.status,
                "create_time": o.create_time,
                "update_time": o.update_time,
                "seller_skus": [li.seller_sku for li in o.line_items],
                "line_item_ids": [li.id for li in o.line_items],
                "packages": list(o.packages),
                "tracking_number": o.tracking_number,
                "shipping_provider_id": o.provider_id,
                "delivery_option_id": o.option.id,
                "fulfillment_type": o.fulfillment_type,
                "shipping_type": o.shipping_type,
                "rts_sla_time": o.rts_sla_time,
                "lines": [
                    {
                        "id": li.id,
                        "seller_sku": li.seller_sku,
                        "package_id": li.package_id,
                        "package_status": li.package_status,
                        "tracking_number": li.tracking_number,
                        "shipping_provider_id": li.provider_id,
                    }
                    for li in o.line_items
                ],
            }
            for o in orders
        ],
        "shipping_calls": [dict(call) for call in shop.book.shipping_calls],
        "delivery_options": [
            {
                "id": option.id,
                "name": option.name,
                "tiktok_shipped": option.tiktok_shipped,
                "providers": [
                    {"id": p.id, "name": p.name, "pattern": p.pattern} for p in option.providers
                ],
            }
            for option in shop.logistics.options
        ],
        "skus": [
            {
                "product_id": p.id,
                "sku_id": s.id,
                "seller_sku": s.seller_sku,
                "status": p.status,
                "tiktok_only": p.tiktok_only,
                "price": str(s.price),
                "price_locked": s.price_locked,
                "inventory": dict(s.inventory),
            }
            for p in shop.products.products
            for s in p.skus
        ],
        "returns": [
            {
                "id": r.id,
                "kind": r.kind,
                "order_id": r.order_id,
                "type": r.type,
                "status": r.status,
                "deadline": r.deadline,
                "arbitration_status": r.arbitration_status,
                # The seller's rejection evidence: (width, height) of each image shown.
                "evidence": [[i.width, i.height] for i in r.evidence.images] if r.evidence else [],
            }
            for r in shop.aftersales.requests.values()
        ],
        "statements": [
            {
                **finance_wire.statement(s),
                "transaction_ids": [t.id for t in s.transactions],
                "order_ids": [t.order_id for t in s.transactions if t.order_id],
            }
            for s in shop.ledger.statements
        ],
        "discrepancies": [dict(d) for d in shop.ledger.discrepancies],
    }
