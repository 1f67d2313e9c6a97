"""The replies of TikTok's product write endpoints, and the input they check first.

Edit and Partial Edit answer with the product's SKU references and audit status;
the batch endpoints (Update Inventory, Activate) answer per item with a batch
error code and the item's own codes inside; a quantity outside TikTok's range or
for an unknown warehouse is refused before anything changes.
"""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.listing_rules import MAX_QUANTITY
from tiktok_console.sandbox.tiktok.logistics import Logistics
from tiktok_console.sandbox.tiktok.product_wire import audit_status
from tiktok_console.sandbox.tiktok.products import Product, Sku


def write_result(product: Product) -> dict[str, Any]:
    """``data`` of Edit and Partial Edit Product."""
    return {
        "product_id": product.id,
        "skus": [sku_ref(s) for s in product.skus],
        "warnings": [],
        "audit": {"status": audit_status(product)},
    }


def stock_quantities(sku: Sku, raw: list[dict[str, Any]], logistics: Logistics) -> dict[str, int]:
    """Update Inventory's warehouse -> units for ``sku``; every warehouse must be named."""
    quantities: dict[str, int] = {}
    for entry in raw:
        warehouse_id = str(entry.get("warehouse_id", ""))
        if logistics.warehouse(warehouse_id) is None:
            raise ApiError(12019022, "SKU must contain a valid warehouse.")
        try:
            quantity = int(entry.get("quantity"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ApiError(12019024, "stock count is invalid") from None
        # Assumption: 0 is accepted (zeroing stock is common); the doc's range is [1, 99999].
        if not 0 <= quantity <= MAX_QUANTITY:
            raise ApiError(12019024, "stock count is invalid")
        quantities[warehouse_id] = quantity
    if set(quantities) != set(sku.inventory):
        raise ApiError(
            12019028,
            "Multiple warehouses detected. Include all warehouse IDs and "
            "the corresponding details and try again.",
        )
    return quantities


def id_list(product_ids: Any) -> list[str]:
    """The product ids of a batch call (1 to 20)."""
    ids = [str(i) for i in product_ids or []]
    if not ids or len(ids) > 20:
        raise ApiError(12019120, "The number of provided product IDs exceeds the limit.")
    return ids


def sku_ref(sku: Sku) -> dict[str, Any]:
    """A SKU as the write replies name it."""
    return {
        "id": sku.id,
        "seller_sku": sku.seller_sku,
        "external_sku_id": "",
        "sales_attributes": [
            {"id": f"10000{n}", "value_id": f"7{n:018d}"} for n, _ in enumerate(sku.attributes)
        ],
    }


def sku_error(sku_id: str, code: int, message: str) -> dict[str, Any]:
    """One SKU's error in a batch inventory reply."""
    return {
        "code": 12052990,
        "message": "batch update inventory error",
        "detail": {
            "sku_id": sku_id,
            "extra_errors": [{"code": code, "message": message, "warehouse_id": ""}],
        },
    }


def product_error(product_id: str, code: int, message: str) -> dict[str, Any]:
    """One product's error in a batch activate reply."""
    return {
        "code": 12052990,
        "message": "Batch activate business error.",
        "detail": {"product_id": product_id, "extra_errors": [{"code": code, "message": message}]},
    }
