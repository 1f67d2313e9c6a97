"""The names pages show come from Shopify: each variant's own name, each location's name.

Read over HTTP from the sandbox by the real jobs and clients, then checked
against the sandbox's own records (what the merchant sees in the Shopify admin).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import peewee

from tests.sync.conftest import Connected
from tiktok_console.storage.database import PRAGMAS
from tiktok_console.storage.inventory import schema_names
from tiktok_console.storage.inventory.locations import location_choices, location_names
from tiktok_console.storage.inventory.tables import ShopifyLocationRow, TikTokSkuRow
from tiktok_console.storage.inventory.views import inventory_skus
from tiktok_console.storage.migrations import MIGRATIONS, migrate, schema_version
from tiktok_console.storage.tables import ShopifyVariantRow, SkuMappingRow
from tiktok_console.sync.locations import read_locations

NOW = datetime(2026, 5, 4, tzinfo=UTC)


def _store_variant(connected: Connected) -> tuple[str, str, str]:
    """A Shopify variant (gid, its own name, its product's title) of a product with
    several variants."""
    store = connected.sandbox.world.shopify
    counts: dict[int, int] = {}
    for variant in store.variants.values():
        counts[variant.product_id] = counts.get(variant.product_id, 0) + 1
    for variant in store.variants.values():
        if counts[variant.product_id] > 1:
            product = store.products[variant.product_id]
            return f"gid://shopify/ProductVariant/{variant.id}", variant.title, product.title
    raise AssertionError("the world has no such variant")


def _tiktok_sku_mapped_to(sku_id: str, variant_gid: str) -> None:
    TikTokSkuRow.create(sku_id=sku_id, product_id="p", seller_sku=sku_id, title="TikTok title",
                        read_at=NOW, updated_at=NOW)  # fmt: skip
    SkuMappingRow.create(tiktok_sku_id=sku_id, seller_sku=sku_id, shopify_variant_id=variant_gid,
                         source="manual", created_at=NOW)  # fmt: skip


async def test_the_variant_column_reads_the_variants_own_name(connected: Connected) -> None:
    await connected.engine.run_until_caught_up(["shopify_variants"])
    several, name, product = _store_variant(connected)
    _tiktok_sku_mapped_to("t-several", several)

    shown = {row.sku_id: row for row in inventory_skus()}
    assert shown["t-several"].variant == name  # "M / Blush", not the product's title
    assert shown["t-several"].variant_title == f"{product} — {name}"
    assert ShopifyVariantRow.get_by_id(several).variant_name == name


async def test_location_names_are_read_from_shopify_and_offered_by_name(
    connected: Connected,
) -> None:
    shopify = connected.engine.runner("orders").job._shopify
    listed = await read_locations(shopify)
    store = connected.sandbox.world.shopify
    expected = {f"gid://shopify/Location/{loc.id}": loc.name for loc in store.locations.values()}
    assert {loc.location_id: loc.name for loc in listed} == expected
    assert location_names() == expected
    active = {
        f"gid://shopify/Location/{loc.id}": loc.name
        for loc in store.locations.values()
        if loc.is_active
    }
    assert location_choices() == active
    assert ShopifyLocationRow.select().count() == len(expected)


def test_migration_11_adds_location_and_variant_names_keeping_variants(tmp_path: Path) -> None:
    step = next(m for m in MIGRATIONS if m.statements == schema_names.STATEMENTS)
    assert step.version == 11
    path = tmp_path / "db.sqlite3"
    database = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS)
    database.connect()
    migrate(database, path, migrations=tuple(m for m in MIGRATIONS if m.version < 11))
    database.execute_sql(
        "INSERT INTO shopify_variant_row (variant_id, title, updated_at)"
        " VALUES ('v1', 'Tee — M / Blush', ?)",
        (NOW.isoformat(),),
    )
    migrate(database, path, migrations=tuple(m for m in MIGRATIONS if m.version <= 11))
    assert schema_version(database) == 11
    assert database.execute_sql(
        "SELECT title, variant_name FROM shopify_variant_row"
    ).fetchall() == [("Tee — M / Blush", None)]
    for table in (ShopifyLocationRow, ShopifyVariantRow):
        columns = {c.name for c in database.get_columns(table._meta.table_name)}
        assert columns == set(table._meta.columns)  # type: ignore[attr-defined]
    database.close()
