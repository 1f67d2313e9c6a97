"""``GET /authorization/202309/shops``: the shops the seller authorized."""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok.routing import Call, Endpoint


def get_shops(call: Call) -> dict[str, Any]:
    """The one shop behind the token, with the cipher for shop-scoped calls."""
    shop = call.shop
    return {
        "shops": [
            {
                "id": shop.shop_id,
                "name": shop.name,
                "region": shop.region,
                "seller_type": shop.seller_type,
                "cipher": shop.cipher,
                "code": shop.code,
            }
        ]
    }


ENDPOINTS = [Endpoint("GET", "authorization", ("202309",), "shops", get_shops, shop_scoped=False)]
