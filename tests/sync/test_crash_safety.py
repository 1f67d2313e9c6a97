"""kill -9 of a headless `sync` at random points: no duplicate, nothing missing.

The sync runs in its own process against a sandbox in another, as in real use;
the sign-in is in the OS keyring so each restarted process finds it (CI runs a
real Secret Service; without one this test cannot run).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.sandbox.sandbox_process import SandboxProcess
from tiktok_console.stores.keyring_support import usable_backend

ELIGIBLE = {"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION"}

pytestmark = pytest.mark.skipif(
    usable_backend() is None, reason="needs a Secret Service keyring (CI runs one)"
)


def _cli(profile: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tiktok_console", "--profile", str(profile), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _world(control_url: str) -> dict:
    return httpx.get(f"{control_url}/state", timeout=30).json()


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
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        info = json.loads(line)
        profile = tmp_path / "profile"
        profile.mkdir()
        settings = {"orders": {"search_lag_seconds": 3, "poll_seconds": 1}}
        (profile / "settings.json").write_text(json.dumps(settings))
        connect = subprocess.run(
            _cli(profile, "connect", "--sandbox", "-"), input=line, text=True,
            capture_output=True, timeout=120, env=_env(),
        )  # fmt: skip
        assert connect.returncode == 0, connect.stderr

        rng = random.Random(seed)
        for _ in range(kills):
            process = subprocess.Popen(
                _cli(profile, "sync"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=_env(),
            )  # fmt: skip
            time.sleep(rng.uniform(0.3, 2.5))
            process.kill()
            process.wait()

        final = subprocess.run(
            _cli(profile, "sync", "--once"), capture_output=True, text=True, timeout=600,
            env=_env(),
        )  # fmt: skip
        assert final.returncode == 0, final.stdout + final.stderr
        created, expected = _check(_world(info["control_url"]))
        assert expected, "the world should have orders awaiting shipment"
        duplicates = {order_id: n for order_id, n in created.items() if n > 1}
        assert duplicates == {}
        assert expected - set(created) == set()
        return len(expected)
    finally:
        sandbox.kill()
