"""Orphan orders against a large catalogue, measured. Run on demand:
`uv run pytest tests/benchmarks/test_orphans_benchmark.py -s`.

One orders-job run with 5,000 Shopify variants and 500 orphan orders: every
run looks at the orphans again (a mapping may have released them), so a run
must not re-read and re-index the catalogue per order.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx

from tests.benchmarks.test_orders_benchmarks import _connected_engine
from tiktok_console.sandbox.runner import running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.bulk import bulk_insert
from tiktok_console.storage.orders.tiktok_orders import ORPHAN, state_counts
from tiktok_console.storage.tables import ShopifyVariantRow, TikTokOrderRow

VARIANTS = 5_000
ORPHANS = 500


def _variants() -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        {"variant_id": f"gid://shopify/ProductVariant/9{n:06d}", "sku": f"BENCH-{n:05d}",
         "barcode": "", "title": f"Bench item {n}", "product_id": f"gid://shopify/Product/9{n}",
         "inventory_item_id": f"gid://shopify/InventoryItem/9{n:06d}", "price": Decimal("9.99"),
         "updated_at": now}
        for n in range(VARIANTS)
    ]  # fmt: skip


def _orphans(template: TikTokOrderRow) -> list[dict[str, object]]:
    """Copies of a real order whose every SKU is one Shopify does not have."""
    rows = []
    for n in range(ORPHANS):
        payload = json.loads(template.payload)
        payload["id"] = order_id = f"9{n:017d}"
        payload["status"] = "AWAITING_SHIPMENT"
        for item in payload["line_items"]:
            item["sku_id"], item["seller_sku"] = f"orphan-{n}", f"NOT-IN-SHOPIFY-{n}"
        rows.append({
            "order_id": order_id, "status": "AWAITING_SHIPMENT",
            "created_at": template.created_at, "update_time": template.update_time,
            "fulfillment_type": template.fulfillment_type, "ship_by": template.ship_by,
            "total": template.total, "currency": template.currency,
            "payload": json.dumps(payload), "sync_state": ORPHAN,
            "unmapped": f"orphan-{n}", "updated_at": datetime.now(UTC),
        })  # fmt: skip
    return rows


async def test_one_orders_run_with_500_orphans_and_5000_variants(tmp_path: Path) -> None:
    options = WorldOptions(
        seed=41, products=20, orders=0, orders_per_minute=10, index_lag_seconds=0.5,
        shopify_plan="plus",
    )  # fmt: skip
    with running_sandbox(options) as sandbox:
        async with httpx.AsyncClient(timeout=30) as http:
            profile, engine = await _connected_engine(sandbox, tmp_path, http)
            sandbox.world.advance(20 * 60)
            sandbox.world.tiktok.set_order_rate(0)
            sandbox.world.advance(4000)
            await engine.run_until_caught_up(["shopify_variants", "orders"])
            template = TikTokOrderRow.select().where(TikTokOrderRow.payload != "").first()
            bulk_insert(ShopifyVariantRow, _variants())
            bulk_insert(TikTokOrderRow, _orphans(template))
            job = engine.runner("orders").job
            figures = []
            for _ in range(3):
                started = time.perf_counter()
                await job.run_once()
                figures.append(time.perf_counter() - started)
            assert state_counts()[ORPHAN] >= ORPHANS
            profile.close()
    print(
        f"\norders-job run, {VARIANTS:,} variants and {ORPHANS} orphans: "
        f"first {figures[0]:.2f} s ({figures[0] / ORPHANS * 1000:.1f} ms per orphan), "
        f"then {figures[1]:.3f} s and {figures[2]:.3f} s (orphans unchanged, skipped)"
    )
    assert figures[0] < 10.0 and max(figures[1:]) < 1.0
