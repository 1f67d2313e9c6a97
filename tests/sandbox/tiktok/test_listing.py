"""Pushing a listing to TikTok: images, Create Product rules, the check, review, edits, the cap."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import World, make_world
from .listing_client import (
    CREATE,
    MANUFACTURER,
    create,
    jpeg,
    png,
    product_body,
    status,
    upload,
)

AUDIT = 600  # seconds a listing stays in review
SEARCH = "/product/202502/products/search"


@pytest.fixture
def shop() -> Iterator[World]:
    """A quiet shop that takes two new products a day."""
    yield from make_world(initial_orders=0, orders_per_minute=0.0, daily_listing_cap=2)


# -- images -------------------------------------------------------------------


def test_upload_returns_a_tiktok_uri_with_the_real_size(world: World) -> None:
    for data, size in ((png(640, 480), (640, 480)), (jpeg(1200, 900), (1200, 900))):
        body = upload(world, data)
        assert body["code"] == 0, body
        image = body["data"]
        assert (image["width"], image["height"]) == size
        assert image["uri"].startswith("tos-") and image["uri"] in image["url"]
        assert image["use_case"] == "MAIN_IMAGE"


@pytest.mark.parametrize(
    ("data", "use_case", "code"),
    [
        (png(299, 800), "MAIN_IMAGE", 12052301),  # under 300 px
        (b"GIF89a" + b"\x00" * 64, "MAIN_IMAGE", 12052304),  # not a format TikTok takes
        (png(800, 800) + b"\x00" * (5 * 1024 * 1024), "MAIN_IMAGE", 12052302),  # over 5 MB
        (png(800, 800), "PROFILE_PICTURE", 12052910),  # no such use case
    ],
)
def test_upload_refuses_what_tiktok_refuses(
    world: World, data: bytes, use_case: str, code: int
) -> None:
    assert upload(world, data, use_case)["code"] == code


def test_small_images_are_fine_where_they_are_not_main_images(world: World) -> None:
    assert upload(world, png(120, 120), "ATTRIBUTE_IMAGE")["code"] == 0


# -- Create Product -------------------------------------------------------------


def test_the_same_idempotency_key_gives_the_same_product_never_two(shop: World) -> None:
    body = product_body(shop, "PUSH-1", idempotency_key="push-1")
    first = create(shop, body)["data"]
    again = create(shop, body)["data"]
    assert again == first
    other = create(shop, body | {"idempotency_key": "push-2"})["data"]
    assert other["product_id"] != first["product_id"]
    found = shop.ok("POST", SEARCH, query={"page_size": "10"}, body={"seller_skus": ["PUSH-1"]})
    assert sorted(p["id"] for p in found["products"]) == sorted(
        [first["product_id"], other["product_id"]]
    )
    # The cap (two a day) is reached, yet a replay still answers with the first product.
    assert create(shop, body)["data"] == first


def test_parallel_retries_with_one_key_list_one_product(world: World) -> None:
    """A client that lost the answer retries at once from several workers: one listing."""
    body = product_body(world, "RACE-1", idempotency_key="race-1")
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: create(world, body), range(6)))
    assert {a["code"] for a in answers} == {0}
    assert len({a["data"]["product_id"] for a in answers}) == 1
    found = world.ok("POST", SEARCH, query={"page_size": "10"}, body={"seller_skus": ["RACE-1"]})
    assert found["total_count"] == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"title": "Cotton&nbsp;Tee"}, 12052931),  # an HTML escape
        ({"title": "Cotton Tee ✨"}, 12052931),  # an emoji
        ({"title": "T" * 256}, 12052051),  # over 255 characters
        ({"title": "  "}, 12052261),
        ({"main_images": []}, 12052028),
        ({"main_images": [{"uri": "tos-maliva-i-o3syd03w52-us/not-uploaded"}]}, 12052300),
        ({"category_id": "600001"}, 12052024),  # not a leaf
        ({"category_id": "123"}, 12052023),
        ({"product_attributes": []}, 12052104),  # the required Manufacturer is missing
        ({"category_id": "601450"}, 12052104),  # Skincare also needs Ingredients
        ({"description": "<p>Hi</p><script>x()</script>"}, 12019006),
        ({"package_weight": {"value": "0", "unit": "POUND"}}, 12052181),
        ({"category_version": "v1"}, 12052217),  # US shops list in the v2 tree
        ({"package_weight": {"value": "-1", "unit": "POUND"}}, 12019011),
        ({"package_weight": {"value": "1", "unit": "STONE"}}, 12019011),
        ({"description": "<p>Soft&nbsp;cotton</p>"}, 12052932),
        ({"description": "<p>" + "x" * 10_001 + "</p>"}, 12052013),
        ({"description": '<p><img src="a" width="1" height="1"></p>' * 31}, 12052056),
    ],
)
def test_create_refuses_each_flaw_with_tiktoks_code(
    world: World, change: dict[str, Any], code: int
) -> None:
    before = world.ok("POST", SEARCH, query={"page_size": "1"}, body={})["total_count"]
    assert create(world, product_body(world, "FLAW-1") | change)["code"] == code
    assert world.ok("POST", SEARCH, query={"page_size": "1"}, body={})["total_count"] == before


def test_a_zero_price_is_refused(world: World) -> None:
    body = product_body(world, "ZERO-1")
    body["skus"][0]["price"] = {"amount": "0.00", "currency": "USD"}
    assert create(world, body)["code"] == 12052073


def _sku(body: dict[str, Any], seller_sku: str, attributes: list[tuple[str, str]]) -> Any:
    first = body["skus"][0]
    pairs = [{"name": n, "value_name": v} for n, v in attributes]
    return first | {"seller_sku": seller_sku, "sales_attributes": pairs}


@pytest.mark.parametrize(
    ("attributes", "code"),
    [
        ([("Color", "Sage"), ("Size", "M"), ("Scent", "Cedar"), ("Style", "Crew")], 12052525),
        ([("Color", "")], 12052248),
        ([("Color", "Sage 💚")], 12052934),
    ],
)
def test_sales_attributes_follow_tiktoks_rules(
    world: World, attributes: list[tuple[str, str]], code: int
) -> None:
    body = product_body(world, "ATTR-1")
    body["skus"] = [_sku(body, "ATTR-1", attributes)]
    assert create(world, body)["code"] == code


def test_a_product_has_at_most_300_skus(world: World) -> None:
    body = product_body(world, "MANY-0")
    many = [_sku(body, f"MANY-{n}", [("Size", f"S{n}")]) for n in range(301)]
    assert create(world, body | {"skus": many})["code"] == 12052050
    assert create(world, body | {"skus": many[:300]})["code"] == 0


def test_skincare_lists_once_the_merchant_gives_ingredients(world: World) -> None:
    attributes = [
        {"id": MANUFACTURER, "values": [{"name": "Harbor & Pine"}]},
        {"id": "100420", "values": [{"name": "Aqua, Ascorbic Acid, Glycerin"}]},
    ]
    body = product_body(world, "SERUM-1", category_id="601450", product_attributes=attributes)
    assert create(world, body)["code"] == 0


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=300))
def test_the_listing_check_and_create_agree_on_titles(world: World, title: str) -> None:
    """Whatever the title, Check Product Listing passes exactly when Create accepts it."""
    body = product_body(world, "T-1") | {"title": title}
    check = world.ok("POST", "/product/202309/products/listing_check", body=body)
    created = create(world, body)
    assert (check["check_result"] == "PASS") == (created["code"] == 0)
    if created["code"]:
        assert created["code"] in {r["code"] for r in check["fail_reasons"]}


def test_the_listing_check_reports_every_failure_and_creates_nothing(world: World) -> None:
    body = product_body(world, "CHECK-1") | {"title": "Tee&nbsp;🔥", "product_attributes": []}
    body["skus"][0]["price"] = {"amount": "0", "currency": "USD"}
    check = world.ok("POST", "/product/202309/products/listing_check", body=body)
    assert check["check_result"] == "FAILED"
    assert {r["code"] for r in check["fail_reasons"]} == {12052931, 12052104, 12052073}
    assert (
        world.ok("POST", SEARCH, query={"page_size": "5"}, body={"seller_skus": ["CHECK-1"]})[
            "total_count"
        ]
        == 0
    )
    clean = world.ok(
        "POST", "/product/202309/products/listing_check", body=product_body(world, "CHECK-2")
    )
    assert clean["check_result"] == "PASS" and clean["fail_reasons"] == []


# -- review ---------------------------------------------------------------------


def test_a_new_listing_is_reviewed_on_the_sandbox_clock(world: World) -> None:
    body = product_body(world, "REVIEW-1")
    product_id = create(world, body)["data"]["product_id"]
    pending = world.ok("GET", f"/product/202309/products/{product_id}")
    assert pending["status"] == "PENDING" and pending["audit"]["status"] == "AUDITING"
    image = pending["main_images"][0]
    assert image["uri"] == body["main_images"][0]["uri"]
    assert (image["width"], image["height"]) == (800, 800)
    world.advance(AUDIT - 1)
    assert status(world, product_id) == "PENDING"
    world.advance(1)
    detail = world.ok("GET", f"/product/202309/products/{product_id}")
    assert detail["status"] == "ACTIVATE" and detail["audit_failed_reasons"] == []


def test_promotional_titles_fail_review_with_reasons(world: World) -> None:
    body = product_body(world, "REVIEW-2", title="Cotton Tee | Best Seller Free Shipping")
    product_id = create(world, body)["data"]["product_id"]
    world.advance(AUDIT)
    detail = world.ok("GET", f"/product/202309/products/{product_id}")
    assert detail["status"] == "FAILED" and detail["audit"]["status"] == "FAILED"
    reasons = " ".join(r for entry in detail["audit_failed_reasons"] for r in entry["reasons"])
    assert "Free Shipping" in reasons and "Best Seller" in reasons
    # The seller fixes the title: back to review, then live.
    world.ok(
        "POST",
        f"/product/202509/products/{product_id}/partial_edit",
        body={"title": "Cotton Tee"},
    )
    assert status(world, product_id) == "PENDING"
    world.advance(AUDIT)
    assert status(world, product_id) == "ACTIVATE"


def _live(world: World) -> tuple[str, dict[str, Any]]:
    product_id = create(world, product_body(world, "LIVE-1"))["data"]["product_id"]
    world.advance(AUDIT)
    detail = world.ok("GET", f"/product/202309/products/{product_id}")
    assert detail["status"] == "ACTIVATE"
    return product_id, detail


def test_price_and_stock_edits_keep_a_live_product_live(world: World) -> None:
    product_id, detail = _live(world)
    sku = detail["skus"][0]
    world.ok(
        "POST",
        f"/product/202509/products/{product_id}/partial_edit",
        body={"skus": [{"id": sku["id"], "price": {"amount": "19.00", "currency": "USD"}}]},
    )
    world.ok(
        "POST",
        f"/product/202309/products/{product_id}/prices/update",
        body={"skus": [{"id": sku["id"], "price": {"amount": "18.00", "currency": "USD"}}]},
    )
    stock = [{"warehouse_id": i["warehouse_id"], "quantity": 9} for i in sku["inventory"]]
    world.ok(
        "POST",
        f"/product/202309/products/{product_id}/inventory/update",
        body={"skus": [{"id": sku["id"], "inventory": stock}]},
    )
    assert status(world, product_id) == "ACTIVATE"


def test_update_price_is_refused_while_the_product_is_in_a_promotion(world: World) -> None:
    product_id, detail = _live(world)
    path = f"/product/202309/products/{product_id}/prices/update"
    body = {
        "skus": [{"id": detail["skus"][0]["id"], "price": {"amount": "9.00", "currency": "USD"}}]
    }
    world.shop.set_promotion(product_id, True)  # what POST /tiktok/products/promotion does
    refused = world.call("POST", path, body=body).json()
    assert (refused["code"], refused["message"]) == (
        12052038,
        "Product price locked due to ongoing promotion.",
    )
    world.shop.set_promotion(product_id, False)
    world.ok("POST", path, body=body)
    price = world.ok("GET", f"/product/202309/products/{product_id}")["skus"][0]["price"]
    assert price["sale_price"] == "9.00"


@pytest.mark.parametrize(
    "change",
    [
        {"description": "<p>Now even softer.</p>"},
        {"package_weight": {"value": "0.5", "unit": "POUND"}},
        {"product_attributes": [{"id": MANUFACTURER, "values": [{"name": "H&P Studio"}]}]},
    ],
)
def test_a_content_edit_sends_a_live_product_back_to_review(
    world: World, change: dict[str, Any]
) -> None:
    product_id, _ = _live(world)
    edited = world.ok("POST", f"/product/202509/products/{product_id}/partial_edit", body=change)
    assert edited["product_id"] == product_id
    assert status(world, product_id) == "PENDING"
    world.advance(AUDIT)
    assert status(world, product_id) == "ACTIVATE"


def test_a_live_product_whose_edit_fails_review_stays_live_as_it_was(world: World) -> None:
    """Edit Product: if the audit fails, "the existing product stays live ... (keeping v1)"."""
    product_id, before = _live(world)
    path = f"/product/202509/products/{product_id}/partial_edit"
    world.ok("POST", path, body={"title": "Organic Cotton Crew Tee Free Shipping"})
    assert status(world, product_id) == "PENDING"
    world.advance(AUDIT)
    after = world.ok("GET", f"/product/202309/products/{product_id}")
    assert after["status"] == "ACTIVATE" and after["title"] == before["title"]
    assert after["audit"]["status"] == "FAILED"
    assert "Free Shipping" in after["audit_failed_reasons"][0]["reasons"][0]
    world.ok("POST", path, body={"title": "Organic Cotton Crew Tee, Washed"})
    world.advance(AUDIT)
    fixed = world.ok("GET", f"/product/202309/products/{product_id}")
    assert fixed["title"] == "Organic Cotton Crew Tee, Washed"
    assert fixed["audit"]["status"] == "APPROVED" and fixed["audit_failed_reasons"] == []


def test_a_full_edit_is_reviewed_and_drops_the_skus_left_out(world: World) -> None:
    product_id, detail = _live(world)
    body = product_body(world, "LIVE-1", title="Organic Cotton Crew Tee, Relaxed Fit")
    body["skus"][0]["id"] = detail["skus"][0]["id"]
    body["skus"].append(body["skus"][0] | {"id": None, "seller_sku": "LIVE-2"})
    world.ok("PUT", f"/product/202509/products/{product_id}", body=body)
    assert status(world, product_id) == "PENDING"
    world.advance(AUDIT)
    after = world.ok("GET", f"/product/202309/products/{product_id}")
    assert after["status"] == "ACTIVATE" and after["title"].endswith("Relaxed Fit")
    assert [s["seller_sku"] for s in after["skus"]] == ["LIVE-1", "LIVE-2"]
    body["skus"] = body["skus"][:1]
    world.ok("PUT", f"/product/202509/products/{product_id}", body=body)
    assert [
        s["seller_sku"] for s in world.ok("GET", f"/product/202309/products/{product_id}")["skus"]
    ] == ["LIVE-1"]


def test_edit_product_is_served_only_at_its_version(world: World) -> None:
    product_id, _ = _live(world)
    response = world.call(
        "PUT", f"/product/202309/products/{product_id}", body=product_body(world, "LIVE-1")
    )
    # The gateway refuses it (202309 serves only GET at this path).
    assert response.json()["code"] in (36009010, 36009014)


# -- the daily cap ----------------------------------------------------------------

PREREQUISITES = "/product/202312/prerequisites"
# START is 2025-06-15 08:06:40 in Los Angeles: UTC midnight is 8 h 53 min 20 s later,
# the shop's own midnight 15 h 53 min 20 s later.
TO_UTC_MIDNIGHT = 32_000
TO_SHOP_MIDNIGHT = 57_200


def _quantity_limit(world: World) -> dict[str, Any]:
    results = world.ok("GET", PREREQUISITES, body=None)["check_results"]
    return next(r for r in results if r["check_item"] == "PRODUCT_QUANTITY_LIMIT")


def test_the_daily_cap_refuses_new_products_until_the_shops_midnight(shop: World) -> None:
    assert _quantity_limit(shop)["is_failed"] is False
    for n in range(2):
        assert create(shop, product_body(shop, f"CAP-{n}"))["code"] == 0
    limit = _quantity_limit(shop)
    assert limit["is_failed"] is True and limit["fail_reasons"]
    assert create(shop, product_body(shop, "CAP-2"))["code"] == 12052093
    shop.advance(TO_UTC_MIDNIGHT)  # midnight in UTC is not the shop's midnight
    assert create(shop, product_body(shop, "CAP-2"))["code"] == 12052093
    shop.advance(TO_SHOP_MIDNIGHT - TO_UTC_MIDNIGHT)
    assert _quantity_limit(shop)["is_failed"] is False
    assert create(shop, product_body(shop, "CAP-2"))["code"] == 0
    assert all(not r["is_failed"] for r in shop.ok("GET", PREREQUISITES)["check_results"])


def test_the_create_path_has_no_other_version(world: World) -> None:
    assert world.call("POST", CREATE.replace("202309", "202509"), body={}).json()["code"] == (
        36009014
    )
