"""The engine: jobs that fail never die, back off, pause, resume and wake on "sync now"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.activity import activity_summary
from tiktok_console.storage.database import open_database
from tiktok_console.storage.jobs import job_states
from tiktok_console.stores.errors import AuthExpiredError, RateLimitedError, StoreUnavailableError
from tiktok_console.sync.engine import Engine, Outcome
from tiktok_console.sync.events import (
    Changed,
    ErrorKind,
    Event,
    JobState,
    JobStateChanged,
    Listener,
    ReconnectNeeded,
    handler_name,
)


@pytest.fixture(autouse=True)
def database(tmp_path: Path) -> Iterator[None]:
    db = open_database(tmp_path / "db.sqlite3")
    yield
    db.close()


class Flaky:
    """Fails ``failures`` times, then succeeds, counting its runs."""

    def __init__(self, name: str, failures: int = 0, error: Exception | None = None) -> None:
        self.name = name
        self.interval = 3600.0
        self.failures = failures
        self.error = error or RuntimeError("store exploded")
        self.runs = 0

    async def run_once(self) -> Outcome:
        self.runs += 1
        _watch.poke()
        if self.runs <= self.failures:
            raise self.error
        return Outcome(caught_up=True, changed=frozenset({self.name}))


class _Watch:
    """Wakes a waiting test each time a job runs or the engine tells an event.

    Waits are driven by what the engine does, never by the wall clock: a slow
    machine only makes them take longer (pytest-timeout ends a real hang).
    """

    def __init__(self) -> None:
        self._poked = asyncio.Event()

    def poke(self) -> None:
        self._poked.set()

    async def until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            self._poked.clear()
            await self._poked.wait()


_watch = _Watch()


@pytest.fixture(autouse=True)
def watch() -> None:
    global _watch
    _watch = _Watch()  # one per test: an asyncio.Event belongs to the test's loop


def heard(listener: Listener) -> Listener:
    """``listener``, also waking the test's waits (before it runs: it may raise)."""

    def hear(event: Event) -> None:
        _watch.poke()
        listener(event)

    return hear


async def _until(condition: Callable[[], bool]) -> None:
    await _watch.until(condition)


def _told(events: list[Event], state: JobState) -> list[JobStateChanged]:
    return [e for e in events if isinstance(e, JobStateChanged) and e.state is state]


async def test_a_failing_job_backs_off_and_recovers_without_dying() -> None:
    events: list[Event] = []
    job = Flaky("orders", failures=3)
    engine = Engine([job], heard(events.append), backoff_base=0.01, backoff_max=0.05)
    engine.start()
    await _until(lambda: job.runs == 4)
    await engine.stop()
    assert Changed(frozenset({"orders"})) in events
    [backing_off, *_] = [
        e for e in events if isinstance(e, JobStateChanged) and e.state is JobState.BACKING_OFF
    ]
    assert backing_off.error is not None and backing_off.error.kind is ErrorKind.BUG
    assert backing_off.error.message == "RuntimeError: store exploded"
    assert job_states()["orders"].last_error == ""  # the last run succeeded
    assert activity_summary(datetime(2000, 1, 1, tzinfo=UTC)).errors == 3


async def test_rate_limits_wait_at_least_retry_after() -> None:
    job = Flaky("orders", failures=1, error=RateLimitedError("tiktok", 0.3))
    engine = Engine([job], backoff_base=0.001)
    loop = asyncio.get_running_loop()
    started = loop.time()
    engine.start()
    await _until(lambda: job.runs == 2)
    assert loop.time() - started >= 0.3
    await engine.stop()


async def test_sync_now_wakes_a_sleeping_job_and_pause_holds_it() -> None:
    job, probe = Flaky("orders"), Flaky("probe")
    engine = Engine([job, probe])
    engine.start()
    await _until(lambda: job.runs == 1 and probe.runs == 1)
    engine.nudge("orders")
    await _until(lambda: job.runs == 2)
    engine.pause("orders")
    engine.nudge()  # both woken, orders first: the probe's batch runs after orders saw it
    await _until(lambda: probe.runs == 2)
    assert job.runs == 2 and job_states()["orders"].paused
    engine.resume("orders")
    await _until(lambda: job.runs == 3)
    await engine.stop()


async def test_paused_jobs_stay_paused_after_a_restart() -> None:
    job, probe = Flaky("orders"), Flaky("probe")
    first = Engine([job, probe])
    first.pause("orders")
    second = Engine([job, probe])
    second.start()  # the orders loop starts first: by the probe's batch it has held
    await _until(lambda: probe.runs == 1)
    assert job.runs == 0
    await second.stop()


async def test_once_reports_a_job_that_keeps_failing() -> None:
    good, bad = (
        Flaky("variants"),
        Flaky("orders", failures=99, error=ConsoleError("Shopify is down")),
    )
    engine = Engine([good, bad], backoff_base=0.001)
    results = await engine.run_until_caught_up(max_failures=3)
    assert results == {"variants": "", "orders": "Shopify is down"}
    assert bad.runs == 3


async def test_a_listener_that_fails_never_stops_a_job() -> None:
    seen: set[str] = set()
    states: list[JobStateChanged] = []

    def listener(event: Event) -> None:
        kind = event.state.value if isinstance(event, JobStateChanged) else "changed"
        if kind not in seen:  # each kind of event fails once, as a locked database would
            seen.add(kind)
            raise RuntimeError("database is locked")
        if isinstance(event, JobStateChanged):
            states.append(event)

    class Changing(Flaky):  # each batch changes what it did, so "idle" is told each time
        async def run_once(self) -> Outcome:
            await super().run_once()
            return Outcome(changed=frozenset({self.name}), summary=f"run {self.runs}")

    job = Changing("orders")
    engine = Engine([job], heard(listener))
    engine.start()
    await _until(lambda: job.runs == 1)
    engine.nudge("orders")
    await _until(lambda: job.runs == 2)
    engine.nudge("orders")
    await _until(lambda: job.runs == 3)
    await _until(lambda: any(s.state is JobState.IDLE for s in states))
    await engine.stop()
    assert {"running", "changed", "idle"} <= seen


async def test_an_idle_job_reports_what_its_last_batch_did() -> None:
    events: list[Event] = []

    class Summing(Flaky):
        async def run_once(self) -> Outcome:
            await super().run_once()
            return Outcome(summary="3 pulled, 2 settled")

    engine = Engine([Summing("orders")], heard(events.append))
    engine.start()
    await _until(
        lambda: JobStateChanged("orders", JobState.IDLE, summary="3 pulled, 2 settled") in events
    )
    await engine.stop()


async def test_a_state_is_told_once_not_once_per_batch() -> None:
    events: list[Event] = []

    class Busy(Flaky):  # three batches to catch up
        async def run_once(self) -> Outcome:
            await super().run_once()
            return Outcome(caught_up=self.runs % 3 == 0)

    job = Busy("orders")
    engine = Engine([job], heard(events.append))
    engine.start()
    await _until(lambda: job.runs == 3)
    engine.nudge("orders")
    await _until(lambda: len(_told(events, JobState.IDLE)) == 2)  # then it sleeps an hour
    await engine.stop()
    states = [e.state for e in events if isinstance(e, JobStateChanged)]
    assert states == [JobState.RUNNING, JobState.IDLE, JobState.RUNNING, JobState.IDLE]


async def test_a_store_error_names_its_store_and_clears_when_a_batch_succeeds() -> None:
    events: list[Event] = []
    job = Flaky("orders", failures=1, error=StoreUnavailableError("tiktok", "HTTP 502"))
    engine = Engine([job], heard(events.append), backoff_base=0.01)
    engine.start()
    await _until(lambda: job.runs == 2)
    await _until(lambda: isinstance(events[-1], JobStateChanged))
    await engine.stop()
    told = [e for e in events if isinstance(e, JobStateChanged)]
    failing = [e for e in told if e.error is not None]
    assert failing and all(e.error.store == "tiktok" for e in failing if e.error)
    assert failing[0].error is not None and failing[0].error.kind is ErrorKind.UNAVAILABLE
    assert told[-1].state is JobState.IDLE and told[-1].error is None


async def test_an_expired_sign_in_stops_that_stores_jobs_and_asks_once() -> None:
    events: list[Event] = []
    orders = Flaky("orders", failures=99, error=AuthExpiredError("tiktok", "401"))
    stock = Flaky("inventory", failures=99, error=AuthExpiredError("tiktok", "401"))
    variants = Flaky("shopify_variants")
    stores = {"shopify_variants": frozenset({"shopify"})}
    engine = Engine(
        [orders, stock, variants], heard(events.append), backoff_base=0.001, stores=stores
    )
    engine.start()
    await _until(lambda: variants.runs == 1)
    # Stopped, not backing off: once told, the loops hold until a resume or a rebuild.
    await _until(
        lambda: {e.job for e in _told(events, JobState.STOPPED)} >= {"orders", "inventory"}
    )
    assert orders.runs == 1 and stock.runs <= 1  # not retried with backoff
    engine.nudge()
    await _until(lambda: variants.runs == 2)  # the Shopify-only job goes on
    await engine.stop()
    assert orders.runs == 1 and stock.runs <= 1
    asks = [e for e in events if isinstance(e, ReconnectNeeded)]
    assert len(asks) == 1 and asks[0].store == "tiktok" and asks[0].title == "TikTok Shop"
    stopped = {
        e.job for e in events if isinstance(e, JobStateChanged) and e.state is JobState.STOPPED
    }
    assert stopped == {"orders", "inventory"}


async def test_once_gives_up_at_once_on_an_expired_sign_in() -> None:
    job = Flaky("orders", failures=99, error=AuthExpiredError("shopify"))
    engine = Engine([job], backoff_base=0.001)
    results = await engine.run_until_caught_up(max_failures=5)
    assert job.runs == 1 and "Reconnect Shopify" in results["orders"]


def test_handlers_are_named_for_the_event_type() -> None:
    assert handler_name(Changed(frozenset())) == "on_event_changed"
    assert handler_name(JobStateChanged("x", JobState.IDLE)) == "on_event_job_state_changed"
