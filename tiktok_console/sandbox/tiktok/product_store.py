"""What sellers do to listings through the API: search, create, edit, stock, price.

Validation follows the documented error codes of each endpoint; where the
docs are silent the choice is marked ``# Assumption``.
"""

from __future__ import annotations

import random
import re
import struct
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.logistics import Logistics
from tiktok_console.sandbox.tiktok.products import Product, Sku
from tiktok_console.sandbox.tiktok.wire import new_id

AUDIT_SECONDS = 600  # Assumption: a resubmitted listing passes review after 10 minutes.
MAX_QUANTITY = 99_999
_BAD_HTML = re.compile(r"<\s*(script|iframe|table|style)|style\s*=", re.IGNORECASE)
_USE_CASES = {"MAIN_IMAGE", "ATTRIBUTE_IMAGE", "DESCRIPTION_IMAGE", "CERTIFICATION_IMAGE"}


class ProductStore:
    """The shop's listings plus the bookkeeping the write endpoints need."""

    def __init__(
        self,
        products: list[Product],
        logistics: Logistics,
        rng: random.Random,
        now: Callable[[], int],
        currency: str,
    ) -> None:
        self.products = products
        self._logistics = logistics
        self._rng = rng
        self._now = now
        self.currency = currency
        self._created: dict[str, dict[str, Any]] = {}  # idempotency_key -> response
        self._pending: dict[str, int] = {}  # product id -> audit pass time
        self.uploaded: set[str] = set()
        # Every stock update applied: (time, sku id, total units), for tests to check pushes.
        self.inventory_log: list[tuple[int, str, int]] = []

    # -- reading -----------------------------------------------------------
    def get(self, product_id: str) -> Product:
        """The product or TikTok's "does not exist" error."""
        for product in self.products:
            if product.id == product_id:
                return product
        raise ApiError(12052032, "The product does not exist")

    def find_sku(self, sku_id: str) -> tuple[Product, Sku] | None:
        """The product and SKU for ``sku_id``."""
        for product in self.products:
            sku = product.sku(sku_id)
            if sku is not None:
                return product, sku
        return None

    def search(self, body: dict[str, Any]) -> list[Product]:
        """Products matching Search Products' body filters, newest first."""
        status = body.get("status") or "ALL"
        seller_skus = set(body.get("seller_skus") or [])
        sku_ids = set(body.get("sku_ids") or [])
        if len(seller_skus) > 10:
            raise ApiError(12019027, "The maximum count of seller_skus in the search filter is 10.")
        if len(sku_ids) > 10:
            raise ApiError(12019087, "The number of SKU IDs exceeds the limit of 10")
        found = []
        for p in self.products:
            if status != "ALL" and p.status != status:
                continue
            if seller_skus and not seller_skus & {s.seller_sku for s in p.skus}:
                continue
            if sku_ids and not sku_ids & {s.id for s in p.skus}:
                continue
            if not _in_range(p.create_time, body, "create_time"):
                continue
            if not _in_range(p.update_time, body, "update_time"):
                continue
            found.append(p)
        return sorted(found, key=lambda p: (-p.create_time, p.id))

    def advance(self, now: int) -> None:
        """Listings whose review is over become ACTIVATE."""
        for product_id, until in list(self._pending.items()):
            if until <= now:
                product = self.get(product_id)
                product.status, product.update_time = "ACTIVATE", until
                product.audit_failed_reasons = []
                del self._pending[product_id]

    # -- writing -----------------------------------------------------------
    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create Product; a repeated ``idempotency_key`` replays the first result."""
        key = body.get("idempotency_key")
        if key and key in self._created:
            return self._created[key]
        _check_listing(body, self.uploaded, require_all=True)
        now = self._now()
        skus = [self._new_sku(raw) for raw in body["skus"]]
        weight = _weight_grams(body.get("package_weight"))
        product = Product(
            new_id(self._rng, "17"),
            body["title"],
            body.get("description", ""),
            "DRAFT",
            now,
            now,
            (str(body.get("category_id", "")), ""),
            skus,
            weight,
            images=[i["uri"] for i in body.get("main_images", [])],
        )
        self.products.append(product)
        if body.get("save_mode", "LISTING") == "LISTING":
            self._submit(product)
        result = {"product_id": product.id, "skus": [_sku_ref(s) for s in skus], "warnings": []}
        if key:
            self._created[key] = result
        return result

    def partial_edit(self, product_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Partial Edit Product: only the fields sent change."""
        product = self.get(product_id)
        _check_listing(body, self.uploaded, require_all=False)
        for name in ("title", "description"):
            if name in body:
                setattr(product, name, body[name])
        if "package_weight" in body:
            product.weight_grams = _weight_grams(body["package_weight"])
        for raw in body.get("skus") or []:
            sku = product.sku(str(raw.get("id", "")))
            if sku is None:
                raise ApiError(12019056, "sku not allow add")
            if "seller_sku" in raw:
                sku.seller_sku = str(raw["seller_sku"])
            if "price" in raw:
                sku.price = _amount(raw["price"], self.currency)
        product.update_time = self._now()
        if product.status in ("FAILED", "DRAFT") and product.weight_grams:
            self._submit(product)
        return {"product_id": product.id, "skus": [_sku_ref(s) for s in product.skus]}

    def update_inventory(self, product_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Update Inventory: every warehouse of each SKU must be listed."""
        product = self.get(product_id)
        if product.status != "ACTIVATE":
            # Assumption: the doc says only ACTIVATE products; this is its status error.
            raise ApiError(
                12052901, "The product in its current status is not available for this operation."
            )
        errors: list[dict[str, Any]] = []
        updates: list[tuple[Sku, dict[str, int]]] = []
        for raw in body.get("skus") or []:
            sku = product.sku(str(raw.get("id", "")))
            if sku is None:
                errors.append(_sku_error(str(raw.get("id", "")), 12052036, "SKU not found"))
                continue
            updates.append((sku, _quantities(sku, raw.get("inventory") or [], self._logistics)))
        if not updates and not errors:
            raise ApiError(12052036, "The SKU ID is necessary")
        for sku, quantities in updates:
            sku.inventory.update(quantities)
            self.inventory_log.append((self._now(), sku.id, sum(quantities.values())))
        product.update_time = self._now()
        return {"errors": errors} if errors else {}

    def update_prices(self, product_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Update Price; SKUs in a running promotion are locked."""
        product = self.get(product_id)
        changes = []
        for raw in body.get("skus") or []:
            sku = product.sku(str(raw.get("id", "")))
            if sku is None:
                raise ApiError(12019059, "seller sku is invalid")
            if sku.price_locked:
                raise ApiError(12019045, "price is locked")
            changes.append((sku, _amount(raw.get("price") or {}, self.currency)))
        for sku, amount in changes:
            sku.price = amount
        product.update_time = self._now()
        return {}

    def activate(self, product_ids: list[str]) -> dict[str, Any]:
        """Activate Product: DRAFT/FAILED go to review, deactivated go live."""
        errors = []
        for product_id in _id_list(product_ids):
            product = next((p for p in self.products if p.id == product_id), None)
            if product is None:
                errors.append(_product_error(product_id, 12052032, "The product does not exist"))
            elif product.status == "SELLER_DEACTIVATED":
                product.status, product.update_time = "ACTIVATE", self._now()
            elif product.status in ("DRAFT", "FAILED") and _listable(product):
                self._submit(product)
            elif product.status not in ("ACTIVATE", "PENDING"):
                errors.append(
                    _product_error(
                        product_id, 12052003, "The current product status can not be activated"
                    )
                )
        return {"errors": errors} if errors else {}

    def deactivate(self, product_ids: list[str]) -> dict[str, Any]:
        """Deactivate Products: only live listings can be deactivated."""
        errors = []
        for product_id in _id_list(product_ids):
            product = next((p for p in self.products if p.id == product_id), None)
            if product is None or product.status != "ACTIVATE":
                errors.append(
                    {
                        "code": 12052003,
                        "detail": {"product_id": product_id},
                        "message": "The current product status can not be deactivated",
                    }
                )
                continue
            product.status, product.update_time = "SELLER_DEACTIVATED", self._now()
        return {"errors": errors} if errors else {}

    def upload_image(self, data: bytes, use_case: str) -> dict[str, Any]:
        """Upload Product Image: returns the ``uri`` a listing then refers to."""
        if use_case not in _USE_CASES:
            raise ApiError(12052910, "Invalid input parameters: use_case")
        if not data:
            raise ApiError(12052910, "Invalid input parameters: data is empty")
        width, height = _png_size(data)
        uri = f"tos-maliva-i-o3syd03w52-us/{new_id(self._rng, '9')}"
        self.uploaded.add(uri)
        return {
            "uri": uri,
            "url": f"https://p16-oec-va.ibyteimg.com/{uri}",
            "width": width,
            "height": height,
            "use_case": use_case,
        }

    def _new_sku(self, raw: dict[str, Any]) -> Sku:
        inventory = {
            str(i.get("warehouse_id")): int(i.get("quantity", 0))
            for i in raw.get("inventory") or []
        }
        for warehouse_id in inventory:
            if self._logistics.warehouse(warehouse_id) is None:
                raise ApiError(12019022, "SKU must contain a valid warehouse.")
        attrs = [
            (str(a.get("name", "")), str(a.get("value_name", "")))
            for a in raw.get("sales_attributes") or []
        ]
        return Sku(
            new_id(self._rng, "17"),
            str(raw.get("seller_sku", "")),
            _amount(raw.get("price") or {}, self.currency),
            None,
            inventory,
            attrs,
        )

    def _submit(self, product: Product) -> None:
        product.status, product.update_time = "PENDING", self._now()
        self._pending[product.id] = product.update_time + AUDIT_SECONDS


def _in_range(value: int, body: dict[str, Any], name: str) -> bool:
    low, high = body.get(f"{name}_ge"), body.get(f"{name}_le")
    return (low is None or value >= int(low)) and (high is None or value <= int(high))


def _check_listing(body: dict[str, Any], uploaded: set[str], *, require_all: bool) -> None:
    title = body.get("title")
    if (require_all or title is not None) and not (
        isinstance(title, str) and 1 <= len(title) <= 255
    ):
        raise ApiError(12052910, "Invalid input parameters: title must be 1-255 characters")
    description = body.get("description")
    if description is not None and _BAD_HTML.search(str(description)):
        raise ApiError(12019006, "product description is invalid")
    if require_all or "package_weight" in body:
        grams = _weight_grams(body.get("package_weight"))
        if not grams:
            raise ApiError(12019011, "product package weight is invalid")
    if require_all and not body.get("skus"):
        raise ApiError(12052910, "Invalid input parameters: skus")
    for img in body.get("main_images") or []:
        if img.get("uri") not in uploaded:
            raise ApiError(12052910, "Invalid input parameters: main_images must be uploaded")
    sellers = [str(s.get("seller_sku", "")) for s in body.get("skus") or [] if s.get("seller_sku")]
    if len(sellers) != len(set(sellers)):
        raise ApiError(12019059, "seller sku is invalid")


def _weight_grams(raw: Any) -> int | None:
    if not isinstance(raw, dict):
        return None
    factors = {"KILOGRAM": Decimal(1000), "GRAM": Decimal(1), "POUND": Decimal("453.59237")}
    factor = factors.get(str(raw.get("unit", "")))
    try:
        value = Decimal(str(raw.get("value", "")))
    except InvalidOperation:
        return None
    if factor is None or value <= 0:
        return None
    return max(1, int(value * factor))


def _amount(raw: dict[str, Any], currency: str) -> Decimal:
    try:
        amount = Decimal(str(raw.get("amount", "")))
    except InvalidOperation:
        raise ApiError(12052012, "Incorrect price format") from None
    if raw.get("currency", currency) != currency:
        raise ApiError(12052084, "The provided currency is not available for this shop/region.")
    if amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ApiError(12052073, "The product price is invalid")
    return amount


def _quantities(sku: Sku, raw: list[dict[str, Any]], logistics: Logistics) -> dict[str, int]:
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


def _listable(product: Product) -> bool:
    return (
        bool(product.weight_grams)
        and len(product.title) <= 255
        and not _BAD_HTML.search(product.description)
    )


def _id_list(product_ids: Any) -> list[str]:
    ids = [str(i) for i in product_ids or []]
    if not ids or len(ids) > 20:
        raise ApiError(12019120, "The number of provided product IDs exceeds the limit.")
    return ids


def _sku_ref(sku: Sku) -> dict[str, Any]:
    return {
        "id": sku.id,
        "seller_sku": sku.seller_sku,
        "external_sku_id": "",
        "sales_attributes": [
            {"id": f"10000{n}", "value_id": f"7{n:018d}"} for n, _ in enumerate(sku.attributes)
        ],
    }


def _sku_error(sku_id: str, code: int, message: str) -> dict[str, Any]:
    return {
        "code": 12052990,
        "message": "batch update inventory error",
        "detail": {
            "sku_id": sku_id,
            "extra_errors": [{"code": code, "message": message, "warehouse_id": ""}],
        },
    }


def _product_error(product_id: str, code: int, message: str) -> dict[str, Any]:
    return {
        "code": 12052990,
        "message": "Batch activate business error.",
        "detail": {"product_id": product_id, "extra_errors": [{"code": code, "message": message}]},
    }


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 800, 800  # Assumption: non-PNG uploads are reported at a nominal size.
