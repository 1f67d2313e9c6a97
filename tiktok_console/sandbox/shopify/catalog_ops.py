"""The catalog writes a listing fix sends back to Shopify.

``productUpdate`` (title, description, type, vendor, tags), ``productVariantsBulkUpdate``
(price, compare-at price, barcode, and SKU and weight through ``inventoryItem``) and
``inventoryItemUpdate`` (SKU, tracked, weight through ``measurement``), with the
user errors Shopify returns. Messages follow Shopify's wording where known; the
ones marked ``# Assumption`` are the sandbox's best guess.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .errors import UserErrors, user_error
from .ids import parse_gid
from .records import InventoryItemRec, ProductRec, VariantRec

if TYPE_CHECKING:
    from .store import ShopifyStore

TITLE_MAX = 255  # Shopify's limit on product titles
WEIGHT_UNITS = ("GRAMS", "KILOGRAMS", "OUNCES", "POUNDS")


def update_product(
    store: ShopifyStore, data: dict[str, Any]
) -> tuple[ProductRec | None, UserErrors]:
    """``productUpdate(product:)``: only the fields given change."""
    product = store.products.get(parse_gid(data.get("id"), "Product") or 0)
    if product is None:
        return None, [user_error(["id"], "Product does not exist")]
    title = data.get("title")
    if "title" in data and not (title or "").strip():
        return None, [user_error(["title"], "Title can't be blank")]
    if title is not None and len(title) > TITLE_MAX:
        return None, [
            user_error(["title"], f"Title is too long (maximum is {TITLE_MAX} characters)")
        ]
    for field, attr in (
        ("title", "title"),
        ("descriptionHtml", "description_html"),
        ("productType", "product_type"),
        ("vendor", "vendor"),
        ("status", "status"),
    ):
        if data.get(field) is not None:
            setattr(product, attr, data[field])
    if data.get("tags") is not None:
        product.tags = [t.strip() for t in data["tags"] if t.strip()]
    now = store.now()
    for variant_id in product.variant_ids:
        store.touch_variant(store.variants[variant_id], now)
    return product, []


def bulk_update_variants(
    store: ShopifyStore, product_gid: str, inputs: list[dict[str, Any]], partial: bool
) -> tuple[ProductRec | None, list[VariantRec], UserErrors]:
    """``productVariantsBulkUpdate``: all variants change, or none (unless ``partial``)."""
    product = store.products.get(parse_gid(product_gid, "Product") or 0)
    if product is None:
        return (
            None,
            [],
            [_bulk_error(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")],
        )
    errors: UserErrors = []
    valid: list[tuple[VariantRec, dict[str, Any]]] = []
    for n, data in enumerate(inputs):
        problem = _variant_problem(store, product, n, data)
        if problem is None:
            valid.append((store.variants[parse_gid(data["id"], "ProductVariant") or 0], data))
        else:
            errors.append(problem)
    if errors and not partial:
        return product, [], errors
    now = store.now()
    for variant, data in valid:
        _apply_variant(store, variant, data)
        store.touch_variant(variant, now)
    return product, [v for v, _ in valid], errors


def update_inventory_item(
    store: ShopifyStore, item_gid: str, data: dict[str, Any]
) -> tuple[InventoryItemRec | None, UserErrors]:
    """``inventoryItemUpdate``: SKU, tracked and weight (``measurement.weight``)."""
    item = store.items.get(parse_gid(item_gid, "InventoryItem") or 0)
    if item is None:
        return None, [user_error(["id"], "Inventory item does not exist")]
    problem = _item_problem(data, ["input"])
    if problem is not None:
        return None, [user_error(*problem)]
    _apply_item(store, item, data)
    store.touch_variant(store.variants[item.variant_id], store.now())
    return item, []


def _bulk_error(field: list[str], message: str, code: str) -> dict[str, Any]:
    return user_error(field, message, code)


def _variant_problem(
    store: ShopifyStore, product: ProductRec, n: int, data: dict[str, Any]
) -> dict[str, Any] | None:
    where = ["variants", str(n)]
    if not data.get("id"):
        return _bulk_error(
            [*where, "id"], "Product variant is missing ID attribute", "PRODUCT_VARIANT_ID_MISSING"
        )
    variant_id = parse_gid(data["id"], "ProductVariant")
    if variant_id is None or variant_id not in store.variants:
        return _bulk_error(
            [*where, "id"], "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST"
        )
    if variant_id not in product.variant_ids:
        return _bulk_error(
            [*where, "id"], "Product variant does not exist", "MUST_BE_FOR_THIS_PRODUCT"
        )
    for field in ("price", "compareAtPrice"):
        if data.get(field) is None:
            continue
        amount = _decimal(data[field])
        if amount is None:
            return _bulk_error([*where, field], f"{field} is invalid", "INVALID_INPUT")
        if amount < 0:
            # Assumption: the message Shopify gives a negative price.
            return _bulk_error(
                [*where, field], "Price must be greater than or equal to 0", "NEGATIVE_PRICE_VALUE"
            )
    if data.get("inventoryItem") is not None:
        problem = _item_problem(data["inventoryItem"], [*where, "inventoryItem"])
        if problem is not None:
            return _bulk_error(problem[0], problem[1], "INVALID_INPUT")
    return None


def _item_problem(data: dict[str, Any], where: list[str]) -> tuple[list[str], str] | None:
    weight = (data.get("measurement") or {}).get("weight")
    if weight is None:
        return None
    path = [*where, "measurement", "weight", "value"]
    if float(weight["value"]) < 0:
        # Assumption: Shopify's wording for a negative weight.
        return path, "Weight must be greater than or equal to 0"
    if weight["unit"] not in WEIGHT_UNITS:
        return [*where, "measurement", "weight", "unit"], "Weight unit is invalid"
    return None


def _apply_variant(store: ShopifyStore, variant: VariantRec, data: dict[str, Any]) -> None:
    if data.get("price") is not None:
        variant.price = _decimal(data["price"]) or Decimal(0)
    if "compareAtPrice" in data:
        raw = data["compareAtPrice"]
        variant.compare_at_price = _decimal(raw) if raw is not None else None
    if "barcode" in data:
        variant.barcode = data["barcode"] or None
    if data.get("inventoryPolicy") is not None:
        variant.inventory_policy = data["inventoryPolicy"]
    if data.get("inventoryItem") is not None:
        _apply_item(store, store.items[variant.inventory_item_id], data["inventoryItem"])


def _apply_item(store: ShopifyStore, item: InventoryItemRec, data: dict[str, Any]) -> None:
    variant = store.variants[item.variant_id]
    if "sku" in data:
        # The SKU lives on the inventory item; the variant shows the same value.
        variant.sku = data["sku"] or ""
    if data.get("tracked") is not None:
        item.tracked = bool(data["tracked"])
    weight = (data.get("measurement") or {}).get("weight")
    if weight is not None:
        item.weight_value, item.weight_unit = float(weight["value"]), str(weight["unit"])
    item.updated_at = store.now()


def _decimal(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None
