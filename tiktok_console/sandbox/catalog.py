"""The merchant's catalog, generated deterministically from a seed.

One catalog feeds both simulated stores: the Shopify store holds every product,
and the TikTok Shop lists most of them under the same seller SKUs. A few
products exist only in TikTok Seller Center (added there by hand), so their
SKUs match no Shopify variant: those are what make orphan orders.

The catalog carries the flaws real merchants have: missing weights, blank or
duplicate SKUs, titles over TikTok's 255-character limit (assumption: TikTok
titles are 25-255 characters for US shops) and descriptions with formatting
TikTok rejects (scripts, iframes, inline styles, tables).

A share of the products (``unlisted_share``) is not on TikTok yet: the catalog
the app pushes. Those carry, between them, every flaw a push meets (HTML
entities and emojis in titles, no image, a zero price, images under TikTok's
300 px minimum besides the ones above), forced with their own RNG so the main
random stream, and so every seeded world's TikTok side, stays as it was
(``catalog_flaws.py``; the data model is in ``catalog_model.py``).
"""

from __future__ import annotations

import random
from decimal import Decimal

from tiktok_console.sandbox.catalog_flaws import (
    BAD_HTML,
    add_sku_flaws,
    ensure_product_flaws,
    ensure_unlisted_flaws,
    overlong_title,
)
from tiktok_console.sandbox.catalog_model import (
    Catalog,
    CatalogProduct,
    CatalogVariant,
    ListedCopy,
    Location,
    TikTokOnlyProduct,
    TikTokOnlySku,
    image_size,
)

__all__ = [
    "DEFAULT_UNLISTED_SHARE",
    "Catalog",
    "CatalogProduct",
    "CatalogVariant",
    "ListedCopy",
    "Location",
    "TikTokOnlyProduct",
    "TikTokOnlySku",
    "generate_catalog",
    "image_size",
]

# Worlds this big always show every product flaw, so the sync's handling of each is testable.
FLAWED_WORLD_MIN_PRODUCTS = 5
# Share of Shopify products not yet listed on TikTok (the catalog to push).
DEFAULT_UNLISTED_SHARE = 0.3

_ADJECTIVES = [
    "Organic",
    "Everyday",
    "Premium",
    "Classic",
    "Soft-Touch",
    "Lightweight",
    "Recycled",
    "Handmade",
    "Vintage Wash",
    "Ultra-Stretch",
    "Waterproof",
    "Cozy",
    "Minimalist",
]
_NOUNS = [
    ("Cotton Crew Tee", "Apparel", ["Size", "Color"]),
    ("Oversized Hoodie", "Apparel", ["Size", "Color"]),
    ("High-Rise Leggings", "Apparel", ["Size", "Color"]),
    ("Ceramic Coffee Mug", "Home", ["Color"]),
    ("Scented Soy Candle", "Home", ["Scent"]),
    ("Stainless Steel Water Bottle", "Accessories", ["Size", "Color"]),
    ("Vitamin C Serum", "Beauty", ["Size"]),
    ("Hydrating Lip Balm", "Beauty", ["Scent"]),
    ("Canvas Tote Bag", "Accessories", ["Color"]),
    ("Phone Case", "Electronics", ["Model", "Color"]),
    ("Wireless Earbuds", "Electronics", ["Color"]),
    ("Silk Scrunchie Set", "Accessories", ["Color"]),
    ("Yoga Mat", "Fitness", ["Color"]),
    ("Resistance Band Kit", "Fitness", ["Size"]),
    ("Bamboo Cutting Board", "Home", ["Size"]),
    ("Beanie", "Apparel", ["Color"]),
]
_OPTION_VALUES = {
    "Size": ["XS", "S", "M", "L", "XL"],
    "Color": ["Black", "White", "Sage", "Sand", "Navy", "Blush"],
    "Scent": ["Vanilla", "Lavender", "Cedar", "Citrus"],
    "Model": ["iPhone 15", "iPhone 16", "Galaxy S24"],
}
_VENDOR = "Harbor & Pine"


def generate_catalog(
    seed: int = 7,
    products: int = 40,
    region: str = "US",
    unlisted_share: float = DEFAULT_UNLISTED_SHARE,
) -> Catalog:
    """Build a deterministic catalog: the same seed always gives the same world.

    ``unlisted_share`` of the products (drawn at random) are not on TikTok yet.
    """
    rng = random.Random(seed)
    locations = [
        Location("main", "Main Warehouse", "Columbus"),
        Location("store", "Downtown Store", "Portland", fulfills_online_orders=False),
    ]
    items = [_product(rng, i, locations, unlisted_share) for i in range(products)]
    add_sku_flaws(rng, items)
    if products >= FLAWED_WORLD_MIN_PRODUCTS:
        ensure_product_flaws(seed, items)
        ensure_unlisted_flaws(seed, items)
    tiktok_only = [_tiktok_only(rng, i) for i in range(max(1, products // 12))]
    return Catalog(
        seed=seed,
        region=region,
        currency="USD",
        shop_name="Harbor & Pine Goods",
        locations=locations,
        products=items,
        tiktok_only=tiktok_only,
    )


def _product(
    rng: random.Random, index: int, locations: list[Location], unlisted_share: float
) -> CatalogProduct:
    adjective = rng.choice(_ADJECTIVES)
    noun, product_type, option_names = _NOUNS[index % len(_NOUNS)]
    title = f"{adjective} {noun}"
    flaws: list[str] = []
    if rng.random() < 0.08:
        title = overlong_title(title)
        flaws.append("title_too_long")
    description = _description(rng, title)
    if rng.random() < 0.12:
        description += rng.choice(BAD_HTML)
        flaws.append("description_formatting")
    option_names = option_names[: rng.randint(1, len(option_names))]
    combos = _option_combos(rng, option_names)
    base_price = Decimal(rng.choice([12, 18, 24, 29, 34, 39, 45, 58, 72])) - Decimal("0.01")
    missing_weight = rng.random() < 0.1
    if missing_weight:
        flaws.append("missing_weight")
    code = f"HP-{index + 1:04d}"
    variants = []
    for n, combo in enumerate(combos):
        on_sale = rng.random() < 0.25
        variants.append(
            CatalogVariant(
                sku=f"{code}-{_sku_suffix(combo, n)}",
                options=combo,
                price=base_price,
                compare_at_price=(base_price + Decimal(10)) if on_sale else None,
                barcode=f"0{rng.randrange(10**10, 10**11)}" if rng.random() < 0.7 else None,
                weight_grams=None if missing_weight else rng.choice([90, 150, 240, 380, 520, 900]),
                inventory={loc.key: _stock(rng) for loc in locations},
            )
        )
    return CatalogProduct(
        key=f"product-{index + 1}",
        title=title,
        description_html=description,
        product_type=product_type,
        vendor=_VENDOR,
        tags=[product_type.lower(), adjective.lower().replace(" ", "-")],
        option_names=option_names,
        images=[f"product-{index + 1}-{k}.png" for k in range(1, rng.randint(1, 3) + 1)],
        variants=variants,
        # The same one draw whatever the share, so the stream after it never moves.
        on_tiktok=rng.random() < 1 - unlisted_share,
        flaws=flaws,
    )


def _option_combos(rng: random.Random, names: list[str]) -> list[dict[str, str]]:
    combos: list[dict[str, str]] = [{}]
    for name in names:
        values = rng.sample(
            _OPTION_VALUES[name], k=min(len(_OPTION_VALUES[name]), rng.randint(2, 4))
        )
        combos = [{**c, name: v} for c in combos for v in values]
    return combos[:12]


def _sku_suffix(combo: dict[str, str], n: int) -> str:
    parts = [v.replace(" ", "")[:3].upper() for v in combo.values()]
    return "-".join(parts) or f"V{n + 1}"


def _stock(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.07:
        return 0
    if roll < 0.2:
        return rng.randint(1, 5)
    return rng.randint(6, 240)


def _description(rng: random.Random, title: str) -> str:
    points = rng.sample(
        [
            "Machine washable, cold.",
            "Ships in recyclable packaging.",
            "Designed in Portland.",
            "Ethically made in small batches.",
            "Backed by our 30-day happiness guarantee.",
            "Pairs well with everything in the collection.",
        ],
        k=3,
    )
    items = "".join(f"<li>{p}</li>" for p in points)
    return f"<p>Meet the <strong>{title}</strong>: made to be used every day.</p><ul>{items}</ul>"


def _tiktok_only(rng: random.Random, index: int) -> TikTokOnlyProduct:
    noun = rng.choice(["Mystery Bundle", "Live Exclusive Set", "Creator Pick Box"])
    code = f"TT-LIVE-{index + 1:03d}"
    skus = [
        TikTokOnlySku(
            seller_sku=f"{code}-{size}",
            name=size,
            price=Decimal(rng.choice([19, 29, 39])) - Decimal("0.01"),
            quantity=rng.randint(10, 60),
        )
        for size in rng.sample(["S", "M", "L"], k=2)
    ]
    return TikTokOnlyProduct(
        key=f"tiktok-only-{index + 1}", title=f"{noun} #{index + 1}", skus=skus
    )
