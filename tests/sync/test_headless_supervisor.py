"""Headless ``sync`` follows the accounts as the app does: disconnect stops it.

Three processes share one profile and one keyring, as on a merchant's machine:
``connect``, a running ``sync``, and ``disconnect``. The keyring is a file-backed
stand-in for the OS keyring (``tests/sync/shared_keyring.py``) so the test runs
where no Secret Service does. The sandbox runs in this process on the real clock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.shared_keyring import FILE_ENV
from tests.sync.test_supervisor import _a_mapped_sku, _tiktok_quantity, set_shopify_stock_in
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(
        seed=21, products=8, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        shopify_plan="plus",
    )  # fmt: skip
    with running_sandbox(options) as runner:
        runner.world.shopify.web_sales_per_minute = 0
        yield runner


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ, "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "tests.sync.shared_keyring.SharedTestKeyring",
        FILE_ENV: str(tmp_path / "keyring.json"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }  # fmt: skip


def _cli(profile: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tiktok_console", "--profile", str(profile), *args]


def _until(condition: Callable[[], bool]) -> None:
    """Wait for what the processes do, however long a slow machine takes (pytest-timeout
    ends a real hang): the time it takes is not what these tests check."""
    while not condition():
        time.sleep(0.05)


def test_disconnecting_tiktok_stops_a_running_headless_sync(
    sandbox: SandboxRunner, tmp_path: Path
) -> None:
    env, profile = _env(tmp_path), tmp_path / "profile"
    connect = subprocess.run(
        _cli(profile, "connect", "--sandbox", "-"), input=sandbox.info().model_dump_json(),
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO,
    )  # fmt: skip
    assert connect.returncode == 0, connect.stderr
    sku = _a_mapped_sku(sandbox)
    log = tmp_path / "sync.err"
    with open(log, "w") as err:
        sync = subprocess.Popen(_cli(profile, "sync"), stdout=subprocess.DEVNULL, stderr=err,
                                env=env, cwd=REPO)  # fmt: skip
    try:
        _until(lambda: "Syncing:" in log.read_text())  # sync starts
        set_shopify_stock_in(sandbox, sku, 7)
        _until(lambda: _tiktok_quantity(sandbox, sku) == 7)  # the stock reaches TikTok
        disconnect = subprocess.run(_cli(profile, "disconnect", "tiktok"), capture_output=True,
                                    text=True, timeout=60, env=env, cwd=REPO)  # fmt: skip
        assert disconnect.returncode == 0, disconnect.stderr
        # "Sync stopped" is logged once the engine's tasks have ended, then no engine is
        # built: from here nothing in that process can call TikTok.
        _until(lambda: "Connect TikTok Shop first" in log.read_text())
        assert "Sync stopped" in log.read_text()
        set_shopify_stock_in(sandbox, sku, 3)
        assert _tiktok_quantity(sandbox, sku) == 7
    finally:
        sync.send_signal(signal.SIGTERM)
        assert sync.wait(timeout=30) == 0, log.read_text()
