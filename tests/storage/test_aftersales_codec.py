"""A request's lines, next actions and refund survive storage exactly (money to the last digit)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.aftersales import RefundAmount, RequestLine, SellerAction
from tiktok_console.domain.money import Money
from tiktok_console.storage.aftersales.codec import (
    actions_from,
    actions_json,
    lines_from,
    lines_json,
    refund_columns,
    refund_from_columns,
)

amounts = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False)
currencies = st.sampled_from(["USD", "GBP", "JPY", "IDR"])


@st.composite
def refunds(draw: st.DrawFn) -> RefundAmount:
    currency = draw(currencies)
    total, subtotal, shipping, tax = (Money(draw(amounts), currency) for _ in range(4))
    return RefundAmount(total, subtotal, shipping, tax)


lines = st.builds(
    RequestLine,
    order_line_item_id=st.text(min_size=1, max_size=20),
    sku_id=st.text(min_size=1, max_size=20),
    seller_sku=st.text(max_size=20),
    product_name=st.text(max_size=40),
    refund=st.none() | refunds(),
)
steps = st.builds(
    SellerAction,
    action=st.sampled_from(["SELLER_RESPOND_REFUND", "SELLER_RESPOND_RECEIVE_PACKAGE"]),
    deadline=st.integers(min_value=0, max_value=2**32).map(
        lambda s: datetime.fromtimestamp(s, UTC)
    ),
)


@given(st.lists(lines, max_size=5).map(tuple))
def test_lines_round_trip(stored: tuple[RequestLine, ...]) -> None:
    assert lines_from(lines_json(stored)) == stored


@given(st.lists(steps, max_size=3).map(tuple))
def test_actions_round_trip(stored: tuple[SellerAction, ...]) -> None:
    assert actions_from(actions_json(stored)) == stored


@given(st.none() | refunds())
def test_refund_columns_round_trip(stored: RefundAmount | None) -> None:
    columns = refund_columns(stored)
    back = refund_from_columns(
        columns["refund_total"], columns["refund_subtotal"], columns["refund_shipping"],
        columns["refund_tax"], columns["currency"],
    )  # fmt: skip
    assert back == stored
    if stored is not None:
        assert isinstance(columns["refund_total"], Decimal)
