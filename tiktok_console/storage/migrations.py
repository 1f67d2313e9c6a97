"""Schema migrations: an ordered list, versioned in ``PRAGMA user_version``.

Before any migration runs on an existing database, the file is copied to a
dated backup beside it; then all pending migrations run in one transaction, so
a failure leaves the database exactly as it was. Migrations are plain SQL,
frozen in time: later changes to the peewee tables never alter old steps.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import peewee

from tiktok_console.storage import schema_barcodes
from tiktok_console.storage.aftersales import schema as schema_aftersales
from tiktok_console.storage.catalog import schema as schema_catalog
from tiktok_console.storage.errors import DatabaseTooNewError
from tiktok_console.storage.fulfillment import schema as schema_fulfillment
from tiktok_console.storage.inventory import schema as schema_inventory
from tiktok_console.storage.inventory import schema_names
from tiktok_console.storage.payouts import schema as schema_payouts
from tiktok_console.storage.payouts import schema_shopify as schema_payouts_shopify

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    """One step from ``version - 1`` to ``version``."""

    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "activity log and sync job state",
        (
            """CREATE TABLE activity_row (
                id INTEGER NOT NULL PRIMARY KEY,
                at TEXT NOT NULL,
                level VARCHAR(16) NOT NULL,
                job VARCHAR(64) NOT NULL,
                action VARCHAR(64) NOT NULL,
                subject VARCHAR(255) NOT NULL DEFAULT '',
                message TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT '',
                retryable INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX activity_row_at ON activity_row (at)",
            "CREATE INDEX activity_row_job ON activity_row (job)",
            """CREATE TABLE job_state_row (
                name VARCHAR(64) NOT NULL PRIMARY KEY,
                cursor TEXT NOT NULL DEFAULT '',
                paused INTEGER NOT NULL DEFAULT 0,
                last_success_at TEXT,
                last_error TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "connected store accounts (no secrets: tokens stay in the keyring)",
        (
            """CREATE TABLE account_row (
                store VARCHAR(16) NOT NULL PRIMARY KEY,
                account_key VARCHAR(255) NOT NULL,
                shop VARCHAR(255) NOT NULL,
                shop_name VARCHAR(255) NOT NULL DEFAULT '',
                region VARCHAR(8) NOT NULL DEFAULT '',
                scopes TEXT NOT NULL DEFAULT '',
                app_id VARCHAR(255) NOT NULL DEFAULT '',
                api_url VARCHAR(512) NOT NULL DEFAULT '',
                auth_url VARCHAR(512) NOT NULL DEFAULT '',
                authorize_url VARCHAR(1024) NOT NULL DEFAULT '',
                open_id VARCHAR(255) NOT NULL DEFAULT '',
                shop_cipher VARCHAR(255) NOT NULL DEFAULT '',
                expiring INTEGER NOT NULL DEFAULT 0,
                demo INTEGER NOT NULL DEFAULT 0,
                connected_at TEXT NOT NULL,
                token_expires_at TEXT,
                last_success_at TEXT,
                last_error TEXT NOT NULL DEFAULT ''
            )""",
        ),
    ),
    Migration(
        3,
        "TikTok orders and their Shopify twins, Shopify variants, SKU mappings, intent journal",
        (
            """CREATE TABLE tiktok_order_row (
                order_id VARCHAR(64) NOT NULL PRIMARY KEY,
                status VARCHAR(32) NOT NULL,
                created_at TEXT NOT NULL,
                update_time INTEGER NOT NULL,
                fulfillment_type VARCHAR(32) NOT NULL DEFAULT '',
                ship_by TEXT,
                total TEXT NOT NULL DEFAULT '0',
                currency VARCHAR(3) NOT NULL DEFAULT '',
                payload TEXT NOT NULL,
                sync_state VARCHAR(16) NOT NULL DEFAULT 'pending',
                reason TEXT NOT NULL DEFAULT '',
                unmapped TEXT NOT NULL DEFAULT '',
                shopify_order_id VARCHAR(128) NOT NULL DEFAULT '',
                shopify_order_name VARCHAR(64) NOT NULL DEFAULT '',
                created_elsewhere INTEGER NOT NULL DEFAULT 0,
                shopify_cancelled INTEGER NOT NULL DEFAULT 0,
                synced_at TEXT,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX tiktok_order_row_state ON tiktok_order_row (sync_state)",
            "CREATE INDEX tiktok_order_row_update ON tiktok_order_row (update_time)",
            """CREATE TABLE shopify_variant_row (
                variant_id VARCHAR(128) NOT NULL PRIMARY KEY,
                sku VARCHAR(255) NOT NULL DEFAULT '',
                barcode VARCHAR(64) NOT NULL DEFAULT '',
                title VARCHAR(512) NOT NULL DEFAULT '',
                product_id VARCHAR(128) NOT NULL DEFAULT '',
                inventory_item_id VARCHAR(128) NOT NULL DEFAULT '',
                price TEXT NOT NULL DEFAULT '0',
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX shopify_variant_row_sku ON shopify_variant_row (sku)",
            """CREATE TABLE sku_mapping_row (
                tiktok_sku_id VARCHAR(64) NOT NULL PRIMARY KEY,
                seller_sku VARCHAR(255) NOT NULL DEFAULT '',
                shopify_variant_id VARCHAR(128) NOT NULL,
                source VARCHAR(32) NOT NULL,
                created_at TEXT NOT NULL,
                used_at TEXT
            )""",
            """CREATE TABLE intent_row (
                key VARCHAR(255) NOT NULL PRIMARY KEY,
                kind VARCHAR(64) NOT NULL,
                subject VARCHAR(128) NOT NULL,
                status VARCHAR(16) NOT NULL,
                payload TEXT NOT NULL DEFAULT '',
                result TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX intent_row_status ON intent_row (status)",
        ),
    ),
    Migration(
        4,
        "inventory: TikTok SKUs, stock rules, Shopify stock, the stock ledger, livestreams",
        schema_inventory.STATEMENTS,
    ),
    Migration(
        5,
        "fulfillment: Shopify shipments on TikTok orders, carrier mappings, TikTok providers",
        schema_fulfillment.STATEMENTS,
    ),
    Migration(
        6,
        "TikTok SKU barcodes for suggestions; a send-as-is flag on Shopify fulfillments",
        schema_barcodes.STATEMENTS,
    ),
    Migration(7, schema_aftersales.DESCRIPTION, schema_aftersales.STATEMENTS),
    Migration(8, schema_payouts.DESCRIPTION, schema_payouts.STATEMENTS),
    Migration(9, schema_catalog.DESCRIPTION, schema_catalog.STATEMENTS),
    Migration(
        10,
        "each store's health (state, since, reason); repeated activity rows counted",
        (
            "ALTER TABLE account_row ADD COLUMN health VARCHAR(16) NOT NULL DEFAULT 'ok'",
            "ALTER TABLE account_row ADD COLUMN health_since TEXT",
            "ALTER TABLE account_row ADD COLUMN health_reason TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE activity_row ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE activity_row ADD COLUMN first_at TEXT",
        ),
    ),
    Migration(11, schema_names.DESCRIPTION, schema_names.STATEMENTS),
    Migration(14, schema_payouts_shopify.DESCRIPTION, schema_payouts_shopify.STATEMENTS),
)

LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(database: peewee.SqliteDatabase) -> int:
    """The schema version recorded in the file (0 for a new database)."""
    return int(database.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(
    database: peewee.SqliteDatabase,
    path: Path,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> Path | None:
    """Bring the database up to the newest schema; returns the backup made, if any.

    Raises:
        DatabaseTooNewError: the file's version is above the newest migration.
    """
    latest = migrations[-1].version
    current = schema_version(database)
    if current > latest:
        raise DatabaseTooNewError(path, current, latest)
    if current == latest:
        return None
    backup = backup_database(database, path, current) if current > 0 else None
    pending = [m for m in migrations if m.version > current]
    with database.atomic():
        for migration in pending:
            log.info(
                "Migrating database to schema %d: %s", migration.version, migration.description
            )
            for statement in migration.statements:
                database.execute_sql(statement)
        database.execute_sql(f"PRAGMA user_version = {int(latest)}")
    return backup


def backup_database(database: peewee.SqliteDatabase, path: Path, version: int) -> Path:
    """Copy the database (WAL included, through SQLite's backup API) beside itself."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    # Created private first: it holds the same buyer data as the database.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
    destination = sqlite3.connect(target)
    try:
        database.connection().backup(destination)
    finally:
        destination.close()
    log.info("Database backed up to %s before migrating", target)
    return target
