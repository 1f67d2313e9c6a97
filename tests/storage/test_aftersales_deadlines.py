"""The Deadlines queue on a real database: requests, disputes, ship-by and auto-cancel; marks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import peewee
import pytest

from tests.domain.aftersales_views import T0, a_cancellation, a_return, refund
from tests.storage.aftersales_database import open_aftersales_database
from tiktok_console.domain.aftersales import Arbitration, ReturnType, SellerAction
from tiktok_console.domain.deadlines import DEFAULT_THRESHOLDS, DeadlineKind, notifications_due
from tiktok_console.storage.aftersales.deadline_queue import (
    active_snoozes,
    forget_notifications,
    mark_notified,
    notified,
    open_deadlines,
    snooze,
    unsnooze,
)
from tiktok_console.storage.aftersales.requests import store_cancellations, store_returns
from tiktok_console.storage.tables import TikTokOrderRow

H = timedelta(hours=1)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    opened = open_aftersales_database(tmp_path / "db.sqlite3")
    yield opened
    opened.close()


def order(order_id: str, status: str, ship_by_hours: float | None, auto_cancel: int | None) -> None:
    payload = {"id": order_id, "cancel_order_sla_time": auto_cancel} if auto_cancel else {}
    TikTokOrderRow.create(
        order_id=order_id, status=status, created_at=T0, update_time=1,
        ship_by=T0 + ship_by_hours * H if ship_by_hours is not None else None,
        total=Decimal("42.00"), currency="USD", payload=json.dumps(payload), updated_at=T0,
    )  # fmt: skip


def test_one_queue_of_everything_open_soonest_first(database: peewee.SqliteDatabase) -> None:
    answer = SellerAction("SELLER_RESPOND_REFUND", T0 + 30 * H)
    refund_only = a_return(return_type=ReturnType.REFUND,
                           status="RETURN_OR_REFUND_REQUEST_PENDING",
                           actions=(answer,))  # fmt: skip
    receive = SellerAction("SELLER_RESPOND_RECEIVE_PACKAGE", T0 + 3 * H)
    parcel = replace(a_return(status="BUYER_SHIPPED_ITEM", amount=refund("12.00"),
                              actions=(receive,)), return_id="R-parcel")  # fmt: skip
    disputed = replace(a_return(status="REFUND_OR_RETURN_REQUEST_REJECT",
                                arbitration=Arbitration.IN_PROGRESS,
                                actions=(SellerAction("SELLER_RESPOND_RETURN", T0 + 50 * H),)),
                       return_id="R-dispute")  # fmt: skip
    closed = replace(a_return(), return_id="R-closed")
    cancel = a_cancellation(
        status="CANCELLATION_REQUEST_PENDING",
        actions=(SellerAction("SELLER_RESPOND_BUYER_CANCEL", T0 + 2 * H),),
    )
    store_returns([(refund_only, "{}"), (parcel, "{}"), (disputed, "{}"), (closed, "{}")], T0)
    store_cancellations([(cancel, "{}")], T0)
    order("O-late", "AWAITING_SHIPMENT", -1, int((T0 + 70 * H).timestamp()))
    order("O-soon", "AWAITING_SHIPMENT", 90, int((T0 + 80 * H).timestamp()))
    order("O-shipped", "IN_TRANSIT", 1, None)
    order("O-nodate", "AWAITING_SHIPMENT", None, None)

    queue = open_deadlines()

    summary = [(d.kind, d.order_id if d.kind is DeadlineKind.SHIP_BY else d.request_id,
                d.deadline - T0) for d in queue]  # fmt: skip
    assert summary == [
        (DeadlineKind.SHIP_BY, "O-late", -H),
        (DeadlineKind.CANCELLATION_RESPONSE, cancel.cancel_id, 2 * H),
        (DeadlineKind.RECEIVE_PACKAGE, "R-parcel", 3 * H),
        (DeadlineKind.RETURN_RESPONSE, refund_only.return_id, 30 * H),
        (DeadlineKind.DISPUTE_RESPONSE, "R-dispute", 50 * H),
        (DeadlineKind.SHIP_BY, "O-soon", 80 * H),  # TikTok's auto-cancel, before ship-by
    ]
    by_kind = {d.kind: d for d in queue}
    assert by_kind[DeadlineKind.RETURN_RESPONSE].at_zero == "auto-approves a $24.90 refund"
    assert queue[0].at_zero == (
        "counts the order late against the shop, and cancels it 2 days later"
    )
    assert queue[-1].at_zero == "cancels the order and refunds $42.00"
    assert queue[-1].code == "AUTO_CANCEL" and queue[0].code == "SHIP_BY"


def test_notification_marks_make_a_crossing_raise_once(database: peewee.SqliteDatabase) -> None:
    pending = a_return(
        status="RETURN_OR_REFUND_REQUEST_PENDING",
        actions=(SellerAction("SELLER_RESPOND_RETURN", T0 + 30 * H),),
    )
    store_returns([(pending, "{}")], T0)
    now = T0 + 7 * H  # 23 h left: the 24 h threshold is crossed

    first = notifications_due(open_deadlines(), DEFAULT_THRESHOLDS, now, notified())
    mark_notified(first, now)
    mark_notified(first, now)  # a replay writes nothing new
    again = notifications_due(open_deadlines(), DEFAULT_THRESHOLDS, now + H, notified())

    assert [n.threshold for n in first] == [24 * H] and again == []
    assert notified() == {(first[0].deadline.key, 24 * H)}
    assert forget_notifications(now) == 0 and forget_notifications(now + H) == 1
    assert notified() == set()


def test_snoozes_run_until_their_end(database: peewee.SqliteDatabase) -> None:
    snooze("a", T0 + H)
    snooze("b", T0 - H)  # already over
    snooze("a", T0 + 2 * H)  # replaces
    assert active_snoozes(T0) == {"a": T0 + 2 * H}
    unsnooze("a")
    assert active_snoozes(T0) == {}


def test_an_empty_database_has_an_empty_queue(database: peewee.SqliteDatabase) -> None:
    assert open_deadlines() == [] and notified() == set()
