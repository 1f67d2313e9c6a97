"""What sellers do to listings through the API: search, create, edit, stock, price.

Validation follows the documented error codes of each endpoint (the listing
rules live in ``listing_rules``, review in ``listing_audit``, the daily cap in
``listing_cap``); where the docs are silent the choice is marked ``# Assumption``.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from typing import Any

from tiktok_console.sandbox.tiktok import categories
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.images import ImageBank
from tiktok_console.sandbox.tiktok.listing_audit import ListingAudit
from tiktok_console.sandbox.tiktok.listing_cap import DEFAULT_DAILY_CAP, DailyListingCap
from tiktok_console.sandbox.tiktok.listing_rules import (
    BAD_HTML,
    amount,
    failures,
    listing_rules,
    weight_grams,
)
from tiktok_console.sandbox.tiktok.logistics import Logistics
from tiktok_console.sandbox.tiktok.product_write_wire import (
    id_list,
    product_error,
    sku_error,
    sku_ref,
    stock_quantities,
    write_result,
)
from tiktok_console.sandbox.tiktok.products import Product, Sku
from tiktok_console.sandbox.tiktok.wire import new_id

# Partial Edit fields whose change sends a live product back to review (price and stock do not).
_CONTENT_FIELDS = (
    "title",
    "description",
    "category_id",
    "main_images",
    "product_attributes",
    "package_weight",
    "package_dimensions",
    "brand_id",
    "video",
    "size_chart",
    "certifications",
)


class ProductStore:
    """The shop's listings plus the bookkeeping the write endpoints need."""

    def __init__(
        self,
        products: list[Product],
        logistics: Logistics,
        rng: random.Random,
        now: Callable[[], int],
        currency: str,
        *,
        region: str = "US",
        daily_cap: int = DEFAULT_DAILY_CAP,
    ) -> None:
        self.products = products
        self._logistics = logistics
        self._rng = rng
        self._now = now
        self.currency = currency
        self._created: dict[str, dict[str, Any]] = {}  # idempotency_key -> response
        self.audit = ListingAudit(now)
        self.cap = DailyListingCap(daily_cap, region, now)
        self._region = region
        self.images = ImageBank(rng)
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
        """Listings whose review is over become ACTIVATE or FAILED."""
        if self.audit.pending:
            self.audit.finish_due(now, {p.id: p for p in self.products})

    # -- writing -----------------------------------------------------------
    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create Product; a repeated ``idempotency_key`` replays the first result."""
        key = body.get("idempotency_key")
        if key and key in self._created:
            return self._created[key]
        self._refuse_first(body, require_all=True)
        self._check_category_version(body)
        self.cap.check()
        now = self._now()
        skus = [self._new_sku(raw) for raw in body["skus"]]
        product = Product(
            new_id(self._rng, "17"),
            body["title"],
            body["description"],
            "DRAFT",
            now,
            now,
            _category(body),
            skus,
            weight_grams(body.get("package_weight")),
            images=[i["uri"] for i in body["main_images"]],
            attributes=list(body.get("product_attributes") or []),
            image_sizes=self._sizes(body["main_images"]),
        )
        self.products.append(product)
        self.cap.count()
        if body.get("save_mode", "LISTING") == "LISTING":
            self.audit.submit(product)
        result = {"product_id": product.id, "skus": [sku_ref(s) for s in skus], "warnings": []}
        if key:
            self._created[key] = result
        return result

    def check_listing(self, body: dict[str, Any]) -> dict[str, Any]:
        """Check Product Listing: every rule Create Product would apply, none acted on."""
        found = failures(self._rules(body, require_all=True))
        return {
            "check_result": "FAILED" if found else "PASS",
            "fail_reasons": [{"code": e.code, "message": e.message} for e in found],
            "warnings": {"message": ""},
            "listing_quality": {
                "current_tier": "POOR" if found else "FAIR",
                "remaining_recommendations": len(found),
            },
            "pre_check_results": [],
        }

    def edit(self, product_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Edit Product (full): SKUs left out are deleted; content goes back to review."""
        product = self.get(product_id)
        self._refuse_first(body, require_all=True)
        before, v1 = _content(product), _live_copy(product)
        product.title, product.description = body["title"], body["description"]
        product.category = _category(body)
        product.images = [i["uri"] for i in body["main_images"]]
        product.image_sizes = self._sizes(body["main_images"])
        product.weight_grams = weight_grams(body.get("package_weight"))
        product.attributes = list(body.get("product_attributes") or [])
        product.skus = [self._edited_sku(product, raw) for raw in body["skus"]]
        product.update_time = self._now()
        if _content(product) != before or product.status in ("FAILED", "DRAFT"):
            self.audit.submit(product, v1)
        return write_result(product)

    def partial_edit(self, product_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Partial Edit Product: only the fields sent change; content goes back to review."""
        product = self.get(product_id)
        self._refuse_first(body, require_all=False)
        v1 = _live_copy(product)
        if "title" in body:
            product.title = body["title"]
        if "description" in body:
            product.description = body["description"]
        if "category_id" in body:
            product.category = _category(body)
        if "main_images" in body:
            product.images = [i["uri"] for i in body["main_images"]]
            product.image_sizes = self._sizes(body["main_images"])
        if "package_weight" in body:
            product.weight_grams = weight_grams(body["package_weight"])
        if "product_attributes" in body:
            product.attributes = list(body["product_attributes"] or [])
        for raw in body.get("skus") or []:
            sku = product.sku(str(raw.get("id", "")))
            if sku is None:
                raise ApiError(12019056, "sku not allow add")
            if "seller_sku" in raw:
                sku.seller_sku = str(raw["seller_sku"])
            if "price" in raw:
                sku.price = amount(raw["price"], self.currency)
        product.update_time = self._now()
        content = any(name in body for name in _CONTENT_FIELDS)
        if (content and product.status == "ACTIVATE") or (
            product.status in ("FAILED", "DRAFT") and _listable(product)
        ):
            self.audit.submit(product, v1)
        return write_result(product)

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
                errors.append(sku_error(str(raw.get("id", "")), 12052036, "SKU not found"))
                continue
            updates.append(
                (sku, stock_quantities(sku, raw.get("inventory") or [], self._logistics))
            )
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
                raise ApiError(12052038, "Product price locked due to ongoing promotion.")
            changes.append((sku, amount(raw.get("price") or {}, self.currency)))
        for sku, price in changes:
            sku.price = price
        product.update_time = self._now()
        return {}

    def activate(self, product_ids: list[str]) -> dict[str, Any]:
        """Activate Product: DRAFT/FAILED go to review, deactivated go live."""
        errors = []
        for product_id in id_list(product_ids):
            product = next((p for p in self.products if p.id == product_id), None)
            if product is None:
                errors.append(product_error(product_id, 12052032, "The product does not exist"))
            elif product.status == "SELLER_DEACTIVATED":
                product.status, product.update_time = "ACTIVATE", self._now()
            elif product.status in ("DRAFT", "FAILED") and _listable(product):
                self.audit.submit(product)
            elif product.status not in ("ACTIVATE", "PENDING"):
                errors.append(
                    product_error(
                        product_id, 12052003, "The current product status can not be activated"
                    )
                )
        return {"errors": errors} if errors else {}

    def deactivate(self, product_ids: list[str]) -> dict[str, Any]:
        """Deactivate Products: only live listings can be deactivated."""
        errors = []
        for product_id in id_list(product_ids):
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
        """Upload Product Image: returns the TikTok-hosted ``uri`` a listing then refers to."""
        image = self.images.upload(data, use_case)
        return {
            "uri": image.uri,
            "url": image.url,
            "width": image.width,
            "height": image.height,
            "use_case": image.use_case,
        }

    def _check_category_version(self, body: dict[str, Any]) -> None:
        # Create Product: "For US shops, you must pass v2" (the 7-level category tree).
        if self._region == "US" and body.get("category_version") != "v2":
            raise ApiError(
                12052217,
                "Incorrect category version. For US shops or global sellers with an active "
                "US shop, specify 'category version=v2'.",
            )

    def _sizes(self, refs: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
        found = self.images.main_images(refs)
        return {i.uri: (i.width, i.height) for i in found}

    def _rules(self, body: dict[str, Any], *, require_all: bool) -> list[Callable[[], None]]:
        return listing_rules(
            body, self.images, self._logistics, self.currency, require_all=require_all
        )

    def _refuse_first(self, body: dict[str, Any], *, require_all: bool) -> None:
        for rule in self._rules(body, require_all=require_all):
            rule()

    def _new_sku(self, raw: dict[str, Any]) -> Sku:
        inventory = {
            str(i.get("warehouse_id")): int(i.get("quantity", 0))
            for i in raw.get("inventory") or []
        }
        attrs = [
            (str(a.get("name", "")), str(a.get("value_name", "")))
            for a in raw.get("sales_attributes") or []
        ]
        list_price = raw.get("list_price")
        return Sku(
            new_id(self._rng, "17"),
            str(raw.get("seller_sku", "")),
            amount(raw.get("price") or {}, self.currency),
            amount(list_price, self.currency) if list_price else None,
            inventory,
            attrs,
            (raw.get("identifier_code") or {}).get("code") or None,
        )

    def _edited_sku(self, product: Product, raw: dict[str, Any]) -> Sku:
        existing = product.sku(str(raw.get("id", ""))) if raw.get("id") else None
        if existing is None:
            return self._new_sku(raw)
        existing.seller_sku = str(raw.get("seller_sku", existing.seller_sku))
        existing.price = amount(raw.get("price") or {}, self.currency)
        if raw.get("inventory"):
            existing.inventory = {
                str(i.get("warehouse_id")): int(i.get("quantity", 0)) for i in raw["inventory"]
            }
        return existing


def _in_range(value: int, body: dict[str, Any], name: str) -> bool:
    low, high = body.get(f"{name}_ge"), body.get(f"{name}_le")
    return (low is None or value >= int(low)) and (high is None or value <= int(high))


def _category(body: dict[str, Any]) -> tuple[str, str]:
    category = categories.leaf(str(body.get("category_id", "")))
    return category.id, category.name


def _content(product: Product) -> tuple[Any, ...]:
    """What review looks at: everything but price and stock."""
    return (
        product.title,
        product.description,
        product.category,
        tuple(product.images),
        product.weight_grams,
        repr(product.attributes),
        tuple((s.seller_sku, tuple(s.attributes)) for s in product.skus),
    )


def _live_copy(product: Product) -> Product | None:
    """The live version of ``product`` before an edit (None unless it is live)."""
    return copy.deepcopy(product) if product.status == "ACTIVATE" else None


def _listable(product: Product) -> bool:
    return (
        bool(product.weight_grams)
        and len(product.title) <= 255
        and not BAD_HTML.search(product.description)
    )
