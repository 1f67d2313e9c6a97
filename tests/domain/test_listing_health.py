"""Pre-flight health: clean products pass, each flaw blocks with its own code and fix."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.domain.listing_products import clean_products, sample_product
from tiktok_console.domain.listing_health import check_product, is_blocked, listing_title
from tiktok_console.domain.listing_product import (
    Category,
    CategoryAttribute,
    Overrides,
    PriceRule,
    ProductImage,
    ProductView,
    Weight,
)
from tiktok_console.domain.listing_regions import region_rules
from tiktok_console.domain.money import Money

US = region_rules("US")
replace = dataclasses.replace


def _first_variant(product: ProductView, **changes: object) -> ProductView:
    first = replace(product.variants[0], **changes)
    return replace(product, variants=(first, *product.variants[1:]))


def _duplicate_in_product(product: ProductView) -> ProductView:
    twin = replace(product.variants[0], variant_id="gid://shopify/ProductVariant/99",
                   options=(("Size", "Twin"),) * len(product.options))  # fmt: skip
    return replace(product, variants=(*product.variants, twin))


def _missing_attribute(product: ProductView) -> ProductView:
    assert product.category is not None
    needed = CategoryAttribute("100009", "Neckline", required=True)
    category = Category(product.category.category_id, product.category.name,
                        (*product.category.attributes, needed))  # fmt: skip
    return replace(product, category=category)


FLAWS: dict[str, Callable[[ProductView], ProductView]] = {
    "seller_sku_missing": lambda p: _first_variant(p, sku=""),
    "seller_sku_spaces": lambda p: _first_variant(p, sku="TEE RED"),
    "12052054": lambda p: _first_variant(p, sku="X" * 51),
    "seller_sku_duplicate": _duplicate_in_product,
    "12052073": lambda p: _first_variant(p, price=Money(Decimal(0), "USD")),
    "12052028": lambda p: replace(p, images=()),
    "12052301": lambda p: replace(p, images=(ProductImage("https://cdn.test/s.jpg", 299, 600),)),
    "weight_missing": lambda p: _first_variant(p, weight=None),
    "12052181": lambda p: _first_variant(p, weight=Weight(Decimal(0), "GRAMS")),
    "12052261": lambda p: replace(p, title="😀 &nbsp; "),
    "12052051": lambda p: replace(p, title=("Organic cotton tee " * 20).strip()),
    "12052525": lambda p: replace(p, options=("Size", "Color", "Material", "Fit")),
    "category_missing": lambda p: replace(p, category=None),
    "12052248": lambda p: _first_variant(p, options=(("Size", "🔥"),) * len(p.options)),
    "12052104": _missing_attribute,
}


def _codes(
    product: ProductView, blocking: bool, other_skus: frozenset[str] = frozenset()
) -> set[str]:
    return {p.code for p in check_product(product, US, other_skus) if p.blocking == blocking}


@given(clean_products())
def test_a_clean_product_has_no_problem_at_all(product: ProductView) -> None:
    assert check_product(product, US) == ()


@given(clean_products(), st.sampled_from(sorted(FLAWS)))
def test_one_flaw_blocks_with_exactly_its_own_code(product: ProductView, code: str) -> None:
    problems = check_product(FLAWS[code](product), US)
    assert {p.code for p in problems if p.blocking} == {code}
    assert is_blocked(problems)
    for problem in problems:
        assert problem.message and problem.fix and problem.field


@given(clean_products())
def test_a_sku_used_by_another_product_is_a_duplicate(product: ProductView) -> None:
    elsewhere = frozenset({product.variants[-1].sku})
    assert _codes(product, True, elsewhere) == {"seller_sku_duplicate"}


def test_fixes_say_where_the_data_lives() -> None:
    product = _first_variant(sample_product(), weight=None, sku="")
    product = replace(product, category=None)
    where = {p.code: p.fix_in for p in check_product(product, US)}
    assert where["weight_missing"] == "shopify"
    assert where["seller_sku_missing"] == "shopify"
    assert where["category_missing"] == "tiktok_overrides"


LONG = "Organic cotton crew neck tee for everyday wear " * 8


@given(clean_products())
def test_a_long_title_stays_blocked_until_a_tiktok_title_fits(product: ProductView) -> None:
    long = replace(product, title=LONG)
    (problem,) = [p for p in check_product(long, US) if p.blocking]
    assert problem.code == "12052051" and problem.fix_in == "tiktok_overrides"
    assert len(problem.suggestion) <= 255 and LONG.startswith(problem.suggestion)
    assert problem.suggestion in problem.fix
    still_long = replace(long, overrides=Overrides(title=LONG + " extra"))
    assert _codes(still_long, True) == {"12052051"}
    fixed = replace(long, overrides=Overrides(title=problem.suggestion))
    assert _codes(fixed, True) == set()
    assert listing_title(fixed) == problem.suggestion


def test_more_variants_than_the_region_allows_block() -> None:
    product = sample_product()
    many = tuple(
        replace(product.variants[0], variant_id=f"v{n}", sku=f"TEE-{n}",
                options=(("Size", f"S{n}"), ("Color", "Blue")))
        for n in range(101)
    )  # fmt: skip
    product = replace(product, variants=many, title="Organic cotton crew neck tee in blue")
    assert _codes(product, True) == set()
    assert {p.code for p in check_product(product, region_rules("TH")) if p.blocking} == {
        "12052050"
    }


def test_regions_other_than_the_us_need_25_characters() -> None:
    product = replace(sample_product(), title="Blue mug")
    assert {p.code for p in check_product(product, region_rules("TH"))} >= {"title_too_short"}
    assert "title_too_short" not in {p.code for p in check_product(product, US)}


def test_a_price_rule_that_takes_the_price_to_zero_is_fixed_in_the_overrides() -> None:
    product = _first_variant(sample_product(), price=Money(Decimal("5.00"), "USD"))
    product = replace(product, overrides=Overrides(price_rule=PriceRule(amount=Decimal(-5))))
    (problem,) = [p for p in check_product(product, US) if p.code == "12052073"]
    assert problem.fix_in == "tiktok_overrides"


WARNINGS: dict[str, Callable[[ProductView], ProductView]] = {
    "description_short": lambda p: replace(p, description_html="<p>Soft tee.</p>&nbsp;😀"),
    "images_few": lambda p: replace(p, images=p.images[:4]),
    "title_promotional": lambda p: replace(p, title="Soft cotton tee FREE SHIPPING"),
    "image_aspect_ratio": lambda p: replace(
        p, images=(*p.images, ProductImage("https://cdn.test/wide.jpg", 1600, 900))
    ),
    "stock_low": lambda p: _first_variant(p, stock=2),
}


@given(clean_products(), st.sampled_from(sorted(WARNINGS)))
def test_one_weakness_warns_with_its_code_and_blocks_nothing(
    product: ProductView, code: str
) -> None:
    problems = check_product(WARNINGS[code](product), US)
    assert {p.code for p in problems} == {code}
    assert not is_blocked(problems)


def test_a_tiktok_description_override_counts_instead_of_shopifys() -> None:
    product = replace(sample_product(), description_html="<p>Short.</p>")
    assert "description_short" in _codes(product, False)
    rich = Overrides(description_html="<p>" + "word " * 40 + "</p>")
    assert "description_short" not in _codes(replace(product, overrides=rich), False)


def test_blocking_problems_come_first_and_name_the_variant() -> None:
    product = sample_product()
    product = _first_variant(product, stock=0, weight=None)
    problems = check_product(product, US)
    assert [p.blocking for p in problems] == sorted((p.blocking for p in problems), reverse=True)
    weight = next(p for p in problems if p.code == "weight_missing")
    assert weight.variant_id == product.variants[0].variant_id
