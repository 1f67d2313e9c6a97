"""The pre-flight health check: every flaw TikTok would reject, found before a push.

Peers report a problem only after TikTok refused the product and the day's
listing quota is spent. These rules run on the product as it will be sent
(TikTok title and description overrides win, the price rule applied) and say
for each problem what to do and where: data that lives in Shopify (SKU,
price, weight, images, options) is fixed there; TikTok-only data (title,
description, category, attributes) goes to the overrides. Blocking problems
keep a product from being pushed; warnings only lower its quality.

Codes are TikTok's own error codes (as strings) where the Create Product
reference has one, else stable snake_case names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from tiktok_console.domain.listing_html import clean_description, description_text
from tiktok_console.domain.listing_product import ProductView, Variant
from tiktok_console.domain.listing_regions import (
    MAIN_IMAGE_MIN_PX,
    SALES_ATTRIBUTES_MAX,
    SELLER_SKU_MAX_CHARS,
    RegionRules,
)
from tiktok_console.domain.listing_text import clean_title, suggest_title_cut, word_count

FixIn = Literal["shopify", "tiktok_overrides"]

DESCRIPTION_MIN_WORDS = 30
IMAGES_RECOMMENDED = 5  # "Use a minimum of 5 images."
LOW_STOCK = 5
_RATIO_MIN, _RATIO_MAX = Fraction(3, 4), Fraction(4, 3)
# Words TikTok's audit treats as promotion in a title (assumption: its published
# listing guidelines name prices, discounts, shipping and rank claims).
_PROMOTIONAL = re.compile(
    r"\b(free shipping|free delivery|free gift|on sale|hot sale|flash sale|sale|discount(ed)?"
    r"|clearance|cheapest|lowest price|best price|best seller|bestseller|limited time"
    r"|buy one get one|buy 1 get 1|bogo|deal of the day|promo(tion)?|coupon)\b"
    r"|\d+\s*% off\b|#1\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a product, in the merchant's words."""

    code: str
    field: str
    blocking: bool
    message: str
    fix: str
    fix_in: FixIn
    variant_id: str = ""
    suggestion: str = ""
    attribute_id: str = ""  # the TikTok attribute a missing-attribute problem asks for


def is_blocked(problems: tuple[Problem, ...]) -> bool:
    """Whether any problem keeps the product from being pushed."""
    return any(problem.blocking for problem in problems)


def listing_title(product: ProductView) -> str:
    """The title TikTok will get: the TikTok override if it has any text, else Shopify's."""
    return clean_title(product.overrides.title) or clean_title(product.title)


def check_product(
    product: ProductView,
    region: RegionRules,
    other_skus: Set[str] = frozenset(),
    low_stock: int = LOW_STOCK,
) -> tuple[Problem, ...]:
    """Every problem with ``product`` for a shop in ``region``, blocking ones first.

    Args:
        product: The product, its overrides and its resolved category.
        region: The shop's region rules.
        other_skus: Seller SKUs used by the rest of the catalog (Shopify
            products and TikTok-only listings), to catch duplicates across it.
        low_stock: Stock under this is worth a warning.
    """
    found = [
        *_category(product),
        *_title(product, region),
        *_options_and_images(product),
        *_variants(product, region, other_skus, low_stock),
        *_quality(product),
    ]
    return tuple(sorted(found, key=lambda problem: not problem.blocking))


def _category(product: ProductView) -> Iterator[Problem]:
    where: FixIn = "tiktok_overrides"
    if product.category is None:
        yield Problem("category_missing", "category", True, "No TikTok category is chosen.",
                      "Pick a TikTok category for this product.", where)  # fmt: skip
        return
    for attribute in product.category.attributes:
        if attribute.required and not any(v.value_id or v.name for v in attribute.values):
            yield Problem(
                "12052104", "attributes", True,
                f"TikTok needs “{attribute.name}”"
                + (f" for {product.category.name}." if product.category.name else "."),
                f"Fill in “{attribute.name}” in the product's TikTok details.", where,
                attribute_id=attribute.attribute_id,
            )  # fmt: skip


def _title(product: ProductView, region: RegionRules) -> Iterator[Problem]:
    title = listing_title(product)
    where: FixIn = "tiktok_overrides"
    if not title:
        yield Problem("12052261", "title", True, "The product has no title.",
                      "Give it a title in Shopify or set a TikTok title.", where)  # fmt: skip
    elif len(title) > region.title_max:
        cut = suggest_title_cut(title, region.title_max)
        yield Problem(
            "12052051", "title", True,
            f"The title has {len(title)} characters; TikTok allows {region.title_max}.",
            f"Shorten it in Shopify or set a TikTok title, for example: “{cut}”.",
            where, suggestion=cut,
        )  # fmt: skip
    elif len(title) < region.title_min:
        yield Problem(
            "title_too_short", "title", True,
            f"The title has {len(title)} characters; TikTok needs at least {region.title_min}.",
            "Lengthen it in Shopify or set a longer TikTok title.", where,
        )  # fmt: skip
    elif match := _PROMOTIONAL.search(title):
        yield Problem(
            "title_promotional", "title", False,
            f"The title says “{match.group(0)}”; TikTok's audit rejects promotional words.",
            "Set a TikTok title without prices, discounts or shipping offers.", where,
        )  # fmt: skip


def _options_and_images(product: ProductView) -> Iterator[Problem]:
    if product.has_variants and len(product.options) > SALES_ATTRIBUTES_MAX:
        yield Problem(
            "12052525", "options", True,
            f"The product has {len(product.options)} options; TikTok allows 3.",
            "Combine options in Shopify so there are at most three.", "shopify",
        )  # fmt: skip
    empty = sorted(
        {n for v in product.variants for n, value in v.options if not clean_title(value)}
    )
    if product.has_variants and empty:
        yield Problem(
            "12052248", "options", True,
            f"Some values of “{empty[0]}” are empty once emojis and symbols are removed.",
            f"Give every value of “{empty[0]}” a name with letters or digits in Shopify.",
            "shopify",
        )  # fmt: skip
    usable = [i for i in product.images if min(i.width, i.height) >= MAIN_IMAGE_MIN_PX]
    if not product.images:
        yield Problem("12052028", "images", True, "The product has no image.",
                      "Add a photo of at least 300×300 px in Shopify.", "shopify")  # fmt: skip
    elif not usable:
        yield Problem("12052301", "images", True,
                      "Every image is smaller than 300×300 px, TikTok's minimum.",
                      "Add a photo of at least 300×300 px in Shopify.", "shopify")  # fmt: skip
    elif len(usable) < IMAGES_RECOMMENDED:
        yield Problem("images_few", "images", False,
                      f"{len(usable)} usable image(s); TikTok recommends at least 5.",
                      "Add more photos in Shopify.", "shopify")  # fmt: skip
    odd = [i for i in usable if not _RATIO_MIN <= Fraction(i.width, i.height) <= _RATIO_MAX]
    if odd:
        yield Problem("image_aspect_ratio", "images", False,
                      f"{len(odd)} image(s) are outside 3:4 to 4:3 and will look cropped.",
                      "Use square or near-square photos in Shopify.", "shopify")  # fmt: skip


def _variants(
    product: ProductView, region: RegionRules, other_skus: Set[str], low_stock: int
) -> Iterator[Problem]:
    if len(product.variants) > region.max_skus:
        yield Problem(
            "12052050", "variants", True,
            f"The product has {len(product.variants)} variants; TikTok allows {region.max_skus}.",
            "Split it into several products in Shopify.", "shopify",
        )  # fmt: skip
    seen: set[str] = set()
    for variant in product.variants:
        yield from _sku(variant, seen, other_skus)
        seen.add(variant.sku)
        yield from _price_weight_stock(product, variant, low_stock)


def _sku(variant: Variant, seen: set[str], other_skus: Set[str]) -> Iterator[Problem]:
    sku, name = variant.sku, _variant_name(variant)
    fix = f"Edit the SKU of {name} in Shopify."

    def problem(code: str, message: str) -> Problem:
        return Problem(code, "seller_sku", True, message, fix, "shopify", variant.variant_id)

    if not sku:
        yield problem("seller_sku_missing", f"{name} has no SKU; TikTok links variants by SKU.")
    elif len(sku) > SELLER_SKU_MAX_CHARS:
        yield problem("12052054", f"The SKU of {name} has {len(sku)} characters; TikTok allows 50.")
    elif any(char.isspace() for char in sku):
        yield problem("seller_sku_spaces", f"The SKU “{sku}” of {name} contains spaces.")
    elif sku in seen:
        yield problem("seller_sku_duplicate", f"Two variants of this product share SKU “{sku}”.")
    elif sku in other_skus:
        yield problem("seller_sku_duplicate", f"SKU “{sku}” is also used by another product.")


def _price_weight_stock(product: ProductView, variant: Variant, low: int) -> Iterator[Problem]:
    name, vid = _variant_name(variant), variant.variant_id
    price = product.overrides.price_rule.apply(variant.price)
    if price.amount <= 0:
        by_rule = variant.price.amount > 0
        yield Problem(
            "12052073", "price", True, f"{name} would sell for {price} on TikTok.",
            "Change the TikTok price rule." if by_rule else f"Set a price for {name} in Shopify.",
            "tiktok_overrides" if by_rule else "shopify", vid,
        )  # fmt: skip
    weigh = f"Enter the shipping weight of {name} in Shopify."
    if variant.weight is None:
        yield Problem("weight_missing", "weight", True, f"{name} has no weight.", weigh,
                      "shopify", vid)  # fmt: skip
    elif variant.weight.value <= 0:
        yield Problem("12052181", "weight", True, f"{name} weighs zero.", weigh,
                      "shopify", vid)  # fmt: skip
    if variant.stock < low:
        yield Problem("stock_low", "stock", False, f"{name} has {max(variant.stock, 0)} in stock.",
                      "Restock in Shopify, or expect it to sell out on TikTok.",
                      "shopify", vid)  # fmt: skip


def _quality(product: ProductView) -> Iterator[Problem]:
    source = product.overrides.description_html or product.description_html
    words = word_count(description_text(clean_description(source)))
    if words < DESCRIPTION_MIN_WORDS:
        yield Problem(
            "description_short", "description", False,
            f"The description has {words} word(s); TikTok ranks richer ones higher.",
            "Write at least 30 words in Shopify or set a TikTok description.", "tiktok_overrides",
        )  # fmt: skip


def _variant_name(variant: Variant) -> str:
    values = [value for name, value in variant.options if value != "Default Title"]
    return f"Variant “{' / '.join(values)}”" if values else "The product"
