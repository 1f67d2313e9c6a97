"""Pulled returns and cancellations kept once by id, newest copy winning; mirrored refunds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import peewee
import pytest

from tests.domain.aftersales_views import T0, a_cancellation, a_return, refund, usd
from tests.storage.aftersales_database import open_aftersales_database
from tiktok_console.domain.aftersales import (
    Arbitration,
    RequestLine,
    ReturnType,
    SellerAction,
)
from tiktok_console.storage.aftersales import tables
from tiktok_console.storage.aftersales.requests import (
    cancellation_view,
    disputes,
    record_shopify_refund,
    refunds_to_mirror,
    return_view,
    shopify_refund_id,
    store_cancellations,
    store_returns,
)
from tiktok_console.storage.aftersales.tables import TikTokDisputeRow, TikTokReturnRow

NOW = T0 + timedelta(days=1)
H = timedelta(hours=1)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    opened = open_aftersales_database(tmp_path / "db.sqlite3")
    yield opened
    opened.close()


def test_the_tables_match_the_migration(database: peewee.SqliteDatabase) -> None:
    rows = [m for m in vars(tables).values()
            if isinstance(m, type) and issubclass(m, tables.BaseRow) and m._meta.table_name
            and m.__name__.endswith("Row") and not m.__name__.startswith("_")
            and m is not tables.BaseRow]  # fmt: skip
    assert len(rows) == 5
    for model in rows:
        columns = {c.name for c in database.get_columns(model._meta.table_name)}
        assert {f.column_name for f in model._meta.sorted_fields} == columns, model.__name__


def test_a_return_comes_back_as_it_was_stored(database: peewee.SqliteDatabase) -> None:
    lines = (RequestLine("L1", "SKU-A", "TEE-S", "Tee", refund("10.00", tax="0.80")),
             RequestLine("L2", "SKU-B"))  # fmt: skip
    view = a_return(status="RETURN_OR_REFUND_REQUEST_PENDING", lines=lines,
                    actions=(SellerAction("SELLER_RESPOND_RETURN", T0 + 48 * H),),
                    amount=refund("29.90", shipping="5.00", tax="1.60"))  # fmt: skip
    assert store_returns([(view, '{"return_id": "x"}')], NOW) == [view.return_id]
    assert return_view(view.return_id) == view
    row = TikTokReturnRow.get()
    assert row.payload == '{"return_id": "x"}' and row.deadline == T0 + 48 * H
    assert return_view("nope") is None


def test_an_older_copy_never_replaces_a_newer_one_but_its_status_joins_the_history(
    database: peewee.SqliteDatabase,
) -> None:
    shipped = a_return(status="BUYER_SHIPPED_ITEM")
    done = replace(a_return(), updated_at=shipped.updated_at + H)
    store_returns([(done, "{}")], NOW)
    assert store_returns([(shipped, "{}")], NOW) == []  # late page: older
    stored = return_view(done.return_id)
    assert stored is not None and stored.status == done.status
    assert stored.parcel_received  # BUYER_SHIPPED_ITEM came late, still counts
    assert store_returns([(done, "{}"), (done, "{}")], NOW) == [done.return_id] * 2
    assert TikTokReturnRow.select().count() == 1


def test_a_recorded_shopify_refund_survives_every_pull(database: peewee.SqliteDatabase) -> None:
    done = a_return()
    store_returns([(done, "{}")], NOW)
    assert refunds_to_mirror() == [done]
    assert record_shopify_refund(done.return_id, "gid://shopify/Refund/1", NOW)
    store_returns([(replace(done, updated_at=done.updated_at + H), "{}")], NOW)
    assert shopify_refund_id(done.return_id) == "gid://shopify/Refund/1"
    assert refunds_to_mirror() == []
    assert record_shopify_refund(done.return_id, "gid://shopify/Refund/1", NOW)  # same: fine
    with pytest.raises(ValueError, match="already mirrored"):
        record_shopify_refund(done.return_id, "gid://shopify/Refund/2", NOW)
    assert not record_shopify_refund("unknown", "gid://shopify/Refund/3", NOW)
    assert shopify_refund_id("unknown") == ""


def test_only_refunded_unmirrored_requests_are_to_mirror(database: peewee.SqliteDatabase) -> None:
    pending = replace(a_return(status="RETURN_OR_REFUND_REQUEST_PENDING"), return_id="R-pending")
    done = replace(a_return(), updated_at=T0 + 3 * H)
    cancelled = replace(a_cancellation(replenish=False), updated_at=T0 + 2 * H)
    rejected = replace(a_cancellation(status="CANCELLATION_REQUEST_CANCEL"), cancel_id="C-no")
    store_returns([(pending, "{}"), (done, "{}")], NOW)
    store_cancellations([(cancelled, "{}"), (rejected, "{}")], NOW)
    assert refunds_to_mirror() == [cancelled, done]  # oldest update first
    assert cancellation_view(cancelled.cancel_id) == cancelled
    assert record_shopify_refund(cancelled.cancel_id, "gid://shopify/Refund/9", NOW)
    assert refunds_to_mirror() == [done]


def test_a_dispute_is_kept_and_follows_the_platform(database: peewee.SqliteDatabase) -> None:
    answer = SellerAction("SELLER_RESPOND_REFUND", T0 + 5 * H)
    disputed = a_return(status="REFUND_OR_RETURN_REQUEST_REJECT",
                        arbitration=Arbitration.IN_PROGRESS, return_type=ReturnType.REFUND,
                        actions=(answer,))  # fmt: skip
    store_returns([(disputed, "{}")], NOW)
    [open_dispute] = disputes()
    assert (open_dispute.open, open_dispute.deadline) == (True, T0 + 5 * H)
    row = TikTokDisputeRow.get()
    assert (row.arbitration_status, row.deadline, str(row.amount)) == ("IN_PROGRESS", T0 + 5 * H,
                                                                       "24.90")  # fmt: skip
    won = replace(disputed, arbitration=Arbitration.SUPPORT_SELLER, next_actions=(),
                  updated_at=disputed.updated_at + H)  # fmt: skip
    store_returns([(won, "{}")], NOW + H)
    row = TikTokDisputeRow.get()
    assert (row.arbitration_status, row.deadline, row.opened_at) == ("SUPPORT_SELLER", None, NOW)
    assert disputes() == []
    [decided] = disputes(open_only=False)
    assert (decided.return_id, decided.arbitration, decided.amount) == (
        disputed.return_id, Arbitration.SUPPORT_SELLER, usd("24.90"))  # fmt: skip
