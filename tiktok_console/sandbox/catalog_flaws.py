"""The flaws real catalogs have, planted in a generated catalog.

Missing weights, blank or duplicate SKUs, titles over TikTok's 255-character limit
(assumption: TikTok titles are 25-255 characters for US shops), descriptions with
formatting TikTok rejects, and, among the products not yet on TikTok, every flaw
a push meets (HTML entities and emojis in titles, no image, a zero price, images
under TikTok's 300 px minimum). Each is forced with its own RNG, so the main random
stream, and so every seeded world's TikTok side, stays as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from tiktok_console.sandbox.catalog_model import CatalogProduct

TIKTOK_TITLE_MAX = 255
SMALL_IMAGE_SIDE = 240  # under TikTok's 300 px minimum for main images
BAD_HTML = [
    "<script>trackView()</script>",
    '<iframe src="/embed/video"></iframe>',
    '<table><tr><td>Size</td><td>Chest</td></tr><tr><td>M</td><td>40"</td></tr></table>',
    '<p style="color:#ff0066;font-size:22px">LIMITED DROP!!!</p>',
]


def overlong_title(title: str) -> str:
    extra = (
        " | Trending Viral TikTok Made Me Buy It Gift for Her Gift for Him Birthday Christmas"
        " Holiday Stocking Stuffer Best Seller Limited Edition Free Shipping"
    )
    return (title + extra * 3)[: TIKTOK_TITLE_MAX + 40]


def add_sku_flaws(rng: random.Random, items: list[CatalogProduct]) -> None:
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


def ensure_product_flaws(seed: int, items: list[CatalogProduct]) -> None:
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
    product.title = overlong_title(product.title)


def _spoil_description(rng: random.Random, product: CatalogProduct) -> None:
    product.description_html += rng.choice(BAD_HTML)


def _drop_weight(rng: random.Random, product: CatalogProduct) -> None:
    for variant in product.variants:
        variant.weight_grams = None


_PRODUCT_FLAWS: dict[str, Callable[[random.Random, CatalogProduct], None]] = {
    "title_too_long": _lengthen_title,
    "description_formatting": _spoil_description,
    "missing_weight": _drop_weight,
}


def ensure_unlisted_flaws(seed: int, items: list[CatalogProduct]) -> None:
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
