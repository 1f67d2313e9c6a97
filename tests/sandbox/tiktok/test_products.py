"""Products and logistics over HTTP."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import httpx

from .conftest import APP_KEY, APP_SECRET, WALL, World, tts_sign

SEARCH = "/product/202502/products/search"


def _all_products(world: World, body: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    products, token = [], ""
    while True:
        query = {"page_size": "7"} | ({"page_token": token} if token else {})
        data = world.ok("POST", SEARCH, query=query, body=body or {})
        products += data["products"]
        token = data["next_page_token"]
        if not token:
            return products


def _sku_with(world: World, warehouses: int, status: str = "ACTIVATE") -> tuple[str, dict]:  # type: ignore[type-arg]
    for product in _all_products(world, {"status": status}):
        for sku in product["skus"]:
            if len(sku["inventory"]) == warehouses:
                return product["id"], sku
    raise AssertionError("no such SKU")


def test_listing_mirrors_the_catalog(world: World) -> None:
    products = _all_products(world)
    snap = world.shop.snapshot()
    assert len(products) == len({s["product_id"] for s in snap["skus"]})
    assert len({p["id"] for p in products}) == len(products)
    skus = [s["seller_sku"] for p in products for s in p["skus"]]
    assert any(s.startswith("TT-LIVE-") for s in skus)  # Seller-Center-only SKUs
    assert "" in skus  # a blank Shopify SKU stays blank
    statuses = {p["status"] for p in products}
    assert {"ACTIVATE", "FAILED", "DRAFT"} <= statuses
    price = products[0]["skus"][0]["price"]
    assert isinstance(price["sale_price"], str) and price["currency"] == "USD"


def test_search_filters_by_seller_sku(world: World) -> None:
    sku = _sku_with(world, 1)[1]
    found = world.ok(
        "POST", SEARCH, query={"page_size": "10"}, body={"seller_skus": [sku["seller_sku"]]}
    )
    assert found["total_count"] >= 1
    assert all(
        any(s["seller_sku"] == sku["seller_sku"] for s in p["skus"]) for p in found["products"]
    )


def test_a_draft_says_why_it_was_not_submitted(world: World) -> None:
    """The catalog's weightless products sit in DRAFT: Get Product says it is the weight."""
    draft = _all_products(world, {"status": "DRAFT"})[0]
    detail = world.ok("GET", f"/product/202309/products/{draft['id']}")
    assert "weight" in detail["audit"]["not_submitted_reasons"][0]
    live = _all_products(world, {"status": "ACTIVATE"})[0]
    audit = world.ok("GET", f"/product/202309/products/{live['id']}")["audit"]
    assert audit == {"status": "APPROVED", "not_submitted_reasons": []}


def test_failed_product_detail_has_audit_reasons(world: World) -> None:
    failed = _all_products(world, {"status": "FAILED"})[0]
    detail = world.ok("GET", f"/product/202309/products/{failed['id']}")
    assert detail["audit_failed_reasons"][0]["reasons"]
    assert world.call("GET", "/product/202309/products/1").json()["code"] == 12052032


def test_inventory_must_list_every_warehouse(world: World) -> None:
    product_id, sku = _sku_with(world, 2)
    path = f"/product/202309/products/{product_id}/inventory/update"
    first = sku["inventory"][0]["warehouse_id"]
    partial = {"skus": [{"id": sku["id"], "inventory": [{"warehouse_id": first, "quantity": 3}]}]}
    assert world.call("POST", path, body=partial).json()["code"] == 12019028
    full = {
        "skus": [
            {
                "id": sku["id"],
                "inventory": [
                    {"warehouse_id": i["warehouse_id"], "quantity": 7} for i in sku["inventory"]
                ],
            }
        ]
    }
    world.ok("POST", path, body=full)
    detail = world.ok("GET", f"/product/202309/products/{product_id}")
    mine = next(s for s in detail["skus"] if s["id"] == sku["id"])
    assert {i["quantity"] for i in mine["inventory"]} == {7}
    too_many = {
        "skus": [
            {
                "id": sku["id"],
                "inventory": [
                    {"warehouse_id": i["warehouse_id"], "quantity": 100_000}
                    for i in sku["inventory"]
                ],
            }
        ]
    }
    assert world.call("POST", path, body=too_many).json()["code"] == 12019024


def test_locked_price_is_refused(world: World) -> None:
    locked = next(s for s in world.shop.snapshot()["skus"] if s["price_locked"])
    path = f"/product/202309/products/{locked['product_id']}/prices/update"
    body = {"skus": [{"id": locked["sku_id"], "price": {"amount": "9.99", "currency": "USD"}}]}
    # Update Price's error list: "Product price locked due to ongoing promotion."
    assert world.call("POST", path, body=body).json()["code"] == 12052038
    free = next(
        s
        for s in world.shop.snapshot()["skus"]
        if not s["price_locked"] and s["status"] == "ACTIVATE"
    )
    body = {"skus": [{"id": free["sku_id"], "price": {"amount": "9.99", "currency": "USD"}}]}
    world.ok("POST", f"/product/202309/products/{free['product_id']}/prices/update", body=body)
    assert (
        next(s for s in world.shop.snapshot()["skus"] if s["sku_id"] == free["sku_id"])["price"]
        == "9.99"
    )


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def _upload(world: World) -> dict[str, Any]:
    path = "/product/202309/images/upload"
    query = {"app_key": APP_KEY, "timestamp": str(WALL)}
    query["sign"] = tts_sign(APP_SECRET, path, query)  # multipart bodies are not signed
    response = httpx.post(
        world.api_url + path,
        params=query,
        headers={"x-tts-access-token": world.token},
        files={"data": ("a.png", _png(640, 480), "image/png")},
        data={"use_case": "MAIN_IMAGE"},
    )
    body = response.json()
    assert body["code"] == 0, body
    return body["data"]  # type: ignore[no-any-return]


def test_create_product_replays_on_same_idempotency_key(world: World) -> None:
    image = _upload(world)
    assert (image["width"], image["height"]) == (640, 480)
    warehouse = world.ok("GET", "/logistics/202309/warehouses")["warehouses"][0]["id"]
    body = {
        "title": "Sandbox Test Crew Neck Tee",
        "description": "<p>Soft.</p>",
        "category_id": "601152",
        "category_version": "v2",
        "product_attributes": [{"id": "100198", "values": [{"name": "Harbor & Pine"}]}],
        "main_images": [{"uri": image["uri"]}],
        "package_weight": {"value": "0.4", "unit": "POUND"},
        "save_mode": "LISTING",
        "idempotency_key": "create-1",
        "skus": [
            {
                "seller_sku": "NEW-1",
                "price": {"amount": "19.99", "currency": "USD"},
                "inventory": [{"warehouse_id": warehouse, "quantity": 5}],
            }
        ],
    }
    first = world.ok("POST", "/product/202309/products", body=body)
    second = world.ok("POST", "/product/202309/products", body=body)
    assert first == second
    matches = _all_products(world, {"seller_skus": ["NEW-1"]})
    assert [p["id"] for p in matches] == [first["product_id"]]
    assert matches[0]["status"] == "PENDING"
    world.clock.advance(601)
    assert (
        world.ok("GET", f"/product/202309/products/{first['product_id']}")["status"] == "ACTIVATE"
    )
    no_weight = body | {
        "idempotency_key": "create-2",
        "package_weight": {"value": "0", "unit": "POUND"},
    }
    # "The package weight of the product can not be zero."
    assert world.call("POST", "/product/202309/products", body=no_weight).json()["code"] == 12052181


def test_activate_reports_partial_errors(world: World) -> None:
    live = _all_products(world, {"status": "ACTIVATE"})[0]["id"]
    data = world.ok("POST", "/product/202309/products/deactivate", body={"product_ids": [live]})
    assert data == {}
    data = world.ok(
        "POST", "/product/202309/products/activate", body={"product_ids": [live, "123"]}
    )
    assert [e["detail"]["product_id"] for e in data["errors"]] == ["123"]
    assert world.ok("GET", f"/product/202309/products/{live}")["status"] == "ACTIVATE"


def test_logistics_providers(world: World) -> None:
    warehouses = world.ok("GET", "/logistics/202309/warehouses")["warehouses"]
    types = {w["type"] for w in warehouses}
    assert types == {"SALES_WAREHOUSE", "RETURN_WAREHOUSE"}
    main = next(w for w in warehouses if w["is_default"])
    options = world.ok("GET", f"/logistics/202309/warehouses/{main['id']}/delivery_options")
    names = {}
    for option in options["delivery_options"]:
        response = world.call(
            "GET", f"/logistics/202309/delivery_options/{option['id']}/shipping_providers"
        )
        body = response.json()
        names[option["name"]] = body
    tiktok = names.pop("TikTok Shipping")
    assert tiktok["code"] == 21008117
    providers = names["Standard Shipping"]["data"]["shipping_providers"]
    labels = {p["name"] for p in providers}
    assert {"USPS", "UPS", "FedEx", "DHL eCommerce", "OnTrac", "Amazon Logistics"} <= labels
    assert not labels & {"DHL Express", "Other"}
    assert all(len(p["id"]) == 19 and p["id"].isdigit() for p in providers)
