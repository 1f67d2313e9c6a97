"""Which TikTok line items a Shopify shipment covers, split shipments included."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.shipments import ShippedLine, TikTokLine, covered_lines

VARIANT = {"sku-a": "V1", "sku-b": "V2"}


def _lines() -> list[TikTokLine]:
    return [
        TikTokLine("101", "sku-a", "TEE-RED"),
        TikTokLine("102", "sku-a", "TEE-RED"),
        TikTokLine("103", "sku-b", "MUG"),
        TikTokLine("99", "sku-a", "TEE-RED"),  # shorter id: sorts first as a number
    ]


def test_a_whole_shipment_covers_every_line() -> None:
    shipped = [ShippedLine("V1", "TEE-RED", 3), ShippedLine("V2", "MUG", 1)]
    assert covered_lines(_lines(), shipped, VARIANT) == ("99", "101", "102", "103")


def test_split_shipments_cover_disjoint_lines() -> None:
    first = covered_lines(_lines(), [ShippedLine("V1", "TEE-RED", 2)], VARIANT)
    second = covered_lines(
        _lines(),
        [ShippedLine("V1", "TEE-RED", 1), ShippedLine("V2", "MUG", 1)],
        VARIANT,
        claimed=first,
    )
    assert first == ("99", "101")
    assert second == ("102", "103")


def test_a_line_matches_by_seller_sku_when_the_variant_is_not_mapped() -> None:
    assert covered_lines(_lines(), [ShippedLine("V9", "MUG", 1)], {}) == ("103",)


def test_cancelled_lines_and_unknown_items_are_never_covered() -> None:
    lines = [TikTokLine("1", "sku-a", "TEE-RED", cancelled=True), TikTokLine("2", "sku-a", "TEE")]
    assert covered_lines(lines, [ShippedLine("V1", "TEE-RED", 2)], VARIANT) == ("2",)
    assert covered_lines(lines, [ShippedLine("V7", "HAT", 1)], VARIANT) == ()


units = st.lists(st.sampled_from(["sku-a", "sku-b", "sku-c"]), min_size=1, max_size=12)


@given(units, st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4))
def test_however_an_order_is_split_no_line_is_covered_twice(
    skus: list[str], cuts: list[int]
) -> None:
    lines = [TikTokLine(str(1000 + i), sku, sku.upper()) for i, sku in enumerate(skus)]
    variant_for_sku = {"sku-a": "V1", "sku-b": "V2", "sku-c": "V3"}
    remaining = Counter(skus)
    claimed: list[str] = []
    for cut in cuts:  # each shipment takes up to ``cut`` units of every SKU left
        shipment = [
            ShippedLine(variant_for_sku[sku], sku.upper(), min(cut, left))
            for sku, left in sorted(remaining.items())
            if left
        ]
        covered = covered_lines(lines, shipment, variant_for_sku, claimed)
        assert not set(covered) & set(claimed)
        by_sku = Counter(next(li.sku_id for li in lines if li.line_id == c) for c in covered)
        assert by_sku == Counter({s.sku.lower(): s.quantity for s in shipment if s.quantity})
        remaining -= by_sku
        claimed.extend(covered)
    assert len(claimed) == len(set(claimed))
