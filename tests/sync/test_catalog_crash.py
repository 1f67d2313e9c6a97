"""kill -9 of a headless `sync` during a first catalog push, repeated: nothing listed twice.

The sync runs in its own process against a sandbox in another (the sign-in is in
the OS keyring: CI runs a Secret Service; without one this test cannot run).
Evidence is the TikTok world's own listings and ``catalog --json``.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.headless_sync import (
    cli,
    connected_profile,
    env,
    kill_repeatedly,
    needs_secret_service,
    sync_once,
    world,
)

pytestmark = needs_secret_service


def _sku_products(state: dict[str, Any]) -> Counter[str]:
    """Seller SKU → how many TikTok products carry it."""
    pairs = {(s["seller_sku"], s["product_id"]) for s in state["tiktok"]["skus"] if s["seller_sku"]}
    return Counter(sku for sku, _ in pairs)


def test_kill_9_during_a_first_push_never_lists_a_sku_twice(tmp_path: Path) -> None:
    sandbox = SandboxProcess(
        "--print-json", "--seed", "9", "--products", "40", "--orders", "0",
        "--orders-per-minute", "0", "--shopify-plan", "plus", "--unlisted-share", "0.7",
        "--daily-listing-cap", "1000",
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        control = json.loads(line)["control_url"]
        profile = connected_profile(tmp_path, line, {})
        before = _sku_products(world(control))
        kill_repeatedly(profile, 8, seed=9, after=(0.8, 3.0))
        sync_once(profile)
        after = _sku_products(world(control))
        assert len(after) > len(before)  # the push happened
        twice = {sku: n for sku, n in after.items() if n > max(before[sku], 1)}
        assert twice == {}
        printed = subprocess.run(
            cli(profile, "catalog", "--json"), capture_output=True, text=True, env=env(), timeout=60
        )
        objects = json.loads(printed.stdout)
        states = Counter(o["state"] for o in objects)
        assert states["pending_audit"] + states["live"] > 0 and states["blocked"] > 0
        for found in objects:
            assert set(found) >= {"shopify_product_id", "title", "tiktok_product_id", "state"}
            if found["state"] == "blocked":
                assert any(p["blocking"] and p["message"] for p in found["problems"])
    finally:
        sandbox.kill()
