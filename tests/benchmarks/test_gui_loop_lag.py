"""Event-loop lag in the GUI process while a livestream burst lands. Goal: p99 <= 50 ms.

Run on demand: `uv run pytest tests/benchmarks/test_gui_loop_lag.py -s`.

Set up as the merchant runs it: the stores (the sandbox, standard Shopify plan) in
their own process, pinned to one core as if on their own machine; in this process
the real main window from ``build_window`` over a Console, which starts the engine
on the same qasync loop and sends its events through the bridge, so the Overview
on screen refreshes as orders land. A probe task sleeps 10 ms over and over and
records how late it wakes.

The burst is the orders benchmark's: 600 orders a minute for 100 s. It is made
before the app connects: the sandbox clock starts 20 minutes in the past, the burst
arrives, and the clock is moved to the present, by which time every buyer has paid
and every order has left its one-minute hold. (The clock cannot be moved past the
present once the app runs: TikTok refuses calls signed 5 minutes behind its clock.)
The orders job starts paused; once the other jobs are caught up the benchmark
clicks Resume on the Overview, and measures from then until the orders job is
caught up.

Known: with PySide6 6.12.0 this process dies mid-burst with "deallocating None":
each ``QTimer.singleShot(0, callable)``, which qasync schedules callbacks with,
releases one reference to None too many, so the app itself dies after enough
event-loop callbacks. The benchmark is left to show it.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync

from tests.sandbox.sandbox_process import SandboxProcess
from tiktok_console.app import _shutdown, build_window
from tiktok_console.console import Console
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import open_profile
from tiktok_console.storage.jobs import set_paused
from tiktok_console.stores.tokens import InMemoryKeyring
from tiktok_console.sync.accounts import AccountService
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow

BURST_PER_MINUTE = 600
BURST_SECONDS = 100
PREPARE_SECONDS = 1200  # the burst, then long enough for every buyer to pay (<= 10 min)
GOAL_MS = 50


def _sandbox() -> SandboxProcess:
    cpus = sorted(os.sched_getaffinity(0))
    return SandboxProcess(
        "--print-json", "--seed", "31", "--products", "30", "--orders", "0",
        "--orders-per-minute", "0", "--hold-minutes", "1", "--shopify-plan", "standard",
        "--clock-start", str(time.time() - PREPARE_SECONDS),
        cpu=cpus[-1] if len(cpus) > 1 else None,
    )  # fmt: skip


async def _prepare_burst(control: str, http: httpx.AsyncClient) -> int:
    """Make the burst in the sandbox's past, then bring its clock to now; returns orders."""
    await _post(http, f"{control}/orders/rate", per_minute=BURST_PER_MINUTE)
    await _post(http, f"{control}/clock/advance", seconds=BURST_SECONDS)
    await _post(http, f"{control}/orders/rate", per_minute=0)
    state = (await http.get(f"{control}/state")).json()
    behind = time.time() - state["clock"]["now"]
    assert behind >= 700, "the sandbox took too long to start: buyers may not have paid"
    await _post(http, f"{control}/clock/advance", seconds=behind + 5)
    return len((await http.get(f"{control}/state")).json()["tiktok"]["orders"])


async def _post(http: httpx.AsyncClient, url: str, **params: float) -> None:
    response = await http.post(url, params=params)
    assert response.status_code == 200, response.text


async def _until(done: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


def _landed(state: dict[str, Any]) -> int:
    """Shopify orders carrying a TikTok order id (the sandbox's own count)."""
    return sum(
        any(tag.startswith("TikTokOrderID:") for tag in order["tags"])
        for order in state["shopify"]["orders"]
    )


@pytest.mark.timeout(1200)
def test_event_loop_lag_while_a_burst_lands_in_the_window(qapp, tmp_path: Path) -> None:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    lags: list[float] = []
    refreshes: list[frozenset[str]] = []

    async def probe(done: asyncio.Event) -> None:
        while not done.is_set():
            before = loop.time()
            await asyncio.sleep(0.01)
            lags.append(loop.time() - before - 0.01)

    async def scenario(info: dict[str, Any]) -> tuple[int, int, float]:
        control = info["control_url"]
        profile = open_profile(AppPaths.for_profile(tmp_path / "p").ensure(), SecretRedactor())
        http = httpx.AsyncClient(timeout=60)
        accounts = AccountService(profile.token_store(InMemoryKeyring()), http)
        console = Console(profile, accounts, http)
        try:
            arrived = await _prepare_burst(control, http)
            await console.accounts.connect_sandbox(info)
            set_paused("orders", True)  # the merchant left orders paused; Resume starts the burst
            window = build_window(console, ErrorReporter())
            window.show()
            bridge = window.findChild(Bridge)
            assert bridge is not None
            await _until(lambda: _others_caught_up(console), 180, "the other jobs")
            # From here: during the burst. A Python function, not ``list.append``: PySide
            # mishandles None returned from a builtin slot ("deallocating None").
            bridge.changed.connect(lambda topics: _count(refreshes, topics))
            done = asyncio.Event()
            probing = asyncio.ensure_future(probe(done))
            started = time.monotonic()
            _click_resume(window, "orders")
            assert console.engine is not None
            orders = console.engine.runner("orders")
            await _until(lambda: orders.caught_up, 900, "the burst to land")
            elapsed = time.monotonic() - started
            done.set()
            await probing
            landed = _landed((await http.get(f"{control}/state")).json())
            window.hide()  # not close(): closing the last window would quit the event loop
        finally:
            await _shutdown(console)  # stops the engine and closes the client, as the app does
            profile.close()
        return arrived, landed, elapsed

    sandbox = _sandbox()
    try:
        info = sandbox.info(timeout=120)
        with loop:
            arrived, landed, elapsed = loop.run_until_complete(scenario(info))
    finally:
        sandbox.kill()
        asyncio.set_event_loop(None)
    lags.sort()
    p99 = lags[int(len(lags) * 0.99) - 1] * 1000
    print(
        f"\nGUI loop lag while a burst lands (standard plan, sandbox in its own process, "
        f"main window with the Overview on screen): {arrived} orders arrived, {landed} landed "
        f"in Shopify in {elapsed:.1f} s, {len(refreshes)} bridge refreshes of the page; "
        f"{len(lags)} samples, median {statistics.median(lags) * 1000:.1f} ms, p99 {p99:.1f} ms, "
        f"max {lags[-1] * 1000:.1f} ms (goal p99 <= {GOAL_MS} ms)"
    )
    assert arrived >= 900 and landed >= 600  # the rest: cancelled, orphans, FBT
    assert p99 <= GOAL_MS


def _count(refreshes: list[frozenset[str]], topics: frozenset[str]) -> None:
    refreshes.append(topics)


def _others_caught_up(console: Console) -> bool:
    engine = console.engine
    if engine is None:
        return False
    return all(engine.runner(name).caught_up for name in engine.names if name != "orders")


def _click_resume(window: MainWindow, job: str) -> None:
    """Resume ``job`` as the merchant does, with its button on the Overview."""
    window.show_page("overview")
    overview = window.pages["overview"]
    _, pause = overview.jobs.buttons[job]  # type: ignore[attr-defined]
    assert pause.text() == "Resume"
    pause.click()
