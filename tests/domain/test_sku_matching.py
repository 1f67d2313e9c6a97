"""SKU matching: exact and normalised automatic matches, refusals, ranked suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.domain.sku_matching import (
    AMBIGUOUS,
    SkuMatcher,
    SkuQuery,
    Suggestion,
    VariantCandidate,
    auto_match,
    normalize_sku,
    sku_index,
    suggest,
)

skus = st.text(alphabet=st.sampled_from([*"abcXYZ019-_. /|+–", "Ａ", "\u00a0", "ß"]), max_size=12)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        (" Tee-Red_M ", "teeredm"),
        ("TEE RED M", "teeredm"),
        ("tee.red/m", "teeredm"),
        ("ＴＥＥ－ＲＥＤ", "teered"),  # full-width forms, as pasted from some spreadsheets
        ("A-007", "a007"),
        ("", ""),
    ],
)
def test_normalize_sku(raw: str, normal: str) -> None:
    assert normalize_sku(raw) == normal


def test_leading_zeros_are_kept() -> None:
    assert normalize_sku("A-007") != normalize_sku("A-7")
    assert auto_match("A-7", {"A-007": "gid://shopify/ProductVariant/1"}) is None


@given(skus | st.text())
def test_normalisation_is_idempotent(raw: str) -> None:
    once = normalize_sku(raw)
    assert normalize_sku(once) == once


@given(skus)
def test_case_and_separators_never_matter(raw: str) -> None:
    assert normalize_sku(raw.upper().replace("-", " _ ")) == normalize_sku(raw.replace("-", "."))


def test_exact_match() -> None:
    match = auto_match("TEE-RED-M", {"TEE-RED-M": "v1", "tee_red_m": "v2"})
    assert match is not None
    assert (match.variant_id, match.source, match.shopify_sku) == ("v1", "auto_exact", "TEE-RED-M")


def test_normalized_match_is_marked() -> None:
    match = auto_match("tee red m", {"TEE-RED-M": "v1", "TEE-RED-L": "v2"})
    assert match is not None
    assert (match.variant_id, match.source, match.shopify_sku) == (
        "v1",
        "auto_normalized",
        "TEE-RED-M",
    )


def test_two_variants_reading_the_same_are_not_mapped() -> None:
    assert auto_match("tee red m", {"TEE-RED-M": "v1", "tee_red_m": "v2"}) is None


def test_blank_skus_match_nothing() -> None:
    assert auto_match("", {"": "v1"}) is None
    assert auto_match("  ", {"  ": "v1"}) is None
    assert auto_match("X", {}) is None


def test_a_sku_shared_by_two_variants_is_ambiguous() -> None:
    index = sku_index([("v1", "TEE-RED-M"), ("v2", "TEE-RED-M"), ("v3", ""), ("v4", "CAP")])
    assert index == {"TEE-RED-M": AMBIGUOUS, "CAP": "v4"}
    assert auto_match("TEE-RED-M", index) is None
    assert auto_match("tee red m", index) is None  # nor through normalisation
    match = auto_match("cap", index)
    assert match is not None and match.variant_id == "v4"


def test_the_same_variant_listed_twice_is_not_ambiguous() -> None:
    assert sku_index([("v1", "CAP"), ("v1", "CAP")]) == {"CAP": "v1"}


@given(st.dictionaries(skus, st.sampled_from(["v1", "v2", "v3", "v4"]), max_size=6), skus)
def test_auto_match_rules(catalog: dict[str, str], seller_sku: str) -> None:
    match = auto_match(seller_sku, catalog)
    if not seller_sku.strip():
        assert match is None
    elif seller_sku in catalog:
        # exact beats normalised, whatever else normalises the same
        assert match is not None and match.source == "auto_exact"
        assert match.variant_id == catalog[seller_sku]
    else:
        same = {
            v
            for s, v in catalog.items()
            if s.strip() and normalize_sku(s) == normalize_sku(seller_sku)
        }
        if len(same) == 1 and normalize_sku(seller_sku):
            assert match is not None and match.source == "auto_normalized"
            assert match.variant_id in same
        else:
            assert match is None
    assert SkuMatcher(catalog).match(seller_sku) == match


# -- suggestions --------------------------------------------------------------------
CANDIDATES = [
    VariantCandidate(
        "gid://shopify/ProductVariant/1", "TEE-RED-M", "Cotton Tee - Red / M", "0012345678905"
    ),
    VariantCandidate("gid://shopify/ProductVariant/2", "TEE-RED-L", "Cotton Tee - Red / L", None),
    VariantCandidate("gid://shopify/ProductVariant/3", "MUG-BLK", "Ceramic Mug - Black", None),
    VariantCandidate("gid://shopify/ProductVariant/4", "", "Cotton Tee - Blue / M", None),
]


def test_a_shared_barcode_wins() -> None:
    query = SkuQuery("something-else", "Unrelated", barcode="12345678905")
    best = suggest(query, CANDIDATES)[0]
    assert best == Suggestion("gid://shopify/ProductVariant/1", 100.0, ("same barcode",))


def test_the_same_sku_after_normalising_comes_first() -> None:
    ranked = suggest(SkuQuery("tee red m", "Cotton Tee Red M"), CANDIDATES)
    assert ranked[0].variant_id == "gid://shopify/ProductVariant/1"
    assert ranked[0].score == 95.0 and "same SKU after normalising" in ranked[0].reasons
    assert ranked[1].variant_id == "gid://shopify/ProductVariant/2"
    assert "gid://shopify/ProductVariant/3" not in [s.variant_id for s in ranked[:2]]


def test_a_blank_sku_is_matched_by_title() -> None:
    ranked = suggest(SkuQuery("", "Cotton Tee Blue M"), CANDIDATES)
    assert ranked[0].variant_id == "gid://shopify/ProductVariant/4"
    assert ranked[0].reasons == ("title 100% similar",)


def test_nothing_alike_gives_nothing() -> None:
    assert suggest(SkuQuery("ZZZ-9", "Garden hose"), CANDIDATES) == []
    assert suggest(SkuQuery("TEE-RED-M", "Cotton Tee"), CANDIDATES, limit=0) == []


candidates = st.lists(
    st.builds(
        VariantCandidate,
        variant_id=st.text(alphabet="0123456789", min_size=1, max_size=4).map(
            lambda n: f"gid://v/{n}"
        ),
        sku=skus,
        title=st.sampled_from(["Cotton Tee - Red / M", "Mug", "", "Tee red", "Cap - Black"]),
        barcode=st.sampled_from([None, "", "0123", "123", "999"]),
    ),
    max_size=15,
)


@settings(max_examples=80)
@given(
    st.builds(
        SkuQuery,
        seller_sku=skus,
        title=st.sampled_from(["Tee Red M", "mug", ""]),
        barcode=st.sampled_from([None, "123"]),
    ),
    candidates,
    st.integers(min_value=0, max_value=6),
)
def test_suggestions_are_sorted_bounded_and_deterministic(
    query: SkuQuery, pool: list[VariantCandidate], limit: int
) -> None:
    ranked = suggest(query, pool, limit)
    assert len(ranked) <= limit
    keys = [(-s.score, s.variant_id) for s in ranked]
    assert keys == sorted(keys)
    assert all(0 <= s.score <= 100 and s.reasons for s in ranked)
    assert ranked == suggest(query, list(reversed(pool)), limit) or _has_duplicate_ids(pool)
    assert {s.variant_id for s in ranked} <= {c.variant_id for c in pool}


def _has_duplicate_ids(pool: list[VariantCandidate]) -> bool:
    # Two candidates with one id and different scores may swap places: not a real catalogue.
    return len({c.variant_id for c in pool}) != len(pool)
