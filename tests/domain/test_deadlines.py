"""Deadlines: one queue, urgency bands, snooze, and notifications raised once per threshold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.aftersales_views import T0, a_cancellation, a_return, refund, usd
from tiktok_console.domain.aftersales import Arbitration, ReturnType, SellerAction, dispute_of
from tiktok_console.domain.deadline_sources import (
    OrderDueTimes,
    cancellation_deadlines,
    dispute_deadlines,
    money_words,
    order_deadlines,
    reauthorize_deadline,
    return_deadlines,
)
from tiktok_console.domain.deadlines import (
    DEFAULT_THRESHOLDS,
    Deadline,
    DeadlineKind,
    Urgency,
    is_snoozed,
    notifications_due,
    parse_thresholds,
    snooze_until,
    soonest_first,
)
from tiktok_console.domain.money import Money

H = timedelta(hours=1)


def item(order_id: str, hours_left: float) -> Deadline:
    due = T0 + timedelta(hours=hours_left)
    return Deadline(DeadlineKind.RETURN_RESPONSE, order_id, f"R{order_id}", due, "Approve", "x")


def test_a_pending_refund_says_it_auto_approves_tiktoks_amount() -> None:
    step = SellerAction("SELLER_RESPOND_REFUND", T0 + 48 * H)
    view = a_return(return_type=ReturnType.REFUND, status="RETURN_OR_REFUND_REQUEST_PENDING",
                    actions=(step,), amount=refund("24.90"))  # fmt: skip
    [deadline] = return_deadlines(view)
    assert deadline.kind is DeadlineKind.RETURN_RESPONSE
    assert (deadline.order_id, deadline.request_id) == (view.order_id, view.return_id)
    assert deadline.deadline == T0 + 48 * H  # exactly TikTok's timestamp
    assert deadline.at_zero == "auto-approves a $24.90 refund"
    assert deadline.amount == usd("24.90")
    assert deadline.code == "SELLER_RESPOND_REFUND"
    assert deadline.as_json() == {
        "kind": "return_response", "order_id": view.order_id, "request_id": view.return_id,
        "deadline": "2026-05-06T12:00:00Z", "action": "Approve or reject the refund",
        "at_zero": "auto-approves a $24.90 refund",
        "amount": {"amount": "24.90", "currency": "USD"},
    }  # fmt: skip
    assert reauthorize_deadline("tiktok", T0).as_json()["amount"] is None


def test_each_stage_of_a_return_is_its_own_kind() -> None:
    parcel = SellerAction("SELLER_RESPOND_RECEIVE_PACKAGE", T0 + 120 * H)
    view = a_return(status="BUYER_SHIPPED_ITEM", actions=(parcel,))
    [deadline] = return_deadlines(view)
    assert deadline.kind is DeadlineKind.RECEIVE_PACKAGE
    assert deadline.at_zero == "confirms the parcel for you and refunds $24.90"
    answer = SellerAction("SELLER_RESPOND_RETURN", T0 + H)
    disputed = a_return(status="REFUND_OR_RETURN_REQUEST_REJECT",
                        arbitration=Arbitration.IN_PROGRESS, actions=(answer,))  # fmt: skip
    assert [d.kind for d in return_deadlines(disputed)] == [DeadlineKind.DISPUTE_RESPONSE]
    dispute = dispute_of(disputed)
    assert dispute is not None and dispute.open
    assert [d.kind for d in dispute_deadlines(dispute)] == [DeadlineKind.DISPUTE_RESPONSE]
    assert dispute_of(a_return()) is None


def test_cancellation_order_and_sign_in_clocks() -> None:
    step = SellerAction("SELLER_RESPOND_BUYER_CANCEL", T0 + 24 * H)
    [cancel] = cancellation_deadlines(a_cancellation(status="CANCELLATION_REQUEST_PENDING",
                                                     actions=(step,)))  # fmt: skip
    assert cancel.kind is DeadlineKind.CANCELLATION_RESPONSE
    assert "shipping the order rejects it" in cancel.action
    assert cancel.at_zero == "cancels the order and refunds $24.90"
    times = OrderDueTimes("O1", ship_by=T0 + 5 * H, auto_cancel_at=T0 + 72 * H)
    [ship] = order_deadlines(times, usd("10.00"))
    assert (ship.kind, ship.deadline, ship.request_id) == (DeadlineKind.SHIP_BY, T0 + 5 * H, None)
    assert ship.at_zero == "counts the order late against the shop, and cancels it 2 days later"
    sign_in = reauthorize_deadline("shopify", T0 + H)
    assert (sign_in.kind, sign_in.order_id, sign_in.amount) == (DeadlineKind.REAUTHORIZE, "", None)
    assert money_words(Money.parse("1200", "IDR")) == "1200 IDR"
    [raised] = notifications_due([sign_in], DEFAULT_THRESHOLDS, T0, set())
    assert raised.body == "At zero, the console stops syncing with Shopify until you sign in."
    [raised] = notifications_due([cancel], DEFAULT_THRESHOLDS, T0 + 23 * H, set())
    assert raised.body == (
        f"Order {cancel.order_id}. At zero, TikTok cancels the order and refunds $24.90."
    )


def test_naive_deadlines_are_refused() -> None:
    with pytest.raises(ValueError):
        Deadline(DeadlineKind.SHIP_BY, "O", None, T0.replace(tzinfo=None), "a", "b")


def test_urgency_bands_and_queue_order() -> None:
    bands = [item("o", h).urgency(T0) for h in (-1, 0.5, 3, 20, 30)]
    assert bands == [Urgency.OVERDUE, Urgency.CRITICAL, Urgency.URGENT, Urgency.SOON, Urgency.LATER]
    queue = soonest_first([item("b", 5), item("a", 1), item("c", -2)])
    assert [d.order_id for d in queue] == ["c", "a", "b"]


def test_snooze_never_outlasts_the_deadline() -> None:
    due = item("o", 2)
    assert snooze_until(due, T0, H) == T0 + H
    assert snooze_until(due, T0, 10 * H) == due.deadline
    assert is_snoozed(due.key, {due.key: T0 + H}, T0) and not is_snoozed(due.key, {}, T0)
    with pytest.raises(ValueError):
        snooze_until(due, T0, timedelta(0))


def test_a_laptop_that_slept_gets_one_notification_for_the_most_urgent_threshold() -> None:
    due = item("o", 30)
    first = notifications_due([due], DEFAULT_THRESHOLDS, T0 + 29.5 * H, set())  # 30 min left
    assert [(n.threshold, n.settles) for n in first] == [(H, (H, 4 * H, 24 * H))]
    assert first[0].title == "Under 1 h left: Approve"
    settled = {(due.key, t) for t in first[0].settles}
    assert notifications_due([due], DEFAULT_THRESHOLDS, T0 + 29.9 * H, settled) == []


def test_thresholds_are_crossed_one_by_one_when_awake() -> None:
    due = item("o", 30)
    notified: set[tuple[str, timedelta]] = set()
    raised = []
    for hour in range(0, 31):
        for n in notifications_due([due], DEFAULT_THRESHOLDS, T0 + hour * H, notified):
            raised.append(n.threshold)
            notified |= {(due.key, t) for t in n.settles}
    assert raised == [24 * H, 4 * H, H]


def test_snoozed_and_passed_items_stay_quiet() -> None:
    due = item("o", 2)
    assert notifications_due([due], DEFAULT_THRESHOLDS, T0, set(), {due.key: T0 + H}) == []
    assert notifications_due([item("p", -1)], DEFAULT_THRESHOLDS, T0, set()) == []


def test_thresholds_from_settings() -> None:
    assert parse_thresholds("1h, 24h;30m, 4h") == (24 * H, 4 * H, H, timedelta(minutes=30))
    for bad in ("", "0h", "2d", "xh"):
        with pytest.raises(ValueError):
            parse_thresholds(bad)


@settings(max_examples=200)
@given(
    lefts=st.lists(st.integers(min_value=-120, max_value=3000), min_size=1, max_size=6),
    steps=st.lists(st.integers(min_value=1, max_value=600), min_size=1, max_size=30),
    marks=st.sets(st.integers(min_value=1, max_value=1500), min_size=1, max_size=4),
)
def test_never_twice_for_the_same_item_and_threshold(lefts, steps, marks) -> None:
    items = [Deadline(DeadlineKind.SHIP_BY, str(i), None, T0 + timedelta(minutes=m), "a", "b")
             for i, m in enumerate(lefts)]  # fmt: skip
    thresholds = [timedelta(minutes=m) for m in marks]
    notified: set[tuple[str, timedelta]] = set()
    now = T0
    for step in steps:
        now += timedelta(minutes=step)
        raised = notifications_due(items, thresholds, now, notified)
        assert len({n.deadline.key for n in raised}) == len(raised)  # one per item per moment
        for n in raised:
            assert (n.deadline.key, n.threshold) not in notified
            assert n.deadline.remaining(now) <= n.threshold  # only crossed thresholds
            assert n.threshold == min(n.settles)
            notified |= {(n.deadline.key, t) for t in n.settles}
    # Every crossed threshold of a still-open item has been settled by now.
    for d in items:
        if d.remaining(now) > timedelta(0):
            crossed = {t for t in thresholds if d.remaining(now) <= t}
            assert crossed <= {t for key, t in notified if key == d.key}
