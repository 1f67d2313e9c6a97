"""kill -9 of a headless `sync` while it pushes tracking: no shipment twice, none missing.

Same set-up as the orders crash test (sync and sandbox in their own processes,
the sign-in in the OS keyring; without a Secret Service this cannot run). The
evidence is the sandbox's own record of accepted shipping calls.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from pathlib import Path

import pytest

from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.shipment_checks import check_pushed_once, tiktok_can_take
from tests.sync.test_crash_safety import _cli, _env, _world
from tiktok_console.stores.keyring_support import usable_backend

pytestmark = pytest.mark.skipif(
    usable_backend() is None, reason="needs a Secret Service keyring (CI runs one)"
)


def _sync_once(profile: Path) -> None:
    done = subprocess.run(
        _cli(profile, "sync", "--once"), capture_output=True, text=True, timeout=600, env=_env()
    )
    assert done.returncode == 0, done.stdout + done.stderr


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
        profile = tmp_path / "profile"
        profile.mkdir()
        settings = {
            "orders": {"search_lag_seconds": 3, "poll_seconds": 1},
            "fulfillment": {"poll_seconds": 1},
        }
        (profile / "settings.json").write_text(json.dumps(settings))
        connect = subprocess.run(
            _cli(profile, "connect", "--sandbox", "-"), input=line, text=True,
            capture_output=True, timeout=120, env=_env(),
        )  # fmt: skip
        assert connect.returncode == 0, connect.stderr

        rng = random.Random(7)
        for _ in range(15):  # orders reach Shopify, ship, and their tracking goes to TikTok
            process = subprocess.Popen(
                _cli(profile, "sync"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=_env(),
            )  # fmt: skip
            time.sleep(rng.uniform(0.5, 3.0))
            process.kill()
            process.wait()
        _sync_once(profile)
        time.sleep(6)  # the warehouse ships what the last run created; the index catches up
        started = _world(control)["clock"]["now"]
        _sync_once(profile)

        state = _world(control)
        expected = tiktok_can_take(state, shipped_before=started - 3)
        assert expected, "the warehouse should have shipped TikTok orders"
        pushed = check_pushed_once(state)  # nothing twice
        assert expected - pushed == set()  # nothing missing
        assert pushed <= tiktok_can_take(state)  # nothing TikTok should not have got
    finally:
        sandbox.kill()
