"""Export headers are recognised however they are spelled, and unknown ones are listed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.settlement_fields import API_LAYOUT, US_LAYOUT, Field
from tiktok_console.domain.settlement_headers import (
    COMMON,
    REGION_ALIASES,
    aliases,
    is_explanation_row,
    match_headers,
)

KNOWN = sorted(
    (region, name, field) for region in REGION_ALIASES for name, field in aliases(region).items()
)


@st.composite
def spelled(draw: st.DrawFn, name: str) -> str:
    """``name`` as an export might write it: case, spaces, NBSP, a (UTC) suffix."""
    letters = [c.upper() if draw(st.booleans()) else c for c in name]
    text = "".join(letters)
    gap = draw(st.sampled_from([" ", "  ", "\u00a0", " \t"]))
    text = text.replace(" ", gap)
    suffix = draw(st.sampled_from(["", "(UTC)", " (UTC)", "(utc+8)", " (GMT) "]))
    pad = draw(st.sampled_from(["", " ", "   "]))
    return draw(st.sampled_from(["", " "])) + text + suffix + pad


@given(st.sampled_from(KNOWN).flatmap(lambda k: st.tuples(st.just(k), spelled(k[1]))))
def test_every_alias_is_found_however_it_is_spelled(
    case: tuple[tuple[str, str, Field], str],
) -> None:
    (region, _, field), header = case
    match = match_headers(["Something else entirely", header], region)
    assert match.columns == {1: field}
    assert match.unknown == ("Something else entirely",)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30))
def test_a_header_no_table_knows_is_listed_not_guessed(header: str) -> None:
    known = any(header.strip() and " ".join(header.split()) in aliases(r) for r in REGION_ALIASES)
    match = match_headers([header], "US")
    if header.strip() and not known:
        assert match.columns == {}
        assert match.unknown == (header,)


def test_near_misses_are_not_guessed() -> None:
    match = match_headers(["Total fee", "Transaction fees", "Referal fee", "Order ID"], "US")
    assert match.columns == {3: Field.ORDER_ID}
    assert match.unknown == ("Total fee", "Transaction fees", "Referal fee")


def test_the_region_with_most_known_headers_is_chosen() -> None:
    us = match_headers(["Order/adjustment ID", "Seller shipping fee", "Total fees"])
    assert us.region == "US" and us.layout is US_LAYOUT
    assert us.columns[1] is Field.SHIPPING
    sea = match_headers(["Order/adjustment ID  ", "Payment fee", "Commission fee", "GST"])
    assert sea.region == "SEA" and sea.layout is API_LAYOUT
    assert sea.columns == {
        0: Field.ORDER_ID,
        1: Field.TRANSACTION_FEE,
        2: Field.COMMISSION_FEE,
        3: Field.GST,
    }


def test_a_known_rename_means_the_same_fee_in_its_region() -> None:
    assert match_headers(["TikTok Shop commission fee"], "US").columns == {0: Field.REFERRAL_FEE}
    assert match_headers(["TikTok Shop commission fee"], "GB").columns == {0: Field.COMMISSION_FEE}


def test_second_column_for_one_field_is_reported_and_ignored() -> None:
    match = match_headers(
        ["Order ID", "Order/adjustment ID", "Currency (USD)", "Total settlement amount (USD)"], "US"
    )
    assert match.columns == {0: Field.ORDER_ID, 2: Field.CURRENCY, 3: Field.SETTLEMENT}
    assert match.duplicates == ("Order/adjustment ID",)
    assert match.currencies == {2: "USD", 3: "USD"}


def test_total_fees_is_a_total_of_the_fee_columns_never_a_part() -> None:
    for layout in (API_LAYOUT, US_LAYOUT):
        assert layout.parents[Field.FEES] is Field.SETTLEMENT
        assert Field.TRANSACTION_FEE in layout.children(Field.FEES)
        assert Field.FEES not in layout.children(Field.FEES)
    assert US_LAYOUT.parents[Field.SHIPPING] is Field.FEES
    assert API_LAYOUT.parents[Field.SHIPPING] is Field.SETTLEMENT
    assert Field.SUBTOTAL_AFTER_SELLER_DISCOUNTS not in API_LAYOUT.parents


def test_explanation_row_is_recognised() -> None:
    headers = ["Order/adjustment ID", "Type", "Total settlement amount", "Total fees", "Notes"]
    match = match_headers(headers, "US")
    explanation = [
        "The ID of the order or adjustment",
        "Order, refund or adjustment type",
        "The amount settled to your account for this line",
        "Sum of all fees charged",
        "",
    ]
    assert is_explanation_row(explanation, match)
    values = ["576461413", "Order", "$12.00", "(1.20)", "free text notes here"]
    assert not is_explanation_row(values, match)
    assert not is_explanation_row(["576461413", "Order", "", "", ""], match)
    assert not is_explanation_row([], match)


def test_every_common_alias_is_already_normalised() -> None:
    for name in COMMON:
        assert name == name.strip().lower()
        assert "  " not in name
