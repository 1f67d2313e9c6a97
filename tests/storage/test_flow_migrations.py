"""Each flow's migration upgrades a database of the schema before it: backed up, its tables
added, the orders it held kept.

One test per step, the same for every flow: the database is built with the
migrations before the step, holds an order, then gets the step (as an older
profile meets a newer app).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import peewee
import pytest

from tiktok_console.storage.aftersales import schema as aftersales
from tiktok_console.storage.catalog import schema as catalog
from tiktok_console.storage.catalog.tables import CatalogProductRow
from tiktok_console.storage.database import PRAGMAS
from tiktok_console.storage.migrations import MIGRATIONS, migrate, schema_version
from tiktok_console.storage.payouts import schema as payouts
from tiktok_console.storage.payouts import schema_shopify as payouts_shopify

NOW = datetime(2026, 5, 4, tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    """A flow's migration: its statements, its version, the tables it adds."""

    flow: str
    statements: Sequence[str]
    version: int
    tables: frozenset[str]


STEPS = [
    Step("aftersales", aftersales.STATEMENTS, 7, frozenset({
        "tiktok_return_row", "tiktok_cancellation_row", "tiktok_dispute_row",
        "deadline_notification_row", "deadline_snooze_row",
    })),
    Step("payouts", payouts.STATEMENTS, 8, frozenset({
        "payout_statement_row", "payout_payment_row", "payout_withdrawal_row",
        "payout_line_row", "payout_unsettled_row", "bank_deposit_row", "bank_mapping_row",
        "payout_review_row", "payout_result_row",
    })),
    Step("catalog", catalog.STATEMENTS, 9, frozenset({"catalog_product_row", "catalog_image_row"})),
    Step("payouts_shopify", payouts_shopify.STATEMENTS, 14,
         frozenset({"payout_shopify_order_row"})),
]  # fmt: skip


def _upgraded(tmp_path: Path, step: Step) -> tuple[peewee.SqliteDatabase, Path | None]:
    """A database of the schema before ``step`` holding order O1, then migrated by it."""
    [migration] = [m for m in MIGRATIONS if m.statements == step.statements]
    assert migration.version == step.version
    previous = tuple(m for m in MIGRATIONS if m.version < migration.version)
    path = tmp_path / "db.sqlite3"
    database = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS)
    database.connect()
    migrate(database, path, migrations=previous)
    database.execute_sql(
        "INSERT INTO tiktok_order_row (order_id, status, created_at, update_time, payload,"
        " updated_at) VALUES ('O1', 'AWAITING_SHIPMENT', ?, 1, '{}', ?)",
        (NOW.isoformat(), NOW.isoformat()),
    )
    return database, migrate(database, path, migrations=(*previous, migration))


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.flow)
def test_a_previous_database_is_backed_up_and_migrated_with_its_orders_kept(
    tmp_path: Path, step: Step
) -> None:
    database, backup = _upgraded(tmp_path, step)
    try:
        assert backup is not None and backup.exists()
        assert schema_version(database) == step.version
        tables = {
            t for (t,) in database.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert step.tables <= tables
        assert database.execute_sql("SELECT order_id FROM tiktok_order_row").fetchall() == [("O1",)]
    finally:
        database.close()


def test_the_catalog_tables_have_the_columns_the_models_read(tmp_path: Path) -> None:
    database, _backup = _upgraded(tmp_path, STEPS[-1])
    try:
        columns = {c.name for c in database.get_columns("catalog_product_row")}
        assert columns == set(CatalogProductRow._meta.columns)  # type: ignore[attr-defined]
    finally:
        database.close()
