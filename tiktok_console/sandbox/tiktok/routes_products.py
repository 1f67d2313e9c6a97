"""Product endpoints: search, detail, create, edit, stock, price, (de)activate, images,
categories, the listing check and the listing prerequisites."""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok import categories, product_wire
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, page


def search(call: Call) -> dict[str, Any]:
    """Search Products (202309 and 202502)."""
    size = call.page_size(default=None, low=1, high=100)
    found = call.shop.products.search(call.body)
    items, token = page(found, size, call.query.get("page_token"), fingerprint(call.body, "p"))
    return {
        "products": [
            product_wire.search_entry(p, call.shop.currency, call.shop.region) for p in items
        ],
        "next_page_token": token,
        "total_count": len(found),
    }


def detail(call: Call) -> dict[str, Any]:
    """Get Product."""
    product = call.shop.products.get(call.path_params["product_id"])
    options = [o.id for o in call.shop.logistics.options]
    return product_wire.detail(product, call.shop.currency, call.shop.shop_id, options)


def create(call: Call) -> dict[str, Any]:
    """Create Product (body ``idempotency_key`` replays the first result)."""
    return call.shop.products.create(call.body)


def edit(call: Call) -> dict[str, Any]:
    """Edit Product (every field; SKUs left out are deleted)."""
    return call.shop.products.edit(call.path_params["product_id"], call.body)


def check_listing(call: Call) -> dict[str, Any]:
    """Check Product Listing: Create Product's checks, nothing created."""
    return call.shop.products.check_listing(call.body)


def prerequisites(call: Call) -> dict[str, Any]:
    """Check Listing Prerequisites (the daily cap shows as PRODUCT_QUANTITY_LIMIT)."""
    return call.shop.products.cap.prerequisites()


def get_categories(call: Call) -> dict[str, Any]:
    """Get Categories."""
    return categories.categories_data(call.query.get("keyword"))


def category_rules(call: Call) -> dict[str, Any]:
    """Get Category Rules."""
    return categories.rules_data(call.path_params["category_id"])


def category_attributes(call: Call) -> dict[str, Any]:
    """Get Attributes."""
    return categories.attributes_data(call.path_params["category_id"])


def recommend_category(call: Call) -> dict[str, Any]:
    """Recommend Category."""
    return categories.recommend_data(call.body)


def partial_edit(call: Call) -> dict[str, Any]:
    """Partial Edit Product."""
    return call.shop.products.partial_edit(call.path_params["product_id"], call.body)


def update_inventory(call: Call) -> dict[str, Any]:
    """Update Inventory."""
    return call.shop.products.update_inventory(call.path_params["product_id"], call.body)


def update_prices(call: Call) -> dict[str, Any]:
    """Update Price."""
    return call.shop.products.update_prices(call.path_params["product_id"], call.body)


def activate(call: Call) -> dict[str, Any]:
    """Activate Product."""
    return call.shop.products.activate(call.body.get("product_ids") or [])


def deactivate(call: Call) -> dict[str, Any]:
    """Deactivate Products."""
    return call.shop.products.deactivate(call.body.get("product_ids") or [])


def upload_image(call: Call) -> dict[str, Any]:
    """Upload Product Image (multipart ``data`` + ``use_case``)."""
    data = call.form.get("data")
    if not isinstance(data, bytes):
        raise ApiError(12052910, "Invalid input parameters: data must be a file")
    return call.shop.products.upload_image(data, str(call.form.get("use_case", "MAIN_IMAGE")))


_V = ("202309",)
ENDPOINTS = [
    Endpoint("POST", "product", ("202309", "202502"), "products/search", search),
    Endpoint("GET", "product", _V, "products/{product_id}", detail),
    Endpoint("POST", "product", _V, "products", create),
    Endpoint("PUT", "product", ("202509",), "products/{product_id}", edit),
    Endpoint("POST", "product", _V, "products/listing_check", check_listing),
    Endpoint("GET", "product", ("202312",), "prerequisites", prerequisites),
    Endpoint("GET", "product", _V, "categories", get_categories),
    Endpoint("GET", "product", _V, "categories/{category_id}/rules", category_rules),
    Endpoint("GET", "product", _V, "categories/{category_id}/attributes", category_attributes),
    Endpoint("POST", "product", _V, "categories/recommend", recommend_category),
    Endpoint(
        "POST", "product", ("202309", "202509"), "products/{product_id}/partial_edit", partial_edit
    ),
    Endpoint("POST", "product", _V, "products/{product_id}/inventory/update", update_inventory),
    Endpoint("POST", "product", _V, "products/{product_id}/prices/update", update_prices),
    Endpoint("POST", "product", _V, "products/activate", activate),
    Endpoint("POST", "product", _V, "products/deactivate", deactivate),
    Endpoint(
        "POST", "product", _V, "images/upload", upload_image, shop_scoped=False, multipart=True
    ),
]
