"""The read queries of the Orphan orders, Activity and Overview pages, on a real database."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db, open_database
from tiktok_console.storage.orders.views import (
    MIXED,
    orders_for_sku,
    orders_released,
    orphan_skus,
    recent_activity,
    today_counts,
)
from tiktok_console.storage.tables import TikTokOrderRow

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is New York's, so "today" is not UTC's day."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def line(sku_id: str, seller_sku: str = "", product: str = "", name: str = "") -> dict[str, Any]:
    return {
        "id": f"L{sku_id}",
        "sku_id": sku_id,
        "seller_sku": seller_sku or f"SS-{sku_id}",
        "product_name": product or f"Product {sku_id}",
        "sku_name": name or f"Variant {sku_id}",
        "sale_price": "1.00",
    }


def order(
    order_id: str,
    *,
    lines: list[dict[str, Any]] | None = None,
    unmapped: str = "",
    state: str = "orphan",
    status: str = "AWAITING_SHIPMENT",
    total: str = "10.00",
    currency: str = "USD",
    created: datetime = T0,
    ship_by: datetime | None = None,
    synced_at: datetime | None = None,
    payload: str | None = None,
) -> None:
    TikTokOrderRow.create(
        order_id=order_id,
        status=status,
        created_at=created,
        update_time=int(created.timestamp()),
        ship_by=ship_by,
        total=Decimal(total),
        currency=currency,
        payload=payload if payload is not None else json.dumps({"line_items": lines or []}),
        sync_state=state,
        reason="Not in Shopify yet" if state == "orphan" else "",
        unmapped=unmapped,
        synced_at=synced_at,
        updated_at=created,
    )


# -- orphan SKUs --------------------------------------------------------------------


def test_one_row_per_unmapped_sku_with_counts_value_and_deadlines(database) -> None:
    # TikTok sends one line per unit: three lines of s1 are still one order.
    units = [line("s1", "TEE-RED-M", "Cotton Tee", "Red, M")] * 3
    order(
        "A",
        lines=[*units, line("s9")],
        unmapped="s1",
        total="10.50",
        created=T0,
        ship_by=T0 + timedelta(hours=30),
    )
    order(
        "B",
        lines=[line("s1"), line("s2", "MUG-1", "Mug", "Blue")],
        unmapped="s1,s2",
        total="20.25",
        created=T0 - timedelta(days=2),
        ship_by=T0 + timedelta(hours=5),
    )
    order("C", lines=[line("s3")], unmapped="s3", total="1.00", ship_by=None)
    order("D", lines=[line("s1")], state="created", total="99.00")  # in Shopify: not an orphan

    rows = {row.sku_id: row for row in orphan_skus()}

    assert set(rows) == {"s1", "s2", "s3"}
    s1 = rows["s1"]
    assert (s1.seller_sku, s1.product_name, s1.sku_name) == ("TEE-RED-M", "Cotton Tee", "Red, M")
    assert s1.title == "Cotton Tee - Red, M"
    assert s1.orders_blocked == 2
    assert s1.value_blocked == Decimal("30.75")
    assert s1.currency == "USD"
    assert s1.oldest_order == T0 - timedelta(days=2)
    assert s1.ship_by == T0 + timedelta(hours=5)
    assert sorted(s1.order_ids) == ["A", "B"]
    assert s1.also_waiting_for == {"s2"}
    assert rows["s2"].also_waiting_for == {"s1"}
    assert rows["s2"].value_blocked == Decimal("20.25")


def test_sorted_by_nearest_deadline_with_no_deadline_last(database) -> None:
    order("A", lines=[line("late")], unmapped="late", ship_by=T0 + timedelta(days=3))
    order("B", lines=[line("none")], unmapped="none", ship_by=None)
    order("C", lines=[line("soon")], unmapped="soon", ship_by=T0 + timedelta(hours=2))
    assert [row.sku_id for row in orphan_skus()] == ["soon", "late", "none"]


def test_a_sku_missing_from_the_payload_or_a_broken_payload_is_still_listed(database) -> None:
    order("A", lines=[line("other")], unmapped="ghost")
    order("B", payload="{not json", unmapped="broken")
    rows = {row.sku_id: row for row in orphan_skus()}
    assert set(rows) == {"ghost", "broken"}
    assert rows["ghost"].product_name == "" and rows["ghost"].orders_blocked == 1
    assert rows["ghost"].title == ""


def test_totals_in_two_currencies_are_marked_not_mixed_silently(database) -> None:
    order("A", lines=[line("s1")], unmapped="s1", currency="USD")
    order("B", lines=[line("s1")], unmapped="s1", currency="GBP")
    assert orphan_skus()[0].currency == MIXED


def test_no_orphans_no_rows(database) -> None:
    order("A", lines=[line("s1")], state="linked")
    assert orphan_skus() == []


orders_strategy = st.lists(
    st.tuples(
        st.sets(st.sampled_from(["a", "b", "c", "d"]), max_size=3),
        st.decimals(min_value=0, max_value=10_000, places=2),
        st.sampled_from(["orphan", "pending", "created"]),
        st.integers(min_value=-48, max_value=48) | st.none(),
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(orders_strategy)
def test_orphan_rows_agree_with_a_plain_count(database, generated) -> None:
    TikTokOrderRow.delete().execute()
    expected: dict[str, tuple[int, Decimal]] = {}
    for number, (skus, total, state, hours) in enumerate(generated):
        deadline = None if hours is None else T0 + timedelta(hours=hours)
        unmapped = ",".join(sorted(skus)) if state == "orphan" else ""
        lines = [line(s) for s in sorted(skus)] * 2
        order(f"o{number}", lines=lines, unmapped=unmapped, state=state, total=str(total),
              ship_by=deadline)  # fmt: skip
        for sku in skus if state == "orphan" else ():
            count, value = expected.get(sku, (0, Decimal(0)))
            expected[sku] = (count + 1, value + total)
    rows = orphan_skus()
    assert {r.sku_id: (r.orders_blocked, r.value_blocked) for r in rows} == expected
    keys = [(r.ship_by is None, r.ship_by or r.oldest_order) for r in rows]
    assert keys == sorted(keys)


def test_orders_released_only_when_all_their_skus_are_mapped(database) -> None:
    order("A", lines=[line("s1")], unmapped="s1")
    order("B", lines=[line("s1"), line("s2")], unmapped="s1,s2")
    order("C", lines=[line("s2")], unmapped="s2")
    rows = orphan_skus()
    assert orders_released(rows, ["s1"]) == {"A"}
    assert orders_released(rows, ["s2"]) == {"C"}
    assert orders_released(rows, ["s1", "s2"]) == {"A", "B", "C"}
    assert orders_released(rows, ["zzz"]) == set()


def test_orders_for_a_sku_match_the_whole_id_nearest_deadline_first(database) -> None:
    order("A", lines=[line("s1")], unmapped="s1", ship_by=None, total="3.10")
    order("B", lines=[line("s1")], unmapped="s10,s1", ship_by=T0 + timedelta(hours=1))
    order("C", lines=[line("s10")], unmapped="s10")  # s10 is not s1
    order("D", lines=[line("s1")], state="pending")  # released already
    found = orders_for_sku("s1")
    assert [o.order_id for o in found] == ["B", "A"]
    assert found[0].unmapped == ("s10", "s1")
    assert found[1].total == Decimal("3.10") and found[1].currency == "USD"
    assert found[1].reason == "Not in Shopify yet"
    assert orders_for_sku("nope") == []


# -- activity -----------------------------------------------------------------------


def test_recent_activity_newest_first_with_level_search_and_limit(database) -> None:
    for minute in range(5):
        record_activity(
            "orders",
            "create",
            f"Created #{1000 + minute}",
            subject=f"T{minute}",
            at=T0 + timedelta(minutes=minute),
        )
    record_activity(
        "orders",
        "create",
        "Shopify refused the order: 100% off",
        level="error",
        subject="T9",
        detail="HTTP 422",
        retryable=True,
        at=T0 + timedelta(hours=1),
    )
    record_activity("variants", "pull", "Pulled 3 variants", at=T0 - timedelta(days=1))

    entries = recent_activity()
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert entries[0].level == "error" and entries[0].retryable and entries[0].detail == "HTTP 422"
    assert len(recent_activity(limit=3)) == 3
    assert [e.subject for e in recent_activity(level="error")] == ["T9"]
    assert [e.subject for e in recent_activity(search="#1003")] == ["T3"]
    assert [e.job for e in recent_activity(search="VARIANTS")] == ["variants"]
    assert [e.subject for e in recent_activity(search="http 4")] == ["T9"]  # the detail
    # A percent sign is text, not a wildcard.
    assert [e.subject for e in recent_activity(search="100%")] == ["T9"]
    assert recent_activity(search="%") == recent_activity(search="100%")
    assert recent_activity(level="error", search="Created") == []


def test_entries_with_the_same_time_come_newest_written_first(database) -> None:
    record_activity("orders", "a", "first", at=T0)
    record_activity("orders", "b", "second", at=T0)
    assert [e.message for e in recent_activity()] == ["second", "first"]


# -- today --------------------------------------------------------------------------


def test_today_counts_use_the_local_day(database, new_york) -> None:
    now = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # 22:00 on 2 March in New York
    local_midnight = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 00:00 on 2 March in New York
    tonight = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)
    order("s1", state="created", synced_at=local_midnight + timedelta(minutes=1))
    order("s2", state="linked", synced_at=now)
    order("s3", state="created", synced_at=local_midnight - timedelta(minutes=1))  # yesterday
    order("o1", unmapped="x")
    order("o2", unmapped="y", status="AWAITING_SHIPMENT", ship_by=tonight - timedelta(minutes=1))
    order("f1", state="failed", status="AWAITING_SHIPMENT", ship_by=now - timedelta(days=1))
    order("w1", state="pending", status="AWAITING_SHIPMENT", ship_by=tonight)  # tomorrow
    order("w2", state="created", status="AWAITING_COLLECTION", ship_by=now)  # already shipped
    order("w3", state="pending", status="AWAITING_SHIPMENT", ship_by=None)

    assert today_counts(now) == {
        "synced_today": 2,
        "orphans": 2,
        "failed": 1,
        # o2 before midnight, f1 overdue; s1/s2/s3 have no deadline
        "to_ship_today": 2,
    }


def test_today_counts_on_an_empty_database_are_zero(database) -> None:
    assert set(today_counts().values()) == {0}


# -- scale --------------------------------------------------------------------------


def insert_fast(rows: list[dict[str, Any]]) -> None:
    """Many orders at once, converted by the table's own fields (peewee's insert is slow)."""
    fields = [TikTokOrderRow._meta.fields[name] for name in rows[0]]
    columns = ", ".join(f.column_name for f in fields)
    marks = ", ".join("?" for _ in fields)
    values = [[f.db_value(row[f.name]) for f in fields] for row in rows]
    sql = f'INSERT INTO "{TikTokOrderRow._meta.table_name}" ({columns}) VALUES ({marks})'
    with db.atomic():
        db.connection().executemany(sql, values)


def test_fifty_thousand_orders_are_read_quickly(database) -> None:
    payload = json.dumps({"line_items": [line("x1"), line("x2")] * 2})
    now = datetime.now(UTC)
    rows = []
    for n in range(50_000):
        orphan = n % 10 == 0
        sku = f"sku{n % 700}"
        rows.append({
            "order_id": f"{n:08d}", "status": "AWAITING_SHIPMENT", "created_at": now,
            "update_time": n, "ship_by": now + timedelta(hours=n % 72), "total": Decimal("12.34"),
            "currency": "USD", "sync_state": "orphan" if orphan else "created",
            "payload": payload.replace("x1", sku), "unmapped": sku if orphan else "",
            "synced_at": None if orphan else now, "updated_at": now,
        })  # fmt: skip
    insert_fast(rows)

    began = time.perf_counter()
    skus = orphan_skus()
    counts = today_counts()
    elapsed = time.perf_counter() - began

    assert len(skus) == 70  # n % 10 == 0 leaves the SKUs that are multiples of 10 apart
    assert sum(s.orders_blocked for s in skus) == 5_000
    assert sum(s.value_blocked for s in skus) == Decimal("12.34") * 5_000
    assert skus[0].product_name == f"Product {skus[0].sku_id}"
    assert counts["orphans"] == 5_000
    assert elapsed < 3.0, f"{elapsed:.2f} s"
