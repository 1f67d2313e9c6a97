"""The sync engine: one never-dying loop per job, with pause, resume and "sync now".

A job does one batch per ``run_once`` and says whether it caught up. The
engine runs it again at once while it has more to do, waits its interval (or
a nudge) when caught up, and backs off exponentially on errors, honouring a
store's Retry-After. Errors are logged with context, recorded for the
Activity log, and never end the loop. Listeners hear what changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.jobs import job_states, record_outcome, set_paused
from tiktok_console.stores.errors import RateLimitedError
from tiktok_console.sync.events import Changed, Event, JobStateChanged, Listener, ignore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one batch did."""

    caught_up: bool = True
    changed: frozenset[str] = frozenset()
    summary: str = ""
    retry_in: float = 0.0  # not caught up, but nothing to do for this long


MAPPINGS = "mappings"  # a topic: a SKU was mapped (orders it blocked may go now)


class Job(Protocol):
    """One (store, resource) job.

    A job may also have ``wakes_on``: topics (e.g. ``MAPPINGS``) whose change by another
    job's batch wakes it at once, and makes ``run_until_caught_up`` run it again.
    """

    name: str

    @property
    def interval(self) -> float:
        """Seconds between runs once caught up (read before each wait, so it may change)."""
        ...

    async def run_once(self) -> Outcome:
        """Do one batch; raise on failure."""
        ...


@dataclass
class JobRunner:
    """A job's switches and counters, owned by the engine."""

    job: Job
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    resumed: asyncio.Event = field(default_factory=asyncio.Event)
    failures: int = 0
    runs: int = 0
    caught_up: bool = False
    last_error: str = ""
    retry_after: float = 0.0  # a rate-limited store's own wait
    retry_in: float = 0.0  # the job's own wait before its next batch
    summary: str = ""  # what the last good batch did ("N pulled, N settled")
    task: asyncio.Task[None] | None = None


class Engine:
    """Runs jobs until stopped.

    Args:
        jobs: the jobs to run.
        listener: hears ``Changed`` and ``JobStateChanged`` events.
        backoff_base: first delay after a failure, doubled per failure.
        backoff_max: the ceiling of that delay.
    """

    def __init__(
        self,
        jobs: Iterable[Job],
        listener: Listener = ignore,
        backoff_base: float = 1.0,
        backoff_max: float = 300.0,
    ) -> None:
        self._runners = {job.name: JobRunner(job) for job in jobs}
        self._listener = listener
        self._base = backoff_base
        self._max = backoff_max
        paused = {name for name, state in job_states().items() if state.paused}
        for name, runner in self._runners.items():
            if name not in paused:
                runner.resumed.set()

    @property
    def names(self) -> list[str]:
        """The jobs' names."""
        return list(self._runners)

    def runner(self, name: str) -> JobRunner:
        """A job's switches and counters."""
        return self._runners[name]

    def start(self) -> None:
        """Start every job's loop on the running event loop."""
        for runner in self._runners.values():
            if runner.task is None or runner.task.done():
                runner.task = asyncio.create_task(self._loop(runner), name=f"job:{runner.job.name}")

    async def stop(self) -> None:
        """Stop every loop (a batch in flight is cancelled; its transaction rolls back)."""
        tasks = [r.task for r in self._runners.values() if r.task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def nudge(self, name: str | None = None) -> None:
        """ "Sync now": wake one job, or all of them, even during a backoff."""
        for runner in self._selected(name):
            runner.wake.set()

    def pause(self, name: str) -> None:
        """Stop running ``name`` after its current batch (remembered across restarts)."""
        runner = self._runners[name]
        runner.resumed.clear()
        set_paused(name, True)
        self._listener(JobStateChanged(name, "paused"))

    def resume(self, name: str) -> None:
        """Run ``name`` again."""
        runner = self._runners[name]
        set_paused(name, False)
        runner.resumed.set()
        runner.wake.set()

    async def run_until_caught_up(
        self, names: Iterable[str] | None = None, max_failures: int = 5
    ) -> dict[str, str]:
        """Run the jobs (in order) until each caught up; returns name -> last error ("" = ok).

        For ``sync --once``: a job that keeps failing gives up after ``max_failures``.
        """
        results: dict[str, str] = {}
        todo = list(names or self.names)
        for runner in self._runners.values():
            runner.wake.clear()  # from here on: set when another job's change concerns it
        rounds = 0
        while todo:
            results.update(await self._catch_up(todo, max_failures))
            # A job woken by a later job's change (a mapping that releases orders) runs
            # again, so ``sync --once`` ends only when nothing it did is left waiting.
            woken = [name for name in dict.fromkeys(todo) if self._runners[name].wake.is_set()]
            rounds += 1
            todo = woken if rounds < 5 else []
            for name in todo:
                self._runners[name].wake.clear()
        return results

    async def _catch_up(self, names: list[str], max_failures: int) -> dict[str, str]:
        results: dict[str, str] = {}
        for name in names:
            runner = self._runners[name]
            runner.failures = 0
            runner.wake.clear()
            while True:
                if await self._run_batch(runner) and runner.caught_up:
                    results[name] = ""
                    break
                if not runner.failures and runner.retry_in:
                    await asyncio.sleep(runner.retry_in)
                if runner.failures >= max_failures:
                    results[name] = runner.last_error
                    break
                if runner.failures:
                    await asyncio.sleep(self._delay(runner))
        return results

    async def _loop(self, runner: JobRunner) -> None:
        while True:
            await runner.resumed.wait()
            ok = await self._run_batch(runner)
            if ok and not runner.caught_up:
                await self._sleep(runner, runner.retry_in)  # 0: let others in, then go on
                continue
            delay = runner.job.interval if ok else self._delay(runner)
            state = "idle" if ok else "backing_off"
            self._notify(JobStateChanged(runner.job.name, state,
                                         runner.summary if ok else runner.last_error))  # fmt: skip
            await self._sleep(runner, delay)

    async def _run_batch(self, runner: JobRunner) -> bool:
        name = runner.job.name
        self._notify(JobStateChanged(name, "running"))
        try:
            outcome = await runner.job.run_once()
            # Inside the try: a "database is locked" here is a failed batch (run again
            # after a backoff, as batches are idempotent), never the end of the loop.
            record_outcome(name)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a job must never die: record, back off, go on
            runner.failures += 1
            runner.last_error = _describe(error)
            runner.retry_after = error.retry_after if isinstance(error, RateLimitedError) else 0.0
            self._record_failure(name, error)
            return False
        runner.runs += 1
        runner.failures = 0
        runner.last_error = ""
        runner.caught_up = outcome.caught_up
        runner.retry_in = outcome.retry_in
        runner.summary = outcome.summary
        if outcome.changed:
            self._notify(Changed(outcome.changed))
            for other in self._runners.values():
                if other is not runner and outcome.changed & getattr(other.job, "wakes_on", set()):
                    other.wake.set()
        return True

    def _notify(self, event: Event) -> None:
        """Tell the listener; a listener that fails is logged and never stops a job."""
        try:
            self._listener(event)
        except Exception:
            log.exception("A listener failed on %s", event)

    def _record_failure(self, name: str, error: Exception) -> None:
        text = _describe(error)
        if isinstance(error, ConsoleError):
            log.warning("Job %s failed: %s (%s)", name, text, error.detail)
        else:
            log.exception("Job %s failed unexpectedly", name, exc_info=error)
        retryable = bool(getattr(error, "retryable", True))
        try:
            record_outcome(name, text)
            record_activity(name, "run", text, level="error", detail=getattr(error, "detail", ""),
                            retryable=retryable)  # fmt: skip
        except Exception:  # e.g. the database is locked: the log above keeps the error
            log.exception("Could not record the failure of job %s", name)
        self._notify(Changed(frozenset({"activity", "sync"})))

    def _delay(self, runner: JobRunner) -> float:
        backoff = min(self._max, self._base * (2 ** max(runner.failures - 1, 0)))
        return float(max(backoff, runner.retry_after))

    async def _sleep(self, runner: JobRunner, seconds: float) -> None:
        runner.wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runner.wake.wait(), timeout=seconds)
        runner.wake.clear()

    def _selected(self, name: str | None) -> list[JobRunner]:
        return list(self._runners.values()) if name is None else [self._runners[name]]


def _describe(error: BaseException) -> str:
    if isinstance(error, ConsoleError):
        return error.message
    return f"{type(error).__name__}: {error}"
