"""The catalog a listing fix reads and writes back, through the Admin GraphQL API.

Images report the size they are served at; weights are read and written through
``inventoryItem.measurement``; ``productUpdate``, ``productVariantsBulkUpdate``
and ``inventoryItemUpdate`` change what they say and answer with Shopify's user
errors otherwise.
"""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Sandbox, SandboxFactory

IMAGES = """
query Images($after: String) {
  products(first: 25, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { images(first: 5) { nodes { url width height } } }
  }
}
"""

PRODUCT = """
query Product($id: ID!) {
  product(id: $id) {
    title descriptionHtml vendor productType
    variants(first: 20) {
      nodes {
        id sku barcode price
        inventoryItem { id sku measurement { weight { value unit } } }
      }
    }
  }
}
"""

BULK_UPDATE = """
mutation Fix($productId: ID!, $variants: [ProductVariantsBulkInput!]!, $partial: Boolean) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants,
                            allowPartialUpdates: $partial) {
    product { id }
    productVariants { id sku price barcode }
    userErrors { field message code }
  }
}
"""

PRODUCT_UPDATE = """
mutation Retitle($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { id title descriptionHtml }
    userErrors { field message }
  }
}
"""

ITEM_UPDATE = """
mutation Weigh($id: ID!, $input: InventoryItemInput!) {
  inventoryItemUpdate(id: $id, input: $input) {
    inventoryItem { id sku measurement { weight { value unit } } }
    userErrors { field message }
  }
}
"""


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_images_report_the_size_they_are_served_at(make_sandbox: SandboxFactory) -> None:
    sandbox = make_sandbox(products=40, plan="plus")
    images, after = [], None
    while True:
        page = sandbox.data(IMAGES, {"after": after})["products"]
        images += [i for p in page["nodes"] for i in p["images"]["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    sizes = {(i["width"], i["height"]) for i in images}
    assert any(min(s) >= 300 for s in sizes) and any(min(s) < 300 for s in sizes)
    for image in [images[0], *(i for i in images if i["width"] < 300)]:
        served = sandbox.http.get(image["url"])
        assert served.headers["content-type"] == "image/png"
        assert _png_size(served.content) == (image["width"], image["height"])
        assert len(set(_png_pixels(served.content))) == 1  # one solid colour


def test_served_images_decode_to_one_colour_per_image(make_sandbox: SandboxFactory) -> None:
    """Every row decodes (checksums, filters) to the image's colour; images differ."""
    sandbox = make_sandbox(products=6, plan="plus")
    page = sandbox.data(IMAGES, {"after": None})["products"]
    colours = []
    for image in [i for p in page["nodes"] for i in p["images"]["nodes"]][:6]:
        pixels = _png_pixels(sandbox.http.get(image["url"]).content)
        assert len(pixels) == image["width"] * image["height"]
        assert len(set(pixels)) == 1
        colours.append(pixels[0])
    assert len(set(colours)) > 1


def _png_pixels(data: bytes) -> list[bytes]:
    """The RGB pixels of an 8-bit RGB PNG (filters None and Up, the ones it uses)."""
    width, height = _png_size(data)
    at, idat = 8, b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert (
            zlib.crc32(kind + body)
            == struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0]
        )
        idat += body if kind == b"IDAT" else b""
        at += 12 + length
    raw = zlib.decompress(idat)  # checks the Adler-32 too
    stride = 1 + 3 * width
    assert len(raw) == stride * height
    above, pixels = bytes(3 * width), []
    for row in range(height):
        kind, line = raw[row * stride], raw[row * stride + 1 : (row + 1) * stride]
        assert kind in (0, 2)
        line = bytes((a + b) & 0xFF for a, b in zip(line, above, strict=True)) if kind else line
        pixels += [line[i : i + 3] for i in range(0, len(line), 3)]
        above = line
    return pixels


def _product(sandbox: Sandbox, index: int = 0) -> dict[str, Any]:
    first = sandbox.data("{ products(first: 20) { nodes { id } } }")["products"]["nodes"]
    product_id = first[index]["id"]
    product: dict[str, Any] = sandbox.data(PRODUCT, {"id": product_id})["product"]
    return {"id": product_id, **product}


def test_bulk_update_writes_price_sku_barcode_and_weight(sandbox: Sandbox) -> None:
    product = _product(sandbox)
    variant = product["variants"]["nodes"][0]
    change = {
        "id": variant["id"],
        "price": "31.50",
        "barcode": "012345678905",
        "inventoryItem": {
            "sku": "HP-FIXED-1",
            "measurement": {"weight": {"value": 0.75, "unit": "POUNDS"}},
        },
    }
    payload = sandbox.data(BULK_UPDATE, {"productId": product["id"], "variants": [change]})[
        "productVariantsBulkUpdate"
    ]
    assert payload["userErrors"] == []
    assert payload["productVariants"] == [
        {"id": variant["id"], "sku": "HP-FIXED-1", "price": "31.50", "barcode": "012345678905"}
    ]
    read = _product(sandbox)["variants"]["nodes"][0]
    assert read["inventoryItem"]["sku"] == "HP-FIXED-1"
    assert read["inventoryItem"]["measurement"]["weight"] == {"value": 0.75, "unit": "POUNDS"}
    sandbox.tick(5)  # past the search index's lag
    found = sandbox.data('{ productVariants(first: 5, query: "sku:HP-FIXED-1") { nodes { id } } }')
    assert found["productVariants"]["nodes"] == [{"id": variant["id"]}]


def test_bulk_update_is_all_or_nothing_with_shopifys_errors(sandbox: Sandbox) -> None:
    product, other = _product(sandbox, 0), _product(sandbox, 1)
    mine = product["variants"]["nodes"][0]
    changes = [
        {"id": mine["id"], "price": "5.00"},
        {"id": other["variants"]["nodes"][0]["id"], "price": "5.00"},
        {"id": mine["id"], "price": "-1.00"},
    ]
    payload = sandbox.data(BULK_UPDATE, {"productId": product["id"], "variants": changes})[
        "productVariantsBulkUpdate"
    ]
    errors = {(tuple(e["field"]), e["code"]) for e in payload["userErrors"]}
    assert errors == {
        (("variants", "1", "id"), "MUST_BE_FOR_THIS_PRODUCT"),
        (("variants", "2", "price"), "NEGATIVE_PRICE_VALUE"),
    }
    assert payload["productVariants"] == []
    assert _product(sandbox)["variants"]["nodes"][0]["price"] == mine["price"]
    partial = sandbox.data(
        BULK_UPDATE, {"productId": product["id"], "variants": changes, "partial": True}
    )["productVariantsBulkUpdate"]
    assert [v["price"] for v in partial["productVariants"]] == ["5.00"]
    missing = sandbox.data(
        BULK_UPDATE, {"productId": "gid://shopify/Product/1", "variants": changes[:1]}
    )["productVariantsBulkUpdate"]
    assert missing["product"] is None
    assert missing["userErrors"] == [
        {
            "field": ["productId"],
            "message": "Product does not exist",
            "code": "PRODUCT_DOES_NOT_EXIST",
        }
    ]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cents=st.integers(0, 10**7))
def test_any_price_written_reads_back_the_same(sandbox: Sandbox, cents: int) -> None:
    sandbox.tick(10)  # the frozen clock refills the query-cost bucket only when moved
    product = _product(sandbox, 2)
    variant = product["variants"]["nodes"][0]
    price = str(Decimal(cents) / 100)
    sandbox.data(
        BULK_UPDATE,
        {"productId": product["id"], "variants": [{"id": variant["id"], "price": price}]},
    )
    read = _product(sandbox, 2)["variants"]["nodes"][0]["price"]
    assert Decimal(read) == Decimal(price)


def test_product_update_fixes_a_title_within_shopifys_rules(sandbox: Sandbox) -> None:
    product = _product(sandbox)
    fixed = sandbox.data(
        PRODUCT_UPDATE,
        {"product": {"id": product["id"], "title": "Organic Cotton Crew Tee",
                     "descriptionHtml": "<p>Soft.</p>"}},
    )["productUpdate"]  # fmt: skip
    assert fixed["userErrors"] == []
    assert fixed["product"]["title"] == "Organic Cotton Crew Tee"
    assert _product(sandbox)["descriptionHtml"] == "<p>Soft.</p>"
    for title, message in [
        ("", "Title can't be blank"),
        ("T" * 256, "Title is too long (maximum is 255 characters)"),
    ]:
        refused = sandbox.data(PRODUCT_UPDATE, {"product": {"id": product["id"], "title": title}})
        assert refused["productUpdate"] == {
            "product": None,
            "userErrors": [{"field": ["title"], "message": message}],
        }
    assert _product(sandbox)["title"] == "Organic Cotton Crew Tee"
    unknown = sandbox.data(PRODUCT_UPDATE, {"product": {"id": "gid://shopify/Product/1"}})
    assert unknown["productUpdate"]["userErrors"] == [
        {"field": ["id"], "message": "Product does not exist"}
    ]


def test_inventory_item_update_gives_a_variant_its_missing_weight(sandbox: Sandbox) -> None:
    variants = [
        v
        for p in sandbox.data("{ products(first: 20) { nodes { id } } }")["products"]["nodes"]
        for v in sandbox.data(PRODUCT, {"id": p["id"]})["product"]["variants"]["nodes"]
    ]
    weightless = next(
        v for v in variants if v["inventoryItem"]["measurement"]["weight"]["value"] == 0
    )
    item_id = weightless["inventoryItem"]["id"]
    weight = {"value": 240.0, "unit": "GRAMS"}
    payload = sandbox.data(
        ITEM_UPDATE, {"id": item_id, "input": {"measurement": {"weight": weight}, "sku": "HP-W-1"}}
    )["inventoryItemUpdate"]
    assert payload["userErrors"] == []
    assert payload["inventoryItem"]["measurement"]["weight"] == weight
    assert payload["inventoryItem"]["sku"] == "HP-W-1"
    negative = sandbox.data(
        ITEM_UPDATE,
        {"id": item_id, "input": {"measurement": {"weight": {"value": -1, "unit": "GRAMS"}}}},
    )["inventoryItemUpdate"]
    assert negative["inventoryItem"] is None
    assert negative["userErrors"][0]["field"] == ["input", "measurement", "weight", "value"]
    unknown = sandbox.data(ITEM_UPDATE, {"id": "gid://shopify/InventoryItem/1", "input": {}})
    assert unknown["inventoryItemUpdate"]["userErrors"] == [
        {"field": ["id"], "message": "Inventory item does not exist"}
    ]


@pytest.mark.parametrize("unit", ["STONES", "grams"])
def test_a_weight_unit_outside_the_enum_is_a_top_level_error(sandbox: Sandbox, unit: str) -> None:
    variant = _product(sandbox)["variants"]["nodes"][0]
    body = sandbox.gql(
        ITEM_UPDATE,
        {
            "id": variant["inventoryItem"]["id"],
            "input": {"measurement": {"weight": {"value": 1, "unit": unit}}},
        },
    )
    assert "errors" in body and body.get("data") is None
