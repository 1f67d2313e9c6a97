"""What Create Product, Edit Product and Check Product Listing refuse, with TikTok's codes.

Each rule raises the ``ApiError`` TikTok documents for it (the error list of
Create Product in ``tiktok-endpoints.md``). Create and edit stop at the first
failure; Check Product Listing runs every rule and reports them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from tiktok_console.sandbox.tiktok import categories
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.images import ImageBank
from tiktok_console.sandbox.tiktok.logistics import Logistics

TITLE_MAX = 255  # US titles are [1, 255] characters
SELLER_SKU_MAX = 50
MAX_QUANTITY = 99_999
DESCRIPTION_MAX = 10_000
DESCRIPTION_IMAGES_MAX = 30
SALES_ATTRIBUTES_MAX = 3
MAX_SKUS = 300  # BR, EU, JP, MX, UK, US (Create Product's ``skus`` note)
_IMG = re.compile(r"<\s*img\b", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
BAD_HTML = re.compile(r"<\s*(script|iframe|table|style)|style\s*=", re.IGNORECASE)
# HTML escapes (&nbsp;, &#160;), emojis and pictographs, ASCII control characters.
_BAD_TEXT = re.compile(
    r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);"
    "|[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]"
    r"|[\x00-\x1f\x7f]"
)

Rule = Callable[[], None]


def failures(rules: list[Rule]) -> list[ApiError]:
    """Run every rule; the errors of those that fail, in order."""
    found = []
    for rule in rules:
        try:
            rule()
        except ApiError as error:
            found.append(error)
    return found


def listing_rules(
    body: dict[str, Any],
    images: ImageBank,
    logistics: Logistics,
    currency: str,
    *,
    require_all: bool,
) -> list[Rule]:
    """The rules a listing body must pass; ``require_all`` for create and full edit."""

    def present(name: str) -> bool:
        return require_all or name in body

    rules: list[Rule] = []
    if present("title"):
        rules.append(lambda: check_title(body.get("title")))
    if present("description"):
        rules.append(lambda: _check_description(body.get("description")))
    if present("category_id"):
        rules.append(lambda: _check_category(body))
    if present("main_images"):
        rules.append(lambda: _check_main_images(body.get("main_images"), images))
    if present("package_weight"):
        rules.append(lambda: _check_weight(body.get("package_weight")))
    if present("skus"):
        rules.append(lambda: _check_skus(body.get("skus"), logistics, currency, require_all))
    return rules


def check_title(title: Any) -> None:
    """TikTok's title rules: 1-255 characters, no HTML escapes, emojis or control characters."""
    if not isinstance(title, str) or not title.strip():
        raise ApiError(12052261, "product name is empty")
    if len(title) > TITLE_MAX:
        raise ApiError(12052051, "The product name exceed max limit characters")
    if _BAD_TEXT.search(title):
        raise ApiError(
            12052931,
            "The title must follow these formatting rules: it cannot contain HTML escape "
            "characters (e.g., &nbsp;), emojis, or ASCII control characters.",
        )


def _check_description(description: Any) -> None:
    if not isinstance(description, str) or not description.strip():
        raise ApiError(12052015, "The product description is required")
    if len(description) > DESCRIPTION_MAX:
        raise ApiError(12052013, "The product description cannot exceed maximum characters")
    if BAD_HTML.search(description):
        raise ApiError(12019006, "product description is invalid")
    if len(_IMG.findall(description)) > DESCRIPTION_IMAGES_MAX:
        raise ApiError(12052056, "The num of image in description cannot exceed max limit")
    if _BAD_TEXT.search(_TAGS.sub(" ", description)):
        raise ApiError(
            12052932,
            "The description must follow these formatting rules: it cannot contain HTML escape "
            "characters (e.g., &nbsp;), emojis, or ASCII control characters.",
        )


def _check_category(body: dict[str, Any]) -> None:
    if not body.get("category_id"):
        raise ApiError(12052910, "Invalid input parameters: category_id")
    category = categories.leaf(str(body["category_id"]))
    if categories.missing_attributes(category, body):
        raise ApiError(12052104, "property is required")


def _check_main_images(refs: Any, images: ImageBank) -> None:
    if not refs:
        raise ApiError(12052028, "Main product image is required")
    if len(refs) > 9:
        raise ApiError(12052306, "main product images count exceed limit")
    images.main_images(list(refs))


def _check_weight(raw: Any) -> None:
    if isinstance(raw, dict) and _is_zero(raw.get("value")):
        raise ApiError(12052181, "The package weight of the product can not be zero.")
    if not weight_grams(raw):
        raise ApiError(12019011, "product package weight is invalid")


def _check_skus(raw: Any, logistics: Logistics, currency: str, require_all: bool) -> None:
    if require_all and not raw:
        raise ApiError(12052910, "Invalid input parameters: skus")
    if len(raw or []) > MAX_SKUS:
        raise ApiError(12052050, "A single product cannot have more than 100 different SKUs")
    _check_sales_attributes(raw or [])
    sellers = []
    for sku in raw or []:
        seller_sku = str(sku.get("seller_sku") or "")
        if len(seller_sku) > SELLER_SKU_MAX or " " in seller_sku:
            raise ApiError(
                12052054, "The seller SKU text length cannot exceed max limit characters"
            )
        if seller_sku:
            sellers.append(seller_sku)
        if require_all or "price" in sku:
            amount(sku.get("price") or {}, currency)
        for entry in sku.get("inventory") or []:
            if logistics.warehouse(str(entry.get("warehouse_id", ""))) is None:
                raise ApiError(12019022, "SKU must contain a valid warehouse.")
            quantity = entry.get("quantity", 0)
            if not isinstance(quantity, int) or not 0 <= quantity <= MAX_QUANTITY:
                raise ApiError(
                    12052055,
                    "The SKU inventory quantity for the warehouse must be within allowed limits.",
                )
    if len(sellers) != len(set(sellers)):
        raise ApiError(12019059, "seller sku is invalid")


def _check_sales_attributes(skus: list[dict[str, Any]]) -> None:
    names = set()
    for sku in skus:
        for attribute in sku.get("sales_attributes") or []:
            names.add(str(attribute.get("id") or attribute.get("name") or ""))
            value = str(attribute.get("value_name") or "")
            if not value.strip() and not attribute.get("value_id"):
                raise ApiError(
                    12052248, "The sales attribute value name or attribute value id is empty."
                )
            if _BAD_TEXT.search(value):
                raise ApiError(
                    12052934,
                    "Sales attribute value names must follow these formatting rules: it cannot "
                    "contain HTML escape characters (e.g., &nbsp;), emojis, or ASCII control "
                    "characters.",
                )
    if len(names) > SALES_ATTRIBUTES_MAX:
        raise ApiError(12052525, "The attribute max num cannot exceed 3.")


def _is_zero(raw: Any) -> bool:
    try:
        return Decimal(str(raw)) == 0
    except InvalidOperation:
        return False


def weight_grams(raw: Any) -> int | None:
    """A ``package_weight`` in grams; None when missing, zero or malformed."""
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


def amount(raw: dict[str, Any], currency: str) -> Decimal:
    """A SKU ``price`` object's amount, or TikTok's price errors."""
    try:
        value = Decimal(str(raw.get("amount", "")))
    except InvalidOperation:
        raise ApiError(12052012, "Incorrect price format") from None
    if raw.get("currency", currency) != currency:
        raise ApiError(12052084, "The provided currency is not available for this shop/region.")
    if value <= 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ApiError(12052073, "The product price is invalid")
    return value
