"""Orders finished before the connection stay out of Shopify until the merchant imports them.

The import creates them fulfilled, with TikTok's tracking, WITHOUT touching
Shopify's stock; run twice it creates nothing more. Checked through the stores.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.sync.conftest import START, Connected
from tests.sync.headless_sync import cli, connected_profile, env, needs_secret_service, world
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.inventory.in_flight import in_flight_units
from tiktok_console.storage.inventory.tables import TikTokSkuRow
from tiktok_console.storage.orders.tiktok_orders import SKIPPED
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.orders.history import import_history

SHIPPED = {"IN_TRANSIT", "DELIVERED", "COMPLETED"}


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=5, products=12, orders=60, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus",
    )  # fmt: skip


def _twins(orders: list[dict[str, Any]]) -> Counter[str]:
    return Counter(
        tag.split(":", 1)[1]
        for order in orders
        for tag in order["tags"]
        if tag.startswith("TikTokOrderID:")
    )


def _order_skus() -> set[str]:
    """Every TikTok SKU id in a stored order."""
    return {
        line["sku_id"]
        for (payload,) in TikTokOrderRow.select(TikTokOrderRow.payload).tuples()
        for line in json.loads(payload).get("line_items") or []
    }


def _stock(variants: list[dict[str, Any]]) -> dict[str, int]:
    return {v["id"]: sum(v["available"].values()) for v in variants}


async def test_import_creates_history_fulfilled_once_and_leaves_stock_alone(
    connected: Connected,
) -> None:
    shopify = connected.sandbox.world.shopify
    connected.sandbox.world.shopify.web_sales_per_minute = 0
    await connected.engine.run_until_caught_up(["shopify_variants", "orders"])
    history = TikTokOrderRow.select().where(
        (TikTokOrderRow.sync_state == SKIPPED) & TikTokOrderRow.status.in_(list(SHIPPED))
    )
    assert history.count() > 5, "the world should have shipped history"
    assert not _twins(shopify.snapshot()["orders"])  # history stays out on its own
    before = _stock(shopify.snapshot()["variants"])
    skus = {
        sku_id: datetime.now(UTC) for (sku_id,) in TikTokSkuRow.select(TikTokSkuRow.sku_id).tuples()
    }
    skus |= {sku: datetime.now(UTC) for sku in _order_skus()}
    in_flight = in_flight_units(skus)
    orders_job = connected.engine.runner("orders").job
    since = datetime.fromtimestamp(START, UTC).replace(day=1, month=1)

    seen: list[tuple[int, int]] = []
    report = await import_history(
        orders_job._shopify, connected.profile.settings, "Shop", since,
        index_lag=connected.options.index_lag, progress=lambda d, t, _w: seen.append((d, t)),
    )  # fmt: skip

    snapshot = shopify.snapshot()
    twins = _twins(snapshot["orders"])
    assert report.imported == len(twins) > 0 and max(twins.values()) == 1
    assert seen and seen[-1][0] == seen[-1][1] == report.looked_at
    assert _stock(snapshot["variants"]) == before  # stock untouched
    assert in_flight_units(skus) == in_flight  # nor counted as units on their way
    tiktok = {o["id"]: o for o in connected.sandbox.world.tiktok.snapshot()["orders"]}
    for order in snapshot["orders"]:
        [tiktok_id] = [t.split(":", 1)[1] for t in order["tags"] if t.startswith("TikTokOrderID:")]
        [fulfillment] = order["fulfillments"]
        assert tiktok[tiktok_id]["status"] in SHIPPED
        assert fulfillment["tracking"][0]["number"] == tiktok[tiktok_id]["tracking_number"]
        assert "TikTok Shop history" in order["tags"]

    again = await import_history(
        orders_job._shopify, connected.profile.settings, "Shop", since,
        index_lag=connected.options.index_lag,
    )  # fmt: skip
    assert again.imported == 0
    assert _twins(shopify.snapshot()["orders"]) == twins


async def test_an_import_since_a_later_day_leaves_earlier_orders_out(
    connected: Connected,
) -> None:
    await connected.engine.run_until_caught_up(["shopify_variants", "orders"])
    orders_job = connected.engine.runner("orders").job
    rows = list(
        TikTokOrderRow.select().where(
            (TikTokOrderRow.sync_state == SKIPPED) & TikTokOrderRow.status.in_(list(SHIPPED))
        )
    )
    days = sorted({row.created_at.date() for row in rows})
    assert len(days) > 2
    cut = datetime.combine(days[len(days) // 2], datetime.min.time(), UTC)
    await import_history(
        orders_job._shopify, connected.profile.settings, "Shop", cut,
        index_lag=connected.options.index_lag,
    )  # fmt: skip
    twins = _twins(connected.sandbox.world.shopify.snapshot()["orders"])
    placed = {row.order_id: row.created_at for row in rows}
    assert twins and all(placed[order_id] >= cut for order_id in twins)


@pytest.fixture
def cli_sandbox() -> Any:
    # A running clock: Shopify's cost bucket refills on the sandbox's time.
    options = WorldOptions(seed=5, products=12, orders=40, orders_per_minute=0,
                           shopify_plan="plus")  # fmt: skip
    with running_sandbox(options) as runner:
        yield runner


def test_the_command_in_process_imports_once_and_refuses_a_bad_day(
    tmp_path: Path, cli_sandbox: SandboxRunner, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """The command as the CLI runs it, in this process (its memory keyring holds the sign-in
    between ``connect`` and ``import-history``; the process test below needs a real one)."""
    from tiktok_console.cli import main
    from tiktok_console.profile import MEMORY_KEYRING, MEMORY_KEYRING_ENV

    monkeypatch.setenv(MEMORY_KEYRING_ENV, "1")
    monkeypatch.setattr(MEMORY_KEYRING, "_entries", {}, raising=False)
    line = tmp_path / "sandbox.json"
    line.write_text(cli_sandbox.info().model_dump_json())
    profile = str(tmp_path / "profile")
    assert main(["--profile", profile, "connect", "--sandbox", str(line)]) == 0
    assert main(["--profile", profile, "import-history", "--since", "last week"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--profile", profile, "import-history", "--since", "2000-01-01"]) == 0
    said = capsys.readouterr().out
    assert "Imported" in said and "Stock was not changed" in said
    twins = _twins(cli_sandbox.world.shopify.snapshot()["orders"])
    assert twins and max(twins.values()) == 1
    assert main(["--profile", profile, "import-history", "--since", "2000-01-01"]) == 0
    assert "Imported 0 of" in capsys.readouterr().out
    assert _twins(cli_sandbox.world.shopify.snapshot()["orders"]) == twins


@needs_secret_service
def test_the_import_history_command_imports_once(
    tmp_path: Path, cli_sandbox: SandboxRunner
) -> None:
    profile = connected_profile(tmp_path, cli_sandbox.info().model_dump_json(), {})
    control = cli_sandbox.info().control_url

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cli(profile, "import-history", *args), capture_output=True,
                              text=True, timeout=300, env=env())  # fmt: skip

    bad = run("--since", "last week")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    first = run("--since", "2000-01-01")
    assert first.returncode == 0, first.stderr
    assert "Imported" in first.stdout and "Stock was not changed" in first.stdout
    twins = _twins(world(control)["shopify"]["orders"])
    assert twins and max(twins.values()) == 1
    second = run("--since", "2000-01-01")
    assert second.returncode == 0, second.stderr
    assert _twins(world(control)["shopify"]["orders"]) == twins
