"""Inventory math: the TikTok quantity, its bounds, its explanation, buffer parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.inventory import (
    TIKTOK_MAX_QUANTITY,
    Buffer,
    StockInputs,
    parse_buffer,
    target_quantity,
    warehouse_quantities,
)

buffers = st.builds(Buffer, units=st.integers(0, 500), percent=st.integers(0, 100))
inputs = st.builds(
    StockInputs,
    shopify_available=st.integers(-1000, 300_000),
    in_flight=st.integers(0, 1000),
    buffer=buffers,
    livestream_buffer=st.none() | buffers,
    cap=st.none() | st.integers(0, 1000),
    frozen=st.booleans(),
)


@given(inputs)
def test_never_above_available_less_in_flight_never_negative_never_above_cap(
    given_inputs: StockInputs,
) -> None:
    target = target_quantity(given_inputs)
    assert 0 <= target.quantity <= TIKTOK_MAX_QUANTITY
    assert target.quantity <= max(given_inputs.shopify_available - given_inputs.in_flight, 0)
    if given_inputs.cap is not None:
        assert target.quantity <= given_inputs.cap
    if given_inputs.frozen:
        assert target.quantity == 0
    assert target.negative == (given_inputs.shopify_available < 0)


@given(inputs)
def test_the_livestream_only_tightens(given_inputs: StockInputs) -> None:
    calm = StockInputs(
        given_inputs.shopify_available, given_inputs.in_flight, given_inputs.buffer,
        None, None, given_inputs.frozen,
    )  # fmt: skip
    assert target_quantity(given_inputs).quantity <= target_quantity(calm).quantity


def test_the_explanation_says_why() -> None:
    target = target_quantity(StockInputs(12, in_flight=3, buffer=Buffer(units=2), cap=5))
    assert target.quantity == 5
    assert target.explanation == (
        "Shopify 12 − buffer 2 − 3 in flight = 7; capped at 5 for the livestream"
    )


def test_a_percentage_buffer_holds_back_at_least_its_share() -> None:
    target = target_quantity(StockInputs(15, buffer=Buffer(units=1, percent=10)))
    assert (target.buffer, target.quantity) == (2, 13)  # 10% of 15 is 1.5: 2 held back
    live = StockInputs(40, buffer=Buffer(units=2), livestream_buffer=Buffer(percent=10))
    assert target_quantity(live).buffer == 4


def test_negative_shopify_stock_is_zero_with_a_flag() -> None:
    target = target_quantity(StockInputs(-3))
    assert target.quantity == 0 and target.negative
    assert "negative" in target.explanation


def test_frozen_says_so() -> None:
    target = target_quantity(StockInputs(9, frozen=True))
    assert target.quantity == 0
    assert target.explanation == "Shopify 9; frozen: TikTok shows 0"


def test_tiktok_maximum() -> None:
    assert target_quantity(StockInputs(250_000)).quantity == TIKTOK_MAX_QUANTITY


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("", None), ("  ", None), ("3", Buffer(units=3)), ("10%", Buffer(percent=10)),
     (" 0 ", Buffer()), ("100 %", Buffer(percent=100))],
)  # fmt: skip
def test_parse_buffer(text: str, parsed: Buffer | None) -> None:
    assert parse_buffer(text) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [("-2", "cannot be negative"), ("150%", "more than all the stock"), ("2.5", "not a buffer"),
     ("ten", "not a buffer"), ("1000000", "too large")],
)  # fmt: skip
def test_bad_buffers_say_what_to_type(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_buffer(text)


@given(st.integers(0, 300), st.integers(0, 100))
def test_buffer_text_round_trips(units: int, percent: int) -> None:
    assert parse_buffer(Buffer(units=units).text()) == Buffer(units=units)
    assert parse_buffer(Buffer(percent=percent).text()) == Buffer(percent=percent)


def test_all_stock_goes_to_the_first_warehouse() -> None:
    assert warehouse_quantities(["w1", "w2"], 7) == {"w1": 7, "w2": 0}
    assert warehouse_quantities([], 7) == {}
