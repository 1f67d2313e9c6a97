"""Hypothesis strategies for Shopify products, clean by construction (shared by listing tests)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from tiktok_console.domain.listing_product import (
    AttributeValue,
    Category,
    CategoryAttribute,
    ProductImage,
    ProductView,
    Variant,
    Weight,
)
from tiktok_console.domain.money import Money

WORDS = ["organic", "cotton", "tee", "soft", "classic", "mug", "ceramic", "blue", "linen",
         "travel", "bottle", "steel", "leather", "wallet", "slim", "yoga", "mat"]  # fmt: skip
words = st.sampled_from(WORDS)
titles = st.lists(words, min_size=3, max_size=12).map(lambda w: " ".join(w).capitalize())
descriptions = st.integers(30, 120).map(
    lambda n: "<p>" + " ".join(WORDS[i % len(WORDS)] for i in range(n)) + "</p>"
)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(5000), places=2)
weights = st.builds(
    Weight,
    value=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
    unit=st.sampled_from(["GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"]),
)
images = st.builds(
    lambda count, width, height: tuple(
        ProductImage(f"https://cdn.shopify.test/{n}.jpg", width + n, height) for n in range(count)
    ),
    st.integers(5, 12),
    st.integers(800, 980),
    st.integers(800, 1000),
)
OPTION_NAMES = ("Size", "Color", "Material")
SIZES = ("XS", "S", "M", "L", "XL")


@st.composite
def clean_products(draw: st.DrawFn, currency: str = "USD") -> ProductView:
    """A product no health rule finds anything wrong with."""
    option_count = draw(st.integers(1, 3))
    names = OPTION_NAMES[:option_count]
    variant_count = draw(st.integers(1, 5))
    variants = tuple(
        Variant(
            variant_id=f"gid://shopify/ProductVariant/{n}",
            sku=f"SKU-{draw(st.integers(0, 10**6))}-{n}",
            price=Money(draw(prices), currency),
            compare_at=draw(st.none() | prices.map(lambda p: Money(p, currency))),
            barcode=draw(st.sampled_from(["", "036000291452", "4006381333931", "12345"])),
            weight=draw(weights),
            stock=draw(st.integers(10, 500)),
            options=tuple((name, f"{SIZES[n]}{name}") for name in names),
        )
        for n in range(variant_count)
    )
    attributes = (
        CategoryAttribute("100001", "Material", True, (AttributeValue(name="Cotton"),)),
        CategoryAttribute("100002", "Pattern", False),
    )
    return ProductView(
        product_id=f"gid://shopify/Product/{draw(st.integers(1, 10**9))}",
        title=draw(titles),
        description_html=draw(descriptions),
        variants=variants,
        images=draw(images),
        product_type="Shirts",
        vendor="Acme",
        options=names,
        category=Category("601152", "Women's Tops", attributes),
    )


def sample_product(currency: str = "USD") -> ProductView:
    """One clean product with two variants, for example-based tests."""
    material = CategoryAttribute("100001", "Material", True, (AttributeValue(name="Cotton"),))

    def variant(n: int, size: str) -> Variant:
        return Variant(
            variant_id=f"gid://shopify/ProductVariant/{n}",
            sku=f"TEE-{size}",
            price=Money(Decimal("19.99"), currency),
            compare_at=Money(Decimal("24.99"), currency),
            barcode="036000291452" if n == 1 else "",
            weight=Weight(Decimal("0.4"), "POUNDS"),
            stock=40,
            options=(("Size", size), ("Color", "Blue")),
        )

    return ProductView(
        product_id="gid://shopify/Product/1",
        title="Organic cotton tee",
        description_html="<p>" + " ".join(WORDS * 2) + "</p>",
        variants=(variant(1, "M"), variant(2, "L")),
        images=tuple(
            ProductImage(f"https://cdn.shopify.test/{n}.jpg", 1000, 1000) for n in range(6)
        ),
        product_type="Shirts",
        vendor="Acme",
        options=("Size", "Color"),
        category=Category("601152", "Women's Tops", (material,)),
    )
