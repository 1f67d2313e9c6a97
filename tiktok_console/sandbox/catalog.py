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
random stream, and so every seeded world's TikTok side, stays as it was.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

TIKTOK_TITLE_MAX = 255
# Worlds this big always show every product flaw, so the sync's handling of each is testable.
FLAWED_WORLD_MIN_PRODUCTS = 5
# Share of Shopify products not yet listed on TikTok (the catalog to push).
DEFAULT_UNLISTED_SHARE = 0.3
# Image names may carry their pixel size (``name@240x240.png``); others get one from the name.
_SIZED_IMAGE = re.compile(r"@(\d+)x(\d+)\.png$")
_IMAGE_SIDES = (800, 1000, 1200)
SMALL_IMAGE_SIDE = 240  # under TikTok's 300 px minimum for main images

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
_BAD_HTML = [
    "<script>trackView()</script>",
    '<iframe src="/embed/video"></iframe>',
    '<table><tr><td>Size</td><td>Chest</td></tr><tr><td>M</td><td>40"</td></tr></table>',
    '<p style="color:#ff0066;font-size:22px">LIMITED DROP!!!</p>',
]


@dataclass(frozen=True)
class Location:
    """A Shopify location; the first fulfills online orders."""

    key: str
    name: str
    city: str
    fulfills_online_orders: bool = True


@dataclass
class CatalogVariant:
    """One sellable unit. ``sku`` may be blank or duplicated on purpose (a flaw)."""

    sku: str
    options: dict[str, str]
    price: Decimal
    compare_at_price: Decimal | None
    barcode: str | None
    weight_grams: int | None  # None: weight missing in Shopify (a flaw)
    inventory: dict[str, int]  # Location.key -> available units

    @property
    def title(self) -> str:
        """Shopify's variant title: option values joined by `` / ``."""
        return " / ".join(self.options.values()) or "Default Title"


@dataclass(frozen=True)
class ListedCopy:
    """What TikTok Shop got from a product when the merchant listed it there."""

    title: str
    description_html: str
    weight_grams: int | None  # the heaviest variant's; None: no weight to send
    flaws: tuple[str, ...]


@dataclass
class CatalogProduct:
    """A Shopify product, and whether it is listed on TikTok Shop by seller SKU."""

    key: str  # stable handle
    title: str
    description_html: str
    product_type: str
    vendor: str
    tags: list[str]
    option_names: list[str]
    images: list[str]  # image file names served by the sandbox
    variants: list[CatalogVariant]
    on_tiktok: bool
    flaws: list[str] = field(default_factory=list)
    # Set when the product was edited in Shopify after it was listed on TikTok.
    listed_before_edit: ListedCopy | None = None

    def tiktok_copy(self) -> ListedCopy:
        """The copy the TikTok listing was made from."""
        if self.listed_before_edit is not None:
            return self.listed_before_edit
        weights = [v.weight_grams for v in self.variants if v.weight_grams]
        return ListedCopy(
            self.title, self.description_html, max(weights, default=None), tuple(self.flaws)
        )


@dataclass
class TikTokOnlySku:
    """A SKU added directly in TikTok Seller Center: it exists on no Shopify variant."""

    seller_sku: str
    name: str
    price: Decimal
    quantity: int


@dataclass
class TikTokOnlyProduct:
    """A product added directly in TikTok Seller Center."""

    key: str
    title: str
    skus: list[TikTokOnlySku]


@dataclass
class Catalog:
    """Everything both stores are seeded from."""

    seed: int
    region: str  # ISO country / TikTok region, e.g. "US"
    currency: str
    shop_name: str
    locations: list[Location]
    products: list[CatalogProduct]
    tiktok_only: list[TikTokOnlyProduct]

    def variants(self) -> list[tuple[CatalogProduct, CatalogVariant]]:
        """Every (product, variant) pair, in catalog order."""
        return [(p, v) for p in self.products for v in p.variants]


def image_size(name: str) -> tuple[int, int]:
    """The pixel size of the catalog image ``name`` (width, height)."""
    sized = _SIZED_IMAGE.search(name)
    if sized:
        return int(sized.group(1)), int(sized.group(2))
    side = _IMAGE_SIDES[zlib.crc32(name.encode()) % len(_IMAGE_SIDES)]
    return side, side


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
    _add_sku_flaws(rng, items)
    if products >= FLAWED_WORLD_MIN_PRODUCTS:
        _ensure_product_flaws(seed, items)
        _ensure_unlisted_flaws(seed, items)
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
        title = _overlong_title(title)
        flaws.append("title_too_long")
    description = _description(rng, title)
    if rng.random() < 0.12:
        description += rng.choice(_BAD_HTML)
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


def _overlong_title(title: str) -> str:
    extra = (
        " | Trending Viral TikTok Made Me Buy It Gift for Her Gift for Him Birthday Christmas"
        " Holiday Stocking Stuffer Best Seller Limited Edition Free Shipping"
    )
    return (title + extra * 3)[: TIKTOK_TITLE_MAX + 40]


def _add_sku_flaws(rng: random.Random, items: list[CatalogProduct]) -> None:
    """Blank a few SKUs and duplicate one, as real catalogs do."""
    variants = [v for p in items for v in p.variants]
    if len(variants) < 10:
        return
    for v in rng.sample(variants, k=max(1, len(variants) // 40)):
        v.sku = ""
    first, second = rng.sample([v for v in variants if v.sku], k=2)
    second.sku = first.sku
    for p in items:
        if any(v.sku == "" for v in p.variants):
            p.flaws.append("blank_sku")
        if any(v.sku == first.sku for v in p.variants):
            p.flaws.append("duplicate_sku")


def _ensure_product_flaws(seed: int, items: list[CatalogProduct]) -> None:
    """Give the catalog each product flaw it did not draw at random.

    The flaw goes to a product that lacks it, preferably one not listed on TikTok,
    chosen with its own RNG so the main stream stays as it was. On a listed product
    the flaw is a later Shopify edit: the listing keeps the copy it was made from,
    so TikTok's side of the world (listings, statuses, orders) is unchanged too.
    """
    rng = random.Random(f"catalog-flaws:{seed}")
    for flaw, apply in _PRODUCT_FLAWS.items():
        if any(flaw in p.flaws for p in items):
            continue
        lacking = [p for p in items if flaw not in p.flaws]
        unlisted = [p for p in lacking if not p.on_tiktok]
        product = rng.choice(unlisted or lacking)
        if product.on_tiktok and product.listed_before_edit is None:
            product.listed_before_edit = product.tiktok_copy()
        apply(rng, product)
        product.flaws.append(flaw)


def _lengthen_title(rng: random.Random, product: CatalogProduct) -> None:
    product.title = _overlong_title(product.title)


def _spoil_description(rng: random.Random, product: CatalogProduct) -> None:
    product.description_html += rng.choice(_BAD_HTML)


def _drop_weight(rng: random.Random, product: CatalogProduct) -> None:
    for variant in product.variants:
        variant.weight_grams = None


_PRODUCT_FLAWS: dict[str, Callable[[random.Random, CatalogProduct], None]] = {
    "title_too_long": _lengthen_title,
    "description_formatting": _spoil_description,
    "missing_weight": _drop_weight,
}


def _ensure_unlisted_flaws(seed: int, items: list[CatalogProduct]) -> None:
    """Give the products not yet on TikTok, between them, every flaw a push meets.

    Only unlisted products change, chosen with their own RNG, so the main stream
    and TikTok's side of the world stay as they were. The flaws go to about half
    of the unlisted products, so the other half stays ready to push.
    """
    unlisted = [p for p in items if not p.on_tiktok]
    if not unlisted:
        return
    rng = random.Random(f"unlisted-flaws:{seed}")
    # Flaws go first to products that already have one, and last to Beauty products
    # (TikTok's Skincare needs Ingredients, which only the merchant can give: one such
    # product blocked by that alone shows it), so about half stay ready to push.
    pool = sorted(
        rng.sample(unlisted, k=len(unlisted)),
        key=lambda p: (not p.flaws, p.product_type == "Beauty"),
    )
    flawed = pool[: max(1, len(pool) // 2, sum(1 for p in pool if p.flaws))]
    for flaw, (fits, apply) in _UNLISTED_FLAWS.items():
        if any(flaw in p.flaws for p in unlisted):
            continue
        candidates = [p for p in flawed if fits(p) and flaw not in p.flaws] or [
            p for p in pool if fits(p) and flaw not in p.flaws
        ]
        if not candidates:
            continue
        product = rng.choice(candidates)
        apply(rng, product)
        product.flaws.append(flaw)


def _entity_title(rng: random.Random, product: CatalogProduct) -> None:
    # Copied from a rich-text editor: a non-breaking space kept as its entity.
    product.title = product.title.replace(" ", "&nbsp;", 1)


def _emoji_title(rng: random.Random, product: CatalogProduct) -> None:
    product.title = f"{product.title} {rng.choice(['✨', '🔥', '💖'])}"


def _drop_images(rng: random.Random, product: CatalogProduct) -> None:
    product.images = []


def _shrink_image(rng: random.Random, product: CatalogProduct) -> None:
    first = product.images[0].rsplit(".", 1)[0]
    product.images[0] = f"{first}@{SMALL_IMAGE_SIDE}x{SMALL_IMAGE_SIDE}.png"


def _zero_price(rng: random.Random, product: CatalogProduct) -> None:
    variant = rng.choice(product.variants)
    variant.price, variant.compare_at_price = Decimal("0.00"), None


def _blank_sku(rng: random.Random, product: CatalogProduct) -> None:
    rng.choice(product.variants).sku = ""


def _duplicate_sku(rng: random.Random, product: CatalogProduct) -> None:
    # Within one product, so no listed SKU becomes ambiguous for TikTok's orders.
    first, second = product.variants[:2]
    second.sku = first.sku


def _always(product: CatalogProduct) -> bool:
    return True


def _has_images(product: CatalogProduct) -> bool:
    return bool(product.images) and "no_image" not in product.flaws


def _two_skus(product: CatalogProduct) -> bool:
    named = [v for v in product.variants[:2] if v.sku]
    return len(named) == 2 and "blank_sku" not in product.flaws


_Fits = Callable[[CatalogProduct], bool]
_Apply = Callable[[random.Random, CatalogProduct], None]
_UNLISTED_FLAWS: dict[str, tuple[_Fits, _Apply]] = {
    "missing_weight": (_always, _drop_weight),
    "blank_sku": (lambda p: "duplicate_sku" not in p.flaws, _blank_sku),
    "duplicate_sku": (_two_skus, _duplicate_sku),
    "title_too_long": (_always, _lengthen_title),
    "title_html_entity": (lambda p: "title_too_long" not in p.flaws, _entity_title),
    "title_emoji": (lambda p: "title_too_long" not in p.flaws, _emoji_title),
    "description_formatting": (_always, _spoil_description),
    "small_image": (_has_images, _shrink_image),
    "no_image": (lambda p: "small_image" not in p.flaws, _drop_images),
    "zero_price": (_always, _zero_price),
}


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
