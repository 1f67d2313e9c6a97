"""Which Shopify variant a TikTok SKU is: automatic matches and ranked suggestions.

An order can only be copied to Shopify once each of its TikTok SKUs points at
a variant. Most merchants list on TikTok under the same seller SKUs, so an
exact SKU match is mapped silently; a match only after normalising (case,
spaces, separators) is mapped too but marked so the merchant can review it;
anything less certain is only *suggested*, ranked, for a person to pick.
A wrong automatic mapping ships the wrong product, so ambiguity never maps.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, utils

MatchSource = Literal["auto_exact", "auto_normalized"]

AMBIGUOUS = ""
"""The variant id ``sku_index`` gives a SKU that several variants share."""

# Separators merchants use interchangeably inside one code: "TEE-RED-M",
# "tee_red_m", "TEE RED M", "tee.red.m", "TEE/RED/M".
_SEPARATORS = frozenset(" \t-_./\\|+–—")

SKU_WEIGHT = 0.6  # a SKU is the merchant's own code: it says more than a title
TITLE_WEIGHT = 0.4
SAME_NORMALIZED_SKU = 95.0
SAME_BARCODE = 100.0


def normalize_sku(sku: str) -> str:
    """A SKU reduced to what stays the same when merchants retype it.

    Unicode compatibility forms are folded (full-width letters, odd dashes),
    case is folded, and whitespace and separators (``-_./\\|+`` and spaces)
    are dropped, so ``" Tee-Red_M "`` and ``"TEE RED M"`` are one code.
    Leading zeros are kept: ``A-007`` and ``A-7`` are different codes in
    many catalogs (sizes, lot numbers, barcodes), and a wrong match ships the
    wrong item. Idempotent.
    """
    text = sku
    # Dropping a separator can bring combining marks together that Unicode
    # then reorders, and case folding can leave text NFKC changes: fold until
    # nothing changes (two rounds in practice) so the result is a fixed point.
    for _ in range(8):
        folded = _fold(text)
        if folded == text:
            break
        text = folded
    return text


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in folded if ch not in _SEPARATORS and not ch.isspace())


@dataclass(frozen=True)
class Match:
    """An automatic mapping of a TikTok seller SKU to a Shopify variant.

    Attributes:
        seller_sku: the TikTok seller SKU that was matched.
        variant_id: the Shopify variant gid.
        shopify_sku: the variant's SKU as Shopify has it.
        source: ``auto_exact`` (same text) or ``auto_normalized`` (same after
            ``normalize_sku``: worth a look by the merchant).
    """

    seller_sku: str
    variant_id: str
    shopify_sku: str
    source: MatchSource


def sku_index(variants: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``(variant_id, sku)`` pairs as the ``sku -> variant id`` map ``auto_match`` takes.

    Blank SKUs are left out (they match nothing); a SKU on more than one
    variant maps to ``AMBIGUOUS``, so no match is made on it: a plain dict
    would silently keep one of them.
    """
    index: dict[str, str] = {}
    for variant_id, sku in variants:
        if not sku.strip():
            continue
        index[sku] = AMBIGUOUS if sku in index and index[sku] != variant_id else variant_id
    return index


class SkuMatcher:
    """``auto_match`` over one Shopify catalogue, normalising it once."""

    def __init__(self, shopify_skus: Mapping[str, str]) -> None:
        self._exact = {sku: vid for sku, vid in shopify_skus.items() if sku.strip()}
        self._normalized: dict[str, list[tuple[str, str]]] = {}
        for sku, variant_id in self._exact.items():
            key = normalize_sku(sku)
            if key:
                self._normalized.setdefault(key, []).append((sku, variant_id))

    def match(self, seller_sku: str) -> Match | None:
        """The variant ``seller_sku`` is, or None when none is certain enough."""
        if not seller_sku.strip():
            return None
        exact = self._exact.get(seller_sku)
        if exact is not None:
            if exact == AMBIGUOUS:
                return None
            return Match(seller_sku, exact, seller_sku, "auto_exact")
        found = self._normalized.get(normalize_sku(seller_sku), [])
        variants = {variant_id for _, variant_id in found}
        if len(variants) != 1 or AMBIGUOUS in variants:
            return None  # none, or two variants read the same: a person decides
        shopify_sku, variant_id = found[0]
        return Match(seller_sku, variant_id, shopify_sku, "auto_normalized")


def auto_match(tiktok_seller_sku: str, shopify_skus: Mapping[str, str]) -> Match | None:
    """The variant a TikTok seller SKU certainly is, if any.

    Args:
        tiktok_seller_sku: the seller SKU on TikTok.
        shopify_skus: Shopify ``sku -> variant id``; build it with ``sku_index``
            so SKUs shared by several variants are known as ``AMBIGUOUS``.

    Returns:
        An ``auto_exact`` match on the same text, else an ``auto_normalized``
        match when exactly one variant normalises the same, else None.
    """
    return SkuMatcher(shopify_skus).match(tiktok_seller_sku)


# -- suggestions --------------------------------------------------------------
@dataclass(frozen=True)
class SkuQuery:
    """The TikTok side: what is known about the SKU to map.

    Attributes:
        seller_sku: the seller SKU (may be blank).
        title: product and variant name (``Cotton Tee - Red, M``).
        barcode: a GTIN/UPC/EAN if the listing has one.
    """

    seller_sku: str
    title: str
    barcode: str | None = None


@dataclass(frozen=True)
class VariantCandidate:
    """A Shopify variant that might be it.

    Attributes:
        variant_id: the variant gid.
        sku: its SKU (may be blank).
        title: product and variant title.
        barcode: its barcode, if any.
    """

    variant_id: str
    sku: str
    title: str
    barcode: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """One ranked candidate.

    Attributes:
        variant_id: the variant gid.
        score: 0-100, higher is likelier.
        reasons: what the score rests on, for the merchant to read.
    """

    variant_id: str
    score: float
    reasons: tuple[str, ...]


def suggest(
    tiktok_sku: SkuQuery,
    candidates: Sequence[VariantCandidate],
    limit: int = 5,
    *,
    min_score: float = 30.0,
) -> list[Suggestion]:
    """The ``limit`` likeliest variants for ``tiktok_sku``, best first.

    A shared barcode wins outright; the same SKU after normalising comes next;
    otherwise SKU and title similarity are blended (``SKU_WEIGHT`` /
    ``TITLE_WEIGHT``), using only the title when either side has no SKU.
    Candidates under ``min_score`` are dropped; ties go to the lower variant
    id so the same input always gives the same list.
    """
    if limit <= 0:
        return []
    scored = [_score(tiktok_sku, candidate) for candidate in candidates]
    kept = [s for s in scored if s.score >= min_score]
    kept.sort(key=lambda s: (-s.score, s.variant_id))
    return kept[:limit]


def _score(query: SkuQuery, candidate: VariantCandidate) -> Suggestion:
    barcode = _digits(query.barcode)
    if barcode and barcode == _digits(candidate.barcode):
        return Suggestion(candidate.variant_id, SAME_BARCODE, ("same barcode",))
    title = _title_similarity(query.title, candidate.title)
    mine, theirs = normalize_sku(query.seller_sku), normalize_sku(candidate.sku)
    if mine and mine == theirs:
        reasons = ("same SKU after normalising", f"title {title:.0f}% similar")
        return Suggestion(candidate.variant_id, SAME_NORMALIZED_SKU, reasons)
    if not (mine and theirs):
        return Suggestion(candidate.variant_id, round(title, 1), (f"title {title:.0f}% similar",))
    sku = fuzz.ratio(mine, theirs)
    score = SKU_WEIGHT * sku + TITLE_WEIGHT * title
    # Below an exact normalised SKU, whatever the blend says.
    score = min(score, SAME_NORMALIZED_SKU - 1)
    reasons = (f"SKU {sku:.0f}% similar", f"title {title:.0f}% similar")
    return Suggestion(candidate.variant_id, round(score, 1), reasons)


def _title_similarity(mine: str, theirs: str) -> float:
    if not (mine.strip() and theirs.strip()):
        return 0.0
    # token_set_ratio: word order and extra words ("- Red, M") matter little.
    return float(fuzz.token_set_ratio(mine, theirs, processor=utils.default_process))


def _digits(barcode: str | None) -> str:
    # A GTIN is its digits; UPC-A, EAN-13 and GTIN-14 forms of one code differ
    # only by leading zeros, so those go too (unlike in SKUs).
    return "".join(ch for ch in barcode or "" if ch.isdigit()).lstrip("0")
