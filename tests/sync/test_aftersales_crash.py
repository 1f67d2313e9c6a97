"""kill -9 of a headless `sync` while it mirrors refunds to Shopify: none twice, none missed.

The sandbox and each sync run in their own processes, the sign-in in the OS keyring. The
refunds are the sandbox world's own: buyers order for half an hour, the console puts the
orders in Shopify and ships them, then the sandbox clock moves on two and a half days at a time so
parcels arrive and buyers ask for refunds and returns, which TikTok approves and refunds.
After each move the after-sales job is killed at each point of a mirroring:

- while it pulls, before any refund is asked for;
- just after Shopify made a refund, before its reply reached the console (Shopify's
  replies are held 1.5 s after the work is done, and the test kills the sync as soon as
  Shopify's own refund count grows: the journal holds an unconfirmed refund);
- at a random moment later on.

A final `sync --once` then runs to the end, and Shopify's refunds are compared with
TikTok's requests: every refunded return of an order in Shopify has exactly one refund
whose note names it, and no refund names a request TikTok did not refund.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.headless_sync import (
    cli,
    connected_profile,
    env,
    needs_secret_service,
    sync_once,
    world,
)
from tiktok_console.domain.aftersales import REFUNDED_CANCEL_STATUSES, REFUNDED_RETURN_STATUSES

pytestmark = needs_secret_service

DAY = 86400
SHIPPING_JOBS = ("--job", "shopify_variants", "--job", "orders", "--job", "fulfillment")
HELD_REPLIES = {"shopify": {"error_rate": 1.0, "timeout": 1.0, "processed_share": 1.0,
                            "timeout_seconds": 1.5}}  # fmt: skip
ROUNDS = 4
STEP = 5 * DAY // 2


def _advance(control: str, seconds: int) -> None:
    httpx.post(f"{control}/clock/advance", params={"seconds": seconds}, timeout=120)


def _shopify_refunds(control: str) -> int:
    return sum(o["refunds"] for o in world(control)["shopify"]["orders"])


def _sync(profile: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cli(profile, "sync", "--job", "aftersales"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(),
    )  # fmt: skip


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()


def _kill_right_after_a_refund(profile: Path, control: str, most: float = 40) -> bool:
    """Kill the sync as soon as Shopify made one more refund; False if none came in time."""
    httpx.post(f"{control}/faults", json=HELD_REPLIES, timeout=10)
    before = _shopify_refunds(control)
    process = _sync(profile)
    try:
        deadline = time.monotonic() + most
        while time.monotonic() < deadline:
            if _shopify_refunds(control) > before:
                return True
            time.sleep(0.2)  # a whole-world read each time: leave the sandbox its CPU
        return False
    finally:
        _kill(process)
        httpx.delete(f"{control}/faults", timeout=10)


def _kill_after(profile: Path, seconds: float) -> None:
    process = _sync(profile)
    time.sleep(seconds)
    _kill(process)


def _refunded_requests(state: dict[str, Any], in_shopify: set[str]) -> dict[str, str]:
    """The note Shopify's refund must carry, for each request TikTok refunded (order in
    Shopify, and not a cancellation of the whole order, which cancels the Shopify order)."""
    cancelled = {o["sourceIdentifier"] for o in state["shopify"]["orders"] if o["cancelled"]}
    notes = {}
    for r in state["tiktok"]["returns"]:
        if r["order_id"] not in in_shopify:
            continue
        if r["kind"] == "return" and r["status"] in REFUNDED_RETURN_STATUSES:
            notes[r["id"]] = f"TikTok return {r['id']}"
        elif (
            r["kind"] == "cancel"
            and r["status"] in REFUNDED_CANCEL_STATUSES
            and r["order_id"] not in cancelled
        ):
            notes[r["id"]] = f"TikTok cancellation {r['id']}"
    return notes


def test_kill_9_at_each_point_of_mirroring_makes_no_second_refund_and_misses_none(
    tmp_path: Path,
) -> None:
    sandbox = SandboxProcess(
        "--print-json", "--seed", "5", "--products", "15", "--orders", "0",
        "--orders-per-minute", "10", "--hold-minutes", "1", "--warehouse-minutes", "30",
        "--shopify-plan", "plus", "--unlisted-share", "0",
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        control = json.loads(line)["control_url"]
        settings = {"orders": {"search_lag_seconds": 3, "poll_seconds": 1}}
        profile = connected_profile(tmp_path, line, settings)
        _advance(control, 1800)  # half an hour of buyers ordering
        httpx.post(f"{control}/orders/rate", params={"per_minute": 0}, timeout=10)
        for _ in range(2):  # into Shopify, shipped by its warehouse, tracking to TikTok
            shipped = subprocess.run(
                cli(profile, "sync", "--once", *SHIPPING_JOBS),
                capture_output=True, text=True, timeout=600, env=env(),
            )  # fmt: skip
            assert shipped.returncode == 0, shipped.stdout + shipped.stderr
            _advance(control, DAY // 2)

        rng = random.Random(16)
        caught = 0
        for _ in range(ROUNDS):  # parcels arrive, buyers ask, TikTok refunds
            _advance(control, STEP)
            _kill_after(profile, rng.uniform(0.3, 1.5))  # pulling, nothing asked yet
            caught += _kill_right_after_a_refund(profile, control)
            _kill_after(profile, rng.uniform(1.0, 5.0))  # anywhere later
        _advance(control, 2 * DAY)
        sync_once(profile)

        state = world(control)
        in_shopify = {o["sourceIdentifier"] for o in state["shopify"]["orders"]}
        expected = _refunded_requests(state, in_shopify)
        made = Counter(n for o in state["shopify"]["orders"] for n in o["refundNotes"] if n)
        assert caught >= 3, "too few kills landed between Shopify's refund and its reply"
        assert len(expected) >= 8, f"the world refunded too little: {len(expected)}"
        assert {note: n for note, n in made.items() if n != 1} == {}, "a refund made twice"
        assert set(made) == set(expected.values()), f"{len(made)} made, {len(expected)} due"
    finally:
        sandbox.kill()
