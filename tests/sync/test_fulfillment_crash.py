"""kill -9 of a headless `sync` while it pushes tracking: no shipment twice, none missing.

Same set-up as the orders crash test (sync and sandbox in their own processes,
the sign-in in the OS keyring; without a Secret Service this cannot run). The
evidence is the sandbox's own record of accepted shipping calls.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.headless_sync import (
    connected_profile,
    kill_repeatedly,
    needs_secret_service,
    sync_once,
    world,
)
from tests.sync.shipment_checks import check_pushed_once, tiktok_can_take

pytestmark = needs_secret_service


def test_kill_9_while_pushing_tracking_leaves_no_double_push(tmp_path: Path) -> None:
    # The clock runs in real time here (TikTok refuses requests whose timestamp is off
    # its clock), so the warehouse ships within seconds instead of ten minutes.
    sandbox = SandboxProcess(
        "--print-json", "--seed", "5", "--products", "15", "--orders", "2000",
        "--orders-per-minute", "0", "--shopify-plan", "plus", "--warehouse-minutes", "0.05",
    )  # fmt: skip
    try:
        line = sandbox.first_line()
        control = json.loads(line)["control_url"]
        settings = {
            "orders": {"search_lag_seconds": 3, "poll_seconds": 1},
            "fulfillment": {"poll_seconds": 1},
        }
        profile = connected_profile(tmp_path, line, settings)
        # Orders reach Shopify, ship, and their tracking goes to TikTok.
        kill_repeatedly(profile, 15, seed=7, after=(0.5, 3.0))
        sync_once(profile)
        # The warehouse ships what the last run created and the index catches up: moved on
        # the sandbox's clock, not waited for.
        httpx.post(f"{control}/clock/advance", params={"seconds": 6}).raise_for_status()
        started = world(control)["clock"]["now"]
        sync_once(profile)

        state = world(control)
        expected = tiktok_can_take(state, shipped_before=started - 3)
        assert expected, "the warehouse should have shipped TikTok orders"
        pushed = check_pushed_once(state)  # nothing twice
        assert expected - pushed == set()  # nothing missing
        assert pushed <= tiktok_can_take(state)  # nothing TikTok should not have got
    finally:
        sandbox.kill()
