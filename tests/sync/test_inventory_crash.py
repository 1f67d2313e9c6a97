"""kill -9 of a headless `sync` during inventory work: TikTok stock still converges on Shopify's.

Same pattern as the orders crash test: the sync runs in its own process against
a sandbox in another; the sign-in is in the OS keyring (CI runs a Secret
Service; without one this test cannot run).
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.test_crash_safety import _cli, _env
from tiktok_console.stores.keyring_support import usable_backend

pytestmark = pytest.mark.skipif(
    usable_backend() is None, reason="needs a Secret Service keyring (CI runs one)"
)


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
        info = json.loads(line)
        profile = tmp_path / "profile"
        profile.mkdir()
        (profile / "settings.json").write_text(json.dumps({"inventory": {"poll_seconds": 0.5}}))
        connect = subprocess.run(
            _cli(profile, "connect", "--sandbox", "-"), input=line, text=True,
            capture_output=True, timeout=120, env=_env(),
        )  # fmt: skip
        assert connect.returncode == 0, connect.stderr
        state = httpx.get(f"{info['control_url']}/state", timeout=30).json()
        assert _mismatches(state), "the world should start with TikTok and Shopify apart"
        rng = random.Random(8)
        for _ in range(10):
            process = subprocess.Popen(
                _cli(profile, "sync"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=_env(),
            )  # fmt: skip
            time.sleep(rng.uniform(0.5, 4.0))
            process.kill()
            process.wait()
        final = subprocess.run(
            _cli(profile, "sync", "--once"), capture_output=True, text=True, timeout=600,
            env=_env(),
        )  # fmt: skip
        assert final.returncode == 0, final.stdout + final.stderr
        state = httpx.get(f"{info['control_url']}/state", timeout=30).json()
        assert _mismatches(state) == {}
    finally:
        sandbox.kill()
