"""kill -9 of a headless `sync` at random points: no duplicate, nothing missing.

The sync runs in its own process against a sandbox in another, as in real use;
the sign-in is in the OS keyring so each restarted process finds it (CI runs a
real Secret Service; without one this test cannot run).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.headless_sync import (
    connected_profile,
    kill_repeatedly,
    needs_secret_service,
    sync_once,
    world,
)

ELIGIBLE = {"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION"}

pytestmark = needs_secret_service


def _check(state: dict) -> tuple[Counter[str], set[str]]:
    """Shopify orders per TikTok id, and the orders that must be in Shopify."""
    created: Counter[str] = Counter(
        tag.split(":", 1)[1]
        for order in state["shopify"]["orders"]
        for tag in order["tags"]
        if tag.startswith("TikTokOrderID:")
    )
    skus = Counter(v["sku"] for v in state["shopify"]["variants"])
    unique = {sku for sku, n in skus.items() if sku and n == 1}
    expected = {
        order["id"]
        for order in state["tiktok"]["orders"]
        if order["status"] in ELIGIBLE
        and order["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and all(sku in unique for sku in order["seller_skus"])
    }
    return created, expected


def test_kill_9_twenty_times_leaves_no_duplicate_and_nothing_missing(tmp_path: Path) -> None:
    kill_and_check(tmp_path, kills=20, seed=20)


def kill_and_check(tmp_path: Path, kills: int, seed: int) -> int:
    """Kill a headless sync ``kills`` times, finish it, check the stores; returns orders due."""
    sandbox = SandboxProcess(
        "--print-json", "--seed", "5", "--products", "15", "--orders", "3000",
        "--orders-per-minute", "0", "--shopify-plan", "plus",
        # Products not yet on TikTok would leave this seed with no order to ship.
        "--unlisted-share", "0",
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        settings = {"orders": {"search_lag_seconds": 3, "poll_seconds": 1}}
        profile = connected_profile(tmp_path, line, settings)
        kill_repeatedly(profile, kills, seed, after=(0.3, 2.5))
        sync_once(profile)
        created, expected = _check(world(json.loads(line)["control_url"]))
        assert expected, "the world should have orders awaiting shipment"
        duplicates = {order_id: n for order_id, n in created.items() if n > 1}
        assert duplicates == {}
        assert expected - set(created) == set()
        return len(expected)
    finally:
        sandbox.kill()
