"""One Deadlines row per order (or request) per kind of clock, whatever the stores send.

TikTok often sets an order's auto-cancel equal to its ship-by time, and a disputed
return or a request may list several steps: the merchant must still see one row for
each thing to do, at the soonest of its clocks, saying what happens at zero.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.domain.aftersales_views import T0, usd
from tiktok_console.domain.aftersales import ReturnType, SellerAction
from tiktok_console.domain.deadline_sources import (
    OrderDueTimes,
    cancellation_items,
    order_deadlines,
    return_items,
)
from tiktok_console.domain.deadlines import DeadlineKind, one_per_kind, soonest_first

H = timedelta(hours=1)
hours = st.integers(min_value=-48, max_value=24 * 20).map(lambda n: T0 + n * H)
maybe_hours = st.none() | hours
orders = st.lists(
    st.builds(OrderDueTimes, st.sampled_from(["O1", "O2", "O3"]), maybe_hours, maybe_hours),
    max_size=8,
)
steps = st.lists(
    st.builds(
        SellerAction,
        st.sampled_from(
            ["SELLER_RESPOND_REFUND", "SELLER_RESPOND_RETURN", "SELLER_RESPOND_RECEIVE_PACKAGE"]
        ),
        hours,
    ),
    max_size=4,
)


@given(times=orders)
def test_an_unshipped_order_is_one_row_at_its_soonest_clock(times: list[OrderDueTimes]) -> None:
    for each in times:
        rows = order_deadlines(each, usd("42.00"))
        clocks = [t for t in (each.ship_by, each.auto_cancel_at) if t is not None]
        assert len(rows) == min(len(clocks), 1)
        if rows:
            (row,) = rows
            assert row.kind is DeadlineKind.SHIP_BY and row.deadline == min(clocks)
            assert row.action == "Ship the order"
            cancels_first = row.deadline == each.auto_cancel_at
            assert row.at_zero.startswith("cancels the order") == cancels_first


@given(times=orders)
def test_the_queue_has_one_row_per_order_and_kind(times: list[OrderDueTimes]) -> None:
    queue = soonest_first(one_per_kind(row for t in times for row in order_deadlines(t)))

    with_clock = {t.order_id for t in times if t.ship_by or t.auto_cancel_at}
    assert Counter(r.order_id for r in queue) == Counter(with_clock)
    for row in queue:
        soonest = min(
            c for t in times if t.order_id == row.order_id
            for c in (t.ship_by, t.auto_cancel_at) if c is not None
        )  # fmt: skip
        assert row.deadline == soonest


@given(
    actions=steps,
    in_dispute=st.booleans(),
    kind=st.sampled_from(list(ReturnType)),
)
def test_a_request_is_one_row_per_kind_of_answer(
    actions: list[SellerAction], in_dispute: bool, kind: ReturnType
) -> None:
    rows = return_items("O1", "R1", kind, in_dispute, actions, usd("24.90"))
    cancels = cancellation_items("O1", "C1", actions, None)

    assert len({r.kind for r in rows}) == len(rows)
    assert len(cancels) == min(len(actions), 1)
    if in_dispute and actions:
        assert [(r.kind, r.deadline) for r in rows] == [
            (DeadlineKind.DISPUTE_RESPONSE, min(a.deadline for a in actions))
        ]
