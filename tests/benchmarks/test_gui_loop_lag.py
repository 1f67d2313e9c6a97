"""The same 1,000-order burst, headless and in the GUI, side by side in one run.

Run on demand: `uv run pytest tests/benchmarks/test_gui_loop_lag.py -s`.
Goals: the GUI lands the burst in <= 1.15x the headless time, and its event
loop's lag stays at p99 <= 16 ms (one frame) meanwhile.

Set up as the merchant runs it, twice, one after the other in this process: the
stores (the sandbox, standard Shopify plan) in their own process, pinned to one
core as if on their own machine, a fresh one per side with the same seed.

- Headless: the supervisor on a plain asyncio loop, as `tiktok-console sync` runs it.
- GUI: the real main window from ``build_window`` over a Console on a qasync
  loop; the supervisor runs the engine on its own thread and its events reach
  the Overview on screen through the bridge. A probe task on the GUI loop sleeps
  10 ms over and over and records how late it wakes.

The burst is the orders benchmark's: 600 orders a minute for 100 s. It is made
before the app connects: the sandbox clock starts 20 minutes in the past, the burst
arrives, and the clock is moved to the present, by which time every buyer has paid
and every order has left its one-minute hold. (The clock cannot be moved past the
present once the app runs: TikTok refuses calls signed 5 minutes behind its clock.)
The orders job starts paused; once the other jobs are caught up it is resumed (in
the GUI with its button on the Overview), and the time runs from then until the
orders job is caught up. Both sides run every job, as the merchant's sync does.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync

from tests.benchmarks.waiting import (
    TimedTransport,
    Waits,
    engine_waits,
    store_ports,
    timed_sqlite_and_limiters,
)
from tests.sandbox.sandbox_process import SandboxProcess
from tiktok_console.app import build_window
from tiktok_console.console import Console
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, open_profile
from tiktok_console.storage.jobs import set_paused
from tiktok_console.stores.tokens import InMemoryKeyring
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.engine import Engine
from tiktok_console.sync.supervisor import Supervisor
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow
from tiktok_console.ui.shutdown import shut_down

BURST_PER_MINUTE = 600
BURST_SECONDS = 100
PREPARE_SECONDS = 1200  # the burst, then long enough for every buyer to pay (<= 10 min)
RATIO_GOAL = 1.15
LAG_GOAL_MS = 16.0


@dataclass
class Side:
    """What one side measured."""

    arrived: int
    landed: int
    elapsed: float
    where: str


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


def _others_caught_up(supervisor: Supervisor) -> bool:
    engine = supervisor.engine
    if engine is None:
        return False
    return all(engine.runner(name).caught_up for name in engine.names if name != "orders")


def _orders(supervisor: Supervisor) -> Engine:
    engine = supervisor.engine
    assert engine is not None
    return engine


def _profile(path: Path) -> Profile:
    return open_profile(AppPaths.for_profile(path).ensure(), SecretRedactor())


async def _headless(info: dict[str, Any], tmp_path: Path) -> Side:
    """The burst through the supervisor on a plain asyncio loop, as `sync` runs it."""
    control, waits = info["control_url"], Waits()
    profile = _profile(tmp_path / "headless")
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            arrived = await _prepare_burst(control, http)
            token_store = profile.token_store(InMemoryKeyring())
            await AccountService(token_store, http).connect_sandbox(info)
            set_paused("orders", True)
            supervisor = Supervisor(
                profile.settings, token_store, transport=TimedTransport(waits, store_ports(info))
            )
            stop = asyncio.Event()
            running = asyncio.ensure_future(supervisor.run(stop))
            try:
                await _until(lambda: _others_caught_up(supervisor), 180, "the other jobs")
                waits.reset()
                started = time.monotonic()
                with timed_sqlite_and_limiters(waits):
                    supervisor.resume("orders")
                    await _until(lambda: _orders(supervisor).runner("orders").caught_up, 900,
                                 "the burst to land")  # fmt: skip
                    elapsed = time.monotonic() - started
                where = waits.report(elapsed, engine_waits(_orders(supervisor), "orders"))
            finally:
                stop.set()
                await running
            landed = _landed((await http.get(f"{control}/state")).json())
    finally:
        profile.close()
    return Side(arrived, landed, elapsed, where)


def _gui(qapp: Any, info: dict[str, Any], tmp_path: Path) -> tuple[Side, list[float], int]:
    """The burst in the main window; returns the side, the probe's lags and the refreshes."""
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    lags: list[float] = []
    refreshes: list[frozenset[str]] = []

    async def probe(done: asyncio.Event) -> None:
        while not done.is_set():
            before = loop.time()
            await asyncio.sleep(0.01)
            lags.append(loop.time() - before - 0.01)

    async def scenario() -> Side:
        control, waits = info["control_url"], Waits()
        profile = _profile(tmp_path / "gui")
        http = httpx.AsyncClient(timeout=60)
        accounts = AccountService(profile.token_store(InMemoryKeyring()), http)
        supervisor = Supervisor(
            profile.settings, accounts.token_store,
            transport=TimedTransport(waits, store_ports(info)),
        )  # fmt: skip
        console = Console(profile, accounts, http, supervisor=supervisor)
        try:
            arrived = await _prepare_burst(control, http)
            await console.accounts.connect_sandbox(info)
            set_paused("orders", True)  # the merchant left orders paused; Resume starts the burst
            window = build_window(console, ErrorReporter())
            window.show()
            console.sync.start()  # as run_gui does once the window shows
            bridge = window.findChild(Bridge)
            assert bridge is not None
            await _until(lambda: _others_caught_up(supervisor), 180, "the other jobs")
            # A Python function, not ``list.append``: PySide mishandles None returned
            # from a builtin slot ("deallocating None").
            bridge.changed.connect(lambda topics: _count(refreshes, topics))
            done = asyncio.Event()
            probing = asyncio.ensure_future(probe(done))
            waits.reset()
            started = time.monotonic()
            with timed_sqlite_and_limiters(waits):
                await _click_resume(window, "orders")
                await _until(lambda: _orders(supervisor).runner("orders").caught_up, 900,
                             "the burst to land")  # fmt: skip
                elapsed = time.monotonic() - started
            where = waits.report(elapsed, engine_waits(_orders(supervisor), "orders"))
            done.set()
            await probing
            landed = _landed((await http.get(f"{control}/state")).json())
            window.hide()  # not close(): closing the last window would quit the event loop
        finally:
            await shut_down(console)  # stops the engine thread and closes the client
            profile.close()
        return Side(arrived, landed, elapsed, where)

    try:
        with loop:
            side = loop.run_until_complete(scenario())
    finally:
        asyncio.set_event_loop(None)
    return side, lags, len(refreshes)


def _side(run: Callable[[dict[str, Any]], Any]) -> Any:
    sandbox = _sandbox()
    try:
        return run(sandbox.info(timeout=120))
    finally:
        sandbox.kill()


@pytest.mark.timeout(2400)
def test_the_gui_lands_a_burst_as_fast_as_headless_with_a_responsive_loop(
    qapp, tmp_path: Path
) -> None:
    headless = _side(lambda info: asyncio.run(_headless(info, tmp_path)))
    gui, lags, refreshes = _side(lambda info: _gui(qapp, info, tmp_path))
    lags.sort()
    p99 = lags[int(len(lags) * 0.99) - 1] * 1000
    ratio = gui.elapsed / headless.elapsed
    print(
        f"\nA 1,000-order burst, standard plan, sandbox in its own process (measured on a "
        f"shared 2-core machine, under whatever load it had):\n"
        f"headless: {headless.arrived} arrived, {headless.landed} landed in Shopify in "
        f"{headless.elapsed:.1f} s\n{headless.where}\n"
        f"GUI: {gui.arrived} arrived, {gui.landed} landed in {gui.elapsed:.1f} s, "
        f"{refreshes} bridge refreshes of the page\n{gui.where}\n"
        f"GUI / headless = {ratio:.2f} (goal <= {RATIO_GOAL}); GUI loop lag over "
        f"{len(lags)} samples: median {statistics.median(lags) * 1000:.1f} ms, "
        f"p99 {p99:.1f} ms, max {lags[-1] * 1000:.1f} ms (goal p99 <= {LAG_GOAL_MS:.0f} ms)"
    )
    for side in (headless, gui):
        assert side.arrived >= 900 and side.landed >= 600  # the rest: cancelled, orphans, FBT
    assert ratio <= RATIO_GOAL
    assert p99 <= LAG_GOAL_MS


def _count(refreshes: list[frozenset[str]], topics: frozenset[str]) -> None:
    refreshes.append(topics)


async def _click_resume(window: MainWindow, job: str) -> None:
    """Resume ``job`` as the merchant does, with its button on the Overview."""
    window.show_page("overview")
    overview = window.pages["overview"]
    await _until(lambda: job in overview.jobs.buttons, 30, "the Overview's job rows")  # type: ignore[attr-defined]
    _, pause = overview.jobs.buttons[job]  # type: ignore[attr-defined]
    assert pause.text() == "Resume"
    pause.click()
