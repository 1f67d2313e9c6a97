"""The smallest call after a Shopify change: none, Update Price, Partial Edit or Edit Product."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.domain.listing_products import clean_products, sample_product
from tiktok_console.domain.listing_diff import (
    edit_product_body,
    partial_edit_body,
    plan_edit,
    price_update_body,
)
from tiktok_console.domain.listing_mapping import create_product_body
from tiktok_console.domain.listing_product import (
    Overrides,
    PriceRule,
    ProductView,
    Variant,
)
from tiktok_console.domain.listing_regions import region_rules
from tiktok_console.domain.money import Money

US = region_rules("US")
replace = dataclasses.replace


def pushed(
    product: ProductView, key: str = "k1", uris: tuple[str, ...] = ("u1",)
) -> dict[str, Any]:
    return create_product_body(
        product, US, main_image_uris=uris, warehouse_id="W1", idempotency_key=key
    )


def _reprice(product: ProductView) -> ProductView:
    first = product.variants[0]
    cheaper = replace(first, price=Money(first.price.amount + Decimal("1.00"), "USD"))
    return replace(product, variants=(cheaper, *product.variants[1:]))


def _restock(product: ProductView) -> ProductView:
    return replace(product, variants=tuple(replace(v, stock=v.stock + 7) for v in product.variants))


CHANGES: dict[str, Callable[[ProductView], ProductView]] = {
    "title": lambda p: replace(p, title=p.title + " plus"),
    "description": lambda p: replace(p, description_html=p.description_html + "<p>More.</p>"),
    "price": _reprice,
}


def test_nothing_changed_or_only_stock_means_no_call() -> None:
    product = sample_product()
    plan = plan_edit(pushed(product), pushed(_restock(product), key="k2"))
    assert plan.kind == "none" and not plan.sends_to_audit and not plan.needs_price_update


def test_a_price_change_is_one_update_price_that_keeps_the_listing_live() -> None:
    product = sample_product()
    new = pushed(_reprice(product))
    plan = plan_edit(pushed(product), new)
    assert plan.kind == "update_price" and plan.price_skus == ("TEE-M",)
    assert not plan.sends_to_audit and plan.needs_price_update
    assert price_update_body(new, plan, {"TEE-M": "111", "TEE-L": "222"}) == {
        "skus": [
            {
                "id": "111",
                "price": {"amount": "20.99", "currency": "USD"},
                "list_price": {"amount": "24.99", "currency": "USD"},
            }
        ]
    }


def test_a_title_edit_is_a_partial_edit_of_the_title_alone_and_goes_back_to_audit() -> None:
    product = sample_product()
    new = pushed(replace(product, overrides=Overrides(title="Organic tee")))
    plan = plan_edit(pushed(product), new)
    assert plan.kind == "partial_edit" and plan.fields == {"title"} and plan.sends_to_audit
    assert partial_edit_body(new, plan, {}) == {"title": "Organic tee"}


def test_new_images_go_back_to_audit() -> None:
    product = sample_product()
    plan = plan_edit(pushed(product), pushed(product, uris=("u1", "u2")))
    assert plan.fields == {"main_images"} and plan.sends_to_audit


def test_a_new_variant_sends_every_sku_with_its_tiktok_id_and_no_stock() -> None:
    product = sample_product()
    extra = Variant(
        "v3", "TEE-XL", Money(Decimal("21.00"), "USD"), options=(("Size", "XL"), ("Color", "Blue"))
    )
    new = pushed(replace(product, variants=(*product.variants, extra)))
    plan = plan_edit(pushed(product), new)
    assert plan.kind == "partial_edit" and "skus" in plan.fields
    skus = partial_edit_body(new, plan, {"TEE-M": "111", "TEE-L": "222"})["skus"]
    assert [sku.get("id") for sku in skus] == ["111", "222", None]
    assert all("inventory" not in sku for sku in skus)


def test_a_title_and_a_price_change_need_the_edit_and_the_price_update() -> None:
    product = sample_product()
    changed = _reprice(replace(product, title="Organic cotton tee, blue"))
    plan = plan_edit(pushed(product), pushed(changed))
    assert plan.kind == "partial_edit" and plan.needs_price_update


def test_a_new_category_needs_edit_product_with_the_whole_listing() -> None:
    product = sample_product()
    assert product.category is not None
    moved = replace(product, category=replace(product.category, category_id="600024"))
    new = pushed(moved)
    plan = plan_edit(pushed(product), new)
    assert plan.kind == "edit_product" and plan.sends_to_audit and not plan.needs_price_update
    full = edit_product_body(new, {"TEE-M": "111", "TEE-L": "222"})
    assert full["category_id"] == "600024" and "idempotency_key" not in full
    assert [sku["id"] for sku in full["skus"]] == ["111", "222"]


@given(clean_products(), st.sets(st.sampled_from(sorted(CHANGES))))
def test_the_plan_names_exactly_what_changed(product: ProductView, changes: set[str]) -> None:
    changed = product
    for name in sorted(changes):
        changed = CHANGES[name](changed)
    plan = plan_edit(pushed(product), pushed(_restock(changed), key="k2"))
    assert plan.fields == changes - {"price"}
    assert bool(plan.price_skus) == ("price" in changes)
    assert plan.sends_to_audit == bool(changes - {"price"})
    expected = "partial_edit" if changes - {"price"} else "update_price" if changes else "none"
    assert plan.kind == expected


@given(clean_products(), st.decimals(min_value=Decimal(1), max_value=Decimal(50), places=1))
def test_a_new_price_rule_reprices_every_sku_through_update_price(
    product: ProductView, percent: Decimal
) -> None:
    ruled = replace(product, overrides=Overrides(price_rule=PriceRule(percent=percent)))
    plan = plan_edit(pushed(product), pushed(ruled))
    repriced = [
        v.sku for v in product.variants if PriceRule(percent=percent).apply(v.price) != v.price
    ]
    assert plan.kind == ("update_price" if repriced else "none")
    assert list(plan.price_skus) == repriced
