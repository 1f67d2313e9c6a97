"""A "sync now" that arrives while a job's batch is running is not lost.

The nudge asks for a pass that sees the world as it is now; the batch in flight
may already have read past the change that prompted it (a mapping made while
the orders job was reading), so the job must run again at once, not after its
interval.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tiktok_console.storage.database import open_database
from tiktok_console.sync.engine import Engine, Outcome


@pytest.fixture(autouse=True)
def database(tmp_path: Path) -> Iterator[None]:
    db = open_database(tmp_path / "db.sqlite3")
    yield
    db.close()


class Gated:
    """A job whose first batch waits at a gate the test opens; it counts its runs."""

    name = "orders"
    interval = 3600.0  # an hour: only a wake can bring the second run within the test

    def __init__(self) -> None:
        self.runs = 0
        self.inside = asyncio.Event()
        self.gate = asyncio.Event()

    async def run_once(self) -> Outcome:
        self.runs += 1
        if self.runs == 1:
            self.inside.set()
            await self.gate.wait()
        return Outcome(caught_up=True)


async def test_a_nudge_during_a_batch_runs_the_job_again_at_once() -> None:
    job = Gated()
    engine = Engine([job])
    engine.start()
    try:
        async with asyncio.timeout(5):
            await job.inside.wait()
        engine.nudge("orders")  # "sync now" while the first batch is still reading
        job.gate.set()
        async with asyncio.timeout(2):
            while job.runs < 2:  # noqa: ASYNC110 (polls a counter the engine's loop moves)
                await asyncio.sleep(0.01)
    finally:
        await engine.stop()
    assert job.runs == 2


async def test_a_nudge_between_batches_still_wakes_a_sleeping_job_once() -> None:
    job = Gated()
    job.gate.set()
    engine = Engine([job])
    engine.start()
    try:
        async with asyncio.timeout(2):
            while job.runs < 1:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # asleep now, for its hour
        engine.nudge("orders")
        async with asyncio.timeout(2):
            while job.runs < 2:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
    finally:
        await engine.stop()
    assert job.runs == 2  # one nudge, one run: the wake is not left set
