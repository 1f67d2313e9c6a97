"""Payouts storage: settlement lines that round-trip exactly and count once whatever the
source (migration 8 is in ``test_flow_migrations.py`` with the other flows')."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine
from tiktok_console.storage.database import open_database
from tiktok_console.storage.payouts.lines import line_count, load_lines, store_lines

NOW = datetime(2026, 5, 4, tzinfo=UTC)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[peewee.SqliteDatabase]:
    opened = open_database(tmp_path_factory.mktemp("db") / "db.sqlite3")
    yield opened
    opened.close()


cents = st.integers(-(10**7), 10**7).map(lambda n: Decimal(n).scaleb(-2))
amounts = st.dictionaries(
    st.sampled_from([Field.SUBTOTAL_BEFORE_DISCOUNTS, Field.SELLER_DISCOUNTS,
                     Field.REFERRAL_FEE, Field.TRANSACTION_FEE, Field.ACTUAL_SHIPPING_FEE]),
    cents, min_size=1,
)  # fmt: skip


@st.composite
def lines(draw: st.DrawFn) -> SettlementLine:
    parts = draw(amounts)
    settled = NOW + timedelta(days=draw(st.integers(0, 40)), seconds=draw(st.integers(0, 86399)))
    return SettlementLine(
        draw(st.sampled_from([LineKind.ORDER, LineKind.REFUND])), "Order",
        draw(st.from_regex(r"57[0-9]{8}", fullmatch=True)), "",
        draw(st.sampled_from(["", "1729000111", "1729000222"])), "USD",
        sum(parts.values(), Decimal(0)), parts, parts,
        draw(st.sampled_from(["S1", "S2"])), "", "", "", draw(st.none() | st.integers(1, 5)),
        settled - timedelta(days=3), settled, None, (), "api",
    )  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(lines(), max_size=12))
def test_lines_round_trip_exactly_and_each_settlement_counts_once(
    database: peewee.SqliteDatabase, drawn: list[SettlementLine]
) -> None:
    database.execute_sql("DELETE FROM payout_line_row")
    with database.atomic():
        store_lines(drawn, "api")
        store_lines(drawn, "api")  # the same again: the same rows
        store_lines([line._replace(source="import") for line in drawn], "import")
    stored = load_lines()
    assert stored.conflicts == ()
    by_key = {}
    for line in drawn:  # the newest copy of each settlement wins, as a re-import rewrites it
        by_key[(line.kind, line.order_id, line.sku_id, "", line.settled_time.date())] = line
    assert len(stored.lines) == len(by_key) == line_count() // 2
    assert {line.source for line in stored.lines} <= {"both"}
    got = {(ln.kind, ln.order_id, ln.sku_id, "", ln.settled_time.date()): ln for ln in stored.lines}
    for key, line in by_key.items():
        back = got[key]
        assert (back.settlement, dict(back.parts), back.quantity, back.settled_time) == (
            line.settlement, dict(line.parts), line.quantity, line.settled_time,
        )  # fmt: skip
