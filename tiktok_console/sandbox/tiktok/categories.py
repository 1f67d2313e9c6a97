"""TikTok's category tree as the shop sees it: categories, their rules and attributes.

Served by Get Categories, Get Category Rules, Get Attributes and Recommend
Category (shapes in ``tiktok-current-versions.md`` §3.4-§3.7), and checked by
Create Product, Edit Product and Check Product Listing.

A small tree, shaped so a catalog push meets what it meets on the real one:
every leaf requires a ``Manufacturer`` (the Shopify vendor fills it), sales
attributes come from the Shopify options, the Shopify product type leads
Recommend Category to a leaf, and Skincare also requires ``Ingredients``,
which no Shopify field holds: only the merchant can give it.
Ids are in TikTok's shapes; the names and the tree are the sandbox's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError


@dataclass(frozen=True)
class Attribute:
    """One category attribute, as Get Attributes lists it."""

    id: str
    name: str
    type: str  # SALES_PROPERTY | PRODUCT_PROPERTY
    required: bool = False
    values: tuple[str, ...] = ()

    def wire(self) -> dict[str, Any]:
        """The attribute as Get Attributes sends it."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "is_requried": self.required,  # TikTok's own spelling
            "values": [
                {"id": _value_id(self.id, n), "name": value, "icon_url": ""}
                for n, value in enumerate(self.values)
            ],
            "value_data_format": "",
            "is_customizable": True,
            "requirement_conditions": [],
            "is_multiple_selection": self.type == "PRODUCT_PROPERTY",
            "metric_standards": [],
        }


@dataclass(frozen=True)
class Category:
    """One category; leaves take products."""

    id: str
    name: str
    parent_id: str  # "0" for a root
    keywords: tuple[str, ...] = ()  # title words Recommend Category matches
    product_types: tuple[str, ...] = ()  # Shopify product types it is the default for
    attributes: tuple[Attribute, ...] = ()
    size_chart: bool = False
    certifications: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def is_leaf(self) -> bool:
        """Whether products can be listed in this category."""
        return self.parent_id != "0"


COLOR = Attribute("100000", "Color", "SALES_PROPERTY")
SIZE = Attribute("100007", "Size", "SALES_PROPERTY")
SCENT = Attribute("100012", "Scent", "SALES_PROPERTY")
MODEL = Attribute("100015", "Compatible Phone Models", "SALES_PROPERTY")
MANUFACTURER = Attribute("100198", "Manufacturer", "PRODUCT_PROPERTY", required=True)
MATERIAL = Attribute(
    "100157", "Material", "PRODUCT_PROPERTY", values=("Cotton", "Polyester", "Ceramic", "Bamboo")
)
OCCASION = Attribute("100392", "Occasion", "PRODUCT_PROPERTY", values=("Everyday", "Gift"))
INGREDIENTS = Attribute("100420", "Ingredients", "PRODUCT_PROPERTY", required=True)
SKIN_TYPE = Attribute(
    "100421", "Skin Type", "PRODUCT_PROPERTY", values=("All", "Dry", "Oily", "Sensitive")
)

_COMMON = (MANUFACTURER, OCCASION)
CATEGORIES: tuple[Category, ...] = (
    Category("600001", "Womenswear & Underwear", "0"),
    Category("600002", "Home Supplies", "0"),
    Category("600003", "Fashion Accessories", "0"),
    Category("600004", "Beauty & Personal Care", "0"),
    Category("600005", "Phones & Electronics", "0"),
    Category("600006", "Sports & Outdoor", "0"),
    Category(
        "601152", "Women's Tops", "600001", ("tee", "hoodie", "leggings", "beanie"),
        ("Apparel",), (COLOR, SIZE, *_COMMON, MATERIAL), size_chart=True,
    ),
    Category(
        "600024", "Kitchenware", "600002", ("mug", "cutting board", "bottle"),
        ("Home",), (COLOR, SIZE, *_COMMON, MATERIAL),
    ),
    Category("600031", "Home Fragrance", "600002", ("candle",), (), (SCENT, *_COMMON)),
    Category(
        "605248", "Bags", "600003", ("tote", "bag", "scrunchie"),
        ("Accessories",), (COLOR, SIZE, *_COMMON, MATERIAL),
    ),
    Category(
        "601450", "Skincare", "600004", ("serum", "lip balm"),
        ("Beauty",), (SIZE, SCENT, *_COMMON, INGREDIENTS, SKIN_TYPE),
        certifications=(
            {"id": "602362", "name": "Cosmetic safety report", "is_required": False},
        ),
    ),
    Category(
        "601739", "Phone Accessories", "600005", ("phone case",),
        ("Electronics",), (MODEL, COLOR, *_COMMON),
    ),
    Category("601755", "Headphones & Earbuds", "600005", ("earbuds",), (), (COLOR, *_COMMON)),
    Category(
        "603014", "Fitness Equipment", "600006", ("yoga", "resistance band"),
        ("Fitness",), (COLOR, SIZE, *_COMMON),
    ),
)  # fmt: skip
_BY_ID = {c.id: c for c in CATEGORIES}
DEFAULT_LEAF = "605248"  # where a product nothing else matches is recommended


def leaf_for_type(product_type: str) -> Category:
    """The leaf a Shopify product type maps to (listings made at the start use it)."""
    for category in CATEGORIES:
        if product_type in category.product_types:
            return category
    return _BY_ID[DEFAULT_LEAF]


def get(category_id: str) -> Category:
    """The category, or Create Product's "Category does not exist"."""
    category = _BY_ID.get(str(category_id))
    if category is None:
        raise ApiError(12052023, "Category does not exist")
    return category


def leaf(category_id: str) -> Category:
    """The leaf category, or the error Create Product gives for a missing or inner one."""
    category = get(category_id)
    if not category.is_leaf:
        raise ApiError(12052024, "Category is not final category")
    return category


def categories_data(keyword: str | None) -> dict[str, Any]:
    """``data`` of Get Categories (``keyword`` filters by name, case-insensitive)."""
    wanted = (keyword or "").lower()
    return {
        "categories": [
            {
                "id": c.id,
                "parent_id": c.parent_id,
                "local_name": c.name,
                "is_leaf": c.is_leaf,
                "permission_statuses": ["AVAILABLE"],
            }
            for c in CATEGORIES
            if wanted in c.name.lower()
        ]
    }


def rules_data(category_id: str) -> dict[str, Any]:
    """``data`` of Get Category Rules."""
    category = leaf(category_id)
    return {
        "product_certifications": [
            {
                **cert,
                "document_details": "A safety data sheet or test report, as a PDF or image.",
                "sample_image_url": "",
                "requirement_conditions": [],
                "expiration_date": {"is_required": False},
            }
            for cert in category.certifications
        ],
        "size_chart": {
            "is_supported": category.size_chart,
            "is_required": False,
            "measurement_and_options": [],
            "size_types": [],
        },
        "cod": {"is_supported": False},
        "package_dimension": {"is_required": False},
        "epr": {"is_required": False},
        "responsible_person": {"is_required": False},
        "manufacturer": {"is_required": False},
        "allowed_special_product_types": ["PRE_ORDER", "MADE_TO_ORDER"],
        "fees": [],
        "seller_sku": {"is_required": False},
    }


def attributes_data(category_id: str) -> dict[str, Any]:
    """``data`` of Get Attributes."""
    return {"attributes": [a.wire() for a in leaf(category_id).attributes]}


def recommend_data(body: dict[str, Any]) -> dict[str, Any]:
    """``data`` of Recommend Category: title words first, then the Shopify product type."""
    title = str(body.get("product_title") or "").strip()
    if not title:
        raise ApiError(12052910, "Invalid input parameters: product_title is required")
    found = _by_title(title.lower()) or _by_type(str(body.get("origin_platform_product_type", "")))
    chosen = found or _BY_ID[DEFAULT_LEAF]
    parent = _BY_ID[chosen.parent_id]
    chain = [(parent, 1), (chosen, 2)]
    return {
        "categories": [
            {
                "id": c.id,
                "is_leaf": c.is_leaf,
                "level": level,
                "name": c.name,
                "permission_statuses": ["AVAILABLE"],
            }
            for c, level in chain
        ],
        "leaf_category_id": chosen.id,
    }


def missing_attributes(category: Category, body: dict[str, Any]) -> list[Attribute]:
    """The category's required product attributes ``body`` leaves without a value."""
    given: dict[str, list[dict[str, Any]]] = {
        str(a.get("id", "")): list(a.get("values") or [])
        for a in body.get("product_attributes") or []
    }
    return [
        a
        for a in category.attributes
        if a.required
        and a.type == "PRODUCT_PROPERTY"
        and not any(str(v.get("id") or v.get("name") or "").strip() for v in given.get(a.id, []))
    ]


def _by_title(title: str) -> Category | None:
    return next((c for c in CATEGORIES if any(k in title for k in c.keywords)), None)


def _by_type(product_type: str) -> Category | None:
    return next((c for c in CATEGORIES if product_type in c.product_types), None)


def _value_id(attribute_id: str, n: int) -> str:
    return f"{attribute_id}{n + 1:013d}"
