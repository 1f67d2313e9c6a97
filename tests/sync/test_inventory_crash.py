"""kill -9 of a headless `sync` during inventory work: TikTok stock still converges on Shopify's.

Same pattern as the orders crash test: the sync runs in its own process against
a sandbox in another; the sign-in is in the OS keyring (CI runs a Secret
Service; without one this test cannot run).
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

pytestmark = needs_secret_service


def _mismatches(state: dict) -> dict[str, tuple[int, int]]:
    """Live TikTok SKUs whose quantity is not Shopify's, from the stores' own state."""
    variants = state["shopify"]["variants"]
    counts = Counter(v["sku"] for v in variants)
    shopify = {v["sku"]: sum(v["available"].values()) for v in variants
               if v["sku"] and counts[v["sku"]] == 1}  # fmt: skip
    wrong = {}
    for sku in state["tiktok"]["skus"]:
        if sku["status"] == "ACTIVATE" and sku["seller_sku"] in shopify:
            have, want = sum(sku["inventory"].values()), max(shopify[sku["seller_sku"]], 0)
            if have != want:
                wrong[sku["sku_id"]] = (have, want)
    return wrong


def test_kill_9_during_inventory_sync_still_converges(tmp_path: Path) -> None:
    sandbox = SandboxProcess(
        "--print-json", "--seed", "8", "--products", "30", "--orders", "0",
        "--orders-per-minute", "0", "--shopify-plan", "plus",
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        control = json.loads(line)["control_url"]
        profile = connected_profile(tmp_path, line, {"inventory": {"poll_seconds": 0.5}})
        assert _mismatches(world(control)), "the world should start with TikTok and Shopify apart"
        kill_repeatedly(profile, 10, seed=8, after=(0.5, 4.0))
        sync_once(profile)
        assert _mismatches(world(control)) == {}
    finally:
        sandbox.kill()
