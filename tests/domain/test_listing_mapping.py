"""A Shopify product as a Create Product body: overrides win, money exact, units per region."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.domain.listing_products import clean_products, sample_product
from tiktok_console.domain.listing_html import HostedImage
from tiktok_console.domain.listing_mapping import (
    create_product_body,
    identifier_code,
    main_image_candidates,
)
from tiktok_console.domain.listing_product import (
    Overrides,
    PriceRule,
    ProductImage,
    ProductView,
    Variant,
)
from tiktok_console.domain.listing_regions import RegionRules, region_rules
from tiktok_console.domain.money import Money

US, UK = region_rules("US"), region_rules("UK")
replace = dataclasses.replace


def body(product: ProductView, region: RegionRules = US, **kwargs: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"main_image_uris": ["tos/1", "tos/2"], "warehouse_id": "W1"}
    options.update(kwargs)
    return create_product_body(product, region, **options)


def test_a_us_product_maps_field_by_field() -> None:
    product = sample_product()
    sent = body(product, idempotency_key="create-1")
    assert sent["title"] == "Organic cotton tee"
    assert sent["category_id"] == "601152" and sent["category_version"] == "v2"
    assert sent["main_images"] == [{"uri": "tos/1"}, {"uri": "tos/2"}]
    assert sent["package_weight"] == {"value": "0.40", "unit": "POUND"}
    assert sent["product_attributes"] == [{"id": "100001", "values": [{"name": "Cotton"}]}]
    assert "brand_id" not in sent  # "No brand"
    assert sent["external_product_id"] == "gid://shopify/Product/1"
    assert sent["idempotency_key"] == "create-1" and sent["save_mode"] == "LISTING"
    first = sent["skus"][0]
    assert first == {
        "seller_sku": "TEE-M",
        "external_sku_id": "gid://shopify/ProductVariant/1",
        "price": {"amount": "19.99", "currency": "USD"},
        "inventory": [{"warehouse_id": "W1", "quantity": 40}],
        "sales_attributes": [
            {"name": "Size", "value_name": "M"},
            {"name": "Color", "value_name": "Blue"},
        ],
        "identifier_code": {"code": "036000291452", "type": "UPC"},
        "list_price": {"amount": "24.99", "currency": "USD"},
    }


def test_a_uk_product_has_metric_units_and_no_list_price() -> None:
    sent = body(sample_product("GBP"), UK)
    assert sent["package_weight"] == {"value": "0.182", "unit": "KILOGRAM"}
    assert sent["category_version"] == "v1"
    assert all("list_price" not in sku for sku in sent["skus"])
    with pytest.raises(ValueError, match="same region"):
        body(sample_product("USD"), UK)


def test_tiktok_overrides_win_and_the_price_rule_applies() -> None:
    overrides = Overrides(
        title="Tee 😀 &amp; more",
        description_html="<p style='x'>TikTok&nbsp;only</p>",
        brand_id="7082427311584347905",
        price_rule=PriceRule(percent=Decimal(10)),
    )
    sent = body(replace(sample_product(), overrides=overrides))
    assert sent["title"] == "Tee & more"
    assert sent["description"] == "<p>TikTok only</p>"
    assert sent["brand_id"] == "7082427311584347905"
    assert sent["skus"][0]["price"] == {"amount": "21.99", "currency": "USD"}


def test_description_images_point_at_tiktok_and_an_empty_description_becomes_the_title() -> None:
    product = replace(sample_product(), description_html='<img src="https://s.test/a.jpg">')
    hosted = {"https://s.test/a.jpg": HostedImage("https://tt.test/a", 600, 600)}
    assert body(product, description_images=hosted)["description"] == (
        '<img src="https://tt.test/a" width="600" height="600" />'
    )
    bare = replace(product, title="Mug & saucer", description_html=" &nbsp; ")
    assert body(bare)["description"] == "<p>Mug & saucer</p>"


def test_stock_comes_from_the_inventory_rules_within_tiktoks_range() -> None:
    product = sample_product()
    ids = [v.variant_id for v in product.variants]
    sent = body(product, quantities={ids[0]: 0, ids[1]: 250_000})
    inventories = [sku["inventory"] for sku in sent["skus"]]
    assert inventories == [[{"warehouse_id": "W1"}], [{"warehouse_id": "W1", "quantity": 99_999}]]


def test_a_single_default_variant_has_no_sales_attributes_and_options_stop_at_three() -> None:
    lone = Variant("v1", "MUG", Money(Decimal(5), "USD"), options=(("Title", "Default Title"),))
    product = replace(sample_product(), variants=(lone,), options=("Title",))
    assert "sales_attributes" not in body(product)["skus"][0]
    many = (("Size", "M"), ("Color", "Red"), ("Fit", "Slim"), ("Cut", "Crew"))
    product = replace(product, variants=(replace(lone, options=many),))
    assert len(body(product)["skus"][0]["sales_attributes"]) == 3


def test_main_images_keep_shopifys_order_skip_small_ones_and_stop_at_nine() -> None:
    images = [
        ProductImage(f"https://s.test/{n}.jpg", 200 if n == 1 else 900, 900) for n in range(12)
    ]
    chosen = main_image_candidates(replace(sample_product(), images=tuple(images)))
    assert [image.src for image in chosen] == [images[n].src for n in (0, *range(2, 10))]
    uris = [f"u{n}" for n in range(12)]
    assert len(body(sample_product(), main_image_uris=uris)["main_images"]) == 9


def _with_check_digit(digits: str) -> str:
    body_digits = [int(d) for d in digits][::-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body_digits))
    return digits + str((10 - total % 10) % 10)


code_bodies = st.sampled_from([8, 12, 13, 14]).flatmap(
    lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1)
)


@given(code_bodies)
def test_barcodes_become_identifier_codes_by_length_with_a_valid_check_digit(digits: str) -> None:
    code = _with_check_digit(digits)
    expected = {8: "EAN", 12: "UPC", 13: "EAN", 14: "GTIN"}[len(code)]
    assert identifier_code(f" {code} ") == {"code": code, "type": expected}
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert identifier_code(wrong) is None


@pytest.mark.parametrize(
    "barcode", ["", "12345", "ABC123456789", "0360002914520000", "03600029145２"]
)
def test_other_barcodes_are_left_out(barcode: str) -> None:
    assert identifier_code(barcode) is None


@given(clean_products())
def test_every_clean_product_maps_to_a_body_with_exact_positive_prices(
    product: ProductView,
) -> None:
    sent = body(product, main_image_uris=[f"u{n}" for n in range(len(product.images))])
    skus = sent["skus"]
    assert isinstance(skus, list) and len(skus) == len(product.variants)
    for sku, variant in zip(skus, product.variants, strict=True):
        assert sku["seller_sku"] == variant.sku
        amount = Decimal(sku["price"]["amount"])
        assert amount == variant.price.amount and amount.as_tuple().exponent == -2
        if "list_price" in sku:
            assert Decimal(sku["list_price"]["amount"]) > amount
    assert len(sent["main_images"]) <= 9
    assert sent["package_weight"]["unit"] == "POUND"
